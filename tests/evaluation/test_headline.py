"""The quickstart's verdict: a paired bootstrap that says "within noise" where a few examples cannot tell."""

from __future__ import annotations

from ml.evaluation.headline import HEADLINES, compare


def records(task: str, metrics: list[dict]) -> dict[int, dict]:
    return {index: {"task": task, "metrics": m} for index, m in enumerate(metrics)}


def by_name(rows) -> dict:
    return {row.name: row for row in rows}


def test_a_clear_gain_on_many_examples_is_above_the_base_and_one_example_more_is_noise() -> None:
    many_model = records("interview_question", [{"grounded": True, "tone_accuracy": True}] * 20)
    many_base = records("interview_question", [{"grounded": False, "tone_accuracy": i % 2 == 0} for i in range(20)])
    rows = by_name(compare(many_model, many_base))
    assert rows["questions grounded"].verdict == "better than base" and rows["questions grounded"].n == 20
    assert rows["questions grounded"].low > 0.9  # every resample differs by 1
    assert rows["tone accuracy"].verdict == "better than base"
    few_model = records("interview_question", [{"grounded": True}, {"grounded": False}, {"grounded": True}] * 2)
    few_base = records("interview_question", [{"grounded": False}, {"grounded": False}, {"grounded": True}] * 2)
    few = by_name(compare(few_model, few_base))["questions grounded"]
    assert (few.model, few.base) == (2 / 3, 1 / 3) and few.verdict == "within noise" and few.low <= 0 <= few.high
    assert by_name(compare(few_model, few_model))["questions grounded"].verdict == "level"
    assert by_name(compare(few_base, few_model))["follow-up quality"].verdict == "not measured"
    three = by_name(compare(dict(list(many_model.items())[:3]), dict(list(many_base.items())[:3])))
    assert three["questions grounded"].verdict.startswith("too few")  # 3 examples: no interval means anything
    technical = records("interview_question", [{"depth": True}] * 6 + [{"grounded": True}] * 6)
    assert by_name(compare(technical, technical))["technical depth"].n == 6  # only the examples that have it


def test_parse_headlines_pool_counts_and_lower_hallucination_is_better() -> None:
    model = records("parse_resume", [{"micro": [8, 2, 0], "predicted_values": 10, "hallucinated": []}] * 12)
    base = records("parse_resume", [{"micro": [1, 4, 7], "predicted_values": 5, "hallucinated": ["a", "b"]}] * 12)
    rows = by_name(compare(model, base))
    assert abs(rows["parse micro-F1"].model - 16 / 18) < 1e-9  # tp 8, fp 2, fn 0: 2 * 8 / (16 + 2)
    assert rows["parse micro-F1"].verdict == "better than base"
    assert rows["hallucination rate"].model == 0 and rows["hallucination rate"].base == 0.4
    assert rows["hallucination rate"].verdict == "better than base"  # lower is better
    assert by_name(compare(base, model))["hallucination rate"].verdict == "worse than base"
    assert [row.name for row in compare(model, base)] == [h.name for h in HEADLINES]


def test_a_noisy_parse_gain_is_within_noise_and_a_resumes_questions_resample_together() -> None:
    # fine-tuned better on half the parses, worse on the other half: the pooled micro-F1 differs, the interval holds 0
    model = records("parse_resume", [{"micro": [6, 1, 1] if i % 2 else [2, 4, 4]} for i in range(10)])
    base = records("parse_resume", [{"micro": [3, 2, 2] if i % 2 else [4, 2, 2]} for i in range(10)])
    row = by_name(compare(model, base))["parse micro-F1"]
    assert row.model != row.base and row.verdict == "within noise" and row.low < 0 < row.high
    # 10 questions that are 2 resumes' 5 each: 2 clusters, so the verdict cannot be sure of a gain from them
    ours = records("interview_question", [{"grounded": i < 5} for i in range(10)])
    theirs = records("interview_question", [{"grounded": False} for _ in range(10)])
    assert by_name(compare(ours, theirs))["questions grounded"].verdict == "better than base"  # 10 independent
    for index in ours:
        ours[index]["resume_id"] = theirs[index]["resume_id"] = f"r{index // 5}"
    assert by_name(compare(ours, theirs))["questions grounded"].verdict == "within noise"


def test_the_verdict_table_prints_every_row() -> None:
    from dataclasses import asdict

    from rich.console import Console

    from ml.evaluation.report import print_verdict

    console = Console(record=True, width=160)
    rows = compare(records("follow_up", [{"follow_up_quality": True}] * 8), records("follow_up", [{}] * 8))
    print_verdict([asdict(row) for row in rows], console)
    text = console.export_text()
    assert all(headline.name in text for headline in HEADLINES) and "95% interval" in text
    assert "not measured" in text  # the base had no quality: no pairs
