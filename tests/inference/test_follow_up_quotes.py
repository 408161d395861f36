"""A follow-up quotes only what the candidate said: a misquoting sample is replaced by another, its seed drawn from
the request's (issue #30)."""

from __future__ import annotations

from ml import tasks
from ml.inference.engine import FOLLOW_UP_SAMPLES, Engine, Generation
from ml.inference.sampling import prompt_seed, retry_seed

ANSWER = "I try to stay calm and find a solution."
RESUME = "Jane Doe\nEngineer, Acme, 2020 - present"
QUESTION = "How do you handle conflict?"


class ScriptedEngine(Engine):
    """An engine whose follow-up samples are given in turn; records the seeds asked for."""

    def __init__(self, replies: list[str]) -> None:
        self.replies = list(replies)
        self.seeds: list[int | None] = []

    def generate(self, task, user_input, max_new_tokens=None, constrained=None, seed=None) -> Generation:
        assert tasks.TaskName(task) is tasks.TaskName.FOLLOW_UP
        self.seeds.append(seed)
        return Generation(self.replies.pop(0), 1, 1, 0.0, True)


def first_seed() -> int:
    return prompt_seed(tasks.follow_up_input(RESUME, QUESTION, ANSWER))


def test_a_misquote_is_sampled_again() -> None:
    engine = ScriptedEngine(
        ['You mentioned "sticking with it" - what did that look like?', 'When you say "stay calm", what did you do?']
    )
    assert engine.follow_up(RESUME, QUESTION, ANSWER) == 'When you say "stay calm", what did you do?'
    assert engine.seeds == [None, retry_seed(first_seed(), 1)]


def test_a_faithful_follow_up_is_taken_at_once() -> None:
    engine = ScriptedEngine(['When you say "find a solution", which one?'])
    assert engine.follow_up(RESUME, QUESTION, ANSWER, seed=7) == 'When you say "find a solution", which one?'
    assert engine.seeds == [7]


def test_the_samples_are_bounded_and_the_last_then_quotes_the_candidates_own_words() -> None:
    misquotes = [f'You said "never said {n}" - why?' for n in range(FOLLOW_UP_SAMPLES)]
    engine = ScriptedEngine(misquotes)
    assert engine.follow_up(RESUME, QUESTION, ANSWER, seed=3) == 'You said "I try to stay calm" - why?'
    assert engine.seeds == [3, *(retry_seed(3, n) for n in range(1, FOLLOW_UP_SAMPLES))]


def test_requote_keeps_faithful_quotes_and_one_word_scare_quotes() -> None:
    assert tasks.requote('You mentioned "find a solution", and "ownership"?', ANSWER) == (
        'You mentioned "find a solution", and "ownership"?'
    )
    assert tasks.requote("“Sticking with it”: what did it take?", "We shipped it, on time.") == (
        "“We shipped it”: what did it take?"
    )
    assert tasks.answer_phrase("Fine.") == "Fine"


def test_a_quote_loses_the_spaces_inside_its_marks() -> None:
    said = "Honestly it was a normal project, nothing special, we delivered it."
    assert tasks.requote('One concrete example of " delivered it" from Target?', said) == (
        'One concrete example of "delivered it" from Target?'
    )
    assert tasks.requote('You said "we delivered it" and "nothing special".', said) == (
        'You said "we delivered it" and "nothing special".'
    )
    assert tasks.requote('Was it the 6" or the 8" pipe?', said) == 'Was it the 6" or the 8" pipe?'  # inch marks


def test_batched_follow_ups_are_held_to_the_same_rule() -> None:
    class Batched(ScriptedEngine):
        def generate_batch(self, task, user_inputs, max_new_tokens=None, seeds=None) -> list[Generation]:
            return [Generation('You said "sticking with it" - how?', 1, 1, 0.0, True) for _ in user_inputs]

    engine = Batched(['When you say "stay calm", how?', 'When you say "stay calm", how?'])
    answers = engine.follow_ups([(RESUME, QUESTION, ANSWER, 1), (RESUME, QUESTION, ANSWER, 5)])
    assert answers == ['When you say "stay calm", how?'] * 2 and engine.seeds == [retry_seed(1, 1), retry_seed(5, 1)]
