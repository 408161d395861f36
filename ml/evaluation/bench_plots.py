"""PNG plots of a benchmark run (matplotlib, Agg backend): latency distributions and quality per task."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

COLORS = {"api": "#4C72B0", "local": "#DD8452"}


def write_plots(records: list[dict[str, Any]], results: dict[str, Any], output: Path) -> dict[str, str]:
    """Write ``latency.png`` and ``quality.png`` into ``output``; return {title: file name} ({} without matplotlib)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log.warning("matplotlib is not installed: no plots (pip install 'resume-griller[ml]')")
        return {}
    task_names = list(results["verdicts"])
    if not task_names:
        return {}
    files = {
        "Latency and time to first token per task": _latency(plt, records, task_names, results, output / "latency.png"),
        "Quality per task": _quality(plt, task_names, results, output / "quality.png"),
    }
    return {title: path.name for title, path in files.items()}


def _labels(results: dict[str, Any]) -> dict[str, str]:
    return {
        side: f"{'API' if side == 'api' else 'local'}: {Path(str(s['name'])).name}"
        for side, s in results["sides"].items()
    }


def _latency(plt, records, task_names, results, path: Path) -> Path:
    labels = _labels(results)
    fig, axes = plt.subplots(1, 2, figsize=(max(8, 4 * len(task_names)), 4.5), squeeze=False)
    for ax, key, title in ((axes[0][0], "seconds", "latency (s)"), (axes[0][1], "ttft_s", "time to first token (s)")):
        for offset, side in ((-0.18, "api"), (0.18, "local")):
            data, positions = [], []
            for i, task in enumerate(task_names):
                values = [
                    r[key]
                    for r in records
                    if r["side"] == side and r["task"] == task and r["status"] == "ok" and r[key] is not None
                ]
                if values:
                    data.append(values)
                    positions.append(i + offset)
            if not data:
                continue
            parts = ax.boxplot(data, positions=positions, widths=0.3, patch_artist=True, showfliers=False)
            for box in parts["boxes"]:
                box.set_facecolor(COLORS[side])
                box.set_alpha(0.55)
            for values, x in zip(data, positions, strict=True):  # every case as a dot over the box
                ax.scatter([x] * len(values), values, s=10, color=COLORS[side], zorder=3)
            ax.plot([], [], color=COLORS[side], linewidth=8, alpha=0.55, label=labels[side])
        ax.set_xticks(range(len(task_names)), task_names)
        ax.set_ylabel(title)
        ax.set_title(title)
        ax.set_ylim(bottom=0)
        ax.grid(axis="y", alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle("Latency distributions per side and task")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _quality(plt, task_names, results, path: Path) -> Path:
    labels = _labels(results)
    fig, ax = plt.subplots(figsize=(max(6, 2.6 * len(task_names)), 4.5))
    width = 0.36
    for offset, side in ((-width / 2, "api"), (width / 2, "local")):
        values = []
        for task in task_names:
            metric = results["verdicts"][task].get("metric")
            stats = results["sides"][side]["by_task"].get(task)
            value = stats["quality"].get(metric) if stats and metric else None
            values.append(value)
        xs = [i + offset for i in range(len(task_names))]
        bars = ax.bar(xs, [v or 0 for v in values], width, color=COLORS[side], label=labels[side])
        for bar, value in zip(bars, values, strict=True):
            text = "n/a" if value is None else f"{value:.2f}"
            ax.annotate(
                text, (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom", fontsize=8
            )
    ticks = [f"{t}\n({results['verdicts'][t].get('metric') or 'n/a'})" for t in task_names]
    ax.set_xticks(range(len(task_names)), ticks)
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("primary quality metric (0–1)")
    ax.set_title("Quality per task (scored as griller eval)")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
