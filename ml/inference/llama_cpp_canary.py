"""A native crash in llama.cpp never takes the program down: each CPU is tried in a child process first.

llama.cpp repacks weights at load into buffer types made for the CPU ("extra buffer types": AMX tiles on Intel
Sapphire Rapids and later, interleaved Q4_0 / Q4_K blocks on AVX2). On virtualised AMX hosts the first matmul after
the AMX repack has segfaulted (ggml-org/llama.cpp#20824), and a llama.cpp compiled for one CPU (``-march=native``,
pip's wheel cache) dies with SIGILL on another. Either kills the Python process with no word to the user.

So before the first decode of a GGUF on a host, :func:`check` loads it and decodes a few tokens in a child process,
exactly as the engine will (:class:`~ml.inference.llama_cpp_context.LlamaCppContext`): first with the extra buffer
types, and if that child dies by a signal, again without them. The verdict is one of

* ``repacked``: llama.cpp as it comes (the fast path wherever it works);
* ``plain``: only without the extra buffer types (the AMX crash); the engine loads that way;
* ``crash``: llama.cpp dies either way; ``auto`` falls back to transformers, ``--backend llama.cpp`` fails clearly.

It is kept in ``llama_cpp_canary.json`` under the model cache, keyed by the CPU's flags, the llama.cpp build and the
weights' type, so each host pays the few seconds once. Delete the file to check again.

    python -m ml.inference.llama_cpp_canary MODEL.gguf [--plain]     # the child: exit 0, or die
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import signal
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from ml.host import cpu_class, cpu_flags
from ml.inference.llama_cpp_context import LlamaCppContext, import_llama_cpp

log = logging.getLogger(__name__)

VERDICTS_FILE = "llama_cpp_canary.json"
TIMEOUT_S = 300.0
"""A child that neither answers nor dies in this long (a 7B model loads and decodes in seconds) is a failure too."""
PROMPT = b"Parse this resume:\nAna Silva, Data Engineer at Acme Corp (2020 - present). Skills: Python, SQL, Airflow."
DECODE_STEPS = 3
"""Single-token decodes after the prompt: the prompt runs llama.cpp's batched matmul (where AMX takes over), the
steps its matrix-vector one, so both kernels run once."""
CHILD = [sys.executable, "-m", "ml.inference.llama_cpp_canary"]
"""The child's command line before its arguments (a test swaps in a child that crashes for real)."""

Mode = Literal["repacked", "plain", "crash"]


@dataclass(frozen=True)
class Verdict:
    mode: Mode
    detail: str  # what happened, for the user: "SIGSEGV with the extra buffer types", "decoded 3 tokens"
    cpu: str  # the CPU class, for whoever reads the verdicts file
    llama_cpp: str
    weights: str

    @property
    def runs(self) -> bool:
        return self.mode != "crash"

    @property
    def extra_buffers(self) -> bool:
        return self.mode == "repacked"


def check(gguf_path: Path, weights: str, cache_dir: Path) -> Verdict:
    """The verdict for ``gguf_path`` (of weight type ``weights``, e.g. ``q8_0``) on this host: cached, else tried."""
    llama_cpp = import_llama_cpp()
    build = f"{llama_cpp.__version__} {_library_stamp(llama_cpp)}"
    key = hashlib.sha256("\n".join([" ".join(sorted(cpu_flags())), build, weights]).encode()).hexdigest()[:16]
    verdicts_path = cache_dir / VERDICTS_FILE
    verdicts = _read(verdicts_path)
    if key in verdicts:
        return Verdict(**verdicts[key])
    verdict = _try(gguf_path, weights, llama_cpp.__version__)
    if verdict is not None:
        verdicts[key] = asdict(verdict)
        _write(verdicts_path, verdicts)
        return verdict
    # the child failed without a signal (an error llama.cpp reports cleanly): the engine will report it in-process
    return Verdict("repacked", "the test load failed without a crash", cpu_class(), llama_cpp.__version__, weights)


def crash_message(verdict: Verdict, cache_dir: Path, falling_back: bool) -> str:
    """One line: what crashed, what runs instead (``falling_back``) or what to ask for, and how to test again."""
    what = (
        f"llama.cpp crashes on this CPU ({verdict.cpu}: {verdict.detail}; llama-cpp-python {verdict.llama_cpp}, "
        f"{verdict.weights} weights)"
    )
    choice = (
        "running on transformers instead (--backend transformers|llama.cpp or GRILLER_BACKEND chooses)"
        if falling_back
        else "run it with --backend transformers (or auto)"
    )
    return f"{what}: {choice}; delete {cache_dir / VERDICTS_FILE} to test llama.cpp again"


def _try(gguf_path: Path, weights: str, version: str) -> Verdict | None:
    """Run the child with, then without, the extra buffer types; None when it failed without a signal."""
    first = _run_child(gguf_path, extra_buffers=True)
    if first == 0:
        return Verdict("repacked", "a test decode ran", cpu_class(), version, weights)
    if first is None or first > 0:
        return None
    second = _run_child(gguf_path, extra_buffers=False)
    crashed = f"{_signal_name(first)} with its CPU repacking"
    if second == 0:
        log.warning("llama.cpp %s on this CPU (%s): loading it without repacking", crashed, cpu_class())
        return Verdict("plain", f"{crashed}, none without", cpu_class(), version, weights)
    if second is None or second > 0:
        return None
    return Verdict("crash", f"{crashed}, {_signal_name(second)} without", cpu_class(), version, weights)


def _run_child(gguf_path: Path, extra_buffers: bool) -> int | None:
    """The child's exit status: 0 when it decoded, negative when a signal killed it, None when it timed out."""
    command = [*CHILD, str(gguf_path), *([] if extra_buffers else ["--plain"])]
    try:
        done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        log.warning("llama.cpp's test load of %s did not finish in %.0f s", gguf_path, TIMEOUT_S)
        return None
    if done.returncode > 0:
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
        log.debug("llama.cpp's test load of %s failed: %s", gguf_path, tail[0])
    return done.returncode


def _signal_name(status: int) -> str:
    try:
        return signal.Signals(-status).name
    except ValueError:
        return f"signal {-status}"


def _library_stamp(llama_cpp) -> str:
    """Size and time of the compiled libraries: a rebuild (other CMake flags, another CPU's wheel) is a new build."""
    libraries = sorted(Path(llama_cpp.__file__).parent.glob("lib/*"))
    return ",".join(f"{path.name}:{path.stat().st_size}:{int(path.stat().st_mtime)}" for path in libraries)


def _read(path: Path) -> dict[str, dict[str, str]]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write(path: Path, verdicts: dict[str, dict[str, str]]) -> None:
    """Atomically; a read-only cache keeps nothing (the child runs again next time)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_suffix(f".{os.getpid()}.tmp")
        staging.write_text(json.dumps(verdicts, indent=1), encoding="utf-8")
        os.replace(staging, path)
    except OSError as error:
        log.info("llama.cpp canary verdict not kept (%s)", error)


def main(argv: list[str] | None = None) -> int:
    """The child: load ``gguf`` as the engine does, decode the prompt and a few tokens, exit 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gguf", type=Path)
    parser.add_argument("--plain", action="store_true", help="without llama.cpp's extra buffer types")
    args = parser.parse_args(argv)
    context = LlamaCppContext(args.gguf, positions=256, extra_buffers=not args.plain)
    tokens = context.tokenize(PROMPT, add_bos=True, special=False)
    (logits,) = context.decode([(0, 0, tokens, False)])
    for step in range(DECODE_STEPS):
        token = int(logits[-1].argmax())
        (logits,) = context.decode([(0, len(tokens) + step, [token], False)])
    context.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
