"""Rules that read a job's employer and title from how the resume lays out its job headers (issue #29.4).

The model sometimes writes a job's employer as its title, or swaps the two; the resume's other jobs show which
line holds which. Each rule compares one job with the resume's other jobs written the same way, and changes a job
only where they agree. :func:`ml.inference.grounding.ground` runs them after its per-field rules.
"""

from __future__ import annotations

import re
from collections import Counter

from ml.preprocessing.segment import date_range_start, date_ranges, section_kind, trailing_date_range
from ml.text import BULLET_GLYPHS, compact

MAX_TITLE_WORDS = 12
"""A longer "title" is a sentence of the job's description (the real training pool: 328 titles, none over 10 words)."""


MIN_LED_BY_EMPLOYER = 2
"""Jobs of a resume whose header lines must lead with their employers before a nameless job's is read the same way."""


def employers_from_headers(entries: list[dict], source_lines: list[str], dropped: list[str]) -> list[dict]:
    """A job without an employer whose title is what its header line writes before the job's dates ("Irontec 07/2014
    - 08/2016"), in a resume whose other jobs' header lines lead with their employers (:data:`MIN_LED_BY_EMPLOYER`,
    and none with its title), takes that lead as its employer and its title from the line below the header, where
    that line is one (:func:`_title_below`); with no such line it stays as it is (a job of no employer,
    "Freelance Developer 2019 - 2020" over its stack). The model wrote a job's employer as its title, and no
    employer, in 3 of the 40 real validation PDFs (macchiato prints "employer dates" over the title); each time the
    resume's other jobs were read employer first. Where both orders occur in one resume, nothing is changed."""
    leads: dict[str, list[tuple[int, list]]] = {}  # a header's text before its dates (compact) -> (line, its spans)
    for index, line in enumerate(source_lines):
        at = trailing_date_range(line)
        at = date_range_start(line) if at is None else at
        if lead := compact(line[:at]) if at else "":
            leads.setdefault(lead, []).append((index, date_ranges(line)))
    employer_led = sum(1 for entry in entries if compact(entry.get("company")) in leads)
    title_led = any(entry.get("company") and compact(entry.get("title")) in leads for entry in entries)
    if employer_led < MIN_LED_BY_EMPLOYER or title_led:
        return entries
    read = []
    for entry in entries:
        title = entry.get("title")
        headers = leads.get(compact(title)) if title and not entry.get("company") else None
        if headers:
            span = (entry.get("start_date"), entry.get("end_date"))
            header = next((index for index, spans in headers if span in spans), headers[0][0])  # two stints
            if below := _title_below(source_lines, header):
                dropped.append(f"experience.title: {title} (the employer its header line leads with)")
                entry = {**entry, "company": title, "title": below}
        read.append(entry)
    return read


def _title_below(lines: list[str], header: int) -> str | None:
    """The first non-blank line after ``lines[header]`` if it reads as a job title: no list item, no date, no
    section heading, no sentence (one that ends in a full stop, or longer than :data:`MAX_TITLE_WORDS` words)."""
    below = next((line.strip() for line in lines[header + 1 :] if line.strip()), "")
    if not below or _LIST_ITEM.match(below) or date_range_start(below) is not None or section_kind(below):
        return None
    return below if len(below.split()) <= MAX_TITLE_WORDS and not below.endswith(".") else None


_LIST_ITEM = re.compile(rf"^(?:[*{BULLET_GLYPHS}]|[-–]\s|\d+[.)]\s)")
"""A list item's opening: a bullet glyph (with a space or not: "•Docker"), a dash and a space, or a number."""


HEADER_REACH = 3
"""Lines from a job's date line within which its employer and title are looked for (a header is a few lines)."""


def roles_in_resume_order(entries: list[dict], source_lines: list[str], dropped: list[str]) -> list[dict]:
    """A job whose employer and title are swapped against the resume's other jobs written the same way, swapped
    back. A job's header has a shape: where its two values sit around the date line, how their lines open ("###
    MAVERiC Studio" over "**Garage Startup Intern** · 01/2024 – 04/2024") and, on one line, what stands between
    them (", ", " at ", " | "); jobs of one shape are written in one order. Where over twice as many jobs of a
    shape were read employer first (or title first) as the other way (that job itself included, so three at least),
    one of that shape read the other way is read so too. v10's 80 real validation parses: 4 jobs swapped back, all
    then right. Jobs of different shapes are not compared: the synthetic resumes mix header formats within one
    resume ("### Pinecrest Clinic" over its title, then "**Staff Nurse**, Lumen Clinic (dates)"), and so do some
    people."""
    dated = _date_lines(source_lines)
    orders = [_read_order(entry, source_lines, dated) for entry in entries]
    votes = Counter(order for order in orders if order)
    out = []
    for entry, order in zip(entries, orders, strict=True):
        if order:
            shape, employer_first = order
            other = (shape, not employer_first)
            if votes[other] > 2 * votes[order]:
                dropped.append(f"experience: {entry['company']} | {entry['title']} (employer and title swapped)")
                entry = {**entry, "company": entry["title"], "title": entry["company"]}
        out.append(entry)
    return out


def employers_by_place(entries: list[dict], source_lines: list[str], dropped: list[str]) -> list[dict]:
    """A job without an employer whose title sits where the resume's other jobs have their employers, lines from
    the date line ("Juli 2016 - Juni 2018" over "REMEDYNE GmbH" over "SAP Entwickler"), takes it as its employer,
    and the line where they have their titles as its title, where that line is one (:func:`_title_below`). The
    other jobs must agree: two or more, over half of those placed, with no title where they put the employer.
    :func:`employers_from_headers` reads the same mistake where employer and dates share a line. v10's 80 real
    validation parses: 1 job, right."""
    dated = _date_lines(source_lines)
    places: Counter = Counter()  # (employer's line, title's line), each from its date line
    title_lines: Counter = Counter()
    for entry in entries:
        near = dated.get((entry.get("start_date"), entry.get("end_date")))
        if near is None or not entry.get("company") or not entry.get("title"):
            continue
        company, title = _nearest(entry["company"], source_lines, near), _nearest(entry["title"], source_lines, near)
        if company and title and company[0][0] != title[0][0]:
            places[(company[0][0] - near, title[0][0] - near)] += 1
            title_lines[title[0][0] - near] += 1
    if not places:
        return entries
    (employer_at, title_at), count = places.most_common(1)[0]
    if count < MIN_LED_BY_EMPLOYER or 2 * count <= sum(places.values()) or title_lines[employer_at]:
        return entries
    read = []
    for entry in entries:
        near = dated.get((entry.get("start_date"), entry.get("end_date")))
        title = entry.get("title")
        at = _nearest(title, source_lines, near) if title and near is not None and not entry.get("company") else None
        line = near + title_at if at else -1
        if at and at[0][0] - near == employer_at and 0 < line < len(source_lines):
            below = _title_below(source_lines, line - 1)
            if below and below == source_lines[line].strip():
                dropped.append(f"experience.title: {title} (where the resume's jobs have their employers)")
                entry = {**entry, "company": title, "title": below}
        read.append(entry)
    return read


def _date_lines(lines: list[str]) -> dict[tuple[str | None, str], int]:
    """Each date range of ``lines`` -> the index of the first line that writes it."""
    dated: dict[tuple[str | None, str], int] = {}
    for index, line in enumerate(lines):
        for span in date_ranges(line):
            dated.setdefault(span, index)
    return dated


def _read_order(entry: dict, lines: list[str], dated: dict) -> tuple[tuple, bool] | None:
    """(the shape of ``entry``'s header, whether its employer comes first), or None where the resume does not show it:
    no date line for its span, a value not within :data:`HEADER_REACH` lines of it, or both values at one place."""
    company, title = entry.get("company"), entry.get("title")
    near = dated.get((entry.get("start_date"), entry.get("end_date")))
    if not company or not title or near is None:
        return None
    at_company, at_title = _nearest(company, lines, near), _nearest(title, lines, near)
    if at_company is None or at_title is None:
        return None
    (first, first_end), (second, _) = sorted([at_company, at_title])
    if first[0] == second[0] and first_end > second[1]:  # one value inside the other ("Software" in its title)
        return None
    opening = [re.match(r"\W*", lines[line]).group(0).strip() for line, _ in (first, second)]  # "###", "**", "•"
    between = lines[first[0]][first_end : second[1]] if first[0] == second[0] else "\n"
    shape = (first[0] - near, opening[0], second[0] - near, opening[1], between.strip().casefold())  # ",", "at", "|"
    return shape, at_company[0] < at_title[0]


def _nearest(value: str, lines: list[str], near: int) -> tuple[tuple[int, int], int] | None:
    """((line, column), end column) of ``value``'s occurrence as whole words ("Meta" is not in "Metadata") nearest
    ``lines[near]`` within :data:`HEADER_REACH` lines."""
    pattern = re.compile(rf"(?<!\w){re.escape(value)}(?!\w)", re.IGNORECASE)
    found = [
        ((line, match.start()), match.end())
        for line in range(max(0, near - HEADER_REACH), min(len(lines), near + HEADER_REACH + 1))
        if (match := pattern.search(lines[line]))
    ]
    return min(found, key=lambda place: abs(place[0][0] - near), default=None)
