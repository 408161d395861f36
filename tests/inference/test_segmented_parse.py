"""``GRILLER_PARSE_METHOD=segmented``: a long resume is parsed as parts in one batch and merged (issue #29)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ml import tasks
from ml.inference.engine import Engine, Generation
from ml.preprocessing.segment import holds_no_jobs, split_resume
from ml.schema import ParsedResume
from tests.preprocessing.test_segment import long_resume


class RecordingEngine(Engine):
    """The tiny engine, recording the batches it decodes."""

    batches: list[list[str]]

    def generate_batch(self, task, user_inputs, max_new_tokens=None, seeds=None, cancel=None) -> list[Generation]:
        self.batches.append(list(user_inputs))
        return super().generate_batch(task, user_inputs, max_new_tokens, seeds, cancel)


@pytest.fixture
def engine(tiny_run: Path, monkeypatch: pytest.MonkeyPatch) -> RecordingEngine:
    monkeypatch.setenv("GRILLER_PARSE_METHOD", "segmented")
    engine = RecordingEngine.load(tiny_run / "adapter")
    engine.batches = []
    return engine


def test_a_long_resume_is_parsed_as_its_parts_in_one_batch_and_merged(engine: RecordingEngine) -> None:
    text, _ = long_resume(9)
    parsed, generation = engine.parse_resume(text)
    parts = split_resume(tasks.resume_of_parse_input(tasks.parse_resume_input(text)))
    assert len(parts) > 1
    assert engine.batches == [[tasks.parse_resume_input(part) for part in parts]]
    assert parsed is not None and ParsedResume.model_validate_json(generation.text) == parsed
    assert generation.completion_tokens > 0 and generation.prompt_tokens > 0


def test_the_merged_parse_is_grounded_in_the_whole_resume(engine: RecordingEngine, monkeypatch) -> None:
    """Each part is grounded in its own text; the merged parse again in the whole resume, whose sections the
    rules read (here: the skills section, which no part's parse lists, and an employer no part writes)."""
    text, _ = long_resume(9)
    text += "\n\nSKILLS\nPython · Docker · Kubernetes"
    answers = [
        ParsedResume(name="Invented Name", skills=["Python"]).to_json(),
        ParsedResume(experience=[{"company": "Globex Invented Holdings", "title": None}]).to_json(),
    ]

    def decode(task, user_inputs, max_new_tokens=None, seeds=None, cancel=None) -> list[Generation]:
        return [Generation(answers[i % 2], 1, 1, 0.0, True) for i in range(len(user_inputs))]  # parts not grounded

    monkeypatch.setattr(engine, "generate_batch", decode)
    parsed, generation = engine.parse_resume(text)
    assert parsed is not None
    assert parsed.skills[0] == "Python" and {"Docker", "Kubernetes"} <= set(parsed.skills)  # the section's items
    assert parsed.experience == []  # the employer no part writes goes, and the job with it (no title either)
    assert "company: Globex Invented Holdings" in generation.dropped
    assert any(value.endswith("(neither employer nor title)") for value in generation.dropped)


def test_a_part_of_schools_after_the_jobs_adds_no_jobs(engine: RecordingEngine, monkeypatch) -> None:
    """The parse of a part whose dated entries are all schools contributes its schools, not the jobs the model
    read into it (the merge is given the parts' texts); the section's other dated schools are read from its blocks
    (:func:`ml.inference.school_headers.schools_by_blocks`)."""
    text, _ = long_resume(4)
    schools = [f"MSc Topic {i}\nUniversity {i}\n{2000 + i} - {2001 + i}\n" for i in range(6)]
    text = text.replace("EDUCATION\n", "EDUCATION\n" + "\n".join(schools) + "\n")
    parts = split_resume(text)
    assert holds_no_jobs(parts[-1]) and not holds_no_jobs(parts[0])
    job = {"company": "Company 0", "title": "Engineer 0", "start_date": "2019", "end_date": "2021"}
    junk = {"company": "Company 3", "title": "Engineer 3", "start_date": "2003", "end_date": "2004"}  # grounded: kept
    school = {"institution": "University 5", "degree": "MSc", "field": "Topic 5"}

    def decode(task, user_inputs, max_new_tokens=None, seeds=None, cancel=None) -> list[Generation]:
        answers = [ParsedResume(experience=[job]).to_json()] * (len(user_inputs) - 1)
        answers.append(ParsedResume(experience=[junk], education=[school]).to_json())
        return [Generation(answer, 1, 1, 0.0, True) for answer in answers]

    monkeypatch.setattr(engine, "generate_batch", decode)
    parsed, _ = engine.parse_resume(text)
    assert parsed is not None
    assert [(entry.company, entry.title) for entry in parsed.experience] == [("Company 0", "Engineer 0")]
    schools_read = [entry.institution for entry in parsed.education]  # the model's, then the section's others
    assert schools_read[0] == "University 5" and {f"University {i}" for i in range(6)} <= set(schools_read)
    assert all(school in text for school in schools_read)


def test_a_short_resume_takes_the_single_pass(engine: RecordingEngine) -> None:
    text, _ = long_resume(2)
    parsed, _ = engine.parse_resume(text)
    assert engine.batches == [] and parsed is not None


def test_an_unknown_method_is_refused(monkeypatch: pytest.MonkeyPatch, tiny_run: Path) -> None:
    monkeypatch.setenv("GRILLER_PARSE_METHOD", "sliding")
    with pytest.raises(ValueError, match="GRILLER_PARSE_METHOD 'sliding'"):
        Engine.load(tiny_run / "adapter")
