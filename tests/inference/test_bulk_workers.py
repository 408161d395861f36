"""The bulk parse on local worker processes (``griller parse --workers N``): the lines of the one-process run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ml.cli import app
from ml.inference.bulk import parse_many
from ml.inference.bulk_workers import parse_on_workers
from tests.inference.test_bulk import PARSE_TOKENS, lines_without_seconds, mixed_folder, torn_run

pytestmark = pytest.mark.slow  # each run spawns 2 processes that import torch and load the model


def test_two_workers_write_what_one_process_writes(tmp_path: Path, tiny_model_dir: Path) -> None:
    folder = mixed_folder(tmp_path)
    options = {"model": str(tiny_model_dir), "backend": "transformers", "batch_size": 1}
    options["max_new_tokens"] = PARSE_TOKENS  # an argument, not a patched default: the workers are other processes
    single = parse_many([folder], output=tmp_path / "single.jsonl", **options)
    pooled = parse_on_workers([folder], None, workers=2, output=tmp_path / "workers.jsonl", **options)

    expected = lines_without_seconds(tmp_path / "single.jsonl")
    assert lines_without_seconds(tmp_path / "workers.jsonl") == expected
    assert len(expected) == 7 and sum(line["valid"] for line in expected) == 5
    for key in ("inputs", "done", "valid", "invalid", "failed", "ignored", "problems"):
        assert pooled[key] == single[key], key
    assert pooled["backend"] == "transformers on 2 worker processes"


def test_cli_workers_resume_a_torn_run_and_refuse_ray_beside_them(tmp_path: Path, tiny_model_dir: Path) -> None:
    batch, out, done = torn_run(tmp_path)  # "a" done, then a line torn by a kill
    args = ["parse", "--jsonl", str(batch), "--output", str(out), "--workers", "2", "--json"]
    args += ["--model", str(tiny_model_dir), "--backend", "transformers", "--max-new-tokens", "16"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert (summary["skipped"], summary["done"], summary["failed"]) == (1, 2, 1)
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[0] == done and [json.loads(line)["id"] for line in lines] == ["a", 7, "7", [1]]

    both = CliRunner().invoke(app, [*args, "--ray-actors", "2"])
    assert both.exit_code == 2 and "choose one" in both.output
