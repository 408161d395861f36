"""A question of the tone asked: the tone judge reads each sample, and an off-tone one is replaced by the next seed's
(issue #30). The judge is the real one (all-MiniLM-L6-v2, trained on the written questions)."""

from __future__ import annotations

import pytest

from ml import tasks
from ml.evaluation.tone_classifier import accuracy, labelled
from ml.inference import tone
from ml.inference.embeddings import LexicalEmbedder
from ml.inference.engine import Engine, Generation
from ml.inference.sampling import prompt_seed
from ml.schema import Experience, ParsedResume

RESUME = ParsedResume(
    name="Jane Doe",
    experience=[
        Experience(
            company="Acme",
            title="Backend Engineer",
            start_date="2020-01",
            end_date="present",
            highlights=["Sharded the Postgres cluster, cutting p95 latency by 40%"],
        )
    ],
)
TECHNICAL = "When you sharded the Postgres cluster at Acme, how did you choose the shard key?"
HR = "What made you join Acme, and what did you learn about yourself in your first year there?"


class ScriptedEngine(Engine):
    """An engine whose question samples are given in turn; records the seeds asked for."""

    def __init__(self, replies: list[str], samples: int = 3) -> None:
        self.replies = list(replies)
        self.seeds: list[int | None] = []
        self.question_samples = samples

    def generate(self, task, user_input, max_new_tokens=None, constrained=None, seed=None) -> Generation:
        assert tasks.TaskName(task) is tasks.TaskName.INTERVIEW_QUESTION
        self.seeds.append(seed)
        return Generation(self.replies.pop(0), 1, 1, 0.0, True)

    def generate_batch(self, task, user_inputs, max_new_tokens=None, constrained=None, seeds=None, cancel=None):
        return [self.generate(task, text, seed=seed) for text, seed in zip(user_inputs, seeds or [None], strict=True)]


def first_seed(tone_asked: str) -> int:
    return prompt_seed(tasks.interview_question_input(RESUME, tone_asked))


def test_the_judge_reads_the_hand_labelled_questions_it_never_saw() -> None:
    """Trained on the written questions only; the evaluation's labelled set is other questions (0.946 when built)."""
    judge = tone.tone_judge()
    assert judge is not None
    assert accuracy(judge.model, labelled()) >= 0.9
    assert judge.probability(HR, "hr") >= tone.JUDGE_CONFIDENCE
    assert judge.probability(TECHNICAL, "technical") >= tone.JUDGE_CONFIDENCE
    assert judge.probability("technical hr", "hr") == 0.0  # label words only: no evidence


def test_the_judge_is_cached_by_its_data_and_loads_without_embedding_the_questions_again(monkeypatch) -> None:
    built = tone.tone_judge()
    assert built is not None and list(tone.CACHE_DIR.glob("tone-judge-*.json"))
    tone.tone_judge.cache_clear()
    monkeypatch.setattr(tone, "written_examples", lambda: pytest.fail("the cached judge embedded its data again"))
    loaded = tone.tone_judge()
    assert loaded is not None
    assert loaded.probability(HR, "hr") == pytest.approx(built.probability(HR, "hr"), abs=1e-5)


def test_without_sentence_embeddings_there_is_no_judge(monkeypatch) -> None:
    tone.tone_judge.cache_clear()
    monkeypatch.setattr(tone, "load_embedder", lambda: LexicalEmbedder())
    try:
        assert tone.tone_judge() is None
        engine = ScriptedEngine([TECHNICAL])
        assert engine.interview_question(RESUME, "hr") == TECHNICAL  # the first sample, as before
    finally:
        tone.tone_judge.cache_clear()


def test_an_off_tone_question_is_sampled_again_with_the_next_seed() -> None:
    engine = ScriptedEngine([TECHNICAL, HR])
    assert engine.interview_question(RESUME, "hr") == HR
    assert engine.seeds == [None, first_seed("hr") + 1]


def test_an_on_tone_question_is_taken_at_once() -> None:
    engine = ScriptedEngine([TECHNICAL])
    assert engine.interview_question(RESUME, "technical", seed=7) == TECHNICAL
    assert engine.seeds == [7]


def test_the_samples_are_bounded_and_the_most_on_tone_one_wins(monkeypatch) -> None:
    readings = {"First": 0.2, "Second": 0.6, "Third": 0.4}

    class Judge:
        def probability(self, question: str, tone_asked: str) -> float:
            assert tone_asked == "hr"
            return readings[question.rstrip("?")]

    monkeypatch.setattr(tone, "tone_judge", lambda: Judge())
    engine = ScriptedEngine(["First?", "Second?", "Third?", "Never asked?"], samples=3)
    assert engine.interview_question(RESUME, tasks.Tone.HR, seed=5) == "Second?"
    assert engine.seeds == [5, 6, 7]


def test_one_sample_asks_once_and_builds_no_judge(monkeypatch) -> None:
    monkeypatch.setenv("GRILLER_QUESTION_SAMPLES", "1")
    monkeypatch.setattr(tone, "tone_judge", lambda: pytest.fail("no judge is needed for one sample"))
    engine = ScriptedEngine([TECHNICAL], samples=tone.question_samples_setting())
    assert engine.interview_question(RESUME, "hr") == TECHNICAL


def test_batched_requests_are_judged_each() -> None:
    engine = ScriptedEngine([TECHNICAL, TECHNICAL, HR])
    questions = engine.interview_questions([(RESUME, "technical", 1), (RESUME, "hr", 2)])
    assert questions == [TECHNICAL, HR]
    assert engine.seeds == [1, 2, 3]


def test_the_tiny_model_answers_with_the_judge_on(tiny_model_dir) -> None:
    """The same loading and generation as a real model: the judge reads its samples (random text) and a question
    comes back whatever it reads."""
    real = Engine.load(tiny_model_dir)
    assert real.question_samples == tone.QUESTION_SAMPLES
    question = real.interview_question(RESUME, "hr")
    assert isinstance(question, str)
