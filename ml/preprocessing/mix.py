"""Second-stage training sets: questions with replayed parses, or a focus on resume patterns with replay.

A short stage on top of a parse-heavy adapter teaches new question data, but trained on questions
alone it forgets how to parse (measured: held-out parse micro-F1 0.683 -> 0.594). Replaying a
random share of the parse examples alongside keeps it; the shipped v4 adapter's stage used 11% (one parse
per nine question examples); by answer length that is still about 73% of the supervised characters.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from itertools import pairwise
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
    source: Path,
    out: Path,
    replay_share: float = 0.11,
    seed: int = 0,
    val_questions: int = 20,
    val_parses: int = 4,
    questions: tuple[list[dict[str, Any]], list[dict[str, Any]]] | None = None,
) -> dict[str, int]:
    """Write ``out/train.jsonl`` (all question examples + ``replay_share`` × as many parses, shuffled) and a small
    ``out/val.jsonl`` (the first question and parse examples of ``source/val.jsonl``); return the counts.

    ``questions`` = (train, val) question examples to use instead of ``source``'s (the written ones)."""
    source_questions, parses = split_by_kind(source / "train.jsonl")
    val_q, val_p = split_by_kind(source / "val.jsonl")
    if questions is not None:
        source_questions, val_q = questions
    rng = random.Random(seed)
    mixed = source_questions + rng.sample(parses, min(round(len(source_questions) * replay_share), len(parses)))
    rng.shuffle(mixed)
    out.mkdir(parents=True, exist_ok=True)
    train_rows = write_jsonl_atomic(out / "train.jsonl", mixed)
    val_rows = write_jsonl_atomic(out / "val.jsonl", val_q[:val_questions] + val_p[:val_parses])
    return {"train": train_rows, "replayed_parses": len(mixed) - len(source_questions), "val": val_rows}


class MixError(ValueError):
    """A mix that cannot be made as asked (an unknown pattern)."""


def _promotion(parsed: dict[str, Any]) -> bool:
    roles = parsed.get("experience") or []
    return any(a.get("company") and a.get("company") == b.get("company") for a, b in pairwise(roles))


def _qualified_title(parsed: dict[str, Any]) -> bool:
    titles = [role.get("title") or "" for role in parsed.get("experience") or []]
    return any(mark in title for title in titles for mark in (", ", " – ", " ("))


def _no_skills(parsed: dict[str, Any]) -> bool:
    return bool(parsed.get("experience")) and not parsed.get("skills")


FOCUS_PATTERNS: dict[str, Callable[[dict[str, Any]], bool]] = {
    "promotion": _promotion,  # consecutive roles at one employer (often under one employer header)
    "qualified_title": _qualified_title,  # "Staff Nurse, Telemetry": a team or unit after the title
    "no_skills": _no_skills,  # a career without a skills section
}
"""Resume patterns a focused stage can oversample, each read from a parse example's answer."""


def _split_by_focus(
    path: Path, tests: list[Callable[[dict[str, Any]], bool]]
) -> tuple[list[dict[str, Any]], tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """(question examples, (parses showing a pattern, other parses)) of a processed JSONL, in file order."""
    questions, focus, others = [], [], []
    for number, row in iter_jsonl(path):
        if row.get("task") in QUESTION_TASKS:
            questions.append(row)
            continue
        try:
            answer = json.loads(row["output"])
            shows = any(test(answer) for test in tests)
        except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as error:
            raise MixError(f"{path}:{number}: a parse example's output is not a parsed resume ({error})") from error
        (focus if shows else others).append(row)
    return questions, (focus, others)


def focus_mix(
    source: Path,
    out: Path,
    patterns: list[str],
    other_parses_per_focus: float = 1.0,
    question_share: float = 0.25,
    seed: int = 0,
    val_questions: int = 8,
    val_parses: int = 16,
) -> dict[str, int]:
    """Write ``out/train.jsonl``: every parse example showing one of ``patterns``, ``other_parses_per_focus`` × as many
    other parses (so the pattern is not over-learnt), and question examples making ``question_share`` of the whole
    (so questions are not forgotten), shuffled; ``out/val.jsonl`` takes ``source/val.jsonl``'s first question examples
    and its first parse examples, focused ones and others alternating. Return the counts."""
    unknown = sorted(set(patterns) - set(FOCUS_PATTERNS))
    if unknown:
        raise MixError(f"unknown focus pattern(s) {', '.join(unknown)}; known: {', '.join(FOCUS_PATTERNS)}")
    tests = [FOCUS_PATTERNS[name] for name in patterns]
    questions, (focus, others) = _split_by_focus(source / "train.jsonl", tests)
    rng = random.Random(seed)
    others = rng.sample(others, min(round(len(focus) * other_parses_per_focus), len(others)))
    n_questions = round((len(focus) + len(others)) * question_share / (1 - question_share))
    mixed = focus + others + rng.sample(questions, min(n_questions, len(questions)))
    rng.shuffle(mixed)
    val_q, (val_focus, val_other) = _split_by_focus(source / "val.jsonl", tests)
    val_parse_rows = [r for pair in zip(val_focus, val_other, strict=False) for r in pair][:val_parses]
    out.mkdir(parents=True, exist_ok=True)
    write_jsonl_atomic(out / "train.jsonl", mixed)
    val_rows = write_jsonl_atomic(out / "val.jsonl", val_q[:val_questions] + val_parse_rows)
    return {"train": len(mixed), "focus_parses": len(focus), "other_parses": len(others), "val": val_rows}
