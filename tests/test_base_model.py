from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from ml import base_model
from ml.base_model import BaseModelError, SourceKind, load_base_model, resolve_source


def test_resolve_source_kinds(tmp_path: Path, tiny_model_dir: Path) -> None:
    assert resolve_source(None).kind is SourceKind.EMBEDDED
    assert resolve_source("SmolLM2-135M-Instruct").kind is SourceKind.EMBEDDED
    assert resolve_source(tiny_model_dir).kind is SourceKind.LOCAL_DIR
    assert resolve_source("mistralai/Mistral-7B-Instruct-v0.3").kind is SourceKind.HUB
    gguf = tmp_path / "model.gguf"
    gguf.write_bytes(b"GGUF")
    assert resolve_source(gguf).kind is SourceKind.GGUF_FILE


def test_resolve_source_errors_name_the_problem(tmp_path: Path) -> None:
    with pytest.raises(BaseModelError, match="GGUF file not found"):
        resolve_source(tmp_path / "missing.gguf")
    with pytest.raises(BaseModelError, match=r"no config\.json"):
        resolve_source(tmp_path)
    with pytest.raises(BaseModelError, match="not found"):
        resolve_source("./no/such/model")


def test_local_dir_loads_with_chat_template(tiny_model_dir: Path) -> None:
    model, tokenizer = load_base_model(tiny_model_dir)
    assert model.config.model_type == "llama"
    prompt = tokenizer.apply_chat_template([{"role": "user", "content": "hi"}], tokenize=False)
    assert "<|im_start|>user\nhi<|im_end|>" in prompt


def test_hub_id_offline_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(BaseModelError, match="embedded alias"):
        load_base_model("griller-test/definitely-not-cached-model")


def test_missing_embedded_wheel_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(BaseModelError) as error:
        base_model.embedded_gguf_path("smollm2-135m-instruct")
    assert base_model.EMBEDDED_INSTALL_COMMAND in str(error.value)


def test_embedded_model_is_converted_once_then_read_from_cache(
    tmp_path: Path, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The GGUF de-quantization is replaced by the tiny model; the caching logic is the real one."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    conversions: list[Path] = []

    def fake_load_gguf(path: Path, dtype: object = None):
        conversions.append(path)
        return AutoModelForCausalLM.from_pretrained(tiny_model_dir), AutoTokenizer.from_pretrained(tiny_model_dir)

    monkeypatch.setattr(base_model, "CACHE_DIR", tmp_path)
    monkeypatch.setattr(base_model, "embedded_gguf_path", lambda alias: tmp_path / "fake.gguf")
    monkeypatch.setattr(base_model, "_load_gguf", fake_load_gguf)
    first = base_model.ensure_embedded_cached("smollm2-135m-instruct")
    second = base_model.ensure_embedded_cached("smollm2-135m-instruct")
    assert first == second == tmp_path / "base" / "smollm2-135m-instruct"
    assert len(conversions) == 1
    assert (first / "model.safetensors").is_file() and (first / "tokenizer.json").is_file()
    assert not [p for p in first.parent.iterdir() if p.name.startswith(".")]  # no staging dir left behind
    model, _ = load_base_model("smollm2-135m-instruct")
    assert model.config.hidden_size == 64
