"""The CUDA paths: bf16 LoRA, QLoRA (4-bit, bitsandbytes), padded batches and the engine on the GPU.

Marked ``cuda`` and deselected by default (``pyproject.toml``); on a machine with an NVIDIA GPU and
bitsandbytes run them with ``python -m pytest -m cuda``. They fail, rather than skip, without one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from ml.inference.engine import Engine
from ml.training.config import load_config
from ml.training.train import resolve_batching, resolve_precision, train

pytestmark = pytest.mark.cuda


def _first_logged_loss(run_dir: Path) -> float:
    lines = [json.loads(line) for line in (run_dir / "train_log.jsonl").read_text().splitlines()]
    return next(line["loss"] for line in lines if "loss" in line)


def _parses_on(engine: Engine, device: str) -> None:
    assert engine.model.device.type == device
    generation = engine.generate("parse_resume", "Parse this resume:\nAna Silva, nurse, Lisbon", 48)
    assert generation.completion_tokens > 0
    if generation.finished:
        json.loads(generation.text)  # constrained decoding on this device gives valid JSON


def test_auto_settings_on_cuda_are_bf16_and_length_grouped_padding(tiny_overrides: list[str]) -> None:
    config = load_config(None, [*tiny_overrides, "precision=auto", "batching=auto"])
    assert torch.cuda.is_available()
    assert resolve_precision(config) == "bf16"
    assert resolve_batching(config) in {"packed", "padded"}


def test_bf16_lora_learns_on_cuda_and_its_adapter_serves_there(tiny_overrides: list[str]) -> None:
    overrides = ["precision=auto", "batching=auto", "max_steps=12", "save_steps=12", "eval_steps=12"]
    summary = train(load_config(None, [*tiny_overrides, *overrides]))
    assert summary.val_loss is not None and summary.val_loss < _first_logged_loss(Path(summary.run_dir))
    assert summary.peak_memory_mb > 0 and Path(summary.adapter_dir, "adapter_model.safetensors").is_file()
    _parses_on(Engine.load(summary.adapter_dir), "cuda")


@pytest.mark.parametrize("bits", ["4bit", "8bit"])
def test_qlora_learns_and_its_adapter_loads_on_a_full_precision_base(
    tiny_overrides: list[str], bits: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    overrides = [f"quantization={bits}", "precision=auto", "max_steps=12", "save_steps=12", "eval_steps=12"]
    summary = train(load_config(None, [*tiny_overrides, *overrides, f"run_name=q{bits}"]))
    run_dir = Path(summary.run_dir)
    assert summary.val_loss is not None and summary.val_loss < _first_logged_loss(run_dir)
    saved = json.loads((run_dir / "adapter" / "adapter_config.json").read_text())
    assert saved["base_model_name_or_path"] == load_config(None, tiny_overrides).base_model
    monkeypatch.setenv("GRILLER_DEVICE", "cpu")  # the adapter of a quantized run serves on an unquantized base
    _parses_on(Engine.load(summary.adapter_dir), "cpu")
