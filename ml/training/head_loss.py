"""The LM head's cross-entropy on supervised positions, its gradient computed in the forward pass, a chunk at a time.

``F.cross_entropy(lm_head(hidden).float(), targets)`` keeps every supervised position's logits (1,100 positions x
49,152 words is 216 MB in fp32) and makes about ten passes over them on CPU: the cast up, log-softmax, the loss, a
zeroed gradient, the scatter, log-softmax's backward, the cast down. Those passes cost as much as the head's two
GEMMs (``bench/NOTES.md``, "The head's loss in one pass"). The head is frozen (LoRA never trains it here), so the
only gradient the step needs from it is the hidden states': for :data:`CHUNK` positions at a time this computes the
logits (the head's GEMM in its own dtype, as the model would), the loss and softmax's gradient in one compiled
pass, and the hidden states' gradient by the second GEMM; only that gradient (positions x hidden) is kept for
backward. The arithmetic is the plain path's (bf16 logits cast to fp32, the logits' gradient rounded to the head's
dtype before its GEMM) but for two things: the sums run in another order, and the loss's scale (1 / supervised
tokens) multiplies the hidden states' gradient after that rounding, not the logits' before it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache

import torch
from torch import nn
from torch.autograd.function import once_differentiable

log = logging.getLogger(__name__)

CHUNK = 256
"""Positions per chunk: the compiled pass measured fastest at 256 on a 2-core host (64: 585 ms, 128: 481, 256: 435
for 1,109 positions, against 682 for the plain path); a chunk's logits (25 MB in bf16) are all that exists at once.
"""
PLAIN_HEADS = frozenset({"llama", "mistral", "qwen2", "qwen3", "phi3"})
"""Model types whose logits are ``hidden Wᵀ`` and nothing more (SmolLM2 is a Llama). Others scale or cap them
(Gemma 2's soft cap, Cohere's logit scale, Granite's ``logits_scaling``, Falcon-H1's multiplier) and take the plain
path."""


def _loss_and_grad(logits: torch.Tensor, targets: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Summed cross-entropy of ``logits`` (rows x vocab) and its gradient with respect to them, in their dtype."""
    scores = logits.float()
    log_total = torch.logsumexp(scores, dim=-1)
    loss = (log_total - scores.gather(1, targets[:, None]).squeeze(1)).sum()
    probs = torch.exp(scores - log_total[:, None])
    is_target = torch.arange(scores.shape[-1], device=scores.device) == targets[:, None]
    return loss, torch.where(is_target, probs - 1, probs).to(logits.dtype)


@cache
def _kernel(dtype: torch.dtype) -> Callable[[torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor]]:
    """:func:`_loss_and_grad` compiled for logits of ``dtype``, tried once on a small input; the eager function where
    inductor cannot build here (no C++ compiler), which still beats the plain path by a quarter (``bench/NOTES.md``)."""
    compiled = torch.compile(_loss_and_grad, dynamic=True)
    try:
        # no random input: a draw from torch's generator here would shift a resumed run's dropout masks
        compiled(torch.linspace(-1, 1, 33, dtype=dtype).view(3, 11), torch.tensor([0, 5, 10]))
    except Exception as error:  # any compile failure: inductor raises many kinds
        log.warning("training loss: torch.compile cannot build its kernel here (%s); running it eagerly", error)
        return _loss_and_grad
    return compiled


class HeadCrossEntropy(torch.autograd.Function):
    """``sum_i cross_entropy(hidden_i Wᵀ, target_i)`` for a frozen head ``W`` without a bias."""

    @staticmethod
    def forward(ctx, hidden: torch.Tensor, weight: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        loss = torch.zeros((), dtype=torch.float32, device=hidden.device)
        wanted = ctx.needs_input_grad[0]
        grad_hidden = torch.empty_like(hidden) if wanted else None
        for start in range(0, hidden.shape[0], CHUNK):
            rows = slice(start, start + CHUNK)
            logits = nn.functional.linear(hidden[rows], weight)
            chunk_loss, grad_logits = _kernel(logits.dtype)(logits, targets[rows])
            loss += chunk_loss
            if grad_hidden is not None:
                grad_hidden[rows] = grad_logits @ weight
        ctx.save_for_backward(grad_hidden if wanted else None)
        return loss

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_loss: torch.Tensor):
        (grad_hidden,) = ctx.saved_tensors
        return (grad_hidden.float() * grad_loss).to(grad_hidden.dtype), None, None


def fused_head(model: nn.Module) -> tuple[nn.Module, torch.Tensor] | None:
    """The decoder and the head weight of a causal LM (PEFT-wrapped or not, one of :data:`PLAIN_HEADS`) whose logits
    are ``hidden Wᵀ``, with a frozen ``W`` on CPU; None for any other model or head (a bias, a trained head) or under
    an autocast to another dtype than the head's, where the plain path must run."""
    causal_lm = model.get_base_model() if hasattr(model, "get_base_model") else model
    decoder = getattr(causal_lm, getattr(causal_lm, "base_model_prefix", ""), None)
    head = causal_lm.get_output_embeddings() if hasattr(causal_lm, "get_output_embeddings") else None
    config = getattr(causal_lm, "config", None)
    if decoder is None or type(head) is not nn.Linear or head.bias is not None or head.weight.requires_grad:
        return None
    if head.weight.device.type != "cpu":  # measured on CPU only; CUDA's fused kernels are another question
        return None
    if getattr(config, "model_type", None) not in PLAIN_HEADS:
        return None
    if torch.is_autocast_enabled("cpu") and torch.get_autocast_dtype("cpu") != head.weight.dtype:
        return None
    return decoder, head.weight


def head_loss_sum(model: nn.Module, inputs: dict, positions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """The summed cross-entropy at ``positions`` of one packed row, through :class:`HeadCrossEntropy`; the caller
    checked :func:`fused_head`."""
    decoder, weight = fused_head(model)
    hidden = decoder(**inputs).last_hidden_state[0, positions]
    return HeadCrossEntropy.apply(hidden, weight, targets)
