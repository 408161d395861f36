"""Bulk parsing as a Ray Data job, for when one machine is not enough: the same inputs, output lines, resumption
and summary as :mod:`ml.inference.bulk`, with the model run by a pool of Ray actors that each hold one engine.

    pip install -e ".[ray]"
    griller parse ml/data/resumes/ --output parsed.jsonl --ray-actors 2               # a local Ray on this machine
    ray job submit --address http://HEAD:8265 -- \\
        griller parse --jsonl /shared/resumes.jsonl --output /shared/parsed.jsonl --ray-actors 16 --ray-gpus 1

From Python: :func:`parse_on_ray` (``parse_many``'s arguments plus the pool's). ``ray.init()`` joins the cluster
``RAY_ADDRESS`` names (``ray job submit`` sets it) or starts a local one; a Ray already initialised is used as is.

What runs where: this process lists the inputs (``collect_inputs``: a folder's paths, a JSONL's texts), skips the
ids the output file already holds, and builds a dataset of the rest; ``map_batches`` sends batches of
``batch_size`` rows to ``actors`` actors, which read the files and decode with
:func:`ml.inference.bulk.decode`, the same function the single-machine run uses; the results stream back in input
order and this process appends them to the output file, one flushed line each, as ``griller parse --output``
does. So the file reads the same whichever ran it, and a killed job resumes from it. Writing is no bottleneck: a
line is a few KB and each took an actor seconds. Folder inputs are read by the actors: every node must see the
paths (a shared file system); a JSONL's texts travel in the dataset, and this process holds them all (split a
corpus far beyond memory into several runs).

Sizing: ``cpus_per_actor`` threads per engine (llama.cpp and torch both take the actor's share, not the node's);
``gpus_per_actor`` 1 puts one engine on each GPU. For throughput on GPUs, a merged export served by vLLM with the
backend in ``LLM_MODE=api`` is the better path (ml/docs/serving.md, "Bulk parsing").
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ml.inference import PARSE_SEQUENCES
from ml.inference.backends import load_engine
from ml.inference.bulk import BulkError, Item, Result, decode, id_key, load_item, parse_many

RAY_INSTALL = 'pip install -e ".[ray]"'


def parse_on_ray(
    paths: Sequence[Path] = (),
    jsonl: Path | None = None,
    *,
    actors: int,
    model: str | None = None,
    backend: str | None = None,
    batch_size: int = PARSE_SEQUENCES,
    max_new_tokens: int | None = None,
    cpus_per_actor: float = 1.0,
    gpus_per_actor: float = 0.0,
    **bulk_options: Any,
) -> dict[str, Any]:
    """:func:`~ml.inference.bulk.parse_many` (``output``, ``echo``, ``console``, ``stream`` pass through) with the
    parse run by ``actors`` Ray actors; its summary."""
    if actors < 1:
        raise BulkError(f"{actors} Ray actors: at least 1")

    def parser(pending: int) -> RayParser:  # no more actors than resumes: each one loads the model
        return RayParser(
            model, backend, min(actors, pending), batch_size, max_new_tokens, cpus_per_actor, gpus_per_actor
        )

    return parse_many(
        paths,
        jsonl,
        model=model,
        backend=backend,
        batch_size=batch_size,
        max_new_tokens=max_new_tokens,
        parser=parser,
        **bulk_options,
    )


class RayParser:
    """A :class:`~ml.inference.bulk.Parser` whose items become a Ray dataset mapped by a pool of engine actors."""

    fine_tuned = None  # the actors load the model, this process never does

    def __init__(
        self,
        model: str | None,
        backend: str | None,
        actors: int,
        batch_size: int,
        max_new_tokens: int | None = None,
        cpus_per_actor: float = 1.0,
        gpus_per_actor: float = 0.0,
    ) -> None:
        self.ray = _import_ray()  # here, so a missing extra stops the run before the output file is opened
        self.name = str(model) if model else "the default model"
        self.backend = f"{backend or 'auto'} on {actors} Ray actors"
        self.engine_options = {
            "model": model,
            "backend": backend,
            "batch_size": batch_size,
            "cpus": cpus_per_actor,
            "max_new_tokens": max_new_tokens,
        }
        self.actors, self.batch_size = actors, batch_size
        self.cpus_per_actor, self.gpus_per_actor = cpus_per_actor, gpus_per_actor

    def results(self, items: list[Item]) -> Iterator[list[Result]]:
        ray = self.ray
        started_here = not ray.is_initialized()
        if started_here:
            ray.init()  # RAY_ADDRESS's cluster, else a local one
        context = ray.data.DataContext.get_current()
        saved = context.execution_options.preserve_order, context.enable_progress_bars
        context.execution_options.preserve_order = True  # results in input order, as the file's lines are
        context.enable_progress_bars = False  # parse_many's bar counts resumes
        try:
            dataset = ray.data.from_items([_row(item) for item in items])
            parsed = dataset.map_batches(
                EngineActor,
                fn_constructor_kwargs=self.engine_options,
                batch_size=self.batch_size,
                batch_format="pyarrow",
                concurrency=self.actors,
                num_cpus=self.cpus_per_actor,
                num_gpus=self.gpus_per_actor,
            )
            for batch in parsed.iter_batches(batch_size=None, batch_format="pyarrow"):  # None: as the actors made them
                yield [_result(row) for row in batch.to_pylist()]
        finally:
            context.execution_options.preserve_order, context.enable_progress_bars = saved
            if started_here:
                ray.shutdown()


class EngineActor:
    """One engine, loaded once per actor; each call parses one batch of dataset rows into output rows."""

    def __init__(
        self, model: str | None, backend: str | None, batch_size: int, cpus: float, max_new_tokens: int | None
    ) -> None:
        os.environ.setdefault("GRILLER_THREADS", str(max(1, int(cpus))))  # llama.cpp would take the whole node
        self.engine = load_engine(model, backend, parallel=batch_size)
        self.max_new_tokens = max_new_tokens

    def __call__(self, batch: Any) -> Any:
        """``batch``: a ``pyarrow.Table`` of :func:`_row` rows; returns one of ``{"line", "problem"}`` rows."""
        import pyarrow  # comes with ray[data]; only actors need it

        results = decode(self.engine, [load_item(_item(row)) for row in batch.to_pylist()], self.max_new_tokens)
        lines = [json.dumps(result.record(), ensure_ascii=False) for result in results]
        return pyarrow.table({"line": lines, "problem": [result.problem or "" for result in results]})


def _row(item: Item) -> dict[str, str]:
    """An item as a dataset row: every column a string, so every block has one Arrow schema (ids may mix JSON
    types, so they travel as their JSON)."""
    return {"id": id_key(item.id), "path": item.path or "", "text": item.text or "", "where": item.where}


def _item(row: dict[str, str]) -> Item:
    return Item(json.loads(row["id"]), path=row["path"] or None, text=row["text"], where=row["where"])


def _result(row: dict[str, str]) -> Result:
    return Result(**json.loads(row["line"]), problem=row["problem"] or None)


def _import_ray() -> Any:
    try:
        import ray  # the optional [ray] extra: imported here, so the single-machine parse never needs it
        import ray.data
    except ImportError as error:
        raise BulkError(f"--ray-actors needs Ray ({error}): {RAY_INSTALL}") from error
    return ray
