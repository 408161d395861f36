from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.tiny_model import build_tiny_model

pytest_plugins = ["tests.ci_no_skips"]

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(scope="session")
def gguf_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session", autouse=True)
def _convert_adapters_into_a_temporary_cache(gguf_cache: Path) -> Iterator[None]:
    """The llama.cpp backend (the default on CPU) converts adapters to GGUF: not into the checkout's cache, whose
    least recently used conversions each new one prunes. Session-wide, so module-scoped fixtures get it too. The tone
    judge's weights go there as well (trained once per test session)."""
    from ml.inference import llama_cpp_engine, tone

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(llama_cpp_engine, "CACHE_DIR", gguf_cache)
        patch.setattr(tone, "CACHE_DIR", gguf_cache)
        yield


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random Llama model directory, loadable through the same code as real models."""
    return build_tiny_model(tmp_path_factory.mktemp("tiny-llama"))


@pytest.fixture(scope="session")
def tiny_run(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A short real LoRA training run of the tiny model: its run folder (checkpoints, adapter, summary)."""
    from ml.training.config import load_config
    from ml.training.train import train
    from tests.processed_data import write_processed

    root = tmp_path_factory.mktemp("tiny-run")
    data = write_processed(root / "processed", copies=2)
    overrides = [
        f"base_model={tiny_model_dir}",
        f"data.train={data / 'train.jsonl'}",
        f"data.val={data / 'val.jsonl'}",
        f"output_dir={root / 'runs'}",
        "run_name=tiny",
        "max_steps=6",
        "save_steps=6",
        "per_device_train_batch_size=2",
        "gradient_accumulation_steps=1",
        "learning_rate=2e-2",
        "lora.target_modules=all-linear",
        "precision=fp32",
        "report_to=[]",
    ]
    return Path(train(load_config(None, overrides)).run_dir)
