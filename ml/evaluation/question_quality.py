"""Question metrics that see templates and slot-filling nonsense (issue #30, "Metrics that see it").

The metrics of :mod:`ml.evaluation.metrics` score a templated question as near perfect: it names a
resume entity (specific), has the right tone, is well formed, and its full strings differ between
resumes (no near-duplicates). Reading real outputs shows what they miss; each function here measures
one of those failures, given the resume the question was asked about (:class:`ResumeFacts`):

* **Template share** (set level, :func:`template_share`): each question is reduced to a *skeleton*
  (:func:`skeleton`): filler openers dropped, and lead-in sentences too when the question sentence after
  them has >= 8 words (a template's lead-ins vary, "Let's talk about {x}." / "I see {x} on your resume.",
  its question does not; "What happened?" alone says too little to call it a template); the resume's own
  entities (employers, schools, titles, skills, degrees, fields, projects, certifications, name, location)
  and runs of >= 3 words copied from its highlights / project descriptions / summary replaced by ``{x}``,
  numbers and dates by ``{n}``, then case and punctuation dropped. A question is *templated* when another
  resume's question has the same skeleton or a near-identical one: difflib ratio over the skeletons' *word*
  sequences >= :data:`NEAR_SKELETON` (0.85). Words, not characters, so that one slot value left unmasked
  costs one unit; order-aware (unlike token Jaccard), so two questions built from the same words in another
  order are different questions. 0.85 tolerates one changed word in a 7-word skeleton, two in a 14-word
  one, and a 5-word lead-in before a 16-word body, but not two changed words in a short question.
  Questions of the same resume never count against each other.
* **Coherence** (:func:`coherence`): no entity in a role it does not have in the resume (an employer
  after "studies at" / "degree from", a school after "worked at" / "join" / "colleagues at" /
  "<title> at"), no move from an entity to itself ("drew you to X when you left X", "leaving your
  colleagues at X to join X"), no quoted date span that ends before it starts or ends when it starts
  ("Aug 2024 - Aug 2024"), even when the resume itself has it that way (the reason says so).
* **Quote fidelity** (:func:`ml.tasks.unfaithful_quotes`): every phrase a follow-up quotes ("…", “…”, ‘…’,
  «…», „…“, '…') of >= :data:`~ml.tasks.MIN_QUOTE_TOKENS` (2) words occurs in the candidate's answer, compared
  as normalised words (case, spacing, punctuation ignored; "..." inside a quote splits it into parts
  that must occur in order). One-word quotes are skipped: they are scare quotes around a term far
  more often than a claim about what the candidate said.
* **Depth** (:func:`depth`): a technical question is deep when it is about one highlight's or project's
  own action or result: with the resume's employers, schools, titles, projects, names, places,
  degrees and fields masked out, it shares with one highlight / project description either two
  content words in a row in both (``p95 latency``) or >= :data:`DEEP_MIN_SHARED` (3) distinct content
  stems. Content = not a stopword, not interview filler ("tell", "role" …), not a generic word of
  question templates (:data:`GENERIC_WORDS`: "tools", "methods", "systems" …).
* **Filler opener** (:func:`ml.tasks.filler_opener`): the question opens with a pleasantry or a connective
  (:data:`ml.tasks.FILLER_PATTERNS`: "Thanks for walking me through your background.", "I want to dig into one
  detail.", "Let's move on.", "Quick question:", "So,", "First," …) or with any first sentence followed
  by such a connective ("<pleasantry>. So, …").
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import pairwise
from typing import Any

from ml import tasks
from ml import text as tx
from ml.evaluation import metrics as m
from ml.schema import ParsedResume

# --- thresholds (named so the README and the tests can point at them) -----------------------------------
NEAR_SKELETON = 0.85
"""difflib ratio of two skeletons' word sequences at which two questions are the same template."""
MASK_RUN = 3
"""Words in a row copied from a highlight / description / summary that are masked as a slot."""
DEEP_MIN_SHARED = 3
"""Distinct content stems a question must share with one highlight to be deep (or 2 words in a row)."""
LEAD_IN_MIN_BODY = 8
"""A skeleton drops the lead-in sentences before a question sentence of at least this many words."""
TOP_TEMPLATES = 5

SLOT = "{x}"
NUMBER = "{n}"

EMPLOYER, SCHOOL, TITLE, SKILL, DEGREE, PROJECT, CERTIFICATION, PERSON, PLACE = (
    "employer",
    "school",
    "title",
    "skill",
    "degree",
    "project",
    "certification",
    "name",
    "location",
)
DEPTH_MASKED = frozenset({EMPLOYER, SCHOOL, TITLE, DEGREE, PROJECT, PERSON, PLACE})
"""Entity roles whose words are no evidence of depth (a skill named in a highlight is)."""

GENERIC_WORDS = frozenset(
    [
        "tool", "tools", "system", "systems", "method", "methods", "technique", "techniques", "procedure",
        "procedures", "process", "processes", "approach", "approaches", "standard", "standards", "model", "models",
        "practice", "practices", "way", "ways", "day", "daily", "still", "most", "use", "used", "uses", "using",
        "apply", "applied", "applying", "rely", "relied", "choose", "chose", "chosen", "decide", "decided",
        "compare", "compared", "check", "checked", "hardest", "hard", "problem", "problems", "solve", "solved",
        "change", "changed", "right", "better", "common", "error", "errors", "people", "new", "step", "steps",
        "exactly", "main", "mainly", "typical", "usually", "studies", "study", "studied", "coursework", "course",
        "field", "degree", "today", "later", "first", "last", "kind", "kinds", "part", "parts", "area", "areas",
        "skill", "skills",
    ]
)  # fmt: skip
"""Words of question templates that say nothing about one highlight ("which tools and methods …")."""

_TOKEN = re.compile(r"[^\W_]+[+#]*")
_MONTHS = frozenset(tx.MONTHS)


def _raw_tokens(text: str) -> list[str]:
    """The tokens of :func:`ml.text.tokens`, with their case kept."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).replace("&", " and "))


def _tokenise(text: str | None) -> tuple[list[str], list[str]]:
    """(case-folded tokens, raw tokens aligned with them; the folded ones when casefolding changed a count)."""
    folded = tx.tokens(text)
    raw = _raw_tokens(text or "")
    return folded, raw if len(raw) == len(folded) else folded


# --- the resume ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Variant:
    roles: frozenset[str]
    raw: str | None  # when set, the question must spell this token exactly (Go, R, C#, a first name)


@dataclass
class ResumeFacts:
    """The strings of one resume a question may use, by role (see :meth:`of`)."""

    variants: dict[str, _Variant] = field(default_factory=dict)  # compact form -> roles
    max_width: int = 1
    passages: list[list[str]] = field(default_factory=list)  # tokens of highlights, descriptions, summary
    depth_sources: list[str] = field(default_factory=list)  # highlights and project descriptions
    spans: list[tuple[str | None, str | None]] = field(default_factory=list)  # (start, end) of entries
    repeated_employers: set[str] = field(default_factory=set)  # compact forms of employers with 2+ entries

    @classmethod
    def of(cls, resume: ParsedResume | Mapping[str, Any] | str | None) -> ResumeFacts:
        """Facts of a :class:`ParsedResume`, its ``model_dump()``, or a resume brief (:func:`read_brief`)."""
        if isinstance(resume, str):
            data = read_brief(resume)
        elif isinstance(resume, ParsedResume):
            data = m.coerce_resume(resume.model_dump(mode="json"))
        else:
            data = m.coerce_resume(dict(resume or {}))
        facts = cls()
        employers: Counter[str] = Counter()
        for job in data["experience"]:
            facts._add(job.get("company"), EMPLOYER)
            facts._add(job.get("title"), TITLE)
            facts._add_location(job.get("location"))
            if job.get("company"):
                employers[tx.compact(job["company"])] += 1
            facts.spans.append((job.get("start_date"), job.get("end_date")))
            facts.depth_sources += job.get("highlights", [])
        for edu in data["education"]:
            facts._add(edu.get("institution"), SCHOOL)
            facts._add(edu.get("degree"), DEGREE)
            facts._add(edu.get("field"), DEGREE)
            facts.spans.append((edu.get("start_date"), edu.get("end_date")))
        for project in data["projects"]:
            facts._add(project.get("name"), PROJECT)
            facts.depth_sources += [project["description"]] if project.get("description") else []
            for tech in project.get("technologies", []):
                facts._add(tech, SKILL)
        for skill in data["skills"]:
            facts._add(skill, SKILL)
        for cert in data["certifications"]:
            facts._add(cert, CERTIFICATION)
        facts._add_location(data.get("location"))
        name = data.get("name") or ""
        facts._add(name, PERSON)
        for part in _raw_tokens(name):
            if len(part) >= 2:
                facts._add(part, PERSON, exact=True)
        facts.repeated_employers = {key for key, count in employers.items() if count > 1}
        facts.passages = [tx.tokens(t) for t in [*facts.depth_sources, data.get("summary") or ""] if t]
        return facts

    def _add(self, value: str | None, role: str, exact: bool = False) -> None:
        folded, raw = _tokenise(value)
        if not folded:
            return
        forms = [folded]
        core = folded[:-1] if len(folded) > 1 and folded[-1] in m.ORG_SUFFIXES else folded  # Acme Corp -> Acme
        core = core[1:] if len(core) > 1 and core[0] == "the" else core
        if core != folded:
            forms.append(core)
        for form in forms:
            key = "".join(form)
            # short names (Go, R, C#, AWS) and a person's first or last name only count as spelled
            short = len(form) == 1 and (exact or len(key) <= 3)
            spelled = raw[folded.index(form[0])] if short else None
            old = self.variants.get(key)
            roles = frozenset({role}) | (old.roles if old else frozenset())
            self.variants[key] = _Variant(roles, spelled if old is None else old.raw and spelled)
            self.max_width = max(self.max_width, len(form) + 1)

    def _add_location(self, value: str | None) -> None:
        if value:
            self._add(value, PLACE)
            for part in value.split(","):
                self._add(part, PLACE)

    def roles_of(self, key: str) -> frozenset[str]:
        variant = self.variants.get(key)
        return variant.roles if variant else frozenset()


_BRIEF_PERIOD = re.compile(r"\s\(((?:\d{4}(?:-\d\d)?|present))(?: - (\d{4}(?:-\d\d)?|present))?\)(?=:|$)")
_BRIEF_DATE = re.compile(r"^(\d{4}(-\d\d)?|present)$")
_SCHOOL_WORDS = re.compile(
    r"\b(universit\w*|college|institut\w*|school|academy|polytechnic|hochschule|universidad|école|ecole)\b", re.I
)


def read_brief(brief: str) -> dict[str, Any]:
    """A resume brief (:func:`ml.tasks.resume_brief`, the input of the question tasks) read back into the shape of
    :func:`ml.evaluation.metrics.coerce_resume`, for evaluation examples that carry no parsed resume.

    Lossy where the brief is: at most two highlights per job, no locations, no start dates of schools;
    a job head without " at " is read as the company.
    """
    data: dict[str, Any] = {"experience": [], "education": [], "projects": []}
    section = None
    for line in brief.splitlines():
        line = line.strip()
        head, _, rest = line.partition(": ")
        if head in ("Name", "Summary"):
            data[head.lower()] = rest.strip()
        elif head in ("Skills", "Certifications"):
            data[head.lower()] = [s.strip() for s in rest.split(", ") if s.strip()]
        elif line.rstrip(":") in ("Experience", "Education", "Projects") and line.endswith(":"):
            section = line.rstrip(":").lower()
        elif line.startswith("- ") and section:
            data[section].append(_brief_entry(section, line[2:]))
    return m.coerce_resume(data)


def _brief_entry(section: str, line: str) -> dict[str, Any]:
    if section == "experience":
        period = _BRIEF_PERIOD.search(line)
        head, highlights = (line[: period.start()], line[period.end() + 1 :]) if period else line.partition(": ")[::2]
        title, at, company = head.strip().partition(" at ")
        title, company = (title, company) if at else (None, title)
        start, end = (period[1], period[2]) if period else (None, None)
        return {
            "company": company or None,
            "title": title or None,
            "start_date": start,
            "end_date": end,
            "highlights": [h.strip() for h in highlights.split("; ") if h.strip()],
        }
    if section == "education":
        parts = [p.strip() for p in line.split(", ")]
        end = parts.pop() if len(parts) > 1 and _BRIEF_DATE.match(parts[-1]) else None
        degree = field_ = None
        if len(parts) > 1 and not _SCHOOL_WORDS.search(parts[0]):
            what = parts.pop(0)
            degree, _, field_ = what.partition(" in ")
        return {"institution": ", ".join(parts) or None, "degree": degree, "field": field_ or None, "end_date": end}
    name, _, rest = line.partition(": ")
    technologies = re.search(r"\s\(([^()]*)\)$", rest)
    description = rest[: technologies.start()] if technologies else rest
    return {
        "name": name if name != "Project" else None,
        "description": description.strip() or None,
        "technologies": technologies[1].split(", ") if technologies else [],
    }


# --- entity mentions -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    key: str  # compact form
    roles: frozenset[str]

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end


def mentions(folded: list[str], raw: list[str], facts: ResumeFacts) -> list[Mention]:
    """The resume's entities named in a tokenised question: longest first, never overlapping."""
    taken = [False] * len(folded)
    found = []
    for width in range(min(facts.max_width, len(folded)), 0, -1):
        for start in range(len(folded) - width + 1):
            if any(taken[start : start + width]):
                continue
            key = "".join(folded[start : start + width])
            variant = facts.variants.get(key)
            if variant is None or (variant.raw is not None and (width != 1 or raw[start] != variant.raw)):
                continue
            taken[start : start + width] = [True] * width
            found.append(Mention(start, start + width, key, variant.roles))
    return sorted(found, key=lambda mention: mention.start)


def _copied_runs(folded: list[str], passages: list[list[str]], min_run: int = MASK_RUN) -> set[int]:
    """Positions of the question inside a run of >= ``min_run`` words found in a row in one passage."""
    covered: set[int] = set()
    for passage in passages:
        previous = [0] * (len(passage) + 1)
        for i, token in enumerate(folded):
            current = [0] * (len(passage) + 1)
            for j, other in enumerate(passage):
                if token == other:
                    current[j + 1] = previous[j] + 1
                    if current[j + 1] >= min_run:
                        covered.update(range(i - current[j + 1] + 1, i + 1))
            previous = current
    return covered


# --- filler openers --------------------------------------------------------------------------------------

# --- template share --------------------------------------------------------------------------------------


def skeleton(question: str, facts: ResumeFacts) -> str:
    """The question with its filler opener dropped and its slot values masked, normalised (see the module doc).

    ``"Let's go back to your studies. Which methods or tools from your Computer Science studies at University of
    Tartu do you still apply, and how?"`` →
    ``"which methods or tools from your {x} studies at {x} do you still apply and how"``.
    """
    sentences = re.split(r"(?<=[.!:;])\s+", tasks.strip_filler(question))
    body = sentences[-1] if len(tx.tokens(sentences[-1])) >= LEAD_IN_MIN_BODY else " ".join(sentences)
    folded, raw = _tokenise(body)
    out: list[str] = list(folded)
    for mention in mentions(folded, raw, facts):
        out[mention.start : mention.end] = [SLOT] * (mention.end - mention.start)
    for i in _copied_runs(folded, facts.passages):
        out[i] = SLOT
    for i, token in enumerate(folded):
        near_number = any(any(c.isdigit() for c in folded[j]) for j in (i - 1, i + 1) if 0 <= j < len(folded))
        if any(c.isdigit() for c in token) or (token in _MONTHS and near_number):
            out[i] = NUMBER
    collapsed = [t for i, t in enumerate(out) if not (t in (SLOT, NUMBER) and i and out[i - 1] == t)]
    return " ".join(collapsed)


@dataclass
class TemplateShare:
    share: float | None  # templated questions / questions with a skeleton; None for none
    templated: int
    n: int
    top: list[dict[str, Any]]  # the most used templates: skeleton, questions, resumes

    def to_record(self) -> dict[str, Any]:
        return {"share": self.share, "templated": self.templated, "n": self.n, "top": self.top}


def _similar_pairs(skeletons: list[str], threshold: float) -> list[tuple[int, int]]:
    """Pairs of distinct skeletons whose word-sequence difflib ratio is >= ``threshold``.

    Only candidate pairs are compared (prefix filtering): a ratio >= t needs >= t·(a+b)/2 matched words, and
    with b >= a·t/(2-t) (a longer partner is too long for the ratio otherwise) that is >= t·a/(2-t) words; so
    two skeletons can only pass if their rarest ``a - ceil(t·a/(2-t)) + 1`` words (repeats counted apart)
    meet. Exact for any input, and it keeps thousands of questions to seconds instead of all pairs.
    """
    words = [s.split() for s in skeletons]
    tagged = []
    for sequence in words:
        seen: Counter[str] = Counter()
        items = []
        for word in sequence:
            seen[word] += 1
            items.append((word, seen[word]))
        tagged.append(items)
    frequency = Counter(item for items in tagged for item in items)
    index: dict[tuple[str, int], list[int]] = defaultdict(list)
    candidates: set[tuple[int, int]] = set()
    for i, items in enumerate(tagged):
        need = math.ceil(threshold * len(items) / (2 - threshold) - 1e-9)
        for item in sorted(items, key=lambda it: (frequency[it], it))[: max(1, len(items) - need + 1)]:
            candidates.update((j, i) for j in index[item])
            index[item].append(i)
    pairs = []
    matcher = SequenceMatcher(autojunk=False)
    for a, b in sorted(candidates):
        matcher.set_seqs(words[a], words[b])
        if matcher.real_quick_ratio() >= threshold <= matcher.quick_ratio() and matcher.ratio() >= threshold:
            pairs.append((a, b))
    return pairs


def template_share(
    items: Iterable[tuple[str, str]], threshold: float = NEAR_SKELETON, top: int = TOP_TEMPLATES
) -> TemplateShare:
    """Share of questions whose skeleton another resume's question shares (equal or near-identical).

    ``items``: (resume id, :func:`skeleton`) per question; empty skeletons are not counted. ``top``: the largest
    groups of near-identical skeletons (linked transitively), each with its most frequent skeleton, the number of
    questions and of distinct resumes.
    """
    items = [(str(rid), s) for rid, s in items if s and s.strip()]
    if not items:
        return TemplateShare(None, 0, 0, [])
    by_skeleton: dict[str, Counter[str]] = defaultdict(Counter)
    for rid, s in items:
        by_skeleton[s][rid] += 1
    distinct = list(by_skeleton)
    index = {s: i for i, s in enumerate(distinct)}
    neighbours: dict[int, list[int]] = defaultdict(list)
    parent = list(range(len(distinct)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in _similar_pairs(distinct, threshold):
        neighbours[a].append(b)
        neighbours[b].append(a)
        parent[root(a)] = root(b)
    templated = 0
    for rid, s in items:
        i = index[s]
        if any(set(by_skeleton[distinct[j]]) - {rid} for j in (i, *neighbours[i])):
            templated += 1
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(distinct)):
        groups[root(i)].append(i)
    summaries = []
    for members in groups.values():
        resumes = {rid for i in members for rid in by_skeleton[distinct[i]]}
        if len(resumes) < 2:
            continue
        head = max(members, key=lambda i: (sum(by_skeleton[distinct[i]].values()), -i))
        questions = sum(sum(by_skeleton[distinct[i]].values()) for i in members)
        summaries.append({"skeleton": distinct[head], "questions": questions, "resumes": len(resumes)})
    summaries.sort(key=lambda g: (-g["questions"], g["skeleton"]))
    return TemplateShare(templated / len(items), templated, len(items), summaries[:top])


# --- coherence -------------------------------------------------------------------------------------------

_SCHOOL_CUES = (
    ("studies", "at"), ("studied", "at"), ("study", "at"), ("studying", "at"), ("degree", "at"), ("degree", "from"),
    ("coursework", "at"), ("graduated", "from"), ("graduating", "from"), ("enrolled", "at"), ("major", "at"),
    ("studying",), ("study",), ("studied",),
)  # fmt: skip
_EMPLOYER_CUES = (
    ("worked", "at"), ("work", "at"), ("working", "at"), ("worked", "for"), ("work", "for"), ("working", "for"),
    ("colleagues", "at"), ("manager", "at"), ("boss", "at"), ("team", "at"), ("employer",), ("join",),
    ("joined",), ("joining",), ("hired", "by"), ("hired", "at"), ("employed", "at"), ("employed", "by"),
)  # fmt: skip
_LEAVE = {"left": 2, "leave": 2, "leaving": 2, "quit": 2, "quitting": 2, "from": 1}
_ARRIVE = {"join": 2, "joined": 2, "joining": 2, "drew": 2, "drawn": 2, "moved": 2, "switched": 2, "starting": 2,
           "started": 2, "start": 2, "to": 1}  # fmt: skip
"""Cues of a career move before a mention: 2 = unambiguous, 1 = only with another cue (from … to …)."""

CUE_WINDOW = 4
_MONTH_WORD = "|".join(sorted(tx.MONTHS, key=len, reverse=True))
_SPAN_DATE = rf"(?:(?:(?:{_MONTH_WORD})\.?\s+)?(?:19|20)\d\d(?:[-/.]\d{{1,2}})?|\d{{1,2}}[-/.](?:19|20)\d\d)"
_DATE_SPAN = re.compile(
    rf"(?<![\w-])(?P<a>{_SPAN_DATE})\s*(?:-|–|—|\bto\b|\buntil\b|\btill\b)\s*(?P<b>{_SPAN_DATE})(?![\w-])",
    re.IGNORECASE,
)


def _preceding(folded: list[str], start: int) -> list[str]:
    before = folded[max(0, start - 3) : start]
    return before[:-1] if before and before[-1] == "the" else before


def _cued(before: list[str], cues: tuple[tuple[str, ...], ...]) -> str | None:
    for cue in cues:
        if tuple(before[-len(cue) :]) == cue:
            return " ".join(cue)
    return None


def _move_cue(folded: list[str], start: int, cues: dict[str, int], others: dict[str, int]) -> int:
    """Strength of the nearest move cue of kind ``cues`` within :data:`CUE_WINDOW` words before ``start`` (0: none,
    or a cue of the other kind is nearer). A weak cue counts only right before the mention or its role ("to the X",
    "from Intern at X"): else "to" is an infinitive's ("to learn the Irontec stack") and "from" any source's."""
    for distance in range(1, min(CUE_WINDOW, start) + 1):
        token, between = folded[start - distance], folded[start - distance + 1 : start]
        weak_and_apart = between not in ([], ["the"], ["a"], ["an"], ["your"]) and "at" not in between[-2:]
        if token in cues and not (cues[token] == 1 and weak_and_apart):
            return cues[token]
        if token in others and not (others[token] == 1 and weak_and_apart):
            return 0
    return 0


def _proper_runs(folded: list[str], raw: list[str], taken: set[int]) -> list[Mention]:
    """Capitalised word runs not at a sentence start (names the resume may not hold: "SlashDB")."""
    runs: list[Mention] = []
    i = 0
    while i < len(raw):
        if i and raw[i][:1].isupper() and raw[i] != "I" and i not in taken:
            j = i
            while j < len(raw) and raw[j][:1].isupper() and j not in taken:
                j += 1
            runs.append(Mention(i, j, "".join(folded[i:j]), frozenset()))
            i = j
        else:
            i += 1
    return runs


def _date_key(value: str | None) -> tuple[int, int | None] | None:
    normalised = tx.normalise_date(value)
    if not normalised or normalised == "present":
        return None
    year, _, month = normalised.partition("-")
    return int(year), int(month) if month else None


def _span_problem(a: tuple[int, int | None], b: tuple[int, int | None]) -> str | None:
    if a[1] is None or b[1] is None:  # a year on one side: compare years only
        if b[0] < a[0]:
            return "ends before it starts"
        return "starts and ends in the same year" if a == b else None
    if b < a:
        return "ends before it starts"
    return "starts and ends in the same month" if a == b else None


def coherence(question: str, facts: ResumeFacts) -> list[str]:
    """Why a question is slot-filling nonsense given its resume (empty list: no failure found)."""
    failures: list[str] = []
    folded, raw = _tokenise(question)
    named = mentions(folded, raw, facts)
    for mention in named:
        text = " ".join(raw[mention.start : mention.end])
        before = _preceding(folded, mention.start)
        school_cue = _cued(before, _SCHOOL_CUES)
        if school_cue and EMPLOYER in mention.roles and SCHOOL not in mention.roles:
            failures.append(f"employer {text!r} used as a school ({school_cue!r} {text!r})")
        employer_cue = _cued(before, _EMPLOYER_CUES)
        title_before = any(
            other.end == mention.start - 1 and TITLE in other.roles and folded[mention.start - 1] == "at"
            for other in named
        )
        if (employer_cue or title_before) and SCHOOL in mention.roles and EMPLOYER not in mention.roles:
            cue = employer_cue or "<title> at"
            failures.append(f"school {text!r} used as an employer ({cue!r} {text!r})")
    taken = {i for mention in named for i in range(mention.start, mention.end)}
    candidates = named + _proper_runs(folded, raw, taken)
    seen_moves: set[str] = set()
    for a in candidates:
        for b in candidates:
            if a.key != b.key or a.start >= b.start or a.key in seen_moves:
                continue
            first = (_move_cue(folded, a.start, _LEAVE, _ARRIVE), _move_cue(folded, a.start, _ARRIVE, _LEAVE))
            second = (
                _move_cue(folded, b.start, _LEAVE, _ARRIVE),
                _move_cue(folded, b.start, _ARRIVE, _LEAVE) or (1 if first[0] and folded[b.start - 1] == "for" else 0),
            )  # after a leave cue, a "for" right before the mention arrives: "leave iABG for iABG" (v10), not
            # "what did you build for Acme before you left Acme?" nor "leave Zanui for Skiddoo once Zanui's app …"
            for leave, arrive in ((first[0], second[1]), (second[0], first[1])):
                if leave and arrive and (leave + arrive > 2 or a.key not in facts.repeated_employers):
                    text = " ".join(raw[a.start : a.end])
                    failures.append(f"moves from {text!r} to {text!r}")
                    seen_moves.add(a.key)
                    break
    resume_spans = {(_date_key(s), _date_key(e)) for s, e in facts.spans}
    for match in _DATE_SPAN.finditer(unicodedata.normalize("NFKC", question or "")):
        a, b = _date_key(match["a"]), _date_key(match["b"])
        problem = _span_problem(a, b) if a and b else None
        if problem:
            source = "as the resume has it" if (a, b) in resume_spans else "not in the resume"
            failures.append(f"date span {match[0]!r} {problem} ({source})")
    return failures


# --- quote fidelity --------------------------------------------------------------------------------------


def quote_fidelity(follow_up: str, answer: str) -> bool | None:
    """Every checked quote is in the answer; None when the follow-up quotes nothing checked."""
    checked = [q for q in tasks.quotes(follow_up) if len(tx.tokens(q)) >= tasks.MIN_QUOTE_TOKENS]
    return not tasks.unfaithful_quotes(follow_up, answer) if checked else None


# --- depth -----------------------------------------------------------------------------------------------


@dataclass
class DepthScore:
    deep: bool
    evidence: list[str]  # the shared words ("p95 latency" or stems)
    source: str | None  # the highlight or description it is about


def _content(token: str) -> bool:
    return (
        token not in tx.STOPWORDS
        and token not in m.FILLER_WORDS
        and token not in GENERIC_WORDS
        and (len(token) > 1 or token.isdigit())
    )


def depth(question: str, facts: ResumeFacts) -> DepthScore:
    """Deep = about one highlight's or project's own action or result (see the module doc)."""
    folded, raw = _tokenise(tasks.strip_filler(question))
    masked = {
        i
        for mention in mentions(folded, raw, facts)
        if mention.roles & DEPTH_MASKED and not mention.roles & {SKILL}
        for i in range(mention.start, mention.end)
    }
    skills = {i for mention in mentions(folded, raw, facts) if SKILL in mention.roles for i in range(*mention.span)}
    stems = [tx.stem(t) if i not in masked and _content(t) else None for i, t in enumerate(folded)]
    asked = {s for s in stems if s}
    # two words in a row: at least one of them not a skill ("Apache Kafka" alone is no highlight's action)
    pairs = {(a, b) for i, (a, b) in enumerate(pairwise(stems)) if a and b and not {i, i + 1} <= skills}
    best = DepthScore(False, [], None)
    for source in facts.depth_sources:
        source_stems = [tx.stem(t) if _content(t) else None for t in tx.tokens(source)]
        source_pairs = {(a, b) for a, b in pairwise(source_stems) if a and b}
        in_a_row = sorted(" ".join(p) for p in pairs & source_pairs)
        shared = sorted(asked & {s for s in source_stems if s})
        if in_a_row or len(shared) >= DEEP_MIN_SHARED:
            return DepthScore(True, in_a_row or shared, source)
        if len(shared) > len(best.evidence):
            best = DepthScore(False, shared, source)
    return best


def specific(question: str, entities: Iterable[str], facts: ResumeFacts) -> bool:
    """Specific = names an entity of the resume and says something besides it (:func:`m.specificity`), or is about
    one highlight's or project's own words (:func:`depth`): "Aerial imagery hides tiny objects in huge frames; how
    did your detectors keep small-object recall?" names no company, school or skill and is as specific as it gets."""
    return m.specificity(question, entities)[0] or depth(question, facts).deep


# --- one question, as evaluate records it ----------------------------------------------------------------


def score_question(
    question: str,
    facts: ResumeFacts,
    *,
    technical: bool = False,
    answer: str | None = None,
    reference: str | None = None,
) -> dict[str, Any]:
    """The per-question part of these metrics as :func:`ml.evaluation.evaluate.score_example` records them.

    ``skeleton`` (and ``reference_skeleton``) feed :func:`template_share`, which needs the whole run. ``depth`` only
    for technical interview questions, ``quote_fidelity`` only for follow-ups (``answer`` given) that quote.
    """
    failures = coherence(question, facts)
    record: dict[str, Any] = {
        "skeleton": skeleton(question, facts),
        "coherence": not failures,
        "incoherent": failures,
        "filler_opener": tasks.filler_opener(question) is not None,
    }
    if reference is not None:
        record["reference_skeleton"] = skeleton(reference, facts)
    if technical:
        record["depth"] = depth(question, facts).deep
    if answer is not None:
        fidelity = quote_fidelity(question, answer)
        if fidelity is not None:
            record["quote_fidelity"] = fidelity
            record["unfaithful_quotes"] = tasks.unfaithful_quotes(question, answer)
    return record
