"""Causal attention in bf16 matmuls for CPU training (``ml.training.cpu_attention``): the same attention as SDPA
within bf16's precision, SDPA itself wherever it does not apply, and what ``griller train`` uses for
``bf16_native`` with one example per pass."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch
from transformers.integrations.sdpa_attention import sdpa_attention_forward

from ml.training import cpu_attention
from ml.training.config import load_config
from ml.training.train import load_model_for_training, train


def _relative(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a.detach().float() - b.detach().float()).norm() / b.detach().float().norm())


@pytest.mark.parametrize("tokens", [1, 5, cpu_attention.BLOCK, cpu_attention.BLOCK + 1, 300])
def test_the_blocked_attention_is_causal_attention_forward_and_backward(tokens: int) -> None:
    torch.manual_seed(0)
    heads, dim = 3, 16
    inputs = [torch.randn(heads, tokens, dim) for _ in range(3)]
    exact = [x.clone().requires_grad_() for x in inputs]
    reference = torch.nn.functional.scaled_dot_product_attention(*(x[None] for x in exact), is_causal=True)[0]
    grad = torch.randn(heads, tokens, dim)
    reference.backward(grad)
    blocked = [x.bfloat16().requires_grad_() for x in inputs]
    out = cpu_attention.BlockedCausalAttention.apply(*blocked, 1 / math.sqrt(dim))
    out.backward(grad.bfloat16())
    assert out.dtype == torch.bfloat16 and out.shape == reference.shape
    assert _relative(out, reference) < 0.02  # bf16 keeps 8 bits of mantissa: about 0.4% per value
    for mine, theirs in zip(blocked, exact, strict=True):
        assert mine.grad.dtype == torch.bfloat16  # one token: the query's gradient is 0 up to rounding
        torch.testing.assert_close(mine.grad.float(), theirs.grad, rtol=0.05, atol=0.05)


def test_an_argument_it_does_not_apply_goes_to_sdpa_which_says_so() -> None:
    bf16 = [torch.randn(1, 2, 40, 8, dtype=torch.bfloat16) for _ in range(3)]
    with pytest.raises(ValueError, match="softcap"):  # Gemma 2's logit softcap: SDPA's own refusal
        cpu_attention.attention_forward(Attention(), *bf16, None, softcap=50.0)


def test_grouped_keys_get_the_gradients_of_all_their_queries() -> None:
    """Two query heads share each key head (as SmolLM2's 9 share 3): their gradients sum onto it."""
    torch.manual_seed(1)
    module = Attention().train()
    query, key, value = torch.randn(1, 4, 150, 16), torch.randn(1, 2, 150, 16), torch.randn(1, 2, 150, 16)
    exact = [x.clone().requires_grad_() for x in (query, key, value)]
    reference = torch.nn.functional.scaled_dot_product_attention(*exact, is_causal=True, enable_gqa=True)
    grad = torch.randn_like(reference)
    reference.backward(grad)
    blocked = [x.bfloat16().requires_grad_() for x in (query, key, value)]
    out, _ = cpu_attention.attention_forward(module, *blocked, None)
    out.backward(grad.transpose(1, 2).bfloat16())
    assert _relative(out.transpose(1, 2), reference) < 0.02
    for mine, theirs in zip(blocked, exact, strict=True):
        torch.testing.assert_close(mine.grad.float(), theirs.grad, rtol=0.05, atol=0.05)


class Attention(torch.nn.Module):
    num_key_value_groups = 2
    is_causal = True


def test_the_interface_blocks_a_bf16_sequence_and_leaves_anything_else_to_sdpa(monkeypatch) -> None:
    module = Attention().train()
    query, key, value = torch.randn(1, 4, 40, 8), torch.randn(1, 2, 40, 8), torch.randn(1, 2, 40, 8)
    assert cpu_attention.kernels_ready()  # compiled here (its warm-up runs the attention too)
    calls = []
    original = cpu_attention.BlockedCausalAttention.apply
    monkeypatch.setattr(cpu_attention.BlockedCausalAttention, "apply", lambda *a: calls.append(1) or original(*a))

    bf16 = [x.bfloat16() for x in (query, key, value)]
    out, weights = cpu_attention.attention_forward(module, *bf16, None, scaling=0.3)
    expected, _ = sdpa_attention_forward(module, *bf16, None, scaling=0.3)
    assert calls == [1] and weights is None and out.shape == expected.shape == (1, 40, 4, 8)
    assert _relative(out, expected) < 0.02

    mask = torch.ones(1, 1, 40, 40, dtype=torch.bool).tril()
    for args, kwargs in [
        ((query, key, value, None), {}),  # fp32
        ((*bf16, mask), {}),  # a padding or packing mask
        ((*(x.expand(2, -1, -1, -1) for x in bf16), None), {}),  # a batch
        ((*bf16, None), {"dropout": 0.1}),  # attention dropout while training
        ((bf16[0], bf16[1], bf16[2][..., :4], None), {"position_bias": None}),  # values narrower than queries
    ]:
        out, _ = cpu_attention.attention_forward(module, *args, scaling=0.3, **kwargs)
        assert calls == [1], f"blocked: {kwargs or args[0].dtype}"
        if not kwargs or "position_bias" in kwargs:  # (dropout draws its own mask)
            assert torch.equal(out, sdpa_attention_forward(module, *args, scaling=0.3)[0])


def test_without_compiled_kernels_a_model_keeps_sdpa(tiny_overrides: list[str], monkeypatch) -> None:
    monkeypatch.setattr(cpu_attention, "kernels_ready", lambda: False)
    config = load_config(None, [*tiny_overrides, "precision=bf16_native", "batching=per_example"])
    model, _ = load_model_for_training(config, "bf16_native", "per_example")
    assert model.base_model.model.config._attn_implementation == "sdpa"


def test_griller_train_uses_it_for_bf16_native_and_saves_no_trace_of_it(tiny_overrides: list[str], monkeypatch) -> None:
    config = load_config(None, [*tiny_overrides, "precision=bf16_native", "batching=per_example"])
    model, _ = load_model_for_training(config, "bf16_native", "per_example")
    assert model.base_model.model.config._attn_implementation == cpu_attention.ATTENTION
    fp32, _ = load_model_for_training(load_config(None, [*tiny_overrides, "precision=fp32"]), "fp32", "per_example")
    assert fp32.base_model.model.config._attn_implementation != cpu_attention.ATTENTION

    calls = []
    original = cpu_attention.BlockedCausalAttention.apply
    monkeypatch.setattr(cpu_attention.BlockedCausalAttention, "apply", lambda *a: calls.append(1) or original(*a))
    summary = train(load_config(None, [*tiny_overrides, "precision=bf16_native", "max_steps=1", "save_steps=1"]))
    assert calls  # every layer of every pass, forward
    saved = [path for path in Path(summary.run_dir).rglob("*") if path.is_file() and path.suffix in (".json", ".yaml")]
    assert saved and not [path for path in saved if cpu_attention.ATTENTION in path.read_text(errors="ignore")]
