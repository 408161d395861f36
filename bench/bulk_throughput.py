"""Bulk parse throughput on this host: each lever alone against today's sequential ``griller parse --jsonl``.

    nice -n 15 python bench/bulk_throughput.py --limit 3 --phases baseline,batch4 --json logs/bench/bulk_small.json
    python bench/bulk_throughput.py --json logs/bench/bulk_throughput.json      # the 40 real validation people
    python bench/bulk_throughput.py --quick                                     # 4 people, baseline and batch4

Resumes: the text renderings of the 40 real validation people, one per person, exactly as ``griller eval --real``
builds them (:func:`ml.preprocessing.jsonresume.real_val_file`, in its order; ``--limit N`` takes the first N),
written as a ``{"id", "text"}`` JSONL beside the data set's SOURCES.tsv and NOTICE.tsv (``--keep DIR`` keeps them,
with every phase's output and log).

Phases, each a fresh run over the same resumes through the real bulk path (:func:`ml.inference.bulk.parse_many`
with an ``--output`` JSONL, the default model as ``griller parse`` picks it, greedy decoding):

* **baseline**: batch size 1, one process, all cores: ``griller parse --jsonl … --batch-size 1``.
* **batch4**, **batch8**: ``--batch-size`` 4 / 8 (the llama.cpp engine loads that many sequences). With the
  default segmented method the resumes are still parsed one after another (``Engine.parse_resumes``): the batch
  only decodes one resume's parts together, so only resumes cut into parts can gain.
* **workers2**: two processes with ``GRILLER_THREADS=1`` each, batch 1, the resumes dealt between them (longest
  first to the less loaded one, so both finish about together).
* **single**: ``GRILLER_PARSE_METHOD=single`` (one pass per resume), batch 1. Its outputs differ from the
  baseline's by design on every resume the segmented method cuts: it is another parse, not a rounding difference.
* **single_batch4**, **single_batch8**: the single pass with batches of 4 / 8, the only setting where several
  resumes decode together (single_batch8 runs only when ``--phases`` names it).
* **nocache**: batch 1 with llama.cpp's prefix reuse turned off. The engine has no switch for it (it always keeps
  the longest cached prefix: the system prompt, and within a cut resume its header), so this phase patches the
  engine's prefix match to zero in its own process: every prompt is prefilled from its first token.

Every phase's processes load the model first and start parsing together when all are loaded, so the time is the
parse alone (load seconds are reported apart). Per phase: resumes/hour over the parse (first start to last end),
the ratio to the baseline of the same run, p50 of the ``seconds`` the output file gives each resume (its share of
its batch's decode), and agreement with the baseline: the share of resumes whose parsed JSON is identical, with a
summary of the first difference. ``others`` is the share of the machine's cores that other processes used during
the phase (``/proc/stat`` less the phase's own CPU time): a phase that shared the cores is flagged, its rate not
comparable. ``speedup`` in the JSON is the best phase's resumes/hour over the baseline's.

The baseline always runs (first), since ratios and agreement are against it. Run it on a quiet machine: llama.cpp's
threads wait for each other at every step, so another busy process on these 2 cores slows a 2-thread phase many
times over (one resume took 549 s beside a running ``griller eval`` against about 13 s alone).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


@dataclass(frozen=True)
class Phase:
    batch: int = 1
    workers: int = 1
    threads: int | None = None  # GRILLER_THREADS per process; None: every core the process may use
    method: str = "segmented"  # GRILLER_PARSE_METHOD
    prefix_cache: bool = True


PHASES: dict[str, Phase] = {
    "baseline": Phase(),
    "batch4": Phase(batch=4),
    "batch8": Phase(batch=8),
    "workers2": Phase(workers=2, threads=1),
    "single": Phase(method="single"),
    "nocache": Phase(prefix_cache=False),
    "single_batch4": Phase(batch=4, method="single"),
    "single_batch8": Phase(batch=8, method="single"),
}
DEFAULT_PHASES = ("baseline", "batch4", "batch8", "workers2", "single", "single_batch4", "nocache")
QUICK_LIMIT = 4
QUICK_PHASES = ("baseline", "batch4")
CONTENDED_SHARE = 0.10
"""A phase during which other processes used more than this share of the machine's cores (``/proc/stat``, less the
phase's own CPU time) did not have the machine to itself: the table flags it."""
READY_TIMEOUT_S = 900  # a first load converts the adapter to GGUF (cached afterwards)


# --- the resumes --------------------------------------------------------------------------------------


def write_resumes(work: Path, limit: int | None) -> Path:
    """The real validation people's text renderings as ``{"id", "text"}`` lines in ``work/resumes.jsonl``, beside
    the real_val.jsonl they come from and its SOURCES.tsv / NOTICE.tsv."""
    from ml.jsonl import iter_jsonl
    from ml.preprocessing.jsonresume import real_val_file

    rows = [row for _, row in iter_jsonl(real_val_file(work))][:limit]
    path = work / "resumes.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps({"id": row["meta"]["resume_id"], "text": row["meta"]["text"]}) + "\n")
    return path


def deal(rows: list[dict[str, Any]], workers: int) -> list[list[dict[str, Any]]]:
    """``rows`` shared among ``workers``: longest text first, each to the worker with the fewest characters so far
    (file order kept within a worker)."""
    shares: list[list[int]] = [[] for _ in range(workers)]
    sizes = [0] * workers
    for index in sorted(range(len(rows)), key=lambda i: -len(rows[i]["text"])):
        lightest = sizes.index(min(sizes))
        shares[lightest].append(index)
        sizes[lightest] += len(rows[index]["text"])
    return [[rows[i] for i in sorted(share)] for share in shares if share]


# --- one worker process ------------------------------------------------------------------------------


def disable_prefix_reuse() -> None:
    """No llama.cpp sequence ever matches a cached prefix (its own or another's), so every prompt is prefilled
    whole. Only the ``nocache`` phase's processes call this: the engine itself has no switch."""
    from ml.inference.llama_cpp_engine import _Sequence

    if not hasattr(_Sequence, "common_prefix"):
        raise SystemExit("the llama.cpp engine no longer matches prefixes in _Sequence.common_prefix: update nocache")
    _Sequence.common_prefix = lambda self, prompt: 0


def worker(spec_path: Path) -> None:
    """Load the parser, say so, wait for the go, parse the input through ``parse_many``; write timings."""
    from rich.console import Console

    from ml.inference.bulk import LocalParser, parse_many

    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    if not spec["prefix_cache"]:
        disable_prefix_reuse()
    timing: dict[str, Any] = {}

    def loaded(pending: int) -> LocalParser:
        started = time.perf_counter()
        parser = LocalParser(spec["model"], spec["backend"], spec["batch"])
        timing["load_seconds"] = round(time.perf_counter() - started, 2)
        warm_up(parser.engine)
        timing["prompts"] = prompt_sizes(parser.engine, [row["text"] for row in iter_rows(Path(spec["input"]))])
        Path(spec["ready"]).write_text("ready", encoding="utf-8")
        while not Path(spec["go"]).exists():
            time.sleep(0.05)
        timing["started"], timing["cpu_started"] = time.time(), time.process_time()
        return parser

    summary = parse_many(
        jsonl=Path(spec["input"]),
        model=spec["model"],
        backend=spec["backend"],
        output=Path(spec["output"]),
        batch_size=spec["batch"],
        parser=loaded,
        console=Console(stderr=True),
    )
    timing["ended"], timing["cpu_seconds"] = time.time(), round(time.process_time() - timing["cpu_started"], 2)
    result = {"summary": summary, **timing, "threads": threads_in_use(), "method": os.environ["GRILLER_PARSE_METHOD"]}
    Path(spec["result"]).write_text(json.dumps(result), encoding="utf-8")


def warm_up(engine) -> None:
    """A few tokens of another chat, then an empty cache: the weights are paged in before the clock starts (each
    phase is a fresh process), and no parse prompt finds anything cached that a cold bulk run would not."""
    engine.generate_messages([{"role": "user", "content": "Hello"}], max_new_tokens=4)
    engine.forget_prompts()


def prompt_sizes(engine, texts: list[str]) -> dict[str, int]:
    """Tokens of the whole-resume parse prompts, and of the prefix every parse prompt shares (system prompt, chat
    markup, the task's first words): what prefix reuse saves each prompt at most."""
    from ml import tasks

    def ids(text: str) -> list[int]:
        return engine.prompt_ids(tasks.TaskName.PARSE_RESUME, tasks.parse_resume_input(text))["input_ids"][0].tolist()

    one, other = ids("A"), ids("Z")
    shared = next((i for i, (a, b) in enumerate(zip(one, other, strict=False)) if a != b), min(len(one), len(other)))
    return {"shared_prefix": shared, "total": sum(len(ids(text)) for text in texts)}


def iter_rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def threads_in_use() -> int:
    from ml.inference.llama_cpp_context import threads

    return threads()


# --- one phase -----------------------------------------------------------------------------------------


def run_phase(name: str, phase: Phase, rows: list[dict[str, Any]], work: Path, model: str | None, backend: str | None):
    """Run ``phase``'s processes over ``rows``; its measurements and every resume's output record by id."""
    folder = work / name
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.iterdir():  # a kept folder of an earlier run: parse_many would skip the ids it holds
        stale.unlink()
    env = os.environ | {"GRILLER_PARSE_METHOD": phase.method, "PYTHONUNBUFFERED": "1"}
    if phase.threads is not None:
        env["GRILLER_THREADS"] = str(phase.threads)
    specs = [
        _worker_spec(folder / f"worker{i}", share, phase, model, backend)
        for i, share in enumerate(deal(rows, phase.workers))
    ]
    command = [sys.executable, str(Path(__file__).resolve()), "--worker"]
    with contextlib.ExitStack() as logs:
        processes = []
        for spec in specs:
            log = logs.enter_context(Path(spec["log"]).open("w", encoding="utf-8"))
            processes.append(subprocess.Popen([*command, spec["spec"]], env=env, stdout=log, stderr=log, cwd=ROOT))
        try:
            deadline = time.monotonic() + READY_TIMEOUT_S
            while not all(Path(spec["ready"]).exists() for spec in specs):
                _check_alive(name, processes, specs)
                if time.monotonic() > deadline:
                    raise SystemExit(f"{name}: the model did not load within {READY_TIMEOUT_S}s")
                time.sleep(0.2)
            load_before, busy_before = os.getloadavg()[0], busy_cpu_seconds()
            (folder / "go").write_text("go", encoding="utf-8")
            for process in processes:
                process.wait()
            busy = busy_cpu_seconds() - busy_before
            _check_alive(name, processes, specs)
        finally:
            for process in processes:  # only on an error: the others are left parsing for nothing
                if process.poll() is None:
                    process.terminate()
                    process.wait()
    results = [json.loads(Path(spec["result"]).read_text(encoding="utf-8")) for spec in specs]
    records = {}
    for spec in specs:
        for line in Path(spec["output"]).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            records[json.dumps(record["id"])] = record
    seconds = max(r["ended"] for r in results) - min(r["started"] for r in results)
    ours = sum(r["cpu_seconds"] for r in results)
    done = sum(r["summary"]["done"] for r in results)
    first = results[0]["summary"]
    measured = {
        **asdict(phase),
        "threads": results[0]["threads"],
        "method": results[0]["method"],
        "resumes": done,
        "valid": sum(r["summary"]["valid"] for r in results),
        "failed": sum(r["summary"]["failed"] for r in results),
        "seconds": round(seconds, 2),
        "resumes_per_hour": round(done / seconds * 3600, 1) if seconds > 0 else None,
        "p50_seconds": round(statistics.median(r["seconds"] for r in records.values()), 2) if records else None,
        "load_seconds": [r["load_seconds"] for r in results],
        "worker_seconds": [round(r["ended"] - r["started"], 2) for r in results],
        "worker_resumes": [r["summary"]["done"] for r in results],
        "prompt_tokens": sum(r["prompts"]["total"] for r in results),  # whole-resume prompts (parts not counted)
        "shared_prefix_tokens": results[0]["prompts"]["shared_prefix"],
        "cpu_seconds": round(sum(r["cpu_seconds"] for r in results), 1),  # all threads of all workers, the parse
        "others_share": round(max(busy - ours, 0.0) / (seconds * os.cpu_count()), 2),
        "cpu_share": round(ours / (seconds * sum(r["threads"] for r in results)), 2),
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "model": first["model"],
        "backend": first["backend"],
    }
    return measured, records


def busy_cpu_seconds() -> float:
    """CPU seconds every process on this machine has used since boot (``/proc/stat``: all but idle and iowait)."""
    fields = [int(value) for value in Path("/proc/stat").read_text(encoding="utf-8").split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def _worker_spec(stem: Path, share: list[dict[str, Any]], phase: Phase, model: str | None, backend: str | None):
    """Write one worker's input and spec (files named after ``stem``); the spec."""
    names = {"input": ".input.jsonl", "output": ".output.jsonl", "result": ".result.json", "ready": ".ready"}
    spec: dict[str, Any] = {key: str(stem.with_suffix(suffix)) for key, suffix in names.items()}
    spec |= {"log": str(stem.with_suffix(".log")), "spec": str(stem.with_suffix(".spec.json"))}
    spec |= {"go": str(stem.parent / "go"), "model": model, "backend": backend}
    spec |= {"batch": phase.batch, "prefix_cache": phase.prefix_cache}
    Path(spec["input"]).write_text("".join(json.dumps(row) + "\n" for row in share), encoding="utf-8")
    Path(spec["spec"]).write_text(json.dumps(spec), encoding="utf-8")
    return spec


def _check_alive(name: str, processes: list[subprocess.Popen], specs: list[dict[str, Any]]) -> None:
    """Stop the run when a worker died: its log's tail says why."""
    for process, spec in zip(processes, specs, strict=True):
        if process.poll() not in (None, 0):
            tail = Path(spec["log"]).read_text(encoding="utf-8")[-3000:]
            raise SystemExit(f"{name}: a worker exited with status {process.returncode}:\n{tail}")


# --- comparing outputs ---------------------------------------------------------------------------------


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    """Where two parsed resumes differ, as ``path: this vs that`` lines (lists: their lengths, then items)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [line for key in dict.fromkeys([*a, *b]) for line in differences(a.get(key), b.get(key), _at(path, key))]
    if isinstance(a, list) and isinstance(b, list):
        lines = [f"{path}: {len(a)} vs {len(b)} items"] if len(a) != len(b) else []
        return lines + [
            line for i, (x, y) in enumerate(zip(a, b, strict=False)) for line in differences(x, y, f"{path}[{i}]")
        ]
    return [] if a == b else [f"{path or 'output'}: {_short(a)} vs {_short(b)}"]


def _at(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _short(value: Any, width: int = 48) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def agreement(baseline: dict[str, dict], records: dict[str, dict]) -> dict[str, Any]:
    """Share of the baseline's resumes this phase parsed to the identical JSON, and the first difference."""
    same, first = 0, None
    for key, record in baseline.items():
        other = records.get(key)
        if other is not None and other["output"] == record["output"]:
            same += 1
        elif first is None:
            lines = ["missing from this phase"] if other is None else differences(record["output"], other["output"])
            first = {"id": record["id"], "differences": len(lines), "first": lines[:3]}
    return {
        "identical": same,
        "of": len(baseline),
        "share": round(same / len(baseline), 3) if baseline else None,
        "first_difference": first,
    }


# --- report ----------------------------------------------------------------------------------------------


def commit() -> str:
    """HEAD's hash, ``+dirty`` when the work tree has changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
        status = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head.stdout.strip() + ("+dirty" if status.stdout.strip() else "")


def print_table(phases: dict[str, dict[str, Any]]) -> None:
    head = f"{'phase':<14}{'procs×thr':>10}{'batch':>6}{'method':>10}{'cache':>6}{'resumes':>8}{'seconds':>9}"
    head += f"{'resumes/h':>10}{'ratio':>7}{'p50 s':>7}{'same':>8}{'others':>8}"
    print(head)
    for name, row in phases.items():
        same = row["agreement"]
        print(
            f"{name:<14}{row['workers']}×{row['threads']:<7}{row['batch']:>6}{row['method']:>10}"
            f"{'on' if row['prefix_cache'] else 'off':>6}{row['resumes']:>8}{row['seconds']:>9.1f}"
            f"{row['resumes_per_hour'] or 0:>10,.0f}{row['ratio'] or 0:>7.2f}{row['p50_seconds'] or 0:>7.1f}"
            f"{same['identical']:>5}/{same['of']:<2}{row['others_share']:>8.0%}"
        )
    contended = [name for name, row in phases.items() if row["others_share"] > CONTENDED_SHARE]
    if contended:
        print(
            f"others: the share of the machine's cores other processes used during the phase; above "
            f"{CONTENDED_SHARE:.0%} ({', '.join(contended)}) the rate is not comparable: rerun on a quiet machine"
        )
    for name, row in phases.items():
        first = row["agreement"]["first_difference"]
        if first is not None:
            print(
                f"{name}: {first['id']} differs from the baseline in {first['differences']} place(s): "
                + "; ".join(first["first"])
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="the first N of the 40 people")
    parser.add_argument("--phases", default=",".join(DEFAULT_PHASES), help=f"of: {', '.join(PHASES)}")
    parser.add_argument("--model", default=None, help="default: the one `griller parse` takes")
    parser.add_argument("--backend", default=None, help="default: auto (llama.cpp on CPU)")
    parser.add_argument("--keep", type=Path, default=None, help="keep inputs, outputs and logs in this folder")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_LIMIT} people, {', '.join(QUICK_PHASES)}")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--worker", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        worker(args.worker)
        return

    from ml.cli import DEFAULT_ADAPTER
    from ml.host import cpu_class, cpu_model

    names = list(QUICK_PHASES) if args.quick else [n.strip() for n in args.phases.split(",") if n.strip()]
    unknown = [n for n in names if n not in PHASES]
    if unknown:
        parser.error(f"unknown phase(s) {', '.join(unknown)}; choose from {', '.join(PHASES)}")
    names = ["baseline", *(n for n in dict.fromkeys(names) if n != "baseline")]
    limit = QUICK_LIMIT if args.quick and args.limit is None else args.limit
    model = args.model or (str(DEFAULT_ADAPTER) if DEFAULT_ADAPTER.is_dir() else None)

    with tempfile.TemporaryDirectory(prefix="griller-bulk-") as scratch:
        work = args.keep or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        resumes = write_resumes(work, limit)
        rows = iter_rows(resumes)
        print(
            f"{len(rows)} real validation resumes ({sum(len(r['text']) for r in rows):,} characters); "
            f"phases: {', '.join(names)}",
            file=sys.stderr,
        )
        phases: dict[str, dict[str, Any]] = {}
        outputs: dict[str, dict[str, dict]] = {}
        for name in names:
            started = time.perf_counter()
            phases[name], outputs[name] = run_phase(name, PHASES[name], rows, work, model, args.backend)
            print(
                f"  {name}: {phases[name]['resumes_per_hour'] or 0:,.0f} resumes/h "
                f"({time.perf_counter() - started:.0f}s with loading)",
                file=sys.stderr,
            )
    base = phases["baseline"]["resumes_per_hour"]
    for name, row in phases.items():
        row["ratio"] = round(row["resumes_per_hour"] / base, 3) if base and row["resumes_per_hour"] else None
        row["agreement"] = agreement(outputs["baseline"], outputs[name])
    best = max(phases, key=lambda n: phases[n]["ratio"] or 0)
    host = {"cpu_class": cpu_class(), "cpu_model": cpu_model(), "cores": len(os.sched_getaffinity(0))}
    print(
        f"host: {host['cpu_class']} ({host['cpu_model']}), {host['cores']} cores; model: "
        f"{phases['baseline']['model']} ({phases['baseline']['backend']}); commit {commit()[:12]}"
    )
    print_table(phases)
    prefix, prompts = phases["baseline"]["shared_prefix_tokens"], phases["baseline"]["prompt_tokens"]
    print(f"every parse prompt starts with the same {prefix} tokens ({prompts / len(rows):,.0f} per resume prompt)")
    print(f"best: {best}, {phases[best]['ratio']:.2f}x the baseline's resumes/hour")
    if args.json:
        report = {
            "benchmark": "bulk_throughput",
            "speedup": phases[best]["ratio"],
            "best": best,
            "host": host,
            "threads": phases["baseline"]["threads"],
            "model": phases["baseline"]["model"],
            "backend": phases["baseline"]["backend"],
            "commit": commit(),
            "data": "real validation people, text renderings (griller eval --real), jsonresume-dev",
            "resumes": len(rows),
            "prompt_tokens": phases["baseline"]["prompt_tokens"],
            "shared_prefix_tokens": phases["baseline"]["shared_prefix_tokens"],
            "phases": phases,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
