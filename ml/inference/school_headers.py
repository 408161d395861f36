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
from ml.preprocessing.segment import (
    date_range_spans,
    date_ranges,
    section_kind,
    section_kinds,
    trailing_date_range,
)
from ml.text import compact, date_year, norm, split_outside_parentheses, tokens

SCHOOL_REACH = 2
"""Lines (neither blank nor a list item) from a school's date line within which its values are looked for."""
_CELL_BREAK = re.compile(r"\s{2,}|\t|\s+[·—|]\s+|\s+at\s+(?=[A-ZÀ-Þ])")
"""Where a line's cells part: a column gap, a separator, " at " before a capital ("BSc at The University")."""
_MARKUP = re.compile(r"^[#*_>\s]+|[*_]+$")
_CELL_EDGE = " ,*_·|—–"
"""Marks a cell's edges may keep once its line's dates are cut ("M.S. Eng. · Computer Science · 2017 – 2019")."""
SCHOOL_WORDS = re.compile(
    r"(?i)\b(?:univ\w*|institut\w*|coll[eè]ge|colegio|school|[eé]cole|escuela|academ\w*|hochschule|fachhochschule"
    r"|gymnas\w*|lyc[eé]e|liceo|ies|iut|polytechn\w*|polit[eé]cni\w*|conservato\w*|facult\w*|faculdade)\b"
    r"|\w*(?:schule|skole|skola|skolan)\b|大学|学院"
)
"""Words of a school's name: a school read from the layout must have one (a teaching post's "Teaching Assistant,
CS106A 2016 - 2017" line in an education section is none). Germanic compounds end in theirs ("Ribe katedralskole",
"Julius-Springer Schule"); a faculty is a school ("Facultad de Estudios Superiores Acatlán")."""
_GRADE = re.compile(r"(?i)\b(?:gpa|grade|nota|note|cgpa|moyenne)\b|\d+[.,]\d+\s*/\s*\d")
"""A grade line ("GPA: 3.9/4.0", "Nota media 6.0"): no degree."""


def _cells(line: str) -> list[str]:
    """A line's cells (:data:`_CELL_BREAK`), its markup and its trailing dates left out ("Universidad Inacap 01/2020 -
    01/2024" is one cell); dates inside the line part two cells ("Universidad de Chile 2011-01-01 — 2013-01-01
    Ingeniería": the dash of the range is no cell's edge)."""
    at = trailing_date_range(line)
    text = line[:at] if at else line
    for begin, end in reversed(date_range_spans(text)):
        before, after = text[:begin].rstrip(), text[end:].lstrip()
        if before.endswith(("(", "[")) and after.startswith((")", "]")):  # "Universidad de Chile (2011 - 2013)"
            before, after = before[:-1], after[1:]
        text = f"{before}  {after}"
    text = _MARKUP.sub("", text).strip()
    return [cell.strip(_CELL_EDGE) for cell in _CELL_BREAK.split(text) if cell.strip(_CELL_EDGE)]


def schools_from_layout(schools: list[dict], source_text: str, dropped: list[str]) -> list[dict]:
    """``schools`` with one more for each date range of the education section that no school has (neither its start
    nor its end: "2020" alone is read), read at the places
    where the model's schools have their institution and degree (and field, where they all have one there): lines
    counted from each school's date line without blank lines or list items, cells as :func:`_cells` parts them (a
    school's name stands in a cell that is it or opens it before a comma: its place may follow). The
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
                head = cell.split(",")[0]  # "Aarhus University" of "Aarhus University, Aarhus, Denmark"
                if value and "," in cell and compact(head) == compact(value):
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


DEGREE_WORDS = re.compile(
    r"(?i)\b(?:bachelor\w*|master\w*|m[aá]ster|b\.?\s?sc|m\.?\s?sc|b\.?a|m\.?a|b\.?s|m\.?s|b\.?eng|m\.?eng|b\.?tech"
    r"|m\.?tech|ph\.?\s?d|mba|licenci\w*|licence|ingenier\w*|ingénieur|diplom\w*|dipl[oô]me|t[eé]cnic\w*|tecn[oó]log\w*"
    r"|grado|pregrado|posgrado|postgrado|doctor\w*|associate|baccalaur\w*|bachiller\w*|abitur|bts|dut|hnd|btec|course|curso|certificat\w*"
    r"|brevet|formation|tec\.|tecnicatura|profesorado)(?!\w)"
    r"|学士|硕士|博士|本科|研究生|专科"
)
"""Words of a degree: a degree read from a block of the section must have one (a place "Stanford, CA", a provider
"Coursera", "Relevant coursework: ..." are none)."""


def schools_by_blocks(schools: list[dict], source_text: str, dropped: list[str]) -> list[dict]:
    """``schools`` read from the blocks of the education section, where it is made of such blocks: the model's
    school of a block (its dates, and its institution and studies where two blocks share them) as the block writes it
    (:func:`_as_block_writes`); one more for each block that no school reads (neither its start year nor its end
    year, but where the model read another school of the same dates, nor its school's name). Its date ranges (one a
    line, two or more) each open a block or each close one, whichever reads more blocks (the first among them) with
    one school (one cell with :data:`SCHOOL_WORDS`) and a degree (a cell with :data:`DEGREE_WORDS`, no grade, no
    label), all at the same places from their dates (:func:`_blocks_read`); the field is the cell after the degree
    on its line. For sections whose schools the model read
    too badly to show a layout (:func:`schools_from_layout`): v10 read 1 of the 5 schools of a Spanish "FORMACIÓN
    ACADÉMICA" written dates, school, "Diplomado · Diplomado en ...", grade."""
    lines = source_text.split("\n")
    kinds = section_kinds(source_text)
    slots = [k for k, line in enumerate(lines) if kinds[k] == "education" and line.strip() and not _listed(line)]
    slots = [k for k in slots if section_kind(lines[k]) is None]  # not the heading
    spans = [date_ranges(lines[k]) for k in slots]
    dated = [n for n, found in enumerate(spans) if len(found) == 1]
    if len(dated) < 2 or len(dated) != sum(1 for found in spans if found):
        return schools
    readings = [found for shift in (0, 1) if (found := _blocks_read(lines, slots, dated, shift))]
    counts = sorted((sum(block is not None for block in found) for found in readings), reverse=True)
    if not readings or (len(counts) == 2 and counts[0] == counts[1]):
        return schools  # no reading, or two as good: which way the blocks run is not known
    read = max(readings, key=lambda found: sum(block is not None for block in found))
    years = {(school.get(key) or "")[:4] for school in schools for key in ("start_date", "end_date")} - {""}
    known = {compact(school.get("institution")) for school in schools} - {""}
    placed: list[tuple[int | None, dict]] = [(None, school) for school in schools]
    of_span: dict[tuple, list[int]] = {}  # a span -> the model's schools of exactly that span, in order
    for k, school in enumerate(schools):
        of_span.setdefault((school.get("start_date"), school.get("end_date")), []).append(k)
    read_spans = set(of_span)
    blocks_of = Counter(spans[n][0] for n, block in zip(dated, read, strict=True) if block)
    for n, block in zip(dated, read, strict=True):
        if block is None:
            continue
        institution, degree, field = block
        span = spans[n][0]
        mine = of_span.get(span, [])
        k = next((k for k in mine if _fits(schools[k], block)), None)
        if k is None and len(mine) == 1 and blocks_of[span] == 1:
            k = mine[0]  # the one school of the one block of these dates
        if k is not None:  # the model's school of this block: read as the block writes it
            mine.remove(k)
            school = _as_block_writes(schools[k], institution, degree, field)
            if school != schools[k]:
                before = " | ".join(str(schools[k].get(key)) for key in ("institution", "degree", "field"))
                dropped.append(f"education: {before} (read as its block writes it)")
                placed[k] = (None, school)
            known.add(compact(institution))
            continue
        near = span not in read_spans and {(span[0] or "")[:4], span[1][:4]} & years  # the model's, dated off
        if near or any(k in compact(institution) for k in known):
            continue
        dropped.append(f"education: + {institution} | {degree} (a block of the section no entry read)")
        school = {"institution": institution, "degree": degree, "field": field, "start_date": span[0]}
        school.update(end_date=span[1], gpa=None)
        placed.append((n, school))
        known.add(compact(institution))
    return [school for _, school in placed]


def _fits(school: dict, block: tuple[str, str, str | None]) -> bool:
    """Whether the model's ``school`` is the block's: each of its values a piece of one of the block's, and one of
    them its school's name or holding it (one of two degrees at one school is not the other; the school's name
    read as its degree is)."""
    cells = [compact(value) for value in block if value]
    values = [compact(school.get(key)) for key in ("institution", "degree", "field") if school.get(key)]
    named = any(value in cells[0] or cells[0] in value for value in values)
    return bool(values) and named and all(any(value in cell for cell in cells) for value in values)


def _as_block_writes(school: dict, institution: str, degree: str, field: str | None) -> dict:
    """``school`` with the values its block writes, where one of its own is one of them or a piece of one (the
    model's "M.S." of "M.S. Eng.", a name cut short; a school with none of them is another block's, read out of
    line); a degree and field the model parted out of one cell ("Bachelor" and "Ingeniero en Informática" of
    "Bachelor Ingeniero en Informática", "BSc" and "Physics" of "BSc in Physics" or "Physics, BSc") stay parted,
    and a value of the model's that holds the block's stays whole ("University of Illinois at Urbana-Champaign": a
    cell parts at " at "); no value of the model's moves over another ("Pregrado · Ingeniería ...": the block's
    degree is the first cell of a degree's words, the model's field)."""
    written = [compact(value) for value in (institution, degree, field) if value]
    own = [compact(school.get(key)) for key in ("institution", "degree", "field") if school.get(key)]
    if not any(value in cell for value in own for cell in written):
        return school
    mine = compact(school.get("field"))
    parted = bool(mine) and mine in compact(degree) != mine  # "Physics" of "BSc Physics"
    if parted:
        degree, field = school["degree"], school["field"]
    written_as = {"institution": institution, "degree": degree, "field": field}

    def stays(key: str, value: str) -> bool:  # the model's own value: whole, another of its values, or its field
        mine = compact(school.get(key))
        others = {compact(school.get(other)) for other in written_as if other != key}
        moved = compact(value) in mine or compact(value) in others
        kept_field = key == "field" and mine not in compact(value) and mine != compact(degree)  # not the degree
        return bool(mine) and (moved or kept_field)

    return {**school, **{key: value for key, value in written_as.items() if value and not stays(key, value)}}


_HONOURS = re.compile(r"(?i)\b(?:hono(?:u)?rs|cum laude|distinction|first class|with merit|mention)\b")


def _field_like(cell: str) -> bool:
    """Whether a cell after a degree can be its field: a name, no grade ("GPA: 3.9/4.0") or honours."""
    return (
        reads_as_name(cell) and not _GRADE.search(cell) and not GRADE_WRITTEN.search(cell) and not _HONOURS.search(cell)
    )


def _blocks_read(
    lines: list[str], slots: list[int], dated: list[int], shift: int
) -> list[tuple[str, str, str | None] | None] | None:
    """(school, degree, field) of each block, a block opening at its date line (``shift`` 0) or just after the one
    before (1), None for a block without one school and a degree; None for the whole unless the first block and
    two or more have them, all on the same lines from their date lines."""
    bounds = [*dated, len(slots)] if shift == 0 else [-1, *dated]
    read: list[tuple[str, str, str | None] | None] = []
    shapes = set()
    for n, (start, end) in zip(dated, itertools.pairwise(bounds), strict=True):
        rows = {k - n: _cells(lines[slots[k]]) for k in range(start + shift, end + shift)}
        degrees = [
            (r, c)
            for r, row in rows.items()
            for c, cell in enumerate(row)
            if DEGREE_WORDS.search(cell)
            and reads_as_name(cell)
            and not _GRADE.search(cell)
            and not SCHOOL_WORDS.search(cell)
            and not re.match(r"^[^\W\d_][\w ]{0,24}:\s", cell)  # "Relevant coursework: ...", "Thesis: ..."
        ]
        field_at = (degrees[0][0], degrees[0][1] + 1) if degrees else None
        schools = [
            (r, c)
            for r, row in rows.items()
            for c, cell in enumerate(row)
            if SCHOOL_WORDS.search(cell) and (r, c) != field_at  # "Diplomado · Docencia Universitaria": a field
        ]
        if len(schools) != 1 or not degrees or not reads_as_name(rows[schools[0][0]][schools[0][1]]):
            read.append(None)
            continue
        (r, c) = degrees[0]
        field = rows[r][c + 1] if c + 1 < len(rows[r]) and _field_like(rows[r][c + 1]) else None
        read.append((rows[schools[0][0]][schools[0][1]], rows[r][c], field))
        shapes.add((schools[0][0], degrees[0][0]))  # their lines; a degree word may open the line or follow a level
    valid = sum(found is not None for found in read)
    return read if read[0] is not None and valid >= 2 and len(shapes) == 1 else None


_COMMA = re.compile(r",\s+")
_DATES_IN_PARENTHESES = re.compile(r"\s*\(([^()]*)\)$")


def _school_line(line: str) -> tuple[list[str], tuple[str | None, str]] | None:
    """A school written on one line: its comma cells (outside parentheses) without its dates, in parentheses or
    ending it, and its grade after them ("Bachelor, Ingeniero de Software, Corporación Universitaria Iberoamericana
    (ene 2022 a oct 2025); Nota media 4.0"), and its one date range; None for any other line."""
    spans = date_ranges(line)
    if len(spans) != 1 or _listed(line):
        return None
    grade = GRADE_WRITTEN.search(line)
    text = (line[: grade.start()] if grade else line).strip().rstrip(" ;,|·")
    dated = _DATES_IN_PARENTHESES.search(text)
    at = dated.start() if dated and date_ranges(dated.group(1)) else trailing_date_range(text)
    if at is None:
        return None
    cells = [cell.strip(_CELL_EDGE) for cell in split_outside_parentheses(_MARKUP.sub("", text[:at]), _COMMA)]
    return [cell for cell in cells if cell], spans[0]


_BARE_GRADE = re.compile(r"\d{1,2}(?:[.,]\d{1,2})?\+?")
"""A grade alone on its line ("3.7+" below a school's dates: the elegant theme's)."""


MIN_JOINED_CELLS = 3
"""Comma cells a line over its dates needs to be read as a school's line: field, degree and school (with two, one
cell may hold two values: "Computer Science — Fudan University")."""


def _dated_below_joined(lines: list[str]) -> list[str]:
    """``lines`` with a line of :data:`MIN_JOINED_CELLS` comma cells or more and no dates joined to the line below
    it that is a date range alone ("计算机应用技术, 研究生, 中国人民大学" over "Sep, 2014 - Jul, 2017": the elegant
    theme's school)."""
    joined: list[str] = []
    for line in lines:
        previous = joined[-1] if joined else ""
        alone = trailing_date_range(line.strip()) == 0 and len(date_ranges(line)) == 1
        cells = len(split_outside_parentheses(previous, _COMMA))
        if alone and cells >= MIN_JOINED_CELLS and not date_ranges(previous) and not _listed(previous):
            joined[-1] = f"{previous.rstrip()} {line.strip()}"
        else:
            joined.append(line)
    return joined


def _state(cells: list[str], column: int) -> bool:
    """Whether ``cells[column]`` is a region's code ending a place ("Boston, MA"), not a degree ("MA")."""
    return column == len(cells) - 1 and re.fullmatch(r"[A-Z]{2}", cells[column]) is not None


def _cells_misread(school: dict, written: dict[str, str | None]) -> bool:
    """Whether the model read a school's line across its cells: one of its values holds two of the line's cells
    whole ("Matemáticas Aplicadas y Computación, Facultad de Estudios Superiores Acatlán" as the institution), or its
    degree or field is a run of two or more words of the line's school ("Instituto Superior de Formación" as the
    field of "Instituto Superior de Formación Docente N°109"; "MA" in "University of Manchester" or "Economics" of
    "London School of Economics" is no such piece). Words, not letters, are compared. A degree and field read the
    other way round are left alone: which column is which is a count of degree words, and "Técnico en …" and
    "Ingeniería en …" are fields too."""
    cells = [tokens(value) for value in written.values() if value]
    mine = {key: tokens(school.get(key)) for key in written if school.get(key)}
    joined = any(sum(_run_of(cell, value) for cell in cells) >= 2 and value not in cells for value in mine.values())
    school_cell = tokens(written.get("institution"))
    in_school = any(
        len(mine.get(key) or []) >= 2 and mine[key] != school_cell and _run_of(mine[key], school_cell)
        for key in ("degree", "field")
    )
    return joined or in_school


def _run_of(part: list[str], whole: list[str]) -> bool:
    """Whether the words ``part`` stand together in ``whole``."""
    return bool(part) and any(whole[k : k + len(part)] == part for k in range(len(whole) - len(part) + 1))


def _one_school_one_degree(cells: list[str]) -> bool:
    """Whether a lone school line of three cells has one that names a school and another, alone, a degree: a line
    that cannot be read two ways ("Matemáticas Aplicadas y Computación, Licenciatura, Facultad de Estudios Superiores
    Acatlán"; of two, one may hold two values: "Bachelor of Science, Electrical Engineering — UT Austin")."""
    schools = [c for c, cell in enumerate(cells) if SCHOOL_WORDS.search(cell)]
    degrees = [c for c, cell in enumerate(cells) if DEGREE_WORDS.search(cell) and c not in schools]
    one_value_each = all(len(_CELL_BREAK.split(cell)) == 1 for cell in cells)  # "Computer Science — Naples"
    return len(cells) == MIN_JOINED_CELLS and one_value_each and len(schools) == 1 and len(degrees) == 1


def schools_by_lines(schools: list[dict], source_text: str, dropped: list[str]) -> list[dict]:
    """``schools`` as the education section writes them where it writes each on one line of comma cells
    (:func:`_school_line`; its lines with neither a year nor a school, notes and courses, aside), all of one count,
    one column a school's (:data:`SCHOOL_WORDS`, half the lines or more; a lone line: :func:`_one_school_one_degree`)
    and another a degree's (:data:`DEGREE_WORDS`, the most of the others), the third, if any, its field. The
    model's school of a line (its dates, or its years and its institution or degree a piece of a cell) is read as
    the line writes it (:func:`_as_block_writes`; wholly where the model read across its cells,
    :func:`_cells_misread`), a line no school has is one more; in the resume's order, the
    model's other schools after them but those of a line's school or start (read again, dated wrong). A region's
    code ending a place is no degree ("Boston, MA"). v10 read one of three "Bachelor, FP ..., IES Julio Verne
    (2019-06 a 2021-06)" lines."""
    lines = source_text.split("\n")
    kinds = section_kinds(source_text)
    written = _dated_below_joined([lines[k] for k in range(len(lines)) if kinds[k] == "education" and lines[k].strip()])
    written = [
        line
        for line in written
        if not _BARE_GRADE.fullmatch(line.strip()) and (_YEAR.search(line) or SCHOOL_WORDS.search(line))
    ]
    parsed = [_school_line(line) for line in written if section_kind(line) is None]
    if not parsed or None in parsed or len({len(cells) for cells, _ in parsed}) != 1:
        return schools
    count = len(parsed[0][0])
    if count not in (2, 3) or (len(parsed) == 1 and not _one_school_one_degree(parsed[0][0])):
        return schools
    hits = [
        (sum(bool(words.search(cells[c])) and not _state(cells, c) for cells, _ in parsed), c)
        for words in (SCHOOL_WORDS, DEGREE_WORDS)
        for c in range(count)
    ]
    school_at = max(range(count), key=lambda c: hits[c][0])
    degree_at = max((c for c in range(count) if c != school_at), key=lambda c: hits[count + c][0])
    if 2 * hits[school_at][0] < len(parsed) or hits[count + degree_at][0] == 0:
        return schools
    field_at = next((c for c in range(count) if c not in (school_at, degree_at)), None)
    field_at = field_at if field_at is None or field_at < school_at else None  # a cell after the school: its place
    left = list(schools)
    read = []
    for cells, span in parsed:
        institution, degree = cells[school_at], cells[degree_at]
        field = cells[field_at] if field_at is not None else None
        years = (date_year(span[0]), date_year(span[1]))
        own = next((s for s in left if (s.get("start_date"), s.get("end_date")) == span), None) or next(
            (
                s
                for s in left
                if (date_year(s.get("start_date")), date_year(s.get("end_date"))) == years
                and any(
                    compact(s[key]) in compact(cell)
                    for key in ("institution", "degree")
                    if s.get(key)
                    for cell in cells
                )
            ),
            None,
        )
        if own is not None:
            left.remove(own)
            written_as = {"institution": institution, "degree": degree, "field": field}
            misread = _cells_misread(own, written_as)
            line_values = {key: value for key, value in written_as.items() if value}  # no None over a value
            reading = line_values if misread else _as_block_writes(own, institution, degree, field)
            school = {**own, **reading, "start_date": span[0], "end_date": span[1]}
            if school != own:
                dropped.append(
                    f"education: {own.get('institution')} | {own.get('degree')} (read as its line writes it)"
                )
        else:
            dropped.append(f"education: + {institution} | {degree} (a line of the section no entry read)")
            school = {"institution": institution, "degree": degree, "field": field, "start_date": span[0]}
            school.update(end_date=span[1], gpa=None)
        read.append(school)
    names, starts = {compact(s["institution"]) for s in read}, {s["start_date"] for s in read} - {None}
    again = [s for s in left if compact(s.get("institution")) in names or s.get("start_date") in starts]
    for school in again:  # a line's school read again, dated wrong ("2014-09 - 2011-04")
        dropped.append(f"education: {school.get('institution')} | {school.get('degree')} (a line's school again)")
    return read + [school for school in left if school not in again]


GRADE_WRITTEN = re.compile(
    r"(?i)\b(?P<label>c?gpa|grade|nota(?:\s+media)?|note|moyenne|promedio|average)\b\s*(?P<colon>:?)\s*"
    r"(?P<gpa>\d{1,3}(?:[.,]\d{1,2})?(?:\s*/\s*\d{1,3}(?:[.,]\d{1,2})?)?\+?)"
)
"""A grade as a resume labels it ("GPA: 3.88/4.0", "Nota media 6.0", "Note 2,3", "Grade: 3.7+"): its number as
written. Words that also say other things ("Completed Grade 12", "Note 3 courses") count only before a colon or a
number with a decimal or a scale (:func:`_grade`)."""
_LOOSE_LABELS = frozenset({"grade", "note", "average"})
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
GRADE_REACH = 6
"""Lines (not blank) below a school's date line within which its grade is looked for."""


def grades_read(schools: list[dict], source_text: str, dropped: list[str]) -> list[dict]:
    """``schools`` each with the grade its own lines write: a labelled grade of the education section
    (:data:`GRADE_WRITTEN`) belongs to the nearest date line above it (on it, or up to :data:`GRADE_REACH` lines
    below: every real layout writes it after the school's dates or on their line), and a school whose dates are
    that line's one range takes it, as written ("2,3", not "2.3"), where it has none or one that is another
    school's (read one school down). A line naming another school ends the one above's lines (a school without dates,
    a layout that writes the grade before the dates). A school whose dates the section writes twice is left as it
    is. v10 left 17 of the 36 true grades of the real validation set out."""
    lines = source_text.split("\n")
    kinds = section_kinds(source_text)
    slots = [k for k, line in enumerate(lines) if kinds[k] == "education" and line.strip()]
    grades: dict[tuple[str | None, str], list[str]] = {}
    owner: tuple[str | None, str] | None = None
    spans_seen: Counter[tuple[str | None, str]] = Counter()
    names_of: dict[tuple[str | None, str | None], list[str]] = {}
    for school in schools:
        if school.get("institution"):
            names_of.setdefault((school.get("start_date"), school.get("end_date")), []).append(school["institution"])
    every_name = [name for names in names_of.values() for name in names]
    reach = 0
    for k in slots:
        spans = date_ranges(lines[k])
        if len(spans) == 1:
            owner, reach = spans[0], 0
            spans_seen[owner] += 1
        elif spans or _YEAR.search(lines[k]):
            owner = None  # two ranges, or a single date ("Class of 2018 ... | GPA 2.2"): another school's line
        reach += 1
        if any(f" {norm(name)} " in f" {norm(lines[k])} " for name in names_of.get(owner, ())):
            pass  # its own school's name
        elif any(f" {norm(name)} " in f" {norm(lines[k])} " for name in every_name):
            owner = None  # another school's line: what follows is not the school above's
        written = _grade(lines[k])
        if written and owner is not None and reach <= GRADE_REACH + 1:
            grades.setdefault(owner, []).append(written)
    own = {span: found[0] for span, found in grades.items() if len(found) == 1 and spans_seen[span] == 1}
    others = {_number(grade) for grade in own.values()}
    out = []
    for school in schools:
        written = own.get((school.get("start_date"), school.get("end_date")))
        gpa = school.get("gpa")
        if written and gpa != written and (not gpa or _number(gpa) in others):
            dropped.append(f"education.gpa: {gpa} (its own lines write {written})")
            school = {**school, "gpa": written}
        out.append(school)
    return out


def _grade(line: str) -> str | None:
    """The grade ``line`` writes (:data:`GRADE_WRITTEN`), as written, or None."""
    written = GRADE_WRITTEN.search(line)
    if not written:
        return None
    loose = written["label"].casefold() in _LOOSE_LABELS
    if loose and not written["colon"] and not re.search(r"[.,/]", written["gpa"]):
        return None
    return written["gpa"]


def _number(grade: str) -> str:
    """A grade's number with a decimal point ("2,3" is "2.3")."""
    return grade.replace(",", ".").replace(" ", "")
