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
import unicodedata
from collections import Counter

from ml.text import BULLET_GLYPHS, split_columns

_BULLET_LINE = re.compile(rf"^(\s*)(?:[{BULLET_GLYPHS}]|\*|o(?=\s)|[–-](?=\s))\s+")
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
