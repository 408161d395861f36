"""Typed training configuration: YAML file + ``--set key=value`` overrides, validated before any heavy work.

Unknown or misspelt keys fail with their dotted name (pydantic ``extra="forbid"``), so a typo
never silently falls back to a default.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ml.base_model import DEFAULT_BASE_MODEL
from ml.paths import CHECKPOINTS_DIR, PROCESSED_DIR, REPO_ROOT
from ml.tasks import TaskName


class ConfigError(ValueError):
    """The training config is invalid; the message lists each bad key."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoraSettings(_Section):
    r: int = Field(16, gt=0)
    alpha: int = Field(32, gt=0)
    dropout: float = Field(0.05, ge=0, lt=1)
    # None: the architecture's attention projections (see lora_config.py); "all-linear": every linear layer.
    target_modules: list[str] | Literal["all-linear"] | None = None


class DataSettings(_Section):
    train: Path = PROCESSED_DIR / "train.jsonl"
    val: Path | None = PROCESSED_DIR / "val.jsonl"
    max_val_examples: int | None = Field(200, gt=0)
    max_train_examples: int | None = Field(None, gt=0)
    # Train and validate on these tasks only (None: all), e.g. a question-focused second stage whose
    # short answers would otherwise get ~3% of the gradient next to the parses' long JSON.
    tasks: list[TaskName] | None = Field(None, min_length=1)


class TrainConfig(_Section):
    run_name: str = "resume-griller-lora"
    base_model: str = DEFAULT_BASE_MODEL
    output_dir: Path = CHECKPOINTS_DIR
    data: DataSettings = Field(default_factory=DataSettings)
    lora: LoraSettings = Field(default_factory=LoraSettings)
    # Start from this LoRA adapter's weights instead of a fresh LoRA (its own r, alpha and target modules
    # win over `lora`): a second stage on other data, as Axolotl's lora_model_dir. Not a resume: the
    # optimizer, schedule and step count start anew (use --resume to continue an interrupted run).
    init_adapter: Path | None = None

    max_seq_length: int = Field(4096, gt=16)
    # How the examples of a batch reach the model (none of them pads):
    #   packed: one row per micro-batch, position ids restarting per example. Needs flash-attention's
    #     variable-length kernel (CUDA) to be cheap; with SDPA the attention is quadratic in the whole row.
    #   per_example: one example per forward pass, gradients accumulated; attention is quadratic per
    #     example only. The fastest choice on CPU.
    #   padded: classic padding to the longest example of the micro-batch (the plain HF baseline).
    #   auto: packed where flash-attention 2 is installed on CUDA, else per_example.
    # In every mode one optimizer step sees per_device_train_batch_size x gradient_accumulation_steps examples.
    batching: Literal["auto", "packed", "per_example", "padded"] = "auto"
    supervised_logits_only: bool = True  # LM head + cross-entropy only where labels are supervised

    num_train_epochs: float = Field(3.0, gt=0)
    max_steps: int = -1
    # Stop (and save) once this much wall time has gone into training; the LR schedule still follows
    # max_steps / epochs, so pair it with a max_steps the budget can roughly reach.
    max_train_minutes: float | None = Field(None, gt=0)
    per_device_train_batch_size: int = Field(4, gt=0)
    per_device_eval_batch_size: int = Field(4, gt=0)
    gradient_accumulation_steps: int = Field(4, gt=0)
    learning_rate: float = Field(2e-4, gt=0)
    lr_scheduler_type: str = "cosine"
    warmup_ratio: float = Field(0.03, ge=0, lt=1)
    weight_decay: float = Field(0.0, ge=0)
    max_grad_norm: float = 1.0
    optim: str = "adamw_torch"
    seed: int = 42

    logging_steps: int = Field(10, gt=0)
    save_steps: int = Field(100, gt=0)
    eval_steps: int | None = None  # defaults to save_steps so the best checkpoint can be kept
    save_total_limit: int | None = 3

    # fp32; bf16: autocast over fp32 weights (CUDA: bf16 weights + autocast); fp16: CUDA only;
    # bf16_native: the frozen base held in bf16 from the load on (no per-step weight casts), the LoRA path computed
    #   in bf16 from fp32 weights, their gradients and the optimizer state in fp32, the loss in fp32; runs anywhere,
    #   pays where bf16 GEMMs do;
    # auto: CUDA bf16 (fp16 without bf16 support); CPU bf16_native where bf16 matmuls measure >= 1.2x fp32, else fp32.
    precision: Literal["auto", "fp32", "bf16", "bf16_native", "fp16"] = "auto"
    quantization: Literal["none", "4bit", "8bit"] = "none"
    gradient_checkpointing: bool = False
    torch_threads: int | None = None
    dataloader_num_workers: int = 0
    report_to: list[str] = Field(default_factory=lambda: ["tensorboard"])
    # Write a fingerprint of every training micro-batch to <run>/batches-rank<N>.jsonl: shows which
    # examples each process saw (data sharding across devices, resume order).
    trace_batches: bool = False

    @model_validator(mode="after")
    def _check_steps(self) -> TrainConfig:
        if self.eval_steps is None:
            self.eval_steps = self.save_steps
        if self.save_steps % self.eval_steps:
            raise ValueError("save_steps must be a multiple of eval_steps (the best checkpoint is chosen at saves)")
        return self

    @property
    def run_dir(self) -> Path:
        return self.output_dir / self.run_name


def _set_dotted(data: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, leaf = dotted.split(".")
    node = data
    for key in parents:
        node = node.setdefault(key, {})
        if not isinstance(node, dict):
            raise ConfigError(f"--set {dotted}: '{key}' is not a section")
    node[leaf] = value


def parse_overrides(overrides: list[str]) -> list[tuple[str, Any]]:
    """``["lora.r=8", "data.val=null"]`` -> ``[("lora.r", 8), ("data.val", None)]`` (values parsed as YAML)."""
    parsed = []
    for item in overrides:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--set expects key=value, got {item!r}")
        parsed.append((key.strip(), yaml.safe_load(raw) if raw.strip() else None))
    return parsed


def _resolve_paths(config: TrainConfig) -> TrainConfig:
    """Relative paths in a config are relative to the repository root, wherever the command runs."""

    def absolute(path: Path | None) -> Path | None:
        return None if path is None or path.is_absolute() else REPO_ROOT / path

    config.output_dir = absolute(config.output_dir) or config.output_dir
    config.init_adapter = absolute(config.init_adapter) or config.init_adapter
    config.data.train = absolute(config.data.train) or config.data.train
    if config.data.val is not None:
        config.data.val = absolute(config.data.val) or config.data.val
    return config


def load_config(path: Path | None = None, overrides: list[str] | None = None) -> TrainConfig:
    """Read a YAML config (or the defaults), apply overrides, validate."""
    data: dict[str, Any] = {}
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise ConfigError(f"config file not found: {path}")
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise ConfigError(f"{path}: not valid YAML: {error}") from error
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: expected a mapping of keys at the top level")
    for key, value in parse_overrides(overrides or []):
        _set_dotted(data, key, value)
    try:
        config = TrainConfig.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in error.errors(include_url=False)
        )
        raise ConfigError(f"invalid training config{f' {path}' if path else ''}: {problems}") from error
    return _resolve_paths(config)


def _portable(path: str | None) -> str | None:
    """A path inside the repository is written relative to it, so a saved config works on any clone."""
    if path is None:
        return None
    resolved = Path(path)
    return str(resolved.relative_to(REPO_ROOT)) if resolved.is_relative_to(REPO_ROOT) else path


def dump_config(config: TrainConfig) -> str:
    data = config.model_dump(mode="json")
    data["output_dir"] = _portable(data["output_dir"])
    data["data"]["train"] = _portable(data["data"]["train"])
    data["data"]["val"] = _portable(data["data"]["val"])
    data["init_adapter"] = _portable(data["init_adapter"])
    return yaml.safe_dump(data, sort_keys=False)
