"""Label real resumes with a teacher model behind any OpenAI-compatible API.

    export OPENAI_API_KEY=...            # or GRILLER_API_KEY; local servers may need none
    griller data label --api-base https://api.openai.com/v1 --model gpt-4o-mini --price-in 0.15 --price-out 0.6
    griller data label --api-base http://127.0.0.1:8080/v1 --model local --concurrency 2

Each resume in ``ml/data/resumes`` is cleaned exactly as ``griller data build`` cleans it,
sent with the ``parse_resume`` prompt of ml/tasks.py, and the answer validated against
:class:`~ml.schema.ParsedResume`. Structured output is asked for as a JSON schema; a
server that rejects that (HTTP 400) is asked for ``json_object``, then for plain text.
429, 5xx, timeouts and connection errors are retried with exponential backoff (honouring
``Retry-After``). Every valid label is appended at once to a JSONL cache keyed by the
content hash, so an interrupted run resumes where it stopped and ``data build`` finds the
labels by the same hash.
"""

from __future__ import annotations

import json
import logging
import os
import random
import re
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ml import tasks
from ml.paths import CACHE_DIR
from ml.schema import ParsedResume, parsed_resume_json_schema

log = logging.getLogger(__name__)

DEFAULT_CACHE = CACHE_DIR / "teacher_labels.jsonl"
RESPONSE_FORMATS = ("json_schema", "json_object", "none")


class TeacherError(RuntimeError):
    """The teacher cannot be used at all (bad endpoint, auth); per-document failures are only counted."""


@dataclass
class LabelReport:
    labelled: int = 0
    cached: int = 0
    failed: int = 0
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

    def as_dict(self) -> dict[str, Any]:
        return {
            "labelled": self.labelled,
            "cached": self.cached,
            "failed": self.failed,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "estimated_cost_usd": None if self.cost is None else round(self.cost, 4),
            "retries": self.retries,
            "response_format": self.response_format,
            "seconds": round(self.seconds, 1),
            "problems": self.problems[:50],
        }


def api_key_from_env() -> str | None:
    return os.environ.get("GRILLER_API_KEY") or os.environ.get("OPENAI_API_KEY")


def read_cache(path: Path | None) -> dict[str, ParsedResume]:
    """Content hash → label. Malformed cache lines (a run killed mid-write) are skipped."""
    labels: dict[str, ParsedResume] = {}
    if not path or not Path(path).is_file():
        return labels
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                labels[row["hash"]] = ParsedResume.model_validate(row["label"])
            except (json.JSONDecodeError, KeyError, TypeError, ValidationError) as error:
                log.warning("%s:%d: skipped malformed cache line (%s)", path, number, type(error).__name__)
    return labels


_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.MULTILINE)


def parse_label(content: str) -> ParsedResume:
    """The model's reply → :class:`ParsedResume` (code fences and text around the object tolerated)."""
    text = _FENCE.sub("", content.strip())
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        raise ValueError("no JSON object in the reply")
    return ParsedResume.model_validate(json.loads(text[start : end + 1]))


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

    def complete(self, messages: list[dict[str, str]]) -> tuple[str, int, int]:
        """(content, prompt tokens, completion tokens); retries transient errors, degrades the format on 400."""
        o = self.openai
        attempt = 0
        while True:
            fmt_name = self.response_format
            kwargs: dict[str, Any] = {
                "model": self.model,
                "messages": messages,
                "temperature": self.temperature,
                "max_tokens": self.max_tokens,
            }
            fmt = self._format(fmt_name)
            if fmt:
                kwargs["response_format"] = fmt
            try:
                response = self.client.chat.completions.create(**kwargs)
            except o.BadRequestError as error:
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

    def label(self, text: str) -> tuple[ParsedResume, int, int]:
        messages = tasks.build_messages(tasks.TaskName.PARSE_RESUME, tasks.parse_resume_input(text))
        prompt = completion = 0
        last_error: Exception | None = None
        for _ in range(2):  # one more try when the reply is not a valid resume
            content, p, c = self.complete(messages)
            prompt, completion = prompt + p, completion + c
            try:
                return parse_label(content), prompt, completion
            except (ValueError, ValidationError) as error:
                last_error = error
        raise ValueError(f"invalid label after 2 tries: {str(last_error)[:200]}")


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
    """Label ``(id, cleaned text)`` pairs; labels already in the cache are skipped (resume)."""
    from ml.preprocessing.clean import content_hash

    started = time.perf_counter()
    report = LabelReport(price_in=price_in, price_out=price_out)
    cache_path = Path(cache_path)
    cache_path.parent.mkdir(parents=True, exist_ok=True)
    done = set(read_cache(cache_path))
    todo: list[tuple[str, str, str]] = []
    for doc_id, text in items:
        digest = content_hash(text)
        if digest in done:
            report.cached += 1
            continue
        done.add(digest)
        todo.append((doc_id, digest, text))
        if limit is not None and len(todo) >= limit:
            break
    write_lock = threading.Lock()
    auth_errors = (
        teacher.openai.AuthenticationError,
        teacher.openai.PermissionDeniedError,
        teacher.openai.NotFoundError,
    )

    def work(doc_id: str, digest: str, text: str) -> None:
        try:
            label, p, c = teacher.label(text)
        except auth_errors:
            raise
        except Exception as error:  # one document's failure must not stop the run
            with write_lock:
                report.failed += 1
                report.problems.append(f"{doc_id}: {type(error).__name__}: {str(error)[:200]}")
            return
        row = {
            "hash": digest,
            "id": doc_id,
            "model": teacher.model,
            "label": label.model_dump(mode="json"),
            "usage": {"prompt_tokens": p, "completion_tokens": c},
        }
        with write_lock, cache_path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            report.labelled += 1
            report.prompt_tokens += p
            report.completion_tokens += c

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        futures = [pool.submit(work, *item) for item in todo]
        for future in as_completed(futures):
            try:
                future.result()
            except auth_errors as error:
                for f in futures:
                    f.cancel()
                raise TeacherError(f"teacher endpoint refused the request: {error}") from error
    report.retries = teacher.retries
    report.response_format = teacher.response_format
    report.seconds = time.perf_counter() - started
    return report


def label_folder(
    resumes_dir: Path,
    teacher: Teacher,
    cache_path: Path = DEFAULT_CACHE,
    *,
    concurrency: int = 4,
    price_in: float | None = None,
    price_out: float | None = None,
    limit: int | None = None,
    strict: bool = False,
) -> tuple[LabelReport, Any]:
    """Label every readable resume under ``resumes_dir`` (cleaned as the build cleans it)."""
    from ml.preprocessing.clean import clean_text
    from ml.preprocessing.ingest import IngestReport, iter_resume_folder

    ingest = IngestReport()
    items = ((doc.id, clean_text(doc.text)) for doc in iter_resume_folder(resumes_dir, report=ingest, strict=strict))
    report = label_texts(
        items, teacher, cache_path, concurrency=concurrency, price_in=price_in, price_out=price_out, limit=limit
    )
    return report, ingest


def run_label(
    api_base: str,
    model: str,
    resumes_dir: Path,
    cache_path: Path | None = None,
    *,
    concurrency: int = 4,
    price_in: float | None = None,
    price_out: float | None = None,
    limit: int | None = None,
    response_format: str = "json_schema",
    strict: bool = False,
    console: Any | None = None,
) -> dict[str, Any]:
    """What ``griller data label`` does: label, print tokens and cost to ``console``, return the summary."""
    teacher = Teacher(api_base, model, api_key_from_env(), response_format=response_format)
    report, ingest = label_folder(
        Path(resumes_dir),
        teacher,
        Path(cache_path or DEFAULT_CACHE),
        concurrency=concurrency,
        price_in=price_in,
        price_out=price_out,
        limit=limit,
        strict=strict,
    )
    summary = report.as_dict() | {
        "cache": str(cache_path or DEFAULT_CACHE),
        "read": ingest.read,
        "skipped_files": ingest.skipped,
        "file_problems": ingest.problems[:20],
    }
    if console is not None:
        cost = (
            "unknown (pass --price-in/--price-out, USD per 1M tokens)" if report.cost is None else f"${report.cost:.4f}"
        )
        console.print(
            f"labelled {report.labelled}, from cache {report.cached}, failed {report.failed} "
            f"({report.seconds:.1f}s, response_format={report.response_format}, retries {report.retries})"
        )
        console.print(
            f"tokens: prompt {report.prompt_tokens}, completion {report.completion_tokens}; estimated cost {cost}"
        )
        console.print(f"files: read {ingest.read}, skipped {ingest.skipped}; cache: {summary['cache']}")
        for problem in (ingest.problems + report.problems)[:20]:
            console.print(f"  [yellow]{problem}[/yellow]")
    return summary
