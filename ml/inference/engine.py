"""Local generation: load a model (base, base + LoRA adapter, or merged export) and run the tasks.

Prompts come from :mod:`ml.tasks` and go through the tokenizer's own chat template, exactly
as in training (:mod:`ml.training.dataset`), so there is no template drift between the two.
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from ml import tasks
from ml.base_model import load_base_model
from ml.schema import ParsedResume

log = logging.getLogger(__name__)

DEFAULT_CONTEXT_LIMIT = 8192
PROMPT_LOOKUP_TOKENS = 10
"""Draft length of prompt-lookup decoding: a parse copies long spans of the resume (and repeats its own
JSON keys), so drafts taken from the text already seen are often right and verified in one forward
pass. Greedy output is unchanged; measured in ``bench/infer_latency.py``. 0 turns it off."""
DEFAULT_MAX_NEW_TOKENS = {
    tasks.TaskName.PARSE_RESUME: 1536,
    tasks.TaskName.INTERVIEW_QUESTION: 64,
    tasks.TaskName.FOLLOW_UP: 64,
}


@dataclass
class Generation:
    text: str
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    finished: bool  # stopped on EOS rather than on the token limit
    truncated: bool = False  # the user message was cut to fit the context (see Engine.fit_user_input)


def is_adapter_dir(path: Path) -> bool:
    return (path / "adapter_config.json").is_file()


def adapter_base_model(path: Path) -> str:
    """The base model an adapter was trained on, as recorded by PEFT."""
    config = json.loads((path / "adapter_config.json").read_text(encoding="utf-8"))
    return config["base_model_name_or_path"]


class Engine:
    """A loaded model ready to answer the three tasks."""

    def __init__(self, model, tokenizer, name: str, fine_tuned: bool) -> None:
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.name = name
        self.fine_tuned = fine_tuned
        self.prompt_lookup_tokens = int(os.environ.get("GRILLER_PROMPT_LOOKUP", PROMPT_LOOKUP_TOKENS))

    @classmethod
    def load(cls, spec: str | Path | None = None, merge_adapter: bool = True) -> Engine:
        """Load a base model spec (see :mod:`ml.base_model`), a merged export or a LoRA adapter directory.

        An adapter is merged into the base weights in memory by default: same outputs, no per-layer
        LoRA overhead at decode time. Its own tokenizer (and so its chat template) is used when saved.
        """
        path = Path(spec) if spec is not None else None
        if path is not None and path.is_dir() and is_adapter_dir(path):
            from peft import PeftModel
            from transformers import AutoTokenizer

            model, tokenizer = load_base_model(adapter_base_model(path))
            if (path / "tokenizer_config.json").is_file():
                tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
            model = PeftModel.from_pretrained(model, str(path))
            if merge_adapter:
                model = model.merge_and_unload()
            return cls(model, tokenizer, name=str(path), fine_tuned=True)
        model, tokenizer = load_base_model(spec)
        fine_tuned = path is not None and (path / "griller_export.json").is_file()
        return cls(model, tokenizer, name=str(spec or "base"), fine_tuned=fine_tuned)

    @property
    def context_limit(self) -> int:
        """Prompt + answer tokens this engine will run: the model's window, capped by ``GRILLER_MAX_CONTEXT``."""
        window = getattr(self.model.config, "max_position_embeddings", None) or DEFAULT_CONTEXT_LIMIT
        return min(int(window), int(os.environ.get("GRILLER_MAX_CONTEXT", DEFAULT_CONTEXT_LIMIT)))

    def prompt_ids(self, task: tasks.TaskName | str, user_input: str):
        return self._encode(tasks.build_messages(task, user_input))

    def _encode(self, messages: list[dict[str, str]]):
        return self.tokenizer.apply_chat_template(
            messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
        )

    def fit_user_input(self, task: tasks.TaskName | str, user_input: str, max_new_tokens: int) -> tuple[str, bool]:
        """Truncation policy: cut the *end* of an over-long user message so prompt + answer fit the context.

        A resume's head (contact, latest jobs) matters most, so the tail is dropped; the caller is told
        (``Generation.truncated``) instead of the model silently running past its window.
        """
        budget = self.context_limit - max_new_tokens
        overflow = self.prompt_ids(task, user_input)["input_ids"].shape[1] - budget
        if overflow <= 0:
            return user_input, False
        ids = self.tokenizer(user_input, add_special_tokens=False)["input_ids"]
        keep = max(len(ids) - overflow - 8, 0)  # a small margin: re-tokenising the cut text can shift a token
        return self.tokenizer.decode(ids[:keep]), True

    def generate(
        self,
        task: tasks.TaskName | str,
        user_input: str,
        max_new_tokens: int | None = None,
        constrained: bool | None = None,
    ) -> Generation:
        """Greedy generation for one task prompt.

        ``constrained`` (default: on for ``parse_resume``) decodes under the ``ParsedResume`` JSON
        Schema grammar, so the output is valid JSON of the right shape by construction.
        """
        task = tasks.TaskName(task)
        limit = max_new_tokens or DEFAULT_MAX_NEW_TOKENS[task]
        user_input, truncated = self.fit_user_input(task, user_input, limit)
        if constrained is None:
            constrained = task is tasks.TaskName.PARSE_RESUME
        generation = self.generate_messages(tasks.build_messages(task, user_input), limit, constrained)
        generation.truncated = truncated
        return generation

    def generate_messages(
        self,
        messages: list[dict[str, str]],
        max_new_tokens: int,
        constrained: bool = False,
        streamer: object | None = None,
    ) -> Generation:
        """Greedy generation for any chat (the OpenAI-compatible endpoint comes straight here)."""
        import torch

        inputs = self._encode(messages)
        processors = self._parse_processors(max_new_tokens) if constrained else None
        lookup = {"prompt_lookup_num_tokens": self.prompt_lookup_tokens} if self.prompt_lookup_tokens else {}
        started = time.perf_counter()
        with torch.inference_mode():
            output = self.model.generate(
                **inputs,
                max_new_tokens=max_new_tokens,
                do_sample=False,
                pad_token_id=self.tokenizer.pad_token_id,
                eos_token_id=self.tokenizer.eos_token_id,
                logits_processor=processors,
                streamer=streamer,
                **lookup,
            )
        new_tokens = output[0, inputs["input_ids"].shape[1] :]
        finished = bool(len(new_tokens)) and int(new_tokens[-1]) == self.tokenizer.eos_token_id
        return Generation(
            text=self.tokenizer.decode(new_tokens, skip_special_tokens=True).strip(),
            prompt_tokens=int(inputs["input_ids"].shape[1]),
            completion_tokens=len(new_tokens),
            seconds=time.perf_counter() - started,
            finished=finished,
        )

    def _parse_processors(self, max_new_tokens: int | None = None):
        """Fresh per-request logits processors enforcing the ParsedResume schema (grammar state is per sequence).

        Given the token limit, the JSON is closed before it, so a long parse is cut short but still valid.
        """
        from ml.inference.constrained import parse_resume_processors

        vocab_size = getattr(self.model.config, "vocab_size", None)
        return parse_resume_processors(self.tokenizer, max_new_tokens, vocab_size=vocab_size)

    def parse_resume(self, text: str) -> tuple[ParsedResume | None, Generation]:
        """Parse a resume; the model's raw text is returned too, and ``None`` when it is not valid JSON."""
        generation = self.generate(tasks.TaskName.PARSE_RESUME, tasks.parse_resume_input(text))
        try:
            return ParsedResume.model_validate_json(generation.text), generation
        except ValueError:
            return None, generation

    def interview_question(self, resume: ParsedResume | str, tone: tasks.Tone | str) -> str:
        generation = self.generate(tasks.TaskName.INTERVIEW_QUESTION, tasks.interview_question_input(resume, tone))
        return tasks.one_question(generation.text)

    def follow_up(self, resume: ParsedResume | str, question: str, answer: str) -> str:
        generation = self.generate(tasks.TaskName.FOLLOW_UP, tasks.follow_up_input(resume, question, answer))
        return tasks.one_question(generation.text)
