"""Real labelled data: JSON Resume documents of real people, rendered as resume text, split by person.

    griller data real                         # ml/data/processed/real/{real_val,real_train}.jsonl
    griller data real --out /tmp/real --json
    griller eval --real --model runs/my-run/adapter --compare smollm2-135m-instruct

The documents live outside the repository (``../shared/data/jsonresume-dev``, or ``GRILLER_JSONRESUME_DIR``)
with their provenance: ``SOURCES.tsv`` and ``NOTICE.tsv`` travel with every copy or derived file we write.
Each document becomes a ground-truth :class:`~ml.schema.ParsedResume` through
:func:`ml.schema.from_json_resume` and is rendered by :func:`render` in layouts unlike the synthetic
generator's (headings in the document's language, title-first or company-first headers, dates before or
after, other bullet marks, skills as grouped lines). Every truth value is written into the text as it is
in the truth (dates in a form :func:`ml.schema.normalize_date` reads back), so a correct parse scores 1.

The split is by person, made once by :func:`assign_splits` (sha256 of the id, stratified by language) and
committed in ``ml/data/jsonresume_split.tsv``; a test checks the file against the rule. Validation people
are never trained on: :func:`training_pool` is the only way to the training documents. In ``meta.layout``
a text rendering is ``text:<name>``; PDF renderings join as ``pdf:<theme>`` examples of the same people.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ml.paths import JSONRESUME_DEV_DIR, JSONRESUME_SPLIT_FILE, PROCESSED_DIR
from ml.preprocessing.build import parse_example
from ml.schema import MONTH_NAMES, PRESENT_WORDS, ParsedResume, from_json_resume, group_label, skill_keywords
from ml.text import resume_language

SOURCE = "jsonresume"
PROVENANCE_FILES = ("SOURCES.tsv", "NOTICE.tsv")
DEFAULT_OUT = PROCESSED_DIR / "real"
VAL_SIZE = 40
SPLIT_SALT = "griller-jsonresume-split-v1"


class JsonResumeError(ValueError):
    """The document folder or the split file is unusable; the message says what to do."""


# --- documents ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RealResume:
    id: str  # "017", as in SOURCES.tsv
    document: dict[str, Any]
    truth: ParsedResume
    language: str  # ISO 639-1 of the document's own words

    @property
    def resume_id(self) -> str:
        return f"{SOURCE}-{self.id}"


def jsonresume_dir() -> Path:
    """The documents' folder: ``GRILLER_JSONRESUME_DIR``, else the shared folder beside the repository."""
    return Path(os.environ.get("GRILLER_JSONRESUME_DIR") or JSONRESUME_DEV_DIR).expanduser()


def document_language(truth: ParsedResume) -> str:
    """The language of the person's own words (summary, titles, highlights, degrees), not of names or tools."""
    words = [truth.summary or ""]
    words += [x or "" for job in truth.experience for x in (job.title, *job.highlights)]
    words += [x or "" for edu in truth.education for x in (edu.degree, edu.field)]
    return resume_language(" ".join(words))


def load_documents(folder: Path | None = None) -> list[RealResume]:
    """Every ``resumes/NNN.json`` of the folder, in id order, with its truth and language."""
    folder = Path(folder) if folder else jsonresume_dir()
    paths = sorted((folder / "resumes").glob("*.json"))
    if not paths or any(not (folder / name).is_file() for name in PROVENANCE_FILES):
        raise JsonResumeError(
            f"{folder}: expected resumes/NNN.json with SOURCES.tsv and NOTICE.tsv (set GRILLER_JSONRESUME_DIR)"
        )
    out = []
    for path in paths:
        document = json.loads(path.read_text(encoding="utf-8"))
        truth = from_json_resume(document)
        out.append(RealResume(path.stem, document, truth, document_language(truth)))
    return out


# --- the split: by person, once ---------------------------------------------------------------------


def _rank(doc_id: str) -> str:
    return hashlib.sha256(f"{SPLIT_SALT}:{doc_id}".encode()).hexdigest()


def assign_splits(languages: dict[str, str], val_size: int = VAL_SIZE) -> dict[str, str]:
    """The rule: ``val_size`` people in ``val``, the rest ``train``; each language gets its share of ``val``
    (largest remainder, ties to the larger language), and within a language the lowest sha256 ranks go."""
    by_language: dict[str, list[str]] = {}
    for doc_id in sorted(languages):
        by_language.setdefault(languages[doc_id], []).append(doc_id)
    total = len(languages)
    quotas = {lang: len(ids) * val_size / total for lang, ids in by_language.items()}
    seats = {lang: int(q) for lang, q in quotas.items()}
    order = sorted(quotas, key=lambda lang: (-(quotas[lang] - seats[lang]), -len(by_language[lang]), lang))
    for lang in order[: val_size - sum(seats.values())]:
        seats[lang] += 1
    splits = {doc_id: "train" for doc_id in languages}
    for lang, ids in by_language.items():
        for doc_id in sorted(ids, key=_rank)[: seats[lang]]:
            splits[doc_id] = "val"
    return splits


def write_split_file(resumes: Iterable[RealResume], path: Path = JSONRESUME_SPLIT_FILE) -> dict[str, str]:
    """Apply :func:`assign_splits` and write ``id, split, language`` (the committed file; rerun only to check)."""
    resumes = list(resumes)
    splits = assign_splits({r.id: r.language for r in resumes})
    lines = ["id\tsplit\tlanguage"] + [f"{r.id}\t{splits[r.id]}\t{r.language}" for r in resumes]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return splits


def read_split_file(path: Path = JSONRESUME_SPLIT_FILE) -> dict[str, str]:
    """``id -> split`` from the committed file."""
    rows = Path(path).read_text(encoding="utf-8").splitlines()
    if not rows or rows[0].split("\t")[:2] != ["id", "split"]:
        raise JsonResumeError(f"{path}: expected a TSV with columns id, split")
    return {cols[0]: cols[1] for cols in (row.split("\t") for row in rows[1:] if row.strip())}


def _in_split(resumes: list[RealResume], split: str, path: Path) -> list[RealResume]:
    splits = read_split_file(path)
    missing = [r.id for r in resumes if r.id not in splits]
    if missing:
        raise JsonResumeError(
            f"documents {missing} are not in {path}: give each new person a split there (never move a val person)"
        )
    return [r for r in resumes if splits[r.id] == split]


def training_pool(folder: Path | None = None, split_file: Path = JSONRESUME_SPLIT_FILE) -> list[RealResume]:
    """The people that may be trained on: those the committed split file marks ``train``, and only those."""
    return _in_split(load_documents(folder), "train", split_file)


def validation_people(folder: Path | None = None, split_file: Path = JSONRESUME_SPLIT_FILE) -> list[RealResume]:
    return _in_split(load_documents(folder), "val", split_file)


def pool_theme_pdfs(people: list[RealResume], folders: list[Path]) -> list[tuple[RealResume, str, Path]]:
    """(person, theme, path) of the theme PDFs in ``folders`` named ``<person id>-<theme>.pdf`` (as a data build
    renders them), each file name once, only of ``people``: a validation person's PDF is never among them when
    ``people`` is the training pool."""
    by_id = {person.id: person for person in people}
    found: dict[str, tuple[RealResume, str, Path]] = {}
    for pdf in sorted(path for folder in folders for path in folder.glob("*-*.pdf")):
        person_id, theme = pdf.stem.rsplit("-", 1)
        if person_id in by_id and pdf.name not in found:
            found[pdf.name] = (by_id[person_id], theme, pdf)
    return list(found.values())


# --- rendering ------------------------------------------------------------------------------------

HEADINGS: dict[str, dict[str, list[str]]] = {
    "en": {
        "summary": ["About", "Profile", "Summary"],
        "experience": ["Work", "Experience", "Employment"],
        "education": ["Education", "Studies"],
        "projects": ["Projects", "Things I Built"],
        "skills": ["Skills", "Technologies", "Toolbox"],
        "certifications": ["Certificates", "Certifications"],
        "languages": ["Languages"],
        "volunteer": ["Volunteer", "Volunteering"],
        "awards": ["Awards"],
        "interests": ["Interests"],
        "publications": ["Publications"],
    },
    "es": {
        "summary": ["Perfil", "Sobre mí", "Resumen"],
        "experience": ["Experiencia", "Experiencia laboral", "Trayectoria profesional"],
        "education": ["Formación", "Educación", "Formación académica"],
        "projects": ["Proyectos"],
        "skills": ["Habilidades", "Conocimientos", "Competencias técnicas"],
        "certifications": ["Certificaciones", "Cursos y certificados"],
        "languages": ["Idiomas"],
        "volunteer": ["Voluntariado"],
        "awards": ["Premios", "Reconocimientos"],
        "interests": ["Intereses"],
        "publications": ["Publicaciones"],
    },
    "fr": {
        "summary": ["Profil", "À propos"],
        "experience": ["Expériences professionnelles", "Expérience", "Parcours"],
        "education": ["Formation", "Diplômes"],
        "projects": ["Projets"],
        "skills": ["Compétences", "Compétences techniques"],
        "certifications": ["Certifications"],
        "languages": ["Langues"],
        "volunteer": ["Bénévolat"],
        "awards": ["Distinctions"],
        "interests": ["Centres d'intérêt"],
        "publications": ["Publications"],
    },
    "de": {
        "summary": ["Profil", "Über mich"],
        "experience": ["Berufserfahrung", "Werdegang", "Beruflicher Werdegang"],
        "education": ["Ausbildung", "Studium"],
        "projects": ["Projekte"],
        "skills": ["Kenntnisse", "Fähigkeiten", "Technologien"],
        "certifications": ["Zertifikate"],
        "languages": ["Sprachen"],
        "volunteer": ["Ehrenamt"],
        "awards": ["Auszeichnungen"],
        "interests": ["Interessen"],
        "publications": ["Publikationen"],
    },
    "pt": {
        "summary": ["Sobre mim", "Perfil"],
        "experience": ["Experiência profissional", "Experiência"],
        "education": ["Formação acadêmica", "Educação"],
        "projects": ["Projetos"],
        "skills": ["Habilidades", "Competências"],
        "certifications": ["Certificações"],
        "languages": ["Idiomas"],
        "volunteer": ["Voluntariado"],
        "awards": ["Prêmios"],
        "interests": ["Interesses"],
        "publications": ["Publicações"],
    },
    "pl": {
        "summary": ["Profil", "O mnie"],
        "experience": ["Doświadczenie zawodowe", "Doświadczenie"],
        "education": ["Wykształcenie"],
        "projects": ["Projekty"],
        "skills": ["Umiejętności"],
        "certifications": ["Certyfikaty"],
        "languages": ["Języki"],
        "volunteer": ["Wolontariat"],
        "awards": ["Nagrody"],
        "interests": ["Zainteresowania"],
        "publications": ["Publikacje"],
    },
    "zh": {
        "summary": ["个人简介", "自我评价"],
        "experience": ["工作经历", "工作经验"],
        "education": ["教育背景", "教育经历"],
        "projects": ["项目经历"],
        "skills": ["专业技能", "技能"],
        "certifications": ["证书"],
        "languages": ["语言能力"],
        "volunteer": ["志愿者经历"],
        "awards": ["获奖情况"],
        "interests": ["兴趣爱好"],
        "publications": ["论文发表"],
    },
    "ja": {
        "summary": ["自己PR", "プロフィール"],
        "experience": ["職務経歴", "職歴"],
        "education": ["学歴"],
        "projects": ["プロジェクト"],
        "skills": ["スキル", "技術スタック"],
        "certifications": ["資格"],
        "languages": ["語学"],
        "volunteer": ["ボランティア"],
        "awards": ["受賞歴"],
        "interests": ["趣味"],
        "publications": ["論文"],
    },
}
"""Section headings by document language (other languages read English ones)."""

DOC_TITLES = {"en": "Curriculum Vitae", "es": "Currículum", "fr": "CV", "de": "Lebenslauf", "pt": "Currículo"}
LABELS = {  # the few words a layout writes beside values
    "en": {"gpa": "GPA", "tech": "Stack", "to": "to", "other": "Other"},
    "es": {"gpa": "Nota media", "tech": "Tecnologías", "to": "a", "other": "Otros"},
    "fr": {"gpa": "Moyenne", "tech": "Technologies", "to": "à", "other": "Autres"},
    "de": {"gpa": "Note", "tech": "Technologien", "to": "bis", "other": "Sonstiges"},
    "pt": {"gpa": "Média", "tech": "Tecnologias", "to": "a", "other": "Outros"},
}
NAMED_MONTHS = frozenset(MONTH_NAMES)
"""Languages whose month names :func:`ml.schema.normalize_date` reads; the others get numeric dates."""

LAYOUTS = ("text:headline", "text:chronicle", "text:markdown", "text:inline")
"""Text renderings. ``headline``: title — company, then place and dates, ``–`` bullets, grouped skill lines.
``chronicle``: a document title, upper-case headings, dates first, then company and title on their own lines,
``»`` bullets, skill groups as a label line over their keywords. ``markdown``: a JSON Resume markdown export,
company as ``###``, **title** · _dates_. ``inline``: one-line ``Title, Company (place) — dates`` headers, dates
with a word (``to``, ``bis``), skills as one flat line."""


class _Writer:
    """The choices of one rendering (language, heading variants, date style …), seeded by person and layout."""

    def __init__(self, person: RealResume, layout: str) -> None:
        self.person, self.layout = person, layout
        self.rng = random.Random(_rank(f"{person.id}:{layout}"))
        self.lang = person.language if person.language in HEADINGS else "en"
        self.words = LABELS.get(self.lang, LABELS["en"])
        styles = ["full", "abbr", "numeric", "iso"] if person.language in NAMED_MONTHS else ["numeric", "iso", "dots"]
        self.date_style = self.rng.choice(styles)
        presents = PRESENT_WORDS.get(person.language, PRESENT_WORDS["en"])
        self.present = self.rng.choice(presents[:3])

    def heading(self, key: str) -> str:
        return self.rng.choice(HEADINGS[self.lang][key])

    def date(self, value: str | None) -> str:
        if not value:
            return ""
        if value == "present":
            return self.present
        year, _, month = value.partition("-")
        if not month:
            return year
        m = int(month)
        if self.date_style in ("full", "abbr"):
            full, abbr = MONTH_NAMES[self.person.language]
            name = (full if self.date_style == "full" else abbr)[m - 1]
            return f"{name} de {year}" if self.lang in ("es", "pt") and self.date_style == "full" else f"{name} {year}"
        return {"numeric": f"{month}/{year}", "iso": value, "dots": f"{month}.{year}"}[self.date_style]

    def period(self, start: str | None, end: str | None, sep: str = " – ") -> str:
        return sep.join(d for d in (self.date(start), self.date(end)) if d)


def _document_sections(document: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = document.get(key)
    return [e for e in value if isinstance(e, dict) and e.get("hide") is not True] if isinstance(value, list) else []


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def skill_groups(person: RealResume) -> list[tuple[str | None, list[str]]]:
    """(group label or None, keywords) in document order, each group's keywords as the person wrote them (a tag
    repeated under several named skills is printed under each); name-only groups gather under one unlabelled line.
    Labels aside, the keywords flattened and de-duplicated are exactly ``truth.skills``; where the groups name
    their skills (:func:`~ml.schema.skills_are_named`) the labels are skills too."""
    groups: list[tuple[str | None, list[str]]] = []
    loose: list[str] = []
    for group in person.document.get("skills") or []:
        keywords = skill_keywords(group)
        label = group_label(group)
        if label and keywords and keywords != [label]:
            groups.append((label, keywords))
        else:
            loose += keywords
    return groups + ([(None, loose)] if loose else [])


def _fluency(person: RealResume) -> dict[str, str]:
    out = {}
    for entry in person.document.get("languages") or []:
        if isinstance(entry, dict):
            name, level = _str(entry.get("language") or entry.get("name")), _str(entry.get("fluency"))
            if name and level:
                out[name] = level
    return out


def _extras(person: RealResume, w: _Writer) -> list[tuple[str, list[str]]]:
    """Sections outside the schema, as resumes have them (never in the truth): volunteering, awards, interests."""
    doc = person.document
    out = []
    volunteer = [
        " — ".join(x for x in (_str(v.get("position")), _str(v.get("organization"))) if x)
        for v in _document_sections(doc, "volunteer")
    ]
    awards = [
        " — ".join(x for x in (_str(a.get("title")), _str(a.get("awarder"))) if x) for a in doc.get("awards") or []
    ]
    interests = [_str(i.get("name")) for i in doc.get("interests") or [] if isinstance(i, dict)]
    for key, items in (("volunteer", volunteer), ("awards", awards), ("interests", interests)):
        items = [i for i in items if i][:4]
        if items:
            out.append((w.heading(key), items))
    return out


def _contact(truth: ParsedResume, sep: str) -> list[str]:
    line = sep.join(x for x in (truth.email, truth.phone, truth.location) if x)
    return [line] if line else []


def _layout_headline(p: RealResume, w: _Writer) -> list[str]:
    t, doc = p.truth, p.document
    mark = w.rng.choice(["–", "-", "+"])
    lines = [t.name or "", _str(doc.get("basics", {}).get("label")), *_contact(t, " · ")]
    lines += [" · ".join(t.links)] if t.links else []
    if t.summary:
        lines += ["", w.heading("summary"), t.summary]
    if t.experience:
        lines += ["", w.heading("experience")]
        for job in t.experience:
            lines.append(" — ".join(x for x in (job.title, job.company) if x))
            when = " · ".join(x for x in (job.location, w.period(job.start_date, job.end_date)) if x)
            lines += [when] if when else []
            lines += [f"{mark} {h}" for h in job.highlights]
            lines.append("")
    if t.education:
        lines += ["", w.heading("education")]
        for edu in t.education:
            what = ", ".join(x for x in (edu.degree, edu.field) if x)
            lines.append(" — ".join(x for x in (what, edu.institution) if x))
            gpa = f"{w.words['gpa']}: {edu.gpa}" if edu.gpa else ""
            when = " · ".join(x for x in (w.period(edu.start_date, edu.end_date), gpa) if x)
            lines += [when] if when else []
    lines += _projects(t, w, mark)
    if t.skills:
        lines += ["", w.heading("skills")]
        lines += [f"{label or w.words['other']}: {', '.join(kws)}" for label, kws in skill_groups(p)]
    lines += _tail(p, w, lambda items: [", ".join(items)], mark)
    return lines


def _layout_chronicle(p: RealResume, w: _Writer) -> list[str]:
    t = p.truth
    mark = w.rng.choice(["»", "›", "▸"])
    lines = [DOC_TITLES.get(w.lang, "CV").upper(), "", t.name or "", *_contact(t, " | "), *t.links]
    if t.summary:
        lines += ["", w.heading("summary").upper(), t.summary]
    if t.experience:
        lines += ["", w.heading("experience").upper()]
        for job in t.experience:
            lines += ["", w.period(job.start_date, job.end_date, " - ")]
            lines.append(", ".join(x for x in (job.company, job.location) if x))
            lines += [job.title] if job.title else []
            first, *rest = job.highlights or [""]
            lines += ([first] if first else []) + [f"{mark} {h}" for h in rest]
    if t.education:
        lines += ["", w.heading("education").upper()]
        for edu in t.education:
            lines += ["", w.period(edu.start_date, edu.end_date, " - ")]
            lines += [x for x in (edu.institution, " · ".join(y for y in (edu.degree, edu.field) if y)) if x]
            lines += [f"{w.words['gpa']} {edu.gpa}"] if edu.gpa else []
    lines += _projects(t, w, mark)
    if t.skills:
        lines += ["", w.heading("skills").upper()]
        for label, keywords in skill_groups(p):
            lines += ([label] if label else []) + ["  " + " · ".join(keywords)]
    lines += _tail(p, w, lambda items: items, mark, upper=True)
    return lines


def _layout_markdown(p: RealResume, w: _Writer) -> list[str]:
    t, doc = p.truth, p.document
    label = _str(doc.get("basics", {}).get("label"))
    lines = [f"# {t.name or ''}"] + ([f"*{label}*"] if label else []) + _contact(t, " | ")
    lines += [f"<{link}>" for link in t.links]
    if t.summary:
        lines += ["", f"## {w.heading('summary')}", "", t.summary]
    if t.experience:
        lines += ["", f"## {w.heading('experience')}"]
        for job in t.experience:
            lines += ["", f"### {job.company or job.title or ''}"]
            title = f"**{job.title}**" if job.title and job.company else ""
            period = w.period(job.start_date, job.end_date)
            meta = " · ".join(x for x in (title, f"_{period}_" if period else "", job.location or "") if x)
            lines += [meta, ""] if meta else [""]
            lines += [f"* {h}" for h in job.highlights]
    if t.education:
        lines += ["", f"## {w.heading('education')}"]
        for edu in t.education:
            lines += ["", f"### {edu.institution or edu.degree or ''}"]
            degree = edu.degree if edu.institution else None
            parts = [degree, edu.field, w.period(edu.start_date, edu.end_date)]
            parts += [f"{w.words['gpa']} {edu.gpa}"] if edu.gpa else []
            lines += [" · ".join(x for x in parts if x)]
    lines += _projects(t, w, "*", prefix="## ")
    if t.skills:
        lines += ["", f"## {w.heading('skills')}", ""]
        lines += [
            f"- **{label}**: {', '.join(kws)}" if label else f"- {', '.join(kws)}" for label, kws in skill_groups(p)
        ]
    lines += _tail(p, w, lambda items: [f"- {i}" for i in items], "-", prefix="## ")
    return lines


def _layout_inline(p: RealResume, w: _Writer) -> list[str]:
    t = p.truth
    mark = w.rng.choice(["•", "·", "*"])
    sep = f" {w.words['to']} "
    lines = [t.name or "", *_contact(t, ", "), *([" | ".join(t.links)] if t.links else [])]
    if t.summary:
        lines += ["", f"{w.heading('summary').upper()}:", t.summary]
    if t.experience:
        lines += ["", f"{w.heading('experience').upper()}:"]
        for job in t.experience:
            head = ", ".join(x for x in (job.title, job.company) if x)
            head += f" ({job.location})" if job.location else ""
            period = w.period(job.start_date, job.end_date, sep)
            lines.append(f"{head} — {period}" if period else head)
            lines += [f"  {mark} {h}" for h in job.highlights]
    if t.education:
        lines += ["", f"{w.heading('education').upper()}:"]
        for edu in t.education:
            head = ", ".join(x for x in (edu.degree, edu.field, edu.institution) if x)
            period = w.period(edu.start_date, edu.end_date, sep)
            gpa = f"; {w.words['gpa']} {edu.gpa}" if edu.gpa else ""
            lines.append((f"{head} ({period})" if period else head) + gpa)
    lines += _projects(t, w, mark, suffix=":")
    if t.skills:
        lines += ["", f"{w.heading('skills').upper()}: " + ", ".join(t.skills)]
    lines += _tail(p, w, lambda items: [", ".join(items)], mark, suffix=":")
    return lines


def _projects(t: ParsedResume, w: _Writer, mark: str, prefix: str = "", suffix: str = "") -> list[str]:
    if not t.projects:
        return []
    lines = ["", f"{prefix}{w.heading('projects')}{suffix}"]
    for project in t.projects:
        lines.append(" — ".join(x for x in (project.name, project.description) if x) or "")
        if project.technologies:
            lines.append(f"{mark} {w.words['tech']}: {', '.join(project.technologies)}")
    return lines


def _tail(p: RealResume, w: _Writer, show, mark: str, prefix: str = "", suffix: str = "", upper: bool = False):
    """Certifications, languages (with their level) and the sections outside the schema, in a seeded order."""
    t = p.truth
    fluency = _fluency(p)

    def title(key_or_text: str, is_key: bool = True) -> str:
        text = w.heading(key_or_text) if is_key else key_or_text
        return f"{prefix}{text.upper() if upper else text}{suffix}"

    blocks: list[list[str]] = []
    if t.certifications:
        blocks.append(["", title("certifications"), *[f"{mark} {c}" for c in t.certifications]])
    if t.languages:
        shown = [f"{lang} ({fluency[lang]})" if lang in fluency else lang for lang in t.languages]
        blocks.append(["", title("languages"), *show(shown)])
    for heading, items in _extras(p, w):
        blocks.append(["", title(heading, is_key=False), *show(items)])
    w.rng.shuffle(blocks)
    return [line for block in blocks for line in block]


_RENDERERS = {
    "text:headline": _layout_headline,
    "text:chronicle": _layout_chronicle,
    "text:markdown": _layout_markdown,
    "text:inline": _layout_inline,
}


def render(person: RealResume, layout: str) -> str:
    """The person's resume as plain text in one of :data:`LAYOUTS`; deterministic per person and layout."""
    if layout not in _RENDERERS:
        raise JsonResumeError(f"unknown layout {layout!r} (known: {', '.join(LAYOUTS)})")
    lines = _RENDERERS[layout](person, _Writer(person, layout))
    text = "\n".join(line.rstrip() for line in lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip() + "\n"


def example(person: RealResume, layout: str) -> dict[str, Any]:
    """One ``parse_resume`` example in the processed-JSONL contract (prompt from :mod:`ml.tasks`)."""
    meta = {"resume_id": person.resume_id, "source": SOURCE, "layout": layout, "language": person.language}
    return parse_example(render(person, layout), person.truth, meta)


# --- writing the data set ---------------------------------------------------------------------------


def val_layouts(people: list[RealResume]) -> dict[str, str]:
    """One text rendering per validation person, the layouts taken in turn (an even share each)."""
    return {person.id: LAYOUTS[index % len(LAYOUTS)] for index, person in enumerate(sorted(people, key=_id_rank))}


def _id_rank(person: RealResume) -> str:
    return _rank(person.id)


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def copy_provenance(out_dir: Path, folder: Path | None = None) -> None:
    """Copy ``SOURCES.tsv`` and ``NOTICE.tsv`` (provenance and licenses) beside data derived from the documents."""
    folder = Path(folder) if folder else jsonresume_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in PROVENANCE_FILES:
        shutil.copyfile(folder / name, out_dir / name)


def build_real(
    out_dir: Path = DEFAULT_OUT,
    folder: Path | None = None,
    splits: tuple[str, ...] = ("val", "train"),
    split_file: Path = JSONRESUME_SPLIT_FILE,
) -> dict[str, Any]:
    """Write ``real_val.jsonl`` (one rendering per person) and ``real_train.jsonl`` (every layout per person)
    to ``out_dir``, with copies of ``SOURCES.tsv`` and ``NOTICE.tsv``; return a summary."""
    folder = Path(folder) if folder else jsonresume_dir()
    people = load_documents(folder)
    out_dir = Path(out_dir)
    copy_provenance(out_dir, folder)
    summary: dict[str, Any] = {"out": str(out_dir), "source": str(folder), "files": {}}
    for split in splits:
        chosen = _in_split(people, split, split_file)
        if split == "val":
            layouts = val_layouts(chosen)
            rows = [example(person, layouts[person.id]) for person in chosen]
        else:
            rows = [example(person, layout) for person in chosen for layout in LAYOUTS]
        path = out_dir / f"real_{split}.jsonl"
        _write_jsonl(path, rows)
        summary["files"][path.name] = {
            "examples": len(rows),
            "people": len(chosen),
            "layouts": dict(Counter(r["meta"]["layout"] for r in rows)),
            "languages": dict(Counter(person.language for person in chosen)),
        }
    return summary


def real_val_file(out_dir: Path, folder: Path | None = None) -> Path:
    """Build the validation examples into ``out_dir`` (what ``griller eval --real`` evaluates) and return the file."""
    build_real(out_dir, folder, splits=("val",))
    return Path(out_dir) / "real_val.jsonl"


def run_real(out: Path, console: Any | None = None) -> dict[str, Any]:
    """What ``griller data real`` does: build, print a summary to ``console``, return it."""
    summary = build_real(out)
    if console is not None:
        from rich.markup import escape

        console.print(f"wrote real data from {escape(summary['source'])} to {escape(summary['out'])}")
        for name, info in summary["files"].items():
            console.print(f"  {name}: {info['examples']} examples, {info['people']} people, {info['languages']}")
        console.print(f"  with {', '.join(PROVENANCE_FILES)} (licenses and notices: keep them with the data)")
    return summary
