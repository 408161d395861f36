"""The head's loss a chunk at a time (``ml/training/head_loss.py``) is the plain cross-entropy, value and gradients."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import torch
from torch import nn

from ml.training import head_loss
from ml.training.config import load_config
from ml.training.head_loss import HeadCrossEntropy, fused_head, head_loss_sum
from ml.training.train import GrillerTrainer, load_model_for_training

CONFIG = Path("ml/configs/training_config.yaml")


@pytest.mark.parametrize(("dtype", "tolerance"), [(torch.float32, 1e-5), (torch.bfloat16, 0.02)])
def test_the_chunked_loss_and_its_gradient_are_the_plain_ones(
    monkeypatch: pytest.MonkeyPatch, dtype: torch.dtype, tolerance: float
) -> None:
    monkeypatch.setattr(head_loss, "CHUNK", 4)  # 10 rows: two whole chunks and a short one
    torch.manual_seed(0)
    weight = (torch.randn(50, 8) * 0.5).to(dtype)
    hidden = torch.randn(10, 8, dtype=dtype, requires_grad=True)
    targets = torch.randint(0, 50, (10,))
    plain = nn.functional.cross_entropy(nn.functional.linear(hidden, weight).float(), targets, reduction="sum")
    (plain_grad,) = torch.autograd.grad(plain * 0.3, hidden)
    chunked = HeadCrossEntropy.apply(hidden, weight, targets)
    (chunked_grad,) = torch.autograd.grad(chunked * 0.3, hidden)
    assert torch.allclose(chunked, plain, rtol=1e-5)
    assert chunked_grad.dtype == dtype
    assert ((chunked_grad - plain_grad).float().norm() / plain_grad.float().norm()) < tolerance


def _model(tiny_model_dir: Path, precision: str = "fp32"):
    config = load_config(CONFIG, [f"base_model={tiny_model_dir}", "lora.dropout=0.0"])
    torch.manual_seed(0)
    model, _ = load_model_for_training(config, precision, "per_example")
    for name, param in model.named_parameters():  # LoRA B starts at zero: give the path something to carry
        if "lora_B" in name:
            nn.init.normal_(param, std=0.02)
    return model.train()


@pytest.mark.parametrize(("precision", "mixed", "tolerance"), [("fp32", "no", 1e-4), ("bf16_native", "bf16", 0.03)])
def test_the_trainer_s_loss_and_lora_gradients_are_the_plain_path_s(
    tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch, precision: str, mixed: str, tolerance: float
) -> None:
    """Through ``GrillerTrainer.compute_loss`` as training runs it (one packed row, 300 supervised positions: two
    chunks), under the autocast accelerate wraps around the model (bf16 for ``bf16_native``)."""
    monkeypatch.setattr(head_loss, "CHUNK", 256)
    model = _model(tiny_model_dir, precision)
    ids = torch.randint(0, 200, (1, 320))
    labels = ids.clone()
    labels[0, :20] = -100  # the prompt
    trainer = GrillerTrainer.__new__(GrillerTrainer)  # compute_loss needs none of the Trainer's state here
    trainer.supervised_logits_only, trainer.batch_trace, trainer.real_tokens = True, None, 0
    # accelerate's autocast as the Trainer sets it up (its state is a process-wide singleton: a stand-in here)
    autocast = torch.bfloat16 if mixed == "bf16" else None
    trainer.accelerator = SimpleNamespace(autocast=lambda: torch.autocast("cpu", autocast, enabled=bool(autocast)))
    calls: list[int] = []
    original = HeadCrossEntropy.apply
    monkeypatch.setattr(HeadCrossEntropy, "apply", lambda *args: calls.append(1) or original(*args))

    def loss_and_grads() -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        model.zero_grad()
        loss = trainer.compute_loss(model, {"input_ids": ids, "labels": labels})
        loss.backward()
        return loss.detach(), {n: p.grad.clone() for n, p in model.named_parameters() if p.requires_grad}

    fused_loss, fused_grads = loss_and_grads()
    assert calls == [1]  # the chunked head ran
    trainer.supervised_logits_only = False  # the whole-logits path of transformers
    plain_loss, plain_grads = loss_and_grads()
    assert calls == [1]
    assert torch.allclose(fused_loss, plain_loss, rtol=tolerance / 10)
    for name, grad in plain_grads.items():
        assert (fused_grads[name] - grad).norm() <= tolerance * grad.norm() + 1e-9, name


def test_a_head_the_chunks_cannot_compute_goes_the_plain_way(tiny_model_dir: Path) -> None:
    model = _model(tiny_model_dir)
    head = model.get_base_model().get_output_embeddings()
    assert fused_head(model)[1] is head.weight
    with torch.autocast("cpu", dtype=torch.bfloat16):  # fp32 head under bf16 autocast: autocast's casts apply
        assert fused_head(model) is None
    model.get_base_model().config.model_type = "granite"  # its logits are scaled: not one of the plain heads
    assert fused_head(model) is None
    model.get_base_model().config.model_type = "llama"
    head.weight.requires_grad_(True)  # a trained head needs its own gradient
    assert fused_head(model) is None


def test_the_loss_through_the_decoder_equals_the_model_s_own(tiny_model_dir: Path) -> None:
    model = _model(tiny_model_dir).eval()
    ids = torch.randint(0, 200, (1, 30))
    positions = torch.arange(10, 29)
    with torch.no_grad():
        logits = model(input_ids=ids).logits[0, positions]
        expected = nn.functional.cross_entropy(logits, ids[0, positions + 1], reduction="sum")
        assert torch.allclose(head_loss_sum(model, {"input_ids": ids}, positions, ids[0, positions + 1]), expected)
