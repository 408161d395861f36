"""A model behind any OpenAI-compatible API (OpenAI, vLLM, Ollama, ``griller serve``) answering the three tasks.

The prompts are :mod:`ml.tasks`' and the parse is grounded as the local engine's is
(:mod:`ml.inference.grounding`), so an API model and the local model answer the same question the
same way. The backend's ``LLM_MODE=api`` and the try-it page's side-by-side view both use it.
Settings come from the environment or a ``.env`` file: ``API_BASE_URL``, ``API_MODEL``, ``API_KEY``.
"""

from __future__ import annotations

import logging
from functools import cached_property
from typing import Any

from pydantic import ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from ml import tasks
from ml.inference.sampling import prompt_seed, task_sampling
from ml.inference.tone import on_tone
from ml.schema import ParsedResume, parsed_resume_json_schema

log = logging.getLogger(__name__)

PARSE_MIN_MAX_TOKENS = 1536
"""A parse's ``max_tokens`` at least; a long resume gets one per :data:`PARSE_PROMPT_CHARS_PER_ANSWER_TOKEN`
prompt characters, up to ``API_PARSE_MAX_TOKENS`` (the API's own output limit)."""
PARSE_PROMPT_CHARS_PER_ANSWER_TOKEN = 2
"""English takes about 4 characters a token, and a parse restates its resume in up to about twice its tokens."""
QUESTION_MAX_TOKENS = 64


class LLMError(RuntimeError):
    """The model could not produce a valid answer; the message says what went wrong (never the resume text)."""


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    api_base_url: str | None = None
    api_key: str | None = None
    api_model: str | None = None
    api_timeout_s: float = 120.0
    api_max_retries: int = 3
    api_parse_max_tokens: int = 8192  # the most a parse asks for; many APIs refuse more output than 8-16k tokens


class ApiModel:
    """The three tasks answered by an API model; failures raise :class:`LLMError` naming the fault."""

    def __init__(self, settings: ApiSettings) -> None:
        if not (settings.api_base_url and settings.api_model):
            raise LLMError("an API model needs API_BASE_URL and API_MODEL")
        self.settings = settings

    def parse_resume(self, text: str) -> ParsedResume:
        """JSON-schema output where the server supports it; one retry that shows the model its validation error."""
        response_format = {
            "type": "json_schema",
            "json_schema": {"name": "ParsedResume", "schema": parsed_resume_json_schema()},
        }
        user = tasks.parse_resume_input(text)
        wanted = max(PARSE_MIN_MAX_TOKENS, len(user) // PARSE_PROMPT_CHARS_PER_ANSWER_TOKEN)
        max_tokens = min(wanted, self.settings.api_parse_max_tokens)
        content = self.chat(tasks.TaskName.PARSE_RESUME, user, max_tokens, response_format=response_format)
        try:
            return _grounded(ParsedResume.model_validate_json(strip_fences(content)), user)
        except ValidationError as error:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()[:10])
            log.info("API resume JSON invalid, retrying once: %s", problems)
            retry = [
                {"role": "assistant", "content": content},
                {"role": "user", "content": f"That JSON is invalid: {problems}. Reply with the corrected JSON only."},
            ]
            content = self.chat(tasks.TaskName.PARSE_RESUME, user, max_tokens, retry, response_format)
            try:
                return _grounded(ParsedResume.model_validate_json(strip_fences(content)), user)
            except ValidationError as second:
                raise LLMError(
                    f"the API returned invalid resume JSON twice ({second.error_count()} errors)"
                ) from second

    def interview_question(self, resume: ParsedResume | str, tone: tasks.Tone | str, seed: int | None = None) -> str:
        """As the local engine asks it: an off-tone sample is asked again (:func:`ml.inference.tone.on_tone`)."""
        return on_tone(
            self._ask(tasks.interview_question_input(resume, tone, seed), seed), resume, tone, seed, self._ask
        )

    def _ask(self, user: str, seed: int | None) -> str:
        return tasks.one_question(self.chat(tasks.TaskName.INTERVIEW_QUESTION, user, QUESTION_MAX_TOKENS, seed=seed))

    def follow_up(self, resume: ParsedResume | str, question: str, answer: str, seed: int | None = None) -> str:
        user = tasks.follow_up_input(resume, question, answer)
        return tasks.one_question(self.chat(tasks.TaskName.FOLLOW_UP, user, QUESTION_MAX_TOKENS, seed=seed))

    def chat(
        self,
        task: tasks.TaskName,
        user: str,
        max_tokens: int,
        extra_messages: list[dict[str, str]] | None = None,
        response_format: dict | None = None,
        seed: int | None = None,
    ) -> str:
        """One chat completion of a task prompt (plus ``extra_messages``); its text.

        Decoding is the task's own, as in the local engine (:func:`ml.inference.sampling.task_sampling`):
        greedy for parses, seeded sampling for questions, so a local server answers both modes alike.
        """
        from openai import OpenAIError

        messages = tasks.build_messages(task, user) + (extra_messages or [])
        kwargs: dict[str, Any] = {"response_format": response_format} if response_format else {}
        kwargs |= task_sampling(task, prompt_seed(user) if seed is None else seed).request_params()
        try:
            response = self._client.chat.completions.create(
                model=self.settings.api_model, messages=messages, max_tokens=max_tokens, **kwargs
            )
        except OpenAIError as error:
            raise LLMError(f"API request to {self.settings.api_base_url} failed: {type(error).__name__}") from error
        content = response.choices[0].message.content if response.choices else None
        if content is None:
            raise LLMError("the API returned an empty answer")
        return content

    @cached_property
    def _client(self):
        from openai import OpenAI

        return OpenAI(
            base_url=self.settings.api_base_url,
            api_key=self.settings.api_key or "not-needed",
            timeout=self.settings.api_timeout_s,
            max_retries=self.settings.api_max_retries,  # the client backs off on 429, 5xx and timeouts
        )


def _grounded(parsed: ParsedResume, source: str) -> ParsedResume:
    """As the local engine does (unless ``GRILLER_GROUNDING=0``): no repeated items, nothing the resume lacks."""
    from ml.inference.grounding import ground, grounding_enabled

    return ground(parsed, source).resume if grounding_enabled() else parsed


def strip_fences(content: str) -> str:
    """API models often wrap JSON in a Markdown code fence; keep what is inside."""
    content = content.strip()
    if content.startswith("```"):
        content = content.split("\n", 1)[-1].rsplit("```", 1)[0]
    return content.strip()
