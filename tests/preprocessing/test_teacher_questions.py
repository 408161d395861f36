"""Teacher labelling of the question tasks and imported Q&A, against a real loopback HTTP server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ml import tasks
from ml.preprocessing.build import build_dataset
from ml.preprocessing.clean import clean_text, content_hash
from ml.preprocessing.config import DataConfig
from ml.preprocessing.ingest import QAPair
from ml.preprocessing.questions import category_occupations, qa_resume
from ml.preprocessing.teacher import (
    LabelReport,
    Teacher,
    check_question,
    question_jobs,
    read_question_labels,
    run_jobs,
    run_label,
)
from ml.schema import Experience, ParsedResume

TEXT = (
    "Ana Lima\nData Engineer at Acme Corp, Jan 2020 - Present\n"
    "• Built 40 Airflow pipelines feeding the finance warehouse\nSkills: Python, SQL, Airflow"
)
TRUTH = ParsedResume(
    name="Ana Lima",
    experience=[
        Experience(
            company="Acme Corp",
            title="Data Engineer",
            start_date="2020-01",
            end_date="present",
            highlights=["Built 40 Airflow pipelines feeding the finance warehouse"],
        )
    ],
    skills=["Python", "SQL", "Airflow"],
)
PAIR = {
    "question": "Why did you move into nursing?",
    "answer": "I basically like helping people.",
    "category": "Nursing",
}


def _teacher(base: str) -> Teacher:
    return Teacher(base, "teacher-model", "test-key", backoff=0.01, timeout=10)


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture()
def real_dirs(tmp_path: Path) -> Path:
    """A resume already parsed in the cache (so only question prompts are sent) and one imported Q&A pair."""
    (tmp_path / "resumes").mkdir()
    (tmp_path / "resumes" / "ana.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "qa").mkdir()
    (tmp_path / "qa" / "qa.jsonl").write_text(json.dumps(PAIR) + "\n", encoding="utf-8")
    row = {"hash": content_hash(clean_text(TEXT)), "id": "ana.txt", "label": TRUTH.model_dump(mode="json")}
    (tmp_path / "labels.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    return tmp_path


def _label(base: str, root: Path, **kw) -> dict:
    return run_label(base, "m", root / "resumes", root / "labels.jsonl", qa_dir=root / "qa", concurrency=2, **kw)


def test_question_prompts_are_the_task_prompts_cached_and_resumable(fake_chat, real_dirs: Path) -> None:
    base, chat = fake_chat
    summary = _label(base, real_dirs)
    assert summary["by_task"] == {
        "follow_up": {"labelled": 3},  # a vague and a concrete answer, and the imported pair
        "interview_question": {"labelled": 2},
        "parse_resume": {"cached": 1},
    }
    assert summary["failed"] == 0 and summary["prompt_tokens"] == 5 * 100
    sent = {r["messages"][-1]["content"]: r for r in chat.requests}
    for tone in tasks.Tone:
        request = sent[tasks.interview_question_input(TRUTH, tone)]
        assert request["messages"][0]["content"] == tasks.SYSTEM_PROMPTS[tasks.TaskName.INTERVIEW_QUESTION]
        assert "response_format" not in request
    labels = read_question_labels(real_dirs / "labels.jsonl")
    follow_ups = [x for x in labels[content_hash(clean_text(TEXT))] if x.task == "follow_up"]
    assert sorted(x.answer_kind for x in follow_ups) == ["concrete", "vague"]
    for label in follow_ups:
        assert tasks.follow_up_input(TRUTH, label.question, label.answer) in sent
        assert label.answer_kind == "concrete" or label.vague_part in label.answer

    again = _label(base, real_dirs)
    assert len(chat.requests) == 5  # the rerun sent nothing
    assert (again["labelled"], again["cached"]) == (0, 6)


def test_near_duplicate_resumes_are_skipped_before_any_api_call(fake_chat, real_dirs: Path) -> None:
    base, chat = fake_chat
    bullets = [f"• Moved warehouse job {i} of the ops team to Airflow" for i in range(12)]
    resume = "Bo Chen\nData Engineer at Initech, 2019 - Present\n" + "\n".join(bullets)
    (real_dirs / "resumes" / "bo.txt").write_text(resume, encoding="utf-8")
    (real_dirs / "resumes" / "bo_v2.txt").write_text(resume + "\nReferences on request", encoding="utf-8")
    summary = _label(base, real_dirs, selected=(tasks.TaskName.PARSE_RESUME,))
    assert summary["near_duplicate_resumes_skipped"] == 1
    assert summary["by_task"] == {"parse_resume": {"cached": 1, "labelled": 1}}
    assert [r["messages"][-1]["content"] for r in chat.requests] == [tasks.parse_resume_input(clean_text(resume))]


def test_build_uses_teacher_questions_and_follow_ups(fake_chat, real_dirs: Path) -> None:
    base, _chat = fake_chat
    _label(base, real_dirs)
    real = {
        "resumes_dir": str(real_dirs / "resumes"),
        "qa_dir": str(real_dirs / "qa"),
        "teacher_cache": str(real_dirs / "labels.jsonl"),
    }
    result = build_dataset(real_dirs / "out", DataConfig(num_resumes=10, seed=1, real=real))
    rows = [r for name in ("train", "val", "test") for r in _rows(real_dirs / "out" / f"{name}.jsonl")]
    taught = [r for r in rows if r["meta"].get("labeller") == "teacher"]
    by_task = {task: [r for r in taught if r["task"] == task] for task in ("interview_question", "follow_up")}
    assert sorted(r["tone"] for r in by_task["interview_question"]) == ["hr", "technical"]
    for row in by_task["interview_question"]:
        assert row["input"] == tasks.interview_question_input(TRUTH, row["tone"])
        assert row["meta"]["source"] == "teacher" and row["output"].endswith("?")
    resume_follow_ups = [r for r in by_task["follow_up"] if r["meta"]["source"] == "teacher"]
    assert sorted(r["meta"]["answer_kind"] for r in resume_follow_ups) == ["concrete", "vague"]
    for row in resume_follow_ups:
        assert row["input"] == tasks.follow_up_input(TRUTH, row["meta"]["question"], row["meta"]["answer"])
    (qa_row,) = [r for r in rows if r["meta"]["source"] == "real"]
    assert qa_row["meta"]["labeller"] == "teacher" and qa_row["meta"]["occupation"] == "nursing"
    assert qa_row["meta"]["question"] == PAIR["question"] and "follow-up topic" in qa_row["output"]
    assert not [r for r in rows if r["meta"]["source"] == "teacher" and r["meta"].get("labeller") == "template"]
    assert result.stats["real"]["real_teacher_question_examples"] == 4
    assert result.stats["real"]["real_qa_teacher_follow_ups"] == 1


def test_an_answer_failing_validation_is_rejected_retried_then_skipped(fake_chat, tmp_path: Path) -> None:
    base, chat = fake_chat
    chat.question_replies = [
        "Sure! Here is a question:\nWhat did you build at Acme Corp?",  # preamble: rejected
        "What did you build at Acme Corp, and why did it matter?",  # accepted on the second try
        "Tell me about Acme Corp.",  # no question mark
        "Why?",  # too short: the second try fails too, the item is skipped
    ]
    cache, report = tmp_path / "c.jsonl", LabelReport()
    jobs = question_jobs("ana.txt", "h1", TRUTH, [tasks.TaskName.INTERVIEW_QUESTION])
    run_jobs(jobs, _teacher(base), cache, report, concurrency=1)
    assert (report.by_task["interview_question"]["labelled"], report.failed) == (1, 1)
    assert report.prompt_tokens == 4 * 100  # the rejected replies' tokens count towards the cost
    assert "invalid question after 2 tries" in report.problems[0]
    assert [x.label for x in read_question_labels(cache)["h1"]] == [
        "What did you build at Acme Corp, and why did it matter?"
    ]
    teacher, again = _teacher(base), LabelReport()
    run_jobs(question_jobs("ana.txt", "h1", TRUTH, [tasks.TaskName.INTERVIEW_QUESTION]), teacher, cache, again)
    assert (again.cached, again.labelled, teacher.rejected) == (1, 1, 0) and len(chat.requests) == 5


def test_check_question() -> None:
    assert check_question(' "What did you change first at Acme Corp?" ') == "What did you change first at Acme Corp?"
    for bad in ("", "Why?", "What did you do? And why did you do it?", "Question: what did you do at Acme?"):
        with pytest.raises(ValueError):
            check_question(bad)


def test_qa_resume_follows_the_category_and_avoids_held_out_occupations() -> None:
    def pair(category: str | None) -> QAPair:
        return QAPair(PAIR["question"], PAIR["answer"], category, "qa.jsonl:1")

    assert qa_resume(pair("Nursing"), []).meta["occupation"] == "nursing"
    assert category_occupations("Data Science", ["data", "software", "nursing"]) == ["data"]
    assert category_occupations("behavioral", ["data", "software"]) == []
    assert qa_resume(pair("Legal"), ["legal"]).meta["occupation"] != "legal"
    assert qa_resume(pair(None), []).truth == qa_resume(pair(None), []).truth  # seeded by the pair


def test_imported_qa_without_a_teacher_gets_a_rule_follow_up_and_a_matching_resume(tmp_path: Path) -> None:
    (tmp_path / "qa").mkdir()
    lines = [PAIR, {"question": "What is a foreign key?", "answer": "It links two tables.", "category": "technical"}]
    (tmp_path / "qa" / "qa.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    real = {"resumes_dir": None, "qa_dir": str(tmp_path / "qa"), "teacher_cache": str(tmp_path / "none.jsonl")}
    heldout = {"layouts": [], "occupations": ["legal"], "fraction": 0.0}
    build_dataset(tmp_path / "out", DataConfig(num_resumes=5, seed=1, real=real, heldout=heldout))
    rows = [r for r in _rows(tmp_path / "out" / "train.jsonl") if r["meta"]["source"] == "real"]
    assert [r["meta"]["labeller"] for r in rows] == ["rule", "rule"]
    assert rows[0]["meta"]["occupation"] == "nursing" and rows[0]["meta"]["category"] == "Nursing"
    assert all(r["task"] == "follow_up" and r["output"].endswith("?") for r in rows)
    assert all(r["meta"]["resume_id"].startswith("qa-") for r in rows)
