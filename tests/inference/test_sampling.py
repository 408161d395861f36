"""Question tasks sample with a seed (varied, repeatable); parses stay greedy; the chat endpoint honours sampling."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from fastapi.testclient import TestClient

from ml import tasks
from ml.inference.engine import Engine
from ml.inference.sampling import GREEDY, Sampling, SeededSampler, nucleus_filter, prompt_seed, task_sampling
from ml.inference.server import ServerSettings, create_app

RESUME = "Jane Doe\nSenior Data Engineer, Acme Corp, 2021-Present\nBuilt a Kafka pipeline.\nSKILLS Python, SQL"


@pytest.fixture(scope="module")
def engine(tiny_run: Path) -> Engine:
    return Engine.load(tiny_run / "adapter")


def _draws(logits: torch.Tensor, sampling: Sampling, seeds: range) -> torch.Tensor:
    ids = torch.zeros((1, 5), dtype=torch.long)
    picks = [int(SeededSampler(sampling, [seed], prompt_width=3)(ids, logits[None, :]).argmax()) for seed in seeds]
    return torch.bincount(torch.tensor(picks), minlength=logits.numel()).float() / len(seeds)


def test_the_sampler_draws_from_the_tempered_distribution() -> None:
    logits = torch.tensor([2.0, 1.5, 1.0, 0.0, -1.0, -3.0])
    sampling = Sampling(temperature=0.7, top_p=1.0)
    expected = torch.softmax(logits / 0.7, dim=0)
    frequencies = _draws(logits, sampling, range(4000))
    assert torch.allclose(frequencies, expected, atol=0.03), (frequencies, expected)


def test_top_p_never_draws_outside_the_nucleus() -> None:
    logits = torch.tensor([3.0, 2.5, 0.0, -1.0, -2.0, -4.0])
    frequencies = _draws(logits, Sampling(temperature=1.0, top_p=0.8), range(2000))
    assert frequencies[2:].sum() == 0 and frequencies[0] > frequencies[1] > 0


@pytest.mark.parametrize("scale", [0.01, 1.0, 4.0, 20.0])
def test_the_nucleus_is_transformers_top_p_nucleus(scale: float) -> None:
    """The same kept tokens as ``TopPLogitsWarper``, from peaked rows (a few candidates) to flat ones, where
    the 256 most likely tokens hold less than top-p and the search widens (scale 0.01 over 5,000 tokens).
    Rounding may differ only for a token whose more likely tokens hold top-p to within 1e-5."""
    from transformers import TopPLogitsWarper

    generator = torch.Generator().manual_seed(3)
    scores = torch.randn(16, 5000, generator=generator) * scale
    scores[0, 10:] = float("-inf")  # a grammar-masked row: ten tokens allowed
    probabilities = scores.softmax(-1)
    for top_p in (0.5, 0.9, 0.99):
        expected = TopPLogitsWarper(top_p)(torch.zeros((16, 1), dtype=torch.long), scores.clone()).isinf()
        filtered = nucleus_filter(scores, top_p).isinf()
        assert filtered.sum(-1).lt(scores.shape[1]).all()  # never a row with nothing left
        for row, token in (filtered != expected).nonzero().tolist():
            row_probabilities = probabilities[row]
            held_before = row_probabilities[row_probabilities > row_probabilities[token]].sum()
            assert abs(float(held_before) - top_p) < 1e-5, (row, token, float(held_before))


def test_tokens_tied_at_the_nucleus_edge_all_stay() -> None:
    """Tokens 1 and 2 tie; token 0 alone holds less than top-p, so the nucleus reaches them: both stay, whatever
    order a sort would give them (transformers keeps one of the two)."""
    scores = torch.tensor([[2.0, 1.0, 1.0, 0.0, -1.0]])
    top_p = float(scores.softmax(-1)[0, :2].sum())  # token 0 + one of the tied pair
    kept = ~nucleus_filter(scores, top_p).isinf()[0]
    assert kept.tolist() == [True, True, True, False, False]


def test_each_row_gets_its_own_seeds_noise_in_a_batch() -> None:
    scores = torch.randn(3, 50)
    ids = torch.zeros((3, 9), dtype=torch.long)
    sampling = Sampling(temperature=0.9, top_p=0.95)
    batched = SeededSampler(sampling, [11, 12, 13], prompt_width=4)(ids, scores)
    for row, seed in enumerate((11, 12, 13)):
        alone = SeededSampler(sampling, [seed], prompt_width=4)(ids[row : row + 1], scores[row : row + 1])
        assert torch.equal(batched[row], alone[0])


def test_defaults_greedy_parses_sampled_questions_and_bad_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert task_sampling(tasks.TaskName.PARSE_RESUME) is GREEDY
    question = task_sampling(tasks.TaskName.INTERVIEW_QUESTION, seed=5)
    assert not question.greedy and question.seed == 5 and question.top_p < 1
    assert question.request_params() == {"temperature": 0.7, "top_p": 0.9, "seed": 5}
    assert GREEDY.request_params() == {"temperature": 0}
    monkeypatch.setenv("GRILLER_QUESTION_TEMPERATURE", "0")
    assert task_sampling(tasks.TaskName.FOLLOW_UP).greedy
    assert prompt_seed("a") == prompt_seed("a") != prompt_seed("b")
    with pytest.raises(ValueError, match="temperature"):
        Sampling(temperature=-1)
    with pytest.raises(ValueError, match="top_p"):
        Sampling(temperature=1, top_p=0)


def test_questions_vary_with_the_seed_and_repeat_without_one(engine: Engine) -> None:
    user_input = tasks.interview_question_input(RESUME, "technical")
    task = tasks.TaskName.INTERVIEW_QUESTION
    by_seed = {seed: engine.generate(task, user_input, 10, seed=seed).text for seed in range(6)}
    assert len(set(by_seed.values())) >= 3, by_seed
    assert engine.generate(task, user_input, 10, seed=3).text == by_seed[3]
    assert engine.generate(task, user_input, 10).text == engine.generate(task, user_input, 10).text


def test_zero_temperature_is_the_greedy_answer(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRILLER_QUESTION_TEMPERATURE", "0")
    user_input = tasks.follow_up_input(RESUME, "Why Kafka?", "It was fine.")
    greedy = engine.generate_messages(tasks.build_messages(tasks.TaskName.FOLLOW_UP, user_input), 10)
    assert engine.generate(tasks.TaskName.FOLLOW_UP, user_input, 10, seed=1).text == greedy.text


def test_chat_endpoint_honours_temperature_and_seed(engine: Engine) -> None:
    client = TestClient(create_app(engine, ServerSettings(max_tokens_limit=10)))

    def answer(**sampling: float) -> str:
        body = {"messages": [{"role": "user", "content": "Ask me one question about Acme."}], "max_tokens": 10}
        response = client.post("/v1/chat/completions", json=body | sampling)
        assert response.status_code == 200, response.text
        return response.json()["choices"][0]["message"]["content"]

    greedy = answer()
    assert answer(temperature=0) == greedy
    sampled = {seed: answer(temperature=1.2, seed=seed) for seed in range(5)}
    assert len(set(sampled.values())) >= 2, sampled
    assert answer(temperature=1.2, seed=2) == sampled[2]
    body = {"messages": [{"role": "user", "content": "hi"}], "temperature": 3}
    assert client.post("/v1/chat/completions", json=body).status_code == 422


def test_question_endpoint_seed_picks_another_question(engine: Engine) -> None:
    client = TestClient(create_app(engine, ServerSettings(max_tokens_limit=10)))
    asked = {
        seed: client.post("/v1/interview/question", json={"resume": RESUME, "seed": seed}).json()["question"]
        for seed in range(5)
    }
    assert len(set(asked.values())) >= 2, asked
    again = client.post("/v1/interview/question", json={"resume": RESUME, "seed": 4}).json()["question"]
    assert again == asked[4]
