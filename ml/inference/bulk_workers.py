"""The bulk parse on local worker processes, one engine of few threads each: ``griller parse``'s default for two
resumes or more on the llama.cpp backend (``--workers N`` to choose).

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

from ml.host import available_memory, usable_cores
from ml.inference import PARSE_SEQUENCES
from ml.inference.backends import load_engine, resolve_backend
from ml.inference.bulk import (
    BulkError,
    Item,
    LocalParser,
    Parser,
    Result,
    decode,
    load_item,
    parse_many,
)
from ml.inference.engine import Engine
from ml.inference.llama_cpp_engine import resolve_gguf

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
        threads = max(1, usable_cores() // workers)
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


WORKER_OVERHEAD_BYTES = 512 * 2**20
"""What a llama.cpp worker holds beside its weights (Python, the tokenizer, a KV cache): with the weights, the
memory one more worker needs."""


def auto_workers(pending: int, model: str | None = None, backend: str | None = None) -> int:
    """The worker processes a bulk parse of ``pending`` resumes takes when none are asked for.

    On the llama.cpp backend: one per usable core (one thread each: measured best on 2 cores, see the module's
    docstring), no more than memory holds (each worker loads its own weights, sized from the GGUF it will load) nor
    than the resumes. On the transformers backend: 1 (torch already spreads one forward pass over every core; more
    processes are unmeasured). The model is resolved here, once, so an adapter's GGUF conversion runs in this
    process before the workers share it."""
    if pending < 2 or resolve_backend(model, backend) != "llama.cpp":
        return 1
    gguf, _ = resolve_gguf(model)
    memory = available_memory()
    by_memory = pending if memory is None else memory // (gguf.stat().st_size + WORKER_OVERHEAD_BYTES)
    return max(1, min(usable_cores(), pending, by_memory))


def parse_here(
    paths: list[Path],
    jsonl: Path | None,
    *,
    workers: int | None = None,
    model: str | None = None,
    backend: str | None = None,
    batch_size: int = PARSE_SEQUENCES,
    max_new_tokens: int | None = None,
    **options: Any,
) -> dict[str, Any]:
    """:func:`~ml.inference.bulk.parse_many` on this machine: in this process when ``workers`` is 1 (or
    :func:`auto_workers` says 1 when it is ``None``), else on :class:`WorkerParser`'s processes; the same inputs,
    lines, resumption and summary either way. Nothing loads when nothing is left to parse."""
    if workers is not None and workers < 1:
        raise BulkError(f"workers {workers}: at least 1")

    def parser(pending: int) -> Parser:
        count = workers or auto_workers(pending, model, backend)
        if count == 1:
            return LocalParser(model, backend, batch_size, max_new_tokens)
        return WorkerParser(model, backend, count, batch_size, max_new_tokens)

    options |= {"model": model, "backend": backend, "max_new_tokens": max_new_tokens}
    return parse_many(paths, jsonl, batch_size=batch_size, parser=parser, **options)
