from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ml.cli import app
from ml.preprocessing.mix import MixError, focus_mix, replay_mix, split_by_kind
from ml.tasks import QUESTION_TASKS
from tests.processed_data import write_processed


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_every_question_example_and_the_asked_share_of_parses(tmp_path: Path) -> None:
    source = write_processed(tmp_path / "processed", copies=8)
    questions, parses = split_by_kind(source / "train.jsonl")
    counts = replay_mix(source, tmp_path / "mix", replay_share=0.5, seed=3)
    mixed = _rows(tmp_path / "mix" / "train.jsonl")
    assert [r for r in mixed if r["task"] in QUESTION_TASKS] != questions  # shuffled ...
    assert sorted(map(json.dumps, (r for r in mixed if r["task"] in QUESTION_TASKS))) == sorted(
        map(json.dumps, questions)
    )  # ... but every one of them, once
    replayed = [r for r in mixed if r["task"] not in QUESTION_TASKS]
    assert len(replayed) == counts["replayed_parses"] == round(len(questions) * 0.5) < len(parses)
    assert all(r in parses for r in replayed)
    assert replay_mix(source, tmp_path / "again", replay_share=0.5, seed=3) == counts
    assert (tmp_path / "again" / "train.jsonl").read_bytes() == (tmp_path / "mix" / "train.jsonl").read_bytes()


def test_cli_mix_and_a_missing_source_is_one_clear_line(tmp_path: Path) -> None:
    source = write_processed(tmp_path / "processed", copies=2)
    result = CliRunner().invoke(app, ["data", "mix", "--from", str(source), "--out", str(tmp_path / "m"), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.strip().splitlines()[-1])["train"] == len(_rows(tmp_path / "m" / "train.jsonl"))
    missing = CliRunner().invoke(app, ["data", "mix", "--from", str(tmp_path / "nope"), "--out", str(tmp_path / "x")])
    assert missing.exit_code == 1 and "file not found" in missing.output and "Traceback" not in missing.output


def _with_patterns(directory: Path) -> tuple[Path, set[str]]:
    """The small processed set with three parse answers rewritten to show a focus pattern each."""
    source = write_processed(directory, copies=4)
    rows = _rows(source / "train.jsonl")
    parses = [r for r in rows if r["task"] == "parse_resume"]
    promoted, team, bare = (json.loads(parses[i]["output"]) for i in range(3))
    promoted["experience"].append({**promoted["experience"][0], "title": "Junior Data Engineer"})
    team["experience"][0]["title"] = "Nurse, Triage"
    bare["skills"] = []
    for row, parsed in zip(parses, (promoted, team, bare), strict=False):
        row["output"] = json.dumps(parsed)
    (source / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return source, {parses[i]["output"] for i in range(3)}


def test_a_focus_mix_takes_every_parse_showing_a_pattern_as_many_others_and_replayed_questions(tmp_path: Path) -> None:
    source, focused_outputs = _with_patterns(tmp_path / "processed")
    counts = focus_mix(source, tmp_path / "focus", ["promotion", "qualified_title", "no_skills"], question_share=0.25)
    mixed = _rows(tmp_path / "focus" / "train.jsonl")
    parses = [r for r in mixed if r["task"] == "parse_resume"]
    assert {r["output"] for r in parses} >= focused_outputs
    assert counts == {"train": 8, "focus_parses": 3, "other_parses": 3, "val": counts["val"]}
    assert len(parses) == 6 and len(mixed) - len(parses) == 2  # questions: 25% of the set
    only_promotion = focus_mix(source, tmp_path / "one", ["promotion"], question_share=0.0)
    assert only_promotion["focus_parses"] == 1 and only_promotion["train"] == 2
    with pytest.raises(MixError, match=r"unknown focus pattern.*layouts"):
        focus_mix(source, tmp_path / "bad", ["layouts"])


def test_cli_focus_mix_and_an_unknown_pattern_is_one_clear_line(tmp_path: Path) -> None:
    source, _ = _with_patterns(tmp_path / "processed")
    args = ["data", "mix", "--from", str(source), "--out", str(tmp_path / "m"), "--json"]
    result = CliRunner().invoke(app, [*args, "--focus", "promotion,no_skills"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.strip().splitlines()[-1])["focus_parses"] == 2
    bad = CliRunner().invoke(app, [*args, "--focus", "promotion,layouts"])
    assert bad.exit_code == 1 and "unknown focus pattern(s) layouts" in bad.output and "Traceback" not in bad.output


def test_a_parse_answer_that_is_not_json_is_named_by_file_and_line(tmp_path: Path) -> None:
    source, _ = _with_patterns(tmp_path / "processed")
    rows = _rows(source / "train.jsonl")
    rows[2]["output"] = '{"name": "cut'  # line 3: the second person's parse
    (source / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(MixError, match=r"train\.jsonl:3: a parse example's output is not a parsed resume"):
        focus_mix(source, tmp_path / "m", ["promotion"])
    assert not (tmp_path / "m").exists()
