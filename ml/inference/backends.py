"""Which backend runs a model, and loading it: the one module that knows every backend.

    from ml.inference.backends import load_engine
    engine = load_engine("ml/models/exported/resume-griller-lora")  # llama.cpp on CPU where it is installed

Backends: ``transformers`` (:class:`~ml.inference.engine.Engine`) and ``llama.cpp``
(:class:`~ml.inference.llama_cpp_engine.LlamaCppEngine`); ``auto`` (the default, ``GRILLER_BACKEND``) picks one.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from pathlib import Path

from ml.inference import PARSE_SEQUENCES
from ml.inference.engine import Engine, device_setting
from ml.inference.llama_cpp_engine import LlamaCppEngine, LlamaCppError, can_load, refusal

log = logging.getLogger(__name__)

BACKENDS: tuple[str, ...] = ("auto", "transformers", "llama.cpp")


def backend_setting(backend: str | None = None) -> str:
    """The backend asked for (argument, else ``GRILLER_BACKEND``, else auto), checked."""
    backend = backend or os.environ.get("GRILLER_BACKEND") or "auto"
    if backend not in BACKENDS:
        raise ValueError(f"Unknown backend {backend!r}; choose one of: {', '.join(BACKENDS)}")
    return backend


def resolve_backend(spec: str | Path | None = None, backend: str | None = None) -> str:
    """The backend that runs ``spec``: the one asked for, and for ``auto`` llama.cpp where it is installed, the
    engine runs on CPU, llama.cpp takes the model (:func:`~ml.inference.llama_cpp_engine.can_load`) and runs on this
    CPU without crashing (:mod:`~ml.inference.llama_cpp_canary`, checked once per host in a child process), else
    transformers. On CPU llama.cpp answers a parse about 3x faster with the same quality (``bench/RESULTS.md``);
    on CUDA transformers is the one that uses the GPU."""
    backend = backend_setting(backend)
    if backend != "auto":
        return backend
    if device_setting() != "cpu" or importlib.util.find_spec("llama_cpp") is None:
        return "transformers"
    if not can_load(spec):
        return "transformers"
    if (reason := refusal(spec)) is not None:
        log.warning("%s", reason)
        return "transformers"
    return "llama.cpp"


def load_engine(spec: str | Path | None = None, backend: str | None = None, parallel: int = PARSE_SEQUENCES) -> Engine:
    """An engine for ``spec`` on the backend :func:`resolve_backend` picks.

    ``parallel``: answers the llama.cpp backend decodes together (its KV cache is sized for them; the server asks
    for its batch size). The default is the toolkit's own (:data:`~ml.inference.PARSE_SEQUENCES`), so a parse from
    Python is the decode ``griller parse`` and ``griller eval`` give. The transformers backend batches any number.
    """
    if resolve_backend(spec, backend) == "llama.cpp":
        try:
            return LlamaCppEngine.load(spec, sequences=parallel)
        except LlamaCppError as error:
            if backend_setting(backend) != "auto":
                raise
            log.warning("llama.cpp cannot run %s (%s); running it on transformers", spec, error)
    return Engine.load(spec)
