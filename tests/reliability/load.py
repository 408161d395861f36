"""A mixed, hostile request load for the inference server; shared by the CI test and ``bench/server_soak.py``.

Each request is one of :data:`MIX` (valid chat completions and parses, malformed JSON, oversized
bodies sent with and without a Content-Length, missing or wrong keys, wrong fields, clients that
trickle their body), sent by ``concurrency`` asyncio clients over loopback. Every outcome is
checked against the statuses that kind may get (:data:`EXPECTED`): 503 is allowed for valid
requests because the server sheds load when its queue is full. A transport error (reset,
timeout) is an outcome of its own (status ``None``) and is never expected.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import statistics
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx

MIX: dict[str, int] = {  # kind -> weight
    "chat": 30,
    "chat_stream": 5,
    "parse": 5,
    "malformed_json": 10,
    "oversized": 6,
    "oversized_chunked": 4,
    "missing_key": 8,
    "wrong_key": 7,
    "wrong_fields": 15,
    "slow_client": 10,
}
EXPECTED: dict[str, set[int]] = {
    "chat": {200, 503},
    "chat_stream": {200, 503},
    "parse": {200, 503},
    "malformed_json": {422},
    "oversized": {413},
    "oversized_chunked": {413},
    "missing_key": {401},
    "wrong_key": {401},
    "wrong_fields": {422},
    "slow_client": {200, 503},
}
WRONG_FIELDS = [
    ("/v1/chat/completions", {}),
    ("/v1/chat/completions", {"messages": []}),
    ("/v1/chat/completions", {"messages": [{"role": "robot", "content": "hi"}]}),
    ("/v1/chat/completions", {"messages": [{"role": "user", "content": "hi"}], "max_tokens": -5}),
    ("/v1/chat/completions", {"messages": "not a list"}),
    ("/v1/resume/parse", {"txt": "Jane Doe"}),
    ("/v1/resume/parse", {"text": ""}),
    ("/v1/resume/parse", [1, 2, 3]),
    ("/v1/interview/question", {"resume": "Jane", "tone": "casual"}),
    ("/v1/interview/follow-up", {"resume": "Jane", "question": "", "answer": "x"}),
]
RESUME = "Jane Doe\nData Engineer at Acme Corp, 2020 - Present\nSkills: Python, SQL"


@dataclass
class Outcome:
    kind: str
    status: int | None
    seconds: float
    error: str | None = None

    @property
    def expected(self) -> bool:
        return self.status in EXPECTED[self.kind]


def rss_mb(pid: int | None = None) -> float:
    """Resident memory of a process (default: this one), in MiB, from /proc."""
    with open(f"/proc/{pid or os.getpid()}/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _chat(content: str, stream: bool = False) -> dict:
    return {"messages": [{"role": "user", "content": content}], "max_tokens": 64, "stream": stream}


async def _trickle(data: bytes, pieces: int, pause_s: float) -> AsyncIterator[bytes]:
    step = max(1, len(data) // pieces)
    for start in range(0, len(data), step):
        await asyncio.sleep(pause_s)
        yield data[start : start + step]


async def one_request(client: httpx.AsyncClient, kind: str, key: str, max_body: int, rng: random.Random) -> Outcome:
    auth = {"Authorization": f"Bearer {key}"}
    started = time.perf_counter()
    try:
        if kind == "chat":
            response = await client.post(
                "/v1/chat/completions", json=_chat(f"Ask about Acme {rng.random()}"), headers=auth
            )
        elif kind == "chat_stream":
            async with client.stream(
                "POST", "/v1/chat/completions", json=_chat("Ask me a question.", stream=True), headers=auth
            ) as response:
                await response.aread()
            ended = response.text.rstrip().endswith("data: [DONE]") or '"server_busy"' in response.text
            if response.status_code == 200 and not ended:
                return Outcome(kind, None, time.perf_counter() - started, "stream ended without [DONE]")
        elif kind == "parse":
            response = await client.post("/v1/resume/parse", json={"text": RESUME}, headers=auth)
        elif kind == "malformed_json":
            body = rng.choice([b"{not json", b'{"messages": [', b"\xff\xfe\x00garbage", b"null", b'"just a string"'])
            path = rng.choice(["/v1/chat/completions", "/v1/resume/parse", "/v1/interview/question"])
            response = await client.post(path, content=body, headers=auth | {"Content-Type": "application/json"})
        elif kind == "oversized":
            body = json.dumps({"text": "x" * (max_body + 1024)}).encode()
            response = await client.post(
                "/v1/resume/parse", content=body, headers=auth | {"Content-Type": "application/json"}
            )
        elif kind == "oversized_chunked":  # no Content-Length: the server must count while reading
            body = json.dumps(_chat("y" * (max_body + 1024))).encode()
            response = await client.post(
                "/v1/chat/completions",
                content=_trickle(body, 8, 0.0),
                headers=auth | {"Content-Type": "application/json"},
            )
        elif kind == "missing_key":
            response = await client.post("/v1/chat/completions", json=_chat("hi"))
        elif kind == "wrong_key":
            response = await client.post(
                "/v1/chat/completions", json=_chat("hi"), headers={"Authorization": "Bearer nope"}
            )
        elif kind == "wrong_fields":
            path, payload = rng.choice(WRONG_FIELDS)
            response = await client.post(path, json=payload, headers=auth)
        elif kind == "slow_client":  # a valid body sent in 5 pieces over ~0.25 s
            body = json.dumps(_chat("Ask me about Acme Corp.")).encode()
            response = await client.post(
                "/v1/chat/completions",
                content=_trickle(body, 5, 0.05),
                headers=auth | {"Content-Type": "application/json"},
            )
        else:
            raise ValueError(kind)
    except httpx.HTTPError as error:
        return Outcome(kind, None, time.perf_counter() - started, f"{type(error).__name__}: {error}")
    outcome = Outcome(kind, response.status_code, time.perf_counter() - started)
    if outcome.status in (401, 413, 422, 503) and "error" not in response.json():
        outcome.error = "error body not in OpenAI's shape"
        outcome.status = None
    return outcome


async def run_load(
    base_url: str,
    key: str,
    *,
    total: int | None = 500,
    minutes: float | None = None,
    concurrency: int = 32,
    max_body: int,
    seed: int = 0,
    stalled_connections: int = 4,
) -> list[Outcome]:
    """Send ``total`` requests (or keep going for ``minutes``) from ``concurrency`` clients; every outcome back.

    ``stalled_connections`` sockets send half a request header and then nothing, for the whole run
    (slowloris): they must not stop anyone else being served.
    """
    rng = random.Random(seed)
    kinds, weights = zip(*MIX.items(), strict=True)
    plan = iter(rng.choices(kinds, weights, k=total)) if total else None
    deadline = time.monotonic() + minutes * 60 if minutes else None
    outcomes: list[Outcome] = []
    host, port = base_url.removeprefix("http://").split(":")
    stalled = []
    for _ in range(stalled_connections):
        sock = socket.create_connection((host, int(port)))
        sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Le")
        stalled.append(sock)

    def next_kind() -> str | None:
        if plan is not None:
            return next(plan, None)
        return rng.choices(kinds, weights)[0] if time.monotonic() < deadline else None

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, timeout=120, limits=limits) as client:

        async def worker(worker_seed: int) -> None:
            worker_rng = random.Random(worker_seed)
            while (kind := next_kind()) is not None:
                outcomes.append(await one_request(client, kind, key, max_body, worker_rng))

        await asyncio.gather(*(worker(seed * 1000 + i) for i in range(concurrency)))
    for sock in stalled:
        sock.close()
    return outcomes


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def summarize(outcomes: list[Outcome]) -> dict:
    """Counts per kind and status, unexpected outcomes, and latency percentiles (ms) per kind and overall."""
    by_kind: dict[str, dict] = {}
    for kind in MIX:
        mine = [o for o in outcomes if o.kind == kind]
        if not mine:
            continue
        times = [o.seconds * 1000 for o in mine]
        by_kind[kind] = {
            "requests": len(mine),
            "statuses": dict(sorted(Counter(str(o.status) for o in mine).items())),
            "unexpected": sum(not o.expected for o in mine),
            "p50_ms": round(percentile(times, 50), 1),
            "p95_ms": round(percentile(times, 95), 1),
        }
    served = [o.seconds * 1000 for o in outcomes if o.status == 200]
    unexpected = [o for o in outcomes if not o.expected]
    return {
        "requests": len(outcomes),
        "statuses": dict(sorted(Counter(str(o.status) for o in outcomes).items())),
        "unexpected": len(unexpected),
        "unexpected_examples": [f"{o.kind}: {o.status} {o.error or ''}".strip() for o in unexpected[:10]],
        "p50_ms": round(percentile([o.seconds * 1000 for o in outcomes], 50), 1),
        "p95_ms": round(percentile([o.seconds * 1000 for o in outcomes], 95), 1),
        "served_200_p50_ms": None if not served else round(percentile(served, 50), 1),
        "served_200_p95_ms": None if not served else round(percentile(served, 95), 1),
        "by_kind": by_kind,
    }
