"""Hand-made resumes and processed examples for the evaluation tests (the data pipeline's contract)."""

from __future__ import annotations

import json
from pathlib import Path

from ml import tasks
from ml.schema import Education, Experience, ParsedResume

RESUME_TEXT = """Jane Doe
jane.doe@example.com | +1 (415) 555-0100 | San Francisco, CA | https://www.linkedin.com/in/janedoe/
SUMMARY
Backend engineer who likes fast, boring systems and clear on-call runbooks.
EXPERIENCE
Senior Software Engineer, Acme Corp, Mar 2021 - Present
- Cut p95 latency 40% with Redis caching
- Led the migration of the order service to Kubernetes
Software Engineer, Globex, Jun 2018 - Feb 2021
- Built the billing service in Go
EDUCATION
BSc Computer Science, University of Lisbon, 2015 - 2018
SKILLS Python, Go, Redis, Kubernetes, PostgreSQL, Node.js
LANGUAGES English (native), Portuguese
"""

TRUTH = ParsedResume(
    name="Jane Doe",
    email="jane.doe@example.com",
    phone="+1 (415) 555-0100",
    location="San Francisco, CA",
    links=["https://www.linkedin.com/in/janedoe/"],
    summary="Backend engineer who likes fast, boring systems and clear on-call runbooks.",
    experience=[
        Experience(
            company="Acme Corp",
            title="Senior Software Engineer",
            start_date="2021-03",
            end_date="present",
            highlights=[
                "Cut p95 latency 40% with Redis caching",
                "Led the migration of the order service to Kubernetes",
            ],
        ),
        Experience(
            company="Globex",
            title="Software Engineer",
            start_date="2018-06",
            end_date="2021-02",
            highlights=["Built the billing service in Go"],
        ),
    ],
    education=[
        Education(
            institution="University of Lisbon",
            degree="BSc",
            field="Computer Science",
            start_date="2015",
            end_date="2018",
        )
    ],
    skills=["Python", "Go", "Redis", "Kubernetes", "PostgreSQL", "Node.js"],
    languages=["English (native)", "Portuguese"],
)

ENTITIES = [
    "Acme Corp",
    "Globex",
    "Senior Software Engineer",
    "Software Engineer",
    "University of Lisbon",
    "Redis",
    "Go",
    "Kubernetes",
    "PostgreSQL",
    "order service",
    "billing service",
]
META = {
    "resume_id": "r1",
    "source": "synthetic",
    "occupation": "software engineer",
    "layout": "classic",
    "seniority": "senior",
    "locale": "en_US",
}
QUESTION = "How did you build the billing service at Globex?"
VAGUE_ANSWER = "We improved things a lot and the billing runs were much faster afterwards."


def truth_dict() -> dict:
    return TRUTH.model_dump(mode="json")


def rows() -> list[dict]:
    """Four examples: one parse, two interview questions (technical, hr), one follow-up."""
    return [
        {
            "input": tasks.parse_resume_input(RESUME_TEXT),
            "output": TRUTH.to_json(),
            "task": "parse_resume",
            "meta": {**META, "resume": truth_dict(), "text": RESUME_TEXT},
        },
        {
            "input": tasks.interview_question_input(TRUTH, "technical"),
            "output": "How did you use Redis caching to cut p95 latency by 40% at Acme Corp?",
            "task": "interview_question",
            "tone": "technical",
            "meta": {**META, "entities": ENTITIES, "grounded_in": "Acme Corp"},
        },
        {
            "input": tasks.interview_question_input(TRUTH, "hr"),
            "output": "What made you decide to leave Globex for Acme Corp in 2021?",
            "task": "interview_question",
            "tone": "hr",
            "meta": {**META, "layout": "two-column", "entities": ENTITIES, "grounded_in": "Globex"},
        },
        {
            "input": tasks.follow_up_input(TRUTH, QUESTION, VAGUE_ANSWER),
            "output": "How much faster did the billing runs get, in numbers, and what was your own role in it?",
            "task": "follow_up",
            "meta": {
                **META,
                "question": QUESTION,
                "answer": VAGUE_ANSWER,
                "answer_kind": "vague",
                "vague_part": "the billing runs were much faster",
                "entities": ENTITIES,
            },
        },
    ]


def write_jsonl(path: Path, examples: list[dict]) -> Path:
    path.write_text("".join(json.dumps(e) + "\n" for e in examples), encoding="utf-8")
    return path
