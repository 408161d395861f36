"""Read resume files into plain text."""

from __future__ import annotations

from pathlib import Path

TEXT_SUFFIXES = {".txt", ".md"}


class IngestError(ValueError):
    """A file cannot be read as a resume; the message names the file and why."""


def read_document(path: Path) -> str:
    """Plain text of one resume file."""
    path = Path(path)
    if not path.is_file():
        raise IngestError(f"{path}: no such file")
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise IngestError(f"{path}: unsupported file type {path.suffix!r} (supported: {sorted(TEXT_SUFFIXES)})")
    text = path.read_text(encoding="utf-8", errors="replace").strip()
    if not text:
        raise IngestError(f"{path}: empty file")
    return text
