"""What one interview question is about: a part of the resume, chosen by code, so the model only has to ask.

A 135M model given a whole resume brief asked the same few questions with other slot values, mixed roles up
("leaving X to join X") and seldom asked about a highlight's own work (issue #30). Given one part of the resume
instead (a job and one of its highlights, a project, a degree) it has one thing to ask about: the question is
grounded by construction, successive questions differ because the part differs, and the prompt is short. A career
move is shown only where the employer changed, so "leaving X to join X" cannot be asked.

A topic is a few labelled lines, the text the question prompt carries::

    Role: Backend Engineer at Glovo (2019-03 - present)
    Before: Developer at Indra
    Work: Cut checkout p95 latency 40% by moving pricing to a Redis cache.
"""

from __future__ import annotations

import random
import re
import zlib

from ml import text as tx
from ml.schema import Education, Experience, ParsedResume

RAW_TOPIC_MIN_WORDS = 6
RAW_TOPIC_MAX_WORDS = 60
WORK_WEIGHT = 3
"""A part with a highlight (or a project's description) is this many times as likely to be chosen as a bare role
or a degree: that is where the resume's own decisions, numbers and conflicts are."""

_BULLET = re.compile(rf"^[\s\-*{tx.BULLET_GLYPHS}–—>]+")
_ROLE_LABELS = ("Role:", "Before:")
QUESTION_WORDS = frozenset(
    [
        "work", "worked", "working", "project", "projects", "role", "roles", "job", "team", "teams", "time", "part",
        "before", "studies", "study", "summary", "present",  # a topic's labels, and its "(2019-03 - present)"
    ]
)  # fmt: skip
"""Words a question may say of any part of any resume: no evidence that it is about this one."""


def _role(job: Experience) -> str:
    period = " - ".join(d for d in (job.start_date, job.end_date) if d)
    head = " at ".join(x for x in (job.title, job.company) if x)
    return head + (f" ({period})" if period else "")


def _degree(edu: Education) -> str:
    what = " in ".join(x for x in (edu.degree, edu.field) if x)
    place = " at ".join(x for x in (what, edu.institution) if x)
    return place + (f" ({edu.end_date})" if edu.end_date else "")


def _before(resume: ParsedResume, index: int) -> str | None:
    """The job held before ``resume.experience[index]`` (the next one listed), if at another employer."""
    if index + 1 >= len(resume.experience):
        return None
    job, earlier = resume.experience[index], resume.experience[index + 1]
    if not earlier.company or tx.compact(earlier.company) == tx.compact(job.company):
        return None
    return " at ".join(x for x in (earlier.title, earlier.company) if x)


def _lines(**labelled: str | None) -> str:
    return "\n".join(f"{label.capitalize()}: {value}" for label, value in labelled.items() if value)


def question_topics(resume: ParsedResume | str) -> list[str]:
    """Every part of a resume a question may be about, in resume order, with its weight in :func:`choose_topic`.

    A parsed resume gives one part per highlight of each job (a job without highlights: the role itself), per
    project and per degree; raw text, one per line long enough to hold a piece of work."""
    return [topic for topic, _ in _weighted_topics(resume)]


def _weighted_topics(resume: ParsedResume | str) -> list[tuple[str, int]]:
    if isinstance(resume, str):
        lines = (_BULLET.sub("", line).strip() for line in resume.splitlines())
        return [
            (_lines(work=line), WORK_WEIGHT)
            for line in lines
            if RAW_TOPIC_MIN_WORDS <= len(line.split()) <= RAW_TOPIC_MAX_WORDS
        ]
    topics: list[tuple[str, int]] = []
    for index, job in enumerate(resume.experience):
        role, before = _role(job), _before(resume, index)
        if not role:
            continue
        highlights = [h for h in job.highlights if h.strip()]
        topics += [(_lines(role=role, before=before, work=h), WORK_WEIGHT) for h in highlights]
        if not highlights:
            topics.append((_lines(role=role, before=before), 1))
    for project in resume.projects:
        name = project.name or "Project"
        tech = f" ({', '.join(project.technologies)})" if project.technologies else ""
        weight = WORK_WEIGHT if project.description else 1
        topics.append((_lines(project=name + tech, work=project.description), weight))
    topics += [(_lines(studies=_degree(edu)), 1) for edu in resume.education if _degree(edu)]
    if not topics and resume.summary:
        topics.append((_lines(summary=resume.summary), 1))
    return topics


def choose_topic(resume: ParsedResume | str, seed: int | None = None, tone: str = "") -> str | None:
    """One part of the resume to ask about, drawn by weight; ``None`` when the resume has no part to offer.

    ``seed`` ``None`` draws from the resume's own text and the tone, so the same request gets the same part (and
    evaluations repeat) while the HR and the technical question may take different parts; another seed usually
    gives another part."""
    weighted = _weighted_topics(resume)
    if not weighted:
        return None
    if seed is None:
        seed = zlib.crc32("\n".join([tone, *(topic for topic, _ in weighted)]).encode("utf-8"))
    topics, weights = zip(*weighted, strict=True)
    return random.Random(seed).choices(topics, weights=weights)[0]


def _own_and_role_lines(topic: str) -> tuple[str, str]:
    """A topic's own lines (its work, project, studies or summary) and its role lines (the role and the one before)."""
    lines = topic.splitlines()
    own = "\n".join(line for line in lines if not line.startswith(_ROLE_LABELS))
    return own, "\n".join(line for line in lines if line.startswith(_ROLE_LABELS))


def words_from_topic(question: str, topic: str, tone: str) -> set[str]:
    """The content stems ``question`` shares with the part it was asked about: for a technical question the part's
    own lines (its highlight, project or studies: what a technical question is about), where it has any; for an
    HR question any line, the role and the career move included (an HR question's subject as often as the work).
    Empty for a question that says nothing of its part ("When working on a tool, how did you decide …?")."""
    own, _ = _own_and_role_lines(topic)
    about = own if tone == "technical" and own else topic
    return tx.stems(question, QUESTION_WORDS) & tx.stems(about, QUESTION_WORDS)


def topic_of_question(resume: ParsedResume, question: str) -> str | None:
    """The part of ``resume`` a written question is about: the one sharing most content words with it (the role's
    words counted once), first in resume order on a tie. Training rows get the topic their question answers."""
    asked = tx.stems(question)
    best, best_score = None, 0.0
    for topic in question_topics(resume):
        work, role = _own_and_role_lines(topic)
        score = 2 * len(asked & tx.stems(work)) + len(asked & tx.stems(role))
        if score > best_score:
            best, best_score = topic, score
    return best
