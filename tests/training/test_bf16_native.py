"""``precision: bf16_native``: the frozen base held in bf16 from the load on, the LoRA and its optimizer in fp32.

bf16 arithmetic runs on every CPU (slowly without AVX-512 BF16 or AMX), so these run anywhere; whether the path
is *faster* is a measurement for a bf16 host (``bench/train_levers.py --levers fp32,bf16_autocast,bf16_native``).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import torch
from peft.tuners.lora.layer import Linear as LoraLinear
from safetensors.torch import load_file
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_leaves

from ml.inference.engine import Engine
from ml.training import train as train_module
from ml.training.config import load_config
from ml.training.train import train

MATMULS = {torch.ops.aten.mm.default, torch.ops.aten.addmm.default, torch.ops.aten.bmm.default}


class BaseWeightCasts(TorchDispatchMode):
    """Counts, per op, the ops that read a base weight and produce a tensor of another dtype (a cast of it), and
    the matmuls that run in fp32."""

    def __init__(self, pointers: set[int]) -> None:
        super().__init__()
        self.pointers = pointers
        self.casts: Counter[str] = Counter()
        self.fp32_matmuls = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        tensors = [a for a in tree_leaves(args) if isinstance(a, torch.Tensor)]
        reads = {a.dtype for a in tensors if a.data_ptr() in self.pointers}
        if reads and any(o.dtype not in reads for o in tree_leaves(out) if isinstance(o, torch.Tensor)):
            self.casts[str(func)] += 1
        if func in MATMULS and any(a.dtype == torch.float32 for a in tensors):
            self.fp32_matmuls += 1
        return out


def _frozen(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {name: param for name, param in model.named_parameters() if not param.requires_grad}


@pytest.mark.parametrize(("precision", "base_dtype"), [("bf16_native", torch.bfloat16), ("bf16", torch.float32)])
def test_bf16_native_holds_the_base_in_bf16_and_never_casts_it_again(
    tiny_overrides: list[str], monkeypatch: pytest.MonkeyPatch, precision: str, base_dtype: torch.dtype
) -> None:
    """Every training step runs under a dispatch mode that sees each cast of a base weight. bf16 autocast (the
    control: fp32 weights) casts them at every matmul; bf16_native never does, its LoRA weights and optimizer
    state stay fp32, and every matmul, the LoRA path's included, runs in bf16."""
    steps: list[dict[str, Any]] = []
    original = train_module.GrillerTrainer.training_step
    lora_inputs: set[torch.dtype] = set()

    def watched_step(self, model, *args, **kwargs):
        frozen = _frozen(self.model)
        pointers = {param.data_ptr() for param in frozen.values()}
        lora_layers = [module for module in self.model.modules() if isinstance(module, LoraLinear)]
        hooks = [m.register_forward_pre_hook(lambda _, inputs: lora_inputs.add(inputs[0].dtype)) for m in lora_layers]
        with BaseWeightCasts(pointers) as mode:
            loss = original(self, model, *args, **kwargs)
        for hook in hooks:
            hook.remove()
        steps.append(
            {
                "trainer": self,
                "casts": sum(mode.casts.values()),
                "fp32_matmuls": mode.fp32_matmuls,
                "pointers": pointers,
                "frozen": {param.dtype for param in frozen.values()},
                "trainable": {p.dtype for p in self.model.parameters() if p.requires_grad},
            }
        )
        return loss

    monkeypatch.setattr(train_module.GrillerTrainer, "training_step", watched_step)
    overrides = [f"precision={precision}", "data.val=null", "max_steps=2", "save_steps=2"]
    overrides.append("lora.target_modules=all-linear")
    summary = train(load_config(None, [*tiny_overrides, *overrides]))

    assert summary.steps == 2 and len(steps) == 8  # 2 optimizer steps x 4 examples, one per forward pass
    assert all(step["frozen"] == {base_dtype} and step["trainable"] == {torch.float32} for step in steps)
    assert len({frozenset(step["pointers"]) for step in steps}) == 1  # the same base tensors throughout
    if precision == "bf16_native":
        assert [step["casts"] for step in steps] == [0] * 8
        # the LoRA path too runs in bf16 (from its fp32 weights), forward and backward: no fp32 matmul at all
        assert [step["fp32_matmuls"] for step in steps] == [0] * 8
        # and its activations stay bf16 (PEFT's own layer would copy each LoRA input to fp32)
        assert lora_inputs == {torch.bfloat16}
    else:
        assert all(step["casts"] > 0 for step in steps)  # the counter sees autocast's per-matmul casts
    optimizer_state = steps[-1]["trainer"].optimizer.state
    moments = [t for state in optimizer_state.values() for t in state.values() if torch.is_tensor(t) and t.ndim]
    assert moments and {t.dtype for t in moments} == {torch.float32}
    saved = load_file(Path(summary.adapter_dir) / "adapter_model.safetensors")
    assert saved and {t.dtype for t in saved.values()} == {torch.float32}


@pytest.fixture(scope="module")
def sharp_model_dir(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny Llama with weights of std 0.2: the fixture's std 0.02 head (tied, frozen) bounds its logits so
    tightly that a LoRA can barely lower the loss (6.24 -> 6.18 in 30 steps); this one goes from 6.9 to 3.4."""
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    from tests.tiny_model import build_sharp_model

    tokenizer = AutoTokenizer.from_pretrained(tiny_model_dir)
    ids = {"bos_token_id": tokenizer.bos_token_id, "pad_token_id": tokenizer.pad_token_id}
    model = build_sharp_model(LlamaForCausalLM, LlamaConfig, tokenizer, tie_word_embeddings=True, **ids)
    directory = tmp_path_factory.mktemp("sharp-llama")
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


def _losses(run_dir: Path) -> list[float]:
    lines = (run_dir / "train_log.jsonl").read_text().splitlines()
    return [row["loss"] for row in map(json.loads, lines) if "loss" in row]


def test_bf16_native_learns_as_fp32_does_and_its_adapter_loads_in_the_engine(
    tiny_overrides: list[str], sharp_model_dir: Path
) -> None:
    """Same seed, same examples, 30 optimizer steps: the loss curve stays within 3% of fp32's (measured: 0.3%).
    At a learning rate 3x as high the runs are less stable and the windows drift apart by up to 2.6%."""
    recipe = [
        f"base_model={sharp_model_dir}",
        "data.val=null",
        "max_steps=30",
        "save_steps=30",
        "logging_steps=1",
        "per_device_train_batch_size=1",
        "gradient_accumulation_steps=1",
        "learning_rate=1e-2",
        "lora.target_modules=all-linear",
        "torch_threads=1",
    ]
    runs = {}
    for precision in ("fp32", "bf16_native"):
        config = load_config(None, [*tiny_overrides, *recipe, f"precision={precision}", f"run_name={precision}"])
        runs[precision] = (train(config), _losses(config.run_dir))
    (fp32, fp32_losses), (native, native_losses) = runs["fp32"], runs["bf16_native"]

    assert fp32.steps == native.steps == 30 and fp32.real_tokens == native.real_tokens
    assert len(fp32_losses) == len(native_losses) == 30
    assert sum(fp32_losses[-5:]) < 0.6 * sum(fp32_losses[:5])  # it learned, so the comparison means something
    assert fp32.train_loss is not None and native.train_loss is not None
    assert abs(native.train_loss - fp32.train_loss) <= 0.03 * fp32.train_loss
    for window in (slice(0, 10), slice(10, 20), slice(20, 30)):
        fp32_mean, native_mean = sum(fp32_losses[window]) / 10, sum(native_losses[window]) / 10
        assert abs(native_mean - fp32_mean) <= 0.03 * fp32_mean, (window, fp32_mean, native_mean)

    saved = load_file(Path(native.adapter_dir) / "adapter_model.safetensors")
    assert saved.keys() == load_file(Path(fp32.adapter_dir) / "adapter_model.safetensors").keys()
    assert {t.dtype for t in saved.values()} == {torch.float32}
    engine = Engine.load(native.adapter_dir)
    assert engine.fine_tuned and engine.generate("parse_resume", "Parse this resume:\nAna", 4).completion_tokens > 0
