"""Rules that read a job's employer and title from how the resume lays out its job headers (issue #29.4).

The model sometimes writes a job's employer as its title, or swaps the two; the resume's other jobs show which
line holds which. Each rule compares one job with the resume's other jobs written the same way, and changes a job
only where they agree. :func:`ml.inference.grounding.ground` runs them after its per-field rules.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ml.preprocessing.segment import date_range_start, date_ranges, section_kind, section_kinds, trailing_date_range
from ml.text import BULLET_GLYPHS, compact, normalise_date

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


_CONTINUED = re.compile(r"\s*[,:/]\s*[^\W\d_]|\s+\(|\s+[-–]\s+[^\W\d_]|\s+&\s")
"""How a value the model cut short goes on in its line: ", Speech Recognition", " (Backend)", " - College Of Computing",
": Applied Scientist", " & Technical Lead"."""
_FIELD_END = re.compile(r"\s{2,}|\t|\s+[|·—]\s+|\s+(?:at|@|bei|en|chez|à)\s+(?=\S)")
"""Where a header line's field ends, short of a date: a gap between two columns, a separator of fields, " at "."""


def values_read_whole(entries: list[dict], source_lines: list[str], dropped: list[str]) -> list[dict]:
    """A title or employer the model cut short within its header line, read to where its field ends: "Werkstudent"
    of "Werkstudent (NLP/Robust Deep Learning), iABG — 06/2023 to 09/2023" is "Werkstudent (NLP/Robust Deep
    Learning)". The value must open its line (after markup) or follow the job's other value and a separator, and go
    on there (:data:`_CONTINUED`); its field ends at the job's other value, its location, its dates, a column gap or
    a field separator (:data:`_FIELD_END`), within :data:`MAX_TITLE_WORDS` words and no sentence."""
    dated = _date_lines(source_lines)
    read = []
    for entry in entries:
        near = dated.get((entry.get("start_date"), entry.get("end_date")))
        if near is not None:
            for name, other in (("title", "company"), ("company", "title")):
                whole = _read_whole(entry, name, other, source_lines, near)
                if whole:
                    dropped.append(f"experience.{name}: {entry[name]} (cut short of {whole})")
                    entry = {**entry, name: whole}
        read.append(entry)
    return read


def _read_whole(entry: dict, name: str, other: str, lines: list[str], near: int) -> str | None:
    """The whole field ``entry[name]`` stands in, where it is longer (see :func:`values_read_whole`)."""
    value = entry.get(name)
    place = _nearest(value, lines, near) if value else None
    if place is None:
        return None
    (line, start), end = place
    text, rest = lines[line], lines[line][end:]
    before = text[:start]
    partner = entry.get(other)
    paired = bool(partner) and re.search(rf"(?<!\w){re.escape(partner)}(?!\w)", text, re.IGNORECASE) is not None
    led = not before.strip(" #*_>\t")
    follows = paired and compact(before).endswith(compact(partner)) and before.rstrip()[-1:] in ",|·—–-:"
    continued = _CONTINUED.match(rest)
    if not (led or follows) or not continued:
        return None
    if continued.group(0)[-1].isalpha() and not continued.group(0)[-1].isupper():
        return None  # "Curriculum, with 93% of students ...": a sentence goes on
    alone = not paired and (date_range_start(text) is not None or not _elsewhere(partner, lines, line, near))
    if continued.group(0).lstrip().startswith(",") and alone:
        return None  # "Translation Steward, P5js — 03/2024": the comma parts a header's fields
    stops = [len(rest)]
    if (dates := date_range_start(rest)) is not None:
        stops.append(dates)
    if gap := _FIELD_END.search(rest):
        stops.append(gap.start())
    for bound in (partner, entry.get("location")):
        if bound and (found := re.search(rf"(?<!\w){re.escape(bound)}(?!\w)", rest, re.IGNORECASE)):
            stops.append(found.start())
    added = rest[: min(stops)].rstrip(" ,;:|·–—-(*_")
    if name == "company":  # "Transalis, Portsmouth": an employer's short comma tail is its place
        added = _PLACE_TAIL.sub("", added)
    whole = value + added
    words = re.findall(r"[^\s,;:|·–—()/-]+", added)
    if any(normalise_date(word) is not None for word in words):  # "Entel 03/2026 - Present"
        return None
    if whole.count("(") != whole.count(")") or len(whole.split()) > MAX_TITLE_WORDS or whole.endswith("."):
        return None
    return whole if len(whole) > len(value) else None


def _elsewhere(value: str | None, lines: list[str], line: int, near: int) -> bool:
    """Whether ``value`` stands near the job's date line (:func:`_nearest`) on another line than ``line``."""
    place = _nearest(value, lines, near) if value else None
    return place is not None and place[0][0] != line


_PLACE_TAIL = re.compile(r"(?:,\s*[^\W\d_][\w.'’-]*(?:\s+[^\W\d_][\w.'’-]*)?)+$")
"""Comma parts of one or two words that end an employer's field: its town, region or country (", Mountain View,
CA"); a longer part names a unit of it (", Centre for Intelligent Machines")."""


MIN_ROLE_HEADERS = 3
"""Header lines of one shape ("<title> at <employer>" and its dates) a resume must write before one is read as its
job's title and employer against the model's (fewer may be a title that holds " at ": "Data Analyst at CERN")."""
_ROLE_HEADER = re.compile(
    r"^[\W_]*(?P<first>\w.*?)(?P<between>\s+(?:at|@|chez|bei)\s+|\s+[—–|]\s+)(?P<second>\w.*?)[\s,|·–—-]*$"
)
"""A header line of two values: "Craft & Architecture coach at Evaneos", "Coach craft — Wakam", "Acme | Engineer"."""
_AT = re.compile(r"\s*(?:at|@|chez|bei)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class RoleHeader:
    """A header line of two values around a separator (:data:`_ROLE_HEADER`), and the index of its line."""

    first: str
    second: str
    between: str  # the separator, stripped and casefolded: the header's shape
    line: int


def roles_from_headers(entries: list[dict], source_lines: list[str], dropped: list[str]) -> list[dict]:
    """A job read against its own header line where the resume writes its jobs as two values around one separator
    over or beside their dates ("Craft & Architecture coach at Evaneos May 2019 - Mar 2020", or "Coach craft —
    Wakam" over "Paris · oct. 2024 – mai 2025"), :data:`MIN_ROLE_HEADERS` lines at least: the line of the job's
    dates, alone of those lines, gives its title and employer where the model's title or employer is one of its two
    values ("Freelance" over "... coach at Evaneos" is Evaneos; "Mid Software Engineer" as the employer of "Mid
    Software Engineer at Kavak" is the title). Which value is the title: " at " says; otherwise the model's jobs
    that match their headers vote (over twice as many one way as the other). v10's 80 real validation parses: 17
    jobs read so (another line's employer, the title as the employer, a value cut short or missing), all then as
    their header lines write them."""
    convention = _convention(entries, source_lines)
    if convention is None:
        return entries
    headers, shape, title_first = convention
    spans = {(entry.get("start_date"), entry.get("end_date")) for entry in entries}
    read = []
    for entry in entries:
        span = (entry.get("start_date"), entry.get("end_date"))
        found = [header for header in headers.get(span, []) if header.between == shape]
        if span not in headers:  # its dates misread ("mai 2019" as 2019-04): a header of the same years and a value
            found = [
                (near, header)
                for near, found_at in headers.items()
                if near not in spans and _same_years(near, span)
                for header in found_at
                if header.between == shape and _shares_value(entry, header)
            ]
            found = [header for _, header in found] if len(found) == 1 else []
            span = next((near for near, at in headers.items() if found and found[0] in at), span)
            spans.add(span)  # one job per header
        if len(found) == 1 and len(headers.get(span, [])) == 1:
            header_title, employer = _roles(found[0], title_first)
            values = {compact(header_title), compact(employer)}
            title, company = compact(entry.get("title")), compact(entry.get("company"))
            written = (entry.get("start_date"), entry.get("end_date")) == span
            if (not written or (title, company) != (compact(header_title), compact(employer))) and (
                title in values or company in values
            ):
                dropped.append(f"experience: {entry.get('company')} | {entry.get('title')} (its header line reads so)")
                entry = {**entry, "title": header_title, "company": employer}
                entry.update(start_date=span[0], end_date=span[1])
        read.append(entry)
    return read


def _same_years(a: tuple[str | None, str], b: tuple[str | None, str | None]) -> bool:
    """Whether two date ranges start in one year and end in one year (or both run to the present)."""
    return all(x is not None and y is not None and x[:4] == y[:4] for x, y in zip(a, b, strict=True))


def _shares_value(entry: dict, header: RoleHeader) -> bool:
    """Whether the job's title or employer is one of ``header``'s two values."""
    values = {compact(header.first), compact(header.second)}
    return bool(values & {compact(entry.get("title")), compact(entry.get("company"))} - {""})


MIN_HEADERS_READ = 0.5
"""The share of a resume's job headers the model's jobs must match before a header no job reads is taken as a job."""


def jobs_from_headers(entries: list[dict], source_lines: list[str], dropped: list[str]) -> list[dict]:
    """``entries`` with a job for each header line of the resume's convention (see :func:`roles_from_headers`) under
    a work heading whose dates no job has, where the model's jobs match at least :data:`MIN_HEADERS_READ` of those
    headers; in the resume's order, with no highlights (:func:`ml.inference.highlights.highlights_as_written` reads
    its points from its entry). A 135M model loses jobs of a long career: 14 jobs of "Coach craft — Wakam" over
    their dates, 9 read."""
    convention = _convention(entries, source_lines)
    if convention is None:
        return entries
    headers, shape, title_first = convention
    kinds = section_kinds("\n".join(source_lines))
    own = {
        span: found[0]
        for span, found in headers.items()
        if len(found) == 1 and found[0].between == shape and kinds[found[0].line] == "work"
    }
    spans = [(entry.get("start_date"), entry.get("end_date")) for entry in entries]
    if not own or sum(span in own for span in spans) < MIN_HEADERS_READ * len(own):
        return entries
    known = {(compact(entry.get("title")), compact(entry.get("company"))) for entry in entries}
    placed = [(own[span].line if span in own else None, entry) for span, entry in zip(spans, entries, strict=True)]
    for span, header in own.items():
        title, employer = _roles(header, title_first)
        if span in spans or (compact(title), compact(employer)) in known:
            continue
        dropped.append(f"experience: + {employer} | {title} (a header line no job read)")
        job = {"company": employer, "title": title, "start_date": span[0], "end_date": span[1], "location": None}
        after = max((k for k, (line, _) in enumerate(placed) if line is not None and line < header.line), default=-1)
        placed.insert(after + 1, (header.line, {**job, "highlights": []}))
    return [entry for _, entry in placed]


def _convention(
    entries: list[dict], lines: list[str]
) -> tuple[dict[tuple[str | None, str], list[RoleHeader]], str, bool] | None:
    """The resume's job headers by date range, their shape (the separator most of them use, :data:`MIN_ROLE_HEADERS`
    at least) and whether the title comes first; None where it writes no such convention or the order is unknown."""
    headers = _role_headers(lines)
    shapes = Counter(header.between for found in headers.values() for header in found)
    if not shapes:
        return None
    shape, count = shapes.most_common(1)[0]
    if count < MIN_ROLE_HEADERS:
        return None
    title_first = _AT.fullmatch(shape) is not None or _title_first(entries, headers, shape)
    return None if title_first is None else (headers, shape, title_first)


def _roles(header: RoleHeader, title_first: bool) -> tuple[str, str]:
    """(title, employer) of ``header``."""
    return (header.first, header.second) if title_first else (header.second, header.first)


def _role_headers(lines: list[str]) -> dict[tuple[str | None, str], list[RoleHeader]]:
    """Each date range of a header line (:data:`_ROLE_HEADER`) -> its headers, the dates ending the line or the line
    below ("Paris · oct. 2024 – mai 2025")."""
    headers: dict[tuple[str | None, str], list[RoleHeader]] = {}
    for index, line in enumerate(lines):
        at = trailing_date_range(line)
        head, dated = (line[:at], line[at:]) if at else (line, lines[index + 1] if index + 1 < len(lines) else "")
        parts = _ROLE_HEADER.match(head.strip()) if head.strip() else None
        spans = date_ranges(dated) if parts and (at or date_range_start(dated) is not None) else []
        if parts and len(spans) == 1 and date_range_start(parts["second"]) is None:
            between = parts["between"].strip().casefold()
            header = RoleHeader(parts["first"].strip(), parts["second"].strip(), between, index)
            start, end = spans[0]
            later = start is not None and end != "present" and (end[:4], end) < (start[:4], start)
            headers.setdefault((end, start) if later else (start, end), []).append(header)  # "May 2025 - Oct 2024"
    return headers


def _title_first(entries: list[dict], headers: dict, shape: str) -> bool | None:
    """Whether the model's jobs read headers of ``shape`` title first: over twice as many of those that match their
    header one way as the other; None where they do not agree so."""
    votes = Counter()
    for entry in entries:
        found = headers.get((entry.get("start_date"), entry.get("end_date")), [])
        if len(found) == 1 and found[0].between == shape:
            first, second = compact(found[0].first), compact(found[0].second)
            title, company = compact(entry.get("title")), compact(entry.get("company"))
            votes[True] += (title, company) == (first, second)
            votes[False] += (title, company) == (second, first)
    if votes[True] > 2 * votes[False]:
        return True
    return False if votes[False] > 2 * votes[True] else None
