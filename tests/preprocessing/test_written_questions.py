from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ml import tasks
from ml.cli import app
from ml.evaluation import question_quality as qq
from ml.jsonl import JsonlError
from ml.paths import JSONRESUME_QUESTIONS_FILE
from ml.preprocessing import jsonresume as jr
from ml.preprocessing import written_questions as wq
from ml.topics import topic_of_question
from tests.processed_data import write_processed

GOOD_FOLLOW_UP = {
    "person": "017",
    "kind": "follow_up",
    "question": "Why did you move from consulting to a product team?",
    "answer": "It just felt right at the time, and it worked out.",
    "answer_style": "vague",
    "follow_up": 'What made it "felt right at the time": what did the product team offer that consulting did not?',
}


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


@pytest.fixture(scope="module")
def written() -> list[wq.WrittenQuestion]:
    return wq.read_written()


@pytest.fixture(scope="module")
def pool() -> dict[str, jr.RealResume]:
    return {person.id: person for person in jr.training_pool()}


def test_every_training_person_has_eleven_rows_and_no_validation_person_has_any(written) -> None:
    split = jr.read_split_file()
    per_person = Counter(row.person for row in written)
    assert set(per_person) == {pid for pid, side in split.items() if side == "train"}
    assert set(per_person.values()) == {11}  # round 1: 2 HR, 2 technical, 2 follow-ups; round 2: 3 HR, 2 technical
    kinds = Counter((row.person, row.kind, row.answer_style) for row in written)
    assert {count for key, count in kinds.items() if key[1] == "hr"} == {5}
    assert {count for key, count in kinds.items() if key[1] == "technical"} == {4}
    assert {key[2] for key in kinds if key[1] == "follow_up"} == {"vague", "concrete"}


def test_the_written_questions_are_not_templates_and_not_nonsense(written, pool) -> None:
    """What the model is to learn from: under 10% of questions share a skeleton with another person's (the template
    generator's data: 0.76), no entity in a role it does not have, every follow-up quote in its answer."""
    facts = {pid: qq.ResumeFacts.of(person.truth) for pid, person in pool.items()}
    asked = [(row.person, row.target) for row in written]
    share = qq.template_share([(pid, qq.skeleton(text, facts[pid])) for pid, text in asked])
    assert share.share is not None and share.share <= 0.10, share.top[:3]
    assert [(pid, text) for pid, text in asked if qq.coherence(text, facts[pid])] == []
    follow_ups = [row for row in written if row.kind == "follow_up"]
    assert all(not tasks.unfaithful_quotes(row.target, row.answer or "") for row in follow_ups)
    openings = Counter(" ".join(text.split()[:3]).lower() for _, text in asked)
    assert openings.most_common(1)[0][1] <= len(asked) * 0.05, openings.most_common(5)


def test_a_malformed_row_is_named_by_file_and_line(tmp_path: Path) -> None:
    incomplete = {key: value for key, value in GOOD_FOLLOW_UP.items() if key != "answer"}
    with pytest.raises(JsonlError, match=r"bad\.jsonl:2: .*answer"):
        wq.read_written(_write(tmp_path / "bad.jsonl", [GOOD_FOLLOW_UP, incomplete]))
    put_in_mouth = GOOD_FOLLOW_UP | {"follow_up": 'When you say "we shipped on time", how late were you?'}
    with pytest.raises(JsonlError, match=r"quotes\.jsonl:1: .*quotes words"):
        wq.read_written(_write(tmp_path / "quotes.jsonl", [put_in_mouth]))
    filler = {"person": "017", "kind": "hr", "question": "Thanks for that. So, why did you leave consulting?"}
    with pytest.raises(JsonlError, match=r"filler\.jsonl:1: not one plain question"):
        wq.read_written(_write(tmp_path / "filler.jsonl", [filler]))
    assert len(wq.read_written(_write(tmp_path / "good.jsonl", [GOOD_FOLLOW_UP]))) == 1


def test_examples_are_the_tasks_the_engine_serves_and_refuse_a_validation_person(written, pool) -> None:
    rows = [next(r for r in written if r.kind == kind) for kind in ("hr", "technical", "follow_up")]
    examples = wq.written_examples(pool.values(), rows)
    person = pool[rows[0].person]
    assert examples[0] == examples[0] | {
        "task": "interview_question",
        "tone": "hr",
        "input": tasks.interview_question_input(
            person.truth, "hr", topic=topic_of_question(person.truth, rows[0].question)
        ),
        "output": rows[0].question,
    }
    assert "About:\nRole: " in examples[0]["input"] or "About:\nProject: " in examples[0]["input"]
    assert examples[0]["meta"]["brief"] == tasks.resume_brief(person.truth)  # what evaluation reads the resume from
    assert examples[1]["tone"] == "technical" and examples[1]["output"] == rows[1].question
    follow = examples[2]
    assert follow["task"] == "follow_up" and follow["output"] == rows[2].follow_up
    assert follow["input"] == tasks.follow_up_input(pool[rows[2].person].truth, rows[2].question, rows[2].answer)
    nowhere = rows[0].model_copy(update={"question": "Why?"})
    assert wq.written_examples(pool.values(), [nowhere]) == []  # it names no part of the resume
    outsider = jr.validation_people()[0].id
    with pytest.raises(JsonlError, match=f"person {outsider}, who is not in the training pool"):
        wq.written_examples(pool.values(), [rows[0].model_copy(update={"person": outsider})])


def test_cli_written_mix_keeps_its_validation_people_out_of_training(tmp_path: Path, written) -> None:
    source = write_processed(tmp_path / "processed", copies=4)
    out = tmp_path / "stage"
    result = CliRunner().invoke(
        app, ["data", "mix", "--written-questions", "--from", str(source), "--out", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    train = [json.loads(line) for line in (out / "train.jsonl").read_text().splitlines()]
    val = [json.loads(line) for line in (out / "val.jsonl").read_text().splitlines()]
    asked = {r["meta"]["resume_id"] for r in train if r["meta"]["source"] == wq.WRITTEN_SOURCE}
    held = {r["meta"]["resume_id"] for r in val if r["meta"]["source"] == wq.WRITTEN_SOURCE}
    assert held and not asked & held
    assert counts["written_train"] + counts["written_val"] + counts["written_without_topic"] == len(written)
    assert counts["written_without_topic"] <= len(written) // 50
    assert counts["train"] == len(train) == counts["written_train"] + counts["replayed_parses"]
    assert counts["replayed_parses"] > 0
    assert all((out / name).is_file() for name in jr.PROVENANCE_FILES)
    assert JSONRESUME_QUESTIONS_FILE.parent.joinpath("SOURCES.tsv").read_text() == (out / "SOURCES.tsv").read_text()


def test_cli_written_mix_replays_the_sources_own_follow_ups_when_asked(tmp_path: Path, written) -> None:
    source = write_processed(tmp_path / "processed", copies=2)
    follow = {"input": "Resume:\nAna\n\nQuestion: Why?\nAnswer: It felt right.", "output": "What felt right?"}
    with (source / "train.jsonl").open("a") as handle:
        for n in range(30):
            meta = {"resume_id": f"f{n}", "source": "test"}
            handle.write(json.dumps({**follow, "task": "follow_up", "meta": meta}) + "\n")
        written_meta = {"resume_id": "w0", "source": wq.WRITTEN_SOURCE}
        handle.write(json.dumps({**follow, "task": "follow_up", "meta": written_meta}) + "\n")
    out = tmp_path / "stage"
    args = ["data", "mix", "--written-questions", "--from", str(source), "--out", str(out), "--follow-up-share"]
    result = CliRunner().invoke(app, [*args, "0.02", "--json"])
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    train = [json.loads(line) for line in (out / "train.jsonl").read_text().splitlines()]
    replayed = [r for r in train if r["task"] == "follow_up" and r["meta"]["source"] == "test"]
    assert len(replayed) == counts["replayed_follow_ups"] == round(counts["written_train"] * 0.02) > 0
    assert not [r for r in train if r["meta"]["resume_id"] == "w0"]  # a written row comes from the written file only
    assert counts["train"] == len(train) == counts["written_train"] + len(replayed) + counts["replayed_parses"]
    full = CliRunner().invoke(app, [*args, "0.5", "--written-repeat", "2"])
    assert full.exit_code == 2 and "--follow-up-share goes with --written-questions" in full.output


def test_cli_written_full_mix_swaps_template_questions_for_written_ones_and_keeps_the_rest(
    tmp_path: Path, written
) -> None:
    source = write_processed(tmp_path / "processed", copies=2)
    follow = {"input": "Resume:\nAna\n\nQuestion: Why?\nAnswer: It felt right.", "output": "What felt right?"}
    with (source / "train.jsonl").open("a") as handle:
        handle.write(json.dumps({**follow, "task": "follow_up", "meta": {"resume_id": "f0", "source": "test"}}) + "\n")
    out = tmp_path / "full"
    args = ["data", "mix", "--written-questions", "--written-repeat", "2", "--from", str(source), "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    train = [json.loads(line) for line in (out / "train.jsonl").read_text().splitlines()]
    val = [json.loads(line) for line in (out / "val.jsonl").read_text().splitlines()]
    by_kind = Counter((r["task"], r["meta"]["source"]) for r in train)
    source_parses = sum(json.loads(line)["task"] == "parse_resume" for line in (source / "train.jsonl").open())
    assert by_kind[("parse_resume", "test")] == source_parses  # every parse, not a replayed share
    assert by_kind[("follow_up", "test")] == 1 and by_kind[("interview_question", "test")] == 0
    assert sum(n for (task, src), n in by_kind.items() if src == wq.WRITTEN_SOURCE) == 2 * counts["written_train"]
    asked = {r["meta"]["resume_id"] for r in train if r["meta"]["source"] == wq.WRITTEN_SOURCE}
    held = {r["meta"]["resume_id"] for r in val if r["meta"]["source"] == wq.WRITTEN_SOURCE}
    assert held and not asked & held and counts["train"] == len(train)
    assert all((out / name).is_file() for name in jr.PROVENANCE_FILES)
    alone = CliRunner().invoke(app, ["data", "mix", "--written-repeat", "2", "--from", str(source), "--out", str(out)])
    assert alone.exit_code == 2 and "--written-repeat goes with --written-questions" in alone.output
