"""The data build's configuration: ``ml/configs/data_config.yaml``, read and checked.

    config = load_data_config(None, num_resumes=200)   # the default file, one value overridden

Read by ``griller data build`` (:mod:`ml.preprocessing.build`) and by ``griller data label``
(:mod:`ml.preprocessing.teacher`: the near-duplicate threshold, and the held-out occupations imported
Q&A pairs must avoid). An unknown key or value is a :class:`BuildError` that names it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ml import tasks
from ml.paths import CONFIGS_DIR
from ml.preprocessing.synthetic.content import OCCUPATION_KEYS
from ml.preprocessing.synthetic.render import LAYOUTS

DEFAULT_DATA_CONFIG = CONFIGS_DIR / "data_config.yaml"


class BuildError(ValueError):
    """The build configuration is unusable; the message says which key and why."""


@dataclass
class DataConfig:
    num_resumes: int = 2500
    seed: int = 13
    task_mix: dict[str, float] = field(
        default_factory=lambda: {"parse_resume": 0.5, "interview_question": 0.25, "follow_up": 0.25}
    )
    splits: dict[str, float] = field(default_factory=lambda: {"train": 0.9, "val": 0.05, "test": 0.05})
    heldout: dict[str, Any] = field(
        default_factory=lambda: {
            "layouts": ["dates_left", "label_value"],
            "occupations": ["legal", "hospitality"],
            "fraction": 0.08,
        }
    )
    vague_share: float = 0.55
    max_context_tokens: int = 4096
    dedup_threshold: float = 0.85
    real: dict[str, Any] = field(
        default_factory=lambda: {
            "resumes_dir": "ml/data/resumes",
            "qa_dir": "ml/data/interview_qa",
            "teacher_cache": None,
            "max_qa_examples": 2000,
        }
    )

    def validate(self) -> None:
        if self.num_resumes < 1:
            raise BuildError("num_resumes must be at least 1")
        unknown = set(self.task_mix) - {t.value for t in tasks.TaskName}
        if unknown:
            raise BuildError(f"task_mix: unknown tasks {sorted(unknown)}")
        if self.task_mix.get("parse_resume", 0) <= 0:
            raise BuildError("task_mix.parse_resume must be > 0 (one parse example per resume anchors the mix)")
        if not math.isclose(sum(self.splits.values()), 1.0, abs_tol=1e-6) or set(self.splits) != {
            "train",
            "val",
            "test",
        }:
            raise BuildError(f"splits must be train/val/test summing to 1, got {self.splits}")
        bad_layouts = set(self.heldout.get("layouts", [])) - set(LAYOUTS)
        bad_occ = set(self.heldout.get("occupations", [])) - set(OCCUPATION_KEYS)
        if bad_layouts or bad_occ:
            raise BuildError(
                f"heldout: unknown layouts {sorted(bad_layouts)} / occupations {sorted(bad_occ)} "
                f"(layouts: {sorted(LAYOUTS)}; occupations: {sorted(OCCUPATION_KEYS)})"
            )
        if set(self.heldout.get("layouts", [])) >= set(LAYOUTS) or set(self.heldout.get("occupations", [])) >= set(
            OCCUPATION_KEYS
        ):
            raise BuildError("heldout cannot hold out every layout or every occupation")


def load_data_config(path: Path | None = None, **overrides: Any) -> DataConfig:
    path = Path(path) if path else DEFAULT_DATA_CONFIG
    values: dict[str, Any] = {}
    if path.is_file():
        values = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    elif path != DEFAULT_DATA_CONFIG:
        raise BuildError(f"{path}: data config not found")
    known = set(DataConfig.__dataclass_fields__)
    unknown = set(values) - known
    if unknown:
        raise BuildError(f"{path}: unknown keys {sorted(unknown)} (known: {sorted(known)})")
    values.update({k: v for k, v in overrides.items() if v is not None})
    config = DataConfig(**values)
    config.validate()
    return config
