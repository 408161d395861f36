"""The one test that runs the real embedded SmolLM2-135M-Instruct (slow: converts it once, ~20 s)."""

from __future__ import annotations

import time

import pytest

from ml import tasks
from ml.base_model import DEFAULT_BASE_MODEL, ensure_embedded_cached
from ml.inference.engine import Engine


@pytest.mark.slow
def test_embedded_model_answers_through_its_chat_template() -> None:
    ensure_embedded_cached(DEFAULT_BASE_MODEL)
    started = time.perf_counter()
    engine = Engine.load(DEFAULT_BASE_MODEL)
    assert time.perf_counter() - started < 15, "the cached safetensors copy should load in seconds"
    prompt = engine.tokenizer.decode(engine.prompt_ids("interview_question", "x")["input_ids"][0])
    assert prompt.startswith("<|im_start|>system\n" + tasks.SYSTEM_PROMPTS[tasks.TaskName.INTERVIEW_QUESTION])
    generation = engine.generate(
        "follow_up", tasks.follow_up_input("Nurse at St Mary's", "Why nursing?", "I like it."), 8
    )
    assert generation.completion_tokens > 0
    assert generation.text.strip()
