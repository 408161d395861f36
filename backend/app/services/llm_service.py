"""The backend's one door to a model: ``LLM_MODE=local`` (the fine-tuned model in-process) or ``api``.

Settings come from the environment or a ``.env`` file (see ``.env.example``)::

    LLM_MODE=local                      # or api
    LOCAL_MODEL_PATH=./ml/models/exported/resume-griller-lora
    API_BASE_URL=http://127.0.0.1:8000/v1   # any OpenAI-compatible server (OpenAI, vLLM, Ollama, griller serve)
    API_KEY=...
    API_MODEL=gpt-4o-mini

Both modes build the same prompts (``ml/tasks.py``), ground parses the same way and return the same
types, so switching mode changes where the model runs, not what the backend receives. The API side is
:class:`ml.inference.api.ApiModel`.
"""

from __future__ import annotations

from functools import cached_property
from typing import Literal

from ml import tasks
from ml.inference import PARSE_SEQUENCES
from ml.inference.api import ApiModel, ApiSettings, LLMError
from ml.paths import EXPORTED_DIR
from ml.schema import ParsedResume

__all__ = ["LLMError", "LLMService", "LLMSettings"]


class LLMSettings(ApiSettings):
    llm_mode: Literal["local", "api"] = "local"
    local_backend: Literal["auto", "transformers", "llama.cpp"] = "auto"  # LOCAL_BACKEND (see resolve_backend)
    local_model_path: str = str(EXPORTED_DIR / "resume-griller-lora")


class LLMService:
    """``parse_resume``, ``interview_question``, ``follow_up`` from the local engine or an API model."""

    def __init__(self, settings: LLMSettings | None = None) -> None:
        self.settings = settings or LLMSettings()
        if self.settings.llm_mode == "api" and not (self.settings.api_base_url and self.settings.api_model):
            raise LLMError("LLM_MODE=api needs API_BASE_URL and API_MODEL")

    def parse_resume(self, text: str) -> ParsedResume:
        if self.settings.llm_mode == "local":
            parsed, generation = self._engine.parse_resume(text)
            if parsed is None:
                raise LLMError(f"the local model returned invalid resume JSON ({generation.completion_tokens} tokens)")
            return parsed
        return self._api.parse_resume(text)

    def interview_question(self, resume: ParsedResume | str, tone: tasks.Tone | str, seed: int | None = None) -> str:
        """A question for ``resume``; another ``seed`` asks another one (unset: the same one each time)."""
        model = self._engine if self.settings.llm_mode == "local" else self._api
        return model.interview_question(resume, tone, seed)

    def follow_up(self, resume: ParsedResume | str, question: str, answer: str, seed: int | None = None) -> str:
        model = self._engine if self.settings.llm_mode == "local" else self._api
        return model.follow_up(resume, question, answer, seed)

    @cached_property
    def _engine(self):
        from ml.inference.backends import load_engine

        # a resume's parts decoded together, as `griller parse` and `griller eval` decode them
        return load_engine(self.settings.local_model_path, self.settings.local_backend, parallel=PARSE_SEQUENCES)

    @cached_property
    def _api(self) -> ApiModel:
        return ApiModel(self.settings)
