"""Render an evaluation report (the dict from :func:`ml.evaluation.evaluate.evaluate`) as Markdown or a rich table."""

from __future__ import annotations

from typing import Any

HEADLINE: dict[str, tuple[str, ...]] = {
    "parse_resume": (
        "json_valid",
        "schema_valid",
        "micro_f1",
        "micro_precision",
        "micro_recall",
        "hallucination_rate",
        "skills_f1",
        "experience_match_f1",
        "education_match_f1",
    ),
    "interview_question": (
        "relevance",
        "reference_relevance",
        "specificity",
        "reference_specificity",
        "grounded",
        "tone_accuracy",
        "reference_tone_accuracy",
        "form",
        "distinct_1",
        "distinct_2",
        "near_duplicate_rate",
        "reference_near_duplicate_rate",
        "template_share",
        "reference_template_share",
        "coherence",
        "depth",
        "filler_opener",
    ),
    "follow_up": (
        "follow_up_quality",
        "refers_to_answer",
        "asks_specifics",
        "not_repeat",
        "reference_follow_up_quality",
        "relevance",
        "specificity",
        "form",
        "distinct_2",
        "near_duplicate_rate",
        "quote_fidelity",
        "template_share",
        "reference_template_share",
        "coherence",
        "filler_opener",
    ),
}
GROUP_HEADLINE = (
    "micro_f1",
    "json_valid",
    "hallucination_rate",
    "relevance",
    "specificity",
    "tone_accuracy",
    "follow_up_quality",
)
LOWER_IS_BETTER = frozenset(
    {
        "hallucination_rate",
        "near_duplicate_rate",
        "reference_near_duplicate_rate",
        "template_share",
        "reference_template_share",
        "filler_opener",
    }
)


def fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def fmt_delta(value: Any) -> str:
    return "–" if value is None else f"{value:+.3f}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _roles(report: dict[str, Any]) -> list[str]:
    return list(report["models"])


def headline_rows(report: dict[str, Any]) -> list[tuple[str, str, list[Any], Any]]:
    """(task, metric, [value per model role], delta) for every headline metric present."""
    rows = []
    roles = _roles(report)
    delta = report.get("delta", {}).get("by_task", {})
    tasks = [t for t in HEADLINE if any(t in report["models"][r]["by_task"] for r in roles)]
    for task in tasks:
        for metric in HEADLINE[task]:
            values = [report["models"][r]["by_task"].get(task, {}).get(metric) for r in roles]
            if all(v is None for v in values):
                continue
            rows.append((task, metric, values, delta.get(task, {}).get(metric)))
    return rows


def render_markdown(report: dict[str, Any]) -> str:
    roles = _roles(report)
    models = report["models"]
    compare = "base" in models
    names = [f"{role}: `{models[role]['name']}`" for role in roles]
    lines = [
        "# Evaluation report",
        "",
        f"- data: `{report['data']}` ({report['examples']} examples"
        + (f", limit {report['limit']})" if report["limit"] else ")"),
        *[f"- {name}" for name in names],
        f"- relevance backend: {report['relevance_backend'] or 'not used'} (cosine; the lexical fallback's scale "
        "differs from the embedding's: compare runs of the same backend only)",
        f"- tone classifier: {report['tone_classifier']['kind']}, held-out accuracy "
        f"{report['tone_classifier']['held_out_accuracy']:.3f} on {report['tone_classifier']['held_out_size']} "
        f"labelled questions (5-fold CV {report['tone_classifier']['cross_validated_accuracy_5fold']:.3f})",
        "",
        "## Summary by task",
        "",
    ]
    header = ["task", "metric", *roles] + (["Δ (model − base)"] if compare else [])
    rows = [
        [task, metric, *[fmt(v) for v in values]] + ([fmt_delta(delta)] if compare else [])
        for task, metric, values, delta in headline_rows(report)
    ]
    lines += _table(header, rows)

    if any(models[r]["fields"] for r in roles):
        lines += ["## Parsing fields", "", "F1 over all examples (micro); accuracy for scalar fields.", ""]
        header = ["field", *[f"{r} F1" for r in roles], *[f"{r} acc" for r in roles], "support"]
        header += ["Δ F1"] if compare else []
        all_fields = list(dict.fromkeys(f for r in roles for f in models[r]["fields"]))
        rows = []
        for name in all_fields:
            cells = [models[r]["fields"].get(name, {}) for r in roles]
            row = [name, *[fmt(c.get("f1")) for c in cells], *[fmt(c.get("accuracy")) for c in cells]]
            row.append(str(max(c.get("support", 0) for c in cells)))
            if compare:
                row.append(fmt_delta(report.get("delta", {}).get("fields", {}).get(name, {}).get("f1")))
            rows.append(row)
        lines += _table(header, rows)

    for dimension in ("tone", "occupation", "rendering", "layout", "answer_kind"):
        key = f"by_{dimension}"
        values = list(dict.fromkeys(v for r in roles for v in models[r][key]))
        if not values:
            continue
        metrics = [mt for mt in GROUP_HEADLINE if any(mt in models[r][key].get(v, {}) for r in roles for v in values)]
        lines += [f"## By {dimension}", ""]
        header = [dimension, "n", *[f"{mt} ({r})" for mt in metrics for r in roles]]
        rows = [
            [v, fmt(models[roles[0]][key].get(v, {}).get("n"))]
            + [fmt(models[r][key].get(v, {}).get(mt)) for mt in metrics for r in roles]
            for v in values
        ]
        lines += _table(header, rows)

    templates = [
        (r, task, group)
        for r in roles
        for task, values in models[r]["by_task"].items()
        for group in values.get("top_templates") or []
    ]
    if templates:
        lines += [
            "## Templates",
            "",
            "The most used question skeletons shared across resumes (slot values as `{x}`, numbers and dates as "
            "`{n}`).",
            "",
        ]
        header = ["model", "task", "questions", "resumes", "skeleton"]
        rows = [[r, task, str(g["questions"]), str(g["resumes"]), f"`{g['skeleton']}`"] for r, task, g in templates]
        lines += _table(header, rows)

    lines += ["## Latency", ""]
    header = ["task", "model", "n", "mean s", "p50 s", "p90 s", "tokens/s", "tokens", "stopped on EOS"]
    rows = [
        [
            task,
            r,
            fmt(lat["n"]),
            fmt(lat["mean_s"]),
            fmt(lat["p50_s"]),
            fmt(lat["p90_s"]),
            fmt(lat["tokens_per_s"]),
            fmt(lat["completion_tokens_mean"]),
            fmt(lat["finished_rate"]),
        ]
        for r in roles
        for task, lat in models[r]["latency"].items()
    ]
    lines += _table(header, rows)

    lines += ["## Samples", ""]
    for r in roles:
        for task, samples in models[r]["samples"].items():
            for sample in samples:
                scores = ", ".join(f"{k}={fmt(v)}" for k, v in sample["metrics"].items() if not isinstance(v, list))
                lines.append(f"- **{r} / {task} #{sample['index']}**: `{sample['output'][:300]}`")
                if sample.get("reference"):
                    lines.append(f"  - reference: `{sample['reference'][:300]}`")
                lines.append(f"  - {scores}")
                if sample["metrics"].get("hallucinated"):
                    lines.append(f"  - not in the source: {sample['metrics']['hallucinated']}")
                if sample["metrics"].get("incoherent") or sample["metrics"].get("unfaithful_quotes"):
                    problems = sample["metrics"].get("incoherent", []) + [
                        f"quote not in the answer: {q!r}" for q in sample["metrics"].get("unfaithful_quotes", [])
                    ]
                    lines.append(f"  - incoherent: {problems}")
    lines.append("")
    return "\n".join(lines)


def print_report(report: dict[str, Any], console) -> None:
    """The headline metrics (one table per task), latency and the classifier's own accuracy on a rich console."""
    from rich.markup import escape
    from rich.table import Table

    roles = _roles(report)
    compare = "base" in report["models"]
    console.print(f"[bold]griller eval[/bold]: {escape(str(report['data']))} ({report['examples']} examples)")
    for role in roles:
        console.print(f"  {role}: {escape(report['models'][role]['name'])}")
    by_task: dict[str, list[tuple[str, list[Any], Any]]] = {}
    for task, metric, values, delta in headline_rows(report):
        by_task.setdefault(task, []).append((metric, values, delta))
    for task, rows in by_task.items():
        table = Table(title=task, title_justify="left")
        table.add_column("metric", no_wrap=True)
        for role in roles:
            table.add_column(role, justify="right", no_wrap=True)
        if compare:
            table.add_column("Δ", justify="right", no_wrap=True)
        for metric, values, delta in rows:
            row = [metric, *[fmt(v) for v in values]]
            if compare:
                good = delta is not None and (delta < 0 if metric in LOWER_IS_BETTER else delta > 0)
                bad = delta is not None and delta != 0 and not good
                text = fmt_delta(delta)
                row.append(f"[green]{text}[/green]" if good else f"[red]{text}[/red]" if bad else text)
            table.add_row(*row)
        console.print(table)
    latency = Table(title="latency")
    for column in ("model", "task", "n", "mean s", "p90 s", "tokens/s"):
        latency.add_column(column, justify="right" if column not in ("model", "task") else "left")
    for role in roles:
        for task, lat in report["models"][role]["latency"].items():
            latency.add_row(role, task, fmt(lat["n"]), fmt(lat["mean_s"]), fmt(lat["p90_s"]), fmt(lat["tokens_per_s"]))
    console.print(latency)
    tone = report["tone_classifier"]
    console.print(
        f"relevance: {report['relevance_backend'] or 'not used'} · tone classifier held-out accuracy "
        f"{tone['held_out_accuracy']:.3f} (n={tone['held_out_size']}) · report: {report['output_dir']}/report.md"
    )


def print_verdict(rows: list[dict[str, Any]], console) -> None:
    """Fine-tuned vs base on :mod:`ml.evaluation.headline`'s numbers, each difference with its paired-bootstrap
    interval and verdict (``within noise`` where the interval holds 0)."""
    from rich.table import Table

    interval = f", {rows[0]['interval']:.0%} interval" if rows else ""
    table = Table(title=f"fine-tuned vs base (paired bootstrap{interval})", title_justify="left")
    for column in ("metric", "n", "tuned", "base", "difference [interval]", "verdict"):
        table.add_column(column, justify="left" if column in ("metric", "verdict") else "right")
    for row in rows:
        model, base, low, high = row["model"], row["base"], row["low"], row["high"]
        difference = fmt(None) if low is None else f"{fmt_delta(model - base)} [{fmt_delta(low)}, {fmt_delta(high)}]"
        table.add_row(row["name"], str(row["n"]), fmt(model), fmt(base), difference, row["verdict"])
    console.print(table)
