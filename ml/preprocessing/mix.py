"""A second-stage training set: every question and follow-up example, plus a replayed share of parses.

A short stage on top of a parse-heavy adapter teaches new question data, but trained on questions
alone it forgets how to parse (measured: held-out parse micro-F1 0.683 -> 0.594). Replaying a
random share of the parse examples alongside keeps it; the shipped v4 adapter's stage used 11% (one parse
per nine question examples); by answer length that is still about 73% of the supervised characters.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from ml.jsonl import iter_jsonl, write_jsonl_atomic
from ml.tasks import QUESTION_TASKS


def split_by_kind(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(question and follow-up examples, parse examples) of a processed JSONL, in file order."""
    questions, parses = [], []
    for _, row in iter_jsonl(path):
        (questions if row.get("task") in QUESTION_TASKS else parses).append(row)
    return questions, parses


def replay_mix(
    source: Path, out: Path, replay_share: float = 0.11, seed: int = 0, val_questions: int = 20, val_parses: int = 4
) -> dict[str, int]:
    """Write ``out/train.jsonl`` (all question examples + ``replay_share`` × as many parses, shuffled) and a small
    ``out/val.jsonl`` (the first question and parse examples of ``source/val.jsonl``); return the counts."""
    questions, parses = split_by_kind(source / "train.jsonl")
    rng = random.Random(seed)
    mixed = questions + rng.sample(parses, min(round(len(questions) * replay_share), len(parses)))
    rng.shuffle(mixed)
    val_q, val_p = split_by_kind(source / "val.jsonl")
    out.mkdir(parents=True, exist_ok=True)
    train_rows = write_jsonl_atomic(out / "train.jsonl", mixed)
    val_rows = write_jsonl_atomic(out / "val.jsonl", val_q[:val_questions] + val_p[:val_parses])
    return {"train": train_rows, "replayed_parses": len(mixed) - len(questions), "val": val_rows}
