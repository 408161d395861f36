"""Real people's resumes as theme PDFs read back, as `griller eval --real` measures them (issue #28)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ml.preprocessing import render
from ml.preprocessing.jsonresume import validation_people
from ml.preprocessing.real_renderings import as_printed, dates_as_shown, names_as_printed, pdf_examples
from ml.schema import Education, Experience, ParsedResume, Project


@pytest.fixture(scope="module")
def two_people():
    if render.find_chromium() is None or render.find_node() is None:
        pytest.skip("node and Chromium: run scripts/setup_render.sh")  # a failure in CI (tests/ci_no_skips.py)
    return validation_people()[:2]


def test_each_person_gets_a_theme_in_turn_and_a_failing_theme_gives_way(two_people, tmp_path: Path) -> None:
    rows = pdf_examples(two_people, tmp_path, themes=("no-such-theme", "even"))
    assert [row["meta"]["layout"] for row in rows] == ["pdf:even", "pdf:even"]  # the broken theme was passed over
    for person, row in zip(two_people, rows, strict=True):
        assert row["meta"]["resume_id"] == person.resume_id and row["task"] == "parse_resume"
        text = row["meta"]["text"]
        assert ParsedResume.model_validate_json(row["output"]) == as_printed(dates_as_shown(person.truth, text), text)
        assert text in row["input"]  # the prompt carries what the PDF ingest read back
        assert person.truth.experience[0].company.split()[0] in text
    assert sorted(p.name for p in (tmp_path / "pdf").iterdir()) == sorted(f"{p.id}-even.pdf" for p in two_people)


def test_a_year_only_date_is_true_as_the_page_prints_it() -> None:
    """macchiato prints a year-only date as "01/2017", even and stackoverflow as "Jan 2017": the page says January,
    and that is what a reader can take from it. A year the page also prints on its own stays a year."""
    truth = ParsedResume(
        experience=[
            Experience(company="Acme", start_date="2017", end_date="2019-03"),
            Experience(company="Initech", start_date="2015", end_date="2017"),
        ],
        education=[Education(institution="MIT", start_date="2011", end_date="2015")],
    )
    macchiato = "Acme 03/2019 - 01/2017\nInitech 01/2017 - 01/2015\nMIT 01/2011 - 01/2015"
    shown = dates_as_shown(truth, macchiato)
    assert [(job.start_date, job.end_date) for job in shown.experience] == [
        ("2017-01", "2019-03"),
        ("2015-01", "2017-01"),
    ]
    assert (shown.education[0].start_date, shown.education[0].end_date) == ("2011-01", "2015-01")
    stackoverflow = "Acme Jan 2017 - Mar 2019\nInitech January 2015 - Jan, 2017\nMIT 2011 - 2015\nAward, 2015"
    shown = dates_as_shown(truth, stackoverflow)
    assert [(job.start_date, job.end_date) for job in shown.experience] == [("2017-01", "2019-03"), ("2015", "2017-01")]
    assert (shown.education[0].start_date, shown.education[0].end_date) == ("2011", "2015")  # printed as years
    assert dates_as_shown(truth, "Acme 11/2017 - 2019").experience[0].start_date == "2017"  # November is no January


def test_a_month_the_page_does_not_print_is_not_in_the_truth() -> None:
    """kendall prints a school's dates as years beside its name; a job's as "June 2022"."""
    truth = ParsedResume(
        experience=[Experience(company="Tesla", start_date="2022-06", end_date="2022-09")],
        education=[Education(institution="McGill University", start_date="2017-09", end_date="present")],
    )
    kendall = "Tesla\nJune 2022 – September 2022\n\nEDUCATION\n2017  McGill University\nPresent  PhD"
    shown = dates_as_shown(truth, kendall)
    assert (shown.experience[0].start_date, shown.experience[0].end_date) == ("2022-06", "2022-09")
    assert (shown.education[0].start_date, shown.education[0].end_date) == ("2017", "present")
    for printed in ("Sep 2017", "09/2017", "septiembre de 2017", "2017-09"):
        assert dates_as_shown(truth, kendall + f"\n{printed}").education[0].start_date == "2017-09", printed
    assert dates_as_shown(truth, "Tesla Jun '22").experience[0].start_date == "2022-06"  # no year printed: left


def test_the_truth_holds_what_the_page_prints_and_no_more() -> None:
    """even prints a job's summary, not its responsibilities; kendall no languages; macchiato no job locations. A
    value the page prints stays, also across a line wrap, in part ("San Francisco" of "San Francisco, California")
    or mangled by the extractor where it is a name ("Lyc´ee")."""
    wrapped = "Built a multi-threaded Python parser to process over 10 million test data points"
    truth = ParsedResume(
        location="San Francisco, California",
        experience=[
            Experience(
                company="Acme",
                title="Engineer",
                location="Valencia, España",
                start_date="2019",
                highlights=["Led the payments team.", wrapped, "Migrated forty services to Kubernetes clusters on AWS"],
            )
        ],
        education=[Education(institution="Lycée Mohammed VI", gpa="3.9")],
        summary="Desarrollé aplicaciones web para clientes de banca y seguros en España",
        projects=[Project(name="Griller", description="A resume parser that runs on any CPU at all")],
        skills=["Python", "Go"],
        languages=["English", "French"],
    )
    page = (
        "San Francisco, United States\nAcme 2019 - Present\nEngineer\n• Led the payments team.\n"
        "• Built a multi-threaded Python parser to process over 10\nmillion test data points\n"
        "Lyc´ee Mohammed VI\nGriller\nSkills: Python, Go\nI love services, clusters, Kubernetes and AWS: migrated forty"
        "\n+33 6 39 12 44 FR\nDesarroll´e aplicaciones web para clientes de\nbanca y seguros en Espa˜na"
    )
    printed = as_printed(truth, page)
    job = printed.experience[0]
    assert job.highlights == ["Led the payments team.", wrapped]  # the third's words are on the page, not the sentence
    assert (job.company, job.title, job.location, job.start_date) == ("Acme", "Engineer", None, "2019")
    assert printed.location == "San Francisco, California"
    assert printed.summary == truth.summary  # its accents split off by the extractor, its line wrapped
    assert printed.education[0].institution == "Lycée Mohammed VI"
    assert printed.education[0].gpa is None  # "3.9" is no phone number's "39"
    assert printed.projects[0].name == "Griller" and printed.projects[0].description is None
    assert printed.skills == ["Python", "Go"] and printed.languages == []
    page += "\nMigrated forty services to Kubernetes clusters on AWS"
    assert len(as_printed(truth, page).experience[0].highlights) == 3


def test_rendered_pdfs_are_reused(two_people, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf_examples(two_people[:1], tmp_path, themes=("even",))

    def no_render(*_args, **_kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr("ml.preprocessing.real_renderings.render_pdf", no_render)
    assert len(pdf_examples(two_people[:1], tmp_path, themes=("even",))) == 1


def test_data_build_mixes_in_real_people_as_text_and_pdf_never_the_validation_people(two_people, tmp_path: Path):
    import json

    from typer.testing import CliRunner

    from ml.cli import app
    from ml.jsonl import iter_jsonl
    from ml.preprocessing.jsonresume import read_split_file

    args = ["data", "build", "--out", str(tmp_path), "--num-resumes", "12", "--seed", "3", "--no-real"]
    result = CliRunner().invoke(app, [*args, "--tokenizer", "none", "--real-renderings", "0.5", "--json"])
    assert result.exit_code == 0, result.output
    added = json.loads(result.stdout.strip().splitlines()[-1])["real_renderings"]
    assert added["real_text_parses"] + added["real_pdf_parses"] == added["synthetic_parses"]  # half of the parses
    assert added["real_pdf_parses"] >= 1 and added["real_text_parses"] >= added["real_pdf_parses"]
    real = [row for _, row in iter_jsonl(tmp_path / "train.jsonl") if row["meta"].get("source") == "jsonresume"]
    assert len(real) == added["real_text_parses"] + added["real_pdf_parses"]
    splits = read_split_file()
    assert all(splits[row["meta"]["resume_id"].removeprefix("jsonresume-")] == "train" for row in real)
    text = [row["meta"]["resume_id"] for row in real if not row["meta"]["layout"].startswith("pdf:")]
    assert len(set(text)) == len(text)  # every person once before anyone twice
    themes = {row["meta"]["layout"] for row in real if row["meta"]["layout"].startswith("pdf:")}
    assert len(themes) == min(added["real_pdf_parses"], len(render.THEMES))  # each person the next theme
    assert (tmp_path / "SOURCES.tsv").is_file() and (tmp_path / "NOTICE.tsv").is_file()


def test_pdf_stage_takes_every_theme_of_the_training_pool_and_replays_the_source(
    two_people, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json
    import shutil

    from typer.testing import CliRunner

    from ml.cli import app
    from ml.jsonl import iter_jsonl, write_jsonl_atomic
    from ml.preprocessing.jsonresume import PROVENANCE_FILES, jsonresume_dir, training_pool

    # A documents folder of one training-pool person and one validation person: only the first may be trained on.
    folder = tmp_path / "docs"
    (folder / "resumes").mkdir(parents=True)
    for person in (training_pool()[0], two_people[0]):
        shutil.copy(jsonresume_dir() / "resumes" / f"{person.id}.json", folder / "resumes")
    for name in PROVENANCE_FILES:
        shutil.copy(jsonresume_dir() / name, folder)
    monkeypatch.setenv("GRILLER_JSONRESUME_DIR", str(folder))
    source = tmp_path / "source"
    source_rows = [
        {"input": f"q{i}", "output": "a", "task": "interview_question", "meta": {"layout": None}} for i in range(20)
    ]
    stale_pdf = {"input": "old read", "output": "{}", "task": "parse_resume", "meta": {"layout": "pdf:even"}}
    write_jsonl_atomic(source / "train.jsonl", source_rows + [stale_pdf] * 5)
    write_jsonl_atomic(source / "val.jsonl", source_rows[:3])

    out = tmp_path / "stage"
    args = ["data", "mix", "--real-pdfs", "--from", str(source), "--out", str(out), "--replay-share", "2", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    assert counts == {"train": 15, "real_pdf_parses": 5, "replayed": 10, "val": 3}
    rows = [row for _, row in iter_jsonl(out / "train.jsonl")]
    pdfs = [row for row in rows if row["task"] == "parse_resume"]
    assert {row["meta"]["resume_id"] for row in pdfs} == {training_pool()[0].resume_id}  # never the validation one
    assert "old read" not in {row["input"] for row in rows}  # the source's PDF rows are not replayed
    assert sorted(row["meta"]["layout"] for row in pdfs) == sorted(f"pdf:{theme}" for theme in render.THEMES)
    assert (out / "SOURCES.tsv").is_file() and (out / "NOTICE.tsv").is_file()


def test_the_names_an_unseen_theme_leaves_out_are_not_in_its_truth() -> None:
    """flat, class and spartan print no projects and class no degree: a reader of the page cannot find them."""
    truth = ParsedResume(
        education=[Education(institution="Tokyo University", degree="MS (Thesis)", field="Informatics")],
        projects=[Project(name="Sign Translator"), Project(name="Robots.txt")],
    )
    page = "Education\nTokyo University 2017 - 2019\nInformatics\nProjects\nRobots.txt\n"
    read = names_as_printed(truth, page)
    assert [(s.institution, s.degree, s.field) for s in read.education] == [("Tokyo University", None, "Informatics")]
    assert [p.name for p in read.projects] == ["Robots.txt"]


def test_an_unseen_theme_s_pdf_has_the_page_s_names_as_its_truth(two_people, tmp_path: Path) -> None:
    assert set(render.UNSEEN_THEMES) <= set(render.installed_themes(render.UNSEEN_THEMES)), "scripts/setup_render.sh"
    rows = pdf_examples(two_people, tmp_path, themes=("flat",))
    for person, row in zip(two_people, rows, strict=True):
        text = row["meta"]["text"]
        shown = as_printed(dates_as_shown(person.truth, text), text)
        assert ParsedResume.model_validate_json(row["output"]) == names_as_printed(shown, text)
        assert row["meta"]["layout"] == "pdf:flat"
