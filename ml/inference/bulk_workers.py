"""The bulk parse on local worker processes, one engine of few threads each (``griller parse --workers N``).

On 2 cores, 2 processes of 1 llama.cpp thread parsed 1.31× the resumes per hour of 1 process of 2 threads, with
identical outputs, and they hold up when another job shares the cores, where 2 threads of one process wait for each
other at every token (``bench/bulk_throughput.py``; ``bench/RESULTS.md``, "Bulk parse throughput"). Each worker
loads the model once; the parent keeps the output file, the progress bar and the summary
(:func:`ml.inference.bulk.parse_many`), so a killed run resumes exactly as a single-process one does.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from ml.inference.backends import load_engine
from ml.inference.bulk import DEFAULT_BATCH_SIZE, BulkError, Item, Result, decode, load_item, parse_many
from ml.inference.engine import Engine

_engine: Engine | None = None  # the worker process's own engine, loaded by _start
_max_new_tokens: int | None = None


def _start(model: str | None, backend: str | None, batch_size: int, threads: int, max_new_tokens: int | None) -> None:
    global _engine, _max_new_tokens
    os.environ["GRILLER_THREADS"] = str(threads)  # llama.cpp reads it when the engine loads
    if "torch" in sys.modules:  # the transformers backend would take every core in every worker
        sys.modules["torch"].set_num_threads(threads)
    _engine = load_engine(model, backend, parallel=batch_size)
    _max_new_tokens = max_new_tokens


def _describe() -> tuple[str, str, bool | None]:
    assert _engine is not None
    return _engine.name, _engine.backend, _engine.fine_tuned


def _parse(chunk: list[Item]) -> list[Result]:
    assert _engine is not None
    return decode(_engine, [load_item(item) for item in chunk], _max_new_tokens)


class WorkerParser:
    """``workers`` processes (spawned, so no engine state is forked), the machine's cores shared out as threads;
    each takes ``batch_size`` resumes at a time, and results come back in input order."""

    def __init__(
        self,
        model: str | None,
        backend: str | None,
        workers: int,
        batch_size: int,
        max_new_tokens: int | None = None,
    ) -> None:
        threads = max(1, len(os.sched_getaffinity(0)) // workers)
        self.pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start,
            initargs=(model, backend, batch_size, threads, max_new_tokens),
        )
        try:
            self.name, backend_name, self.fine_tuned = self.pool.submit(_describe).result()
        except BrokenProcessPool as error:  # the worker's own traceback is on stderr above
            self.pool.shutdown(cancel_futures=True)
            raise BulkError(f"the model did not load in a worker process ({error})") from error
        self.backend = f"{backend_name} on {workers} worker processes"
        self.batch_size = batch_size

    def results(self, items: list[Item]) -> Iterator[list[Result]]:
        chunks = [items[start : start + self.batch_size] for start in range(0, len(items), self.batch_size)]
        try:
            yield from self.pool.map(_parse, chunks)
        finally:
            self.pool.shutdown(cancel_futures=True)


def parse_on_workers(
    paths: list[Path],
    jsonl: Path | None,
    *,
    workers: int,
    model: str | None = None,
    backend: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_new_tokens: int | None = None,
    **options: Any,
) -> dict[str, Any]:
    """:func:`~ml.inference.bulk.parse_many` with :class:`WorkerParser`: the same inputs, lines, resumption and
    summary. A worker is started only when something is left to parse."""
    if workers < 1:
        raise BulkError(f"workers {workers}: at least 1")

    def parser() -> WorkerParser:
        return WorkerParser(model, backend, workers, batch_size, max_new_tokens)

    return parse_many(paths, jsonl, batch_size=batch_size, parser=parser, **options)
