"""Build the processed dataset: ``{train,val,test,test_heldout}.jsonl``, ``stats.json`` and a dataset card.

    griller data build                                  # defaults from ml/configs/data_config.yaml
    griller data build --out /tmp/ds --num-resumes 200 --seed 1 --json

Sources, in order: synthetic resumes (ground truth by construction), real resumes in
``ml/data/resumes`` that have a teacher label in the cache (``griller data label``: the parse
label, and the teacher's questions and follow-ups where labelled), and real interview Q&A in
``ml/data/interview_qa`` (follow-up examples, train only). Every example of a resume goes to
the split of that resume, so no resume is in two splits; the held-out split holds resumes
whose layout or occupation (both chosen in the config) never occurs in train/val/test. Files
are streamed to disk (bounded memory) and renamed into place at the end. Token statistics
count the task's chat, as training templates it, with the embedded base model's tokenizer.
"""

from __future__ import annotations

import json
import math
import os
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ml import tasks
from ml.base_model import (
    DEFAULT_BASE_MODEL,
    EMBEDDED_ALIASES,
    BaseModelError,
    embedded_cache_dir,
    embedded_gguf_path,
    load_tokenizer,
)
from ml.paths import PROCESSED_DIR, REPO_ROOT
from ml.preprocessing import questions as Q
from ml.preprocessing.clean import Deduplicator, clean_text, content_hash
from ml.preprocessing.config import BuildError, DataConfig, load_data_config
from ml.preprocessing.ingest import IngestReport, QAPair, iter_qa_folder, iter_resume_folder
from ml.preprocessing.synthetic.content import OCCUPATION_KEYS
from ml.preprocessing.synthetic.generate import generate_resume
from ml.preprocessing.synthetic.render import LAYOUTS
from ml.preprocessing.teacher import DEFAULT_CACHE, QuestionLabel, qa_key, read_cache, read_question_labels
from ml.schema import ParsedResume
from ml.text import resume_language
from ml.topics import topic_of_question

SPLITS = ("train", "val", "test", "test_heldout")


# --- examples -----------------------------------------------------------------------------------


def _ids(meta: dict[str, Any]) -> dict[str, Any]:
    keys = ("resume_id", "source", "occupation", "layout", "seniority", "locale", "language")
    return {k: meta.get(k) for k in keys}


def parse_example(text: str, truth: ParsedResume, meta: dict[str, Any]) -> dict[str, Any]:
    return {
        "input": tasks.parse_resume_input(text),
        "output": truth.to_json(),
        "task": tasks.TaskName.PARSE_RESUME.value,
        "meta": {**_ids(meta), "resume": truth.model_dump(mode="json"), "text": text},
    }


def question_example(
    truth: ParsedResume,
    tone: str,
    question: str,
    meta: dict[str, Any],
    entities: list[str],
    grounded_in: str | None,
) -> dict[str, Any]:
    return {
        "input": tasks.interview_question_input(truth, tone, topic=topic_of_question(truth, question)),
        "output": question,
        "task": tasks.TaskName.INTERVIEW_QUESTION.value,
        "tone": tone,
        # the prompt carries one part of the resume; evaluation reads the whole resume (entities, roles) from the brief
        "meta": {**_ids(meta), "entities": entities, "grounded_in": grounded_in, "brief": tasks.resume_brief(truth)},
    }


def follow_up_example(
    truth: ParsedResume,
    question: str,
    answer: str,
    follow: str,
    kind: str,
    vague_part: str | None,
    meta: dict[str, Any],
    entities: list[str],
) -> dict[str, Any]:
    return {
        "input": tasks.follow_up_input(truth, question, answer),
        "output": follow,
        "task": tasks.TaskName.FOLLOW_UP.value,
        "meta": {
            **_ids(meta),
            "question": question,
            "answer": answer,
            "answer_kind": kind,
            "vague_part": vague_part,
            "entities": entities,
        },
    }


def _count(rate: float, rng: random.Random) -> int:
    whole = int(rate)
    return whole + (1 if rng.random() < rate - whole else 0)


def examples_for_resume(
    text: str, truth: ParsedResume, meta: dict[str, Any], config: DataConfig, rng: random.Random
) -> list[dict[str, Any]]:
    """One parse example plus question and follow-up examples at the configured mix."""
    mix = config.task_mix
    out = [parse_example(text, truth, meta)]
    entities = Q.entities_of(truth)
    n_q = _count(mix.get("interview_question", 0) / mix["parse_resume"], rng)
    n_f = _count(mix.get("follow_up", 0) / mix["parse_resume"], rng)
    english = meta.get("language", "en") == "en"
    for item in Q.make_questions(truth, rng, n_q, english_highlights=english):
        out.append(question_example(truth, item.tone, item.question, meta, entities, item.target.entity))
    for fu in Q.make_follow_ups(truth, rng, n_f, vague_share=config.vague_share, english_highlights=english):
        out.append(
            follow_up_example(
                truth, fu.question, fu.answer, fu.follow_up, fu.answer_kind, fu.vague_part, meta, entities
            )
        )
    for example in out[1:]:
        if tasks.one_question(example["output"]) != example["output"] or not example["output"].endswith("?"):
            raise AssertionError(f"not exactly one question: {example['output']!r}")
    return out


# --- real data ----------------------------------------------------------------------------------


def _resolve(path: str | Path | None) -> Path | None:
    if path is None:
        return None
    path = Path(path)
    return path if path.is_absolute() else REPO_ROOT / path


def teacher_example(
    truth: ParsedResume, label: QuestionLabel, meta: dict[str, Any], entities: list[str]
) -> dict[str, Any]:
    """A cached teacher question or follow-up (``griller data label``) as an example of its task."""
    if label.task == tasks.TaskName.INTERVIEW_QUESTION:
        assert label.tone is not None  # QuestionLabel validates it
        example = question_example(truth, label.tone.value, label.label, meta, entities, None)
    else:
        assert label.question is not None and label.answer is not None and label.answer_kind is not None
        example = follow_up_example(
            truth, label.question, label.answer, label.label, label.answer_kind, label.vague_part, meta, entities
        )
    example["meta"]["labeller"] = "teacher"
    return example


def real_resume_examples(
    text: str,
    truth: ParsedResume,
    meta: dict[str, Any],
    labels: list[QuestionLabel],
    config: DataConfig,
    rng: random.Random,
) -> list[dict[str, Any]]:
    """A teacher-parsed resume: its parse example, then the teacher's questions and follow-ups; a task the
    teacher has not labelled for this resume gets template examples instead (``meta.labeller`` says which)."""
    examples = examples_for_resume(text, truth, meta, config, rng)
    taught = {label.task for label in labels}
    kept = [examples[0]] + [ex for ex in examples[1:] if ex["task"] not in taught]
    for example in kept[1:]:
        example["meta"]["labeller"] = "template"
    entities = Q.entities_of(truth)
    return kept + [teacher_example(truth, label, meta, entities) for label in labels]


def qa_example(
    pair: QAPair, labels: list[QuestionLabel], excluded_occupations: Sequence[str], rng: random.Random
) -> dict[str, Any]:
    """An imported Q&A pair as a follow-up example. With a teacher label the target is the teacher's
    follow-up, asked against the resume stored with it; otherwise a rule-based follow-up
    (:func:`ml.preprocessing.questions.imported_follow_up`) against :func:`~ml.preprocessing.questions.qa_resume`."""
    key = qa_key(pair)
    meta: dict[str, Any] = {"resume_id": f"qa-{key[3:15]}", "source": "real", "layout": None}
    taught = next((x for x in labels if x.resume and x.occupation not in excluded_occupations), None)
    if taught is not None and taught.resume is not None and taught.answer_kind is not None:
        truth, meta["occupation"], labeller = taught.resume, taught.occupation, "teacher"
        kind, follow, vague_part = taught.answer_kind, taught.label, taught.vague_part
    else:
        resume = Q.qa_resume(pair, excluded_occupations)
        truth, meta["occupation"], labeller = resume.truth, resume.meta["occupation"], "rule"
        kind, follow, vague_part = Q.imported_follow_up(pair.question, pair.answer, rng)
    example = follow_up_example(truth, pair.question, pair.answer, follow, kind, vague_part, meta, Q.entities_of(truth))
    example["meta"] |= {"labeller": labeller, "category": pair.category}
    return example


@dataclass
class BuildResult:
    out_dir: str
    counts: dict[str, int]
    stats: dict[str, Any]
    seconds: float
    problems: list[str]


ESTIMATE = "estimate: characters / 4, + 64 for system prompt and chat template"
TEMPLATE_TOKENS_ESTIMATE = 64


@dataclass
class TokenCounter:
    """Token counts as training sees them: the task's chat (system, user, assistant) through the tokenizer's
    chat template. Without a tokenizer, an estimate; ``how`` says which, and why."""

    tokenizer: Any | None = None
    how: str = f"{ESTIMATE} (no tokenizer given)"

    def text(self, text: str) -> int:
        if self.tokenizer is None:
            return math.ceil(len(text) / 4)
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def example(self, ex: dict[str, Any]) -> int:
        if self.tokenizer is None:
            return self.text(ex["input"]) + self.text(ex["output"]) + TEMPLATE_TOKENS_ESTIMATE
        messages = tasks.build_messages(ex["task"], ex["input"], ex["output"])
        chat = self.tokenizer.apply_chat_template(messages, tokenize=False)
        ids = self.tokenizer(chat, add_special_tokens=False)["input_ids"]
        # as ml/training/dataset.py: up to the assistant's end-of-turn token, one added if the template has none
        eos = self.tokenizer.eos_token_id
        return len(ids) - ids[::-1].index(eos) if eos in ids else len(ids) + 1


class _Stats:
    def __init__(self, counter: TokenCounter, max_context: int) -> None:
        self.counter, self.max_context = counter, max_context
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)
        self.lengths: dict[str, list[int]] = defaultdict(list)
        self.over: Counter[str] = Counter()

    def add(self, split: str, ex: dict[str, Any]) -> None:
        meta = ex["meta"]
        c = self.counts
        c[f"{split}/task"][ex["task"]] += 1
        c["all/task"][ex["task"]] += 1
        if ex.get("tone"):
            c["all/tone"][ex["tone"]] += 1
        c["all/source"][meta.get("source") or "?"] += 1
        if ex["task"] == "parse_resume":
            c[f"{split}/occupation"][meta.get("occupation") or "?"] += 1
            c[f"{split}/layout"][meta.get("layout") or "?"] += 1
            c["all/seniority"][meta.get("seniority") or "?"] += 1
            c["all/locale"][meta.get("locale") or "?"] += 1
        if ex["task"] == "follow_up":
            c["all/answer_kind"][meta["answer_kind"]] += 1
        total = self.counter.example(ex)
        self.lengths[ex["task"]].append(total)
        if ex["task"] == "parse_resume":
            self.lengths["parse_resume/output"].append(self.counter.text(ex["output"]))
        if total > self.max_context:
            self.over[ex["task"]] += 1

    def report(self) -> dict[str, Any]:
        def pct(values: list[int]) -> dict[str, int]:
            s = sorted(values)
            return {f"p{q}": s[min(len(s) - 1, int(len(s) * q / 100))] for q in (10, 50, 90, 99)} | {"max": s[-1]}

        return {
            "counts": {k: dict(sorted(v.items())) for k, v in sorted(self.counts.items())},
            "token_lengths": {k: pct(v) for k, v in sorted(self.lengths.items()) if v},
            "token_counter": self.counter.how,
            "max_context_tokens": self.max_context,
            "exceeding_max_context": dict(self.over),
        }


def _split_of(index: int, ratios: dict[str, float], order: list[int]) -> str:
    """Deterministic split by resume from a shuffled position (exact proportions, not per-item coin flips)."""
    position = order[index] / len(order)
    edge = 0.0
    for name in ("train", "val", "test"):
        edge += ratios[name]
        if position < edge:
            return name
    return "train"


def build_dataset(
    out_dir: Path = PROCESSED_DIR,
    config: DataConfig | None = None,
    *,
    counter: TokenCounter | None = None,
    include_real: bool = True,
    progress: Callable[[str, int, int], None] | None = None,
) -> BuildResult:
    """Write the dataset to ``out_dir``; returns counts and the stats written to ``stats.json``.

    ``counter`` counts tokens for the stats (default: the characters / 4 estimate; :func:`token_counter`
    gives the base model's tokenizer)."""
    config = config or load_data_config()
    started = time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"build:{config.seed}")
    stats = _Stats(counter or TokenCounter(), config.max_context_tokens)
    counts: Counter[str] = Counter()
    problems: list[str] = []
    handles = {name: (out_dir / f".{name}.jsonl.tmp").open("w", encoding="utf-8") for name in SPLITS}
    resume_split: dict[str, str] = {}

    def write(split: str, examples: list[dict[str, Any]]) -> None:
        for ex in examples:
            handles[split].write(json.dumps(ex, ensure_ascii=False) + "\n")
            counts[split] += 1
            stats.add(split, ex)

    try:
        held_layouts = list(config.heldout.get("layouts", []))
        held_occ = list(config.heldout.get("occupations", []))
        n_held = (
            round(config.num_resumes * float(config.heldout.get("fraction", 0))) if (held_layouts or held_occ) else 0
        )
        n_main = config.num_resumes - n_held
        seen_layouts = [x for x in LAYOUTS if x not in held_layouts]
        seen_occ = [x for x in OCCUPATION_KEYS if x not in held_occ]
        order = list(range(n_main))
        random.Random(f"split:{config.seed}").shuffle(order)
        seen_hashes: set[str] = set()
        # synthetic, main splits
        for index in range(n_main):
            item = generate_resume(config.seed, index, layouts=seen_layouts, occupations=seen_occ)
            digest = content_hash(item.text)
            if digest in seen_hashes:
                counts["duplicates_dropped"] += 1
                continue
            seen_hashes.add(digest)
            split = _split_of(index, config.splits, order)
            resume_split[item.meta["resume_id"]] = split
            write(split, examples_for_resume(item.text, item.truth, item.meta, config, rng))
            if progress and (index + 1) % 100 == 0:
                progress("synthetic", index + 1, config.num_resumes)
        # synthetic, held out: a held-out layout, a held-out occupation, or both
        for k in range(n_held):
            index = n_main + k
            mode = k % 3
            layouts = held_layouts if (mode in (0, 2) and held_layouts) or not held_occ else seen_layouts
            occupations = held_occ if (mode in (1, 2) and held_occ) or not held_layouts else seen_occ
            item = generate_resume(config.seed, index, layouts=layouts, occupations=occupations)
            item.meta["heldout"] = [
                x
                for x, on in (
                    ("layout", item.meta["layout"] in held_layouts),
                    ("occupation", item.meta["occupation"] in held_occ),
                )
                if on
            ]
            resume_split[item.meta["resume_id"]] = "test_heldout"
            write("test_heldout", examples_for_resume(item.text, item.truth, item.meta, config, rng))
        if progress:
            progress("synthetic", config.num_resumes, config.num_resumes)
        if include_real:
            _add_real(config, rng, write, counts, problems)
    finally:
        for handle in handles.values():
            handle.close()
    for name in SPLITS:
        os.replace(out_dir / f".{name}.jsonl.tmp", out_dir / f"{name}.jsonl")
    report = stats.report()
    report["files"] = {name: counts[name] for name in SPLITS}
    report["resumes"] = dict(Counter(resume_split.values()))
    report["heldout"] = {
        "layouts": config.heldout.get("layouts", []),
        "occupations": config.heldout.get("occupations", []),
    }
    report["config"] = {k: getattr(config, k) for k in DataConfig.__dataclass_fields__}
    report["duplicates_dropped"] = counts["duplicates_dropped"]
    report["real"] = {k: counts[k] for k in REAL_COUNTS}
    report["problems"] = problems[:50]
    seconds = time.perf_counter() - started
    report["seconds"] = round(seconds, 1)
    (out_dir / "stats.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out_dir / "README.md").write_text(dataset_card(report), encoding="utf-8")
    return BuildResult(str(out_dir), {name: counts[name] for name in SPLITS}, report, seconds, problems)


REAL_COUNTS = (
    "real_resumes_labelled",
    "real_resumes_unlabelled",
    "real_near_duplicates",
    "real_teacher_question_examples",
    "real_qa_examples",
    "real_qa_teacher_follow_ups",
)


def _add_real(
    config: DataConfig,
    rng: random.Random,
    write: Callable[[str, list[dict[str, Any]]], None],
    counts: Counter[str],
    problems: list[str],
) -> None:

    real = config.real or {}
    report = IngestReport()
    resumes_dir = _resolve(real.get("resumes_dir"))
    cache = _resolve(real.get("teacher_cache")) or DEFAULT_CACHE
    labels, questions = read_cache(cache), read_question_labels(cache)
    dedup = Deduplicator(threshold=config.dedup_threshold)
    if resumes_dir and resumes_dir.is_dir():
        for doc in iter_resume_folder(resumes_dir, report=report):
            text = clean_text(doc.text)
            if not dedup.add(doc.id, text):
                counts["real_near_duplicates"] += 1
                continue
            full_digest = content_hash(text)
            truth = labels.get(full_digest)
            if truth is None:
                counts["real_resumes_unlabelled"] += 1
                continue
            digest = full_digest[:12]
            meta = {
                "resume_id": f"real-{digest}",
                "source": "teacher",
                "occupation": doc.category or "unknown",
                "layout": "real",
                "seniority": None,
                "locale": None,
                "language": resume_language(text),  # a resume in another language gets no achievement questions
            }
            taught = questions.get(full_digest, [])
            write(_real_split(digest), real_resume_examples(text, truth, meta, taught, config, rng))
            counts["real_resumes_labelled"] += 1
            counts["real_teacher_question_examples"] += len(taught)
    qa_dir = _resolve(real.get("qa_dir"))
    limit = int(real.get("max_qa_examples", 2000))
    held = list(config.heldout.get("occupations", []))
    if qa_dir and qa_dir.is_dir():
        for pair in iter_qa_folder(qa_dir, report=report):
            if counts["real_qa_examples"] >= limit:
                break
            example = qa_example(pair, questions.get(qa_key(pair), []), held, rng)
            write("train", [example])
            counts["real_qa_examples"] += 1
            counts["real_qa_teacher_follow_ups"] += example["meta"]["labeller"] == "teacher"
    problems += report.problems
    if counts["real_resumes_unlabelled"]:
        problems.append(
            f"{counts['real_resumes_unlabelled']} real resumes have no teacher label yet "
            "(run `griller data label`); they were not used"
        )


def _real_split(digest: str) -> str:
    bucket = int(digest, 16) % 20
    return "val" if bucket == 18 else "test" if bucket == 19 else "train"


def dataset_card(report: dict[str, Any]) -> str:
    counts = report["counts"]
    lines = [
        "# resume-griller processed dataset",
        "",
        "Built by `griller data build` (ml/preprocessing/build.py). One JSON object per line: "
        "`input` (the user prompt, built by ml/tasks.py), `output` (the assistant target), `task`, "
        "`tone` (question tasks) and `meta` (resume_id, source, occupation, layout, seniority, locale, and per task "
        "the truth resume and raw text, the entities a question may name, the answer and its vague part).",
        "",
        "## Files",
        "",
        "| file | examples | resumes |",
        "|---|---|---|",
    ]
    for name in SPLITS:
        lines.append(f"| {name}.jsonl | {report['files'].get(name, 0)} | {report['resumes'].get(name, 0)} |")
    lines += [
        "",
        "Splits are by resume: every example of a resume is in one split. `test_heldout.jsonl` holds resumes whose "
        f"layout ({', '.join(report['heldout']['layouts']) or 'none'}) or occupation "
        f"({', '.join(report['heldout']['occupations']) or 'none'}) never occurs in train, val or test.",
        "",
        "## Composition",
        "",
    ]
    for key in (
        "all/task",
        "all/tone",
        "all/source",
        "all/answer_kind",
        "all/seniority",
        "train/layout",
        "train/occupation",
        "all/locale",
    ):
        if key in counts:
            lines.append(f"- **{key}**: " + ", ".join(f"{k} {v}" for k, v in counts[key].items()))
    lines += [
        "",
        f"## Token lengths ({report['token_counter']}; the whole chat: system prompt, input and target)",
        "",
        "| task | p10 | p50 | p90 | p99 | max |",
        "|---|---|---|---|---|---|",
    ]
    for task, p in report["token_lengths"].items():
        lines.append(f"| {task} | {p['p10']} | {p['p50']} | {p['p90']} | {p['p99']} | {p['max']} |")
    lines += [
        "",
        f"Examples longer than {report['max_context_tokens']} tokens: {report['exceeding_max_context'] or 'none'}.",
        "",
        "## How the data is made",
        "",
        "- **Synthetic resumes** (ml/preprocessing/synthetic/): 16 occupations, junior to executive, 14 locales, "
        "13 layout families; the truth is built from the very strings written into the text, so it never holds "
        "what the text does not show. Sections outside the schema (volunteering, awards, interests, publications, "
        "memberships, references, personal details) appear in the text but not in the truth. **Rule: volunteer roles "
        "are not experience** (never in `experience`, `skills` or `certifications`). About 9% of resumes are written "
        "entirely in German, French, Spanish or Portuguese (meta `language`): local headings, month names, "
        "'seit/depuis/desde', 'heute/actualidad'; truth dates stay `YYYY-MM`/`YYYY`/`present`, other values are "
        "copied as written ('Deutsch'). A document title ('Lebenslauf', 'Resume', 'CV') is never the name. "
        "`languages` holds spoken languages only (sometimes a 'Languages:' line inside Skills); programming languages "
        "are skills, skill-group labels are not. About half the resumes have no languages and more than half no "
        "certifications (empty lists). Also: student resumes of 5-10 lines, senior ones with 60-100 skills, contact "
        "details at the bottom or in a side column, promotions (two roles at one employer), self-employment.",
        "- **Questions and follow-ups** (ml/preprocessing/questions.py): grounded in one resume detail each; "
        "follow-ups to vague answers quote the vague part.",
        "- **Real resumes** (ml/data/resumes) join once a teacher has parsed them (`griller data label`; "
        "`meta.source` teacher). Their questions and follow-ups are the teacher's where it wrote them (an HR and "
        "a technical question; follow-ups to a vague and a concrete candidate answer from questions.py), else "
        "template ones; `meta.labeller` says which.",
        "- **Imported Q&A pairs** (ml/data/interview_qa, `meta.source` real) join train only, as follow-up "
        "examples: the pair's own question and answer, a follow-up by the teacher (`meta.labeller` teacher) when "
        "`griller data label` has written one, else by rule (labeller rule: quote the vague part or dig into the "
        "first sentence). A pair carries no resume, so each is asked against a synthetic resume of the occupation "
        "its `category` names (any occupation when none matches; never a held-out one); the resume is context, "
        "not the subject of the follow-up.",
        "",
        "## Limitations",
        "",
        "Synthetic text is template-based; candidate answers are short and formulaic. Measure on real resumes "
        "(teacher-labelled or hand-labelled) before trusting a score on the synthetic test split.",
    ]
    if report.get("problems"):
        lines += ["", "## Problems during the build", ""] + [f"- {p}" for p in report["problems"]]
    return "\n".join(lines) + "\n"


def iter_split(path: Path) -> Iterator[dict[str, Any]]:
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _load_tokenizer_only(spec: str) -> Any:
    """A base model's tokenizer without its weights: the embedded model's from its converted cache when
    present, else from its GGUF file (never converting the model); any other spec through ml.base_model."""
    from transformers import AutoTokenizer  # lazy on purpose: a heavy optional library

    alias = spec.lower()
    if alias not in EMBEDDED_ALIASES:
        return load_tokenizer(spec)
    converted = embedded_cache_dir(alias)
    if (converted / "tokenizer_config.json").is_file():
        return AutoTokenizer.from_pretrained(str(converted), local_files_only=True)
    gguf = embedded_gguf_path(alias)
    return AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)


def token_counter(spec: str | None = None) -> TokenCounter:
    """The token counter of ``griller data build --tokenizer SPEC``.

    ``None``: the embedded base model's tokenizer, or the estimate (saying why) if it cannot load;
    ``"none"``: the estimate; otherwise a base-model alias, model directory, ``.gguf`` file or hub id,
    and a :class:`BuildError` if it cannot load.
    """

    if spec is not None and spec.lower() == "none":
        return TokenCounter(None, f"{ESTIMATE} (--tokenizer none)")
    name = spec or DEFAULT_BASE_MODEL
    try:
        return TokenCounter(_load_tokenizer_only(name), f"tokenizer of {name}, chat template applied")
    except (BaseModelError, ImportError, OSError, ValueError) as error:
        if spec is not None:
            raise BuildError(f"--tokenizer {spec}: cannot load it ({error})") from error
        return TokenCounter(None, f"{ESTIMATE} (the base tokenizer {name} did not load: {str(error)[:200]})")


def run_build(
    out: Path,
    num_resumes: int | None,
    seed: int | None,
    config_path: Path | None = None,
    tokenizer: str | None = None,
    include_real: bool = True,
    console: Any | None = None,
) -> dict[str, Any]:
    """What ``griller data build`` does: build, print a summary to ``console``, return the summary dict."""
    config = load_data_config(config_path, num_resumes=num_resumes, seed=seed)

    def progress(phase: str, done: int, total: int) -> None:
        if console is not None and (done % 500 == 0 or done == total):
            console.print(f"{phase}: {done}/{total} resumes")

    result = build_dataset(out, config, counter=token_counter(tokenizer), include_real=include_real, progress=progress)
    stats = result.stats
    summary = {
        "out": result.out_dir,
        "files": result.counts,
        "resumes": stats["resumes"],
        "tasks": stats["counts"].get("all/task", {}),
        "tones": stats["counts"].get("all/tone", {}),
        "token_lengths": stats["token_lengths"],
        "token_counter": stats["token_counter"],
        "exceeding_max_context": stats["exceeding_max_context"],
        "real": stats["real"],
        "seconds": round(result.seconds, 1),
        "problems": result.problems[:20],
    }
    if console is not None:
        from rich.markup import escape

        out = escape(str(result.out_dir))
        console.print(f"wrote {sum(result.counts.values())} examples to {out} in {result.seconds:.1f}s")
        for name, n in result.counts.items():
            console.print(f"  {name}.jsonl: {n} examples, {stats['resumes'].get(name, 0)} resumes")
        console.print(f"  tasks: {summary['tasks']}  tones: {summary['tones']}")
        console.print(f"  token lengths ({stats['token_counter']}):")
        for task, p in stats["token_lengths"].items():
            console.print(f"    {task}: p50 {p['p50']}, p90 {p['p90']}, max {p['max']}")
        console.print(f"  over {config.max_context_tokens} tokens: {stats['exceeding_max_context'] or 'none'}")
        for problem in result.problems[:20]:
            console.print(f"  [yellow]{escape(problem)}[/yellow]")
        console.print(f"  stats: {out}/stats.json, card: {out}/README.md")
    return summary
