"""Boundaries real resumes need: document titles, non-English dates, leaked sections, spoken languages."""

from __future__ import annotations

import itertools
import re

import pytest

from ml.preprocessing.synthetic import content as C
from ml.preprocessing.synthetic import i18n as I
from ml.preprocessing.synthetic.generate import SyntheticResume, generate_resumes
from ml.preprocessing.synthetic.render import DOC_TITLES, SECTION_TITLES, TEAMS


@pytest.fixture(scope="module")
def sample() -> list[SyntheticResume]:
    return list(generate_resumes(700, seed=21))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _doc_titles() -> set[str]:
    return {t.lower() for t in DOC_TITLES} | {t.lower() for lang in I.LANGS.values() for t in lang.doc_titles}


def test_document_title_is_never_the_name(sample: list[SyntheticResume]) -> None:
    titles = _doc_titles()
    titled = [x for x in sample if x.text.splitlines()[0].strip().lower() in titles]
    assert len(titled) > 30
    assert all(x.truth.name and x.truth.name.lower() not in titles for x in sample)


def test_non_english_share_and_dates(sample: list[SyntheticResume]) -> None:
    local = [x for x in sample if x.meta["language"] != "en"]
    assert 0.06 < len(local) / len(sample) < 0.14
    assert {x.meta["language"] for x in local} >= {"de", "fr", "es"}
    date = re.compile(r"^(\d{4}(-(0[1-9]|1[0-2]))?|present)$")
    for x in local:
        lang = I.LANGS[x.meta["language"]]
        flat = x.text.lower().replace(" ", "")
        headings = [
            h.lower().replace(" ", "") for key in ("experience", "education", "skills") for h in lang.headings[key]
        ]
        assert any(h in flat for h in headings), x.meta
        for job in x.truth.experience:
            assert job.start_date is None or date.match(job.start_date)
            assert job.end_date is None or date.match(job.end_date)
            if job.start_date and len(job.start_date) == 7 and x.meta["date_style"] == "Month YYYY":
                y, m = int(job.start_date[:4]), int(job.start_date[5:])
                assert I.display_date(lang, "Month YYYY", y, m).lower() in x.text.lower()
    texts = "\n".join(x.text for x in local)
    assert re.search(r"\b(heute|actualidad|aujourd'hui|présent|atual|presente)\b", texts)


def test_leaked_sections_never_in_truth(sample: list[SyntheticResume]) -> None:
    extras = [(x, org) for x in sample for org in ("Red Cross", "Habitat for Humanity", "Tafel e.V.", "Cruz Roja")]
    leaked = []
    for x, org in extras:
        t = x.truth
        values = [j.company for j in t.experience] + t.skills + t.certifications
        if org in x.text and any(v and org.lower() in v.lower() for v in values):
            leaked.append((x.meta["resume_id"], org))
    assert not leaked
    memberships = {m.lower() for m in C.MEMBERSHIPS} | {
        m.lower() for lang in I.LANGS.values() for m in lang.memberships
    }
    assert any(m.split(" of ")[0] in x.text.lower() for x in sample for m in memberships)
    for x in sample:
        assert not memberships & {c.lower() for c in x.truth.certifications + x.truth.skills}
        assert not {i.lower() for i in C.INTERESTS} & {s.lower() for s in x.truth.skills}


def test_languages_are_human_languages(sample: list[SyntheticResume]) -> None:
    human = {x.lower() for x in C.OTHER_LANGUAGES + list(C.LANGUAGE_BY_LOCALE.values())} | I.human_language_names()
    for x in sample:
        assert {lang.lower() for lang in x.truth.languages} <= human, x.truth.languages
        assert not human & {s.lower() for s in x.truth.skills}
    empty = sum(not x.truth.languages for x in sample) / len(sample)
    assert 0.35 < empty < 0.7
    assert sum(not x.truth.certifications for x in sample) / len(sample) > 0.4
    in_skills = [x for x in sample if re.search(r"^(Languages|Sprachen|Idiomas|Langues)[^\n]*: \w+ \(", x.text, re.M)]
    assert in_skills


def test_truth_values_occur_in_text_everywhere(sample: list[SyntheticResume]) -> None:
    headings = {h.lower() for hs in SECTION_TITLES.values() for h in hs}
    missing = []
    for x in sample:
        text, t = _norm(x.text), x.truth
        values = [t.name, t.email, t.phone, *t.skills, *t.languages, *t.certifications]
        values += [v for job in t.experience for v in (job.company, job.title)]
        missing += [(x.meta["resume_id"], v) for v in values if v and _norm(v).rstrip(".") not in text]
        assert all(j.title and j.title.lower() not in headings for j in t.experience)
    assert not missing, missing[:10]


def test_short_and_long_resumes(sample: list[SyntheticResume]) -> None:
    lines = [
        len([ln for ln in x.text.splitlines() if ln.strip()]) for x in sample if x.meta["layout"] != "flat_extraction"
    ]
    assert sum(n <= 12 for n in lines) >= 10
    assert max(len(x.truth.skills) for x in sample) >= 60
    assert any(len({j.company for j in x.truth.experience}) < len(x.truth.experience) for x in sample), "promotions"


def test_team_lines_are_never_the_employer_or_title(sample: list[SyntheticResume]) -> None:
    team_lines = [
        (x, t)
        for x in sample
        for t in TEAMS
        if re.search(
            rf"(Team: |Department: |Division: ){re.escape(t)}\b|"
            rf"\b{re.escape(t)} (team|Department|Division)",
            x.text,
        )
    ]
    assert len(team_lines) > 15
    for x, team in team_lines:
        for job in x.truth.experience:
            assert team not in {job.company, job.title}, (team, job)
            assert f"Team: {team}" not in (job.title or "") and f"Team: {team}" not in job.highlights


def test_promotions_are_sometimes_written_under_one_employer_header(sample: list[SyntheticResume]) -> None:
    grouped = 0
    for x in sample:
        roles = x.truth.experience
        for newer, older in itertools.pairwise(roles):
            if newer.company != older.company:
                continue
            assert newer.title != older.title, "a promotion changes the title"
            if x.text.count(newer.company) == 1:  # one header for both roles: each role keeps the employer
                grouped += 1
                assert x.text.index(newer.title) < x.text.rindex(older.title)
    assert grouped >= 10


def test_a_team_after_the_title_stays_in_the_title_and_is_never_the_employer(sample: list[SyntheticResume]) -> None:
    plain_titles = {t for occ in C.OCCUPATIONS.values() for titles in occ.titles.values() for t in titles}
    with_team = [
        (x, job)
        for x in sample
        for job in x.truth.experience
        if job.title not in plain_titles
        and any((job.title or "").endswith((f", {t}", f" – {t}", f" ({t})", f", {t} team")) for t in TEAMS)
    ]
    assert len(with_team) >= 20
    for x, job in with_team:
        assert job.company not in TEAMS
        if x.meta["layout"] == "flat_extraction":  # its lines are joined: the employer shares the title's line
            continue
        title_lines = [line for line in x.text.splitlines() if job.title in line]
        assert title_lines, job.title
        assert all(job.company not in line for line in title_lines), (job.title, job.company)


def test_long_careers_list_every_role_newest_first(sample: list[SyntheticResume]) -> None:
    long_careers = [x for x in sample if len(x.truth.experience) >= 9]
    assert len(long_careers) >= 10
    for x in long_careers:
        starts = [job.start_date for job in x.truth.experience]
        assert all(s is not None for s in starts)
        assert starts == sorted(starts, reverse=True), x.meta
        for job in x.truth.experience:
            assert _norm(job.company) in _norm(x.text), (job.company, x.meta)


def test_some_students_have_projects_as_their_only_work(sample: list[SyntheticResume]) -> None:
    project_only = [x for x in sample if not x.truth.experience and x.truth.projects]
    assert len(project_only) >= 3
    for x in project_only:
        for project in x.truth.projects:
            assert _norm(project.name) in _norm(x.text)
