"""The structured output of ``parse_resume``: pydantic models, JSON Schema, JSON Resume v1 conversion.

Field order is generation order (DESIGN.md): structured sections first, long flat
lists (skills, certifications, languages) last, so a runaway list cannot eat the
sections after it. Unknown values are ``None`` or ``[]``, never invented.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field

DATE_PATTERN = r"^(\d{4}(-(0[1-9]|1[0-2]))?|present)$"
"""``YYYY-MM``, ``YYYY`` or ``present``; ``None`` stands for unknown."""

ResumeDate = str | None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Experience(_Strict):
    company: str | None = None
    title: str | None = None
    start_date: ResumeDate = Field(default=None, pattern=DATE_PATTERN)
    end_date: ResumeDate = Field(default=None, pattern=DATE_PATTERN)
    location: str | None = None
    highlights: list[str] = Field(default_factory=list)


class Education(_Strict):
    institution: str | None = None
    degree: str | None = None
    field: str | None = None
    start_date: ResumeDate = Field(default=None, pattern=DATE_PATTERN)
    end_date: ResumeDate = Field(default=None, pattern=DATE_PATTERN)
    gpa: str | None = None


class Project(_Strict):
    name: str | None = None
    description: str | None = None
    technologies: list[str] = Field(default_factory=list)


class ParsedResume(_Strict):
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    location: str | None = None
    links: list[str] = Field(default_factory=list)
    summary: str | None = None
    experience: list[Experience] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list)
    certifications: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)

    def to_json(self) -> str:
        """Compact JSON in field order: the exact training target text."""
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, separators=(", ", ": "))


def parsed_resume_json_schema() -> dict[str, Any]:
    """JSON Schema of :class:`ParsedResume`, used for constrained decoding and API response formats."""
    return ParsedResume.model_json_schema()


# --- JSON Resume v1 (https://jsonresume.org/schema) ---------------------------------------------

_NETWORKS = {
    "linkedin.com": "LinkedIn",
    "github.com": "GitHub",
    "gitlab.com": "GitLab",
    "twitter.com": "Twitter",
    "x.com": "X",
    "behance.net": "Behance",
    "dribbble.com": "Dribbble",
    "medium.com": "Medium",
    "stackoverflow.com": "Stack Overflow",
    "scholar.google.com": "Google Scholar",
    "orcid.org": "ORCID",
}


def _network_of(url: str) -> str | None:
    host = urlparse(url if "://" in url else f"https://{url}").netloc.lower().removeprefix("www.")
    return _NETWORKS.get(host)


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, [], {}, "")}


def _split_location(location: str | None) -> dict[str, str]:
    if not location:
        return {}
    city, _, region = (part.strip() for part in location.partition(","))
    return _drop_empty({"city": city, "region": region})


def to_json_resume(resume: ParsedResume) -> dict[str, Any]:
    """Convert to JSON Resume v1. ``end_date == "present"`` becomes an absent ``endDate``."""
    basics = _drop_empty(
        {
            "name": resume.name,
            "email": resume.email,
            "phone": resume.phone,
            "summary": resume.summary,
            "location": _split_location(resume.location),
            "profiles": [_drop_empty({"network": _network_of(u), "url": u}) for u in resume.links],
        }
    )
    work = [
        _drop_empty(
            {
                "name": job.company,
                "position": job.title,
                "location": job.location,
                "startDate": job.start_date,
                "endDate": None if job.end_date == "present" else job.end_date,
                "highlights": job.highlights,
            }
        )
        for job in resume.experience
    ]
    education = [
        _drop_empty(
            {
                "institution": edu.institution,
                "studyType": edu.degree,
                "area": edu.field,
                "startDate": edu.start_date,
                "endDate": None if edu.end_date == "present" else edu.end_date,
                "score": edu.gpa,
            }
        )
        for edu in resume.education
    ]
    projects = [
        _drop_empty({"name": p.name, "description": p.description, "keywords": p.technologies}) for p in resume.projects
    ]
    return _drop_empty(
        {
            "basics": basics,
            "work": work,
            "education": education,
            "projects": projects,
            "skills": [{"name": s} for s in resume.skills],
            "certificates": [{"name": c} for c in resume.certifications],
            "languages": [{"language": lang} for lang in resume.languages],
        }
    )


_ISO_PREFIX = re.compile(r"^(\d{4})(?:-(\d{2}))?")


def _date_from_iso(value: str | None) -> str | None:
    """JSON Resume dates are ISO 8601 prefixes (``2021``, ``2021-03``, ``2021-03-15``); keep year-month."""
    if not value:
        return None
    match = _ISO_PREFIX.match(value)
    if not match:
        return None
    return f"{match[1]}-{match[2]}" if match[2] else match[1]


def _end_from_iso(start: str | None, end: str | None) -> str | None:
    """JSON Resume omits ``endDate`` for an ongoing entry; a start with no end reads as ``present``."""
    if end:
        return _date_from_iso(end)
    return "present" if start else None


def from_json_resume(data: dict[str, Any]) -> ParsedResume:
    """Convert a JSON Resume v1 document. Skill groups contribute their keywords, not the group name."""
    basics = data.get("basics", {})
    location = basics.get("location", {})
    links = [basics["url"]] if basics.get("url") else []
    links += [p["url"] for p in basics.get("profiles", []) if p.get("url") and p["url"] not in links]
    skills: list[str] = []
    for group in data.get("skills", []):
        skills.extend(group.get("keywords") or ([group["name"]] if group.get("name") else []))
    return ParsedResume(
        name=basics.get("name"),
        email=basics.get("email"),
        phone=basics.get("phone"),
        location=", ".join(v for v in (location.get("city"), location.get("region")) if v) or None,
        links=links,
        summary=basics.get("summary"),
        experience=[
            Experience(
                company=w.get("name"),
                title=w.get("position"),
                start_date=_date_from_iso(w.get("startDate")),
                end_date=_end_from_iso(w.get("startDate"), w.get("endDate")),
                location=w.get("location"),
                highlights=w.get("highlights", []),
            )
            for w in data.get("work", [])
        ],
        education=[
            Education(
                institution=e.get("institution"),
                degree=e.get("studyType"),
                field=e.get("area"),
                start_date=_date_from_iso(e.get("startDate")),
                end_date=_end_from_iso(e.get("startDate"), e.get("endDate")),
                gpa=e.get("score"),
            )
            for e in data.get("education", [])
        ],
        projects=[
            Project(name=p.get("name"), description=p.get("description"), technologies=p.get("keywords", []))
            for p in data.get("projects", [])
        ],
        skills=skills,
        certifications=[c["name"] for c in data.get("certificates", []) if c.get("name")],
        languages=[lang["language"] for lang in data.get("languages", []) if lang.get("language")],
    )
