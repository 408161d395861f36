"""Parse latency: plain Hugging Face ``generate`` vs the griller engine, on the same resumes and adapter.

    python bench/infer_latency.py --quick --json logs/bench/infer_quick.json
    python bench/infer_latency.py -n 20 --json logs/bench/infer_latency.json
    python bench/infer_latency.py -n 6 --sides baseline,no_lookup,transformers     # one lever at a time

Sides (same fine-tuned adapter, same chat-template prompt, greedy, same token limit):

* **baseline**: what the seed does: base model + ``PeftModel`` adapter (not merged), fp32,
  ``model.generate`` unconstrained; the output is parsed with ``json.loads`` as is.
* **griller**: the engine as ``griller parse`` runs it by default (``load_engine``, backend ``auto``: llama.cpp
  on CPU where the ``[llama]`` extra is installed, else transformers; the JSON names the one it took).
* **transformers**: :class:`ml.inference.engine.Engine` on the transformers backend (adapter merged,
  grammar-constrained JSON, prompt-lookup drafts): the default before 2026-11-26, named ``griller`` then.
* **no_lookup**: the transformers engine with ``GRILLER_PROMPT_LOOKUP=0``, to see that lever alone.
* **llama_cpp**: the same engine on the llama.cpp backend (``--backend llama.cpp``: the adapter merged and
  converted to GGUF once, Q8_0 since 2026-11-26, same constrained decoding and grounding; needs the ``[llama]``
  extra).
* **llama_cpp_f16**: that backend on the adapter converted to f16, as it was before Q8_0 (the lever alone).
* **llama_cpp_fixed3**: that backend with the drafts it had before 2026-11-26: always 3 tokens after the
  last bigram's first earlier occurrence, where today a draft is as long as its matched n-gram (up to 5).

The sides alternate resume by resume, so a burst of noise on this 2-core machine hits both.
Reported per side: median and p95 seconds per resume, decode tokens/s, JSON validity and field
micro-F1 against the test split's truth. ``speedup`` = baseline median / griller median.
``--server`` adds the server's throughput with 8 concurrent clients vs one client at a time, on the default
backend or on each of ``--server-backends`` (``--server-only``: that alone), with interview-question requests or,
with ``--server-parses``, parse requests of ``--data``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_ADAPTER = ROOT / "ml/models/exported/resume-griller-lora"
MAX_NEW_TOKENS = 1536
SERVER_REQUESTS = 16


def load_cases(path: Path, count: int) -> list[dict[str, Any]]:
    from ml import tasks
    from ml.jsonl import iter_jsonl

    cases = [row for _, row in iter_jsonl(path) if row["task"] == tasks.TaskName.PARSE_RESUME]
    return cases[:count]


class PlainHF:
    """The seed's inference: PEFT adapter on the fp32 base, plain ``generate``."""

    def __init__(self, adapter: Path) -> None:
        from peft import PeftModel

        from ml.base_model import adapter_base_model, load_base_model

        model, self.tokenizer = load_base_model(adapter_base_model(adapter))
        self.model = PeftModel.from_pretrained(model, str(adapter)).eval()

    def parse(self, user_input: str) -> tuple[str, int, float]:
        import torch

        from ml import tasks

        messages = tasks.build_messages(tasks.TaskName.PARSE_RESUME, user_input)
        inputs = self.tokenizer.apply_chat_template(
            messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
        )
        started = time.perf_counter()
        with torch.no_grad():
            output = self.model.generate(**inputs, max_new_tokens=MAX_NEW_TOKENS, do_sample=False)
        seconds = time.perf_counter() - started
        new = output[0, inputs["input_ids"].shape[1] :]
        return self.tokenizer.decode(new, skip_special_tokens=True).strip(), len(new), seconds


class GrillerEngine:
    def __init__(self, engine) -> None:
        self.engine = engine

    def parse(self, user_input: str) -> tuple[str, int, float]:
        from ml import tasks

        generation = self.engine.generate(tasks.TaskName.PARSE_RESUME, user_input, MAX_NEW_TOKENS)
        return generation.text, generation.completion_tokens, generation.seconds


FIXED_DRAFT_TOKENS = 3


def fixed_draft_llama_cpp(adapter: Path):
    """The llama.cpp side with the previous drafter (the lever measured alone): fixed-length bigram drafts."""
    from ml.inference.llama_cpp_engine import LlamaCppEngine, lookup_match

    class FixedDraftEngine(LlamaCppEngine):
        def draft(self, tokens: list[int], length: int) -> list[int]:
            match = lookup_match(tokens, max_ngram=2) if length > 0 else None
            return [] if match is None else tokens[match[0] : match[0] + min(FIXED_DRAFT_TOKENS, length)]

    return FixedDraftEngine.load(adapter)


def build_side(name: str, adapter: Path):
    if name == "baseline":
        return PlainHF(adapter)
    if name == "llama_cpp_fixed3":
        return GrillerEngine(fixed_draft_llama_cpp(adapter))
    if name == "llama_cpp_f16":
        from ml.inference.llama_cpp_engine import LlamaCppEngine, converted_adapter

        return GrillerEngine(LlamaCppEngine.load(converted_adapter(adapter, "f16")))
    from ml.inference.backends import load_engine

    backends = {"griller": None, "llama_cpp": "llama.cpp"}
    engine = load_engine(adapter, backends.get(name, "transformers"), parallel=1)  # one answer at a time, as the levers
    if name == "no_lookup":
        engine.prompt_lookup_tokens = 0
    return GrillerEngine(engine)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    seconds = [row["seconds"] for row in rows]
    tokens = sum(row["tokens"] for row in rows)
    f1s = [row["micro_f1"] for row in rows if row["micro_f1"] is not None]
    return {
        "resumes": len(rows),
        "median_s": round(statistics.median(seconds), 2),
        "p95_s": round(percentile(seconds, 0.95), 2),
        "decode_tokens_per_s": round(tokens / sum(seconds), 1),
        "output_tokens_mean": round(tokens / len(rows), 1),
        "json_valid": sum(row["json_valid"] for row in rows) / len(rows),
        "micro_f1_mean": round(statistics.fmean(f1s), 4) if f1s else None,
    }


def run_parse(cases: list[dict[str, Any]], sides: list[str], adapter: Path) -> dict[str, dict[str, Any]]:
    from ml.evaluation.metrics import score_parse
    from ml.tasks import parse_resume_input

    runners = {name: build_side(name, adapter) for name in sides}
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in sides}
    for index, case in enumerate(cases):
        text = case["input"].split("\n", 1)[1] if case["input"].startswith("Parse this resume") else case["input"]
        for name, runner in runners.items():
            output, tokens, seconds = runner.parse(parse_resume_input(text))
            score = score_parse(output, case["output"], text)
            rows[name].append(
                {"seconds": seconds, "tokens": tokens, "json_valid": score.json_valid, "micro_f1": score.total.f1}
            )
            print(f"[{index + 1}/{len(cases)}] {name:10s} {seconds:7.1f}s {tokens:5d} tok f1={score.total.f1}")
    return {name: summarise(side_rows) for name, side_rows in rows.items()}


NAMES = ("Jane Doe", "Omar Haddad", "Mei Lin", "Carlos Ruiz", "Anna Kowalska", "Tunde Bello", "Sara Berg", "Raj Iyer")
ROLES = (
    ("Senior Data Engineer", "Acme Corp", "Built a Kafka pipeline for 2B events a day.", "Python, SQL, Kafka"),
    ("Staff Nurse", "St Mary's Hospital", "Led triage for a 30-bed ward.", "Triage, Patient care, Epic"),
    ("Product Designer", "Fjord Studio", "Redesigned checkout, +12% conversion.", "Figma, User research"),
    ("Backend Developer", "Initech", "Cut p95 latency 40% with caching.", "Go, PostgreSQL, Redis"),
    ("Sales Manager", "Northwind", "Grew the region from 1.2M to 3M EUR.", "Negotiation, CRM, Forecasting"),
)


def question_request(index: int) -> dict[str, str]:
    """A different resume for every request: a server's clients do not send the same prompt twice, and a
    repeated one would be served from the llama.cpp backend's cached prefix."""
    name, (title, company, highlight, skills) = NAMES[index % len(NAMES)], ROLES[index % len(ROLES)]
    resume = f"{name}\n{title}, {company}, {2010 + index % 13}-Present\n{highlight}\nSKILLS {skills}"
    return {"resume": resume, "tone": "technical" if index % 2 else "hr"}


def parse_requests(data: Path, count: int) -> list[dict[str, str]]:
    """``/v1/resume/parse`` bodies: the resume texts of the first ``count`` parse examples of ``data``."""
    cases = load_cases(data, count)
    if len(cases) < count:
        raise SystemExit(f"{data} holds {len(cases)} parse examples; the server run needs {count}")
    return [{"text": case["input"].split("\n", 1)[1]} for case in cases]


def run_server(
    adapter: Path, requests: int, clients: int, backend: str | None = None, parses: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    """Task requests through the HTTP server: one client at a time, then ``clients`` at once, the same ``requests``
    in both phases with the engine's cached prompts dropped before each; interview questions, or the parse bodies
    in ``parses`` (``requests + 1`` of them: the last one warms the server up)."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from ml.inference.backends import load_engine
    from ml.inference.server import ServerSettings, create_app
    from tests.servers import serve_in_thread

    settings = ServerSettings(max_batch=clients, queue_timeout_s=3600)  # throughput: every request waits its turn
    engine = load_engine(adapter, backend, parallel=settings.max_batch)  # as griller serve loads it
    with serve_in_thread(create_app(engine, settings)) as url, httpx.Client(base_url=url, timeout=600) as client:
        path = "/v1/resume/parse" if parses else "/v1/interview/question"

        def one(index: int) -> None:
            client.post(path, json=parses[index] if parses else question_request(index)).raise_for_status()

        one(requests)  # warm-up

        timings = {}
        for label, workers in (("sequential", 1), ("concurrent", clients)):
            engine.forget_prompts()  # neither phase is served from the other's cache
            started = time.perf_counter()
            with ThreadPoolExecutor(workers) as pool:
                list(pool.map(one, range(requests)))
            timings[label] = requests / (time.perf_counter() - started)
    return {
        "backend": engine.backend,
        "task": "parse_resume" if parses else "interview_question",
        "requests": requests,
        "clients": clients,
        "sequential_rps": round(timings["sequential"], 3),
        "concurrent_rps": round(timings["concurrent"], 3),
        "throughput_ratio": round(timings["concurrent"] / timings["sequential"], 2),
    }


def run_servers(adapter: Path, backends: str, parse_data: Path | None = None) -> list[dict[str, Any]]:
    """:func:`run_server` on each backend named (``auto``: the default one), one after the other; parse requests
    from ``parse_data`` when given, else interview questions."""
    parses = parse_requests(parse_data, SERVER_REQUESTS + 1) if parse_data else None
    return [
        run_server(adapter, requests=SERVER_REQUESTS, clients=8, backend=backend, parses=parses)
        for backend in backends.split(",")
    ]


def print_servers(servers: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    columns = ("backend", "task", "sequential_rps", "concurrent_rps", "throughput_ratio")
    table = Table(title=f"server: {SERVER_REQUESTS} requests, 8 concurrent clients vs one at a time")
    for column in columns:
        table.add_column(column, justify="right")
    for server in servers:
        table.add_row(*(str(server[c]) for c in columns))
    Console().print(table)


def print_table(results: dict[str, dict[str, Any]], speedups: dict[str, float]) -> None:
    from rich.console import Console
    from rich.table import Table

    columns = ["median_s", "p95_s", "decode_tokens_per_s", "output_tokens_mean", "json_valid", "micro_f1_mean"]
    table = Table(title="parse latency per resume (same adapter, same resumes, greedy)")
    table.add_column("side")
    for column in [*columns, "speedup (median)"]:
        table.add_column(column, justify="right")
    for name, row in results.items():
        table.add_row(name, *(str(row[c]) for c in columns), f"{speedups.get(name, 1.0):.2f}x")
    Console().print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="4 resumes, baseline and griller only")
    parser.add_argument("-n", type=int, default=20, help="test resumes")
    parser.add_argument("--sides", default="baseline,griller")
    parser.add_argument("--model", type=Path, default=DEFAULT_ADAPTER, help="a LoRA adapter directory")
    parser.add_argument("--data", type=Path, default=ROOT / "ml/data/processed/test.jsonl")
    parser.add_argument("--server", action="store_true", help="also measure server throughput, 8 clients vs 1")
    parser.add_argument("--server-only", action="store_true", help="only the server throughput")
    parser.add_argument("--server-backends", default="auto", help="backends the server runs on, one after the other")
    parser.add_argument("--server-parses", action="store_true", help="the server gets parse requests (from --data)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if args.server_only:
        servers = run_servers(args.model, args.server_backends, args.data if args.server_parses else None)
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            report = {"benchmark": "server_throughput", "speedup": servers[0]["throughput_ratio"], "servers": servers}
            args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
        print_servers(servers)
        return
    from ml.inference.backends import resolve_backend

    count = 4 if args.quick else args.n
    sides = ["baseline", "griller"] if args.quick else args.sides.split(",")
    results = run_parse(load_cases(args.data, count), sides, args.model)
    baseline = results.get("baseline", {}).get("median_s")
    speedups = {name: baseline / row["median_s"] for name, row in results.items() if baseline}
    report: dict[str, Any] = {
        "benchmark": "infer_latency",
        "speedup": round(speedups.get("griller", float("nan")), 3),
        "model": str(args.model),
        "default_backend": resolve_backend(args.model),
        "data": str(args.data),
        "max_new_tokens": MAX_NEW_TOKENS,
        "results": results,
        "speedups": {name: round(value, 3) for name, value in speedups.items()},
    }
    if args.server:
        report["servers"] = run_servers(args.model, args.server_backends, args.data if args.server_parses else None)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print_table(results, speedups)
    if args.server:
        print_servers(report["servers"])


if __name__ == "__main__":
    main()
