"""A check set in layouts nothing was fitted to: real people's JSON Resume documents printed by five more npm
themes (:data:`ml.preprocessing.render.UNSEEN_THEMES`), which no training rendering uses and no grounding rule was
read from. The rules since session 24 were all read off the validation people's parses in the five pinned themes,
so the validation figure is in-sample for them; this set is not.

    bash scripts/setup_render.sh                               # the themes (pinned in render_themes) + Chromium
    python bench/unseen_layouts.py --out runs/eval/unseen-val   # the 40 validation people, one theme each in turn
    python bench/unseen_layouts.py --pool 20 --out runs/eval/unseen-pool   # 20 training-pool people (rule design)
    GRILLER_GROUNDING=0 griller eval --data runs/eval/unseen-val/real_val.jsonl --output runs/eval/unseen-val
    python bench/rule_parsers.py --from runs/eval/unseen-val --parsers none \\
        --predictions v10=runs/eval/unseen-val/predictions.model.jsonl --reground

With grounding off at parse time the outputs can be grounded by any version of the rules (``--reground``), so a
rule is measured before and after on the same parses. The truth is the page's (:func:`~ml.preprocessing.
real_renderings.as_printed`, and :func:`~ml.preprocessing.real_renderings.names_as_printed` for the names these
themes leave out). Prints rows per theme and writes ``--json``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

from ml.jsonl import write_jsonl_atomic
from ml.preprocessing.jsonresume import copy_provenance, training_pool, validation_people
from ml.preprocessing.real_renderings import pdf_examples
from ml.preprocessing.render import UNSEEN_THEMES, installed_themes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for real_val.jsonl, pdf/ and provenance")
    parser.add_argument("--pool", type=int, default=0, help="N training-pool people instead of the validation set")
    parser.add_argument("--seed", type=int, default=48, help="which pool people (with --pool)")
    parser.add_argument("--quick", action="store_true", help="the first 5 people only")
    parser.add_argument("--json", type=Path, help="write the rows per theme here")
    args = parser.parse_args(argv)
    missing = sorted(set(UNSEEN_THEMES) - set(installed_themes(UNSEEN_THEMES)))
    if missing:
        print(f"themes not installed: {', '.join(missing)} (run scripts/setup_render.sh)", file=sys.stderr)
        return 2
    people = random.Random(args.seed).sample(training_pool(), args.pool) if args.pool else validation_people()
    people = people[:5] if args.quick else people
    rows = pdf_examples(people, args.out, UNSEEN_THEMES)
    write_jsonl_atomic(args.out / "real_val.jsonl", rows)
    copy_provenance(args.out)
    by_theme = Counter(row["meta"]["layout"] for row in rows)
    print(f"{'theme':<16}{'rows':>6}")
    for theme, count in sorted(by_theme.items()):
        print(f"{theme:<16}{count:>6}")
    print(f"{len(rows)} of {len(people)} people -> {args.out / 'real_val.jsonl'}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"rows": len(rows), "people": len(people), "by_theme": by_theme}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
