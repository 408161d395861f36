"""Issue 10 §4: the server under a hostile concurrent load, streamed requests that find no room, graceful shutdown.

Status codes of single bad requests are covered in tests/inference/test_server.py::test_error_statuses and
the gate's 503s in ::test_queue_full_and_wait_timeout_answer_503; here they come 500 at a time, concurrently.
The long version is ``python bench/server_soak.py --minutes N``.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time

import httpx
import pytest
import uvicorn

from ml.inference.engine import Engine
from ml.inference.server import ServerSettings, create_app
from tests.reliability.load import EXPECTED, rss_mb, run_load, summarize
from tests.servers import serve_in_thread

KEY = "reliability-key"
MAX_BODY = 64 * 1024  # small, so an oversized body costs little to send on a busy machine
RSS_GROWTH_LIMIT_MB = 200
CHAT_TOKENS = 64


@pytest.mark.parametrize("max_queue", [16, 32], ids=["queue16-sheds", "queue32-holds"])
def test_500_mixed_requests_from_32_clients(served_engine: Engine, short_parse: None, max_queue: int) -> None:
    """With the default queue (16) some valid requests are shed with 503; with room for all 32 clients, none.

    On the engine users get (llama.cpp's batched decoding on CPU) with answers of real length: chats up to
    ``CHAT_TOKENS``, parses up to the grammar-closed ``PARSE_TOKENS`` (a 500 was once found here by a benchmark)."""
    settings = ServerSettings(api_key=KEY, max_tokens_limit=CHAT_TOKENS, max_body_bytes=MAX_BODY, max_queue=max_queue)
    with serve_in_thread(create_app(served_engine, settings)) as url:
        asyncio.run(run_load(url, KEY, total=40, concurrency=8, max_body=MAX_BODY, seed=1))  # warm-up
        before = rss_mb()
        started = time.perf_counter()
        outcomes = asyncio.run(run_load(url, KEY, total=500, concurrency=32, max_body=MAX_BODY, seed=2))
        seconds = time.perf_counter() - started
        after = rss_mb()
        assert httpx.get(f"{url}/health").json()["status"] == "ok"  # still up
    summary = summarize(outcomes)
    print(
        f"\n{served_engine.backend}, queue {max_queue}: 500 requests / 32 clients in {seconds:.1f}s: "
        f"{summary['statuses']}; "
        f"p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms; RSS {before:.0f} -> {after:.0f} MiB"
    )
    print(json.dumps(summary["by_kind"], indent=1))
    assert summary["requests"] == 500
    assert summary["unexpected"] == 0, summary["unexpected_examples"]
    assert set(summary["by_kind"]) == set(EXPECTED)  # every kind of request was tried
    assert summary["by_kind"]["chat"]["statuses"].get("200", 0) > 0
    if max_queue >= 32:
        assert "503" not in summary["statuses"]  # every valid request was held and served
    assert after - before < RSS_GROWTH_LIMIT_MB


class GatedEngine(Engine):
    """The tiny engine, but each generation waits for ``release`` (so a request is in flight on demand)."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine.model, engine.tokenizer, engine.name, engine.fine_tuned)
        self.started, self.release = threading.Event(), threading.Event()

    def generate_messages(self, *args, **kwargs):
        self.started.set()
        assert self.release.wait(30), "test never released the generation"
        return super().generate_messages(*args, **kwargs)


def test_a_streamed_request_that_finds_no_room_ends_at_once(engine: Engine) -> None:
    """A stream refused by the gate used to hang the client (and a thread) for the streamer's 600 s timeout."""
    gated = GatedEngine(engine)
    body = {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 2}
    with serve_in_thread(create_app(gated, ServerSettings(max_queue=0, queue_timeout_s=0.3))) as url:
        first = threading.Thread(target=httpx.post, args=(f"{url}/v1/chat/completions",), kwargs={"json": body})
        first.start()
        assert gated.started.wait(10)
        started = time.perf_counter()
        refused = httpx.post(f"{url}/v1/chat/completions", json={**body, "stream": True}, timeout=10)
        assert refused.status_code == 503 and refused.json()["error"]["type"] == "server_busy"
        assert time.perf_counter() - started < 2
        gated.release.set()
        first.join(10)
    gated = GatedEngine(engine)  # now a queue of one: the stream is admitted, then waits past the timeout
    with serve_in_thread(create_app(gated, ServerSettings(max_queue=1, queue_timeout_s=0.3))) as url:
        first = threading.Thread(target=httpx.post, args=(f"{url}/v1/chat/completions",), kwargs={"json": body})
        first.start()
        assert gated.started.wait(10)
        started = time.perf_counter()
        late = httpx.post(f"{url}/v1/chat/completions", json={**body, "stream": True}, timeout=10)
        assert late.status_code == 200 and '"server_busy"' in late.text  # the error arrives as an event
        assert time.perf_counter() - started < 3
        gated.release.set()
        first.join(10)


def test_graceful_shutdown_finishes_the_request_in_flight(engine: Engine) -> None:
    gated = GatedEngine(engine)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(gated), host="127.0.0.1", port=port, log_level="warning"))
    serving = threading.Thread(target=server.run, daemon=True)
    serving.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.02)
    result: dict[str, httpx.Response] = {}
    body = {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 3}
    client = threading.Thread(
        target=lambda: result.update(
            r=httpx.post(f"http://127.0.0.1:{port}/v1/chat/completions", json=body, timeout=30)
        )
    )
    client.start()
    assert gated.started.wait(10), "the request never reached the model"
    server.should_exit = True  # what uvicorn does on SIGTERM / Ctrl-C
    time.sleep(0.5)  # the listener closes; the request is still waiting for the model
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)  # no new work is accepted
    assert serving.is_alive()  # ... but the server waits for the one in flight
    gated.release.set()
    client.join(30)
    serving.join(30)
    assert result["r"].status_code == 200 and result["r"].json()["object"] == "chat.completion"
    assert not serving.is_alive()
