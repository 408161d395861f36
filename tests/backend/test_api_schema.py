"""``LLM_MODE=api`` against a real OpenAI-compatible server (``griller serve``'s app on a loopback port), as the
GPU path uses vLLM: the parse request carries the resume's JSON schema (``response_format`` ``json_schema``), and
the server decodes under it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backend.app.services.llm_service import LLMService, LLMSettings
from ml import tasks
from ml.inference.api import ApiModel, strip_fences
from ml.inference.engine import Engine
from ml.inference.server import ServerSettings, create_app
from ml.schema import ParsedResume, parsed_resume_json_schema
from tests.servers import serve_in_thread

ANSWER_TOKENS = 160
"""The server's cap on every answer: enough for the grammar to close a whole object on the tiny model."""
TEXT = "Ana Silva\nData Engineer at Acme Corp, 2020 - Present\nSkills: Python, SQL"
SCHEMA_FORMAT = {"type": "json_schema", "json_schema": {"name": "ParsedResume", "schema": parsed_resume_json_schema()}}


def recording(app: Any, requests: list[dict]) -> Any:
    """``app`` behind an ASGI layer that keeps the JSON body of every chat completion the server receives."""

    async def layer(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] != "/v1/chat/completions":
            return await app(scope, receive, send)
        messages = [await receive()]
        while messages[-1].get("more_body"):
            messages.append(await receive())
        requests.append(json.loads(b"".join(message.get("body", b"") for message in messages)))

        async def replay() -> dict:
            return messages.pop(0) if messages else await receive()

        return await app(scope, replay, send)

    return layer


@pytest.fixture(scope="module")
def server(tiny_model_dir: Path) -> Iterator[tuple[str, list[dict]]]:
    """The base URL of a served random tiny model, and the requests it got: a random model writes valid resume
    JSON only when its decoder is held to the schema."""
    requests: list[dict] = []
    app = create_app(Engine.load(tiny_model_dir), ServerSettings(max_tokens_limit=ANSWER_TOKENS))
    with serve_in_thread(recording(app, requests)) as url:
        yield f"{url}/v1", requests


def api_settings(url: str) -> LLMSettings:
    return LLMSettings(llm_mode="api", api_base_url=url, api_model="tiny", _env_file=None)


def test_api_mode_sends_the_resume_schema_and_gets_valid_json_first_time(server: tuple[str, list[dict]]) -> None:
    url, requests = server
    requests.clear()
    parsed = LLMService(api_settings(url)).parse_resume(TEXT)
    assert isinstance(parsed, ParsedResume)
    assert len(requests) == 1  # no validation retry: the first answer was valid
    assert requests[0]["response_format"] == SCHEMA_FORMAT
    assert requests[0]["temperature"] == 0  # parses decode greedily, as the local engine does


def test_the_response_format_alone_holds_the_server_to_the_schema(server: tuple[str, list[dict]]) -> None:
    """Under a prompt that is not the parse task's, the schema is what makes the answer resume JSON."""
    url, requests = server
    model = ApiModel(api_settings(url))
    user = tasks.interview_question_input(TEXT, "hr")
    free = model.chat(tasks.TaskName.INTERVIEW_QUESTION, user, ANSWER_TOKENS)
    held = model.chat(tasks.TaskName.INTERVIEW_QUESTION, user, ANSWER_TOKENS, response_format=SCHEMA_FORMAT)
    assert requests[-2].get("response_format") is None and requests[-1]["response_format"] == SCHEMA_FORMAT
    with pytest.raises(ValueError):
        ParsedResume.model_validate_json(strip_fences(free))
    assert isinstance(ParsedResume.model_validate_json(held), ParsedResume)
