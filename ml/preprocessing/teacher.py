"""Label real data with a teacher model behind any OpenAI-compatible API.

    export OPENAI_API_KEY=...            # or GRILLER_API_KEY; local servers may need none
    griller data label --api-base https://api.openai.com/v1 --model gpt-4o-mini --price-in 0.15 --price-out 0.6
    griller data label --api-base http://127.0.0.1:8080/v1 --model local --concurrency 2 --tasks parse_resume

Every request uses the exact prompt of its task in ml/tasks.py (the training prompt is the
teacher prompt), and every answer is validated before it is kept:

* ``parse_resume``: each resume in ``ml/data/resumes``, cleaned exactly as ``griller data build``
  cleans it; the answer must validate as :class:`~ml.schema.ParsedResume`. Structured output is
  asked for as a JSON schema; a server that rejects that (HTTP 400) is asked for ``json_object``,
  then for plain text.
* ``interview_question``: an HR and a technical question about each resume that has a parse label
  (the prompt holds the brief of that label, as in training and serving).
* ``follow_up``: for each parsed resume, follow-ups to a vague and to a concrete candidate answer
  (question and answers written by ml/preprocessing/questions.py, seeded by the resume's hash); and
  one for each imported Q&A pair in ``ml/data/interview_qa``, asked against the synthetic resume
  :func:`ml.preprocessing.questions.qa_resume` attaches to the pair (stored with the label).

A question answer must be exactly one question ending in ``?`` of 5-40 words (the task's form rule,
:func:`ml.tasks.score_form`, which the evaluation measures too); an answer that is not (or a resume that
does not validate) is rejected and asked again once, then the item is skipped; rejections and skips are
counted. 429, 5xx, timeouts and connection errors are retried with exponential backoff (honouring
``Retry-After``). Every valid label is appended at once to a JSONL cache under a stable key (the
resume's content hash; plus task and slot for questions; ``qa:<hash>`` for a Q&A pair), so an
interrupted run resumes where it stopped, a rerun sends nothing already labelled, and ``data build``
finds the labels by the same keys.
"""

from __future__ import annotations

import json
import logging
import os
import random
import re
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError, field_validator, model_validator

from ml import tasks
from ml.paths import CACHE_DIR, INTERVIEW_QA_DIR
from ml.preprocessing import questions as Q
from ml.preprocessing.clean import Deduplicator, clean_text, content_hash
from ml.preprocessing.config import load_data_config
from ml.preprocessing.ingest import IngestReport, QAPair, iter_qa_folder, iter_resume_folder
from ml.schema import ParsedResume, parsed_resume_json_schema
from ml.tasks import MAX_QUESTION_WORDS, MIN_QUESTION_WORDS, QUESTION_TASKS, score_form

log = logging.getLogger(__name__)

DEFAULT_CACHE = CACHE_DIR / "teacher_labels.jsonl"
RESPONSE_FORMATS = ("json_schema", "json_object", "none")
PARSE = tasks.TaskName.PARSE_RESUME
ALL_TASKS = (PARSE, *QUESTION_TASKS)
VALID_TRIES = 2
"""Replies asked for per item: one more after a reply that fails validation."""
QUESTION_MAX_TOKENS = 200


class TeacherError(RuntimeError):
    """The teacher cannot be used at all (bad endpoint, auth); per-item failures are only counted."""


class InvalidAnswer(ValueError):
    """Every reply for one item failed validation; carries the tokens those replies cost."""

    def __init__(self, message: str, prompt_tokens: int, completion_tokens: int) -> None:
        super().__init__(message)
        self.prompt_tokens, self.completion_tokens = prompt_tokens, completion_tokens


@dataclass
class LabelJob:
    """One item for the teacher: its cache key, its task's user prompt, and what is stored beside the answer."""

    key: str
    doc_id: str
    task: tasks.TaskName
    user_input: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class LabelReport:
    labelled: int = 0
    cached: int = 0
    failed: int = 0
    rejected: int = 0
    unparsed: int = 0
    duplicates: int = 0
    by_task: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    prompt_tokens: int = 0
    completion_tokens: int = 0
    retries: int = 0
    response_format: str = ""
    problems: list[str] = field(default_factory=list)
    price_in: float | None = None
    price_out: float | None = None
    seconds: float = 0.0

    @property
    def cost(self) -> float | None:
        if self.price_in is None or self.price_out is None:
            return None
        return (self.prompt_tokens * self.price_in + self.completion_tokens * self.price_out) / 1e6

    def count(self, task: str, outcome: Literal["labelled", "cached", "failed"]) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)
        self.by_task[task][outcome] += 1

    def add_tokens(self, prompt: int, completion: int) -> None:
        self.prompt_tokens += prompt
        self.completion_tokens += completion

    def finish(self, teacher: Teacher, started: float) -> None:
        self.retries, self.rejected = teacher.retries, teacher.rejected
        self.response_format = teacher.response_format
        self.seconds = time.perf_counter() - started

    def as_dict(self) -> dict[str, Any]:
        return {
            "labelled": self.labelled,
            "cached": self.cached,
            "failed": self.failed,
            "rejected_replies": self.rejected,
            "resumes_without_parse_label": self.unparsed,
            "near_duplicate_resumes_skipped": self.duplicates,
            "by_task": {task: dict(counts) for task, counts in sorted(self.by_task.items())},
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "estimated_cost_usd": None if self.cost is None else round(self.cost, 4),
            "retries": self.retries,
            "response_format": self.response_format,
            "seconds": round(self.seconds, 1),
            "problems": self.problems[:50],
        }


def parse_tasks(spec: str) -> tuple[tasks.TaskName, ...]:
    """``"parse_resume,follow_up"`` → the tasks, in pipeline order; TeacherError names an unknown one."""
    names = {name.strip() for name in spec.split(",") if name.strip()}
    unknown = names - {task.value for task in ALL_TASKS}
    if unknown or not names:
        raise TeacherError(f"--tasks: unknown {sorted(unknown)}; choose from {[t.value for t in ALL_TASKS]}")
    return tuple(task for task in ALL_TASKS if task.value in names)


def api_key_from_env() -> str | None:
    return os.environ.get("GRILLER_API_KEY") or os.environ.get("OPENAI_API_KEY")


# --- answers and the cache ----------------------------------------------------------------------

_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.MULTILINE)


def parse_label(content: str) -> ParsedResume:
    """The model's reply → :class:`ParsedResume` (code fences and text around the object tolerated)."""
    text = _FENCE.sub("", content.strip())
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        raise ValueError("no JSON object in the reply")
    return ParsedResume.model_validate(json.loads(text[start : end + 1]))


def check_question(content: str) -> str:
    """The reply as one interview question (surrounding quotes dropped); ValueError says why it is not one."""
    text = content.strip().strip("\"'\u201c\u201d").strip()
    if not text:
        raise ValueError("empty reply")
    if tasks.one_question(text) != text:
        raise ValueError(f"not exactly one question: {text[:120]!r}")
    if not score_form(text).ok:
        raise ValueError(
            f"not one question of {MIN_QUESTION_WORDS}-{MAX_QUESTION_WORDS} words ending in '?': {text[:120]!r}"
        )
    return text


class QuestionLabel(BaseModel):
    """A cached teacher question and what it was asked about (``hash``: the resume's, or ``qa:…`` for a pair)."""

    key: str
    task: Literal["interview_question", "follow_up"]
    hash: str
    label: str
    tone: tasks.Tone | None = None
    question: str | None = None
    answer: str | None = None
    answer_kind: Literal["vague", "concrete"] | None = None
    vague_part: str | None = None
    resume: ParsedResume | None = None  # imported Q&A only: the resume the pair was asked against
    occupation: str | None = None

    @field_validator("label")
    @classmethod
    def _one_question(cls, value: str) -> str:
        return check_question(value)

    @model_validator(mode="after")
    def _complete(self) -> QuestionLabel:
        needed = ("tone",) if self.task == "interview_question" else ("question", "answer", "answer_kind")
        missing = [name for name in needed if getattr(self, name) is None]
        if missing:
            raise ValueError(f"{self.task} label without {missing}")
        return self


def _cache_rows(path: Path | None) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, row) of each JSON object line; lines a killed run left half-written are skipped."""
    if not path or not Path(path).is_file():
        return
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                log.warning("%s:%d: skipped malformed cache line", path, number)
                continue
            if isinstance(row, dict):
                yield number, row


def read_cache(path: Path | None) -> dict[str, ParsedResume]:
    """Resume content hash → parse label. Rows without a ``task`` are parse labels (older caches)."""
    labels: dict[str, ParsedResume] = {}
    for number, row in _cache_rows(path):
        if row.get("task", PARSE) != PARSE:
            continue
        try:
            labels[row["hash"]] = ParsedResume.model_validate(row["label"])
        except (KeyError, TypeError, ValidationError) as error:
            log.warning("%s:%d: skipped invalid parse label (%s)", path, number, type(error).__name__)
    return labels


def read_question_labels(path: Path | None) -> dict[str, list[QuestionLabel]]:
    """Question and follow-up labels grouped by what they were asked about (``QuestionLabel.hash``)."""
    by_key: dict[str, QuestionLabel] = {}
    for number, row in _cache_rows(path):
        if row.get("task", PARSE) == PARSE:
            continue
        try:
            label = QuestionLabel.model_validate(row)
        except ValidationError as error:
            log.warning("%s:%d: skipped invalid question label (%s)", path, number, str(error)[:120])
            continue
        by_key[label.key] = label
    grouped: dict[str, list[QuestionLabel]] = defaultdict(list)
    for label in by_key.values():
        grouped[label.hash].append(label)
    return dict(grouped)


def cached_keys(path: Path | None) -> set[str]:
    questions = {label.key for labels in read_question_labels(path).values() for label in labels}
    return set(read_cache(path)) | questions


# --- jobs ---------------------------------------------------------------------------------------


def parse_job(doc_id: str, text: str) -> LabelJob:
    digest = content_hash(text)
    return LabelJob(digest, doc_id, PARSE, tasks.parse_resume_input(text), {"hash": digest})


def _candidate_answer(item: Q.QuestionItem, kind: str, rng: random.Random) -> tuple[str, str | None]:
    if kind == "vague":
        answer, vague_part, _lacks = Q.vague_answer(item.target, rng)
        return answer, vague_part
    return Q.concrete_answer(item.target, rng, item.tone)[0], None


def question_jobs(
    doc_id: str, digest: str, truth: ParsedResume, selected: Sequence[tasks.TaskName] = QUESTION_TASKS
) -> list[LabelJob]:
    """The question prompts about one parsed resume: an HR and a technical question; follow-ups to a
    vague and a concrete answer. Seeded by the resume's hash, so a rerun asks the same things."""
    jobs: list[LabelJob] = []
    if tasks.TaskName.INTERVIEW_QUESTION in selected:
        for tone in tasks.Tone:
            jobs.append(
                LabelJob(
                    f"{digest}:interview_question:{tone.value}",
                    doc_id,
                    tasks.TaskName.INTERVIEW_QUESTION,
                    tasks.interview_question_input(truth, tone),
                    {"hash": digest, "tone": tone.value},
                )
            )
    if tasks.TaskName.FOLLOW_UP in selected:
        rng = random.Random(f"teacher:{digest}")
        for item, kind in zip(Q.make_questions(truth, rng, 2), ("vague", "concrete"), strict=False):
            answer, vague_part = _candidate_answer(item, kind, rng)
            fields = {"question": item.question, "answer": answer, "answer_kind": kind, "vague_part": vague_part}
            jobs.append(
                LabelJob(
                    f"{digest}:follow_up:{kind}",
                    doc_id,
                    tasks.TaskName.FOLLOW_UP,
                    tasks.follow_up_input(truth, item.question, answer),
                    {"hash": digest, "tone": item.tone, **fields},
                )
            )
    return jobs


def qa_key(pair: QAPair) -> str:
    return "qa:" + content_hash(f"{pair.question}\n{pair.answer}")


def qa_jobs(pairs: Iterable[QAPair], excluded_occupations: Sequence[str]) -> Iterator[LabelJob]:
    """A follow-up prompt per imported Q&A pair, against the synthetic resume the build attaches to it."""
    for pair in pairs:
        resume = Q.qa_resume(pair, excluded_occupations)
        key = qa_key(pair)
        kind, vague_part = Q.classify_answer(pair.answer)
        fields = {
            "hash": key,
            "question": pair.question,
            "answer": pair.answer,
            "answer_kind": kind,
            "vague_part": vague_part,
            "resume": resume.truth.model_dump(mode="json"),
            "occupation": resume.meta["occupation"],
        }
        user_input = tasks.follow_up_input(resume.truth, pair.question, pair.answer)
        yield LabelJob(key, pair.source, tasks.TaskName.FOLLOW_UP, user_input, fields)


# --- the client ---------------------------------------------------------------------------------


class Teacher:
    """A thin, thread-safe wrapper over ``openai.OpenAI`` with retries and response-format fallback."""

    def __init__(
        self,
        api_base: str,
        model: str,
        api_key: str | None = None,
        *,
        timeout: float = 120.0,
        max_retries: int = 5,
        backoff: float = 1.0,
        response_format: str = "json_schema",
        temperature: float = 0.0,
        max_tokens: int = 4096,
    ) -> None:
        import openai

        if response_format not in RESPONSE_FORMATS:
            raise TeacherError(f"response_format must be one of {RESPONSE_FORMATS}")
        self.openai = openai
        self.client = openai.OpenAI(
            base_url=api_base, api_key=api_key or api_key_from_env() or "not-needed", timeout=timeout, max_retries=0
        )
        self.model, self.max_retries, self.backoff = model, max_retries, backoff
        self.response_format = response_format
        self.temperature, self.max_tokens = temperature, max_tokens
        self._lock = threading.Lock()
        self.retries = 0
        self.rejected = 0

    def _format(self, name: str) -> dict[str, Any] | None:
        if name == "json_schema":
            return {
                "type": "json_schema",
                "json_schema": {"name": "parsed_resume", "schema": parsed_resume_json_schema(), "strict": False},
            }
        if name == "json_object":
            return {"type": "json_object"}
        return None

    def _retry_delay(self, error: Exception, attempt: int) -> float:
        response = getattr(error, "response", None)
        header = response.headers.get("retry-after") if response is not None else None
        try:
            if header is not None:
                return min(60.0, float(header))
        except ValueError:
            pass
        return self.backoff * (2**attempt) * (0.5 + random.random() / 2)

    def complete(
        self, messages: list[dict[str, str]], *, structured: bool = True, max_tokens: int | None = None
    ) -> tuple[str, int, int]:
        """(content, prompt tokens, completion tokens); retries transient errors.

        ``structured`` asks for the resume JSON schema, degrading the format on HTTP 400;
        otherwise (questions) no response format is sent.
        """
        o = self.openai
        attempt = 0
        while True:
            fmt_name = self.response_format if structured else "none"
            kwargs: dict[str, Any] = {
                "model": self.model,
                "messages": messages,
                "temperature": self.temperature,
                "max_tokens": max_tokens or self.max_tokens,
            }
            fmt = self._format(fmt_name)
            if fmt:
                kwargs["response_format"] = fmt
            try:
                response = self.client.chat.completions.create(**kwargs)
            except o.BadRequestError as error:
                if not structured:
                    raise
                with self._lock:
                    if self.response_format == fmt_name and fmt_name != "none":
                        nxt = RESPONSE_FORMATS[RESPONSE_FORMATS.index(fmt_name) + 1]
                        log.warning("server rejected response_format=%s (%s); trying %s", fmt_name, error, nxt)
                        self.response_format = nxt
                        continue
                if self.response_format != fmt_name:
                    continue
                raise
            except (o.RateLimitError, o.APITimeoutError, o.APIConnectionError, o.InternalServerError) as error:
                if attempt >= self.max_retries:
                    raise
                delay = self._retry_delay(error, attempt)
                log.info("transient %s; retry %d in %.1fs", type(error).__name__, attempt + 1, delay)
                with self._lock:
                    self.retries += 1
                time.sleep(delay)
                attempt += 1
                continue
            except o.APIStatusError as error:
                if error.status_code >= 500 and attempt < self.max_retries:
                    with self._lock:
                        self.retries += 1
                    time.sleep(self._retry_delay(error, attempt))
                    attempt += 1
                    continue
                raise
            usage = response.usage
            content = response.choices[0].message.content or ""
            return content, (usage.prompt_tokens if usage else 0), (usage.completion_tokens if usage else 0)

    def answer(self, task: tasks.TaskName, user_input: str) -> tuple[Any, int, int]:
        """(validated label, prompt tokens, completion tokens) for one prompt: a ParsedResume as a
        dict, or one question. A reply that fails validation is rejected and asked again once."""
        parse = task is PARSE
        messages = tasks.build_messages(task, user_input)
        prompt = completion = 0
        last_error: Exception | None = None
        for _ in range(VALID_TRIES):
            content, p, c = self.complete(messages, structured=parse, max_tokens=None if parse else QUESTION_MAX_TOKENS)
            prompt, completion = prompt + p, completion + c
            try:
                label = parse_label(content).model_dump(mode="json") if parse else check_question(content)
                return label, prompt, completion
            except ValueError as error:  # pydantic's ValidationError included
                last_error = error
                with self._lock:
                    self.rejected += 1
        kind = "label" if parse else "question"
        raise InvalidAnswer(f"invalid {kind} after {VALID_TRIES} tries: {str(last_error)[:200]}", prompt, completion)


# --- runs ---------------------------------------------------------------------------------------


def run_jobs(
    jobs: Iterable[LabelJob],
    teacher: Teacher,
    cache_path: Path,
    report: LabelReport,
    *,
    concurrency: int = 4,
    limit: int | None = None,
) -> None:
    """Send the jobs whose key is not cached yet, ``concurrency`` at a time; append each valid label to the cache."""
    cache_path = Path(cache_path)
    cache_path.parent.mkdir(parents=True, exist_ok=True)
    done = cached_keys(cache_path)
    todo: list[LabelJob] = []
    for job in jobs:
        if job.key in done:
            report.count(job.task, "cached")
            continue
        if limit is not None and len(todo) >= limit:
            break
        done.add(job.key)
        todo.append(job)
    write_lock = threading.Lock()
    auth_errors = (
        teacher.openai.AuthenticationError,
        teacher.openai.PermissionDeniedError,
        teacher.openai.NotFoundError,
    )

    def work(job: LabelJob) -> None:
        try:
            label, p, c = teacher.answer(job.task, job.user_input)
        except auth_errors:
            raise
        except Exception as error:  # one item's failure must not stop the run
            with write_lock:
                report.count(job.task, "failed")
                if isinstance(error, InvalidAnswer):
                    report.add_tokens(error.prompt_tokens, error.completion_tokens)
                report.problems.append(f"{job.doc_id}: {type(error).__name__}: {str(error)[:200]}")
            return
        row = {
            "key": job.key,
            "task": job.task.value,
            "id": job.doc_id,
            "model": teacher.model,
            "label": label,
            "usage": {"prompt_tokens": p, "completion_tokens": c},
            **job.fields,
        }
        with write_lock, cache_path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            report.count(job.task, "labelled")
            report.add_tokens(p, c)

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        futures = [pool.submit(work, job) for job in todo]
        for future in as_completed(futures):
            try:
                future.result()
            except auth_errors as error:
                for f in futures:
                    f.cancel()
                raise TeacherError(f"teacher endpoint refused the request: {error}") from error


def label_texts(
    items: Iterable[tuple[str, str]],
    teacher: Teacher,
    cache_path: Path = DEFAULT_CACHE,
    *,
    concurrency: int = 4,
    price_in: float | None = None,
    price_out: float | None = None,
    limit: int | None = None,
) -> LabelReport:
    """Parse labels for ``(id, cleaned text)`` pairs; labels already in the cache are skipped (resume)."""
    started = time.perf_counter()
    report = LabelReport(price_in=price_in, price_out=price_out)
    jobs = (parse_job(doc_id, text) for doc_id, text in items)
    run_jobs(jobs, teacher, cache_path, report, concurrency=concurrency, limit=limit)
    report.finish(teacher, started)
    return report


def _left(limit: int | None, report: LabelReport) -> int | None:
    return None if limit is None else max(0, limit - report.labelled - report.failed)


def label_folder(
    resumes_dir: Path,
    teacher: Teacher,
    cache_path: Path,
    report: LabelReport,
    *,
    selected: Sequence[tasks.TaskName] = ALL_TASKS,
    concurrency: int = 4,
    limit: int | None = None,
    strict: bool = False,
    dedup_threshold: float = 0.85,
) -> IngestReport:
    """Label every readable resume under ``resumes_dir`` (cleaned as the build cleans it): its parse
    label first, then the question prompts built from that label.

    Near duplicates are skipped before any API call, by the same filter, threshold and file order as
    ``griller data build`` uses, which would drop their examples anyway: they would only cost tokens.
    """

    ingest = IngestReport()
    resumes: list[tuple[str, str]] = []  # (id, content hash): the question pass needs no text
    dedup = Deduplicator(threshold=dedup_threshold)

    def parse_jobs() -> Iterator[LabelJob]:
        for doc in iter_resume_folder(resumes_dir, report=ingest, strict=strict):
            text = clean_text(doc.text)
            if not dedup.add(doc.id, text):
                report.duplicates += 1
                continue
            job = parse_job(doc.id, text)
            resumes.append((doc.id, job.key))
            yield job

    if PARSE in selected:
        run_jobs(parse_jobs(), teacher, cache_path, report, concurrency=concurrency, limit=limit)
    else:
        for _job in parse_jobs():
            pass
    wanted = [task for task in QUESTION_TASKS if task in selected]
    if wanted:
        parsed = read_cache(cache_path)

        def jobs() -> Iterator[LabelJob]:
            for doc_id, digest in resumes:
                truth = parsed.get(digest)
                if truth is None:
                    report.unparsed += 1
                    continue
                yield from question_jobs(doc_id, digest, truth, wanted)

        run_jobs(jobs(), teacher, cache_path, report, concurrency=concurrency, limit=_left(limit, report))
    return ingest


def run_label(
    api_base: str,
    model: str,
    resumes_dir: Path,
    cache_path: Path | None = None,
    *,
    qa_dir: Path | None = INTERVIEW_QA_DIR,
    selected: Sequence[tasks.TaskName] = ALL_TASKS,
    config_path: Path | None = None,
    concurrency: int = 4,
    price_in: float | None = None,
    price_out: float | None = None,
    limit: int | None = None,
    response_format: str = "json_schema",
    strict: bool = False,
    console: Any | None = None,
) -> dict[str, Any]:
    """What ``griller data label`` does: label resumes and Q&A pairs, print tokens and cost, return the summary.

    ``config_path`` is the data config whose held-out occupations imported Q&A pairs must avoid.
    """

    started = time.perf_counter()
    teacher = Teacher(api_base, model, api_key_from_env(), response_format=response_format)
    cache = Path(cache_path or DEFAULT_CACHE)
    report = LabelReport(price_in=price_in, price_out=price_out)
    data_config = load_data_config(config_path)
    ingest = label_folder(
        Path(resumes_dir),
        teacher,
        cache,
        report,
        selected=selected,
        concurrency=concurrency,
        limit=limit,
        strict=strict,
        dedup_threshold=data_config.dedup_threshold,
    )
    if tasks.TaskName.FOLLOW_UP in selected and qa_dir is not None and Path(qa_dir).is_dir():
        excluded = data_config.heldout.get("occupations", [])
        pairs = iter_qa_folder(Path(qa_dir), report=ingest, strict=strict)
        run_jobs(qa_jobs(pairs, excluded), teacher, cache, report, concurrency=concurrency, limit=_left(limit, report))
    report.finish(teacher, started)
    summary = report.as_dict() | {
        "cache": str(cache),
        "read": ingest.read,
        "skipped_files": ingest.skipped,
        "file_problems": ingest.problems[:20],
    }
    if console is not None:
        _print_summary(console, report, ingest, summary["cache"])
    return summary


def _print_summary(console: Any, report: LabelReport, ingest: IngestReport, cache: str) -> None:
    from rich.markup import escape

    cost = "unknown (pass --price-in/--price-out, USD per 1M tokens)" if report.cost is None else f"${report.cost:.4f}"
    console.print(
        f"labelled {report.labelled}, from cache {report.cached}, failed {report.failed} "
        f"({report.seconds:.1f}s, response_format={report.response_format}, retries {report.retries}, "
        f"rejected replies {report.rejected})"
    )
    for task, counts in sorted(report.by_task.items()):
        console.print(f"  {task}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    if report.unparsed:
        console.print(f"  {report.unparsed} resumes have no parse label yet: no question prompts for them")
    if report.duplicates:
        console.print(f"  {report.duplicates} near-duplicate resumes skipped (the build would drop them too)")
    console.print(
        f"tokens: prompt {report.prompt_tokens}, completion {report.completion_tokens}; estimated cost {cost}"
    )
    console.print(f"files: read {ingest.read}, skipped {ingest.skipped}; cache: {cache}")
    for problem in (ingest.problems + report.problems)[:20]:
        console.print(f"  [yellow]{escape(str(problem))}[/yellow]")
