from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from ml import tasks
from ml.inference.engine import Engine, GenerationCancelled
from ml.inference.server import ApiError, ModelGate, ServerSettings, create_app
from tests.inference.endless import ENDLESS_TOKENS, EndlessEngine
from tests.servers import serve_in_thread

KEY = "test-key-123"


@pytest.fixture(scope="module")
def engine(tiny_run: Path) -> Engine:
    return Engine.load(tiny_run / "adapter")


@pytest.fixture(scope="module")
def client(engine: Engine) -> TestClient:
    settings = ServerSettings(api_key=KEY, max_body_bytes=20_000, max_tokens_limit=16)
    return TestClient(create_app(engine, settings), headers={"Authorization": f"Bearer {KEY}"})


def test_health_models_and_docs(client: TestClient) -> None:
    assert client.get("/health").json()["status"] == "ok"
    assert client.get("/v1/models").json()["data"][0]["object"] == "model"
    assert "/v1/resume/parse" in client.get("/openapi.json").json()["paths"]


def test_chat_completion_and_its_stream_agree(client: TestClient) -> None:
    body = {"messages": [{"role": "user", "content": "Ask me one question about Acme Corp."}], "max_tokens": 8}
    answer = client.post("/v1/chat/completions", json=body).json()
    assert answer["object"] == "chat.completion" and answer["usage"]["completion_tokens"] > 0
    with client.stream("POST", "/v1/chat/completions", json={**body, "stream": True}) as response:
        events = [line.removeprefix("data: ") for line in response.iter_lines() if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    streamed = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert streamed.strip() == answer["choices"][0]["message"]["content"]
    assert chunks[-1]["choices"][0]["finish_reason"] in ("stop", "length")


def test_task_endpoints(client: TestClient) -> None:
    resume = {"name": "Ana Silva", "experience": [{"company": "Acme Corp", "title": "Data Engineer"}]}
    question = client.post("/v1/interview/question", json={"resume": resume, "tone": "hr"})
    assert question.status_code == 200 and isinstance(question.json()["question"], str)
    follow = client.post("/v1/interview/follow-up", json={"resume": "Ana", "question": "Why?", "answer": "Stuff."})
    assert follow.status_code == 200


def test_error_statuses(client: TestClient) -> None:
    no_key = client.post("/v1/chat/completions", json={}, headers={"Authorization": ""})
    assert no_key.status_code == 401 and "API key" in no_key.json()["error"]["message"]
    wrong = client.get("/v1/models", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert client.post("/v1/chat/completions", json={"messages": []}).status_code == 422
    malformed = client.post("/v1/chat/completions", content=b"{not json", headers={"Content-Type": "application/json"})
    assert malformed.status_code == 422 and "error" in malformed.json()
    bad_tone = client.post("/v1/interview/question", json={"resume": "x", "tone": "casual"})
    assert bad_tone.status_code == 422 and "tone" in bad_tone.json()["error"]["message"]
    huge = client.post("/v1/resume/parse", json={"text": "x" * 50_000})
    assert huge.status_code == 413
    assert client.post("/v1/resume/parse", json={"txt": "x"}).status_code == 422
    corrupt = client.post("/v1/resume/parse", files={"file": ("cv.pdf", b"%PDF-1.4 garbage", "application/pdf")})
    assert corrupt.status_code == 422 and "unreadable upload" in corrupt.json()["error"]["message"]
    assert client.get("/v1/nothing").status_code == 404


def test_queue_full_and_wait_timeout_answer_503() -> None:
    async def scenario() -> list[str]:
        gate = ModelGate(max_queue=1, timeout=0.3)
        outcomes = []

        async def call(seconds: float) -> None:
            try:
                await gate.run(lambda _: time.sleep(seconds))
                outcomes.append("ok")
            except ApiError as error:
                outcomes.append(str(error.status))

        await asyncio.gather(call(0.6), call(0.01), call(0.01))
        return outcomes

    outcomes = asyncio.run(scenario())
    assert sorted(outcomes) == ["503", "503", "ok"]  # one queued then timed out, one refused at once


def test_a_request_whose_batch_outlasts_its_wait_gets_its_answer() -> None:
    """The wait limit is for waiting: a request another one took into its running batch is being served."""

    async def scenario() -> list[object]:
        gate = ModelGate(max_queue=4, timeout=0.3)

        def slow_batch(items: list[str], _: threading.Event) -> list[str]:
            time.sleep(0.6)  # longer than the wait limit
            return [item.upper() for item in items]

        holder = asyncio.ensure_future(gate.run(lambda _: time.sleep(0.1)))  # the model is busy: both requests queue
        await asyncio.sleep(0.01)
        batched = [gate.run_batched("question", item, slow_batch) for item in ("a", "b")]
        results = await asyncio.gather(*batched, return_exceptions=True)
        await holder
        return results

    assert asyncio.run(scenario()) == ["A", "B"]


@pytest.mark.parametrize("leaving", [{"a"}, {"b"}, {"a", "b"}])
def test_a_batch_stops_once_every_request_in_it_has_left_and_not_before(leaving: set[str]) -> None:
    """Requests "a" (which runs the batch) and "b" share one batch; those in ``leaving`` are cancelled mid-batch."""

    async def scenario() -> tuple[list, dict[str, object], str]:
        gate = ModelGate(max_queue=4, timeout=30)
        running, release = threading.Event(), threading.Event()
        batches: list[tuple[list[str], threading.Event]] = []

        def batch(items: list[str], cancel: threading.Event) -> list[str]:
            batches.append((items, cancel))
            running.set()
            deadline = time.monotonic() + 30
            while not cancel.wait(timeout=0.01):
                if release.is_set() or time.monotonic() > deadline:
                    return [item.upper() for item in items]
            raise GenerationCancelled

        requests = {name: asyncio.ensure_future(gate.run_batched("question", name, batch)) for name in "ab"}
        assert await asyncio.to_thread(running.wait, 30)
        for name in leaving:
            requests[name].cancel()
        if leaving != set(requests):
            release.set()  # the batch runs on for the request still waiting
        done = await asyncio.gather(*requests.values(), return_exceptions=True)
        after = await asyncio.wait_for(gate.run(lambda _: "free"), timeout=5)
        return batches, dict(zip(requests, done, strict=True)), after

    batches, answers, after = asyncio.run(scenario())
    [(items, cancel)] = batches
    assert items == ["a", "b"] and cancel.is_set() == (leaving == {"a", "b"}) and after == "free"
    for name, answer in answers.items():
        assert isinstance(answer, asyncio.CancelledError) if name in leaving else answer == name.upper()


def post_to_leave(url: str, path: str, body: dict) -> socket.socket:
    """A connection that has sent ``body`` as a POST to ``path``: closing it is the client leaving (the page's
    Cancel aborts its fetch so)."""
    address = urlsplit(url)
    connection = socket.create_connection((address.hostname, address.port))
    data = json.dumps(body).encode()
    head = f"POST {path} HTTP/1.1\r\nHost: {address.netloc}\r\nContent-Type: application/json\r\n"
    connection.sendall(f"{head}Content-Length: {len(data)}\r\n\r\n".encode() + data)
    return connection


CHAT = [{"role": "user", "content": "Ask me one question about Acme Corp."}]
ABANDONED = {
    "parse": ("/v1/resume/parse", {"text": "Ana Silva, Data Engineer at Acme Corp since 2021. Python, SQL."}),
    "chat": ("/v1/chat/completions", {"messages": CHAT, "max_tokens": ENDLESS_TOKENS}),
    "stream": ("/v1/chat/completions", {"messages": CHAT, "max_tokens": ENDLESS_TOKENS, "stream": True}),
}


@pytest.mark.parametrize("kind", ABANDONED)
def test_an_abandoned_generation_stops_and_the_next_request_does_not_wait_for_it(
    kind: str, endless_engine: EndlessEngine, caplog: pytest.LogCaptureFixture
) -> None:
    path, body = ABANDONED[kind]
    caplog.set_level(logging.INFO)
    with serve_in_thread(create_app(endless_engine)) as url:
        connection = post_to_leave(url, path, body)
        assert endless_engine.running.wait(timeout=30)
        connection.close()
        left = time.perf_counter()
        assert endless_engine.cancelled.wait(timeout=endless_engine.would_take / 4)  # stopped, not finished
        answer = httpx.post(f"{url}/v1/chat/completions", json={"messages": CHAT, "max_tokens": 4}, timeout=60)
        waited = time.perf_counter() - left
    assert answer.status_code == 200 and answer.json()["usage"]["completion_tokens"] == 4
    assert waited < endless_engine.would_take / 4, (
        f"{waited:.1f} s; the abandoned one: {endless_engine.would_take:.1f} s"
    )
    assert any("generation stopped" in record.getMessage() for record in caplog.records)
    assert not [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]


@pytest.fixture(scope="module")
def live_server(engine: Engine) -> Iterator[str]:
    with serve_in_thread(create_app(engine, ServerSettings(api_key=KEY))) as url:
        yield f"{url}/v1"


def test_the_official_openai_client_works(live_server: str) -> None:
    from openai import OpenAI

    client = OpenAI(base_url=live_server, api_key=KEY)
    assert client.models.list().data[0].id
    messages = tasks.build_messages("interview_question", tasks.interview_question_input("Ana, nurse", "hr"))
    completion = client.chat.completions.create(model="local", messages=messages, max_tokens=6)
    assert completion.choices[0].message.content is not None
    stream = client.chat.completions.create(model="local", messages=messages, max_tokens=6, stream=True)
    assert "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices) is not None
