"""Parse examples cut into the parts the segmented parse reads (issue #29.1: the training data follows the method).

At inference a resume with many dated entries is cut by :func:`~ml.preprocessing.segment.split_resume` and each
part is parsed on its own; until now the model trained on whole resumes only. :func:`part_examples` cuts a
training example the same way and gives each part its own truth, the whole truth projected onto the part:

- an entry (job, school, project) goes to the part holding its anchor: the first line, after the previous entry's
  anchor and from its section's heading on, that names it (a job's employer or title, a school, a project);
- a list item (skill, certification, language) goes to the part holding the line it is written on, in its own
  section where it is written there too (a skill also named in a job's bullet is the skills section's); one
  wrapped over two lines, to the last part that shows it; one the resume does not write, to the first;
- a contact value or the summary stays wherever the part's text shows it (the head repeated atop later parts).

Projected this way the parts merge back into the whole truth (:func:`~ml.preprocessing.segment.merge_parses`). An
example whose projection cannot be trusted is left out rather than taught wrong: an entry with no anchor, or a
value of an entry that the resume shows but the entry's part does not (a header cut from its entry).
"""

from __future__ import annotations

import random
from itertools import pairwise
from pathlib import Path
from typing import Any

from ml.jsonl import JsonlError, iter_jsonl, write_jsonl_atomic
from ml.preprocessing.build import parse_example
from ml.preprocessing.jsonresume import copy_provenance
from ml.preprocessing.segment import part_context, part_cuts, section_kinds
from ml.schema import ParsedResume
from ml.tasks import TaskName
from ml.text import SourceText, compact

ENTRY_SECTIONS = {"experience": "work", "education": "education", "projects": "projects"}
"""Each entry list of the schema and the kind of section (:data:`~ml.preprocessing.segment.SECTION_WORDS`) it is
written under."""
LIST_SECTIONS = {"skills": "skills", "certifications": "certifications", "languages": "languages"}
CONTACT_FIELDS = ("name", "email", "phone", "location", "summary")
_NAMING_FIELDS = {"experience": ("company", "title"), "education": ("institution", "degree"), "projects": ("name",)}


class Projection:
    """One resume's lines, its parts' line ranges, and where each value of its truth is written."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.compact_lines = [compact(line) for line in self.lines]
        self.kinds = section_kinds("\n".join(self.lines))
        self.cuts = part_cuts(self.lines)
        self.whole = SourceText(text)

    @property
    def part_count(self) -> int:
        return len(self.cuts) - 1

    def part_of(self, line: int) -> int:
        return next(k for k, (first, end) in enumerate(pairwise(self.cuts)) if first <= line < end)

    def part_text(self, part: int) -> str:
        first, end = self.cuts[part], self.cuts[part + 1]
        return "\n".join((part_context(self.lines, first) if first else []) + self.lines[first:end]).strip()

    def lines_naming(self, value: str | None, start: int = 0) -> list[int]:
        key = compact(value)
        return [i for i in range(start, len(self.lines)) if key and key in self.compact_lines[i]] if key else []

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

    def item_line(self, item: str, kind: str) -> int | None:
        """The line a list item is written on: in a section of ``kind`` if it is there, else its last mention."""
        lines = self.lines_naming(item)
        return next((i for i in lines if self.kinds[i] == kind), lines[-1] if lines else None)


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
    for field, kind in LIST_SECTIONS.items():
        for item in getattr(truth, field):
            line = projection.item_line(item, kind)
            if line is not None:
                part = projection.part_of(line)
            else:  # wrapped over two lines ("Estructura de / documentos"), or not written at all: the first part
                part = max((k for k, source in enumerate(sources) if source.contains(field, item)), default=0)
            getattr(shares[part], field).append(item)
    for k, source in enumerate(sources):
        shares[k].links = [link for link in truth.links if k == 0 or source.contains("links", link)]
        for field in CONTACT_FIELDS:
            value = getattr(truth, field)
            if value and (source.contains(field, value) or (k == 0 and not projection.whole.contains(field, value))):
                setattr(shares[k], field, value)
    return list(zip(texts, shares, strict=True))


def part_examples(row: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The ``parse_resume`` example ``row`` as one example per part (``meta.part`` = "k/n"); ``[]`` when the parse
    reads it whole, ``None`` when its projection cannot be trusted."""
    meta = row["meta"]
    projected = project(ParsedResume.model_validate(meta["resume"]), meta["text"])
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
