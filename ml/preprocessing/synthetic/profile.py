"""The person a synthetic resume is about: what :mod:`~ml.preprocessing.synthetic.generate` draws and
:mod:`~ml.preprocessing.synthetic.render` lays out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ml.preprocessing.synthetic import i18n as I

REFERENCE = (2025, 6)
"""The "today" of every synthetic resume (a fixed date keeps generation deterministic)."""


@dataclass
class Job:
    company: str
    title: str
    location: str | None
    start: tuple[int, int]
    end: tuple[int, int] | None  # None = present
    bullets: list[str]


@dataclass
class School:
    institution: str
    degree_short: str
    degree_long: str
    field: str | None
    start: tuple[int, int] | None
    end: tuple[int, int]
    gpa: str | None
    notes: list[str]
    expected: bool = False


@dataclass
class Proj:
    name: str
    description: str
    techs: list[str]


@dataclass
class Profile:
    occupation: str
    seniority: str
    locale: str
    name: str
    first: str
    last: str
    email: str
    phone: str | None
    city: str
    region: str
    country: str
    links: list[tuple[str, str]]
    headline: str
    summary: str | None
    jobs: list[Job]
    schools: list[School]
    projects: list[Proj]
    skill_groups: list[tuple[str, list[str]]]
    certs: list[tuple[str, int | None]]
    languages: list[tuple[str, str]]
    volunteer: list[tuple[str, str, str, int]] = field(default_factory=list)
    awards: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    publications: list[str] = field(default_factory=list)
    references: str | None = None
    memberships: list[str] = field(default_factory=list)
    years: int = 0
    currency: str = "$"
    lang: I.Lang | None = None  # None: English; else the whole resume is in this language
    student: bool = False  # a student's 5–10 line resume
