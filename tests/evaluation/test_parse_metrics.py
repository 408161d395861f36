from __future__ import annotations

import copy
import json

import pytest

from ml.evaluation import metrics as m
from ml.text import SourceText, link_key, normalise_date
from tests.evaluation.cases import RESUME_TEXT, TRUTH, truth_dict


def score(pred: dict | str):
    text = pred if isinstance(pred, str) else json.dumps(pred)
    return m.score_parse(text, TRUTH, RESUME_TEXT)


def test_perfect_prediction_scores_one_and_hallucinates_nothing():
    result = score(TRUTH.to_json())
    assert result.json_valid and result.schema_valid
    assert result.total.f1 == 1.0
    assert result.hallucination_rate == 0.0, result.hallucinated
    assert result.entries["experience"].as_list() == [2, 0, 0]


def test_reordered_lists_case_and_whitespace_do_not_matter():
    pred = truth_dict()
    pred["skills"] = ["node js", "  postgresql ", "KUBERNETES", "redis", "go", "python"]
    pred["experience"] = list(reversed(pred["experience"]))
    pred["experience"][1]["highlights"] = list(reversed(pred["experience"][1]["highlights"]))
    pred["experience"][1]["company"] = "ACME   corp"
    pred["name"] = "  jane   DOE "
    pred["links"] = ["linkedin.com/in/janedoe"]
    pred["languages"] = ["portuguese", "English"]
    pred["phone"] = "415.555.0100"  # digits only; the country code may be missing
    pred["email"] = "Jane.Doe@Example.com"
    result = score(pred)
    assert result.total.f1 == 1.0, {k: v for k, v in result.fields.items() if v.fp or v.fn}
    assert result.hallucination_rate == 0.0, result.hallucinated


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2021-03", "2021-03"),
        ("2021/3", "2021-03"),
        ("2021-03-15", "2021-03"),
        ("03/2021", "2021-03"),
        ("3.2021", "2021-03"),
        ("15/03/2021", "2021-03"),
        ("Mar 2021", "2021-03"),
        ("mar. 2021", "2021-03"),
        ("March, 2021", "2021-03"),
        ("15 March 2021", "2021-03"),
        ("March 15, 2021", "2021-03"),
        ("Mar '21", "2021-03"),
        ("2021 March", "2021-03"),
        ("ene 2021", "2021-01"),  # the resumes' other languages: Spanish, French, German, Portuguese
        ("dic. 2019", "2019-12"),
        ("marzo de 2021", "2021-03"),
        ("févr. 2010", "2010-02"),
        ("août 2012", "2012-08"),
        ("15. März 2018", "2018-03"),
        ("out 2019", "2019-10"),
        ("engineer 2019", None),
        ("2021", "2021"),
        ("Present", "present"),
        ("current", "present"),
        ("Now", "present"),
        ("to date", "present"),
        ("", None),
        (None, None),
        ("sometime", None),
        ("13/2021", None),
    ],
)
def test_every_date_format_normalises(raw, expected):
    assert normalise_date(raw) == expected


def test_dates_in_other_formats_earn_the_field_but_fail_the_schema():
    pred = truth_dict()
    pred["experience"][0]["start_date"] = "March 2021"
    pred["experience"][0]["end_date"] = "Current"
    pred["experience"][1]["end_date"] = "02/2021"
    result = score(pred)
    assert result.json_valid and not result.schema_valid
    assert result.fields["experience.start_date"].as_list() == [2, 0, 0]
    assert result.fields["experience.end_date"].as_list() == [2, 0, 0]


def test_a_year_is_not_a_month():
    pred = truth_dict()
    pred["experience"][0]["start_date"] = "2021"
    assert score(pred).fields["experience.start_date"].as_list() == [1, 1, 1]


def test_an_invented_job_lowers_precision_and_counts_as_hallucination():
    pred = truth_dict()
    pred["experience"].append(
        {
            "company": "Initech",
            "title": "Staff Engineer",
            "start_date": "2016-01",
            "end_date": "2017-12",
            "location": None,
            "highlights": ["Scaled the TPS report service to a million users"],
        }
    )
    result = score(pred)
    total = result.total
    assert total.recall == 1.0 and total.precision < 1.0
    assert result.entries["experience"].as_list() == [2, 1, 0]
    assert result.fields["experience.company"].fp == 1
    hallucinated = " ".join(result.hallucinated)
    assert "Initech" in hallucinated and "Staff Engineer" in hallucinated and "2016-01" in hallucinated
    assert "TPS report" in hallucinated
    assert 0 < result.hallucination_rate < 1


def test_empty_output_is_invalid_json_and_misses_everything():
    result = score("")
    assert not result.json_valid and not result.schema_valid
    assert result.total.tp == 0 and result.total.fp == 0 and result.total.fn > 20
    assert result.total.precision is None and result.total.f1 == 0.0
    assert result.hallucination_rate is None


def test_truncated_json_is_invalid_even_if_the_prefix_is_right():
    text = TRUTH.to_json()[:-40]
    result = score(text)
    assert not result.json_valid
    assert result.total.f1 == 0.0


def test_code_fences_are_not_repaired():
    assert not score("```json\n" + TRUTH.to_json() + "\n```").json_valid


def test_non_object_json_is_valid_json_but_not_schema():
    result = score('["Jane Doe"]')
    assert result.json_valid and not result.schema_valid and result.total.tp == 0


def test_extra_keys_fail_the_schema_only():
    pred = truth_dict() | {"hobbies": ["chess"]}
    result = score(pred)
    assert result.json_valid and not result.schema_valid and result.total.f1 == 1.0


def test_scalar_counting_rules():
    assert m.score_scalar("name", None, None).as_list() == [0, 0, 0]
    assert m.score_scalar("name", None, "Jane").as_list() == [0, 1, 0]
    assert m.score_scalar("name", "Jane", None).as_list() == [0, 0, 1]
    assert m.score_scalar("name", "Jane Doe", "jane doe").as_list() == [1, 0, 0]
    assert m.score_scalar("name", "Jane Doe", "John Smith").as_list() == [0, 1, 1]
    assert m.score_scalar("name", "", "").as_list() == [0, 0, 0]


def test_swapped_company_and_title_are_wrong():
    pred = truth_dict()
    job = pred["experience"][1]
    job["company"], job["title"] = job["title"], job["company"]
    result = score(pred)
    # the swapped entry can no longer be paired by company: its values are FPs and the truth's FNs
    assert result.entries["experience"].as_list() == [1, 1, 1]
    assert result.fields["experience.company"].as_list() == [1, 1, 1]


def test_a_promotion_at_the_same_company_pairs_by_title_and_date():
    truth = copy.deepcopy(truth_dict())
    truth["experience"][1]["company"] = "Acme Corp"
    pred = copy.deepcopy(truth)
    pred["experience"] = list(reversed(pred["experience"]))
    result = m.score_parse(json.dumps(pred), truth, RESUME_TEXT)
    assert result.fields["experience.title"].as_list() == [2, 0, 0]


def scored_with_employers(true_employer: str, predicted_employer: str) -> m.ParseScore:
    """The reference parse scored against itself with its first job's employer written two ways."""
    truth = copy.deepcopy(truth_dict())
    truth["experience"][0]["company"] = true_employer
    pred = copy.deepcopy(truth)
    pred["experience"][0]["company"] = predicted_employer
    return m.score_parse(json.dumps(pred), truth, RESUME_TEXT)


@pytest.mark.parametrize(
    ("true_employer", "predicted_employer", "paired"),
    [
        ("McGill University, Centre for Intelligent Machines", "McGill University", True),  # its leading words
        ("McGill University, Centre for Intelligent Machines", "Intelligent Machines", True),  # 2+ words in a row
        ("McGill University, Centre for Intelligent Machines", "Machines", False),  # one inner word: anyone's
        ("McGill University, Centre for Intelligent Machines", "University", False),  # leading, but names no one
        # the job's whole header line as its employer
        ("KU Leuven, Campus de Bruges", "Stagiaire en systèmes embarqués, KU Leuven, Campus de Bruges (Bruges)", True),
        ("KU Leuven, Campus de Bruges", "Stagiaire en systèmes embarqués, KU Leuven (Bruges)", False),  # not all of it
    ],
)
def test_a_job_with_its_employer_written_wrong_is_still_that_job(
    true_employer: str, predicted_employer: str, paired: bool
) -> None:
    result = scored_with_employers(true_employer, predicted_employer)
    assert result.entries["experience"].as_list() == ([2, 0, 0] if paired else [1, 1, 1])
    assert result.fields["experience.company"].as_list() == [1, 1, 1]  # the employer is wrong either way
    assert result.fields["experience.title"].as_list() == ([2, 0, 0] if paired else [1, 1, 1])


def test_skill_normalisation():
    assert m.score_set(["Node.js", "C++", "C#"], ["nodejs", "c++", "C"]).as_list() == [2, 1, 1]
    assert m.score_set(["Python"], ["Python", "python"]).as_list() == [1, 1, 0]  # a repeated item is an FP


def test_a_skill_written_as_several_is_found_when_each_part_is_listed():
    assert m.score_skills(["HTML | JSX", "Go"], ["HTML", "JSX", "Go"]).as_list() == [2, 0, 0]
    assert m.score_skills(["Node.js (Next.js, Express)"], ["Node.js", "Express", "Next.js"]).as_list() == [1, 0, 0]
    assert m.score_skills(["HTML | JSX"], ["HTML"]).as_list() == [0, 1, 1]  # a part alone is not the skill
    assert m.score_skills(["React", "React Native"], ["React & React Native"]).as_list() == [0, 1, 2]  # no merges
    assert m.score_skills(["C++", "Python"], ["C", "Python", "python"]).as_list() == [1, 2, 1]  # as score_set
    assert m.score_skills(["HTML", "HTML | JSX"], ["HTML", "JSX"]).as_list() == [1, 1, 1]  # a part counts once
    assert m.score_skills(["PL/SQL"], ["PL", "SQL"]).as_list() == [0, 2, 1]  # a slash joins one name
    project = {"name": "Shop", "description": None, "technologies": ["React | Redux"]}
    truth, pred = truth_dict(), truth_dict()
    truth["projects"], pred["projects"] = [project], [project | {"technologies": ["React", "Redux"]}]
    technologies = m.score_parse(json.dumps(pred), truth, RESUME_TEXT).fields["projects.technologies"]
    assert technologies.as_list() == [1, 0, 0]  # technologies are skills too
    truth, pred = truth_dict(), truth_dict()
    truth["skills"], pred["skills"] = ["Go | Redis"], ["Go", "Redis"]
    assert m.score_parse(json.dumps(pred), truth, RESUME_TEXT).fields["skills"].as_list() == [1, 0, 0]


def test_links_phone_degree_and_languages():
    assert m.score_set(["https://www.github.com/jane/"], ["http://github.com/Jane"], link_key).tp == 1
    assert m.same_phone("+44 20 7946 0958", "020 7946 0958") is False  # trunk 0 vs country code: digits differ
    assert m.same_phone("+1 415 555 0100", "(415) 555-0100")
    assert not m.same_phone("555 0100", "555 0199")
    assert m.same_value("degree", "BSc", "Bachelor of Science")
    assert m.same_value("degree", "B.Sc.", "BSc")
    assert not m.same_value("degree", "BSc", "MSc")
    assert m.score_set(["English (native)"], ["English - fluent"], m.language_key).tp == 1


def test_a_qualification_split_the_other_way_reads_the_same():
    """Real truths put one qualification across studyType and area in every split; the reader's view counts."""
    assert m.same_value("degree", "BSc in Software Engineering", "BSc")
    assert m.same_value("field", "Bachelor of Engineering in Computer Science", "Computer Science")
    assert m.same_value("field", "Joint Honours BSc, Mathematics and Physics", "Mathematics and Physics")
    assert m.same_value("field", "Tecnólogo en Análisis de sistemas", "Análisis de sistemas")
    assert m.same_value("field", "Computer Science", "Máster en Computer Science")
    assert not m.same_value("field", "Minor in Bioinformatics", "Software Engineering")
    assert not m.same_value("field", "Master of Science in Computer Science", "MSc")  # the field itself is missing
    assert not m.same_value("field", "Computer Science", "Data Science, Computer Science")  # no degree at its head
    assert not m.same_value("degree", "MSc", "PhD in Computer Science")
    assert m.split_qualification("Backend, Frontend") is None  # "Ba…" is not a degree


def test_highlights_parted_otherwise_are_found():
    """A true paragraph predicted as its sentences is one TP and no FP; true points predicted as one paragraph are
    one TP, the other points FN; unrelated text stays FP and FN."""
    paragraph = "Led the search redesign for agents. Increased adoption from 5% to 60% of agent teams."
    sentences = ["Led the search redesign for agents.", "Increased adoption from 5% to 60% of agent teams."]
    assert m.score_fuzzy_set([paragraph], sentences).as_list() == [1, 0, 0]
    assert m.score_fuzzy_set(sentences, [paragraph]).as_list() == [1, 0, 1]
    assert m.score_fuzzy_set([paragraph], ["Cooked pasta for the team.", "Washed the dishes."]).as_list() == [0, 2, 1]
    kept = ["Wrote the tests.", *sentences]
    assert m.score_fuzzy_set(["Wrote the tests.", paragraph], kept).as_list() == [2, 0, 0]
    apart = [sentences[0], "Cooked pasta.", sentences[1]]  # not consecutive: no run
    assert m.score_fuzzy_set([paragraph], apart).as_list() == [0, 3, 1]
    fragments = [sentences[0], "the", "agents", sentences[1]]  # words of it, but no clauses: no run through them
    assert m.score_fuzzy_set([paragraph], fragments).as_list() == [0, 4, 1]


def test_summary_is_scored_by_token_f1():
    pred = truth_dict()
    pred["summary"] = "Backend engineer who likes fast boring systems and clear runbooks."
    assert score(pred).fields["summary"].tp == 1
    pred["summary"] = "Frontend designer."
    assert score(pred).fields["summary"].as_list() == [0, 1, 1]


def test_hallucination_checks_by_kind():
    source = SourceText(RESUME_TEXT)
    assert source.contains("phone", "+1 415 555 0100")
    assert source.contains("phone", "4155550100")
    assert not source.contains("phone", "415 555 0199")
    assert source.contains("experience.start_date", "2018-06")  # the year is in the text
    assert not source.contains("experience.start_date", "2012-06")
    assert source.contains("experience.end_date", "present")
    assert source.contains("links", "linkedin.com/in/janedoe")
    assert source.contains("skills", "nodejs")
    assert not source.contains("skills", "Rust")
    assert source.contains("summary", "backend engineer who likes fast boring systems and clear on call runbooks")
    assert not source.contains("summary", "Award-winning frontend designer who built design systems for banks")


@pytest.mark.parametrize(
    ("text", "backed"),
    [
        ("Desarrollador, Globant, 2021 - Actualidad", True),
        ("Développeur, Tech In France, 2020 - aujourd'hui", True),
        ("Entwickler, iABG, 2019 bis heute", True),
        ("技术专家, 北京读我科技有限公司, 2019年3月 - 至今", True),
        ("Desarrollador, Globant, Noviembre 2021. Curso de Python, la fecha límite", False),
    ],
)
def test_a_localised_present_is_backed_by_the_source(text: str, backed: bool):
    assert SourceText(text).contains("experience.end_date", "present") is backed


def test_hallucination_checks_follow_real_layouts():
    source = SourceText(
        "Clearwater Design AB (Mar '25 -- Now)\nAudit Manager at Globex (Since 2023)\n"
        "Reservations, Mergers &        Led the audit of 12 entities\nAcquisitions, Budget"
    )
    assert source.contains("experience.start_date", "2025-03")  # a two-digit year
    assert source.contains("experience.end_date", "present")
    assert source.contains("skills", "Mergers & Acquisitions")  # split by a second column
    assert not source.contains("skills", "Mergers & Divestitures")
