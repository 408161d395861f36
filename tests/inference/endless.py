"""A tiny model whose generations go on and on: the abandoned work of the cancellation tests."""

from __future__ import annotations

import threading
import time

from ml import tasks
from ml.inference.engine import Engine, Generation, GenerationCancelled

ENDLESS_TOKENS = 3000
"""What each parse and chat of :class:`EndlessEngine` decodes unless cancelled: about 15 s on 2 cores."""


class EndlessEngine(Engine):
    """The tiny random model kept from writing EOS, whose parse is an unconstrained chat (the grammar closes the
    tiny model's parse within about 100 tokens): a parse or chat asking for :data:`ENDLESS_TOKENS` is a long
    generation in flight, for a client to abandon. ``running`` is set when a generation starts, ``cancelled``
    when one stops on its cancel event; ``would_take`` is the seconds :data:`ENDLESS_TOKENS` take on this host."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.model.generation_config.suppress_tokens = [self.tokenizer.eos_token_id]
        self.prompt_lookup_tokens = 0  # a steady pace: the speed of a few tokens holds for many
        self.running, self.cancelled = threading.Event(), threading.Event()
        started = time.perf_counter()
        self.generate_messages(tasks.build_messages(tasks.TaskName.INTERVIEW_QUESTION, "Ana, nurse"), 64)
        self.would_take = (time.perf_counter() - started) / 64 * ENDLESS_TOKENS
        self.running.clear()

    def generate_messages(self, *args, **kwargs) -> Generation:
        self.running.set()
        try:
            return super().generate_messages(*args, **kwargs)
        except GenerationCancelled:
            self.cancelled.set()
            raise

    def parse_resumes(self, texts: list[str], cancel: threading.Event | None = None) -> list[tuple[None, Generation]]:
        chat = tasks.build_messages(tasks.TaskName.PARSE_RESUME, tasks.parse_resume_input(texts[0]))
        return [(None, self.generate_messages(chat, ENDLESS_TOKENS, cancel=cancel))] * len(texts)
