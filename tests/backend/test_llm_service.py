from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI, Request

from backend.app.services.llm_service import LLMError, LLMService, LLMSettings
from ml.inference import PARSE_SEQUENCES, backends
from ml.inference.server import ServerSettings, create_app
from ml.schema import ParsedResume
from tests.servers import serve_in_thread

RESUME = ParsedResume(name="Ana Silva", skills=["Python"])


@pytest.fixture(scope="module")
def adapter(tiny_run: Path) -> Path:
    return tiny_run / "adapter"


@pytest.fixture(scope="module", params=["transformers", "auto"])
def services(adapter: Path, request: pytest.FixtureRequest) -> Iterator[tuple[LLMService, LLMService]]:
    """Local mode on transformers and on the default backend (llama.cpp where the [llama] extra is installed)."""
    settings = LLMSettings(llm_mode="local", local_model_path=str(adapter), local_backend=request.param, _env_file=None)
    local = LLMService(settings)
    with serve_in_thread(create_app(local._engine, ServerSettings(api_key="k"))) as url:
        api = LLMService(
            LLMSettings(llm_mode="api", api_base_url=f"{url}/v1", api_key="k", api_model="tiny", _env_file=None)
        )
        yield local, api


def test_local_and_api_modes_give_the_same_answers(services: tuple[LLMService, LLMService]) -> None:
    local, api = services
    for tone in ("hr", "technical"):
        assert local.interview_question(RESUME, tone) == api.interview_question(RESUME, tone)
    assert local.follow_up(RESUME, "Why Python?", "I like it.") == api.follow_up(RESUME, "Why Python?", "I like it.")
    text = "Ana Silva\nData Engineer at Acme Corp, 2020 - Present\nSkills: Python"
    parsed = local.parse_resume(text)  # schema-constrained: valid even from a barely trained tiny model
    assert isinstance(parsed, ParsedResume) and api.parse_resume(text) == parsed


def test_the_local_engine_decodes_a_resumes_parts_together(monkeypatch: pytest.MonkeyPatch, adapter: Path) -> None:
    """As `griller parse` and `griller eval` do: on llama.cpp one sequence would decode the parts one at a time,
    slower and another decode than the one the evaluation scores."""
    asked = []
    monkeypatch.setattr(backends, "load_engine", lambda spec, backend, parallel: asked.append(parallel))
    service = LLMService(LLMSettings(llm_mode="local", local_model_path=str(adapter), _env_file=None))
    assert service._engine is None  # what the stand-in load_engine returned
    assert asked == [PARSE_SEQUENCES] and PARSE_SEQUENCES > 1


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch, adapter: Path) -> None:
    monkeypatch.setenv("LLM_MODE", "api")
    monkeypatch.setenv("API_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("API_MODEL", "m")
    settings = LLMSettings(_env_file=None)
    assert (settings.llm_mode, settings.api_model) == ("api", "m")
    monkeypatch.delenv("API_MODEL")
    with pytest.raises(LLMError, match="API_MODEL"):
        LLMService(LLMSettings(_env_file=None))


def _fake_api(replies: list[str]) -> tuple[FastAPI, list[dict]]:
    """An OpenAI-compatible stand-in that answers the given contents in turn and records the requests."""
    app, seen = FastAPI(), []

    @app.post("/v1/chat/completions")
    async def complete(request: Request) -> dict:
        seen.append(await request.json())
        content = replies[min(len(seen), len(replies)) - 1]
        return {
            "id": "x",
            "object": "chat.completion",
            "created": 0,
            "model": "fake",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        }

    return app, seen


def test_api_parse_asks_for_the_schema_and_retries_once_with_the_error() -> None:
    good = "```json\n" + RESUME.to_json() + "\n```"
    app, seen = _fake_api(['{"name": "Ana", "hobbies": []}', good])
    with serve_in_thread(app) as url:
        service = LLMService(LLMSettings(llm_mode="api", api_base_url=f"{url}/v1", api_model="m", _env_file=None))
        assert service.parse_resume("Ana Silva\nPython") == RESUME
    assert seen[0]["response_format"]["type"] == "json_schema"
    assert "hobbies" in seen[1]["messages"][-1]["content"]  # the retry shows the validation error


def test_api_parse_gives_up_after_the_retry() -> None:
    app, seen = _fake_api(["not json"])
    with serve_in_thread(app) as url:
        service = LLMService(LLMSettings(llm_mode="api", api_base_url=f"{url}/v1", api_model="m", _env_file=None))
        with pytest.raises(LLMError, match="invalid resume JSON twice"):
            service.parse_resume("Ana")
    assert len(seen) == 2
    assert json.dumps(seen).count("Ana") >= 1
