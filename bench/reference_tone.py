"""How often the evaluation's tone classifier reads a *reference* question as the other tone.

The template questions of ``ml/preprocessing/questions.py`` are what the model learns a tone from; a
reference that the tone metric reads as the other tone teaches the model to miss the bar. This script
generates resumes, asks each three template questions (``make_questions``, as ``griller data build``
does, which draws how many from its task mix), classifies them with ``ml.evaluation.tone_classifier``
and prints the templates misread most, each with an example, then the off-tone share per tone and kind.

    python bench/reference_tone.py                      # 2 samples x 2,000 resumes (about 2 minutes)
    python bench/reference_tone.py --quick --json out.json

It also reads the questions written for the real training pool (``ml/data/jsonresume_questions``, their writers'
labels, in no classifier data), the references the shipped model learned its questions from: the JSON's
``written`` block.

A data-quality measure, not a speed one: the JSON carries ``off_tone`` (share over all questions) and
the per-kind counts, no ``speedup``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter
from pathlib import Path

from ml.evaluation.tone_classifier import tone_classifier
from ml.preprocessing import questions as Q
from ml.preprocessing.synthetic.generate import generate_resumes
from ml.preprocessing.written_questions import read_written

QUESTIONS_PER_RESUME = 3
SAMPLES = ((3, 8), (4, 9))  # (question rng seed, generator seed) per sample


def _template_patterns() -> list[tuple[str, str, str, re.Pattern[str]]]:
    """(tone, kind, template, regex) for every template body: which template phrased a question."""
    patterns = []
    for tone, bodies in (("hr", Q.HR_BODIES), ("technical", Q.TECH_BODIES)):
        for kind, templates in bodies.items():
            for template in templates:
                regex = re.sub(r"\\\{\w+\\\}", ".+?", re.escape(template.rstrip("?")))
                patterns.append((tone, kind, template, re.compile(regex, re.IGNORECASE)))
    return patterns


def measure(resumes: int, samples: tuple[tuple[int, int], ...]) -> dict:
    classifier, patterns = tone_classifier(), _template_patterns()
    asked: Counter[tuple[str, str]] = Counter()
    missed: Counter[tuple[str, str]] = Counter()
    by_template: Counter[tuple[str, str, str]] = Counter()
    missed_template: Counter[tuple[str, str, str]] = Counter()
    example: dict[tuple[str, str, str], str] = {}
    for rng_seed, generator_seed in samples:
        rng = random.Random(rng_seed)
        for item in generate_resumes(resumes, seed=generator_seed):
            english = item.meta["language"] == "en"
            for q in Q.make_questions(item.truth, rng, QUESTIONS_PER_RESUME, english_highlights=english):
                kind = (q.tone, q.target.kind)
                template = next(
                    (t for tone, k, t, rx in patterns if (tone, k) == kind and rx.search(q.question)), "(unmatched)"
                )
                asked[kind] += 1
                by_template[(*kind, template)] += 1
                if classifier.predict(q.question) != q.tone:
                    missed[kind] += 1
                    missed_template[(*kind, template)] += 1
                    example.setdefault((*kind, template), q.question)
    total = sum(asked.values())
    return {
        "resumes_per_sample": resumes,
        "samples": [list(s) for s in samples],
        "questions": total,
        "off_tone": round(sum(missed.values()) / total, 4) if total else None,
        "by_kind": [
            {"tone": tone, "kind": kind, "asked": asked[(tone, kind)], "off_tone": missed[(tone, kind)]}
            for tone, kind in sorted(asked, key=lambda k: -missed[k] / asked[k])
        ],
        "worst_templates": [
            {
                "tone": tone,
                "kind": kind,
                "template": template,
                "asked": by_template[(tone, kind, template)],
                "off_tone": count,
                "example": example[(tone, kind, template)],
            }
            for (tone, kind, template), count in missed_template.most_common(10)
        ],
    }


def measure_written() -> dict:
    """Off-tone counts of the written questions by their writers' label."""
    classifier = tone_classifier()
    rows = [row for row in read_written() if row.kind in ("hr", "technical")]
    asked = Counter(row.kind for row in rows)
    missed = Counter(row.kind for row in rows if classifier.predict(row.question) != row.kind)
    return {
        "questions": len(rows),
        "accuracy": round(1 - sum(missed.values()) / len(rows), 4),
        "by_kind": [{"tone": tone, "asked": asked[tone], "off_tone": missed[tone]} for tone in sorted(asked)],
    }


def print_report(result: dict) -> None:
    for row in result["worst_templates"]:
        print(f"{row['off_tone']:4}/{row['asked']:<4} {row['tone']:9} {row['kind']:13} {row['template'][:70]}")
        print(f"{'':10} e.g. {row['example'][:140]}")
    print()
    print(f"{'tone':9} {'kind':14} {'asked':>6} {'off tone':>9} {'share':>6}")
    for row in result["by_kind"]:
        share = row["off_tone"] / row["asked"]
        print(f"{row['tone']:9} {row['kind']:14} {row['asked']:6} {row['off_tone']:9} {share:6.3f}")
    print(f"{'all':24} {result['questions']:6} {'':9} {result['off_tone']:6.3f}")
    written = result["written"]
    print(f"\nwritten questions (real training pool): {written['questions']}, read as their tone {written['accuracy']}")
    for row in written["by_kind"]:
        print(f"{row['tone']:9} {'':14} {row['asked']:6} {row['off_tone']:9} {row['off_tone'] / row['asked']:6.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one sample of 300 resumes")
    parser.add_argument("--resumes", type=int, default=None, help="resumes per sample (default 2,000; --quick 300)")
    parser.add_argument("--json", dest="json_path", default=None, help="write results as JSON here")
    args = parser.parse_args()
    resumes = args.resumes or (300 if args.quick else 2000)
    result = measure(resumes, SAMPLES[:1] if args.quick else SAMPLES) | {"written": measure_written()}
    print_report(result)
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
