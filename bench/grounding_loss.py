"""What grounding takes from the truth: every rule of ``ml.inference.grounding`` applied to a true parse.

Grounding may only remove what a model invented, so the truth grounded in its own resume must lose nothing. This
checks it on the real training pool (never the validation people) in every text layout and on their theme PDFs
where a data build rendered them (``--pdfs``: read by the project's ingest, as a user's PDF is), and on generated
resumes. Each dropped true value is counted by field and by the reason grounding gives, per layout; a value a theme
does not print at all (its links, a project's keywords) is counted too, since no rule can keep it.

    python bench/grounding_loss.py --pdfs ml/data/v11/real/pdf --json runs/bench/grounding_loss.json
    python bench/grounding_loss.py --quick          # 100 generated resumes instead of 300, text layouts only

A data-quality measure: the JSON has the dropped values' counts and the true values' totals, no ``speedup``.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from ml.inference.grounding import ground
from ml.preprocessing.ingest import IngestError, read_document
from ml.preprocessing.jsonresume import LAYOUTS, pool_theme_pdfs, render, training_pool
from ml.preprocessing.synthetic.generate import generate_resumes
from ml.schema import ParsedResume

EXAMPLES = 3
"""Dropped values kept per (field, reason), to read."""


def reason_of(dropped: str) -> tuple[str, str]:
    """(field, reason) of one of grounding's "field: value (reason)" lines, without the value: a value dropped
    with no reason given is one the resume's text does not hold at all."""
    field, _, rest = dropped.partition(": ")
    match = re.search(r"\(([^()]*)\)$", rest)
    if match:
        return field, re.sub(r" of project .*$", " of its project", match[1])
    return field, "month not in the text" if rest.startswith("the month of") else "not in the text at all"


def true_values(truth: ParsedResume) -> int:
    """Every scalar and list item of a parse: what grounding could drop."""
    data = truth.model_dump()
    count = 0
    for value in data.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                count += sum(len(v) if isinstance(v, list) else v is not None for v in item.values())
            else:
                count += item is not None and item != ""
    return count


def measure(generated: int, pdf_dirs: list[Path]) -> dict:
    counts: dict[str, Counter] = defaultdict(Counter)
    totals: Counter = Counter()
    examples: dict[str, list[str]] = defaultdict(list)

    def record(layout: str, truth: ParsedResume, text: str) -> None:
        totals[layout] += true_values(truth)
        for dropped in ground(truth, text).dropped:
            field, reason = reason_of(dropped)
            key = f"{field}: {reason}"
            counts[layout][key] += 1
            if len(examples[key]) < EXAMPLES:
                examples[key].append(f"{layout}: {dropped[:160]}")

    people = training_pool()
    for person in people:
        for layout in LAYOUTS:
            record(f"pool {layout}", person.truth, render(person, layout))
    for person, theme, pdf in pool_theme_pdfs(people, pdf_dirs):
        try:
            record(f"pool pdf:{theme}", person.truth, read_document(pdf))
        except IngestError:
            continue
    for item in generate_resumes(generated, seed=5):
        record("generated", item.truth, item.text)
    return {
        "pool_people": len(people),
        "generated_resumes": generated,
        "true_values": dict(totals),
        "dropped": {layout: dict(c.most_common()) for layout, c in sorted(counts.items())},
        "examples": dict(examples),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 generated resumes instead of 300")
    parser.add_argument("--pdfs", type=Path, action="append", default=[], help="a folder of the pool's theme PDFs")
    parser.add_argument("--json", dest="json_path", default=None, help="write results as JSON here")
    args = parser.parse_args()
    result = measure(100 if args.quick else 300, args.pdfs)
    print("| layout | true values | dropped | most dropped (field: reason × n) |\n|---|---|---|---|")
    for layout, total in sorted(result["true_values"].items()):
        dropped = result["dropped"].get(layout, {})
        top = "; ".join(f"{key} × {n}" for key, n in list(dropped.items())[:3])
        print(f"| {layout} | {total} | {sum(dropped.values())} | {top} |")
    if args.json_path:
        Path(args.json_path).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json_path).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
