"""A resume's certifications read against its own certifications section (issue #29.4).

A 135M model reads the first item or two of a list section and stops (v10 on a real resume listing 14 certificates:
2), and fills the field with what a PDF puts beside a certificate: its link, its "Issued on" line.
:func:`ml.inference.grounding.ground` runs this on the model's certifications.
"""

from __future__ import annotations

import re

from ml.inference.highlights import ITEM_MARK, words_beside_dates
from ml.preprocessing.segment import SECTION_WORDS, section_kind, section_kinds
from ml.text import CELL_GAP, compact, tokens

MIN_LISTED = 2
"""Items a run of bulleted lines must hold before those the model left out are added."""
_LABELLED_DATE = re.compile(r"(?i)^\s*(?:issued|awarded|obtained|expires?|date)\b(?:\s+on)?\s*:?\s*")
"""A date's label on a certificate's line of its own ("Issued on: Jun 01, 2024")."""
_LINK = re.compile(r"(?i)^\s*(?:https?://|www\.|[\w-]+(?:\.[\w-]+)+/)\S*\s*$")
_DETAIL = re.compile(r"(?i)^\s*(?:issued\s+by|credential|show\s+credential|see\s+credential|verify)\b")
"""A certificate's detail line ("Issued by Amazon Web Services", "Credential ID 12345"): no certificate."""
_YEAR_AROUND = re.compile(r"^(?:19|20)\d\d\s+|(?:,\s*|\s+[–-]\s+|\s*\()(?:19|20)\d\d\)?\.?$")
"""A year before a certificate's name (a dates column) or after it, parted ("PMP (2017)", "..., 2014."); not a
product's year ("MCSA: Windows Server 2016")."""
_CERTIFICATE_WORD = re.compile(r"(?i)certif|zertifi|licen[cs]|credential|accredit|diplom")
"""A word by which an item names a certificate itself ("Certified Kubernetes Administrator", "CPA license")."""
_CERTIFICATES_NOUN = re.compile(
    r"(?i)\b(?:certifications?|certificates?|certificados?|certificaciones|licen[cs]es?|accreditations?|credentials"
    r"|zertifikate)\b"
)
"""The noun a heading or label names certificates by (not "Certified", which a certificate's own name holds)."""
MAX_LABEL_WORDS = 4
"""Words of a short line that names certificates as a heading or label does ("Professional Certification")."""
_OTHER_LISTS = frozenset({"work", "projects", "skills", "volunteer", "education", "summary"})
"""Sections whose lines a certificate is not taken from where no heading of the resume names certificates: v10 listed
a job's "Tecnologías: React, Expo, ..." as 13 certifications of a resume that has none."""


def _no_certificate(item: str) -> str | None:
    """Why ``item`` names no certificate, or ``None``: a link, a date (labelled or not), a fragment of a line."""
    if _LINK.match(item):
        return "a link"
    if _DETAIL.match(item):
        return "a certificate's detail"
    if not words_beside_dates(_LABELLED_DATE.sub("", item)):
        return "a date"
    if sum(c.isalpha() for c in item) < 3:
        return "a fragment"
    return None


def _listed_elsewhere(item: str, lines: list[str], kinds: list[str | None]) -> str | None:
    """Why ``item``, of a resume no heading of which names certificates, is none: neither it nor a line that writes
    it (its first comma-separated piece) names a certificate (:data:`_CERTIFICATE_WORD`: "Certifications: CompTIA
    Security+, CCNA" under Skills), and those lines are all in sections of other lists (:data:`_OTHER_LISTS`): a
    job's technologies, a skill. ``None`` where it is also written elsewhere (under an "Awards" heading, or none)
    or nowhere on a line."""
    if _CERTIFICATE_WORD.search(item):
        return None
    key = compact(item.split(",")[0])
    writing = [(line, kind) for line, kind in zip(lines, kinds, strict=True) if key and key in compact(line)]
    if any(_CERTIFICATE_WORD.search(line) for line, _ in writing):
        return None
    where = {kind for _, kind in writing}
    return "under other sections only, none of certificates" if where and where <= _OTHER_LISTS else None


def _names_certificates(cell: str) -> bool:
    """Whether a cell is a heading or a short label naming certificates: "LICENSES & CERTIFICATIONS", "Professional
    Certification", "Certifications: CCNA, PMP" (a heading :func:`section_kind` may not know); not a certificate's
    own name ("AWS Certified Developer")."""
    if section_kind(cell) is not None and SECTION_WORDS["certifications"] & set(tokens(cell)):
        return True
    short = 0 < len(cell.split()) <= MAX_LABEL_WORDS and not any(c.isdigit() for c in cell)
    return short and not ITEM_MARK.match(cell) and bool(_CERTIFICATES_NOUN.search(cell))


def certifications_read(certifications: list[str], source_text: str, dropped: list[str]) -> list[str]:
    """The model's certifications without links, dates or fragments (nor, where no heading names certificates,
    another section's items: :func:`_listed_elsewhere`), then the items it left out of each list it
    read one of: a run of bulleted lines (no line between) under a certifications heading, of :data:`MIN_LISTED`
    items or more, in order (a year beside an item left out: "PMP (2017)"; a heading drawn as an item is none)."""
    lines = source_text.split("\n")
    kinds = section_kinds(source_text)
    # in any column: a sidebar's "LICENSES & CERTIFICATIONS" beside a job's bullet
    headed = any(_names_certificates(cell.strip()) for line in lines for cell in CELL_GAP.split(line))
    kept = []
    for item in certifications:
        why = _no_certificate(item) or (None if headed else _listed_elsewhere(item, lines, kinds))
        if why:
            dropped.append(f"certifications: {item} ({why})")
        else:
            kept.append(item)
    have = [compact(item) for item in kept]
    runs: list[list[str]] = []
    indent = ""
    mixed = False  # under a heading that names another section too ("Skills & Certifications")
    for index, (line, kind) in enumerate(zip(lines, kinds, strict=True)):
        if section_kind(line) is not None:
            mixed = len({k for k, words in SECTION_WORDS.items() if words & set(tokens(line))}) > 1
        item = _YEAR_AROUND.sub("", ITEM_MARK.sub("", line).strip()).strip()
        marked = ITEM_MARK.match(line)
        if kind != "certifications" or mixed or not marked or not item or section_kind(item):
            continue
        if runs and runs[-1][0] == index - 1 and marked[1] == indent:
            runs[-1] = [index, *runs[-1][1:], item]
        elif runs and runs[-1][0] == index - 1:
            runs[-1][0] = index  # a deeper item (a certificate's issuer, its ID) goes on the run, not into it
        else:
            runs.append([index, item])
            indent = marked[1]
    added = []
    for _, *items in runs:
        read = [any(key in compact(item) or compact(item) in key for key in have) for item in items]
        if len(items) >= MIN_LISTED and any(read):
            added += [item for item, was in zip(items, read, strict=True) if not was and not _no_certificate(item)]
    return kept + added
