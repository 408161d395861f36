from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ml.cli import app


def test_data_build_cli(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["data", "build", "--out", str(tmp_path), "--num-resumes", "30", "--seed", "2", "--no-real", "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["tasks"]["parse_resume"] == 30
    assert sum(summary["files"].values()) == sum(summary["tasks"].values())
    for name in ("train", "val", "test", "test_heldout"):
        assert (tmp_path / f"{name}.jsonl").is_file()


def test_data_build_cli_bad_config(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("nope: 1\n")
    result = CliRunner().invoke(app, ["data", "build", "--out", str(tmp_path), "--config", str(bad)])
    assert result.exit_code == 1


def test_data_label_cli(fake_chat, tmp_path: Path) -> None:
    base, _chat = fake_chat
    resumes = tmp_path / "resumes"
    resumes.mkdir()
    (resumes / "ana.txt").write_text("Ana Lima\nData Engineer at Acme Corp since 2020", encoding="utf-8")
    (resumes / "empty.txt").write_text("")
    args = [
        "data",
        "label",
        "--api-base",
        base,
        "--model",
        "m",
        "--resumes",
        str(resumes),
        "--cache",
        str(tmp_path / "c.jsonl"),
        "--qa",
        str(tmp_path / "no-qa"),
        "--price-in",
        "0.5",
        "--price-out",
        "1.5",
        "--json",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["by_task"]["parse_resume"] == {"labelled": 1} and summary["skipped_files"] == 1
    assert summary["by_task"]["interview_question"] == {"labelled": 2} and summary["estimated_cost_usd"] is not None
    again = json.loads(CliRunner().invoke(app, args).stdout.strip().splitlines()[-1])
    assert again["cached"] == summary["labelled"] and again["labelled"] == 0
    only = CliRunner().invoke(app, [*args, "--tasks", "parse_resume,bogus"])
    assert only.exit_code == 1 and "bogus" in only.output
