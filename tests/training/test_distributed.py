"""Two CPU processes (gloo) through ``accelerate launch``: disjoint data, one identical adapter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml
from safetensors.torch import load_file

from ml.paths import REPO_ROOT
from ml.training.config import load_config
from tests.processed_data import write_processed


def test_two_processes_see_disjoint_data_and_save_one_adapter(tiny_overrides: list[str], tmp_path: Path) -> None:
    unique = write_processed(tmp_path / "unique", copies=1) / "train.jsonl"  # 12 distinct examples
    overrides = [
        f"data.train={unique}",
        "per_device_train_batch_size=1",
        "gradient_accumulation_steps=2",
        "max_steps=3",  # 2 processes x 3 steps x 2 micro-batches x 1 example = one epoch of 12
        "save_steps=3",
        "trace_batches=true",
        "torch_threads=1",
    ]
    config = load_config(None, [*tiny_overrides, *overrides])
    config_path = tmp_path / "ddp.yaml"
    config_path.write_text(yaml.safe_dump(config.model_dump(mode="json")))
    launcher = [sys.executable, "-m", "accelerate.commands.launch", "--multi_gpu", "--num_processes", "2"]
    launcher += ["--num_machines", "1", "--mixed_precision", "no", "--dynamo_backend", "no"]
    launcher += ["--main_process_port", "29517", "-m", "ml.training.train", "--config", str(config_path)]
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "OMP_NUM_THREADS": "1"}
    result = subprocess.run(launcher, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]

    seen = {}
    for rank in (0, 1):
        lines = (config.run_dir / f"batches-rank{rank}.jsonl").read_text().splitlines()
        seen[rank] = [digest for line in lines for digest in json.loads(line)["examples"]]
    assert len(seen[0]) == len(seen[1]) == 6
    assert not set(seen[0]) & set(seen[1]), "the two processes trained on the same examples"
    assert json.loads((config.run_dir / "summary.json").read_text())["steps"] == 3
    adapter = load_file(config.run_dir / "adapter" / "adapter_model.safetensors")
    checkpoint = load_file(config.run_dir / "checkpoint-3" / "adapter_model.safetensors")
    assert all((adapter[name] == checkpoint[name]).all() for name in adapter)
