"""Fixtures shared by the inference tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.inference.endless import EndlessEngine


@pytest.fixture(scope="session")
def sharp_gguf(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random Llama with large weights, exported as GGUF f16 (tokenizer and chat template included)."""
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    from ml.export.gguf import write_gguf
    from tests.tiny_model import build_sharp_model

    tokenizer = AutoTokenizer.from_pretrained(str(tiny_model_dir))
    model = build_sharp_model(LlamaForCausalLM, LlamaConfig, tokenizer, tie_word_embeddings=True)
    path = tmp_path_factory.mktemp("sharp") / "sharp-f16.gguf"
    write_gguf(model, tokenizer, tiny_model_dir, path, "sharp", "f16")
    return path


@pytest.fixture()
def endless_engine(tiny_model_dir: Path) -> EndlessEngine:
    return EndlessEngine.load(tiny_model_dir)
