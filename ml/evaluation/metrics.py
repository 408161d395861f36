"""Metrics for the three tasks: pure functions, one example at a time.

Parsing (``score_parse``) compares a model's raw text with the true :class:`ParsedResume`
and the resume's source text. Questions (``score_question``, ``score_follow_up``) score one
generated question against the resume and, for follow-ups, the candidate's answer.
Corpus-level numbers (diversity, means, micro-F1 over a split) are built by
:mod:`ml.evaluation.evaluate` from the per-example results returned here.

Definitions (also in ml/docs/evaluation.md):

* **Counting for micro-F1.** Every scalar field and every list item counts once. For a
  scalar: null truth and null prediction are not counted; null truth + value = FP; value +
  null = FN; both set and equal = TP; both set and different = FP + FN. For a list (skills,
  links, highlights, …) items are matched one-to-one; matched = TP, left-over predictions =
  FP, left-over truths = FN. Experience, education and project entries are first matched
  one-to-one (greedy on company / institution / name similarity); the sub-fields of a matched
  pair are scored as above, and every non-null sub-field and list item of an unmatched entry is
  an FP (predicted) or FN (true), so an invented job lowers precision.
* **Equality** (see :mod:`ml.text`): case, spacing and punctuation never matter.
  Names, titles, companies, institutions, fields, locations: compact forms equal or difflib
  ratio >= 0.9. Degrees: as names, after mapping long forms (``Bachelor of Science``) to short
  (``BSc``). Email: case-folded, ``mailto:`` dropped. Phone: digits only, a country code (up to
  3 leading digits) may be missing on one side. Dates: both normalised with
  :func:`~ml.text.normalise_date` and equal (``2021`` != ``2021-03``). Summary,
  descriptions and highlights: token F1 >= 0.8. Links: scheme, ``www.``, trailing ``/`` and case
  dropped. Skills, technologies, certifications: compact forms equal, so ``Node.js`` ==
  ``nodejs`` == ``Node JS`` but ``C++`` != ``C``; a true skill or technology written as several
  (``HTML | JSX``, ``Node.js (Next.js, Express)``) is found when each of its parts is predicted on its own
  (one TP; a reader takes the split list as right). Highlights parted otherwise: a true paragraph predicted
  as its sentences is one TP; true points predicted as one, one TP and the rest FN (:func:`score_fuzzy_set`).
  Languages: proficiency notes dropped
  (``English (native)`` == ``English``).
* **Hallucination.** A predicted non-empty string value is hallucinated when it does not occur
  in the source text (:class:`ml.text.SourceText`, the same test grounding enforces): its compact
  form is not a substring of the source's compact form, and (for values of 2+ words, which line
  wraps and two-column layouts split) not every word occurs in the source; values of 8+ tokens:
  fewer than 90% of their content tokens occur in the source; phone numbers by digits; dates by
  their year, ``'21`` included (``present`` by a word such as present/current/now/since).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from ml import text as tx
from ml.schema import ParsedResume

# --- thresholds (named so the README and the tests can point at them) ---------------------------
NAME_MATCH = 0.9
"""difflib ratio at which two names / titles / companies / institutions count as equal."""
TEXT_MATCH = 0.8
"""token F1 at which two free texts (summary, description, highlight) count as equal."""
MIN_PIECE_TOKENS = 3
"""Tokens a highlight needs to count as a piece of a longer one parted otherwise (:func:`score_fuzzy_set`)."""
ENTRY_MATCH = 0.6
"""similarity of the key field (company, institution, project name) needed to pair two entries."""

SCALAR_FIELDS = ("name", "email", "phone", "location", "summary")
LIST_FIELDS = ("links", "skills", "certifications", "languages")
EXPERIENCE_FIELDS = ("company", "title", "start_date", "end_date", "location")
EDUCATION_FIELDS = ("institution", "degree", "field", "start_date", "end_date", "gpa")
PROJECT_FIELDS = ("name", "description")

DEGREE_ALIASES = {
    "bachelorofscience": "bsc",
    "bs": "bsc",
    "bachelorofarts": "ba",
    "bachelorofengineering": "beng",
    "bachelorofbusinessadministration": "bba",
    "bachelorofcommerce": "bcom",
    "masterofscience": "msc",
    "ms": "msc",
    "masterofarts": "ma",
    "masterofengineering": "meng",
    "masterofbusinessadministration": "mba",
    "doctorofphilosophy": "phd",
    "associateofscience": "as",
    "associateofarts": "aa",
}


@dataclass
class Counts:
    """True positives, false positives and false negatives of one field (or a sum of fields)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def counted(self) -> bool:
        return bool(self.tp or self.fp or self.fn)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        return f1_score(self.tp, self.fp, self.fn)

    def as_list(self) -> list[int]:
        return [self.tp, self.fp, self.fn]


def f1_score(tp: int, fp: int, fn: int) -> float | None:
    """F1 from counts; ``None`` when nothing was counted (no truth and no prediction)."""
    if tp + fp + fn == 0:
        return None
    return 2 * tp / (2 * tp + fp + fn)


# --- field equality --------------------------------------------------------------------------------


DEGREE_WORDS = re.compile(
    r"(?i)\b(?:bachelor|m[aá]ster|licen[cs]|diplom|tecn[oó]log|t[eé]cnic|ingenier|doctor|certificat|honours|associate"
    r"|(?:grado|degree|phd|hons|course|curso|bts|dut|[bm]\.?\s?(?:sc|a|s|e|eng|tech)\.?)(?!\w))"
)
"""Words that make the head of a field a degree ("Bachelor's Degree in Physics", "Tecnólogo en …")."""
_RESTATED = re.compile(r"^(?P<head>.{2,60}?)(?:\s+(?:in|en|of studies in)\s+|,\s+)(?P<core>.+)$", re.IGNORECASE)


def _degree_key(value: str) -> str:
    key = tx.compact(value)
    return DEGREE_ALIASES.get(key, key)


def split_qualification(value: str) -> tuple[str, str] | None:
    """(degree, field) of one qualification written in one value: "Bachelor of Arts in Statistics" -> ("Bachelor of
    Arts", "Statistics"), "Joint Honours BSc, Mathematics and Computer Science" -> ("Joint Honours BSc",
    "Mathematics and Computer Science"); ``None`` when the value does not start with a degree.

    People write one qualification across JSON Resume's two fields in every split (``studyType`` "BSc in Software
    Engineering", or ``area`` "Bachelor's Degree in Physics"); a parse that splits it the other way reads the same."""
    match = _RESTATED.match(value.strip())
    if match and DEGREE_WORDS.search(match["head"]):
        return match["head"], match["core"]
    return None


def same_phone(a: str | None, b: str | None) -> bool:
    da, db = tx.digits(a), tx.digits(b)
    if not da or not db:
        return False
    short, long_ = sorted((da, db), key=len)
    return short == long_ or (len(short) >= 7 and len(long_) - len(short) <= 3 and long_.endswith(short))


def language_key(value: str | None) -> str:
    return tx.compact(re.split(r"[(\-–—:,;/]", value or "", maxsplit=1)[0])


def item_key(value: str | None) -> str:
    return tx.compact(value)


def same_value(field_name: str, truth: Any, pred: Any) -> bool:
    """Whether a predicted scalar equals the true one, by the rule of that field."""
    if truth is None or pred is None:
        return False
    truth, pred = str(truth), str(pred)
    if field_name in tx.DATE_FIELDS:
        nt, np_ = tx.normalise_date(truth), tx.normalise_date(pred)
        return nt is not None and nt == np_
    if field_name == "phone":
        return same_phone(truth, pred)
    if field_name == "email":
        return truth.strip().casefold().removeprefix("mailto:") == pred.strip().casefold().removeprefix("mailto:")
    if field_name in ("summary", "description"):
        return tx.token_f1(truth, pred) >= TEXT_MATCH
    if field_name == "degree":
        same = _degree_key(truth) == _degree_key(pred) or tx.ratio(truth, pred) >= NAME_MATCH
        return same or _restated(field_name, truth, pred)
    if field_name == "field" and _restated(field_name, truth, pred):
        return True
    if field_name == "gpa":
        return tx.compact(truth) == tx.compact(pred)
    return tx.ratio(truth, pred) >= NAME_MATCH


def _restated(field_name: str, truth: str, pred: str) -> bool:
    """Equal once one side's qualification is split (:func:`split_qualification`): a degree by its degree part
    ("BSc in Software Engineering" is the degree "BSc"), a field by its field part."""
    part = 0 if field_name == "degree" else 1
    split_t, split_p = split_qualification(truth), split_qualification(pred)
    if split_t is None and split_p is None:
        return False
    t = split_t[part] if split_t else truth
    p = split_p[part] if split_p else pred
    if field_name == "degree":
        return _degree_key(t) == _degree_key(p) or tx.ratio(t, p) >= NAME_MATCH
    return tx.ratio(t, p) >= NAME_MATCH


def score_scalar(field_name: str, truth: Any, pred: Any) -> Counts:
    """The counting rule for one scalar (see the module docstring)."""
    truth = None if truth in (None, "") else truth
    pred = None if pred in (None, "") else pred
    if truth is None and pred is None:
        return Counts()
    if truth is None:
        return Counts(fp=1)
    if pred is None:
        return Counts(fn=1)
    return Counts(tp=1) if same_value(field_name, truth, pred) else Counts(fp=1, fn=1)


def score_set(truth: Iterable[str], pred: Iterable[str], key: Callable[[str], str] = item_key) -> Counts:
    """One-to-one matching of list items by an exact key; duplicates in a prediction are FPs."""
    remaining: dict[str, int] = {}
    for item in truth:
        k = key(item)
        if k:
            remaining[k] = remaining.get(k, 0) + 1
    counts = Counts()
    for item in pred:
        k = key(item)
        if not k:
            continue
        if remaining.get(k, 0) > 0:
            remaining[k] -= 1
            counts.tp += 1
        else:
            counts.fp += 1
    counts.fn = sum(remaining.values())
    return counts


SKILL_PARTS = re.compile(r"\s*[|,;&()]\s*")
"""Separators inside one written skill: ``HTML | JSX``, ``React & React Native``, ``Node.js (Express)``; not ``/``,
which also joins one name (``PL/SQL``, ``CI/CD``)."""


def score_skills(truth: Iterable[str], pred: Iterable[str]) -> Counts:
    """:func:`score_set` for skills and technologies, where a true item left over after the exact matches also counts
    as found when the prediction lists each of its parts (:data:`SKILL_PARTS`) as items of its own."""
    left: Counter[str] = Counter(k for k in map(item_key, pred) if k)
    counts, unmatched = Counts(), []
    for item in truth:
        if not (k := item_key(item)):
            continue
        if left[k] > 0:
            left[k] -= 1
            counts.tp += 1
        else:
            unmatched.append(item)
    for item in unmatched:
        parts = Counter(k for k in map(item_key, SKILL_PARTS.split(item)) if k)
        if parts.total() >= 2 and parts <= left:
            left -= parts
            counts.tp += 1
        else:
            counts.fn += 1
    counts.fp = left.total()
    return counts


def greedy_match(
    truths: list[Any], preds: list[Any], similarity: Callable[[Any, Any], float], threshold: float
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pair items one-to-one, best similarity first; pairs below ``threshold`` stay unmatched.

    Returns (pairs of (truth index, pred index), unmatched truth indices, unmatched pred indices).
    Greedy instead of Hungarian: resumes hold a handful of entries and the similarities are
    nearly always clear-cut, where both give the same pairs.
    """
    scored = sorted(
        ((similarity(t, p), ti, pi) for ti, t in enumerate(truths) for pi, p in enumerate(preds)),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    used_t: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for score, ti, pi in scored:
        if score < threshold:
            break
        if ti in used_t or pi in used_p:
            continue
        used_t.add(ti)
        used_p.add(pi)
        pairs.append((ti, pi))
    return (
        sorted(pairs),
        [i for i in range(len(truths)) if i not in used_t],
        [i for i in range(len(preds)) if i not in used_p],
    )


def score_fuzzy_set(truth: list[str], pred: list[str], threshold: float = TEXT_MATCH) -> Counts:
    """One-to-one matching of free-text items (highlights) by token F1 >= ``threshold``; then the same text parted
    otherwise. A true item that consecutive left-over predictions make together (a paragraph read as its sentences)
    is one TP, those predictions no FP: a reader takes the split as right, as for skills. A prediction that
    consecutive left-over true items make together (points run into one) is one TP and the other points FN: their
    words are there, the parting is lost."""
    truth = [t for t in truth if t and t.strip()]
    pred = [p for p in pred if p and p.strip()]
    pairs, lost_list, extra_list = greedy_match(truth, pred, tx.token_f1, threshold)
    lost, extra = set(lost_list), set(extra_list)
    counts = Counts(tp=len(pairs))
    counts.tp += len(_joined_runs(truth, pred, lost, extra, threshold))  # split: the true item and its run go
    for _, run in _joined_runs(pred, truth, extra, lost, threshold):  # joined
        counts.tp += 1
        counts.fn += len(run) - 1
    counts.fp, counts.fn = len(extra), counts.fn + len(lost)
    return counts


def _share_in(text: str, words: Counter) -> float:
    """The share of ``text``'s tokens that ``words`` holds (each as often as it holds it)."""
    own = Counter(tx.tokens(text))
    return sum((own & words).values()) / max(1, sum(own.values()))


def _joined_runs(
    single: list[str], many: list[str], single_left: set[int], many_left: set[int], threshold: float
) -> list[tuple[int, list[int]]]:
    """Each left-over item of ``single`` with the run (two or more) of consecutive left-over items of ``many`` whose
    joined text matches it best (token F1 >= ``threshold``), each of them words of it (a share ``threshold`` of its
    tokens) and a piece of :data:`MIN_PIECE_TOKENS` tokens or more (a clause, not a word: fragments earn nothing);
    both taken out of the left-over sets."""
    found = []
    for index in sorted(single_left):
        best: tuple[float, list[int]] | None = None
        words = Counter(tx.tokens(single[index]))
        pieces = {k for k in many_left if len(tx.tokens(many[k])) >= MIN_PIECE_TOKENS}
        part_of = {k for k in pieces if _share_in(many[k], words) >= threshold}
        for start in sorted(part_of):
            run = [start]
            while run[-1] + 1 in part_of:
                run.append(run[-1] + 1)
                score = tx.token_f1(single[index], " ".join(many[k] for k in run))
                if score >= threshold and (best is None or score > best[0]):
                    best = (score, list(run))
        if best is not None:
            found.append((index, best[1]))
            single_left.discard(index)
            many_left.difference_update(best[1])
    return found


# --- parsing ---------------------------------------------------------------------------------------


def _as_str(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    value = str(value).strip()
    return value or None


def _as_str_list(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [s for s in (_as_str(v) for v in value) if s]


def _as_entries(value: Any, scalars: tuple[str, ...], lists: tuple[str, ...]) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    entries = []
    for item in value:
        if not isinstance(item, dict):
            continue
        entry: dict[str, Any] = {k: _as_str(item.get(k)) for k in scalars}
        entry.update({k: _as_str_list(item.get(k)) for k in lists})
        entries.append(entry)
    return entries


def coerce_resume(data: Any) -> dict[str, Any]:
    """A lenient reading of a predicted JSON value in the shape of ``ParsedResume.model_dump()``.

    Schema validity is reported on its own; field scores use this reading so that, e.g., a
    ``"Mar 2021"`` date that fails the schema still earns the date field when it is right.
    Unknown keys and wrongly typed values are dropped. A non-object reads as an empty resume.
    """
    if not isinstance(data, dict):
        data = {}
    resume: dict[str, Any] = {k: _as_str(data.get(k)) for k in SCALAR_FIELDS}
    resume.update({k: _as_str_list(data.get(k)) for k in LIST_FIELDS})
    resume["experience"] = _as_entries(data.get("experience"), EXPERIENCE_FIELDS, ("highlights",))
    resume["education"] = _as_entries(data.get("education"), EDUCATION_FIELDS, ())
    resume["projects"] = _as_entries(data.get("projects"), PROJECT_FIELDS, ("technologies",))
    return resume


GENERIC_ORGANISATION_WORDS = frozenset(
    {
        "university",
        "universidad",
        "université",
        "universität",
        "universidade",
        "università",
        "college",
        "institute",
        "instituto",
        "school",
        "escuela",
        "école",
        "company",
        "group",
        "lab",
        "laboratory",
        "inc",
        "ltd",
        "llc",
        "gmbh",
        "sa",
        "corp",
        "corporation",
        "the",
        "of",
        "de",
    }
)
"""Words that begin many employers' and schools' names: a name made only of them pairs with none by its start."""


MIN_INNER_NAME_WORDS = 2
"""Words a predicted name needs to pair by appearing inside the true one, not at its start ("Medico" of "Mi
expediente Medico" could be any clinic; "Lomé" of "Prépa ESEO-COURS LUMIERE, Lomé" is the city)."""


def organisation_similarity(truth: str, pred: str) -> float:
    """How alike two names of an employer or a school are, for pairing entries: :func:`ml.text.ratio`, or
    :data:`ENTRY_MATCH` when one is the other's leading words ("McGill University" for "McGill University, Centre for
    Intelligent Machines", "Mila" for "Mila - Quebec AI Institute"), when the prediction holds the true name among
    more words (a job's whole header line, "Stagiaire en systèmes embarqués, KU Leuven, Campus de Bruges (Bruges)"
    for "KU Leuven, Campus de Bruges"), or when it is a run of 2+ of the true name's words ("BITS Pilani"). Read,
    such a job is the truth's job with its employer written wrong: the employer is scored wrong, but its title,
    dates and highlights are that job's."""
    key = tx.ratio(truth, pred)
    true_words, pred_words = tx.tokens(truth), tx.tokens(pred)
    short, long = sorted((true_words, pred_words), key=len)
    named = short and not set(short) <= GENERIC_ORGANISATION_WORDS  # "University" alone names no one
    true_name_inside = len(true_words) <= len(pred_words)  # else the prediction is a fragment of the true name
    inner = true_name_inside or len(short) >= MIN_INNER_NAME_WORDS
    within = any(long[i : i + len(short)] == short for i in range(1, len(long) - len(short) + 1))
    return max(key, ENTRY_MATCH) if named and (long[: len(short)] == short or (inner and within)) else key


def _experience_similarity(t: dict[str, Any], p: dict[str, Any]) -> float:
    if t.get("company") and p.get("company"):
        key = organisation_similarity(t["company"], p["company"])
    else:
        key = tx.ratio(t.get("title"), p.get("title"))
    if key < ENTRY_MATCH:
        return key
    # same company twice (a promotion): title and start date break the tie
    bonus = 0.05 * tx.ratio(t.get("title"), p.get("title"))
    bonus += 0.05 * same_value("start_date", t.get("start_date"), p.get("start_date"))
    return key + bonus


def _education_similarity(t: dict[str, Any], p: dict[str, Any]) -> float:
    if t.get("institution") and p.get("institution"):
        key = organisation_similarity(t["institution"], p["institution"])
    else:
        key = max(tx.ratio(t.get("degree"), p.get("degree")), tx.ratio(t.get("field"), p.get("field")))
    if key < ENTRY_MATCH:
        return key
    bonus = 0.05 * tx.ratio(t.get("degree"), p.get("degree")) + 0.05 * tx.ratio(t.get("field"), p.get("field"))
    return key + bonus


def _project_similarity(t: dict[str, Any], p: dict[str, Any]) -> float:
    if t.get("name") and p.get("name"):
        return tx.ratio(t["name"], p["name"])
    return tx.token_f1(t.get("description"), p.get("description"))


_SECTIONS: dict[str, tuple[tuple[str, ...], dict[str, Callable[[list[str], list[str]], Counts]], Callable]] = {
    "experience": (EXPERIENCE_FIELDS, {"highlights": score_fuzzy_set}, _experience_similarity),
    "education": (EDUCATION_FIELDS, {}, _education_similarity),
    "projects": (PROJECT_FIELDS, {"technologies": score_skills}, _project_similarity),
}


def _score_section(section: str, truths: list[dict], preds: list[dict], fields: dict[str, Counts]) -> Counts:
    scalars, lists, similarity = _SECTIONS[section]
    pairs, lost, extra = greedy_match(truths, preds, similarity, ENTRY_MATCH)
    for ti, pi in pairs:
        for name in scalars:
            fields[f"{section}.{name}"].add(score_scalar(name, truths[ti].get(name), preds[pi].get(name)))
        for name, scorer in lists.items():
            fields[f"{section}.{name}"].add(scorer(truths[ti].get(name, []), preds[pi].get(name, [])))
    for index, side in [(i, "fn") for i in lost] + [(i, "fp") for i in extra]:
        entry = truths[index] if side == "fn" else preds[index]
        for name in scalars:
            if entry.get(name):
                setattr(fields[f"{section}.{name}"], side, getattr(fields[f"{section}.{name}"], side) + 1)
        for name in lists:
            n = len([v for v in entry.get(name, []) if v])
            setattr(fields[f"{section}.{name}"], side, getattr(fields[f"{section}.{name}"], side) + n)
    return Counts(tp=len(pairs), fp=len(extra), fn=len(lost))


FIELD_NAMES: tuple[str, ...] = (
    *SCALAR_FIELDS,
    *LIST_FIELDS,
    *(f"experience.{f}" for f in (*EXPERIENCE_FIELDS, "highlights")),
    *(f"education.{f}" for f in EDUCATION_FIELDS),
    *(f"projects.{f}" for f in (*PROJECT_FIELDS, "technologies")),
)
"""Every field that counts towards micro-F1, in report order."""


def compare_resumes(truth: dict[str, Any], pred: dict[str, Any]) -> tuple[dict[str, Counts], dict[str, Counts]]:
    """Field counts and entry-matching counts of a coerced prediction against a coerced truth."""
    fields = {name: Counts() for name in FIELD_NAMES}
    for name in SCALAR_FIELDS:
        fields[name] = score_scalar(name, truth.get(name), pred.get(name))
    fields["links"] = score_set(truth.get("links", []), pred.get("links", []), tx.link_key)
    fields["skills"] = score_skills(truth.get("skills", []), pred.get("skills", []))
    fields["certifications"] = score_set(truth.get("certifications", []), pred.get("certifications", []))
    fields["languages"] = score_set(truth.get("languages", []), pred.get("languages", []), language_key)
    entries = {
        section: _score_section(section, truth.get(section, []), pred.get(section, []), fields) for section in _SECTIONS
    }
    return fields, entries


def iter_values(resume: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field name, value) for every non-empty string of a coerced resume."""
    for name in SCALAR_FIELDS:
        if resume.get(name):
            yield name, resume[name]
    for name in LIST_FIELDS:
        for value in resume.get(name, []):
            yield name, value
    for section, (scalars, lists, _) in _SECTIONS.items():
        for entry in resume.get(section, []):
            for name in scalars:
                if entry.get(name):
                    yield f"{section}.{name}", entry[name]
            for name in lists:
                for value in entry.get(name, []):
                    yield f"{section}.{name}", value


@dataclass
class ParseScore:
    """Everything measured on one ``parse_resume`` example."""

    json_valid: bool
    schema_valid: bool
    fields: dict[str, Counts]
    entries: dict[str, Counts]
    predicted_values: int
    hallucinated: list[str] = field(default_factory=list)

    @property
    def total(self) -> Counts:
        total = Counts()
        for counts in self.fields.values():
            total.add(counts)
        return total

    @property
    def hallucination_rate(self) -> float | None:
        return len(self.hallucinated) / self.predicted_values if self.predicted_values else None

    def to_record(self) -> dict[str, Any]:
        total = self.total
        return {
            "json_valid": self.json_valid,
            "schema_valid": self.schema_valid,
            "micro": total.as_list(),
            "micro_f1": total.f1,
            "fields": {k: v.as_list() for k, v in self.fields.items() if v.counted},
            "entries": {k: v.as_list() for k, v in self.entries.items() if v.counted},
            "predicted_values": self.predicted_values,
            "hallucinated": self.hallucinated,
            "hallucination_rate": self.hallucination_rate,
        }


def truth_resume(truth: ParsedResume | dict[str, Any] | str) -> dict[str, Any]:
    if isinstance(truth, str):
        truth = json.loads(truth)
    if isinstance(truth, ParsedResume):
        truth = truth.model_dump(mode="json")
    return coerce_resume(truth)


def score_parse(pred_text: str, truth: ParsedResume | dict[str, Any] | str, source_text: str) -> ParseScore:
    """Score a model's raw ``parse_resume`` output.

    ``json_valid``: the whole stripped text is one JSON value (no repair, no code fences).
    ``schema_valid``: it validates as :class:`ParsedResume` (extra keys or bad dates fail).
    Invalid JSON scores as an empty prediction: every true value is a false negative.
    """
    true_resume = truth_resume(truth)
    try:
        data = json.loads(pred_text.strip())
        json_valid = True
    except (json.JSONDecodeError, ValueError, AttributeError):
        data, json_valid = None, False
    schema_valid = False
    if json_valid and isinstance(data, dict):
        try:
            ParsedResume.model_validate(data)
            schema_valid = True
        except ValidationError:
            pass
    pred = coerce_resume(data)
    fields, entries = compare_resumes(true_resume, pred)
    source = tx.SourceText(source_text)
    values = list(iter_values(pred))
    hallucinated = [f"{name}: {value}" for name, value in values if not source.contains(name, value)]
    return ParseScore(json_valid, schema_valid, fields, entries, len(values), hallucinated)


# --- questions -------------------------------------------------------------------------------------

FILLER_WORDS = frozenset(
    [
        "tell",
        "describe",
        "explain",
        "talk",
        "walk",
        "share",
        "give",
        "ask",
        "think",
        "say",
        "example",
        "experience",
        "experiences",
        "role",
        "roles",
        "work",
        "worked",
        "working",
        "job",
        "jobs",
        "position",
        "positions",
        "time",
        "times",
        "thing",
        "things",
        "like",
        "something",
        "anything",
        "please",
        "briefly",
        "detail",
        "details",
        "bit",
        "little",
        "lot",
    ]
)
"""Words of an interview question that carry no subject matter ("tell me about your role as …")."""
ORG_SUFFIXES = frozenset(
    {"inc", "corp", "corporation", "ltd", "llc", "gmbh", "plc", "co", "company", "sa", "ag", "bv", "ab", "nv", "srl"}
    | {"sas", "sl", "oy", "pty", "limited", "sarl", "spa"}
)
_NAME_QUALIFIER = re.compile(r"\s*(?:,|\(|\s[-–—|]\s).*$")
_NAME_PARTS = re.compile(r"\s+[&/]\s+|\s*[()]\s*")
MIN_NAME_PART_CHARS = 4
"""A part of a name shorter than this ("Web" of "Web / Hybrid Developer") names nothing on its own."""
SPECIFICITY_MIN_OTHER_WORDS = 1
"""A question must say something besides the entity: ``Senior Software Engineer?`` is not specific."""


def _entity_spans(entity: str, question: str) -> list[tuple[int, int]]:
    """Token spans of ``question`` where ``entity`` is named (case-insensitive, punctuation-blind, fuzzy)."""
    q_tokens = tx.tokens(question)
    e_tokens = tx.tokens(entity)
    if not e_tokens or not q_tokens:
        return []
    core = [t for t in e_tokens if t not in ORG_SUFFIXES] or e_tokens
    if len("".join(core)) <= 3 and len(core) == 1:
        # short names (Go, R, C#, AWS) only count with their own capitalisation, as a word
        raw = re.findall(r"[^\W_]+[+#]*", question)
        return [(i, i + 1) for i, word in enumerate(raw) if word == entity.strip()] if len(raw) == len(q_tokens) else []
    spans = []
    n = len(core)
    for width in {n, n + 1, max(1, n - 1)}:
        for start in range(len(q_tokens) - width + 1):
            window = q_tokens[start : start + width]
            if (
                window == core
                or "".join(window) == "".join(core)
                or (n >= 2 and width == n and tx.ratio(" ".join(window), " ".join(core)) >= NAME_MATCH)
            ):
                spans.append((start, start + width))
    return spans


def entity_names(entity: str) -> list[str]:
    """The ways a question names an entity: whole, without what qualifies it ("Google, Mountain View" → "Google";
    "Trajectry (formerly …)" → "Trajectry"; "Acme - Berlin" → "Acme"), and each part of a title or name joined by
    ``&`` or ``/`` or put in parentheses ("Team Coach & Web Developer" → "Team Coach"; "切题输入法(AttnInput)" →
    "AttnInput"). Real resumes write them so; an interviewer says the short form."""
    names = [entity, _NAME_QUALIFIER.sub("", entity)]
    names += [part for part in _NAME_PARTS.split(entity) if len(part.strip()) >= MIN_NAME_PART_CHARS]
    return [n for n in dict.fromkeys(name.strip() for name in names) if n]


def _named_spans(entity: str, question: str) -> list[tuple[int, int]]:
    return [span for name in entity_names(entity) for span in _entity_spans(name, question)]


def named_entities(question: str, entities: Iterable[str]) -> list[str]:
    """The entities of a resume that a question names (in any of their :func:`entity_names`)."""
    return [e for e in dict.fromkeys(e for e in entities if e and e.strip()) if _named_spans(e, question)]


def specificity(question: str, entities: Iterable[str]) -> tuple[bool, list[str]]:
    """Specific = names >= 1 entity of the resume AND says something besides the entities.

    "Something besides" = at least one content word outside every entity span that is not a
    stopword or interview filler ("tell", "role", "experience" …): a question that only repeats
    the resume's title ("What was your role as Senior Software Engineer?") is not specific.
    """
    named = named_entities(question, entities)
    if not named:
        return False, []
    q_tokens = tx.tokens(question)
    covered = {i for e in named for start, end in _named_spans(e, question) for i in range(start, end)}
    others = [
        t
        for i, t in enumerate(q_tokens)
        if i not in covered and t not in tx.STOPWORDS and t not in FILLER_WORDS and t not in ORG_SUFFIXES and len(t) > 1
    ]
    return len(others) >= SPECIFICITY_MIN_OTHER_WORDS, named


SPECIFICS_PATTERNS: dict[str, re.Pattern[str]] = {
    "number": re.compile(
        r"\b(how (many|much|long|often|big|large|fast)|what (percentage|percent|share|number|fraction)|"
        r"numbers?|metrics?|measur\w*|quantif\w*|figures?|by how|per cent|percent\w*|kpis?|baseline|rate)\b"
    ),
    "example": re.compile(
        r"\b(example|instance|specific\w*|concrete\w*|walk me through|describe (a|one|the) (time|case|situation)|"
        r"one time|a time when|which \w+|"
        r"(name|give me|pick|tell me about) (one|a|an|the)|one case|what exactly|exactly (what|how|which)|"
        r"put a (figure|number) on)\b"
    ),
    "own_role": re.compile(
        r"\b(your (own )?(role|part|contribution|responsibilit\w*|decision)|you personally|you yourself|"
        r"you specifically|what did you (do|own|build|decide|change)|were you responsible|did you lead|"
        r"your own)\b"
    ),
    "mechanism": re.compile(
        r"\bhow (exactly )?(did|do|does|would|could) (you|your \w+|it|the \w+) (measure|check|verify|test|detect|"
        r"handle|decide|choose|prioriti[sz]e|validate|know|tell|catch|avoid|keep|make sure|ensure|invalidate|"
        r"roll back|fix|debug|resolve|weigh|structure|design|document|notice)\b"
    ),
    "failure": re.compile(r"\b(what (went|go(es)?) wrong|what (failed|broke)|went wrong|failed|broke)\b"),
    "trade_off": re.compile(
        r"\b(trade-?offs?|alternatives?|instead of|downsides?|drawbacks?|compared?|comparison|versus|vs|"
        r"why did you (choose|pick|decide|go with)|what would you do differently|cost of|risks?)\b"
    ),
}
NEAR_REPEAT_JACCARD = 0.6
"""Token Jaccard with the earlier question at which a follow-up counts as a repeat of it."""


@dataclass
class FollowUpScore:
    refers: bool
    shared_words: list[str]
    asks_for: list[str]
    is_question: bool
    repeat_similarity: float

    @property
    def not_repeat(self) -> bool:
        return self.repeat_similarity < NEAR_REPEAT_JACCARD

    @property
    def asks_specifics(self) -> bool:
        return bool(self.asks_for)

    @property
    def quality(self) -> bool:
        return self.refers and self.asks_specifics and self.is_question and self.not_repeat


def score_follow_up(follow_up: str, question: str, answer: str, vague_part: str | None = None) -> FollowUpScore:
    """A good follow-up refers to the answer, asks for specifics, is a question and is not the question again.

    * refers: shares a content word (light stemming) with ``vague_part`` when there is one, else
      with the answer minus the words of the earlier question (echoing the question is no evidence
      of having read the answer).
    * asks for specifics: asks for a number, an example, the candidate's own role or a trade-off
      (:data:`SPECIFICS_PATTERNS`).
    * is a question: ends with ``?``.
    * not a repeat: token Jaccard (content words, stemmed) with the earlier question < 0.6.
    """
    follow_stems = tx.stems(follow_up, FILLER_WORDS)
    question_stems = tx.stems(question, FILLER_WORDS)
    target = tx.stems(vague_part, FILLER_WORDS) if vague_part else tx.stems(answer, FILLER_WORDS) - question_stems
    shared = sorted(follow_stems & target)
    lowered = " ".join(tx.tokens(follow_up)).replace("trade off", "trade-off")
    lowered = f"{lowered} {(follow_up or '').casefold()}"
    asks_for = [kind for kind, pattern in SPECIFICS_PATTERNS.items() if pattern.search(lowered)]
    return FollowUpScore(
        refers=bool(shared),
        shared_words=shared,
        asks_for=asks_for,
        is_question=(follow_up or "").strip().endswith("?"),
        repeat_similarity=tx.jaccard(follow_stems, question_stems) if follow_stems or question_stems else 0.0,
    )


# --- diversity -------------------------------------------------------------------------------------

NEAR_DUPLICATE_JACCARD = 0.8


def distinct_n(texts: Iterable[str], n: int) -> float | None:
    """Unique n-grams / all n-grams over a corpus (Li et al., 2016); ``None`` for no n-grams."""
    seen: set[tuple[str, ...]] = set()
    total = 0
    for text in texts:
        toks = tx.tokens(text)
        for i in range(len(toks) - n + 1):
            seen.add(tuple(toks[i : i + n]))
            total += 1
    return len(seen) / total if total else None


def near_duplicate_rate(texts: list[str], threshold: float = NEAR_DUPLICATE_JACCARD) -> float | None:
    """Share of texts that have another text with token-set Jaccard >= ``threshold`` (exact repeats included).

    Pairs whose set sizes differ too much to reach the threshold are never compared, which keeps
    a few thousand questions fast.
    """
    sets = [frozenset(tx.tokens(t)) for t in texts]
    if not sets:
        return None
    order = sorted(range(len(sets)), key=lambda i: len(sets[i]))
    duplicate = [False] * len(sets)
    for a_pos, a in enumerate(order):
        size_a = len(sets[a])
        for b in order[a_pos + 1 :]:
            size_b = len(sets[b])
            if size_a < threshold * size_b:
                break
            if tx.jaccard(sets[a], sets[b]) >= threshold:
                duplicate[a] = duplicate[b] = True
    return sum(duplicate) / len(sets)


def diversity(texts: list[str]) -> dict[str, float | None]:
    return {
        "distinct_1": distinct_n(texts, 1),
        "distinct_2": distinct_n(texts, 2),
        "near_duplicate_rate": near_duplicate_rate(texts),
    }
