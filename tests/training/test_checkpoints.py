from __future__ import annotations

from pathlib import Path

from ml.training.checkpoints import REQUIRED_FILES, latest_complete_checkpoint


def _checkpoint(run_dir: Path, step: int, files: tuple[str, ...] = REQUIRED_FILES, state: str = "{}") -> Path:
    folder = run_dir / f"checkpoint-{step}"
    folder.mkdir(parents=True)
    for name in files:
        (folder / name).write_text(state if name == "trainer_state.json" else "x")
    return folder


def test_half_written_checkpoints_are_never_picked_and_are_kept_aside(tmp_path: Path) -> None:
    good = _checkpoint(tmp_path, 10)
    _checkpoint(tmp_path, 20, files=("adapter_model.safetensors", "adapter_config.json"))  # killed before state
    _checkpoint(tmp_path, 30, state='{"global_step": 3')  # state cut mid-write
    assert latest_complete_checkpoint(tmp_path) == good
    assert sorted(p.name for p in (tmp_path / "incomplete").iterdir()) == ["checkpoint-20", "checkpoint-30"]


def test_no_checkpoint_at_all(tmp_path: Path) -> None:
    assert latest_complete_checkpoint(tmp_path / "missing") is None
    _checkpoint(tmp_path, 5, files=("optimizer.pt",))
    assert latest_complete_checkpoint(tmp_path) is None
