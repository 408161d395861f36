"""Requests that arrive together share one batched generation; each still gets its own answer."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest

from ml import tasks
from ml.inference.engine import Engine
from ml.inference.server import ServerSettings, create_app
from tests.servers import serve_in_thread

RESUMES = [
    "Jane Doe\nSenior Data Engineer, Acme Corp, 2021-Present\nBuilt a Kafka pipeline.\nSKILLS Python, SQL",
    "Bob Stone\nNurse, St Mary's Hospital, 2019-2023\nLed a triage redesign.",
    "Chen Wei\nTeacher, Riverside High, 2015-2020\nRan the robotics club.",
    "Ana Ruiz\nSales Manager, Globex, 2018-Present\nGrew revenue 30%.",
]


@pytest.fixture(scope="module")
def engine(tiny_run: Path) -> Engine:
    return Engine.load(tiny_run / "adapter")


def test_batched_generation_equals_one_at_a_time(engine: Engine) -> None:
    """Left padding and the attention mask keep each row's greedy output what it is alone."""
    inputs = [tasks.interview_question_input(resume, "technical") for resume in RESUMES]
    single = [engine.generate(tasks.TaskName.INTERVIEW_QUESTION, text, 12).text for text in inputs]
    batched = engine.generate_batch(tasks.TaskName.INTERVIEW_QUESTION, inputs, 12)
    assert [generation.text for generation in batched] == single
    assert all(0 < generation.completion_tokens <= 12 for generation in batched)


def test_batched_parse_is_valid_json_for_every_row(engine: Engine) -> None:
    results = engine.parse_resumes(RESUMES[:3])
    assert len(results) == 3
    for parsed, generation in results:
        assert parsed is not None, generation.text


class CountingEngine(Engine):
    """The tiny engine; records batch sizes, and holds the first call until ``release`` is set."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine.model, engine.tokenizer, engine.name, engine.fine_tuned)
        self.started, self.release = threading.Event(), threading.Event()
        self.batches: list[int] = []

    def interview_questions(self, requests):
        self.batches.append(len(requests))
        self.started.set()
        assert self.release.wait(30), "test never released the model"
        return super().interview_questions(requests)


def test_server_serves_waiting_requests_in_one_batch(engine: Engine) -> None:
    counting = CountingEngine(engine)
    app = create_app(counting, ServerSettings(max_queue=8))
    gate = app.state.gate
    with serve_in_thread(app) as url:
        answers: dict[int, httpx.Response] = {}

        def ask(index: int) -> None:
            body = {"resume": RESUMES[index], "tone": "technical"}
            answers[index] = httpx.post(f"{url}/v1/interview/question", json=body, timeout=60)

        first = threading.Thread(target=ask, args=(0,))
        first.start()
        assert counting.started.wait(30)
        waiting = [threading.Thread(target=ask, args=(i,)) for i in (1, 2, 3)]
        for thread in waiting:
            thread.start()
        deadline = time.monotonic() + 30
        while gate.waiting < 3:  # all three queued behind the held request
            assert time.monotonic() < deadline, "requests never reached the queue"
            time.sleep(0.01)
        counting.release.set()
        for thread in [first, *waiting]:
            thread.join(60)
    assert counting.batches == [1, 3], "the three waiting requests ran as one batch"
    assert all(answers[i].status_code == 200 for i in range(4))
    expected = engine.interview_questions([(resume, "technical") for resume in RESUMES[1:]])
    assert [answers[i].json()["question"] for i in (1, 2, 3)] == expected
