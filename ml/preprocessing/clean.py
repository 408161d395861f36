"""Clean extracted resume text and remove exact and near-duplicate documents.

:func:`clean_text` undoes what PDF and Word extraction does to a resume: odd unicode
(NFKC, ligatures, non-breaking and zero-width spaces), words hyphenated across lines,
lines broken in the middle of a sentence, a zoo of bullet glyphs, running headers and
footers repeated on every page, and page numbers. :class:`Deduplicator` drops exact
copies (hash of the normalised text) and near copies (MinHash LSH over word shingles).
"""

from __future__ import annotations

import hashlib
import re
import statistics
import unicodedata
from collections import Counter

BULLET_GLYPHS = "•●▪◦■□◆◇►▶➢➤✓✔❖∙⁃‣·*o–-"
_BULLET_LINE = re.compile(r"^(\s*)(?:[•●▪◦■□◆◇►▶➢➤✓✔❖∙⁃‣·]|\*|o(?=\s)|[–-](?=\s))\s+")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:page\s*\d+(?:\s*(?:of|/)\s*\d+)?|\d+\s*(?:of|/)\s*\d+|[-–—]\s*\d+\s*[-–—]|\d{1,2})\s*$", re.IGNORECASE
)
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_HYPHEN_BREAK = re.compile(r"([a-zà-ÿ]{2,})-\n([a-zà-ÿ]{2,})")
_SENTENCE_END = re.compile(r"[.!?:;)\]]$")


def normalise_unicode(text: str) -> str:
    """NFKC (ligatures ``ﬁ`` → ``fi``, full-width forms), no zero-width or soft hyphens, one kind of space."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_ZERO_WIDTH)
    text = unicodedata.normalize("NFKC", text)
    return "\n".join(_SPACES.sub(" ", line).rstrip() for line in text.split("\n"))


def dehyphenate(text: str) -> str:
    """``"develop-\\nment"`` → ``"development"``; keeps real hyphens (``"full-\\nstack"`` stays only if capitalised)."""
    return _HYPHEN_BREAK.sub(r"\1\2", text)


def normalise_bullets(text: str) -> str:
    """Every bullet glyph at a line start becomes ``"• "``."""
    return "\n".join(_BULLET_LINE.sub(r"\1• ", line) for line in text.split("\n"))


def remove_page_artifacts(text: str, min_repeats: int = 2) -> str:
    """Drop page-number lines and short lines repeated on several pages (running headers/footers).

    A repeated line counts as a header/footer only if it sits next to a page break (a blank
    line or a page-number line), so a skill listed twice is not lost.
    """
    lines = text.split("\n")
    is_page = [bool(_PAGE_NUMBER.match(line)) and line.strip() != "" for line in lines]
    counts = Counter(line.strip() for line in lines if line.strip() and len(line.strip()) <= 80)
    out: list[str] = []
    seen: set[str] = set()
    for i, line in enumerate(lines):
        stripped = line.strip()
        if is_page[i]:
            continue
        if counts.get(stripped, 0) >= min_repeats and stripped in seen:
            near_break = any(0 <= j < len(lines) and (not lines[j].strip() or is_page[j]) for j in (i - 1, i + 1))
            if near_break and not stripped.startswith("•") and len(stripped.split()) <= 10:
                continue
        seen.add(stripped)
        out.append(line)
    return "\n".join(out)


def rejoin_lines(text: str, width_hint: int | None = None) -> str:
    """Join lines broken mid-sentence by fixed-width extraction.

    A line is joined to the next when it is long (close to the page width), does not end
    a sentence, and the next line starts in lower case (a continuation, not a new item).
    """
    lines = text.split("\n")
    lengths = [len(line) for line in lines if line.strip()]
    if not lengths:
        return text
    width = width_hint or sorted(lengths)[int(len(lengths) * 0.9)]
    out: list[str] = []
    for line in lines:
        if (
            out
            and line.strip()
            and out[-1].strip()
            and len(out[-1]) >= 0.7 * width
            and not _SENTENCE_END.search(out[-1])
            and line.lstrip()[:1].islower()
        ):
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line)
    return "\n".join(out)


# --- side-by-side columns -------------------------------------------------------------------------

_GUTTER = 2  # spaces that separate two columns at least
_MIN_SPLIT_LINES = 3  # lines with text on both sides of the gutter
_MIN_ONE_SIDED_LINES = 2  # lines with text only right of it (a column's overhang or its own section breaks)
_LABEL_WIDTH = 16  # a left column this narrow with text on every row's right is row labels ("2019 to now")
_MIN_PROSE_ROWS = 8  # or this many lines with text on both sides, one side reading as prose:
_PROSE_LENGTH = 35  # its median segment this long (a grid of skills has short items on both sides)
_MAX_CROSSING_SHARE = 0.1  # lines after the header whose text runs over the gutter
_MAX_DATE_SHARE = 0.5  # of either side's segments: more, and the "column" is a dates column of one table
_GUTTER_RUN = re.compile(rf"\S( {{{_GUTTER},}})(?=\S)")
_DRIFT = 2  # characters a right-column line may start left of the gutter (layout extraction rounds positions)
_DRIFTED_START = re.compile(rf" {{{_GUTTER},}}(\S{{1,{_DRIFT}}})$")
_DATE_WORDS = re.compile(
    r"\b(?:jan|feb|m[aä]r|apr|avr|may|mai|jun|juin|jul|juil|aug|ao[uû]t|sep|oct|okt|nov|d[eé]c|dez|ene|ago|dic)"
    r"[a-zéû]*\.?|\b(?:present|current|now|today|ongoing|until|to|since|heute|bis|seit|aujourd'hui|presente|actualidad)\b"
)


def _is_dates(segment: str) -> bool:
    """``"Jun 2022 - Now"``, ``"2015 – 2018"``: a year, and no words but months and "present"."""
    return bool(re.search(r"\d{4}", segment)) and not re.search(r"[^\W\d_]", _DATE_WORDS.sub("", segment.lower()))


def _reads_as_prose(segments: list[str]) -> bool:
    """Long segments with no gutter inside (a grid's row, cut at its last column, is long but has gutters)."""
    if not segments or sum(" " * _GUTTER in segment for segment in segments) > _MAX_CROSSING_SHARE * len(segments):
        return False
    return statistics.median(map(len, segments)) >= _PROSE_LENGTH


def _halves(line: str, column: int) -> tuple[str, str]:
    """``line`` divided at ``column``, or up to :data:`_DRIFT` characters before it where a gutter ends and a
    word runs on over ``column`` (layout extraction placed the right column's text a little to the left)."""
    drifted = _DRIFTED_START.search(line[:column])
    cut = drifted.start(1) if drifted and line[column : column + 1].strip() else column
    return line[:cut], line[cut:]


def _column_layout(lines: list[str], halves: list[tuple[str, str]]) -> list[str]:
    """Where each line's text sits relative to the column its ``halves`` were cut at: ``both``, ``left``,
    ``right``, ``cross`` or ``blank``."""
    kinds = []
    for line, (left, right) in zip(lines, halves, strict=True):
        if not line.strip():
            kinds.append("blank")
        elif not right.strip():
            kinds.append("left")
        elif not left.strip():
            kinds.append("right")
        else:
            around = len(left) - len(left.rstrip(" ")) + len(right) - len(right.lstrip(" "))
            kinds.append("both" if around >= _GUTTER else "cross")  # a word or a sentence running over it
    return kinds


def _side_by_side(lines: list[str], column: int) -> tuple[int, list[str], list[tuple[str, str]]] | None:
    """The first line of a two-column block at ``column``, the lines' kinds and halves, if the lines read as one."""
    halves = [_halves(line, column) for line in lines]
    kinds = _column_layout(lines, halves)
    first = next((i for i, k in enumerate(kinds) if k in ("both", "right")), None)
    if first is None or kinds.count("both") < _MIN_SPLIT_LINES:
        return None
    body = [k for k in kinds[first:] if k != "blank"]  # below the full-width header
    if body.count("cross") > _MAX_CROSSING_SHARE * len(body):
        return None
    lefts = [left.strip() for (left, _), k in zip(halves, kinds, strict=True) if k == "both"]
    rights = [right.strip() for (_, right), k in zip(halves, kinds, strict=True) if k in ("both", "right")]
    labels = body.count("left") < _MIN_ONE_SIDED_LINES and statistics.median(map(len, lefts)) <= _LABEL_WIDTH
    overhang = body.count("right") >= _MIN_ONE_SIDED_LINES and not labels
    prose = kinds.count("both") >= _MIN_PROSE_ROWS and (_reads_as_prose(lefts) or _reads_as_prose(rights))
    if not (overhang or prose):
        return None
    if any(sum(map(_is_dates, side)) > _MAX_DATE_SHARE * len(side) for side in (lefts, rights)):
        return None
    return first, kinds, halves


def split_columns(text: str) -> str:
    """Text extracted from a two-column page, one column after the other instead of line by line.

    Extraction that keeps the page's spacing (``pdftotext -layout``, copy from a viewer) interleaves a
    sidebar with the main column: "SKILLS   Barista, Starbucks Reserve Madrid". The columns are found by
    a gutter: a character position where many lines have text on both sides after a run of spaces,
    some lines have text only to its right, and almost no line runs across it. Lines above the first
    such line (a full-width header) stay first. A grid of skills (no right-only lines), a table of
    dates beside titles (one side all dates) or a narrow column of row labels is not split, because
    there the rows belong together.
    """
    lines = text.replace("\r\n", "\n").split("\n")
    starts = Counter(m.end() for line in lines for m in _GUTTER_RUN.finditer(line) if m.end() > _GUTTER)
    starts.update(len(line) - len(line.lstrip(" ")) for line in lines if line.startswith(" " * _GUTTER))
    for column, _ in starts.most_common(5):
        found = _side_by_side(lines, column)
        if found is None:
            continue
        first, kinds, halves = found
        left: list[str] = []
        right: list[str] = []
        for line, kind, (line_left, line_right) in zip(lines[first:], kinds[first:], halves[first:], strict=True):
            # a row empty on one side is a blank line in that column (the page's section breaks)
            left.append(line_left.strip() if kind in ("both", "right") else line.strip())
            right.append(line_right.strip() if kind in ("both", "right") else "")
        joined = "\n".join([*lines[:first], *left, "", *right])
        return re.sub(r"\n{3,}", "\n\n", joined).strip("\n")
    return text


def clean_text(text: str, *, rejoin: bool = True) -> str:
    text = split_columns(text)  # before the spaces of its gutter are collapsed
    text = normalise_unicode(text)
    text = dehyphenate(text)
    text = normalise_bullets(text)
    text = remove_page_artifacts(text)
    if rejoin:
        text = rejoin_lines(text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


# --- duplicates ---------------------------------------------------------------------------------


def _norm_for_hash(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def content_hash(text: str) -> str:
    return hashlib.sha256(_norm_for_hash(text).encode()).hexdigest()


class Deduplicator:
    """Streaming exact + near-duplicate filter: ``add(key, text)`` returns False for a duplicate.

    Near duplicates are found with MinHash LSH (datasketch) over 5-word shingles at a Jaccard
    ``threshold``; memory is one MinHash (``num_perm`` integers) per kept document.
    """

    def __init__(self, threshold: float = 0.85, num_perm: int = 64, shingle: int = 5) -> None:
        from datasketch import MinHashLSH

        self.threshold, self.num_perm, self.shingle = threshold, num_perm, shingle
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.hashes: set[str] = set()
        self.exact = 0
        self.near = 0

    def _minhash(self, text: str):  # type: ignore[no-untyped-def]
        from datasketch import MinHash

        words = _norm_for_hash(text).split()
        shingles = {" ".join(words[i : i + self.shingle]) for i in range(max(1, len(words) - self.shingle + 1))}
        mh = MinHash(num_perm=self.num_perm)
        mh.update_batch([s.encode() for s in shingles])
        return mh

    def add(self, key: str, text: str) -> bool:
        digest = content_hash(text)
        if digest in self.hashes:
            self.exact += 1
            return False
        mh = self._minhash(text)
        if self.lsh.query(mh):
            self.near += 1
            return False
        self.hashes.add(digest)
        self.lsh.insert(f"{len(self.hashes)}:{key}", mh)
        return True
