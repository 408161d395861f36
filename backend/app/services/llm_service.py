"""The backend's one door to a model: ``LLM_MODE=local`` (the fine-tuned model in-process) or ``api``.

Settings come from the environment or a ``.env`` file (see ``.env.example``)::

    LLM_MODE=local                      # or api
    LOCAL_MODEL_PATH=./ml/models/exported/resume-griller-lora
    API_BASE_URL=http://127.0.0.1:8000/v1   # any OpenAI-compatible server (OpenAI, vLLM, Ollama, griller serve)
    API_KEY=...
    API_MODEL=gpt-4o-mini

Both modes build the same prompts (``ml/tasks.py``) and return the same types, so switching mode
changes where the model runs, not what the backend receives.
"""

from __future__ import annotations

import logging
from functools import cached_property
from typing import Literal

from pydantic import ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from ml import tasks
from ml.paths import EXPORTED_DIR
from ml.schema import ParsedResume, parsed_resume_json_schema

log = logging.getLogger(__name__)


class LLMError(RuntimeError):
    """The model could not produce a valid answer; the message says what went wrong (never the resume text)."""


class LLMSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    llm_mode: Literal["local", "api"] = "local"
    local_model_path: str = str(EXPORTED_DIR / "resume-griller-lora")
    api_base_url: str | None = None
    api_key: str | None = None
    api_model: str | None = None
    api_timeout_s: float = 120.0
    api_max_retries: int = 3


class LLMService:
    def __init__(self, settings: LLMSettings | None = None) -> None:
        self.settings = settings or LLMSettings()
        if self.settings.llm_mode == "api" and not (self.settings.api_base_url and self.settings.api_model):
            raise LLMError("LLM_MODE=api needs API_BASE_URL and API_MODEL")

    # --- the three operations ---------------------------------------------------------------------

    def parse_resume(self, text: str) -> ParsedResume:
        if self.settings.llm_mode == "local":
            parsed, generation = self._engine.parse_resume(text)
            if parsed is None:
                raise LLMError(f"the local model returned invalid resume JSON ({generation.completion_tokens} tokens)")
            return parsed
        return self._api_parse(text)

    def interview_question(self, resume: ParsedResume | str, tone: tasks.Tone | str) -> str:
        if self.settings.llm_mode == "local":
            return self._engine.interview_question(resume, tone)
        user = tasks.interview_question_input(resume, tone)
        return tasks.one_question(self._api_chat(tasks.TaskName.INTERVIEW_QUESTION, user, max_tokens=64))

    def follow_up(self, resume: ParsedResume | str, question: str, answer: str) -> str:
        if self.settings.llm_mode == "local":
            return self._engine.follow_up(resume, question, answer)
        user = tasks.follow_up_input(resume, question, answer)
        return tasks.one_question(self._api_chat(tasks.TaskName.FOLLOW_UP, user, max_tokens=64))

    # --- local mode -------------------------------------------------------------------------------

    @cached_property
    def _engine(self):
        from ml.inference.engine import Engine

        return Engine.load(self.settings.local_model_path)

    # --- api mode ---------------------------------------------------------------------------------

    @cached_property
    def _client(self):
        from openai import OpenAI

        return OpenAI(
            base_url=self.settings.api_base_url,
            api_key=self.settings.api_key or "not-needed",
            timeout=self.settings.api_timeout_s,
            max_retries=self.settings.api_max_retries,  # the client backs off on 429, 5xx and timeouts
        )

    def _api_chat(
        self,
        task: tasks.TaskName,
        user: str,
        max_tokens: int,
        extra_messages: list[dict[str, str]] | None = None,
        response_format: dict | None = None,
    ) -> str:
        from openai import OpenAIError

        messages = tasks.build_messages(task, user) + (extra_messages or [])
        kwargs = {"response_format": response_format} if response_format else {}
        try:
            response = self._client.chat.completions.create(
                model=self.settings.api_model, messages=messages, max_tokens=max_tokens, temperature=0, **kwargs
            )
        except OpenAIError as error:
            raise LLMError(f"API request to {self.settings.api_base_url} failed: {type(error).__name__}") from error
        content = response.choices[0].message.content if response.choices else None
        if content is None:
            raise LLMError("the API returned an empty answer")
        return content

    def _grounded(self, parsed: ParsedResume, source: str) -> ParsedResume:
        """As the local engine does (unless ``GRILLER_GROUNDING=0``): no repeated items, nothing the resume lacks."""
        from ml.inference.grounding import ground, grounding_enabled

        if not grounding_enabled():
            return parsed

        return ground(parsed, source).resume

    def _api_parse(self, text: str) -> ParsedResume:
        """JSON-schema output where the server supports it; one retry that shows the model its validation error."""
        response_format = {
            "type": "json_schema",
            "json_schema": {"name": "ParsedResume", "schema": parsed_resume_json_schema()},
        }
        user = tasks.parse_resume_input(text)
        content = self._api_chat(tasks.TaskName.PARSE_RESUME, user, 1536, response_format=response_format)
        try:
            return self._grounded(ParsedResume.model_validate_json(_strip_fences(content)), user)
        except ValidationError as error:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()[:10])
            log.info("API resume JSON invalid, retrying once: %s", problems)
            retry = [
                {"role": "assistant", "content": content},
                {"role": "user", "content": f"That JSON is invalid: {problems}. Reply with the corrected JSON only."},
            ]
            content = self._api_chat(tasks.TaskName.PARSE_RESUME, user, 1536, retry, response_format)
            try:
                return self._grounded(ParsedResume.model_validate_json(_strip_fences(content)), user)
            except ValidationError as second:
                raise LLMError(
                    f"the API returned invalid resume JSON twice ({second.error_count()} errors)"
                ) from second


def _strip_fences(content: str) -> str:
    """API models often wrap JSON in a Markdown code fence; keep what is inside."""
    content = content.strip()
    if content.startswith("```"):
        content = content.split("\n", 1)[-1].rsplit("```", 1)[0]
    return content.strip()
