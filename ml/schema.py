"""The structured output of ``parse_resume``: pydantic models, JSON Schema, JSON Resume v1 conversion.

Field order is generation order (DESIGN.md): structured sections first, long flat
lists (skills, certifications, languages) last, so a runaway list cannot eat the
sections after it. Unknown values are ``None`` or ``[]``, never invented.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
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


# --- free-form dates ------------------------------------------------------------------------------

MONTH_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "en": (
        ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
         "November", "December"),
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    ),
    "es": (
        ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
         "noviembre", "diciembre"),
        ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"),
    ),
    "fr": (
        ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
         "novembre", "décembre"),
        ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."),
    ),
    "de": (
        ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
         "November", "Dezember"),
        ("Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sep.", "Okt.", "Nov.", "Dez."),
    ),
    "pt": (
        ("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
         "novembro", "dezembro"),
        ("jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez"),
    ),
}  # fmt: skip
"""Month names (full, abbreviated) by language: what :func:`normalize_date` reads and renderers may write."""

PRESENT_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("Present", "Current", "Now", "Today", "Ongoing", "to date", "till date", "currently"),
    "es": ("Actualidad", "Presente", "Actual", "Actualmente", "Hoy", "la fecha", "en curso"),
    "fr": ("Aujourd'hui", "Présent", "En cours", "Actuel", "Actuellement"),
    "de": ("heute", "bis heute", "aktuell", "jetzt", "dato", "bis dato", "laufend"),
    "pt": ("Atual", "Atualmente", "Presente", "o momento", "hoje", "em andamento"),
    "pl": ("obecnie", "teraz"),
    "zh": ("至今", "现在", "目前"),
    "ja": ("現在", "至今"),
}
"""Words for an ongoing entry's end by language (read case- and accent-blind)."""

_EXTRA_MONTHS = {"sept": 9, "setiembre": 9, "janner": 1}
_SEASONS = frozenset(
    ("spring", "summer", "fall", "autumn", "winter", "primavera", "verano", "otono", "invierno", "printemps", "ete",
     "automne", "hiver", "fruhling", "fruhjahr", "sommer", "herbst", "verao", "outono", "inverno")
)  # fmt: skip
_FILLER = frozenset({"de", "del", "of", "the", "en", "im", "in"})
_TWO_DIGIT_PIVOT = 50
"""``'16`` is 2016, ``'87`` is 1987."""


def fold(text: str) -> str:
    """Case- and accent-blind form (``Févr.`` → ``fevr.``), NFKC so full-width digits read as digits."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _month_lookup() -> dict[str, int]:
    lookup: dict[str, int] = dict(_EXTRA_MONTHS)
    for full, short in MONTH_NAMES.values():
        for names in (full, short):
            for number, name in enumerate(names, start=1):
                key = fold(name).rstrip(".")
                if lookup.setdefault(key, number) != number:
                    raise AssertionError(f"month name {name!r} means two months")
    return lookup


_MONTHS = _month_lookup()
_PRESENT = frozenset(fold(w) for words in PRESENT_WORDS.values() for w in words)
_ISO = re.compile(r"^(\d{4})(?:[-/.](\d{1,3})(?:[-/.](\d{1,3}))?)?(?:t[\d:.+z-]*)?$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[-/.](\d{4})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})$")
_CJK = re.compile(r"^(\d{4})\s*年\s*(?:(\d{1,2})\s*月)?(?:\s*\d{1,2}\s*日)?$")
_TOKENS = re.compile(r"[^\W\d_]+|\d+|['’‘]")


def _year(digits: str) -> int:
    if len(digits) == 4:
        return int(digits)
    yy = int(digits)
    return 2000 + yy if yy < _TWO_DIGIT_PIVOT else 1900 + yy


def _ym(year: int, month: int | None) -> str | None:
    if not 1900 <= year <= 2100:
        return None
    return f"{year}-{month:02d}" if month is not None and 1 <= month <= 12 else str(year)


def _day_month(first: int, second: int, day_first: bool | None) -> int | None:
    """The month of ``first/second/year``: the unambiguous reading, else the document's order, else unknown."""
    if first > 12 and second <= 12:
        return second
    if second > 12 and first <= 12:
        return first
    if first == second:
        return first
    if day_first is None:
        return None
    return second if day_first else first


def infer_day_first(values: list[Any]) -> bool | None:
    """Whether a document writes ``dd/mm/yy``: from its unambiguous dates (``31/01/24``); ``None`` if none tell."""
    votes = set()
    for value in values:
        match = _DAY_MONTH_YEAR.match(fold(str(value)).strip()) if isinstance(value, str) else None
        if match:
            first, second = int(match[1]), int(match[2])
            if first > 12 >= second:
                votes.add(True)
            elif second > 12 >= first:
                votes.add(False)
    return votes.pop() if len(votes) == 1 else None


def normalize_date(value: Any, day_first: bool | None = None) -> str | None:
    """A free-form resume date as ``YYYY-MM``, ``YYYY`` or ``present``; ``None`` when unknown. Never guesses.

    Reads ISO prefixes (``2021``, ``2021-8-01``, ``2021-012-01``, ``2009-01-013``, timestamps), ``03/2021``,
    ``01/02/24`` (day or month first: the unambiguous reading, else ``day_first``, else only the year),
    month names in English, Spanish, French, German and Portuguese, abbreviated or not (``Feb'24``,
    ``Noviembre 2021``, ``marzo de 2021``, ``15 March 2021``, ``Apr. 2024``), ``'16``, ``2021年3月``,
    seasons (``Fall 2019``: the year) and words for an ongoing entry (``Present``, ``Actualidad``, ``heute``,
    ``至今``). A year alone is a year: a month is never made up, and a range or note (``2017-05 - 2019-04``)
    is not one date.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return _ym(value, None)
    if not isinstance(value, str):
        return None
    text = re.sub(r"\s+", " ", fold(value)).strip()
    if not text:
        return None
    if text.rstrip(".") in _PRESENT:
        return "present"
    if match := _ISO.match(text):
        return _ym(int(match[1]), int(match[2]) if match[2] else None)
    if match := _MONTH_YEAR.match(text):
        return _ym(int(match[2]), int(match[1]))
    if match := _DAY_MONTH_YEAR.match(text):
        return _ym(_year(match[3]), _day_month(int(match[1]), int(match[2]), day_first))
    if match := _CJK.match(text):
        return _ym(int(match[1]), int(match[2]) if match[2] else None)
    return _worded_date(_TOKENS.findall(text))


def _worded_date(tokens: list[str]) -> str | None:
    """``Feb'24``, ``Noviembre 2021``, ``15 March 2021``, ``'16``, ``Fall 2019``: one month word or season at most,
    one year (four digits, or two after an apostrophe), at most one day number; anything else is not a date."""
    month: int | None = None
    season = False
    year: int | None = None
    day_seen = False
    apostrophe = False
    for token in tokens:
        if token in "'’‘":
            apostrophe = True
            continue
        if token.isdigit():
            if len(token) == 4 and year is None:
                year = int(token)
            elif len(token) == 2 and apostrophe and year is None:
                year = _year(token)
            elif len(token) <= 2 and not day_seen and not apostrophe and 1 <= int(token) <= 31:
                day_seen = True
            else:
                return None
        elif token in _MONTHS and month is None and not season:
            month = _MONTHS[token]
        elif token in _SEASONS and month is None and not season:
            season = True
        elif token in _FILLER or token in ("st", "nd", "rd", "th"):
            continue
        else:
            return None
        apostrophe = False
    if year is None or (day_seen and month is None):
        return None
    return _ym(year, month)


def _date_key(date: str) -> tuple[int, int | None]:
    year, _, month = date.partition("-")
    return int(year), int(month) if month else None


def _in_order(start: str | None, end: str | None) -> tuple[str | None, str | None]:
    """Start and end as given, swapped when the end is clearly before the start (a typed-in-reverse period)."""
    if not start or not end or "present" in (start, end):
        return start, end
    (sy, sm), (ey, em) = _date_key(start), _date_key(end)
    if ey < sy or (ey == sy and sm is not None and em is not None and em < sm):
        return end, start
    return start, end


# --- JSON Resume documents as found: old and new keys, free-form values ------------------------------

_HTML_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:https?://|mailto:|/)[^)]*\)")
_MD_STRONG = re.compile(r"(\*\*|__)(.+?)\1")


def _text(value: Any) -> str | None:
    """A value as a reader sees it: one line, HTML tags and markdown marks gone; numbers as written; lists joined."""
    if isinstance(value, bool) or value is None or isinstance(value, dict):
        return None
    if isinstance(value, list):
        return _text(" ".join(t for t in (_text(v) for v in value) if t))
    if isinstance(value, (int, float)):
        return str(value)
    text = _HTML_TAG.sub(" ", str(value))
    text = _MD_STRONG.sub(r"\2", _MD_LINK.sub(r"\1", html.unescape(text)))
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r" ([.,;:!?])", r"\1", text)  # "text <b>x</b>." leaves "x ."
    return text if any(c.isalnum() for c in text) else None  # "-" and "…" are placeholders, not values


def _texts(*values: Any) -> list[str]:
    """Every non-empty text in the values (lists flattened), once each, in order."""
    out: list[str] = []
    for value in values:
        for item in value if isinstance(value, list) else [value]:
            text = _text(item)
            if text and text not in out:
                out.append(text)
    return out


def _phone(value: Any) -> str | None:
    """A phone number has digits ("Available by request" is not one)."""
    text = _text(value)
    return text if text and re.search(r"\d", text) else None


def _url(value: Any) -> str | None:
    return _text(value.get("url")) if isinstance(value, dict) else _text(value)


def _location(value: Any) -> str | None:
    """``City, Region`` (a country name when there is no region; a two-letter code is not shown as a place)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, dict):
        return _text(value)
    country = _text(value.get("country")) or _text(value.get("countryCode"))
    if country and len(country) <= 3:
        country = None
    parts = [_text(value.get("city")), _text(value.get("region")) or country]
    return ", ".join(p for p in parts if p) or None


def _visible(entry: Any) -> bool:
    """An entry the person shows (sites hide some with ``hide``/``resumeHide``/``hidden``)."""
    return isinstance(entry, dict) and not any(entry.get(k) is True for k in ("hide", "resumeHide", "hidden"))


def _entries(data: dict[str, Any], *keys: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for key in keys:
        value = data.get(key)
        if isinstance(value, list):
            out += [e for e in value if _visible(e)]
    return out


def _grade(value: Any) -> str | None:
    """A grade is a number as written (``3.8/4.0``, ``8,5``); words (``cum laude``, ``Obtenu``) and ``-`` are not."""
    text = _text(value)
    return text if text and re.search(r"\d", text) else None


def _period(entry: dict[str, Any], day_first: bool | None) -> tuple[str | None, str | None]:
    """Normalised start and end; a missing end after a start (or a current flag) is ``present``, as JSON Resume
    means it; an end that is there but unreadable is unknown."""
    start_raw = entry.get("startDate")
    end_raw = entry.get("endDate", entry.get("endtDate"))
    start = normalize_date(start_raw, day_first)
    current = entry.get("isCurrentRole") is True or entry.get("isActive") is True
    if end_raw is None or (isinstance(end_raw, str) and not end_raw.strip()):
        end = "present" if current or _text(start_raw) else None
    else:
        end = normalize_date(end_raw, day_first)
    return _in_order(start, end)


def skill_keywords(group: Any) -> list[str]:
    """A skill group's keywords (``names`` in some documents); a group without any is one skill, its name."""
    if not isinstance(group, dict):
        return _texts(group)
    return _group_keywords(group) or _texts(group.get("name"))


TAGGED_SHARE = 0.4
"""Share of the uses of a document's skill keywords that repeat a keyword of another group, from which its groups
read as named skills with tags. Measured on the 119 real documents: the 30 that name one technology a group
0.47-0.97; groups named as labels at most 0.20 (".NET Technologies" and "Programming Languages" both list C#)."""
MIN_TAGS = 2
"""Distinct repeated keywords a tagged document has at least: labelled lists may share one ("JavaScript" under
"Frontend", "Backend" and "Mobile")."""
MIN_TAGGED_GROUPS = 3
_NOT_A_SKILL_WORDS = (
    "other others otros otras outros autres sonstiges sonstige misc miscellaneous varios inne 其他 その他"
)
NOT_A_SKILL_LABEL = frozenset(f"{_NOT_A_SKILL_WORDS} soft skills skill tools".split())
"""Words of a group label that names no skill, whatever the other groups do: a catch-all ("Other", "Otros
conocimientos") or a kind of skills ("Soft Skills", "Tools")."""


def tags_repeat(uses: Sequence[str]) -> bool:
    """Whether ``uses`` (every use of a skill section's items, in any group) repeat tags as named skills' groups do:
    :data:`MIN_TAGS` distinct items or more repeat, and the repeated uses are :data:`TAGGED_SHARE` of all."""
    counts = Counter(use.casefold() for use in uses)
    repeated = [use for use in uses if counts[use.casefold()] > 1]
    return len({use.casefold() for use in repeated}) >= MIN_TAGS and len(repeated) >= TAGGED_SHARE * len(uses)


def names_a_skill(label: str) -> bool:
    """Whether a named group's label is a skill itself (see :data:`NOT_A_SKILL_LABEL`)."""
    return not {word.casefold() for word in label.split()} & NOT_A_SKILL_LABEL


def skills_are_named(groups: Any) -> bool:
    """Whether a document's skill groups each name a skill and tag it, rather than label a list of skills.

    The schema means ``{"name": "Web Development", "keywords": ["HTML", "CSS"]}``: the keywords are the skills.
    A quarter of the real documents write the other way round, ``{"name": "HTML", "keywords": ["Web Development",
    "Frontend"]}``, ``{"name": "CSS", "keywords": ["Web Development", "Frontend"]}``: the same tags under every
    name (:func:`tags_repeat`). Their themes print each name as the item and the tags under it; a reader lists
    HTML and CSS."""
    if not isinstance(groups, list):
        return False
    keyworded = [group_keywords for g in groups if isinstance(g, dict) if (group_keywords := _group_keywords(g))]
    return len(keyworded) >= MIN_TAGGED_GROUPS and tags_repeat([k for keywords in keyworded for k in keywords])


def _group_keywords(group: dict[str, Any]) -> list[str]:
    return _texts(group.get("keywords") or group.get("names") or [])


def group_label(group: Any) -> str:
    """A skill group's label as written (``name``, or ``category`` in some documents)."""
    if not isinstance(group, dict):
        return ""
    return _text(group.get("name") or group.get("category")) or ""


def document_skills(groups: Any) -> list[str]:
    """A document's skills as a reader lists them, de-duplicated in order: each group's keywords, and where the
    groups name their skills (:func:`skills_are_named`) each group's name before its tags."""
    named = skills_are_named(groups)
    skills: list[str] = []
    for group in groups if isinstance(groups, list) else []:
        name = [label] if named and (label := group_label(group)) and names_a_skill(label) else []
        skills += [s for s in dict.fromkeys(name + skill_keywords(group)) if s not in skills]
    return skills


def _dates_of(data: dict[str, Any]) -> list[Any]:
    return [
        e.get(k)
        for section in ("work", "education", "projects", "volunteer", "certificates")
        for e in (data.get(section) or [])
        if isinstance(e, dict)
        for k in ("startDate", "endDate", "date")
    ]


def from_json_resume(data: dict[str, Any]) -> ParsedResume:
    """Convert a JSON Resume document, old or new keys, as real files write it.

    Reads ``work[].name`` or ``work[].company``, ``url`` or ``website`` (a string or ``{"url"}``), a phone
    number stored as a number, summaries written as lists, free-form dates (:func:`normalize_date`, with the
    document's day/month order taken from its unambiguous dates), start and end typed in reverse (swapped),
    ``score`` or ``gpa``, ``certificates`` or ``certifications``, languages as ``language`` or ``name``.
    Values are as a reader sees them (HTML tags and markdown marks removed, whitespace collapsed); empty
    values and sections are dropped, and entries a site hides are left out. Skill groups contribute their
    keywords, not the group name, unless each group names a skill and tags it (:func:`document_skills`). A job's
    summary is its first highlight (the schema has no job description), followed by ``highlights``,
    ``responsibilities`` and ``achievements``.
    """
    basics = data.get("basics") if isinstance(data.get("basics"), dict) else {}
    day_first = infer_day_first(_dates_of(data))
    phones = basics.get("phones") if isinstance(basics.get("phones"), list) else []
    links = _texts(_url(basics.get("url")), _url(basics.get("website")))
    for profile in basics.get("profiles") or []:
        url = _url(profile) if isinstance(profile, dict) else None
        if url and url not in links:
            links.append(url)
    skills = document_skills(data.get("skills"))
    experience = []
    for job in _entries(data, "work"):
        start, end = _period(job, day_first)
        experience.append(
            Experience(
                company=_text(job.get("name")) or _text(job.get("company")),
                title=_text(job.get("position")),
                start_date=start,
                end_date=end,
                location=_location(job.get("location")),
                highlights=_texts(
                    job.get("summary"), job.get("highlights"), job.get("responsibilities"), job.get("achievements")
                ),
            )
        )
    education = []
    for school in _entries(data, "education"):
        start, end = _period(school, day_first)
        education.append(
            Education(
                institution=_text(school.get("institution")),
                degree=_text(school.get("studyType")) or _text(school.get("degree")),
                field=_text(school.get("area")),
                start_date=start,
                end_date=end,
                gpa=_grade(school.get("score")) or _grade(school.get("gpa")),
            )
        )
    certifications: list[str] = []
    for cert in _entries(data, "certificates", "certifications"):
        name = _text(cert.get("name")) or _text(cert.get("title"))
        if name and name not in certifications:
            certifications.append(name)
    languages: list[str] = []
    for lang in data.get("languages") or []:
        name = _text(lang.get("language") or lang.get("name")) if isinstance(lang, dict) else _text(lang)
        if name and name not in languages:
            languages.append(name)
    return ParsedResume(
        name=_text(basics.get("name")),
        email=_text(basics.get("email")),
        phone=_phone(basics.get("phone")) or (_phone(phones[0]) if phones else None),
        location=_location(basics.get("location") or basics.get("locations")),
        links=links,
        summary=_text(basics.get("summary")),
        experience=experience,
        education=education,
        projects=[
            Project(
                name=_text(p.get("name")) or _text(p.get("title")),
                description=_text(p.get("description")) or _text(p.get("summary")),
                technologies=_texts(p.get("keywords") or p.get("technologies") or []),
            )
            for p in _entries(data, "projects")
        ],
        skills=skills,
        certifications=certifications,
        languages=languages,
    )
