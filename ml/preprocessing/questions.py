"""Interview-question and follow-up targets grounded in one resume's details.

Each question targets one concrete thing on the resume (a company, a title change, an
achievement, a project, a skill, a gap, a school, a certification) and is assembled from
independent parts (an optional lead-in, an optional opener, one of many question
bodies) so phrasing varies far beyond a handful of templates. Candidate answers are
vague (no number, no example, no own role) or concrete; follow-ups to vague answers
quote the vague part and ask for a number, an example, the candidate's own role or a
trade-off; follow-ups to concrete answers dig one level deeper into a detail the
answer gave. An imported Q&A pair (``ml/data/interview_qa``) has no resume of its own: it is asked
against the synthetic resume :func:`qa_resume` draws for it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ml.preprocessing.clean import content_hash
from ml.preprocessing.ingest import QAPair
from ml.preprocessing.synthetic.content import GENERAL_SKILLS, OCCUPATION_KEYS, OCCUPATIONS
from ml.preprocessing.synthetic.generate import SyntheticResume, generate_resume
from ml.schema import ParsedResume


@dataclass
class Target:
    kind: str  # job | achievement | project | skill | gap | short_tenure | education | certification | move
    entity: str  # the resume string the question is about (grounded_in)
    slots: dict[str, str] = field(default_factory=dict)


@dataclass
class QuestionItem:
    tone: str
    question: str
    target: Target


@dataclass
class FollowUpItem:
    question: str
    answer: str
    answer_kind: str  # vague | concrete
    vague_part: str | None
    follow_up: str
    target: Target


# --- targets ------------------------------------------------------------------------------------


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date and date[:4].isdigit() else None


def _months(date: str | None) -> int | None:
    if not date or date == "present":
        return None
    if len(date) == 7:
        return int(date[:4]) * 12 + int(date[5:]) - 1
    return None


def achievement_phrase(highlight: str) -> str:
    """``"Cut p95 latency by 40% by …, saving $2M"`` → ``"cut p95 latency by 40% by …"`` (for "you …")."""
    head = re.split(r"[;,]\s|\s[—–]\s", highlight.strip().rstrip("."), maxsplit=1)[0]
    head = re.sub(r"\bmy\b", "your", head)
    words = head.split()
    if words and not (len(words[0]) > 1 and words[0].isupper()):
        words[0] = words[0].lower()
    return " ".join(words)


_HOW_CLAUSE = re.compile(
    r"\s(?:using|with|via|through|under|by|across|in|on|for|from|orchestrated|served|powered|built on)\s", re.IGNORECASE
)


def achievement_gist(phrase: str) -> str:
    """What was done, without how: ``"redesigned the onboarding funnel using a dual-track process"`` →
    ``"redesigned the onboarding funnel"``. An HR question asks about the people side of an achievement; its
    tools and methods make it read as a technical question (the evaluation's tone classifier took 13% of HR
    achievement questions carrying them for technical ones)."""
    for match in _HOW_CLAUSE.finditer(phrase):
        if len(phrase[: match.start()].split()) >= 3:
            return phrase[: match.start()]
    return phrase


def entities_of(resume: ParsedResume) -> list[str]:
    """Concrete strings a question may name: companies, titles, projects, skills, schools, certifications."""
    out: list[str] = []
    for job in resume.experience:
        out += [x for x in (job.company, job.title) if x]
    out += [p.name for p in resume.projects if p.name]
    out += [e.institution for e in resume.education if e.institution]
    out += resume.certifications + resume.skills
    seen: set[str] = set()
    return [x for x in out if not (x.lower() in seen or seen.add(x.lower()))]


def targets_of(resume: ParsedResume, english_highlights: bool = True) -> list[Target]:
    """What a question can be about. Achievements are phrased into English questions ("when you cut …"), so a
    resume whose highlights are in another language (``english_highlights=False``) gets none of those."""
    targets: list[Target] = []
    jobs = resume.experience
    for i, job in enumerate(jobs):
        if not job.company:
            continue
        slots = {"company": job.company, "title": job.title or "your role"}
        targets.append(Target("job", job.company, slots))
        if english_highlights:
            for h in job.highlights[:4]:
                if len(h.split()) >= 4:
                    phrase = achievement_phrase(h)
                    gist = achievement_gist(phrase)
                    targets.append(Target("achievement", job.company, {**slots, "h": phrase, "gist": gist, "full": h}))
        if i + 1 < len(jobs) and jobs[i + 1].company and jobs[i + 1].company != job.company:
            prev = jobs[i + 1]
            targets.append(
                Target(
                    "move",
                    job.company,
                    {**slots, "prev_company": prev.company, "prev_title": prev.title or "your previous role"},
                )
            )
            end_prev, start_next = _months(prev.end_date), _months(job.start_date)
            if end_prev is not None and start_next is not None and start_next - end_prev >= 6:
                targets.append(
                    Target(
                        "gap",
                        prev.company,
                        {**slots, "prev_company": prev.company, "a": prev.end_date or "", "b": job.start_date or ""},
                    )
                )
        start, end = _months(job.start_date), _months(job.end_date)
        if start is not None and end is not None and 0 < end - start < 11:
            targets.append(Target("short_tenure", job.company, {**slots, "months": str(end - start)}))
    for project in resume.projects:
        if project.name:
            slots = {"project": project.name, "tech": project.technologies[0] if project.technologies else ""}
            targets.append(Target("project", project.name, slots))
    company = jobs[0].company if jobs and jobs[0].company else None
    soft = {s.lower() for s in GENERAL_SKILLS}
    for skill in [s for s in resume.skills if s.lower() not in soft][:30]:
        targets.append(Target("skill", skill, {"skill": skill, **({"company": company} if company else {})}))
    for edu in resume.education:
        if edu.institution:
            targets.append(
                Target(
                    "education",
                    edu.institution,
                    {"institution": edu.institution, "field": edu.field or edu.degree or "your degree"},
                )
            )
    for cert in resume.certifications:
        targets.append(Target("certification", cert, {"cert": cert}))
    return targets


# --- question phrasing --------------------------------------------------------------------------

HR_BODIES: dict[str, list[str]] = {
    "job": [
        "what did a typical week look like for you as {title} at {company}?",
        "what made you decide to join {company}?",
        "what are you most proud of from your time at {company}?",
        "how would your manager at {company} describe the way you work?",
        "can you tell me about a disagreement with a colleague at {company} and how you resolved it?",
        "what was the most difficult decision you had to make as {title} at {company}?",
        "what did you learn about yourself while working as {title} at {company}?",
        "how did you handle competing priorities in your role at {company}?",
        "what kind of feedback did you get most often at {company}?",
        "what would your colleagues at {company} say is your biggest strength?",
        "what did you find most frustrating about working at {company}, and what did you do about it?",
        "why are you thinking about leaving {company} now?",
    ],
    "achievement": [
        "how did you handle disagreements with colleagues at {company} when you {gist}?",
        "how did you stay motivated through the hardest moments at {company} when you {gist}?",
        "how did you persuade colleagues at {company} to support you when you {gist}?",
        "what did you learn about yourself when you {gist} at {company}?",
        "how did you keep the team at {company} motivated while you {gist}?",
    ],
    "move": [
        "what personally drew you to {company} when you left {prev_company}?",
        "how did your responsibilities change when you went from {prev_title} at {prev_company} to {title} at "
        "{company}?",
        "how did you feel about leaving your colleagues at {prev_company} to join {company}?",
    ],
    "gap": [
        "what were you doing between leaving {prev_company} in {a} and starting at {company} in {b}?",
        "there is a gap between {a} and {b} on your resume; how did you spend that time?",
    ],
    "short_tenure": [
        "you were at {company} for about {months} months; what happened there?",
        "why was your time at {company} relatively short?",
    ],
    "education": [
        "why did you choose to study {field} at {institution}?",
        "how has your time at {institution} shaped the way you work today?",
        "what did studying {field} at {institution} teach you about yourself?",
    ],
    "certification": [
        "what made you decide to pursue the {cert}?",
        "how did you balance studying for the {cert} with work and personal life?",
    ],
    "project": [
        "what motivated you to start {project}?",
        "what kept you motivated to work on {project} alongside your job?",
        "how did you work with the people on {project}, and how did you handle disagreements?",
    ],
    "skill": [
        "what motivated you to learn {skill}, and how do you keep growing in it?",
        "how do you help a colleague who feels lost with {skill}, and how do you keep them motivated?",
    ],
}

TECH_BODIES: dict[str, list[str]] = {
    "achievement": [
        "how did you measure the result at {company} when you {h}?",
        "can you walk me through how you {h} at {company}, step by step?",
        "which alternative methods or tools did you compare at {company} before you {h}?",
        "which metric or test at {company} showed it worked after you {h}?",
        "which tools, data or budget limits at {company} shaped your method when you {h}?",
        "which method did you use at {company} when you {h}, and what would you change with half the time?",
    ],
    "skill": [
        "which {skill} methods do you use most in your day-to-day work?",
        "what is a common error people make when applying {skill}, and how do you check for it?",
        "how do you decide when {skill} is the right tool and when another method is better?",
        "what is the most complex analysis or build you did with {skill}, and which steps did it take?",
        "how would you set up {skill} from scratch for a new project, step by step?",
        "what are the limits of {skill} as a method, and what do you use when it does not fit?",
        "how did you use {skill} at {company}?",
        "which {skill} technique or tool did you apply at {company}, and how did you verify it worked?",
    ],
    "project": [
        "how is {project} structured, and why did you choose {tech} for it?",
        "what was the hardest technical problem in {project}?",
        "what would you change in the design of {project} if you rebuilt it today?",
        "how did you test {project}?",
        "how would the design of {project} need to change to handle ten times the load?",
    ],
    "job": [
        "which tools, systems and methods did you rely on most as {title} at {company}, and why?",
        "what was the hardest problem you solved at {company}, and which tools or methods did you use?",
        "how did you choose the tools and processes you used at {company}, and what did you compare?",
        "how did you check the quality of your work at {company}, and which tools or checks did you use?",
        "which metrics or tests did you use to check your work at {company}?",
    ],
    "certification": [
        "which method or standard from the {cert} do you apply in your work, and how?",
        "which technique from the {cert} material do you apply most, and how?",
    ],
    "education": [
        "which methods or tools from your {field} studies at {institution} do you still apply, and how?",
        "which technique or standard from your {field} coursework at {institution} do you use most at work, and how "
        "exactly?",
        "which tools, models or procedures from {field} at {institution} do you use in your work, and how?",
    ],
}

LEAD_INS = ["", "", "", "", ""]
"""No lead-in half the time; otherwise one that names what the question is about (:data:`KIND_LEAD_INS`). Generic
pleasantries and connectives ("Thanks for walking me through your background.", "So, ", "Quick question: ") are
filler an interviewer does not open with, and the output rule drops them (:func:`ml.tasks.one_question`)."""
KIND_LEAD_INS = {
    "job": ["Let's talk about {company}.", "I see {company} on your resume.", "Let's start with {company}."],
    "achievement": ["Let's talk about {company}.", "Your time at {company} stood out to me."],
    "move": ["Let's go back to {prev_company} for a moment.", "I'd like to understand your career path."],
    "gap": ["I'd like to understand your career path."],
    "skill": ["Your resume mentions {skill}.", "You list {skill} among your skills."],
    "project": ["I noticed {project} in your projects.", "Let's talk about {project}."],
    "certification": ["You list the {cert}."],
    "education": ["Let's go back to your studies."],
}


def display(value: str) -> str:
    """An ALL-CAPS resume string as a person would say it: ``"ACME LOGISTICS LTD"`` → ``"Acme Logistics Ltd"``."""
    if value.isupper() and len(value) > 5 and " " in value:
        return " ".join(w.capitalize() if len(w) > 3 or w in ("LTD", "INC.", "LLC") else w for w in value.split())
    return value


def phrase_question(target: Target, tone: str, rng: random.Random) -> str | None:
    bodies = (HR_BODIES if tone == "hr" else TECH_BODIES).get(target.kind)
    if not bodies:
        return None
    slots = {k: display(v) for k, v in target.slots.items()}
    candidates = [
        b for b in bodies if all(f"{{{k}}}" not in b or (k in slots and slots[k]) for k in re.findall(r"\{(\w+)\}", b))
    ]
    if not candidates:
        return None
    body = rng.choice(candidates).format(**slots)
    lead = rng.choice(LEAD_INS + KIND_LEAD_INS.get(target.kind, []))
    lead = lead.format(**slots).replace("..", ".")
    text = body[0].upper() + body[1:]
    if lead:
        text = f"{lead} {text}"
    return re.sub(r"\s+", " ", text).strip()


def make_questions(
    resume: ParsedResume,
    rng: random.Random,
    n: int,
    tones: tuple[str, ...] = ("hr", "technical"),
    english_highlights: bool = True,
) -> list[QuestionItem]:
    """``n`` questions, alternating tones, each grounded in a different target where possible."""
    targets = targets_of(resume, english_highlights)
    if not targets:
        return []
    out: list[QuestionItem] = []
    used: set[str] = set()
    tone_cycle = list(tones)
    rng.shuffle(tone_cycle)
    attempts = 0
    while len(out) < n and attempts < n * 20:
        attempts += 1
        tone = tone_cycle[len(out) % len(tone_cycle)]
        # weight kinds so skills (many) do not crowd out jobs and achievements
        kind = rng.choice(
            [
                "job",
                "achievement",
                "achievement",
                "skill",
                "project",
                "move",
                "gap",
                "short_tenure",
                "education",
                "certification",
            ]
        )
        pool = [t for t in targets if t.kind == kind]
        if not pool:
            continue
        target = rng.choice(pool)
        question = phrase_question(target, tone, rng)
        if question and question not in used:
            used.add(question)
            out.append(QuestionItem(tone, question, target))
    return out


# --- answers and follow-ups ---------------------------------------------------------------------

# (answer template, vague part, what the vague part lacks: number | example | role | tradeoff)
VAGUE_ANSWERS: list[tuple[str, str, tuple[str, ...]]] = [
    ("Honestly I juggled many assignments there, it's hard to pick one.", "juggled many assignments", ("example",)),
    (
        "It went well overall, we improved performance quite a lot.",
        "improved performance quite a lot",
        ("number", "role"),
    ),
    ("I mostly helped the team with whatever they needed at the time.", "helped the team", ("role", "example")),
    ("We made it much faster and everyone was happy with it.", "made it much faster", ("number",)),
    (
        "I was involved in a lot of the decisions, so I had a big impact.",
        "involved in a lot of the decisions",
        ("role", "example"),
    ),
    (
        "Basically I handled the usual stuff, meetings, planning, that kind of thing.",
        "handled the usual stuff",
        ("example",),
    ),
    ("It was a big success and the numbers went up.", "the numbers went up", ("number",)),
    (
        "I always try to communicate well with everyone, so it worked out.",
        "communicate well with everyone",
        ("example",),
    ),
    ("There were some challenges but we worked through them as a team.", "some challenges", ("example", "role")),
    ("I did a lot of optimisation work on it.", "a lot of optimisation work", ("number", "example")),
    ("We reduced costs significantly in the end.", "reduced costs significantly", ("number", "tradeoff")),
    ("It was a team effort, we all contributed equally.", "we all contributed equally", ("role",)),
    ("I think it improved things for the customers.", "improved things for the customers", ("number", "example")),
    ("I just did what needed to be done, nothing special.", "did what needed to be done", ("example", "role")),
    ("We used the best approach for the situation.", "the best approach", ("tradeoff", "example")),
    ("I learned a lot there, mainly about working with people.", "learned a lot", ("example",)),
    ("We had some issues with quality but we fixed them.", "we fixed them", ("role", "example")),
    ("It depends on the situation, I try to be flexible.", "It depends on the situation", ("example",)),
    ("My manager was happy with my results.", "happy with my results", ("number", "example")),
    ("I took care of the process improvements.", "the process improvements", ("example", "number")),
    ("I picked it up on the job and used it a lot.", "used it a lot", ("example", "number")),
    (
        "{company} was a good place to grow, I got a lot of responsibility.",
        "a lot of responsibility",
        ("example", "role"),
    ),
    ("I left because I wanted a new challenge.", "a new challenge", ("specific",)),
    ("We tried a few options and picked the one that worked best.", "picked the one that worked best", ("tradeoff",)),
]

VAGUE_FOLLOW_UPS: dict[str, list[str]] = {
    "specific": [
        'You said "{vp}"; what specifically do you mean by that?',
        'When you say "{vp}", can you name one concrete thing that was behind it?',
        'What specific event made it "{vp}" for you?',
        'You mentioned "{vp}"; can you describe one specific day when that was true?',
    ],
    "number": [
        "You said you {vp}; by how much, and how did you measure it?",
        'When you say "{vp}", what numbers are we talking about?',
        'Can you put a number on "{vp}" — what was it before and after?',
        'You said "{vp}"; compared to what baseline, and over what period?',
    ],
    "example": [
        'You mentioned "{vp}" — can you give me one specific example?',
        'What is one concrete example of "{vp}" from {context}?',
        'Can you pick one situation behind "{vp}" and walk me through it?',
        'When you say "{vp}", can you give me the most recent instance, step by step?',
    ],
    "role": [
        'When you say "{vp}", what exactly was your own part, as opposed to the team\'s?',
        'You said "{vp}"; what did you personally do, and what did others do?',
        'In "{vp}", which decisions did you personally make?',
        'Given that you said "{vp}", what was your own contribution?',
    ],
    "tradeoff": [
        'You said "{vp}"; what was the trade-off, and what did you have to give up?',
        'Behind "{vp}", what alternatives did you reject, and why?',
        'What was the downside of "{vp}" that you had to accept?',
    ],
}

STEPS = [
    "mapped the current process with the people who ran it every day",
    "set up a baseline first so we could measure progress",
    "split the work into two-week milestones with a clear owner for each",
    "wrote a one-page proposal and reviewed it with my manager and two peers",
    "ran a small pilot with one team before rolling it out",
    "interviewed {n} of the people affected to understand what was really going wrong",
    "looked at three months of data to find where most of the problems came from",
    "agreed success criteria with the stakeholders up front",
    "paired with a colleague who had done something similar before",
    "built a simple checklist that everyone on the team could follow",
]
RESULTS = [
    "It took about {n} weeks, and afterwards {outcome}.",
    "Within {n} weeks {outcome}.",
    "By the end of the quarter {outcome}.",
    "The result was that {outcome}.",
]
OUTCOMES = [
    "errors dropped by roughly {pct}%",
    "we saved around {n} hours a week",
    "the backlog went from {big} items to under {n}",
    "customer complaints fell by about {pct}%",
    "the time to finish it went from {n2} days to under a day",
    "the team could handle {pct}% more work with the same people",
]
CONCRETE_OPENERS = [
    "At {company} I",
    "When I was at {company}, I",
    "In my role as {title}, I",
    "Sure. I",
    "The clearest example is from {company}, where I",
    "Last year I",
]
# Every follow-up picks up something the answer said and asks for a number, an example, the candidate's
# own part or a trade-off: what ``ml.evaluation.metrics.score_follow_up`` counts as a good follow-up
# (tests/preprocessing/test_questions.py holds the generated references to it).
DEEPER_FOLLOW_UPS = [
    "You said you {step}; what specifically did that show you that you didn't expect?",
    "Why did you {step_base} first instead of going straight to a solution?",
    "You mentioned {number_phrase}; how confident are you in that number, and how was it measured?",
    "Looking back, now that you {step}, what would you do differently?",
    "You said you {step}; how long did that take, and which part took longer than expected?",
    "You said you {step}; who disagreed with that approach, and what did you personally do about it?",
    "After {outcome_short}, did the results hold up, and how did you measure that?",
    "What was the biggest risk in choosing to {step_base}, and how did you reduce it?",
]

ANCHORED_FOLLOW_UPS = [
    "You mentioned {anchor}; what specifically did you do about it in the first month?",
    "Looking back at {anchor}, what would you do differently?",
    "How did {anchor} change your own role, concretely?",
    "When it came to {anchor}, what alternatives did you weigh, and why did you reject them?",
    "Who did you talk to about {anchor}, and what did you personally decide afterwards?",
]
"""For answers that tell a story without a method step: ``{anchor}`` is a phrase of that answer."""

_NUM = re.compile(r"\d")


def _fill(template: str, rng: random.Random) -> str:
    values = {
        "pct": str(rng.randint(10, 60)),
        "n": str(rng.randint(2, 12)),
        "n2": str(rng.randint(2, 9)),
        "big": str(rng.choice([120, 300, 450, 800])),
    }
    return re.sub(r"\{(pct|n2?|big)\}", lambda m: values[m[1]], template)


STEP_BASES = {
    STEPS[0]: "map the current process",
    STEPS[1]: "set up a baseline",
    STEPS[2]: "split the work into milestones",
    STEPS[3]: "write a proposal",
    STEPS[4]: "run a small pilot",
    STEPS[5]: "interview the people affected",
    STEPS[6]: "look at the data",
    STEPS[7]: "agree success criteria",
    STEPS[8]: "pair with a colleague",
    STEPS[9]: "build a checklist",
}


# Which vague answers fit which question targets (an answer must at least be on topic).
REASON_VAGUE = {
    "I left because I wanted a new challenge.",
    "{company} was a good place to grow, I got a lot of responsibility.",
    "I learned a lot there, mainly about working with people.",
}
SKILL_VAGUE = {
    "I picked it up on the job and used it a lot.",
    "We used the best approach for the situation.",
    "It depends on the situation, I try to be flexible.",
    "I did a lot of optimisation work on it.",
}
EXTRA_REASON_VAGUE = [
    ("It just felt like the right time for a change.", "the right time for a change", ("specific",)),
    ("Things changed there and it was not a good fit anymore.", "not a good fit anymore", ("specific",)),
    ("I was doing some personal projects and taking care of some things.", "taking care of some things", ("specific",)),
    ("I wanted more growth opportunities.", "more growth opportunities", ("specific",)),
]


def vague_answer(target: Target, rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    slots = {k: display(v) for k, v in target.slots.items()}
    options = [v for v in VAGUE_ANSWERS if "{company}" not in v[0] or "company" in slots]
    if target.kind in ("move", "gap", "short_tenure"):
        options = [v for v in options if v[0] in REASON_VAGUE] + EXTRA_REASON_VAGUE
    elif target.kind in ("skill", "project", "certification", "education"):
        options = [v for v in options if v[0] in SKILL_VAGUE or (v[0] not in REASON_VAGUE and "{" not in v[0])]
    else:
        tool_talk = SKILL_VAGUE - {
            "I did a lot of optimisation work on it.",
            "We used the best approach for the situation.",
        }
        options = [v for v in options if (v[0] not in REASON_VAGUE or target.kind == "job") and v[0] not in tool_talk]
    template, vp, lacks = rng.choice(options)
    return template.format(**slots), vp, lacks


def vague_follow_up(vp: str, lacks: tuple[str, ...], target: Target, rng: random.Random) -> str:
    ask = rng.choice(lacks)
    template = rng.choice(VAGUE_FOLLOW_UPS[ask])
    context = display(target.slots.get("company") or target.slots.get("project") or "your work")
    if context != "your work" and "company" in target.slots:
        context = f"your time at {context}"
    vp_plain = vp[0].lower() + vp[1:]
    text = template.format(vp=vp, vp_plain=vp_plain, context=context)
    return text[0].upper() + text[1:]


REASON_ANSWERS: dict[str, list[tuple[str, str]]] = {
    # (answer, anchor): the anchor is a phrase of the answer that a follow-up can pick up
    "move": [
        (
            "I left {prev_company} because the team I had built was being merged into another department, and I "
            "wanted to keep working on customer-facing work. {company} offered me exactly that, and in my first "
            "{n} months I took over two accounts that nobody owned.",
            "the merger into another department",
        ),
        (
            "At {prev_company} I had stopped learning after about {n} months in the same role. I talked to three "
            "people at {company} before accepting, and they confirmed I would own a budget of my own, which I did "
            "from week one.",
            "owning a budget of your own",
        ),
    ],
    "gap": [
        (
            "Between {a} and {b} I cared for a family member for about {n} months, and in the remaining time I "
            "completed an online course and did two freelance projects for a former client.",
            "the two freelance projects",
        ),
        (
            "I took {n} months off after {prev_company} to relocate and to finish a certification I had started; I "
            "applied to a small number of roles deliberately and joined {company} in {b}.",
            "relocating",
        ),
    ],
    "short_tenure": [
        (
            "The role at {company} changed after a reorganisation {n} weeks after I joined: the team I was "
            "hired for was dissolved. I stayed {months} months, handed over my work properly and left on "
            "good terms; my manager there is one of my references.",
            "the reorganisation",
        )
    ],
    "education": [
        (
            "I chose {field} at {institution} because of its placement year. My final project on {topic} "
            "took {n} months, and the way I learned to structure a long piece of work there is something I "
            "still use when I plan a project.",
            "your final project on {topic}",
        )
    ],
    "certification": [
        (
            "I did the {cert} because our team kept running into the same problems and I wanted a "
            "structured way to fix them. I studied for about {n} weeks in the evenings, and since then I "
            "have used what I learned on at least two projects.",
            "studying in the evenings",
        )
    ],
}
TOPICS = ["customer retention", "process design", "quality control", "scheduling", "risk assessment", "user onboarding"]


SKILL_USES = ["a reporting project", "a migration", "our weekly planning", "a client deliverable", "an internal tool"]
GENERIC_STORIES = [
    "took over a process that kept failing",
    "was asked to fix a recurring problem",
    "owned a project from start to finish",
]


PEOPLE_STORIES: list[tuple[str, str]] = [
    (
        "At {company} a colleague and I disagreed about {topic}. I asked for a 30-minute call, we wrote down both "
        "options with their costs, and agreed to try hers for {n} weeks with a check-in. Her approach worked "
        "better, and I said so in the team meeting.",
        "the disagreement about {topic}",
    ),
    (
        "As {title} at {company} I had a team member who kept missing deadlines. I met him one to one, found out he "
        "was covering two roles, and moved {n} of his tasks to me and another colleague. Within a month he was on "
        "time again.",
        "moving {n} of his tasks",
    ),
    (
        "At {company} I was the one who pushed back on {topic}. I collected {n} examples of where it had gone "
        "wrong, presented them to my manager, and we changed the plan before it went out.",
        "pushing back on {topic}",
    ),
]
PEOPLE_TOPICS = [
    "how to prioritise the backlog",
    "a deadline we had promised a client",
    "how to split the work on a new project",
    "who should own handovers between shifts",
    "the scope of a launch",
]


def concrete_answer(target: Target, rng: random.Random, tone: str = "technical") -> tuple[str, dict[str, str]]:
    slots = {k: display(v) for k, v in target.slots.items()}
    if tone == "hr" and target.kind in ("job", "achievement") and "company" in slots and rng.random() < 0.6:
        values = {**slots, "n": rng.randint(2, 6), "topic": rng.choice(PEOPLE_TOPICS)}
        text, anchor = rng.choice(PEOPLE_STORIES)
        return text.format(**values), {"step": "", "anchor": anchor.format(**values)}
    if target.kind in REASON_ANSWERS and rng.random() < 0.8:
        values = {**slots, "n": rng.randint(2, 9), "topic": rng.choice(TOPICS), "months": slots.get("months", "6")}
        text, anchor = rng.choice(REASON_ANSWERS[target.kind])
        return text.format(**values), {"step": "", "anchor": anchor.format(**values)}
    step_tmpl = rng.choice(STEPS)
    step = _fill(step_tmpl, rng)
    outcome = _fill(rng.choice(OUTCOMES), rng)
    opener = rng.choice([o for o in CONCRETE_OPENERS if all(k in slots for k in re.findall(r"\{(\w+)\}", o))])
    h = slots.get("h")
    if h:
        first = f"{opener.format(**slots)} {h}."
    elif "skill" in slots:
        first = f"{opener.format(**slots)} used {slots['skill']} for {rng.choice(SKILL_USES)}."
    elif "project" in slots:
        first = f"With {slots['project']} I started from a problem I had myself."
    else:
        first = f"{opener.format(**slots)} {rng.choice(GENERIC_STORIES)}."
    second = f"I {step}."
    result = _fill(rng.choice(RESULTS), rng).format(outcome=outcome)
    parts = [first, second, result]
    if rng.random() < 0.4:
        parts.append(
            rng.choice(
                [
                    "My part was the analysis and the rollout plan.",
                    "I did most of the hands-on work myself and kept my manager informed weekly.",
                    "I led it with two colleagues.",
                ]
            )
        )
    details = {
        "step": step,
        "step_base": STEP_BASES[step_tmpl],
        "outcome_short": outcome.split(" by ")[0],
        "h_past": h or "",
        "number_phrase": outcome,
    }
    return " ".join(parts), details


def deeper_follow_up(details: dict[str, str], rng: random.Random) -> str:
    if not details["step"]:
        return rng.choice(ANCHORED_FOLLOW_UPS).format(anchor=details["anchor"])
    options = DEEPER_FOLLOW_UPS
    if not _NUM.search(details["number_phrase"]):
        options = [t for t in options if "{number_phrase}" not in t]
    return rng.choice(options).format(**details)


def make_follow_ups(
    resume: ParsedResume,
    rng: random.Random,
    n: int,
    vague_share: float = 0.55,
    english_highlights: bool = True,
) -> list[FollowUpItem]:
    out: list[FollowUpItem] = []
    for item in make_questions(resume, rng, n, english_highlights=english_highlights):
        if rng.random() < vague_share:
            answer, vp, lacks = vague_answer(item.target, rng)
            assert vp in answer
            follow = vague_follow_up(vp, lacks, item.target, rng)
            out.append(FollowUpItem(item.question, answer, "vague", vp, follow, item.target))
        else:
            answer, details = concrete_answer(item.target, rng, item.tone)
            out.append(
                FollowUpItem(item.question, answer, "concrete", None, deeper_follow_up(details, rng), item.target)
            )
    return out


# --- imported Q&A -------------------------------------------------------------------------------

VAGUE_MARKERS = [
    "many things",
    "a lot of",
    "various",
    "helped the team",
    "improved performance",
    "some issues",
    "stuff",
    "things like that",
    "etc",
    "significantly",
    "basically",
    "whatever",
    "kind of",
    "sort of",
    "we all",
    "as a team",
    "worked on",
    "involved in",
    "responsible for",
    "a bit",
]


def classify_answer(answer: str) -> tuple[str, str | None]:
    """(answer_kind, vague_part): an answer is vague when it has a vague marker and no number."""
    lowered = answer.lower()
    if not _NUM.search(answer):
        for marker in VAGUE_MARKERS:
            pos = lowered.find(marker)
            if pos >= 0:
                # widen the marker to the clause around it, keeping the exact substring of the answer
                start = max(answer.rfind(",", 0, pos), answer.rfind(".", 0, pos), -1) + 1
                end_candidates = [i for i in (answer.find(",", pos), answer.find(".", pos)) if i >= 0]
                end = min(end_candidates) if end_candidates else len(answer)
                return "vague", answer[start:end].strip()
        if len(answer.split()) < 25:
            return "vague", None
    return "concrete", None


def imported_follow_up(question: str, answer: str, rng: random.Random) -> tuple[str, str, str | None]:
    kind, vp = classify_answer(answer)
    target = Target("imported", "", {})
    if kind == "vague":
        if vp:
            return kind, vague_follow_up(vp, ("number", "example", "role"), target, rng), vp
        return (
            kind,
            rng.choice(
                [
                    "Can you give me one specific example of that, with what you did yourself?",
                    "That is quite general; what is one situation where that happened, and what was the result?",
                ]
            ),
            None,
        )
    first = re.split(r"(?<=[.!?])\s", answer.strip(), maxsplit=1)[0].rstrip(".!?")
    first = first if len(first) < 120 else first[:117].rsplit(" ", 1)[0]
    return (
        kind,
        rng.choice(
            [
                f'You said "{first}"; what was the hardest part of that, and why?',
                f'Going back to "{first}" — what would you do differently next time?',
                f'How did you measure whether "{first}" worked?',
            ]
        ),
        None,
    )


_GENERIC_CATEGORY_WORDS = frozenset(
    {"technical", "behavioral", "behavioural", "general", "interview", "question", "questions", "situational", "other"}
)


@cache
def _occupation_words() -> dict[str, frozenset[str]]:
    """Each occupation's words (its key and the words of its job titles) for matching Q&A categories."""
    return {
        key: frozenset(re.findall(r"[a-z]+", " ".join([key, *(t for ts in occ.titles.values() for t in ts)]).lower()))
        for key, occ in OCCUPATIONS.items()
    }


def category_occupations(category: str | None, allowed: Sequence[str]) -> list[str]:
    """The allowed occupations whose key or job titles share the most words with a Q&A ``category``
    (``"Nursing"``, ``"Data Science"``, ``"HR"``); empty when none does or the category is generic."""
    words = set(re.findall(r"[a-z]+", (category or "").lower())) - _GENERIC_CATEGORY_WORDS
    scores = {key: len(words & _occupation_words()[key]) for key in allowed}
    best = max(scores.values(), default=0)
    return [key for key, score in scores.items() if best and score == best]


def qa_resume(pair: QAPair, excluded_occupations: Sequence[str]) -> SyntheticResume:
    """The synthetic resume an imported Q&A pair is asked against (a pair has no resume of its own).

    Its occupation is the one the pair's category names when one does, else any; held-out
    occupations are never used, since imported pairs join train. Seeded by the pair's content,
    so the teacher run and the build attach the same resume.
    """
    allowed = [key for key in OCCUPATION_KEYS if key not in excluded_occupations]
    seed = int(content_hash(f"{pair.question}\n{pair.answer}")[:12], 16)
    return generate_resume(seed, 0, occupations=category_occupations(pair.category, allowed) or allowed)


def summarise_target(target: Target) -> dict[str, Any]:
    return {"kind": target.kind, "entity": target.entity}
