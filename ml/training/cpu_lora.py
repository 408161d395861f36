"""A LoRA linear layer's training step as one autograd function, for CPU training.

PEFT computes ``base(x) + lora_B(lora_A(dropout(x))) * scaling`` as separate autograd nodes: a pass over the
input for dropout's scale and another for its mask, a new output tensor for ``lora_B``, another for ``* scaling``
and another for the sum, and in backward the same passes again plus the sum of the base's and the LoRA path's
input gradients. On 2 CPU cores those memory-bound passes over activations of tokens x 576 ... 1,536, seven
layers per block, cost about as much as the LoRA matmuls themselves (``bench/NOTES.md``, "A LoRA layer as one
function"). Here the LoRA product is added into the base output by the GEMM itself (``addmm_``), dropout's scale
and LoRA's scaling ride on the small ``r``-wide tensors, the mask is applied once forward and once backward, and
the input gradient of both paths is summed by the second GEMM.

The layers that read the same input (q/k/v, gate/up) also share one dropout mask, as PEFT does for a fused
``qkv_proj`` (Phi-3): each adapter still sees its inputs dropped with probability p, but the same inputs as its
neighbours' (PEFT's separate ``Dropout`` modules draw three independent masks); a mask is drawn once, not three times.

The arithmetic is LoRA's: the same products in the compute dtype of the base (bf16 under ``bf16_native``, fp32
otherwise), fp32 gradients for the fp32 LoRA weights. A layer in eval mode, merged, disabled, with several or
non-vanilla adapters (DoRA ...), quantized, with a trainable base, or under an autocast to another dtype than its
base's (``precision: bf16``) runs PEFT's own forward unchanged.
"""

from __future__ import annotations

import functools
import weakref

import torch
from peft.tuners.lora.layer import Linear as LoraLinear
from torch import nn

from ml.training.lane_dropout import LANE_LEVELS, LaneDropout, drop_mask


class FusedLoraLinear(torch.autograd.Function):
    """``x Wᵀ + b + (dropout(x) Aᵀ) (s B)ᵀ`` for a frozen ``W`` (and bias), with fp32 ``A`` and ``B``.

    ``dropped`` is ``x`` flattened to (tokens, in) in ``W``'s dtype with the dropped inputs zeroed (``mask``,
    True = dropped; None for no dropout), ``drop_scale`` the kept inputs' scale.
    """

    @staticmethod
    def forward(ctx, x, weight, bias, lora_a, lora_b, scaling: float, dropped, mask, drop_scale: float):
        with torch.autocast(x.device.type, enabled=False):
            dtype = weight.dtype
            a = lora_a.to(dtype)
            b = (lora_b * scaling).to(dtype)
            hidden = dropped @ a.t()  # (tokens, r)
            if drop_scale != 1.0:
                hidden.mul_(drop_scale)
            out = torch.nn.functional.linear(x.reshape(-1, x.shape[-1]).to(dtype), weight, bias)
            out.addmm_(hidden, b.t())
        ctx.save_for_backward(dropped, hidden, weight, a, b, mask)
        ctx.scaling, ctx.drop_scale, ctx.x_dtype = scaling, drop_scale, x.dtype
        return out.view(*x.shape[:-1], out.shape[-1])

    @staticmethod
    def backward(ctx, grad_out):
        dropped, hidden, weight, a, b, mask = ctx.saved_tensors
        with torch.autocast(grad_out.device.type, enabled=False):
            grad = grad_out.reshape(-1, grad_out.shape[-1]).to(weight.dtype)
            grad_hidden = grad @ b  # dL/d(hidden), (tokens, r)
            grad_x = None
            if ctx.needs_input_grad[0]:
                grad_x = (grad_hidden * ctx.drop_scale) @ a  # the LoRA path's input gradient ...
                if mask is not None:
                    grad_x.masked_fill_(mask, 0)
                grad_x.addmm_(grad, weight)  # ... and the base's, summed by the GEMM
                grad_x = grad_x.view(*grad_out.shape[:-1], weight.shape[1]).to(ctx.x_dtype)
            grad_a = (grad_hidden.t() @ dropped).float().mul_(ctx.drop_scale) if ctx.needs_input_grad[3] else None
            grad_b = (grad.t() @ hidden).float().mul_(ctx.scaling) if ctx.needs_input_grad[4] else None
        return grad_x, None, None, grad_a, grad_b, None, None, None, None


class SharedDropout:
    """Dropout's mask and dropped input for the last input tensor seen, reused by the next layer that reads the
    very same tensor (q/k/v, gate/up): one draw and one masked copy for them all."""

    def __init__(self) -> None:
        self._input: weakref.ref | None = None
        self._key: tuple | None = None
        self._dropped: tuple[torch.Tensor, torch.Tensor | None] | None = None

    def __getstate__(self) -> dict:  # a pickled model keeps no cached tensor (and a weakref cannot be pickled)
        return {}

    def __setstate__(self, state: dict) -> None:
        self.__init__()

    def drop(
        self, inputs: torch.Tensor, dtype: torch.dtype, keep_levels: int | None
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """``inputs`` flattened to (tokens, in) in ``dtype``, dropped with probability ``1 - keep_levels / 2**16``
        (not at all for None), and the bool mask of the dropped ones."""
        key = (inputs._version, dtype, keep_levels)
        if self._input is None or self._input() is not inputs or self._key != key:
            flat = inputs.detach().reshape(-1, inputs.shape[-1]).to(dtype)
            mask = None if keep_levels is None else drop_mask(flat.shape, keep_levels, inputs.device)
            self._input, self._key = weakref.ref(inputs), key
            self._dropped = (flat if mask is None else flat.masked_fill(mask, 0), mask)
        return self._dropped


def _fusable(layer: LoraLinear) -> str | None:
    """The adapter the fused path computes for ``layer`` now, or None where PEFT's own forward must run.

    Training mode decides, not grad mode: a reentrant checkpoint runs its first forward without grad and recomputes
    it with grad, and both must draw the same masks the same way."""
    if not layer.training or layer.merged or layer.disable_adapters:
        return None
    active = [name for name in layer.active_adapters if name in layer.lora_A]
    if len(active) != 1 or active[0] in layer.lora_variant:
        return None
    name = active[0]
    base = layer.get_base_layer()
    if type(base) is not nn.Linear or base.weight.requires_grad:
        return None
    device = base.weight.device.type
    if torch.is_autocast_enabled(device) and torch.get_autocast_dtype(device) != base.weight.dtype:
        return None  # precision bf16 on an fp32 base: autocast's casts are the point; this path would run fp32
    if base.bias is not None and base.bias.requires_grad:
        return None
    if not isinstance(layer.lora_dropout[name], LaneDropout | nn.Identity):
        return None
    if layer.lora_A[name].bias is not None or layer.lora_B[name].bias is not None:
        return None
    return name


def _forward(layer: LoraLinear, shared: SharedDropout, x: torch.Tensor, *args, **kwargs) -> torch.Tensor:
    name = _fusable(layer) if not args and not kwargs else None
    if name is None:
        return type(layer).forward(layer, x, *args, **kwargs)
    base = layer.get_base_layer()
    dropout = layer.lora_dropout[name]
    drops = isinstance(dropout, LaneDropout) and dropout.keep_levels < LANE_LEVELS
    dropped, mask = shared.drop(x, base.weight.dtype, dropout.keep_levels if drops else None)
    return FusedLoraLinear.apply(
        x,
        base.weight,
        base.bias,
        layer.lora_A[name].weight,
        layer.lora_B[name].weight,
        float(layer.scaling[name]),
        dropped,
        mask,
        dropout.scale if drops else 1.0,
    )


def use_fused_lora(model: nn.Module) -> int:
    """Route every PEFT LoRA ``Linear`` of ``model`` through :class:`FusedLoraLinear` while it trains (PEFT's own
    forward otherwise); how many layers. The layers share one :class:`SharedDropout`."""
    shared = SharedDropout()
    patched = 0
    for module in model.modules():
        if isinstance(module, LoraLinear) and not is_fused(module):
            module.forward = functools.partial(_forward, module, shared)  # picklable, unlike a bound lambda
            patched += 1
    return patched


def is_fused(layer: nn.Module) -> bool:
    """Whether :func:`use_fused_lora` routed ``layer`` through the fused function."""
    forward = layer.__dict__.get("forward")
    return isinstance(forward, functools.partial) and forward.func is _forward
