"""The bulk parse as a Ray Data job on a local Ray with 2 actors: the lines of the single-machine run, resumable."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ml.cli import app
from ml.inference.bulk import parse_many
from ml.inference.ray_parse import RAY_INSTALL, parse_on_ray
from tests.ci_no_skips import require
from tests.inference.test_bulk import PARSE_TOKENS, lines_without_seconds, mixed_folder, torn_run

pytestmark = pytest.mark.slow  # 1.5-2 min on 2 busy cores: each job starts Ray workers that load torch


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray = require("ray", RAY_INSTALL)
    ray.init(num_cpus=2, include_dashboard=False, object_store_memory=100 * 1024**2)  # Ray's smallest store: 75 MB
    yield
    ray.shutdown()


def test_a_ray_job_writes_what_one_machine_writes(tmp_path: Path, tiny_model_dir: Path, local_ray: None) -> None:
    folder = mixed_folder(tmp_path)
    options = {"model": str(tiny_model_dir), "backend": "transformers", "batch_size": 2}
    options["max_new_tokens"] = PARSE_TOKENS  # an argument, not a patched default: the actors are other processes
    single = parse_many([folder], output=tmp_path / "single.jsonl", **options)
    on_ray = parse_on_ray([folder], actors=2, output=tmp_path / "ray.jsonl", **options)

    expected = lines_without_seconds(tmp_path / "single.jsonl")
    assert lines_without_seconds(tmp_path / "ray.jsonl") == expected
    assert len(expected) == 7 and sum(line["valid"] for line in expected) == 5
    for key in ("inputs", "done", "valid", "invalid", "failed", "ignored", "problems"):
        assert on_ray[key] == single[key], key
    assert on_ray["backend"] == "transformers on 2 Ray actors"


def test_cli_ray_job_resumes_and_keeps_ids_of_any_json_type(
    tmp_path: Path, tiny_model_dir: Path, local_ray: None
) -> None:
    batch, out, done = torn_run(tmp_path)  # "a" done, then a line torn by a kill
    args = ["parse", "--jsonl", str(batch), "--output", str(out), "--ray-actors", "2", "--json"]
    args += ["--model", str(tiny_model_dir), "--backend", "transformers", "--max-new-tokens", "16"]
    result = CliRunner().invoke(app, args)  # on the fixture's Ray: an initialised Ray is used as it is
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert (summary["skipped"], summary["done"], summary["failed"]) == (1, 2, 1)
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[0] == done and [json.loads(line)["id"] for line in lines] == ["a", 7, "7", [1]]
    assert json.loads(lines[1])["error"] == f"{batch}:2: empty text"
    assert summary["problems"] == [f"{batch}:2: empty text"]
