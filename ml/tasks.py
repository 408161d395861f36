"""The three tasks, their prompt texts and their output rules: the one place these live.

Data building, training, evaluation, benchmarking and serving all call the builders
below, so the prompt a model is trained on is byte for byte the prompt it is served with.
A task's *input* is the user message; its *system prompt* is fixed per task; the
*output* is the assistant message (JSON for ``parse_resume``, one question otherwise: :func:`one_question`
keeps one, :func:`score_form` says whether it has the form of one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from ml import text as tx
from ml.schema import ParsedResume
from ml.text import split_columns
from ml.topics import choose_topic


class TaskName(StrEnum):
    PARSE_RESUME = "parse_resume"
    INTERVIEW_QUESTION = "interview_question"
    FOLLOW_UP = "follow_up"


QUESTION_TASKS = (TaskName.INTERVIEW_QUESTION, TaskName.FOLLOW_UP)
"""The tasks whose answer is one question (StrEnum: ``"follow_up" in QUESTION_TASKS`` holds too)."""


class Tone(StrEnum):
    HR = "hr"
    TECHNICAL = "technical"


SYSTEM_PROMPTS: dict[TaskName, str] = {
    TaskName.PARSE_RESUME: (
        "You convert resumes to JSON. Reply with one JSON object with these keys in this order: "
        "name, email, phone, location, links, summary, "
        "experience (company, title, start_date, end_date, location, highlights), "
        "education (institution, degree, field, start_date, end_date, gpa), "
        "projects (name, description, technologies), skills, certifications, languages. "
        'Dates are YYYY-MM, YYYY or "present". Copy values from the resume; '
        "use null or [] for anything the resume does not state."
    ),
    TaskName.INTERVIEW_QUESTION: (
        "You are an interviewer. Ask exactly one interview question about a specific detail "
        "of the candidate's resume. Reply with the question only."
    ),
    TaskName.FOLLOW_UP: (
        "You are an interviewer. Read the candidate's answer. If it is vague, ask one follow-up "
        "that names the vague part and asks for a number, an example or their own role; if it is "
        "concrete, ask one deeper follow-up. Reply with the question only."
    ),
}

TONE_DESCRIPTIONS: dict[Tone, str] = {
    Tone.HR: "an HR (behavioural) question about motivation, teamwork, conflict or career choices",
    Tone.TECHNICAL: "a technical question about tools, systems, methods or decisions",
}

BRIEF_MAX_HIGHLIGHTS = 2
BRIEF_MAX_SKILLS = 25
RAW_RESUME_MAX_CHARS = 6000


PARSE_PROMPT_PREFIX = "Parse this resume:\n"


def parse_resume_input(resume_text: str) -> str:
    """The parse prompt; a two-column page reads one column after the other (:func:`split_columns`), in
    training and serving alike: interleaved, v9 scored 0.64 micro-F1 on 10 such resumes, split 0.90."""
    return f"{PARSE_PROMPT_PREFIX}{split_columns(resume_text).strip()}"


def resume_of_parse_input(user_input: str) -> str:
    """The resume text inside a parse prompt (the inverse of :func:`parse_resume_input`)."""
    return user_input.removeprefix(PARSE_PROMPT_PREFIX)


def resume_brief(resume: ParsedResume | str) -> str:
    """A compact rendering of a resume for the question tasks.

    Questions need the resume's entities, not its layout, and a brief is 5-10x shorter
    than the raw text, which keeps question training and serving cheap. Raw text (when no
    parsed resume is at hand) is used as is, clipped to ``RAW_RESUME_MAX_CHARS``.
    """
    if isinstance(resume, str):
        return resume.strip()[:RAW_RESUME_MAX_CHARS]
    lines: list[str] = []
    if resume.name:
        lines.append(f"Name: {resume.name}")
    if resume.summary:
        lines.append(f"Summary: {resume.summary}")
    if resume.experience:
        lines.append("Experience:")
        for job in resume.experience:
            period = " - ".join(d for d in (job.start_date, job.end_date) if d)
            head = " at ".join(x for x in (job.title, job.company) if x)
            line = f"- {head}" + (f" ({period})" if period else "")
            if job.highlights:
                line += ": " + "; ".join(job.highlights[:BRIEF_MAX_HIGHLIGHTS])
            lines.append(line)
    if resume.education:
        lines.append("Education:")
        for edu in resume.education:
            what = " in ".join(x for x in (edu.degree, edu.field) if x)
            lines.append("- " + ", ".join(x for x in (what, edu.institution, edu.end_date) if x))
    if resume.projects:
        lines.append("Projects:")
        for project in resume.projects:
            tech = f" ({', '.join(project.technologies)})" if project.technologies else ""
            lines.append(f"- {project.name or 'Project'}: {project.description or ''}{tech}".rstrip(": "))
    if resume.skills:
        lines.append("Skills: " + ", ".join(resume.skills[:BRIEF_MAX_SKILLS]))
    if resume.certifications:
        lines.append("Certifications: " + ", ".join(resume.certifications))
    return "\n".join(lines)


def interview_question_input(
    resume: ParsedResume | str, tone: Tone | str, seed: int | None = None, topic: str | None = None
) -> str:
    """The question prompt: the tone and one part of the resume (:mod:`ml.topics`), ``topic`` or else one drawn
    by ``seed``; the whole brief only when the resume has no part to offer."""
    tone = Tone(tone)
    topic = topic or choose_topic(resume, seed, tone.value)
    about = f"About:\n{topic}" if topic else f"Resume:\n{resume_brief(resume)}"
    return f"Ask {TONE_DESCRIPTIONS[tone]}.\nTone: {tone.value}\n{about}"


def follow_up_input(resume: ParsedResume | str, question: str, answer: str) -> str:
    return (
        f"Resume:\n{resume_brief(resume)}\n\nQuestion: {question.strip()}\nAnswer: {answer.strip()}\n\n"
        "Ask one follow-up question."
    )


def build_messages(task: TaskName | str, user_input: str, output: str | None = None) -> list[dict[str, str]]:
    """Chat messages for a task: system, user and (for training targets) assistant."""
    messages = [
        {"role": "system", "content": SYSTEM_PROMPTS[TaskName(task)]},
        {"role": "user", "content": user_input},
    ]
    if output is not None:
        messages.append({"role": "assistant", "content": output})
    return messages


_QUESTION_END = re.compile(r"\?")


def one_question(text: str) -> str:
    """Keep exactly one question: the text up to and including the first ``?`` on its first non-empty line, without
    a filler opener (:func:`filler_opener`: "Thanks for walking me through your background. So, …" is odd as the
    first thing an interviewer says; v9 opened 31 of 60 questions and follow-ups on 20 real people that way)."""
    line = next((ln.strip() for ln in text.strip().splitlines() if ln.strip()), "")
    line = re.sub(r"^(question|follow-up|q)\s*[:\-]\s*", "", line, flags=re.IGNORECASE).strip(" \"'")
    match = _QUESTION_END.search(line)
    question = line[: match.end()] if match else line
    stripped = strip_filler(question)
    return stripped[:1].upper() + stripped[1:] if _QUESTION_END.search(stripped) else question


MIN_QUESTION_WORDS = 5
MAX_QUESTION_WORDS = 40


@dataclass
class FormScore:
    """The form of a question task's answer: the rule teacher replies are held to and the evaluation measures."""

    words: int
    question_marks: int
    ends_with_question: bool

    @property
    def ok(self) -> bool:
        return (
            self.question_marks == 1
            and self.ends_with_question
            and MIN_QUESTION_WORDS <= self.words <= MAX_QUESTION_WORDS
        )


def score_form(question: str) -> FormScore:
    """One question: exactly one ``?``, at the end, and 5-40 words."""
    text = (question or "").strip()
    return FormScore(len(text.split()), text.count("?"), text.endswith("?"))


# --- what a question opens with, and what a follow-up quotes ------------------------------------------------

_CONNECTIVE = (
    r"(?:quick question|one quick question|out of curiosity|to start|to begin|to kick off|first(?:ly)?|so|now|next|"
    r"tell me|okay|ok|alright|all right|right|well|great|moving on|one more thing)"
)
FILLER_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"(?:thanks|thank you)\b[^.!?:]*[.!:,]\s*",
        r"(?:great|good|nice|perfect|interesting|got it|understood|i see|sure)(?: answer| question)?[.!,:]\s*",
        r"i want to dig into (?:one|a|this|that) (?:detail|thing|point)[^.!?:]*[.:]\s*",
        r"let'?s move on[^.!?:]*[.:]\s*",
        r"one thing caught my eye[.:]\s*",
        r"looking at your (?:resume|cv|background|profile)[,:]\s*",
        rf"{_CONNECTIVE}\s*[,:]\s*",
        rf"[^?.!]{{1,120}}[.!]\s+(?={_CONNECTIVE}\s*[,:])",  # "<any first sentence>. So, …"
    )
)
"""Openers that ask nothing, matched at the start of a question (and again after each other)."""


def filler_opener(question: str) -> str | None:
    """The filler a question opens with ("Thanks for walking me through your background. Quick question:"), or None."""
    text = (question or "").strip().lstrip("\"'“‘«")
    position = 0
    while True:
        ends = [match.end() for p in FILLER_PATTERNS if (match := p.match(text, position))]
        if not ends or max(ends) == position:
            break
        position = max(ends)
    return text[:position].strip() or None


def strip_filler(question: str) -> str:
    opener = filler_opener(question)
    text = (question or "").strip().lstrip("\"'“‘«")
    return text[len(opener) :].strip() if opener and text.startswith(opener) else text


MIN_QUOTE_TOKENS = 2
"""Quotes shorter than this (in words) are not checked against the answer."""


_QUOTES = (
    re.compile(r'(?<!\w)"([^"]+)"(?!\w)'),  # not an inch mark: 6" or 8"
    re.compile(r"“([^“”]+)”"),
    re.compile(r"„([^“”„]+)[“”]"),
    re.compile(r"«\s*([^«»]+?)\s*»"),
    re.compile(r"(?<!\w)‘(.+?)’(?!\w)"),
    re.compile(r"(?<!\w)'(.+?)'(?!\w)"),
)
_ELLIPSIS = re.compile(r"\.\.\.|…")


def quotes(text: str) -> list[str]:
    """Phrases quoted in ``text`` with straight, curly, low-high or angle quotes."""
    found: list[tuple[int, str]] = []
    spans: list[tuple[int, int]] = []
    for pattern in _QUOTES:
        for match in pattern.finditer(text or ""):
            if any(s <= match.start() < e for s, e in spans):
                continue
            spans.append(match.span())
            found.append((match.start(), match[1].strip()))
    return [q for _, q in sorted(found) if q]


def unfaithful_quotes(follow_up: str, answer: str) -> list[str]:
    """Quotes of >= :data:`MIN_QUOTE_TOKENS` words that are not in the answer (normalised words, in order)."""
    said = f" {tx.norm(answer)} "
    wrong = []
    for quote in quotes(follow_up):
        if len(tx.tokens(quote)) < MIN_QUOTE_TOKENS:
            continue
        position = 0
        for part in (tx.norm(p) for p in _ELLIPSIS.split(quote)):
            if not part:
                continue
            found = said.find(f" {part} ", position)
            if found < 0:
                wrong.append(quote)
                break
            position = found + len(part) + 1
    return wrong


_CLAUSE_BREAK = re.compile(r"[,.;:!?]|\s(?:and|but|so|because)\s", re.IGNORECASE)
QUOTED_ANSWER_WORDS = 8
"""The most words of the answer a re-quoted follow-up puts between quotes."""


def answer_phrase(answer: str) -> str:
    """The candidate's own words to quote: the answer's first clause of two words or more, at most
    :data:`QUOTED_ANSWER_WORDS` words (``"I try to stay calm and find a solution."`` → ``"I try to stay calm"``)."""
    clauses = [c.split() for c in _CLAUSE_BREAK.split(answer)]
    words = next((c for c in clauses if len(c) >= MIN_QUOTE_TOKENS), next((c for c in clauses if c), []))
    return " ".join(words[:QUOTED_ANSWER_WORDS])


_PADDED_QUOTE = re.compile(r'(?<!\w)"[ \t]*([^"]*?)[ \t]*"(?!\w)')


def requote(follow_up: str, answer: str) -> str:
    """``follow_up`` with each quote of words the candidate never said replaced by words they did say
    (:func:`answer_phrase`): a follow-up must not put words in the candidate's mouth. Spaces inside a quote's
    marks go (v10 wrote 'an example of " delivered it" from …')."""
    for quote in unfaithful_quotes(follow_up, answer):
        follow_up = follow_up.replace(quote, answer_phrase(answer), 1)
    return follow_up if follow_up.count('"') % 2 else _PADDED_QUOTE.sub(r'"\1"', follow_up)  # odd: an inch mark
