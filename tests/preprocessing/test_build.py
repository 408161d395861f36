from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from ml import tasks
from ml.preprocessing.build import build_dataset
from ml.preprocessing.clean import clean_text, content_hash
from ml.preprocessing.config import BuildError, DataConfig, load_data_config
from ml.schema import Experience, ParsedResume


def _config(tmp_path: Path, n: int = 60, **kw) -> DataConfig:
    real = {
        "resumes_dir": str(tmp_path / "resumes"),
        "qa_dir": str(tmp_path / "qa"),
        "teacher_cache": str(tmp_path / "labels.jsonl"),
        "max_qa_examples": 50,
    }
    return DataConfig(
        num_resumes=n,
        seed=3,
        real=real,
        heldout={"layouts": ["markdown", "two_column"], "occupations": ["legal", "nursing"], "fraction": 0.2},
        **kw,
    )


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("build")
    out = tmp / "out"
    build_dataset(out, _config(tmp))
    return out


def test_files_and_contract(built: Path) -> None:
    for name in ("train", "val", "test", "test_heldout"):
        assert (built / f"{name}.jsonl").is_file()
    assert (built / "stats.json").is_file() and "## Files" in (built / "README.md").read_text()
    rows = _rows(built / "train.jsonl")
    by_task = defaultdict(list)
    for row in rows:
        by_task[row["task"]].append(row)
        for key in ("resume_id", "source", "occupation", "layout", "seniority", "locale"):
            assert key in row["meta"]
    parse = by_task["parse_resume"][0]
    truth = ParsedResume.model_validate_json(parse["output"])
    assert parse["input"] == tasks.parse_resume_input(parse["meta"]["text"])
    assert parse["meta"]["resume"] == truth.model_dump(mode="json") and parse["meta"]["source"] == "synthetic"
    q = by_task["interview_question"][0]
    assert q["tone"] in ("hr", "technical") and q["output"].endswith("?")
    assert q["meta"]["grounded_in"] and q["meta"]["entities"]
    f = by_task["follow_up"][0]
    assert f["meta"]["answer_kind"] in ("vague", "concrete")
    assert f["input"] == tasks.follow_up_input(
        ParsedResume.model_validate(
            next(r for r in by_task["parse_resume"] if r["meta"]["resume_id"] == f["meta"]["resume_id"])["meta"][
                "resume"
            ]
        ),
        f["meta"]["question"],
        f["meta"]["answer"],
    )
    if f["meta"]["vague_part"]:
        assert f["meta"]["vague_part"] in f["meta"]["answer"]


def test_split_by_resume_and_heldout(built: Path) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    layouts: dict[str, set[str]] = defaultdict(set)
    occupations: dict[str, set[str]] = defaultdict(set)
    for name in ("train", "val", "test", "test_heldout"):
        for row in _rows(built / f"{name}.jsonl"):
            owners[row["meta"]["resume_id"]].add(name)
            layouts[name].add(row["meta"]["layout"])
            occupations[name].add(row["meta"]["occupation"])
    assert all(len(splits) == 1 for splits in owners.values())
    seen_layouts = layouts["train"] | layouts["val"] | layouts["test"]
    seen_occ = occupations["train"] | occupations["val"] | occupations["test"]
    assert not seen_layouts & {"markdown", "two_column"} and not seen_occ & {"legal", "nursing"}
    heldout = _rows(built / "test_heldout.jsonl")
    assert heldout and all(
        r["meta"]["layout"] in ("markdown", "two_column") or r["meta"]["occupation"] in ("legal", "nursing")
        for r in heldout
    )
    assert len(_rows(built / "val.jsonl")) > 0 and len(_rows(built / "test.jsonl")) > 0


def test_task_mix_and_stats(built: Path) -> None:
    stats = json.loads((built / "stats.json").read_text())
    tasks_count = stats["counts"]["all/task"]
    total = sum(tasks_count.values())
    assert 0.4 < tasks_count["parse_resume"] / total < 0.6
    assert 0.15 < tasks_count["interview_question"] / total < 0.35
    assert "characters / 4" in stats["token_counter"]
    assert {"p50", "p90", "max"} <= set(stats["token_lengths"]["parse_resume"])


def test_deterministic(tmp_path: Path, built: Path) -> None:
    build_dataset(tmp_path / "again", _config(tmp_path.parent / "build0"))
    assert (tmp_path / "again" / "train.jsonl").read_bytes() == (built / "train.jsonl").read_bytes()


def test_real_resumes_and_qa_join(tmp_path: Path) -> None:
    (tmp_path / "resumes").mkdir()
    (tmp_path / "qa").mkdir()
    text = "Ana Lima\nData Engineer at Acme Corp, 2020 – Present\n• Built pipelines in Airflow\nSkills: Python, SQL"
    (tmp_path / "resumes" / "ana.txt").write_text(text, encoding="utf-8")
    (tmp_path / "resumes" / "unlabelled.txt").write_text(
        "Bo Chen\nNurse at Mercy Hospital since 2019, ICU", encoding="utf-8"
    )
    (tmp_path / "resumes" / "broken.pdf").write_bytes(b"%PDF-1.4 nothing")
    label = ParsedResume(name="Ana Lima", skills=["Python", "SQL"])
    (tmp_path / "labels.jsonl").write_text(
        json.dumps({"hash": content_hash(clean_text(text)), "id": "ana.txt", "label": label.model_dump(mode="json")})
        + "\n"
    )
    (tmp_path / "qa" / "qa.jsonl").write_text(
        json.dumps({"question": "Why data?", "answer": "I basically like working on many things."}) + "\n{bad\n"
    )
    result = build_dataset(tmp_path / "out", _config(tmp_path, n=20))
    rows = [r for n in ("train", "val", "test") for r in _rows(tmp_path / "out" / f"{n}.jsonl")]
    teacher_rows = [r for r in rows if r["meta"]["source"] == "teacher"]
    assert teacher_rows and json.loads(teacher_rows[0]["output"])["name"] == "Ana Lima"
    qa_rows = [r for r in rows if r["meta"]["source"] == "real"]
    assert len(qa_rows) == 1 and qa_rows[0]["task"] == "follow_up" and qa_rows[0]["output"].endswith("?")
    real = result.stats["real"]
    assert real["real_resumes_labelled"] == 1 and real["real_resumes_unlabelled"] == 1
    assert any("broken.pdf" in p for p in result.problems) and any(":2:" in p for p in result.problems)


def test_bad_config(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("num_resumes: 10\nbogus: 1\n")
    with pytest.raises(BuildError, match="bogus"):
        load_data_config(path)
    with pytest.raises(BuildError, match="heldout"):
        DataConfig(heldout={"layouts": ["nope"]}).validate()
    assert load_data_config(None, num_resumes=7).num_resumes == 7


def test_a_real_resume_in_another_language_gets_no_achievement_phrased_into_english(tmp_path: Path) -> None:
    (tmp_path / "resumes").mkdir()
    text = (
        "Claire Dubois\nIngénieure logiciel chez Thales, Paris, depuis 2019\n"
        "• Réduction des coûts de 58 % grâce à l'optimisation des processus de livraison\n"
        "• Mise en place d'une plateforme de données pour les équipes de maintenance\n"
        "Compétences : Python, SQL, gestion de projet"
    )
    (tmp_path / "resumes" / "claire.txt").write_text(text, encoding="utf-8")
    highlights = [
        "Réduction des coûts de 58 % grâce à l'optimisation des processus de livraison",
        "Mise en place d'une plateforme de données pour les équipes de maintenance",
    ]
    label = ParsedResume(
        name="Claire Dubois",
        experience=[Experience(company="Thales", title="Ingénieure logiciel", highlights=highlights)],
        skills=["Python", "SQL"],
    )
    (tmp_path / "labels.jsonl").write_text(
        json.dumps({"hash": content_hash(clean_text(text)), "id": "claire.txt", "label": label.model_dump(mode="json")})
        + "\n"
    )
    mix = {"parse_resume": 1.0, "interview_question": 8.0, "follow_up": 0.0}  # achievements are 2 of 5 targets
    build_dataset(tmp_path / "out", _config(tmp_path, n=4, task_mix=mix))
    rows = [r for n in ("train", "val", "test") for r in _rows(tmp_path / "out" / f"{n}.jsonl")]
    claire = [r for r in rows if r["meta"]["source"] == "teacher"]
    assert claire and {r["meta"].get("language") for r in claire} == {"fr"}
    asked = [r["output"].lower() for r in claire if r["task"] != "parse_resume"]
    assert not any(word in question for question in asked for word in ("réduction", "plateforme"))
