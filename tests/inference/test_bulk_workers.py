"""The bulk parse on local worker processes (``griller parse``'s default on llama.cpp, ``--workers N``): the lines of
the one-process run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ml.cli import app
from ml.host import usable_cores
from ml.inference import bulk_workers as bw
from ml.inference.bulk import parse_many
from tests.inference.test_bulk import PARSE_TOKENS, lines_without_seconds, mixed_folder, torn_run

pytestmark = pytest.mark.slow  # each run spawns 2 processes that import torch and load the model


def test_two_workers_write_what_one_process_writes(tmp_path: Path, tiny_model_dir: Path) -> None:
    folder = mixed_folder(tmp_path)
    options = {"model": str(tiny_model_dir), "backend": "transformers", "batch_size": 1}
    options["max_new_tokens"] = PARSE_TOKENS  # an argument, not a patched default: the workers are other processes
    single = parse_many([folder], output=tmp_path / "single.jsonl", **options)
    pooled = bw.parse_here([folder], None, workers=2, output=tmp_path / "workers.jsonl", **options)

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


@pytest.mark.parametrize(
    ("pending", "backend", "cores", "memory_workers", "expected"),
    [
        (1, "llama.cpp", 2, 8, 1),  # one resume: no process to spawn
        (10, "transformers", 2, 8, 1),  # torch threads one pass over every core already
        (10, "llama.cpp", 2, 8, 2),  # one per core: measured best on 2 cores
        (3, "llama.cpp", 16, 64, 3),  # never more than the resumes
        (100, "llama.cpp", 16, 5, 5),  # never more than memory holds
        (100, "llama.cpp", 16, 0, 1),  # memory for none: still one
    ],
)
def test_workers_by_default_fill_the_cores_as_memory_allows(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    pending: int,
    backend: str,
    cores: int,
    memory_workers: int,
    expected: int,
) -> None:
    gguf = tmp_path / "model.gguf"
    gguf.write_bytes(b"\0" * 1000)
    monkeypatch.setattr(bw, "resolve_backend", lambda model, chosen: backend)
    monkeypatch.setattr(bw, "usable_cores", lambda: cores)
    monkeypatch.setattr(bw, "available_memory", lambda: memory_workers * (1000 + bw.WORKER_OVERHEAD_BYTES) + 999)
    assert bw.auto_workers(pending, str(gguf)) == expected


def test_a_folder_is_parsed_on_one_worker_per_core_by_default(tmp_path: Path, sharp_gguf: Path) -> None:
    """No --workers: the llama.cpp backend on this host's cores (2 here), the lines of one process's run."""
    folder = mixed_folder(tmp_path)
    base = ["parse", str(folder), "--model", str(sharp_gguf), "--max-new-tokens", "24", "--json"]
    one = CliRunner().invoke(app, [*base, "--workers", "1", "--output", str(tmp_path / "one.jsonl")])
    default = CliRunner().invoke(app, [*base, "--output", str(tmp_path / "default.jsonl")])
    assert one.exit_code == 0 and default.exit_code == 0, one.output + default.output
    workers = min(usable_cores(), 8)  # 8 resumes left, 3 of them unreadable
    backend = json.loads(default.stdout.strip().splitlines()[-1])["backend"]
    assert backend == ("llama.cpp" if workers == 1 else f"llama.cpp on {workers} worker processes")
    assert lines_without_seconds(tmp_path / "default.jsonl") == lines_without_seconds(tmp_path / "one.jsonl")
