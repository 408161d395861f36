"""Layout families for synthetic resumes; each renderer writes the text and the truth together.

Every value that goes into the truth is taken from the exact string written into the
text (a date shown as ``2021`` is ``"2021"``, an upper-cased company is upper-cased in
the truth, a skill-group label is never a skill). Families differ in what DESIGN.md
found real resumes to differ in: section titles and order, one- or two-line job
headers, company-first or title-first, dates before or after, markdown, ALL-CAPS
headings, skills as lists, groups, bullets, grids or with levels, two-column PDF
extraction where lines interleave, flattened extraction, page headers and footers.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

from ml.preprocessing.synthetic import i18n as I
from ml.preprocessing.synthetic.profile import REFERENCE, Job, Profile, School
from ml.schema import ParsedResume

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

# style name -> (display(y, m), truth(y, m))
DATE_STYLES: dict[str, tuple[Callable[[int, int], str], bool]] = {
    "Mon YYYY": (lambda y, m: f"{MON[m - 1]} {y}", True),
    "Month YYYY": (lambda y, m: f"{MONTHS[m - 1]} {y}", True),
    "MM/YYYY": (lambda y, m: f"{m:02d}/{y}", True),
    "M/YYYY": (lambda y, m: f"{m}/{y}", True),
    "YYYY-MM": (lambda y, m: f"{y}-{m:02d}", True),
    "YYYY": (lambda y, m: f"{y}", False),
    "MM.YYYY": (lambda y, m: f"{m:02d}.{y}", True),
    "Mon. YYYY": (lambda y, m: f"{MON[m - 1]}{'' if m == 5 else '.'} {y}", True),
    "Mon 'YY": (lambda y, m: f"{MON[m - 1]} '{y % 100:02d}", True),
    "YYYY/MM": (lambda y, m: f"{y}/{m:02d}", True),
}
DATE_STYLE_WEIGHTS = {
    "Mon YYYY": 22,
    "Month YYYY": 16,
    "MM/YYYY": 14,
    "M/YYYY": 4,
    "YYYY-MM": 7,
    "YYYY": 16,
    "MM.YYYY": 5,
    "Mon. YYYY": 5,
    "Mon 'YY": 4,
    "YYYY/MM": 2,
}
PRESENT_WORDS = ["Present", "Present", "Present", "present", "Current", "Now", "Today", "to date", "Ongoing", "PRESENT"]
SEPARATORS = [" – ", " – ", " - ", " - ", " — ", "–", " to ", " until ", " -- "]

SECTION_TITLES = {
    "summary": [
        "Summary",
        "Professional Summary",
        "Profile",
        "About Me",
        "Career Objective",
        "Objective",
        "Professional Profile",
        "Executive Summary",
        "Personal Statement",
        "Overview",
        "About",
    ],
    "experience": [
        "Experience",
        "Work Experience",
        "Professional Experience",
        "Employment History",
        "Career History",
        "Relevant Experience",
        "Work History",
        "Employment",
        "Professional Background",
        "Experience & Achievements",
        "Positions Held",
    ],
    "education": [
        "Education",
        "Academic Background",
        "Education & Training",
        "Qualifications",
        "Academic Qualifications",
        "Educational Background",
        "Education History",
    ],
    "projects": [
        "Projects",
        "Personal Projects",
        "Selected Projects",
        "Side Projects",
        "Key Projects",
        "Open Source & Projects",
        "Project Highlights",
    ],
    "skills": [
        "Skills",
        "Technical Skills",
        "Core Competencies",
        "Key Skills",
        "Skills & Tools",
        "Areas of Expertise",
        "Competencies",
        "Tools & Technologies",
        "Skills Summary",
        "Expertise",
        "Skills & Abilities",
    ],
    "certifications": [
        "Certifications",
        "Certificates",
        "Licenses & Certifications",
        "Professional Certifications",
        "Courses & Certifications",
        "Accreditations",
        "Licenses",
    ],
    "languages": ["Languages", "Language Skills", "Spoken Languages", "Languages Spoken"],
    "volunteer": [
        "Volunteering",
        "Volunteer Experience",
        "Community Involvement",
        "Volunteer Work",
        "Leadership & Volunteering",
    ],
    "awards": ["Awards", "Honors & Awards", "Achievements", "Awards and Recognition"],
    "interests": ["Interests", "Hobbies", "Hobbies & Interests", "Outside of Work", "Personal Interests"],
    "publications": ["Publications", "Selected Publications", "Papers"],
    "references": ["References"],
    "memberships": ["Memberships", "Professional Memberships", "Affiliations", "Professional Affiliations"],
    "contact": ["Contact", "CONTACT", "Details", "PERSONAL DETAILS", "Contact Information"],
}
DOC_TITLES = ["Resume", "RESUME", "Résumé", "CV", "Curriculum Vitae", "CURRICULUM VITAE"]
"""Document titles at the top of a page: never the person's name."""
GLYPHS = ["•", "•", "•", "-", "-", "*", "●", "▪", "◦", "–", "o", "➢", "✓", "·", "►", ""]

LEVEL_STYLES = [
    lambda s, r: f"{s} ({r.choice(['Expert', 'Advanced', 'Intermediate', 'Proficient', 'Beginner'])})",
    lambda s, r: f"{s} – {r.choice(['Expert', 'Advanced', 'Intermediate', 'Basic'])}",
    lambda s, r: f"{s} {'★' * (k := r.randint(2, 5))}{'☆' * (5 - k)}",
    lambda s, r: f"{s}: {r.randint(1, 12)} {r.choice(['yrs', 'years', 'y'])}",
    lambda s, r: f"{s} {'●' * (k := r.randint(2, 5))}{'○' * (5 - k)}",
    lambda s, r: f"{s} ({r.randint(1, 10)}+ yrs)",
    lambda s, r: f"{s} {r.choice([60, 70, 75, 80, 85, 90, 95])}%",
]

JOB_TEMPLATES = {
    "title_first": [
        "{T}\n{C}, {L}\n{D}",
        "{T}\n{C} | {L} | {D}",
        "{T}{P}{D}\n{C}, {L}",
        "{T} — {C}{P}{D}\n{L}",
        "{T}, {C}, {L}\n{D}",
        "{T} at {C} ({D})",
        "{T}\n{C} · {D}",
        "{T}, {C} — {D}",
        "{T} | {C}\n{D} | {L}",
        "{T}\n{C}\n{L}\n{D}",
    ],
    "company_first": [
        "{C}\n{T}\n{D}",
        "{C}, {L}\n{T}{P}{D}",
        "{C} — {L}\n{T}, {D}",
        "{C}\n{T} | {D}",
        "{C}{P}{L}\n{T}{P}{D}",
        "{C} ({D})\n{T}",
        "{C}\n{T}, {L}\n{D}",
    ],
    "one_line_title": [
        "{T}, {C}, {L} — {D}",
        "{T} at {C} | {D}",
        "{T} | {C} | {L} | {D}",
        "{T} @ {C} ({D})",
        "{T} — {C} ({D})",
        "{T}, {C} {P}{D}",
    ],
    "one_line_company": [
        "{C} | {T} | {D}",
        "{C} — {T} — {D}",
        "{C}: {T} ({D})",
        "{C}, {L} – {T}, {D}",
        "{C} · {T} · {L} · {D}",
    ],
    "dates_first": [
        "{D}\n{T}, {C}",
        "{D}{P}{T} — {C}, {L}",
        "{D} | {C} | {T}",
        "{D}: {T} at {C}",
        "{D}\n{C}\n{T}",
        "{D}\t{T}, {C}, {L}",
    ],
}
TEAMS = [
    "Payments",
    "Growth",
    "Platform",
    "Data Science",
    "Customer Success",
    "Risk & Compliance",
    "Front of House",
    "Pastry",
    "ICU",
    "Litigation",
    "Mergers & Acquisitions",
    "Corporate Finance",
    "Supply Chain",
    "Mobile",
    "Patient Services",
    "Marketing Analytics",
    "Infrastructure",
    "Claims",
    "Research & Development",
    "Operations",
    "Telemetry",
    "Cardiac ICU",
    "Emergency Department",
    "Restructuring Group",
    "Banking & Credit",
    "Ads Platform",
    "Checkout",
    "Search",
    "Retail Banking",
    "Tax",
    "Audit",
    "Banquets",
    "Enterprise Sales",
    "EMEA",
]
TEAM_LINES = [
    "Team: {t}",
    "{t} team",
    "Department: {t}",
    "{t} Department",
    "Division: {t}",
    "{t} Division",
    "Unit: {t}",
    "{t} team ({n} people)",
    "Reporting to the Head of {t}",
]
"""A team or department line under a job header: real resumes name the team, and it is never the employer."""
_NO_LOCATION = re.compile(r"(, | \| | — | · | – |\{P\}|\n)\{L\}")
TITLE_TEAM_FORMS = ["{t}, {team}", "{t}, {team}", "{t}, {team}", "{t} – {team}", "{t} ({team})", "{t}, {team} team"]
"""A team or unit written into the title ("Staff Nurse, Telemetry", "VP Engineering, Payments"). The truth's title
is the whole text as shown; the part after the comma is never the employer."""
TITLE_TEAM_SHARE = 0.15
GROUPED_ROLES_SHARE = 0.6
"""Share of promotions (consecutive roles at one employer) written under one employer header, as LinkedIn and
most long resumes do; the others repeat the employer in each role's header."""
GROUP_HEADERS = ["{C}", "{C}, {L}", "{C} — {L}", "{C} | {L}", "{C}{P}{L}", "{C} ({total})", "{C}\n{total}"]
ROLE_LINES = [
    "{T}{P}{D}",
    "{T} ({D})",
    "{T}, {D}",
    "{T} | {D}",
    "{D}{P}{T}",
    "{T}\n{D}",
    "{T}\n{D} ({dur})",
    "{T} · {D} · {dur}",
]


def _employer_runs(jobs: list[Job]) -> list[list[Job]]:
    """Consecutive roles at the same employer, grouped (a promotion is two roles in one run)."""
    runs: list[list[Job]] = []
    for job in jobs:
        if runs and runs[-1][-1].company == job.company:
            runs[-1].append(job)
        else:
            runs.append([job])
    return runs


def _duration(start: tuple[int, int], end: tuple[int, int] | None) -> str:
    """A LinkedIn-style length of service: "2 yrs 3 mos", "1 yr", "8 mos" (both end months counted)."""
    last = end or REFERENCE
    months = (last[0] - start[0]) * 12 + last[1] - start[1] + 1
    years, rest = divmod(months, 12)
    parts = [f"{years} yr{'s' if years > 1 else ''}"] if years else []
    return " ".join(parts + ([f"{rest} mo{'s' if rest > 1 else ''}"] if rest else []))


def _truth_date(y: int, m: int, with_month: bool) -> str:
    return f"{y}-{m:02d}" if with_month else str(y)


class Ctx:
    """Rendering state of one resume: choices (date style, glyph …) and the truth being built."""

    def __init__(self, p: Profile, rng: random.Random, layout: str) -> None:
        self.p, self.rng, self.layout = p, rng, layout
        self.truth: dict[str, Any] = {
            "name": None,
            "email": None,
            "phone": None,
            "location": None,
            "links": [],
            "summary": None,
            "experience": [],
            "education": [],
            "projects": [],
            "skills": [],
            "certifications": [],
            "languages": [],
        }
        r = rng
        self.lang = p.lang
        weights = I.DATE_STYLE_WEIGHTS if self.lang else DATE_STYLE_WEIGHTS
        self.date_style = r.choices(list(weights), weights=list(weights.values()))[0]
        self.edu_date_style = self.date_style if r.random() < 0.45 else "YYYY"
        self.present = r.choice(self.lang.present if self.lang else PRESENT_WORDS)
        self.sep = r.choice(SEPARATORS[:6] if self.lang else SEPARATORS)
        self.languages_in_skills = bool(p.languages) and r.random() < 0.2
        self.contact_at_bottom: list[str] = []
        if self.date_style in ("YYYY-MM", "YYYY/MM") and self.sep in ("–", " -- "):
            self.sep = " – "
        self.glyph = r.choice(GLYPHS)
        self.period = r.random() < 0.35
        self.show_job_location = r.random() < 0.6
        self.wrap_width = r.choice([0, 0, 0, 72, 80, 90, 100])
        self.hyphenate = self.wrap_width and r.random() < 0.3
        self.heading_style = r.choice(["title", "upper", "upper", "colon", "title"])
        self.blank_before_heading = r.random() < 0.85

    # --- primitives -----------------------------------------------------------------------------

    def date(self, ym: tuple[int, int], style: str | None = None) -> tuple[str, str]:
        style = style or self.date_style
        if self.lang:
            return I.display_date(self.lang, style, *ym), _truth_date(*ym, style != "YYYY")
        fmt, with_month = DATE_STYLES[style]
        return fmt(*ym), _truth_date(*ym, with_month)

    def titles(self, key: str) -> list[str]:
        """The section titles for ``key`` in the resume's language."""
        return self.lang.headings[key] if self.lang else SECTION_TITLES[key]

    def date_range(
        self,
        start: tuple[int, int] | None,
        end: tuple[int, int] | None,
        style: str | None = None,
    ) -> tuple[str, str | None, str | None]:
        style = style or self.date_style
        s_text, s_truth = self.date(start, style) if start else ("", None)
        if end is None:
            if start and self.rng.random() < (0.25 if self.lang else 0.05):
                since = self.rng.choice(self.lang.since) if self.lang else "Since {d}"
                return since.format(d=s_text), s_truth, "present"
            e_text, e_truth = self.present, "present"
        else:
            e_text, e_truth = self.date(end, style)
            if start and style == "YYYY" and start[0] == end[0] and self.rng.random() < 0.6:
                return e_text, s_truth, e_truth  # "2021" for a job within one year
        if not start:
            return e_text, None, e_truth
        return f"{s_text}{self.sep}{e_text}", s_truth, e_truth

    def heading(self, key: str, style: str | None = None) -> list[str]:
        title = self.rng.choice(self.titles(key))
        style = style or self.heading_style
        out = {
            "title": [title],
            "upper": [title.upper()],
            "colon": [f"{title}:"],
            "md": [f"## {title}"],
            "underline": [title.upper() if self.rng.random() < 0.5 else title, "=" * len(title)],
            "underline_dash": [title, "-" * len(title)],
            "spaced": [" ".join(title.upper())],
            "rule": [f"— {title.upper()} —"],
        }[style]
        return ([""] if self.blank_before_heading else []) + out

    def wrap(
        self, text: str, width: int | None = None, indent: str = "", first: str = "", hyphenate: bool | None = None
    ) -> list[str]:
        width = self.wrap_width if width is None else width
        hyphenate = self.hyphenate if hyphenate is None else hyphenate
        if not width or len(first) + len(text) <= width:
            return [first + text]
        lines, line, fresh = [], first, True
        for word in text.split(" "):
            room = width - len(line)
            if len(line) + len(word) + 1 > width and not fresh:
                if hyphenate and len(word) >= 9 and room >= 6 and word.isalpha():
                    cut = max(3, min(room - 2, len(word) - 3))
                    lines.append(f"{line} {word[:cut]}-")
                    line = indent + word[cut:]
                    continue
                lines.append(line)
                line = indent + word
            else:
                line = line + word if fresh else f"{line} {word}"
            fresh = False
        lines.append(line)
        return lines

    def bullet(self, text: str, glyph: str | None = None, indent: str = "") -> list[str]:
        glyph = self.glyph if glyph is None else glyph
        shown = text + ("." if self.period and not text.endswith(".") else "")
        first = f"{indent}{glyph} " if glyph else indent
        return self.wrap(shown, indent=" " * len(first), first=first)

    def pad(self) -> str:
        return " " * self.rng.randint(3, 30) if self.rng.random() < 0.8 else "\t"

    # --- sections -------------------------------------------------------------------------------

    def header(self, style: str = "auto", name_upper: bool | None = None, titled: bool = True) -> list[str]:
        p, r = self.p, self.rng
        name = p.name.upper() if (name_upper if name_upper is not None else r.random() < 0.25) else p.name
        self.truth["name"] = name
        lines = [
            name
            + (
                f", {r.choice(['RN', 'BSN, RN'])}"
                if p.occupation == "nursing" and r.random() < 0.3
                else f", {r.choice(['CPA', 'ACCA'])}"
                if p.occupation == "finance" and r.random() < 0.2
                else ", PhD"
                if p.occupation == "research" and r.random() < 0.3
                else ""
            )
        ]
        if r.random() < 0.45:
            lines.append(p.headline)
        lines = (self.doc_title() if titled else []) + lines
        items = self.contact_items()
        if style == "auto":
            style = r.choice(["one_line", "one_line", "two_lines", "stacked", "labelled", "one_line", "bottom"])
        joiner = r.choice([" | ", " • ", " · ", "  ", " | ", " / "])
        if style == "bottom":  # contact details in a section at the end
            self.contact_at_bottom = self.section("contact", [t for _, t in items])
        elif style == "one_line":
            lines.append(joiner.join(text for _, text in items))
        elif style == "two_lines":
            basic = [t for k, t in items if k != "link"]
            links = [t for k, t in items if k == "link"]
            lines += [joiner.join(basic)] + ([joiner.join(links)] if links else [])
        elif style == "labelled":
            lines += [t for _, t in items]
        else:
            lines += [t for _, t in items]
        return lines

    def doc_title(self) -> list[str]:
        """Sometimes a document title ("Lebenslauf", "Resume") above the name."""
        if self.rng.random() < (0.65 if self.lang else 0.1):
            return [self.rng.choice(self.lang.doc_titles if self.lang else DOC_TITLES), ""]
        return []

    def contact_items(self, labelled: bool | None = None) -> list[tuple[str, str]]:
        """(kind, display) for email, phone, location and links; fills the truth."""
        p, r = self.p, self.rng
        labelled = r.random() < 0.3 if labelled is None else labelled
        lab = (
            self.lang.contact_labels
            if labelled and self.lang
            else r.choice(
                [
                    {"email": "Email: ", "phone": "Phone: ", "location": "Address: "},
                    {"email": "E: ", "phone": "M: ", "location": ""},
                    {"email": "E-mail: ", "phone": "Mobile: ", "location": "Location: "},
                    {"email": "✉ ", "phone": "☎ ", "location": "⌂ "},
                ]
            )
            if labelled
            else {}
        )
        items: list[tuple[str, str]] = []
        self.truth["email"] = p.email
        items.append(("email", lab.get("email", "") + p.email))
        if p.phone:
            self.truth["phone"] = p.phone
            items.append(("phone", lab.get("phone", "") + p.phone))
        if r.random() < 0.82:
            shown = r.choice(
                [
                    f"{p.city}, {p.region}",
                    f"{p.city}, {p.region}",
                    p.city,
                    f"{p.city}, {p.country}" if p.region != p.country else f"{p.city}, {p.region}",
                ]
            )
            if p.region not in (p.country, "UK") and r.random() < 0.2:
                shown = f"{p.city}, {p.region}, {p.country}"
            self.truth["location"] = shown
            items.append(("location", lab.get("location", "") + shown))
        label_only = r.random() < 0.12
        for kind, url in p.links:
            nice = {
                "linkedin": "LinkedIn",
                "github": "GitHub",
                "gitlab": "GitLab",
                "site": "Portfolio",
                "blog": "Blog",
                "kaggle": "Kaggle",
                "stackoverflow": "Stack Overflow",
                "behance": "Behance",
                "dribbble": "Dribbble",
                "twitter": "Twitter",
                "scholar": "Google Scholar",
                "orcid": "ORCID",
            }[kind]
            if label_only:  # hyperlinks lost in extraction: the text shows only the label
                items.append(("link", nice))
                continue
            self.truth["links"].append(url)
            items.append(("link", f"{nice}: {url}" if labelled or r.random() < 0.2 else url))
        return items

    def summary(self) -> list[str]:
        if not self.p.summary:
            return []
        self.truth["summary"] = self.p.summary
        return self.wrap(self.p.summary)

    def job_lines(
        self,
        job: Job,
        family: str,
        glyph: str | None = None,
        company_upper: bool = False,
        max_bullets: int | None = None,
        template: str | None = None,
    ) -> list[str]:
        r = self.rng
        company = job.company.upper() if company_upper else job.company
        dates, start, end = self.date_range(job.start, job.end)
        location = job.location if self.show_job_location else None
        tmpl = template or r.choice(JOB_TEMPLATES[family])
        if location is None or "{L}" not in tmpl:
            tmpl = _NO_LOCATION.sub("", tmpl)
            location = None
        title_line = next(line for line in tmpl.split("\n") if "{T}" in line)
        title = self.title_with_team(job.title) if "{C}" not in title_line else job.title
        text = tmpl.replace("{P}", self.pad()).format(T=title, C=company, L=location, D=dates)
        lines = text.split("\n")
        if not self.lang and r.random() < 0.07:
            lines.append(r.choice(TEAM_LINES).format(t=r.choice(TEAMS), n=r.randint(3, 40)))
        return lines + self.role_body(job, company, title, start, end, location, glyph, max_bullets)

    def title_with_team(self, title: str) -> str:
        """The title, sometimes with a team after it; only where the employer is on a line of its own."""
        if self.lang or self.rng.random() >= TITLE_TEAM_SHARE:
            return title
        return self.rng.choice(TITLE_TEAM_FORMS).format(t=title, team=self.rng.choice(TEAMS))

    def role_body(
        self,
        job: Job,
        company: str,
        title: str,
        start: str | None,
        end: str | None,
        location: str | None,
        glyph: str | None = None,
        max_bullets: int | None = None,
    ) -> list[str]:
        """The bullets of one role; records the role in the truth."""
        lines: list[str] = []
        bullets = job.bullets[:max_bullets] if max_bullets is not None else job.bullets
        if bullets and not self.lang and self.rng.random() < 0.06:
            lines.append(self.rng.choice(["Key achievements:", "Responsibilities:", "Achievements:"]))
        for b in bullets:
            lines += self.bullet(b, glyph)
        self.truth["experience"].append(
            {
                "company": company,
                "title": title,
                "start_date": start,
                "end_date": end,
                "location": location,
                "highlights": [b.rstrip(".") if not self.period else b for b in bullets],
            }
        )
        return lines

    def grouped_roles(
        self,
        jobs: list[Job],
        company_upper: bool = False,
        glyph: str | None = None,
        header: str | None = None,
        role_line: str | None = None,
    ) -> list[str]:
        """Several roles at one employer under a single employer header (newest first); each role is its own
        truth entry with that employer, and the header's location, if shown, is every role's location."""
        r = self.rng
        company = jobs[0].company.upper() if company_upper else jobs[0].company
        location = jobs[0].location if self.show_job_location else None
        header = header or r.choice(GROUP_HEADERS)
        if location is None or "{L}" not in header:
            header = _NO_LOCATION.sub("", header)
            location = None
        total = _duration(jobs[-1].start, jobs[0].end)
        lines = header.replace("{P}", self.pad()).format(C=company, L=location, total=total).split("\n")
        role_line = role_line or r.choice(ROLE_LINES)
        for job in jobs:
            dates, start, end = self.date_range(job.start, job.end)
            title = self.title_with_team(job.title)
            shown = role_line.replace("{P}", self.pad()).format(T=title, D=dates, dur=_duration(job.start, job.end))
            lines += shown.split("\n")
            lines += self.role_body(job, company, title, start, end, location, glyph)
        return lines

    def experience(self, family: str, blank_between: bool = True, **kw: Any) -> list[str]:
        lines: list[str] = []
        for i, jobs in enumerate(_employer_runs(self.p.jobs)):
            if i and blank_between:
                lines.append("")
            if len(jobs) > 1 and self.rng.random() < GROUPED_ROLES_SHARE:
                lines += self.grouped_roles(jobs, kw.get("company_upper", False), kw.get("glyph"))
                continue
            for k, job in enumerate(jobs):
                if k and blank_between:
                    lines.append("")
                lines += self.job_lines(job, family, **kw)
        return lines

    def degree_text(self, s: School) -> tuple[str, str, str | None]:
        """(display, degree, field)."""
        r = self.rng
        degree = s.degree_short if r.random() < 0.55 else s.degree_long
        field = s.field
        if field is None or r.random() < 0.06:
            return degree, degree, None
        form = r.choice(["{d} in {f}", "{d} in {f}", "{d}, {f}", "{d} {f}", "{d} ({f})", "{f}, {d}", "{d} – {f}"])
        if form == "{d} {f}" and degree == s.degree_long:
            form = "{d} in {f}"
        return form.format(d=degree, f=field), degree, field

    def school_lines(self, s: School, form: int | None = None) -> list[str]:
        r = self.rng
        shown, degree, field = self.degree_text(s)
        mode = r.random()
        start_t = end_t = None
        if s.expected and not self.lang:
            d, end_t = self.date(s.end, self.edu_date_style)
            dates = r.choice([f"Expected {d}", f"Expected: {d}", f"{d} (expected)"])
        elif mode < 0.45 or s.expected:
            dates, start_t, end_t = self.date_range(s.start, s.end, self.edu_date_style)
        elif mode < 0.9:
            d, end_t = self.date(s.end, self.edu_date_style)
            dates = r.choice([d, d]) if self.lang else r.choice([d, d, f"Graduated {d}", f"Class of {s.end[0]}"])
            if dates.startswith("Class of"):
                end_t = str(s.end[0])
        else:
            dates = ""
        gpa = s.gpa if r.random() < 0.8 else None
        gpa_text = ""
        if gpa:
            label = "CGPA" if "/10" in gpa else r.choice(["GPA", "GPA", "Grade", "Final grade"])
            gpa_text = f"{label}: {gpa}" if not gpa.replace(".", "").isdigit() or r.random() < 0.7 else f"GPA {gpa}"
        form = r.randint(0, 6) if form is None else form
        inst = s.institution
        if form == 0:
            lines = [shown, ", ".join(x for x in (inst, dates) if x)]
        elif form == 1:
            lines = [inst, " | ".join(x for x in (shown, dates) if x)]
        elif form == 2:
            lines = [f"{shown} — {inst}" + (f" ({dates})" if dates else "")]
        elif form == 3:
            lines = [f"{dates}{self.pad()}{shown}, {inst}" if dates else f"{shown}, {inst}"]
        elif form == 4:
            lines = [f"{inst}{self.pad()}{dates}".rstrip(), shown]
        elif form == 5:
            lines = [f"{shown}, {inst}" + (f", {dates}" if dates else "")]
        else:
            lines = [inst, shown] + ([dates] if dates else [])
        if gpa_text:
            if r.random() < 0.5:
                lines[-1] += f" | {gpa_text}" if lines[-1] else gpa_text
            else:
                lines.append(gpa_text)
        for note in s.notes:
            lines += self.bullet(note, glyph=r.choice(["", "-", "•"]))
        self.truth["education"].append(
            {
                "institution": inst,
                "degree": degree,
                "field": field,
                "start_date": start_t,
                "end_date": end_t,
                "gpa": gpa if gpa_text else None,
            }
        )
        return lines

    def education(self, form: int | None = None, blank_between: bool | None = None) -> list[str]:
        lines: list[str] = []
        form = self.rng.randint(0, 6) if form is None else form
        blank_between = self.rng.random() < 0.5 if blank_between is None else blank_between
        for i, s in enumerate(self.p.schools):
            if i and blank_between:
                lines.append("")
            lines += self.school_lines(s, form)
        return lines

    def projects(self) -> list[str]:
        r = self.rng
        lines: list[str] = []
        form = r.randint(0, 4)
        for proj in self.p.projects:
            techs = proj.techs if r.random() < 0.85 else []
            tech_text = ", ".join(techs)
            if form == 0:
                lines.append(f"{proj.name} — {proj.description}" + (f". Technologies: {tech_text}" if techs else ""))
            elif form == 1:
                lines += [f"{proj.name} ({tech_text})" if techs else proj.name, *self.wrap(proj.description)]
            elif form == 2:
                lines += [f"{proj.name} | {' · '.join(techs)}" if techs else proj.name, *self.bullet(proj.description)]
            elif form == 3:
                lines.append(f"{proj.name}: {proj.description}" + (f" [{tech_text}]" if techs else ""))
            else:
                lines += [proj.name, *self.wrap(proj.description)] + ([f"Tech stack: {tech_text}"] if techs else [])
            if r.random() < 0.3 and form != 0:
                lines.append("")
            self.truth["projects"].append({"name": proj.name, "description": proj.description, "technologies": techs})
        return lines

    def _add_skills(self, items: list[str]) -> None:
        seen = {s.lower() for s in self.truth["skills"]}
        for s in items:
            if s.lower() not in seen:
                seen.add(s.lower())
                self.truth["skills"].append(s)

    def skills(self, style: str | None = None, width: int = 96) -> list[str]:
        r = self.rng
        groups = self.p.skill_groups
        flat = [s for _, items in groups for s in items]
        if not flat:
            return []
        style = style or r.choice(
            ["comma", "comma", "grouped", "grouped", "grouped_lines", "bullets", "levels", "grid", "inline_sep"]
        )
        lines: list[str] = []
        if style == "comma":
            lines = self.wrap(", ".join(flat), width=r.choice([0, width]), hyphenate=False)
            self._add_skills(flat)
        elif style == "inline_sep":
            lines = self.wrap(
                r.choice([" • ", " | ", " · ", "; ", " / "]).join(flat), width=r.choice([0, width]), hyphenate=False
            )
            self._add_skills(flat)
        elif style in ("grouped", "grouped_lines"):
            fmt = r.choice(["{l}: {i}", "{l}: {i}", "{L}: {i}", "{l} — {i}", "{l} - {i}", "• {l}: {i}"])
            for label, items in groups:
                joined = ", ".join(items) if r.random() < 0.85 else " | ".join(items)
                if style == "grouped":
                    lines += self.wrap(
                        fmt.format(l=label, L=label.upper(), i=joined), width=r.choice([0, width]), hyphenate=False
                    )
                else:
                    lines += [label, *self.wrap(joined, width=r.choice([0, width]), hyphenate=False)]
                self._add_skills(items)
        elif style == "grouped_column":  # a narrow sidebar: items packed into short lines, never split
            for label, items in groups:
                lines.append(label.upper() if r.random() < 0.3 else label)
                line = ""
                for item in items:
                    if line and len(line) + len(item) + 2 > width:
                        lines.append(line + ",")
                        line = item
                    else:
                        line = f"{line}, {item}" if line else item
                lines.append(line)
                self._add_skills(items)
        elif style == "levels_lines":
            level = r.choice(LEVEL_STYLES)
            lines = [level(s, r) for s in flat]
            self._add_skills(flat)
        elif style == "bullets":
            glyph = self.glyph or "•"
            lines = [f"{glyph} {s}" for s in flat]
            self._add_skills(flat)
        elif style == "levels":
            level = r.choice(LEVEL_STYLES)
            one_per_line = r.random() < 0.6
            shown = [level(s, r) for s in flat]
            lines = shown if one_per_line else self.wrap(", ".join(shown), width=width, hyphenate=False)
            self._add_skills(flat)
        else:  # grid
            cols = r.randint(2, 4)
            cell = max(len(s) for s in flat) + r.randint(2, 6)
            for i in range(0, len(flat), cols):
                lines.append("".join(s.ljust(cell) for s in flat[i : i + cols]).rstrip())
            self._add_skills(flat)
        return lines + self.languages_line()

    def languages_line(self) -> list[str]:
        """Spoken languages as one "Languages: …" line inside the skills block (when chosen)."""
        if not self.languages_in_skills or self.truth["languages"]:
            return []
        langs = self.p.languages
        self.truth["languages"] = [lang for lang, _ in langs]
        label = self.rng.choice(self.titles("languages"))
        return [f"{label}: " + ", ".join(f"{lang} ({lvl.lower() if len(lvl) > 2 else lvl})" for lang, lvl in langs)]

    def certifications(self) -> list[str]:
        r = self.rng
        lines: list[str] = []
        form = r.randint(0, 3)
        for name, year in self.p.certs:
            if year and form == 0:
                text = f"{name} ({year})"
            elif year and form == 1:
                text = f"{name}, {year}"
            elif year and form == 2:
                text = f"{year}{self.pad()}{name}"
            else:
                text = name
            lines += self.bullet(text, glyph=r.choice([self.glyph, "", "-"]))
            self.truth["certifications"].append(name)
        return lines

    def languages(self) -> list[str]:
        r = self.rng
        langs = self.p.languages
        if not langs or self.truth["languages"]:
            return []
        form = r.randint(0, 4)
        self.truth["languages"] = [lang for lang, _ in langs]
        if form == 0:
            return [", ".join(f"{lang} ({lvl})" for lang, lvl in langs)]
        if form == 1:
            return [f"{lang}: {lvl}" for lang, lvl in langs]
        if form == 2:
            return [
                f"{self.glyph or '•'} {lang} – {lvl if len(lvl) == 2 or r.random() < 0.5 else lvl.lower()}"
                for lang, lvl in langs
            ]
        if form == 3:
            return [" | ".join(f"{lang} {lvl}" for lang, lvl in langs)]
        return [f"{lang}{self.pad()}{lvl}" for lang, lvl in langs]

    def extras(self) -> dict[str, list[str]]:
        """Sections outside the schema (volunteering, awards …): text only, never truth."""
        p, r = self.p, self.rng
        out: dict[str, list[str]] = {}
        if p.volunteer:
            lines: list[str] = []
            for org, role, desc, year in p.volunteer:
                lines.append(
                    r.choice(
                        [
                            f"{role}, {org} ({year}{self.sep}{self.present})",
                            f"{org} — {role}, {year}",
                            f"{role} | {org} | {year}",
                        ]
                    )
                )
                lines += self.bullet(desc)
            out["volunteer"] = lines
        if p.awards:
            out["awards"] = [line for a in p.awards for line in self.bullet(a)]
        if p.publications:
            out["publications"] = [line for pub in p.publications for line in self.wrap(pub)]
        if p.interests:
            out["interests"] = [", ".join(p.interests) if r.random() < 0.6 else " · ".join(p.interests)]
        if p.memberships:
            out["memberships"] = [line for m in p.memberships for line in self.bullet(m)]
        return out

    def section(self, key: str, body: list[str], heading_style: str | None = None) -> list[str]:
        if not body:
            return []
        return self.heading(key, heading_style) + body


# --- layout families ----------------------------------------------------------------------------


def _order(ctx: Ctx, edu_first: bool | None = None, skills_first: bool | None = None) -> list[str]:
    r = ctx.rng
    if edu_first is None:
        edu_first = (ctx.p.seniority == "junior" and r.random() < 0.6) or r.random() < 0.1
    if skills_first is None:
        skills_first = r.random() < 0.3
    order = ["summary"]
    if skills_first:
        order.append("skills")
    order += ["education", "experience"] if edu_first else ["experience", "education"]
    order.append("projects")
    if not skills_first:
        order.insert(len(order) - (0 if r.random() < 0.5 else 1), "skills")
    tail = ["certifications", "languages", "volunteer", "awards", "publications", "interests", "memberships"]
    r.shuffle(tail)
    return order + tail


def _assemble(
    ctx: Ctx, order: list[str], bodies: dict[str, Callable[[], list[str]]], heading_style: str | None = None
) -> list[str]:
    extras = ctx.extras()
    lines: list[str] = []
    for key in order:
        if key in extras:
            body = extras[key]
        elif key in bodies:
            body = bodies[key]()
        else:
            continue
        if key == "summary" and ctx.rng.random() < 0.2 and body:
            lines += ["", *body]  # summaries often come without a heading
            continue
        lines += ctx.section(key, body, heading_style)
    if ctx.p.references:
        lines += ["", ctx.p.references]
    return lines + ctx.contact_at_bottom


def _common_bodies(ctx: Ctx, family: str, **job_kw: Any) -> dict[str, Callable[[], list[str]]]:
    return {
        "summary": ctx.summary,
        "experience": lambda: ctx.experience(family, blank_between=ctx.rng.random() < 0.7, **job_kw),
        "education": ctx.education,
        "projects": ctx.projects,
        "skills": ctx.skills,
        "certifications": ctx.certifications,
        "languages": ctx.languages,
    }


def layout_classic(ctx: Ctx) -> list[str]:
    return ctx.header() + _assemble(ctx, _order(ctx), _common_bodies(ctx, "title_first"))


def layout_caps_company_first(ctx: Ctx) -> list[str]:
    ctx.heading_style = ctx.rng.choice(["upper", "rule", "spaced", "upper"])
    upper = ctx.rng.random() < 0.4
    return ctx.header(name_upper=True) + _assemble(
        ctx, _order(ctx), _common_bodies(ctx, "company_first", company_upper=upper)
    )


def layout_one_line_title(ctx: Ctx) -> list[str]:
    return ctx.header() + _assemble(ctx, _order(ctx), _common_bodies(ctx, "one_line_title"))


def layout_one_line_company(ctx: Ctx) -> list[str]:
    return ctx.header() + _assemble(ctx, _order(ctx), _common_bodies(ctx, "one_line_company"))


def layout_dates_left(ctx: Ctx) -> list[str]:
    bodies = _common_bodies(ctx, "dates_first")
    bodies["education"] = lambda: ctx.education(form=3)
    return ctx.header(style=ctx.rng.choice(["stacked", "labelled"])) + _assemble(ctx, _order(ctx), bodies)


def layout_markdown(ctx: Ctx) -> list[str]:
    r = ctx.rng
    ctx.wrap_width = 0
    ctx.glyph = r.choice(["-", "*", "-"])
    p = ctx.p
    ctx.truth["name"] = p.name
    lines = [f"# {p.name}"]
    if r.random() < 0.5:
        lines.append(f"**{p.headline}**")
    items = ctx.contact_items(labelled=False)
    md_items = []
    for kind, text in items:
        if kind == "link" and ":" in text and not text.startswith("http"):
            label, _, url = text.partition(": ")
            md_items.append(f"[{label}]({url})")
        elif kind == "email" and r.random() < 0.3:
            md_items.append(f"[{text}](mailto:{text})")
        else:
            md_items.append(text)
    lines.append(" | ".join(md_items) if r.random() < 0.7 else "  \n".join(md_items))
    ctx.blank_before_heading = True

    def md_jobs() -> list[str]:
        out: list[str] = []
        for jobs in _employer_runs(p.jobs):
            if len(jobs) > 1 and r.random() < GROUPED_ROLES_SHARE:
                header = r.choice(["### {C}", "### {C} — {L}", "## {C}, {L}"])
                role = r.choice(["**{T}** ({D})", "**{T}**{P}*{D}*", "#### {T}\n*{D}*", "**{T}** · {D} · {dur}"])
                out += ["", *ctx.grouped_roles(jobs, header=header, role_line=role)]
                continue
            for job in jobs:
                tmpl = r.choice(
                    [
                        "### {T} — {C}\n*{D}*",
                        "### {T} | {C} | {D}",
                        "### {C}\n**{T}** · {D}",
                        "**{T}**, {C} ({D})",
                        "### {T} @ {C}\n_{D} · {L}_",
                    ]
                )
                out += ["", *ctx.job_lines(job, "title_first", template=tmpl)]
        return out

    def md_skills() -> list[str]:
        if r.random() < 0.6:
            out = []
            for label, skill_items in p.skill_groups:
                out.append(f"- **{label}:** {', '.join(skill_items)}")
                ctx._add_skills(skill_items)
            return out
        return ctx.skills(style=r.choice(["comma", "bullets"]))

    bodies = _common_bodies(ctx, "title_first")
    bodies["experience"] = md_jobs
    bodies["skills"] = md_skills
    return lines + _assemble(ctx, _order(ctx), bodies, heading_style="md")


def layout_two_column(ctx: Ctx) -> list[str]:
    """A sidebar (contact, skills, languages, certifications) whose lines interleave with the main column."""
    r = ctx.rng
    p = ctx.p
    ctx.wrap_width = 0  # sidebar lines are short and never wrapped
    ctx.truth["name"] = p.name.upper() if r.random() < 0.4 else p.name
    main = [ctx.truth["name"]] + ([p.headline] if r.random() < 0.6 else [])
    main = ctx.doc_title() + main
    side: list[str] = [r.choice(ctx.titles("contact"))]
    side += [text for _, text in ctx.contact_items(labelled=r.random() < 0.3)]

    def side_section(key: str, body: list[str]) -> None:
        if body:
            side.extend(
                [
                    "",
                    r.choice(ctx.titles(key)).upper() if r.random() < 0.6 else r.choice(ctx.titles(key)),
                    *body,
                ]
            )

    side_section(
        "skills", ctx.skills(style=r.choice(["bullets", "grouped_column", "levels_lines", "bullets"]), width=28)
    )
    side_section("languages", ctx.languages())
    side_section("certifications", ctx.certifications())
    ctx.wrap_width = r.choice([58, 64, 70])
    order = [k for k in _order(ctx) if k not in ("skills", "languages", "certifications")]
    main += _assemble(ctx, order, _common_bodies(ctx, r.choice(["title_first", "company_first"])))
    mode = r.choice(["side_by_side", "side_by_side", "chunked", "sidebar_first", "sidebar_last"])
    if mode == "sidebar_first":
        return [*side, "", *main]
    if mode == "sidebar_last":
        return [*main, "", *side]
    if mode == "chunked":
        out: list[str] = []
        i = j = 0
        while i < len(main) or j < len(side):
            k = r.randint(4, 12)
            out += main[i : i + k]
            i += k
            k = r.randint(1, 4)
            out += side[j : j + k]
            j += k
        return out
    left_side = r.random() < 0.5
    width = max(len(x) for x in (side if left_side else main)) + r.randint(3, 8)
    out = []
    offset = r.randint(0, 3)
    padded_side = [""] * offset + side
    for k in range(max(len(main), len(padded_side))):
        m = main[k] if k < len(main) else ""
        s = padded_side[k] if k < len(padded_side) else ""
        out.append((s.ljust(width) + m if left_side else m.ljust(width) + s).rstrip())
    return out


def layout_academic_cv(ctx: Ctx) -> list[str]:
    r = ctx.rng
    title = r.choice(ctx.lang.doc_titles if ctx.lang else ["CURRICULUM VITAE", "Curriculum Vitae", "CV"])
    lines = [title, "", *ctx.header(style="stacked", titled=False)]
    bodies = _common_bodies(ctx, r.choice(["dates_first", "title_first"]))
    order = [
        "summary",
        "education",
        "experience",
        "publications",
        "projects",
        "awards",
        "skills",
        "certifications",
        "languages",
        "volunteer",
        "interests",
        "memberships",
    ]
    if ctx.p.occupation == "research":
        title = r.choice(["Academic Appointments", "Research Experience", "Positions"])
        exp = bodies["experience"]

        def titled_exp() -> list[str]:
            body = exp()
            return ["", title.upper() if ctx.heading_style == "upper" else title, *body] if body else []

        bodies["experience"] = titled_exp
        out = lines
        for key in order:
            if key == "experience":
                out += bodies["experience"]()
            else:
                out += _assemble_one(ctx, key, bodies)
        if ctx.p.references:
            out += ["", ctx.p.references]
        return out
    return lines + _assemble(ctx, order, bodies)


def _assemble_one(ctx: Ctx, key: str, bodies: dict[str, Callable[[], list[str]]]) -> list[str]:
    extras = ctx.extras() if key in ("volunteer", "awards", "publications", "interests", "memberships") else {}
    body = extras.get(key) if key in extras else bodies[key]() if key in bodies else []
    return ctx.section(key, body or [])


def layout_compact_pipe(ctx: Ctx) -> list[str]:
    r = ctx.rng
    p = ctx.p
    ctx.wrap_width = 0
    ctx.truth["name"] = p.name
    items = ctx.contact_items(labelled=False)
    lines = [f"{p.name} | " + " | ".join(t for _, t in items)]
    ctx.heading_style = r.choice(["upper", "colon"])
    ctx.blank_before_heading = r.random() < 0.5
    if p.summary and r.random() < 0.5:
        lines += ctx.summary()
    lines += ctx.heading("experience") if p.jobs else []
    for job in p.jobs[:4]:
        lines += ctx.job_lines(job, "one_line_title", max_bullets=r.randint(0, 2))
    if p.schools:
        lines += ctx.heading("education")
        for s in p.schools[:2]:
            lines += ctx.school_lines(s, form=5)
    skills = ctx.skills(style="inline_sep")
    if skills:
        lines += [f"{r.choice(['SKILLS', 'Skills'])}: {skills[0]}", *skills[1:]]
    return lines


def layout_label_value(ctx: Ctx) -> list[str]:
    """Form-like resumes ("Organisation: …", "Designation: …", personal details, declaration)."""
    r = ctx.rng
    p = ctx.p
    ctx.truth["name"] = p.name
    lines = [r.choice(["RESUME", "Resume", "CURRICULUM VITAE", ""]), f"Name: {p.name}" if r.random() < 0.5 else p.name]
    for kind, text in ctx.contact_items(labelled=False):
        label = {
            "email": r.choice(["Email", "E-mail", "Email ID"]),
            "phone": r.choice(["Mobile", "Phone", "Contact No"]),
            "location": r.choice(["Address", "Location", "Current Location"]),
            "link": "Profile",
        }[kind]
        lines.append(f"{label}: {text}")
    ctx.heading_style = r.choice(["upper", "title", "colon", "underline_dash"])
    bodies = _common_bodies(ctx, "title_first")

    def lv_jobs() -> list[str]:
        out: list[str] = []
        keys = r.choice(
            [
                ("Organisation", "Designation", "Duration", "Location"),
                ("Company", "Role", "Period", "Location"),
                ("Employer", "Position", "Dates", "Place"),
            ]
        )
        for job in p.jobs:
            dates, start, end = ctx.date_range(job.start, job.end)
            location = job.location if ctx.show_job_location else None
            out += ["", f"{keys[0]}: {job.company}", f"{keys[1]}: {job.title}", f"{keys[2]}: {dates}"]
            if location:
                out.append(f"{keys[3]}: {location}")
            if job.bullets:
                out.append(r.choice(["Roles & Responsibilities:", "Responsibilities:", "Key Responsibilities:"]))
                for b in job.bullets:
                    out += ctx.bullet(b)
            ctx.truth["experience"].append(
                {
                    "company": job.company,
                    "title": job.title,
                    "start_date": start,
                    "end_date": end,
                    "location": location,
                    "highlights": [b.rstrip(".") if not ctx.period else b for b in job.bullets],
                }
            )
        return out

    def lv_edu() -> list[str]:
        out = [" | ".join(["Qualification", "Institution", "Year", "Score"])]
        for s in p.schools:
            shown, degree, field = ctx.degree_text(s)
            d, end_t = ctx.date(s.end, "YYYY")
            out.append(" | ".join([shown, s.institution, d, s.gpa or "-"]))
            ctx.truth["education"].append(
                {
                    "institution": s.institution,
                    "degree": degree,
                    "field": field,
                    "start_date": None,
                    "end_date": end_t,
                    "gpa": s.gpa,
                }
            )
        return out

    bodies["experience"] = lv_jobs
    bodies["education"] = lv_edu
    lines += _assemble(ctx, _order(ctx, skills_first=r.random() < 0.5), bodies)
    if r.random() < 0.6:
        lines += [
            "",
            "PERSONAL DETAILS" if r.random() < 0.5 else "Personal Details",
            f"Date of Birth: {r.randint(1, 28):02d}/{r.randint(1, 12):02d}/{r.randint(1975, 2001)}",
            f"Nationality: {r.choice(['Indian', 'British', 'German', 'Brazilian', 'Mexican', 'French'])}",
            f"Marital Status: {r.choice(['Single', 'Married'])}",
        ]
    if r.random() < 0.5:
        lines += [
            "",
            "DECLARATION",
            "I hereby declare that the information furnished above is true to the best of my knowledge.",
            f"Place: {p.city}",
            f"({p.name})",
        ]
    return lines


def layout_skills_first(ctx: Ctx) -> list[str]:
    r = ctx.rng
    bodies = _common_bodies(ctx, "company_first")
    bodies["skills"] = lambda: ctx.skills(style=r.choice(["levels", "grid", "grouped", "bullets"]))
    order = [
        "summary",
        "skills",
        "experience",
        "projects",
        "education",
        "certifications",
        "languages",
        "awards",
        "volunteer",
        "interests",
        "memberships",
    ]
    return ctx.header() + _assemble(ctx, order, bodies)


def layout_plain_ascii(ctx: Ctx) -> list[str]:
    r = ctx.rng
    ctx.heading_style = r.choice(["underline", "underline_dash"])
    ctx.glyph = r.choice(["*", "-", "o", "+"])
    ctx.wrap_width = r.choice([72, 76, 80])
    ctx.hyphenate = r.random() < 0.25

    def dotted_jobs() -> list[str]:
        out: list[str] = []
        for job in ctx.p.jobs:
            dates, start, end = ctx.date_range(job.start, job.end)
            head = f"{job.title}, {job.company}"
            if len(head) + len(dates) + 4 < ctx.wrap_width and r.random() < 0.6:
                head = head + " " + "." * (ctx.wrap_width - len(head) - len(dates) - 2) + " " + dates
                out += ["", head]
            else:
                out += ["", head, dates]
            for b in job.bullets:
                out += ctx.bullet(b, indent="  ")
            ctx.truth["experience"].append(
                {
                    "company": job.company,
                    "title": job.title,
                    "start_date": start,
                    "end_date": end,
                    "location": None,
                    "highlights": [b.rstrip(".") if not ctx.period else b for b in job.bullets],
                }
            )
        return out

    bodies = _common_bodies(ctx, "title_first")
    if r.random() < 0.6:
        bodies["experience"] = dotted_jobs
    return ctx.header() + _assemble(ctx, _order(ctx), bodies)


def layout_flat_extraction(ctx: Ctx) -> list[str]:
    """Text flattened by a poor extractor: lines run together, separated by runs of spaces."""
    r = ctx.rng
    ctx.wrap_width = 0
    ctx.glyph = r.choice(["", "", "•"])
    lines = layout_classic(ctx)
    out: list[str] = []
    buf: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        buf.append(line.strip())
        if len(buf) >= r.randint(3, 9):
            out.append(r.choice(["   ", "  ", "     ", " "]).join(buf))
            buf = []
    if buf:
        out.append("  ".join(buf))
    return out


LAYOUTS: dict[str, Callable[[Ctx], list[str]]] = {
    "classic": layout_classic,
    "caps_company_first": layout_caps_company_first,
    "one_line_title": layout_one_line_title,
    "one_line_company": layout_one_line_company,
    "dates_left": layout_dates_left,
    "markdown": layout_markdown,
    "two_column": layout_two_column,
    "academic_cv": layout_academic_cv,
    "compact_pipe": layout_compact_pipe,
    "label_value": layout_label_value,
    "skills_first": layout_skills_first,
    "plain_ascii": layout_plain_ascii,
    "flat_extraction": layout_flat_extraction,
}

PAGE_FOOTERS = ["Page {i} of {n}", "{i} / {n}", "- {i} -", "Page {i}", "{i}"]
PAGE_HEADERS = ["{name} – Resume", "{name} | {email}", "{name}", "Resume of {name}", "{name} — Page {i}"]


def _page_noise(ctx: Ctx, lines: list[str]) -> list[str]:
    """Footers with page numbers and a repeated running header, as PDF extraction leaves them."""
    r = ctx.rng
    if len(lines) < 40 or r.random() > 0.35:
        return lines
    pages = 2 if len(lines) < 90 else 3
    footer = r.choice(PAGE_FOOTERS[1:3] if ctx.lang else PAGE_FOOTERS)  # no English words in a German resume
    header = r.choice(PAGE_HEADERS[1:3] if ctx.lang else PAGE_HEADERS) if r.random() < 0.6 else None
    out: list[str] = []
    targets = [round(len(lines) * k / pages) for k in range(1, pages)]
    # never cut inside a wrapped line: a page ends at the first blank line after its target
    cut_points = {next((i for i in range(t, len(lines)) if not lines[i].strip()), -1) for t in targets}
    page = 1
    for i, line in enumerate(lines):
        if i in cut_points:
            out += ["", footer.format(i=page, n=pages), ""]
            page += 1
            if header:
                out += [header.format(name=ctx.p.name, email=ctx.p.email, i=page), ""]
        out.append(line)
    out += ["", footer.format(i=page, n=pages)]
    return out


def _clean_truth(truth: dict[str, Any]) -> dict[str, Any]:
    for job in truth["experience"]:
        job["highlights"] = [h for h in job["highlights"] if h]
    return truth


def render(
    profile: Profile,
    layout: str,
    rng: random.Random,
    info: dict[str, Any] | None = None,
) -> tuple[str, ParsedResume]:
    """Text and truth of ``profile`` in ``layout``; ``info`` (if given) receives the style choices."""
    ctx = Ctx(profile, rng, layout)
    if info is not None:
        info.update(date_style=ctx.date_style, present=ctx.present, separator=ctx.sep)
    lines = LAYOUTS[layout](ctx)
    if layout not in ("markdown", "flat_extraction", "compact_pipe"):
        lines = _page_noise(ctx, lines)
    text = "\n".join(line.rstrip() for line in lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return text, ParsedResume.model_validate(_clean_truth(ctx.truth))
