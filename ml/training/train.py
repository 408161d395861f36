"""LoRA / QLoRA fine-tuning recipe.

    griller train                                        # the default run (embedded SmolLM2-135M, CPU)
    griller train --set max_steps=50 --set lora.r=8      # overrides, dotted keys, YAML values
    griller train --config ml/configs/presets/mistral-7b.yaml          # QLoRA on one CUDA GPU
    griller train --resume                               # continue the run from its last complete checkpoint
    accelerate launch --num_processes 2 -m ml.training.train --config FILE   # several devices (DDP)

Supports: chat-template prompts from ``ml/tasks.py`` with loss on the assistant answer and its
EOS only; batches without padding (one example per forward pass on CPU, packed rows with
flash-attention's varlen kernel on CUDA; never attention across examples); LM head and
cross-entropy on supervised positions only; bf16 on CUDA, and on CPUs whose bf16 matmuls measure faster
as ``bf16_native`` (the frozen base held in bf16, the LoRA path computed in bf16 from fp32 master weights,
the optimizer state in fp32); 4-bit QLoRA
on CUDA; validation loss with the best checkpoint kept; resume from the newest *complete*
checkpoint; TensorBoard + JSONL logs with tokens/s and MFU.

Order matters in :func:`train`: everything that can fail on bad input (config, data files, output
folder, device) is checked before the model is loaded, so a typo costs seconds, not a model load.
"""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import json
import logging
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from transformers import Trainer, TrainerCallback, TrainingArguments

from ml.base_model import adapter_base_model, is_adapter_dir, load_base_model, resolve_source
from ml.host import cpu_has_bf16
from ml.training.checkpoints import latest_complete_checkpoint
from ml.training.config import TrainConfig, dump_config, load_config
from ml.training.cpu_attention import use_blocked_attention
from ml.training.cpu_lora import use_fused_lora
from ml.training.dataset import IGNORE_INDEX, read_examples, tokenize_examples
from ml.training.head_loss import fused_head, head_loss_sum
from ml.training.lane_dropout import use_lane_dropout
from ml.training.lora_config import build_lora_config
from ml.training.throughput import bf16_pays_on_cpu, measure_matmul_peak, peak_memory_mb, training_flops_per_token

log = logging.getLogger(__name__)

MIN_FREE_DISK_MB = 200


class TrainingSetupError(RuntimeError):
    """Training cannot start; the message says why and what to change."""


@dataclass
class TrainSummary:
    run_dir: str
    adapter_dir: str
    steps: int
    train_examples: int
    dropped_too_long: int
    real_tokens: int
    seconds: float
    real_tokens_per_second: float
    peak_memory_mb: float
    train_loss: float | None
    val_loss: float | None
    best_checkpoint: str | None


# --- checks before any model is loaded ----------------------------------------------------------


def resolve_precision(config: TrainConfig) -> str:
    """``fp32`` | ``bf16`` | ``bf16_native`` | ``fp16`` for this machine.

    ``auto`` on CUDA: bf16 (fp16 without bf16 support). On CPU: ``bf16_native`` where bf16 matmuls measure
    clearly faster than fp32, else fp32. Not bf16 autocast: with frozen base weights held in fp32, autocast
    casts every one of them to bf16 again at every matmul of every pass (a frozen weight is not in autocast's
    cast cache, which keeps only leaves that require grad), work that ``bf16_native`` does once at load.
    """
    cuda = torch.cuda.is_available()
    if config.precision == "auto":
        if cuda:
            return "bf16" if torch.cuda.is_bf16_supported() else "fp16"
        return "bf16_native" if bf16_pays_on_cpu() else "fp32"
    if config.precision == "fp16" and not cuda:
        raise TrainingSetupError("precision fp16 needs a CUDA GPU; use bf16_native or fp32 on CPU")
    if config.precision == "bf16_native" and config.quantization != "none":
        raise TrainingSetupError(
            "precision bf16_native holds a full-precision base in bf16; QLoRA "
            f"(quantization={config.quantization}) takes precision bf16 or auto"
        )
    if config.precision in ("bf16", "bf16_native") and not cuda and not cpu_has_bf16():
        log.warning("precision %s on a CPU without AVX-512 BF16 or AMX: correct, but far slower", config.precision)
    return config.precision


def check_init_adapter(config: TrainConfig) -> None:
    """The adapter to start from exists and was trained on this run's base model."""
    path = config.init_adapter
    if path is None or not is_adapter_dir(path):
        raise TrainingSetupError(f"init_adapter={path} is not a LoRA adapter folder (no adapter_config.json)")
    if adapter_base_model(path) != config.base_model:
        raise TrainingSetupError(
            f"init_adapter was trained on {adapter_base_model(path)!r}, this run's base_model is {config.base_model!r}"
        )


def check_output_dir(run_dir: Path) -> None:
    try:
        run_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=run_dir):
            pass
    except OSError as error:
        raise TrainingSetupError(f"output folder {run_dir} is not writable: {error}") from error
    free_mb = shutil.disk_usage(run_dir).free / 2**20
    if free_mb < MIN_FREE_DISK_MB:
        raise TrainingSetupError(
            f"only {free_mb:.0f} MiB free under {run_dir}; checkpoints need at least {MIN_FREE_DISK_MB} MiB"
        )


def preflight(config: TrainConfig) -> tuple[list[dict[str, Any]], list[dict[str, Any]] | None]:
    """Validate everything that does not need the model; return the raw train and val examples."""
    if config.quantization != "none" and not torch.cuda.is_available():
        raise TrainingSetupError(
            f"quantization={config.quantization} (QLoRA) needs a CUDA GPU with bitsandbytes; this machine has none. "
            "Use --set quantization=none to train the LoRA in full precision."
        )
    resolve_source(config.base_model)  # unknown paths fail here, before data or model work
    resolve_precision(config)
    only = [task.value for task in config.data.tasks] if config.data.tasks else None
    train_rows = read_examples(config.data.train, config.data.max_train_examples, only)
    val_rows = read_examples(config.data.val, config.data.max_val_examples, only) if config.data.val else None
    if config.init_adapter is not None:
        check_init_adapter(config)
    check_output_dir(config.run_dir)
    return train_rows, val_rows


# --- model --------------------------------------------------------------------------------------


def load_model_for_training(config: TrainConfig, precision: str, batching: str):
    from peft import get_peft_model, prepare_model_for_kbit_training

    kwargs: dict[str, Any] = {}
    if batching == "packed" and torch.cuda.is_available() and importlib.util.find_spec("flash_attn"):
        kwargs["attn_implementation"] = "flash_attention_2"  # varlen kernel: packed rows cost what their parts cost
    if config.quantization != "none":
        from transformers import BitsAndBytesConfig

        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=config.quantization == "4bit",
            load_in_8bit=config.quantization == "8bit",
            bnb_4bit_quant_type="nf4",
            bnb_4bit_use_double_quant=True,
            bnb_4bit_compute_dtype=torch.bfloat16 if precision == "bf16" else torch.float16,
        )
        kwargs["device_map"] = {"": int(os.environ.get("LOCAL_RANK", 0))}
    # bf16_native: the base is cast to bf16 once, here, and never again. bf16 on CPU runs as autocast over
    # fp32 weights. Either way the LoRA weights (below) and so their gradients and optimizer state are fp32
    # (bf16_native computes the LoRA path in bf16 from them: compute_lora_in_bf16).
    native = precision == "bf16_native" or (precision == "bf16" and torch.cuda.is_available())
    dtype = torch.bfloat16 if native else torch.float32
    model, tokenizer = load_base_model(config.base_model, dtype=dtype, **kwargs)
    if precision == "bf16_native" and batching == "per_example" and not torch.cuda.is_available():
        use_blocked_attention(model)  # attention in bf16 matmuls (bench/NOTES.md, "Attention on bf16 GEMMs")
    if config.quantization != "none":
        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=config.gradient_checkpointing)
    elif config.gradient_checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        model.enable_input_require_grads()
    model.config.use_cache = False
    if config.init_adapter is not None:
        from peft import PeftModel

        model = PeftModel.from_pretrained(
            model, str(config.init_adapter), is_trainable=True, autocast_adapter_dtype=True
        )
    else:
        # autocast_adapter_dtype: LoRA weights made for a bf16 base are upcast to fp32. PEFT's LoRA layer then
        # casts its bf16 input to fp32, computes the LoRA path in fp32 and casts the sum back to bf16.
        model = get_peft_model(model, build_lora_config(model, config.lora), autocast_adapter_dtype=True)
    if precision == "bf16_native":
        compute_lora_in_bf16(model)
    trainable = [(name, param.dtype) for name, param in model.named_parameters() if param.requires_grad]
    not_fp32 = [name for name, dtype in trainable if dtype != torch.float32]
    if not_fp32 and config.quantization == "none":
        raise TrainingSetupError(f"LoRA weights must train in fp32, these are not: {not_fp32[:3]}")
    if not torch.cuda.is_available():  # CUDA's dropout masks are cheap already (bench/NOTES.md, "lane dropout")
        use_lane_dropout(model)
        use_fused_lora(model)  # one autograd node per LoRA layer (bench/NOTES.md, "A LoRA layer as one function")
    # Record the base as the user named it (e.g. the embedded alias), not the machine-local cache path,
    # so the saved adapter loads on any machine.
    model.peft_config["default"].base_model_name_or_path = config.base_model
    return model, tokenizer


def compute_lora_in_bf16(model: torch.nn.Module) -> None:
    """Let the LoRA paths of a bf16 base compute in bf16, from fp32 master weights.

    PEFT casts each LoRA layer's bf16 input to its fp32 weights' dtype, so dropout, both LoRA matmuls and their
    backward ran in fp32 with a copy of the activations each way, in 7 layers per block (bench/NOTES.md, "bf16
    LoRA path"). ``bf16_native`` trains under bf16 autocast instead (``training_arguments``), which leaves the
    bf16 base as it is and casts the small fp32 LoRA weights once per pass; their gradients and the optimizer
    state stay fp32, as in mixed-precision training on a GPU. PEFT's cast would only be undone by autocast at
    the next matmul, so it is switched off here.
    """
    from peft.tuners.tuners_utils import BaseTunerLayer

    for module in model.modules():
        if isinstance(module, BaseTunerLayer):
            module.cast_input_dtype_enabled = False


# --- trainer ------------------------------------------------------------------------------------


class GrillerTrainer(Trainer):
    """HF Trainer with a loss computed only on supervised positions, normalised over the accumulated batch."""

    def __init__(
        self, *args: Any, supervised_logits_only: bool = True, batch_trace: Path | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.supervised_logits_only = supervised_logits_only
        self.batch_trace = batch_trace
        self.loss_is_scaled_for_ga = True
        self.real_tokens = 0

    def _trace(self, input_ids: torch.Tensor, position_ids: torch.Tensor | None) -> None:
        """Record one fingerprint per example of the micro-batch (examples start where position ids restart)."""
        assert self.batch_trace is not None
        rows = input_ids.tolist()
        if position_ids is not None and input_ids.shape[0] == 1:
            starts = [*(position_ids[0] == 0).nonzero().squeeze(-1).tolist(), input_ids.shape[1]]
            rows = [rows[0][a:b] for a, b in itertools.pairwise(starts)]
        digests = [hashlib.sha1(str(row).encode()).hexdigest()[:16] for row in rows]
        with self.batch_trace.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"step": self.state.global_step, "examples": digests}) + "\n")

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        labels = inputs.pop("labels")
        targets = labels[:, 1:]
        supervised = targets != IGNORE_INDEX
        if model.training and self.batch_trace is not None:
            self._trace(inputs["input_ids"], inputs.get("position_ids"))
        if model.training:  # real (non-pad) tokens: padded batches carry a mask, packed rows have no padding
            mask = inputs.get("attention_mask")
            self.real_tokens += int(mask.sum()) if mask is not None else inputs["input_ids"].numel()
        outputs = loss_sum = None
        if self.supervised_logits_only and labels.shape[0] == 1:
            # One packed row: logits at supervised positions only (skips most of the LM head) ...
            positions = supervised[0].nonzero().squeeze(-1)
            # ... or, training, the head's loss and gradient a chunk at a time (bench/NOTES.md, "The head's loss"),
            # its decoder under the autocast that accelerate wraps around the model's own forward
            with self.accelerator.autocast():
                if model.training and not return_outputs and fused_head(model):
                    loss_sum = head_loss_sum(model, inputs, positions, targets[0, positions])
            if loss_sum is None:
                outputs = model(**inputs, logits_to_keep=positions)
                loss_sum = F.cross_entropy(outputs.logits[0].float(), targets[0, positions], reduction="sum")
        else:
            outputs = model(**inputs)
            logits, target_ids = outputs.logits[:, :-1][supervised], targets[supervised]
            loss_sum = F.cross_entropy(logits.float(), target_ids, reduction="sum")
        if num_items_in_batch is None:
            loss = loss_sum / supervised.sum().clamp(min=1)
        else:
            loss = loss_sum / num_items_in_batch
            if self.args.average_tokens_across_devices and self.accelerator.num_processes > 1:
                loss = loss * self.accelerator.num_processes  # DDP averages gradients; undo it for a global mean
        return (loss, outputs) if return_outputs else loss


class ThroughputLogCallback(TrainerCallback):
    """Adds real tokens/s, step time, MFU and peak memory to every log line; mirrors logs to a JSONL file."""

    def __init__(self, log_path: Path, flops_per_token: float, peak_flops: float) -> None:
        self.log_path = log_path
        self.flops_per_token = flops_per_token
        self.peak_flops = peak_flops
        self.trainer: GrillerTrainer | None = None
        self._last_time = time.perf_counter()
        self._last_tokens = 0
        self._last_step = 0

    def on_train_begin(self, args, state, control, **kwargs):
        self._last_time = time.perf_counter()
        self._last_step = state.global_step

    def on_log(self, args, state, control, logs=None, **kwargs):
        if logs is None or self.trainer is None:
            return
        now = time.perf_counter()
        if "loss" in logs:
            elapsed = max(now - self._last_time, 1e-9)
            tokens = self.trainer.real_tokens - self._last_tokens
            steps = max(state.global_step - self._last_step, 1)
            logs["real_tokens_per_s"] = round(tokens / elapsed, 1)
            logs["step_time_s"] = round(elapsed / steps, 3)
            logs["mfu"] = round(tokens * self.flops_per_token / elapsed / self.peak_flops, 4)
            logs["peak_memory_mb"] = round(peak_memory_mb(), 1)
            self._last_time, self._last_tokens, self._last_step = now, self.trainer.real_tokens, state.global_step
        if state.is_world_process_zero:
            with self.log_path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps({"step": state.global_step, **logs}) + "\n")


class TimeBudgetCallback(TrainerCallback):
    """Ends training after ``minutes`` of wall time, saving (and evaluating) at the step where it stops."""

    def __init__(self, minutes: float) -> None:
        self.seconds = minutes * 60
        self.started = time.perf_counter()

    def on_train_begin(self, args, state, control, **kwargs):
        self.started = time.perf_counter()

    def on_step_end(self, args, state, control, **kwargs):
        if time.perf_counter() - self.started >= self.seconds:
            log.info("time budget of %.1f min reached at step %d", self.seconds / 60, state.global_step)
            control.should_training_stop = True
            control.should_save = True
            control.should_evaluate = args.eval_strategy != "no"
        return control


def resolve_batching(config: TrainConfig) -> str:
    """``auto`` -> ``packed`` where flash-attention's varlen kernel exists (CUDA), ``padded`` on other CUDA
    machines (length-grouped micro-batches keep a GPU busy; one example per pass would leave it idle), else
    ``per_example`` (on CPU a forward pass costs what its tokens cost, so padding is pure waste)."""
    if config.batching != "auto":
        return config.batching
    if not torch.cuda.is_available():
        return "per_example"
    return "packed" if importlib.util.find_spec("flash_attn") is not None else "padded"


def build_collator(batching: str, tokenizer):
    if batching in ("packed", "per_example"):
        from transformers import DataCollatorWithFlattening

        return DataCollatorWithFlattening(return_position_ids=True, separator_id=IGNORE_INDEX)
    from transformers import DataCollatorForSeq2Seq

    return DataCollatorForSeq2Seq(tokenizer, padding="longest", label_pad_token_id=IGNORE_INDEX)


def training_arguments(config: TrainConfig, precision: str, batching: str, has_val: bool) -> TrainingArguments:
    steps_strategy = "steps" if has_val else "no"
    micro_batch, accumulation = config.per_device_train_batch_size, config.gradient_accumulation_steps
    eval_batch = config.per_device_eval_batch_size
    if batching == "per_example":  # same examples per optimizer step, one per forward pass
        micro_batch, accumulation, eval_batch = 1, micro_batch * accumulation, 1
    return TrainingArguments(
        output_dir=str(config.run_dir),
        num_train_epochs=config.num_train_epochs,
        max_steps=config.max_steps,
        per_device_train_batch_size=micro_batch,
        per_device_eval_batch_size=eval_batch,
        gradient_accumulation_steps=accumulation,
        learning_rate=config.learning_rate,
        lr_scheduler_type=config.lr_scheduler_type,
        warmup_steps=config.warmup_ratio,  # a float below 1 is a ratio of the total steps
        weight_decay=config.weight_decay,
        max_grad_norm=config.max_grad_norm,
        optim=config.optim,
        seed=config.seed,
        data_seed=config.seed,
        logging_steps=config.logging_steps,
        save_strategy="steps",
        save_steps=config.save_steps,
        save_total_limit=config.save_total_limit,
        eval_strategy=steps_strategy,
        eval_steps=config.eval_steps if has_val else None,
        load_best_model_at_end=has_val,
        metric_for_best_model="eval_loss" if has_val else None,
        greater_is_better=False if has_val else None,
        prediction_loss_only=True,
        # autocast: over fp32 base weights for bf16 on CPU; for bf16_native only the LoRA path's fp32 weights
        # are cast (once per pass), its base already being bf16 (compute_lora_in_bf16)
        bf16=precision in ("bf16", "bf16_native"),
        fp16=precision == "fp16",
        use_cpu=not torch.cuda.is_available(),
        remove_unused_columns=False,
        # padded micro-batches of similar lengths waste little on padding (the sampler still shuffles)
        train_sampling_strategy="group_by_length" if batching == "padded" else "random",
        dataloader_num_workers=config.dataloader_num_workers,
        report_to=config.report_to,
        ddp_find_unused_parameters=False,
    )


def _save_adapter_atomically(trainer: Trainer, tokenizer, target: Path, config: TrainConfig) -> None:
    staging = Path(tempfile.mkdtemp(prefix=".adapter-", dir=target.parent))
    try:
        trainer.model.save_pretrained(str(staging))
        tokenizer.save_pretrained(str(staging))
        (staging / "training_config.yaml").write_text(dump_config(config), encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def train(config: TrainConfig, resume: bool = False) -> TrainSummary:
    """Run one training job end to end: checks → model → data → trainer → train → save."""
    started = time.perf_counter()
    train_rows, val_rows = preflight(config)
    precision = resolve_precision(config)
    if config.torch_threads:
        torch.set_num_threads(config.torch_threads)
    resume_from = None
    if resume:
        resume_from = latest_complete_checkpoint(config.run_dir)
        if resume_from is None:
            raise TrainingSetupError(f"--resume: no complete checkpoint under {config.run_dir}")
        log.info("resuming from %s", resume_from)

    from transformers import set_seed

    set_seed(config.seed)  # before the LoRA weights are initialised, or two runs start from different adapters
    batching = resolve_batching(config)
    if batching == "packed" and not (torch.cuda.is_available() and importlib.util.find_spec("flash_attn")):
        log.warning("batching=packed without flash-attention: attention cost grows with the square of the whole row")
    model, tokenizer = load_model_for_training(config, precision, batching)
    train_split = tokenize_examples(tokenizer, train_rows, config.max_seq_length)
    val_split = tokenize_examples(tokenizer, val_rows, config.max_seq_length) if val_rows else None
    if not train_split.examples:
        raise TrainingSetupError(
            f"every training example is longer than max_seq_length={config.max_seq_length}; raise it"
        )
    if train_split.dropped_too_long:
        log.warning(
            "dropped %d of %d training examples longer than max_seq_length=%d",
            train_split.dropped_too_long,
            len(train_rows),
            config.max_seq_length,
        )

    from datasets import Dataset

    os.environ.setdefault("TENSORBOARD_LOGGING_DIR", str(config.run_dir / "tensorboard"))
    (config.run_dir / "config.yaml").write_text(dump_config(config), encoding="utf-8")
    peak_flops = measure_matmul_peak(torch.bfloat16 if precision in ("bf16", "bf16_native") else torch.float32)
    throughput = ThroughputLogCallback(config.run_dir / "train_log.jsonl", training_flops_per_token(model), peak_flops)
    trainer = GrillerTrainer(
        model=model,
        args=training_arguments(config, precision, batching, has_val=bool(val_split and val_split.examples)),
        train_dataset=Dataset.from_list(train_split.examples),
        eval_dataset=Dataset.from_list(val_split.examples) if val_split and val_split.examples else None,
        data_collator=build_collator(batching, tokenizer),
        processing_class=tokenizer,
        callbacks=[throughput] + ([TimeBudgetCallback(config.max_train_minutes)] if config.max_train_minutes else []),
        supervised_logits_only=config.supervised_logits_only,
        batch_trace=config.run_dir / f"batches-rank{int(os.environ.get('RANK', 0))}.jsonl"
        if config.trace_batches
        else None,
    )
    throughput.trainer = trainer
    result = trainer.train(resume_from_checkpoint=str(resume_from) if resume_from else None)

    val_loss = trainer.evaluate()["eval_loss"] if trainer.eval_dataset is not None else None
    adapter_dir = config.run_dir / "adapter"
    if trainer.is_world_process_zero():
        _save_adapter_atomically(trainer, tokenizer, adapter_dir, config)
    seconds = time.perf_counter() - started
    summary = TrainSummary(
        run_dir=str(config.run_dir),
        adapter_dir=str(adapter_dir),
        steps=trainer.state.global_step,
        train_examples=len(train_split.examples),
        dropped_too_long=train_split.dropped_too_long,
        real_tokens=trainer.real_tokens,
        seconds=round(seconds, 1),
        real_tokens_per_second=round(trainer.real_tokens / max(result.metrics.get("train_runtime", seconds), 1e-9), 1),
        peak_memory_mb=round(peak_memory_mb(), 1),
        train_loss=result.metrics.get("train_loss"),
        val_loss=val_loss,
        best_checkpoint=trainer.state.best_model_checkpoint,
    )
    if trainer.is_world_process_zero():
        (config.run_dir / "summary.json").write_text(json.dumps(asdict(summary), indent=2), encoding="utf-8")
    # Every rank waits for rank 0's files, then the process group is torn down explicitly: a gloo group left to
    # the interpreter's exit can abort a rank ("terminate called without an active exception", SIGABRT).
    trainer.accelerator.wait_for_everyone()
    trainer.accelerator.end_training()
    return summary


def main() -> None:
    """Entry point for ``python -m ml.training.train`` / ``accelerate launch -m ml.training.train``."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, default=None)
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument("--resume", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    summary = train(load_config(args.config, args.overrides), resume=args.resume)
    print(json.dumps(asdict(summary)))


if __name__ == "__main__":
    main()
