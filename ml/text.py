"""Text normalisation shared by the metrics: tokens, compact keys, fuzzy ratios, dates.

Every comparison in :mod:`ml.evaluation.metrics` goes through these few functions, so
"equal" means the same thing for every field:

* ``tokens``: NFKC, case-folded word tokens; ``&`` reads as ``and``; ``+`` and ``#`` stay
  glued to a word (``C++``, ``C#``), other punctuation separates words.
* ``norm``: the tokens joined by single spaces (case, spacing and punctuation differences vanish).
* ``compact``: the tokens joined with nothing, so ``Node.js`` == ``nodejs`` == ``Node JS``
  and ``B.Sc.`` == ``BSc``. Used as the key of list items (skills, links, …).
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

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


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


# --- dates ---------------------------------------------------------------------------------------

MONTHS = {
    name: index
    for index, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
PRESENT_WORDS = frozenset({"present", "current", "currently", "now", "today", "ongoing", "date"})
_YEAR = r"(19\d\d|20\d\d)"
_DATE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"^{_YEAR}[-/.](\d{{1,2}})(?:[-/.]\d{{1,2}})?$"), "ym"),  # 2021-03, 2021/3, 2021-03-15
    (re.compile(rf"^(\d{{1,2}})[-/.]{_YEAR}$"), "my"),  # 03/2021, 3.2021
    (re.compile(rf"^\d{{1,2}}[-/.](\d{{1,2}})[-/.]{_YEAR}$"), "my"),  # 15/03/2021 (day first)
    (re.compile(rf"^([a-z]+)\.?,?\s*'?{_YEAR}$"), "namey"),  # Mar 2021, March, 2021, mar. 2021
    (re.compile(rf"^\d{{1,2}}\s+([a-z]+)\.?,?\s*{_YEAR}$"), "namey"),  # 15 March 2021
    (re.compile(rf"^([a-z]+)\.?\s+\d{{1,2}},?\s*{_YEAR}$"), "namey"),  # March 15, 2021
    (re.compile(rf"^{_YEAR}\s+([a-z]+)$"), "yname"),  # 2021 March
    (re.compile(rf"^{_YEAR}$"), "y"),
    (re.compile(r"^([a-z]+)\.?\s*'(\d\d)$"), "nameyy"),  # Mar '21
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
