"""The few numbers that say whether a fine-tune beat its base, and whether the evaluation was large enough to tell.

``griller quickstart`` prints them after the full report. Each is computed from the per-example records of the
two prediction files of one ``griller eval --compare`` run, and compared by a paired bootstrap: the same resampled
resumes for both models (a resume's questions are not independent of each other), so what differs is the model,
not the sample. A difference whose 95% interval holds 0 reads "within noise": on a handful of examples a question
or two decides the sign. Under :data:`MIN_EXAMPLES` a bootstrap has too few distinct resamples to mean anything,
and the verdict says so. Seven verdicts are seven tests: with two equal models, one of them reads "better" or
"worse" by chance about a third of the time; read a single verdict next to the others, not alone.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ml import tasks
from ml.evaluation.evaluate import iter_records
from ml.evaluation.metrics import Counts

Records = Sequence[dict[str, Any]]
RESAMPLES = 2000
INTERVAL = 0.95
MIN_EXAMPLES = 5


def _mean(key: str) -> Callable[[Records], float | None]:
    def statistic(records: Records) -> float | None:
        values = [float(r[key]) for r in records if r.get(key) is not None]
        return sum(values) / len(values) if values else None

    return statistic


def _micro_f1(records: Records) -> float | None:
    total = Counts()
    for record in records:
        if "micro" in record:
            total.add(Counts(*record["micro"]))
    return total.f1 if total.counted else None


def _hallucination_rate(records: Records) -> float | None:
    predicted = sum(r.get("predicted_values", 0) for r in records)
    return sum(len(r.get("hallucinated", [])) for r in records) / predicted if predicted else None


@dataclass(frozen=True)
class Headline:
    name: str
    task: str
    statistic: Callable[[Records], float | None]
    higher_is_better: bool = True
    key: str | None = None
    """The per-example metric a mean is taken of: only examples that have it count (depth: technical questions)."""


HEADLINES = (
    Headline("parse micro-F1", tasks.TaskName.PARSE_RESUME, _micro_f1),
    Headline("hallucination rate", tasks.TaskName.PARSE_RESUME, _hallucination_rate, higher_is_better=False),
    Headline("JSON valid", tasks.TaskName.PARSE_RESUME, _mean("json_valid"), key="json_valid"),
    # grounded = names the resume's own entities *and* is one question: specificity alone credits a base model that
    # answers as the candidate ("As a Product Analyst at Klarna, I worked on ...")
    Headline("questions grounded", tasks.TaskName.INTERVIEW_QUESTION, _mean("grounded"), key="grounded"),
    Headline("tone accuracy", tasks.TaskName.INTERVIEW_QUESTION, _mean("tone_accuracy"), key="tone_accuracy"),
    Headline("technical depth", tasks.TaskName.INTERVIEW_QUESTION, _mean("depth"), key="depth"),
    Headline("follow-up quality", tasks.TaskName.FOLLOW_UP, _mean("follow_up_quality"), key="follow_up_quality"),
)


@dataclass
class HeadlineRow:
    name: str
    n: int
    model: float | None
    base: float | None
    low: float | None
    high: float | None
    verdict: str
    interval: float = INTERVAL


def _verdict(headline: Headline, n: int, difference: float | None, low: float | None, high: float | None) -> str:
    if difference is None or low is None or high is None:
        return "not measured"
    if n < MIN_EXAMPLES:
        return f"too few to tell (n < {MIN_EXAMPLES})"
    if difference == 0:
        return "level"
    if low <= 0 <= high:
        return "within noise"
    if (difference > 0) != (low > 0):  # a ratio's interval on the other side of 0 than its point: no verdict
        return "within noise"
    return "better than base" if (difference > 0) == headline.higher_is_better else "worse than base"


def compare(
    model: dict[int, dict[str, Any]],
    base: dict[int, dict[str, Any]],
    headlines: Sequence[Headline] = HEADLINES,
    resamples: int = RESAMPLES,
    seed: int = 0,
) -> list[HeadlineRow]:
    """Every headline of the examples both models answered (records keyed by example index: ``task``,
    ``metrics`` and ``resume_id``), with the paired bootstrap's interval for model minus base."""
    rows = []
    for headline in headlines:
        indices = sorted(i for i in model.keys() & base.keys() if _counts(headline, model[i], base[i]))
        ours = [model[i]["metrics"] for i in indices]
        theirs = [base[i]["metrics"] for i in indices]
        point_model, point_base = headline.statistic(ours), headline.statistic(theirs)
        clusters: dict[str, list[int]] = {}
        for position, i in enumerate(indices):
            clusters.setdefault(str(model[i].get("resume_id") or i), []).append(position)
        groups = list(clusters.values())
        rng = random.Random(seed)
        differences = []
        for _ in range(resamples if point_model is not None and point_base is not None else 0):
            sample = [k for _ in groups for k in groups[rng.randrange(len(groups))]]
            a, b = headline.statistic([ours[k] for k in sample]), headline.statistic([theirs[k] for k in sample])
            if a is not None and b is not None:
                differences.append(a - b)
        low, high = _interval(differences)
        difference = None if point_model is None or point_base is None else point_model - point_base
        verdict = _verdict(headline, len(indices), difference, low, high)
        rows.append(HeadlineRow(headline.name, len(indices), point_model, point_base, low, high, verdict))
    return rows


def _counts(headline: Headline, ours: dict[str, Any], theirs: dict[str, Any]) -> bool:
    """Whether an example both models answered belongs to the headline: its task, and the metric on both sides."""
    if ours["task"] != headline.task:
        return False
    return headline.key is None or None not in (ours["metrics"].get(headline.key), theirs["metrics"].get(headline.key))


def _interval(differences: list[float]) -> tuple[float | None, float | None]:
    """The central :data:`INTERVAL` of the bootstrap differences (symmetric order statistics)."""
    if not differences:
        return None, None
    ordered = sorted(differences)
    tail = round((1 - INTERVAL) / 2 * (len(ordered) - 1))
    return ordered[tail], ordered[len(ordered) - 1 - tail]


def compare_files(model_predictions: Path, base_predictions: Path) -> list[HeadlineRow]:
    """:func:`compare` on the two prediction files of an evaluation output folder."""
    model = {record["index"]: record for record in iter_records(model_predictions)}
    base = {record["index"]: record for record in iter_records(base_predictions)}
    return compare(model, base)
