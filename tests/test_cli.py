from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
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


def test_a_file_name_with_brackets_is_printed_as_it_is(tmp_path: Path, tiny_model_dir: Path) -> None:
    resume = tmp_path / "[draft] resume.txt"
    resume.write_text("Jane Doe\nSoftware Engineer at Acme Corp, 2019 - Present\n")
    result = runner.invoke(app, ["parse", str(resume), "--model", str(tiny_model_dir)])
    assert result.exit_code == 0, result.output
    assert "[draft] resume.txt" in result.output


def test_parse_reports_a_missing_file_without_a_traceback(tmp_path: Path, tiny_model_dir: Path) -> None:
    result = runner.invoke(app, ["parse", str(tmp_path / "nope.txt"), "--model", str(tiny_model_dir)])
    assert result.exit_code == 1
    assert "no such file" in result.output
    assert "Traceback" not in result.output


def test_an_error_line_keeps_the_brackets_of_its_install_hint(
    tmp_path: Path, tiny_run: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Error lines are printed with rich: ``".[llama]"`` must not be read as a style tag and dropped."""
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # the [llama] extra not installed
    resume = tmp_path / "[draft] resume.txt"
    resume.write_text("Jane Doe\nSoftware Engineer at Acme Corp\n")
    result = runner.invoke(app, ["parse", str(resume), "--model", str(tiny_run / "adapter"), "--backend", "llama.cpp"])
    assert result.exit_code == 1
    assert '".[llama]"' in result.output and "Traceback" not in result.output


def test_parse_jsonl_batch_writes_one_id_output_line_each(tmp_path: Path, tiny_model_dir: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_text('{"id": "a", "text": "Jane Doe\\nEngineer"}\n{"id": 7, "text": "Bo Chen\\nNurse"}\n')
    result = runner.invoke(app, ["parse", "--jsonl", str(batch), "--model", str(tiny_model_dir), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.strip().splitlines() if line.startswith("{")]
    assert [line["id"] for line in lines] == ["a", 7]
    assert all(set(line) == {"id", "output"} and "name" in line["output"] for line in lines)
    batch.write_text('{"id": "a", "txt": "x"}\n')
    bad = runner.invoke(app, ["parse", "--jsonl", str(batch), "--model", str(tiny_model_dir)])
    assert bad.exit_code == 1 and "batch.jsonl:1" in bad.output


def test_ask_repeats_without_a_seed_and_varies_with_one(tmp_path: Path, tiny_run: Path) -> None:
    resume = tmp_path / "resume.txt"
    resume.write_text("Jane Doe\nSoftware Engineer at Acme Corp, 2019 - Present\nBuilt a Kafka pipeline.\n")

    def ask(*extra: str) -> str:
        result = runner.invoke(app, ["ask", str(resume), "--model", str(tiny_run / "adapter"), "--json", *extra])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout.strip().splitlines()[-1])["question"]

    assert ask() == ask()
    assert len({ask("--seed", str(seed)) for seed in range(4)}) >= 2
    assert runner.invoke(app, ["ask", str(resume), "--seed", "-1"]).exit_code == 2
