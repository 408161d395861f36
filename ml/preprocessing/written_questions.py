"""Interview questions written for real people's resumes: the question tasks' training data (issue #30).

    griller data real        # also writes real_questions.jsonl: these rows as interview_question / follow_up examples

Questions generated from templates came back from the model as templates (one skeleton, other slot values) and as
slot-filling nonsense ("drew you to X when you left X"). These questions were instead written one by one for each
person of the JSON Resume training pool (``ml/data/jsonresume_questions/questions.jsonl``, provenance and method in
that folder's README): two HR questions, two technical questions about a highlight's own action or result, and two
follow-ups (to a vague and to a concrete answer) per person, each from the brief the model sees
(:func:`ml.tasks.resume_brief`). Validation people have none: :func:`written_examples` refuses a row whose person is
not in the training pool.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from ml import tasks
from ml.jsonl import JsonlError, iter_jsonl, write_jsonl_atomic
from ml.paths import JSONRESUME_QUESTIONS_FILE
from ml.preprocessing import questions as Q
from ml.preprocessing.build import follow_up_example, question_example
from ml.preprocessing.jsonresume import SOURCE, RealResume, copy_provenance, training_pool
from ml.preprocessing.mix import replay_mix, split_by_kind
from ml.topics import topic_of_question

WRITTEN_SOURCE = f"{SOURCE}-written"


class WrittenQuestion(BaseModel):
    """One written row: an HR or technical question, or a follow-up to an answer."""

    model_config = ConfigDict(extra="forbid")

    person: str
    kind: Literal["hr", "technical", "follow_up"]
    question: str
    answer: str | None = None
    answer_style: Literal["vague", "concrete"] | None = None
    follow_up: str | None = None

    @model_validator(mode="after")
    def _complete(self) -> WrittenQuestion:
        follow = (self.answer, self.answer_style, self.follow_up)
        if self.kind == "follow_up" and None in follow:
            raise ValueError("a follow_up row needs answer, answer_style and follow_up")
        if self.kind != "follow_up" and follow != (None, None, None):
            raise ValueError(f"a {self.kind} row has only person, kind and question")
        return self

    @property
    def target(self) -> str:
        """What the model is trained to say: the question, or the follow-up."""
        return self.follow_up if self.kind == "follow_up" and self.follow_up else self.question


def read_written(path: Path = JSONRESUME_QUESTIONS_FILE) -> list[WrittenQuestion]:
    """The rows of a written-questions file; a malformed row fails with its file and line."""
    rows = []
    for line_no, data in iter_jsonl(path):
        try:
            row = WrittenQuestion.model_validate(data)
        except ValidationError as error:
            raise JsonlError(f"{path}:{line_no}: {error.errors()[0]['msg']} ({error.errors()[0]['loc']})") from None
        if not tasks.score_form(row.target).ok or tasks.filler_opener(row.target):
            raise JsonlError(f"{path}:{line_no}: not one plain question of 5-40 words: {row.target!r}")
        if row.kind == "follow_up" and tasks.unfaithful_quotes(row.target, row.answer or ""):
            raise JsonlError(f"{path}:{line_no}: the follow-up quotes words the answer does not have")
        rows.append(row)
    return rows


def written_examples(people: Iterable[RealResume], rows: Iterable[WrittenQuestion]) -> list[dict[str, Any]]:
    """The rows as ``interview_question`` and ``follow_up`` examples of their people (the training pool); a question
    is asked about the part of the resume it names (:func:`ml.topics.topic_of_question`), and left out if it names
    none."""
    by_id = {person.id: person for person in people}
    examples = []
    for row in rows:
        person = by_id.get(row.person)
        if person is None:
            raise JsonlError(f"written question for person {row.person}, who is not in the training pool")
        meta = {"resume_id": f"{SOURCE}-{person.id}", "source": WRITTEN_SOURCE, "layout": "brief"}
        entities = Q.entities_of(person.truth)
        if row.kind == "follow_up":
            assert row.answer is not None and row.answer_style is not None and row.follow_up is not None
            examples.append(
                follow_up_example(
                    person.truth, row.question, row.answer, row.follow_up, row.answer_style, None, meta, entities
                )
            )
        elif topic_of_question(person.truth, row.question):  # 4 of 316 share no word with any part: left out
            examples.append(question_example(person.truth, row.kind, row.question, meta, entities, None))
    return examples


VAL_PEOPLE_EVERY = 20
"""Every 20th training-pool person (by id) is kept out of a written mix's training rows: its val loss is then
measured on questions written for people the stage never saw."""


def written_split(
    rows: list[WrittenQuestion], folder: Path | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The written rows as (training, validation) examples: validation holds every
    :data:`VAL_PEOPLE_EVERY`-th training-pool person (by id), whom training never sees."""
    people = sorted(training_pool(folder), key=lambda person: person.id)
    held = {person.id for person in people[::VAL_PEOPLE_EVERY]}
    train = written_examples(people, [row for row in rows if row.person not in held])
    return train, written_examples(people, [row for row in rows if row.person in held])


def written_mix(
    source: Path,
    out: Path,
    replay_share: float = 0.11,
    seed: int = 0,
    folder: Path | None = None,
    follow_up_share: float = 0.0,
) -> dict[str, int]:
    """A question stage (:func:`ml.preprocessing.mix.replay_mix`) whose question examples are the written ones;
    the parses replayed come from ``source``. ``SOURCES.tsv`` and ``NOTICE.tsv`` go with the data.

    ``follow_up_share``: ``source``'s own follow-ups (not written ones) replayed, per written example. The written
    rows hold two follow-ups per person; stages trained on them alone lost the follow-up task (quality 0.93 ->
    0.50, bench/NOTES.md, "Stage q11")."""
    rows = read_written()
    train, val = written_split(rows, folder)
    questions, _ = split_by_kind(source / "train.jsonl")
    follow_ups = [
        row
        for row in questions
        if row["task"] == tasks.TaskName.FOLLOW_UP and row.get("meta", {}).get("source") != WRITTEN_SOURCE
    ]
    replayed = random.Random(seed).sample(follow_ups, min(round(len(train) * follow_up_share), len(follow_ups)))
    counts = replay_mix(source, out, replay_share, seed, val_questions=len(val), questions=(train + replayed, val))
    copy_provenance(out, folder)
    no_topic = len(rows) - len(train) - len(val)
    return counts | {
        "written_train": len(train),
        "written_val": len(val),
        "written_without_topic": no_topic,
        "replayed_follow_ups": len(replayed),
    }


def written_full_mix(
    source: Path, out: Path, repeat: int = 2, seed: int = 0, folder: Path | None = None
) -> dict[str, int]:
    """A whole training set, not a stage: every parse and follow-up of ``source``, its interview questions (drawn
    from templates) replaced by the written ones, each written row ``repeat`` times so that questions about one part
    of a real resume are not drowned by the parses. Validation: ``source``'s parses and follow-ups, and the written
    rows of the people :data:`VAL_PEOPLE_EVERY` keeps out. ``SOURCES.tsv`` and ``NOTICE.tsv`` go with the data."""
    if repeat < 1:
        raise JsonlError(f"--written-repeat {repeat}: at least 1")
    written_train, written_val = written_split(read_written(), folder)

    def kept(path: Path) -> list[dict[str, Any]]:
        questions, parses = split_by_kind(path)
        return parses + [row for row in questions if row["task"] == tasks.TaskName.FOLLOW_UP]

    rng = random.Random(seed)
    train = kept(source / "train.jsonl") + written_train * repeat
    val = kept(source / "val.jsonl") + written_val
    rng.shuffle(train)
    rng.shuffle(val)
    out.mkdir(parents=True, exist_ok=True)
    counts = {
        "train": write_jsonl_atomic(out / "train.jsonl", train),
        "val": write_jsonl_atomic(out / "val.jsonl", val),
    }
    copy_provenance(out, folder)
    return counts | {"written_train": len(written_train), "written_val": len(written_val), "written_repeat": repeat}
