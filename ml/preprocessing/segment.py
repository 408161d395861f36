"""Cut a long resume into short ones a small model reads well, and put their parses back together (issue #29).

A 135M model parses the first four or five jobs of a career well and drifts after them (jobs skipped, merged or
repeated, another job's dates): measured on the real validation set, job 9+ of a long career is found 12% of the
time against 88% for job 1. So a resume with many dated entries (jobs, schools) is cut before entry headers into
parts of at most :data:`ENTRIES_PER_PART` entries; each later part starts with the resume's own first lines (name,
contact) and the section heading it falls under, so each part reads as a short resume of the same person. The parts are
parsed as one batch and :func:`merge_parses` joins them: the first part's contact details, every part's entries
in order (a repeated entry once), the lists' union.

The cut needs no model: an entry's header is the line with its date range (``2019 – 2022``, ``Mar 2021 - heute``,
``05/2018 to present``, ``seit 2020``) and the short lines right above it (title, company).
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from ml.schema import MIN_TAGGED_GROUPS, PRESENT_WORDS, ParsedResume, names_a_skill, tags_repeat
from ml.text import DANGLING_END, LIST_ITEM, date_year, normalise_date, split_outside_parentheses

ENTRIES_PER_PART = 3
"""Most dated entries in one part; a resume with more is cut into parts of even size (7 entries: 3, 2 and 2).
v10 on the real validation set, parts of at most 5 / 3 entries (cut at 7): text 0.685 / 0.696, PDFs 0.411 / 0.438
(``bench/NOTES.md``, "Smaller parts"; with headings carried in any case and cut at 5: 0.715 / 0.454)."""
MIN_ENTRIES_TO_CUT = 5
"""Fewer entries are parsed in one pass: a cut costs a second prompt and risks a header split from its entry.
Cutting at 5 entries rather than 7 (parts of 3): text 0.696 -> 0.705, PDFs 0.438 -> 0.451."""
HEADER_LINES = 3
"""Lines of the resume's head (name, contact) repeated at the top of every later part."""
MAX_HEADER_LINE = 90
"""A line longer than this is prose, not an entry header's title or company line."""

_YEAR = r"(?:19|20)\d{2}"
_MONTH = r"(?:(?:\d{1,2}[/.]){1,2}|[^\W\d_]{3,10}\.?\s+(?:de\s+)?|[^\W\d_]{3,4}\.?,\s*)?"
# 05/2018, 01.05.2018, Mar 2018, sept. 2018, enero de 2018, Mar, 2018
# (a comma only after an abbreviation: "Rio de Janeiro, 2016 - 2020" starts in no month)
_PRESENT = "|".join(sorted({re.escape(w.casefold()) for words in PRESENT_WORDS.values() for w in words}, key=len))
_DATE = rf"{_MONTH}{_YEAR}(?:[-/.]\d{{1,2}}){{0,2}}"  # 2018, 2018-05, 2018-05-01
_RANGE = re.compile(
    rf"(?P<start>{_DATE})\s*(?:–|—|-{{1,3}}|−|to|until|till|bis|à|au|a|al|hasta|até)\s*(?:(?P<end>{_DATE})|{_PRESENT})"
    rf"|(?:since|seit|depuis|desde|dal|dès)\s+(?P<since>{_DATE})",
    re.IGNORECASE,
)
_BULLET = LIST_ITEM
_SECTION_HEADING = re.compile(r"^\s*#{1,2}\s")  # markdown "# Name" / "## Experience"; "### Company" is an entry


def _endpoint(text: str) -> str | None:
    """A range's end as ``YYYY-MM`` or ``YYYY``: a word before the year that is no month (a title's last word, the
    line above's: "Supervisor, 2023-11", "Foods\n2023-05") is left out, and the date read from its year on. A day
    written with its month is read by :func:`_day_month_year`."""
    full = _DAY_MONTH_YEAR.search(text)
    if full:
        return _day_month_year(full)
    return normalise_date(text) or normalise_date(_FROM_YEAR.sub("", text)) or date_year(text)


_DAY_MONTH_YEAR = re.compile(rf"(\d{{1,2}})([/.])(\d{{1,2}})[/.]({_YEAR})")


def _day_month_year(found: re.Match) -> str:
    """The month of a date written with its day: "01.06.2019" is day first (dots: June); with slashes the day is
    the number over 12 ("05/31/2021": May, "31/05/2021": May), and where both could be the month ("06/01/2019",
    June the 1st or January the 6th) only the year is read."""
    first, separator, second, year = int(found[1]), found[2], int(found[3]), found[4]
    if separator == "." or first > 12:
        month = second
    elif second > 12:
        month = first
    else:
        return year
    return f"{year}-{month:02d}" if 1 <= month <= 12 else year


_FROM_YEAR = re.compile(rf"^.*?(?={_YEAR})", re.DOTALL)


def date_range_start(text: str) -> int | None:
    """Where the first date range of ``text`` starts (see :func:`date_ranges`), or ``None``."""
    match = _RANGE.search(text)
    return match.start() if match else None


def trailing_date_range(text: str) -> int | None:
    """Where a date range that ends ``text`` starts, or ``None``: at its month, at a month glued to the word before
    it ("Campus deJul 2024 - Nov 2024", as a PDF's extractor may join them), or at its year where the word before the
    year is no month ("Engineer at Google 2019 - 2022" starts at "2019")."""
    match = next((match for match in _RANGE.finditer(text) if not text[match.end() :].strip()), None)
    if match is None or match["start"] is None or normalise_date(match["start"]) is not None:
        return match.start() if match else None
    start = match["start"]
    year = re.search(_YEAR, start).start()
    word = start[:year].rstrip()
    glued = next((k for k in range(3, len(word)) if normalise_date(f"{word[-k:]} {start[year:]}")), None)
    return match.start("start") + (year if glued is None else len(word) - glued)


def date_range_spans(text: str) -> list[tuple[int, int]]:
    """Where each date range of ``text`` stands: from its month, or from its year where the word before the year is
    no month ("Universidad de Chile 2011-01-01 — 2013-01-01 Ingeniería": from "2011"), to its end."""
    spans = []
    for match in _RANGE.finditer(text):
        begin = match.start()
        if (
            match["start"]
            and normalise_date(match["start"]) is None
            and normalise_date(_FROM_YEAR.sub("", match["start"]))
        ):
            begin = match.start("start") + re.search(_YEAR, match["start"]).start()
        spans.append((begin, match.end()))
    return spans


def date_ranges(text: str) -> list[tuple[str | None, str]]:
    """Every date range written in ``text`` as (start, end), normalised by :func:`~ml.text.normalise_date` in any
    of the resumes' languages (``sep 2016 - dic 2019`` → ``("2016-09", "2019-12")``); an open end is ``present``."""
    ranges = []
    for match in _RANGE.finditer(text):
        if match["since"]:
            ranges.append((_endpoint(match["since"]), "present"))
        else:
            ranges.append((_endpoint(match["start"]), _endpoint(match["end"]) if match["end"] else "present"))
    return ranges


def is_heading(line: str) -> bool:
    """A section heading: markdown ``#``/``##``, an upper-case line without digits, or a short line ending ``:``;
    never a bullet (a skill such as ``· AWS`` is upper-case too)."""
    stripped = line.strip()
    if not stripped or len(stripped) > 40 or _BULLET.match(line):
        return False
    if _SECTION_HEADING.match(stripped):
        return True
    letters = [c for c in stripped if c.isalpha()]
    if len(letters) >= 3 and not any(c.isdigit() for c in stripped) and stripped.upper() == stripped:
        return unicodedata.category(letters[0]).startswith("Lu")
    return stripped.endswith(":") and len(stripped.split()) <= 4


def _header_line(line: str) -> bool:
    """A line that can belong to an entry's header (title, company, location) above its dates."""
    stripped = line.strip()
    return (
        bool(stripped)
        and len(stripped) <= MAX_HEADER_LINE
        and not _BULLET.match(line)
        and not stripped.endswith((".", ";", ","))
        and (stripped.startswith("###") or not is_heading(line))  # markdown's "### ACME" is an employer
    )


def _prose(line: str) -> bool:
    """A sentence (many words, a full stop) or a paragraph: a date range inside it dates no entry. A line that
    opens with its range is a header whatever its end ("2017 until 2020: Senior Android Developer at Oakridge
    Digital Inc.")."""
    stripped = line.strip()
    if len(stripped) <= MAX_HEADER_LINE and date_range_start(stripped) == 0:
        return False
    return len(stripped) > 2 * MAX_HEADER_LINE or (stripped.endswith(".") and len(stripped.split()) > 6)


def entry_starts(lines: list[str]) -> list[int]:
    """The index of the first header line of every dated entry, in order."""
    return [start for start, _ in _dated_headers(lines)]


def _dated_headers(lines: list[str]) -> list[tuple[int, int]]:
    """For every dated entry, in order: the index of its first header line and of the line with its dates."""
    headers: list[tuple[int, int]] = []
    for index, line in enumerate(lines):
        if not _RANGE.search(line) or _BULLET.match(line) or _prose(line):
            continue
        start = index
        while start > 0 and index - start < 2 and _header_line(lines[start - 1]):
            start -= 1
        if headers and start <= headers[-1][0]:  # a second date line of the same header (or a promotion's)
            continue
        headers.append((start, index))
    return headers


def dated_entries(text: str, kind: str) -> int:
    """How many dated entries (:func:`entry_starts`) ``text`` writes under headings of ``kind`` ("work" for jobs),
    by the section of the line with their dates (a header's first line may be the last line of the section before).
    On v10's training parses (1,700 resumes, synthetic and real, text and theme PDFs) the count under work headings
    is above the true number of jobs in 4: a job may have no dates or sit under a heading of no known kind, but a
    dated header under a work heading is a job."""
    kinds = section_kinds(text)
    return sum(1 for _, dates in _dated_headers(text.split("\n")) if kinds[dates] == kind)


def part_cuts(lines: list[str], per_part: int = ENTRIES_PER_PART) -> list[int]:
    """Where :func:`split_resume` cuts ``lines``: the first line of every part, then ``len(lines)``; ``[0,
    len(lines)]`` (one part) when they hold fewer than :data:`MIN_ENTRIES_TO_CUT` dated entries."""
    starts = entry_starts(lines)
    if len(starts) < MIN_ENTRIES_TO_CUT:
        return [0, len(lines)]
    count = -(-len(starts) // per_part)
    return [0, *(starts[round(k * len(starts) / count)] for k in range(1, count)), len(lines)]


_ORNAMENTS = "—–-=*_|~ "
"""Characters a heading is framed with ("— PROFILE —", "**SKILLS**", "== Work ==")."""


def resume_head(lines: list[str]) -> list[int]:
    """The indices of the resume's head (name, contact): its first :data:`HEADER_LINES` non-blank lines above the
    first dated entry."""
    starts = entry_starts(lines)
    return [index for index in range(starts[0] if starts else 0) if lines[index].strip()][:HEADER_LINES]


def part_context(lines: list[str], first: int) -> list[str]:
    """The lines put above a later part that starts at line ``first``: the resume's head (name, contact), a blank
    line, and the section heading the part falls under unless the part opens with a heading of its own."""
    head = [lines[index] for index in resume_head(lines)]
    heading = next((lines[i] for i in range(first - 1, -1, -1) if _section_heading(lines, i)), None)
    return [*head, ""] + ([heading] if heading and section_kind(lines[first]) is None else [])


def _section_heading(lines: list[str], index: int) -> bool:
    """Whether a later part may carry line ``index`` as its section heading: a heading of a known kind, or of none
    in markdown ("## 工作经验"), of two words or more ("BERUFLICHER WERDEGANG", "— PROFESSIONAL BACKGROUND —") or of
    one word below a blank line ("Praxiserfahrung:"). Not a job's keyword in capitals inside its entry ("› PHP",
    "▸ SQL", "SRE"), an acronym employer right under its dates ("ICQA") or beside its place ("KPMG    Toulouse"). A
    heading spaced out letter by letter is one ("W O R K   E X P E R I E N C E")."""
    line = lines[index]
    kind = section_kind(line)
    if kind is None:
        return False
    if kind or line.strip().startswith("#"):
        return True
    words = line.strip().strip(_ORNAMENTS).split()
    if not words or not words[0][:1].isalpha():
        return False
    if len(words) >= 3 and all(len(word) == 1 for word in words):
        return True  # spaced out: "E M P L O Y M E N T   H I S T O R Y"
    if len(_COLUMN_GAP.split(line.strip())) == 2:
        return False
    return len(words) >= 2 or index == 0 or not lines[index - 1].strip()


def part_text(lines: list[str], first: int, end: int) -> str:
    """The part of ``lines`` from ``first`` to ``end``, a later part below its :func:`part_context`."""
    return "\n".join((part_context(lines, first) if first else []) + lines[first:end]).strip()


def split_resume(text: str, per_part: int = ENTRIES_PER_PART) -> list[str]:
    """``text`` as parts of at most ``per_part`` dated entries, of even size; the text itself when it has fewer
    than :data:`MIN_ENTRIES_TO_CUT`."""
    lines = text.splitlines()
    cuts = part_cuts(lines, per_part)
    if len(cuts) == 2:
        return [text]
    return [part_text(lines, first, end) for first, end in itertools.pairwise(cuts)]


def _entry_key(entry: object) -> str:
    return unicodedata.normalize("NFKC", repr(sorted(entry.model_dump(exclude={"highlights"}).items()))).casefold()


def _union(*lists: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in (item for items in lists for item in items):
        if (key := item.strip().casefold()) not in seen:
            seen.add(key)
            out.append(item)
    return out


NOT_WORK_SECTIONS = frozenset(
    {"volunteer", "projects", "publications", "awards", "education", "certifications", "courses"}
)
"""Sections whose entries are not jobs (JSON Resume keeps volunteer work apart from work, too)."""


def holds_no_jobs(text: str) -> bool:
    """Whether ``text``, a part of a resume, has no work heading and every dated entry of it under a heading of a
    section whose entries are not jobs (:data:`NOT_WORK_SECTIONS`): the schools, projects and awards after a long
    resume's work section. A dated entry under no heading, or under a list's (a sidebar's "KEY SKILLS" printed into
    the jobs), may be a job."""
    kinds = section_kinds(text)
    dated_under = {kinds[dates] for _, dates in _dated_headers(text.split("\n"))}
    return "work" not in kinds and bool(dated_under) and dated_under <= NOT_WORK_SECTIONS


def merge_parses(parts: list[ParsedResume], texts: list[str] | None = None) -> ParsedResume:
    """One resume from the parses of its parts, in order: each scalar from the first part that has it, every
    part's entries (an entry parsed twice, e.g. from a part's repeated context, once), the lists' union.

    With the parts' ``texts``, a part that :func:`holds_no_jobs`, of a resume whose other parts have a work heading,
    adds no jobs: v10 read such parts' schools, projects and skills as jobs (94 entries from 26 parts of the 80 real
    validation parses, decoded without grounding, none a job), and the few that grounding let through cost the
    four resumes they were in up to 0.08 F1 (``bench/NOTES.md``, session 40)."""
    if texts is not None and any("work" in section_kinds(text) for text in texts):
        parts = [
            part.model_copy(update={"experience": []}) if holds_no_jobs(text) else part
            for part, text in zip(parts, texts, strict=True)
        ]
    merged = parts[0].model_copy(deep=True)
    for part in parts[1:]:
        for name in ("name", "email", "phone", "location", "summary"):
            if getattr(merged, name) is None:
                setattr(merged, name, getattr(part, name))
        for section in ("experience", "education", "projects"):
            kept = getattr(merged, section)
            keys = {_entry_key(entry) for entry in kept}
            kept.extend(entry for entry in getattr(part, section) if _entry_key(entry) not in keys)
        for name in ("links", "skills", "certifications", "languages"):
            setattr(merged, name, _union(getattr(merged, name), getattr(part, name)))
    return merged


SECTION_WORDS: dict[str, frozenset[str]] = {
    kind: frozenset(words.split())
    for kind, words in {  # the first kind a heading's strong words name wins (WEAK_KIND_WORDS, EXPERIENCE_WORDS):
        # "Volunteer Experience" is volunteer work, "Experience & Achievements" work
        "volunteer": "volunteer volunteering bénévolat voluntariado ehrenamt ehrenamtliches volontariato "
        "vrijwilligerswerk wolontariat community involvement 志愿者经历 ボランティア",
        "work": "experience experiences work employment career history expérience expériences professionnelle "
        "professionnelles experiencia experiencias laboral laborales experiência experiências profissional "
        "berufserfahrung erfahrung berufliche beruflicher werdegang esperienza esperienze lavorativa lavorative "
        "parcours trayectoria empleo werkervaring ervaring doświadczenie zawodowe positions "
        "工作经历 工作经验 職務経歴 職歴",
        "projects": "projects project projets projet proyectos proyecto projekte projekt projeto projetos progetti "
        "projecten projekty 项目经历 项目经验 プロジェクト",
        "publications": "publications publicaciones publikationen papers publicações pubblicazioni publicaties "
        "publikacje 论文发表 論文",
        "awards": "awards honors honours prizes distinctions premios prix auszeichnungen "
        "recognition premi prêmios nagrody 获奖情况 受賞歴",
        "education": "education educational educación educacion éducation formation formación ausbildung studies "
        "estudios études formação educação istruzione studium diplômes bildung qualifications opleiding wykształcenie "
        "教育背景 教育经历 学歴",
        "certifications": "certifications certificates accreditations licenses certificaciones zertifikate "
        "certificados certificazioni certificaten certyfikaty 证书 資格",
        "courses": "courses cursos cours kurse trainings corsi",
        "skills": "skills skill abilities competencies competences expertise tools technologies stack habilidades "
        "competencias compétences kenntnisse fähigkeiten competências competenze conocimientos herramientas "
        "outils technologien tecnologías tecnologias vaardigheden umiejętności 专业技能 技能 スキル 技術スタック",
        "languages": "languages idiomas langues sprachen lingue línguas talen języki 语言能力 語学",
        "interests": "interests hobbies intereses loisirs intérêts interessen hobbys interesses interessi "
        "兴趣爱好 趣味",
        "summary": "summary overview profile about objective perfil profil zusammenfassung resumen sommario "
        "个人简介 自我评价 自己pr プロフィール",
        "contact": "contact contacto kontakt contato contatti details coordonnées",
        "references": "references referencias références referenzen referências",
    }.items()
}
"""Words of a section heading, by the kind of section it opens (case-folded)."""
_FILLERS = (
    "and & of de la y et und e i my personal selected side key open source other relevant academic professional "
    "profesional professionale des du en der die me mí mi moi à sobre background information achievements held "
    "académica académico académicas académicos memberships affiliations"
)
HEADING_FILLERS = frozenset(_FILLERS.split())
"""Words a heading may hold beside its kind's ("Open Source Projects", "Expérience professionnelle")."""
_KNOWN_HEADING_WORDS = frozenset().union(*SECTION_WORDS.values(), HEADING_FILLERS)
WEAK_KIND_WORDS = frozenset({"history"})
"""Words that name their kind only where no other kind's word does: "Professional History" is work, "Education
History" education."""
EXPERIENCE_WORDS = frozenset(
    {"career", "experience", "experiences", "expérience", "expériences", "experiencia", "experiencias"}
    | {"experiência", "experiências", "esperienza", "esperienze", "erfahrung", "ervaring"}
)
"""Weak words too, unless the heading joins two sections: "Work Experience" is work, "Projects Experience" projects
(a theme's heading: its projects were read as jobs), "Career Objective" a summary, but "Experience & Education" and
"Formación y Experiencia" stay work."""
_JOINERS = frozenset({"&", "and", "y", "et", "und", "e", "i"})
COMPANION_WORDS = frozenset(
    {"training", "technical", "técnicas", "técnicos", "techniques", "tecniche", "core", "executive", "spoken", "areas"}
)
"""Words of a heading only beside a kind's word ("Education & Training", "Core Competencies", "Competencias
técnicas"): alone, "Training" is as often a skill or a bullet, "Executive" a title."""


def _heading_kind(words: list[str]) -> str | None:
    """The kind a heading's words name (``""`` for none), or ``None`` when they are not all heading words."""
    named = set(words)
    kinds = [kind for kind, names in SECTION_WORDS.items() if names & named]
    if not words or not all(word in _KNOWN_HEADING_WORDS or (word in COMPANION_WORDS and kinds) for word in words):
        return None
    weak = WEAK_KIND_WORDS if named & _JOINERS else WEAK_KIND_WORDS | EXPERIENCE_WORDS
    strong = [kind for kind in kinds if SECTION_WORDS[kind] & (named - weak)]
    return (strong or kinds or [""])[0]


PHRASE_HEADINGS = {
    "things i built": "projects",
    "things i have built": "projects",
    "what i built": "projects",
    "project highlights": "projects",
    "academic background": "education",
    "professional background": "work",
    "language skills": "languages",
    "outside of work": "interests",
    "personal statement": "summary",
    "leadership & volunteering": "volunteer",
    "leadership and volunteering": "volunteer",
}
"""Headings known whole, whose words alone name no section ("Things I Built": "Built" alone is a label)."""
MAX_HEADING_WORDS = 5
_COLUMN_GAP = re.compile(r"\s{3,}|\t")


def section_kind(line: str) -> str | None:
    """The kind of section (a key of :data:`SECTION_WORDS`) the line opens; ``""`` for a heading of no known kind
    ("Professional Background"); ``None`` for a line that is no heading. A heading is a short line without digits
    made only of :data:`SECTION_WORDS` and :data:`HEADING_FILLERS`, in any case ("WORK EXPERIENCE", "## Projects",
    "Formación:"), or what :func:`is_heading` takes for one. Markdown's ``### Company`` is an entry."""
    cells = _COLUMN_GAP.split(line.strip())
    stripped = cells[0] if len(cells) <= 2 else line.strip()  # a left column's heading beside the right one's text
    if stripped.startswith("###") or any(c.isdigit() for c in stripped) or _BULLET.match(stripped):
        return None  # an entry, a date line or a bullet ("- Projects" in a list of duties) is no heading
    words = re.findall(r"[^\W\d_]+|&", _heading_text(stripped))
    if " ".join(words).casefold() in PHRASE_HEADINGS:
        return PHRASE_HEADINGS[" ".join(words).casefold()]
    kind = _heading_kind(words) if len(words) <= MAX_HEADING_WORDS else None
    if kind is not None:
        return kind
    return "" if is_heading(stripped) else None


def _goes_on(before: str, line: str) -> bool:
    """Whether ``line`` goes on with the line ``before`` it, so is no heading: it starts in lower case after a line
    that ends with a joining word ("Seguimiento de" over "proyectos" in a sidebar) or ends no sentence (a wrapped
    bullet "... for the analytics" over "projects."). A lower-case heading follows a blank line, a heading or a
    sentence's end ("jane doe" / "" / "experience")."""
    previous = before.strip()
    if not line.strip()[:1].islower() or not previous:
        return False
    return bool(DANGLING_END.search(previous)) or not (previous.endswith((".", "!", "?", ":")) or is_heading(previous))


JOB_SECTIONS = frozenset({"work", "volunteer"})
"""The kinds of :func:`section_kinds` whose entries are jobs (a line before any heading, or under an unknown one,
has none and may be a job's too)."""


def section_kinds(text: str) -> list[str | None]:
    """For each line of ``text``, the kind of the section it is in (see :func:`section_kind`, and
    :func:`inline_heading_kind` for a line below a blank one); ``None`` before the first heading and under headings
    of no known kind."""
    kinds: list[str | None] = []
    current: str | None = None
    before = ""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        heading = None if _goes_on(before, line) else section_kind(line)
        if heading is None and not before.strip():  # a label under an entry's lines is the entry's ("TOOLS: Jira")
            heading = inline_heading_kind(line)
        if heading == "" and current == "skills" and _acronym(line):
            below = next((n for n in itertools.islice(lines, index + 1, None) if n.strip()), "")
            # a group's name over its badges ("AI/ML" over "LSTM · GAN"), or a skill over its tags one a line, set
            # apart by blank lines (the flat theme: "", "HTML", "", "Desarrollo Web"; a heading "HOBBY" or "LINKS"
            # has its lines right below it)
            heading = None if _badges(below) or _set_apart_skill(lines, index, below) else heading
        if heading == "" and current in ENTRY_SECTIONS and _entry_name(lines, index):
            heading = None  # an entry's name in capitals by its dates ("mar 2023 - may 2024" over "CPANAX")
        before = line
        if heading is not None:
            current = heading or None
        kinds.append(current)
    return kinds


ENTRY_SECTIONS = JOB_SECTIONS | {"education"}
"""Sections whose entries are dated: a line of capitals by an entry's dates there is the entry's name."""


def _entry_name(lines: list[str], index: int) -> bool:
    """Whether ``lines[index]``, a line of capitals (no label's colon, no markdown heading), is an entry's name by its
    dates: the line before holds a date range ("mar 2023 - may 2024" over "CPANAX"), or the line after does and the
    line before is not blank ("Frontend Developer" over "CPANAX" over "Mar 2023 – May 2024"). A heading after a blank
    line over a dated entry ("", "LEADERSHIP", "President, Chess Club  2018 - 2019") stays a heading."""
    line = lines[index].strip()
    if line.upper() != line or line.endswith(":") or line.startswith("#"):
        return False
    before = lines[index - 1] if index > 0 else ""
    after = lines[index + 1] if index + 1 < len(lines) else ""
    return bool(date_ranges(before)) or (bool(date_ranges(after)) and bool(before.strip()))


def _set_apart_skill(lines: list[str], index: int, below: str) -> bool:
    """Whether the acronym at ``index`` is a skill of a list written one a line: a blank line on both sides ("",
    "HTML", "", "Desarrollo Web") or on neither ("Bases de Datos", "SQL", "Almacenamiento"), or the first tag under a
    name set apart ("", "Express", "", "API", "Backend"); a short line next (no link, no email, no dates) and no
    heading's words. A heading has a blank line above it and its lines right below ("SQL", "", "HOBBY", "Chess")."""

    def blank(k: int) -> bool:
        return k < 0 or k >= len(lines) or not lines[k].strip()

    first_tag = blank(index - 1) and not blank(index + 1) and not blank(index - 2) and blank(index - 3)
    shape = blank(index - 1) == blank(index + 1) or first_tag
    short = (
        0 < len(below.split()) <= MAX_SKILL_WORDS and not date_ranges(below) and not re.search(r"@|://|www\.", below)
    )
    return shape and short and not _heading_words_only(lines[index])


def _acronym(line: str) -> bool:
    """A label of capitals that is an acronym or two ("AI/ML", "NLP"), not a heading's words ("FUN FACTS") nor a
    short label of another list ("Misc:")."""
    stripped = line.strip()
    letters = [c for c in stripped if c.isalpha()]
    short = len(letters) <= MAX_ACRONYM_LETTERS or ("/" in stripped and " " not in stripped)
    return bool(letters) and stripped.upper() == stripped and short


MAX_ACRONYM_LETTERS = 5
_INLINE_HEADING = re.compile(r"^(?P<label>[^\W\d_][^:\d]{0,40}?)\s*:\s+\S")


def inline_heading_kind(line: str) -> str | None:
    """The kind of section a line opens that writes its heading in capitals before its items ("SKILLS: C#, ASP.NET",
    "COMPETENCIAS TÉCNICAS: Desarrollo Web, ..."), a known kind only; None for any other line. A label in mixed
    case is a list's ("Languages: PHP, HTML" under skills, "Tools: Jira" under a job), and an unknown one in
    capitals an item's ("HTML: Desarrollo Web"); :func:`section_kinds` asks only of a line below a blank one (a
    label under an entry's lines, "TECHNOLOGIES: React" under a project, is the entry's). Projects written one a
    line above such a skills line were read as eleven projects' lines, the skills one of them."""
    match = _INLINE_HEADING.match(line)
    label = match["label"] if match else ""
    if label.upper() != label or label.lower() == label:  # in capitals, of a script that has them
        return None
    return section_kind(match["label"]) or None


SKILL_HEADINGS = frozenset(
    {
        "skills",
        "technical skills",
        "key skills",
        "core skills",
        "skills & tools",
        "skills and tools",
        "tech stack",
        "technologies",
        "technology",
        "tools",
        "toolbox",
        "tools & technologies",
        "competencies",
        "core competencies",
        "expertise",
        "technical expertise",
        "habilidades",
        "habilidades técnicas",
        "conocimientos",
        "competencias",
        "competencias técnicas",
        "tecnologías",
        "herramientas",
        "compétences",
        "compétences techniques",
        "outils",
        "technologies et outils",
        "kenntnisse",
        "fähigkeiten",
        "technologien",
        "it-kenntnisse",
        "fachkenntnisse",
        "competências",
        "tecnologias",
        "ferramentas",
        "umiejętności",
        "technologie",
        "competenze",
        "vaardigheden",
        "技能",
        "专业技能",
        "技术栈",
        "スキル",
        "技術スタック",
    }
)
"""Headings of a skills section (case-folded, without ``#``, ``*`` or a final ``:``)."""
OTHER_SECTION_WORDS = (
    "language",
    "idioma",
    "langue",
    "sprache",
    "lingua",
    "interest",
    "hobb",
    "interes",
    "intérêt",
    "certif",
    "award",
    "reference",
    "referencia",
    "publication",
)
"""Words of a labelled line that ends a skills list ("Language Skills: English (native), German")."""
_CODE_LANGUAGES = re.compile(
    r"program|computer|coding|script|query|markup|software|informati|lenguajes? de|langages? de"
)
"""A label naming languages a computer reads ("Programming Languages: Python, C++") keeps the skills list going."""
_SKILL_LINE = re.compile(r"^\s*(?:[-*•·▪●◦–]\s+)?(?:\*\*)?(?P<label>[^:*]{1,40}?)(?:\*\*)?\s*:\s*(?P<rest>.*)$")
_ITEM_SPLIT = re.compile(r"\s*[,;·•|]\s*")
_GRID_ITEM_SPLIT = re.compile(r"[;·•|]")
"""How a theme's grid separates keywords; a comma may sit inside a group's label ("Graphics, Audio & DSP")."""
MAX_SKILL_WORDS = 5
INLINE_SKILLS_SECTIONS = frozenset({None, "skills", "summary", "contact"})
"""Sections where a line "Skills: Go, SQL" inside a block is the person's skills list; under a job, a project or the
interests it lists their own keywords (the stackoverflow theme labels each project's and interest's "Skills:")."""
KEYWORD_SECTIONS = frozenset({"projects", "interests", "languages"})
"""Sections whose entries each carry a keyword line, even after a blank line: never the skills section."""
_LEVELS = (
    "beginner basic elementary intermediate advanced expert master proficient fluent native junior mid senior "
    "principiante básico intermedio avanzado experto débutant intermédiaire avancé courant grundkenntnisse "
    "fortgeschritten experte iniciante intermediário avançado especialista avanzato esperto"
)
LEVEL_WORDS = frozenset(_LEVELS.split())
"""A skill's level, on a line of its own between a theme's skill group and its keywords."""


def _heading_text(line: str) -> str:
    return line.strip().strip("#*_ ").rstrip(":").strip("*_ ").casefold()


def skills_section_items(text: str) -> list[str]:
    """The items the resume's own skills section lists, in order ("Frontend: React, Vue" gives React and Vue): a
    section under a skills heading (:data:`SKILL_HEADINGS`), or a line that starts with one ("TECHNOLOGIES: C, Go"),
    up to the first line that is not a list (a bullet, or items split by ``, ; · • |``): the next heading, prose, a
    PDF's columns. Sentences are not items: a part of more than :data:`MAX_SKILL_WORDS` words is left out."""
    return section_items(skills_section_lines(text))


def section_items(read: list[tuple[int, list[str]]]) -> list[str]:
    """The items of :func:`skills_section_lines`, in order, each once (case ignored)."""
    seen: set[str] = set()
    items = (item for _, line_items in read for item in line_items)
    return [item for item in items if not (item.casefold() in seen or seen.add(item.casefold()))]


_LIST_SEPARATORS = ("·", ",", "•", "|", ";")
SIDEBAR_SECTIONS = frozenset({"summary", "contact"})
"""Sections a theme's sidebar prints its skill badges under, with no skills heading (macchiato's "About")."""


def _badges(line: str) -> bool:
    """A line of two or more short items joined by " · ", as the PDF reader joins a theme's badges."""
    items = [item.strip() for item in line.split(" · ")]
    return len(items) > 1 and all(0 < len(item.split()) <= MAX_SKILL_WORDS for item in items)


DEGREES = frozenset({"education", "languages"})
"""Sections where a level word over lines is a degree or a language's level ("Master" over "Data Science")."""


def _named_group(lines: list[str], index: int) -> bool:
    """Whether the level line ``index`` is a named skill group's: a blank line above it and a short name above that
    (the macchiato theme: "Pruebas de penetración", "", "Avanzado"), not a heading's first line."""
    if index < 2 or lines[index - 1].strip():
        return False
    name = lines[index - 2].strip()
    return 0 < len(name.split()) <= MAX_SKILL_WORDS and not date_ranges(name)


def _broken_into(lines: list[str], read: list[tuple[int, list[str]]], index: int) -> bool:
    """Whether another column's entry (a line of dates) lies between the last line read as skills and ``index``:
    a badge list after a closed skills list with none is another list ("Chess · Climbing" under "FUN FACTS")."""
    return any(date_ranges(line) for line in lines[read[-1][0] + 1 : index])


def _last_kind(kinds: list[str | None], index: int) -> str | None:
    """The kind of the last known section before line ``index``."""
    return next((kind for kind in reversed(kinds[:index]) if kind is not None), None)


def skills_section_lines(text: str) -> list[tuple[int, list[str]]]:
    """The lines :func:`skills_section_items` reads its items from: (index in ``text.splitlines()``, the items).
    A group's label is not an item ("Frontend: React, Vue"), unless the groups each name a skill and tag it
    (:func:`_labels_if_named`)."""
    read: list[tuple[int, list[str]]] = []
    labels: list[tuple[int, list[str]]] = []  # each skill group's label: (its line, its cells)
    inside = in_grid = False
    last_listed = -1  # the last line read as a list: a short line right below it is the list wrapped
    read_to = 0
    closed = False  # a labelled line of another section ("Language Skills: ...") ended the list
    lines = text.splitlines()
    kinds = section_kinds("\n".join(lines))
    listed_one_a_line = _one_a_line(lines, kinds)
    for index, line in enumerate(lines):
        inline = _SKILL_LINE.match(line)
        if _heading_text(line) in SKILL_HEADINGS and kinds[index] not in KEYWORD_SECTIONS:
            inside, in_grid = True, False  # not an interest's name ("Technology" over "FinTech · AI" under INTERESTS)
            continue
        label = _heading_text(inline["label"]) if inline and inline["rest"].strip() else None
        # "Tech stack: Go" under a project is not the skills section; "SKILLS: Go", "Skills: Go" or one after a gap is
        after_gap = index == 0 or not lines[index - 1].strip()
        if label in SKILL_HEADINGS and (
            inline["label"].isupper()  # "TOOLBOX: ..." opens a section of its own
            or (after_gap and kinds[index] not in KEYWORD_SECTIONS)
            or ("skill" in label and kinds[index] in INLINE_SKILLS_SECTIONS)
        ):
            read.append((index, _items(inline["rest"])))
            inside = True
            continue
        following = _next_list_line(lines, index + 1)
        if not inside and kinds[index] in SIDEBAR_SECTIONS and _badges(line) and _badges(following):
            inside = True  # a sidebar's badge lists under its "About" head, with no skills heading of their own
        after_skills = kinds[index] == "skills" or (kinds[index] is None and _last_kind(kinds, index) == "skills")
        if not inside and read and not closed and after_skills and _badges(line) and _broken_into(lines, read, index):
            # the skills list goes on after the page's other column broke into it (a sidebar theme: a job's dates
            # between), its groups' labels ("AI/ML") read as headings of no known kind
            inside = True
        if not inside and read and not closed and kinds[index] == "skills" and _badges(line):
            inside = True  # the next group's badges after a group with none ("Database" over "AI/ML" over "LSTM · GAN")
        if index < read_to:
            continue  # a group read whole below its level
        if _level_line(line):
            group, read_to = _keyword_lines(lines, index + 1)
            ends_blank = read_to >= len(lines) or not lines[read_to].strip()  # not at "CQRS", a badge or a heading
            one_a_line = len(_items(following)) <= 1 or (_badges(following) and ends_blank)
            if group and one_a_line and _named_group(lines, index) and kinds[index] not in DEGREES:
                # a theme's group: its name, its level, its keywords one a line (or a few on one, " · " between)
                read += [(at, keyword.split(" · ")) for at, keyword in group]
                labels.append((index - 2, _items(lines[index - 2])))
            else:
                read_to = index + 1
                inside = inside or len(_items(following)) > 1  # ... or over a list of them
            continue
        if not inside or not any(c.isalnum() for c in line):  # a blank line, or a rule under the heading
            continue
        if index and kinds[index] not in (None, "skills") and kinds[index] != kinds[index - 1] and is_heading(line):
            inside = in_grid = False  # another section's heading ("INTERESTS" over "Technology" over badges), not a
            continue  # group's label that names one ("Idiomas" over "  Español · Inglés")
        if _group_label(line, lines[index + 1] if index + 1 < len(lines) else "", following):
            labels.append((index, [item for cell in _cells(_BULLET.sub("", line)) for item in _items(cell)]))
            continue
        if label and any(word in label for word in OTHER_SECTION_WORDS) and not _CODE_LANGUAGES.search(label):
            inside = in_grid = False  # "Language Skills: English, German" closes a skills list
            closed = True  # ... for good: what follows is that other list
            continue
        body = inline["rest"] if inline and inline["rest"].strip() else _BULLET.sub("", line)
        cells = _cells(body)
        parts = [part for cell in cells for part in _items(cell, keep_long=True)]
        # a grid's line may hold one item ("SQL" wrapped below "Python · C  PyQt", upper case or not): listed while
        # the grid goes on, unless it names a section ("Languages", "ACHIEVEMENTS")
        kind = section_kind(line)
        continues = in_grid or (bool(lines[index - 1].strip()) and index - 1 == last_listed)
        unknown = kind is None or (kind == "" and len(body.split()) <= 2 and not _heading_words_only(line))
        wrapped = continues and len(parts) == 1 and unknown
        listed = (
            _BULLET.match(line)
            or len(parts) > 1
            or wrapped
            or bool(label and parts)  # "Tailwind: CSS Framework"
            or bool(line[:1].isspace() and parts)  # "  Qiskit", indented below its group's label
            or index in listed_one_a_line
        )
        prose = body.rstrip().endswith(".") or any(len(part.split()) > 2 * MAX_SKILL_WORDS for part in parts)
        heading = is_heading(line) and not wrapped and index not in listed_one_a_line  # "HTML" in a list of one a line
        if heading or not listed or prose or "   " in body.strip():
            inside = False  # the next section, or a line that is not a list (prose, a page's columns)
        else:
            read.append((index, [item for cell in cells for item in _items(cell)]))
            if label:  # "Tailwind: CSS Framework"
                labels.append((index, _items(inline["label"])))
            # one wrapped line, not a chain; unless it ends with a separator: "Event Driven Architecture ·" goes on
            goes_on = body.rstrip().endswith(_LIST_SEPARATORS)
            last_listed = index if len(parts) > 1 or label or goes_on else last_listed
        in_grid = inside and (len(cells) > 1 or (in_grid and not wrapped))  # nor a chain below a grid
    return _labels_if_named(read, labels)


_LEVEL_OR_PAGE = re.compile(r"(?i)\d\s*%|\d\s*/\s*\d|\bpage\s+\d|@|://|\d[\d\s().+-]{6,}\d")
"""A level beside an item ("Kafka 80%", "4/5"), a page's footer ("Page 1 of 2") or contact details (an email, a
link, a phone number): no skills list written one a line holds them."""
MIN_ONE_A_LINE = 3
"""Lines a skills section written one item a line needs (a lone short line under a heading may be anything)."""


def _one_a_line(lines: list[str], kinds: list[str | None]) -> set[int]:
    """The lines of skills sections written one short item a line, blank lines between groups and no bullets (the
    flat theme: "HTML", "", "Desarrollo Web", "Frontend"): every line of the section short (:data:`MAX_SKILL_WORDS`
    words), no sentence, no dates, no level, no label's colon, no bullet, no page footer or contact details and no
    line of the resume's head (a page's header repeats the name), no line of several (a group's name over its level
    or its badges is read as a group's label), at least :data:`MIN_ONE_A_LINE` of them."""
    found: set[int] = set()
    section: list[int] = []
    for index in range(len(lines) + 1):
        inside = index < len(lines) and kinds[index] == "skills" and not section_kind(lines[index])  # not its heading
        if inside and any(c.isalnum() for c in lines[index]):  # not a rule under the heading ("--------")
            section.append(index)
        elif not inside:
            items = [lines[k].strip() for k in section]
            short = all(
                len(item.split()) <= MAX_SKILL_WORDS and not item.endswith(".") and not date_ranges(item)
                for item in items
            )
            # labels over levels or badges, or before their items ("Frontend: React")
            groups = any(_level_line(item) or len(_items(item)) > 1 or ":" in item for item in items)
            groups = groups or any(_BULLET.match(lines[k]) for k in section)  # a bulleted list is read as one
            # a level written beside each ("Kafka 80%"), or a page's footer inside ("Page 1 of 2", the name)
            above = [line.strip().casefold() for line in lines[: section[0] if section else 0] if line.strip()]
            head = set(above[:HEADER_LINES])  # the resume's first lines, above the list
            furnished = any(_LEVEL_OR_PAGE.search(item) or item.casefold() in head for item in items)
            if short and not groups and not furnished and len(items) >= MIN_ONE_A_LINE:
                found.update(section)
            section = []
    return found


def _labels_if_named(
    read: list[tuple[int, list[str]]], labels: list[tuple[int, list[str]]]
) -> list[tuple[int, list[str]]]:
    """``read`` with each group's label read first as an item where the groups each name a skill and tag it, as
    :func:`ml.schema.skills_are_named` tells from a document: "HTML" over "Web · Frontend", "CSS" over "Web ·
    Frontend · Responsive", the section's items repeating tags (:func:`ml.schema.tags_repeat`). Three labels at
    least, none written twice ("SRE/DevOps" in two columns of a grid labels two lists); a catch-all or a kind of
    skills ("Other", "Soft Skills") is never an item."""
    # a row that writes one cell twice is two columns' tags ("Control de Versiones  Control de Versiones" below "Git
    # GitHub"), not labels: if the groups name skills, it is read as items
    tags = [(at, cells) for at, cells in labels if len({cell.casefold() for cell in cells}) < len(cells)]
    labels = [(at, cells) for at, cells in labels if cells and (at, cells) not in tags]
    names = [cell.casefold() for _, cells in labels for cell in cells]
    if len(names) < MIN_TAGGED_GROUPS or len(set(names)) < len(names):
        return read
    rest = {at for at, cells in labels if not any(names_a_skill(cell) for cell in cells)}  # "Otros: Jira, Docker"
    if not tags_repeat([item for at, items in read + tags if at not in rest for item in items]):
        return read
    by_line = dict(read + tags)
    for at, cells in labels:
        named = [cell for cell in cells if names_a_skill(cell)]
        by_line[at] = named + [item for item in by_line.get(at, []) if item not in named]
    return sorted(by_line.items())


def _heading_words_only(line: str) -> bool:
    """A line made only of heading words ("ACHIEVEMENTS", "Key Achievements"): a section's name, never a skill."""
    return _heading_kind(re.findall(r"[^\W\d_]+|&", _heading_text(line))) is not None


def _cells(body: str) -> list[str]:
    """A line's cells: a theme's grid of skill groups sets its columns two spaces apart (``pdf_order`` joins a
    row's pieces so), "Python · C · Cython  PyQt" holding the keywords of two groups."""
    return [cell for cell in re.split(r"\s{2,}", body.strip()) if cell]


def _level_line(line: str) -> bool:
    """A line of levels only ("Advanced", "Advanced  Advanced  Advanced" over a grid's columns)."""
    cells = [cell.strip().casefold() for cell in re.split(r"\s{2,}", line.strip())]
    return all(cell in LEVEL_WORDS for cell in cells)


_WRAPPING_WORDS = frozenset(
    "de del en para por con y e la el las los of in for and with the a to on at by from & à des du et le".split()  # noqa: SIM905
)
"""Words a keyword does not end with: a line ending in one was wrapped ("Gestión de servicios de / TI")."""
MAX_GROUP_LINES = 12
"""Most keyword lines below a skill group's level (the macchiato theme's sidebar: up to 8, some wrapped)."""


def _keyword_lines(lines: list[str], start: int) -> tuple[list[tuple[int, str]], int]:
    """A skill group's keywords one a line (or a few joined by " · ", as a theme's badges read) from ``start`` up to a
    blank line or a heading, each with the index of its first line, and the index after them. A wrapped keyword's
    rest is joined to it: a line after one that ends in a word no keyword ends with ("Gestión de servicios de /
    TI"), or a lower-case line of two words or more ("Curso Gratuito Hacking / ético Gamificado"; "npm" below
    "React" is a keyword of its own). No keywords where those lines are not such a list (prose, a label, a date,
    too many)."""
    keywords: list[tuple[int, str]] = []
    end = start
    while end < len(lines) and lines[end].strip() and end - start < MAX_GROUP_LINES:
        line = lines[end].strip()
        if section_kind(line) is not None:
            break  # the next section's heading ("Education", "BACKGROUND") right below the list
        wrapped = keywords and (
            keywords[-1][1].split()[-1].casefold() in _WRAPPING_WORDS or (line[:1].islower() and len(line.split()) > 1)
        )
        if wrapped:
            keywords[-1] = (keywords[-1][0], f"{keywords[-1][1]} {line}")
        else:
            keywords.append((end, line))
        end += 1
    listed = end >= len(lines) or not lines[end].strip() or section_kind(lines[end]) is not None
    texts = [keyword for _, keyword in keywords]
    short = all(len(k.split()) <= MAX_SKILL_WORDS and not k.endswith((".", ":")) for k in texts)
    listed_only = not any(
        _level_line(k) or (_ITEM_SPLIT.search(k) and not _badges(k)) or re.search(_YEAR, k) for k in texts
    )
    if not (keywords and listed and short and listed_only):
        return [], start
    return keywords, end


def _next_list_line(lines: list[str], start: int) -> str:
    """The first line from ``start`` that is neither blank nor a line of levels."""
    return next((line for line in lines[start:] if line.strip() and not _level_line(line)), "")


def _group_label(line: str, next_line: str, following: str) -> bool:
    """A skill group's label on a line of its own over its keywords: indented on the next line ("Frontend" over
    "  React"), or a short line over a list ("Programming Languages" over "Python · Java · C", a theme's grid; a
    level or a blank line may stand between them)."""
    if not line[:1].isspace() and next_line[:1].isspace() and bool(next_line.strip()):
        return True
    inline = _SKILL_LINE.match(line)
    if inline and inline["rest"].strip():
        return False  # "CSS: Responsive Design" is a group with its items, not a label over the next line
    cells = _cells(line)
    if len(cells) > 1:  # a grid's row of labels ("Programming Languages  Graphics, Audio & DSP") over their keywords
        short = all(len(cell.split()) <= MAX_SKILL_WORDS for cell in cells)
        return short and not _GRID_ITEM_SPLIT.search(line) and bool(_GRID_ITEM_SPLIT.search(following))
    words = line.split()
    short = 0 < len(words) <= MAX_SKILL_WORDS and not _ITEM_SPLIT.search(line) and not line.rstrip().endswith(".")
    kind = section_kind(line)  # "" is a heading of no known kind: an upper-case skill ("HTML") or a section's
    other_section = kind not in (None, "", "skills") or (
        kind == "" and (len(words) > 2 or line.rstrip().endswith(":"))
    )  # "Languages" over "Spanish, English" ends the list
    return short and not other_section and not _BULLET.match(following) and len(_items(following)) > 1


_CONJUNCTION = re.compile(r"^(?:and|or|y|e|et|und|oder|i|ou)\s+", re.IGNORECASE)


_LEVEL = re.compile(
    r"\s*[(\[]\s*(?:\d+\+?\s*(?:y|yrs?|years?|años|ans|jahre)\.?|beginner|basic|intermediate|advanced|expert|"
    r"proficient|fluent|native|excellent|good|básico|intermedio|avanzado|experto|débutant|intermédiaire|avancé|"
    r"grundkenntnisse|fortgeschritten|sehr gut|gut)\s*[)\]]$",
    re.IGNORECASE,
)
"""A level or a number of years after a skill: "Java (Expert)", "ETABS (7+ yrs)"; the skill is the name alone."""
_DASH_LEVEL = re.compile(r"\s+[–-]\s+(?:beginner|basic|intermediate|advanced|expert|proficient|fluent|native)$", re.I)


def _items(body: str, keep_long: bool = False) -> list[str]:
    parts = split_outside_parentheses(body, _ITEM_SPLIT)
    cleaned = (_DASH_LEVEL.sub("", _LEVEL.sub("", _CONJUNCTION.sub("", part.strip(" *_.\t")))) for part in parts)
    return [
        part
        for part in cleaned
        if part and (keep_long or (len(part.split()) <= MAX_SKILL_WORDS and not re.search(r":|  |^[\d(]", part)))
    ]
