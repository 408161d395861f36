"""Issue 10 §1: a full disk or an unwritable output folder stops training with a clear message, before any work.

Covered elsewhere (not repeated here): SIGKILL at a random step then ``--resume`` to the same adapter
(tests/training/test_train.py::test_sigkilled_run_resumes_to_the_same_adapter), half-written
checkpoints never picked up (tests/training/test_checkpoints.py), an output path that is a file
(tests/training/test_train.py::test_cli_reports_setup_errors_without_traceback), an interrupted
export leaving nothing visible (tests/test_export.py::test_interrupted_export_leaves_nothing_visible).
"""

from __future__ import annotations

import errno
import shutil
import tempfile
from collections import namedtuple
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ml.cli import app
from ml.training import train as train_module
from ml.training.config import load_config
from ml.training.train import MIN_FREE_DISK_MB, TrainingSetupError, check_output_dir, train
from tests.processed_data import write_processed

DiskUsage = namedtuple("DiskUsage", "total used free")


@pytest.fixture()
def overrides(tiny_model_dir: Path, tmp_path: Path) -> list[str]:
    data = write_processed(tmp_path / "processed", copies=1)
    return [
        f"base_model={tiny_model_dir}",
        f"data.train={data / 'train.jsonl'}",
        f"data.val={data / 'val.jsonl'}",
        f"output_dir={tmp_path / 'runs'}",
        "run_name=tiny",
        "max_steps=2",
        "precision=fp32",
        "report_to=[]",
    ]


@pytest.fixture()
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    real = shutil.disk_usage

    def nearly_full(path):
        usage = real(path)
        return DiskUsage(usage.total, usage.total - 50 * 2**20, 50 * 2**20)  # 50 MiB left

    monkeypatch.setattr(train_module.shutil, "disk_usage", nearly_full)


@pytest.fixture()
def no_model_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args, **_kwargs):
        raise AssertionError("the model was loaded although the output folder check should have failed first")

    monkeypatch.setattr(train_module, "load_model_for_training", refuse)


def test_low_disk_space_is_refused_with_the_numbers(tmp_path: Path, full_disk: None) -> None:
    with pytest.raises(TrainingSetupError, match=rf"only 50 MiB free under .*at least {MIN_FREE_DISK_MB} MiB"):
        check_output_dir(tmp_path / "run")


def test_full_disk_stops_train_before_the_model_is_loaded(
    overrides: list[str], full_disk: None, no_model_loading: None
) -> None:
    with pytest.raises(TrainingSetupError, match="MiB free"):
        train(load_config(None, overrides))


def test_unwritable_folder_stops_train_before_the_model_is_loaded(
    overrides: list[str], monkeypatch: pytest.MonkeyPatch, no_model_loading: None
) -> None:
    """Permission bits do not stop root (these tests may run as root), so the OS error is simulated."""

    def read_only(*_args, **_kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", read_only)
    with pytest.raises(TrainingSetupError, match=r"is not writable: .*Permission denied"):
        train(load_config(None, overrides))


def test_cli_says_disk_full_without_a_traceback(overrides: list[str], full_disk: None, no_model_loading: None) -> None:
    result = CliRunner().invoke(app, ["train", *[f"--set={item}" for item in overrides]])
    assert result.exit_code == 1
    assert "MiB free" in result.output and "Traceback" not in result.output
