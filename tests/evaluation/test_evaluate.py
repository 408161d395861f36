from __future__ import annotations

import inspect
import json
import os
import types
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ml import cli
from ml.cli import app
from ml.evaluation import evaluate as evaluate_module
from ml.evaluation.evaluate import EvaluationError, Generator, as_generator, evaluate, weights_fingerprint
from ml.inference.engine import Generation
from tests.evaluation.cases import rows, write_jsonl


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "test.jsonl", rows())


def oracle_for(path: Path):
    """A fake model that answers every prompt with the reference output."""
    references = {}
    for line in path.read_text().splitlines():
        example = json.loads(line)
        references[example["input"]] = example["output"]

    def oracle(task: str, user_input: str) -> str:
        return references[user_input]

    return oracle


def perturbed(task: str, user_input: str) -> str:
    """A worse fake: broken JSON for parsing, generic questions."""
    if task == "parse_resume":
        return '{"name": "Jane Doe", "experience": [{"company": "Initech"'
    return "What is your greatest strength?\nAnd your weakness?"


def read_predictions(out: Path, role: str = "model") -> list[dict]:
    return [json.loads(line) for line in (out / f"predictions.{role}.jsonl").read_text().splitlines()]


def test_the_reference_outputs_score_perfectly(data: Path, tmp_path: Path):
    report = evaluate(oracle_for(data), data, output_dir=tmp_path / "out", embedder="lexical")
    model = report["models"]["model"]
    parse = model["by_task"]["parse_resume"]
    assert parse["json_valid"] == 1.0 and parse["micro_f1"] == 1.0 and parse["hallucination_rate"] == 0.0
    questions = model["by_task"]["interview_question"]
    assert questions["specificity"] == 1.0 and questions["form"] == 1.0 and questions["tone_accuracy"] == 1.0
    assert questions["relevance"] == questions["reference_relevance"] > 0
    assert model["by_task"]["follow_up"]["follow_up_quality"] == 1.0
    assert set(model["by_layout"]) == {"classic", "two-column"}
    assert set(model["by_tone"]) == {"hr", "technical"}
    assert model["by_occupation"]["software engineer"]["n"] == 4
    assert model["fields"]["name"]["accuracy"] == 1.0
    assert set(model["latency"]) == {"parse_resume", "interview_question", "follow_up"}
    assert report["tone_classifier"]["held_out_accuracy"] >= 0.85
    assert report["relevance_backend"] == "lexical"
    saved = json.loads((tmp_path / "out" / "report.json").read_text())
    assert saved["models"]["model"]["overall"] == model["overall"]
    markdown = (tmp_path / "out" / "report.md").read_text()
    assert "| parse_resume | micro_f1 | 1.000 |" in markdown and "## By layout" in markdown


def test_compare_puts_both_models_side_by_side_with_deltas(data: Path, tmp_path: Path):
    report = evaluate(oracle_for(data), data, output_dir=tmp_path / "out", compare=perturbed, embedder="lexical")
    base = report["models"]["base"]
    assert base["name"] == "perturbed"
    assert base["by_task"]["parse_resume"]["json_valid"] == 0.0
    assert base["by_task"]["interview_question"]["form"] == 1.0  # one_question() kept the first question
    assert base["by_task"]["interview_question"]["specificity"] == 0.0
    assert report["delta"]["by_task"]["parse_resume"]["micro_f1"] == 1.0
    assert report["delta"]["by_task"]["interview_question"]["specificity"] == 1.0
    assert read_predictions(tmp_path / "out", "base")[1]["raw"].startswith("What is your greatest strength?\n")
    assert "Δ (model − base)" in (tmp_path / "out" / "report.md").read_text()


def test_results_stream_to_disk_and_a_rerun_resumes(data: Path, tmp_path: Path):
    out = tmp_path / "out"
    oracle = oracle_for(data)
    calls: list[str] = []

    def crashing(task: str, user_input: str) -> str:
        if len(calls) == 2:
            raise KeyboardInterrupt  # the run dies after two examples
        calls.append(task)
        return oracle(task, user_input)

    crashing.__name__ = "oracle"
    with pytest.raises(KeyboardInterrupt):
        evaluate(crashing, data, output_dir=out, embedder="lexical")
    assert [r["index"] for r in read_predictions(out)] == [0, 1]  # both on disk before the crash

    # a torn last line (killed mid-write) is dropped and redone
    with (out / "predictions.model.jsonl").open("a") as handle:
        handle.write('{"index": 2, "exam')
    calls.clear()

    def counting(task: str, user_input: str) -> str:
        calls.append(task)
        return oracle(task, user_input)

    counting.__name__ = "oracle"
    report = evaluate(counting, data, output_dir=out, embedder="lexical")
    assert calls == ["interview_question", "follow_up"]  # only the two missing examples
    assert [r["index"] for r in read_predictions(out)] == [0, 1, 2, 3]
    assert report["runs"]["model"] == {"generated": 2, "skipped": 2}
    assert report["models"]["model"]["n"] == 4

    # a third run generates nothing; a limit aggregates only the first examples
    calls.clear()
    report = evaluate(counting, data, limit=2, output_dir=out, embedder="lexical")
    assert calls == [] and report["models"]["model"]["n"] == 2


def test_resuming_with_another_model_or_other_data_is_refused(data: Path, tmp_path: Path):
    out = tmp_path / "out"
    evaluate(oracle_for(data), data, limit=2, output_dir=out, embedder="lexical")
    with pytest.raises(EvaluationError, match="holds predictions of 'oracle'"):
        evaluate(perturbed, data, output_dir=out, embedder="lexical")
    other = write_jsonl(tmp_path / "other.jsonl", list(reversed(rows())))

    def oracle(task: str, user_input: str) -> str:
        return ""

    with pytest.raises(EvaluationError, match="differs from the one scored before"):
        evaluate(oracle, other, output_dir=out, embedder="lexical")


def test_resuming_after_the_weights_changed_is_refused(data: Path, tmp_path: Path):
    weights = tmp_path / "adapter"
    weights.mkdir()
    (weights / "adapter_model.safetensors").write_bytes(b"first training run")
    oracle = as_generator(oracle_for(data)).factory

    def generator() -> Generator:  # what `griller eval --model <weights>` builds, with an oracle for a model
        return Generator(str(weights), oracle, weights_fingerprint(weights))

    first = weights_fingerprint(weights)
    evaluate(generator(), data, limit=2, output_dir=tmp_path / "out", embedder="lexical")

    (weights / "README.md").write_text("a new model card")  # not weights: the predictions still hold
    assert weights_fingerprint(weights) == first
    (weights / "adapter_model.safetensors").write_bytes(b"retrained, exported again")
    assert weights_fingerprint(weights) not in (first, None)
    with pytest.raises(EvaluationError, match="other weights"):
        evaluate(generator(), data, output_dir=tmp_path / "out", embedder="lexical")
    assert weights_fingerprint("smollm2-135m-instruct") is None  # an alias or hub id has no local files


def test_weights_swapped_between_the_start_and_the_model_load_are_refused(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A run queued behind an export read the old adapter's fingerprint, then loaded the new one."""
    weights = tmp_path / "adapter"
    weights.mkdir()
    (weights / "adapter_model.safetensors").write_bytes(b"v9")
    loaded: list[str] = []

    def load_engine(spec, parallel):
        loaded.append(spec)
        backend = evaluate_module.resolve_backend(spec)  # the one it was asked for: no fallback
        return types.SimpleNamespace(backend=backend, generate=lambda *args: Generation("{}", 1, 1, 0.1, True))

    monkeypatch.setattr(evaluate_module, "load_engine", load_engine)
    generator = as_generator(str(weights))
    (weights / "adapter_model.safetensors").write_bytes(b"v10, shipped meanwhile")
    with pytest.raises(EvaluationError, match="changed after this evaluation started"):
        evaluate(generator, data, limit=1, output_dir=tmp_path / "out", embedder="lexical")
    assert loaded == [str(weights)]
    unchanged = as_generator(str(weights))  # the same weights throughout: it runs
    evaluate(unchanged, data, limit=1, output_dir=tmp_path / "out2", embedder="lexical")


def test_a_missing_data_file_is_a_clear_error(tmp_path: Path):
    with pytest.raises(EvaluationError, match="no data file"):
        evaluate(perturbed, tmp_path / "nope.jsonl", output_dir=tmp_path / "out")


@pytest.fixture
def question_data(tmp_path: Path) -> Path:
    """The question examples only: the tiny random model cannot be asked for schema-constrained JSON cheaply."""
    return write_jsonl(tmp_path / "questions.jsonl", rows()[1:])


def test_the_real_engine_runs_through_the_same_path(question_data: Path, tmp_path: Path, tiny_model_dir: Path):
    report = evaluate(
        str(tiny_model_dir), question_data, limit=2, output_dir=tmp_path / "out", max_new_tokens=8, embedder="lexical"
    )
    predictions = read_predictions(tmp_path / "out")
    assert [p["task"] for p in predictions] == ["interview_question", "interview_question"]
    assert all(p["completion_tokens"] <= 8 and p["prompt_tokens"] > 0 for p in predictions)
    assert predictions[0]["model"] == f"{tiny_model_dir} [segmented parse]"  # the default parse method
    questions = report["models"]["model"]["by_task"]["interview_question"]
    assert 0.0 <= questions["form"] <= 1.0 and questions["reference_tone_accuracy"] == 1.0
    assert report["models"]["model"]["latency"]["interview_question"]["tokens_per_s"] > 0


def test_griller_eval_is_a_thin_call(question_data: Path, tmp_path: Path, tiny_model_dir: Path):
    result = CliRunner().invoke(
        app,
        ["eval", "--model", str(tiny_model_dir), "--data", str(question_data), "--limit", "1", "--output",
         str(tmp_path / "out"), "--max-new-tokens", "4", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["examples"] == 1 and (tmp_path / "out" / "report.md").is_file()
    missing = CliRunner().invoke(app, ["eval", "--model", str(tiny_model_dir), "--data", str(tmp_path / "no.jsonl")])
    assert missing.exit_code == 1 and "no data file" in missing.output


def test_a_model_is_named_by_its_backend_and_an_adapter_by_its_llama_cpp_weights(
    tiny_run: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The name keys --output's resume check: predictions of one backend, of one conversion, of one count of
    sequences decoded together, or of one parse method (one pass, the only one before parse by parts) never mix."""
    adapter = tiny_run / "adapter"
    monkeypatch.setenv("GRILLER_PARSE_METHOD", "single")
    monkeypatch.setenv("GRILLER_BACKEND", "transformers")
    assert as_generator(adapter).name == str(adapter)
    monkeypatch.setenv("GRILLER_BACKEND", "llama.cpp")
    assert as_generator(adapter).name == f"{adapter} (llama.cpp, q8_0, 4 sequences)"
    assert as_generator(tiny_run / "model.gguf").name == f"{tiny_run / 'model.gguf'} (llama.cpp, 4 sequences)"
    monkeypatch.setenv("GRILLER_PARSE_METHOD", "segmented")
    assert as_generator(adapter).name == f"{adapter} (llama.cpp, q8_0, 4 sequences) [segmented parse]"


def test_eval_decodes_as_many_answers_together_as_griller_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """On llama.cpp the count of sequences decoded together changes the numbers (a resume's parts go that many at a
    time): eval must score the decode `griller parse` gives by default, not a one-at-a-time one (load_engine's
    `parallel` becoming the engine's sequences: test_llama_cpp_engine). A fallback to the other backend is refused:
    its predictions would be named for llama.cpp."""
    monkeypatch.setenv("GRILLER_BACKEND", "llama.cpp")
    asked = []

    def load(spec, backend="llama.cpp", parallel=1):
        asked.append(parallel)
        return types.SimpleNamespace(backend=backend, generate=None)

    monkeypatch.setattr(evaluate_module, "load_engine", load)
    as_generator(None).factory()
    parse_batch = inspect.signature(cli.parse).parameters["batch_size"].default
    assert asked == [parse_batch] and parse_batch > 1
    monkeypatch.setattr(evaluate_module, "load_engine", lambda spec, parallel: load(spec, "transformers", parallel))
    with pytest.raises(EvaluationError, match="fell back to transformers"):
        as_generator(None).factory()


def test_griller_eval_real_builds_the_real_val_set_and_groups_by_rendering(
    tmp_path: Path, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
):
    out = tmp_path / "out"
    monkeypatch.delenv("GRILLER_BACKEND", raising=False)
    args = ["eval", "--real", "--model", str(tiny_model_dir), "--backend", "transformers", "--limit", "2"]
    result = CliRunner().invoke(app, [*args, "--max-new-tokens", "4", "--output", str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert "GRILLER_BACKEND" not in os.environ  # --backend held for the run only: it once turned later tests' auto
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["data"] == str(out / "real_val.jsonl") and report["examples"] == 2
    assert (out / "SOURCES.tsv").is_file() and (out / "NOTICE.tsv").is_file()
    model = report["models"]["model"]
    assert set(model["by_rendering"]) == {"text", "pdf"}  # one person as text, then as a theme PDF read back
    assert len(model["by_layout"]) == 2 and "pdf:even" in model["by_layout"]  # the first theme, in turn
    assert "name" in model["fields"] and "## By rendering" in (out / "report.md").read_text()
    both = CliRunner().invoke(app, [*args, "--data", str(out / "real_val.jsonl")])
    assert both.exit_code == 2
