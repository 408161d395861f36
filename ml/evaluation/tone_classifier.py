"""The evaluation's HR vs technical classifier: logistic regression on sentence embeddings, or naive Bayes on words
as a fallback (the models: :mod:`ml.inference.tone`).

Both are trained on the hand-labelled questions of :mod:`ml.evaluation.tone_data`. Every fifth
question of each class (a fixed, deterministic split) is held out, and the classifier that scores
model outputs is the one trained on the rest, so its reported held-out accuracy describes exactly
the classifier in use. Label words (``technical``, ``tech``, ``hr``, ``behavioural`` …) are removed
first: writing "technical" into an HR question cannot flip its label.

* **Embedding classifier** (used when the offline all-MiniLM-L6-v2 wheel is installed, as the
  relevance metric does): L2-regularised logistic regression on the question's mean-pooled
  MiniLM embedding, the classes weighted to balance. On the 711 questions written for the real training
  pool (their writers' labels; none in its data) 0.895, 0.872 before 105 HR questions about named technical
  work and technical ones that mention people were added; on 300 of the generator's template questions 0.91
  (0.94 before). Unlike the word model it recognises a technical question whose words it never saw ("where
  does Kanban break down as a method?").
* **Naive Bayes** (stdlib only): binarised stemmed content words and adjacent-token bigrams
  (function words only inside bigrams, e.g. ``why did``), numbers folded to ``<num>``, add-``alpha``
  smoothing (binarised MNB is a strong baseline for short texts: Wang & Manning, 2012). 5-fold CV 0.84:
  words alone read many HR questions about named technical work as technical.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial

from ml.evaluation.tone_data import HR_QUESTIONS, TECHNICAL_QUESTIONS
from ml.inference.embeddings import MiniLMEmbedder, load_embedder
from ml.inference.tone import UNKNOWN, EmbeddingLogistic, NaiveBayes, ToneModel, predict

__all__ = ["UNKNOWN", "ToneClassifier", "accuracy", "cross_validate", "labelled", "split", "tone_classifier"]

HOLD_OUT_EVERY = 5


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


def accuracy(model: ToneModel, examples: Sequence[tuple[str, str]]) -> float:
    return sum(predict(model, q) == label for q, label in examples) / len(examples)


@dataclass(frozen=True)
class ToneClassifier:
    model: ToneModel
    kind: str
    held_out_accuracy: float
    held_out_size: int
    train_size: int
    cross_validated_accuracy: float

    def predict(self, question: str) -> str:
        return predict(self.model, question)

    def probability_technical(self, question: str) -> float:
        return self.model.probabilities(question)["technical"]

    def describe(self) -> dict[str, float | int | str]:
        return {
            "kind": self.kind,
            "train_size": self.train_size,
            "held_out_size": self.held_out_size,
            "held_out_accuracy": round(self.held_out_accuracy, 4),
            "cross_validated_accuracy_5fold": round(self.cross_validated_accuracy, 4),
        }


def cross_validate(
    examples: Sequence[tuple[str, str]], folds: int = 5, fit: Callable[[list[tuple[str, str]]], ToneModel] | None = None
) -> float:
    fit = fit or NaiveBayes.fit
    correct = 0
    for fold in range(folds):
        test = [e for i, e in enumerate(examples) if i % folds == fold]
        train = [e for i, e in enumerate(examples) if i % folds != fold]
        model = fit(train)
        correct += sum(predict(model, q) == label for q, label in test)
    return correct / len(examples)


@lru_cache(maxsize=2)
def tone_classifier(prefer: str = "minilm") -> ToneClassifier:
    """The classifier used by the evaluation, trained once per process (about a second with embeddings).

    The embedding classifier when the MiniLM wheel loads (``prefer="minilm"``), else naive Bayes.
    """
    examples = labelled()
    train, held_out = split(examples)
    embedder = load_embedder(prefer)
    if isinstance(embedder, MiniLMEmbedder):
        vectors = EmbeddingLogistic.embed_all(embedder, [q for q, _ in examples])
        fit: Callable[[list[tuple[str, str]]], ToneModel] = partial(EmbeddingLogistic.fit, embedder, vectors)
        kind = "logistic regression on all-MiniLM-L6-v2 sentence embeddings"
    else:
        fit, kind = NaiveBayes.fit, "binarised multinomial naive Bayes, word uni+bigrams"
    model = fit(train)
    return ToneClassifier(
        model=model,
        kind=kind,
        held_out_accuracy=accuracy(model, held_out),
        held_out_size=len(held_out),
        train_size=len(train),
        cross_validated_accuracy=cross_validate(examples, fit=fit),
    )
