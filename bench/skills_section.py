"""The skills-section reader alone (``ml.preprocessing.segment.skills_section_items``) against the truth.

The parse adds the items of a resume's own skills section that the model left out
(``ml.inference.grounding.completed_skills``), so the reader's precision is what that can cost. Measured on the
real training pool (never the validation people) in every text layout, on their theme PDFs where a data build
rendered them (``--pdfs``: read by the project's ingest, badges and all), and on generated resumes (items it adds to
a parse that is already the truth):

    python bench/skills_section.py --json runs/bench/skills_section.json
    python bench/skills_section.py --pdfs ml/data/s10/real/pdf --pdfs ml/data/v11/real/pdf
    python bench/skills_section.py --quick          # 100 generated resumes instead of 300

A data-quality measure: the JSON has precision and recall per layout and ``added_to_truth``, no ``speedup``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ml.evaluation.metrics import Counts, score_skills
from ml.inference.grounding import completed_skills
from ml.preprocessing.ingest import IngestError, read_document
from ml.preprocessing.jsonresume import LAYOUTS, pool_theme_pdfs, render, training_pool
from ml.preprocessing.segment import skills_section_items
from ml.preprocessing.synthetic.generate import generate_resumes


def measure(generated: int, pdf_dirs: list[Path]) -> dict:
    by_layout = {layout: Counts() for layout in LAYOUTS}
    people = training_pool()
    for person in people:
        for layout in LAYOUTS:
            by_layout[layout].add(score_skills(person.truth.skills, skills_section_items(render(person, layout))))
    by_layout.update(pdf_layouts(people, pdf_dirs))
    text, pdf = Counts(), Counts()
    for layout, counts in by_layout.items():
        (pdf if layout.startswith("pdf:") else text).add(counts)
    true_skills = added = 0
    for item in generate_resumes(generated, seed=5):
        true_skills += len(item.truth.skills)
        added += len(completed_skills(list(item.truth.skills), item.text, [])) - len(item.truth.skills)

    def row(counts: Counts) -> dict:
        return {
            "precision": round(counts.tp / max(1, counts.tp + counts.fp), 4),
            "recall": round(counts.tp / max(1, counts.tp + counts.fn), 4),
            "tp_fp_fn": counts.as_list(),
        }

    return {
        "pool_people": len(people),
        "by_layout": {layout: row(counts) for layout, counts in by_layout.items()},
        "pool": row(text),
        "pool_pdfs": row(pdf) if pdf_dirs else None,
        "generated_resumes": generated,
        "generated_true_skills": true_skills,
        "added_to_truth": added,
    }


def pdf_layouts(people: list, pdf_dirs: list[Path]) -> dict[str, Counts]:
    """The reader on the pool's theme PDFs (``<person id>-<theme>.pdf``, each file once), by theme."""
    counts: dict[str, Counts] = {}
    for person, theme, pdf in pool_theme_pdfs(people, pdf_dirs):
        try:
            text = read_document(pdf)
        except IngestError:
            continue
        counts.setdefault(f"pdf:{theme}", Counts()).add(score_skills(person.truth.skills, skills_section_items(text)))
    return dict(sorted(counts.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 generated resumes instead of 300")
    parser.add_argument("--pdfs", type=Path, action="append", default=[], help="a folder of the pool's theme PDFs")
    parser.add_argument("--json", dest="json_path", default=None, help="write results as JSON here")
    args = parser.parse_args()
    result = measure(100 if args.quick else 300, args.pdfs)
    print("| layout | precision | recall |\n|---|---|---|")
    totals = {"all text": result["pool"], **({"all PDFs": result["pool_pdfs"]} if args.pdfs else {})}
    for layout, row in {**result["by_layout"], **totals}.items():
        print(f"| {layout} | {row['precision']:.3f} | {row['recall']:.3f} |")
    print(
        f"\n{result['generated_resumes']} generated resumes: {result['added_to_truth']} items added to "
        f"{result['generated_true_skills']} true skills"
    )
    if args.json_path:
        Path(args.json_path).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json_path).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
