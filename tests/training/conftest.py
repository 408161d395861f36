from __future__ import annotations

from pathlib import Path

import pytest

from tests.processed_data import write_processed


@pytest.fixture()
def processed_dir(tmp_path: Path) -> Path:
    return write_processed(tmp_path / "processed", copies=2)


@pytest.fixture()
def tiny_overrides(tiny_model_dir: Path, processed_dir: Path, tmp_path: Path) -> list[str]:
    """Config overrides that point a training run at the tiny model and the hand-made data."""
    return [
        f"base_model={tiny_model_dir}",
        f"data.train={processed_dir / 'train.jsonl'}",
        f"data.val={processed_dir / 'val.jsonl'}",
        f"output_dir={tmp_path / 'runs'}",
        "run_name=tiny",
        "max_steps=8",
        "save_steps=4",
        "logging_steps=2",
        "per_device_train_batch_size=2",
        "gradient_accumulation_steps=2",
        "learning_rate=5e-3",
        "precision=fp32",
        "report_to=[]",
    ]
