"""Side-by-side columns read one after the other: the sidebar's lines apart from the main column's."""

from __future__ import annotations

import collections
from pathlib import Path

from ml import tasks
from ml.preprocessing.clean import clean_text
from ml.preprocessing.synthetic.generate import generate_resumes
from ml.text import split_columns

EXAMPLE = Path(__file__).parents[2] / "examples" / "resumes" / "two_column_extract.txt"
RIGHT_SIDEBAR = "\n".join(
    f"{main:<62}{side}".rstrip()
    for main, side in [
        ("Dawn Norton", ""),
        ("Technical Director, Skanska, 2023-01 - present", "CONTACT"),
        ("- Checked contractor drawings and method statements under", "dawn@example.com"),
        ("  NEC4 contracts, delivering A$1.2M under budget.", "+61 406 698 167"),
        ("- Designed foundations for a wind farm to Eurocodes ahead", ""),
        ("  of schedule, supervising 33 subcontractors on site.", "SKILLS"),
        ("- Led BIM coordination for a hospital extension with the", "Eurocodes"),
        ("  client's engineer, with zero lost-time incidents.", "Site Supervision"),
        ("Construction Manager, Jacobs, 2021-01 - 2023-01", "Cost Estimation"),
        ("- Designed a six-storey residential building in Revit.", "Revit"),
        ("- Prepared method statements for every site visit we ran.", "ETABS"),
        ("Site Engineer, Arup, 2017-09 - 2020-10", ""),
        ("- Supervised concrete pours and the temporary works.", ""),
    ]
)


def _words(text: str) -> collections.Counter[str]:
    return collections.Counter(text.split())


def test_an_interleaved_sidebar_is_read_after_the_header_and_before_the_main_column() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    lines = split_columns(text).splitlines()
    assert lines[:2] == text.splitlines()[:2], "the full-width header stays on top"
    assert lines.index("Food safety (Level 2)") < lines.index("EXPERIENCE")
    job = lines.index("Shift Lead, Federal Café Valencia")
    assert lines[job + 1 : job + 3] == ["Jun 2022 - Now", "Trained 9 new baristas; ran the closing shift and cash-up."]
    assert _words(split_columns(text)) == _words(text), "no word lost or added"


def test_a_right_sidebar_shorter_than_the_main_column_is_split_too() -> None:
    lines = split_columns(RIGHT_SIDEBAR).splitlines()
    assert lines[lines.index("Construction Manager, Jacobs, 2021-01 - 2023-01") - 1].startswith("client's engineer")
    assert lines[-6:] == ["SKILLS", "Eurocodes", "Site Supervision", "Cost Estimation", "Revit", "ETABS"]
    assert _words("\n".join(lines)) == _words(RIGHT_SIDEBAR)


def test_a_sidebar_placed_a_character_or_two_left_of_its_gutter_is_split_the_same() -> None:
    """``pdftotext -layout`` rounds text positions, so a column's lines can start one or two characters apart."""
    drifted = "\n".join(
        line[:62].rstrip().ljust(62 - drift) + line[62:] if len(line) > 62 else line
        for line, drift in zip(RIGHT_SIDEBAR.splitlines(), [0, 0, 1, 1, 0, 1, 0, 2, 1, 0, 0, 0, 0], strict=True)
    )
    assert drifted != RIGHT_SIDEBAR
    assert split_columns(drifted) == split_columns(RIGHT_SIDEBAR)


def test_rows_that_belong_together_are_not_split() -> None:
    grid = "\n".join(f"{a:<24}{b:<24}{c}" for a, b, c in [("Python", "SQL", "Airflow")] * 3 + [("dbt", "Spark", "")])
    dates = "\n".join(
        f"{title:<44}{dates}"
        for title, dates in [
            ("Senior Engineer, Acme Corp", "Mar 2021 - Present"),
            ("Engineer, Globex", "2018 - 2021"),
            ("Junior Engineer, Initech", "Jun 2016 - Feb 2018"),
            ("", "London, UK"),
            ("BSc Computer Science, UCL", "2013 – 2016"),
            ("", "Dean's list"),
        ]
    )
    labels = (EXAMPLE.parent / "hospitality_manager.txt").read_text(encoding="utf-8")  # "2019 to now   THE MIDLAND …"
    assert split_columns(grid) == grid
    assert split_columns(dates) == dates
    assert split_columns(labels) == labels, "row labels stay beside the rows they label"
    short_header = "KWAME ASANTE\nManchester\n\n" + labels.split("\n\n", 1)[1]  # lines left of the gutter, above it
    assert split_columns(short_header) == short_header


def test_generated_resumes_change_only_when_their_layout_is_two_columns() -> None:
    resumes = list(generate_resumes(400, seed=5))
    changed = [x for x in resumes if split_columns(x.text) != x.text]
    assert {x.meta["layout"] for x in changed} == {"two_column"}
    two_column = [x for x in resumes if x.meta["layout"] == "two_column"]
    assert len(changed) >= 0.25 * len(two_column), "side by side is one of the generator's five sidebar modes"
    assert all(_words(split_columns(x.text)) == _words(x.text) for x in changed)


def test_the_parse_prompt_and_ingest_cleaning_both_read_columns_apart() -> None:
    """Training, serving and real-resume ingest must see the same reading order."""
    text = EXAMPLE.read_text(encoding="utf-8")
    assert tasks.parse_resume_input(text) == f"Parse this resume:\n{split_columns(text)}"
    cleaned = clean_text(text).splitlines()
    assert cleaned.index("Food safety (Level 2)") < cleaned.index("EXPERIENCE")
