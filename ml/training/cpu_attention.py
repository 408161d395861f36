"""Causal self-attention for training in bf16 on CPU: bf16 matmuls, the softmax's elementwise work fused by
``torch.compile``.

PyTorch's CPU flash attention computes in fp32 whatever its inputs (about 90 GFLOP/s on an AVX-512 BF16 host, a
tenth of what bf16 matmuls reach there), and attention was a third of a ``bf16_native`` training step
(``bench/NOTES.md``, "The LoRA path in bf16"). Here each block of :data:`BLOCK` queries is multiplied with the keys
up to its end (causal: later keys are never computed) in bf16, the mask and softmax run in fp32 on that block only,
and the backward recomputes them from the saved inputs as flash attention does (nothing of size T x T is kept).
The elementwise passes over a block (cast, mask, softmax, the backward's ``p * (dp - delta)``, casts back) bound
the speed in eager PyTorch (slower than SDPA); compiled into one kernel each they do not (``bench/NOTES.md``,
"Attention on bf16 GEMMs").

It is registered with transformers as :data:`ATTENTION` and used by ``griller train`` for ``bf16_native`` on CPU
with one example per pass; anything else (a padding or packing mask, fp32, a batch, decoding, dropout) goes to
SDPA unchanged, as does everything when ``torch.compile`` cannot build its kernels here.
"""

from __future__ import annotations

import logging
from functools import lru_cache

import torch
from transformers import AttentionInterface
from transformers.integrations.sdpa_attention import repeat_kv, sdpa_attention_forward
from transformers.masking_utils import ALL_MASK_ATTENTION_FUNCTIONS, sdpa_mask

log = logging.getLogger(__name__)

ATTENTION = "griller_cpu_bf16"
UNSUPPORTED = ("softcap", "s_aux", "position_bias", "sliding_window")
"""Attention arguments some models pass that this attention does not apply: such a call goes to SDPA."""
BLOCK = 128
"""Queries per block: the fp32 scores of a block (heads x 128 x keys) stay small enough for the cache, and the
compiled kernels measured fastest at 128 for sequences of 512-1,024 tokens (256 at 2,048)."""


def _probabilities(scores: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    return torch.softmax(scores.float() + bias, dim=-1)


def _forward_block(scores: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    return _probabilities(scores, bias).to(torch.bfloat16)


def _backward_block(
    scores: torch.Tensor, bias: torch.Tensor, dprobs: torch.Tensor, delta: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    probs = _probabilities(scores, bias)
    return probs.to(torch.bfloat16), (probs * (dprobs.float() - delta[..., None])).to(torch.bfloat16)


@lru_cache(maxsize=1)
def _compiled():
    """The two block kernels compiled with dynamic shapes (the key length grows block by block)."""
    return torch.compile(_forward_block, dynamic=True), torch.compile(_backward_block, dynamic=True)


@lru_cache(maxsize=1)
def kernels_ready() -> bool:
    """Whether the kernels compile here, found by running the attention forward and backward on 2 x BLOCK + 1 tokens
    (whole blocks and a one-row last one, which compiles on its own), so a training run never meets a first compile
    later; ``False`` (logged) where they do not (no C++ compiler): then SDPA, which beats the uncompiled kernels."""
    try:
        query, key, value = (torch.randn(2, 2 * BLOCK + 1, 8, dtype=torch.bfloat16, requires_grad=True) for _ in "qkv")
        BlockedCausalAttention.apply(query, key, value, 0.35).float().sum().backward()
    except Exception as error:  # any compile failure: inductor raises many kinds
        log.warning("training attention: torch.compile cannot build its kernels here (%s); using SDPA", error)
        return False
    return True


def _causal_bias(rows: int, keys: int, start: int) -> torch.Tensor:
    """0 where query ``start + i`` may see key ``j`` (``j <= start + i``), -inf elsewhere."""
    bias = torch.zeros(rows, keys)
    bias[:, start:] = torch.full((rows, keys - start), float("-inf")).triu_(1)
    return bias


class BlockedCausalAttention(torch.autograd.Function):
    """softmax(q kᵀ · scale + causal mask) v for one sequence: ``q``, ``k``, ``v`` are bf16 (heads, tokens, dim)."""

    @staticmethod
    def forward(ctx, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor, scale: float) -> torch.Tensor:
        forward_block, _ = _compiled()
        with torch.autocast("cpu", enabled=False):
            scaled = query * scale
            out = torch.empty_like(query)
            tokens = query.shape[1]
            for start in range(0, tokens, BLOCK):
                end = min(tokens, start + BLOCK)
                scores = torch.matmul(scaled[:, start:end], key[:, :end].transpose(1, 2))
                probs = forward_block(scores, _causal_bias(end - start, end, start))
                out[:, start:end] = torch.matmul(probs, value[:, :end])
        ctx.save_for_backward(query, key, value, out)
        ctx.scale = scale
        return out

    @staticmethod
    def backward(ctx, grad_out: torch.Tensor):
        _, backward_block = _compiled()
        query, key, value, out = ctx.saved_tensors
        with torch.autocast("cpu", enabled=False):
            grad_out = grad_out.to(torch.bfloat16)
            scaled = query * ctx.scale
            delta = (grad_out.float() * out.float()).sum(-1)  # rowsum(dO * O) = rowsum(P * dP)
            grad_query = torch.empty_like(query)
            grad_key = torch.zeros(key.shape, dtype=torch.float32)
            grad_value = torch.zeros(value.shape, dtype=torch.float32)
            tokens = query.shape[1]
            for start in range(0, tokens, BLOCK):
                end = min(tokens, start + BLOCK)
                scores = torch.matmul(scaled[:, start:end], key[:, :end].transpose(1, 2))
                block_grad = grad_out[:, start:end]
                dprobs = torch.matmul(block_grad, value[:, :end].transpose(1, 2))
                probs, dscores = backward_block(
                    scores, _causal_bias(end - start, end, start), dprobs, delta[:, start:end]
                )
                grad_value[:, :end] += torch.matmul(probs.transpose(1, 2), block_grad)
                grad_query[:, start:end] = torch.matmul(dscores, key[:, :end]) * ctx.scale
                grad_key[:, :end] += torch.matmul(dscores.transpose(1, 2), scaled[:, start:end])
        return grad_query, grad_key.to(key.dtype), grad_value.to(value.dtype), None


def attention_forward(
    module: torch.nn.Module,
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    attention_mask: torch.Tensor | None,
    dropout: float = 0.0,
    scaling: float | None = None,
    is_causal: bool | None = None,
    **kwargs,
) -> tuple[torch.Tensor, None]:
    """transformers' attention interface: (batch, heads, tokens, dim) in, (batch, tokens, heads, dim) out."""
    blocked = (
        query.device.type == "cpu"
        and query.dtype == key.dtype == value.dtype == torch.bfloat16
        and query.shape[0] == 1
        and attention_mask is None
        and query.shape[2] == key.shape[2] > 1
        and query.shape[3] == value.shape[3]
        and not (dropout and module.training)
        and is_causal is not False
        and getattr(module, "is_causal", True)
        and not kwargs.get("output_attentions")
        and all(kwargs.get(name) is None for name in UNSUPPORTED)
        and kernels_ready()
    )
    if not blocked:
        return sdpa_attention_forward(
            module, query, key, value, attention_mask, dropout=dropout, scaling=scaling, is_causal=is_causal, **kwargs
        )
    groups = getattr(module, "num_key_value_groups", 1)
    key, value = repeat_kv(key, groups), repeat_kv(value, groups)
    scale = scaling if scaling is not None else query.shape[-1] ** -0.5
    out = BlockedCausalAttention.apply(query[0], key[0], value[0], scale)
    return out.transpose(0, 1).unsqueeze(0).contiguous(), None


def use_blocked_attention(model: torch.nn.Module) -> bool:
    """Switch a transformers model that runs SDPA to :data:`ATTENTION` (masks made as for SDPA); ``False`` when it
    runs another attention (a model that does not support SDPA) or the kernels cannot be compiled here, the model
    then keeping its own."""
    if model.config._attn_implementation != "sdpa" or not kernels_ready():
        return False
    AttentionInterface.register(ATTENTION, attention_forward)
    ALL_MASK_ATTENTION_FUNCTIONS.register(ATTENTION, sdpa_mask)
    model.set_attn_implementation(ATTENTION)
    return True
