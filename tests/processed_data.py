"""A small processed dataset written by hand in the contract's format, for training and serving tests."""

from __future__ import annotations

import json
from pathlib import Path

from ml import tasks
from ml.schema import Experience, ParsedResume

PEOPLE = [
    ("Ana Silva", "Acme Corp", "Data Engineer", "Python"),
    ("Bo Chen", "Globex", "Nurse", "Triage"),
    ("Cleo Park", "Initech", "Designer", "Figma"),
    ("Dev Patel", "Umbrella", "Accountant", "Excel"),
    ("Eve Moreau", "Hooli", "Teacher", "Curriculum design"),
    ("Finn Berg", "Stark Labs", "Mechanical Engineer", "CAD"),
]


def resume_of(name: str, company: str, title: str, skill: str) -> tuple[str, ParsedResume]:
    text = f"{name}\n{title} at {company}, 2020 - Present\nSkills: {skill}"
    truth = ParsedResume(
        name=name,
        experience=[Experience(company=company, title=title, start_date="2020", end_date="present")],
        skills=[skill],
    )
    return text, truth


def processed_rows(copies: int = 1) -> list[dict]:
    rows = []
    for index, person in enumerate(PEOPLE * copies):
        text, truth = resume_of(*person)
        meta = {"resume_id": f"r{index}", "source": "test", "occupation": person[2], "layout": "plain"}
        rows.append(
            {"input": tasks.parse_resume_input(text), "output": truth.to_json(), "task": "parse_resume", "meta": meta}
        )
        rows.append(
            {
                "input": tasks.interview_question_input(truth, "technical"),
                "output": f"How did you use {person[3]} at {person[1]}?",
                "task": "interview_question",
                "tone": "technical",
                "meta": meta,
            }
        )
    return rows


def write_processed(directory: Path, copies: int = 1) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    rows = processed_rows(copies)
    for split, chunk in (("train", rows), ("val", rows[:4]), ("test", rows[:4])):
        (directory / f"{split}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in chunk), encoding="utf-8")
    return directory
