"""Issue 10 §6: API clients (teacher labelling, backend ``LLM_MODE=api``) against a loopback server that fails.

429, 500/503, a timeout and a response cut mid-body are retried with exponential backoff; past the retry
budget the caller gets a clear error naming the fault, and work already done is kept (the teacher's cache).
Already covered in tests/preprocessing/test_teacher.py: 429+503 then success, 400 format fallback,
invalid answers not cached, auth errors stopping the run.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from backend.app.services.llm_service import LLMError, LLMService, LLMSettings
from ml.preprocessing import teacher as teacher_module
from ml.preprocessing.teacher import Teacher, label_texts, read_cache
from ml.schema import ParsedResume
from tests.reliability.conftest import FlakyAPI

DOCS = [
    ("a.txt", "Ana Lima\nData Engineer at Acme"),
    ("b.txt", "Bo Chen\nNurse at Mercy Hospital"),
    ("c.txt", "Cleo Park\nDesigner at Initech"),
]
SECRET_RESUME = "Zelda Quux-4471\nSpy at Nowhere Inc"


def _teacher(base: str, **kwargs) -> Teacher:
    return Teacher(base, "teacher-model", "test-key", **({"backoff": 0.01, "timeout": 0.5} | kwargs))


@pytest.fixture()
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The teacher's backoff delays, recorded (and actually slept, they are tiny)."""
    recorded: list[float] = []
    real = time.sleep

    def sleep(seconds: float) -> None:
        recorded.append(seconds)
        real(seconds)

    monkeypatch.setattr(teacher_module.time, "sleep", sleep)
    return recorded


def test_teacher_retries_every_transient_fault_with_exponential_backoff(
    flaky_api: tuple[str, FlakyAPI], sleeps: list[float], tmp_path: Path
) -> None:
    base, api = flaky_api
    api.script = ["429", "500", "503", "timeout", "truncate"]
    report = label_texts(DOCS[:1], _teacher(base), tmp_path / "cache.jsonl", concurrency=1)
    assert (report.labelled, report.failed, report.retries) == (1, 0, 5)
    assert len(api.requests) == 6
    for attempt, delay in enumerate(sleeps):  # backoff * 2^attempt, jittered down to half
        assert 0.01 * 2**attempt * 0.5 <= delay <= 0.01 * 2**attempt
    assert [label.name for label in read_cache(tmp_path / "cache.jsonl").values()] == ["Ana Lima"]


def test_teacher_honours_retry_after(flaky_api: tuple[str, FlakyAPI], sleeps: list[float], tmp_path: Path) -> None:
    base, api = flaky_api
    api.script, api.retry_after = ["429"], "0.2"
    label_texts(DOCS[:1], _teacher(base), tmp_path / "cache.jsonl", concurrency=1)
    assert sleeps == [0.2]


def test_teacher_gives_up_with_a_clear_error_and_keeps_what_it_labelled(
    flaky_api: tuple[str, FlakyAPI], tmp_path: Path
) -> None:
    base, api = flaky_api
    cache = tmp_path / "cache.jsonl"
    api.script = ["ok", "500", "500", "500", "ok"]  # a labelled, b fails 3 times (max_retries=2), c labelled
    report = label_texts(DOCS, _teacher(base, max_retries=2), cache, concurrency=1)
    assert (report.labelled, report.failed) == (2, 1)
    assert report.problems == [report.problems[0]] and report.problems[0].startswith("b.txt: InternalServerError")
    assert "500" in report.problems[0]
    assert len(read_cache(cache)) == 2  # partial results kept
    # Rerun when the endpoint is healthy: only the failed resume is sent again.
    before = len(api.requests)
    again = label_texts(DOCS, _teacher(base), cache, concurrency=1)
    assert (again.cached, again.labelled, again.failed) == (2, 1, 0)
    assert len(api.requests) == before + 1 and "Bo Chen" in api.requests[-1]["messages"][-1]["content"]


def test_teacher_timeouts_and_truncations_past_the_budget_fail_that_resume_only(
    flaky_api: tuple[str, FlakyAPI], tmp_path: Path
) -> None:
    base, api = flaky_api
    api.script = ["timeout", "timeout", "ok", "truncate", "truncate", "truncate"]
    report = label_texts(DOCS[:3], _teacher(base, max_retries=1), tmp_path / "c.jsonl", concurrency=1)
    assert (report.labelled, report.failed) == (1, 2)
    kinds = sorted(p.split(": ")[1] for p in report.problems)
    assert kinds == ["APIConnectionError", "APITimeoutError"]


def test_teacher_counts_a_reply_cut_by_the_token_limit_and_does_not_cache_it(
    flaky_api: tuple[str, FlakyAPI], tmp_path: Path
) -> None:
    base, api = flaky_api
    api.always = "cut_json"  # 200 OK, finish_reason=length, half a JSON object
    report = label_texts(DOCS[:1], _teacher(base), tmp_path / "c.jsonl")
    assert (report.labelled, report.failed) == (0, 1) and "invalid label after 2 tries" in report.problems[0]
    assert read_cache(tmp_path / "c.jsonl") == {}


def _service(base: str, **kwargs) -> LLMService:
    settings = {"llm_mode": "api", "api_base_url": base, "api_model": "m", "api_key": "k", "_env_file": None}
    return LLMService(LLMSettings(**(settings | kwargs)))


def test_backend_api_mode_retries_faults_then_answers(flaky_api: tuple[str, FlakyAPI]) -> None:
    base, api = flaky_api
    api.reply = ParsedResume(name="Ana Lima", skills=["Python"]).to_json()
    api.script = ["429", "500", "truncate"]
    service = _service(base, api_max_retries=3)
    assert service.parse_resume("Ana Lima\nPython").name == "Ana Lima"
    assert len(api.requests) == 4
    gaps = [b - a for a, b in zip(api.times, api.times[1:], strict=False)]
    assert all(gap >= 0.2 for gap in gaps)  # the OpenAI client's own backoff (0.5 s, 1 s, … jittered)


def test_backend_api_mode_gives_a_clear_error_without_the_resume(flaky_api: tuple[str, FlakyAPI]) -> None:
    base, api = flaky_api
    api.always = "500"
    with pytest.raises(LLMError, match=r"API request to .* failed: InternalServerError") as error:
        _service(base, api_max_retries=1).parse_resume(SECRET_RESUME)
    assert len(api.requests) == 2 and "Zelda" not in str(error.value)
    api.always, api.stall_s = "timeout", 1.0
    started = time.monotonic()
    with pytest.raises(LLMError, match="APITimeoutError"):
        _service(base, api_max_retries=1, api_timeout_s=0.3).interview_question(SECRET_RESUME, "hr")
    assert time.monotonic() - started < 5
    assert json.dumps(api.requests).count("Zelda") >= 1  # it was sent (to the API), only never echoed in errors
