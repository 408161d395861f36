"""Parse examples cut into the parts the segmented parse reads, each with its share of the truth (issue #29.1,
ml/preprocessing/parts)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ml.cli import app
from ml.preprocessing import jsonresume as jr
from ml.preprocessing.build import parse_example
from ml.preprocessing.parts import Projection, part_examples, parts_mix, project
from ml.preprocessing.segment import merge_parses, split_resume
from ml.schema import Education, Experience, ParsedResume
from ml.tasks import parse_resume_input
from ml.text import SourceText
from tests.preprocessing.test_segment import DATES, HEAD, long_resume


def long_truth(jobs: int = 9) -> ParsedResume:
    """The truth of :func:`long_resume`: its jobs in order, its school, its skills."""
    return ParsedResume(
        name="Ana Lima",
        email="ana@example.com",
        phone="+55 11 5555 0100",
        location="São Paulo",
        links=["https://ana.example.dev"],
        summary="Engineer who ships.",
        experience=[
            Experience(
                company=f"Company {i}",
                title=f"Engineer {i}",
                location="Town",
                highlights=[f"Built system {i} that cut costs by 10%.", f"Led {i} people through a migration."],
            )
            for i in range(jobs)
        ],
        education=[Education(institution="University of Somewhere", degree="BSc", field="Computer Science")],
        skills=["Python", "SQL"],
    )


def test_each_part_gets_the_entries_written_in_it_and_the_parts_merge_back_into_the_truth() -> None:
    text, _ = long_resume(8)
    truth = long_truth(8)
    projected = project(truth, text)
    assert [part for part, _ in projected] == split_resume(text)  # the very texts the segmented parse reads
    assert merge_parses([share for _, share in projected]) == truth
    for part, share in projected:
        source = SourceText(part)
        for job in share.experience:
            assert source.contains("experience.company", job.company) and all(h in part for h in job.highlights)
    shares = [share for _, share in projected]
    assert [len(s.experience) for s in shares] == [3, 3, 2] and shares[-1].education and not shares[0].education
    assert shares[0].summary == truth.summary and all(s.summary is None for s in shares[1:])  # shown in part 1 only
    assert all(s.name == "Ana Lima" and s.email == "ana@example.com" for s in shares)  # the head atop every part


def test_a_skill_named_in_a_bullet_belongs_to_the_part_with_the_skills_section() -> None:
    text, _ = long_resume(8)
    text = text.replace("Built system 0 that", "Built system 0 in Python that")
    truth = long_truth(8)
    truth.experience[0].highlights[0] = "Built system 0 in Python that cut costs by 10%."
    shares = [share for _, share in project(truth, text)]
    assert shares[0].skills == [] and shares[-1].skills == ["Python", "SQL"]


def test_a_short_resume_is_read_whole_and_gives_no_parts() -> None:
    text, _ = long_resume(3)
    assert project(long_truth(3), text) == []


def test_an_entry_the_resume_does_not_name_leaves_the_example_out() -> None:
    text, _ = long_resume(8)
    truth = long_truth(8)
    truth.experience[4] = Experience(company="Nowhere Ltd", title="Ghost")
    assert project(truth, text) is None


def test_a_header_cut_from_its_entry_leaves_the_example_out() -> None:
    """A title line too long to read as a header stays in the part before the dates it heads: that entry's title is
    not in its part, so no part can be taught it."""
    lines = [*HEAD, "", "EXPERIENCE"]
    jobs = []
    for i in range(6):
        title = f"Engineer {i}" + (
            " of platform reliability, observability, tooling and the build" * 2 if i == 3 else ""
        )
        point = f"Shipped the {('alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot')[i]} release."
        lines += [f"{title} — Company {i}", DATES[i], f"- {point}", ""]
        jobs.append(Experience(company=f"Company {i}", title=title, highlights=[point]))
    text = "\n".join(lines)
    assert len(split_resume(text)) == 2
    assert project(ParsedResume(name="Ana Lima", experience=jobs), text) is None


def test_two_roles_with_one_title_are_anchored_each_at_its_own_employer() -> None:
    text, _ = long_resume(8)
    text = text.replace("Engineer 5", "Engineer 1")  # job 5 has job 1's title: it must not be placed at job 1
    truth = long_truth(8)
    truth.experience[5].title = "Engineer 1"
    shares = [share for _, share in project(truth, text)]
    assert [job.company for job in shares[1].experience] == ["Company 3", "Company 4", "Company 5"]


def example_row(jobs: int, source: str = "jsonresume") -> dict:
    text, _ = long_resume(jobs)
    return parse_example(text, long_truth(jobs), {"resume_id": f"r{jobs}", "source": source, "layout": "text:x"})


def test_a_part_example_is_the_prompt_the_parse_sends_and_its_share_as_the_answer() -> None:
    examples = part_examples(example_row(8))
    text, _ = long_resume(8)
    assert [e["input"] for e in examples] == [parse_resume_input(part) for part in split_resume(text)]
    assert [e["meta"]["part"] for e in examples] == ["1/3", "2/3", "3/3"]
    assert all(e["meta"]["resume_id"] == "r8" and e["task"] == "parse_resume" for e in examples)
    assert ParsedResume.model_validate_json(examples[1]["output"]).experience[0].company == "Company 3"
    assert part_examples(example_row(3)) == []


def write_rows(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))


def test_the_parts_stage_holds_every_part_and_a_share_of_the_other_rows_replayed(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    question = {"input": "Ask", "output": "Why?", "task": "interview_question", "meta": {"resume_id": "q"}}
    rows = [example_row(8), example_row(6, "synthetic"), example_row(3), *[question] * 10]
    write_rows(source / "train.jsonl", rows)
    write_rows(source / "val.jsonl", [example_row(7), question])
    counts = parts_mix(source, tmp_path / "out", replay_share=1.0, seed=1, of_source="jsonresume")
    train = [json.loads(line) for line in (tmp_path / "out" / "train.jsonl").read_text().splitlines()]
    assert counts["part_examples"] == 3 and counts["cut_resumes"] == 1 and counts["replayed"] == 3
    assert sum("part" in row["meta"] for row in train) == 3 and len(train) == counts["train"] == 6
    val = [json.loads(line) for line in (tmp_path / "out" / "val.jsonl").read_text().splitlines()]
    assert [row["meta"].get("part") for row in val] == ["1/3", "2/3", "3/3", None]
    for name in jr.PROVENANCE_FILES:
        assert (tmp_path / "out" / name).exists()


def test_every_cut_training_pool_rendering_projects_back_into_its_truth() -> None:
    """On the real training pool in every text layout: each rendering the parse cuts is projected exactly (its parts
    merge back into its truth, every list and contact value of a part written in it) or left out; most are kept."""
    kept = left_out = 0
    for person in jr.training_pool():
        for layout in jr.LAYOUTS:
            projected = project(person.truth, jr.render(person, layout))
            if projected is None:
                left_out += 1
                continue
            kept += bool(projected)
            for text, share in projected:
                source = SourceText(text)
                for field in ("links", "skills", "certifications", "languages"):
                    assert all(source.contains(field, v) for v in getattr(share, field)), (person.id, layout, field)
                for field in ("name", "email", "phone", "location", "summary"):
                    assert getattr(share, field) is None or source.contains(field, getattr(share, field))
            if projected:
                assert merge_parses([share for _, share in projected]) == person.truth, (person.id, layout)
    assert kept > 3 * left_out > 0


def with_lines(text: str, after: str, *lines: str) -> str:
    return text.replace(after, "\n".join((after, *lines)), 1)


def test_list_items_are_matched_as_whole_words_and_placed_where_their_own_section_writes_them() -> None:
    text, _ = long_resume(8)
    text = with_lines(text, "- Built system 0 that cut costs by 10%.", "- Wrote CSS for the Google Go team.")
    text = text.replace("Python, SQL", "Python, SQL, C, Go")
    truth = long_truth(8)
    truth.experience[0].highlights.append("Wrote CSS for the Google Go team.")
    truth.skills += ["C", "Go"]
    shares = [share for _, share in project(truth, text)]
    assert shares[0].skills == [] and shares[-1].skills == ["Python", "SQL", "C", "Go"]
    assert Projection("Wrote CSS\nC and Go\nGoogle, Golang").lines_writing("C") == [1]
    assert Projection("Wrote CSS\nC and Go\nGoogle, Golang").lines_writing("Go") == [1]


def test_an_item_written_in_two_parts_and_in_no_section_of_its_own_leaves_the_example_out() -> None:
    text, _ = long_resume(8)
    text = text.replace("SKILLS\nPython, SQL", "").replace("Built system 0 that", "Built system 0 in Kotlin that")
    text = text.replace("Built system 7 that", "Built system 7 in Kotlin that")
    truth = long_truth(8)
    for job in (0, 7):
        truth.experience[job].highlights[0] = f"Built system {job} in Kotlin that cut costs by 10%."
    truth.skills = ["Kotlin"]
    assert project(truth, text) is None


def test_a_value_the_resume_does_not_write_or_writes_later_is_not_taught_to_the_first_part() -> None:
    text, _ = long_resume(8)
    text = text.replace("SKILLS", "LINKS\nhttps://github.com/ana\n\nSKILLS")
    truth = long_truth(8)
    truth.links.append("https://github.com/ana")
    truth.certifications = ["AWS Solutions Architect"]  # written nowhere
    shares = [share for _, share in project(truth, text)]
    assert shares[0].links == ["https://ana.example.dev"] and "https://github.com/ana" in shares[-1].links
    assert all(share.certifications == [] for share in shares)


def test_a_summary_goes_only_to_the_part_that_writes_it_not_to_one_with_its_words_scattered() -> None:
    text, _ = long_resume(8)
    summary = "Engineer who ships reliable payment systems for banks."
    point = "Built reliable payment systems for banks: system 7, as an engineer who ships."
    text = text.replace("Engineer who ships.", summary).replace("Built system 7 that cut costs by 10%.", point)
    truth = long_truth(8)
    truth.summary = summary
    truth.experience[7].highlights[0] = point
    shares = [share for _, share in project(truth, text)]
    assert SourceText(split_resume(text)[-1]).contains("summary", summary)  # the loose check would place it there
    assert shares[0].summary == summary and all(share.summary is None for share in shares[1:])


def test_a_part_example_reads_the_text_the_parse_reads_the_prompts_own() -> None:
    row = example_row(8)
    row["meta"]["text"] = "stale"  # a stored copy of the text may differ; the parse reads the prompt's
    assert len(part_examples(row)) == 3


def test_cli_parts_stage_and_its_wrong_combinations_are_one_clear_line(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    write_rows(source / "train.jsonl", [example_row(8), example_row(3)])
    write_rows(source / "val.jsonl", [example_row(3)])
    out = tmp_path / "out"
    args = ["data", "mix", "--parts", "--from", str(source), "--out", str(out), "--replay-share", "1", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    assert counts["part_examples"] == 3 and counts["replayed"] == 1 and "3 parts of 1 resumes" in result.output
    for wrong in (["--parts", "--real-pdfs"], ["--parts-of", "jsonresume"]):
        bad = CliRunner().invoke(app, ["data", "mix", *wrong, "--from", str(source), "--out", str(tmp_path / "x")])
        assert (bad.exit_code == 2 and "goes with --parts" in bad.output) or "stage of its own" in bad.output
