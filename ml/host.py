"""What CPU this is: its flags and the class that decides kernels and precision (AVX2, AVX-512, AVX-512 BF16, AMX).

Hosts change between runs of this project (AMD with AVX-512 BF16, Intel with AVX2 only, Intel with AMX), and
what is fast, or what crashes, differs between them: benchmarks name the class, the llama.cpp canary keys its
verdict on the flags.
"""

from __future__ import annotations

import functools
import os
import platform
import sys
from pathlib import Path

CPU_CLASSES = ("AMX", "AVX-512 BF16", "AVX-512", "AVX2", "other")


@functools.cache
def cpu_flags() -> frozenset[str]:
    """The first processor's flags from ``/proc/cpuinfo`` (empty where there is none: not Linux, or no x86)."""
    if sys.platform != "linux":
        return frozenset()
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return frozenset()
    for line in text.splitlines():
        if line.startswith(("flags", "Features")):
            return frozenset(line.partition(":")[2].split())
    return frozenset()


@functools.cache
def cpu_model() -> str:
    """The processor's model name (``AMD EPYC …``, ``Intel(R) Xeon(R) Platinum …``), else the platform's word."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def cpu_class(flags: frozenset[str] | None = None) -> str:
    """The most capable matmul class the flags show, one of :data:`CPU_CLASSES`."""
    flags = cpu_flags() if flags is None else flags
    if "amx_bf16" in flags or "amx_tile" in flags:
        return "AMX"
    if "avx512_bf16" in flags:
        return "AVX-512 BF16"
    if "avx512f" in flags:
        return "AVX-512"
    if "avx2" in flags:
        return "AVX2"
    return "other"


def cpu_has_bf16() -> bool:
    """True when the CPU runs bf16 matmuls natively (AVX-512 BF16 or AMX)."""
    return cpu_class() in {"AMX", "AVX-512 BF16"}


def usable_cores() -> int:
    """The cores this process may run on (its affinity: a container's or ``taskset``'s limit, not the machine's)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def available_memory() -> int | None:
    """Bytes of memory available to start new processes without swapping (``MemAvailable``); ``None`` where the
    system does not say (not Linux)."""
    try:
        for line in Path("/proc/meminfo").read_text(encoding="ascii").splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None
