"""Well-known folders of the project. Everything under ``ml/data`` and ``ml/models`` is git-ignored content."""

from __future__ import annotations

import os
from pathlib import Path

ML_DIR = Path(__file__).resolve().parent
REPO_ROOT = ML_DIR.parent
DATA_DIR = ML_DIR / "data"
RESUMES_DIR = DATA_DIR / "resumes"
INTERVIEW_QA_DIR = DATA_DIR / "interview_qa"
PROCESSED_DIR = DATA_DIR / "processed"
MODELS_DIR = ML_DIR / "models"
CHECKPOINTS_DIR = MODELS_DIR / "checkpoints"
EXPORTED_DIR = MODELS_DIR / "exported"
CONFIGS_DIR = ML_DIR / "configs"
DEFAULT_TRAINING_CONFIG = CONFIGS_DIR / "training_config.yaml"
CACHE_DIR = Path(os.environ.get("GRILLER_CACHE_DIR", MODELS_DIR / "cache")).expanduser()
JSONRESUME_DEV_DIR = REPO_ROOT.parent / "shared" / "data" / "jsonresume-dev"
"""Real JSON Resume documents with provenance (SOURCES.tsv, NOTICE.tsv); GRILLER_JSONRESUME_DIR overrides it."""
JSONRESUME_SPLIT_FILE = DATA_DIR / "jsonresume_split.tsv"
"""The committed person-level split of those documents (``ml/preprocessing/jsonresume.py`` writes and checks it)."""
JSONRESUME_QUESTIONS_FILE = DATA_DIR / "jsonresume_questions" / "questions.jsonl"
"""Interview questions written for the training pool of those documents (``ml/preprocessing/written_questions.py``)."""
