"""Reading order for a PDF page's text lines: columns first, then rows, the way a person reads a resume.

A PDF draws text in whatever order its producer chose: Chromium prints a theme's bold job titles after the dates
and highlights beside them, and a sidebar's lines between two jobs of the main column. Extractors that follow the
drawing order (PDFium's ``get_text_range``, pypdf) hand the parser a job's title far from its dates; sorting
pdftext's blocks by their top (its ``sort=True``) fixes what fits in one block and no more.

Here the unit is the line (pdftext's lines: characters PDFium grouped, with their boxes):

1. **Columns.** A gutter is a vertical strip no line crosses except a few that span the page (a header, a footer),
   with text on both sides over a good part of the page. The lines that cross it separate the page into bands;
   in each band the left column is read whole, then the right. A column is split again the same way (a
   sidebar beside a two-column grid), never a narrow strip of dates beside their entries: that strip has too
   little text to be a column, and its lines are read with their rows.
2. **Rows.** Within a column, lines that share a baseline band (a title left, its dates right-aligned) are one
   row, read left to right and joined by two spaces; rows top to bottom. A gap clearly wider than the column's
   usual one becomes a blank line, as between paragraphs.

3. **Pages.** Columns that reach the foot of a page and go on at the head of the next in the same place are one
   pair of columns: a sidebar theme's main column is read whole, a job cut by the page break stays one job.
4. **What the text alone loses.** A section heading printed in the margin beside its section's first line gets a
   line of its own; a profile link the page shows only as its user name or an icon keeps its address, written
   after it (``bench/NOTES.md``, "Theme PDFs: margin headings and profile links").

``bench/pdf_extractors.py`` measures it ("jobs intact": a job's title, company and highlights with no other
job's in between) against PDFium's stream order, pdftext's sorted blocks and pdfminer.six's layout analysis.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
import statistics
from dataclasses import dataclass

from ml.preprocessing.segment import MAX_HEADER_LINE, date_range_start, section_kind, trailing_date_range
from ml.text import BULLET_GLYPHS, normalise_date

MIN_GUTTER_WIDTH = 8.0
"""Narrowest strip (points) taken as the space between two columns; word spaces are 2–4 points."""
MAX_CROSSING_SHARE = 0.34
"""Lines allowed to cross a gutter, as a share of the region's lines: a header, a summary, a footer. They cut
the page into bands, each read column by column, so a strip wrongly taken for a gutter costs little."""
MIN_COLUMN_LINES = 4
"""Each side of a gutter holds at least this many lines."""
MAX_ROW_ALIGNED_SHARE = 0.5
"""Sides whose lines mostly sit in the same rows are cells of rows, not columns: a strip of dates beside their
entries, a grid of skills."""
ALIGNED_WITHIN = 1.0
"""Points within which two lines' tops, bottoms or middles sit when a layout put them on one row."""
ROW_OVERLAP = 0.5
"""Two lines are one row when their vertical overlap is at least this share of the shorter one's height."""
PARAGRAPH_GAP = 0.8
PARAGRAPH_PITCH = 1.5
"""A gap between rows taller than this share of the row's height, and than this multiple of the column's usual gap
between rows, is printed as a blank line: a paragraph or section break, not the airy line spacing of a theme."""


MIN_WRAP_WIDTH = 200.0
MIN_WRAP_WORDS = 4
"""Lines are read as wrapped only in a column at least this wide (the themes' main columns are 300-560 points,
their sidebars 105-190) and after a line of at least this many words."""
DISPLAY_SIZE = 1.5
"""A line set at least this many times the column's usual size (a name, a headline) wraps whatever its words: the
even theme sets a long name at 43 points and wraps it ("Esteban Francisco Rivas" over "Campos"). Its room is measured
to the right edge of every line that starts where it does, so a short name over a headline stays two lines."""
_LIST_MARK = re.compile(rf"[{BULLET_GLYPHS}*+–—-]\s")
SAME_SIZE = 0.5
ALIGNED_START = 2.0
HANGING_INDENT = 24.0
"""A wrapped line's rest is set in the same size (within half a point) and starts where the line did (within two
points), or up to a bullet's width right of it (a text bullet "•" and its space)."""


MARGIN_HEADING_SIZE = 1.15
"""A row's first piece that ends left of where most of its column's lines start (in the margin) and is set at least
this much larger than the rest of the row is a section heading (the ``even`` theme prints "Work" beside the first
job's title): it gets a line of its own."""


MIN_BADGES = 3
MAX_BADGE_WORDS = 4
BADGE_GAP_EM = 0.45
MIN_BADGE_GAP = 4.0
"""A line of pieces of at most :data:`MAX_BADGE_WORDS` words, each :data:`BADGE_GAP_EM` of the font size (and
:data:`MIN_BADGE_GAP` points) from the next, is a row of badges or cells (a theme's skills), written as a list:
:data:`MIN_BADGES` such pieces, or two without digits. A word space is 0.2–0.3 em; the themes' badges stand
0.46–1.2 em apart, a letter-spaced heading's words 0.36–0.39 em."""

MARKER_SIZE = (1.5, 8.0)
MARKER_GAP = 20.0
"""A list item's marker, drawn as a small shape (Chromium draws a theme's discs as paths: 2.3-4.9 points wide,
its squares 3 x 6), stands at most this many points left of the item's first line; the line gets a "• " of text,
and the lines that wrap it join it (:func:`_goes_on`)."""

MAX_PROFILE_PREFIX = 3
"""A profile address's path is the user name, after at most short prefixes (LinkedIn's ``/in/``)."""


@dataclass(frozen=True)
class Line:
    """One line of text and its box in PDF points, y growing downwards (pdftext's convention), and the largest
    font size of its characters (0 when unknown)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float = 0.0
    marked: bool = False  # a list marker drawn at its left (a path, not a character)

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, 1e-3)


def pdf_text(path: str) -> str:
    """The document's text in reading order: pdftext's lines (PDFium's characters, grouped), ordered here, with the
    list markers PDFium draws as paths. PDFium's and pdftext's errors pass through (the caller names the file)."""
    import pypdfium2 as pdfium
    from pdftext.extraction import dictionary_output

    pages = dictionary_output(path, sort=False, disable_links=False)
    document = pdfium.PdfDocument(path)
    try:
        return pages_text(
            [
                _marked(
                    [piece for block in page["blocks"] for line in block["lines"] for piece in _pieces(line)],
                    _markers(document[page["page"]], page["bbox"]) if not page["rotation"] else [],
                )
                for page in pages
            ]
        )
    finally:
        document.close()


def _markers(page, bbox: list[float]) -> list[tuple[float, float, float, float]]:
    """The small filled shapes of a PDFium page (a list's discs and squares, :data:`MARKER_SIZE`), as boxes in
    pdftext's coordinates (the page's box at the origin, y growing downwards)."""
    import pypdfium2.raw as pdfium_c

    x_start, y_start, _, y_end = bbox
    height = math.ceil(abs(y_end - y_start))
    boxes = []
    for shape in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=8):
        left, bottom, right, top = shape.get_bounds()
        if all(MARKER_SIZE[0] <= side <= MARKER_SIZE[1] for side in (right - left, top - bottom)):
            boxes.append((left - x_start, height - (top - y_start), right - x_start, height - (bottom - y_start)))
    return boxes


def _marked(lines: list[Line], markers: list[tuple[float, float, float, float]]) -> list[Line]:
    """``lines`` with each that a marker stands left of (within :data:`MARKER_GAP`, at its height) marked, but for
    a line that opens with dates (a timeline's dot)."""
    return [
        dataclasses.replace(line, marked=True)
        if date_range_start(line.text.strip()) != 0  # a timeline's dot beside an entry's dates marks no item
        and any(
            0 <= line.x0 - right <= MARKER_GAP and line.y0 <= (top + bottom) / 2 <= line.y1
            for _, top, right, bottom in markers
        )
        else line
        for line in lines
    ]


def _pieces(line: dict) -> list[Line]:
    """pdftext's line as :class:`Line` pieces: one, or two where a larger heading sits a gutter's width left of
    the rest (pdftext joins the ``even`` theme's "Work" to the first job's title across the margin)."""
    spans = line["spans"]
    shown = [index for index, span in enumerate(spans) if span["text"].strip()]
    for before, after in itertools.pairwise(shown):
        head, rest = spans[: before + 1], spans[after:]
        gap = spans[after]["bbox"][0] - spans[before]["bbox"][2]
        if gap >= MIN_GUTTER_WIDTH and _size(head) >= MARGIN_HEADING_SIZE * _size(rest) and _heading_like(head, rest):
            return [_piece(head), _piece(rest)]
    return [_piece(spans)]


def _heading_like(head: list[dict], rest: list[dict]) -> bool:
    """A word or three without digits, beside a line without any: "Work" beside a job title, not a company beside
    its dates (a larger company name, then the dates, is one line as pdftext gives it). A section's own name
    (:func:`~ml.preprocessing.segment.section_kind`) is a heading beside any line ("Work" beside "Administrateur
    O365")."""
    text = "".join(span["text"] for span in head)
    if not 0 < len(text.split()) <= 3 or any(c.isdigit() for c in text):
        return False
    return bool(section_kind(text)) or not any(c.isdigit() for span in rest for c in span["text"])


def _piece(spans: list[dict]) -> Line:
    boxes = [span["bbox"] for span in spans if span["text"].strip()] or [span["bbox"] for span in spans]
    x0, y0 = min(box[0] for box in boxes), min(box[1] for box in boxes)
    x1, y1 = max(box[2] for box in boxes), max(box[3] for box in boxes)
    badges = _badges(spans)
    text = " · ".join(_spans_text(badge).strip() for badge in badges) if badges else _spans_text(spans)
    return Line(text, x0, y0, x1, y1, _size(spans))


def _badges(spans: list[dict]) -> list[list[dict]] | None:
    """A row of badges or cells ("Python", "C", "C++", "Java" in boxes a gutter apart), as their spans, or ``None``:
    at least :data:`MIN_BADGES` short pieces, each a gutter's width from the next. Their text, joined by spaces
    as printed, loses where one ends ("Java script" or "Java", "script"); a list separator keeps it."""
    groups: list[list[dict]] = [[]]
    last: dict | None = None  # the last span with text: spaces are spans of their own
    for span in spans:
        if span["text"].strip():
            gap = span["bbox"][0] - last["bbox"][2] if last else 0.0
            if last and gap >= max(MIN_BADGE_GAP, BADGE_GAP_EM * span["font"]["size"]):
                groups.append([])
            last = span
        groups[-1].append(span)
    texts = ["".join(span["text"] for span in group).strip() for group in groups]
    if len(texts) < 2 or not all(0 < len(text.split()) <= MAX_BADGE_WORDS and _has_word(text) for text in texts):
        return None
    line = " ".join(texts)
    pair = not any(c.isdigit() for c in line) and not line.isupper()  # two badges, not "Acme  2019" or "WORK  HISTORY"
    return groups if len(texts) >= MIN_BADGES or pair else None


def _has_word(text: str) -> bool:
    return any(c.isalnum() for c in text)  # not a separator of its own ("·", "|")


def _size(spans: list[dict]) -> float:
    return max((span["font"]["size"] for span in spans if span["text"].strip()), default=0.0)


def _spans_text(spans: list[dict]) -> str:
    """The spans' text, with the address of a profile link that only a label or an icon shows (see
    :func:`_profile_url`) written after it, once per link."""
    out: list[str] = []
    for index, span in enumerate(spans):
        out.append(span["text"].replace("\n", " "))
        url = _profile_url(span)
        following = spans[index + 1] if index + 1 < len(spans) else None
        if url and (following is None or following.get("url") != span.get("url")):
            out.append(f" {url}" if "".join(out).strip() else url)
            if following is not None and not following["text"][:1].isspace():
                out.append(" ")
    return "".join(out)


def _profile_url(span: dict) -> str | None:
    """A web profile the page shows only as its user name or an icon: ``rbrooks`` for
    ``https://twitter.com/rbrooks``, ``sthakur`` for ``https://www.linkedin.com/in/sthakur/``. A reader of the PDF
    follows it; an extractor of the visible text loses it. Left as they are: links behind an employer's, a school's
    or a project's name (``ESP-TypeScript`` for ``github.com/tcaldwell/ESP-TypeScript``: the user's name is a
    segment of its own), and addresses the page prints."""
    url = (span.get("url") or "").strip()
    if not url.startswith(("http://", "https://")):
        return None
    segments = [part for part in url.split("?")[0].split("/")[3:] if part]
    if not segments or any(len(part) > MAX_PROFILE_PREFIX for part in segments[:-1]):
        return None
    shown = span["text"].strip().lstrip("@").casefold()
    return url if not shown or (shown == segments[-1].lstrip("@").casefold() and "." not in shown) else None


@dataclass
class _Rows:
    """A band of a page read as rows, and how far its lines reach left and right."""

    text: list[str]
    x0: float = 0.0
    x1: float = 0.0


@dataclass
class _Columns:
    """A band of a page read as two columns: the strip between them and each side's text."""

    gutter: tuple[float, float]
    left: list[str]
    right: list[str]

    def continued_by(self, following: _Rows | _Columns) -> _Columns | None:
        """These columns with the next page's first band read into them, or ``None`` where it does not go on
        with them: columns whose gutter overlaps this one go on with both sides; rows that stay clear of the
        right side go on with the left one (a long main column beside a sidebar that ended), and the other way."""
        left, right = self.gutter
        if isinstance(following, _Columns):
            if max(left, following.gutter[0]) < min(right, following.gutter[1]):
                return _Columns(following.gutter, [*self.left, *following.left], [*self.right, *following.right])
        elif following.x1 <= right:
            return _Columns(self.gutter, [*self.left, *following.text], self.right)
        elif following.x0 >= left:
            return _Columns(self.gutter, self.left, [*self.right, *following.text])
        return None


def page_text(lines: list[Line]) -> str:
    """The page's text in reading order (see the module docstring)."""
    return pages_text([lines])


def pages_text(pages: list[list[Line]]) -> str:
    """The pages' text in reading order, pages a blank line apart. Columns that fill one page to its foot and go
    on at the head of the next are read as one pair (:meth:`_Columns.continued_by`): a sidebar theme's main column,
    its jobs running over the page break, is read whole before its sidebar, rather than cut by it."""
    bands: list[_Rows | _Columns] = []
    for page in pages:
        page_bands = _bands(page)
        if not page_bands:
            continue
        last = bands[-1] if bands else None
        joined = last.continued_by(page_bands[0]) if isinstance(last, _Columns) else None
        if joined is not None:
            bands[-1] = joined
            page_bands = page_bands[1:]
        elif bands:
            bands.append(_Rows([""]))
        bands += page_bands
    text = "\n".join(_flat(bands)).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", text)


def _flat(bands: list[_Rows | _Columns]) -> list[str]:
    out: list[str] = []
    for band in bands:
        out += [*band.left, *band.right, ""] if isinstance(band, _Columns) else band.text
    return out


def _read(lines: list[Line]) -> list[str]:
    return _flat(_bands(lines))


def _bands(lines: list[Line]) -> list[_Rows | _Columns]:
    """``lines`` cut into bands by the lines that cross the gutter between their columns, if there is one."""
    lines = [line for line in lines if line.text.strip()]
    gutter = _gutter(lines)
    if gutter is None:
        return [_rows_band(lines)] if lines else []
    left_edge, right_edge = gutter
    crossing = [line for line in lines if line.x0 < right_edge and line.x1 > left_edge]
    crossing.sort(key=lambda line: line.y0)
    out: list[_Rows | _Columns] = []
    top = float("-inf")
    as_rows: list[Line] = []  # crossing lines, and bands whose sides are not columns: read together as rows
    for separator in [*crossing, None]:
        bottom = separator.y0 if separator is not None else float("inf")
        band = [line for line in lines if top <= line.y0 < bottom and line not in crossing]
        left = [line for line in band if line.x1 <= left_edge]
        right = [line for line in band if line.x0 >= right_edge]
        if _are_columns(left, right):
            if as_rows:
                out.append(_rows_band(as_rows, then=[""]))
            out.append(_Columns(gutter, _read(left), _read(right)))
            as_rows = []
        else:  # a grid of skills or a line or two beside a full-width one: rows
            as_rows += band
        if separator is not None:
            as_rows.append(separator)
            top = separator.y0
    if as_rows:
        out.append(_rows_band(as_rows))
    return out


def _rows_band(lines: list[Line], then: list[str] | None = None) -> _Rows:
    return _Rows([*_rows(lines), *(then or [])], min(line.x0 for line in lines), max(line.x1 for line in lines))


def _gutter(lines: list[Line]) -> tuple[float, float] | None:
    """The strip ``(left, right)`` between two columns of ``lines``, or ``None``: of the strips at least
    :data:`MIN_GUTTER_WIDTH` wide that few lines cross, the one crossed by the fewest, then the widest."""
    if len(lines) < 2 * MIN_COLUMN_LINES:
        return None
    allowed = int(MAX_CROSSING_SHARE * len(lines))
    best: tuple[int, float, tuple[float, float]] | None = None
    for left in sorted({line.x1 for line in lines}):  # a strip starts at a line's right edge ...
        starts = [line.x0 for line in lines if line.x0 >= left + MIN_GUTTER_WIDTH]
        if not starts:
            continue
        right = min(starts)  # ... and ends at the next line's left edge
        crossing = sum(line.x0 < right and line.x1 > left for line in lines)
        if crossing > allowed:
            continue
        sides = [line for line in lines if line.x1 <= left], [line for line in lines if line.x0 >= right]
        if not _are_columns(*sides):
            continue
        key = (crossing, left - right, (left, right))
        if best is None or key[:2] < best[:2]:
            best = key
    return best[2] if best else None


def _are_columns(left: list[Line], right: list[Line]) -> bool:
    """Whether two sides of a strip are columns read one after the other, rather than the cells of rows (dates
    beside their entries, a grid of skills): each side has a few lines, and most lines of the smaller side
    have no line beside them across the strip."""
    if min(len(left), len(right)) < MIN_COLUMN_LINES:
        return False
    smaller, other = sorted((left, right), key=len)
    beside = sum(any(_aligned(line, across) for across in other) for line in smaller)
    return beside < MAX_ROW_ALIGNED_SHARE * len(smaller)


def _aligned(a: Line, b: Line) -> bool:
    """Set on one row by the layout (tops, bottoms or middles within a point), not by chance: two columns
    of text at about the same line pitch overlap by chance, but their lines are offset by a few points."""
    return min(abs(a.y0 - b.y0), abs(a.y1 - b.y1), abs(a.y0 + a.y1 - b.y0 - b.y1) / 2) <= ALIGNED_WITHIN


def _rows(lines: list[Line]) -> list[str]:
    """Lines grouped into rows (top to bottom), each row's pieces left to right."""
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda each: (each.y0, each.x0)):
        row = rows[-1] if rows else None
        if row is not None and _same_row(row, line):
            row.append(line)
        else:
            rows.append([line])
    gaps = sorted(_top(below) - _bottom(above) for above, below in itertools.pairwise(rows))
    usual_gap = gaps[(len(gaps) - 1) // 2] if gaps else 0.0  # the lower median
    starts = sorted(line.x0 for line in lines)
    left_edge = starts[(len(starts) - 1) // 2] if starts else 0.0  # where most lines start; a margin is left of it
    rows = _date_cells_as_ranges(rows)
    out: list[str] = []
    in_item = False  # the last line written is a marked item's (or the lines that wrap it)
    for index, row in enumerate(rows):
        if index:
            gap = _top(row) - _bottom(rows[index - 1])
            if gap > PARAGRAPH_GAP * max(piece.height for piece in row) and gap > PARAGRAPH_PITCH * usual_gap:
                out.append("")
            elif out and out[-1] and _goes_on(rows[index - 1], row, lines, in_item):
                out[-1] = _joined(out[-1], row[0].text.strip())
                continue
            elif out and out[-1] and _address_goes_on(out[-1], row):
                out[-1] += row[0].text.strip()
                continue
        first, *rest = sorted(row, key=lambda piece: piece.x0)
        if rest and first.x1 < left_edge and first.size >= MARGIN_HEADING_SIZE * max(piece.size for piece in rest) > 0:
            out.append(first.text.strip())  # a section heading in the margin, beside the section's first line
            first, *rest = rest
        in_item = first.marked
        line = "  ".join(piece.text.strip() for piece in [first, *rest])
        out.append(f"• {line}" if first.marked and line[:1] not in BULLET_GLYPHS else line)
    return out


def _date_cells_as_ranges(rows: list[list[Line]]) -> list[list[Line]]:
    """Two dates stacked in a gutter left of an entry, one in each of two rows (kendall prints a school's years so:
    "2017" beside "McGill University", "Present" under it beside "PhD"), as the range a reader reads: "2017 –
    Present" beside the first row, the second row without its date. Only a pair of rows whose first pieces are lone
    dates (a year or a month and year, or "Present" alone), left-aligned, the second later than the first, with no
    date above or under them: a year-by-year list (awards, talks) is no range, nor are two items of one year."""
    rows = [list(row) for row in rows]

    def date_cell(index: int) -> Line | None:
        if not 0 <= index < len(rows) or len(rows[index]) < 2:
            return None
        first = min(rows[index], key=lambda piece: piece.x0)
        return first if _lone_date(first.text) else None

    for index in range(len(rows) - 1):
        top, below = date_cell(index), date_cell(index + 1)
        if top is None or below is None or abs(top.x0 - below.x0) > ALIGNED_START:
            continue
        start, end = normalise_date(top.text.strip()), normalise_date(below.text.strip())
        if not _later(start, end) or date_cell(index - 1) or date_cell(index + 2):
            continue
        rows[index][rows[index].index(top)] = dataclasses.replace(
            top, text=f"{top.text.strip()} – {below.text.strip()}"
        )
        rows[index + 1].remove(below)
    return rows


def _lone_date(text: str) -> bool:
    """Whether ``text`` is a date and nothing else: a year, a month and year, or one word for "now" ("Present";
    not "Current role", which the date reader also reads as ``present``)."""
    words = text.split()
    value = normalise_date(text.strip())
    return value is not None and len(words) <= 2 and (any(c.isdigit() for c in text) or len(words) == 1)


def _later(start: str | None, end: str | None) -> bool:
    """Whether ``end`` is after ``start``: by year, or by month in one year where both have one."""
    if start is None or end is None or start == "present":
        return False
    if end == "present":
        return True
    return start[:4] < end[:4] or (start[:4] == end[:4] and len(start) == len(end) == 7 and start < end)


def _goes_on(above: list[Line], row: list[Line], column: list[Line], in_item: bool) -> bool:
    """Whether ``row`` is the rest of the line above, which the layout wrapped: one piece each, the same size, no
    marker of its own, starting where the line above starts (or a little right of it, under a bullet's text), and
    its first word too wide for the room the line above left before the right edge of the ``column``'s lines that
    start and are set as it is (a larger title right-aligned beside them is no edge of theirs). A line above that
    ends a sentence before a capital is a point of its own unless a marker began it: "Ecommerce con Magento." over
    "Marketing digital usando SEO" are two."""
    if len(above) != 1 or len(row) != 1 or row[0].marked:
        return False
    previous, line = above[0], row[0]
    text, following = previous.text.strip(), line.text.strip()
    if not text or not following or abs(previous.size - line.size) > SAME_SIZE:
        return False
    if not previous.x0 - ALIGNED_START <= line.x0 <= previous.x0 + HANGING_INDENT:
        return False
    if _LIST_MARK.match(following) or date_range_start(following) == 0:
        return False  # an item of its own ("• Led a team", "- Led a team"), a title's dates below it
    if not in_item and text.endswith((".", "!", "?")) and following[:1].isupper():
        return False
    aligned = [other for other in column if abs(other.x0 - previous.x0) <= ALIGNED_START]
    right_edge = max(other.x1 for other in aligned if abs(other.size - previous.size) <= SAME_SIZE)
    sizes = [other.size for other in column if other.size > 0]
    if sizes and previous.size >= DISPLAY_SIZE * statistics.median(sizes):
        right_edge = max(right_edge, *(other.x1 for other in aligned))  # a name fills its cell; "Ada Lovelace" not
    elif right_edge - previous.x0 < MIN_WRAP_WIDTH or len(text.split()) < MIN_WRAP_WORDS:
        return False  # a sidebar's short lines: an address, a language and its level, each a line of its own
    width = (previous.x1 - previous.x0) / max(len(text), 1)  # an average character
    return previous.x1 + width * (len(following.split()[0]) + 1) > right_edge - ALIGNED_START


_ADDRESS = re.compile(r"\S+@\S*|(?:https?://|www\.)\S+")


def _address_goes_on(text: str, row: list[Line]) -> bool:
    """Whether ``row`` is the rest of an e-mail or web address that the line above broke after a dot, a hyphen, an
    underscore or the "@" (a sidebar too narrow for "yoshida.daiki@example.org", a long project link): one piece of
    one word; after a dot or the "@", a domain's lower-case rest, not the next sentence nor another address. An
    address broken after a slash is left as it is: "https://www.tum.de/" over "MSc" is a whole address and a degree."""
    following = row[0].text.strip()
    last = text.split()[-1]
    if len(row) != 1 or not following or " " in following or not _ADDRESS.fullmatch(last):
        return False
    if last.endswith((".", "@")):
        return following[:1].islower() and not any(mark in following for mark in "/@")
    return last.endswith(("-", "_"))


def _joined(text: str, following: str) -> str:
    """A wrapped line and its rest: a word the line break hyphenated is one word again, and dates set at the right
    of the line's first row (stackoverflow floats them there, and the header wraps below them) stay after the whole
    header: "M.Eng. Network Optimization and Jan 2022 - Jan 2024" over "Routing in Datacenter Networks" is "M.Eng.
    Network Optimization and Routing in Datacenter Networks  Jan 2022 - Jan 2024"."""
    dates = trailing_date_range(text)
    if dates and dates <= 2 * MAX_HEADER_LINE:  # a header's dates, not a paragraph's
        return f"{_joined(text[:dates].rstrip(), following)}  {text[dates:].strip()}"
    if text.endswith("-") and following[:1].islower():
        return text[:-1] + following
    return f"{text} {following}"


def _top(row: list[Line]) -> float:
    return min(piece.y0 for piece in row)


def _bottom(row: list[Line]) -> float:
    return max(piece.y1 for piece in row)


def _same_row(row: list[Line], line: Line) -> bool:
    top, bottom = min(piece.y0 for piece in row), max(piece.y1 for piece in row)
    overlap = min(bottom, line.y1) - max(top, line.y0)
    shortest = min(line.height, min(piece.height for piece in row))
    return overlap >= ROW_OVERLAP * shortest
