"""A job's highlights as the resume writes them: whole bullet points, one per point (issue #29.4).

v10 reads a job's bullet points well but cuts some short, merges two into one ("...and equipment. Golang") or
stops before the last ones: of the true highlights it missed on the real validation set's text renderings, 70
were cut short, 40 merged with another and 45 missing (``bench/NOTES.md``, session 28). A reader takes each bullet
whole. So, once the parse is done, a highlight found word for word in a job section's bullets becomes the bullet(s)
it was read from, and a job whose highlights come from a run of bullets gets the run's other bullets too.

A *bullet* is a line that starts with a bullet mark, with the lines that continue it (indented deeper, or a wrapped
line's lower-case rest). Unbulleted lines are items of their own, recognised only when a highlight is all of one:
a PDF's unbulleted paragraphs wrap in ways no rule here read reliably (on the validation PDFs, joining full-width
lines merged one theme's highlights, and splitting at line-final full stops cut another's). A highlight is also
dropped where it is another field read as one (:func:`_stray`). On the fresh run's outputs, text highlights F1
0.496 -> 0.622, PDFs 0.263 -> 0.288 (``bench/NOTES.md``, session 29).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ml.preprocessing.segment import (
    JOB_SECTIONS,
    LEVEL_WORDS,
    MAX_GROUP_LINES,
    MAX_HEADER_LINE,
    date_ranges,
    entry_starts,
    is_heading,
    section_items,
    section_kind,
    section_kinds,
    skills_section_lines,
)
from ml.schema import PRESENT_WORDS
from ml.text import ARROW_MARKS, BULLET_GLYPHS, EMAIL, MONTHS, compact, month_written, split_columns, token_f1, tokens

ITEM_MARK = re.compile(rf"^(\s*)(?:[{BULLET_GLYPHS}{ARROW_MARKS}*+]|[–—-]|o(?=\s+[A-ZÀ-ÖØ-Þ])|\d{{1,2}}[.)])\s+")
"""A bullet at a line's start: the glyphs of :data:`ml.text.BULLET_GLYPHS`, "o" only before a capital (a
Portuguese line may start with the article), the arrows and ``+`` of plain-text resumes, a dash, or a list number."""
FULL_LINE_SHARE = 0.7
"""A line at least this share of the page's width (the 90th percentile of its line lengths) was wrapped, unless it
ends a sentence."""
SAME_POINT = 0.8
"""A bulleted item this alike (token F1, the metric's own threshold) to one of the job's highlights is that one, written
differently ("satisfact-\nion"): not added again."""
MIN_PARTIAL_WORDS = 5
"""Fewer words are found only as a whole item ("Computer Vision" is also a phrase of the summary), and are dropped
where they are no line of the resume; a bullet this long that a highlight holds is a piece of it."""
QUOTES = '"“”„«»'
"""Double quotation marks a resume may open inside a sentence (a product's name, a system's): the model's JSON ends a
string at its own unescaped ``"``, never at an apostrophe."""
MIN_SHARE_READ = 0.5
"""A bullet whose text a highlight is at least this share of (by letters) is that highlight: not added again."""
ENTRY_SECTIONS = frozenset({"projects", "education", "publications", "awards", "courses"})
"""Sections of entries a sidebar does not hold: a line written only under their headings is theirs. (A sidebar's
skills, languages or certifications heading may fall between a job's points, in a two-column layout or a PDF: the
synthetic two-column resumes' true points "Supervised lunchtime activities" would be lost.)"""
MIN_STATED_WORDS = 8
"""An unbulleted line is a point of its own when it ends a sentence or runs past this many words; a short line
without a full stop under a header is one more of its fields ("Emergency Department team (27 people)")."""
MAX_HEADER_ABOVE = 3
"""Lines of an entry's header above its dates: title, employer, place."""
MAX_HEADER_LINES = 2
"""An entry's header names its employer and title besides its dates: below the dates' line, at most this many lines
less those above it, and one less when that line names one too ("Colba Technologies S.L. 01/2021 - Present").
What follows is its body ("Desarrollar una herramienta de gestión de bicis eléctricas para FIT E-Bike", a point
with no full stop, under the title)."""
MAX_HEADER_WORDS = 12
"""A header line has at most this many words."""
MAX_LABEL_WORDS = 3
"""A list's label over its points ("Highlights", "Key achievements:") has at most this many words."""
MAX_FIELD_WORDS = 7
"""A line of more words that ends a sentence is a sentence, whatever it names; one of this many is a field
("Software Engineer I, Arcadia Cloud Corp.")."""
HEADER_LABELS = frozenset(
    [
        "company",
        "employer",
        "organisation",
        "organization",
        "position",
        "title",
        "role",
        "designation",
        "dates",
        "date",
        "period",
        "duration",
        "location",
        "place",
        "city",
        "empresa",
        "puesto",
        "cargo",
        "periodo",
        "ubicación",
        "arbeitgeber",
        "firma",
        "zeitraum",
        "ort",
        "entreprise",
        "poste",
        "période",
        "lieu",
    ]
)
"""Labels of an entry's header fields written as "Label: value" lines (a point may be labelled too: "Program:
Modern Paradigms in Generalization")."""
_HEADER_PIECE = re.compile(r"\s+[—–|·@-]\s+|\s+(?:at|chez|bei|en)\s+|,\s*|\s{2,}|\t|[()]")
"""Where a header line's fields part: "Software Engineer, iABG — 11/2024 to Current", "Intern at Acme (2019)"."""
_HEADER_CELL = re.compile(r"\s+[—–|·]\s+|,\s*|\s{2,}|\t")
"""The same by punctuation alone: "Ingeniero en Sistemas, Acme" is a title "Ingeniero en Sistemas"."""
_LINK = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|org|net|io|dev)/", re.IGNORECASE)
_LABEL = re.compile(r"^\s*([^\W\d_]+)\s*:\s")
_SENTENCE_END = (".", "!", "?", ":", ";")
_PRESENT = frozenset(word for words in PRESENT_WORDS.values() for phrase in words for word in tokens(phrase))
_CELLS = re.compile(r"\S(?: {3,}|\t)\S")
_INLINE_MARK = re.compile(r"\S\s+[•●▪◦■►➢➤✓✔❖‣]\s")
_PIECE_BREAK = re.compile(r" {2,}|\t|\s[•●▪◦■►➢➤✓✔❖‣]\s")


@dataclass
class Item:
    """One point of the resume: its first line's index, whether a bullet marks it, and its text without the mark."""

    first_line: int
    marked: bool
    text: str
    last_line: int = -1
    header: bool = False  # an entry's header (a short line with a date range)

    def __post_init__(self) -> None:
        self.last_line = self.first_line if self.last_line < 0 else self.last_line


def _page_width(lines: list[str]) -> int:
    lengths = sorted(len(line.strip()) for line in lines if line.strip())
    return lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0


def _is_header(line: str) -> bool:
    """An entry's header: a short line with a date range (a long one is a sentence that names years)."""
    return bool(date_ranges(line)) and len(line.strip()) <= MAX_HEADER_LINE


def _wrapped(line: str, width: int) -> bool:
    stripped = line.strip()
    return len(stripped) >= FULL_LINE_SHARE * width and not stripped.endswith(_SENTENCE_END)


def _compound(line: str) -> bool:
    """A line of two cells (a second column beside it) or of several points run together (" • " inside it)."""
    return bool(_CELLS.search(line.strip()) or _INLINE_MARK.search(line.strip()))


def read_items(text: str) -> list[Item]:
    """The bullets and the other lines of ``text`` in order (see the module's docstring)."""
    lines = text.split("\n")
    width = _page_width(lines)
    items: list[Item] = []
    bullet: Item | None = None
    indent = 0
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            bullet = None
            continue
        compound = _compound(line)
        mark = None if compound else ITEM_MARK.match(line)
        if mark:
            bullet = Item(index, True, line[mark.end() :].strip())
            indent = len(mark.group(1))
            items.append(bullet)
            continue
        deeper = len(line) - len(line.lstrip()) > indent
        wrapped = stripped[0].islower() and _wrapped(lines[index - 1], width)
        alone = compound or _is_header(line) or is_heading(line)
        if bullet is not None and not alone and (deeper or wrapped):
            joiner = "" if bullet.text.endswith("-") and stripped[0].islower() else " "
            bullet.text = f"{bullet.text}{joiner}{stripped}"
            bullet.last_line = index
            continue
        bullet = None
        items.append(Item(index, False, stripped, header=_is_header(line)))
    return items


def cut_at_quote(highlight: str, text: str) -> bool:
    """Whether ``highlight`` (of :data:`MIN_PARTIAL_WORDS` words or more) stops where ``text`` opens a quotation
    after it: the model ended its JSON string at the quote it did not escape ("Designed Kafka Consumer Segregation
    design for " of 'design for “Order Pick Up” and ...', v10 on a real validation resume, text and PDF)."""
    words = highlight.split()
    if len(words) < MIN_PARTIAL_WORDS:
        return False
    return re.search(r"\s+".join(map(re.escape, words)) + rf"\s*[{QUOTES}]", text) is not None


def _candidates(
    highlight: str, keys: list[str], points: str, owners: list[int], cut_short: bool = False
) -> list[list[int]]:
    """Every place a highlight may have been read from: one item whose words it is, one item it starts when it was
    ``cut_short`` (:func:`cut_at_quote`), or (a highlight of :data:`MIN_PARTIAL_WORDS` or more) the bulleted items
    whose words hold it word for word. Words are compared without spaces and punctuation (:func:`ml.text.compact`),
    so a word a line break hyphenated is still the word."""
    key = compact(highlight)
    if not key:
        return []
    whole = [[k] for k, item_key in enumerate(keys) if item_key == key]
    if not whole and cut_short:
        whole = [[k] for k, item_key in enumerate(keys) if item_key.startswith(key)]
    if whole or len(tokens(highlight)) < MIN_PARTIAL_WORDS:
        return whole
    places = []
    start = points.find(key)
    while start >= 0:
        places.append(sorted(set(owners[start : start + len(key)])))
        start = points.find(key, start + 1)
    return places


def _placed(candidates: list[list[list[list[int]]]]) -> list[list[list[int] | None]]:
    """Each highlight's place, no item given to two: a highlight with one free place first, then one found in several
    places (a bullet two jobs share) where its job's other highlights are, else after the job before's."""
    taken: set[int] = set()
    placed: list[list[list[int] | None]] = [[None] * len(job) for job in candidates]
    for j, job in enumerate(candidates):
        for h, places in enumerate(job):
            if len(places) == 1 and not set(places[0]) & taken:
                placed[j][h] = places[0]
                taken.update(places[0])
    after = 0
    for j, job in enumerate(candidates):
        anchors = [k for place in placed[j] if place for k in place]
        for h, places in enumerate(job):
            free = [place for place in places if not set(place) & taken]
            if placed[j][h] is None and free:
                near = min(free, key=lambda p: min(abs(p[0] - k) for k in anchors)) if anchors else None
                placed[j][h] = near or next((p for p in free if p[0] >= after), free[0])
                taken.update(placed[j][h])
        after = max([k for place in placed[j] if place for k in place], default=after)
    return placed


def _runs(items: list[Item]) -> list[int]:
    """For each item, the number of its run: bullets on consecutive lines share one, or with one blank line between
    them (a PDF's page break: nothing else stands between them) where the second reads as a point
    (:func:`_a_point`; under a "Highlights" label, any item with words); any other line starts anew."""
    runs, run, labelled = [], 0, False
    for k, item in enumerate(items):
        if not item.marked:
            labelled = item.text.strip(" :").casefold() in POINT_LABELS
        gap = item.first_line - items[k - 1].last_line if k > 0 else 0
        spaced = gap == 2 and _a_point(item.text, short=labelled)
        joined = k > 0 and item.marked and items[k - 1].marked and (gap == 1 or spaced)
        run += 0 if joined else 1
        runs.append(run)
    return runs


POINT_LABELS = frozenset(
    {"highlights", "key highlights", "achievements", "key achievements", "logros", "réalisations", "erfolge"}
)
"""A job's own label over its points (kendall prints "Highlights" over a job's keywords, one a line, spaced)."""
_PAGE_MARK = re.compile(r"(?i)\b(?:page|seite|página|pagina|p\.)\s*\d|[-–—]\s*$")


def _a_point(text: str, short: bool = False) -> bool:
    """Whether a bullet after a blank line goes on with the list above it: a point of :data:`MIN_PARTIAL_WORDS`
    words or more (or any with words, ``short``, under a job's own label), no date range (a job's header as a list
    item), no heading, no page's footer ("- Page 1 of 2 -", "— SKILLS —"). A short item ("• German (B2)") may open
    a sidebar's list whose heading is on the page before."""
    return (
        len(tokens(text)) >= (1 if short else MIN_PARTIAL_WORDS)
        and not date_ranges(text)
        and not is_heading(text)
        and not _PAGE_MARK.search(text)
    )


def _run_of(covered: list[int], items: list[Item], runs: list[int], others: set[int]) -> list[int]:
    """The bullets of the runs ``covered`` reaches into that no other job's highlights name, ``covered`` among them."""
    reached = {runs[k] for k in covered if items[k].marked}
    return sorted({*covered, *(k for k, item in enumerate(items) if item.marked and runs[k] in reached)} - others)


def _same_point(item: str, highlight: str) -> bool:
    """Whether a bulleted item is a highlight written differently ("satisfact-\\nion") or a piece of it (a line
    of it a second column cut off)."""
    item_key, key = compact(item), compact(highlight)
    if not item_key or not key:
        return False
    return (
        token_f1(item, highlight) >= SAME_POINT
        or (item_key in key and len(tokens(item)) >= MIN_PARTIAL_WORDS)
        or (key in item_key and len(key) >= MIN_SHARE_READ * len(item_key))
    )


def _stray(
    highlight: str,
    job: dict,
    headers: set[str],
    pieces: set[str],
    sections: dict[str, set[str | None]],
    fields: set[str],
    skills: set[str],
) -> str | None:
    """Why a highlight is another field read as one, or ``None``: its job's employer, title or place, another entry's
    (``fields``: employers, places, titles of four words at most, schools), a lone link, a known section's heading,
    an entry's header line or the start of one ("Robotics Software Engineer at HiveGround Co., Ltd" of a line that
    goes on with its dates), a date range ("05/2019 - 11/2019"), or a few words that are no line of the resume, nor
    a bullet or a cell of one ("Visiting", "React" out of a sentence); a bullet that only names years too ("Led the
    migration from 2019 to 2021") is kept. A 135M model fills a list it has run out of with the nearest words. Read
    on v10's parses of the real validation set: of its highlights under five words that are no line, none is true
    (91); of those that are a line, 79 of 173 are. A few words that are a whole line only under the headings of
    :data:`ENTRY_SECTIONS` (``sections``: each line's kinds) are theirs: a project's technology list ("Framer
    Motion", "Expo") v10 read into every job of a theme PDF whose jobs have no bullets. (A longer point under an
    in-job label such as "Key Projects:", which reads as a heading, stays.) A few words that are a level, or an item
    of the skills section written nowhere else (``skills``), are a sidebar's skill read into the last job ("Workshop
    ISO 27001", "Intermedio"); a job's own keyword line ("React" under its points) is written elsewhere too."""
    key = compact(highlight)
    few_words = len(tokens(highlight)) < MIN_PARTIAL_WORDS
    if key and key in {compact(job.get(field)) for field in ("company", "title", "location")}:
        return "its job's employer, title or place"
    if key and key in fields and len(tokens(highlight)) <= MAX_FIELD_WORDS:  # a sentence read as a title stays
        return "another entry's employer, title, place or school"
    if _LINK.search(highlight) and len(highlight.split()) == 1:
        return "a link"
    if few_words and section_kind(highlight):
        return "a section's heading"
    starts_a_header = len(tokens(highlight)) > 1 and any(header.startswith(key) for header in headers)
    if starts_a_header or (date_ranges(highlight) and not words_beside_dates(highlight)):
        return "an entry's header"
    if few_words and key not in pieces:
        return "a few words out of a line"
    if few_words and sections.get(key) and sections[key] <= ENTRY_SECTIONS:
        return "a line of another section"
    if few_words and (key in skills or highlight.strip().casefold() in LEVEL_WORDS):
        return "a skill of the skills section, or its level"
    return None


def _elsewhere_only(kinds: set[str | None] | None) -> bool:
    """Whether a line is written only under headings of known sections that hold no jobs (``kinds``: those of the
    lines it is): a sidebar's course under "About" read into the last job ("Ethical Hacker", "Curso Gratuito
    Hacking") once that job's own points are all read. A bulleted line is not judged so: a two-column page puts a
    sidebar's heading between a job's last bullets ("SKILLS & TOOLS" over "- Supervised lunchtime activities")."""
    return bool(kinds) and not kinds & (JOB_SECTIONS | {None})


def _skills_only(text: str) -> set[str]:
    """The keywords of ``text``'s skill groups printed with their level (the macchiato theme's sidebar: a name, a
    level, its keywords one a line), compact, that no other line holds among its words. Not any item of the skills
    section: a two-column page may set a job's bullets or its short points beside the skills list."""
    lines = text.splitlines()  # as skills_section_lines counts them (a page's form feed ends a line)
    read = [(index, items) for index, items in skills_section_lines(text) if _under_level(lines, index)]
    read_at = {index for index, _ in read}
    outside = "\n".join(compact(line) for index, line in enumerate(lines) if index not in read_at)
    return {key for item in section_items(read) if (key := compact(item)) and key not in outside}


def _under_level(lines: list[str], index: int) -> bool:
    """Whether line ``index`` is one of a skill group's keyword lines below its level line (no blank between)."""
    for above in range(index - 1, max(-1, index - 1 - MAX_GROUP_LINES), -1):
        line = lines[above].strip()
        if not line or ITEM_MARK.match(lines[above]):
            return False
        if line.casefold() in LEVEL_WORDS:
            return True
    return False


def words_beside_dates(text: str) -> list[str]:
    """The words of ``text`` that name no month, year or "present": what a date range leaves of it."""
    return [word for word in tokens(text) if not word.isdigit() and word not in MONTHS and word not in _PRESENT]


def _pieces(text: str, items: list[Item]) -> set[str]:
    """Every line of ``text`` and every bullet without its mark, and every cell or run-together point of a line, as
    compact keys."""
    pieces = {compact(item.text) for item in items}
    for line in text.split("\n"):
        for piece in _PIECE_BREAK.split(line.strip()):
            mark = ITEM_MARK.match(piece)
            pieces.add(compact(piece[mark.end() :] if mark else piece))
    return pieces - {""}


def _distinct(highlights: list[str], items: set[str]) -> list[str]:
    """Each highlight once (by its words): a merged one split may give back one the model also wrote alone; and none
    that is a piece of another of the job's (its words a run of the other's) and no item of the resume (``items``,
    compact): v10 wrote a paragraph whole, then its sentences again one by one ("Formé parte de un equipo ...",
    "Designed Kafka Consumer Segregation design for"); a bullet that repeats a sentence of the job's summary
    paragraph is the person's own point."""
    seen: set[tuple[str, ...]] = set()
    kept = []
    for highlight in highlights:
        key = tuple(tokens(highlight))
        if key not in seen:
            seen.add(key)
            kept.append(highlight)
    runs = [f" {' '.join(tokens(highlight))} " for highlight in kept]
    return [
        highlight
        for highlight, run in zip(kept, runs, strict=True)
        if run.strip() and (compact(highlight) in items or not any(run in other and run != other for other in runs))
    ]


@dataclass(frozen=True)
class Block:
    """A dated entry of the resume's work sections: its lines ``[first, end)``, the first line after its header
    (the dates and the short lines around them: employer, title, place, and a place set apart by a blank line),
    and the end of the body's first run of lines (to its first blank line): the points a reader takes for the
    entry's own without a doubt, where what follows the last entry may be a section whose heading no rule knows
    ("Rotary Club of Düsseldorf")."""

    first: int
    body: int
    end: int
    run_end: int


def _blocks(lines: list[str], kinds: list[str | None]) -> list[Block]:
    """The dated entries of ``lines`` under a work heading (or none), each up to the next entry or heading."""
    dated = [
        next(k for k in range(start, len(lines)) if date_ranges(lines[k]))
        for start in entry_starts(lines)
        if kinds[start] in JOB_SECTIONS | {None}
    ]
    if any(len(lines[k].strip()) > MAX_HEADER_LINE for k in dated):
        return []  # entries run together on long lines (a flattened extraction): no line is one entry's
    firsts = [date_line - _lead(lines, date_line) for date_line in dated]
    blocks = []
    for index, (first, date_line) in enumerate(zip(firsts, dated, strict=True)):
        end = firsts[index + 1] if index + 1 < len(firsts) else len(lines)
        # the header's lines: those above the dates, the dates' own line where it names more, then what is left below
        below = MAX_HEADER_LINES - (date_line - first) - bool(words_beside_dates(lines[date_line]))
        body = date_line + 1
        while body < end and (not lines[body].strip() or (below > 0 and _header_like(lines[body]))):
            below -= bool(lines[body].strip())
            body += 1
        end = next((k for k in range(body, end) if _ends_entry(lines[k], kinds[k])), end)
        run_end = next((k for k in range(body + 1, end) if not lines[k].strip()), end)
        if run_end == body + 1 and _place_set_apart(lines[body]):
            # one more field of the header set apart (the even theme: title, employer, dates, then its place
            # "Courbevoie, Île-de-France, France", a blank line, its summary): the points are the run after it
            body = next((k for k in range(run_end, end) if lines[k].strip()), end)
            run_end = next((k for k in range(body + 1, end) if not lines[k].strip()), end)
        if body < end and not lines[body - 1].strip() and is_heading(lines[body]) and not ITEM_MARK.match(lines[body]):
            run_end = body  # a heading after a blank line ("Affiliations:"): the entry has no points of its own
        bounded = end < len(lines) and (
            (index + 1 < len(firsts) and end == firsts[index + 1]) or section_kind(lines[end]) is not None
        )
        blocks.append(Block(first, body, end, _list_goes_on(lines, body, run_end, end, bounded)))
    return blocks


def _list_goes_on(lines: list[str], body: int, run_end: int, end: int, bounded: bool = False) -> int:
    """The end of an entry's first run, past the single blank lines between the points of a list its run ends by
    labelling ("Highlights" over "• React", blank, "• Webpack": the kendall theme's PDFs space each point apart), or
    of any list below it where the entry is ``bounded``: the next entry or a known section's heading closes it (the
    even theme prints a job's summary, a blank line, then its points). The last entry's run that ends with a point
    ends there: what follows it may be a sidebar's list carried over a page."""
    last = next((lines[k] for k in range(run_end - 1, body - 1, -1) if lines[k].strip()), "")
    if not (_header_like(last) and len(last.split()) <= MAX_LABEL_WORDS) and not bounded:
        return run_end
    while (
        run_end + 1 < end
        and not lines[run_end].strip()
        and ITEM_MARK.match(lines[run_end + 1])
        and section_kind(lines[run_end + 1]) is None  # "— ESCOLARIDADE —": a heading between dashes, not a point
    ):
        run_end = next((k for k in range(run_end + 2, end) if not lines[k].strip()), end)
    return run_end


def _place_set_apart(line: str) -> bool:
    """A short header-like line (a place: "Courbevoie, Île-de-France, France"), not a one-line point nor a heading."""
    return _header_like(line) and len(line.split()) < MIN_PARTIAL_WORDS and not is_heading(line)


def _lead(lines: list[str], date_line: int) -> int:
    """How many lines of an entry's header stand above its dates: the short lines, flush left and capitalised,
    between them and a blank line, a heading or the last bullet of the entry before ("Company" over "2019 - 2021"),
    at most :data:`MAX_HEADER_ABOVE`. Lines that reach none of these are the end of the entry before ("Company
    01/2020 - 12/2020", title, one point, then the next company's line): none."""
    lead = 0
    while True:
        above = date_line - lead - 1
        if above < 0 or not lines[above].strip() or is_heading(lines[above]):
            return lead
        if lead and ITEM_MARK.match(lines[above]):  # the last point of the entry before
            return lead
        line = lines[above]
        initial = next((c for c in line if c.isalnum()), "")  # "### Fudan University", "**Title**"
        continued = line[:1].isspace() or initial.islower()  # the indented or lower-case rest of a point
        if continued and lead:
            return lead  # the rest of the entry before's last point
        if date_ranges(line):
            return 0  # the entry before's own header: the lines between are its
        if lead == MAX_HEADER_ABOVE or not _header_like(line, sentence_end_ok=True) or continued:
            return 0
        lead += 1


def _ends_entry(line: str, kind: str | None) -> bool:
    """Whether a line below an entry's dates starts something else: another section, or a heading that is no
    label of the entry's own ("Key Responsibilities:", "Highlights" go on with its points)."""
    heading = is_heading(line) and not ITEM_MARK.match(line) and not line[:1].isspace()  # "› PHP", "  (KVP)"
    return kind not in JOB_SECTIONS | {None} or (heading and not line.strip().endswith(":"))


def _header_like(line: str, sentence_end_ok: bool = False) -> bool:
    """A short line of a few words with no bullet mark: an employer ("SABIC" too), a title, a place; ending no
    sentence unless ``sentence_end_ok`` (above the dates, "Back-end Software Engineer Intern — NeuroLeap Corp.")."""
    stripped = line.strip()
    return (
        0 < len(stripped) <= MAX_HEADER_LINE
        and len(stripped.split()) <= MAX_HEADER_WORDS
        and not ITEM_MARK.match(line)
        and (sentence_end_ok or not stripped.endswith(_SENTENCE_END))
    )


def _anchor(job: dict, blocks: list[Block], lines: list[str]) -> int | None:
    """The block whose header names this job: its start date (two points), its employer, its title (one each, as a
    whole piece of a header line: "Frontend Entwickler" is not "Associate Frontend Entwickler"); the one block with
    the most points, if any."""
    start = job.get("start_date")
    names = {compact(job.get(field)) for field in ("company", "title")} - {""}
    scores = []
    for block in blocks:
        header = lines[block.first : block.body]
        begins = [begin or "" for begin, _ in date_ranges("\n".join(header))]
        dates = bool(start) and any(begin == start or (len(start) == 4 and begin[:4] == start) for begin in begins)
        pieces = {
            compact(piece) for line in header for piece in [line, *_HEADER_PIECE.split(line), *_HEADER_CELL.split(line)]
        }
        scores.append(2 * dates + len(names & pieces))
    best = max(scores, default=0)
    return scores.index(best) if best >= 1 and scores.count(best) == 1 else None


def _own_points(
    job: dict,
    places: list[list[int] | None],
    block: Block,
    items: list[Item],
    keys: list[str],
    paragraphs: set[int],
    held: set[int],
    unplaced: set[str],
    dropped: list[str],
) -> tuple[dict, list[list[int] | None]]:
    """A job's highlights and their places, read against its own block: one read from another block's item (a
    point the model copied from another entry after it lost its place, or a sentence of another entry's
    :func:`_paragraph`) is dropped, and a sentence of its own block's paragraph is placed at the paragraph, which it
    becomes. Kept as they are: one read from lines no block holds (``held`` are the lines blocks hold: a sidebar's
    lines interleaved with a job's hide its last points), and a few words ("PHP") that are also such a line in
    ``unplaced`` (a sidebar printed between two pages of jobs hides the jobs after it under its headings)."""

    def inside(k: int) -> bool:
        return block.first <= items[k].first_line < block.end

    kept: list[tuple[str, list[int] | None]] = []
    for highlight, place in zip(job.get("highlights") or [], places, strict=True):
        if place is None and len(tokens(highlight)) >= MIN_PARTIAL_WORDS:
            key = compact(highlight)
            holders = [k for k in sorted(paragraphs) if key in keys[k]]
            own = [k for k in holders if inside(k) and items[k].first_line >= block.body]
            if len(own) == 1:
                place = own
            elif holders and not own and all(items[k].first_line in held for k in holders):
                dropped.append(f"experience.highlights: {highlight} (another entry's point)")
                continue  # a sentence of another entry's paragraph
        if place is not None and not any(inside(k) for k in place):
            again = [k for k, item_key in enumerate(keys) if inside(k) and item_key == compact(highlight)]
            others = all(items[k].first_line in held for k in place)  # in another entry's block, not in none
            if again:
                place = again[:1]
            elif others and (len(tokens(highlight)) >= MIN_PARTIAL_WORDS or compact(highlight) not in unplaced):
                dropped.append(f"experience.highlights: {highlight} (another entry's point)")
                continue
        kept.append((highlight, place))
    return {**job, "highlights": [h for h, _ in kept]}, [place for _, place in kept]


def _anchors(jobs: list[dict], blocks: list[Block], lines: list[str]) -> list[Block | None]:
    """Each job's block (:func:`_anchor`), ``None`` where none or where two jobs name the same block."""
    found = [_anchor(job, blocks, lines) for job in jobs]
    return [blocks[b] if b is not None and found.count(b) == 1 else None for b in found]


def _header_fields(text: str, job: dict) -> bool:
    """Whether a line of a job's body is header fields, not a point: a contact line ("Name | name@mail.com", a page's
    footer, a profile's address), cells of a row ("Buhler Group  Wuxi, Jiangsu, China":
    :mod:`~ml.preprocessing.pdf_order` joins a row's pieces by two spaces), a labelled field ("Employer: Tidewater
    Studio S.A."), or a short line naming the job's employer, title or place ("Legal Counsel, Crescent Law Group
    S.A. de C.V.")."""
    if EMAIL.search(text) or _LINK.search(text) or " | " in text or "  " in text.strip():
        return True
    words = text.split()
    if len(words) > MAX_HEADER_WORDS or (text.endswith(_SENTENCE_END) and len(words) > MAX_FIELD_WORDS):
        return False  # a sentence ("Rebuilt the Acme Corp checkout flow end to end."), not "Effectivity Sp. z o.o."
    label = _LABEL.match(text)
    spaced = f" {' '.join(tokens(text))} "
    named = [" ".join(tokens(job.get(field))) for field in ("company", "title", "location")]
    return bool(label and label[1].casefold() in HEADER_LABELS) or any(name and f" {name} " in spaced for name in named)


def _paragraph(item: Item, lines: list[str], width: int) -> bool:
    """Whether an unbulleted item is a point of its own: a line of :data:`MIN_PARTIAL_WORDS` words or more (a
    paragraph written on one line; lines a PDF wrapped are not read apart), no heading, no entry's header, and not
    the line over a line of dates alone (the next entry's header: "Research Assistant — Visvesvaraya National
    Institute of Technology")."""
    line = lines[item.first_line]
    before = lines[item.first_line - 1] if item.first_line else ""
    after = lines[item.last_line + 1] if item.last_line + 1 < len(lines) else ""
    stated = item.text.endswith(_SENTENCE_END) or len(item.text.split()) > MIN_STATED_WORDS
    return (
        not item.marked
        and stated
        and len(tokens(item.text)) >= MIN_PARTIAL_WORDS
        and not item.header
        and not is_heading(line)
        and not _wrapped(line, width)
        and not (before.strip() and _wrapped(before, width) and not _is_header(before))
        and not (date_ranges(after) and not words_beside_dates(after))
    )


def _body_point(item: Item, paragraph: bool, job: dict) -> bool:
    """Whether an item of a job's body is one of its points: a bullet, or a :func:`_paragraph` that is no field of
    the job's header; never a page number drawn as a list item ("- 1 -")."""
    if not any(c.isalpha() for c in item.text):
        return False
    return item.marked or (paragraph and not _header_fields(item.text, job))


def _all_read(
    block: Block, items: list[Item], paragraphs: set[int], job: dict, placed: set[int], read: set[int]
) -> bool:
    """Whether the job's highlights hold every point of its entry's body, one at least as the model read it
    (``placed``; a point this module adds is not evidence): then a highlight the resume writes nowhere
    (not even across lines) is the model's rewording of one of them, dropped, unless it shortens lines no point
    holds (:func:`_shortens`). v10 wrote "Realizaría de una herramienta de automatización" beside the point it came
    from: 97 of the 98 such highlights on the real validation set were no true one (the other the same point read
    into a second job)."""
    points = [
        k
        for k, item in enumerate(items)
        if block.body <= item.first_line < block.end and _body_point(item, k in paragraphs, job)
    ]
    return bool(set(points) & placed) and set(points) <= read


def _shortens(highlight: str, block: Block, items: list[Item], paragraphs: set[int], job: dict) -> bool:
    """Whether a highlight is the model's shortening of a paragraph a PDF wrapped over lines of the entry's body,
    which no item holds whole ("Ello Rollator war ein Startup, ... zu erzielen." with the middle cut out): nearly
    all its words (:data:`SAME_POINT`) are in those lines, none a labelled field ("Technologies: Go, Kafka")."""
    unread = [
        item.text
        for k, item in enumerate(items)
        if block.body <= item.first_line < block.end
        and not _body_point(item, k in paragraphs, job)
        and len(tokens(item.text)) >= MIN_PARTIAL_WORDS
        and not _LABEL.match(item.text)
        and not _header_fields(item.text, job)
    ]
    words = tokens(highlight)
    found = {word for text in unread for word in tokens(text)}
    return bool(words) and sum(word in found for word in words) >= SAME_POINT * len(words)


def highlights_as_written(
    experience: list[dict], source_text: str, dropped: list[str], schools: Sequence[dict] = ()
) -> list[dict]:
    """``experience`` with each job's highlights read whole from ``source_text`` (see the module's docstring).

    A highlight not found word for word (a paraphrase, or words from two columns) stays as it is, in its place, unless
    it is another field read as one (:func:`_stray`: dropped, and said so in ``dropped``).
    """
    text = split_columns(source_text)
    kinds = section_kinds(text)
    items = [item for item in read_items(text) if kinds[item.first_line] in JOB_SECTIONS | {None}]
    keys = [compact(item.text) for item in items]
    item_keys = set(keys)
    points = "".join(keys[k] for k, item in enumerate(items) if item.marked)
    owners = [k for k, item in enumerate(items) if item.marked for _ in keys[k]]
    headers = {key for key, item in zip(keys, items, strict=True) if item.header}
    pieces = _pieces(text, items)
    sections: dict[str, set[str | None]] = {}
    bulleted = set()  # a bullet a sidebar's heading cut off from its job's ("SKILLS & TOOLS" over "- Supervised ...")
    for line, kind in zip(text.split("\n"), kinds, strict=True):
        sections.setdefault(compact(ITEM_MARK.sub("", line)), set()).add(kind)
        if ITEM_MARK.match(line):
            bulleted.add(compact(ITEM_MARK.sub("", line)))
    fields = {compact(job.get(f)) for job in experience for f in ("company", "location")}
    fields |= {compact(job.get("title")) for job in experience if len((job.get("title") or "").split()) <= 4}
    fields |= {compact(school.get("institution")) for school in schools}  # a point read as a title is a sentence
    fields.discard("")
    skills = _skills_only(text)
    stray = [
        [(h, _stray(h, job, headers, pieces, sections, fields, skills)) for h in job.get("highlights") or []]
        for job in experience
    ]
    dropped += [f"experience.highlights: {h} ({why})" for job in stray for h, why in job if why]
    read = [
        {**job, "highlights": [h for h, why in found if not why]} for job, found in zip(experience, stray, strict=True)
    ]
    runs = _runs(items)
    placed = _placed(
        [[_candidates(h, keys, points, owners, cut_at_quote(h, text)) for h in job["highlights"]] for job in read]
    )
    lines = text.split("\n")
    width = _page_width(lines)
    paragraphs = {k for k, item in enumerate(items) if _paragraph(item, lines, width)}
    blocks = _blocks(lines, kinds)
    owned = _anchors(read, blocks, lines)
    held = {n for block in blocks for n in range(block.first, block.end)}
    unplaced = {compact(ITEM_MARK.sub("", line)) for n, line in enumerate(lines) if n not in held}
    for j, block in enumerate(owned):
        if block is not None:
            read[j], placed[j] = _own_points(
                read[j], placed[j], block, items, keys, paragraphs, held, unplaced, dropped
            )
    taken = {k for job in placed for place in job if place for k in place}
    unread = [
        [
            k
            for k, item in enumerate(items)
            if block is not None
            and block.body <= item.first_line < block.run_end
            and k not in taken
            and _body_point(item, k in paragraphs, job)
        ]
        for job, block in zip(read, owned, strict=True)
    ]
    claimed = taken | {k for own in unread for k in own}
    written = compact(text)
    out = []
    for job, places, own, block in zip(read, placed, unread, owned, strict=True):
        covered = sorted({k for place in places if place for k in place})
        if not covered and not own:
            out.append(job)
            continue
        fill = [
            k
            for k in sorted({*_run_of(covered, items, runs, claimed - set(covered) - set(own)), *own})
            if k not in covered and not any(_same_point(items[k].text, h) for h in job["highlights"])
        ]
        whole = block is not None and _all_read(block, items, paragraphs, job, set(covered), {*covered, *fill})
        highlights: list[str] = []
        for highlight, place in zip(job["highlights"], places, strict=True):
            if (
                place is None
                and whole
                and compact(highlight) not in written
                and not _shortens(highlight, block, items, paragraphs, job)
            ):
                dropped.append(f"experience.highlights: {highlight} (not in its entry, whose points are all read)")
            elif (
                place is None
                and whole
                and compact(highlight) not in bulleted
                and _elsewhere_only(sections.get(compact(highlight)))
            ):
                dropped.append(f"experience.highlights: {highlight} (a line of another section; its entry's all read)")
            elif place is None:
                highlights.append(highlight)
            if place is None:
                continue
            while fill and fill[0] < place[0]:  # the run's items the model skipped, where the resume has them
                highlights.append(items[fill.pop(0)].text)
            if len(place) == 1 and keys[place[0]] == compact(highlight):
                highlights.append(highlight)  # the item's own words: the model's text (its quotes) kept
            else:
                highlights += [items[k].text for k in place]
        highlights += [items[k].text for k in fill]
        out.append({**job, "highlights": _distinct(highlights, item_keys)})
    return out


def dates_as_written(experience: list[dict], source_text: str, dropped: list[str]) -> list[dict]:
    """``experience`` with a job's dates taken from its own entry where the resume writes the model's nowhere: a job
    whose (start, end) is no range of the resume, even to the model's precision, anchored (:func:`_anchor`, by its
    employer and title then) to an entry whose header writes exactly one range, gets that range. v10 gave a German
    career's first job "2018-01 to 2018-03" under a header "März 2018 - aktuell" (another job's dates, or a month it
    made up). A range the resume writes, however unlikely, is left alone, a year for any month of it too ("2020" of
    "mar 2020 - jun 2020": an entry whose dates open it may be anchored to the next one's), and so is a job no single
    entry names."""
    text = split_columns(source_text)
    ranges = date_ranges(text)
    lines = text.split("\n")
    blocks = _blocks(lines, section_kinds(text))
    out = []
    for job, block in zip(experience, _anchors(experience, blocks, lines), strict=True):
        written = (job.get("start_date"), job.get("end_date"))
        own = date_ranges("\n".join(lines[block.first : block.body])) if block is not None else []
        if written[0] and not any(_as_precise(written, found) for found in ranges) and len(own) == 1:
            dropped.append(f"experience: {written[0]} to {written[1]} of {job.get('title')} (not its entry's dates)")
            job = {**job, "start_date": own[0][0], "end_date": own[0][1]}
        elif len(own) == 1 and _month_added(written, own[0], "\n".join(lines[block.first : block.body])):
            dropped.append(f"experience: the months of {written[0]} to {written[1]} (its entry writes years)")
            job = {**job, "start_date": own[0][0], "end_date": own[0][1]}
        out.append(job)
    return out


def _month_added(written: tuple[str | None, str | None], own: tuple[str | None, str], header: str) -> bool:
    """Whether ``written`` is the entry's own range ``own`` with a month its ``header`` does not write ("2013" to
    "2017-03" for "2013 – 2017": Spotify's end took the "Mar 2017" of the job above it; "06/15/2019", read as the
    year, does write June)."""
    pairs = list(zip(written, own, strict=True))
    added = [w for w, f in pairs if w and f and len(w) == 7 and f == w[:4] and not month_written(w, header)]
    return bool(added) and all(w == f or (w and f and w[:4] == f[:4]) for w, f in pairs)


def _as_precise(written: tuple[str | None, str | None], found: tuple[str | None, str]) -> bool:
    """Whether a range the resume writes is ``written`` to the less precise of the two: "2020" is "2020-03", and
    "2019-06" is the "2019" that ``date_ranges`` reads of "06/15/2019"."""
    return all(
        w == f or (w and f and f[:4] == w[:4] and len("YYYY") in (len(w), len(f)))
        for w, f in zip(written, found, strict=True)
    )
