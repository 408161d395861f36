"""A job's place as its header writes it (issue #29.4).

v10 cut places short ("Lyon" of "Lyon - Télétravail", "Jiangsu, China" of "Wuxi, Jiangsu, China") and left many
out: of the job places it missed or got wrong on the real validation set (45, text and PDFs), 9 were cut and 28 not
read. Where the resume's other jobs show the cell that holds a job's place, that cell is read.
:func:`ml.inference.grounding.ground` runs this after the header rules of :mod:`ml.inference.job_headers`.
"""

from __future__ import annotations

import re
from collections import Counter

from ml.inference.job_headers import (
    HEADER_REACH,
    MIN_AGREEING,
    MIN_TEMPLATE_SHARE,
    NAMES,
    HeaderCells,
    Place,
    reads_as_name,
)
from ml.preprocessing.segment import date_range_start, date_ranges
from ml.text import compact, norm, split_columns

MAX_PLACE_WORDS = 6
"""A place is a few words ("Paris - Télétravail", "Wuxi, Jiangsu, China"); a longer cell is something else."""
_SEPARATOR = re.compile(r"\s+[·|•]\s+")


def places_by_template(entries: list[dict], source_lines: list[str], dropped: list[str]) -> list[dict]:
    """Each job's place read from the cell where the resume's other jobs have theirs, counted from each job's date
    line as :class:`~ml.inference.job_headers.HeaderCells` counts (kendall: the cell beside the employer, two lines
    over the dates; stackoverflow: the line below them): a job without a place takes it, and one whose place is a
    run of its words ("Lyon" of "Lyon - Télétravail"), or is written nowhere ("Fremont, CA" for "Fremont,
    California, USA"), takes it whole. Two jobs or more whose place is a whole cell
    must agree, :data:`~ml.inference.job_headers.MIN_TEMPLATE_SHARE` of them; the cell must be a place alone
    (:func:`_a_place`) and no job's employer or title. Where places share a cell with the employer ("Colba
    Technologies S.L., Valencia, España"), none is a whole cell, and no place is read."""
    source_lines = split_columns("\n".join(source_lines)).split("\n")  # a sidebar's cell beside an employer is none
    header = HeaderCells(source_lines)
    anchors = [header.anchor(entry) for entry in entries]
    placed = Counter(
        _place(header, entry.get("location"), anchor)
        for entry, anchor in zip(entries, anchors, strict=True)
        if anchor is not None and entry.get("location")
    )
    placed.pop(None, None)
    if not placed:
        return entries
    (offset, index), count = placed.most_common(1)[0]
    if count < MIN_AGREEING or count < MIN_TEMPLATE_SHARE * sum(placed.values()):
        return entries
    names = {compact(entry.get(name)) for entry in entries for name in NAMES} - {""}
    written = " ".join(["", *(norm(line) for line in source_lines), ""])
    place_words = {word for entry in entries for word in norm(entry.get("location")).split()}
    read = []
    for entry, anchor in zip(entries, anchors, strict=True):
        cells = _cells(header, anchor + offset) if anchor is not None else []
        cell = cells[index] if index < len(cells) else ""
        place = entry.get("location")
        if cell and _a_place(cell, entry) and compact(cell) not in names and norm(cell) != norm(place):
            # a line of its own is a place where it shares a word with another job's ("Python, SQL" or a second
            # title below the dates is none); one beside the employer, the title or the dates is the header's
            beside = len(_SEPARATOR.split(header.lines[header.slots[anchor + offset]].strip())) > 1 or len(cells) > 1
            if not place and (beside or set(norm(cell).split()) & place_words):
                dropped.append(f"experience.location: + {cell} (where the resume's other jobs have their place)")
                entry = {**entry, "location": cell}
            elif f" {norm(place)} " in f" {norm(cell)} " or f" {norm(place)} " not in written:
                dropped.append(f"experience.location: {place} (the place its header writes: {cell})")
                entry = {**entry, "location": cell}
        read.append(entry)
    return read


def _cells(header: HeaderCells, slot: int) -> list[str]:
    """A header line's cells, parted further at field separators ("Niort - Télétravail · nov. 2024 – En cours"),
    without the pieces that open with dates."""
    pieces = [piece.strip() for cell in header.cells(slot) for piece in _SEPARATOR.split(cell)]
    return [piece for piece in pieces if piece and date_range_start(piece) != 0]


def _place(header: HeaderCells, value: str | None, anchor: int) -> Place | None:
    """Where ``value`` is a whole piece (:func:`_cells`) within :data:`~ml.inference.job_headers.HEADER_REACH` lines
    of ``anchor``, the nearest first."""
    for offset in sorted(range(-HEADER_REACH, HEADER_REACH + 1), key=abs):
        for index, piece in enumerate(_cells(header, anchor + offset)):
            if value and compact(piece) == compact(value):
                return offset, index
    return None


def _a_place(text: str, entry: dict) -> bool:
    """Whether a header's cell is a place alone: a few words, no dates, a name (no sentence, link, list item or
    heading), and none of the job's employer or title."""
    spaced = f" {norm(text)} "
    return (
        len(text.split()) <= MAX_PLACE_WORDS
        and not date_ranges(text)
        and reads_as_name(text)
        and not any(norm(entry.get(name)) and f" {norm(entry.get(name))} " in spaced for name in NAMES)
    )
