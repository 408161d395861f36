"""Checkpoint discovery for ``--resume``: only complete checkpoints are trusted.

The HF Trainer writes ``trainer_state.json`` last, so a checkpoint folder without a readable
state (or without its adapter and optimizer) was cut by a kill mid-write. Such folders are moved
aside (never deleted: nothing is lost) and the newest complete checkpoint is used.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

log = logging.getLogger(__name__)

CHECKPOINT_PATTERN = re.compile(r"^checkpoint-(\d+)$")
REQUIRED_FILES = ("trainer_state.json", "adapter_model.safetensors", "adapter_config.json", "optimizer.pt")


def is_complete(checkpoint: Path) -> bool:
    if not all((checkpoint / name).is_file() for name in REQUIRED_FILES):
        return False
    try:
        json.loads((checkpoint / "trainer_state.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return False
    return True


def checkpoints_by_step(run_dir: Path) -> list[Path]:
    found = (
        [p for p in run_dir.iterdir() if p.is_dir() and CHECKPOINT_PATTERN.match(p.name)] if run_dir.is_dir() else []
    )
    return sorted(found, key=lambda p: int(CHECKPOINT_PATTERN.match(p.name)[1]))


def latest_complete_checkpoint(run_dir: Path) -> Path | None:
    """The newest complete checkpoint; incomplete newer ones are moved to ``<run>/incomplete/``."""
    for checkpoint in reversed(checkpoints_by_step(run_dir)):
        if is_complete(checkpoint):
            return checkpoint
        quarantine = run_dir / "incomplete"
        quarantine.mkdir(exist_ok=True)
        target = quarantine / checkpoint.name
        suffix = 1
        while target.exists():
            target = quarantine / f"{checkpoint.name}.{suffix}"
            suffix += 1
        checkpoint.rename(target)
        log.warning("checkpoint %s is incomplete (killed mid-write?); moved to %s", checkpoint.name, target)
    return None
