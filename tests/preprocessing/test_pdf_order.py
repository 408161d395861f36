"""Reading order of PDF text (ml/preprocessing/pdf_order.py): columns, then rows, as a person reads a resume."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from ml.preprocessing import render
from ml.preprocessing.ingest import read_document
from ml.preprocessing.jsonresume import validation_people
from ml.preprocessing.pdf_order import Line, _marked, _pieces, page_text, pages_text


def column(texts: list[str], x0: float, top: float, pitch: float = 12.0, width: float = 150.0) -> list[Line]:
    return [Line(text, x0, top + i * pitch, x0 + width, top + i * pitch + 9.0) for i, text in enumerate(texts)]


def test_a_sidebar_is_read_whole_after_the_main_column_and_the_header_first() -> None:
    header = [Line("ADA LOVELACE", 40, 20, 560, 40)]
    main = column([f"main {i}" for i in range(8)], x0=40, top=60)
    side = column([f"side {i}" for i in range(6)], x0=400, top=62.5)  # the same pitch, offset: columns by chance
    drawn = side[::2] + main[::-1] + side[1::2] + header  # a producer's drawing order
    expected = ["ADA LOVELACE", "", *[line.text for line in main], *[line.text for line in side]]
    assert page_text(drawn).split("\n") == expected


def test_columns_that_run_over_the_page_break_are_read_whole_main_column_first() -> None:
    """The kendall theme: a job's title at the foot of page 1's main column, its highlight at the head of page 2's,
    the sidebar's skills going on beside it. Read page by page, the sidebar cut the job from its highlight."""
    header = [Line("ADA LOVELACE", 40, 20, 560, 40)]
    first = header + column([f"job line {i}" for i in range(8)], x0=40, top=60, width=300)
    first += column([f"side {i}" for i in range(6)], x0=380, top=62.5)
    second = column(["the last highlight", *(f"more job {i}" for i in range(4))], x0=40, top=30, width=300)
    second += column([f"more side {i}" for i in range(5)], x0=385, top=32.5, width=140)  # the gutter, a bit narrower
    lines = [line for line in pages_text([first, second]).split("\n") if line]
    assert lines == [
        "ADA LOVELACE",
        *(f"job line {i}" for i in range(8)),
        "the last highlight",
        *(f"more job {i}" for i in range(4)),
        *(f"side {i}" for i in range(6)),
        *(f"more side {i}" for i in range(5)),
    ]
    # a sidebar that ended on page 1: page 2's lines stay clear of it and go on with the main column
    only_main = column(["the last highlight", *(f"more job {i}" for i in range(4))], x0=40, top=30, width=300)
    lines = [line for line in pages_text([first, only_main, second]).split("\n") if line]
    assert lines[9:15] == ["the last highlight", *(f"more job {i}" for i in range(4)), "the last highlight"]
    assert lines[-11:] == [*(f"side {i}" for i in range(6)), *(f"more side {i}" for i in range(5))]
    # a next page that opens with a full-width line, or whose columns stand elsewhere, is read after the page
    for opening in (
        [Line("A LINE ACROSS THE PAGE", 40, 10, 560, 20), *second],
        column([f"wide {i}" for i in range(5)], x0=40, top=30, width=420)
        + column([f"narrow {i}" for i in range(5)], x0=480, top=32.5, width=80),
    ):
        text = pages_text([first, opening])
        assert text.index("side 5") < text.index(opening[0].text)


def test_an_address_a_narrow_column_broke_is_one_again() -> None:
    """macchiato's sidebar breaks "yoshida.daiki@example.org" after the dot; a long project link breaks after a
    hyphen. A whole address above a word ("https://www.tum.de/" over "MSc") and a sentence's end stay apart."""
    texts = [
        "yoshida.daiki@example.",
        "org",
        "https://github.com/Dev-",
        "Riders/TrackTrainerAPI",
        "https://www.tum.de/",
    ]
    texts += ["MSc", "Write to me at a@b.com.", "Thanks", "jane@doe.com.", "linkedin.com/in/jane", "ana.lima@"]
    texts += ["example.org"]
    assert page_text(column(texts, x0=40, top=60, width=120)).split("\n") == [
        "yoshida.daiki@example.org",
        "https://github.com/Dev-Riders/TrackTrainerAPI",
        *texts[4:-2],
        "ana.lima@example.org",
    ]


def test_dates_beside_a_wrapped_header_stay_after_all_of_it() -> None:
    """stackoverflow floats an entry's dates right of its header's first row and wraps the header below them."""
    first = Line("M.Eng. (Information Science) Network Optimization and Jan 2022 - Jan 2024", 40, 100, 560, 110, 10)
    rest = Line("Routing in Datacenter Networks at Vidyasirimedhi Institute", 40, 112, 380, 122, 10)
    assert page_text([first, rest]) == (
        "M.Eng. (Information Science) Network Optimization and Routing in Datacenter Networks at Vidyasirimedhi "
        "Institute  Jan 2022 - Jan 2024"
    )
    # the word before a year-only range is no month; a month the extractor glued to the word before it is one
    for header, wrapped in (
        (
            "Senior Software Engineer at Google Search and Ads 2019 - 2022",
            "Senior Software Engineer at Google Search and Ads Infrastructure Team  2019 - 2022",
        ),
        (
            "Stagiaire en systèmes embarqués at KU Leuven, Campus deJul 2024 - Nov 2024",
            "Stagiaire en systèmes embarqués at KU Leuven, Campus de Infrastructure Team  Jul 2024 - Nov 2024",
        ),
    ):
        first = dataclasses.replace(first, text=header)
        rest = dataclasses.replace(rest, text="Infrastructure Team")
        assert page_text([first, rest]) == wrapped


def test_a_name_set_large_and_wrapped_is_one_line() -> None:
    """The even theme sets the name at 43 points and the headline at 34 in a 360-point cell, and wraps them; the
    rule that short lines stand alone (a sidebar's address) is for lines set as the column's text is."""
    lines = [Line("Esteban Francisco Rivas", 196, 71, 550, 107, 42.7), Line("Campos", 196, 109, 315, 145, 42.7)]
    lines += [Line("Ingeniero de soluciones", 196, 148, 466, 176, 34.2)]
    lines += [Line("digitales SharePoint Online", 196, 179, 553, 207, 34.2)]
    lines += [
        Line(f"Point {i} of the summary, set as the text is.", 196, 231 + 16 * i, 560, 243 + 16 * i, 14)
        for i in range(6)
    ]
    assert page_text(lines).split("\n")[:2] == [
        "Esteban Francisco Rivas Campos",
        "Ingeniero de soluciones digitales SharePoint Online",
    ]
    assert page_text([dataclasses.replace(line, size=14) for line in lines]).split("\n")[:2] == [
        "Esteban Francisco Rivas",
        "Campos",
    ]
    # a short name over a title of its size, and two large headings, are lines of their own (a review's cases)
    short = [Line("Ada Lovelace", 196, 71, 396, 101, 30), Line("Engineer", 196, 105, 330, 135, 30), *lines[4:]]
    assert page_text(short).split("\n")[:2] == ["Ada Lovelace", "Engineer"]
    headings = [Line("Skills", 196, 71, 260, 90, 21), Line("Languages", 196, 94, 300, 113, 21), *lines[4:]]
    assert page_text(headings).split("\n")[:2] == ["Skills", "Languages"]


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


def test_two_dates_stacked_beside_a_school_are_read_as_its_range() -> None:
    """kendall prints a school's years in a gutter, the start beside its name and the end under it beside the
    degree. Read row by row that was "2017  McGill University" over "Present  PhD": the model read 2017 as the end."""

    def rows(cells: list[tuple[str, str]], top: float = 100.0) -> list[Line]:
        lines = []
        for i, (date, text) in enumerate(cells):
            if date:
                lines.append(Line(date, 40, top + 12 * i, 70, top + 12 * i + 9))
            lines.append(Line(text, 90, top + 12 * i, 300, top + 12 * i + 9))
        return lines

    school = rows([("2017", "McGill University"), ("Present", "PhD"), ("", "Computer Science")])
    assert page_text(school).split("\n") == ["2017 – Present  McGill University", "PhD", "Computer Science"]
    two = school + rows([("2014", "McGill University"), ("2017", "MSc")], top=160)
    assert "2014 – 2017  McGill University" in page_text(two).split("\n")
    awards = rows([("2021", "Best Paper"), ("2019", "Fellowship")])  # newest first: two awards, no range
    assert page_text(awards).split("\n") == ["2021  Best Paper", "2019  Fellowship"]
    talks = rows([("2019", "Talk A"), ("2020", "Talk B"), ("2021", "Talk C")])  # a list of years, oldest first
    assert page_text(talks).split("\n") == ["2019  Talk A", "2020  Talk B", "2021  Talk C"]
    same_year = rows([("2019", "AWS Certified"), ("2019", "CKA")])  # two items of one year
    assert page_text(same_year).split("\n") == ["2019  AWS Certified", "2019  CKA"]
    role = rows([("2019", "Acme"), ("Current role", "Engineer")])  # "Current role" reads as present: no lone date
    assert page_text(role).split("\n") == ["2019  Acme", "Current role  Engineer"]


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
    job = [Line("Thesis Project at NISER Aug 2024 - Present", 40, 168, 560, 178, 11)]  # a header, set larger
    job += [Line("Studying how AGN feedback shapes the gas in galactic halos using the NINJA", 40, 180, 560, 190, 9)]
    job += [Line("cosmological simulation suite", 40, 195, 200, 205, 9)]
    job += [
        Line(f"Another highlight {i} that runs across the whole page width.", 40, 210 + 15 * i, 560, 220 + 15 * i, 9)
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
    assert "using the NINJA cosmological simulation suite\nAnother highlight 0" in text  # a wrapped line: one
    assert "Thesis Project at NISER Aug 2024 - Present\nStudying how" in text


def test_a_title_drawn_after_its_dates_is_read_above_them() -> None:
    title = Line("Intern, Huawei", 90, 459, 160, 470)
    dates = Line("Aug, 2023 - Sep, 2023", 90, 474, 200, 482)
    body = Line("Summer internship at the Network Technologies department.", 90, 496, 350, 506)
    assert page_text([dates, body, title]).split("\n") == [title.text, dates.text, "", body.text]


def span(text: str, x0: float, x1: float, size: float = 14.0, url: str = "", top: float = 400.0) -> dict:
    """A span as pdftext gives it (the keys this module reads)."""
    return {"text": text, "bbox": [x0, top, x1, top + size], "font": {"size": size}, "url": url}


def test_a_heading_in_the_margin_gets_a_line_of_its_own_above_the_sections_first_entry() -> None:
    """The ``even`` theme prints "Work" in the left margin beside the first job's title, and pdftext joins them
    into one line; the parser then saw "Work Systems Engineering Intern" as the title."""
    joined = {
        "spans": [
            span("Work", 127, 175, 27.3),
            span(" ", 178, 178, 27.3),
            span("Systems Engineering Intern", 196, 416, 21.9),
        ]
    }
    below = {"spans": [span("L3Harris Technologies", 196, 340, 14.0, top=430)]}
    lines = [piece for line in (joined, below) for piece in _pieces(line)]
    assert page_text(lines).split("\n") == ["Work", "Systems Engineering Intern", "L3Harris Technologies"]
    # the same sizes without the gap are one heading line as written, and a title and its dates stay one row
    assert [
        p.text for p in _pieces({"spans": [span("Work", 127, 175, 27.3), span(" Experience", 175, 300, 27.3)]})
    ] == ["Work Experience"]
    row = {
        "spans": [
            span("Target Corporation", 40, 160, 14.0),
            span(" ", 160, 164),
            span("07/2019 - 06/2022", 400, 520, 12.0),
        ]
    }
    assert page_text(_pieces(row)) == "Target Corporation 07/2019 - 06/2022"
    # a section's own name is a heading beside a line with digits too ("Administrateur O365", "IELTS (8.0 / 9.0)")
    titled = {"spans": [span("Work", 127, 175, 27.3), span("Administrateur O365", 196, 416, 21.9)]}
    assert [piece.text for piece in _pieces(titled)] == ["Work", "Administrateur O365"]


def test_a_row_of_badges_is_written_as_a_list_and_a_name_set_large_is_not() -> None:
    """Themes print skills as boxes ("Java script" is one, "C" another); their text joined by spaces loses where a
    box ends. Word spaces are 0.2–0.3 em, the boxes 0.46 em apart or more."""
    badges = [span("Python", 391.6, 412.1, 11), span("Java", 429.1, 442.6, 11), span("Java", 459.6, 473.0, 11)]
    badges += [span(" ", 473.0, 474.7, 11), span("script", 474.7, 491.2, 11), span("C", 508.1, 512.5, 11)]
    assert _pieces({"spans": badges})[0].text == "Python · Java · Java script · C"
    pair = {"spans": [span("Desarrollo Web", 202, 290, 14.0), span("Frontend", 306.8, 360, 14.0)]}
    assert _pieces(pair)[0].text == "Desarrollo Web · Frontend"
    name = [span("Robert ", 40, 180, 42.7), span("R. ", 189, 230, 42.7), span("Brooks", 239, 380, 42.7)]
    heading = [span("WORK ", 40, 80, 12.0), span("HISTORY", 87, 150, 12.0)]  # 0.58 em apart, but upper case
    dated = [span("Target Corporation ", 40, 160, 14.0), span("07/2019 - 06/2022", 400, 520, 12.0)]
    separated = [span("Python ", 40, 80, 12.0), span("· ", 86, 90, 12.0), span("Shell Scripting", 96, 180, 12.0)]
    assert [_pieces({"spans": line})[0].text for line in (name, heading, dated, separated)] == [
        "Robert R. Brooks",  # a word space of a large font
        "WORK HISTORY",
        "Target Corporation 07/2019 - 06/2022",
        "Python · Shell Scripting",  # its own separators: as printed
    ]


def test_a_profile_link_shown_as_its_user_name_or_an_icon_keeps_its_address() -> None:
    profile = _pieces(
        {"spans": [span("rbrooks", 40, 90, url="https://twitter.com/rbrooks"), span("(Twitter)", 92, 140)]}
    )
    assert profile[0].text == "rbrooks https://twitter.com/rbrooks (Twitter)"
    icon = _pieces({"spans": [span(" ", 40, 52, url="https://github.com/kkoc351")]})
    assert icon[0].text.strip() == "https://github.com/kkoc351"
    linkedin = _pieces({"spans": [span("sthakur", 40, 90, url="https://www.linkedin.com/in/sthakur/")]})
    assert linkedin[0].text == "sthakur https://www.linkedin.com/in/sthakur/"
    # an employer's site behind its name, a project's repository, a mail link and a printed address add nothing
    for shown, url in [
        ("NeuroLeap Corp.", "https://neuroleap.com/"),
        ("ESP-TypeScript", "https://github.com/tcaldwell/ESP-TypeScript"),
        ("", "https://github.com/tcaldwell/ESP-TypeScript"),
        ("Cartoconsult", "https://www.linkedin.com/company/cartoconsult/"),
        ("a@b.org", "mailto:a@b.org"),
        ("https://aecom.com/", "https://aecom.com/"),
        ("Kasetsart University", "https://cpe.ku.ac.th/"),
    ]:
        assert _pieces({"spans": [span(shown, 40, 200, url=url)]})[0].text == shown


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


def test_the_even_themes_section_headings_are_lines_of_their_own(people_with_careers, tmp_path: Path) -> None:
    """Rendered by Chromium: the margin heading "Work" on its own line, the first job's title on the next one."""
    person = people_with_careers[0]
    pdf = render.render_pdf(person.document, "even", tmp_path / f"{person.id}-even.pdf", name=person.id)
    lines = [line.strip() for line in read_document(pdf).splitlines()]
    assert "Work" in lines
    title = person.truth.experience[0].title
    assert title and lines[lines.index("Work") + 1] == title


def test_a_paragraph_the_layout_wrapped_is_one_line_and_a_point_that_fits_is_its_own() -> None:
    """A theme's paragraph is cut into lines by the page's width: a line goes on below when the next line's first
    word would not have fitted beside it. A line that ends a sentence before a capital, a short line, or lines of a
    narrow sidebar are lines of their own."""
    lines = [
        Line("Managing and maintaining VM infrastructure, robust access control, high-availability", 44, 100, 327, 110),
        Line("servers and monitoring for GenAI services.", 44, 113, 190, 123),
        Line("Trained GPT2 for product description generation for e-commerce clients in the shop.", 44, 126, 339, 136),
        Line("Scraped and processed datasets.", 44, 139, 150, 149),
    ]
    assert page_text(lines).split("\n") == [
        "Managing and maintaining VM infrastructure, robust access control, high-availability servers and "
        "monitoring for GenAI services.",
        "Trained GPT2 for product description generation for e-commerce clients in the shop.",
        "Scraped and processed datasets.",
    ]
    sidebar = [Line("Japanese (Native speaker)", 40, 100, 130, 110), Line("English (Fluent)", 40, 113, 95, 123)]
    assert page_text(sidebar).split("\n") == ["Japanese (Native speaker)", "English (Fluent)"]


def test_a_list_marker_drawn_as_a_shape_marks_its_item_and_the_items_lines_join_it() -> None:
    """Chromium draws a theme's list discs as paths, not characters: the item gets a bullet of text, and the line
    that wraps it joins it even after a full stop; the next marker starts the next item."""
    items = [
        Line(
            "Planned and developed a Python package for exploration of unlabeled ecoacoustic data.", 55, 317, 464, 329
        ),
        Line("Engineered models for unsupervised clustering and event separation in audio data via", 55, 334, 543, 346),
        Line("Knowledge graphs and embeddings", 55, 351, 200, 363),
        Line("Utilized autoencoded audio vector embeddings", 55, 368, 300, 380),
    ]
    discs = [(44.2, 322.5, 47.2, 325.5), (44.2, 339.8, 47.2, 342.8), (44.2, 373.0, 47.2, 376.0)]
    assert page_text(_marked(items, discs)).split("\n") == [
        "• Planned and developed a Python package for exploration of unlabeled ecoacoustic data.",
        "• Engineered models for unsupervised clustering and event separation in audio data via Knowledge graphs and "
        "embeddings",
        "• Utilized autoencoded audio vector embeddings",
    ]


def test_a_themes_pdf_keeps_its_list_items_whole(people_with_careers, tmp_path: Path) -> None:
    """Rendered by Chromium (stackoverflow draws its list discs as paths): the highlights come back as lines of their
    own, whole (a job's summary paragraph, its list items bulleted), where the bare lines cut them at the page's
    width."""
    person = people_with_careers[0]
    pdf = render.render_pdf(person.document, "stackoverflow", tmp_path / f"{person.id}.pdf", name=person.id)
    lines = {" ".join(line.split()) for line in read_document(pdf).splitlines()}
    highlights = [" ".join(h.split()) for job in person.truth.experience for h in job.highlights]
    assert all(h in lines or f"• {h}" in lines for h in highlights), sorted(lines)
    assert sum(f"• {h}" in lines for h in highlights) >= len(highlights) // 2


def test_an_item_bulleted_in_the_text_or_a_title_over_its_dates_is_never_the_rest_of_the_line_above() -> None:
    """Word prints its bullets as characters: a long item over the next is two items; a long title over its dates
    line is a header of two lines. A timeline's dot beside an entry's dates marks no list item."""
    items = [
        Line(
            "• Built the data ingestion pipeline on Kafka and Spark for every team of the company.", 40, 100, 560, 110
        ),
        Line("• Led a team of four engineers", 40, 113, 200, 123),
        Line("Senior Software Engineer at Acme Corporation International Holdings", 40, 126, 560, 136),
        Line("Jan 2019 - Present", 40, 139, 120, 149),
    ]
    assert page_text(items).split("\n") == [line.text for line in items]
    dot = (30.0, 142.0, 33.0, 145.0)
    assert [line.marked for line in _marked(items, [dot])] == [False, False, False, False]
