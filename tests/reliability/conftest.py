"""Fixtures for the reliability tests: the tiny fine-tuned engine, a scriptable flaky OpenAI-compatible server.

Everything here runs on loopback and on the tiny random model, so the whole folder takes seconds.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from ml import tasks
from ml.inference import engine as engine_module
from ml.inference.backends import load_engine
from ml.inference.engine import Engine
from ml.inference.server import ServerSettings

_stall = time.sleep  # bound now: tests patch time.sleep to record the clients' backoff
PARSE_TOKENS = 160
"""Token limit for parse_resume in these tests: enough for the constrained grammar to close a full object."""


@pytest.fixture(scope="module")
def engine(tiny_run: Path) -> Engine:
    """The tiny fine-tuned adapter on transformers (tests that reach into the model's own processors)."""
    return Engine.load(tiny_run / "adapter")


@pytest.fixture(scope="module")
def served_engine(tiny_run: Path) -> Engine:
    """The tiny fine-tuned adapter on the default backend, loaded as ``griller serve`` loads it: on CPU llama.cpp
    (its Q8_0 conversion, one KV sequence per batch row), unless the crash canary ruled it out on this host."""
    return load_engine(tiny_run / "adapter", parallel=ServerSettings().max_batch)


@pytest.fixture()
def short_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cap parse_resume at PARSE_TOKENS (the server's parse endpoint has no max_tokens of its own)."""
    limits = {**engine_module.DEFAULT_MAX_NEW_TOKENS, tasks.TaskName.PARSE_RESUME: PARSE_TOKENS}
    monkeypatch.setattr(engine_module, "DEFAULT_MAX_NEW_TOKENS", limits)
    monkeypatch.setattr(engine_module, "PARSE_ANSWER_PER_PROMPT_TOKEN", 0.0)  # the floor only, not the resume's


def chat_body(content: str, finish_reason: str = "stop") -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 0,
        "model": "flaky",
        "choices": [{"index": 0, "finish_reason": finish_reason, "message": {"role": "assistant", "content": content}}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }


class FlakyAPI:
    """A loopback ``/v1/chat/completions`` that plays a script of faults, then answers ``reply``.

    Script steps: ``"429"``, ``"500"``, ``"503"`` (JSON error bodies), ``"timeout"`` (answers after
    ``stall_s``, past the client's timeout), ``"truncate"`` (declares a body, sends a tenth of it and
    closes), ``"cut_json"`` (a 200 whose content is half a JSON object, ``finish_reason: length``),
    ``"ok"``. Once the script is empty every request is answered by ``always`` (default ``"ok"``).
    """

    def __init__(self) -> None:
        self.script: list[str] = []
        self.always = "ok"
        self.reply: str = json.dumps({"name": "Ana Lima", "skills": ["Python"]})
        self.stall_s = 1.5
        self.retry_after: str | None = None
        self.requests: list[dict[str, Any]] = []
        self.times: list[float] = []
        self.lock = threading.Lock()

    def next_step(self, body: dict[str, Any]) -> str:
        with self.lock:
            self.requests.append(body)
            self.times.append(time.monotonic())
            return self.script.pop(0) if self.script else self.always


@pytest.fixture()
def flaky_api() -> Iterator[tuple[str, FlakyAPI]]:
    api = FlakyAPI()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            step = api.next_step(body)
            if step == "timeout":
                _stall(api.stall_s)
                step = "ok"
            if step in ("429", "500", "503"):
                self._send(int(step), json.dumps({"error": {"message": f"fault {step}", "type": "server_error"}}))
            elif step == "truncate":
                data = json.dumps(chat_body(api.reply)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(data[: len(data) // 10])
                self.wfile.flush()
                self.close_connection = True
            elif step == "cut_json":
                self._send(200, json.dumps(chat_body(api.reply[: len(api.reply) // 2], "length")))
            else:
                self._send(200, json.dumps(chat_body(api.reply)))

        def _send(self, status: int, text: str) -> None:
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            if status == 429 and api.retry_after is not None:
                self.send_header("Retry-After", api.retry_after)
            self.end_headers()
            with contextlib.suppress(OSError):  # the client gave up (timeout): nothing to answer
                self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: Any, client_address: Any) -> None:
            pass  # a client that timed out and closed its socket is part of the test, not an error

    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", api
    finally:
        server.shutdown()
        server.server_close()
