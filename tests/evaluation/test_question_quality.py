"""Question metrics that see templates and nonsense (ml/evaluation/question_quality.py), on hand-made good and bad
questions: the bad ones are the literal outputs a person found in 10 real resumes' questions (issue #30)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ml import tasks
from ml.evaluation import metrics as m
from ml.evaluation import question_quality as qq
from ml.evaluation.evaluate import evaluate
from ml.schema import Education, Experience, ParsedResume, Project
from tests.evaluation.cases import TRUTH, write_jsonl

SHARD = "Sharded the orders database by customer id, cutting p95 latency 40%"
RESUME = ParsedResume(
    name="Mari Tamm",
    location="Tallinn, Estonia",
    experience=[
        Experience(
            company="TransPerfect",
            title="Technical Product Manager",
            start_date="2022-01",
            end_date="present",
            highlights=["Launched a machine translation quality dashboard used by 300 linguists"],
        ),
        Experience(company="Acme", title="Lead Engineer", start_date="2020-01", end_date="2021-12", highlights=[SHARD]),
        Experience(company="Acme", title="Software Engineer", start_date="2018-06", end_date="2019-12"),
        Experience(company="SlashDB", title="Developer", start_date="2016-01", end_date="2018-05"),
        Experience(company="Cambridge BioMarketing", title="Analyst", start_date="2015-01", end_date="2015-12"),
        Experience(company="Continental", title="Intern", start_date="2024-08", end_date="2024-08"),
    ],
    education=[Education(institution="University of Tartu", degree="BSc", field="Computer Science", end_date="2015")],
    projects=[
        Project(name="Kiri", description="An offline spell checker for Estonian built on finite-state morphology")
    ],
    skills=["Python", "Go", "PostgreSQL", "Apache Kafka"],
)
FACTS = qq.ResumeFacts.of(RESUME)
GOOD_TECHNICAL = (
    "In the sharding work at Acme you cut p95 latency 40%: how did you choose the shard key, and what broke first?"
)


# --- 1. template share ---------------------------------------------------------------------------------------------


def people(n: int = 10) -> list[ParsedResume]:
    """``n`` resumes with their own employers, titles, schools and fields."""
    companies = ["Wise", "Bolt", "Pipedrive", "Skype", "Veriff", "Starship", "Glia", "Zego", "Monese", "Katana"]
    titles = ["Data Analyst", "Backend Developer", "QA Engineer", "Product Owner", "DevOps Engineer"] * 2
    schools = ["University of Tartu", "TalTech", "Aalto University", "KTH", "ETH Zurich"] * 2
    fields = ["Computer Science", "Mathematics", "Physics", "Economics", "Informatics"] * 2
    return [
        ParsedResume(
            name=f"Person {chr(65 + i)}",
            experience=[Experience(company=companies[i], title=titles[i], start_date="2020", end_date="present")],
            education=[Education(institution=schools[i], degree="BSc", field=fields[(i + 1) % 10], end_date="2019")],
        )
        for i in range(n)
    ]


def templated(person: ParsedResume, i: int) -> str:
    job, edu = person.experience[0], person.education[0]
    if i % 2:
        lead = [
            "",
            "Thanks for walking me through your background. Quick question: ",
            "Let's go back to your studies. ",
        ]
        body = f"Which methods or tools from your {edu.field} studies at {edu.institution} do you still apply, and how?"
        return lead[i % 3] + body
    return f"Which tools, systems and methods did you rely on most as {job.title} at {job.company}, and why?"


REAL_QUESTIONS = [
    "When your churn model at Wise flagged a segment wrongly, how did you find out, and what did you change?",
    "Bolt's dispatch latency budget is tight: which part of your backend did you profile first, and why there?",
    "What was the flakiest test suite you inherited at Pipedrive, and how did you decide what to delete?",
    "How did you say no to a stakeholder at Skype whose feature request did not fit the roadmap?",
    "Your Terraform modules at Veriff: how did you keep drift out of production over two years?",
    "Which sensor fusion bug at Starship took longest to reproduce, and what finally exposed it?",
    "How did you measure whether the support chatbot at Glia actually reduced ticket volume?",
    "What did the first on-call week at Zego teach you about your own runbooks?",
    "How would you redesign the Monese onboarding flow if regulators doubled the KYC checks?",
    "What trade-off did you make between batch size and shop-floor latency in Katana's planner?",
]


def share_of(questions: list[str], resumes: list[ParsedResume]) -> qq.TemplateShare:
    return qq.template_share(
        (str(i), qq.skeleton(q, qq.ResumeFacts.of(r))) for i, (q, r) in enumerate(zip(questions, resumes, strict=True))
    )


def test_a_skeleton_masks_the_resumes_own_entities_numbers_and_filler():
    question = (
        "Which methods or tools from your Computer Science studies at University of Tartu do you still apply, and how?"
    )
    assert (
        qq.skeleton(question, FACTS) == "which methods or tools from your {x} studies at {x} do you still apply and how"
    )
    assert qq.skeleton(f"Let's move on. So, {question[0].lower()}{question[1:]}", FACTS) == qq.skeleton(question, FACTS)
    assert (
        qq.skeleton("Why did you leave Acme in Dec 2021 after 3 years?", FACTS)
        == "why did you leave {x} in {n} after {n} years"
    )


def test_half_of_ten_resumes_questions_from_one_template_is_a_template_share_of_one_half():
    persons = people()
    questions = [templated(p, i) if i < 5 else REAL_QUESTIONS[i] for i, p in enumerate(persons)]
    result = share_of(questions, persons)
    assert result.share == 0.5 and result.n == 10
    assert {g["skeleton"] for g in result.top} == {
        "which methods or tools from your {x} studies at {x} do you still apply and how",
        "which tools systems and methods did you rely on most as {x} at {x} and why",
    }
    assert sorted(g["questions"] for g in result.top) == [2, 3]


def test_all_templated_and_all_real_questions():
    persons = people()
    assert share_of([templated(p, i) for i, p in enumerate(persons)], persons).share == 1.0
    real = share_of(REAL_QUESTIONS, persons)
    assert real.share == 0.0 and real.top == []


def test_near_identical_skeletons_count_but_different_questions_do_not():
    a = "how did you measure the result at {x} when you {x}"
    assert qq.template_share([("r1", a), ("r2", a.replace("measure", "check"))]).share == 1.0  # one word in 10
    assert qq.template_share([("r1", "why did you leave {x}"), ("r2", "what did you build with {x}")]).share == 0.0
    assert qq.template_share([("r1", a), ("r1", a)]).share == 0.0  # one resume's own questions never count
    assert qq.template_share([]).share is None


# --- 2. coherence --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("What personally drew you to TransPerfect when you left TransPerfect?", "moves from 'TransPerfect'"),
        ("How did you feel about leaving your colleagues at SlashDB to join SlashDB?", "moves from 'SlashDB'"),
        (
            "Which methods or tools from your Computer Science studies at Cambridge BioMarketing do you still apply?",
            "employer 'Cambridge BioMarketing' used as a school",
        ),
        (
            "Let's start with Continental (Aug 2024 - Aug 2024). What did you own there?",
            "starts and ends in the same month (as the resume has it)",
        ),
        ("What did you ship at SlashDB between 2018 and 2016, from 2018 to 2016?", "ends before it starts"),
        ("What made you decide to join University of Tartu?", "school 'University of Tartu' used as an employer"),
        ("What did you learn as Developer at University of Tartu?", "used as an employer ('<title> at'"),
        ("Why did you go from Intern at SlashDB to Developer at SlashDB?", "moves from 'SlashDB'"),
        ("Why did you leave SlashDB for SlashDB instead of joining a different team?", "moves from 'SlashDB'"),
    ],
)
def test_slot_filling_nonsense_is_incoherent(question: str, reason: str):
    failures = qq.coherence(question, FACTS)
    assert len(failures) == 1 and reason in failures[0], failures


@pytest.mark.parametrize(
    "question",
    [
        GOOD_TECHNICAL,
        "What personally drew you to TransPerfect when you left SlashDB?",
        "How did you feel about leaving your colleagues at SlashDB to join Acme?",
        "Which ideas from your Computer Science studies at University of Tartu show up in Kiri?",
        "How did your responsibilities change when you went from Software Engineer at Acme to Lead Engineer at Acme?",
        "Let's start with SlashDB (2016-01 - 2018-05): what did you build first?",
        "What did you want to change at Acme when you came back to Acme's platform team?",
        "Why did you join TransPerfect, and what did you miss from Acme?",
        "What did you build for Acme before you left Acme?",
        "Why did you leave SlashDB for Acme?",
        "What convinced you to leave SlashDB for Acme once SlashDB's mobile app was built?",
        # v10, confused but no move to itself: "to" here is an infinitive's
        "Before leaving SlashDB for Acme, how did you get the Acme team to learn the SlashDB stack?",
    ],
)
def test_questions_a_real_interviewer_asks_are_coherent(question: str):
    assert qq.coherence(question, FACTS) == []


# --- 3. quote fidelity ---------------------------------------------------------------------------------------------

ANSWER = "I try to stay calm and find a solution. Honestly, it's hard to pick one example."


@pytest.mark.parametrize(
    "follow_up",
    [
        'You mentioned "sticking with it"; what did that look like in practice?',
        "When you say “staying calm under fire”, what did you actually do?",
        "You said «find the right solution»: which one, and how did you pick it?",
        "You said 'stay calm … find the bug': which bug?",  # the parts must all be there, in order
    ],
)
def test_a_quote_the_candidate_never_said_is_unfaithful(follow_up: str):
    assert qq.quote_fidelity(follow_up, ANSWER) is False and tasks.unfaithful_quotes(follow_up, ANSWER)


@pytest.mark.parametrize(
    "follow_up",
    [
        'You said you "try to stay calm"; what did you do first, the last time it happened?',
        "When you say “Find a solution!”, whose solution was it in the end?",
        "You said «hard to pick one example»: pick the most recent one, what happened?",
        "You said ‘stay calm … a solution’, how long did that take?",
        "You said 'stay calm'; what's one example where that didn't work?",  # apostrophes are not quotes
    ],
)
def test_a_faithful_quote_passes_whatever_its_case_punctuation_or_quote_marks(follow_up: str):
    assert qq.quote_fidelity(follow_up, ANSWER) is True


def test_one_word_quotes_and_follow_ups_that_quote_nothing_are_not_judged():
    assert qq.quote_fidelity('What does "ownership" mean to you at Acme?', ANSWER) is None
    assert qq.quote_fidelity("What did you do first, the last time it happened?", ANSWER) is None


# --- 4. depth ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        GOOD_TECHNICAL,
        "How did the 300 linguists at TransPerfect use the translation quality dashboard day to day?",
        "Which finite-state morphology library did Kiri's spell checker build on, and why not a neural one?",
    ],
)
def test_a_question_about_a_highlights_own_action_is_deep(question: str):
    score = qq.depth(question, FACTS)
    assert score.deep and score.source in (*FACTS.depth_sources,), score


@pytest.mark.parametrize(
    "question",
    [
        "Which tools, systems and methods did you rely on most as Technical Product Manager at TransPerfect, and why?",
        "Which methods or tools from your Computer Science studies at University of Tartu do you still apply, and how?",
        "How did you use Apache Kafka at Acme?",  # a skill of the resume is no highlight's action
        "What was the hardest problem you solved at Acme as Lead Engineer, and which tools did you use?",
    ],
)
def test_a_template_about_the_title_company_or_school_is_not_deep(question: str):
    assert not qq.depth(question, FACTS).deep


# --- 5. filler openers ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "opener"),
    [
        (
            "Thanks for walking me through your background. Quick question: why Acme?",
            "Thanks for walking me through your background. Quick question:",
        ),
        ("I want to dig into one detail. First, what did Kiri check?", "I want to dig into one detail. First,"),
        ("Let's move on. So, how did the dashboard start?", "Let's move on. So,"),
        ("Let's talk about Acme. So, what broke first?", "Let's talk about Acme. So,"),
        ("Great answer! Out of curiosity, why Go?", "Great answer! Out of curiosity,"),
    ],
)
def test_filler_openers(question: str, opener: str):
    assert tasks.filler_opener(question) == opener
    assert tasks.strip_filler(question) == question[len(opener) :].strip()


@pytest.mark.parametrize(
    "question",
    [
        GOOD_TECHNICAL,
        *REAL_QUESTIONS[:3],
        "So what made Kiri worth a year of weekends?",
        "First-time manager at Acme: how?",
    ],
)
def test_questions_that_get_to_the_point_have_no_filler(question: str):
    assert tasks.filler_opener(question) is None


# --- the resume behind an evaluation example -----------------------------------------------------------------------


def test_the_brief_of_a_question_example_reads_back_into_the_resumes_facts():
    data = qq.read_brief(tasks.resume_brief(TRUTH))
    assert [(j["company"], j["title"], j["start_date"]) for j in data["experience"]] == [
        ("Acme Corp", "Senior Software Engineer", "2021-03"),
        ("Globex", "Software Engineer", "2018-06"),
    ]
    assert data["experience"][0]["highlights"] == TRUTH.experience[0].highlights
    assert data["education"][0] | {"start_date": None} == {
        **TRUTH.education[0].model_dump(mode="json"),
        "start_date": None,
    }
    assert data["skills"] == TRUTH.skills and data["name"] == TRUTH.name
    brief = qq.ResumeFacts.of(tasks.resume_brief(RESUME))
    question = "How did you feel about leaving your colleagues at SlashDB to join SlashDB?"
    assert qq.coherence(question, brief) == qq.coherence(question, FACTS) != []
    assert qq.depth(GOOD_TECHNICAL, brief).deep


# --- wired into griller eval ---------------------------------------------------------------------------------------

ANSWER_VAGUE = "I try to stay calm and find a solution."


def eval_rows() -> tuple[list[dict], dict[str, str]]:
    """A technical question and a follow-up for each of three resumes, and a templated model's output for each."""
    rows, bad = [], {}
    highlights = [
        ("Cut the invoice run from 9 hours to 40 minutes", "Which part of the invoice run did you cut first, and why?"),
        ("Migrated 40 payment services to Kubernetes", "How did you order the payment services migration?"),
        ("Built fraud scoring on streaming card events", "What latency budget did the fraud scoring have per event?"),
    ]
    follow_ups = [
        'You said you "try to stay calm"; what did you do first, the last time an invoice run failed?',
        "When you say “find a solution”, who else was in the room?",
        "How long did it take to «find a solution» that time?",
    ]
    for i, person in enumerate(people(3)):
        job = person.experience[0]
        job.highlights, question = [highlights[i][0]], highlights[i][1]
        meta = {"resume_id": f"r{i}", "occupation": "software engineer", "layout": "classic"}
        follow = follow_ups[i]
        rows.append(
            {
                "input": tasks.interview_question_input(person, "technical"),
                "output": question,
                "task": "interview_question",
                "tone": "technical",
                "meta": {**meta, "brief": tasks.resume_brief(person)},
            }
        )
        rows.append(
            {
                "input": tasks.follow_up_input(person, question, ANSWER_VAGUE),
                "output": follow,
                "task": "follow_up",
                "meta": {**meta, "question": question, "answer": ANSWER_VAGUE, "answer_kind": "vague"},
            }
        )
        bad[rows[-2]["input"]] = (
            "Thanks for walking me through your background. Quick question: which tools, systems and methods did "
            f"you rely on most as {job.title} at {job.company}, and why?"
        )
        bad[rows[-1]["input"]] = 'You mentioned "sticking with it"; can you give a specific example?'
    return rows, bad


def test_griller_eval_reports_the_new_question_metrics(tmp_path: Path):
    rows, bad = eval_rows()
    data = write_jsonl(tmp_path / "q.jsonl", rows)
    references = {row["input"]: row["output"] for row in rows}

    def templates(task: str, user_input: str) -> str:
        return bad[user_input]

    def oracle(task: str, user_input: str) -> str:
        return references[user_input]

    report = evaluate(templates, data, output_dir=tmp_path / "out", compare=oracle, embedder="lexical")
    model, base = report["models"]["model"]["by_task"], report["models"]["base"]["by_task"]
    question, follow = model["interview_question"], model["follow_up"]
    assert question["template_share"] == 1.0 and question["reference_template_share"] == 0.0
    assert question["filler_opener"] == 0.0  # the output rule (tasks.one_question) drops the opener the model wrote
    assert question["depth"] == 0.0 and question["coherence"] == 1.0
    assert question["top_templates"] == [
        {"skeleton": "which tools systems and methods did you rely on most as {x} at {x} and why", "questions": 3,
         "resumes": 3}
    ]  # fmt: skip
    assert follow["quote_fidelity"] == 0.0 and follow["template_share"] == 1.0
    assert base["interview_question"]["template_share"] == 0.0 and base["interview_question"]["depth"] == 1.0
    assert base["interview_question"]["filler_opener"] == 0.0 and base["follow_up"]["quote_fidelity"] == 1.0
    assert report["delta"]["by_task"]["interview_question"]["template_share"] == 1.0
    markdown = (tmp_path / "out" / "report.md").read_text()
    assert "| interview_question | template_share | 1.000 | 0.000 | +1.000 |" in markdown
    assert "| follow_up | quote_fidelity | 0.000 | 1.000 | -1.000 |" in markdown
    assert "## Templates" in markdown and "quote not in the answer: 'sticking with it'" in markdown
    saved = json.loads((tmp_path / "out" / "report.json").read_text())
    assert saved["models"]["model"]["by_task"]["follow_up"]["quote_fidelity"] == 0.0


def test_a_question_about_a_highlight_is_specific_without_naming_an_entity():
    about_highlight = "When you sharded the orders database by customer id, what happened to cross-customer reports?"
    entities = ["TransPerfect", "Acme", "Python", "University of Tartu"]
    assert not m.specificity(about_highlight, entities)[0]
    assert qq.specific(about_highlight, entities, FACTS)
    assert not qq.specific("What do you enjoy most about working in a team?", entities, FACTS)
    assert qq.specific("What did you learn at TransPerfect about hiring linguists?", entities, FACTS)
