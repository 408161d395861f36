"""Reading order of PDF text (ml/preprocessing/pdf_order.py): columns, then rows, as a person reads a resume."""

from __future__ import annotations

from pathlib import Path

import pytest

from ml.preprocessing import render
from ml.preprocessing.ingest import read_document
from ml.preprocessing.jsonresume import validation_people
from ml.preprocessing.pdf_order import Line, page_text


def column(texts: list[str], x0: float, top: float, pitch: float = 12.0, width: float = 150.0) -> list[Line]:
    return [Line(text, x0, top + i * pitch, x0 + width, top + i * pitch + 9.0) for i, text in enumerate(texts)]


def test_a_sidebar_is_read_whole_after_the_main_column_and_the_header_first() -> None:
    header = [Line("ADA LOVELACE", 40, 20, 560, 40)]
    main = column([f"main {i}" for i in range(8)], x0=40, top=60)
    side = column([f"side {i}" for i in range(6)], x0=400, top=62.5)  # the same pitch, offset: columns by chance
    drawn = side[::2] + main[::-1] + side[1::2] + header  # a producer's drawing order
    expected = ["ADA LOVELACE", "", *[line.text for line in main], *[line.text for line in side]]
    assert page_text(drawn).split("\n") == expected


def test_a_full_width_summary_does_not_hide_the_columns_below_it() -> None:
    summary = [Line(f"summary line {i}", 40, 20 + 12 * i, 560, 29 + 12 * i) for i in range(4)]
    side = column(["About", "a@b.org", "+351 1", "Languages", "English"], x0=40, top=90, pitch=17, width=100)
    main = column([f"job line {i}" for i in range(10)], x0=180, top=92.5, pitch=9.5, width=380)
    text = page_text(main + side + summary)
    lines = [line for line in text.split("\n") if line]
    assert lines == [line.text for line in summary + side + main]


def test_dates_beside_their_entries_are_read_as_rows_not_as_a_column() -> None:
    dates = [Line(year, 40, 100 + 30 * i, 70, 109 + 30 * i) for i, year in enumerate(["2021", "2019", "2017", "2015"])]
    entries = [Line(f"Company {i}", 90, 100 + 30 * i, 300, 109.5 + 30 * i) for i in range(4)]
    rows = [line for line in page_text(entries + dates).split("\n") if line]
    assert rows == [f"{d.text}  {e.text}" for d, e in zip(dates, entries, strict=True)]


def test_a_grid_of_skills_between_full_width_lines_is_read_row_by_row_and_wrapped_lines_stay_together() -> None:
    heading = Line("SKILLS", 40, 100, 90, 110)
    grid = [
        Line(text, 40 + 180 * col, 115 + 12 * row, 40 + 180 * col + 120, 124 + 12 * row)
        for row, cells in enumerate(
            [["Languages", "Tools", "Other"], ["Python", "LaTeX", "Telescopes"], ["C", "Git", "Poetry"]]
        )
        for col, text in enumerate(cells)
    ]
    work = Line("WORK EXPERIENCE", 40, 155, 160, 165)
    job = [Line("Thesis Project at NISER Aug 2024 - Present", 40, 168, 560, 178)]
    job += [Line("Studying how AGN feedback shapes the gas in galactic halos using the NINJA", 40, 180, 560, 190)]
    job += [Line("cosmological simulation suite", 40, 195, 200, 205)]
    job += [
        Line(f"Another highlight {i} that runs across the whole page width", 40, 210 + 15 * i, 560, 220 + 15 * i)
        for i in range(2)
    ]
    text = page_text(job[::-1] + grid + [work, heading])
    assert [line for line in text.split("\n") if line][:5] == [
        "SKILLS",
        "Languages  Tools  Other",
        "Python  LaTeX  Telescopes",
        "C  Git  Poetry",
        "WORK EXPERIENCE",
    ]
    assert "using the NINJA\ncosmological simulation suite\nAnother highlight 0" in text


def test_a_title_drawn_after_its_dates_is_read_above_them() -> None:
    title = Line("Intern, Huawei", 90, 459, 160, 470)
    dates = Line("Aug, 2023 - Sep, 2023", 90, 474, 200, 482)
    body = Line("Summer internship at the Network Technologies department.", 90, 496, 350, 506)
    assert page_text([dates, body, title]).split("\n") == [title.text, dates.text, "", body.text]


@pytest.fixture(scope="module")
def people_with_careers():
    if render.find_chromium() is None or render.find_node() is None:
        pytest.skip("node and Chromium: run scripts/setup_render.sh")  # a failure in CI (tests/ci_no_skips.py)
    people = [p for p in validation_people() if p.language == "en"]
    return [p for p in people if sum(bool(job.highlights) for job in p.truth.experience) >= 3]


@pytest.mark.parametrize("theme", ["elegant", "kendall"])
def test_theme_pdfs_keep_each_job_title_before_its_own_highlights(people_with_careers, theme: str, tmp_path: Path):
    """``elegant`` draws the bold job titles after the dates and highlights; ``kendall`` has a sidebar beside the
    jobs. Read back, each job's title comes before its first highlight, and after the previous job's."""
    checked = rendered = 0
    for person in people_with_careers:
        if rendered == 2:
            break
        try:  # a theme throws on some documents (a missing field): the next person is taken
            pdf = render.render_pdf(person.document, theme, tmp_path / f"{person.id}-{theme}.pdf", name=person.id)
        except render.RenderError:
            continue
        rendered += 1
        text = " ".join(read_document(pdf).split())
        previous_highlight = -1
        for job in person.truth.experience:
            if not job.title or not job.highlights or job.title not in text:
                continue
            first = " ".join(job.highlights[0].split())
            title_at, highlight_at = text.find(job.title, previous_highlight + 1), text.find(first)
            if highlight_at < 0:
                continue
            assert previous_highlight < title_at < highlight_at, (person.id, job.title, first[:40])
            previous_highlight = highlight_at
            checked += 1
    assert checked >= 4
