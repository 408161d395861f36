from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
import yaml
from safetensors.torch import load_file
from typer.testing import CliRunner

from ml.cli import app
from ml.inference.engine import Engine
from ml.jsonl import JsonlError
from ml.paths import REPO_ROOT
from ml.training.config import load_config
from ml.training.train import TrainingSetupError, train

runner = CliRunner()


def test_training_lowers_validation_loss_and_saves_a_loadable_adapter(tiny_overrides: list[str]) -> None:
    config = load_config(None, [*tiny_overrides, "max_steps=12", "save_steps=12", "eval_steps=12"])
    summary = train(config)
    first_eval = json.loads((config.run_dir / "train_log.jsonl").read_text().splitlines()[0])
    assert summary.steps == 12 and summary.real_tokens > 0
    assert summary.train_loss is not None and summary.val_loss is not None
    assert summary.val_loss < first_eval["loss"]  # learned: held-out loss below the first training loss
    log_lines = [json.loads(line) for line in (config.run_dir / "train_log.jsonl").read_text().splitlines()]
    assert all({"real_tokens_per_s", "mfu", "step_time_s"} <= set(line) for line in log_lines if "loss" in line)
    engine = Engine.load(summary.adapter_dir)
    assert engine.fine_tuned and engine.generate("parse_resume", "Parse this resume:\nAna", 4).completion_tokens > 0


def test_padded_length_grouped_batches_learn(tiny_overrides: list[str]) -> None:
    """CUDA's default without flash-attention (``batching=padded``), run here on CPU: pads are not supervised."""
    overrides = ["batching=padded", "max_steps=12", "save_steps=12", "eval_steps=12"]
    config = load_config(None, [*tiny_overrides, *overrides])
    summary = train(config)
    first = json.loads((config.run_dir / "train_log.jsonl").read_text().splitlines()[0])
    assert summary.val_loss is not None and summary.val_loss < first["loss"] and summary.real_tokens > 0


def test_qlora_without_cuda_fails_before_loading(tiny_overrides: list[str]) -> None:
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    with pytest.raises(TrainingSetupError, match="needs a CUDA GPU"):
        train(load_config(None, [*tiny_overrides, "quantization=4bit"]))


def test_cli_reports_setup_errors_without_traceback(tiny_overrides: list[str], tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    cases = {
        "data.train=/nonexistent/train.jsonl": "file not found",
        f"output_dir={blocked}": "not writable",
        "base_model=./no/such/model": "not found",
        "lora.rnk=4": "lora.rnk",
    }
    for override, message in cases.items():
        arguments = [f"--set={item}" for item in [*tiny_overrides, override]]
        result = runner.invoke(app, ["train", *arguments])
        assert result.exit_code == 1, (override, result.output)
        assert message in result.output and "Traceback" not in result.output


def _write_config(path: Path, overrides: list[str]) -> Path:
    config = load_config(None, overrides)
    path.write_text(yaml.safe_dump(config.model_dump(mode="json")))
    return path


def _run_training(config_path: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "OMP_NUM_THREADS": "1"}
    command = [sys.executable, "-m", "ml.training.train", "--config", str(config_path), "--set", "torch_threads=1"]
    return subprocess.Popen([*command, *extra], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_sigkilled_run_resumes_to_the_same_adapter(tiny_overrides: list[str], tmp_path: Path) -> None:
    overrides = [*tiny_overrides, "max_steps=12", "save_steps=2", "eval_steps=2", "save_total_limit=null"]
    reference = _write_config(tmp_path / "reference.yaml", [*overrides, "run_name=reference"])
    assert _run_training(reference).wait(timeout=300) == 0
    killed = _write_config(tmp_path / "killed.yaml", [*overrides, "run_name=killed"])
    run_dir = load_config(killed).run_dir
    kill_after = random.Random().choice([2, 4, 6, 8])
    process = _run_training(killed)
    deadline = time.monotonic() + 300
    while not (run_dir / f"checkpoint-{kill_after}" / "trainer_state.json").exists():
        assert process.poll() is None, process.stderr.read().decode()[-2000:]
        assert time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not (run_dir / "adapter").exists()
    resumed = _run_training(killed, "--resume")
    assert resumed.wait(timeout=300) == 0, resumed.stderr.read().decode()[-2000:]
    expected = load_file(load_config(reference).run_dir / "adapter" / "adapter_model.safetensors")
    actual = load_file(run_dir / "adapter" / "adapter_model.safetensors")
    assert expected.keys() == actual.keys()
    for name, tensor in expected.items():
        assert torch.allclose(tensor, actual[name], atol=1e-6), name


def test_a_second_stage_starts_from_the_given_adapter_on_the_chosen_tasks(
    tiny_overrides: list[str], tiny_run: Path
) -> None:
    """``init_adapter`` loads the adapter's weights (a fresh LoRA starts with B = 0); ``data.tasks`` filters."""
    initial = tiny_run / "adapter"
    stage = [f"init_adapter={initial}", "data.tasks=[interview_question, follow_up]", "run_name=stage2"]
    frozen = ["learning_rate=1e-12", "max_steps=1", "save_steps=1", "eval_steps=1"]  # weights cannot move
    config = load_config(None, [*tiny_overrides, *stage, *frozen])
    summary = train(config)
    before = load_file(initial / "adapter_model.safetensors")
    after = load_file(Path(summary.adapter_dir) / "adapter_model.safetensors")
    assert before.keys() == after.keys()
    assert any(float(before[name].abs().sum()) > 0 for name in before if "lora_B" in name)
    assert all(torch.allclose(before[name], after[name], atol=1e-6) for name in before)
    assert yaml.safe_load((config.run_dir / "config.yaml").read_text())["data"]["tasks"] == [
        "interview_question",
        "follow_up",
    ]

    from ml.training.dataset import read_examples

    rows = read_examples(config.data.train, only=["interview_question"])
    assert rows and {row["task"] for row in rows} == {"interview_question"}
    with pytest.raises(JsonlError, match=r"no examples of the tasks \['follow_up'\]"):  # the hand-made data has none
        read_examples(config.data.train, only=["follow_up"])
    other_base = load_config(None, [*tiny_overrides, *stage, "base_model=smollm2-135m-instruct"])
    with pytest.raises(TrainingSetupError, match="init_adapter was trained on"):
        train(other_base)
