"""A question of the tone asked: the tone judge reads each sample, and an off-tone one is asked again with seeds
drawn from the request's (issue #30). The judge is the real one (all-MiniLM-L6-v2, trained on the written
questions), except where a test needs given readings."""

from __future__ import annotations

import json

import pytest

from ml import tasks
from ml.evaluation.tone_classifier import accuracy, labelled
from ml.inference import tone
from ml.inference.embeddings import LexicalEmbedder
from ml.inference.engine import Engine, Generation
from ml.inference.sampling import prompt_seed, retry_seed
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
HR_TOO = "How did you handle a colleague at Acme who disagreed with your plan, and what did you learn?"


class ScriptedEngine(Engine):
    """An engine whose question samples are given in turn; records the seeds and the batch sizes asked for."""

    def __init__(self, replies: list[str], samples: int = 3) -> None:
        self.replies = list(replies)
        self.seeds: list[int | None] = []
        self.batches: list[int] = []
        self.question_samples = samples

    def generate_batch(self, task, user_inputs, max_new_tokens=None, seeds=None, cancel=None) -> list[Generation]:
        assert tasks.TaskName(task) is tasks.TaskName.INTERVIEW_QUESTION
        self.batches.append(len(user_inputs))
        self.seeds += seeds
        return [Generation(self.replies.pop(0), 1, 1, 0.0, True) for _ in user_inputs]


class GivenJudge:
    """Readings given per question (the text before its "?")."""

    def __init__(self, readings: dict[str, float]) -> None:
        self.readings = readings

    def probability(self, question: str, tone_asked: str) -> float:
        return self.readings[question.rstrip("?")]


def first_seed(tone_asked: str) -> int:
    return prompt_seed(tasks.interview_question_input(RESUME, tone_asked))


@pytest.fixture
def fresh_judge(monkeypatch, tmp_path):
    """The judge built anew, its cache in an empty folder; the session's judge is back after the test."""
    monkeypatch.setattr(tone, "CACHE_DIR", tmp_path)
    tone._build_judge.cache_clear()
    yield tmp_path
    tone._build_judge.cache_clear()


def test_the_judge_learns_from_other_questions_than_the_evaluation_and_reads_those_well() -> None:
    """The metric's classifier is trained on the hand-labelled set; the judge on the written questions. No question
    is in both, and the judge reads the hand-labelled set well (0.946 when built)."""
    written = {" ".join(q.lower().split()) for q, _ in tone.judge_examples()}
    assert len(written) > 700
    assert not written & {" ".join(q.lower().split()) for q, _ in labelled()}
    judge = tone.tone_judge()
    assert judge is not None
    assert accuracy(judge.model, labelled()) >= 0.9
    assert judge.probability(HR, "hr") >= tone.JUDGE_CONFIDENCE
    assert judge.probability(TECHNICAL, "technical") >= tone.JUDGE_CONFIDENCE
    assert judge.probability("technical hr", "hr") == 0.0  # label words only: no evidence


def test_the_judge_is_cached_and_loads_without_embedding_its_questions_again(monkeypatch, fresh_judge) -> None:
    built = tone.tone_judge()
    assert built is not None and len(list(fresh_judge.glob("tone-judge-*.json"))) == 1
    tone._build_judge.cache_clear()
    monkeypatch.setattr(tone, "judge_examples", lambda: pytest.fail("the cached judge embedded its data again"))
    loaded = tone.tone_judge()
    assert loaded is not None
    assert loaded.probability(HR, "hr") == pytest.approx(built.probability(HR, "hr"), abs=1e-5)


@pytest.mark.parametrize("cached", ['{"weights": [0.1, 0.2', '{"weights": [0.1, 0.2], "bias": 0.0}', "[]"])
def test_a_torn_or_foreign_cache_file_is_built_again(fresh_judge, cached: str) -> None:
    tone.tone_judge()
    (path,) = fresh_judge.glob("tone-judge-*.json")
    path.write_text(cached)
    tone._build_judge.cache_clear()
    judge = tone.tone_judge()
    assert judge is not None and judge.probability(HR, "hr") >= tone.JUDGE_CONFIDENCE
    assert len(json.loads(path.read_text())["weights"]) == 384


def test_an_unwritable_cache_still_gives_a_judge(monkeypatch, fresh_judge) -> None:
    def refuse(path):
        raise PermissionError(f"read-only: {path}")

    monkeypatch.setattr(tone, "atomic_writer", refuse)
    judge = tone.tone_judge()
    assert judge is not None and judge.probability(TECHNICAL, "technical") >= tone.JUDGE_CONFIDENCE


def test_without_the_written_questions_there_is_no_judge_and_questions_still_come(monkeypatch, fresh_judge) -> None:
    monkeypatch.setattr(tone, "JSONRESUME_QUESTIONS_FILE", fresh_judge / "missing.jsonl")
    assert tone.tone_judge() is None
    assert ScriptedEngine([TECHNICAL]).interview_question(RESUME, "hr") == TECHNICAL  # the first sample


def test_without_sentence_embeddings_there_is_no_judge(monkeypatch, fresh_judge) -> None:
    monkeypatch.setattr(tone, "load_embedder", lambda: LexicalEmbedder())
    assert tone.tone_judge() is None
    engine = ScriptedEngine([TECHNICAL])
    assert engine.interview_question(RESUME, "hr") == TECHNICAL and engine.batches == [1]


def test_an_off_tone_question_is_asked_again_and_the_first_on_tone_sample_wins() -> None:
    engine = ScriptedEngine([TECHNICAL, HR, HR_TOO])
    assert engine.interview_question(RESUME, "hr") == HR
    seed = first_seed("hr")
    assert engine.seeds == [None, retry_seed(seed, 1), retry_seed(seed, 2)]
    assert engine.batches == [1, 2]  # the remaining samples as one batch


def test_a_retry_is_no_other_requests_own_sample() -> None:
    engine = ScriptedEngine([TECHNICAL, TECHNICAL, TECHNICAL])
    engine.interview_question(RESUME, "hr", seed=5)
    assert engine.seeds[0] == 5 and not {4, 5, 6, 7} & set(engine.seeds[1:])


def test_an_on_tone_question_is_taken_at_once() -> None:
    engine = ScriptedEngine([TECHNICAL])
    assert engine.interview_question(RESUME, "technical", seed=7) == TECHNICAL
    assert engine.seeds == [7]


def test_the_samples_are_bounded_and_the_most_on_tone_one_wins(monkeypatch) -> None:
    monkeypatch.setattr(tone, "tone_judge", lambda: GivenJudge({"First": 0.2, "Second": 0.6, "Third": 0.6}))
    engine = ScriptedEngine(["First?", "Second?", "Third?", "Never asked?"], samples=3)
    assert engine.interview_question(RESUME, tasks.Tone.HR, seed=5) == "Second?"  # the first of the best
    assert engine.seeds == [5, retry_seed(5, 1), retry_seed(5, 2)]


def test_a_question_that_says_nothing_of_its_part_is_asked_again() -> None:
    """On tone, but about no word of the highlight it was asked about: the next sample that is about it wins."""
    generic = "When working on a tool, how did you know a measurement was right or a bug?"
    engine = ScriptedEngine([generic, TECHNICAL, generic])
    assert engine.interview_question(RESUME, "technical", seed=7) == TECHNICAL
    assert engine.seeds == [7, retry_seed(7, 1), retry_seed(7, 2)]


def test_when_no_sample_is_about_its_part_the_first_on_tone_one_wins(monkeypatch) -> None:
    readings = {"Nothing here": 0.3, "Nothing there": 0.9, "Nothing at all": 0.95}
    monkeypatch.setattr(tone, "tone_judge", lambda: GivenJudge(readings))
    engine = ScriptedEngine(["Nothing here?", "Nothing there?", "Nothing at all?"], samples=3)
    assert engine.interview_question(RESUME, "technical", seed=5) == "Nothing there?"


def test_one_sample_asks_once_and_builds_no_judge(monkeypatch) -> None:
    monkeypatch.setenv("GRILLER_QUESTION_SAMPLES", "1")
    monkeypatch.setattr(tone, "tone_judge", lambda: pytest.fail("no judge is needed for one sample"))
    engine = ScriptedEngine([TECHNICAL], samples=tone.question_samples_setting())
    assert engine.interview_question(RESUME, "hr") == TECHNICAL


def test_a_batch_asks_its_off_tone_requests_again_as_one_batch() -> None:
    engine = ScriptedEngine([TECHNICAL, TECHNICAL, TECHNICAL, HR, HR_TOO, TECHNICAL, HR])
    questions = engine.interview_questions([(RESUME, "hr", 1), (RESUME, "hr", 10), (RESUME, "technical", 20)])
    assert questions == [HR, HR, TECHNICAL]  # the second request: its first retry off tone, its second on
    assert engine.batches == [3, 4]
    assert engine.seeds[3:] == [retry_seed(1, 1), retry_seed(1, 2), retry_seed(10, 1), retry_seed(10, 2)]


def test_one_round_at_a_time_gives_the_same_answers_with_fewer_samples(monkeypatch) -> None:
    """An API model asks one more sample per round (each is paid for); a local one all remaining at once."""
    readings = {"a at Acme": 0.1, "b at Acme": 0.9, "c at Acme": 0.95, "d at Acme": 0.3}
    monkeypatch.setattr(tone, "tone_judge", lambda: GivenJudge(readings))
    answers = dict(zip([retry_seed(3, n) for n in (1, 2, 3)], ["b at Acme?", "c at Acme?", "d at Acme?"], strict=True))
    asked: list[int] = []

    def ask_many(asks):
        asked.extend(seed for _, seed in asks)
        return [answers[seed] for _, seed in asks]

    request = [(RESUME, "hr", 3)]
    assert tone.on_tone_many(["a at Acme?"], request, ask_many, samples=4, at_once=True) == ["b at Acme?"]
    assert len(asked) == 3
    asked.clear()
    assert tone.on_tone_many(["a at Acme?"], request, ask_many, samples=4, at_once=False) == ["b at Acme?"]
    assert asked == [retry_seed(3, 1)]


def test_the_tiny_model_asks_alike_alone_and_in_a_batch(monkeypatch, tiny_model_dir) -> None:
    """The same loading and generation as a real model, the judge reading its (random) samples."""
    monkeypatch.delenv("GRILLER_QUESTION_SAMPLES", raising=False)
    engine = Engine.load(tiny_model_dir)
    assert engine.question_samples == tone.QUESTION_SAMPLES
    requests = [(RESUME, "hr", 1), (RESUME, "technical", 2), (RESUME, "hr", None)]
    alone = [engine.interview_question(*request) for request in requests]
    assert engine.interview_questions(requests) == alone
    assert all(isinstance(question, str) for question in alone)
