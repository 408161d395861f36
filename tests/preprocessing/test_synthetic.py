from __future__ import annotations

import re
from collections import Counter

import pytest

from ml.preprocessing.synthetic import content as C
from ml.preprocessing.synthetic.generate import SyntheticResume, generate_resume, generate_resumes
from ml.preprocessing.synthetic.render import DATE_STYLES, LAYOUTS, PRESENT_WORDS, SECTION_TITLES
from ml.schema import DATE_PATTERN


@pytest.fixture(scope="module")
def sample() -> list[SyntheticResume]:
    return list(generate_resumes(260, seed=11))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def test_deterministic_from_seed() -> None:
    a, b = generate_resume(5, 42), generate_resume(5, 42)
    assert a.text == b.text and a.truth == b.truth and a.meta == b.meta
    assert generate_resume(6, 42).text != a.text


def test_truth_values_occur_in_text(sample: list[SyntheticResume]) -> None:
    missing = []
    for item in sample[:200]:
        text, t = _norm(item.text), item.truth
        values = [t.name, t.email, t.phone, t.location, *t.links, *t.skills, *t.languages, *t.certifications]
        values += [x for job in t.experience for x in (job.company, job.title, job.location)]
        values += [x for edu in t.education for x in (edu.institution, edu.degree, edu.field, edu.gpa)]
        values += [x for p in t.projects for x in (p.name, *p.technologies)]
        missing += [(item.meta["resume_id"], v) for v in values if v and _norm(v) not in text]
    assert not missing, missing[:10]


def test_truth_is_clean(sample: list[SyntheticResume]) -> None:
    headings = {h.lower() for titles in SECTION_TITLES.values() for h in titles}
    labels = {label.lower() for occ in C.OCCUPATIONS.values() for label in occ.skill_groups} | {
        x.lower() for x in C.SOFT_SKILL_GROUP_LABELS
    }
    date = re.compile(DATE_PATTERN)
    for item in sample:
        t = item.truth
        assert len({s.lower() for s in t.skills}) == len(t.skills), "skills are de-duplicated"
        assert not labels & {s.lower() for s in t.skills}, "a skill-group label is not a skill"
        for job in t.experience:
            assert job.title and job.title.lower() not in headings, "a heading is not a job title"
            for d in (job.start_date, job.end_date):
                assert d is None or date.match(d)
        for edu in t.education:
            assert edu.institution not in {j.company for j in t.experience} or item.meta["occupation"] in (
                "research",
                "teaching",
            )
        assert list(t.model_dump()) == [
            "name",
            "email",
            "phone",
            "location",
            "links",
            "summary",
            "experience",
            "education",
            "projects",
            "skills",
            "certifications",
            "languages",
        ]


def test_year_only_dates_have_year_only_truth(sample: list[SyntheticResume]) -> None:
    checked = 0
    for item in sample:
        if item.meta["date_style"] == "YYYY":
            for job in item.truth.experience:
                assert job.start_date is None or len(job.start_date) == 4
                assert job.end_date in (None, "present") or len(job.end_date) == 4
                checked += 1
    assert checked > 10


def test_coverage_of_layouts_occupations_dates(sample: list[SyntheticResume]) -> None:
    assert len(LAYOUTS) >= 10 and len(C.OCCUPATIONS) >= 15
    wide = list(generate_resumes(600, seed=3))
    assert set(Counter(x.meta["layout"] for x in wide)) == set(LAYOUTS)
    assert set(Counter(x.meta["occupation"] for x in wide)) == set(C.OCCUPATIONS)
    assert set(Counter(x.meta["seniority"] for x in wide)) == set(C.SENIORITIES)
    assert len(Counter(x.meta["locale"] for x in wide)) >= 10
    assert set(Counter(x.meta["date_style"] for x in wide)) == set(DATE_STYLES)
    texts = "\n".join(x.text for x in wide)
    for word in {w for w in PRESENT_WORDS if w != "to date"}:
        assert re.search(rf"[–—\-o] ?{re.escape(word)}\b", texts), word
    for pattern in [
        r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec) 20\d\d\b",
        r"\b(January|March|October) 20\d\d",
        r"\b\d\d/20\d\d\b",
        r"\b20\d\d-\d\d\b",
        r"\b20\d\d to 20\d\d\b",
        r"20\d\d – (20\d\d|Present)",
    ]:
        assert re.search(pattern, texts), pattern
    assert re.search(r"[àáâãäçèéêëíîñóôöúüÀ-Ý]", "".join(x.truth.name or "" for x in wide)), "accented names"


def test_lengths_are_realistic(sample: list[SyntheticResume]) -> None:
    lengths = sorted(len(x.text) for x in sample)
    assert lengths[len(lengths) // 2] > 1800  # median about 600 tokens
    assert sum(n >= 2500 for n in lengths) / len(lengths) > 0.3
    assert lengths[0] < 1500  # some short ones too
    assert max(len(x.truth.skills) for x in sample) >= 40


def test_missing_sections_and_noise(sample: list[SyntheticResume]) -> None:
    assert any(x.truth.summary is None for x in sample)
    assert any(x.truth.phone is None for x in sample)
    assert any(not x.truth.education for x in sample) or any(not x.truth.projects for x in sample)
    texts = "\n".join(x.text for x in sample)
    assert re.search(r"Page \d of \d|\d / \d|- \d -", texts)
    assert "References available" in texts or "Referees" in texts
