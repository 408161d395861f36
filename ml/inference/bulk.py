"""Parse many resumes: files, folders (recursively) or a JSONL of ``{"id", "text"}`` lines, in batches, resumably.

    griller parse ml/data/resumes/ --output parsed.jsonl            # every resume under the folder
    griller parse a.pdf b.docx more/ --output parsed.jsonl --json   # summary as one JSON line on stdout
    griller parse --jsonl batch.jsonl --json                         # {"id", "output"} lines on stdout

With ``--output FILE`` each resume becomes one JSON line, written and flushed as its batch completes, in input
order: ``{"id", "output" (the parsed object or null), "valid", "seconds", "error" (null or why it was not
parsed)}``. ``seconds`` is the resume's share of its batch's decode time. A rerun with the same file skips every
id it already holds (failed ones included: delete their lines to retry them), and a last line torn by a kill is
cut and redone (:func:`ml.jsonl.read_appended_jsonl`). Unreadable inputs (corrupt PDF, bad encoding, empty file)
get a line with their reason and are counted; they never stop the run. A crash of the model itself does: the
lines written so far stay, and the rerun continues after them.

Ids: a file's path as given (a folder's files: the folder as given joined with their path inside it; a CSV row
inside a folder: ``path/file.csv:ID``), a JSONL line's ``id``. Folder walks are :mod:`ml.preprocessing.ingest`'s:
its document suffixes, CSV files read as resume tables, hidden files left out; other files are ignored (counted).

Batches go through :meth:`~ml.inference.engine.Engine.parse_resumes` (the llama.cpp backend is loaded with as
many sequences as the batch). The default batch of 4 is not a measured optimum: timing it on the tiny test model
says nothing about a real one, so measure ``--batch-size`` 1/4/8 on your model and machine.

What parses is a :class:`Parser`: by default :class:`LocalParser`, the engine in this process;
:mod:`ml.inference.ray_parse` passes Ray actors instead and keeps the rest (inputs, output file, progress, summary).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TextIO

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
from rich.text import Text

from ml import tasks
from ml.inference import PARSE_SEQUENCES
from ml.inference.backends import load_engine
from ml.inference.engine import Engine, Generation, parsed_resume
from ml.jsonl import JsonlError, iter_jsonl, read_appended_jsonl
from ml.preprocessing.ingest import (
    DOCUMENT_SUFFIXES,
    IngestError,
    IngestReport,
    iter_resume_csv,
    read_document,
    resume_folder_paths,
)
from ml.schema import ParsedResume

ECHO_STYLES = ("none", "human", "result", "id_output")
"""Where results go without ``--output``: nowhere, pretty on stdout, the ``--json`` result line of one file, or
the ``{"id", "output"}`` line of the ``--jsonl`` contract."""


class BulkError(ValueError):
    """The run cannot start: an input path that does not exist, an output file that is not a parse output."""


@dataclass
class Item:
    """One resume to parse: its id, and the file to read or the text itself (read by :meth:`load`, one batch at a
    time). Plain data rather than a reader function, so a Ray job can ship it to the worker that parses it."""

    id: Any
    path: str | None = None
    text: str | None = None  # a JSONL line's or a CSV row's text
    where: str = ""  # where ``text`` came from, named by its error

    def load(self) -> str:
        """The resume's text; :class:`IngestError` when it cannot be read."""
        if self.path is not None:
            return read_document(Path(self.path))
        text = self.text or ""
        if not text.strip():
            raise IngestError(f"{self.where}: empty text")
        return text


@dataclass
class Result:
    id: Any
    output: dict[str, Any] | None
    valid: bool
    seconds: float
    error: str | None
    raw: str | None = None  # the model's text when it is not a valid parse
    problem: str | None = None  # why the input could not be read, as the summary lists it (``error`` minus the id)

    def record(self) -> dict[str, Any]:
        """The ``--output`` line."""
        return {"id": self.id, "output": self.output, "valid": self.valid, "seconds": self.seconds, "error": self.error}


@dataclass
class Inputs:
    """The items of a run, in order, and what the walk left out."""

    items: list[Item] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # files in folders that are not resumes (by suffix)
    duplicates: int = 0
    report: IngestReport = field(default_factory=IngestReport)  # unreadable inputs: counted, with their reasons
    seen: set[str] = field(default_factory=set)

    def add(self, item: Item) -> None:
        key = id_key(item.id)
        if key in self.seen:
            self.duplicates += 1
            return
        self.seen.add(key)
        self.items.append(item)


def id_key(item_id: Any) -> str:
    """Ids compare as their JSON (a JSONL's ``7`` and ``"7"`` stay two resumes)."""
    return json.dumps(item_id, ensure_ascii=False)


def _add_csv(inputs: Inputs, path: Path) -> None:
    for document in iter_resume_csv(path, report=inputs.report):
        inputs.add(Item(str(path.parent / document.id), text=document.text, where=document.source))


def collect_inputs(paths: Sequence[Path] = (), jsonl: Path | None = None) -> Inputs:
    """Every resume named by ``paths`` (files, folders walked recursively) or by a ``{"id", "text"}`` JSONL.

    A path that does not exist or a malformed JSONL line raises (:class:`BulkError`, :class:`JsonlError`) before
    any model loads; documents are read later, one batch at a time.
    """
    inputs = Inputs()
    if jsonl is not None:
        for number, row in iter_jsonl(jsonl):
            if not isinstance(row.get("text"), str) or "id" not in row:
                raise JsonlError(f'{jsonl}:{number}: expected {{"id": ..., "text": "..."}}')
            inputs.add(Item(row["id"], text=row["text"], where=f"{jsonl}:{number}"))
        return inputs
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for member in resume_folder_paths(path):
                suffix = member.suffix.lower()
                if suffix == ".csv":
                    _add_csv(inputs, member)
                elif suffix in DOCUMENT_SUFFIXES:
                    inputs.add(Item(str(member), path=str(member)))
                else:
                    inputs.ignored.append(str(member))
        elif path.is_file() and path.suffix.lower() == ".csv":
            _add_csv(inputs, path)
        elif path.exists():
            inputs.add(Item(str(path), path=str(path)))  # an unsupported type is reported as this resume's error
        else:
            raise BulkError(f"{path}: no such file or folder")
    return inputs


def done_ids(output: Path) -> set[str]:
    """Ids already in an output file (its torn last line cut away first)."""
    try:
        records = read_appended_jsonl(output)
    except JsonlError as error:
        raise BulkError(str(error)) from error
    keys = set()
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict) or "id" not in record:
            raise BulkError(f"{output}:{number}: not a line of `griller parse --output` (no id); pass another file")
        keys.add(id_key(record["id"]))
    return keys


def parse_batch(
    engine: Engine, texts: list[str], max_new_tokens: int | None = None
) -> list[tuple[ParsedResume | None, Generation]]:
    """The engine's batched parse; with ``max_new_tokens``, the same calls with that answer cap."""
    if max_new_tokens is None:
        return engine.parse_resumes(texts)
    inputs = [tasks.parse_resume_input(text) for text in texts]
    if len(inputs) == 1:  # the single path, as parse_resumes takes it (prompt-lookup drafts)
        generations = [engine.generate(tasks.TaskName.PARSE_RESUME, inputs[0], max_new_tokens=max_new_tokens)]
    else:
        generations = engine.generate_batch(tasks.TaskName.PARSE_RESUME, inputs, max_new_tokens=max_new_tokens)
    return [(parsed_resume(generation), generation) for generation in generations]


Loaded = tuple[Item, str | None, str | None]
"""An item, its text, and the reason it could not be read (exactly one of the two is set)."""


def load_item(item: Item) -> Loaded:
    try:
        return item, item.load(), None
    except IngestError as error:
        return item, None, str(error)


def decode(engine: Engine, pending: list[Loaded], max_new_tokens: int | None = None) -> list[Result]:
    """One batch's results in order: the readable texts decoded together, the unreadable ones with their reason.
    Every parser builds its results here, so a line means the same wherever it was parsed."""
    texts = [text for _, text, _ in pending if text is not None]
    started = time.perf_counter()
    parses = iter(parse_batch(engine, texts, max_new_tokens) if texts else [])
    share = round((time.perf_counter() - started) / max(len(texts), 1), 3)
    results = []
    for item, text, problem in pending:
        if text is None:
            results.append(Result(item.id, None, False, 0.0, _reason(problem or "", item.id), problem=problem))
            continue
        parsed, generation = next(parses)
        output = parsed.model_dump(mode="json") if parsed is not None else None
        results.append(Result(item.id, output, parsed is not None, share, None, None if parsed else generation.text))
    return results


def _reason(message: str, item_id: Any) -> str:
    """An ingest error without the file name it starts with (the line's id says which)."""
    prefix = f"{item_id}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


class RateColumn(ProgressColumn):
    """Resumes per hour since the bar started."""

    def render(self, task) -> Text:
        elapsed = task.elapsed or 0.0
        if not task.completed or elapsed <= 0:
            return Text("–/h", style="progress.data.speed")
        return Text(f"{task.completed / elapsed * 3600:,.0f}/h", style="progress.data.speed")


class Echo:
    """Results on stdout when there is no ``--output`` (see :data:`ECHO_STYLES`)."""

    def __init__(self, style: str, parser: Parser, console: Console, stream: TextIO) -> None:
        if style not in ECHO_STYLES:
            raise ValueError(f"echo style {style!r}: one of {ECHO_STYLES}")
        self.style, self.parser, self.console, self.stream = style, parser, console, stream

    def __call__(self, result: Result) -> None:
        if self.style == "id_output":
            self._line({"id": result.id, "output": result.output})
        elif self.style == "result":
            self._line(
                {
                    "file": result.id,
                    "model": self.parser.name,
                    "zero_shot": None if self.parser.fine_tuned is None else not self.parser.fine_tuned,
                    "valid": result.valid,
                    "output": result.output,
                    "raw": result.raw,
                    "seconds": result.seconds,
                    "error": result.error,
                }
            )
        elif self.style == "human":
            if result.error is not None:
                self.console.print(f"[red]{escape(result.error)}[/red]")
                return
            header = f"[bold]{escape(str(result.id))}[/bold] ({result.seconds:.1f}s, valid JSON: {result.valid})"
            self.console.print(header)
            text = json.dumps(result.output, indent=2, ensure_ascii=False) if result.valid else result.raw or ""
            self.stream.write(text + "\n")
            self.stream.flush()

    def _line(self, value: dict[str, Any]) -> None:
        self.stream.write(json.dumps(value, ensure_ascii=False) + "\n")
        self.stream.flush()


class Parser(Protocol):
    """What parses a run's items. The rest of a run (inputs, the output file, progress, summary) is
    :func:`parse_many`'s, whichever parser it gets."""

    name: str  # the model, as the summary names it
    backend: str
    fine_tuned: bool | None  # None: not known here (the model loads elsewhere)

    def results(self, items: list[Item]) -> Iterator[list[Result]]:
        """Every item's result in input order, one list per batch (the output file is synced after each)."""
        ...


class LocalParser:
    """The engine of ``model`` in this process: ``batch_size`` readable resumes decoded together."""

    def __init__(
        self, model: str | None, backend: str | None, batch_size: int, max_new_tokens: int | None = None
    ) -> None:
        self.engine = load_engine(model, backend, parallel=batch_size)
        self.name, self.backend, self.fine_tuned = self.engine.name, self.engine.backend, self.engine.fine_tuned
        self.batch_size, self.max_new_tokens = batch_size, max_new_tokens

    def results(self, items: list[Item]) -> Iterator[list[Result]]:
        """Read one batch at a time, so memory holds one batch of texts; unreadable items ride along with the
        batch they fall in."""
        pending: list[Loaded] = []
        readable = 0
        for position, item in enumerate(items):
            pending.append(load_item(item))
            readable += pending[-1][1] is not None
            if readable == self.batch_size or position == len(items) - 1:
                yield decode(self.engine, pending, self.max_new_tokens)
                pending, readable = [], 0


def parse_many(
    paths: Sequence[Path] = (),
    jsonl: Path | None = None,
    *,
    model: str | None = None,
    backend: str | None = None,
    output: Path | None = None,
    batch_size: int = PARSE_SEQUENCES,
    max_new_tokens: int | None = None,
    echo: str = "none",
    console: Console | None = None,
    stream: TextIO | None = None,
    parser: Callable[[int], Parser] | None = None,
) -> dict[str, Any]:
    """Parse every resume of ``paths`` or ``jsonl`` in batches of ``batch_size``; return the run's summary.

    With ``output`` the results are appended there (ids it holds are skipped); without it they go to ``stream``
    (stdout) in the ``echo`` style. ``parser`` makes what parses from the number of resumes left (default:
    :class:`LocalParser` of ``model``), called only when there is something to parse, so a finished run loads no
    model. Setup errors
    (:class:`BulkError`, :class:`JsonlError`, a model that does not load) raise before anything is written.
    """
    if batch_size < 1:
        raise BulkError(f"batch size {batch_size}: at least 1")
    console = console or Console(stderr=True)
    stream = stream or sys.stdout
    started = time.perf_counter()
    inputs = collect_inputs(paths, jsonl)
    unreadable_before = inputs.report.skipped  # malformed CSV rows: no id, so no line; counted with the failures
    done = done_ids(output) if output is not None else set()
    todo = [item for item in inputs.items if id_key(item.id) not in done]
    summary: dict[str, Any] = {
        "inputs": len(inputs.items),
        "done": 0,
        "valid": 0,
        "invalid": 0,
        "failed": unreadable_before,
        "skipped": len(inputs.items) - len(todo),
        "ignored": len(inputs.ignored),
        "duplicates": inputs.duplicates,
        "batch_size": batch_size,
        "output": None if output is None else str(output),
        "model": None,
        "backend": None,
        "seconds": 0.0,
        "parse_seconds": 0.0,
        "resumes_per_hour": None,
        "problems": [],
    }
    if todo:
        parsing = parser(len(todo)) if parser is not None else LocalParser(model, backend, batch_size, max_new_tokens)
        label = {True: "fine-tuned, ", False: "zero-shot base model, ", None: ""}[parsing.fine_tuned]
        console.print(f"model: {escape(parsing.name)} ({label}{escape(parsing.backend)})")
        summary["model"], summary["backend"] = parsing.name, parsing.backend
        sink = _Sink(output, Echo(echo, parsing, console, stream))
        parse_started = time.perf_counter()
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TimeRemainingColumn(),
        )
        quiet = output is None and echo != "none" and stream.isatty()  # a bar would tear the results on screen
        progress = Progress(
            *columns,
            console=console,
            disable=quiet,
            redirect_stdout=False,
            redirect_stderr=False,
            speed_estimate_period=600.0,
        )
        try:
            with sink, progress:
                bar = progress.add_task("parsing", total=len(todo))
                for results in parsing.results(todo):
                    for result in results:
                        if result.problem is not None:
                            inputs.report.skipped += 1  # counted and kept as IngestReport.skip does, unlogged
                            if len(inputs.report.problems) < 1000:
                                inputs.report.problems.append(result.problem)
                        sink.write(result)
                        summary["failed" if result.error else "done"] += 1
                        if not result.error:
                            summary["valid" if result.valid else "invalid"] += 1
                    sink.sync()
                    progress.advance(bar, len(results))
        except KeyboardInterrupt:
            written = summary["done"] + summary["failed"] - unreadable_before
            again = f"rerun with --output {output} to continue" if output is not None else "nothing was saved"
            console.print(f"[yellow]interrupted after {written} of {len(todo)} resumes; {escape(again)}[/yellow]")
            raise
        summary["parse_seconds"] = round(time.perf_counter() - parse_started, 2)
        if summary["done"] and summary["parse_seconds"] > 0:
            summary["resumes_per_hour"] = round(summary["done"] / summary["parse_seconds"] * 3600, 1)
    summary["seconds"] = round(time.perf_counter() - started, 2)
    summary["problems"] = inputs.report.problems[:20]
    return summary


class _Sink:
    """The ``--output`` file (append, one flushed line per result, fsync per batch), else the echo."""

    def __init__(self, output: Path | None, echo: Echo) -> None:
        self.output, self.echo = output, echo
        self.handle: TextIO | None = None

    def __enter__(self) -> _Sink:
        if self.output is not None:
            self.output.parent.mkdir(parents=True, exist_ok=True)
            self.handle = self.output.open("a", encoding="utf-8")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()

    def write(self, result: Result) -> None:
        if self.handle is None:
            self.echo(result)
            return
        self.handle.write(json.dumps(result.record(), ensure_ascii=False) + "\n")  # one write: a kill tears at most it
        self.handle.flush()

    def sync(self) -> None:
        if self.handle is not None:
            os.fsync(self.handle.fileno())


def summary_lines(summary: dict[str, Any]) -> list[str]:
    """The human summary: counts, rate, and the first reasons inputs failed."""
    rate = summary["resumes_per_hour"]
    lines = [
        f"done {summary['done']} (valid {summary['valid']}, invalid {summary['invalid']}), failed {summary['failed']}, "
        f"skipped as already done {summary['skipped']}"
        + (f", ignored {summary['ignored']} non-resume files" if summary["ignored"] else "")
        + (f", {summary['duplicates']} duplicate ids" if summary["duplicates"] else ""),
        f"{summary['seconds']:.1f}s in all"
        + (f", {rate:,.0f} resumes/hour (batch {summary['batch_size']})" if rate is not None else ""),
    ]
    lines += [f"failed: {problem}" for problem in summary["problems"]]
    if summary["output"]:
        lines.append(f"results: {summary['output']}")
    return lines
