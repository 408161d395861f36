"""The llama.cpp crash canary (issue 27): a native crash in a child becomes a fallback or a clear error, never a
segfault of the program. The crashing children here die for real, by SIGSEGV from a NULL read."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ml.cli import app
from ml.inference import llama_cpp_canary, llama_cpp_engine
from ml.inference.backends import load_engine, resolve_backend
from ml.inference.llama_cpp_engine import LlamaCppCrash, LlamaCppEngine
from tests.ci_no_skips import require

require("llama_cpp", "the [llama] extra: bash scripts/setup.sh installs it")

SEGFAULT = "import ctypes, sys\nif {condition}:\n    ctypes.string_at(0)  # a NULL read: SIGSEGV\n"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache of its own: no verdict from another test."""
    monkeypatch.setattr(llama_cpp_engine, "CACHE_DIR", tmp_path)
    monkeypatch.delenv("GRILLER_BACKEND", raising=False)
    return tmp_path


def crashing_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, condition: str = "True") -> None:
    """The canary's child becomes a Python that segfaults when ``condition`` holds (``sys.argv`` is its command)."""
    script = tmp_path / "crash.py"
    script.write_text(SEGFAULT.format(condition=condition), encoding="utf-8")
    monkeypatch.setattr(llama_cpp_canary, "CHILD", [sys.executable, str(script)])


def verdicts(cache: Path) -> list[dict[str, str]]:
    return list(json.loads((cache / llama_cpp_canary.VERDICTS_FILE).read_text()).values())


def test_the_real_child_loads_and_decodes_on_this_host(sharp_gguf: Path, cache: Path) -> None:
    verdict = llama_cpp_engine.host_verdict(sharp_gguf)
    assert verdict.mode == "repacked", verdict.detail
    assert verdict.weights == "f16" and verdict.cpu in {"AVX2", "AVX-512", "AVX-512 BF16", "AMX"}
    assert resolve_backend(sharp_gguf) == "llama.cpp"


def test_a_child_killed_by_a_signal_makes_auto_fall_back_with_one_clear_line(
    sharp_gguf: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    crashing_child(tmp_path, monkeypatch)
    with caplog.at_level(logging.WARNING):
        engine = load_engine(sharp_gguf)
    assert engine.backend == "transformers"
    assert engine.generate("parse_resume", "Parse this resume:\nAna Silva", 8).completion_tokens > 0
    lines = [record.getMessage() for record in caplog.records if "llama.cpp crashes" in record.getMessage()]
    assert len(lines) == 1, caplog.text
    assert "SIGSEGV" in lines[0] and "running on transformers" in lines[0] and "--backend" in lines[0]
    assert [v["mode"] for v in verdicts(cache)] == ["crash"]


def test_the_verdict_is_remembered_per_host_and_weights(
    sharp_gguf: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crashing_child(tmp_path, monkeypatch)
    assert resolve_backend(sharp_gguf) == "transformers"
    monkeypatch.setattr(llama_cpp_canary, "CHILD", [sys.executable, "-c", "raise SystemExit(0)"])  # would pass now
    assert resolve_backend(sharp_gguf) == "transformers"  # not asked again
    (cache / llama_cpp_canary.VERDICTS_FILE).unlink()
    assert resolve_backend(sharp_gguf) == "llama.cpp"  # deleting the verdicts tests again


def test_an_explicit_llama_cpp_backend_fails_with_the_message_instead_of_crashing(
    sharp_gguf: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crashing_child(tmp_path, monkeypatch)
    with pytest.raises(LlamaCppCrash, match=r"SIGSEGV.*--backend transformers"):
        load_engine(sharp_gguf, "llama.cpp")
    resume = tmp_path / "resume.txt"
    resume.write_text("Ana Silva\nData Engineer, Acme Corp, 2020 - Present\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["parse", str(resume), "--model", str(sharp_gguf), "--backend", "llama.cpp"])
    assert result.exit_code == 1
    assert "llama.cpp crashes on this CPU" in result.output and "Traceback" not in result.output


def test_a_crash_only_with_cpu_repacking_loads_llama_cpp_without_it(
    sharp_gguf: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crashing_child(tmp_path, monkeypatch, condition="'--plain' not in sys.argv")  # the AMX repack's crash
    verdict = llama_cpp_engine.host_verdict(sharp_gguf)
    assert (verdict.mode, verdict.extra_buffers) == ("plain", False)
    assert "SIGSEGV with its CPU repacking" in verdict.detail
    engine = load_engine(sharp_gguf)
    assert isinstance(engine, LlamaCppEngine)
    assert engine.generate("parse_resume", "Parse this resume:\nAna Silva", 8).completion_tokens > 0


def test_a_child_that_fails_without_a_signal_is_not_taken_for_a_crash(
    sharp_gguf: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(llama_cpp_canary, "CHILD", [sys.executable, "-c", "raise SystemExit(3)"])
    assert llama_cpp_engine.host_verdict(sharp_gguf).runs
    assert not (cache / llama_cpp_canary.VERDICTS_FILE).exists()  # nothing learnt: asked again next time
