from __future__ import annotations

import pytest

from ml import tasks
from ml.topics import question_topics
from tests.test_schema import realistic_resume


def test_build_messages_has_system_user_and_optional_assistant() -> None:
    messages = tasks.build_messages("parse_resume", tasks.parse_resume_input("Jane Doe\nEngineer"), output="{}")
    assert [m["role"] for m in messages] == ["system", "user", "assistant"]
    assert messages[1]["content"].startswith("Parse this resume:\nJane Doe")
    assert "experience" in messages[0]["content"]


def test_question_inputs_carry_tone_and_resume_entities() -> None:
    resume = realistic_resume()
    text = tasks.interview_question_input(resume, "hr", topic=question_topics(resume)[0])
    assert "Tone: hr" in text and "Glovo" in text and "Senior Data Engineer" in text
    follow = tasks.follow_up_input(resume, "Why Glovo?", "I liked it.")
    assert "Question: Why Glovo?" in follow and "Answer: I liked it." in follow
    with pytest.raises(ValueError):
        tasks.interview_question_input(resume, "casual")


def test_brief_is_much_shorter_than_the_full_json() -> None:
    resume = realistic_resume()
    assert len(tasks.resume_brief(resume)) < len(resume.to_json())


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("How did you cut the cost? And what next?", "How did you cut the cost?"),
        ("\n\nQuestion: Why did you leave Acme?\nThanks", "Why did you leave Acme?"),
        ('"What was your role?"', "What was your role?"),
        ("Tell me about Kafka", "Tell me about Kafka"),
    ],
)
def test_one_question_keeps_exactly_one(raw: str, expected: str) -> None:
    assert tasks.one_question(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "Thanks for walking me through your background. So, how did you pick Go for the rewrite?",
            "How did you pick Go for the rewrite?",
        ),
        ("I want to dig into one detail. First, why Kafka over SQS?", "Why Kafka over SQS?"),
        ("Tell me, which test showed the cache worked?", "Which test showed the cache worked?"),
        ("So, why did you leave Acme?", "Why did you leave Acme?"),
        ("Why did you leave Acme?", "Why did you leave Acme?"),  # nothing to strip
        ("Great answer!", "Great answer!"),  # no question left without the filler: kept as it is
    ],
)
def test_one_question_drops_a_filler_opener(raw: str, expected: str) -> None:
    assert tasks.one_question(raw) == expected
