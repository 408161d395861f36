"""Rules that read a job's employer and title from how the resume lays out its job headers (issue #29.4).

The model sometimes writes a job's employer as its title, or swaps the two; the resume's other jobs show which
line holds which. Each rule compares one job with the resume's other jobs written the same way, and changes a job
only where they agree. :func:`ml.inference.grounding.ground` runs them after its per-field rules.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ml.preprocessing.segment import (
    JOB_SECTIONS,
    date_range_start,
    date_ranges,
    section_kind,
    section_kinds,
    trailing_date_range,
)
from ml.text import ARROW_MARKS, BULLET_GLYPHS, CELL_GAP, compact, normalise_date

MAX_TITLE_WORDS = 12
"""A longer "title" is a sentence of the job's description (the real training pool: 328 titles, none over 10 words)."""


MIN_AGREEING = 2
"""Jobs of a resume that must agree on how its headers are written (employer first, where the employer stands,
which value is the title) before another job is read that way."""


def employers_from_headers(entries: list[dict], source_lines: list[str], dropped: list[str]) -> list[dict]:
    """A job without an employer whose title is what its header line writes before the job's dates ("Irontec 07/2014
    - 08/2016"), in a resume whose other jobs' header lines lead with their employers (:data:`MIN_AGREEING`,
    and none with its title), takes that lead as its employer and its title from the line below the header, where
    that line is one (:func:`_title_below`); with no such line it stays as it is (a job of no employer,
    "Freelance Developer 2019 - 2020" over its stack). The model wrote a job's employer as its title, and no
    employer, in 3 of the 40 real validation PDFs (macchiato prints "employer dates" over the title); each time the
    resume's other jobs were read employer first. Where both orders occur in one resume, nothing is changed.

    In such a resume a job given another header's lead as its employer ("CCiTUB" for the job dated under
    "Universitat Politècnica de Catalunya 09/2021 - 07/2022"; v10 on a macchiato PDF) takes its own header's lead,
    where that lead is no other job's employer and does not hold the job's title (a role's line under its
    employer's: "Senior Engineer (Platform)  Jan 2018 - Dec 2020"), and its title from the line below if it had
    none."""
    leads: dict[str, list[tuple[int, list, str]]] = {}  # a header's lead (compact) -> (line, its spans, the lead)
    for index, line in enumerate(source_lines):
        at = trailing_date_range(line)
        at = date_range_start(line) if at is None else at
        if lead := compact(line[:at]) if at else "":
            leads.setdefault(lead, []).append((index, date_ranges(line), line[:at].strip()))
    employer_led = sum(1 for entry in entries if compact(entry.get("company")) in leads)
    title_led = any(entry.get("company") and compact(entry.get("title")) in leads for entry in entries)
    if employer_led < MIN_AGREEING or title_led:
        return entries
    read = []
    claimed = {compact(entry.get("company")) for entry in entries}
    for entry in entries:
        title, span = entry.get("title"), (entry.get("start_date"), entry.get("end_date"))
        employer = compact(entry.get("company"))
        own = [
            (lead, line, written) for lead, found in leads.items() for line, spans, written in found if span in spans
        ]
        if employer in leads and len(own) == 1 and own[0][0] not in claimed and employer != own[0][0]:
            lead, line, written = own[0]  # another header's employer: "CCiTUB" read for the job dated under "UPC ..."
            if written and reads_as_name(written) and not (title and compact(title) in lead):
                dropped.append(f"experience.company: {entry['company']} (another job's header; {written} is its own)")
                entry = {**entry, "company": written, "title": title or _title_below(source_lines, line)}
        headers = leads.get(compact(title)) if title and not entry.get("company") else None
        if headers:
            header = next((index for index, spans, _ in headers if span in spans), headers[0][0])  # two stints
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


_LIST_ITEM = re.compile(rf"^(?:[*{BULLET_GLYPHS}]|[-–{ARROW_MARKS}]\s|\d+[.)]\s)")
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
    if count < MIN_AGREEING or 2 * count <= sum(places.values()) or title_lines[employer_at]:
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


def _date_lines_once(lines: list[str]) -> dict[tuple[str | None, str], int]:
    """Each date range that ``lines`` write on one line only -> that line's index."""
    written = Counter(span for line in lines for span in date_ranges(line))
    return {span: line for span, line in _date_lines(lines).items() if written[span] == 1}


def titles_before_employers(entries: list[dict], source_lines: list[str], dropped: list[str]) -> list[dict]:
    """A job read with its employer and no title, whose header line just above its dates is "<title>, <employer>"
    ("技术专家, 北京读我科技有限公司" over "Apr, 2019 - Present"), takes the part before the comma as its title, where
    it reads as a name (:func:`reads_as_name`). v10 on an elegant PDF left both its jobs' titles out so."""
    dated = _date_lines_once(source_lines)
    read = []
    for entry in entries:
        at = dated.get((entry.get("start_date"), entry.get("end_date")))
        if entry.get("company") and not entry.get("title") and at:
            above = next((line.strip() for line in reversed(source_lines[max(0, at - 2) : at]) if line.strip()), "")
            title, comma, employer = above.rpartition(", ")
            if comma and compact(employer) == compact(entry["company"]) and title and reads_as_name(title):
                dropped.append(f"experience.title: + {title} (its header line's before its employer)")
                entry = {**entry, "title": title}
        read.append(entry)
    return read


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
    follows = paired and compact(before).endswith(compact(partner)) and before.rstrip()[-1:] in tuple(",|·—–-:")
    continued = _CONTINUED.match(rest)
    if not (led or follows) or not continued:
        return None
    word = re.match(r"\w*", rest[continued.end() - 1 :]).group(0)
    if word.isalpha() and word.islower():
        return None  # "Curriculum, with 93% of students ...": a sentence goes on ("iOS" is a name)
    alone = not paired and (date_range_start(text) is not None or not _elsewhere(partner, lines, line, near))
    if continued.group(0).lstrip().startswith(",") and alone:
        return None  # "Translation Steward, P5js — 03/2024": the comma parts a header's fields
    stops = [len(rest)]
    dates = trailing_date_range(rest)
    if (dates := date_range_start(rest) if dates is None else dates) is not None:
        stops.append(dates)  # "Risk Team 2017 - 2019": "Team" is no month where the range ends the line
    if gap := _FIELD_END.search(rest):
        stops.append(gap.start())
    for bound in (partner, entry.get("location")):
        if bound and (found := re.search(rf"(?<!\w){re.escape(bound)}(?!\w)", rest, re.IGNORECASE)):
            stops.append(found.start())
    added = rest[: min(stops)].rstrip(" ,;:|·–—-(*_")
    if name == "company":  # "Transalis, Portsmouth": an employer's short comma tail is its place
        added = without_place(value + added)[len(value) :]
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


_PLACE_PART = re.compile(r",\s*([^\W\d_][\w.'’-]*(?:\s+[^\W\d_][\w.'’-]*)?)\s*$")
LEGAL_FORMS = frozenset(
    "ltd inc llc llp plc co corp gmbh ag kg ug sa sl sas sarl srl spa bv nv ab as oy pty limited sadecv".split()  # noqa: SIM905
)
"""Words of a company's legal form, that a comma may set off ("HiveGround Co., Ltd", "Acme, Inc."): no place."""
_UNIT = re.compile(
    r"(?i)\b(?:univ\w*|institut\w*|college|coll[eè]ge|school|[eé]cole|escuela|lab\w*|group|grupo|cent(?:er|re|ro)"
    r"|dep(?:t|artment\w*)|facult\w*|hospital|bank|team|division)\b"
)
"""Words that make a comma part a unit of its employer ("MagicLab, Fudan University"), not a place."""


def without_place(employer: str) -> str:
    """``employer`` without the comma parts of one or two words that end it: its town, region or country ("Google,
    Mountain View, CA" is Google); a longer part names a unit of it (", Centre for Intelligent Machines"), and a
    legal form (:data:`LEGAL_FORMS`), an acronym of four capitals or more (", VISTEC") or a unit (:data:`_UNIT`: ",
    Fudan University") is the employer's own."""
    while (part := _PLACE_PART.search(employer)) and not (
        re.sub(r"[\W_]", "", part[1]).casefold() in LEGAL_FORMS
        or (part[1].isupper() and len(part[1]) >= 4)
        or _UNIT.search(part[1])
    ):
        employer = employer[: part.start()]
    return employer


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
            if compact(without_place(entry.get("company") or "")) == compact(employer):
                employer = entry["company"]  # "Indian Institute of Technology, Roorkee" as its header writes it
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
    """(title, employer) of ``header``, the employer without its place (:func:`without_place`)."""
    return (header.first, without_place(header.second)) if title_first else (header.second, without_place(header.first))


def _role_headers(lines: list[str]) -> dict[tuple[str | None, str], list[RoleHeader]]:
    """Each date range of a header line (:data:`_ROLE_HEADER`) -> its headers, the dates ending the line or the line
    below ("Paris · oct. 2024 – mai 2025"). Only lines under a work heading or none count, and no list item (a
    bullet "Presented at NeurIPS 2021 – 2022"); markdown's emphasis is read through; each value is one field (no
    second separator in it, no date)."""
    kinds = section_kinds("\n".join(lines))
    headers: dict[tuple[str | None, str], list[RoleHeader]] = {}
    for index, line in enumerate(lines):
        if kinds[index] not in (None, "work") or (_LIST_ITEM.match(line.strip()) and "**" not in line[:3]):
            continue
        at = trailing_date_range(line)
        if at == 0 or date_range_start(line[: at or len(line)]) is not None:
            continue  # a date line alone, or dates inside the header
        head, dated = (line[:at], line[at:]) if at else (line, lines[index + 1] if index + 1 < len(lines) else "")
        head = CELL_GAP.split(re.sub(r"\*\*|__", "", head).strip())[0]
        parts = _ROLE_HEADER.match(head) if head else None
        spans = date_ranges(dated) if parts and (at or date_range_start(dated) == 0 or _placed_dates(dated)) else []
        if not parts or len(spans) != 1 or _ROLE_HEADER.match(parts["second"]):
            continue
        between = parts["between"].strip().casefold()
        first, second = parts["first"].strip(" *_"), parts["second"].strip(" *_")
        if normalise_date(first) is None and normalise_date(second) is None:
            start, end = spans[0]
            key = (end, start) if _reversed(start, end) else (start, end)  # "May 2025 - Oct 2024"
            headers.setdefault(key, []).append(RoleHeader(first, second, between, index))
    return headers


def _reversed(start: str | None, end: str) -> bool:
    """Whether a date range ends before it starts ("2019" does not end before "2019-05")."""
    if start is None or end == "present":
        return False
    return end[:4] < start[:4] or (len(end) == len(start) and end < start)


def _placed_dates(line: str) -> bool:
    """A line of a place and dates ("Paris - Télétravail · oct. 2024 – mai 2025"): the dates end it, after a dot, a
    bar or a comma."""
    at = trailing_date_range(line)
    return bool(at) and line[:at].rstrip().endswith(("·", "|", ","))


def _title_first(entries: list[dict], headers: dict, shape: str) -> bool | None:
    """Whether headers of ``shape`` put the title first, by the model's titles: a job whose title is its header's
    first value votes yes, its second value no (employers are the model's weaker field: it writes a header's other
    word, "Desarrollador", where the title is right). :data:`MIN_AGREEING` votes or more one way, over twice
    as many as the other; None otherwise ("Google — Mountain View" over "Software Engineer · 2019 - 2021": no title
    is a value of the header, and a title read as the place is one vote, not enough)."""
    votes = Counter()
    for entry in entries:
        found = headers.get((entry.get("start_date"), entry.get("end_date")), [])
        if len(found) == 1 and found[0].between == shape and (title := compact(entry.get("title"))):
            votes[True] += title == compact(found[0].first)
            votes[False] += title == compact(found[0].second)
    for order in (True, False):
        if votes[order] >= MIN_AGREEING and votes[order] > 2 * votes[not order]:
            return order
    return None


LINK_LINE = re.compile(r"^\s*(?:https?://|www\.)\S*\s*$", re.IGNORECASE)
"""A line that is a link alone (a theme prints an employer's or a project's site on its own line)."""
MIN_TEMPLATE_SHARE = 3 / 5
"""The share of a resume's date lines (each with a job whose employer and title read as names and are placed) whose
job puts them at the same places before a job placed otherwise is read at those places."""


MIN_LAID_OUT = 3
"""Date lines a work section needs to show its layout by itself (:meth:`HeaderCells.laid_out`)."""


NAMES = ("company", "title")
"""A job header's two values."""
Place = tuple[int, int]
"""Where a header's value stands from its job's date line: (lines off, cell of that line)."""


class HeaderCells:
    """A resume's lines as job headers are read: lines neither blank nor a bare link (a theme prints an employer's
    site on a line of its own), each parted into cells by column gaps ("AECOM  Phoenix, AZ"), and the date line
    each job's span is written on where it is written once (two jobs of one span: its line is not known)."""

    def __init__(self, source_lines: list[str]) -> None:
        self.lines = source_lines
        self.slots = [index for index, line in enumerate(source_lines) if line.strip() and not LINK_LINE.match(line)]
        self.slot_of = {line: k for k, line in enumerate(self.slots)}
        self.once = _date_lines_once(source_lines)

    def anchor(self, entry: dict) -> int | None:
        """The slot of the line that alone writes the job's dates."""
        return self.slot_of.get(self.once.get((entry.get("start_date"), entry.get("end_date")), -1))

    def cells(self, slot: int) -> list[str]:
        return CELL_GAP.split(self.lines[self.slots[slot]].strip()) if 0 <= slot < len(self.slots) else []

    def place(self, value: str | None, anchor: int) -> Place | None:
        """Where ``value`` is a whole cell within :data:`HEADER_REACH` lines of ``anchor``, the nearest first."""
        for offset in sorted(range(-HEADER_REACH, HEADER_REACH + 1), key=abs):
            for cell, text in enumerate(self.cells(anchor + offset)):
                if value and compact(text) == compact(value):
                    return offset, cell
        return None

    def nearest_spans(self, value: str | None, below: bool | None = None) -> set[tuple[str | None, str]]:
        """The spans of the date lines nearest to each header line that holds ``value`` ("1999 – 2004: Product
        Analyst at Finlytics" holds "Finlytics"), within :data:`HEADER_REACH` lines; where two are as near, the one
        ``below`` it (or above it) if that is given, else both. A header line is no list item and no sentence: a
        bullet's "(Mar 2021 – Jun 2021)" dates no job, and a point's words head none."""
        key = compact(value)
        if not key:
            return set()
        dated = {
            self.slot_of[line]: span
            for span, line in self.once.items()
            if line in self.slot_of and not _LIST_ITEM.match(self.lines[line].strip())
        }
        spans: set[tuple[str | None, str]] = set()
        for slot, line in enumerate(self.slots):
            text = self.lines[line].strip()
            if key not in compact(text) or _LIST_ITEM.match(text) or len(text.split()) > MAX_TITLE_WORDS:
                continue
            near = sorted((abs(other - slot), other) for other in dated if abs(other - slot) <= HEADER_REACH)
            nearest = [other for distance, other in near if distance == near[0][0]] if near else []
            if len(nearest) > 1 and below is not None:
                nearest = [other for other in nearest if (other > slot) == below]
            spans |= {dated[other] for other in nearest}
        return spans

    def opens(self, anchor: int) -> bool:
        """Whether the date line opens with its dates ("Technicien, 2016 — 2018" does not)."""
        return date_range_start(self.lines[self.slots[anchor]].strip()) == 0

    def shape(self, entry: dict, anchor: int) -> tuple[Place | None, Place | None, bool]:
        """Where the job's employer and title stand from its dates, and whether its date line opens with them."""
        return self.place(entry.get("company"), anchor), self.place(entry.get("title"), anchor), self.opens(anchor)

    def template(self, entries: list[dict]) -> tuple[Place, Place, bool] | None:
        """The shape most of the jobs placed whole share: two or more date lines, :data:`MIN_TEMPLATE_SHARE` of those
        with a job whose employer and title both read as names (:func:`reads_as_name`). v10 on a kendall PDF of eight
        jobs read three in the template's places, one twice (a date line of two entries, one right), two with a
        place as the employer or the title."""
        shapes, by_line, _ = self._shapes(entries)
        if not shapes:
            return None
        shape, count = shapes.most_common(1)[0]
        return shape if count >= MIN_AGREEING and count >= MIN_TEMPLATE_SHARE * len(by_line) else None

    def page_template(self, entries: list[dict]) -> tuple[Place, Place, bool] | None:
        """Short of a :meth:`template`, the one shape of the jobs placed whole that the page's work date lines are
        all laid out in (:meth:`laid_out`), where every job of two names has one near its dates (a header "Group
        Product Manager, Meridian Labs" has neither as a cell: its page is laid out otherwise)."""
        shapes, _, unplaced = self._shapes(entries)
        laid_out = [shape for shape in shapes if not unplaced and self.laid_out(shape)]
        return laid_out[0] if len(laid_out) == 1 else None

    def _shapes(self, entries: list[dict]) -> tuple[Counter, dict[int, set[tuple[Place, Place, bool]]], bool]:
        """The shapes of the jobs whose two values read as names and are placed whole (by date line: one two
        entries read counts once), and whether a job of two names has neither near its dates."""
        by_line: dict[int, set[tuple[Place, Place, bool]]] = {}
        unplaced = False
        for entry in entries:
            anchor = self.anchor(entry)
            if anchor is None or not all(reads_as_name(entry.get(name) or "") for name in ("company", "title")):
                continue
            company, title, dates = self.shape(entry, anchor)
            unplaced = unplaced or (company is None and title is None)
            if company and title and company != title:
                by_line.setdefault(anchor, set()).add((company, title, dates))
        return Counter(shape for shapes in by_line.values() for shape in shapes), by_line, unplaced

    def laid_out(self, shape: tuple[Place, Place, bool]) -> bool:
        """Whether every date line of the work section (:data:`MIN_LAID_OUT` or more) has two names in ``shape``'s
        places and opens with its dates as it says: a page laid out so, where one job the model read whole shows
        which place holds which (v10 read 1 of the 3 jobs of an even PDF whole, each "title / employer / dates")."""
        company_at, title_at, dates_open = shape
        kinds = section_kinds("\n".join(self.lines))
        dated = [
            slot
            for slot, line in enumerate(self.slots)
            if kinds[line] == "work"
            and len(date_ranges(self.lines[line])) == 1
            and not _LIST_ITEM.match(self.lines[line].strip())
        ]
        if len(dated) < MIN_LAID_OUT:
            return False
        for slot in dated:
            company = _cell(self.cells(slot + company_at[0]), company_at[1])
            title = _cell(self.cells(slot + title_at[0]), title_at[1])
            if self.opens(slot) != dates_open or not company or not title or compact(company) == compact(title):
                return False
        return True


def roles_by_template(
    entries: list[dict], source_lines: list[str], dropped: list[str], person: str | None = None
) -> list[dict]:
    """A job read at the places where the resume's other jobs have their employer and title, counted from each job's
    date line (one that opens with its dates, or not, as theirs do) in lines that are neither blank nor a bare link,
    and in cells split by column gaps ("AECOM  Phoenix, AZ" over a link over "June 2022 – Present" over
    "Traffic/ITS/Technology Engineer"). The others must agree: two or more date lines, :data:`MIN_TEMPLATE_SHARE` of
    those whose job's two values are whole cells near their dates (:meth:`HeaderCells.template`), or one such job on
    a page whose work date lines are all laid out alike (:meth:`HeaderCells.page_template`: then a value in its place
    is no reason, since a description line fits a place too). A job with one value in its place and the other missing
    or not a whole cell near its dates (a cut value, a sentence, the place beside the employer), with another job's
    employer in its employer's place ("Bosch" for Tesla's header), with its employer read as its title or where the
    others' titles stand, or with neither value a name near its dates and neither written since the header before
    (a second role's employer stands there) takes both from those places; one that is a line of its own elsewhere (a
    place, a second role's line) leaves the job alone. Values are taken where each reads as a name
    (:func:`reads_as_name`); an employer that is the ``person``'s own name (a freelancer's) is left out, as
    :func:`ml.inference.grounding.work_entries` takes it for the resume's head. v10 read a sentence as the title, or
    a title cut short ("Grader" of "Course Grader")."""
    header = HeaderCells(source_lines)
    cells, place, opens = header.cells, header.place, header.opens
    anchors = [header.anchor(entry) for entry in entries]
    placed = [entry for entry, anchor in zip(entries, anchors, strict=True) if anchor is not None]
    template = header.template(placed)
    of_page = template is None  # one job's template: a value in place proves less (a description line fits it too)
    template = header.page_template(placed) if of_page else template
    if template is None:
        return entries
    company_at, title_at, dates_open = template
    dated = [slot for slot, line in enumerate(header.slots) if date_ranges(source_lines[line])]
    first = min(company_at[0], title_at[0], 0)
    since = {  # the text from the header before each job's to its date line: a second role's employer stands there
        anchor: compact(
            " ".join(
                source_lines[header.slots[slot]]
                for slot in range(max([0, *(d + first for d in dated if d < anchor)]), anchor)
            )
        )
        for anchor in set(anchors) - {None}
    }
    employers = {  # each job's header's employer in the template's place
        slot: employer
        for slot in set(anchors) - {None}
        if (employer := _cell(cells(slot + company_at[0]), company_at[1]))
    }
    read = []
    for entry, anchor in zip(entries, anchors, strict=True):
        if anchor is not None and opens(anchor) == dates_open:
            places = [(place(entry.get("company"), anchor), company_at), (place(entry.get("title"), anchor), title_at)]
            in_place = [found == slot for found, slot in places]
            elsewhere = any(found is not None and _header_line(found[0], company_at, title_at) for found, _ in places)
            company, title = (_cell(cells(anchor + offset), cell) for offset, cell in (company_at, title_at))
            company = without_place(company) if company else company  # "Divery.io, Remote"
            names = company is not None and title is not None and compact(company) != compact(title)
            if names and compact(company) == compact(person):
                company = None
            company, title = (  # the model's value where the place starts with it and it is no whole cell near (a cut
                value  # value, which values_read_whole reads on; not another job's title, "Analista de Soporte")
                if value and compact(found or "").startswith(compact(value)) and where is None
                else found
                for value, found, (where, _) in (
                    (entry.get("company"), company, places[0]),
                    (entry.get("title"), title, places[1]),
                )
            )
            changed = (company, title) != (entry.get("company"), entry.get("title"))
            borrowed = any(  # the employer of another header: "CCiTUB" for the job dated under "Universitat ..."
                slot != anchor and compact(employer) == compact(entry.get("company"))
                for slot, employer in employers.items()
            ) and not any(compact(other.get("company")) == compact(company) for other in entries)
            # the employer read as the title ("San Diego Supercomputer Center"), with a cell of its line as the
            # employer (the place beside it), or with none where the template's title is across the dates; not a job
            # of a header shaped otherwise ("Audit Associate" over "Lumen Partners, Seattle, WA" among jobs whose
            # title is two lines over their employer), nor one with no employer whose title is where the template's
            # employer stands ("Freelance Developer" over its dates, the others' titles over their employers)
            company_found = places[0][0]
            apart = company_at[0] * title_at[0] < 0  # employer and title on two sides of the dates (kendall's)
            as_title = places[1][0] == company_at and (
                (apart and not entry.get("company"))
                or (company_found is not None and company_found[0] == company_at[0])
            )
            # the employer read where the others' titles stand, its title a cell near its dates but not where their
            # employers stand ("Analista de Soporte de Sistemas" as the employer, the next job's title as the title;
            # not a header written the other way round, nor one of an employer alone)
            company_as_title = places[0][0] == title_at and places[1][0] not in (None, company_at)
            lost = not any(  # neither value a name that is a cell near its dates ("Highlights"): misread, unless
                found is not None and reads_as_name(entry.get(name) or "")  # one is written since the header before
                for (found, _), name in zip(places, NAMES, strict=True)
            ) and not any(compact(entry.get(name)) in since[anchor] for name in NAMES if entry.get(name))
            if (
                (borrowed or as_title or lost or company_as_title or (any(in_place) and not of_page))
                and not elsewhere
                and not all(in_place)
                and names
                and changed
            ):
                what = f"{entry.get('company')} | {entry.get('title')}"
                dropped.append(f"experience: {what} (read where the resume's other jobs have theirs)")
                entry = {**entry, "company": company, "title": title}
        read.append(entry)
    return read


def jobs_from_template(
    entries: list[dict], source_lines: list[str], dropped: list[str], person: str | None = None
) -> list[dict]:
    """``entries`` with a job for each date line of a work section that no job reads, read at the places where the
    resume's other jobs have their employer and title (:meth:`HeaderCells.template`, else
    :meth:`HeaderCells.page_template`; the date line opening with its dates or not as theirs do), where the model's
    jobs read :data:`MIN_HEADERS_READ` of those lines or more; in the resume's order, with no highlights
    (:func:`ml.inference.highlights.highlights_as_written` reads its points from its entry). A line is read where a
    job has its dates and its employer or title in the template's places (one span two jobs share: each line by its
    own header). The employer that is the ``person``'s own name (a freelancer's) is left out, the title kept. v10
    read 9 of the 16 jobs of a kendall PDF, each a block of employer, link, dates, title and description."""
    header = HeaderCells(source_lines)
    anchors = [header.anchor(entry) for entry in entries]
    placed = [entry for entry, anchor in zip(entries, anchors, strict=True) if anchor is not None]
    template = header.template(placed) or header.page_template(placed)
    if template is None:
        return entries
    company_at, title_at, dates_open = template
    kinds = section_kinds("\n".join(source_lines))
    lines = {  # the work section's date lines (not a point's, nor a volunteer's): slot -> its one span
        header.slot_of[k]: spans[0]
        for k, line in enumerate(source_lines)
        if k in header.slot_of
        and kinds[k] == "work"
        and len(spans := date_ranges(line)) == 1
        and not _LIST_ITEM.match(line.strip())
        and header.opens(header.slot_of[k]) == dates_open
    }

    def values(slot: int) -> tuple[str | None, str | None]:
        company = _cell(header.cells(slot + company_at[0]), company_at[1])
        return (without_place(company) if company else None), _cell(header.cells(slot + title_at[0]), title_at[1])

    def reads(entry: dict, slot: int) -> bool:
        span = (entry.get("start_date"), entry.get("end_date"))
        company, title = values(slot)
        return span == lines[slot] and (
            anchors[entries.index(entry)] == slot
            or any(
                compact(entry.get(name)) == compact(value)
                for name, value in (("company", company), ("title", title))
                if value
            )
        )

    read = {slot for slot in lines if any(reads(entry, slot) for entry in entries)}
    if len(read) < MIN_HEADERS_READ * len(lines):
        return entries
    known = {(compact(entry.get("company")), compact(entry.get("title"))) for entry in entries}
    placed = [(anchor, entry) for anchor, entry in zip(anchors, entries, strict=True)]
    for slot in sorted(set(lines) - read):
        company, title = values(slot)
        if not title or compact(company) == compact(title) or (compact(company), compact(title)) in known:
            continue
        company = None if compact(company) == compact(person) else company
        span = lines[slot]
        dropped.append(f"experience: + {company} | {title} (a date line no job read, read as the others' are)")
        job = {"company": company, "title": title, "start_date": span[0], "end_date": span[1], "location": None}
        after = max((k for k, (anchor, _) in enumerate(placed) if anchor is not None and anchor < slot), default=-1)
        placed.insert(after + 1, (slot, {**job, "highlights": []}))
    return [entry for _, entry in placed]


def one_job_a_date_line(entries: list[dict], source_lines: list[str], dropped: list[str]) -> list[dict]:
    """Jobs the model dated by one date line that the resume writes once, read as the one job they are. The job whose
    employer and title are cells of the header (:class:`HeaderCells`: the more of them in the places the resume's other
    jobs have theirs, then the more of them near the dates, then the first) is kept; another whose employer (or, with
    none, title) heads a date line that no job holds is that line's job, dated so; the rest are merged into the kept job
    (its empty fields filled, their points after its own). v10 read a description's line as a second job of its dates
    ("Explored virtual world creation..." beside "MAVERiC Studio"), or the place beside an employer as the employer
    ("Fremont, California, USA | Tesla" beside "Tesla | Data Scientist Intern"): 14 such pairs on its 80 real validation
    parses; no two true jobs share a date line written once there. Two jobs of one employer whose titles are both lines
    (or cells) of the resume may be two roles (:func:`ml.inference.grounding.repeats_merged`), and a job whose employer
    heads another date line (where the resume's jobs have theirs, or as near as here) is another job: they stay apart,
    and so do jobs dated by a line under another section's heading (another rule reads those)."""
    header = HeaderCells(source_lines)
    spans = [(entry.get("start_date"), entry.get("end_date")) for entry in entries]
    kinds = section_kinds("\n".join(source_lines))
    sharing = {
        span
        for span in spans
        if spans.count(span) > 1 and span in header.once and kinds[header.once[span]] in JOB_SECTIONS | {None}
    }
    if not sharing:
        return entries
    template = header.template([entry for entry, span in zip(entries, spans, strict=True) if span not in sharing])
    held = set(spans)
    cells = {compact(cell) for slot in range(len(header.slots)) for cell in header.cells(slot)}

    def named(entry: dict, anchor: int | None) -> int:
        if anchor is None:
            return 0
        return sum(header.place(entry.get(name), anchor) is not None for name in NAMES)

    def in_template(entry: dict, anchor: int | None) -> int:
        if anchor is None or template is None:
            return 0
        places = dict(zip(NAMES, template[:2], strict=True))
        return sum(header.place(entry.get(name), anchor) == places[name] for name in NAMES if entry.get(name))

    def two_roles(one: dict, other: dict) -> bool:  # "ZHAW" over two titles, each a line of its own
        titles = {compact(one.get("title")), compact(other.get("title"))}
        return (
            bool(compact(one.get("company")))
            and compact(one.get("company")) == compact(other.get("company"))
            and len(titles - {""}) == 2
            and titles <= cells
        )

    def another_job(entry: dict, anchor: int | None) -> bool:  # its employer heads another date line
        here = header.place(entry.get("company"), anchor) if anchor is not None else None
        near = [
            found
            for line in header.once.values()
            if (other := header.slot_of.get(line)) not in (None, anchor)
            and (found := header.place(entry.get("company"), other))
        ]
        if template is not None:  # where the resume's jobs have their employer
            return template[0] in near
        return bool(near) and (here is None or min(abs(at[0]) for at in near) <= abs(here[0]))

    def heads(entry: dict, keeper: dict, anchor: int | None) -> tuple[str | None, str] | None:
        name = next((name for name in NAMES if entry.get(name)), None)  # the employer where there is one
        if name is None:
            return None
        # the dates below the value where the resume's jobs (or else the kept one) write theirs below
        kept_at = header.place(keeper.get(name), anchor) if anchor is not None else None
        at = template[NAMES.index(name)] if template is not None else kept_at
        below = None if at is None or at[0] == 0 else at[0] < 0
        spans = header.nearest_spans(entry.get(name), below)
        if len(spans) != 1 or (span := spans.pop()) in held:
            return None
        return span if kinds[header.once[span]] in JOB_SECTIONS | {None} else None

    out = [dict(entry) for entry in entries]
    gone: set[int] = set()
    for span in sorted(sharing, key=spans.index):  # in the resume's order: re-dating one changes what is held
        members = [j for j, own in enumerate(spans) if own == span]
        anchor = header.slot_of.get(header.once[span])
        keep = max(members, key=lambda j: (in_template(out[j], anchor), named(out[j], anchor), -j))
        for j in members:
            if j == keep:
                continue
            if two_roles(out[keep], out[j]):
                continue
            what = f"{out[j].get('company')} | {out[j].get('title')}"
            own = heads(out[j], out[keep], anchor)
            if own is not None:
                dropped.append(f"experience: {what} (dated by another job's line: {own[0]} - {own[1]})")
                out[j]["start_date"], out[j]["end_date"] = own
                held.add(own)
                continue
            if another_job(out[j], anchor):
                continue  # misdated, left as it is
            dropped.append(f"experience: {what} (a second job read at one date line)")
            for name, value in out[j].items():
                if name == "highlights":
                    out[keep]["highlights"] = [*(out[keep].get("highlights") or []), *(value or [])]
                elif out[keep].get(name) is None and (name not in NAMES or named({name: value}, anchor)):
                    out[keep][name] = value  # an employer or title only where it is a cell of the header
            gone.add(j)
    return [entry for j, entry in enumerate(out) if j not in gone]


def _header_line(offset: int, company_at: tuple[int, int], title_at: tuple[int, int]) -> bool:
    """Whether a line ``offset`` lines from a job's dates is another line of its header than the template's: on a
    side of the date line where the template has a value ("Tesla" over "Fremont, California" over the dates), not
    one of the template's own lines (the place beside the employer) nor past the dates on the other side (the next
    job's title under this one's description)."""
    sides = {(at > 0) - (at < 0) for at, _ in (company_at, title_at)}
    return offset not in (company_at[0], title_at[0]) and ((offset > 0) - (offset < 0)) in sides


def _cell(cells: list[str], index: int) -> str | None:
    """``cells[index]`` where it reads as a name (:func:`reads_as_name`)."""
    return cells[index] if index < len(cells) and reads_as_name(cells[index]) else None


def reads_as_name(text: str) -> bool:
    """Whether ``text`` can be an employer or a title: no date, link, list item, heading of a known section, label
    ("Key Achievements:", "## Notes") or sentence (a full stop ends one, but for an abbreviation's). A word in
    capitals is a name ("SDSC", "NISER")."""
    return not (
        date_range_start(text) is not None
        or normalise_date(text) is not None
        or "://" in text
        or "@" in text
        or _LIST_ITEM.match(text)
        or section_kind(text)
        or (section_kind(text) == "" and (text.rstrip().endswith(":") or text.lstrip().startswith("#")))
        or len(text.split()) > MAX_TITLE_WORDS
        or (text.endswith(".") and not _ABBREVIATION_END.search(text))
    )


_ABBREVIATION_END = re.compile(
    r"(?:(?:^|\s)(?:[^\W\d_]{1,2}\.){2,}|\b(?:Inc|Ltd|Co|Corp|Bros|Jr|Sr|Eng|Sc|Ing|Hons|Dipl)\.)$"
)
"""A name's abbreviation at its end ("PFS Group S.L.", "Acme Inc.", "M.S. Eng."), where a full stop ends no
sentence."""


_HEADING_MARK = re.compile(r"^\s*(#{1,6})\s+(?=\S)")


def employers_of_headings(entries: list[dict], source_lines: list[str], dropped: list[str]) -> list[dict]:
    """A job without an employer takes the employer of the markdown heading it sits under, where every job with an
    employer has it on a heading of one level above its dates ("### Klarna — Stockholm" over "**Chief Technology
    Officer** (Jan 2021 – Present)" and, further down, "**VP Engineering, Payments** (Mar 2017 – Dec 2020)"): one
    employer's several roles. :data:`MIN_AGREEING` jobs or more must show it."""
    dated = _date_lines(source_lines)
    levels = Counter()
    for entry in entries:
        near = dated.get((entry.get("start_date"), entry.get("end_date")))
        if entry.get("company"):
            place = _nearest(entry["company"], source_lines, near) if near is not None else None
            mark = _HEADING_MARK.match(source_lines[place[0][0]]) if place and place[0][0] <= near else None
            levels[mark[1] if mark else None] += 1
    level, count = levels.most_common(1)[0] if levels else (None, 0)
    if level is None or count < MIN_AGREEING or count < sum(levels.values()):
        return entries
    once = _date_lines_once(source_lines)  # two jobs of one span: its line is not known
    read = []
    for entry in entries:
        near = once.get((entry.get("start_date"), entry.get("end_date")))
        heading = _heading_above(source_lines, near, len(level)) if not entry.get("company") and near else None
        lead = compact(_HEADING_MARK.sub("", heading or "", count=1)) if heading else ""
        employer = next(  # the heading leads with it ("### Freelance (clients: Spotify)" names no employer)
            (
                other["company"]
                for other in entries
                if other.get("company") and lead.startswith(compact(other["company"]))
            ),
            None,
        )
        if employer:
            dropped.append(f"experience.company: {entry.get('title')} (the employer of its heading, {employer})")
            entry = {**entry, "company": employer}
        read.append(entry)
    return read


_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_HEADING_PARTS = re.compile(r"\s+[—·|]\s+")
"""Where a heading's employer ends and its place begins ("### Klarna — Stockholm")."""


def employers_over_titles(entries: list[dict], source_lines: list[str], dropped: list[str]) -> list[dict]:
    """A job without an employer whose date line writes its title ("**Senior Frontend Developer** · _Apr. 2019 –
    heute_") under a markdown heading of another name ("### FINABRO") takes that heading as its employer, where the
    resume writes :data:`MIN_AGREEING` or more headings so, each right over a date line: a JSON Resume markdown
    export's shape, whose employers v10 left out (2 of the real text parses). A heading that is the title, a known
    section's or dated leaves the job alone (an all-capital one is a name here: "### FINABRO"); a link's text is
    the name, and what follows a separator its place ("### Klarna — Stockholm")."""
    dated = {index for index, line in enumerate(source_lines) if date_ranges(line)}
    headed = [index for index in dated if index and _HEADING_MARK.match(source_lines[index - 1])]
    if len(headed) < MIN_AGREEING:
        return entries
    once = _date_lines_once(source_lines)
    read = []
    for entry in entries:
        near = once.get((entry.get("start_date"), entry.get("end_date")))
        title = entry.get("title")
        if entry.get("company") or not title or near not in headed or compact(title) not in compact(source_lines[near]):
            read.append(entry)
            continue
        heading = _MARKDOWN_LINK.sub(r"\1", _HEADING_MARK.sub("", source_lines[near - 1], count=1)).strip(" *_")
        heading, place = [*(part.strip() for part in _HEADING_PARTS.split(heading, maxsplit=1)), ""][:2]
        named = heading and not set("():") & set(heading)  # "### Freelance (clients: Klarna)" names no employer
        if named and compact(heading) != compact(title) and not section_kind(heading) and not date_ranges(heading):
            dropped.append(f"experience.company: {heading} (the heading over its title's line; the model gave none)")
            entry = {**entry, "company": heading, "location": entry.get("location") or place or None}
        read.append(entry)
    return read


def _heading_above(lines: list[str], line: int, level: int) -> str | None:
    """The nearest markdown heading above ``lines[line]`` of ``level``, past deeper ones ("#### VP Engineering"
    under "### Klarna"); None where a higher one comes first."""
    for text in reversed(lines[: line + 1]):
        if (mark := _HEADING_MARK.match(text)) and len(mark[1]) <= level:
            return text if len(mark[1]) == level else None
    return None
