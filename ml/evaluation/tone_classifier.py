"""HR vs technical: a naive Bayes classifier on word uni- and bigrams, stdlib only.

Trained on the hand-labelled questions of :mod:`ml.evaluation.tone_data`. Every fifth question
of each class (a fixed, deterministic split) is held out, and the classifier that scores model
outputs is the one trained on the rest, so its reported held-out accuracy describes exactly the
classifier in use. Label words (``technical``, ``tech``, ``hr``, ``behavioural`` …) are removed
before featurisation: writing "technical" into an HR question cannot flip its label.

Features: binarised (presence, not counts) stemmed content words and adjacent-token bigrams
(function words only inside bigrams, e.g. ``why did``), numbers folded to ``<num>``;
multinomial naive Bayes with add-``alpha`` smoothing (binarised MNB is a strong baseline for
short texts: Wang & Manning, 2012).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ml.evaluation import text as tx
from ml.evaluation.tone_data import HR_QUESTIONS, TECHNICAL_QUESTIONS

LABELS = ("hr", "technical")
UNKNOWN = "unknown"
LABEL_WORDS = frozenset(
    {"technical", "technically", "tech", "hr", "behavioural", "behavioral", "behaviour", "behavior", "tone"}
)
"""Words that name a label: ignored, so the classifier cannot be keyword-gamed."""
HOLD_OUT_EVERY = 5


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

    def predict(self, question: str) -> str:
        """``hr`` or ``technical``; ``unknown`` for a text with no known feature (empty, gibberish)."""
        if not self.known(question):
            return UNKNOWN
        probabilities = self.probabilities(question)
        return max(LABELS, key=lambda label: probabilities[label])


def labelled() -> list[tuple[str, str]]:
    return [(q, "hr") for q in HR_QUESTIONS] + [(q, "technical") for q in TECHNICAL_QUESTIONS]


def split(examples: Sequence[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Every ``HOLD_OUT_EVERY``-th question of each class is held out (deterministic)."""
    train, held_out = [], []
    seen: Counter[str] = Counter()
    for question, label in examples:
        (held_out if seen[label] % HOLD_OUT_EVERY == 0 else train).append((question, label))
        seen[label] += 1
    return train, held_out


def accuracy(model: NaiveBayes, examples: Sequence[tuple[str, str]]) -> float:
    return sum(model.predict(q) == label for q, label in examples) / len(examples)


@dataclass(frozen=True)
class ToneClassifier:
    model: NaiveBayes
    held_out_accuracy: float
    held_out_size: int
    train_size: int
    cross_validated_accuracy: float

    def predict(self, question: str) -> str:
        return self.model.predict(question)

    def probability_technical(self, question: str) -> float:
        return self.model.probabilities(question)["technical"]

    def describe(self) -> dict[str, float | int | str]:
        return {
            "kind": "binarised multinomial naive Bayes, word uni+bigrams",
            "train_size": self.train_size,
            "held_out_size": self.held_out_size,
            "held_out_accuracy": round(self.held_out_accuracy, 4),
            "cross_validated_accuracy_5fold": round(self.cross_validated_accuracy, 4),
        }


def cross_validate(examples: Sequence[tuple[str, str]], folds: int = 5) -> float:
    correct = 0
    for fold in range(folds):
        test = [e for i, e in enumerate(examples) if i % folds == fold]
        train = [e for i, e in enumerate(examples) if i % folds != fold]
        model = NaiveBayes.fit(train)
        correct += sum(model.predict(q) == label for q, label in test)
    return correct / len(examples)


@lru_cache(maxsize=1)
def tone_classifier() -> ToneClassifier:
    """The classifier used by the evaluation (trained once per process, in milliseconds)."""
    examples = labelled()
    train, held_out = split(examples)
    model = NaiveBayes.fit(train)
    return ToneClassifier(
        model=model,
        held_out_accuracy=accuracy(model, held_out),
        held_out_size=len(held_out),
        train_size=len(train),
        cross_validated_accuracy=cross_validate(examples),
    )
