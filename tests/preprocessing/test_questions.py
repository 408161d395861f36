from __future__ import annotations

import random

from ml import tasks
from ml.evaluation.metrics import score_follow_up, specificity
from ml.evaluation.tone_classifier import tone_classifier
from ml.preprocessing.build import examples_for_resume
from ml.preprocessing.config import DataConfig
from ml.preprocessing.questions import (
    achievement_gist,
    achievement_phrase,
    classify_answer,
    display,
    entities_of,
    make_follow_ups,
    make_questions,
)
from ml.preprocessing.synthetic.generate import generate_resumes


def test_questions_are_single_and_grounded() -> None:
    rng = random.Random(0)
    seen = set()
    for item in generate_resumes(80, seed=4):
        for q in make_questions(item.truth, rng, 4):
            assert tasks.one_question(q.question) == q.question and q.question.endswith("?")
            assert q.question.count("?") == 1
            if q.target.kind in ("job", "skill", "project", "certification", "education", "move"):
                assert display(q.target.entity).lower() in q.question.lower(), (q.target, q.question)
            seen.add(q.question)
    assert len(seen) > 250  # phrasing varies


def test_generated_questions_are_specific_and_read_as_their_tone_by_the_evaluation_metrics() -> None:
    """The references teach what the evaluation measures: they name the resume and sound like the asked tone."""
    rng, classifier = random.Random(3), tone_classifier()
    resumes = list(generate_resumes(100, seed=8))
    questions = [(q, entities_of(item.truth)) for item in resumes for q in make_questions(item.truth, rng, 3)]
    vague = [q.question for q, entities in questions if not specificity(q.question, entities)[0]]
    off_tone = [q.question for q, _ in questions if classifier.predict(q.question) != q.tone]
    assert len(questions) > 250
    # measured here: 0.007 not specific (0.247 before achievement questions named the employer), 0.057 off tone
    # (0.127 before HR achievement questions left out the how and technical education ones got two more templates;
    # on 12,000 questions of two samples 0.062 with the technical skill templates replaced too, before 0.077);
    # 0.09 since the classifier learned HR questions about named technical work (2026-12-05)
    assert len(vague) / len(questions) <= 0.03, vague[:5]
    assert len(off_tone) / len(questions) <= 0.10, off_tone[:5]


def test_hr_achievement_questions_ask_what_was_done_not_how() -> None:
    assert achievement_gist("redesigned the onboarding funnel using a dual-track process") == (
        "redesigned the onboarding funnel"
    )
    assert achievement_gist("cut p95 latency by 40% with a Redis cache") == "cut p95 latency"
    assert achievement_gist("trained managers on interviewing") == "trained managers on interviewing", (
        "too short to cut"
    )
    truth = next(x.truth for x in generate_resumes(40, seed=2) if any(j.highlights for j in x.truth.experience))
    questions = make_questions(truth, random.Random(0), 40, tones=("hr",))
    asked = [q for q in questions if q.target.kind == "achievement"]
    assert asked and all(q.target.slots["gist"] in q.question for q in asked)


def test_follow_ups_quote_the_vague_part() -> None:
    rng = random.Random(1)
    kinds = set()
    for item in generate_resumes(60, seed=5):
        for f in make_follow_ups(item.truth, rng, 3):
            kinds.add(f.answer_kind)
            assert f.follow_up.endswith("?") and tasks.one_question(f.follow_up) == f.follow_up
            if f.answer_kind == "vague":
                assert f.vague_part and f.vague_part in f.answer
                assert f.vague_part.lower() in f.follow_up.lower()
            else:
                assert f.vague_part is None and any(ch.isdigit() for ch in f.answer)
    assert kinds == {"vague", "concrete"}


def test_every_generated_follow_up_is_a_good_follow_up_by_the_evaluation_metric() -> None:
    """The references teach what the evaluation measures: each picks up the answer and asks for specifics."""
    rng = random.Random(2)
    failures, total = [], 0
    for item in generate_resumes(120, seed=6):
        for f in make_follow_ups(item.truth, rng, 4):
            total += 1
            score = score_follow_up(f.follow_up, f.question, f.answer, f.vague_part)
            if not score.quality:
                failures.append((f.answer, f.follow_up, score))
    assert total > 300 and not failures, (len(failures), failures[:3])


def test_classify_imported_answers() -> None:
    kind, part = classify_answer("I worked on many things and helped the team, basically.")
    assert kind == "vague" and part and part in "I worked on many things and helped the team, basically."
    assert classify_answer(
        "I cut the monthly close from 10 to 4 days by automating 12 reconciliations in SQL, "
        "then trained two colleagues to run it and documented every step for the auditors."
    )[0] == ("concrete")


def test_highlights_in_another_language_are_never_phrased_into_english_questions() -> None:
    """A question "… when you réduction des coûts de 58 % …" is wrong: a non-English resume's achievements stay out."""
    config = DataConfig(task_mix={"parse_resume": 1.0, "interview_question": 4.0, "follow_up": 4.0})
    rng = random.Random(5)
    embedded = {"en": 0, "other": 0}
    for item in generate_resumes(150, seed=8):
        phrases = [achievement_phrase(h).lower() for job in item.truth.experience for h in job.highlights]
        language = "en" if item.meta["language"] == "en" else "other"
        for example in examples_for_resume(item.text, item.truth, item.meta, config, rng)[1:]:
            written = " ".join([example["output"], example["meta"].get("question", "")]).lower()
            embedded[language] += any(p and p in written for p in phrases)
    assert embedded["en"] > 50  # English achievements are still asked about
    assert embedded["other"] == 0
