"""Normalising and matching text: one definition for data building, grounding, the grammar and the metrics.

"Equal" and "the resume contains it" mean the same thing wherever they are asked:

* ``tokens``: NFKC, case-folded word tokens; ``&`` reads as ``and``; ``+`` and ``#`` stay
  glued to a word (``C++``, ``C#``), other punctuation separates words.
* ``norm``: the tokens joined by single spaces (case, spacing and punctuation differences vanish).
* ``compact``: the tokens joined with nothing, so ``Node.js`` == ``nodejs`` == ``Node JS``
  and ``B.Sc.`` == ``BSc``. Used as the key of list items (skills, links, …).
* :func:`normalise_date`: any common resume date to ``YYYY-MM``, ``YYYY`` or ``present``.
* :class:`SourceText`: does a resume's text contain a value (the hallucination metric's test, and the
  grounding of a served parse and of the decoding grammar).
* :func:`source_spelling`: the words of a resume that a value misspells (a small model's copy slips a letter).
* :func:`split_columns`: a two-column page read one column after the other (data building and prompts).
* :func:`resume_language`: the language a resume is written in.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from difflib import SequenceMatcher

from rapidfuzz import process
from rapidfuzz.distance import Indel

from ml import schema

# --- tokens and compact forms ---------------------------------------------------------------------

BULLET_GLYPHS = "•●▪◦■□◆◇►▶➢➤✓✔❖∙⁃‣·\uf0b7\uf0a7\uf0d8"
"""Glyphs that mark a list item at a line's start, whatever the resume's font (the last three are Word's Symbol and
Wingdings bullets where a PDF maps them to the private use area; :func:`ml.preprocessing.clean.
normalise_bullets` turns each into "•"; segmenting, grounding and question topics read them alike). Dashes, ``*``,
``+``, ``o`` and list numbers mark items too, each module saying where (a dash also starts a date range's end)."""
ARROW_MARKS = "»›▸"
"""Arrows a plain-text resume marks its list items with (and the JSON Resume "chronicle" rendering does)."""
LIST_ITEM = re.compile(rf"^\s*(?:[-*{BULLET_GLYPHS}{ARROW_MARKS}–]|\d+[.)])\s")
"""A list item's line: a glyph or an arrow, a dash, ``*`` or a list number before a space."""

_TOKEN = re.compile(r"[^\W_]+[+#]*")

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "then",
        "than",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "without",
        "about",
        "into",
        "over",
        "under",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "do",
        "does",
        "did",
        "done",
        "doing",
        "have",
        "has",
        "had",
        "having",
        "i",
        "me",
        "my",
        "mine",
        "we",
        "us",
        "our",
        "you",
        "your",
        "yours",
        "he",
        "she",
        "it",
        "its",
        "they",
        "them",
        "their",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "can",
        "could",
        "would",
        "should",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "not",
        "no",
        "so",
        "very",
        "just",
        "also",
        "too",
        "any",
        "some",
        "all",
        "each",
        "every",
        "more",
        "most",
        "much",
        "many",
        "such",
        "own",
        "same",
        "other",
        "one",
        "s",
        "t",
    ]
)
"""Function words: never evidence that two texts talk about the same thing."""

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
"""An e-mail address, as written in a resume."""
DANGLING_END = re.compile(r"(?:\s(?:and|of|for|with|de|del|des|du|la|y|et|und|für|di|da|do|e)|\s?[-/&])$")
"""The end of a line a wrap cut: a joining word (lower case, as inside a phrase) or mark ("Almacenamiento de",
"Hardware &", "React/"): what follows goes on with it."""
CELL_GAP = re.compile(r"\s{2,}|\t")
"""What parts the cells of one row of a resume's table or two-column line: a tab, or two spaces or more
(:mod:`ml.preprocessing.pdf_order` joins a PDF row's pieces by two spaces)."""


def tokens(text: str | None) -> list[str]:
    if not text:
        return []
    text = unicodedata.normalize("NFKC", str(text)).casefold().replace("&", " and ")
    return _TOKEN.findall(text)


def norm(text: str | None) -> str:
    return " ".join(tokens(text))


def compact(text: str | None) -> str:
    return "".join(tokens(text))


def content_tokens(text: str | None, extra_stop: frozenset[str] = frozenset()) -> list[str]:
    return [t for t in tokens(text) if t not in STOPWORDS and t not in extra_stop]


def stem(token: str) -> str:
    """A deliberately tiny stemmer: enough to match ``improve``/``improved``/``improving``."""
    for suffix in ("ations", "ation", "ings", "ing", "edly", "ed", "es", "s", "ly", "e"):
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            return token[: -len(suffix)]
    return token


def stems(text: str | None, extra_stop: frozenset[str] = frozenset()) -> set[str]:
    return {stem(t) for t in content_tokens(text, extra_stop)}


def ratio(a: str | None, b: str | None) -> float:
    """difflib similarity of the normalised strings, 0..1 (1.0 when the compact forms are equal)."""
    if not a or not b:
        return 0.0
    if compact(a) == compact(b):
        return 1.0
    return SequenceMatcher(None, norm(a), norm(b), autojunk=False).ratio()


def token_f1(a: str | None, b: str | None) -> float:
    """Bag-of-words F1 between two texts (SQuAD style), 0..1."""
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    remaining = list(tb)
    common = 0
    for t in ta:
        if t in remaining:
            remaining.remove(t)
            common += 1
    if common == 0:
        return 0.0
    precision, recall = common / len(ta), common / len(tb)
    return 2 * precision * recall / (precision + recall)


def split_outside_parentheses(text: str, separator: re.Pattern[str]) -> list[str]:
    """``text`` split where ``separator`` matches outside parentheses, parts stripped, empty ones left out:
    "Node.js (Next.js, Express), Go" gives "Node.js (Next.js, Express)" and "Go" for a comma."""
    parts, depth, start = [], 0, 0
    for match in re.finditer(rf"[()]|{separator.pattern}", text):
        token = match.group()
        if token in ("(", ")"):
            depth = max(0, depth + (1 if token == "(" else -1))
        elif depth == 0:
            parts.append(text[start : match.start()])
            start = match.end()
    return [part.strip() for part in [*parts, text[start:]] if part.strip()]


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


# --- dates ---------------------------------------------------------------------------------------

MONTH_NAMES = (  # English, then Spanish, French, German, Portuguese, Italian, Dutch, Polish names and short forms
    "jan january ene enero janv janvier januar jänner janeiro gen gennaio januari styczeń sty",
    "feb february febrero fév févr fev fevr février fevrier februar fevereiro febbraio februari luty lut",
    "mar march marzo mars mär märz maerz mrz março marco mrt maart marzec",
    "apr april abr abril avr avril aprile kwiecień kwi",
    "may mayo mai maio mag maggio mei maj",
    "jun june junio juin juni junho giu giugno czerwiec cze",
    "jul july julio juil juillet juli julho lug luglio lipiec lip",
    "aug august ago agosto août aout augustus sierpień sie",
    "sep sept september septiembre setiembre septembre set setembro settembre wrzesień wrz",
    "oct october octubre octobre okt oktober out outubro ott ottobre październik paź paz",
    "nov november noviembre novembre novembro listopad lis",
    "dec december dic diciembre déc décembre decembre dez dezember dezembro dicembre grudzień gru",
)
MONTHS = {name: index for index, names in enumerate(MONTH_NAMES, start=1) for name in names.split()}
PRESENT_WORDS = frozenset({"present", "current", "currently", "now", "today", "ongoing", "date"})
_YEAR = r"(19\d\d|20\d\d)"
_DATE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"^{_YEAR}[-/.](\d{{1,2}})(?:[-/.]\d{{1,2}})?$"), "ym"),  # 2021-03, 2021/3, 2021-03-15
    (re.compile(rf"^(\d{{1,2}})[-/.]{_YEAR}$"), "my"),  # 03/2021, 3.2021
    (re.compile(rf"^\d{{1,2}}[-/.](\d{{1,2}})[-/.]{_YEAR}$"), "my"),  # 15/03/2021 (day first)
    (re.compile(rf"^([^\W\d_]+)\.?,?\s*(?:de\s+)?'?{_YEAR}$"), "namey"),  # Mar 2021, March, 2021, marzo de 2021
    (re.compile(rf"^\d{{1,2}}\.?\s+([^\W\d_]+)\.?,?\s*{_YEAR}$"), "namey"),  # 15 March 2021, 15. März 2021
    (re.compile(rf"^([^\W\d_]+)\.?\s+\d{{1,2}},?\s*{_YEAR}$"), "namey"),  # March 15, 2021
    (re.compile(rf"^{_YEAR}\s+([^\W\d_]+)$"), "yname"),  # 2021 March
    (re.compile(rf"^{_YEAR}$"), "y"),
    (re.compile(r"^([^\W\d_]+)\.?\s*'(\d\d)$"), "nameyy"),  # Mar '21
]


def _month(value: str) -> int | None:
    if value.isdigit():
        month = int(value)
        return month if 1 <= month <= 12 else None
    return MONTHS.get(value)


def normalise_date(value: str | None) -> str | None:
    """Any common resume date to ``YYYY-MM``, ``YYYY`` or ``present``; ``None`` when empty or unreadable.

    Reads ``2021-03``, ``2021/03``, ``2021-03-15``, ``03/2021``, ``15/03/2021``, ``Mar 2021``,
    ``March, 2021``, ``15 March 2021``, ``March 15, 2021``, ``Mar '21``, ``2021`` and
    ``Present``/``Current``/``Now``/``Today``/``Ongoing``/``to date``.
    """
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip().casefold()
    if not text:
        return None
    if set(text.replace(".", " ").split()) & PRESENT_WORDS:
        return "present"
    text = re.sub(r"\s+", " ", text)
    for pattern, kind in _DATE_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        if kind == "y":
            return match[1]
        if kind == "ym":
            year, month = match[1], _month(match[2])
        elif kind == "my" or kind == "namey":
            month, year = _month(match[1]), match[2]
        elif kind == "yname":
            year, month = match[1], _month(match[2])
        else:  # nameyy
            month, year = _month(match[1]), f"20{match[2]}"
        if month is None:
            continue
        return f"{year}-{month:02d}"
    return None


def date_year(value: str | None) -> str | None:
    match = re.search(_YEAR, value or "")
    return match[1] if match else None


# --- keys -----------------------------------------------------------------------------------------


def digits(value: str | None) -> str:
    """The digits of ``value`` only (phone numbers compare by them)."""
    return re.sub(r"\D", "", value or "")


def link_key(url: str | None) -> str:
    """``https://www.LinkedIn.com/in/jane/`` -> ``linkedin.com/in/jane``."""
    value = (url or "").strip().casefold()
    value = re.sub(r"^[a-z][a-z0-9+.-]*://", "", value)
    value = value.removeprefix("www.").rstrip("/")
    return value


# --- does the source contain a value ---------------------------------------------------------------

DATE_FIELDS = frozenset({"start_date", "end_date"})
"""Fields holding a date: a source backs one by its year (or, for ``present``, by a word such as "since")."""
LONG_VALUE_TOKENS = 8
"""values with at least this many tokens are checked for hallucination by token coverage."""
LONG_VALUE_COVERAGE = 0.9

PRESENT_EVIDENCE = (
    PRESENT_WORDS
    | {"since"}
    | {
        word
        for words in schema.PRESENT_WORDS.values()
        for phrase in words
        if " " not in phrase
        for word in tokens(phrase)
    }
)
"""Words in a source that back an ongoing entry's ``present``, in every language the date reader knows ("Actualidad",
"aujourd'hui", "heute", "至今"): a localised resume's correct ``present`` is not a hallucination. One-word phrases
only: the words of "la fecha" or "en curso" are too common in resumes to count as evidence."""


MONTH_REACH = 20
"""Characters before a year within which its month is read ("septiembre de 2017")."""


def month_written(date: str, text: str) -> bool:
    """Whether ``text`` writes the month ``date`` (``YYYY-MM``) with its year, in any form the date reader knows
    ("Sep 2017", "09/2017", "septiembre de 2017", "2017-09") or as a day's date either way round ("09/15/2017");
    True where the year is not written at all (a date written otherwise, such as "Sep '17", is left as it is)."""
    year = date[:4]
    found = list(re.finditer(rf"(?<!\d){year}(?!\d)", text))
    for match in found:
        before = text[max(0, match.start() - MONTH_REACH) : match.start()]
        candidates = [before[cut:] + year for cut in range(len(before))] + [year + text[match.end() : match.end() + 3]]
        if any(normalise_date(candidate.strip()) == date for candidate in candidates):
            return True
        day_and_month = re.search(r"(?<!\d)(\d{1,2})[/.\-](\d{1,2})[/.\-]$", before)  # "06/15/2019", "15.03.2019"
        if day_and_month and int(date[5:]) in {int(day_and_month[1]), int(day_and_month[2])}:
            return True
    return not found


class SourceText:
    """A resume's source text, pre-normalised once for the hallucination checks."""

    def __init__(self, text: str) -> None:
        self.compact = compact(text)
        self.digits = digits(text)
        self.tokens = set(tokens(text))
        self.stems = {stem(t) for t in self.tokens}
        self.short_years = set(re.findall(r"['’‘](\d\d)\b", text))  # Mar '21

    def contains(self, field_name: str, value: str) -> bool:
        leaf = field_name.rsplit(".", 1)[-1]
        if leaf in DATE_FIELDS:
            normalised = normalise_date(value)
            if normalised == "present":
                return bool(self.tokens & PRESENT_EVIDENCE)
            year = date_year(normalised or value)
            return year is not None and (year in self.tokens or year[2:] in self.short_years)
        if leaf == "phone":
            number = digits(value)
            return bool(number) and any(
                number[cut:] in self.digits for cut in range(min(3, max(0, len(number) - 7)) + 1)
            )
        if leaf == "links":  # a URL is one piece of the page (its words found apart are not it) and has a domain
            link = link_key(value)
            return "." in link and compact(link) in self.compact
        words = content_tokens(value)
        if len(tokens(value)) >= LONG_VALUE_TOKENS and words:
            found = sum(1 for w in words if w in self.tokens or stem(w) in self.stems)
            return found / len(words) >= LONG_VALUE_COVERAGE
        key = compact(value)
        if key and key in self.compact:
            return True
        # a multi-word value split by a line wrap or a second column: every word must occur
        value_tokens = tokens(value)
        return len(value_tokens) >= 2 and all(t in self.tokens for t in value_tokens)


MIN_RESPELL_WORDS = 2
MIN_RESPELL_CHARS = 6
"""Shorter values, and values of one word, are not respelled: "BTech" and "MTech", "Hybridise" and "Hybride" (a word
of a headline that the model made an employer of) differ by a letter or two and are other words. A slip in a name
of several words is a slip: the other words agree."""
RESPELL_EDITS = 2
RESPELL_EDITS_PER_CHARS = 20
"""A value is read as a misspelling of the resume's words when at most ``RESPELL_EDITS`` characters plus one per
``RESPELL_EDITS_PER_CHARS`` of its :func:`norm` form, accents aside, are inserted or deleted (rapidfuzz's Indel
distance; a swapped letter is two): one letter slipped into a 46-letter institution is 1, "SCOT PORTER" 1;
"Software Developer" for the start of "Software Development Engineer" is 4 in 18: left alone."""
MAX_WORD_EDITS = 2
MIN_SLIPPED_WORD = 4
"""And every word of the value that the resume's words lack is a slip: :data:`MIN_SLIPPED_WORD` letters or more, no
digit, at most :data:`MAX_WORD_EDITS` edits from one of them ("Diplôment" for "Diplôme"). A short word or a number
that differs is another fact: "MSc Physics" is no slip of "BSc Physics", "Engineer III" none of "Engineer II",
"Electrical Engineering" none of "Electrical Engineer"."""
_SPAN_EDGE = " \t*_>|/·•,;:\"'`“”‘’"
_BRACKETS = ("()", "[]")
_CLOSING_MARKS = frozenset(")]\"'”’")


def _trimmed(span: str) -> str:
    """``span`` without the marks around it (markdown, separators, quotes) and without a bracket at its edge that it
    does not close or open, or a pair that encloses all of it: "(BITS Pilani)" alone reads "BITS Pilani", "Science
    (BITS Pilani)" keeps both. A markdown heading's ``###`` is a word of its own, left out of the shorter runs."""
    while True:
        before = span = span.strip(_SPAN_EDGE)
        if span[-2:-1] in _CLOSING_MARKS and span[-1:] == ".":  # a sentence's stop after a bracket or quote
            span = span[:-1]
        for opening, closing in _BRACKETS:
            if span[:1] == opening and span[-1:] == closing and span.count(opening) == span.count(closing) == 1:
                span = span[1:-1]
            elif span[-1:] == closing and opening not in span:
                span = span[:-1]
            elif span[:1] == opening and closing not in span:
                span = span[1:]
        if span == before:
            return span


def _spelling(text: str) -> str:
    """:func:`norm` blind to accents too: a model that writes "Tecnologica" for "Tecnológica" misspells it."""
    return norm(schema.fold(text))


def _only_slips(value_key: str, span_key: str) -> bool:
    """Each word of ``value_key`` missing from ``span_key`` is a long word a letter or two from one of its words."""
    span_words = span_key.split()
    for word in value_key.split():
        if word in span_words:
            continue
        if len(word) < MIN_SLIPPED_WORD or any(c.isdigit() for c in word):
            return False
        if min(Indel.distance(word, other) for other in span_words) > MAX_WORD_EDITS:
            return False
    return True


def source_spelling(value: str, text: str) -> str | None:
    """The words of ``text`` (on one line, as written there) that ``value`` misspells, or None.

    A 135M model copying a long name slips a letter ("Tofkyo University of Agriculture and Technology"); the value is
    then not in the resume and grounding would drop a field the model found. The candidates are the runs of one
    line's words as many as the value's or one more (a model drops a word more often than it adds one); the
    nearest within the edits allowed (:data:`RESPELL_EDITS`, :data:`MAX_WORD_EDITS`) wins, the first on a tie."""
    key = _spelling(value)
    size = len(value.split())
    if size < MIN_RESPELL_WORDS or len(key.replace(" ", "")) < MIN_RESPELL_CHARS:
        return None
    candidates: dict[str, None] = {}
    for line in text.split("\n"):
        words = line.split()
        for width in (size, size + 1):
            for start in range(len(words) - width + 1):
                span = _trimmed(" ".join(words[start : start + width]))
                if span:
                    candidates.setdefault(span)
    allowed = RESPELL_EDITS + len(key) // RESPELL_EDITS_PER_CHARS
    nearest = process.extract(
        key, list(candidates), scorer=Indel.distance, processor=_spelling, score_cutoff=allowed, limit=None
    )
    return next((span for span, _, _ in nearest if _only_slips(key, _spelling(span))), None)


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


# --- language -------------------------------------------------------------------------------------


def resume_language(text: str) -> str:
    """ISO 639-1 code of ``text``'s language (``"en"``, ``"de"`` …), for resumes that do not say (real ones;
    generated ones carry it).

    ``py3langid`` (langid.py's model: naive Bayes over byte n-grams, 97 languages, offline) reads the whole
    text, which is long enough to be reliable; names and tool names in another language do not tip it.
    """
    import py3langid  # lazy on purpose: loads its model on first use (about half a second)

    language, _ = py3langid.classify(text)
    return language
