from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
import yaml
from typer.testing import CliRunner

from ml.cli import app
from ml.export import ExportError, export
from ml.export import adapter as export_module
from ml.inference.engine import Engine

runner = CliRunner()
PROMPTS = [
    ("parse_resume", "Parse this resume:\nAna Silva\nData Engineer at Acme Corp, 2020 - Present"),
    ("interview_question", "Ask a technical question.\nTone: technical\nResume:\nName: Bo Chen"),
    ("follow_up", "Resume:\nName: Eve\n\nQuestion: Why?\nAnswer: Many things.\n\nAsk one follow-up question."),
]


def _greedy(engine: Engine) -> list[list[int]]:
    outputs = []
    for task, text in PROMPTS:
        inputs = engine.prompt_ids(task, text)
        with torch.inference_mode():
            ids = engine.model.generate(**inputs, max_new_tokens=12, do_sample=False, min_new_tokens=12)
        outputs.append(ids[0].tolist())
    return outputs


def test_adapter_and_merged_exports_give_the_same_greedy_output(tiny_run: Path, tmp_path: Path) -> None:
    adapter = export(tiny_run, "tiny-lora", "adapter", tmp_path)
    merged = export(tiny_run, "tiny-merged", "merged", tmp_path)
    adapter_dir, merged_dir = Path(adapter.path), Path(merged.path)
    assert (adapter_dir / "adapter_model.safetensors").is_file() and (adapter_dir / "chat_template.jinja").is_file()
    assert (merged_dir / "model.safetensors").is_file() and not (merged_dir / "adapter_config.json").exists()
    card = (adapter_dir / "README.md").read_text()
    assert "## Reproduce" in card and "griller train --config" in card
    unmerged = Engine.load(adapter_dir, merge_adapter=False)
    from_merged = Engine.load(merged_dir)
    assert unmerged.fine_tuned and from_merged.fine_tuned
    expected = _greedy(unmerged)
    assert _greedy(from_merged) == expected
    assert _greedy(Engine.load(adapter_dir)) == expected  # adapter merged in memory at load time
    base = Engine.load(json.loads((adapter_dir / "griller_export.json").read_text())["base_model"])
    assert _greedy(base) != expected, "the fine-tuned model should differ from its base"


def test_interrupted_export_leaves_nothing_visible(
    tiny_run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export(tiny_run, "model", "adapter", tmp_path)
    before = sorted(p.name for p in (tmp_path / "model").iterdir())

    def crash(*args: object, **kwargs: object) -> str:
        raise KeyboardInterrupt  # the user pressed Ctrl-C while the card was being written

    monkeypatch.setattr(export_module, "model_card", crash)
    with pytest.raises(KeyboardInterrupt):
        export(tiny_run, "model", "adapter", tmp_path)
    with pytest.raises(KeyboardInterrupt):
        export(tiny_run, "fresh", "adapter", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]  # no partial folder, no half-written "fresh"
    assert sorted(p.name for p in (tmp_path / "model").iterdir()) == before


def test_export_errors_are_clear(tmp_path: Path, tiny_run: Path) -> None:
    with pytest.raises(ExportError, match="no LoRA adapter"):
        export(tmp_path, "x", "adapter", tmp_path / "out")
    with pytest.raises(ExportError, match="unknown export format"):
        export(tiny_run, "x", "onnx", tmp_path / "out")
    result = runner.invoke(app, ["export", "--run", str(tmp_path), "--name", "x", "--output", str(tmp_path / "o")])
    assert result.exit_code == 1 and "no LoRA adapter" in result.output


def test_half_precision_adapter_export_is_smaller_and_loads(tiny_run: Path, tmp_path: Path) -> None:
    from safetensors.torch import load_file

    full = Path(export(tiny_run, "full", "adapter", tmp_path).path) / "adapter_model.safetensors"
    half = Path(export(tiny_run, "half", "adapter", tmp_path, dtype="float16").path) / "adapter_model.safetensors"
    assert {t.dtype for t in load_file(half).values()} == {torch.float16}
    assert half.stat().st_size < 0.6 * full.stat().st_size
    engine = Engine.load(half.parent)
    assert engine.generate("interview_question", "Ask one question.", 4).completion_tokens > 0


def test_card_carries_hub_front_matter_and_a_new_export_keeps_the_changelog(tiny_run: Path, tmp_path: Path) -> None:
    first = Path(export(tiny_run, "model", "adapter", tmp_path).path)
    (first / "CHANGELOG.md").write_text("## v1\nthe first release\n")
    second = Path(export(tiny_run, "model", "adapter", tmp_path).path)
    assert (second / "CHANGELOG.md").read_text() == "## v1\nthe first release\n"
    card = (second / "README.md").read_text()
    front = yaml.safe_load(card.split("---\n")[1])
    assert front["library_name"] == "peft" and front["license"] == "mit" and front["metrics"] == ["f1"]
    assert front["base_model"] and front["datasets"] and "lora" in front["tags"]
    assert "release history: `CHANGELOG.md`" in card and "## How to use" in card


def test_shipped_card_is_a_short_hub_card_with_its_history_beside_it() -> None:
    shipped = Path(export_module.EXPORTED_DIR) / "resume-griller-lora"
    card = (shipped / "README.md").read_text(encoding="utf-8")
    front = yaml.safe_load(card.split("---\n")[1])
    assert front["base_model"] == "HuggingFaceTB/SmolLM2-135M-Instruct" and front["library_name"] == "peft"
    assert len(card.encode("utf-8")) < 9000, "the card stays short: history goes to CHANGELOG.md"
    for section in ("## Intended use and limits", "## How to use", "## Evaluation", "## Training", "## Known failure"):
        assert section in card
    assert (shipped / "CHANGELOG.md").is_file()
