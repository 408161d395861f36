from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ml.cli import app
from ml.preprocessing.mix import replay_mix, split_by_kind
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
