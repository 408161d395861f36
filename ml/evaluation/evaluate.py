"""Evaluate a model on a processed split: generate, score, stream to disk, aggregate, report.

    griller eval --model ml/models/exported/resume-griller-lora --data ml/data/processed/test.jsonl
    griller eval --model runs/my-run/adapter --data test.jsonl --compare smollm2-135m-instruct --limit 200
    python -c "from ml.evaluation.evaluate import evaluate; evaluate('my-model', 'test.jsonl', 20, 'runs/eval/x')"

What it does, in order:
1. ``examples()`` reads the JSONL lazily (one example in memory at a time).
2. For each model (the evaluated one, then the ``compare`` base, never both loaded at once)
   each example not yet in ``predictions.<role>.jsonl`` is generated with the same prompt
   (``Engine.generate(task, example["input"])``; question tasks keep ``tasks.one_question``),
   scored by :mod:`ml.evaluation.metrics` and appended as one line, flushed. A rerun with the
   same output folder skips the indices already there, after checking that they were written
   by the same model on the same examples; a torn last line (a crash mid-write) is dropped.
3. A second streaming pass over each predictions file builds the aggregates: every metric
   overall and by task, tone, occupation, layout and answer kind; per-field parse scores;
   latency and tokens/s per task; diversity and template share per task (from the question strings only;
   :mod:`ml.evaluation.question_quality`: what templates cannot fake).
4. ``report.json`` and ``report.md`` are written to the output folder (model, base and
   model - base deltas side by side) and the returned dict is the JSON report.

The generator is injectable: ``model`` may be an :class:`~ml.inference.engine.Engine`, a model
spec string (loaded with ``load_engine``), or any callable ``(task, input) -> str | Generation``,
which is how the tests run the whole pipeline without a language model.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ml import tasks
from ml.base_model import BaseModelError, is_adapter_dir
from ml.evaluation import metrics as m
from ml.evaluation import question_quality as qq
from ml.evaluation.report import print_report, render_markdown
from ml.evaluation.tone_classifier import tone_classifier
from ml.inference import PARSE_SEQUENCES
from ml.inference.backends import load_engine, resolve_backend
from ml.inference.embeddings import Embedder, load_embedder
from ml.inference.engine import Generation, parse_method_setting
from ml.inference.llama_cpp_engine import CONVERTED_QUANT
from ml.jsonl import JsonlError, read_appended_jsonl
from ml.paths import REPO_ROOT
from ml.preprocessing.jsonresume import JsonResumeError
from ml.preprocessing.real_renderings import real_val_with_pdfs
from ml.tasks import QUESTION_TASKS
from ml.text import split_columns

log = logging.getLogger(__name__)

DEFAULT_EVAL_DIR = REPO_ROOT / "runs" / "eval"
GROUP_DIMENSIONS = ("task", "tone", "occupation", "rendering", "layout", "answer_kind")
"""``rendering``: the part of ``meta.layout`` before a colon (``text:inline`` → ``text``, ``pdf:even`` → ``pdf``)."""
SAMPLES_PER_TASK = 3

GenerateFn = Callable[[str, str], "Generation | str"]


class EvaluationError(RuntimeError):
    """An evaluation cannot run or resume as asked; the message says what to do."""


# --- generators ------------------------------------------------------------------------------------


@dataclass
class Generator:
    """A named ``(task, input) -> Generation`` function; the model behind it loads on first use."""

    name: str
    factory: Callable[[], Callable[[str, str], Generation]]
    fingerprint: str | None = None  # of the weights behind ``name`` (see weights_fingerprint)
    _fn: Callable[[str, str], Generation] | None = field(default=None, repr=False)

    def __call__(self, task: str, user_input: str) -> Generation:
        if self._fn is None:
            self._fn = self.factory()
        return self._fn(task, user_input)

    def release(self) -> None:
        self._fn = None


def _from_callable(fn: GenerateFn) -> Callable[[str, str], Generation]:
    def generate(task: str, user_input: str) -> Generation:
        started = time.perf_counter()
        result = fn(task, user_input)
        if isinstance(result, Generation):
            return result
        text = str(result)
        return Generation(text, 0, len(text.split()), time.perf_counter() - started, True)

    return generate


def as_generator(model: Any, max_new_tokens: int | None = None) -> Generator:
    """An Engine, a callable or a model spec (``None``: the default base model) as a :class:`Generator`."""
    if isinstance(model, Generator):
        return model
    if hasattr(model, "generate") and hasattr(model, "tokenizer"):  # an Engine
        engine = model
        return Generator(engine.name, lambda: lambda t, i: engine.generate(t, i, max_new_tokens))
    if callable(model):
        return Generator(getattr(model, "__name__", type(model).__name__), lambda: _from_callable(model))

    backend = resolve_backend(model)  # GRILLER_BACKEND (griller eval --backend sets it), auto by default
    fingerprint = weights_fingerprint(model)

    def load() -> Callable[[str, str], Generation]:
        # the backend asked for (auto falls back as `griller parse` does), decoding as many answers together as
        # `griller parse` does by default: on llama.cpp the count changes the numbers
        engine = load_engine(model, parallel=PARSE_SEQUENCES)
        if engine.backend != backend:  # auto fell back: the predictions would go under the other backend's name
            raise EvaluationError(
                f"{model} did not load on {backend} and fell back to {engine.backend} (the warning above says why): "
                f"evaluate it with --backend {engine.backend}"
            )
        # the predictions are recorded under the fingerprint read when the run started: weights swapped in
        # between (a run queued behind an export) would be scored under the old ones' name
        if weights_fingerprint(model) != fingerprint:
            raise EvaluationError(f"the weights at {model} changed after this evaluation started: run it again")
        return lambda t, i: engine.generate(t, i, max_new_tokens)

    # the backend is part of the name, so --output never resumes one backend's predictions with the other, nor an
    # adapter's llama.cpp predictions with those of another conversion (f16 until 2026-11-26) or another count of
    # sequences decoded together (1 until 2026-12-06)
    name = str(model or "base") + ("" if backend == "transformers" else f" ({_llama_cpp_label(model)})")
    if parse_method_setting() != "single":  # predictions of a parse by parts are their own (before: one pass only)
        name += f" [{parse_method_setting()} parse]"
    return Generator(name, load, fingerprint)


def _llama_cpp_label(model: str | Path | None) -> str:
    """``llama.cpp``, with the weights an adapter is converted to when ``model`` is one, and the sequences."""
    path = Path(model) if model is not None else None
    weights = f", {CONVERTED_QUANT}" if path is not None and is_adapter_dir(path) else ""
    return f"llama.cpp{weights}, {PARSE_SEQUENCES} sequences"


WEIGHT_SUFFIXES = (".safetensors", ".gguf", ".bin", ".pt")
FINGERPRINT_SAMPLE = 2**20


def weights_fingerprint(spec: str | Path | None) -> str | None:
    """A short digest of the weight files at a local path: --output must not resume another model's predictions.

    Each weight file contributes its name, size and first and last MiB (a retrained or re-exported model
    differs there; reading whole multi-GB files would not pay). A hub id or alias has no local files: ``None``.
    """
    path = Path(spec) if spec is not None else None
    if path is None or not path.exists():
        return None
    files = [path] if path.is_file() else sorted(f for f in path.rglob("*") if f.suffix in WEIGHT_SUFFIXES)
    digest = hashlib.sha256()
    for file in files:
        size = file.stat().st_size
        digest.update(f"{file.name}:{size}".encode())
        with file.open("rb") as handle:
            digest.update(handle.read(FINGERPRINT_SAMPLE))
            handle.seek(max(size - FINGERPRINT_SAMPLE, 0))
            digest.update(handle.read(FINGERPRINT_SAMPLE))
    return digest.hexdigest()[:16]


# --- data ------------------------------------------------------------------------------------------


def examples(data_path: Path, limit: int | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line index, example) for the first ``limit`` examples of a processed JSONL, lazily."""
    count = 0
    with Path(data_path).open(encoding="utf-8") as handle:
        for line in handle:
            if limit is not None and count >= limit:
                return
            if not line.strip():
                continue
            yield count, json.loads(line)
            count += 1


def example_hash(example: dict[str, Any]) -> str:
    payload = json.dumps([example.get("task"), example.get("input"), example.get("output")], ensure_ascii=False)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:16]


_RESUME_IN_INPUT = re.compile(r"Resume:\n(.*?)(?:\n\nQuestion:|\Z)", re.DOTALL)


def resume_text(example: dict[str, Any]) -> str:
    """The resume a question task is about (the brief in its meta, where the prompt carries only one part of it, or
    else the brief in its input), or the text of a parse example as the parse prompt reads it (two columns one after
    the other, so a value wrapped within a column is one span)."""
    meta = example.get("meta") or {}
    if example.get("task") == tasks.TaskName.PARSE_RESUME:
        return split_columns(meta.get("text") or str(example.get("input", "")).removeprefix("Parse this resume:\n"))
    if meta.get("brief"):
        return str(meta["brief"])
    match = _RESUME_IN_INPUT.search(str(example.get("input", "")))
    return match[1].strip() if match else str(example.get("input", ""))


# --- scoring one example ---------------------------------------------------------------------------


@dataclass
class Scorers:
    """The models the question metrics need, loaded on first use and shared by all examples."""

    embedder_preference: str = "minilm"
    _embedder: Embedder | None = None

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = load_embedder(self.embedder_preference)
        return self._embedder


def score_example(example: dict[str, Any], output: str, scorers: Scorers) -> dict[str, Any]:
    """The metrics of one generated output (see :mod:`ml.evaluation.metrics` for their definitions)."""
    task = example["task"]
    meta = example.get("meta") or {}
    if task == tasks.TaskName.PARSE_RESUME:
        return m.score_parse(output, example["output"], resume_text(example)).to_record()
    reference = str(example.get("output", ""))
    resume = resume_text(example)
    relevance, reference_relevance = scorers.embedder.cosine([output or " ", reference or " "], resume)
    entities = meta.get("entities")
    form = tasks.score_form(output)
    record: dict[str, Any] = {
        "relevance": round(relevance, 4) if output.strip() else 0.0,
        "reference_relevance": round(reference_relevance, 4),
        "form": form.ok,
        "words": form.words,
    }
    # templates and slot-filling nonsense (question_quality.py); a question example's meta has no parsed resume: its
    # brief is read back
    facts = qq.ResumeFacts.of(meta["resume"] if meta.get("resume") else qq.read_brief(resume))
    if entities is not None:
        specific = qq.specific(output, entities, facts)
        record.update(
            specificity=specific,
            entities_named=m.named_entities(output, entities),
            reference_specificity=qq.specific(reference, entities, facts),
            grounded=specific and form.ok,  # relevance alone rewards echoing the resume: ml/docs/evaluation.md
        )
    if task == tasks.TaskName.INTERVIEW_QUESTION and example.get("tone"):
        classifier = tone_classifier()
        predicted = classifier.predict(output)
        record.update(
            tone_predicted=predicted,
            tone_accuracy=predicted == example["tone"],
            reference_tone_accuracy=classifier.predict(reference) == example["tone"],
        )
    technical = task == tasks.TaskName.INTERVIEW_QUESTION and example.get("tone") == tasks.Tone.TECHNICAL
    answer = meta.get("answer") if task == tasks.TaskName.FOLLOW_UP else None
    record.update(qq.score_question(output, facts, technical=technical, answer=answer, reference=reference))
    if task == tasks.TaskName.FOLLOW_UP:
        question, answer = meta.get("question", ""), meta.get("answer", "")
        follow = m.score_follow_up(output, question, answer, meta.get("vague_part"))
        reference_follow = m.score_follow_up(reference, question, answer, meta.get("vague_part"))
        record.update(
            follow_up_quality=follow.quality,
            refers_to_answer=follow.refers,
            asks_specifics=follow.asks_specifics,
            asks_for=follow.asks_for,
            not_repeat=follow.not_repeat,
            is_question=follow.is_question,
            reference_follow_up_quality=reference_follow.quality,
        )
    return record


def _group_fields(example: dict[str, Any]) -> dict[str, str | None]:
    meta = example.get("meta") or {}
    return {
        "task": example.get("task"),
        "tone": example.get("tone") or meta.get("tone"),
        "occupation": meta.get("occupation"),
        "rendering": str(meta["layout"]).partition(":")[0] if ":" in str(meta.get("layout") or "") else None,
        "layout": meta.get("layout"),
        "answer_kind": meta.get("answer_kind"),
        "resume_id": meta.get("resume_id"),
    }


# --- streaming predictions -------------------------------------------------------------------------


def _read_done(path: Path, model_name: str, fingerprint: str | None) -> dict[int, str]:
    """Indices already scored in a predictions file (index -> example hash); drops a torn last line."""
    done: dict[int, str] = {}
    try:
        records = read_appended_jsonl(path)
    except JsonlError as error:
        raise EvaluationError(str(error)) from error
    for record in records:
        if record.get("model") != model_name:
            raise EvaluationError(
                f"{path} holds predictions of {record.get('model')!r}, not {model_name!r}: "
                "pass another --output folder or delete it"
            )
        if record.get("fingerprint") != fingerprint:
            raise EvaluationError(
                f"{path} holds predictions of other weights at {model_name!r} (retrained or re-exported since): "
                "pass another --output folder or delete it"
            )
        done[record["index"]] = record["example_hash"]
    return done


def run_predictions(
    generator: Generator,
    data_path: Path,
    limit: int | None,
    path: Path,
    scorers: Scorers,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Generate and score every example not yet in ``path``; one flushed JSON line each."""
    done = _read_done(path, generator.name, generator.fingerprint)
    stats = {"generated": 0, "skipped": 0}
    with path.open("a", encoding="utf-8") as out:
        for index, example in examples(data_path, limit):
            digest = example_hash(example)
            if index in done:
                if done[index] != digest:
                    raise EvaluationError(
                        f"{path}: example {index} differs from the one scored before (another data file?): "
                        "pass another --output folder or delete it"
                    )
                stats["skipped"] += 1
                if progress:
                    progress(1)
                continue
            task = tasks.TaskName(example["task"])
            generation = generator(task, example["input"])
            output = generation.text
            if task in QUESTION_TASKS:
                output = tasks.one_question(output)
            record = {
                "index": index,
                "example_hash": digest,
                "model": generator.name,
                "fingerprint": generator.fingerprint,
                **_group_fields(example),
                "output": output,
                "raw": generation.text if output != generation.text else None,
                "reference": example.get("output") if task in QUESTION_TASKS else None,
                "seconds": round(generation.seconds, 4),
                "prompt_tokens": generation.prompt_tokens,
                "completion_tokens": generation.completion_tokens,
                "finished": generation.finished,
                "metrics": score_example(example, output, scorers),
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            out.flush()
            stats["generated"] += 1
            if progress:
                progress(1)
    return stats


def iter_records(path: Path, indices: set[int] | None = None) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if indices is None or record["index"] in indices:
                yield record


# --- aggregation -----------------------------------------------------------------------------------

MEAN_METRICS = (
    "json_valid",
    "schema_valid",
    "relevance",
    "reference_relevance",
    "specificity",
    "reference_specificity",
    "grounded",
    "tone_accuracy",
    "reference_tone_accuracy",
    "form",
    "follow_up_quality",
    "refers_to_answer",
    "asks_specifics",
    "not_repeat",
    "reference_follow_up_quality",
    "coherence",
    "depth",
    "quote_fidelity",
    "filler_opener",
)


class _Mean:
    __slots__ = ("count", "total")

    def __init__(self) -> None:
        self.total = 0.0
        self.count = 0

    def add(self, value: float | bool | None) -> None:
        if value is not None:
            self.total += float(value)
            self.count += 1

    @property
    def value(self) -> float | None:
        return self.total / self.count if self.count else None


class GroupStats:
    """Running sums of one group of records (all, one task, one occupation …): O(1) memory in records."""

    def __init__(self) -> None:
        self.n = 0
        self.means: dict[str, _Mean] = defaultdict(_Mean)
        self.micro = m.Counts()
        self.fields: dict[str, m.Counts] = defaultdict(m.Counts)
        self.field_examples: dict[str, int] = defaultdict(int)
        self.entries: dict[str, m.Counts] = defaultdict(m.Counts)
        self.hallucinated = 0
        self.predicted_values = 0

    def add(self, record: dict[str, Any]) -> None:
        self.n += 1
        scores = record["metrics"]
        for name in MEAN_METRICS:
            if name in scores:
                self.means[name].add(scores[name])
        if record["task"] == tasks.TaskName.PARSE_RESUME:
            self.micro.add(m.Counts(*scores["micro"]))
            for name, counts in scores["fields"].items():
                self.fields[name].add(m.Counts(*counts))
                self.field_examples[name] += 1
            for name, counts in scores["entries"].items():
                self.entries[name].add(m.Counts(*counts))
            self.hallucinated += len(scores["hallucinated"])
            self.predicted_values += scores["predicted_values"]

    def summary(self) -> dict[str, Any]:
        result: dict[str, Any] = {"n": self.n}
        for name, mean in self.means.items():
            result[name] = mean.value
        if "json_valid" in self.means:
            result.update(
                micro_precision=self.micro.precision,
                micro_recall=self.micro.recall,
                micro_f1=self.micro.f1,
                hallucination_rate=self.hallucinated / self.predicted_values if self.predicted_values else None,
                skills_f1=self.fields["skills"].f1 if "skills" in self.fields else None,
                experience_match_f1=self.entries["experience"].f1 if "experience" in self.entries else None,
                education_match_f1=self.entries["education"].f1 if "education" in self.entries else None,
            )
        return {k: _round(v) for k, v in result.items()}

    def field_table(self) -> dict[str, dict[str, Any]]:
        """Per field: F1, precision, recall, support (true items) and, for scalars, accuracy.

        Accuracy = examples where the field is right / examples where truth or prediction has it.
        """
        table = {}
        for name in m.FIELD_NAMES:
            counts = self.fields.get(name)
            if counts is None or not counts.counted:
                continue
            row = {
                "f1": _round(counts.f1),
                "precision": _round(counts.precision),
                "recall": _round(counts.recall),
                "support": counts.tp + counts.fn,
                **counts.__dict__,
            }
            if name in m.SCALAR_FIELDS:
                row["accuracy"] = _round(counts.tp / self.field_examples[name])
            table[name] = row
        return table


def _round(value: Any) -> Any:
    return round(value, 4) if isinstance(value, float) else value


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def aggregate(path: Path, indices: set[int]) -> dict[str, Any]:
    """Stream a predictions file once into the report of one model."""
    groups: dict[tuple[str, str], GroupStats] = defaultdict(GroupStats)
    latency: dict[str, list[float]] = defaultdict(list)
    tokens: dict[str, int] = defaultdict(int)
    finished: dict[str, _Mean] = defaultdict(_Mean)
    questions: dict[str, list[str]] = defaultdict(list)
    references: dict[str, list[str]] = defaultdict(list)
    samples: dict[str, list[dict[str, Any]]] = defaultdict(list)
    skeletons: dict[str, list[tuple[str, str]]] = defaultdict(list)  # (resume, skeleton): template share is per run
    reference_skeletons: dict[str, list[tuple[str, str]]] = defaultdict(list)
    name = None
    for record in iter_records(path, indices):
        name = record["model"]
        task = record["task"]
        groups[("all", "all")].add(record)
        for dimension in GROUP_DIMENSIONS:
            if record.get(dimension):
                groups[(dimension, record[dimension])].add(record)
        latency[task].append(record["seconds"])
        tokens[task] += record["completion_tokens"]
        finished[task].add(record["finished"])
        if task in QUESTION_TASKS:
            questions[task].append(record["output"])
            references[task].append(record["reference"] or "")
            resume_id = str(record.get("resume_id") or f"#{record['index']}")
            if "skeleton" in record["metrics"]:
                skeletons[task].append((resume_id, record["metrics"]["skeleton"]))
            if "reference_skeleton" in record["metrics"]:
                reference_skeletons[task].append((resume_id, record["metrics"]["reference_skeleton"]))
        if len(samples[task]) < SAMPLES_PER_TASK:
            samples[task].append(_sample(record))
    by: dict[str, dict[str, Any]] = {d: {} for d in GROUP_DIMENSIONS}
    for (dimension, value), stats in sorted(groups.items()):
        if dimension != "all":
            by[dimension][value] = stats.summary()
    for task, texts in questions.items():
        by["task"][task].update({k: _round(v) for k, v in m.diversity(texts).items()})
        by["task"][task].update({f"reference_{k}": _round(v) for k, v in m.diversity(references[task]).items()})
    for task, items in skeletons.items():
        templates = qq.template_share(items)
        by["task"][task].update(template_share=_round(templates.share), top_templates=templates.top)
        by["task"][task]["reference_template_share"] = _round(qq.template_share(reference_skeletons[task]).share)
    overall = groups[("all", "all")]
    return {
        "name": name,
        "n": overall.n,
        "overall": overall.summary(),
        **{f"by_{dimension}": values for dimension, values in by.items()},
        "fields": overall.field_table(),
        "latency": {
            task: {
                "n": len(seconds),
                "mean_s": _round(statistics.fmean(seconds)),
                "p50_s": _round(_percentile(seconds, 0.5)),
                "p90_s": _round(_percentile(seconds, 0.9)),
                "completion_tokens_mean": _round(tokens[task] / len(seconds)),
                "tokens_per_s": _round(tokens[task] / sum(seconds)) if sum(seconds) else None,
                "finished_rate": _round(finished[task].value),
            }
            for task, seconds in sorted(latency.items())
        },
        "samples": samples,
    }


SAMPLE_LISTS = ("hallucinated", "asks_for", "incoherent", "unfaithful_quotes")


def _sample(record: dict[str, Any]) -> dict[str, Any]:
    scores = record["metrics"]
    keep = {k: v for k, v in scores.items() if not isinstance(v, (dict, list)) or k in SAMPLE_LISTS}
    if "hallucinated" in keep:
        keep["hallucinated"] = keep["hallucinated"][:5]
    return {
        "index": record["index"],
        "output": record["output"][:800],
        "reference": (record.get("reference") or "")[:400] or None,
        "metrics": keep,
    }


def diff(a: Any, b: Any) -> Any:
    """``a - b`` for every number present on both sides of two nested dicts (bools as 0/1)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = {k: diff(a[k], b[k]) for k in a if k in b and k not in ("n", "support", "tp", "fp", "fn")}
        return {k: v for k, v in out.items() if v is not None and v != {}}
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return _round(float(a) - float(b))
    return None


# --- the entry point -------------------------------------------------------------------------------


def default_output_dir(model_name: str, data_path: Path) -> Path:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", model_name.strip("/")).strip("_")[-60:] or "model"
    return DEFAULT_EVAL_DIR / f"{slug}__{Path(data_path).stem}"


def evaluate(
    model: Any,
    data_path: str | Path,
    limit: int | None = None,
    output_dir: str | Path | None = None,
    compare: Any = None,
    *,
    max_new_tokens: int | None = None,
    embedder: str = "minilm",
    show_progress: bool = False,
) -> dict[str, Any]:
    """Evaluate ``model`` (and ``compare`` beside it) on ``data_path``; write and return the report.

    ``model`` / ``compare``: an Engine, a model spec for ``load_engine`` or a callable
    ``(task, input) -> str | Generation``. ``embedder``: ``"minilm"`` (falls back to lexical when
    unavailable) or ``"lexical"``. Predictions stream to ``output_dir/predictions.{model,base}.jsonl``.
    """
    data_path = Path(data_path)
    if not data_path.is_file():
        raise EvaluationError(f"no data file {data_path}: build one with `griller data build`")
    roles = {"model": as_generator(model, max_new_tokens)}
    if compare is not None:
        roles["base"] = as_generator(compare, max_new_tokens)
    output_dir = Path(output_dir) if output_dir else default_output_dir(roles["model"].name, data_path)
    output_dir.mkdir(parents=True, exist_ok=True)
    indices = {index for index, _ in examples(data_path, limit)}
    if not indices:
        raise EvaluationError(f"{data_path} holds no examples")
    scorers = Scorers(embedder)
    runs: dict[str, dict[str, int]] = {}
    for role, generator in roles.items():
        path = output_dir / f"predictions.{role}.jsonl"
        runs[role] = _run_with_progress(generator, data_path, limit, path, scorers, len(indices), show_progress)
        generator.release()  # never two models in memory at once
    results = {role: aggregate(output_dir / f"predictions.{role}.jsonl", indices) for role in roles}
    classifier = tone_classifier()
    report: dict[str, Any] = {
        "data": str(data_path),
        "limit": limit,
        "examples": len(indices),
        "output_dir": str(output_dir),
        "relevance_backend": scorers._embedder.name if scorers._embedder else None,
        "tone_classifier": classifier.describe(),
        "runs": runs,
        "models": results,
    }
    if "base" in results:
        report["delta"] = diff(
            {k: v for k, v in results["model"].items() if k not in ("name", "samples")},
            {k: v for k, v in results["base"].items() if k not in ("name", "samples")},
        )

    (output_dir / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (output_dir / "report.md").write_text(render_markdown(report), encoding="utf-8")
    return report


def _run_with_progress(
    generator: Generator,
    data_path: Path,
    limit: int | None,
    path: Path,
    scorers: Scorers,
    total: int,
    show: bool,
) -> dict[str, int]:
    if not show:
        return run_predictions(generator, data_path, limit, path, scorers)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
        job = bar.add_task(f"eval {generator.name}", total=total)
        return run_predictions(generator, data_path, limit, path, scorers, lambda n: bar.advance(job, n))


def real_val_data(generator: Generator, output: Path | None, limit: int | None = None) -> tuple[Path, Path]:
    """``griller eval --real``: the output folder (named for the model, as for a data file) and the real validation
    examples built into it from the shared JSON Resume folder (each person as text, then as a theme PDF read back),
    with their SOURCES.tsv and NOTICE.tsv."""

    output = Path(output) if output else default_output_dir(generator.name, Path("real_val.jsonl"))
    try:
        return output, real_val_with_pdfs(output, limit=limit)
    except JsonResumeError as error:
        raise EvaluationError(str(error)) from error


def run_cli(
    model: str | None,
    data: Path | None,
    limit: int | None,
    output: Path | None,
    compare: str | None,
    max_new_tokens: int | None,
    console,
) -> dict[str, Any]:
    """``griller eval``: evaluate with a progress bar, print the table on ``console``, return the report.
    ``data`` ``None``: the real validation set (:func:`real_val_data`)."""

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    try:
        if data is None:
            generator = as_generator(model, max_new_tokens)
            output, data = real_val_data(generator, output, limit)
            model = generator
        report = evaluate(model, data, limit, output, compare, max_new_tokens=max_new_tokens, show_progress=True)
    except BaseModelError as error:
        raise EvaluationError(str(error)) from error
    print_report(report, console)
    return report
