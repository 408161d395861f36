"""OpenAI-compatible server plus the task endpoints, over one :class:`~ml.inference.engine.Engine`.

    griller serve --model ml/models/exported/resume-griller-lora --port 8000 [--api-key KEY]

Generation is CPU/GPU bound, so requests run one at a time in a worker thread behind a bounded
queue: a request that finds the queue full, or waits longer than the queue timeout, gets 503
instead of piling up. Errors are JSON in OpenAI's shape (``{"error": {"message", "type"}}``)
with 401 / 413 / 422 / 503 status codes; an unexpected failure is a 500 without a stack trace.
Resume text is never logged.

``GET /`` is a try-it page (``ml/inference/web/``): upload or paste a resume, see it parsed, get
grilled; with a compare model configured it shows the local model beside an API model. A parse or chat
whose client goes away (the page's Cancel) leaves the queue before the model sees it, or, when it is
being generated, stops it within a decoding step (:class:`~ml.inference.engine.GenerationCancelled`), so
the next request does not wait for abandoned work; ``/page/config`` tells the page how long this
server's recent parses took.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import statistics
import tempfile
import threading
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from ml import tasks
from ml.inference.api import ApiModel, ApiSettings, LLMError
from ml.inference.backends import load_engine
from ml.inference.engine import Engine, Generation, GenerationCancelled
from ml.inference.sampling import Sampling
from ml.preprocessing.ingest import IngestError, read_document
from ml.schema import ParsedResume

log = logging.getLogger(__name__)
T = TypeVar("T")
WEB_DIR = Path(__file__).parent / "web"
PAGE_HEADERS = {
    # model output is rendered as text only; the policy is a second line of defence against injected markup
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
}


class CompareModel(Protocol):
    """A second model for the page's side-by-side view: an :class:`~ml.inference.api.ApiModel`."""

    def parse_resume(self, text: str) -> ParsedResume: ...
    def interview_question(
        self, resume: ParsedResume | str, tone: tasks.Tone | str, seed: int | None = None
    ) -> str: ...
    def follow_up(self, resume: ParsedResume | str, question: str, answer: str, seed: int | None = None) -> str: ...


class ServerSettings(BaseModel):
    api_key: str | None = None
    max_body_bytes: int = 5 * 2**20
    max_queue: int = 16  # requests waiting for the model beyond the one running
    queue_timeout_s: float = 120.0
    max_batch: int = 8  # requests of one kind that wait together decode as one batch
    max_tokens_limit: int = 4096


class ApiError(Exception):
    def __init__(self, status: int, message: str, kind: str = "invalid_request_error") -> None:
        super().__init__(message)
        self.status, self.message, self.kind = status, message, kind


def _error(status: int, message: str, kind: str) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": kind, "code": status}}, status_code=status)


class ModelGate:
    """One generation at a time, at most ``max_queue`` waiting, each waiting at most ``timeout`` seconds.

    :meth:`run_batched` also lets requests of the same kind that are waiting together share one
    batched generation (up to ``max_batch``): on CPU, decoding 8 sequences costs far less than 8 runs.
    The work gets a ``threading.Event`` that is set once every request it serves has been cancelled (their
    clients left): engines stop generating then, and the model is taken until the work has returned.
    """

    def __init__(self, max_queue: int, timeout: float, max_batch: int = 8) -> None:
        self._lock = asyncio.Lock()
        self._waiting = 0  # callers of run() waiting for the lock
        self._pending: dict[str, list[tuple[Any, asyncio.Future]]] = {}  # batched requests not yet taken
        self.max_queue, self.timeout, self.max_batch = max_queue, timeout, max_batch

    @property
    def waiting(self) -> int:
        return self._waiting + sum(len(queue) for queue in self._pending.values())

    def check_room(self) -> None:
        """Raise the 503 that :meth:`run` would raise at once when the queue is full."""
        if self.waiting >= self.max_queue + (0 if self._lock.locked() else 1):
            raise ApiError(503, "server busy: the request queue is full, retry later", "server_busy")

    def _busy(self) -> ApiError:
        return ApiError(503, f"server busy: waited {self.timeout:.0f}s for the model", "server_busy")

    async def run(self, function: Callable[[threading.Event], T]) -> T:
        """``function(cancel)`` in a worker thread once the model is free."""
        self.check_room()
        self._waiting += 1
        try:
            await asyncio.wait_for(self._lock.acquire(), timeout=self.timeout)
        except TimeoutError as error:
            raise self._busy() from error
        finally:
            self._waiting -= 1
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        try:
            await self._serve([(None, future)], lambda _, cancel: [function(cancel)])
        finally:
            self._lock.release()
        return future.result()

    async def run_batched(self, kind: str, item: Any, batch: Callable[[list[Any], threading.Event], list[T]]) -> T:
        """``batch([item, ...], cancel)[0]`` for this item, run together with same-``kind`` items waiting with it."""
        self.check_room()
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        entry = (item, future)
        queue = self._pending.setdefault(kind, [])
        queue.append(entry)
        acquire = asyncio.ensure_future(self._lock.acquire())
        try:
            done, _ = await asyncio.wait({future, acquire}, timeout=self.timeout, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:  # the client went away (the page's Cancel)
            await self._abandon(entry, queue, acquire)
            raise
        if acquire not in done:  # served by another request's batch, or timed out
            if not await _cancel_acquire(acquire):
                self._lock.release()
            if future.done():
                return future.result()
            if entry in queue:  # still waiting for the model: give up
                queue.remove(entry)
                raise self._busy()
            return await future  # taken into a batch that is running: its answer is on the way
        try:
            if not future.done():
                group = [entry, *[other for other in queue if other is not entry][: self.max_batch - 1]]
                for member in group:
                    queue.remove(member)
                await self._serve(group, batch)
        finally:
            self._lock.release()
        return future.result()

    async def _serve(self, group: list[tuple[Any, asyncio.Future]], batch: Callable) -> None:
        """Run ``group``, the caller's request first, while the caller holds the model's lock. A caller cancelled
        meanwhile leaves the group and keeps the lock until the batch has ended: it stops early when every
        request of the group has left; otherwise the others still get their answers."""
        run = asyncio.ensure_future(self._run_group(group, batch))
        try:
            await asyncio.shield(run)
        except asyncio.CancelledError:
            group[0][1].cancel()
            await run
            raise

    async def _abandon(self, entry: tuple[Any, asyncio.Future], queue: list, acquire: asyncio.Future) -> None:
        """A waiting request cancelled: out of the queue, so no batch takes it, and its claim on the lock dropped."""
        if entry in queue:
            queue.remove(entry)
        elif not entry[1].cancel():  # in a running batch it leaves (see _serve), unless its answer came already:
            entry[1].exception()  # then no one reads it
        if not await _cancel_acquire(acquire):
            self._lock.release()

    @staticmethod
    async def _run_group(group: list[tuple[Any, asyncio.Future]], batch: Callable) -> None:
        """``batch`` in a worker thread, each answer to its request's future but those cancelled (their client
        left); the batch's ``cancel`` event is set once all of them are."""
        futures = [future for _, future in group]
        cancel = threading.Event()

        def leave(_: asyncio.Future) -> None:
            if all(future.cancelled() for future in futures):
                cancel.set()

        for future in futures:
            future.add_done_callback(leave)
        try:
            results = await run_in_threadpool(batch, [item for item, _ in group], cancel)
        except GenerationCancelled:
            log.info("generation stopped: the clients of its %d request(s) left", len(group))
            return
        except Exception as error:  # every request of the batch still waiting gets the failure
            for future in futures:
                if not future.cancelled():
                    future.set_exception(error)
            return
        for future, result in zip(futures, results, strict=True):
            if not future.cancelled():
                future.set_result(result)


async def _cancel_acquire(acquire: asyncio.Future) -> bool:
    """Cancel a pending lock acquisition; False when it had already acquired the lock (the caller releases)."""
    acquire.cancel()
    try:
        await acquire
    except asyncio.CancelledError:
        return True
    return False


# --- request and response bodies -----------------------------------------------------------------


class ChatMessage(BaseModel):
    role: Literal["system", "user", "assistant"]
    content: str


class ResponseFormat(BaseModel):
    type: Literal["text", "json_object", "json_schema"] = "text"
    json_schema: dict[str, Any] | None = None


class ChatCompletionRequest(BaseModel):
    model: str | None = None
    messages: list[ChatMessage] = Field(min_length=1)
    max_tokens: int | None = Field(default=None, gt=0)
    max_completion_tokens: int | None = Field(default=None, gt=0)
    temperature: float | None = Field(
        default=None, ge=0, le=2, description="Sampling temperature; unset or 0 decodes greedily (deterministic)."
    )
    top_p: float | None = Field(default=None, gt=0, le=1)
    seed: int | None = Field(default=None, ge=0, description="Makes a sampled answer repeatable.")
    stream: bool = False
    response_format: ResponseFormat | None = None


class ParseTextRequest(BaseModel):
    text: str = Field(min_length=1, description="Plain text of one resume.")


class ParseResponse(BaseModel):
    resume: ParsedResume | None
    valid: bool
    raw: str | None = Field(None, description="The model's output when it was not valid JSON.")
    truncated: bool
    seconds: float
    model: str


SEED_HELP = "Picks another sampled question; unset, the same request gets the same question."


class QuestionRequest(BaseModel):
    resume: ParsedResume | str = Field(description="A parsed resume (preferred) or its raw text.")
    tone: tasks.Tone = tasks.Tone.TECHNICAL
    seed: int | None = Field(default=None, ge=0, description=SEED_HELP)


class FollowUpRequest(BaseModel):
    resume: ParsedResume | str
    question: str = Field(min_length=1)
    answer: str = Field(min_length=1)
    seed: int | None = Field(default=None, ge=0, description=SEED_HELP)


class QuestionResponse(BaseModel):
    question: str
    seconds: float
    model: str


class PageConfig(BaseModel):
    """What the try-it page needs before its first request (public: no key needed to read it)."""

    model: str
    fine_tuned: bool
    auth_required: bool
    max_body_bytes: int
    compare_model: str | None = Field(None, description="The API model beside the local one; null: no compare.")
    typical_parse_seconds: float | None = Field(
        None, description="Median model time of this server's recent parses; null before its first."
    )


class ParseTimes:
    """The model time of the last ``keep`` parses: what a wait on this machine typically is."""

    def __init__(self, keep: int = 20) -> None:
        self._seconds: deque[float] = deque(maxlen=keep)

    def add(self, seconds: float) -> None:
        self._seconds.append(seconds)

    def typical(self) -> float | None:
        return round(statistics.median(self._seconds), 1) if self._seconds else None


# --- the app -------------------------------------------------------------------------------------


def _wants_schema(request: ChatCompletionRequest) -> bool:
    """Constrain to ParsedResume when asked for JSON output or when the prompt is the parse task's."""
    if request.response_format and request.response_format.type != "text":
        return True
    system = next((m.content for m in request.messages if m.role == "system"), None)
    return system == tasks.SYSTEM_PROMPTS[tasks.TaskName.PARSE_RESUME]


def create_app(
    engine: Engine,
    settings: ServerSettings | None = None,
    compare: CompareModel | None = None,
    compare_name: str | None = None,
) -> FastAPI:
    """The API over ``engine``; ``compare`` (named ``compare_name``) adds the ``/v1/compare/...`` endpoints."""
    settings = settings or ServerSettings()
    gate = ModelGate(settings.max_queue, settings.queue_timeout_s, settings.max_batch)
    model_id = Path(engine.name).name or engine.name
    app = FastAPI(
        title="resume-griller inference API",
        description="OpenAI-compatible chat completions plus resume parsing and interview-question endpoints.",
        version="1",
    )
    app.state.gate = gate
    parse_times = ParseTimes()

    @app.middleware("http")
    async def limit_body_size(request: Request, call_next):
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > settings.max_body_bytes:
            return _error(413, f"request body over {settings.max_body_bytes} bytes", "request_too_large")
        if declared is None and request.method in ("POST", "PUT"):
            body = b""
            async for chunk in request.stream():
                body += chunk
                if len(body) > settings.max_body_bytes:
                    return _error(413, f"request body over {settings.max_body_bytes} bytes", "request_too_large")
            request._body = body  # starlette reads the cached body later
        return await call_next(request)

    @app.exception_handler(ApiError)
    async def api_error(_: Request, error: ApiError) -> JSONResponse:
        return _error(error.status, error.message, error.kind)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, error: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'] if p != 'body') or 'body'}: {e['msg']}" for e in error.errors()
        )
        return _error(422, f"invalid request: {problems}", "invalid_request_error")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        return _error(error.status_code, str(error.detail), "invalid_request_error")

    @app.exception_handler(Exception)
    async def unexpected(_: Request, error: Exception) -> JSONResponse:
        log.error("internal error: %s", type(error).__name__)
        return _error(500, "internal server error", "server_error")

    def check_key(request: Request) -> None:
        if settings.api_key is None:
            return
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not secrets.compare_digest(token.encode(), settings.api_key.encode()):
            raise ApiError(401, "missing or invalid API key (Authorization: Bearer <key>)", "authentication_error")

    authorized = [Depends(check_key)]

    @app.get("/health")
    async def health() -> dict[str, Any]:
        return {"status": "ok", "model": model_id, "fine_tuned": engine.fine_tuned, "backend": engine.backend}

    @app.get("/v1/models", dependencies=authorized)
    async def models() -> dict[str, Any]:
        return {"object": "list", "data": [{"id": model_id, "object": "model", "owned_by": "resume-griller"}]}

    @app.post("/v1/chat/completions", dependencies=authorized)
    async def chat_completions(request: ChatCompletionRequest, connection: Request):
        messages = [m.model_dump() for m in request.messages]
        max_tokens = min(request.max_completion_tokens or request.max_tokens or 512, settings.max_tokens_limit)
        constrained = _wants_schema(request)
        sampling = Sampling(request.temperature or 0.0, request.top_p or 1.0, request.seed)
        completion_id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
        if request.stream:
            gate.check_room()  # a full queue answers a plain 503 before the event stream starts
            return StreamingResponse(
                _stream(engine, gate, messages, max_tokens, constrained, sampling, completion_id, model_id),
                media_type="text/event-stream",
            )
        source = _resume_source(engine, messages) if constrained else None

        def run(cancel: threading.Event) -> Generation:
            generation = engine.generate_messages(
                messages, max_tokens, constrained, source=source, sampling=sampling, cancel=cancel
            )
            return engine.ground(generation, source)

        return _completion_body(await _unless_client_leaves(connection, gate.run(run)), completion_id, model_id)

    @app.post("/v1/resume/parse", response_model=ParseResponse, dependencies=authorized)
    async def parse_resume(request: Request) -> ParseResponse:
        """Parse one resume: JSON ``{"text": ...}`` or a multipart upload ``file`` (pdf, docx, txt, md, html)."""
        text = await _resume_text(request)
        parsed, generation = await _unless_client_leaves(
            request, gate.run_batched("parse", text, lambda texts, cancel: engine.parse_resumes(texts, cancel))
        )
        seconds = round(generation.seconds, 3)
        parse_times.add(seconds)  # the reported figure, so the page's typical wait rounds the same number
        return ParseResponse(
            resume=parsed,
            valid=parsed is not None,
            raw=None if parsed else generation.text,
            truncated=generation.truncated,
            seconds=seconds,
            model=model_id,
        )

    @app.post("/v1/interview/question", response_model=QuestionResponse, dependencies=authorized)
    async def interview_question(request: QuestionRequest) -> QuestionResponse:
        started = time.perf_counter()
        item = (request.resume, request.tone, request.seed)
        question = await gate.run_batched("question", item, lambda items, _: engine.interview_questions(items))
        return QuestionResponse(question=question, seconds=round(time.perf_counter() - started, 3), model=model_id)

    @app.post("/v1/interview/follow-up", response_model=QuestionResponse, dependencies=authorized)
    async def follow_up(request: FollowUpRequest) -> QuestionResponse:
        started = time.perf_counter()
        item = (request.resume, request.question, request.answer, request.seed)
        question = await gate.run_batched("follow_up", item, lambda items, _: engine.follow_ups(items))
        return QuestionResponse(question=question, seconds=round(time.perf_counter() - started, 3), model=model_id)

    _add_page(
        app,
        PageConfig(
            model=model_id,
            fine_tuned=engine.fine_tuned,
            auth_required=settings.api_key is not None,
            max_body_bytes=settings.max_body_bytes,
            compare_model=compare_name if compare else None,
        ),
        parse_times,
    )
    if compare is not None:
        _add_compare(app, compare, compare_name or "api", authorized)
    return app


def _add_page(app: FastAPI, config: PageConfig, parse_times: ParseTimes) -> None:
    """The try-it page at ``/``, its assets under ``/web``, and the settings it reads at ``/page/config``."""

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(WEB_DIR / "index.html", headers=PAGE_HEADERS)

    @app.get("/page/config", response_model=PageConfig, tags=["page"])
    async def page_config() -> PageConfig:
        return config.model_copy(update={"typical_parse_seconds": parse_times.typical()})

    app.mount("/web", StaticFiles(directory=WEB_DIR), name="web")


async def _timed(function: Callable[[], T]) -> tuple[T, float]:
    """Run a blocking API call off the event loop; an API failure becomes a 502 the page can show."""
    started = time.perf_counter()
    try:
        result = await run_in_threadpool(function)
    except LLMError as error:
        raise ApiError(502, f"compare model failed: {error}", "upstream_error") from error
    return result, round(time.perf_counter() - started, 3)


def _add_compare(app: FastAPI, compare: CompareModel, name: str, authorized: list) -> None:
    """The task endpoints again, answered by the compare model (the API call runs beside the local gate)."""

    @app.post("/v1/compare/resume/parse", response_model=ParseResponse, dependencies=authorized, tags=["compare"])
    async def compare_parse(request: Request) -> ParseResponse:
        text = await _resume_text(request)
        parsed, seconds = await _timed(lambda: compare.parse_resume(text))
        return ParseResponse(resume=parsed, valid=True, truncated=False, seconds=seconds, model=name)

    @app.post(
        "/v1/compare/interview/question", response_model=QuestionResponse, dependencies=authorized, tags=["compare"]
    )
    async def compare_question(request: QuestionRequest) -> QuestionResponse:
        question, seconds = await _timed(lambda: compare.interview_question(request.resume, request.tone, request.seed))
        return QuestionResponse(question=question, seconds=seconds, model=name)

    @app.post(
        "/v1/compare/interview/follow-up", response_model=QuestionResponse, dependencies=authorized, tags=["compare"]
    )
    async def compare_follow_up(request: FollowUpRequest) -> QuestionResponse:
        question, seconds = await _timed(
            lambda: compare.follow_up(request.resume, request.question, request.answer, request.seed)
        )
        return QuestionResponse(question=question, seconds=seconds, model=name)


async def _unless_client_leaves(request: Request, work: Awaitable[T]) -> T:
    """``work``'s result, unless the client disconnects first (the page's Cancel aborts its request): then the
    work is cancelled, so a request still queued never reaches the model and one being generated stops
    (:class:`ModelGate`); this returns once the model is free again."""
    task = asyncio.ensure_future(work)
    left = asyncio.ensure_future(_disconnected(request))
    try:
        await asyncio.wait({task, left}, return_when=asyncio.FIRST_COMPLETED)
    except asyncio.CancelledError:
        task.cancel()
        raise
    finally:
        left.cancel()
    if not task.done():
        task.cancel()
        await asyncio.wait({task})
        log.info("%s cancelled: the client closed its request", request.url.path)
        raise ApiError(499, "client closed the request", "client_closed")
    return task.result()


async def _disconnected(request: Request) -> None:
    """Returns when the client has gone (the request body is read by then, so only a disconnect can come)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


# What a person can do about each way an upload cannot be read. Matched against the wording of
# ml.preprocessing.ingest's errors (whose details, the extractor's exception names, are for logs, not people).
UPLOAD_PROBLEMS: list[tuple[str, str]] = [
    ("encrypted PDF", "This PDF is protected by a password. Save a copy without the password, or paste the text."),
    (
        "no text layer",
        "This PDF holds only images of text (a scan?), no text the model can read. Export it again from the "
        "original document, or paste the text.",
    ),
    (
        "unreadable PDF",
        "This file is not a PDF that can be opened: it may be damaged, or another kind of file renamed to .pdf. "
        "Save or export it as a PDF again, or paste the text.",
    ),
    ("DOCX unpacks", "This Word document is too large to read here. Save it as a PDF, or paste the text."),
    (
        "unreadable DOCX",
        "This file is not a .docx Word document that can be opened: it may be damaged, an old .doc file, or "
        "another kind of file renamed. Save it as .docx or PDF again, or paste the text.",
    ),
    ("empty", "This file is empty. Choose the file that holds your resume, or paste the text."),
    ("too little text", "This file has too little text to be a resume. Check that it is the right file."),
    ("binary", "This file does not hold readable text. Upload a PDF, DOCX or text file, or paste the text."),
    ("encoding", "This file does not hold readable text. Upload a PDF, DOCX or text file, or paste the text."),
    ("unsupported file type", "This kind of file cannot be read here. Upload a PDF, DOCX, TXT, Markdown or HTML file."),
    ("too large", "This file is too large to be a resume. Upload a shorter file, or paste the text."),
]


def _upload_problem(error: IngestError) -> str:
    """The reason an upload was refused, in words for the person who uploaded it."""
    message = str(error).split(": ", 1)[-1]  # without the temporary file's path
    return next(
        (advice for fragment, advice in UPLOAD_PROBLEMS if fragment in message),
        "This file could not be read. Try a PDF, DOCX or text copy of it, or paste the text.",
    )


async def _resume_text(request: Request) -> str:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise ApiError(422, "invalid request: multipart body needs a 'file' field")
        suffix = Path(upload.filename or "resume.txt").suffix.lower() or ".txt"
        with tempfile.TemporaryDirectory(prefix="griller-upload-") as folder:
            path = Path(folder) / f"upload{suffix}"  # the client's file name never becomes a path
            path.write_bytes(await upload.read())
            try:
                return read_document(path)
            except IngestError as error:
                log.info("unreadable upload: %s", str(error).split(": ", 1)[-1])  # the detail, for whoever runs it
                raise ApiError(422, f"unreadable upload: {_upload_problem(error)}") from error
    try:
        body = ParseTextRequest.model_validate(await request.json())
    except json.JSONDecodeError as error:
        raise ApiError(422, "invalid request: body is not valid JSON") from error
    except ValueError as error:
        raise ApiError(422, 'invalid request: expected {"text": "<resume>"} or a multipart \'file\'') from error
    return body.text


def _completion_body(generation: Generation, completion_id: str, model_id: str) -> dict[str, Any]:
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model_id,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": generation.text},
                "finish_reason": "stop" if generation.finished else "length",
            }
        ],
        "usage": {
            "prompt_tokens": generation.prompt_tokens,
            "completion_tokens": generation.completion_tokens,
            "total_tokens": generation.prompt_tokens + generation.completion_tokens,
        },
    }


def _resume_source(engine: Engine, messages: list[dict[str, str]]) -> str | None:
    """The text a schema-constrained chat parses (its last user message), when the engine grounds parses."""
    users = [message["content"] for message in messages if message["role"] == "user"]
    return users[-1] if users and engine.grounded else None


async def _stream(
    engine: Engine,
    gate: ModelGate,
    messages: list[dict[str, str]],
    max_tokens: int,
    constrained: bool,
    sampling: Sampling,
    completion_id: str,
    model_id: str,
) -> AsyncIterator[str]:
    """Server-sent events in OpenAI's chunk format; the generation runs in the gate's worker thread."""
    from transformers import TextIteratorStreamer

    streamer = TextIteratorStreamer(engine.tokenizer, skip_prompt=True, skip_special_tokens=True, timeout=600)
    result: dict[str, Generation] = {}

    def run(cancel: threading.Event) -> None:
        source = _resume_source(engine, messages) if constrained else None  # streamed text is not grounded after
        result["generation"] = engine.generate_messages(
            messages, max_tokens, constrained, streamer=streamer, source=source, sampling=sampling, cancel=cancel
        )

    def chunk(delta: dict[str, str], finish: str | None = None) -> str:
        body = {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model_id,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        return f"data: {json.dumps(body)}\n\n"

    task = asyncio.create_task(gate.run(run))

    def end_stream_on_failure(done: asyncio.Task) -> None:
        # The generation never ran (queue full or wait timeout) or it failed: nothing will ever end the
        # streamer, and without this the client and the pump thread would wait for its 600 s timeout.
        if done.cancelled() or done.exception() is not None:
            streamer.end()

    task.add_done_callback(end_stream_on_failure)
    queue: asyncio.Queue[str | None] = asyncio.Queue()
    loop = asyncio.get_running_loop()

    def pump() -> None:
        try:
            for text in streamer:
                loop.call_soon_threadsafe(queue.put_nowait, text)
        finally:
            loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=pump, daemon=True).start()
    try:
        yield chunk({"role": "assistant", "content": ""})
        while (text := await queue.get()) is not None:
            if text:
                yield chunk({"content": text})
        try:
            await task
        except ApiError as error:
            yield f"data: {json.dumps({'error': {'message': error.message, 'type': error.kind}})}\n\n"
            return
        except Exception as error:  # the status line is already sent: report in the stream, as OpenAI does
            log.error("internal error while streaming: %s", type(error).__name__)
            yield f"data: {json.dumps({'error': {'message': 'internal server error', 'type': 'server_error'}})}\n\n"
            return
        generation = result["generation"]
        yield chunk({}, "stop" if generation.finished else "length")
        yield "data: [DONE]\n\n"
    finally:  # the client may have left mid-stream: its generation stops (a finished task ignores this)
        task.cancel()


def compare_service(base_url: str | None, model: str | None, key: str | None) -> tuple[CompareModel | None, str | None]:
    """An API model configured as the backend's API mode is.

    Options given here win; the rest comes from ``API_BASE_URL`` / ``API_MODEL`` / ``API_KEY`` in the
    environment or ``.env``. Without a base URL and a model there is nothing to compare with.
    """
    given = {"api_base_url": base_url, "api_model": model, "api_key": key}
    settings = ApiSettings(**{name: value for name, value in given.items() if value})
    if not (settings.api_base_url and settings.api_model):
        return None, None
    log.info("compare model: %s at %s", settings.api_model, settings.api_base_url)
    return ApiModel(settings), settings.api_model


def serve(
    model: str | None,
    host: str,
    port: int,
    api_key: str | None,
    compare_base_url: str | None = None,
    compare_model: str | None = None,
    compare_key: str | None = None,
    backend: str | None = None,
) -> None:
    import uvicorn

    settings = ServerSettings(api_key=api_key)
    engine = load_engine(model, backend, parallel=settings.max_batch)  # llama.cpp: one KV sequence per batch row
    compare, compare_name = compare_service(compare_base_url, compare_model, compare_key)
    app = create_app(engine, settings, compare, compare_name)
    uvicorn.run(app, host=host, port=port, log_level="info")
