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
from dataclasses import dataclass

from ml.preprocessing.segment import MAX_HEADER_LINE, date_ranges, is_heading, section_kinds
from ml.schema import PRESENT_WORDS
from ml.text import BULLET_GLYPHS, MONTHS, compact, split_columns, token_f1, tokens

ITEM_MARK = re.compile(rf"^(\s*)(?:[{BULLET_GLYPHS}»›▸*+]|[–—-]|o(?=\s+[A-ZÀ-ÖØ-Þ])|\d{{1,2}}[.)])\s+")
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
JOB_SECTIONS = frozenset({"work", "volunteer"})
"""Sections whose items can be a job's points (:func:`ml.preprocessing.segment.section_kinds`; before any heading or
under an unknown one too): "Python" is a highlight, and in the skills section it is a skill."""
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
    """For each item, the number of its run: bullets on consecutive lines share one; any other line starts anew."""
    runs, run = [], 0
    for k, item in enumerate(items):
        joined = k > 0 and item.marked and items[k - 1].marked and item.first_line == items[k - 1].last_line + 1
        run += 0 if joined else 1
        runs.append(run)
    return runs


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


def _stray(highlight: str, job: dict, headers: set[str], pieces: set[str]) -> str | None:
    """Why a highlight is another field read as one, or ``None``: its job's employer, title or place, an entry's
    header line or the start of one ("Robotics Software Engineer at HiveGround Co., Ltd" of a line that goes on with
    its dates), a date range ("05/2019 - 11/2019"), or a few words that are no line of the resume, nor a bullet or a
    cell of one ("Visiting", "React" out of a sentence); a bullet that only names years too ("Led the migration
    from 2019 to 2021") is kept. A 135M model fills a list it has run out of with the
    nearest words. Read on v10's parses of the real validation set: of its highlights under five words that are
    no line, none is true (91); of those that are a line, 79 of 173 are."""
    key = compact(highlight)
    few_words = len(tokens(highlight)) < MIN_PARTIAL_WORDS
    if key and key in {compact(job.get(field)) for field in ("company", "title", "location")}:
        return "its job's employer, title or place"
    starts_a_header = len(tokens(highlight)) > 1 and any(header.startswith(key) for header in headers)
    if starts_a_header or (date_ranges(highlight) and not _words_beside_dates(highlight)):
        return "an entry's header"
    if few_words and key not in pieces:
        return "a few words out of a line"
    return None


def _words_beside_dates(text: str) -> list[str]:
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


def _distinct(highlights: list[str]) -> list[str]:
    """Each highlight once (by its words): a merged one split may give back one the model also wrote alone."""
    seen: set[tuple[str, ...]] = set()
    kept = []
    for highlight in highlights:
        key = tuple(tokens(highlight))
        if key not in seen:
            seen.add(key)
            kept.append(highlight)
    return kept


def highlights_as_written(experience: list[dict], source_text: str, dropped: list[str]) -> list[dict]:
    """``experience`` with each job's highlights read whole from ``source_text`` (see the module's docstring).

    A highlight not found word for word (a paraphrase, or words from two columns) stays as it is, in its place, unless
    it is another field read as one (:func:`_stray`: dropped, and said so in ``dropped``).
    """
    text = split_columns(source_text)
    kinds = section_kinds(text)
    items = [item for item in read_items(text) if kinds[item.first_line] in JOB_SECTIONS | {None}]
    keys = [compact(item.text) for item in items]
    points = "".join(keys[k] for k, item in enumerate(items) if item.marked)
    owners = [k for k, item in enumerate(items) if item.marked for _ in keys[k]]
    headers = {key for key, item in zip(keys, items, strict=True) if item.header}
    pieces = _pieces(text, items)
    stray = [[(h, _stray(h, job, headers, pieces)) for h in job.get("highlights") or []] for job in experience]
    dropped += [f"experience.highlights: {h} ({why})" for job in stray for h, why in job if why]
    read = [
        {**job, "highlights": [h for h, why in found if not why]} for job, found in zip(experience, stray, strict=True)
    ]
    runs = _runs(items)
    placed = _placed(
        [[_candidates(h, keys, points, owners, cut_at_quote(h, text)) for h in job["highlights"]] for job in read]
    )
    taken = {k for job in placed for place in job if place for k in place}
    out = []
    for job, places in zip(read, placed, strict=True):
        covered = sorted({k for place in places if place for k in place})
        if not covered:
            out.append(job)
            continue
        fill = [
            k
            for k in _run_of(covered, items, runs, taken - set(covered))
            if k not in covered and not any(_same_point(items[k].text, h) for h in job["highlights"])
        ]
        highlights: list[str] = []
        for highlight, place in zip(job["highlights"], places, strict=True):
            if place is None:
                highlights.append(highlight)
                continue
            while fill and fill[0] < place[0]:  # the run's items the model skipped, where the resume has them
                highlights.append(items[fill.pop(0)].text)
            if len(place) == 1 and keys[place[0]] == compact(highlight):
                highlights.append(highlight)  # the item's own words: the model's text (its quotes) kept
            else:
                highlights += [items[k].text for k in place]
        highlights += [items[k].text for k in fill]
        out.append({**job, "highlights": _distinct(highlights)})
    return out
