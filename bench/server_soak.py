"""Soak the inference server with a hostile mixed load; report status codes, latency, memory and shutdown.

The server runs in a child process (so its RSS is its own) on 127.0.0.1, over the tiny random model
by default (this measures the server, not the model: pass --model for a real one), on the default backend
(``auto``: llama.cpp's batched decoding on CPU, what users get) with answers of up to 64 tokens. The load is the
one the CI test uses (tests/reliability/load.py): valid chat completions (plain and streamed) and
parses, malformed JSON, oversized bodies (with and without Content-Length), missing and wrong keys,
wrong fields, clients that trickle their body, plus a few stalled half-sent requests held open the
whole time. At the end a request is put in flight and the server is sent SIGTERM: it must finish
that request with a 200 and exit 0.

    python bench/server_soak.py --quick                       # 500 requests, 32 clients (~15 s)
    python bench/server_soak.py --minutes 10 --json soak.json  # the long soak
    python bench/server_soak.py --minutes 5 --max-queue 32     # room for every client: no 503 expected

JSON: the summary of tests/reliability/load.py (counts per kind and status, p50/p95 in ms), RSS samples
of the server, the shutdown check, and ``speedup: null`` (the bench contract's key; nothing is compared).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import signal
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.reliability.load import rss_mb, run_load, summarize

KEY = "soak-key"


def _serve(model: str, backend: str, port: int, settings: dict, parse_tokens: int) -> None:
    import uvicorn

    from ml import tasks
    from ml.inference import engine as engine_module
    from ml.inference.backends import load_engine
    from ml.inference.server import ServerSettings, create_app

    engine_module.DEFAULT_MAX_NEW_TOKENS[tasks.TaskName.PARSE_RESUME] = parse_tokens
    engine_module.PARSE_ANSWER_PER_PROMPT_TOKEN = 0.0  # exactly parse_tokens, whatever the resume's length
    server_settings = ServerSettings(**settings)
    engine = load_engine(model, backend, parallel=server_settings.max_batch)  # as `griller serve`
    app = create_app(engine, server_settings)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_up(url: str, child: multiprocessing.Process, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not child.is_alive():
            raise SystemExit(f"server exited with {child.exitcode} before it was up")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("server did not come up")


async def _sampled_load(url: str, pid: int, args: argparse.Namespace) -> tuple[list, list[tuple[float, float]]]:
    samples: list[tuple[float, float]] = []
    started = time.monotonic()

    async def sample() -> None:
        while True:
            samples.append((round(time.monotonic() - started, 1), round(rss_mb(pid), 1)))
            await asyncio.sleep(args.sample_s)

    sampler = asyncio.create_task(sample())
    try:
        outcomes = await run_load(
            url,
            KEY,
            total=None if args.minutes else args.requests,
            minutes=args.minutes,
            concurrency=args.clients,
            max_body=args.max_body,
            seed=args.seed,
            stalled_connections=args.stalled,
        )
    finally:
        sampler.cancel()
    samples.append((round(time.monotonic() - started, 1), round(rss_mb(pid), 1)))
    return outcomes, samples


def _graceful_shutdown(url: str, child: multiprocessing.Process) -> dict:
    """Put requests in flight, SIGTERM the server, check they finish with 200 and the server stops.

    The requests trickle their body over ~1.5 s, so they are surely in flight when the signal lands
    0.3 s in, whatever the model's speed. uvicorn re-raises the signal once it has drained, so the
    exit code of a graceful stop is -15 (SIGTERM), not 0.
    """
    body = json.dumps({"messages": [{"role": "user", "content": "Ask me about Acme Corp."}], "max_tokens": 8})
    results: list[int | str] = []

    def trickle():
        data = body.encode()
        for start in range(0, len(data), len(data) // 6 + 1):
            time.sleep(0.25)
            yield data[start : start + len(data) // 6 + 1]

    def call() -> None:
        headers = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
        try:
            response = httpx.post(f"{url}/v1/chat/completions", content=trickle(), headers=headers, timeout=120)
            results.append(response.status_code)
        except httpx.HTTPError as error:
            results.append(type(error).__name__)

    callers = [threading.Thread(target=call) for _ in range(4)]
    for thread in callers:
        thread.start()
    time.sleep(0.3)  # let them reach the server
    started = time.monotonic()
    os.kill(child.pid, signal.SIGTERM)
    for thread in callers:
        thread.join(120)
    child.join(120)
    return {
        "in_flight": len(callers),
        "statuses": results,
        "all_finished_200": results == [200] * len(callers),
        "exit_code": child.exitcode,
        "seconds_to_exit": round(time.monotonic() - started, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", help="model or adapter to serve (default: a tiny random model built now)")
    parser.add_argument("--minutes", type=float, help="run for this long (default: --requests)")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--quick", action="store_true", help="500 requests, as in CI")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--max-queue", type=int, default=16)
    parser.add_argument("--max-body", type=int, default=64 * 1024)
    parser.add_argument("--backend", default="auto", help="auto (the default engine: llama.cpp on CPU), transformers")
    parser.add_argument("--max-tokens", type=int, default=64, help="the server's max_tokens_limit")
    parser.add_argument("--parse-tokens", type=int, default=160, help="parse_resume token limit")
    parser.add_argument("--stalled", type=int, default=4, help="half-sent requests held open all along")
    parser.add_argument("--sample-s", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args()
    if args.quick:
        args.minutes, args.requests = None, 500

    workdir = tempfile.TemporaryDirectory(prefix="griller-soak-")
    model = args.model
    if model is None:
        from tests.tiny_model import build_tiny_model

        model = str(build_tiny_model(Path(workdir.name) / "tiny"))
    settings = {
        "api_key": KEY,
        "max_tokens_limit": args.max_tokens,
        "max_body_bytes": args.max_body,
        "max_queue": args.max_queue,
    }
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    child = multiprocessing.get_context("spawn").Process(
        target=_serve, args=(model, args.backend, port, settings, args.parse_tokens)
    )
    child.start()
    try:
        _wait_up(url, child)
        backend = httpx.get(f"{url}/health").json().get("backend")
        asyncio.run(run_load(url, KEY, total=40, concurrency=8, max_body=args.max_body, seed=99))  # warm-up
        rss_start = rss_mb(child.pid)
        started = time.monotonic()
        outcomes, samples = asyncio.run(_sampled_load(url, child.pid, args))
        seconds = time.monotonic() - started
        rss_end = rss_mb(child.pid)
        alive = child.is_alive() and httpx.get(f"{url}/health").status_code == 200
        shutdown = _graceful_shutdown(url, child)
    finally:
        if child.is_alive():
            child.kill()
        workdir.cleanup()

    summary = summarize(outcomes)
    result = {
        "speedup": None,
        "model": args.model or "tiny random model",
        "backend": backend,
        "settings": settings | {"clients": args.clients, "stalled_connections": args.stalled},
        "seconds": round(seconds, 1),
        "requests_per_s": round(len(outcomes) / seconds, 1),
        **summary,
        "server_alive_after": alive,
        "rss_mb": {"start": round(rss_start, 1), "end": round(rss_end, 1), "max": max(r for _, r in samples)},
        "rss_samples": samples,
        "graceful_shutdown": shutdown,
    }
    print(f"server on {backend}; answers up to {args.max_tokens} tokens (parses {args.parse_tokens})")
    print(f"{len(outcomes)} requests from {args.clients} clients in {seconds:.1f}s ({result['requests_per_s']}/s)")
    print(f"{'kind':<20}{'n':>6}{'unexpected':>12}{'p50 ms':>10}{'p95 ms':>10}  statuses")
    for kind, row in summary["by_kind"].items():
        print(
            f"{kind:<20}{row['requests']:>6}{row['unexpected']:>12}{row['p50_ms']:>10}{row['p95_ms']:>10}  "
            f"{row['statuses']}"
        )
    print(
        f"{'all':<20}{summary['requests']:>6}{summary['unexpected']:>12}{summary['p50_ms']:>10}{summary['p95_ms']:>10}"
    )
    print(f"served (200) p50 {summary['served_200_p50_ms']} ms, p95 {summary['served_200_p95_ms']} ms")
    print(f"server RSS {rss_start:.0f} -> {rss_end:.0f} MiB (max {result['rss_mb']['max']:.0f}); alive after: {alive}")
    print(
        f"SIGTERM with {shutdown['in_flight']} requests in flight: {shutdown['statuses']}, "
        f"exit code {shutdown['exit_code']} after {shutdown['seconds_to_exit']}s"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    stopped = shutdown["exit_code"] in (0, -signal.SIGTERM)
    ok = summary["unexpected"] == 0 and alive and shutdown["all_finished_200"] and stopped
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
