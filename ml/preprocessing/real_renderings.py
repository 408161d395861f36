"""Real people's resumes as users send them: their JSON Resume document printed to PDF by a community theme, read
back through the project's own PDF ingest, with the document as the truth.

    griller eval --real                                  # the validation people as text and as theme PDFs
    griller data build --real-renderings 0.3             # 30% of the parses: real people, as text and theme PDFs

Each person gets one theme, taken in turn from :data:`~ml.preprocessing.render.THEMES` (the sidebar theme among
them), so every theme is measured on several people; a theme that cannot render a document is replaced by the
next one. PDFs are kept in ``<out>/pdf/`` and reused by a rerun. ``meta.layout`` is ``pdf:<theme>``. The truth is
the document as the page shows it: a year-only date that the theme prints as January is January
(:func:`dates_as_shown`), and what the theme does not print is not in it (:func:`as_printed`).
"""

from __future__ import annotations

import logging
import random
import re
from pathlib import Path
from typing import Any

from ml.jsonl import iter_jsonl, write_jsonl_atomic
from ml.preprocessing.build import parse_example
from ml.preprocessing.ingest import IngestError, read_document
from ml.preprocessing.jsonresume import (
    LAYOUTS,
    SOURCE,
    JsonResumeError,
    RealResume,
    copy_provenance,
    example,
    real_val_file,
    training_pool,
    validation_people,
)
from ml.preprocessing.render import THEMES, UNSEEN_THEMES, RenderError, render_pdf
from ml.schema import ParsedResume, fold
from ml.text import LONG_VALUE_TOKENS, month_written, norm

log = logging.getLogger(__name__)


def pdf_example(person: RealResume, theme: str, pdf_dir: Path) -> dict[str, Any]:
    """One ``parse_resume`` example: the person's document through ``theme`` to PDF, read back by the ingest."""
    pdf = pdf_dir / f"{person.id}-{theme}.pdf"
    if not pdf.is_file():
        render_pdf(person.document, theme, pdf, name=person.id)
    text = read_document(pdf)
    meta = {"resume_id": person.resume_id, "source": SOURCE, "layout": f"pdf:{theme}", "language": person.language}
    truth = as_printed(dates_as_shown(person.truth, text), text)
    return parse_example(text, names_as_printed(truth, text) if theme in UNSEEN_THEMES else truth, meta)


_JANUARY = r"(?:(?<![\d/.])0?1[/.]|\bJan(?:uary)?\.?,?\s+)"
"""January written before a year: "01/2017", "1.2017", "Jan 2017", "Jan, 2017", "January 2017"."""


def dates_as_shown(truth: ParsedResume, text: str) -> ParsedResume:
    """The truth of a rendering with its dates as the page prints them. Four of the five themes print every date
    with a month (macchiato "01/2017", even and stackoverflow "Jan 2017", elegant "Jan, 2017"), so a year-only date
    reaches the page as January, and a reader, person or parser, can only read it so. A year the page also writes
    without that January stays a year. The other way round, a month the page never prints with its year is not
    shown: kendall prints a school's dates as years (25 of the 29 months of its 8 validation PDFs'
    schools; the other 4 are printed with their year elsewhere on the page, which this reading cannot tell apart)."""

    def shown(date: str | None) -> str | None:
        if date and re.fullmatch(r"\d{4}-\d{2}", date):
            return date if month_written(date, text) else date[:4]
        if date is None or not re.fullmatch(r"\d{4}", date):
            return date
        as_january = len(re.findall(rf"{_JANUARY}{date}\b|\b{date}-01\b", text, re.IGNORECASE))
        return f"{date}-01" if as_january and as_january == len(re.findall(rf"\b{date}\b", text)) else date

    def entries(items: list) -> list:
        return [
            item.model_copy(update={k: shown(getattr(item, k)) for k in ("start_date", "end_date")}) for item in items
        ]

    return truth.model_copy(update={"experience": entries(truth.experience), "education": entries(truth.education)})


_SPACING_ACCENTS = re.compile("[´`¨˜ˆ¸˝˚]")
MIN_PLACE_CHARS = 4
"""A place's first piece ("Paris" of "Paris, France") is read alone only from this length ("FR" is in "from")."""


def _reading(text: str) -> str:
    """``text`` as the page check compares it: case and accents folded, the spacing accent marks an extractor splits
    off ("Lyc´ee") dropped, its words joined by single spaces."""
    return norm(fold(_SPACING_ACCENTS.sub("", text)))


def _printed(value: str, page: str) -> bool:
    """Whether ``page`` (:func:`_reading`, space-padded) prints ``value``: a sentence whole, whatever lines or
    hyphens split it (its words alone are on every long resume's page), a shorter value as whole words ("3.9" is not
    in a phone number), a place also by its first piece (a theme prints "San Francisco, United States" for "San
    Francisco, California")."""
    reading = _reading(value)
    if len(reading.split()) >= LONG_VALUE_TOKENS:
        return reading.replace(" ", "") in page.replace(" ", "")
    first = _reading(value.split(",")[0])
    return f" {reading} " in page or (len(first) >= MIN_PLACE_CHARS and f" {first} " in page)


def as_printed(truth: ParsedResume, text: str) -> ParsedResume:
    """The truth of a rendering without what the page does not print. A theme prints what its template names, and
    JSON Resume documents hold more: even prints a job's ``summary`` but not the ``responsibilities`` and
    ``achievements`` that :func:`~ml.schema.from_json_resume` reads as highlights, kendall prints no languages,
    macchiato no certificates and no job locations, and a GPA is printed by some themes only. On the 40 real
    validation PDFs that was 110 values, on the 79 training PDFs of ``ml/data/s10`` 250 of 5,282 (``bench/NOTES.md``,
    session 40): a reader of the page cannot find them, and a model trained to write them is trained to invent.
    Only :data:`OMITTED_BY_THEMES` are read: names and contact details stay, dates are :func:`dates_as_shown`'s. An
    entry keeps its place, the fields the page lacks emptied."""
    page = f" {_reading(text)} "

    def scalar(value: str | None) -> str | None:
        return value if value is None or _printed(value, page) else None

    def items(values: list[str]) -> list[str]:
        return [value for value in values if _printed(value, page)]

    def entry(item: Any) -> Any:
        update = {
            name: scalar(value) if isinstance(value, str) else items(value)
            for name, value in item.model_dump().items()
            if name in OMITTED_BY_THEMES and isinstance(value, (str, list))
        }
        return item.model_copy(update=update)

    return truth.model_copy(
        update={
            "location": scalar(truth.location),
            "summary": scalar(truth.summary),
            **{name: items(getattr(truth, name)) for name in ("skills", "certifications", "languages")},
            **{name: [entry(item) for item in getattr(truth, name)] for name in ENTRY_SECTIONS},
        }
    )


def names_as_printed(truth: ParsedResume, text: str) -> ParsedResume:
    """The truth of a page that leaves names out: projects whose name it does not print dropped, degrees and fields
    it does not print emptied. For :data:`~ml.preprocessing.render.UNSEEN_THEMES` (``flat``, ``class`` and
    ``spartan`` print no projects, ``class`` no degree); the pinned themes print every name, and their truth stays
    :func:`as_printed`'s."""
    page = f" {_reading(text)} "
    projects = [project for project in truth.projects if not project.name or _printed(project.name, page)]

    def school(item: Any) -> Any:
        update = {
            name: None
            for name in ("degree", "field")
            if getattr(item, name) and not _printed(getattr(item, name), page)
        }
        return item.model_copy(update=update)

    return truth.model_copy(update={"projects": projects, "education": [school(item) for item in truth.education]})


ENTRY_SECTIONS = ("experience", "education", "projects")
OMITTED_BY_THEMES = frozenset(
    {"summary", "location", "highlights", "gpa", "description", "technologies", "skills", "certifications", "languages"}
)
"""The fields :func:`as_printed` reads on the page: those a theme may leave out. Names (employers, titles, schools,
degrees, projects) every theme prints, and where the extractor mangles one ("Lyc´ee" for "Lycée") a reader still
reads it."""


def pdf_examples(people: list[RealResume], out_dir: Path, themes: tuple[str, ...] = THEMES) -> list[dict[str, Any]]:
    """One theme PDF per person (themes in turn; the next theme where one fails); people no theme renders are
    logged and left out."""
    pdf_dir = Path(out_dir) / "pdf"
    rows = []
    for index, person in enumerate(people):
        turn = [themes[(index + offset) % len(themes)] for offset in range(len(themes))]
        for theme in turn:
            try:
                rows.append(pdf_example(person, theme, pdf_dir))
                break
            except (RenderError, IngestError) as error:
                log.warning("%s", error)
        else:
            log.warning("no theme rendered document %s; left out", person.id)
    return rows


def real_val_with_pdfs(out_dir: Path, folder: Path | None = None, limit: int | None = None) -> Path:
    """``griller eval --real``'s data: the validation people's text renderings
    (:func:`~ml.preprocessing.jsonresume.real_val_file`), each followed by the same person's theme PDF read back,
    so ``--limit 2N`` takes N people both ways (and only they are rendered). Returns the file."""
    path = real_val_file(out_dir, folder)
    text_rows = [row for _, row in iter_jsonl(path)]
    if limit is not None:
        text_rows = text_rows[: (limit + 1) // 2]
    people = {person.resume_id: person for person in validation_people(folder)}
    ordered = [people[row["meta"]["resume_id"]] for row in text_rows]
    pdf_rows = {row["meta"]["resume_id"]: row for row in pdf_examples(ordered, out_dir)}
    rows = []
    for row in text_rows:
        rows.append(row)
        if (pdf_row := pdf_rows.get(row["meta"]["resume_id"])) is not None:
            rows.append(pdf_row)
    write_jsonl_atomic(path, rows)
    return path


def mix_real_renderings(out_dir: Path, share: float, seed: int = 0, folder: Path | None = None) -> dict[str, int]:
    """``griller data build --real-renderings SHARE``: add real training-pool parses to ``out_dir/train.jsonl`` so
    they make ``share`` of its parse examples: the people's text renderings (every layout) and theme PDFs, in a
    seeded order that alternates the two, PDFs rendered only as far as needed (kept in ``out_dir/real/pdf``).
    Validation people are never used. SOURCES.tsv and NOTICE.tsv are copied beside. Returns the counts added."""
    if not 0 < share < 1:
        raise JsonResumeError(f"--real-renderings is a share of the parse examples, between 0 and 1, not {share}")
    train = Path(out_dir) / "train.jsonl"
    rows = [row for _, row in iter_jsonl(train)]
    parses = sum(row.get("task") == "parse_resume" for row in rows)
    wanted = round(parses * share / (1 - share))
    people = training_pool(folder)
    random.Random(seed).shuffle(people)
    # Every person once before anyone twice: round r gives person i layout i + r, so a small share covers many
    # people in every layout, and person i's PDF theme is theme i in turn (the sidebar one among them).
    text_rows = (
        example(person, LAYOUTS[(index + turn) % len(LAYOUTS)])
        for turn in range(len(LAYOUTS))
        for index, person in enumerate(people)
    )
    added: list[dict[str, Any]] = []
    pdf_people = iter(enumerate(people))
    for text_row in text_rows:
        if len(added) >= wanted:
            break
        added.append(text_row)
        turn = next(pdf_people, None)
        if turn is not None and len(added) < wanted:
            index, person = turn
            themes = THEMES[index % len(THEMES) :] + THEMES[: index % len(THEMES)]
            added.extend(pdf_examples([person], Path(out_dir) / "real", themes))
    mixed = rows + added
    random.Random(seed).shuffle(mixed)
    write_jsonl_atomic(train, mixed)
    copy_provenance(Path(out_dir), folder)
    pdf = sum(row["meta"]["layout"].startswith("pdf:") for row in added)
    return {"real_text_parses": len(added) - pdf, "real_pdf_parses": pdf, "synthetic_parses": parses}


def pdf_stage_mix(
    source: Path,
    out: Path,
    replay_share: float = 1.0,
    seed: int = 0,
    themes: tuple[str, ...] = THEMES,
    folder: Path | None = None,
) -> dict[str, int]:
    """``griller data mix --real-pdfs``: a training stage on real people's PDFs. Every training-pool person in every
    theme, read back by today's ingest (PDFs kept in ``out/real/pdf`` and reused), plus ``replay_share`` × as many
    rows drawn from ``source/train.jsonl`` (parses and questions alike, so neither is forgotten; not its PDF rows,
    which an older ingest may have read); validation is ``source/val.jsonl``. Validation people are never used.
    SOURCES.tsv and NOTICE.tsv are copied beside."""
    if replay_share < 0:
        raise JsonResumeError(f"--replay-share is a ratio to the PDF examples, at least 0, not {replay_share}")
    # the source first: a wrong folder fails before 15 minutes of rendering, not after
    source_rows = [
        row
        for _, row in iter_jsonl(Path(source) / "train.jsonl")
        if not (row.get("meta", {}).get("layout") or "").startswith("pdf:")
    ]
    val = [row for _, row in iter_jsonl(Path(source) / "val.jsonl")]
    people = training_pool(folder)
    pdf_rows = [row for theme in themes for row in pdf_examples(people, out / "real", (theme,))]
    if not pdf_rows:
        raise RenderError(
            f"no theme rendered any of {len(people)} documents (the log says why; scripts/setup_render.sh)"
        )
    rng = random.Random(seed)
    replayed = rng.sample(source_rows, min(round(len(pdf_rows) * replay_share), len(source_rows)))
    mixed = pdf_rows + replayed
    rng.shuffle(mixed)
    write_jsonl_atomic(out / "train.jsonl", mixed)
    val_rows = write_jsonl_atomic(out / "val.jsonl", val)
    copy_provenance(out, folder)
    return {"train": len(mixed), "real_pdf_parses": len(pdf_rows), "replayed": len(replayed), "val": val_rows}
