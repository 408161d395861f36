"""Parse examples cut into the parts the segmented parse reads (issue #29.1: the training data follows the method).

At inference a resume with many dated entries is cut by :func:`~ml.preprocessing.segment.split_resume` and each
part is parsed on its own; until now the model trained on whole resumes only. :func:`part_examples` cuts a
training example the same way and gives each part its own truth, the whole truth projected onto the part:

- an entry (job, school, project) goes to the part holding its anchor: the first line, after the previous entry's
  anchor and from its section's heading on, that names it (a job's employer or title, a school, a project);
- a list item (skill, certification, language) goes to the part whose lines write it as whole words ("C" is not
  in "CSS"): the first line of its own section (a skills section's labelled line "TOOLBOX: HTML, CSS" included),
  else the one part all its lines are in; an item no line writes (wrapped, or not written at all) goes to none;
- a link goes to every part that shows it; a contact value to the part whose lines write it and to the later parts
  whose repeated head does; the summary to the part with its first words on one line.

Projected this way every value of a part's truth is written in the part, and where the resume writes every value
(the text renderings of the real training pool, for one) the parts merge back into the whole truth
(:func:`~ml.preprocessing.segment.merge_parses`); a value written nowhere, which a whole-resume example still
teaches, is no part's. An example whose projection cannot be trusted is left out rather than taught wrong: an
entry with no anchor, a value of an entry that the resume shows but the entry's part does not (a header cut from
its entry), a list item written in several parts and under no section of its own.
"""

from __future__ import annotations

import random
from itertools import pairwise
from pathlib import Path
from typing import Any

from ml.jsonl import JsonlError, iter_jsonl, write_jsonl_atomic
from ml.preprocessing.build import parse_example
from ml.preprocessing.jsonresume import copy_provenance
from ml.preprocessing.segment import (
    part_cuts,
    part_text,
    resume_head,
    section_kinds,
    skills_section_lines,
)
from ml.schema import ParsedResume
from ml.tasks import TaskName, resume_of_parse_input
from ml.text import SourceText, compact, tokens

ENTRY_SECTIONS = {"experience": "work", "education": "education", "projects": "projects"}
"""Each entry list of the schema and the kind of section (:data:`~ml.preprocessing.segment.SECTION_WORDS`) it is
written under."""
LIST_SECTIONS = ("skills", "certifications", "languages")
"""The list fields of the schema, each written under a section of its own name."""
CONTACT_FIELDS = ("name", "email", "phone", "location", "summary")
SUMMARY_WORDS = 8
"""The summary is found by its first words (a long paragraph wraps)."""
_NAMING_FIELDS = {"experience": ("company", "title"), "education": ("institution", "degree"), "projects": ("name",)}


class Projection:
    """One resume's lines, its parts' line ranges, and where each value of its truth is written."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.compact_lines = [compact(line) for line in self.lines]
        self.line_tokens = [tokens(line) for line in self.lines]
        self.kinds = section_kinds("\n".join(self.lines))
        self.skill_lines = {index for index, _ in skills_section_lines("\n".join(self.lines))}  # "SKILLS: Go, Rust"
        self.cuts = part_cuts(self.lines)
        self.head = resume_head(self.lines)
        self.whole = SourceText(text)

    @property
    def part_count(self) -> int:
        return len(self.cuts) - 1

    def part_of(self, line: int) -> int:
        return next(k for k, (first, end) in enumerate(pairwise(self.cuts)) if first <= line < end)

    def part_text(self, part: int) -> str:
        return part_text(self.lines, self.cuts[part], self.cuts[part + 1])

    def lines_naming(self, value: str | None, start: int = 0) -> list[int]:
        """The lines from ``start`` on that hold ``value``, its punctuation and spaces aside."""
        key = compact(value)
        return [i for i in range(start, len(self.lines)) if key in self.compact_lines[i]] if key else []

    def entry_anchors(self, section: str, entries: list[Any]) -> list[int] | None:
        """The line of each entry in order, or None when one is not found after the one before it."""
        kind = ENTRY_SECTIONS[section]
        cursor = next((i for i, k in enumerate(self.kinds) if k == kind), 0)
        anchors = []
        for entry in entries:
            named = (self.lines_naming(getattr(entry, field), cursor) for field in _NAMING_FIELDS[section])
            found = next((lines[0] for lines in named if lines), None)
            if found is None:
                return None
            anchors.append(found)
            cursor = anchors[-1] + 1
        return anchors

    def lines_writing(self, value: str, lines: list[int] | None = None) -> list[int]:
        """The lines that write ``value`` as whole words ("C" is not in "CSS", "aria" not in "variants")."""
        words = tokens(value)
        found = []
        for i in lines if lines is not None else range(len(self.lines)):
            line = self.line_tokens[i]
            if words and any(line[j : j + len(words)] == words for j in range(len(line) - len(words) + 1)):
                found.append(i)
        return found

    def item_part(self, item: str, kind: str) -> int | None:
        """The part of a list item: the one with the first line that writes it under a section of ``kind``, else
        the one part all its lines are in; None when no line writes it. Raises :class:`Untrusted` when lines of
        several parts write it, none under its section: which one the truth took it from cannot be told."""
        lines = self.lines_writing(item)
        own = [i for i in lines if self.kinds[i] == kind or (kind == "skills" and i in self.skill_lines)]
        parts = {self.part_of(i) for i in own[:1] or lines}
        if len(parts) > 1:
            raise Untrusted(f"{item!r} is written in parts {sorted(parts)}, outside a {kind} section")
        return parts.pop() if parts else None

    def contact_parts(self, field: str, value: str) -> list[int]:
        """The part whose lines write a contact value or the summary (its first words), and every later part whose
        repeated head writes it; [] when no line does (wrapped, or not written)."""
        written = self.lines_writing(" ".join(tokens(value)[:SUMMARY_WORDS]) if field == "summary" else value)
        if not written:
            return []
        home = self.part_of(written[0])
        in_head = bool(self.lines_writing(value, self.head))  # the head is repeated atop every later part
        return sorted({home, *(range(1, self.part_count) if in_head else ())})


class Untrusted(ValueError):
    """A value of the truth whose part cannot be told."""


def _shown_in_whole_but_not_part(projection: Projection, part: SourceText, field: str, value: Any) -> bool:
    values = value if isinstance(value, list) else [value]
    return any(
        isinstance(v, str) and v and projection.whole.contains(field, v) and not part.contains(field, v) for v in values
    )


def project(truth: ParsedResume, text: str) -> list[tuple[str, ParsedResume]] | None:
    """``text`` cut as the segmented parse cuts it, each part with its share of ``truth``; ``[]`` when the parse
    reads it whole, ``None`` when the projection cannot be trusted (see the module's docstring)."""
    projection = Projection(text)
    if projection.part_count < 2:
        return []
    texts = [projection.part_text(k) for k in range(projection.part_count)]
    sources = [SourceText(t) for t in texts]
    shares = [ParsedResume() for _ in texts]
    for section in ENTRY_SECTIONS:
        entries = getattr(truth, section)
        anchors = projection.entry_anchors(section, entries)
        if anchors is None:
            return None
        for entry, anchor in zip(entries, anchors, strict=True):
            part = projection.part_of(anchor)
            for field, value in entry.model_dump().items():
                if _shown_in_whole_but_not_part(projection, sources[part], f"{section}.{field}", value):
                    return None
            getattr(shares[part], section).append(entry.model_copy(deep=True))
    for field in LIST_SECTIONS:
        for item in getattr(truth, field):
            try:
                part = projection.item_part(item, field)
            except Untrusted:
                return None
            if part is not None:
                getattr(shares[part], field).append(item)
    for k, source in enumerate(sources):
        shares[k].links = [link for link in truth.links if source.contains("links", link)]
    for field in CONTACT_FIELDS:
        if value := getattr(truth, field):
            for k in projection.contact_parts(field, value):
                setattr(shares[k], field, value)
    return list(zip(texts, shares, strict=True))


def part_examples(row: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The ``parse_resume`` example ``row`` as one example per part (``meta.part`` = "k/n"); ``[]`` when the parse
    reads it whole, ``None`` when its projection cannot be trusted."""
    meta = row["meta"]  # the text the parse reads: the input's (two columns already set one above the other)
    projected = project(ParsedResume.model_validate(meta["resume"]), resume_of_parse_input(row["input"]))
    if not projected:
        return projected
    examples = [parse_example(text, share, meta) for text, share in projected]
    for k, example in enumerate(examples):
        example["meta"]["part"] = f"{k + 1}/{len(examples)}"
    return examples


def parts_mix(
    source: Path, out: Path, replay_share: float = 0.25, seed: int = 0, of_source: str | None = None
) -> dict[str, int]:
    """``griller data mix --parts``: a training stage on the parts the segmented parse reads. Every parse example
    of ``source/train.jsonl`` that it cuts (only those whose ``meta.source`` is ``of_source``, if given), as
    :func:`part_examples`, plus ``replay_share`` × as many of ``source``'s other rows (whole parses and questions, so
    neither is forgotten); validation: ``source/val.jsonl``'s cut parses as parts, then its other rows. The JSON
    Resume documents' SOURCES.tsv and NOTICE.tsv go with the data."""
    if replay_share < 0:
        raise JsonlError(f"--replay-share is a ratio to the part examples, at least 0, not {replay_share}")

    def cut(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
        parts, rest, untrusted = [], [], 0
        for _, row in iter_jsonl(path):
            wanted = row.get("task") == TaskName.PARSE_RESUME and of_source in (None, row["meta"].get("source"))
            examples = part_examples(row) if wanted else []
            untrusted += examples is None
            if examples:
                parts.extend(examples)
            else:
                rest.append(row)
        return parts, rest, untrusted

    parts, rest, untrusted = cut(Path(source) / "train.jsonl")
    val_parts, val_rest, _ = cut(Path(source) / "val.jsonl")
    rng = random.Random(seed)
    replayed = rng.sample(rest, min(round(len(parts) * replay_share), len(rest)))
    train = parts + replayed
    rng.shuffle(train)
    out.mkdir(parents=True, exist_ok=True)
    copy_provenance(out)
    return {
        "train": write_jsonl_atomic(out / "train.jsonl", train),
        "part_examples": len(parts),
        "cut_resumes": len({(row["meta"]["resume_id"], row["meta"].get("layout")) for row in parts}),
        "untrusted": untrusted,
        "replayed": len(replayed),
        "val": write_jsonl_atomic(out / "val.jsonl", val_parts + val_rest),
    }
