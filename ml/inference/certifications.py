"""A resume's certifications read against its own certifications section (issue #29.4).

A 135M model reads the first item or two of a list section and stops (v10 on a real resume listing 14 certificates:
2), and fills the field with what a PDF puts beside a certificate: its link, its "Issued on" line.
:func:`ml.inference.grounding.ground` runs this on the model's certifications.
"""

from __future__ import annotations

import re

from ml.inference.highlights import ITEM_MARK, words_beside_dates
from ml.preprocessing.segment import section_kind, section_kinds
from ml.text import compact

MIN_LISTED = 2
"""Items a run of bulleted lines must hold before those the model left out are added."""
_LABELLED_DATE = re.compile(r"(?i)^\s*(?:issued|awarded|obtained|expires?|date)\b[^:]{0,12}:\s*")
"""A date's label on a certificate's line of its own ("Issued on: Jun 01, 2024")."""
_LINK = re.compile(r"(?i)^\s*(?:https?://|www\.)\S*\s*$")
_YEAR_AROUND = re.compile(r"^(?:19|20)\d\d\s+|[\s,–-]*\(?(?:19|20)\d\d\)?\.?$")
"""A year before a certificate's name (a dates column) or after it ("PMP (2017)", "..., 2014.")."""


def _no_certificate(item: str) -> str | None:
    """Why ``item`` names no certificate, or ``None``: a link, a date (labelled or not), a fragment of a line."""
    if _LINK.match(item):
        return "a link"
    if not words_beside_dates(_LABELLED_DATE.sub("", item)):
        return "a date"
    if sum(c.isalpha() for c in item) < 3:
        return "a fragment"
    return None


def certifications_read(certifications: list[str], source_text: str, dropped: list[str]) -> list[str]:
    """The model's certifications without links, dates or fragments, then the items it left out of each list it
    read one of: a run of bulleted lines (no line between) under a certifications heading, of :data:`MIN_LISTED`
    items or more, in order (a year beside an item left out: "PMP (2017)"; a heading drawn as an item is none)."""
    kept = []
    for item in certifications:
        why = _no_certificate(item)
        if why:
            dropped.append(f"certifications: {item} ({why})")
        else:
            kept.append(item)
    have = [compact(item) for item in kept]
    lines = source_text.split("\n")
    kinds = section_kinds(source_text)
    runs: list[list[str]] = []
    for index, (line, kind) in enumerate(zip(lines, kinds, strict=True)):
        item = _YEAR_AROUND.sub("", ITEM_MARK.sub("", line).strip()).strip()
        if kind != "certifications" or not ITEM_MARK.match(line) or section_kind(item) is not None:
            continue
        if runs and runs[-1][0] == index - 1:
            runs[-1] = [index, *runs[-1][1:], item]
        else:
            runs.append([index, item])
    added = []
    for _, *items in runs:
        read = [any(key in compact(item) or compact(item) in key for key in have) for item in items]
        if len(items) >= MIN_LISTED and any(read):
            added += [item for item, was in zip(items, read, strict=True) if not was and not _no_certificate(item)]
    return kept + added
