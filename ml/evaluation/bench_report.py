"""Render the results of :func:`ml.evaluation.benchmark.run_benchmark` as Markdown or a rich summary."""

from __future__ import annotations

from typing import Any

from ml.evaluation.report import HEADLINE, fmt, fmt_delta

SIDE_LABEL = {"api": "API", "local": "local"}


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _usd(value: float | None) -> str:
    if value is None:
        return "–"
    return f"${value:.4f}" if value >= 0.01 else f"${value:.6f}"


def _num(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _dist(values: dict[str, Any]) -> str:
    return " / ".join(fmt(values.get(k)) for k in ("mean_s", "p50_s", "p95_s"))


def _tasks(results: dict[str, Any]) -> list[str]:
    return list(results["verdicts"])


def side_rows(api: dict[str, Any] | None, local: dict[str, Any] | None, task: str) -> list[list[str]]:
    """The side-by-side rows of one task: reliability, speed, cost, then the quality headline metrics."""

    def cell(stats: dict[str, Any] | None, render) -> str:
        return "–" if stats is None else render(stats)

    rows = [
        ("answered ok / errors / timeouts", lambda s: f"{s['ok']} / {s['errors']} / {s['timeouts']}"),
        ("retries", lambda s: str(s["retries"])),
        ("latency mean / p50 / p95 (s)", lambda s: _dist(s["latency"])),
        ("time to first token mean / p50 / p95 (s)", lambda s: _dist(s["ttft"])),
        ("output tokens/s", lambda s: _num(s["tokens_per_s"])),
        (
            "prompt / completion tokens (mean)",
            lambda s: (
                f"{_num(s['prompt_tokens_mean'])} / {_num(s['completion_tokens_mean'])}"
                + (" (estimated)" if s.get("usage_estimated") else "")
            ),
        ),
        ("stopped on its own (not the token cap)", lambda s: fmt(s["finished_rate"])),
        ("cost per 1,000 requests (USD)", lambda s: _usd(s["cost_per_1k_usd"])),
    ]
    out = [[name, cell(api, render), cell(local, render)] for name, render in rows]
    quality_names = [
        name
        for name in HEADLINE.get(task, ())
        if not name.startswith("reference_") and any(s and s["quality"].get(name) is not None for s in (api, local))
    ]
    for name in quality_names:
        out.append(
            [
                f"quality: {name}",
                cell(api, lambda s, n=name: fmt(s["quality"].get(n))),
                cell(local, lambda s, n=name: fmt(s["quality"].get(n))),
            ]
        )
    return out


def render_markdown(results: dict[str, Any]) -> str:
    run = results["run"]
    sides = results["sides"]
    api_name, local_name = sides["api"]["name"], sides["local"]["name"]
    price = run.get("api_price_usd_per_1m")
    lines = [
        "# Benchmark: local vs API",
        "",
        f"- **API**: `{api_name}` at `{run['api_base']}`; key from "
        f"{'`' + run['api_key_from'] + '`' if run.get('api_key_from') else 'no variable (none sent)'}",
        f"- **local**: `{local_name}`",
        f"- **cases**: {run['n']} from `{run['cases']}`; concurrency {run['concurrency']} (API), warmup "
        f"{run['warmup']} per side, timeout {run['timeout_s']:g}s, max new tokens "
        f"{run['max_new_tokens'] or 'per task (engine defaults)'}, retries up to {run['max_retries']}",
        "- **prices**: API "
        + (
            f"${price['in']:g} / ${price['out']:g} per 1M input / output tokens ({price['source']})"
            if price
            else "unknown"
        )
        + f"; local ${run['cpu_hour_usd']:g} per CPU-hour, ${run['gpu_hour_usd']:g} per GPU-hour",
        f"- **quality**: the metrics of `griller eval` (relevance: {run.get('relevance_backend') or 'not used'})",
        f"- **wall time**: {run.get('seconds', '–')}s",
        "",
        "## Verdict per task",
        "",
        results["rule"] + f" Tolerance: **{run['tolerance']:g}** (absolute, on a 0–1 metric).",
        "",
    ]
    rows = []
    for task, v in results["verdicts"].items():
        api = sides["api"]["by_task"].get(task)
        local = sides["local"]["by_task"].get(task)
        latency = f"{fmt(api and api['latency']['p50_s'])} / {fmt(local and local['latency']['p50_s'])}"
        cost = f"{_usd(api and api['cost_per_1k_usd'])} / {_usd(local and local['cost_per_1k_usd'])}"
        rows.append(
            [
                task,
                v.get("metric") or "–",
                fmt(v.get("api")),
                fmt(v.get("local")),
                fmt_delta(v.get("delta")),
                latency,
                cost,
                f"**{v['verdict']}**",
            ]
        )
    lines += _table(
        [
            "task",
            "metric",
            "API",
            "local",
            "Δ (local − API)",
            "p50 latency API / local (s)",
            "cost per 1k API / local",
            "verdict",
        ],
        rows,
    )
    for task, v in results["verdicts"].items():
        for reason in v["reasons"]:
            lines.append(f"- {task}: {reason}")
    if any(v["reasons"] for v in results["verdicts"].values()):
        lines.append("")
    lines += ["## Side by side", ""]
    for task in _tasks(results):
        api = sides["api"]["by_task"].get(task)
        local = sides["local"]["by_task"].get(task)
        n = max((s or {}).get("n", 0) for s in (api, local))
        lines += [f"### {task} ({n} cases)", ""]
        lines += _table(["", f"API `{api_name}`", f"local `{local_name}`"], side_rows(api, local, task))
    failures = results["failures"]
    lines += ["## Failures", ""]
    if not failures["count"]:
        lines += ["None: every case was answered on both sides.", ""]
    else:
        lines.append(f"{failures['count']} case(s) failed after retries (retried on `--resume`):")
        lines.append("")
        lines += [f"- {kind}: {count}" for kind, count in failures["by_kind"].items()]
        lines.append("")
        lines += _table(
            ["side", "case", "task", "status", "retries", "error"],
            [
                [
                    c["side"],
                    str(c["index"]),
                    c["task"],
                    c["status"],
                    str(c["retries"]),
                    (c["error"] or "").replace("|", "/")[:160],
                ]
                for c in failures["cases"][:20]
            ],
        )
    retries = results["retries"]
    lines += [f"Retries in all: API {retries['api']}, local {retries['local']}.", ""]
    if run.get("api_fallbacks"):
        lines += [
            "The API rejected some request options, so the run stepped down: " + "; ".join(run["api_fallbacks"]) + ".",
            "",
        ]
    plots = results.get("plots") or {}
    if plots:
        lines += ["## Plots", ""]
        lines += [f"![{name}]({file})" for name, file in plots.items()]
        lines.append("")
    lines += [
        "## How the numbers are measured",
        "",
        "- Both sides get the same chat messages (`ml/tasks.py`), the same token cap and the task's decoding:"
        " greedy parses (temperature 0 at the API), questions sampled (by default temperature 0.7, top-p 0.9)"
        " with a seed taken from the prompt. The local side runs first and alone, one request at a time; the API side"
        " then runs with the stated concurrency.",
        "- **Latency**: wall time from sending the request to the last token (API: over HTTP, streamed; local:"
        " prompt encoding + generation). **Time to first token**: to the first non-empty content delta (API) or"
        " the first generated token (local). **Output tokens/s**: completion tokens / latency, summed over the"
        " task's cases. Percentiles are nearest-rank.",
        "- **Quality** is computed only over the cases a side answered, with `ml.evaluation.evaluate.score_example`"
        " (question outputs cut to one question, a code fence around parse JSON dropped, as the backend does);"
        " failures are counted separately.",
        "- **Cost per 1,000 requests**: API = mean (prompt tokens × input price + completion tokens × output"
        " price) × 1,000, from the server's usage (or counted with the local tokenizer when marked estimated);"
        " local = mean process CPU seconds × $/CPU-hour (+ GPU seconds × $/GPU-hour on CUDA) × 1,000 — the"
        " machine's time only, no idle capacity or staff.",
        "",
    ]
    return "\n".join(lines)


def print_summary(results: dict[str, Any], console) -> None:
    from rich.table import Table

    run = results["run"]
    sides = results["sides"]
    table = Table(title=f"api-vs-local: {sides['api']['name']} vs {sides['local']['name']} ({run['n']} cases)")
    for column in (
        "task",
        "metric",
        "API",
        "local",
        "p50 s API",
        "p50 s local",
        "cost/1k API",
        "cost/1k local",
        "verdict",
    ):
        table.add_column(column, justify="left" if column in ("task", "metric", "verdict") else "right")
    for task, v in results["verdicts"].items():
        api = sides["api"]["by_task"].get(task) or {}
        local = sides["local"]["by_task"].get(task) or {}
        style = "green" if v["verdict"] == "local good enough" else "yellow"
        table.add_row(
            task,
            v.get("metric") or "–",
            fmt(v.get("api")),
            fmt(v.get("local")),
            fmt(api.get("latency", {}).get("p50_s")),
            fmt(local.get("latency", {}).get("p50_s")),
            _usd(api.get("cost_per_1k_usd")),
            _usd(local.get("cost_per_1k_usd")),
            f"[{style}]{v['verdict']}[/{style}]",
        )
    console.print(table)
    failures = results["failures"]
    if failures["count"]:
        console.print(f"[red]{failures['count']} case(s) failed[/red] (rerun with --resume to retry them):")
        for kind, count in failures["by_kind"].items():
            console.print(f"  {kind}: {count}")
    console.print(
        f"retries: API {results['retries']['api']} · report: {run['output_dir']}/report.md · "
        f"JSON: {run['output_dir']}/results.json"
    )
