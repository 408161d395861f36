"""Real labelled data from the shared JSON Resume folder: truth, renderings, the committed split, the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ml.cli import app
from ml.evaluation.metrics import iter_values, truth_resume
from ml.paths import JSONRESUME_SPLIT_FILE
from ml.preprocessing import jsonresume as jr
from ml.schema import PRESENT_WORDS, normalize_date, skills_are_named
from ml.tasks import parse_resume_input
from ml.text import SourceText


@pytest.fixture(scope="module")
def people() -> list[jr.RealResume]:
    return jr.load_documents()


@pytest.fixture(scope="module")
def examples(people: list[jr.RealResume]) -> list[dict]:
    return [jr.example(person, layout) for person in people for layout in jr.LAYOUTS]


def by_id(people: list[jr.RealResume], doc_id: str) -> jr.RealResume:
    return next(p for p in people if p.id == doc_id)


# --- truth ----------------------------------------------------------------------------------------


def test_all_documents_convert_with_their_variety_normalised(people: list[jr.RealResume]) -> None:
    assert len(people) == 119
    assert all(p.truth.name and p.truth.experience for p in people)
    feb24 = by_id(people, "044").truth  # phones list, locations list, summary as a list
    assert feb24.phone == "+31 (0) 606-79 2838" and feb24.location == "Amsterdam, The Netherlands"
    assert by_id(people, "088").truth.phone == "4985130506419"  # stored as a number
    french = by_id(people, "110").truth  # "01/02/24" is day-first: the document also writes "31/01/24"
    assert french.experience[0].start_date == "2024-02" and french.education[0].start_date == "2022-10"
    kinsol = by_id(people, "033").truth.experience[0]  # a range list is not one date: unknown, not invented
    assert kinsol.start_date is None and kinsol.end_date == "present"
    assert by_id(people, "008").truth.experience[0].end_date is None  # endDate "1-"
    assert by_id(people, "063").truth.skills[:3] == ["TypeScript", "JavaScript", "C"]  # {category, names}
    assert "Git Essential Training: The Basics" in by_id(people, "063").truth.certifications
    html = re.compile(r"<[a-z/][^>]*>")  # "<20KB JS bundle" is text, "<a href=...>" markup
    assert not [h for p in people for j in p.truth.experience for h in j.highlights if html.search(h)]


# --- renderings -----------------------------------------------------------------------------------

_B, _E = r"(?<![^\W_])", r"(?![^\W_])"  # word edges where "_" (markdown emphasis) is not a letter
_DATE_SPAN = re.compile(
    rf"{_B}(?:[^\W\d_]{{3,12}}\.?(?: de)? \d{{4}}|\d{{1,2}}[/.]\d{{4}}|\d{{4}}-\d{{2}}|\d{{4}}){_E}"
)


def dates_shown(text: str, language: str) -> set[str]:
    # a word before a year that is no month ("2020 bis 2021") leaves the year
    found = {normalize_date(span) or normalize_date(span[-4:]) for span in _DATE_SPAN.findall(text)}
    words = PRESENT_WORDS.get(language, PRESENT_WORDS["en"])
    if any(re.search(rf"{_B}{re.escape(w)}{_E}", text) for w in words):
        found.add("present")
    return found - {None}


def test_every_truth_value_is_in_the_rendered_text(people: list[jr.RealResume], examples: list[dict]) -> None:
    """A truth value the text does not show would make the metric punish a correct parse."""
    truths = {p.resume_id: p for p in people}
    problems = []
    for ex in examples:
        person = truths[ex["meta"]["resume_id"]]
        text = ex["input"].removeprefix("Parse this resume:\n")  # as the model reads it (columns split)
        source = SourceText(text)
        shown = dates_shown(text, person.language)
        for field, value in iter_values(truth_resume(ex["output"])):
            leaf = field.rsplit(".", 1)[-1]
            if leaf in ("start_date", "end_date"):
                ok = value in shown
            else:
                ok = value in text and source.contains(field, value)
            if not ok:
                problems.append(f"{person.id} {ex['meta']['layout']}: {field} = {value!r}")
    assert not problems, (len(problems), problems[:30])


def test_examples_follow_the_processed_contract(people: list[jr.RealResume]) -> None:
    person = by_id(people, "110")
    ex = jr.example(person, "text:chronicle")
    assert ex["input"] == parse_resume_input(jr.render(person, "text:chronicle"))
    assert ex["task"] == "parse_resume" and json.loads(ex["output"]) == person.truth.model_dump(mode="json")
    assert ex["meta"] | {"resume": None, "text": None} == {
        **{k: None for k in ("occupation", "seniority", "locale", "resume", "text")},
        "resume_id": "jsonresume-110",
        "source": "jsonresume",
        "layout": "text:chronicle",
        "language": "fr",
    }
    assert "EXPÉRIENCES PROFESSIONNELLES" in ex["input"] or "EXPÉRIENCE" in ex["input"] or "PARCOURS" in ex["input"]


def test_layouts_differ_and_headings_follow_the_language(people: list[jr.RealResume]) -> None:
    spanish = next(p for p in people if p.language == "es")
    texts = {layout: jr.render(spanish, layout) for layout in jr.LAYOUTS}
    assert len(set(texts.values())) == len(jr.LAYOUTS)
    assert all(re.search(r"Experiencia|Trayectoria", t, re.IGNORECASE) for t in texts.values())
    assert all("Experience" not in t for t in texts.values())
    grouped = by_id(people, "063")
    assert "Programming Languages: TypeScript, JavaScript, C" in jr.render(grouped, "text:headline")
    assert "Programming Languages" not in grouped.truth.skills
    named = by_id(people, "031")  # "HTML: Desarrollo Web, Frontend", "CSS: Desarrollo Web, Frontend, ..."
    assert named.truth.skills[:4] == ["HTML", "Desarrollo Web", "Frontend", "CSS"]
    assert "CSS: Desarrollo Web, Frontend, Diseño Responsive" in jr.render(named, "text:headline")  # as written


def test_a_quarter_of_real_documents_name_a_skill_per_group(people: list[jr.RealResume]) -> None:
    """The measured split behind ``TAGGED_SHARE``: 30 of the 119 documents write "HTML: Web, Frontend"; documents
    whose labelled lists share an item ("111": C# under ".NET Technologies" and "Programming Languages") do not."""
    named = {p.id for p in people if skills_are_named(p.document.get("skills"))}
    assert len(named) == 30 and {"031", "065", "110", "117"} <= named
    assert not named & {"063", "088", "111", "028"}


# --- the split ------------------------------------------------------------------------------------


def test_the_committed_split_is_the_rule_and_covers_everyone(people: list[jr.RealResume]) -> None:
    committed = jr.read_split_file(JSONRESUME_SPLIT_FILE)
    rule = jr.assign_splits({p.id: p.language for p in people})
    assert committed == rule, "ml/data/jsonresume_split.tsv disagrees with assign_splits()"
    assert set(committed) == {p.id for p in people}
    val = [p for p in people if committed[p.id] == "val"]
    assert len(val) == jr.VAL_SIZE and len({p.language for p in val}) >= 4


def test_the_training_pool_never_holds_a_val_person(people: list[jr.RealResume], tmp_path: Path) -> None:
    pool = {p.id for p in jr.training_pool()}
    val = {p.id for p in jr.validation_people()}
    assert pool and val and not pool & val and pool | val == {p.id for p in people}
    partial = tmp_path / "split.tsv"
    partial.write_text("\n".join(JSONRESUME_SPLIT_FILE.read_text().splitlines()[:-1]) + "\n")
    with pytest.raises(jr.JsonResumeError, match="not in"):
        jr.training_pool(split_file=partial)  # a person the file does not place is no one's


def test_the_pools_theme_pdfs_are_found_once_each_and_never_a_val_persons(tmp_path: Path) -> None:
    pool, val = jr.training_pool(), jr.validation_people()
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        folder.mkdir()
        for name in (f"{pool[0].id}-even.pdf", f"{val[0].id}-even.pdf", "notes.pdf"):
            (folder / name).write_bytes(b"%PDF-1.4")
    (second / f"{pool[1].id}-kendall.pdf").write_bytes(b"%PDF-1.4")
    found = jr.pool_theme_pdfs(pool, [first, second])
    assert [(person.id, theme, path.parent.name) for person, theme, path in found] == [
        (pool[0].id, "even", "a"),
        (pool[1].id, "kendall", "b"),
    ]


def test_the_split_rule_is_stable_and_stratified() -> None:
    languages = {f"{i:03d}": ("en" if i % 3 else "es") for i in range(1, 61)}
    first = jr.assign_splits(languages, val_size=12)
    assert first == jr.assign_splits(dict(reversed(languages.items())), val_size=12)
    assert sum(s == "val" for s in first.values()) == 12
    assert sum(first[k] == "val" and lang == "es" for k, lang in languages.items()) == 4


# --- the command ----------------------------------------------------------------------------------


def test_griller_data_real_writes_both_splits_with_provenance(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["data", "real", "--out", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["files"]["real_val.jsonl"]["people"] == jr.VAL_SIZE
    val = [json.loads(line) for line in (tmp_path / "real_val.jsonl").read_text().splitlines()]
    train = [json.loads(line) for line in (tmp_path / "real_train.jsonl").read_text().splitlines()]
    assert len(val) == jr.VAL_SIZE and len(train) == (119 - jr.VAL_SIZE) * len(jr.LAYOUTS)
    assert not {e["meta"]["resume_id"] for e in val} & {e["meta"]["resume_id"] for e in train}
    assert {e["meta"]["layout"] for e in val} == set(jr.LAYOUTS)
    for name in jr.PROVENANCE_FILES:
        assert (tmp_path / name).read_text() == (jr.jsonresume_dir() / name).read_text()


def test_a_missing_folder_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRILLER_JSONRESUME_DIR", str(tmp_path / "nowhere"))
    result = CliRunner().invoke(app, ["data", "real", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "GRILLER_JSONRESUME_DIR" in result.output
