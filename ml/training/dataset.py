"""Processed JSONL -> token ids and labels, through the base model's own chat template.

Each example becomes ``system + user`` (the prompt, labels masked to -100) followed by the
assistant answer up to and including the template's end-of-turn token (the EOS the model
must learn to emit). Anything the template appends after that token (ChatML adds a newline)
is dropped, so generation and training agree on where an answer ends.

Truncation policy: an example longer than ``max_seq_length`` is dropped and counted, never
cut, because a cut answer would teach the model to stop mid-JSON.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ml import tasks
from ml.jsonl import JsonlError, iter_jsonl

IGNORE_INDEX = -100


class TemplateError(ValueError):
    """The chat template does not render the prompt as a prefix of the full conversation."""


@dataclass
class TokenizedSplit:
    examples: list[dict[str, list[int]]]
    dropped_too_long: int = 0
    per_task: Counter = field(default_factory=Counter)

    @property
    def supervised_tokens(self) -> int:
        return sum(sum(1 for label in ex["labels"] if label != IGNORE_INDEX) for ex in self.examples)

    @property
    def total_tokens(self) -> int:
        return sum(len(ex["input_ids"]) for ex in self.examples)


def read_examples(path: Path, limit: int | None = None, only: list[str] | None = None) -> list[dict[str, Any]]:
    """Read and validate processed examples (of the ``only`` tasks, when given); errors name ``file:line``."""
    examples = []
    for number, row in iter_jsonl(path):
        missing = [key for key in ("input", "output", "task") if not isinstance(row.get(key), str)]
        if missing:
            raise JsonlError(f"{path}:{number}: missing or non-string key(s) {missing}")
        if row["task"] not in tasks.TaskName.__members__.values():
            raise JsonlError(
                f"{path}:{number}: unknown task {row['task']!r} (known: {[t.value for t in tasks.TaskName]})"
            )
        if only is not None and row["task"] not in only:
            continue
        examples.append(row)
        if limit is not None and len(examples) >= limit:
            break
    if not examples:
        raise JsonlError(f"{path}: no examples" + (f" of the tasks {only}" if only else " (empty file)"))
    return examples


def end_of_turn_id(tokenizer) -> int:
    """The token that closes an assistant turn: the tokenizer's EOS (``<|im_end|>`` for ChatML models)."""
    if tokenizer.eos_token_id is None:
        raise TemplateError("the tokenizer has no eos token; cannot teach the model to stop")
    return int(tokenizer.eos_token_id)


def _ids(encoded: Any) -> list[int]:
    """``apply_chat_template(tokenize=True)`` returns a list or a BatchEncoding depending on the version."""
    return list(encoded["input_ids"] if hasattr(encoded, "keys") else encoded)


def tokenize_example(tokenizer, example: dict[str, Any]) -> dict[str, list[int]]:
    """Token ids and labels (prompt masked, answer + EOS supervised) for one processed example."""
    messages = tasks.build_messages(example["task"], example["input"], example["output"])
    prompt = _ids(tokenizer.apply_chat_template(messages[:-1], add_generation_prompt=True, tokenize=True))
    full = _ids(tokenizer.apply_chat_template(messages, tokenize=True))
    if full[: len(prompt)] != prompt:
        raise TemplateError(
            "the chat template renders the prompt differently with and without the answer; "
            "training and serving would see different prompts"
        )
    answer = full[len(prompt) :]
    eos = end_of_turn_id(tokenizer)
    answer = answer[: answer.index(eos) + 1] if eos in answer else [*answer, eos]
    return {"input_ids": prompt + answer, "labels": [IGNORE_INDEX] * len(prompt) + answer}


def tokenize_examples(tokenizer, examples: list[dict[str, Any]], max_seq_length: int) -> TokenizedSplit:
    split = TokenizedSplit(examples=[])
    for example in examples:
        tokenized = tokenize_example(tokenizer, example)
        if len(tokenized["input_ids"]) > max_seq_length:
            split.dropped_too_long += 1
            continue
        split.examples.append(tokenized)
        split.per_task[example["task"]] += 1
    return split
