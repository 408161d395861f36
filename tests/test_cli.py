from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ml.cli import app

runner = CliRunner()


def test_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("data", "train", "eval", "bench", "export", "serve", "parse", "ask", "follow-up", "quickstart"):
        assert command in result.output


def test_parse_runs_zero_shot_on_a_text_resume(tmp_path: Path, tiny_model_dir: Path) -> None:
    resume = tmp_path / "resume.txt"
    resume.write_text("Jane Doe\nSoftware Engineer at Acme Corp, 2019 - Present\nSkills: Python, SQL\n")
    result = runner.invoke(app, ["parse", str(resume), "--model", str(tiny_model_dir), "--json"])
    assert result.exit_code == 0, result.output
    line = json.loads(result.stdout.strip().splitlines()[-1])
    assert line["zero_shot"] is True and line["file"] == str(resume)
    # schema-constrained decoding: even a random model's output is a valid ParsedResume
    assert line["valid"] is True and line["raw"] is None
    assert set(line["output"]) >= {"name", "experience", "skills"}


def test_parse_reports_a_missing_file_without_a_traceback(tmp_path: Path, tiny_model_dir: Path) -> None:
    result = runner.invoke(app, ["parse", str(tmp_path / "nope.txt"), "--model", str(tiny_model_dir)])
    assert result.exit_code == 1
    assert "no such file" in result.output
    assert "Traceback" not in result.output
