"""``griller quickstart``: the whole pipeline on the embedded model within a time budget.

data build (offline, synthetic) → LoRA fine-tune of SmolLM2-135M-Instruct → evaluation of base vs
fine-tuned on held-out resumes → adapter export to ``ml/models/exported/resume-griller-lora-quickstart``.

The budget is split across phases: training gets 60% of it (a wall-clock stop), evaluation a
small stratified sample whose size grows with the budget. Everything lands under ``runs/quickstart``.
"""

from __future__ import annotations

import json
import random
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from ml.evaluation.evaluate import evaluate
from ml.evaluation.headline import compare_files
from ml.export import export
from ml.paths import DEFAULT_TRAINING_CONFIG, EXPORTED_DIR, REPO_ROOT
from ml.preprocessing.build import run_build
from ml.training.config import load_config

QUICKSTART_ROOT = REPO_ROOT / "runs" / "quickstart"
EXPORT_NAME = "resume-griller-lora-quickstart"
ASSUMED_TOKENS_PER_SECOND = {
    "fp32": 200,  # SmolLM2-135M LoRA on 2 CPU cores, fp32: the v2 run logged 195, the bench 197
    "bf16_native": 300,  # the same on an AVX-512 BF16 host: bench/train_throughput.py measured 307 (2026-12-04)
}
"""Training tokens per second the plan counts on, by the precision ``griller train`` resolves on this machine:
the steps are sized so that the learning-rate schedule ends as the training budget does (a wall-clock stop
cuts a schedule planned on faster hardware short). Precisions not listed plan as fp32."""
AVERAGE_EXAMPLE_TOKENS = 1015  # real tokens per training example of the quickstart data (146,170 / 144)
TRAIN_SHARE = 0.6
"""Share of the budget for training: the first real 30-minute run took 17 min with half (train 12.5, eval 4.6)."""
EXAMPLES_PER_STEP = 8
EVAL_MAX_NEW_TOKENS = 1024


@dataclass
class QuickstartPlan:
    budget_minutes: float
    num_resumes: int
    train_minutes: float
    max_steps: int
    eval_per_task: dict[str, int]

    @classmethod
    def for_budget(cls, minutes: float, precision: str = "fp32") -> QuickstartPlan:
        train_minutes = max(minutes * TRAIN_SHARE, 1.0)
        rate = ASSUMED_TOKENS_PER_SECOND.get(precision, ASSUMED_TOKENS_PER_SECOND["fp32"])
        steps = int(train_minutes * 60 * rate / (EXAMPLES_PER_STEP * AVERAGE_EXAMPLE_TOKENS))
        # Questions are cheap to generate (about 1 s for both models, 4 s for a follow-up) and noisy one by one:
        # 20 of each at 30 minutes, so the headline comparison can tell; parses cost about 17 s each (both models).
        parse = max(1, round(minutes / 4))
        questions = max(2, round(minutes * 2 / 3))
        return cls(
            budget_minutes=minutes,
            num_resumes=max(60, int(minutes * 15)),
            train_minutes=round(train_minutes, 1),
            max_steps=max(steps, 2),
            eval_per_task={"parse_resume": parse, "interview_question": questions, "follow_up": questions},
        )


@dataclass
class QuickstartReport:
    plan: dict[str, Any]
    phase_seconds: dict[str, float] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    training: dict[str, Any] = field(default_factory=dict)
    evaluation: dict[str, Any] = field(default_factory=dict)
    headline: list[dict[str, Any]] = field(default_factory=list)
    """Fine-tuned vs base on the few numbers that matter, each with its paired-bootstrap verdict."""
    export_path: str | None = None


def stratified_cases(sources: list[Path], target: Path, per_task: dict[str, int], seed: int = 0) -> int:
    """Write a few examples of each task from ``sources`` (splits never trained on) to ``target``; return how many."""
    rows: dict[str, list[str]] = {task: [] for task in per_task}
    for source in sources:
        with source.open(encoding="utf-8") as handle:
            for line in handle:
                task = json.loads(line).get("task")
                if task in rows:
                    rows[task].append(line)
    rng = random.Random(seed)
    chosen = [line for task, n in per_task.items() for line in rng.sample(rows[task], min(n, len(rows[task])))]
    target.write_text("".join(chosen), encoding="utf-8")
    return len(chosen)


def run_quickstart(
    budget_minutes: float = 30.0,
    root: Path = QUICKSTART_ROOT,
    phase: Callable[[str], None] = lambda name: None,
    base_model: str | None = None,
    export_dir: Path = EXPORTED_DIR,
) -> QuickstartReport:
    """Run every phase; ``phase(name)`` is called as each one starts (for progress display).

    ``base_model`` overrides the default config's (the embedded SmolLM2), e.g. for a smoke test.
    """
    from ml.training.train import resolve_precision, train  # lazy on purpose: imports torch and transformers

    precision = resolve_precision(load_config(DEFAULT_TRAINING_CONFIG))  # bf16_native where bf16 GEMMs pay
    plan = QuickstartPlan.for_budget(budget_minutes, precision)
    report = QuickstartReport(plan=asdict(plan))
    data_dir, runs_dir = root / "processed", root / "checkpoints"

    def timed(name: str, work: Callable[[], Any]) -> Any:
        phase(name)
        started = time.perf_counter()
        result = work()
        report.phase_seconds[name] = round(time.perf_counter() - started, 1)
        return result

    summary = timed("data", lambda: run_build(data_dir, plan.num_resumes, seed=7, include_real=False))
    report.data = {"files": summary["files"], "seconds": summary["seconds"]}

    config = load_config(
        DEFAULT_TRAINING_CONFIG,
        [
            f"data.train={data_dir / 'train.jsonl'}",
            f"data.val={data_dir / 'val.jsonl'}",
            "data.max_val_examples=8",
            f"output_dir={runs_dir}",
            "run_name=quickstart",
            f"max_steps={plan.max_steps}",
            f"max_train_minutes={plan.train_minutes}",
            f"save_steps={plan.max_steps}",
            "per_device_train_batch_size=1",
            f"gradient_accumulation_steps={EXAMPLES_PER_STEP}",
            "learning_rate=5e-4",
            "lora.target_modules=all-linear",
            "logging_steps=1",
            *([f"base_model={base_model}"] if base_model else []),
        ],
    )
    trained = timed("train", lambda: train(config))
    report.training = asdict(trained)

    cases = root / "eval_cases.jsonl"
    # A new run: the evaluation must not resume predictions of the previous run's model (same path, other weights).
    shutil.rmtree(root / "eval", ignore_errors=True)
    # both test splits: the test split of a 30-minute build holds about 13 questions and 12 follow-ups
    stratified_cases([data_dir / "test.jsonl", data_dir / "test_heldout.jsonl"], cases, plan.eval_per_task)
    evaluation = timed(
        "evaluate",
        lambda: evaluate(
            trained.adapter_dir,
            cases,
            output_dir=root / "eval",
            compare=config.base_model,
            max_new_tokens=EVAL_MAX_NEW_TOKENS,
        ),
    )
    report.evaluation = evaluation
    predictions = root / "eval"
    rows = compare_files(predictions / "predictions.model.jsonl", predictions / "predictions.base.jsonl")
    report.headline = [asdict(row) for row in rows]

    exported = timed(
        "export",
        lambda: export(
            Path(trained.run_dir), EXPORT_NAME, "adapter", export_dir, evaluation_report=root / "eval" / "report.md"
        ),
    )
    report.export_path = exported.path
    shallow = {item.name: getattr(report, item.name) for item in fields(report)}  # asdict chokes on defaultdicts
    (root / "quickstart_report.json").write_text(json.dumps(shallow, indent=2, default=str), encoding="utf-8")
    return report
