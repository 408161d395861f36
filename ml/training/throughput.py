"""Throughput accounting: the machine's measured matmul peak, model FLOPs per token, MFU and peak memory."""

from __future__ import annotations

import functools
import resource
import time

import torch

from ml.host import cpu_has_bf16

BF16_MIN_GAIN = 1.2
"""bf16 GEMMs must beat fp32 ones by this factor for ``precision: auto`` to take bf16 (``bf16_native``) on CPU:
the LoRA paths' activation casts and bf16 elementwise kernels cost extra, and on some AVX-512 BF16 CPUs bf16
GEMMs are *slower* (measured there: 161 vs 322 GFLOP/s, and LoRA training under bf16 autocast 158 vs 257
tokens/s; bench/NOTES.md). Set for autocast, which also re-cast every base weight per matmul; ``bf16_native``
does not, so a bf16 host's measurement may justify a lower bar."""


@functools.cache
def bf16_pays_on_cpu() -> bool:
    """True when this CPU has bf16 instructions *and* its bf16 matmuls measure clearly faster than fp32."""
    if not cpu_has_bf16():
        return False
    fp32 = measure_matmul_peak(torch.float32, seconds=0.3)
    bf16 = measure_matmul_peak(torch.bfloat16, seconds=0.3)
    return bf16 >= BF16_MIN_GAIN * fp32


def measure_matmul_peak(dtype: torch.dtype = torch.float32, size: int = 1024, seconds: float = 0.5) -> float:
    """Achievable matmul FLOP/s on this device for ``dtype`` (a square GEMM timed for ``seconds``)."""
    device = "cuda" if torch.cuda.is_available() else "cpu"
    a = torch.randn(size, size, device=device, dtype=dtype)
    b = torch.randn(size, size, device=device, dtype=dtype)
    for _ in range(3):
        a @ b
    runs, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        a @ b
        runs += 1
    if device == "cuda":
        torch.cuda.synchronize()
    return 2 * size**3 * runs / (time.perf_counter() - started)


def training_flops_per_token(model: torch.nn.Module) -> float:
    """FLOPs per trained token for LoRA: forward (2N) plus the activation-gradient backward (2N).

    Frozen base weights need no weight gradients, so the usual 6N of full fine-tuning is 4N here;
    attention's sequence-length term is left out, as in nanoGPT's estimate.
    """
    return 4.0 * sum(p.numel() for p in model.parameters())


def peak_memory_mb() -> float:
    """Peak resident memory of this process (CPU) or peak allocated memory (CUDA), in MiB."""
    if torch.cuda.is_available():
        return torch.cuda.max_memory_allocated() / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
