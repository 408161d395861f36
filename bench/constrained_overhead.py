"""Per-token overhead of grammar-constrained decoding for ``parse_resume``, per library, on this CPU.

Greedy decoding with the embedded SmolLM2-135M-Instruct on a parse prompt (``ml.tasks.parse_resume_input``
through ``Engine.prompt_ids``), unconstrained versus each library that is installed, runs alternated
so machine noise hits all of them alike. Also: the one-time compile cost per tokenizer, and a loop case
(a forced answer prefix that repeats one skill) with and without list-item de-duplication.

    python bench/constrained_overhead.py                       # 200 tokens, 3 rounds
    python bench/constrained_overhead.py --quick --json out.json
    python bench/constrained_overhead.py --libs llguidance,xgrammar

The candidate libraries are optional (``pip install llguidance xgrammar outlines lm-format-enforcer``);
missing ones are reported as such. JSON output carries ``speedup``: the best other library's ms/token
over griller's path (llguidance grammar + de-dup + closing), both constrained.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
from transformers import LogitsProcessor

from ml.base_model import load_base_model
from ml.inference.constrained import (
    ITEM_SEPARATOR,
    KEY_SEPARATOR,
    compile_parse_grammar,
    generation_schema,
    parse_resume_processors,
)
from ml.inference.engine import DEFAULT_MAX_NEW_TOKENS, Engine
from ml.schema import ParsedResume
from ml.tasks import parse_resume_input

DEFAULT_LIMIT = DEFAULT_MAX_NEW_TOKENS["parse_resume"]

RESUME = """Jane Doe
jane.doe@example.com | +1 415 555 0100 | San Francisco, CA | linkedin.com/in/janedoe | github.com/janedoe

SUMMARY
Backend engineer with 7 years building low-latency data services in Python and Go.

EXPERIENCE
Senior Software Engineer, Acme Corp, San Francisco, CA        Mar 2021 - Present
- Cut p95 latency of the pricing API 40% by adding a Redis read-through cache.
- Led the migration of 30 services from VMs to Kubernetes with zero downtime.
Software Engineer, Globex, Remote        Jun 2017 - Feb 2021
- Built the event pipeline (Kafka, Flink) processing 2B events per day.

EDUCATION
BSc Computer Science, University of Lisbon, 2013 - 2017. GPA 3.8

PROJECTS
pgwatch-lite: a small PostgreSQL monitoring agent (Go, Prometheus).

SKILLS
Python, Go, SQL, PostgreSQL, Redis, Kafka, Flink, Kubernetes, Docker, Terraform, AWS, GCP

LANGUAGES
English, Portuguese
"""

LOOP_PREFIX = (
    '{"name": "Jane Doe", "email": "jane.doe@example.com", "phone": null, "location": "San Francisco, CA", '
    '"links": [], "summary": null, "experience": [], "education": [], "projects": [], '
    '"skills": ["Python", "Python", "Python", "Python", "Python", "Python'
)
"""A forced answer start that makes greedy decoding repeat one skill (SmolLM2 continues the pattern)."""


REFERENCE = ParsedResume.model_validate(
    {
        "name": "Jane Doe",
        "email": "jane.doe@example.com",
        "phone": "+1 415 555 0100",
        "location": "San Francisco, CA",
        "links": ["linkedin.com/in/janedoe", "github.com/janedoe"],
        "summary": "Backend engineer with 7 years building low-latency data services in Python and Go.",
        "experience": [
            {
                "company": "Acme Corp",
                "title": "Senior Software Engineer",
                "start_date": "2021-03",
                "end_date": "present",
                "location": "San Francisco, CA",
                "highlights": [
                    "Cut p95 latency of the pricing API 40% by adding a Redis read-through cache.",
                    "Led the migration of 30 services from VMs to Kubernetes with zero downtime.",
                ],
            },
            {
                "company": "Globex",
                "title": "Software Engineer",
                "start_date": "2017-06",
                "end_date": "2021-02",
                "location": "Remote",
                "highlights": ["Built the event pipeline (Kafka, Flink) processing 2B events per day."],
            },
        ],
        "education": [
            {
                "institution": "University of Lisbon",
                "degree": "BSc",
                "field": "Computer Science",
                "start_date": "2013",
                "end_date": "2017",
                "gpa": "3.8",
            }
        ],
        "projects": [
            {
                "name": "pgwatch-lite",
                "description": "a small PostgreSQL monitoring agent",
                "technologies": ["Go", "Prometheus"],
            }
        ],
        "skills": [
            "Python",
            "Go",
            "SQL",
            "PostgreSQL",
            "Redis",
            "Kafka",
            "Flink",
            "Kubernetes",
            "Docker",
            "Terraform",
            "AWS",
            "GCP",
        ],
        "certifications": [],
        "languages": ["English", "Portuguese"],
    }
).to_json()
"""The right answer for RESUME, as trained (``to_json``): replayed token by token to time the processors alone."""


class Timed(LogitsProcessor):
    """Wraps a logits processor and adds up the time spent in it."""

    def __init__(self, inner: Callable, clock: list[float]) -> None:
        self.inner, self.clock = inner, clock

    def __call__(self, input_ids, scores):
        started = time.perf_counter()
        out = self.inner(input_ids, scores)
        self.clock[0] += time.perf_counter() - started
        return out


@dataclass
class Library:
    name: str
    compile: Callable[[], Callable[[], list]]  # returns a factory of fresh processors
    note: str = ""
    compile_seconds: float = 0.0
    generate: bool = True  # also time it inside model.generate (besides the replay)
    error: str | None = None
    replay: dict = field(default_factory=dict)
    runs: list[dict] = field(default_factory=list)


def _llguidance(model, tokenizer, mode: str) -> Callable[[], list]:
    vocab = model.config.vocab_size
    compile_parse_grammar(tokenizer, vocab)  # timed by the caller: the first call compiles, later ones hit the cache
    if mode == "full":  # what Engine.generate uses (closing only in the last tokens of the 1536 budget)
        return lambda: parse_resume_processors(tokenizer, DEFAULT_LIMIT, vocab_size=vocab)
    if mode == "closing":  # closing on at every step: its worst-case cost
        return lambda: parse_resume_processors(tokenizer, 0, vocab_size=vocab)
    return lambda: parse_resume_processors(
        tokenizer, close_runaway_lists=False, close_repeating_values=False, vocab_size=vocab
    )


def _xgrammar(model, tokenizer) -> Callable[[], list]:
    import xgrammar as xgr
    import xgrammar.contrib.hf

    info = xgr.TokenizerInfo.from_huggingface(tokenizer, vocab_size=model.config.vocab_size)
    compiled = xgr.GrammarCompiler(info).compile_json_schema(
        json.dumps(generation_schema()),
        any_whitespace=False,
        separators=(ITEM_SEPARATOR, KEY_SEPARATOR),
        strict_mode=True,
    )
    return lambda: [xgrammar.contrib.hf.LogitsProcessor(compiled)]


def _outlines(model, tokenizer) -> Callable[[], list]:
    import outlines
    from outlines.backends.outlines_core import OutlinesCoreBackend, OutlinesCoreLogitsProcessor
    from outlines_core import Index
    from outlines_core.json_schema import build_regex_from_schema

    backend = OutlinesCoreBackend(outlines.from_transformers(model, tokenizer))
    # No maxItems: outlines_core turns the schema into one regex, and {0,100} repetitions explode its DFA.
    # Whitespace " ?" admits the ", " / ": " separators of the training target and nothing longer.
    regex = build_regex_from_schema(json.dumps(generation_schema({})), whitespace_pattern=" ?")
    index = Index(regex, backend.vocabulary)
    return lambda: [OutlinesCoreLogitsProcessor(index, backend.tensor_library_name)]


def _lmfe(model, tokenizer) -> Callable[[], list]:
    import sys

    import transformers.tokenization_utils_base

    # lm-format-enforcer 0.11.3 imports transformers.tokenization_utils, gone in transformers 5: alias it.
    sys.modules.setdefault("transformers.tokenization_utils", transformers.tokenization_utils_base)
    from lmformatenforcer import JsonSchemaParser
    from lmformatenforcer.integrations.transformers import (
        build_token_enforcer_tokenizer_data,
        build_transformers_prefix_allowed_tokens_fn,
    )
    from transformers.generation.logits_process import PrefixConstrainedLogitsProcessor

    data = build_token_enforcer_tokenizer_data(tokenizer, vocab_size=model.config.vocab_size)
    schema = generation_schema()

    def factory():
        fn = build_transformers_prefix_allowed_tokens_fn(data, JsonSchemaParser(schema))
        return [PrefixConstrainedLogitsProcessor(fn, num_beams=1)]

    return factory


def replay(tokenizer, inputs, factory: Callable[[], list], vocab: int, check: bool = True) -> dict:
    """Feed REFERENCE token by token through fresh processors (no model): their own cost per token.

    ``check``: stop at the first reference token the processors forbid (off for the closing row,
    which narrows the choice on purpose).
    """
    target = tokenizer(REFERENCE, add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id]
    prompt_length = inputs["input_ids"].shape[1]
    full = torch.cat([inputs["input_ids"], torch.tensor([target])], dim=1)
    zeros = np.zeros((1, vocab), dtype=np.float32)
    processors = factory()
    seconds, accepted = 0.0, True
    for step, token in enumerate(target):
        scores = torch.from_numpy(zeros.copy())
        ids = full[:, : prompt_length + step]
        started = time.perf_counter()
        for processor in processors:
            scores = processor(ids, scores)
        seconds += time.perf_counter() - started
        if not torch.isfinite(scores[0, token]):
            accepted = False
            if check:
                break
    return {"tokens": step + 1, "us_per_token": 1e6 * seconds / (step + 1), "accepts_reference": accepted}


def _generate(model, tokenizer, inputs, max_new_tokens: int, processors) -> tuple[dict, list[int]]:
    clock = [0.0]
    wrapped = [Timed(p, clock) for p in processors] if processors else None
    started = time.perf_counter()
    with torch.inference_mode():
        out = model.generate(
            **inputs,
            max_new_tokens=max_new_tokens,
            do_sample=False,
            pad_token_id=tokenizer.pad_token_id,
            eos_token_id=tokenizer.eos_token_id,
            logits_processor=wrapped,
        )
    seconds = time.perf_counter() - started
    new = out[0, inputs["input_ids"].shape[1] :].tolist()
    text = tokenizer.decode(new, skip_special_tokens=True).strip()
    try:
        ParsedResume.model_validate_json(text)
        valid = True
    except ValueError:
        valid = False
    n = max(len(new), 1)
    return {
        "tokens": len(new),
        "ms_per_token": 1000 * seconds / n,
        "processor_ms_per_token": 1000 * clock[0] / n,
        "valid": valid,
    }, new


def overhead(model, tokenizer, libraries: list[Library], max_new_tokens: int, rounds: int) -> dict:
    engine = Engine(model, tokenizer, name="smollm2-135m-instruct", fine_tuned=False)
    inputs = engine.prompt_ids("parse_resume", parse_resume_input(RESUME))
    factories: dict[str, Callable[[], list]] = {}
    for lib in libraries:
        started = time.perf_counter()
        try:
            factories[lib.name] = lib.compile()
        except Exception as error:  # a library that is missing or fails is reported, not fatal
            lib.error = f"{type(error).__name__}: {error}"[:300]
        lib.compile_seconds = time.perf_counter() - started
        if lib.name in factories:
            try:
                check = lib.name != "llguidance closing always"
                lib.replay = replay(tokenizer, inputs, factories[lib.name], model.config.vocab_size, check)
            except Exception as error:
                lib.error = f"{type(error).__name__}: {error}"[:300]
                factories.pop(lib.name)
    _generate(model, tokenizer, inputs, 8, None)  # warm-up
    baseline: list[dict] = []
    for _ in range(rounds):
        baseline.append(_generate(model, tokenizer, inputs, max_new_tokens, None)[0])
        for lib in libraries:
            if lib.name in factories and lib.generate:
                try:
                    lib.runs.append(_generate(model, tokenizer, inputs, max_new_tokens, factories[lib.name]())[0])
                except Exception as error:
                    lib.error = f"{type(error).__name__}: {error}"[:300]
                    factories.pop(lib.name)
    return {"prompt_tokens": int(inputs["input_ids"].shape[1]), "baseline": baseline}


def loop_case(model, tokenizer, max_new_tokens: int) -> list[dict]:
    """Greedy continuation of LOOP_PREFIX: unconstrained, grammar only, grammar + de-dup, + closing."""
    engine = Engine(model, tokenizer, name="smollm2-135m-instruct", fine_tuned=False)
    prompt = engine.prompt_ids("parse_resume", parse_resume_input(RESUME))
    prefix = tokenizer(LOOP_PREFIX, add_special_tokens=False)["input_ids"]
    ids = torch.cat([prompt["input_ids"], torch.tensor([prefix])], dim=1)
    inputs = {"input_ids": ids, "attention_mask": torch.ones_like(ids)}
    rows = []
    for label, processors in (
        ("unconstrained", None),
        (
            "grammar only",
            lambda: parse_resume_processors(
                tokenizer, close_runaway_lists=False, close_repeating_values=False, prefix_ids=prefix
            ),
        ),
        ("grammar + de-dup", lambda: parse_resume_processors(tokenizer, prefix_ids=prefix)),
        ("+ closing", lambda: parse_resume_processors(tokenizer, max_new_tokens, prefix_ids=prefix)),
    ):
        result, new = _generate(model, tokenizer, inputs, max_new_tokens, processors() if processors else None)
        text = LOOP_PREFIX + tokenizer.decode(new, skip_special_tokens=True)
        rows.append(
            {
                "case": label,
                "tokens": result["tokens"],
                "python_items": text.count('"Python"'),
                "reached_languages": '"languages"' in text,
                "valid": _valid(text),
                "tail": text[len(LOOP_PREFIX) - 10 :][:400],
            }
        )
    return rows


def _valid(text: str) -> bool:
    try:
        ParsedResume.model_validate_json(text)
        return True
    except ValueError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="64 tokens, 1 round")
    parser.add_argument("--tokens", type=int, default=None, help="max new tokens (default 200; --quick 64)")
    parser.add_argument("--rounds", type=int, default=None, help="alternated rounds (default 3; --quick 1)")
    parser.add_argument("--libs", default="llguidance,xgrammar,outlines,lm-format-enforcer")
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's)")
    parser.add_argument("--json", dest="json_path", default=None, help="write results as JSON here")
    args = parser.parse_args()
    max_new_tokens = args.tokens or (64 if args.quick else 200)
    rounds = args.rounds or (1 if args.quick else 3)
    if args.threads:
        torch.set_num_threads(args.threads)

    started = time.perf_counter()
    model, tokenizer = load_base_model("smollm2-135m-instruct")
    model.eval()
    load_seconds = time.perf_counter() - started

    builders = {
        "llguidance": lambda: _llguidance(model, tokenizer, "full"),
        "llguidance grammar only": lambda: _llguidance(model, tokenizer, "grammar"),
        "llguidance closing always": lambda: _llguidance(model, tokenizer, "closing"),
        "xgrammar": lambda: _xgrammar(model, tokenizer),
        "outlines": lambda: _outlines(model, tokenizer),
        "lm-format-enforcer": lambda: _lmfe(model, tokenizer),
    }
    wanted = [name.strip() for name in args.libs.split(",") if name.strip()]
    if "llguidance" in wanted:
        at = wanted.index("llguidance") + 1
        wanted[at:at] = ["llguidance grammar only", "llguidance closing always"]
    libraries = [Library(name, builders[name], generate=name != "llguidance closing always") for name in wanted]
    result = overhead(model, tokenizer, libraries, max_new_tokens, rounds)
    loops = loop_case(model, tokenizer, 120 if args.quick else 200)

    base_ms = statistics.median(r["ms_per_token"] for r in result["baseline"])
    table = []
    for lib in libraries:
        row = {"library": lib.name, "compile_s": round(lib.compile_seconds, 3), "error": lib.error}
        if lib.replay:
            row |= {
                "replay_us_per_token": round(lib.replay["us_per_token"], 1),
                "accepts_reference": lib.replay["accepts_reference"],
            }
        if lib.runs:
            ms = statistics.median(r["ms_per_token"] for r in lib.runs)
            row |= {
                "ms_per_token": round(ms, 2),
                "overhead_ms_per_token": round(ms - base_ms, 2),
                "processor_ms_per_token": round(statistics.median(r["processor_ms_per_token"] for r in lib.runs), 3),
                "tokens": lib.runs[-1]["tokens"],
                "valid_json": all(r["valid"] for r in lib.runs),
            }
        table.append(row)
    ours = next((r for r in table if r["library"] == "llguidance" and "replay_us_per_token" in r), None)
    others = [r for r in table if not r["library"].startswith("llguidance") and "replay_us_per_token" in r]
    speedup = (
        round(min(r["replay_us_per_token"] for r in others) / ours["replay_us_per_token"], 2)
        if ours and others
        else None
    )
    report = {
        "model": "smollm2-135m-instruct",
        "threads": torch.get_num_threads(),
        "max_new_tokens": max_new_tokens,
        "rounds": rounds,
        "model_load_s": round(load_seconds, 2),
        "prompt_tokens": result["prompt_tokens"],
        "reference_tokens": len(tokenizer(REFERENCE, add_special_tokens=False)["input_ids"]) + 1,
        "unconstrained_ms_per_token": round(base_ms, 2),
        "unconstrained_tokens": result["baseline"][-1]["tokens"],
        "libraries": table,
        "loop_case": loops,
        "speedup": speedup,
        "speedup_means": "best other library's processor time per token / llguidance's (griller's path), replay",
    }
    if args.json_path:
        with open(args.json_path, "w", encoding="utf-8") as handle:
            json.dump(report, handle, indent=2)

    print("\nloop case (forced prefix repeating one skill):")
    for row in loops:
        print(
            f'  {row["case"]:<18} tokens={row["tokens"]:<4} "Python" items={row["python_items"]:<4} '
            f"reached languages={row['reached_languages']!s:<5} valid={row['valid']}"
        )
    print(
        f"\nSmolLM2-135M greedy: up to {max_new_tokens} new tokens after a {result['prompt_tokens']}-token prompt, "
        f"{rounds} alternated round(s), {torch.get_num_threads()} torch thread(s); replay = processors alone on the "
        f"{report['reference_tokens']}-token reference answer"
    )
    header = f"{'library':<26}{'compile s':>10}{'replay us/t':>12}{'ms/token':>10}{'overhead':>10}{'proc ms/t':>10}"
    print(header + f"{'tokens':>8}  valid")
    print(
        f"{'unconstrained':<26}{'-':>10}{'-':>12}{base_ms:>10.2f}{'-':>10}{'-':>10}{result['baseline'][-1]['tokens']:>8}"
    )
    for row in table:
        if "replay_us_per_token" not in row:
            print(f"{row['library']:<26}{row['compile_s']:>10.3f}  unavailable: {row['error']}")
            continue
        line = f"{row['library']:<26}{row['compile_s']:>10.3f}{row['replay_us_per_token']:>12.1f}"
        if "ms_per_token" in row:
            line += (
                f"{row['ms_per_token']:>10.2f}{row['overhead_ms_per_token']:>10.2f}"
                f"{row['processor_ms_per_token']:>10.3f}{row['tokens']:>8}  {row['valid_json']}"
            )
        if not row["accepts_reference"]:
            line += "  (narrows on purpose)" if "closing" in row["library"] else "  (REJECTS the reference answer)"
        print(line)
    print(f"speedup (best other library's replay us/token over llguidance's): {speedup}")


if __name__ == "__main__":
    main()
