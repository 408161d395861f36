"""Schools the model left out, read from the resume's education section where its other schools show the layout
(issue #29.4).

A 135M model reads the first school or two of a section and stops: 17 of the 75 true schools of the real validation
set as text, 18 as PDFs, were missing from v10's parses. The schools it did read show where a school's name, degree
and field stand around its dates; every other date range of the section whose places hold names is a school too.
:func:`ml.inference.grounding.ground` runs this after its per-school rules.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

from ml.inference.job_headers import reads_as_name
from ml.preprocessing.segment import date_ranges, section_kind, section_kinds, trailing_date_range
from ml.text import compact

SCHOOL_REACH = 2
"""Lines (neither blank nor a list item) from a school's date line within which its values are looked for."""
_CELL_BREAK = re.compile(r"\s{2,}|\t|\s+[·—|]\s+|\s+at\s+(?=[A-ZÀ-Þ])")
"""Where a line's cells part: a column gap, a separator, " at " before a capital ("BSc at The University")."""
_MARKUP = re.compile(r"^[#*_>\s]+|[*_]+$")
SCHOOL_WORDS = re.compile(
    r"(?i)\b(?:univ\w*|institut\w*|coll[eè]ge|colegio|school|[eé]cole|escuela|academ\w*|hochschule|fachhochschule"
    r"|gymnas\w*|lyc[eé]e|liceo|ies|iut|polytechn\w*|polit[eé]cni\w*|conservato\w*|semesters?)\b|大学|学院"
)
"""Words of a school's name: a school read from the layout must have one (a teaching post's "Teaching Assistant,
CS106A 2016 - 2017" line in an education section is none)."""
_GRADE = re.compile(r"(?i)\b(?:gpa|grade|nota|note|cgpa|moyenne)\b|\d+[.,]\d+\s*/\s*\d")
"""A grade line ("GPA: 3.9/4.0", "Nota media 6.0"): no degree."""


def _cells(line: str) -> list[str]:
    """A line's cells (:data:`_CELL_BREAK`), its markup and its trailing dates left out ("Universidad Inacap 01/2020 -
    01/2024" is one cell)."""
    at = trailing_date_range(line)
    text = _MARKUP.sub("", line[:at] if at else line).strip()
    return [cell.strip(" ,*_") for cell in _CELL_BREAK.split(text) if cell.strip(" ,*_")]


def schools_from_layout(schools: list[dict], source_text: str, dropped: list[str]) -> list[dict]:
    """``schools`` with one more for each date range of the education section that no school has (neither its start
    nor its end: "2020" alone is read), read at the places
    where the model's schools have their institution and degree (and field, where they all have one there): lines
    counted from each school's date line without blank lines or list items, cells as :func:`_cells` parts them. The
    schools the model placed must all agree (one or more), on one side of the dates, not past another school's date
    line; the new one's values must read as names
    (:func:`~ml.inference.job_headers.reads_as_name`), the institution a school's (:data:`SCHOOL_WORDS`) and none
    of theirs, the degree no grade. In the resume's order."""
    lines = source_text.split("\n")
    kinds = section_kinds(source_text)
    slots = [k for k, line in enumerate(lines) if kinds[k] == "education" and line.strip() and not _listed(line)]
    dated: dict[tuple[str | None, str], list[int]] = {}
    for slot, k in enumerate(slots):
        for span in date_ranges(lines[k]):
            dated.setdefault(span, []).append(slot)
    cells = [_cells(lines[k]) for k in slots]

    def place(value: str | None, anchor: int, prefix: bool = False) -> tuple[int, int] | None:
        for offset in sorted(range(-SCHOOL_REACH, SCHOOL_REACH + 1), key=abs):
            row = cells[anchor + offset] if 0 <= anchor + offset < len(cells) else []
            for index, cell in enumerate(row):
                if value and (compact(cell) == compact(value) or (prefix and compact(cell).startswith(compact(value)))):
                    return offset, index
        return None

    layouts = Counter()
    for school in schools:
        anchors = dated.get((school.get("start_date"), school.get("end_date")), [])
        if len(anchors) == 1:
            institution, degree = (
                place(school.get("institution"), anchors[0]),
                place(school.get("degree"), anchors[0], True),
            )
            if institution and degree and institution != degree:
                field = place(school.get("field"), anchors[0])
                layouts[(institution, degree, field if field not in (institution, degree) else None)] += 1
    if len({(institution, degree) for institution, degree, _ in layouts}) != 1:
        return schools
    institution_at, degree_at = next(iter(layouts))[:2]
    fields = {field for _, _, field in layouts}
    field_at = fields.pop() if len(fields) == 1 else None
    offsets = [at[0] for at in (institution_at, degree_at, field_at) if at]
    if min(offsets) < 0 < max(offsets):  # a school's lines on both sides of its dates: another school's read as its
        return schools
    date_slots = {slot for anchors in dated.values() for slot in anchors}
    starts = {school.get("start_date") for school in schools} - {None}
    ends = {school.get("end_date") for school in schools} - {None}
    known = {compact(school.get("institution")) for school in schools}
    placed = [(_slot_of(school, dated), school) for school in schools]
    for span, anchors in dated.items():
        reach = (
            range(anchors[0] + min(offsets), anchors[0])
            if min(offsets) < 0
            else range(anchors[0] + 1, anchors[0] + max(offsets) + 1)
        )
        if span[0] in starts or span[1] in ends or len(anchors) != 1 or date_slots.intersection(reach):
            continue  # its places must not reach another school's date line
        values = [_cell(cells, anchors[0] + offset, index) for offset, index in (institution_at, degree_at)]
        field = _cell(cells, anchors[0] + field_at[0], field_at[1]) if field_at else None
        institution, degree = values
        if not institution or not degree or compact(institution) in known or compact(institution) == compact(degree):
            continue
        if not SCHOOL_WORDS.search(institution) or _GRADE.search(degree) or (field and _GRADE.search(field)):
            continue
        dropped.append(f"education: + {institution} | {degree} (a school of the section no entry read)")
        school = {"institution": institution, "degree": degree, "field": field, "start_date": span[0]}
        school.update(end_date=span[1], gpa=None)
        after = max((k for k, (slot, _) in enumerate(placed) if slot is not None and slot < anchors[0]), default=-1)
        placed.insert(after + 1, (anchors[0], school))
        known.add(compact(institution))
    return [school for _, school in placed]


def _listed(line: str) -> bool:
    """Whether ``line`` is a list item (a course, a note under a school)."""
    return re.match(r"^\s*(?:[•·▪◦●○■*–-]|\d+[.)])\s", line) is not None


def _slot_of(school: dict, dated: dict) -> int | None:
    anchors = dated.get((school.get("start_date"), school.get("end_date")), [])
    return anchors[0] if len(anchors) == 1 else None


def _cell(cells: list[list[str]], slot: int, index: int) -> str | None:
    """The cell ``index`` of the line at ``slot`` where it reads as a name."""
    row = cells[slot] if 0 <= slot < len(cells) else []
    text = row[index] if index < len(row) else None
    return text if text and reads_as_name(text) else None


def schools_by_blocks(schools: list[dict], source_text: str, dropped: list[str]) -> list[dict]:
    """``schools`` with one more for each block of the education section that no school reads, where the section is
    made of such blocks: each date range (one a line, two or more in the section) opens a block where the section
    opens with dates, or else closes one; a block names one school (one cell with :data:`SCHOOL_WORDS`) and a degree
    (the first other cell that reads as a name and is no grade), its field the cell after the degree on its line.
    For sections whose schools the model read too badly to show a layout (:func:`schools_from_layout`): v10 read 1
    of the 5 schools of a Spanish "FORMACIÓN ACADÉMICA" written dates, school, "Diplomado · Diplomado en ...",
    grade."""
    lines = source_text.split("\n")
    kinds = section_kinds(source_text)
    slots = [k for k, line in enumerate(lines) if kinds[k] == "education" and line.strip() and not _listed(line)]
    slots = [k for k in slots if section_kind(lines[k]) is None]  # not the heading
    spans = [date_ranges(lines[k]) for k in slots]
    dated = [n for n, found in enumerate(spans) if len(found) == 1]
    if len(dated) < 2 or len(dated) != sum(1 for found in spans if found):
        return schools
    forward = dated[0] == 0 or trailing_date_range(lines[slots[dated[0]]]) not in (None, 0)
    bounds = [*dated, len(slots)] if forward else [-1, *dated]
    shift = 0 if forward else 1  # a block opens at its date line, or just after the one before
    blocks = [range(a + shift, b + shift) for a, b in itertools.pairwise(bounds)]
    starts = {school.get("start_date") for school in schools} - {None}
    ends = {school.get("end_date") for school in schools} - {None}
    known = {compact(school.get("institution")) for school in schools}
    slot_of = {found[0]: n for n, found in enumerate(spans) if len(found) == 1}
    placed = [(slot_of.get((school.get("start_date"), school.get("end_date"))), school) for school in schools]
    for n, block in zip(dated, blocks, strict=True):
        span = spans[n][0]
        if span[0] in starts or span[1] in ends:
            continue
        rows = [_cells(lines[slots[k]]) for k in block]
        named = [(r, c) for r, row in enumerate(rows) for c, cell in enumerate(row) if SCHOOL_WORDS.search(cell)]
        if len(named) != 1:
            continue
        institution = rows[named[0][0]][named[0][1]]
        others = [
            (r, c)
            for r, row in enumerate(rows)
            for c, cell in enumerate(row)
            if (r, c) != named[0] and reads_as_name(cell) and not _GRADE.search(cell) and not SCHOOL_WORDS.search(cell)
        ]
        if not others or compact(institution) in known or not reads_as_name(institution):
            continue
        (r, c), degree = others[0], rows[others[0][0]][others[0][1]]
        field = rows[r][c + 1] if c + 1 < len(rows[r]) and (r, c + 1) in others else None
        dropped.append(f"education: + {institution} | {degree} (a block of the section no entry read)")
        school = {"institution": institution, "degree": degree, "field": field, "start_date": span[0]}
        school.update(end_date=span[1], gpa=None)
        after = max((k for k, (slot, _) in enumerate(placed) if slot is not None and slot < n), default=-1)
        placed.insert(after + 1, (n, school))
        known.add(compact(institution))
    return [school for _, school in placed]
