"""The fused LoRA layer (``ml/training/cpu_lora.py``) computes what PEFT computes, forward and backward."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from peft import get_peft_model
from peft.tuners.lora.layer import Linear as LoraLinear

from ml.base_model import load_base_model
from ml.training import cpu_lora
from ml.training.config import load_config
from ml.training.cpu_lora import FusedLoraLinear, is_fused, use_fused_lora
from ml.training.lane_dropout import use_lane_dropout
from ml.training.lora_config import build_lora_config
from ml.training.train import load_model_for_training

CONFIG = Path("ml/configs/training_config.yaml")


def _peft_model(tiny_model_dir: Path, dtype: torch.dtype, dropout: float):
    config = load_config(CONFIG, [f"base_model={tiny_model_dir}", f"lora.dropout={dropout}"])
    torch.manual_seed(0)
    model, _ = load_base_model(str(tiny_model_dir), dtype=dtype)
    model.config.use_cache = False
    model = get_peft_model(model, build_lora_config(model, config.lora), autocast_adapter_dtype=True)
    for name, param in model.named_parameters():  # LoRA B starts at zero: give the path something to carry
        if "lora_B" in name:
            torch.nn.init.normal_(param, std=0.02)
    use_lane_dropout(model)
    return model.train()


def _loss_and_grads(model, ids: torch.Tensor, autocast: bool) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    model.zero_grad()
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
        logits = model(input_ids=ids).logits
    loss = torch.nn.functional.cross_entropy(logits[0, :-1].float(), ids[0, 1:])
    loss.backward()
    return loss.detach(), {n: p.grad.clone() for n, p in model.named_parameters() if p.requires_grad}


@pytest.mark.parametrize(
    ("dtype", "autocast", "tolerance"), [(torch.float32, False, 1e-5), (torch.bfloat16, True, 0.05)]
)
def test_without_dropout_the_fused_layers_give_peft_s_loss_and_gradients(
    tiny_model_dir: Path, dtype: torch.dtype, autocast: bool, tolerance: float
) -> None:
    ids = torch.randint(0, 200, (1, 48))
    model = _peft_model(tiny_model_dir, dtype, dropout=0.0)
    loss, grads = _loss_and_grads(model, ids, autocast)
    assert use_fused_lora(model) == sum(isinstance(m, LoraLinear) for m in model.modules()) > 0
    fused_loss, fused_grads = _loss_and_grads(model, ids, autocast)
    assert torch.allclose(fused_loss, loss, rtol=tolerance / 10)
    for name, grad in grads.items():
        error = (fused_grads[name] - grad).norm() / grad.norm()
        assert error < tolerance, f"{name}: relative error {error:.4f}"


def test_with_dropout_one_layer_matches_peft_given_the_same_mask() -> None:
    """Forward, input gradient and both LoRA gradients against PEFT's formula with the mask the layer drew."""
    torch.manual_seed(3)
    tokens, width, out, rank, scaling, keep = 37, 24, 40, 4, 2.0, 0.8
    x = torch.randn(1, tokens, width, dtype=torch.float64, requires_grad=True)
    weight = torch.randn(out, width, dtype=torch.float64)
    a = torch.randn(rank, width, dtype=torch.float64, requires_grad=True)
    b = torch.randn(out, rank, dtype=torch.float64, requires_grad=True)
    mask = torch.rand(tokens, width) > keep
    dropped = x.detach().reshape(tokens, width).masked_fill(mask, 0)
    result = FusedLoraLinear.apply(x, weight, None, a, b, scaling, dropped, mask, 1 / keep)
    grad_out = torch.randn_like(result)
    fused = torch.autograd.grad(result, (x, a, b), grad_out)
    expected = x @ weight.t() + (x.masked_fill(mask, 0) / keep @ a.t()) @ b.t() * scaling
    reference = torch.autograd.grad(expected, (x, a, b), grad_out)
    assert torch.allclose(result, expected)
    for got, want in zip(fused, reference, strict=True):
        assert torch.allclose(got, want)


def test_layers_reading_one_input_share_its_mask_and_others_draw_their_own(
    tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Per Llama block: q/k/v read one tensor, o another, gate/up a third, down a fourth: 4 masks, not 7."""
    model = _peft_model(tiny_model_dir, torch.float32, dropout=0.1)
    use_fused_lora(model)
    drawn: list[torch.Size] = []
    draw = cpu_lora.drop_mask
    monkeypatch.setattr(cpu_lora, "drop_mask", lambda shape, *a: drawn.append(shape) or draw(shape, *a))
    _loss_and_grads(model, torch.randint(0, 200, (1, 20)), autocast=False)
    assert len(drawn) == 4 * model.config.num_hidden_layers


def test_dropout_drops_and_scales_like_peft_s_dropout(tiny_model_dir: Path) -> None:
    """The fused output minus the base's is the LoRA path on a dropped input: zero where the mask drops all."""
    model = _peft_model(tiny_model_dir, torch.float32, dropout=0.5)
    use_fused_lora(model)
    layer = next(m for m in model.modules() if isinstance(m, LoraLinear))
    torch.manual_seed(5)
    x = torch.randn(1, 4000, layer.in_features)
    lora = layer(x) - layer.get_base_layer()(x)
    model.eval()
    full = layer(x) - layer.get_base_layer()(x)
    ratio = (lora * full).sum() / (full * full).sum()  # unbiased: the dropped path's projection on the full one
    assert abs(ratio.item() - 1) < 0.05
    assert not torch.allclose(lora, full)


def test_eval_mode_and_no_grad_run_peft_s_forward(tiny_model_dir: Path) -> None:
    model = _peft_model(tiny_model_dir, torch.float32, dropout=0.1)
    ids = torch.randint(0, 200, (1, 16))
    model.eval()
    with torch.no_grad():
        before = model(input_ids=ids).logits
        use_fused_lora(model)
        after = model(input_ids=ids).logits
    assert torch.equal(before, after)


def test_training_on_cpu_uses_the_fused_layers(tiny_model_dir: Path) -> None:
    config = load_config(CONFIG, [f"base_model={tiny_model_dir}"])
    model, _ = load_model_for_training(config, "fp32", "per_example")
    layers = [m for m in model.modules() if isinstance(m, LoraLinear)]
    assert layers and all(is_fused(m) for m in layers)


@pytest.mark.parametrize("reentrant", [True, False])
def test_a_checkpointed_model_gets_the_gradients_it_gets_without(tiny_model_dir: Path, reentrant: bool) -> None:
    """A reentrant checkpoint runs its forward without grad, then again with grad in backward: both must draw the
    same masks, or the gradients belong to another loss."""
    ids = torch.randint(0, 200, (1, 40))
    results = []
    for checkpointed in (False, True):
        model = _peft_model(tiny_model_dir, torch.float32, dropout=0.2)
        use_fused_lora(model)
        if checkpointed:
            model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": reentrant})
            model.enable_input_require_grads()
        torch.manual_seed(11)
        results.append(_loss_and_grads(model, ids, autocast=False))
    (loss, grads), (checkpointed_loss, checkpointed_grads) = results
    assert torch.allclose(checkpointed_loss, loss)
    for name, grad in grads.items():
        assert torch.allclose(checkpointed_grads[name], grad, atol=1e-6), name


def test_bf16_autocast_over_an_fp32_base_keeps_peft_s_layers(tiny_model_dir: Path) -> None:
    """``precision: bf16`` casts the fp32 base at each matmul to run it in bf16; the fused path would run it in fp32."""
    model = _peft_model(tiny_model_dir, torch.float32, dropout=0.0)
    ids = torch.randint(0, 200, (1, 16))
    with torch.autocast("cpu", dtype=torch.bfloat16):
        before = model(input_ids=ids).logits
        use_fused_lora(model)
        after = model(input_ids=ids).logits
    assert after.dtype == torch.bfloat16 and torch.equal(before, after)


def test_a_whole_patched_model_saves_and_loads(tiny_model_dir: Path, tmp_path: Path) -> None:
    model = _peft_model(tiny_model_dir, torch.float32, dropout=0.1)
    use_fused_lora(model)
    _loss_and_grads(model, torch.randint(0, 200, (1, 12)), autocast=False)  # leaves a mask in the shared cache
    torch.save(model, tmp_path / "model.pt")
    loaded = torch.load(tmp_path / "model.pt", weights_only=False)
    assert all(is_fused(m) for m in loaded.modules() if isinstance(m, LoraLinear))
    loss, grads = _loss_and_grads(loaded, torch.randint(0, 200, (1, 12)), autocast=False)
    assert torch.isfinite(loss) and grads
