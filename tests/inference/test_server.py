from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ml import tasks
from ml.inference.engine import Engine
from ml.inference.server import ApiError, ModelGate, ServerSettings, create_app
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
                await gate.run(lambda: time.sleep(seconds))
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

        def slow_batch(items: list[str]) -> list[str]:
            time.sleep(0.6)  # longer than the wait limit
            return [item.upper() for item in items]

        holder = asyncio.ensure_future(gate.run(lambda: time.sleep(0.1)))  # the model is busy: both requests queue
        await asyncio.sleep(0.01)
        batched = [gate.run_batched("question", item, slow_batch) for item in ("a", "b")]
        results = await asyncio.gather(*batched, return_exceptions=True)
        await holder
        return results

    assert asyncio.run(scenario()) == ["A", "B"]


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
