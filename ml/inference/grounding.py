"""Extractive grounding of a parse: values the resume does not contain are dropped, repeats too; skills its own
skills section lists are added where the model left them out.

A small model that runs out of real items tends to go on with plausible inventions (issue #8:
100 invented skills on a six-line student resume, an employer "Swedina" on a long CV). In the
training data every value of :data:`GROUNDED_LIST_FIELDS` and :data:`GROUNDED_SCALAR_FIELDS` is
copied from the resume (``tests/inference/test_grounding.py`` checks it on 300 generated resumes),
so a value the source text does not contain is invented. "Contains" is the hallucination metric's own test
(:class:`ml.text.SourceText`: compact substring, words split by a line wrap or a
second column, phone digits), one definition for measuring and for enforcing. A scalar the source does not contain
but misspells by a letter or two (:func:`ml.text.source_spelling`) is written as the source writes it instead.

:func:`ground` is applied to every parse the engine returns (``Engine(grounded=False)`` or
``GRILLER_GROUNDING=0`` turns it off); the decoder uses :func:`is_strike` to close a list that has
gone astray (:class:`ml.inference.constrained.RunawayListProcessor`).
"""

from __future__ import annotations

import itertools
import json
import os
import re
from dataclasses import dataclass, field

from ml import tasks
from ml.inference.certifications import certifications_read
from ml.inference.highlights import ITEM_MARK, dates_as_written, highlights_as_written, words_beside_dates
from ml.inference.job_headers import (
    MAX_TITLE_WORDS,
    employers_by_place,
    employers_from_headers,
    employers_of_headings,
    employers_over_titles,
    jobs_from_headers,
    jobs_from_template,
    one_job_a_date_line,
    roles_by_template,
    roles_from_headers,
    roles_in_resume_order,
    titles_before_employers,
    values_read_whole,
)
from ml.inference.job_places import places_by_template
from ml.inference.projects_written import projects_as_written, projects_by_blocks
from ml.inference.school_headers import (
    DEGREE_WORDS,
    SCHOOL_WORDS,
    grades_read,
    schools_by_blocks,
    schools_by_lines,
    schools_from_layout,
)
from ml.preprocessing.segment import (
    LEVEL_WORDS,
    NOT_WORK_SECTIONS,
    date_range_start,
    date_ranges,
    section_items,
    section_kind,
    section_kinds,
    skills_section_lines,
)
from ml.schema import ParsedResume, normalize_date
from ml.text import (
    CELL_GAP,
    DANGLING_END,
    DATE_FIELDS,
    EMAIL,
    MONTHS,
    PRESENT_WORDS,
    SourceText,
    compact,
    link_key,
    norm,
    source_spelling,
    split_outside_parentheses,
    tokens,
)

GROUNDED_LIST_FIELDS = frozenset({"links", "skills", "technologies", "certifications", "languages"})
"""String lists whose items are copied from the resume (checked item by item, also while decoding).
Links too: a German resume got three invented ones ("https://www.berufserfaHRUNG.de") from its headings."""

GROUNDED_SCALAR_FIELDS = frozenset(
    {"name", "email", "phone", "company", "institution", "degree", "field", "title", "location"}
)
"""Scalars copied from the resume: set to null when the source does not contain them. Titles, degrees and fields
too: every true one of 300 generated resumes and of the real pool in every layout is in its text, and of v10's on the
real validation set the 65 that were not are invented or garbled ("Master" for "研究生", "Bachelor of Arts",
"Informatica" for "Informatique"): text 0.719 -> 0.723, PDFs 0.457 -> 0.459. Places too (the person's, a job's):
v10 wrote "Morocunish", "Portsmith", "Boscroft Street" (session 42: text 0.8825 -> 0.8833, PDFs 0.7583 -> 0.7597,
12 parses up, none down)."""

RESPELLED_FIELDS = GROUNDED_SCALAR_FIELDS - {"email", "phone"}
"""Scalars (a person's or a project's name, an employer, a school, a degree, a field, a title) that a value the resume
does not contain may be a misspelling of (:func:`~ml.text.source_spelling`): the resume's own words replace it.
Contact details are read from the resume's head by rules instead (:func:`contact_completed`)."""

DEDUPLICATED_LIST_FIELDS = frozenset({"highlights", *GROUNDED_LIST_FIELDS})

GROUNDED_AFTER_DECODING = frozenset({"highlights"})
"""Lists checked once the parse is done, not while decoding (a highlight is long; the decoder's list closing is for
short items). A highlight the resume does not contain (most of its words, :class:`~ml.text.SourceText`) is a
paraphrase or an invention: on v9's real validation parses, 147 of 605 highlights of the text renderings were;
dropping them took text micro-F1 from 0.474 to 0.480 and PDF from 0.193 to 0.198 (bench/NOTES.md)."""

DOCUMENT_TITLES = frozenset(
    {
        "resume",
        "résumé",
        "cv",
        "curriculum vitae",
        "currículum vitae",
        "curriculum",
        "currículum",
        "currículo",
        "lebenslauf",
        "tabellarischer lebenslauf",
        "hoja de vida",
    }
)
"""Words that head a resume and are never a person's name (v6 called two held-out candidates "RESUME")."""
MONTH_PREFIXES = frozenset(name[:3] for name in MONTHS)
"""First three letters of month names in the languages the resumes come in (lower case)."""
REPEATED_TAIL_BYTES = 48
"""A value whose end (this many UTF-8 bytes or more) repeats text earlier in it loses that end
(:func:`trim_repeated_tail`). Above the longest span a real value repeats (42 characters, see
:data:`ml.inference.constrained.REPEAT_BYTES`), below the decoder's cut (64 raw JSON bytes, so that
escapes cannot hide a tail the decoder cut)."""
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")
_YEAR_ONLY = re.compile(r"\d{4}")
_MONTH_BEFORE = re.compile(
    r"(?:(?<!\d)\d{1,2}\s*[/.\-]\s*|(?<![^\W\d_])([^\W\d_]{3,}\.?|[^\W\d_]{3,4}\.?,)\s*(?:de\s+)?)$"
)  # a comma only after an abbreviation ("Jan, 2025"): "Rio de Janeiro, 2016" names no month
_MONTH_AFTER = re.compile(r"^\s*[/\-]\s*\d{1,2}(?!\d)")


def month_is_given(year: str, source_text: str) -> bool | None:
    """Whether the resume writes a month next to ``year`` anywhere; ``None`` when it cannot tell.

    ``None`` when the year never appears in four digits ("Mar '21") or appears in two ("'21").
    A month is a number joined to the year (``03/2021``, ``3.2021``, ``2021-03``) or a word starting
    like a month name right before it (``Mar 2021``, ``März 2021``, ``marzo de 2021``, ``Mar, 2021``).
    """
    if f"'{year[2:]}" in source_text or "’" + year[2:] in source_text:
        return None
    found = False
    for match in re.finditer(rf"(?<!\d){year}(?!\d)", source_text):
        found = True
        before, after = source_text[max(match.start() - 16, 0) : match.start()], source_text[match.end() :][:6]
        month = _MONTH_BEFORE.search(before)
        if month and (month.group(1) is None or month.group(1)[:3].casefold() in MONTH_PREFIXES):
            return True
        if _MONTH_AFTER.match(after):
            return True
    return False if found else None


def grounding_enabled() -> bool:
    """On unless ``GRILLER_GROUNDING=0`` (to see the model's raw parse, e.g. to compare with and without)."""
    return os.environ.get("GRILLER_GROUNDING", "1") != "0"


def item_key(text: str) -> str:
    """What makes two list items the same: case, runs of spaces and edge punctuation ignored.

    ``Python`` / ``python`` / ``Python.`` / `` Python `` are one item; ``C``, ``C++`` and ``C#`` stay three.
    """
    return " ".join(text.casefold().split()).strip(" .,;:")


def is_strike(field_name: str, item: str, earlier: list[str], source: SourceText | None) -> bool:
    """An item a list should not have: a repeat of an earlier item, or (grounded lists) not in the source."""
    key = item_key(item)
    if any(item_key(other) == key for other in earlier):
        return True
    return source is not None and field_name in GROUNDED_LIST_FIELDS and not source.contains(field_name, item)


def trim_repeated_tail(value: str, min_bytes: int = REPEATED_TAIL_BYTES) -> str:
    """``value`` without its end when that end is a long repeat of earlier text (a loop cut by the decoder).

    The end removed is the longest suffix that also occurs earlier in ``value`` (overlapping allowed),
    so a long sentence ``S`` cut as ``"S S S"`` keeps ``"S"`` and ten ``"Node.js, "`` keep one ``"Node.js"``;
    a suffix shorter than ``min_bytes`` (UTF-8) is a legitimate phrase and stays, as does every inner repeat.
    """

    def occurs_earlier(length: int) -> bool:
        return value.find(value[-length:]) < len(value) - length

    low, high = 0, len(value) - 1  # the longest suffix that occurs earlier: monotone in its length
    while low < high:
        middle = (low + high + 1) // 2
        if occurs_earlier(middle):
            low = middle
        else:
            high = middle - 1
    if low == 0 or len(value[-low:].encode()) < min_bytes:
        return value
    return value[: len(value) - low].rstrip(" ,;") or value


@dataclass
class Grounded:
    resume: ParsedResume
    dropped: list[str] = field(default_factory=list)  # "field: value" of everything removed


SPLIT_LIST_FIELDS = frozenset({"skills", "technologies"})
"""Lists whose item is one thing: an item that is itself a list of things the resume names is split into them."""
_ITEM_SEPARATOR = re.compile(r"\s*[,;·•|]\s+")
_GROUP_LABEL = re.compile(r"^[^:,;()]{1,40}:\s+(?=\S)")


def list_parts(item: str, source: SourceText, field_name: str = "skills") -> list[str]:
    """The things an item lists, when it lists several and the resume names each ("Javascript ES6+, TypeScript,
    Webpack", "Frontend: React, Vue": a skill group's line copied whole); else ``[item]``. Commas inside
    parentheses stay ("Node.js (Next.js, Express)" is one item), and a group label before a colon goes."""
    parts = split_outside_parentheses(_GROUP_LABEL.sub("", item, count=1), _ITEM_SEPARATOR)
    if len(parts) < 2 or not all(source.contains(field_name, part) for part in parts):
        return [item]
    return parts


GROUNDING_PASSES = 3
"""The most times :func:`ground` runs its rules (it stops as soon as a pass changes nothing)."""


def ground(resume: ParsedResume, source_text: str) -> Grounded:
    """``resume`` without repeated list items and entries, ungrounded list items and ungrounded scalars.

    A value that ends in a long repeat of itself (a loop the decoder cut) loses the repeat first.

    ``source_text`` may be the parse prompt that holds the resume (what the engine, the server and the API client
    have at hand): its first line is not the resume's. Read as a heading, "Parse this resume:" hid the resume's head
    from the rules that read it (a headline read as jobs, the name on the first line) in every parse until session 38.

    The rules run again on their own result until it stops changing: one rule's result can be what an earlier rule
    acts on (a job whose end date :func:`span_repaired` restores, "2021-11" to "present", is then a repeat of the job
    before it, which :func:`repeats_merged` merges), so a single pass was not stable: on v10's 80 real validation
    parses a second pass changed 8 and a third none (session 38; ``bench/NOTES.md``). Each pass costs tens of ms.
    """
    source_text = tasks.resume_of_parse_input(source_text)
    grounded, before = _grounded_once(resume, source_text), resume
    for _ in range(GROUNDING_PASSES - 1):
        if grounded.resume == before:  # a pass that changed nothing: the next would change nothing either
            break
        again = _grounded_once(grounded.resume, source_text)
        before = grounded.resume
        grounded = Grounded(again.resume, grounded.dropped + [d for d in again.dropped if d not in grounded.dropped])
    return grounded


def _grounded_once(resume: ParsedResume, source_text: str) -> Grounded:
    """One pass of :func:`ground`'s rules."""
    source = SourceText(source_text)
    dropped: list[str] = []

    def trim(name: str, value: str) -> str:
        trimmed = trim_repeated_tail(value)
        if trimmed != value:
            dropped.append(f"{name}: {value[len(trimmed) :].strip()} (repeats the text before it)")
        return trimmed

    def clean_list(name: str, items: list[str]) -> list[str]:
        kept: list[str] = []
        items = [trim(name, item) for item in items]
        if name in SPLIT_LIST_FIELDS:
            items = [part for item in items for part in list_parts(item, source, name)]
        for item in items:
            if is_strike(name, item, kept, source) or (
                name in GROUNDED_AFTER_DECODING and not source.contains(name, item)
            ):
                dropped.append(f"{name}: {item}")
            else:
                kept.append(item)
        return kept

    def clean_scalar(name: str, value: str | None) -> str | None:
        value = trim(name, value) if value else value
        if value and name in GROUNDED_SCALAR_FIELDS and not source.contains(name, value):
            written = source_spelling(value, source_text) if name in RESPELLED_FIELDS else None
            if written is None:
                dropped.append(f"{name}: {value}")
                return None
            value = written  # not dropped: the value the model meant, as the resume writes it
        if value and (
            (name == "name" and value.strip(" :").casefold() in DOCUMENT_TITLES)
            or (name == "email" and "@" not in value)
        ):
            dropped.append(f"{name}: {value} (not {'an email' if name == 'email' else 'a name'})")
            return None
        date = _YEAR_MONTH.fullmatch(value) if value and name in DATE_FIELDS else None
        if date and month_is_given(date.group(1), source_text) is False:  # the resume gives only the year
            dropped.append(f"{name}: the month of {value}")
            return date.group(1)
        return value

    def clean_entries(name: str, entries: list[dict]) -> list[dict]:
        """Entries that repeat an earlier one in every scalar (same employer, title and dates) are dropped; entries
        with no scalar at all are kept (real people list projects by their technologies only)."""
        kept, seen = [], set()
        for entry in entries:
            fingerprint = tuple(
                item_key(v) if isinstance(v, str) else v for v in entry.values() if not isinstance(v, list)
            )
            blank = all(value is None for value in fingerprint)  # a nameless project: only its lists tell it apart
            if fingerprint in seen and not blank:
                dropped.append(f"{name}: {next((v for v in entry.values() if isinstance(v, str)), '')}")
            else:
                seen.add(fingerprint)
                kept.append(entry)
        return kept

    def clean(data: dict) -> dict:
        out = {}
        for name, value in data.items():
            if isinstance(value, list) and value and isinstance(value[0], dict):
                out[name] = clean_entries(name, [clean(entry) for entry in value])
            elif isinstance(value, list) and name in DEDUPLICATED_LIST_FIELDS:
                out[name] = clean_list(name, value)
            elif isinstance(value, str):
                out[name] = clean_scalar(name, value)
            else:
                out[name] = value
        return out

    data = clean(resume.model_dump())
    source_lines = source_text.split("\n")
    headings = {compact(line) for line in source_lines if section_kind(line)}  # lines that open a known section
    named = employers_not_titles(
        [role_named(entry, data.get("name"), headings, dropped) for entry in data["experience"]], dropped
    )
    named = employers_from_headers(named, source_lines, dropped)
    named = roles_in_resume_order(named, source_lines, dropped)
    named = employers_by_place(named, source_lines, dropped)
    named = employers_of_headings(named, source_lines, dropped)
    named = employers_over_titles(named, source_lines, dropped)
    named = one_job_a_date_line(named, source_lines, dropped)
    named = roles_by_template(named, source_lines, dropped, data.get("name"))
    named = jobs_from_template(named, source_lines, dropped, data.get("name"))
    named = roles_from_headers(named, source_lines, dropped)
    named = titles_before_employers(named, source_lines, dropped)
    named = jobs_from_headers(named, source_lines, dropped)
    named = values_read_whole(named, source_lines, dropped)
    named = places_by_template(named, source_lines, dropped)
    data["experience"] = work_entries(
        [at_line_read(entry, source_lines) for entry in named],
        source_text,
        dropped,
        data.get("name"),
        (data["education"], data["projects"]),
    )
    data["experience"] = skills_not_jobs(data["experience"], data["skills"], source_text, dropped)
    data["experience"] = highlights_as_written(
        repeats_merged(data["experience"], dropped), source_text, dropped, data["education"]
    )
    data["experience"] = dates_as_written(data["experience"], source_text, dropped)
    data["education"] = schools_once(education_entries(data["education"], source_text, dropped), dropped)
    data["education"] = schools_from_layout(data["education"], source_text, dropped)
    data["education"] = schools_by_blocks(data["education"], source_text, dropped)
    data["education"] = schools_by_lines(data["education"], source_text, dropped)
    data["education"] = [degree_parted(school, source_lines, dropped) for school in data["education"]]
    data["education"] = schools_once(degree_lines_read(data["education"], source_lines, dropped), dropped)
    ranges = date_ranges(source_text)
    held = {(entry.get("start_date"), entry.get("end_date")) for entry in data["experience"] + data["education"]}
    for section in ("experience", "education"):
        data[section] = [
            span_repaired(months_restored(entry, ranges), ranges, source_lines, held) for entry in data[section]
        ]
    data["education"] = grades_read(data["education"], source_text, dropped)
    projects = project_entries(data["projects"], source_text, dropped)
    projects = projects_by_blocks(projects_as_written(projects, source_text), source_text, dropped)
    projects = projects_once(projects, dropped)
    data["projects"] = [own_technologies(p, block, dropped) for p, block in project_blocks(projects, source_text)]
    data["skills"] = completed_skills(data["skills"], source_text, dropped)
    data["certifications"] = certifications_read(data["certifications"], source_text, dropped)
    data["languages"] = languages_spoken(data["languages"], data["skills"], source_text, dropped)
    data["links"] = links_completed(data["links"], source_text)
    data.update(contact_completed(data, source_text))
    return Grounded(ParsedResume.model_validate(data), dropped)


PHONE = re.compile(r"(?<![\w/.-])\+?(?:\(\d{1,4}\)|\d)[\d ().-]{5,18}\d(?![\w/-])")
MIN_PHONE_DIGITS = 7
MAX_NAME_WORDS = 5
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_CELL = re.compile(r"\s{3,}|\t")
_NAME_WORD = re.compile(r"[^\W\d_][^\W\d_'’.-]*")


def contact_completed(data: dict, source_text: str) -> dict:
    """The email, phone and name a reader takes from the resume where the model's are missing or cut short (a
    change, not a drop: nothing is reported).
    A theme PDF prints the contact details in a sidebar that its reading order puts after the jobs, and the
    model reads the head of a resume for them (v10 on the 40 real theme PDFs: 13 emails missed, one cut at a
    line wrap, 6 phones missed or a postcode instead; 5 names without their last surname, 2 a summary's sentence: the
    resume's first line then, where it reads as a name)."""
    out: dict = {}
    email = data.get("email")
    emails = EMAIL.findall(source_text)
    if emails and email not in emails:  # none, cut at a line wrap, or a piece of one ("ibarguren@" of "uibarguren@")
        found = next((whole for whole in emails if email and email in whole), emails[0])
        out["email"] = found
    phone = data.get("phone")
    if not phone or not _phone_like(phone):
        found = next((m.group().strip() for m in PHONE.finditer(source_text) if _phone_like(m.group())), None)
        if found:
            out["phone"] = found
    name = data.get("name")
    if name and len(name.split()) > MAX_NAME_WORDS:  # a sentence of the summary, not a name
        first = next((_CELL.split(line.strip(" #*_"))[0] for line in source_text.split("\n") if line.strip()), "")
        if 0 < len(first.split()) <= MAX_NAME_WORDS and not any(c.isdigit() or c in "@:/" for c in first):
            out["name"] = first
    elif name:
        line = next((_CELL.split(line.strip(" #*_"))[0] for line in source_text.split("\n") if name in line), "")
        rest = line[len(name) :].split() if line.startswith(name) else []
        if 0 < len(rest) <= 2 and all(_NAME_WORD.fullmatch(word) and word[0].isupper() for word in rest):
            out["name"] = line  # "Kaan Yusuf" of a line "Kaan Yusuf Koç"
    return out


_URL = re.compile(
    r"(?<![@\w.])(?i:https?://|www\.)[^\s|·,()<>\[\]*\"'`]+"
    r"|(?<![@\w./-])(?:[a-z0-9-]+\.)+(?:com|net|org|io|dev|me|co|ai|app|info|xyz|es|fr|de|uk|ca|in)\b"
    r"(?:/[^\s|·,()<>\[\]*\"'`]*)?"
)
"""A link as a resume writes it: with its scheme or "www.", or a bare domain in lower case of a common ending
("jane.dev/blog"; "Booking.com" in a headline is an employer); never an email's domain, nor markdown's marks around
it ("**github.com/jane**", "[...](...)")."""
MAX_HEAD_LINES = 12
"""Lines of a resume's head (before its first section's heading) read for links: a resume without known headings is
no head."""
MAX_LINK_LINE_WORDS = 6
"""A bare domain (no scheme, "www." or path) is a link only on a short line: a contact line, not a sentence
("... with socket.io and k8s.io")."""


def links_completed(links: list[str], source_text: str) -> list[str]:
    """The model's links, each once (``linkedin.com/in/x`` is ``https://www.linkedin.com/in/x/``), then those the
    resume writes in its head (before its first section's heading) or under a contact heading that the model left
    out: a theme PDF prints them in a sidebar the reading order puts after the jobs (v10 on the 40 real theme PDFs
    missed 30 links, on the text 5)."""
    kinds = section_kinds(source_text)
    lines = source_text.split("\n")
    first = next((n for n, line in enumerate(lines) if section_kind(line)), len(lines))
    contact = [line for n, line in enumerate(lines) if n < min(first, MAX_HEAD_LINES) or kinds[n] == "contact"]
    found = [
        link
        for line in contact
        for match in _URL.finditer(line)
        if (link := match.group().rstrip(".;:_"))
        and (re.match(r"(?i)https?://|www\.", link) or "/" in link or len(line.split()) <= MAX_LINK_LINE_WORDS)
    ]
    kept: list[str] = []
    keys: set[str] = set()
    for link in [*links, *found]:
        if (key := link_key(link)) and key not in keys:
            keys.add(key)
            kept.append(link)
    return kept


def _phone_like(text: str) -> bool:
    """Seven to fifteen digits that are not a date (groups of years and of one or two digits: ``2023 -- 2025``,
    ``07.2018``)."""
    groups = re.findall(r"\d+", text)
    digits = sum(len(group) for group in groups)
    dates = all(len(group) <= 2 or _YEAR.fullmatch(group) for group in groups)
    return MIN_PHONE_DIGITS <= digits <= 15 and not dates


def _sections_naming(values: list[str], lines: list[str], kinds: list[str | None]) -> set[str | None]:
    """The kinds of the sections whose lines hold any of ``values`` (``lines`` as :func:`_words` gives them): a
    one-word value as a whole word ("CTO" is not in "facilitation"), a longer one compact ("Founder & CEO" is
    "FOUNDER AND CEO", and "University of Toronto" is in a PDF's "UniversityofToronto")."""
    keys = [(_words(value) if len(tokens(value)) == 1 else compact(value)) for value in values]
    return {
        kind
        for line, kind in zip(lines, kinds, strict=True)
        if any(key.strip() and key in (line if key.startswith(" ") else compact(line)) for key in keys)
    }


def _sections_of(names: list[str], source_text: str, section: str) -> list[set[str | None]] | None:
    """For each name, the kinds of the sections whose lines write it (:func:`_sections_naming`; empty for no name);
    None where the resume has no ``section`` to judge by."""
    kinds = section_kinds(source_text)
    if section not in kinds:
        return None
    lines = [_words(line) for line in source_text.split("\n")]
    return [_sections_naming([name], lines, kinds) if name else set() for name in names]


def _words(text: str) -> str:
    """``text``'s words, normalised and space-padded, for whole-word matching."""
    return f" {norm(text)} "


HEAD = "head"
"""The lines above a resume's first heading (name, headline, contact), as a kind of section."""


NAME_LINES = 2
"""The first non-blank lines of a resume, its name and headline, which no heading of unknown kind opens where the
name is set as one."""


def _with_head(kinds: list[str | None], source_text: str) -> list[str | None]:
    """``kinds`` with the lines above the first heading marked :data:`HEAD`. A name and a headline set in capitals
    ("SCOTT PORTER", "MACHINELEARNINGENGINEER&RESEARCHER", as the kendall theme prints them) look like headings of
    no known kind: where the first line does, the first :data:`NAME_LINES` lines open a section only under a known
    heading. A name in mixed case ("Jane Doe") over a heading of no known kind ("SELECTED ENGAGEMENTS") keeps that
    heading."""
    lines = source_text.split("\n")
    name_lines = [index for index, line in enumerate(lines) if line.strip()][:NAME_LINES]
    if not name_lines or section_kind(lines[name_lines[0]]) != "":
        name_lines = []
    first = next(
        (
            index
            for index, line in enumerate(lines)
            if section_kind(line) or (section_kind(line) == "" and index not in name_lines)
        ),
        len(lines),
    )
    return [HEAD if index < first else kind for index, kind in enumerate(kinds)]


_VALUE_PIECE = re.compile(r",\s+|\s+[—–|(]\s*|\)")
MIN_PIECE_WORDS = 2


def _header_pieces(values: list[str]) -> list[str]:
    """The pieces of a header written as one value ("diplôme d'ingénieur, informatique, eseo (09/2023 - 09/2026)")
    that can name a section on their own: :data:`MIN_PIECE_WORDS` words or more, no digit."""
    pieces = (piece.strip() for value in values for piece in _VALUE_PIECE.split(value))
    return [piece for piece in pieces if len(piece.split()) >= MIN_PIECE_WORDS and not any(c.isdigit() for c in piece)]


def work_entries(
    entries: list[dict],
    source_text: str,
    dropped: list[str],
    name: str | None = None,
    others: tuple[list[dict], list[dict]] = ([], []),
) -> list[dict]:
    """The experience entries that are jobs: an entry whose employer and title the resume writes only under
    headings of other sections (:data:`NOT_WORK_SECTIONS`: a project, a school, a paper, volunteering), or only in
    its head where it has a work section (a headline "Architecte, Craft Coach, CTO Freelance" read as two jobs), is
    dropped.
    A 135M model reads a long resume's later sections as more jobs (v10 on the real validation set: 61 such
    entries, 1 of them a real job). An entry found under a work heading, under no heading or not at all is kept;
    one with neither employer nor title (what :func:`role_named` leaves of a date or a sentence) is not, nor one
    whose employer is the person's own name: the head of the resume, which the parse by parts repeats above every
    part, read as an employer (13 entries on the 80 real parses). An employer or title the resume writes nowhere
    whole (the model wrote a whole header line as one, its dates rewritten) is judged by its pieces.
    Dropped too is a school or a project the decoder was kept writing jobs into
    (:class:`~ml.inference.constrained.DatedJobsProcessor`): a job that repeats an entry of the same parse's
    ``others`` (education, projects: a school's dates, a school's or a project's name as its employer), whose date
    range the resume writes only under other sections' headings and whose employer it names under no work heading
    (4 such entries on v10's 80 real parses, none right). The parse's own entry must match: a job's "Key Projects:"
    label reads as a heading, which puts the next job's lines under projects."""
    lines = [_words(line) for line in source_text.split("\n")]
    kinds = _with_head(section_kinds(source_text), source_text)
    elsewhere = NOT_WORK_SECTIONS | {HEAD} if "work" in kinds else NOT_WORK_SECTIONS
    dated_under: dict[tuple[str | None, str], set[str | None]] = {}  # a date range: the sections that write it
    for line, kind in zip(source_text.split("\n"), kinds, strict=True):
        for span in date_ranges(line):
            dated_under.setdefault(span, set()).add(kind)
    schools, projects = others
    school_spans = {(school.get("start_date"), school.get("end_date")) for school in schools}
    other_names = {
        compact(value)
        for value in [*(s.get("institution") for s in schools), *(p.get("name") for p in projects)]
        if value
    }
    kept = []
    for entry in entries:
        values = [value.casefold() for value in (entry.get("company"), entry.get("title")) if value]
        found = _sections_naming(values, lines, kinds) or _sections_naming(_header_pieces(values), lines, kinds)
        span = (entry.get("start_date"), entry.get("end_date"))
        dates_found = dated_under.get(span, set())
        company = (entry.get("company") or "").casefold()
        company_found = (
            _sections_naming([company], lines, kinds) or _sections_naming(_header_pieces([company]), lines, kinds)
            if company
            else set()
        )
        repeats_other = span in school_spans or (company and compact(company) in other_names)
        if not values:
            dropped.append(
                f"experience: {entry.get('start_date')} to {entry.get('end_date')} (neither employer nor title)"
            )
        elif found and found <= elsewhere:
            where = [f"under {', '.join(sorted(found - {HEAD}))} headings"] if found - {HEAD} else []
            where += ["in the resume's head"] if HEAD in found else []
            dropped.append(f"experience: {' | '.join(values)} ({' and '.join(where)} only)")
        elif repeats_other and dates_found and dates_found <= NOT_WORK_SECTIONS and "work" not in company_found:
            where = ", ".join(sorted(dates_found))
            dropped.append(f"experience: {' | '.join(values)} (its dates under {where} headings only)")
        elif name and company == name.casefold():
            dropped.append(f"experience: {' | '.join(values)} (the person's own name as the employer)")
        else:
            kept.append(entry)
    return kept


def skills_not_jobs(entries: list[dict], skills: list[str], source_text: str, dropped: list[str]) -> list[dict]:
    """``entries`` without the jobs that are a skills list read as one: a title that is one of the resume's skills
    (the model's, or an item of its skills section), an employer that is one too or a word or two, and nothing but
    skills as highlights ("Jupyter" | "Pandas" with "Huggingface", "TensorFlow"; a macchiato PDF's sidebar read as
    three jobs). A job with neither highlights nor an employer counts too ("Scikitlearn"); a real job titled "DevOps"
    has its employer or points that are no skill ("Kubernetes clusters")."""
    known = {compact(skill) for skill in [*skills, *section_items(skills_section_lines(source_text))]}
    kept = []
    for entry in entries:
        title, company = entry.get("title") or "", entry.get("company") or ""
        highlights = entry.get("highlights") or []
        listed = all(compact(h) in known for h in highlights)
        if (
            compact(title) in known
            and (not company or compact(company) in known or len(company.split()) <= 2)
            and listed
            and (highlights or not company)
        ):
            dropped.append(f"experience: {company or None} | {title} (a skills list read as a job)")
        else:
            kept.append(entry)
    return kept


def repeats_merged(entries: list[dict], dropped: list[str]) -> list[dict]:
    """A job with one employer and the same dates as an earlier one, one of the two without a title, both with one
    title, or one title the other cut short ("Webdesigner & Développeur" of "Webdesigner & Développeur Web"), merged
    into the earlier: its empty fields filled, the longer title kept, its highlights after the earlier's. v10 read
    one job twice from a long part: 11 such pairs on its 80 real validation parses, none a pair in the truth; with
    two titles they may be two roles (one real person lists two at one employer with the same dates, "Research
    Assistant" and "Research Associate"), so those stay apart."""
    kept: list[dict] = []
    first: dict[tuple, dict] = {}
    for entry in entries:
        key = (compact(entry.get("company")), entry.get("start_date"), entry.get("end_date"))
        earlier = first.get(key) if key[0] and (key[1] or key[2]) else None
        titles = (compact(earlier.get("title")), compact(entry.get("title"))) if earlier is not None else ("", "")
        cut = all(titles) and (titles[0].startswith(titles[1]) or titles[1].startswith(titles[0]))
        if earlier is None or (all(titles) and not cut):  # two titles: maybe two roles
            first[key] = entry = dict(entry)
            kept.append(entry)
            continue
        dropped.append(f"experience: {entry.get('company')} | {entry.get('title')} (the same job as an earlier one)")
        if len(titles[1]) > len(titles[0]):
            earlier["title"] = entry.get("title")
        for name, value in entry.items():
            if name == "highlights":
                earlier["highlights"] = [*earlier["highlights"], *value]
            elif earlier.get(name) is None:
                earlier[name] = value
    return kept


def schools_once(entries: list[dict], dropped: list[str]) -> list[dict]:
    """Each school once: an entry that is an earlier one read again (:func:`_same_school`) whose dates meet the
    earlier's (or either has none) is dropped, its gpa and, where the earlier has none, its dates kept, the longer
    of the two institutions ("Universitat Pompeu Fabra, Barcelona") and fields ("FP Administración de Sistemas ..."
    over "Administración de Sistemas ..."), but the degree and field of the one read with a degree. v10's parts read
    one school twice, the second time with its start as the end ("2021-09" to "present", then null to "2021-09"): 3
    of the 40 real text parses. Two degrees of one kind at one school differ in their field (a real person: "Técnico
    en Sistemas", "Técnico en Dibujo") or in their dates (two stays as a visiting student)."""
    kept: list[dict] = []
    for entry in entries:
        earlier = next((k for k in kept if _same_school(k, entry) and _dates_meet(k, entry)), None)
        if earlier is None:
            kept.append(dict(entry))
            continue
        named = f"{entry.get('institution')} | {entry.get('degree')}"
        dropped.append(f"education: {named} (the same school as an earlier one)")
        if earlier.get("gpa") is None:
            earlier["gpa"] = entry.get("gpa")
        if earlier.get("start_date") is None and earlier.get("end_date") is None:
            earlier["start_date"], earlier["end_date"] = entry.get("start_date"), entry.get("end_date")
        if not earlier.get("degree"):  # the read with a degree is the school's: its degree and field
            earlier["degree"], earlier["field"] = entry.get("degree"), entry.get("field") or earlier.get("field")
        elif entry.get("degree"):
            earlier["field"] = max(earlier.get("field") or "", entry.get("field") or "", key=len) or None
        if len(entry.get("institution") or "") > len(earlier.get("institution") or ""):
            earlier["institution"] = entry["institution"]
    return kept


def _same_school(one: dict, other: dict) -> bool:
    """Whether two entries name one school's one degree: the same degree, institutions the same or one's words a run
    of the other's ("Universitat Pompeu Fabra" of "Universitat Pompeu Fabra, Barcelona", "Azarquiel" of "IES
    Azarquiel"; not "MIT" of "Smith College"), and fields the same, one's words a run of the other's, or none on
    both sides, an institution or a field given on both; or one of them with no degree at the other's institution
    with the other's very dates (v10's "Lycée Polyvalent Christophe Colomb", 2002-01 to 2002-12, read again with a
    sidebar's word as its field)."""
    degrees = compact(one.get("degree")), compact(other.get("degree"))
    institutions = _words(one.get("institution") or ""), _words(other.get("institution") or "")
    fields = _words(one.get("field") or ""), _words(other.get("field") or "")

    def alike(a: str, b: str) -> bool:
        return bool(a.strip() and b.strip()) and (a in b or b in a)

    if alike(*institutions) and any(degrees) and not all(degrees):
        dates = [(entry.get("start_date"), entry.get("end_date")) for entry in (one, other)]
        return dates[0] == dates[1] and all(dates[0])
    if not degrees[0] or degrees[0] != degrees[1]:
        return False
    same = [alike(a, b) or not (a.strip() or b.strip()) for a, b in (institutions, fields)]
    return all(same) and any(alike(a, b) for a, b in (institutions, fields))


def _dates_meet(one: dict, other: dict) -> bool:
    """Whether two entries' date ranges overlap or touch, or either has no date at all (years compared)."""
    spans = []
    for entry in (one, other):
        dates = (entry.get("start_date"), entry.get("end_date"))
        years = ["9999" if date == "present" else (date or "")[:4] for date in dates]
        known = [year for year in years if year.isdigit()]
        if not known:
            return True
        spans.append((min(known), max(known)))
    (a_start, a_end), (b_start, b_end) = spans
    return a_start <= b_end and b_start <= a_end


def languages_spoken(languages: list[str], skills: list[str], source_text: str, dropped: list[str]) -> list[str]:
    """The languages that are the person's: one the parse also lists as a skill is dropped where no line of a
    languages section writes it, nor a line that labels it a language or gives its level (:func:`_spoken`). v10 took
    "Languages and Frameworks: Python · Java" for spoken languages, in 3 of the 40 real validation PDFs."""
    kinds = _with_head(section_kinds(source_text), source_text)
    raw = source_text.split("\n")
    lines = [_words(line) for line in raw]
    skilled = {compact(skill) for skill in skills}
    kept = []
    for language in languages:
        listed = compact(language) in skilled and "languages" not in _sections_naming([language], lines, kinds)
        if listed and not _spoken(language, raw):
            dropped.append(f"languages: {language} (a skill, under no languages heading)")
        else:
            kept.append(language)
    return kept


_LABEL = re.compile(r"^\s*(?P<label>[^\W\d_][^:\d]{0,40}?)\s*:")
_SPOKEN_LEVEL = re.compile(r"(?i)^\W{0,3}(?:[abc][12]\b|(?P<word>[^\W\d_]+))")
SPOKEN_LEVELS = frozenset(
    {"native", "fluent", "bilingual", "mother", "natif", "nativo", "nativa", "muttersprache", "courant", "fluido"}
    | {"fließend", "conversational"}
)
"""Words after a language that give a spoken one's level ("English (native)", "Español - nativo"; a CEFR level,
"German C1", too), not a skill's ("Java (advanced)")."""


def _spoken(language: str, lines: list[str]) -> bool:
    """Whether a line labels ``language`` a spoken one ("Languages: English, Spanish" among the skills) or gives its
    level right after it ("English (native)", "German C1")."""
    key = _words(language)
    for line in lines:
        padded = _words(line)
        if key not in padded:
            continue
        label = _LABEL.match(line)
        if label and section_kind(label["label"]) == "languages":
            return True
        at = line.casefold().find(language.casefold())
        level = _SPOKEN_LEVEL.match(line[at + len(language) :]) if at >= 0 else None
        if level and (level["word"] is None or level["word"].casefold() in SPOKEN_LEVELS):
            return True
    return False


NOT_EDUCATION_SECTIONS = frozenset(
    {"volunteer", "projects", "publications", "awards", "skills", "languages", "interests"}
)
"""Sections whose entries are not schools ("Tennis" of the interests read as a school). Certifications and courses
are left alone (some resumes list degrees there), and so is work, but for a school of a job's years
(:func:`education_entries`): a university that employed the person is named under work, and a PDF that wraps its
name under education hides it there (9 of the pool's 387 theme PDFs)."""


_DEGREE_LINE = re.compile(
    r"^(?P<degree>(?:[BM]\.?\s?(?:Sc|S|A|Eng|Tech|E)\.?|Ph\.?\s?D\.?|MBA|Bachelor|Master|Licenciatura|Licence"
    r"|Ingenier[ií]a|Diplomado|Diplom|T[eé]cnico|Tecn[oó]logo|Course|Curso|Doctorado|Doctorat|Grado|BTS|DUT)"
    r"(?:\s(?:Eng|Sc|Tech|Hons|Ed)\.)?)"
    r"\s+(?P<field>[A-ZÀ-Þ][^\n]*)$"
)
"""A line of one degree word and its field: "Bachelor Ingeniero en Informática", "MS Computer Science and
Engineering", "M.S. Eng. Computer Science" (one theme prints a school's degree and field so; many people write them
so)."""
_DEGREE_IN_LINE = re.compile(
    r"^(?P<degree>[^\W\d_][^,;:()]{1,60}?(?:\([^()]{1,12}\))?)\s+in\s+(?P<field>[A-ZÀ-Þ][^\n]*)$"
)
"""A line of a degree, " in " and its field: "Licence in Service et Technique de l'Information", "Brevet de
Technicien Supérieur (BTS) in Informatique de Gestion", "Bachelor of Science in Physics" (another theme prints a
school's degree and field so, and many people write them so); parted at the first " in ", where the part before
has a degree's words ("Study Abroad in Florence, Italy" is none)."""
MAX_DEGREE_WORDS = 6
"""Words a degree parted from its field by " in " may have ("Brevet de Technicien Supérieur (BTS)")."""


_NO_FIELD = frozenset(
    {"candidate", "student", "degree", "of", "in", "en", "de", "thesis", "certificate", "certificat", "program"}
    | {"programme", "diploma", "level", "honours", "hons", "graduate", "studies", "course", "courses"}
)
"""First words of what follows a degree word but is no field ("PhD Candidate", "Master Thesis: ...", "Bachelor
Degree", "Master Of Science")."""


def degree_and_field(line: str) -> tuple[str, str] | None:
    """(degree, field) of a line that writes one degree and its field (:data:`_DEGREE_LINE`,
    :data:`_DEGREE_IN_LINE`); None for any other line, and for a label's ("Master Thesis: ...") or a degree word's
    own words (:data:`_NO_FIELD`)."""
    text = line.strip()
    parts = _DEGREE_LINE.match(text)
    if parts is None:
        parts = _DEGREE_IN_LINE.match(text)
        if parts is None or len(parts["degree"].split()) > MAX_DEGREE_WORDS or not DEGREE_WORDS.search(parts["degree"]):
            return None
    if ":" in parts["field"] or parts["field"].split()[0].casefold().strip(".,") in _NO_FIELD:
        return None
    return parts["degree"].strip(), parts["field"].strip()


def degree_parted(school: dict, source_lines: list[str], dropped: list[str]) -> dict:
    """A school whose degree is a whole line of the resume made of a degree and a field (:func:`degree_and_field`)
    takes the two apart, where its field is that line's, none, or not written within a line of it (the model took
    another line's: "Distributed Systems" from the courses). v10 wrote such a line whole as the degree, with no
    field, in 4 of the 40 real validation PDFs' schools."""
    school = _degree_suffix_kept(school, source_lines, dropped)
    degree, field = school.get("degree"), school.get("field")
    parts = degree_and_field(degree) if degree else None
    line = next((k for k, text in enumerate(source_lines) if compact(text) == compact(degree)), None) if parts else None
    if parts is None or line is None:
        return school
    near = compact(" ".join(source_lines[max(0, line - 1) : line + 2]))
    if field and compact(field) != compact(parts[1]) and compact(field) in near:
        return school
    dropped.append(f"education.degree: {degree} (a degree and its field)")
    return {**school, "degree": parts[0], "field": parts[1]}


SCHOOL_REACH = 2
"""Lines from a line naming a school within which its degree's line is looked for (a theme prints the degree below
the school's name, another above it)."""


def degree_lines_read(schools: list[dict], source_lines: list[str], dropped: list[str]) -> list[dict]:
    """``schools`` completed from their degree's lines (a degree and its field, :func:`degree_and_field`) within
    :data:`SCHOOL_REACH` lines of a line naming the school's institution and none nearer above it naming another
    (themes print the degree below the school's name; one prints it above): the field, where the model's degree is
    that line's and its field none or not written near ("Bachelor" of "Bachelor FP Desarollo de Aplicaciones
    Multiplataforma." with the field "Desarrollo Web" of a sidebar); the degree, where it has none and its field is
    that line's ("Informatique de Gestion" of "Brevet de Technicien Supérieur (BTS) in Informatique de Gestion").
    A field that is the school's own name is none ("Aarhus University" studied at Aarhus University)."""
    names = {_words(school["institution"]) for school in schools if (school.get("institution") or "").strip()}
    words = [_words(line) for line in source_lines]
    naming = {k: found for k, line in enumerate(words) if (found := {name for name in names if name in line})}

    def owner(j: int) -> set[str]:  # the nearest naming line above, else below
        above = [k for k in range(j - 1, max(-1, j - SCHOOL_REACH - 1), -1) if k in naming]
        below = [k for k in range(j + 1, min(len(source_lines), j + SCHOOL_REACH + 1)) if k in naming]
        return naming[above[0]] if above else naming[below[0]] if below else set()

    read = []
    for school in schools:
        field_is_school = school.get("field") and compact(school["field"]) == compact(school.get("institution"))
        if field_is_school and SCHOOL_WORDS.search(school["field"]):  # not "Computer Science" copied as the school
            dropped.append(f"education.field: {school['field']} (its school's name)")
            school = {**school, "field": None}
        institution = _words(school.get("institution") or "")
        degree, field = compact(school.get("degree")), compact(school.get("field"))
        near = {
            j
            for k, found in naming.items()
            if institution in found
            for j in range(k - SCHOOL_REACH, k + SCHOOL_REACH + 1)
        }
        lines = [j for j in sorted(near) if 0 <= j < len(source_lines) and j not in naming and institution in owner(j)]
        written = compact(" ".join(line for j in lines for line in source_lines[max(0, j - 1) : j + 2]))
        for j in lines:
            parts = degree_and_field(source_lines[j])
            if parts is None:
                continue
            if degree == compact(parts[0]) and not (field and field in written):
                dropped.append(f"education.field: {school.get('field')} (its degree's line writes another)")
                school = {**school, "field": parts[1]}
                break
            if not degree and field == compact(parts[1]):
                dropped.append(f"education.degree: + {parts[0]} (its field's line writes it)")
                school = {**school, "degree": parts[0]}
                break
        read.append(school)
    return read


_DEGREE_SUFFIX = re.compile(r"^(?P<suffix>(?:Eng|Sc|Tech|Hons|Ed)\.)\s+(?P<rest>[A-ZÀ-Þ].*)$")
"""A degree's second abbreviation opening its field as the model parts them ("M.S." and "Eng. Computer Science")."""


def _degree_suffix_kept(school: dict, source_lines: list[str], dropped: list[str]) -> dict:
    """``school`` with the abbreviation that opens its field (:data:`_DEGREE_SUFFIX`) put back after its degree, where
    a line of the resume writes them so ("M.S. Eng. Computer Science": v10 gave the field "Eng. Computer Science")."""
    degree, field = school.get("degree"), school.get("field")
    parts = _DEGREE_SUFFIX.match(field.strip()) if degree and field else None
    if parts is None:
        return school
    written = compact(f"{degree} {parts['suffix']} {parts['rest']}")
    if not any(written in compact(line) for line in source_lines):
        return school
    dropped.append(f"education.field: {field} (its first word the degree's)")
    return {**school, "degree": f"{degree.strip()} {parts['suffix']}", "field": parts["rest"].strip()}


_LINK_OR_EMAIL = re.compile(r"(?i)https?://|www\.|@|^[\w-]+(?:\.[\w-]+)+/?$")


DATES_REACH = 2
"""Lines from a school's name within which its dates are looked for."""


def _may_be_school(name: str, lines: list[str], kinds: list[str | None], below: list[str | None]) -> bool:
    """Whether ``name``, written under headings of no known kind only, may be a school's there: it has a school's
    words (:data:`~ml.inference.school_headers.SCHOOL_WORDS`), or a line naming it follows the education section
    with no known heading between (``below``: "CARNEGIE MELLON" below "Education", its name in capitals read as a
    heading) or has a year within :data:`DATES_REACH` lines ("SENA" over its degree and dates, below a "Courses"
    list; "ETH ZURICH" over "MSc Physics, graduated May 2016"). A sidebar's skill ("Google Cloud" over its level
    and keywords, below the contact lines) has neither."""
    if SCHOOL_WORDS.search(name):
        return True
    named = [k for k, kind in enumerate(kinds) if kind is None and _sections_naming([name], [_words(lines[k])], [None])]
    dated = any(_YEAR.search(line) for k in named for line in lines[max(0, k - DATES_REACH) : k + DATES_REACH + 1])
    return dated or any(below[k] == "education" for k in named)


def _known_above(kinds: list[str | None]) -> list[str | None]:
    """For each line, the kind of the last known section at or above it (a line under a heading of no known kind
    stays in the section before it, as far as a school's name in capitals read as a heading goes)."""
    above: list[str | None] = []
    for kind in kinds:
        above.append(kind if kind is not None else (above[-1] if above else None))
    return above


def education_entries(entries: list[dict], source_text: str, dropped: list[str]) -> list[dict]:
    """The education entries that are schools, where the resume has an education section: dropped are one whose
    institution it writes only under headings of other sections (:data:`NOT_EDUCATION_SECTIONS`), one written only
    under work headings whose years no line of the education section writes (a job read as a school: v10's
    "Collège Paul Éluard", an employer), and one written only under headings of no known kind with no school's
    words nor a year near and not below the education section (:func:`_may_be_school`: a macchiato sidebar's
    skills, read as five schools). A theme that prints awards as "prize / awarder" blocks below the education
    section was read by v10 as seven more degrees, the awarders as schools (the real validation PDFs). An institution
    found under an education heading, before any heading or not at all is kept, and so is every entry of a resume
    whose education heading is not read as one (its schools then sit in the section before). An entry without an
    institution is judged by its degree ("Best Research Award", its awarder left out). A link or an email is no
    institution (a theme PDF's project link read as a school), and an entry left with no institution, degree or
    field is none where it has no dates either or its institution was a link (v10 wrote empty schools); one with
    dates keeps them (they may be a school's)."""
    linked = [entry for entry in entries if _LINK_OR_EMAIL.search(entry.get("institution") or "")]
    dropped += [f"education.institution: {entry['institution']} (a link or an email)" for entry in linked]
    entries = [{**entry, "institution": None, "linked": True} if entry in linked else entry for entry in entries]
    empty = [
        entry
        for entry in entries
        if not any(entry.get(key) for key in ("institution", "degree", "field"))
        and (entry.get("linked") or not (entry.get("start_date") or entry.get("end_date")))
    ]
    dropped += [f"education: {e.get('start_date')} to {e.get('end_date')} (no school, degree or field)" for e in empty]
    entries = [{k: v for k, v in entry.items() if k != "linked"} for entry in entries if entry not in empty]
    names = [(entry.get("institution") or entry.get("degree") or "").casefold() for entry in entries]
    kinds = _with_head(section_kinds(source_text), source_text)
    if "education" not in kinds:
        return entries
    raw = source_text.split("\n")
    lines = [_words(line) for line in raw]
    below = _known_above(kinds)
    school_years = {
        year for line, kind in zip(raw, below, strict=True) if kind == "education" for year in _YEAR.findall(line)
    }
    kept = []
    for entry, named in zip(entries, names, strict=True):
        found = _sections_naming([named], lines, kinds) if named else set()
        years = {(entry.get(key) or "")[:4] for key in ("start_date", "end_date")} & set(map(str, range(1900, 2100)))
        if found and found <= NOT_EDUCATION_SECTIONS:
            dropped.append(f"education: {named} (under {', '.join(sorted(found))} headings only)")
        elif (
            found
            and "work" in found
            and found <= NOT_EDUCATION_SECTIONS | {"work"}
            and years
            and not years & school_years
        ):
            dropped.append(f"education: {named} (a job's: under work headings only, its years under no education one)")
        elif (
            None in found
            and found <= NOT_EDUCATION_SECTIONS | {None, "summary"}
            and not _may_be_school(named, raw, kinds, below)
        ):
            dropped.append(f"education: {named} (under headings of no known kind only, no school's name or year)")
        else:
            kept.append(entry)
    return kept


def _sentence(value: str) -> bool:
    """Whether an employer is a sentence of the job's description (see :func:`role_named`)."""
    words = value.split()
    last = words[-1] if words else ""
    abbreviation = bool(re.fullmatch(r"(?:[^\W\d_]{1,4}\.){1,3}", last)) and not last[:1].islower()  # "S.A.", "D.C."
    ends_sentence = value.rstrip().endswith((".", "!", "?")) and not abbreviation
    ends_one = _SENTENCE_INSIDE.search(value) is not None  # "... zu arbeiten. In dieser Funktion ..."
    return (len(words) > MAX_TITLE_WORDS and (ends_sentence or ends_one)) or len(words) > 2 * MAX_TITLE_WORDS


_SENTENCE_INSIDE = re.compile(r"[^\W\d_]*[a-zà-ÿ]{4}[.!?]\s+[A-ZÀ-Þ]")
"""A sentence's end inside a value: a word of four small letters or more, its full stop, a capital ("Co. Ltd", "Dept.
of" and "J.D. Power" end none)."""


_AT = re.compile(r"\s+(?:at|@|chez|bei)\s+", re.IGNORECASE)


def at_line_read(entry: dict, source_lines: list[str]) -> dict:
    """A role the resume writes "<title> at <employer> <dates>" (one theme's header, and many people's) read whole: the
    title without " at <employer>", the employer from " at " to the dates (v10 kept "VISTEC" of "Research
    Assistant at Laboratory for Network and Decision Systems, VISTEC Jan 2022 - Jan 2024", and read another job's
    title as "Summer Research Internship at City University of Hong Kong")."""
    title, company = entry.get("title"), entry.get("company")
    if not title or not company:
        return entry
    read = dict(entry)
    parts = _AT.split(title, maxsplit=1)
    if len(parts) == 2 and parts[0].strip() and compact(company) in compact(parts[1]):
        read["title"] = title = parts[0].strip()
    for line in source_lines:
        stripped = line.strip()
        at = _AT.match(stripped[len(title) :]) if stripped.casefold().startswith(title.casefold()) else None
        rest = stripped[len(title) + at.end() :] if at else ""
        dates = date_range_start(rest)
        if dates is None:  # a header line carries the role's dates; a sentence "... at heart, ..." does not
            continue
        named = re.search(rf"(?<!\w){re.escape(company)}(?!\w)", rest[:dates], re.IGNORECASE)
        if named and not rest[named.end() : dates].strip(" ,;:|·–—-(["):  # the employer ends where the dates begin
            read["company"] = rest[: named.end()].strip()
        break
    return read


WORK_PLACES = frozenset(
    {"remote", "hybrid", "on-site", "onsite", "in-office", "télétravail", "teletrabajo", "remoto", "híbrido"}
    | {"hibrido", "presencial", "homeoffice", "home-office"}
)
"""Words of where a job is worked, never its employer or title: v10 read a kendall PDF's "Remote" as two titles. A
job whose employer or title is one of them is worked there: it becomes the job's place where it has none. (A company
named "Remote" is read as a place too: the one employer lost for the many titles.)"""
POINT_LABELS = frozenset(
    {"highlights", "responsibilities", "key responsibilities", "achievements", "key achievements", "accomplishments"}
    | {"tasks", "duties", "logros", "responsabilidades", "funciones", "aufgaben", "tätigkeiten", "réalisations"}
    | {"missions", "realizzazioni", "responsabilità", "conquistas", "atividades"}
)
"""A job's label over its points ("Highlights" under the flat theme's header), never its employer or title: v10 read
it as the title of 3 of 4 jobs of a pool PDF."""
WORK_TERMS = frozenset({"full-time", "part-time", "full time", "part time"})
"""Words of the terms of a job, never its employer or title (dropped, not made its place; "Freelance" may be either a
title or an employer)."""
_TRAILING_DATE = re.compile(r"[\s,·|–—-]+\d{1,2}/(?:19|20)\d\d(?:\s*[–—-]+\s*(?:\d{1,2}/(?:19|20)\d\d|[^\W\d_]+))?\s*$")
"""A month and year in digits after a value, or a range of them, with what parts it from the value: the header's
dates cell read into it ("TestGroup 01/2024", "TestGroup – 03/2022 - Present"); a year alone may be the title's own
("Software Developer, Google Summer of Code 2019")."""


def _employer_line(title: str, company: str, place: str | None) -> bool:
    """Whether a title is its employer's line: the employer, a comma or a bar, then its place (the job's, or one word:
    "GoodYear Tire & Rubber Company, Luxembourg"); "Freelance, Web Developer" is a title."""
    head, name = title.strip(), company.strip()
    if not head.casefold().startswith(name.casefold()) or head[len(name) : len(name) + 2] not in {", ", " |"}:
        return False
    rest = head[len(name) + 2 :].strip(" |")
    return compact(rest) == compact(place) or len(rest.split()) == 1


def role_named(entry: dict, person: str | None, headings: set[str], dropped: list[str]) -> dict:
    """``entry`` without an employer or a title that cannot name one: a date ("Juni 2018"), an email or a link, a
    line of the resume that opens a section (``headings``, compact: "Trayectoria profesional"), the person's own
    name as the title, a title longer than :data:`MAX_TITLE_WORDS` words, an employer that is a sentence (longer
    than that and ending one, or twice as long: "Als Frontend-Entwickler bei Zeix habe ich ... mitgewirkt."; real
    employers run to 15 words, "... - Trabajo de Diploma"); a skill's level alone ("Avanzado", "Senior": a theme's
    skill grid read as jobs; none of 7,428 true jobs, real or generated, has one as its employer or title, 11 of v10's
    real validation parses do); an employer equal to the
    title is the title copied into it (no real or generated job has one: the title stays, the employer goes); a
    label over a job's points (:data:`POINT_LABELS`).
    A 135M model fills a field it could not find with the nearest line; an empty field is the honest answer."""

    def nameless(value: str) -> str | None:
        if normalize_date(value) is not None:
            return "a date"
        if EMAIL.search(value) or re.match(r"(?:https?://|www\.)", value.strip(), re.IGNORECASE):
            return "an email or a link"
        if compact(value) in headings:
            return "a section's heading"
        if value.strip().casefold() in LEVEL_WORDS:
            return "a skill's level"
        if value.strip().casefold() in WORK_PLACES:
            return "where the job is worked"
        if value.strip().casefold() in WORK_TERMS:
            return "the job's terms"
        if value.strip().strip(":").casefold() in POINT_LABELS:
            return "a label over its points"
        return None

    named = dict(entry)
    for key in ("company", "title"):
        if entry.get(key) and _TRAILING_DATE.search(entry[key].strip()):
            named[key] = _TRAILING_DATE.sub("", entry[key].strip())
            dropped.append(f"experience.{key}: {entry[key]} (its dates cut off: {named[key]})")
    entry = dict(named)
    company, title = entry.get("company"), entry.get("title")
    reasons = {
        "company": company
        and (
            nameless(company)
            or (title and compact(company) == compact(title) and "the title")
            or (_sentence(company) and "a sentence")
        ),
        "title": title
        and (
            nameless(title)
            or (person and compact(title) == compact(person) and "the person's name")
            or (len(title.split()) > MAX_TITLE_WORDS and "a sentence")
            or (company and _employer_line(title, company, entry.get("location")) and "its employer's line")
        ),
    }
    for key, reason in reasons.items():
        if reason:
            dropped.append(f"experience.{key}: {entry[key]} ({reason})")
            named[key] = None
        if reason == "where the job is worked" and not named.get("location"):
            named["location"] = entry[key]
    return named


def employers_not_titles(entries: list[dict], dropped: list[str]) -> list[dict]:
    """``entries`` without an employer that is another of the jobs' titles: one job's title read as the next job's
    employer ("Translation Steward" over DevF's "Lead Frontend Architect"; 9 of the 10 such employers in v10's parses
    of the real validation set were wrong; none of the 492 real employers or 4,547 generated ones is another job's
    title). Two entries that are each other's swap ((SchedGo, Data Engineer) beside (Data Engineer, SchedGo)) are
    left alone: which one is right cannot be told from the pair. Run after :func:`role_named`, so that a title it
    drops (the person's name, a heading) takes no employer with it."""
    out = []
    for index, entry in enumerate(entries):
        company, title = entry.get("company"), entry.get("title")
        holders = [
            other
            for at, other in enumerate(entries)
            if at != index and company and other.get("title") and compact(other["title"]) == compact(company)
        ]
        swapped = any(
            title and other.get("company") and compact(other["company"]) == compact(title) for other in holders
        )
        if holders and not swapped:
            dropped.append(f"experience.company: {company} (another job's title)")
            entry = {**entry, "company": None}
        out.append(entry)
    return out


MIN_SECTION_ITEMS = 3
"""A skills section read with this many items is the resume's skills list (fewer: a stray "Skills:" line)."""


SKILL_SENTENCE_WORDS = 8
"""A longer "skill" that the resume does not write as an item of its own is a sentence (the real training pool:
2,402 skills, none over 8 words; a real person may list "AWS (EC2, S3, Lambda, RDS, CloudFront, IAM, CloudWatch,
SQS)")."""


def _written_as_item(skill: str, source_text: str) -> bool:
    """Whether a line of the resume is ``skill``, or a part of a list line (no sentence's end) between its separators
    outside parentheses: "AWS (EC2, S3, Lambda, RDS, CloudFront, IAM, CloudWatch, SQS)" in "Cloud: AWS (...), Go"."""
    key = compact(skill)
    for line in source_text.split("\n"):
        listed = not line.rstrip().endswith((".", "!", "?"))
        parts = split_outside_parentheses(_GROUP_LABEL.sub("", line, count=1), _ITEM_SEPARATOR) if listed else []
        if key in {compact(part) for part in [line, *parts]}:
            return True
    return False


def _loop(words: list[str]) -> bool:
    """Whether ``words`` are one run of words repeated whole, twice or more ("react react react"), or hold a word
    twice in a row ("SvelteKit/Sveltekit/Svelte/Svelte", a loop that grows by one item per skill; a number twice is
    a version: "Laravel 5.5")."""
    return any(a == b and not a.isdigit() for a, b in itertools.pairwise(words)) or any(
        len(words) % size == 0 and words == words[:size] * (len(words) // size)
        for size in range(1, len(words) // 2 + 1)
    )


def _no_skill(skill: str, source_text: str, lines: list[tuple[str, str]], dropped: list[str]) -> bool:
    """Whether a skill is no skill, said so in ``dropped``: words the resume writes only as lines that open a known
    section ("Skills", "Experience"; "Publications" in a skills line is a skill), a sentence (over
    :data:`SKILL_SENTENCE_WORDS` words, written as no item of a line), or words repeated whole, as a loop repeats
    them or twice in a row, that the resume never writes so ("React/React/React": the decoder's de-duplication
    cannot see it, each item differs). ``lines``: the resume's lines with their :func:`_words`, made once per resume."""
    words = tokens(skill)
    written = [line for line, line_words in lines if _words(skill) in line_words]
    if written and all(section_kind(line) and compact(line) == compact(skill) for line in written):
        why = "a section's heading"
    elif len(skill.split()) > SKILL_SENTENCE_WORDS and not _written_as_item(skill, source_text):
        why = "a sentence"
    elif _loop(words) and compact(skill) not in compact(source_text):
        why = "a word repeated"
    elif _a_level(skill, source_text):
        why = "a level"
    else:
        return False
    dropped.append(f"skills: {skill} ({why})")
    return True


MAX_WRAPPED_WORDS = 3
"""Words of the line a cut skill goes on in ("Datos", "proyectos"); more, and it is an item of its own."""


def skills_unwrapped(skills: list[str], source_lines: list[str], dropped: list[str]) -> list[str]:
    """The model's skills with each one a line's end cut short read on: a skill that ends with a joining word
    (:data:`~ml.text.DANGLING_END`) and is a line of its own, whose next line is a few words alone, takes them
    ("Almacenamiento de" over "Datos": a theme's sidebar wraps its keyword chips; "CI/" over "CD" without a space);
    one that cannot be read on (a cell of a row, "Hardware &" of a two-column label) is dropped, said so in
    ``dropped``: no skill ends so. v10 on the real PDFs: 8 such."""
    out: list[str] = []
    for skill in skills:
        if not DANGLING_END.search(skill.strip()):
            out.append(skill)
            continue
        key = compact(skill)
        joint = "" if skill.strip().endswith(("-", "/")) else " "  # "Micro-" over "services", "CI/" over "CD"
        read_on = [
            f"{skill.strip()}{joint}{following.strip()}"
            for line, following in itertools.pairwise([*source_lines, ""])
            if compact(ITEM_MARK.sub("", line)) == key
            and not CELL_GAP.search(line.strip())
            and 0 < len(following.split()) <= MAX_WRAPPED_WORDS
            and not CELL_GAP.search(following.strip())
            and not _ITEM_SEPARATOR.search(following)
            and (section_kind(following) is None or following.strip()[:1].islower())  # "proyectos" goes on
        ]
        if read_on and compact(read_on[0]) not in {compact(other) for other in out + skills}:
            dropped.append(f"skills: {skill} (read on over its line's end: {read_on[0]})")
            out.append(read_on[0])
        else:
            dropped.append(f"skills: {skill} (cut short at a line's end)")
    return out


def completed_skills(skills: list[str], source_text: str, dropped: list[str]) -> list[str]:
    """The model's skills, then the items of the resume's own skills section it left out
    (:func:`ml.preprocessing.segment.skills_section_items`). A 135M model stops early on a long skills list
    (v10 on real text: 272 of 791 true skills missed, 81 wrong); the section's items are the resume's own words.
    Where the resume has such a section, a skill the model took from another section only (a course, a project's
    name, a research interest: every line that writes it is under another known heading) is dropped: v10 on the
    real validation set, text 0.735 -> 0.738, PDFs 0.527 -> 0.531."""
    lines = source_text.splitlines()
    worded = [(line, _words(line)) for line in lines]
    skills = [skill for skill in skills if not _no_skill(skill, source_text, worded, dropped)]
    read = skills_section_lines(source_text)
    section = section_items(read)
    if len(section) >= MIN_SECTION_ITEMS:
        read_at = {index for index, _ in read}
        kinds = section_kinds("\n".join(lines))
        where = [
            (compact(line), "skills" if index in read_at else kind)
            for index, (line, kind) in enumerate(zip(lines, kinds, strict=True))
        ]
        elsewhere = [skill for skill in skills if _elsewhere_only(compact(skill), where)]
        dropped += [f"skills: {skill} (under other sections' headings only)" for skill in elsewhere]
        skills = [skill for skill in skills if skill not in elsewhere]
    have = {compact(skill) for skill in skills}  # "NodeJS" is "Node.js", "Machine Learning" "machine-learning"
    listed = {compact(item) for item in section}
    words = {word for skill in skills if compact(skill) not in listed for word in skill.casefold().split()}
    added = [
        item
        for item in section
        if compact(item) not in have
        and not (len(item.split()) == 1 and item.casefold() in words)
        and not _a_level(item, source_text)
    ]  # a one-word item inside a skill the model gave ("Tolerance" of "Tolerance Analysis" cut by a line wrap), unless
    # the section lists both ("React" and "React Framework")
    return skills_unwrapped(skills + added, lines, dropped)


def _a_level(skill: str, source_text: str) -> bool:
    """Whether a skill is a level word the resume writes as a level: a line of its own, a cell beside another
    ("Frontend  Master"), or after a dash or in brackets ("Mentoring – Expert", "Java (Expert)"); never a list's
    item ("ANSYS, Fluent, SolidWorks"). v10 and the section's grid reader took kendall's "Master" for a skill."""
    if skill.casefold() not in LEVEL_WORDS:
        return False
    word = re.escape(skill.strip())
    as_level = re.compile(rf"(?im)^\s*{word}\s*$|\S(?:\s{{2,}}|\t){word}\s*$|[–—-]\s*{word}\b|\(\s*{word}\s*\)")
    return bool(as_level.search(source_text))


SKILLS_MAY_SIT_UNDER = frozenset({"skills", "summary", "contact"})
"""Sections a skills list may sit in without a heading of its own: a theme's sidebar lists skill groups under its
"About" head (macchiato: "Databases / Master / Oracle and MySQL")."""


def _elsewhere_only(key: str, lines: list[tuple[str, str | None]]) -> bool:
    """Whether every line (compact text, section kind) that writes ``key`` is under another known section's heading."""
    kinds = [kind for line, kind in lines if key in line]
    return bool(kinds) and all(kind and kind not in SKILLS_MAY_SIT_UNDER for kind in kinds)


def months_restored(entry: dict, ranges: list[tuple[str | None, str]]) -> dict:
    """``entry`` with the month of a start or end date the model wrote as the year alone, where the resume writes
    exactly one range of those years with months (``sep 2016 - dic 2019``, parsed as 2016 to 2019: a 135M model
    drops months it does not know, in Spanish or German most of all). Nothing is guessed: no range, or two ranges
    of the same years with different months (two short jobs in one year), leave the entry as it is."""
    start, end = entry.get("start_date"), entry.get("end_date")
    if not start or not end or not (_YEAR_ONLY.fullmatch(start) or _YEAR_ONLY.fullmatch(end)):
        return entry
    candidates = {
        (s, e)
        for s, e in ranges
        if s and e and s[:4] == start[:4] and (e == end if "present" in (e, end) else e[:4] == end[:4])
    }
    if len(candidates) != 1:
        return entry
    (found_start, found_end), restored = candidates.pop(), dict(entry)
    if _YEAR_ONLY.fullmatch(start):
        restored["start_date"] = found_start
    if _YEAR_ONLY.fullmatch(end):
        restored["end_date"] = found_end
    return restored


def span_repaired(
    entry: dict,
    ranges: list[tuple[str | None, str]],
    lines: list[str] | None = None,
    held: set[tuple[str | None, str | None]] | None = None,
) -> dict:
    """``entry`` with the resume's own range where the model wrote an impossible one: an end before the start, or
    the start twice (``2022-08`` to ``2022-08`` for ``Aug 2022 – Present``), and the resume writes exactly one range
    from that start (or, for an end before the start, to that end). v10 on the real validation set: 24 such spans.
    An end before the start is read the other way round where the resume writes it so ("May 2025 - Oct 2024": 2 of
    the 119 people), or writes the other way round on or beside a line naming the entry (``lines``; another entry's
    range that meets this one's start is not this one's). Any other range the resume itself writes (a one-month job)
    is left as it is. A span with an end and no start whose end the resume writes only as a range's start, beside a
    line naming the entry ("2023-03 - Actualidad" over the school, read as null to 2023-03) and writing that year
    once ("Lumen Institute 2010 - 2013 ... Graduated 2010  École Polytechnique" is a flat extraction's), gets it,
    unless another entry has that range (``held``: an MSc 2020 - 2022 and a BSc of 2020 at the same school), and
    where the end is no range's end but one another entry has (a PhD "2017 – Present" read as null to 2017 beside
    the MSc's "2014 – 2017")."""
    start, end = entry.get("start_date"), entry.get("end_date")
    if not start and end and end[:4].isdigit() and not any(r[1] == end and r not in (held or set()) for r in ranges):
        opened = {
            r
            for r, line in _own_ranges(entry, lines or [])
            if r[0] == end and line.count(end[:4]) == 1 and r not in (held or set())
        }
        return {**entry, "start_date": end, "end_date": opened.pop()[1]} if len(opened) == 1 else entry
    if not (start and end and start[:4].isdigit() and end[:4].isdigit()):
        return entry
    before = end[:4] < start[:4] or (len(end) == len(start) and end < start)
    if before and ((start, end) in ranges or (end, start) in _ranges_naming(entry, lines or [])):
        return {**entry, "start_date": end, "end_date": start}
    if (start, end) in ranges or (not before and not (end == start and len(start) == len("YYYY-MM"))):
        return entry  # "2022" alone is a year's job
    found = {r for r in ranges if r[0] == start} or ({r for r in ranges if r[1] == end} if before else set())
    if len(found) != 1:
        return entry
    found_start, found_end = found.pop()
    return {**entry, "start_date": found_start, "end_date": found_end}


_OWN_CELL = re.compile(r"\s{2,}|\t|\s[·|—]\s|,\s|\(|\)")
_OWN_CELL_DASHED = re.compile(rf"{_OWN_CELL.pattern}|\s[–-]\s|\sat\s")
"""What parts a header line's cells (a column gap, a separator, a comma, parentheses); a dash or " at " may too
(``_OWN_CELL_DASHED``: "Software Engineer – Mar 2023 - Present"), or be a name's ("Architect – Associate")."""
MIN_NAME_CHARS = 4
"""A shorter value ("BSc", "IT") names no line of its entry: it is written all over a resume."""


def _own_ranges(entry: dict, lines: list[str]) -> set[tuple[tuple[str | None, str], str]]:
    """The date ranges an entry's own lines write, each with its line: the one range of a line naming its employer or
    school (whole words), or its title or degree as a whole cell (:data:`_OWN_CELL`: "Computer Science" names no line
    "Master of Computer Science, Harvard University"), and that of a line of dates alone just above or below one.
    (Not a line that writes two ranges, a flat extraction's; not a neighbour's range beside words, another entry's
    header: "2016 -- 2018  MSN, Monterrey" over "Graduated 2016  BSN, Roma".)"""
    keys = ("company", "institution", "title", "degree")
    long_enough = [key for key in keys if len(compact(entry.get(key))) >= MIN_NAME_CHARS]
    names = [f" {norm(entry[key])} " for key in ("company", "institution") if key in long_enough]
    roles = {compact(entry[key]) for key in ("title", "degree") if key in long_enough}
    naming = [
        n
        for n, line in enumerate(lines)
        if any(name in f" {norm(line)} " for name in names)
        or roles & {compact(c) for cells in (_OWN_CELL, _OWN_CELL_DASHED) for c in cells.split(line)}
    ]
    found: set[tuple[tuple[str | None, str], str]] = set()
    for index in naming:
        for near in (index - 1, index, index + 1):
            spans = date_ranges(lines[near]) if 0 <= near < len(lines) else []
            dates_alone = len(spans) == 1 and not words_beside_dates(lines[near])
            if len(spans) == 1 and (near == index or dates_alone):
                found.add((spans[0], lines[near]))
    return found


def _ranges_naming(entry: dict, lines: list[str]) -> set[tuple[str | None, str]]:
    """The date ranges of ``lines`` written on, over or under a line that names the entry's employer or school."""
    name = compact(entry.get("company") or entry.get("institution"))
    if not name:
        return set()
    return {
        span
        for index, line in enumerate(lines)
        for span in date_ranges(line)
        if name in compact(" ".join(lines[max(0, index - 1) : index + 2]))
    }


PROJECT_BLOCK_CHARS = 1200
"""The most of the source text after a project's name that can still be that project's own (its description and its
technology line), where no later project's name ends it sooner."""


NOT_PROJECT_SECTIONS = frozenset({"publications", "awards", "skills", "languages", "interests", "certifications"})
"""Sections whose entries are not projects: a paper, a prize, a skill group. (A job or a degree may hold a project:
"Capstone Project: Smart Parking System" under a degree is one.)"""


def project_entries(entries: list[dict], source_text: str, dropped: list[str]) -> list[dict]:
    """The projects that are projects: none named by a line that opens a section whose entries are no projects
    (:data:`NOT_PROJECT_SECTIONS`: "Skills" with the skills as its technologies; "About Me" may name a website);
    where the resume has a projects section, none whose name it writes only under headings of those sections or
    that names a month and year. v10 read the sections after a theme PDF's projects as more of them: its papers,
    its skill groups ("Software Tools" with "Python" as the description), a heading ("Publications"), a project's
    dates as another project ("Dec 2023"). Any other name found under a projects heading, under no heading or not
    at all is kept, and so is a project without a name (real people list some by their technologies only)."""
    headings = {compact(line) for line in source_text.split("\n") if section_kind(line) in NOT_PROJECT_SECTIONS}
    headed = [bool(entry.get("name")) and compact(entry["name"]) in headings for entry in entries]
    for entry in itertools.compress(entries, headed):
        dropped.append(f"projects: {entry['name']} (a section's heading)")
    entries = [entry for entry, h in zip(entries, headed, strict=True) if not h]
    names = [(entry.get("name") or "").casefold() for entry in entries]
    sections = _sections_of(names, source_text, "projects")
    if sections is None:
        return _projects_of_a_resume_without_them(entries, source_text, dropped)
    kept = []
    for entry, named, found in zip(entries, names, sections, strict=True):
        if named and "-" in (normalize_date(named) or ""):  # a month and year; "2048" and "Now" are names
            dropped.append(f"projects: {entry.get('name')} (a date, not a name)")
        elif found and found <= NOT_PROJECT_SECTIONS:
            dropped.append(f"projects: {entry.get('name')} (under {', '.join(sorted(found))} headings only)")
        else:
            kept.append(entry)
    return kept


_PROJECT_LABEL = re.compile(
    r"(?i)\b(?:projects?|thesis|capstone|dissertation|proyectos?|projets?|projekte?|projetos?|progetti|tesis|th[eè]se)\b"
)
"""A word by which a line labels a project ("Capstone Project:", "Senior thesis:", "Proyecto:")."""


def _projects_of_a_resume_without_them(entries: list[dict], source_text: str, dropped: list[str]) -> list[dict]:
    """Where no heading opens a projects section, the projects a resume writes only under headings of other known
    kinds (its name, else its description's first sentence): v10 listed a theme PDF's employers, a job's points and
    its skills as nine projects of a resume that has none (jsonresume-089, kendall). One found under no heading, under
    one of no known kind, under an education heading (a student's thesis or capstone) or nowhere on a line is kept,
    and so is one a short line labels a project (:data:`_PROJECT_LABEL`: "Capstone Project: Smart Parking
    System")."""
    kinds = section_kinds(source_text)
    lines = [_words(line) for line in source_text.split("\n")]
    kept = []
    for entry in entries:
        said = entry.get("name") or re.split(r"(?<=[.!?])\s", entry.get("description") or "")[0]
        found = _sections_naming([said], lines, kinds) if said.strip() else set()
        called = any(  # a label line: "Capstone Project: Smart Parking System", not a point naming a tool
            _PROJECT_LABEL.search(line)
            and compact(said) in compact(line)
            and len(line.split()) <= len(said.split()) + 3
            for line in lines
        )
        if found and None not in found and "education" not in found and not called:
            dropped.append(f"projects: {said} (no projects section; under {', '.join(sorted(found))} headings only)")
        else:
            kept.append(entry)
    return kept


def projects_once(entries: list[dict], dropped: list[str]) -> list[dict]:
    """Each project once, and no date as its description: a project named as an earlier one is that project read
    again, dropped whole (what the second reading gives is another entry's: a paper's title, a skill); a description
    of a month, year or "present" only is the project's dates (v10 on theme PDFs: "Nov 2024", "Present"; a project
    is not described so). v10 on the real PDFs read one project two to four times (9 of 40)."""
    kept: list[dict] = []
    first: set[str] = set()
    for entry in entries:
        entry = dict(entry)
        if entry.get("description") and _dates_only(entry["description"]):
            dropped.append(f"projects.description: {entry['description']} (a date)")
            entry["description"] = None
        key = compact(entry.get("name"))
        if not key or key not in first:
            first.add(key)
            kept.append(entry)
            continue
        dropped.append(f"projects: {entry.get('name')} (the same project as an earlier one)")
    return kept


_RESUME_YEAR = re.compile(r"19[5-9]\d|20[0-3]\d")


def _dates_only(text: str) -> bool:
    """Whether ``text`` names months, years or "present" and nothing else, with a year of a resume's span in it or
    words alone ("Nov 2024", "Feb", "Present", "2019 - 2021"; not "2048", "24/7")."""
    words = tokens(text)
    dated = all(w.isdigit() or w in MONTHS or w in PRESENT_WORDS or w in MONTH_PREFIXES for w in words)
    a_year = any(_RESUME_YEAR.fullmatch(w) for w in words)
    return bool(words) and dated and (a_year or all(w in PRESENT_WORDS or w in MONTHS for w in words))


def project_blocks(projects: list[dict], source_text: str) -> list[tuple[dict, str | None]]:
    """Each project with its own stretch of the source: from where its name occurs (after the previous project's,
    at the start of a line if it does anywhere there, so a name that a job's bullet mentions first is found in its
    section) to where the next project's name occurs, at
    most :data:`PROJECT_BLOCK_CHARS`; None for a project whose name is not found (nothing to judge by)."""
    starts: list[int | None] = []
    cursor = 0
    for project in projects:
        name = re.escape((project.get("name") or "").strip())
        # a line it heads, before a mention in a bullet; case ignored in the source itself (its offsets stay true)
        found = name and (
            re.compile(rf"^[\W_]*({name})", re.MULTILINE | re.IGNORECASE).search(source_text, cursor)
            or re.compile(name, re.IGNORECASE).search(source_text, cursor)
        )
        start = found.start(found.lastindex or 0) if found else None
        starts.append(start)
        cursor = found.end() if found else cursor
    blocks = []
    for index, start in enumerate(starts):
        if start is None:
            blocks.append(None)
            continue
        later = [s for s in starts[index + 1 :] if s is not None and s > start]
        end = min([*later[:1], start + PROJECT_BLOCK_CHARS, len(source_text)])
        block = source_text[start:end]
        lines = block.split("\n")
        cut = next((i for i, line in enumerate(lines[1:], 1) if section_kind(line) is not None), len(lines))
        blocks.append("\n".join(lines[:cut]))  # up to the next section's heading
    return list(zip(projects, blocks, strict=True))


MAX_TECHNOLOGY_WORDS = 3
"""A technology is a name of one to three words outside its parentheses (the 119 people's 298 project keywords: 250
of one word, 43 of two, 5 of three, none longer); a longer one is a piece of the description ("Top-down 2D RPG
game"), unless the project's text lists it as an item ("Amazon Web Services (AWS)" counts three)."""
_PARENTHESES = re.compile(r"\([^)]*\)")


def _no_technology(technology: str, name: str | None, block: str | None) -> bool:
    """A project's own name of several words, a link, or a phrase or a string without letters that the project's
    text (``block``) does not list as an item, read as one of its technologies (v10 on real projects without
    keywords: "Tesla Landing Page" for the project of that name, a URL, "15" of "15 pages."; a project named
    "audio" may list "audio", one in embedded work "8051")."""
    words = _PARENTHESES.sub(" ", technology).split()
    listed = block is not None and _written_as_item(technology, block)
    return (
        (len(words) > 1 and compact(technology) == compact(name or ""))
        or "://" in technology
        or (not listed and (len(words) > MAX_TECHNOLOGY_WORDS or not any(c.isalpha() for c in technology)))
    )


def own_technologies(project: dict, block: str | None, dropped: list[str]) -> dict:
    """The project without the technologies its own text does not name, nor what no technology is
    (:func:`_no_technology`). v10 copied the skills section into every project of a resume whose projects list none
    (243 technologies on the real validation set, none true)."""
    technologies = project.get("technologies") or []
    if not technologies:
        return project
    name = project.get("name")
    own = SourceText(block) if block is not None else None
    kept = []
    for technology in technologies:
        if own is not None and not own.contains("technologies", technology):
            dropped.append(f"technologies: {technology} (not in the text of project {name})")
        elif _no_technology(technology, name, block):
            dropped.append(f"technologies: {technology} (no technology of project {name})")
        else:
            kept.append(technology)
    return {**project, "technologies": kept}


def ground_json(text: str, source_text: str) -> tuple[str, list[str]]:
    """:func:`ground` on a parse's JSON text; text that is not a ``ParsedResume`` is returned as is."""
    try:
        resume = ParsedResume.model_validate_json(text)
    except ValueError:
        return text, []
    grounded = ground(resume, source_text)
    if not grounded.dropped and grounded.resume == resume:
        return text, []
    return grounded.resume.to_json(), grounded.dropped


def decode_item(raw: bytes) -> str:
    """The text of a JSON string item from its raw bytes between the quotes (escapes resolved when complete)."""
    try:
        return json.loads(b'"' + raw + b'"')
    except ValueError:
        return raw.decode("utf-8", errors="replace")
