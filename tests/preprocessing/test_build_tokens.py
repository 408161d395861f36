"""Token statistics of ``griller data build``: counted as training counts them, with the base tokenizer by default."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ml.base_model import load_tokenizer
from ml.cli import app
from ml.preprocessing import build
from ml.preprocessing.build import run_build, token_counter
from ml.preprocessing.config import BuildError
from ml.training.dataset import tokenize_example


def test_tokenizer_counts_are_what_training_sees(tiny_model_dir: Path, tmp_path: Path) -> None:
    config = tmp_path / "data.yaml"
    config.write_text("max_context_tokens: 600\n", encoding="utf-8")
    summary = run_build(tmp_path / "out", 12, 5, config, tokenizer=str(tiny_model_dir), include_real=False)
    assert summary["token_counter"] == f"tokenizer of {tiny_model_dir}, chat template applied"
    tokenizer = load_tokenizer(tiny_model_dir)
    lengths: dict[str, list[int]] = defaultdict(list)
    for name in ("train", "val", "test", "test_heldout"):
        for line in (tmp_path / "out" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            lengths[row["task"]].append(len(tokenize_example(tokenizer, row)["input_ids"]))
            if row["task"] == "parse_resume":
                lengths["parse_resume/output"].append(
                    len(tokenizer(row["output"], add_special_tokens=False)["input_ids"])
                )
    stats = json.loads((tmp_path / "out" / "stats.json").read_text(encoding="utf-8"))
    assert set(stats["token_lengths"]) == set(lengths)
    for task, values in lengths.items():
        assert stats["token_lengths"][task]["max"] == max(values)
        assert {stats["token_lengths"][task][p] for p in ("p10", "p50", "p90", "p99")} <= set(values)
    over = {task: sum(n > 600 for n in values) for task, values in lengths.items() if "/" not in task}
    assert stats["exceeding_max_context"] == {task: n for task, n in over.items() if n} and any(over.values())
    assert "chat template applied" in (tmp_path / "out" / "README.md").read_text(encoding="utf-8")


def test_default_is_the_base_tokenizer_else_the_estimate_saying_why(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(spec: str) -> None:
        raise OSError(f"no tokenizer files for {spec}")

    monkeypatch.setattr(build, "_load_tokenizer_only", fail)
    fallback = token_counter(None)
    assert fallback.tokenizer is None and "did not load" in fallback.how and "smollm2" in fallback.how
    assert token_counter("none").how.endswith("(--tokenizer none)")
    with pytest.raises(BuildError, match="--tokenizer /nowhere"):
        token_counter("/nowhere")


def test_data_build_cli_tokenizer_none_and_a_bad_one(tmp_path: Path) -> None:
    args = ["data", "build", "--out", str(tmp_path), "--num-resumes", "5", "--no-real", "--json"]
    result = CliRunner().invoke(app, [*args, "--tokenizer", "none"])
    assert result.exit_code == 0, result.output
    assert "characters / 4" in json.loads(result.stdout.strip().splitlines()[-1])["token_counter"]
    bad = CliRunner().invoke(app, [*args, "--tokenizer", str(tmp_path / "missing")])
    assert bad.exit_code == 1 and "cannot load" in bad.output
