"""JSON Lines reading and writing shared by every stage. Errors name the file and the line."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO


class JsonlError(ValueError):
    """A JSONL file is missing or a line is not a JSON object; the message is ``file:line: why``."""


def iter_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line_number, object)`` for each non-blank line; raise :class:`JsonlError` on a bad one."""
    path = Path(path)
    if not path.is_file():
        raise JsonlError(f"{path}: file not found")
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as error:
                raise JsonlError(f"{path}:{number}: malformed JSON ({error.msg} at column {error.colno})") from error
            if not isinstance(value, dict):
                raise JsonlError(f"{path}:{number}: expected a JSON object, got {type(value).__name__}")
            yield number, value


@contextmanager
def atomic_writer(path: Path) -> Iterator[TextIO]:
    """A text handle on a temporary file beside ``path``, renamed onto it when the block ends without an error: a
    reader (another process, a crash) sees the old file or the whole new one, never a torn one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_jsonl_atomic(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    """Write rows to ``path`` through a temporary file and a rename; return the row count."""
    count = 0
    with atomic_writer(path) as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count


def read_appended_jsonl(path: Path) -> list[dict[str, Any]]:
    """Records of an append-only results file; a last line torn by a crash is cut from the file.

    Resumable runs (evaluation, benchmark, bulk parsing) append one JSON line per finished item. A kill can
    leave the last line half-written: a last line without its newline (even one that happens to parse: the
    next append would be glued to it) or that is not JSON is dropped, and truncated away so the next append
    starts clean. A malformed line *before* the end is real corruption and raises :class:`JsonlError`.
    """
    path = Path(path)
    records: list[dict[str, Any]] = []
    if not path.is_file():
        return records
    good_bytes = 0
    with path.open("rb") as handle:
        lines = iter(handle)
        raw = next(lines, None)
        number = 1
        while raw is not None:
            following = next(lines, None)
            try:
                record = json.loads(raw) if raw.endswith(b"\n") else None
            except json.JSONDecodeError:
                record = None
            if record is None and raw.strip():
                if following is not None:
                    raise JsonlError(f"{path}:{number}: corrupt line in the middle; delete it to start over")
                break  # the torn last line
            if record is not None:
                records.append(record)
            good_bytes += len(raw)
            raw, number = following, number + 1
    if good_bytes < path.stat().st_size:
        with path.open("r+b") as handle:
            handle.truncate(good_bytes)
    return records
