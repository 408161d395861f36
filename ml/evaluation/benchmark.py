"""Benchmark the local model against any OpenAI-compatible API: quality, latency, time to first token, cost.

    export OPENAI_API_KEY=...        # or GRILLER_API_KEY; never printed, logged or written
    griller bench api-vs-local --api-base https://api.openai.com/v1 --api-model gpt-4o-mini \\
        --local-model ml/models/exported/resume-griller-lora --cases ml/data/processed/test.jsonl -n 50
    griller bench api-vs-local --api-base http://127.0.0.1:8000/v1 --api-model base \\
        --cases test.jsonl -n 20 --price-in 0.15 --price-out 0.6 --output runs/bench/mine --resume

What it does, in order:
1. The first ``n`` cases of a processed JSONL split are read (``evaluate.examples``). Each is asked of
   both sides with the same chat messages (``ml.tasks.build_messages(task, input)``) and the same token
   cap (``--max-new-tokens``, default the engine's per-task limit).
2. **Local phase** (first, alone on the machine, one request at a time): ``Engine.generate_messages``
   with a streamer that stamps the first new token (TTFT) and enforces ``--timeout``; ``parse_resume``
   is grammar-constrained exactly as ``Engine.generate`` does it, and the user message is fitted to the
   context the same way, so the outputs are those of ``griller eval``. Cost counts the process's CPU
   seconds during the call (and, on CUDA, its wall seconds as GPU seconds).
3. **API phase** (``--concurrency`` requests in flight): streamed chat completions through the
   ``openai`` client, TTFT at the first non-empty content delta. ``parse_resume`` asks for a
   ``json_schema`` response format (``ParsedResume``); a server that rejects it (400/422) is asked for
   ``json_object``, then for plain text, and the step down is remembered for the rest of the run.
   Usage is asked for in the stream (``stream_options.include_usage``); a server that sends none gets
   its tokens counted with the local tokenizer (or ~4 characters a token) and the report says so.
   429, 5xx, timeouts and dropped connections are retried with exponential backoff (``Retry-After``
   honoured), then the case is recorded as an error and the run goes on; 401/403/404 stop the run.
4. Every answer is scored by ``evaluate.score_example`` (the same metrics as ``griller eval``; question
   outputs go through ``tasks.one_question``; a Markdown code fence around parse JSON is dropped and the
   parse grounded in the resume, as the backend does for both sides) and appended, flushed, to
   ``results.jsonl``. ``--resume`` skips the cases already answered on each side (cases that failed are
   tried again); without it an existing folder is refused.
5. Aggregation (per side and task, with ``evaluate.GroupStats``): latency mean/p50/p95, TTFT,
   output tokens/s, errors, timeouts, retries, quality, cost per 1,000 requests; a verdict per task
   (rule: :data:`VERDICT_RULE`). ``results.json``, ``report.md`` and PNG plots go to ``--output``.
"""

from __future__ import annotations

import json
import logging
import math
import os
import random
import re
import statistics
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ml import tasks
from ml.base_model import BaseModelError
from ml.evaluation import metrics as m
from ml.evaluation.bench_plots import write_plots
from ml.evaluation.bench_report import print_summary, render_markdown
from ml.evaluation.evaluate import (
    QUESTION_TASKS,
    GroupStats,
    Scorers,
    _group_fields,
    _percentile,
    example_hash,
    examples,
    score_example,
)
from ml.inference import PARSE_SEQUENCES
from ml.inference.api import strip_fences
from ml.inference.backends import load_engine, resolve_backend
from ml.inference.engine import DEFAULT_MAX_NEW_TOKENS
from ml.inference.grounding import ground_json, grounding_enabled
from ml.inference.sampling import prompt_seed, task_sampling
from ml.jsonl import JsonlError, read_appended_jsonl
from ml.paths import REPO_ROOT
from ml.schema import parsed_resume_json_schema

log = logging.getLogger(__name__)

DEFAULT_BENCH_DIR = REPO_ROOT / "runs" / "bench"
RESULTS_FILE = "results.jsonl"
SIDES = ("api", "local")
KEY_ENV_VARS = ("GRILLER_API_KEY", "OPENAI_API_KEY")
RESPONSE_FORMATS = ("json_schema", "json_object", "none")

# USD per 1M input / output tokens (public list prices, standard tier, checked 2025; override with
# --price-in/--price-out or --price-table FILE). Matched on the longest prefix of the model name,
# so dated snapshots ("gpt-4o-mini-2024-07-18") find their family.
PRICE_TABLE: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-3.5-turbo": (0.50, 1.50),
    "claude-3-5-haiku": (0.80, 4.00),
    "claude-3-haiku": (0.25, 1.25),
    "gemini-1.5-flash": (0.075, 0.30),
    "mistral-small": (0.20, 0.60),
}
DEFAULT_CPU_HOUR_USD = 0.05  # one on-demand cloud vCPU-hour, roughly (general-purpose instances)
DEFAULT_GPU_HOUR_USD = 2.00  # one on-demand data-centre GPU-hour, roughly
DEFAULT_TOLERANCE = 0.05

# The quality metric a verdict compares, per task: the first one the cases can score (grounded needs
# meta.entities; the processed data of `griller data build` has them).
PRIMARY_METRICS: dict[str, tuple[str, ...]] = {
    tasks.TaskName.PARSE_RESUME: ("micro_f1",),
    tasks.TaskName.INTERVIEW_QUESTION: ("grounded", "relevance"),
    tasks.TaskName.FOLLOW_UP: ("follow_up_quality", "relevance"),
}

VERDICT_RULE = (
    "Local is **good enough** for a task when all of these hold: (1) its quality (the task's primary "
    "metric, scored exactly as `griller eval` scores it, over the cases each side answered) is at least "
    "the API's minus the tolerance; (2) its median (p50) latency is lower than the API's; (3) its cost per "
    "1,000 requests is lower than the API's (not compared when the API's price is unknown); (4) its failure "
    "rate (errors + timeouts) is no higher than the API's. Otherwise keep the API, for the reasons listed."
)


class BenchError(RuntimeError):
    """The benchmark cannot run or resume as asked; the message says what to do."""


class FatalApiError(BenchError):
    """The API refuses every request (bad key, no such model or endpoint): no point going on."""


# --- configuration -------------------------------------------------------------------------------


@dataclass
class BenchConfig:
    api_base: str
    api_model: str
    cases: Path
    local_model: str | None = None
    n: int | None = 20
    concurrency: int = 4
    warmup: int = 1
    timeout_s: float = 120.0
    output: Path | None = None
    resume: bool = False
    max_new_tokens: int | None = None
    price_in: float | None = None
    price_out: float | None = None
    price_table: Path | None = None
    cpu_hour_usd: float = DEFAULT_CPU_HOUR_USD
    gpu_hour_usd: float = DEFAULT_GPU_HOUR_USD
    tolerance: float = DEFAULT_TOLERANCE
    max_retries: int = 3
    backoff_s: float = 0.5
    embedder: str = "minilm"


def api_key_from_env() -> tuple[str | None, str | None]:
    """(key, name of the variable it came from); GRILLER_API_KEY wins over OPENAI_API_KEY."""
    for name in KEY_ENV_VARS:
        if os.environ.get(name):
            return os.environ[name], name
    return None, None


def load_price_table(path: Path | None) -> dict[str, tuple[float, float]]:
    """The built-in table, updated from a JSON file ``{"model": {"in": 0.15, "out": 0.6}, ...}``."""
    table = dict(PRICE_TABLE)
    if path is None:
        return table
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        for model, prices in data.items():
            table[model] = (float(prices["in"]), float(prices["out"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise BenchError(f'{path}: expected {{"model": {{"in": USD/1M, "out": USD/1M}}}} ({error})') from error
    return table


def api_prices(
    model: str, table: dict[str, tuple[float, float]], price_in: float | None = None, price_out: float | None = None
) -> tuple[float, float, str] | None:
    """(USD per 1M input tokens, per 1M output tokens, where they came from), or None when unknown."""
    if price_in is not None and price_out is not None:
        return price_in, price_out, "command line"
    name = model.lower().rsplit("/", 1)[-1]
    matches = [key for key in table if name == key.lower() or name.startswith(key.lower() + "-")]
    known = table[max(matches, key=len)] if matches else None
    if known is None and (price_in is None or price_out is None):
        return None
    pin = price_in if price_in is not None else known[0]
    pout = price_out if price_out is not None else known[1]
    return pin, pout, "price table" if price_in is None and price_out is None else "price table + command line"


# --- one answer ----------------------------------------------------------------------------------


@dataclass
class Answer:
    status: str = "ok"  # ok | error | timeout
    text: str = ""
    seconds: float = 0.0
    ttft_s: float | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    usage_estimated: bool = False
    finished: bool | None = None
    retries: int = 0
    response_format: str | None = None
    cpu_s: float | None = None
    gpu_s: float | None = None
    error: str | None = None
    max_tokens: int | None = None  # the answer's token cap, the same on both sides of a case


class _Retryable(Exception):
    def __init__(self, kind: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.kind, self.retry_after = kind, retry_after


def redact(text: str, secret: str | None) -> str:
    return text.replace(secret, "***") if secret else text


class ApiSide:
    """Streaming chat completions with retries, backoff and response-format fallback; thread-safe."""

    def __init__(self, config: BenchConfig, api_key: str | None) -> None:
        import openai

        self.openai = openai
        self.timeouts, self.transport_errors = _transport_errors()
        self._key = api_key
        self.client = openai.OpenAI(
            base_url=config.api_base,
            api_key=api_key or "not-needed",
            # openai's own Timeout: openai 3.63 moved from httpx to httpx2 and refuses the other library's
            timeout=openai.Timeout(config.timeout_s, connect=min(10.0, config.timeout_s)),
            max_retries=0,  # retried here, so every retry is counted
        )
        self.model = config.api_model
        self.timeout_s = config.timeout_s
        self.max_retries, self.backoff_s = config.max_retries, config.backoff_s
        self._lock = threading.Lock()
        self.response_format = "json_schema"  # steps down once when the server rejects it
        self.include_usage = True
        self.token_param = "max_tokens"
        self.fallbacks: list[str] = []

    def _request(self, messages: list[dict[str, str]], task: str, max_tokens: int) -> dict[str, Any]:
        decoding = task_sampling(task, prompt_seed(messages[1]["content"])).request_params()  # as locally
        kwargs: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "stream": True,
            self.token_param: max_tokens,
            **decoding,
        }
        if self.include_usage:
            kwargs["stream_options"] = {"include_usage": True}
        if task == tasks.TaskName.PARSE_RESUME and self.response_format == "json_schema":
            schema = {"name": "ParsedResume", "schema": parsed_resume_json_schema(), "strict": False}
            kwargs["response_format"] = {"type": "json_schema", "json_schema": schema}
        elif task == tasks.TaskName.PARSE_RESUME and self.response_format == "json_object":
            kwargs["response_format"] = {"type": "json_object"}
        return kwargs

    def _step_down(self, kwargs: dict[str, Any], message: str) -> bool:
        """After a 400/422: drop the request feature the server most likely rejected; False when none is left."""
        with self._lock:
            lowered = message.lower()
            if "max_tokens" in lowered and "max_completion_tokens" in lowered and kwargs.get("max_tokens"):
                if self.token_param == "max_tokens":
                    self.token_param = "max_completion_tokens"
                    self.fallbacks.append("max_tokens -> max_completion_tokens")
                return True
            rf = kwargs.get("response_format", {}).get("type")
            about_usage = "stream_options" in lowered or "include_usage" in lowered
            if rf is not None and not about_usage:
                if self.response_format == rf:
                    following = RESPONSE_FORMATS[RESPONSE_FORMATS.index(rf) + 1]
                    self.fallbacks.append(f"response_format {rf} -> {following}")
                    log.warning("the API rejected response_format=%s; using %s from now on", rf, following)
                    self.response_format = following
                return True
            if "stream_options" in kwargs:
                if self.include_usage:
                    self.include_usage = False
                    self.fallbacks.append("stream_options.include_usage dropped")
                return True
            return False

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(30.0, max(0.0, retry_after))
        return self.backoff_s * (2**attempt) * (0.5 + random.random() / 2)

    def ask(self, messages: list[dict[str, str]], task: str, max_tokens: int) -> Answer:
        o = self.openai
        retries = step_downs = 0
        while True:
            kwargs = self._request(messages, task, max_tokens)
            try:
                answer = self._stream(kwargs)
                answer.retries = retries
                answer.response_format = kwargs.get("response_format", {}).get("type", "none")
                return answer
            except (o.AuthenticationError, o.PermissionDeniedError, o.NotFoundError) as error:
                raise FatalApiError(
                    f"the API refused the request ({error.status_code} {type(error).__name__}): check --api-base, "
                    f"--api-model and the key in {' or '.join(KEY_ENV_VARS)}"
                ) from None
            except (o.BadRequestError, o.UnprocessableEntityError) as error:
                if step_downs < 4 and self._step_down(kwargs, str(error)):
                    step_downs += 1
                    continue
                return Answer("error", error=redact(f"{error.status_code}: {error}"[:300], self._key), retries=retries)
            except _Retryable as error:
                if retries >= self.max_retries:
                    status = "timeout" if error.kind == "timeout" else "error"
                    message = redact(f"{error} (after {retries} retries)", self._key)
                    return Answer(status, error=message[:300], retries=retries)
                delay = self._delay(retries, error.retry_after)
                log.info("API %s; retry %d in %.2fs", error.kind, retries + 1, delay)
                time.sleep(delay)
                retries += 1
            except o.APIError as error:  # an error event inside the stream and the like
                return Answer(
                    "error", error=redact(f"{type(error).__name__}: {error}"[:300], self._key), retries=retries
                )

    def _stream(self, kwargs: dict[str, Any]) -> Answer:
        o = self.openai
        started = time.perf_counter()
        deadline = started + self.timeout_s
        parts: list[str] = []
        answer = Answer()
        try:
            stream = self.client.chat.completions.create(**kwargs)
            with stream:
                for chunk in stream:
                    now = time.perf_counter()
                    if chunk.usage is not None:
                        answer.prompt_tokens = chunk.usage.prompt_tokens
                        answer.completion_tokens = chunk.usage.completion_tokens
                    for choice in chunk.choices:
                        if choice.delta is not None and choice.delta.content:
                            if answer.ttft_s is None:
                                answer.ttft_s = now - started
                            parts.append(choice.delta.content)
                        if choice.finish_reason is not None:
                            answer.finished = choice.finish_reason == "stop"
                    if now > deadline:
                        raise _Retryable("timeout", f"no complete answer within {self.timeout_s:g}s")
        except o.RateLimitError as error:
            raise _Retryable("429", f"429 rate limited: {_short(error)}", _retry_after(error)) from None
        except o.InternalServerError as error:
            raise _Retryable("5xx", f"{error.status_code} server error: {_short(error)}", _retry_after(error)) from None
        except o.APIStatusError as error:
            if error.status_code in (408, 409) or error.status_code >= 500:
                raise _Retryable(str(error.status_code), f"{error.status_code}: {_short(error)}") from None
            raise
        except (o.APITimeoutError, *self.timeouts):
            raise _Retryable("timeout", f"timed out (limit {self.timeout_s:g}s)") from None
        except (o.APIConnectionError, *self.transport_errors) as error:
            raise _Retryable("connection", f"connection failed: {type(error).__name__}") from None
        answer.seconds = time.perf_counter() - started
        answer.text = "".join(parts)
        return answer


def _transport_errors() -> tuple[tuple[type[Exception], ...], tuple[type[Exception], ...]]:
    """The timeout and transport exceptions of the HTTP libraries openai may run on (httpx before openai 3.63,
    httpx2 since): a stream read fails with the library's own exception, which openai does not wrap."""
    import importlib

    timeouts: list[type[Exception]] = []
    transport: list[type[Exception]] = []
    for name in ("httpx", "httpx2"):
        try:
            library = importlib.import_module(name)
        except ImportError:
            continue
        timeouts.append(library.TimeoutException)
        transport.append(library.TransportError)
    return tuple(timeouts), tuple(transport)


def _short(error: Exception) -> str:
    body = getattr(error, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else None
        if message:
            return str(message)[:200]
    return str(error)[:200]


def _retry_after(error: Exception) -> float | None:
    response = getattr(error, "response", None)
    header = response.headers.get("retry-after") if response is not None else None
    try:
        return float(header) if header is not None else None
    except ValueError:
        return None


class LocalTimeout(Exception):
    pass


def _clock_streamer(deadline: float):
    """A transformers streamer that stamps the first generated token and stops generation at ``deadline``."""
    from transformers.generation.streamers import BaseStreamer

    class Clock(BaseStreamer):
        def __init__(self) -> None:
            self.first_token_at: float | None = None
            self._prompt_seen = False

        def put(self, value) -> None:
            if not self._prompt_seen:  # generate() sends the prompt first
                self._prompt_seen = True
                return
            now = time.perf_counter()
            if self.first_token_at is None:
                self.first_token_at = now
            if now > deadline:
                raise LocalTimeout

        def end(self) -> None:
            pass

    return Clock()


class LocalSide:
    """The local Engine, one request at a time, with TTFT, CPU seconds and (on CUDA) GPU seconds."""

    def __init__(self, engine, timeout_s: float) -> None:
        self.engine = engine
        self.timeout_s = timeout_s
        try:
            self.on_gpu = next(engine.model.parameters()).device.type == "cuda"
        except (StopIteration, AttributeError):
            self.on_gpu = False

    def ask(self, task: str, user_input: str, max_tokens: int) -> Answer:
        user_input, _ = self.engine.fit_user_input(task, user_input, max_tokens)  # as Engine.generate does
        messages = tasks.build_messages(task, user_input)
        constrained = task == tasks.TaskName.PARSE_RESUME
        cpu, started = time.process_time(), time.perf_counter()
        clock = _clock_streamer(started + self.timeout_s)
        try:
            if self.on_gpu:
                import torch

                torch.cuda.synchronize()
            source = user_input if constrained and self.engine.grounded else None
            sampling = task_sampling(task, prompt_seed(user_input))
            generation = self.engine.generate_messages(
                messages, max_tokens, constrained, streamer=clock, source=source, sampling=sampling
            )
            generation = self.engine.ground(generation, source)
            if self.on_gpu:
                torch.cuda.synchronize()
        except LocalTimeout:
            return Answer("timeout", error=f"no complete answer within {self.timeout_s:g}s", seconds=self.timeout_s)
        except Exception as error:  # one case's failure must not stop the run
            return Answer("error", error=f"{type(error).__name__}: {str(error)[:200]}")
        seconds = time.perf_counter() - started
        return Answer(
            text=generation.text,
            seconds=seconds,
            ttft_s=None if clock.first_token_at is None else clock.first_token_at - started,
            prompt_tokens=generation.prompt_tokens,
            completion_tokens=generation.completion_tokens,
            finished=generation.finished,
            response_format="grammar" if constrained else "none",
            cpu_s=time.process_time() - cpu,
            gpu_s=seconds if self.on_gpu else 0.0,
        )

    def count_tokens(self, messages: list[dict[str, str]], text: str) -> tuple[int, int]:
        prompt = self.engine.tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=True)
        if isinstance(prompt, dict) or hasattr(prompt, "keys"):
            prompt = prompt["input_ids"]
        completion = self.engine.tokenizer(text, add_special_tokens=False)["input_ids"]
        return len(prompt), len(completion)


# --- results on disk -----------------------------------------------------------------------------


def scored_output(task: str, text: str, source: str | None = None) -> str:
    """What the product would use: one question for question tasks; for parsing, the JSON without a code
    fence, grounded in ``source`` (the parse prompt) as the backend grounds both local and API answers."""
    if task in QUESTION_TASKS:
        return tasks.one_question(text)
    output = strip_fences(text)
    return ground_json(output, source)[0] if source is not None and grounding_enabled() else output


def read_results(path: Path) -> dict[tuple[str, int], dict[str, Any]]:
    """(side, index) -> the last record written for it; a line torn by a crash is dropped from the file."""
    try:
        return {(record["side"], record["index"]): record for record in read_appended_jsonl(path)}
    except JsonlError as error:
        raise BenchError(str(error)) from error


def _check_resumable(output: Path, run: dict[str, Any], resume: bool) -> None:
    results = output / RESULTS_FILE
    if not results.is_file() or results.stat().st_size == 0:
        return
    if not resume:
        raise BenchError(f"{output} already holds results: pass --resume to continue, or another --output")
    previous_path = output / "run.json"
    if not previous_path.is_file():
        return
    previous = json.loads(previous_path.read_text(encoding="utf-8"))
    for key in ("api_base", "api_model", "local_model", "local_backend", "local_weights", "cases", "max_new_tokens"):
        if previous.get(key) != run.get(key):
            raise BenchError(
                f"{output} was written with {key}={previous.get(key)!r}, not {run.get(key)!r}: "
                "pass another --output folder or delete it"
            )


def _weights_file(engine: Any) -> str | None:
    """The GGUF file a llama.cpp engine runs (an adapter's conversion names its quant), else ``None``."""
    path = getattr(engine, "gguf_path", None)
    return Path(path).name if path is not None else None


# --- the run -------------------------------------------------------------------------------------


def default_output_dir(api_model: str, local_name: str, cases: Path) -> Path:
    def slug(text: str) -> str:
        return re.sub(r"[^A-Za-z0-9._-]+", "_", text.strip("/")).strip("_")[-40:] or "model"

    return DEFAULT_BENCH_DIR / f"{slug(api_model)}__vs__{slug(local_name)}__{Path(cases).stem}"


def _max_tokens(config: BenchConfig, example: dict[str, Any], local: LocalSide | None) -> int:
    """The configured cap, else the local engine's budget for this input, so both sides get the same room
    (a resumed run without the local engine takes it from the local side's record: ``_local_budgets``)."""
    if config.max_new_tokens:
        return config.max_new_tokens
    if local is not None:
        return local.engine.answer_budget(example["task"], example["input"])
    return DEFAULT_MAX_NEW_TOKENS[tasks.TaskName(example["task"])]


def _local_budgets(records: dict[tuple[str, int], dict[str, Any]]) -> dict[int, int]:
    return {index: r["max_tokens"] for (side, index), r in records.items() if side == "local" and r.get("max_tokens")}


def _record(side: str, name: str, index: int, example: dict[str, Any], answer: Answer) -> dict[str, Any]:
    return {
        "side": side,
        "index": index,
        "example_hash": example_hash(example),
        "model": name,
        **_group_fields(example),
        **asdict(answer),
        "seconds": round(answer.seconds, 4),
        "ttft_s": None if answer.ttft_s is None else round(answer.ttft_s, 4),
        "cpu_s": None if answer.cpu_s is None else round(answer.cpu_s, 4),
        "gpu_s": None if answer.gpu_s is None else round(answer.gpu_s, 4),
    }


class _Writer:
    def __init__(self, path: Path, scorers: Scorers) -> None:
        self.path, self.scorers = path, scorers
        self.handle = path.open("a", encoding="utf-8")

    def write(self, record: dict[str, Any], example: dict[str, Any]) -> dict[str, Any]:
        task = record["task"]
        if record["status"] == "ok":
            output = scored_output(task, record.pop("text"), example.get("input"))
            record["output"] = output
            record["raw"] = None
            record["reference"] = example.get("output") if task in QUESTION_TASKS else None
            record["metrics"] = score_example(example, output, self.scorers)
        else:
            record["raw"] = record.pop("text") or None
            record["output"], record["metrics"] = None, None
        self.handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.handle.flush()
        return record

    def close(self) -> None:
        self.handle.close()


def run_benchmark(
    config: BenchConfig,
    local_engine: Any = None,
    *,
    show_progress: bool = False,
) -> dict[str, Any]:
    """Run (or resume) the benchmark; write results.jsonl, results.json, report.md and the plots; return the JSON.

    ``local_engine``: an already loaded :class:`~ml.inference.engine.Engine` (tests); by default
    ``config.local_model`` is loaded with ``load_engine`` when the first local case needs it.
    """
    cases = Path(config.cases)
    if not cases.is_file():
        raise BenchError(f"no cases file {cases}: build one with `griller data build`")
    selected = list(examples(cases, config.n))
    if not selected:
        raise BenchError(f"{cases} holds no examples")
    for index, example in selected:
        if example.get("task") not in tasks.TaskName.__members__.values():
            raise BenchError(f"{cases}: example {index} has an unknown task {example.get('task')!r}")
    local_name = getattr(local_engine, "name", None) or str(config.local_model or "base")
    local_backend = getattr(local_engine, "backend", None) or resolve_backend(config.local_model)
    output = Path(config.output or default_output_dir(config.api_model, f"{local_name}-{local_backend}", cases))
    prices = api_prices(config.api_model, load_price_table(config.price_table), config.price_in, config.price_out)
    api_key, key_source = api_key_from_env()
    run = {
        "api_base": config.api_base,
        "api_model": config.api_model,
        "api_key_from": key_source,  # the variable's name only, never its value
        "local_model": local_name,
        "local_backend": local_backend,
        "local_weights": _weights_file(local_engine),
        "cases": str(cases),
        "n": len(selected),
        "concurrency": config.concurrency,
        "warmup": config.warmup,
        "timeout_s": config.timeout_s,
        "max_new_tokens": config.max_new_tokens,
        "max_retries": config.max_retries,
        "tolerance": config.tolerance,
        "api_price_usd_per_1m": None if prices is None else {"in": prices[0], "out": prices[1], "source": prices[2]},
        "cpu_hour_usd": config.cpu_hour_usd,
        "gpu_hour_usd": config.gpu_hour_usd,
    }
    output.mkdir(parents=True, exist_ok=True)
    _check_resumable(output, run, config.resume)
    (output / "run.json").write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8")
    path = output / RESULTS_FILE
    previous = read_results(path)
    for (_, index), record in previous.items():
        if index < len(selected) and record["example_hash"] != example_hash(selected[index][1]):
            raise BenchError(f"{path}: case {index} differs from the one answered before (another cases file?)")
    done = {key for key, record in previous.items() if record["status"] == "ok"}
    todo = {side: [(i, ex) for i, ex in selected if (side, i) not in done] for side in SIDES}
    stats = {side: {"answered": 0, "skipped": len(selected) - len(todo[side])} for side in SIDES}

    scorers = Scorers(config.embedder)
    writer = _Writer(path, scorers)
    local: LocalSide | None = None
    api: ApiSide | None = None
    started = time.perf_counter()
    try:
        with _progress(show_progress) as bar:
            jobs = {
                side: bar.add(f"{side} {config.api_model if side == 'api' else local_name}", len(selected))
                for side in SIDES
            }
            for side in SIDES:
                bar.advance(jobs[side], stats[side]["skipped"])
            # local first, alone: its CPU seconds are the process's, and the API's tokens can be counted
            # with its tokenizer when the server sends no usage
            budgets = _local_budgets(previous)
            if todo["local"]:
                local = LocalSide(local_engine or _load_engine(config.local_model), config.timeout_s)
                for _, example in _warmup_cases(selected, config.warmup):
                    local.ask(example["task"], example["input"], _max_tokens(config, example, local))
                for index, example in todo["local"]:
                    budgets[index] = _max_tokens(config, example, local)
                    answer = local.ask(example["task"], example["input"], budgets[index])
                    answer.max_tokens = budgets[index]
                    writer.write(_record("local", local_name, index, example, answer), example)
                    stats["local"]["answered"] += 1
                    bar.advance(jobs["local"], 1)
            elif local_engine is not None:
                local = LocalSide(local_engine, config.timeout_s)
            if todo["api"]:
                api = ApiSide(config, api_key)
                _api_phase(
                    api, config, selected, todo["api"], writer, local, budgets, lambda: bar.advance(jobs["api"], 1)
                )
                stats["api"]["answered"] = len(todo["api"])
    finally:
        writer.close()
    seconds = time.perf_counter() - started
    records = read_results(path)
    indices = {index for index, _ in selected}
    current = [r for (_, index), r in sorted(records.items()) if index in indices]
    results = summarise(current, run, prices, config)
    results["run"]["seconds"] = round(seconds, 1)
    results["run"]["output_dir"] = str(output)
    results["run"]["relevance_backend"] = scorers._embedder.name if scorers._embedder else None
    results["run"]["answered"] = stats
    results["run"]["api_fallbacks"] = api.fallbacks if api else []
    results["plots"] = write_plots(current, results, output)
    (output / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (output / "report.md").write_text(render_markdown(results), encoding="utf-8")
    return results


def _load_engine(spec: str | None):
    return load_engine(spec, parallel=PARSE_SEQUENCES)  # on the backend GRILLER_BACKEND names, parsing as users do


def _warmup_cases(selected: list[tuple[int, dict[str, Any]]], count: int) -> Iterator[tuple[int, dict[str, Any]]]:
    for k in range(max(0, count)):
        yield selected[k % len(selected)]


def _api_phase(
    api: ApiSide,
    config: BenchConfig,
    selected: list[tuple[int, dict[str, Any]]],
    todo: list[tuple[int, dict[str, Any]]],
    writer: _Writer,
    local: LocalSide | None,
    budgets: dict[int, int],
    advance: Callable[[], None],
) -> None:
    def ask(index: int, example: dict[str, Any]) -> Answer:
        messages = tasks.build_messages(example["task"], example["input"])
        max_tokens = budgets.get(index) or _max_tokens(config, example, local)
        answer = api.ask(messages, example["task"], max_tokens)
        answer.max_tokens = max_tokens
        return answer

    for index, example in _warmup_cases(selected, config.warmup):
        ask(index, example)  # FatalApiError stops the run here, before any case is recorded
    with ThreadPoolExecutor(max_workers=max(1, config.concurrency)) as pool:
        futures = {pool.submit(ask, index, example): (index, example) for index, example in todo}
        try:
            for future in as_completed(futures):
                index, example = futures[future]
                answer = future.result()
                if answer.status == "ok" and (answer.prompt_tokens is None or answer.completion_tokens is None):
                    answer.prompt_tokens, answer.completion_tokens = _estimate_tokens(example, answer.text, local)
                    answer.usage_estimated = True
                writer.write(_record("api", config.api_model, index, example, answer), example)
                advance()
        except BaseException:
            for pending in futures:
                pending.cancel()
            raise


def _estimate_tokens(example: dict[str, Any], text: str, local: LocalSide | None) -> tuple[int, int]:
    messages = tasks.build_messages(example["task"], example["input"])
    if local is not None:
        try:
            return local.count_tokens(messages, text)
        except Exception as error:  # a tokenizer without a chat template: fall back to characters
            log.debug("token count with the local tokenizer failed: %s", error)
    prompt_chars = sum(len(message["content"]) for message in messages)
    return math.ceil(prompt_chars / 4), math.ceil(len(text) / 4)


class _progress:
    """A rich progress bar on stderr, or nothing."""

    def __init__(self, show: bool) -> None:
        self.show = show
        self.bar = None

    def __enter__(self) -> _progress:
        if self.show:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
            self.bar = Progress(*columns, console=Console(stderr=True))
            self.bar.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)

    def add(self, description: str, total: int) -> Any:
        return self.bar.add_task(description, total=total) if self.bar is not None else None

    def advance(self, job: Any, amount: int) -> None:
        if self.bar is not None and amount:
            self.bar.advance(job, amount)


# --- aggregation ---------------------------------------------------------------------------------


def _dist(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"mean_s": None, "p50_s": None, "p95_s": None}
    return {
        "mean_s": round(statistics.fmean(values), 4),
        "p50_s": round(_percentile(values, 0.5), 4),
        "p95_s": round(_percentile(values, 0.95), 4),
    }


def primary_metric(task: str, quality: dict[str, Any]) -> tuple[str | None, float | None]:
    for name in PRIMARY_METRICS.get(task, ()):
        if quality.get(name) is not None:
            return name, quality[name]
    return None, None


def _side_task_stats(
    records: list[dict[str, Any]], side: str, prices: tuple[float, float, str] | None, config: BenchConfig
) -> dict[str, Any]:
    ok = [r for r in records if r["status"] == "ok"]
    group = GroupStats()
    for record in ok:
        group.add(record)
    quality = group.summary()
    task = records[0]["task"]
    if task in QUESTION_TASKS and ok:
        quality.update(
            {k: round(v, 4) if isinstance(v, float) else v for k, v in m.diversity([r["output"] for r in ok]).items()}
        )
    seconds = [r["seconds"] for r in ok]
    ttft = [r["ttft_s"] for r in ok if r["ttft_s"] is not None]
    completion = sum(r["completion_tokens"] or 0 for r in ok)
    prompt = sum(r["prompt_tokens"] or 0 for r in ok)
    cost: float | None = None
    if ok and side == "api" and prices is not None:
        cost = (prompt * prices[0] + completion * prices[1]) / 1e6 / len(ok) * 1000
    elif ok and side == "local":
        cpu = sum(r["cpu_s"] or 0.0 for r in ok)
        gpu = sum(r["gpu_s"] or 0.0 for r in ok)
        cost = (cpu * config.cpu_hour_usd + gpu * config.gpu_hour_usd) / 3600 / len(ok) * 1000
    metric, value = primary_metric(task, quality)
    stats: dict[str, Any] = {
        "n": len(records),
        "ok": len(ok),
        "errors": sum(r["status"] == "error" for r in records),
        "timeouts": sum(r["status"] == "timeout" for r in records),
        "failure_rate": round(1 - len(ok) / len(records), 4),
        "retries": sum(r.get("retries") or 0 for r in records),
        "latency": _dist(seconds),
        "ttft": _dist(ttft),
        "tokens_per_s": round(completion / sum(seconds), 2) if ok and sum(seconds) else None,
        "prompt_tokens_mean": round(prompt / len(ok), 1) if ok else None,
        "completion_tokens_mean": round(completion / len(ok), 1) if ok else None,
        "usage_estimated": any(r.get("usage_estimated") for r in ok),
        "finished_rate": round(statistics.fmean(bool(r["finished"]) for r in ok), 4) if ok else None,
        "cost_per_1k_usd": None if cost is None else round(cost, 6),
        "primary_metric": metric,
        "primary_value": value,
        "quality": quality,
    }
    if side == "local":
        stats["cpu_s_mean"] = round(statistics.fmean(r["cpu_s"] or 0.0 for r in ok), 4) if ok else None
        stats["gpu_s_mean"] = round(statistics.fmean(r["gpu_s"] or 0.0 for r in ok), 4) if ok else None
    if side == "api":
        formats = sorted({r["response_format"] for r in ok if r.get("response_format")})
        stats["response_formats"] = formats
    return stats


def verdict(api: dict[str, Any] | None, local: dict[str, Any] | None, tolerance: float) -> dict[str, Any]:
    """Apply :data:`VERDICT_RULE` to one task's API and local stats."""
    if not api or not local or not api["ok"] or not local["ok"]:
        side = "API" if not api or not api["ok"] else "local model"
        return {"verdict": "no verdict", "reasons": [f"the {side} answered no case of this task"], "checks": {}}
    metric = api["primary_metric"] or local["primary_metric"]
    qa, ql = api["quality"].get(metric), local["quality"].get(metric)
    checks: dict[str, bool | None] = {
        "quality": None if qa is None or ql is None else ql >= qa - tolerance - 1e-9,
        "latency": local["latency"]["p50_s"] < api["latency"]["p50_s"],
        "cost": None
        if api["cost_per_1k_usd"] is None or local["cost_per_1k_usd"] is None
        else local["cost_per_1k_usd"] < api["cost_per_1k_usd"],
        "failures": local["failure_rate"] <= api["failure_rate"],
    }
    reasons = []
    if checks["quality"] is False:
        reasons.append(f"quality: local {metric} {ql:.3f} vs API {qa:.3f} (more than {tolerance:g} below)")
    if checks["latency"] is False:
        reasons.append(f"latency: local p50 {local['latency']['p50_s']:.3f}s vs API {api['latency']['p50_s']:.3f}s")
    if checks["cost"] is False:
        reasons.append(
            f"cost: local ${local['cost_per_1k_usd']:.4f} vs API ${api['cost_per_1k_usd']:.4f} per 1,000 requests"
        )
    if checks["failures"] is False:
        reasons.append(f"failures: local {local['failure_rate']:.1%} vs API {api['failure_rate']:.1%}")
    if checks["quality"] is None:
        reasons.append(f"quality not comparable ({metric} missing on a side)")
    if checks["cost"] is None:
        reasons.append("cost not compared (no API price: pass --price-in/--price-out)")
    good = checks["quality"] is True and all(v is not False for v in checks.values())
    return {
        "verdict": "local good enough" if good else "keep the API",
        "metric": metric,
        "api": qa,
        "local": ql,
        "delta": None if qa is None or ql is None else round(ql - qa, 4),
        "checks": checks,
        "reasons": reasons,
    }


def summarise(
    records: list[dict[str, Any]], run: dict[str, Any], prices: tuple[float, float, str] | None, config: BenchConfig
) -> dict[str, Any]:
    by: dict[str, dict[str, list[dict[str, Any]]]] = {side: defaultdict(list) for side in SIDES}
    for record in records:
        by[record["side"]][record["task"]].append(record)
    task_order = [t.value for t in tasks.TaskName if any(t.value in by[s] for s in SIDES)]
    sides = {
        side: {
            "name": run["api_model"] if side == "api" else run["local_model"],
            "by_task": {t: _side_task_stats(by[side][t], side, prices, config) for t in task_order if by[side][t]},
        }
        for side in SIDES
    }
    verdicts = {
        t: verdict(sides["api"]["by_task"].get(t), sides["local"]["by_task"].get(t), config.tolerance)
        for t in task_order
    }
    failed = [r for r in records if r["status"] != "ok"]
    kinds: dict[str, int] = defaultdict(int)
    for record in failed:
        kinds[f"{record['side']} {record['status']}: {_error_kind(record.get('error') or '')}"] += 1
    return {
        "run": run,
        "rule": VERDICT_RULE,
        "sides": sides,
        "verdicts": verdicts,
        "failures": {
            "count": len(failed),
            "by_kind": dict(sorted(kinds.items())),
            "cases": [
                {k: r.get(k) for k in ("side", "index", "task", "status", "retries", "error")} for r in failed[:50]
            ],
        },
        "retries": {side: sum(r.get("retries") or 0 for r in records if r["side"] == side) for side in SIDES},
    }


def _error_kind(message: str) -> str:
    head = message.split(":", 1)[0].strip()
    return head[:40] or "unknown"


# --- the CLI entry point -------------------------------------------------------------------------


def run_cli(config: BenchConfig, console) -> dict[str, Any]:
    """``griller bench api-vs-local``: run with a progress bar, print the summary on ``console``."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        results = run_benchmark(config, show_progress=True)
    except BaseModelError as error:
        raise BenchError(str(error)) from error
    print_summary(results, console)
    return results
