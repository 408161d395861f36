from __future__ import annotations

import json
from pathlib import Path

from ml.evaluation.headline import HEADLINES
from ml.quickstart import EXPORT_NAME, QuickstartPlan, run_quickstart


def test_plan_scales_with_the_budget() -> None:
    short, default = QuickstartPlan.for_budget(10), QuickstartPlan.for_budget(30)
    assert short.train_minutes < default.train_minutes and short.max_steps < default.max_steps
    assert default.train_minutes <= 18 and sum(default.eval_per_task.values()) > sum(short.eval_per_task.values())
    # a host that trains in bf16 gets more steps from the same minutes; an unlisted precision plans as fp32
    assert QuickstartPlan.for_budget(30, "bf16_native").max_steps > default.max_steps
    assert QuickstartPlan.for_budget(30, "fp16").max_steps == default.max_steps


def test_quickstart_runs_every_phase_end_to_end(tiny_model_dir: Path, tmp_path: Path) -> None:
    phases: list[str] = []
    stale = tmp_path / "qs" / "eval" / "predictions.model.jsonl"  # a previous run's predictions, same folder
    stale.parent.mkdir(parents=True)
    stale.write_text(json.dumps({"model": "an earlier quickstart", "index": 0, "example_hash": "x"}) + "\n")
    report = run_quickstart(
        0.2, root=tmp_path / "qs", phase=phases.append, base_model=str(tiny_model_dir), export_dir=tmp_path / "exp"
    )
    assert phases == ["data", "train", "evaluate", "export"]
    assert set(report.phase_seconds) == set(phases)
    assert report.training["steps"] >= 1 and Path(report.training["adapter_dir"]).is_dir()
    assert set(report.evaluation["models"]) == {"model", "base"}
    assert [row["name"] for row in report.headline] == [headline.name for headline in HEADLINES]
    n = {row["name"]: row["n"] for row in report.headline}
    cases = [json.loads(line)["task"] for line in (tmp_path / "qs" / "eval_cases.jsonl").read_text().splitlines()]
    assert n["parse micro-F1"] == cases.count("parse_resume") >= 1  # every evaluated example is in its verdict
    assert n["follow-up quality"] == cases.count("follow_up") >= 1
    exported = tmp_path / "exp" / EXPORT_NAME
    assert (exported / "adapter_model.safetensors").is_file()
    assert "## Evaluation" in (exported / "README.md").read_text()
    saved = json.loads((tmp_path / "qs" / "quickstart_report.json").read_text())
    assert saved["export_path"] == str(exported)
