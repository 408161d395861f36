"""A job's place read where the resume's other jobs have theirs (ml/inference/job_places.py)."""

from __future__ import annotations

from ml.inference.job_places import places_by_template

KENDALL = (
    "WORK EXPERIENCE\n\n"
    "Autodesk  Remote\nhttps://www.autodesk.com/\nJune 2026 – September 2026\n\nPhD Intern\nWorked on CAD.\n\n"
    "SchedGo  Remote\nJanuary 2023 – August 2023\n\nData Engineer\nBuilt data infrastructure.\n\n"
    "Tesla  Fremont, California, USA\nJune 2022 – September 2022\n\nData Scientist Intern\nCompressed.\n\n"
    "Buhler Group  Wuxi, Jiangsu, China\nJuly 2021 – September 2021\n\nAnalyst Intern\nAutomated reports.\n\n"
    "Bosch\nAugust 2020 – November 2020\n\nData Analyst Intern\nBuilt dashboards.\n"
)


def job(company: str, title: str, start: str, end: str, location: str | None) -> dict:
    return {"company": company, "title": title, "start_date": start, "end_date": end, "location": location}


def test_a_place_left_out_cut_short_or_respelled_is_read_where_the_other_jobs_have_theirs() -> None:
    """v10 on jsonresume-067 as a kendall PDF: "Fremont, CA" for "Fremont, California, USA", "Jiangsu, China" for
    "Wuxi, Jiangsu, China"; two jobs with their place whole beside the employer show the cell. Bosch's header has
    no place: it keeps none."""
    jobs = [
        job("Autodesk", "PhD Intern", "2026-06", "2026-09", "Remote"),
        job("SchedGo", "Data Engineer", "2023-01", "2023-08", "Remote"),
        job("Tesla", "Data Scientist Intern", "2022-06", "2022-09", "Fremont, CA"),
        job("Buhler Group", "Analyst Intern", "2021-07", "2021-09", "Jiangsu, China"),
        job("Bosch", "Data Analyst Intern", "2020-08", "2020-11", None),
    ]
    dropped: list[str] = []
    read = places_by_template(jobs, KENDALL.split("\n"), dropped)
    assert [entry["location"] for entry in read] == [
        "Remote",
        "Remote",
        "Fremont, California, USA",
        "Wuxi, Jiangsu, China",
        None,
    ]
    assert "experience.location: Jiangsu, China (the place its header writes: Wuxi, Jiangsu, China)" in dropped
    left_out = [{**entry, "location": None} if entry["company"] == "Tesla" else entry for entry in jobs]
    assert places_by_template(left_out, KENDALL.split("\n"), [])[2]["location"] == "Fremont, California, USA"
    assert places_by_template(jobs[2:], KENDALL.split("\n"), []) == jobs[2:]  # no two places whole: no cell shown


def test_a_place_beside_its_dates_is_read_and_one_beside_the_employer_is_not() -> None:
    """The headline layout writes "place · dates" under "title — employer" (jsonresume-108); the chronicle layout
    writes "Employer, place" as one cell: no place is a whole cell there, so none is read (it would take the
    employer with it)."""
    headline = (
        "EXPERIENCE\nConsultant DDD — MAIF\nNiort - Télétravail · nov. 2024 – En cours\n- Data Mesh.\n\n"
        "Coach craft — Wakam\nParis · oct. 2024 – mai 2025\n- Event Sourcing.\n\n"
        "Coach Agile — Daxium\nNantes · avr. 2023 – sept. 2023\n- Refonte.\n\n"
        "Coach craft — Kiplin\nNantes - Télétravail · avr. 2021 – mai 2022\n- Katas.\n"
    )
    jobs = [
        job("MAIF", "Consultant DDD", "2024-11", "present", None),
        job("Wakam", "Coach craft", "2024-10", "2025-05", "Paris"),
        job("Daxium", "Coach Agile", "2023-04", "2023-09", "Nantes"),
        job("Kiplin", "Coach craft", "2021-04", "2022-05", "Télétravail"),
    ]
    read = places_by_template(jobs, headline.split("\n"), [])
    assert [entry["location"] for entry in read] == ["Niort - Télétravail", "Paris", "Nantes", "Nantes - Télétravail"]
    chronicle = (
        "EXPERIENCIA\nene 2021 - Presente\nColba Technologies S.L., Valencia, España\nProgramador Senior\n\n"
        "mar 2019 - dic 2020\nBeLike Software, Valencia, España\nProgramador\n"
    )
    spanish = [
        job("Colba Technologies S.L.", "Programador Senior", "2021-01", "present", "Valencia, España"),
        job("BeLike Software", "Programador", "2019-03", "2020-12", "Valencia"),
    ]
    assert places_by_template(spanish, chronicle.split("\n"), []) == spanish


def test_a_sidebars_cell_beside_an_employer_is_no_place() -> None:
    """A two-column page (the generator's two_column layout): the sidebar's "Maze – Expert" stands where the other
    jobs' places do, beside an employer that has none; the sidebar is read apart first."""
    sidebar = [f"{skill} – Expert" for skill in ("Figma", "Miro", "Sketch", "Framer", "Maze", "InDesign", "Dovetail")]
    main = [
        "EXPERIENCE",
        "Frog Design                Chennai, Tamil Nadu",
        "Senior UX Designer | September 2023 – present",
        "- Led the design system.",
        "Pixel & Grain Studio       Chennai",
        "Interaction Designer | September 2021 – November 2022",
        "- Drew the icons.",
        "Silverline Creative",
        "UX/UI Designer | November 2020 – September 2021",
        "- Kept the Figma library.",
    ]
    right = ["SKILLS", *sidebar, "Sketch – Basic", "Miro – Expert", "LANGUAGES", "English – Native", "Tamil – Native"]
    lines = [f"{left:<60}{side}".rstrip() for left, side in zip([*main, "", "", ""], right, strict=True)]
    jobs = [
        job("Frog Design", "Senior UX Designer", "2023-09", "present", "Chennai, Tamil Nadu"),
        job("Pixel & Grain Studio", "Interaction Designer", "2021-09", "2022-11", "Chennai"),
        job("Silverline Creative", "UX/UI Designer", "2020-11", "2021-09", None),
    ]
    assert places_by_template(jobs, lines, []) == jobs


def test_a_line_of_its_own_is_a_place_only_where_it_shares_a_word_with_another_jobs() -> None:
    """A review's case: where places stand on a line of their own below the dates, a job without one has its
    skills or a second title there ("Python, SQL, Tableau"): no place. "Berlin - Remote" shares a word: one."""
    text = (
        "EXPERIENCE\nAcme\nEngineer\nJan 2020 – Dec 2021\nBerlin, Germany\n- Built APIs.\n\n"
        "Beta\nEngineer\nJan 2018 – Dec 2019\nMunich, Germany\n- Ran pipelines.\n\n"
        "Gamma\nAnalyst\nJan 2016 – Dec 2017\nPython, SQL, Tableau\n- Wrote reports.\n"
    )
    jobs = [
        job("Acme", "Engineer", "2020-01", "2021-12", "Berlin, Germany"),
        job("Beta", "Engineer", "2018-01", "2019-12", "Munich, Germany"),
        job("Gamma", "Analyst", "2016-01", "2017-12", None),
    ]
    assert places_by_template(jobs, text.split("\n"), [])[2]["location"] is None
    remote = text.replace("Python, SQL, Tableau", "Berlin - Remote")
    assert places_by_template(jobs, remote.split("\n"), [])[2]["location"] == "Berlin - Remote"
