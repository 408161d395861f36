"""`griller bench api-vs-local` on loopback: griller serve (tiny base model) as the API, the tiny adapter as local."""

from __future__ import annotations

import copy
import json
import logging
import time
from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from typer.testing import CliRunner

from ml import tasks
from ml.cli import app
from ml.evaluation.benchmark import (
    BenchConfig,
    BenchError,
    LocalSide,
    api_prices,
    run_benchmark,
    scored_output,
    verdict,
)
from ml.evaluation.evaluate import evaluate
from ml.inference import engine as engine_module
from ml.inference.engine import Engine
from ml.inference.server import ServerSettings, create_app
from tests.processed_data import processed_rows
from tests.servers import serve_in_thread

SECRET = "sk-test-DO-NOT-LEAK-4f9c2a"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
TOKENS = 8


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench-cases") / "test.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in processed_rows()[:6]), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def api_url(tiny_model_dir: Path):
    """`griller serve` over the tiny base model, with a bearer key: the stand-in for a hosted API."""
    app_ = create_app(Engine.load(tiny_model_dir), ServerSettings(api_key=SECRET))
    with serve_in_thread(app_) as url:
        yield f"{url}/v1"


@pytest.fixture(scope="module")
def local_engine(tiny_run: Path) -> Engine:
    return Engine.load(tiny_run / "adapter")


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("GRILLER_API_KEY", raising=False)
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    return SECRET


def config(api_base: str, cases: Path, output: Path, **overrides) -> BenchConfig:
    values = {
        "api_base": api_base,
        "api_model": "tiny-base",
        "cases": cases,
        "n": 4,
        "concurrency": 2,
        "warmup": 1,
        "timeout_s": 60.0,
        "output": output,
        "max_new_tokens": TOKENS,
        "embedder": "lexical",
        "backoff_s": 0.01,
    }
    return BenchConfig(**(values | overrides))


def all_text(folder: Path) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in folder.rglob("*") if p.is_file())


# --- the whole command on loopback ---------------------------------------------------------------


def test_cli_writes_json_report_and_plots_and_agrees_with_eval(
    api_url: str, cases: Path, tiny_run: Path, local_engine: Engine, key: str, tmp_path: Path, caplog
):
    for name in ("openai", "httpx", "httpcore", "ml"):
        caplog.set_level(logging.DEBUG, logger=name)
    out = tmp_path / "bench"
    args = ["bench", "api-vs-local", "--api-base", api_url, "--api-model", "tiny-base", "--cases", str(cases)]
    args += ["--local-model", str(tiny_run / "adapter"), "-n", "4", "--concurrency", "2", "--warmup", "1"]
    args += ["--timeout", "60", "--max-new-tokens", str(TOKENS), "--output", str(out), "--embedder", "lexical"]
    args += ["--price-in", "0.15", "--price-out", "0.6", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    results = json.loads(result.stdout.strip().splitlines()[-1])

    for name in ("results.json", "results.jsonl", "report.md", "run.json"):
        assert (out / name).is_file(), name
    for name in ("latency.png", "quality.png"):
        assert (out / name).read_bytes()[:8] == PNG_MAGIC, name
    assert set(results["plots"].values()) == {"latency.png", "quality.png"}

    api, local = results["sides"]["api"]["by_task"], results["sides"]["local"]["by_task"]
    assert set(api) == set(local) == {"parse_resume", "interview_question"}
    for side in (api, local):
        for stats in side.values():
            assert stats["ok"] == stats["n"] == 2 and stats["errors"] == stats["timeouts"] == 0
            assert stats["latency"]["p50_s"] > 0 and stats["ttft"]["p50_s"] is not None
            assert stats["ttft"]["mean_s"] <= stats["latency"]["mean_s"]
            assert stats["tokens_per_s"] > 0 and stats["cost_per_1k_usd"] > 0
    assert api["parse_resume"]["response_formats"] == ["json_schema"]
    assert api["parse_resume"]["usage_estimated"]  # griller serve streams no usage: counted locally
    assert local["parse_resume"]["primary_metric"] == "micro_f1"
    assert results["failures"]["count"] == 0
    assert set(results["verdicts"]) == {"parse_resume", "interview_question"}

    # the local side's quality is exactly griller eval's on the same cases
    report = evaluate(
        local_engine, cases, limit=4, output_dir=tmp_path / "eval", max_new_tokens=TOKENS, embedder="lexical"
    )
    for task, stats in local.items():
        expected = report["models"]["model"]["by_task"][task]
        assert {k: expected.get(k) for k in stats["quality"]} == stats["quality"], task
    predictions = {
        json.loads(line)["index"]: json.loads(line)["output"]
        for line in (tmp_path / "eval" / "predictions.model.jsonl").read_text().splitlines()
    }
    records = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert {r["index"]: r["output"] for r in records if r["side"] == "local"} == predictions

    markdown = (out / "report.md").read_text()
    assert "# Benchmark: local vs API" in markdown and "## Verdict per task" in markdown
    assert "Tolerance: **0.05**" in markdown and "![Quality per task](quality.png)" in markdown
    assert "`OPENAI_API_KEY`" in markdown  # where the key came from, never the key

    assert SECRET not in result.output
    assert SECRET not in all_text(out)
    assert SECRET not in caplog.text


def test_a_wrong_key_stops_the_run_with_a_clear_message(
    api_url: str, cases: Path, local_engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.setenv("GRILLER_API_KEY", "sk-wrong-key-123")
    with pytest.raises(BenchError, match=r"refused the request .*401") as error:
        run_benchmark(config(api_url, cases, tmp_path / "b", n=1, warmup=0), local_engine)
    assert "sk-wrong-key-123" not in str(error.value)


# --- resume --------------------------------------------------------------------------------------


def test_resume_skips_the_cases_already_answered(
    api_url: str, cases: Path, local_engine: Engine, key: str, tmp_path: Path
):
    out = tmp_path / "bench"
    first = run_benchmark(config(api_url, cases, out, n=2), local_engine)
    assert first["run"]["answered"] == {s: {"answered": 2, "skipped": 0} for s in ("api", "local")}
    with pytest.raises(BenchError, match="--resume"):
        run_benchmark(config(api_url, cases, out, n=4), local_engine)
    with pytest.raises(BenchError, match="api_model"):
        run_benchmark(config(api_url, cases, out, n=4, api_model="other", resume=True), local_engine)
    other_backend = copy.copy(local_engine)
    other_backend.backend = "llama.cpp"  # the same model on the other backend: other latencies, other f16 answers
    with pytest.raises(BenchError, match="local_backend"):
        run_benchmark(config(api_url, cases, out, n=4, resume=True), other_backend)
    other_weights = copy.copy(local_engine)
    other_weights.gguf_path = Path("cache/0123-f16.gguf")  # the same adapter, converted to other weights
    with pytest.raises(BenchError, match="local_weights"):
        run_benchmark(config(api_url, cases, out, n=4, resume=True), other_weights)

    with (out / "results.jsonl").open("a") as handle:
        handle.write('{"side": "api", "index": 2, "tor')  # a crash mid-write
    second = run_benchmark(config(api_url, cases, out, n=4, resume=True), local_engine)
    assert second["run"]["answered"] == {s: {"answered": 2, "skipped": 2} for s in ("api", "local")}
    lines = (out / "results.jsonl").read_text().splitlines()
    assert len(lines) == 8 and all(json.loads(line) for line in lines)
    assert sorted((r["side"], r["index"]) for r in map(json.loads, lines)) == [
        (s, i) for s in ("api", "local") for i in range(4)
    ]
    assert all(stats["n"] == 2 for side in second["sides"].values() for stats in side["by_task"].values())


# --- API faults ----------------------------------------------------------------------------------


def sse(content: str, usage: bool) -> StreamingResponse:
    def chunk(delta: dict, finish: str | None = None) -> str:
        body = {
            "id": "chatcmpl-fake",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": "fake",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        return f"data: {json.dumps(body)}\n\n"

    def events():
        yield chunk({"role": "assistant", "content": ""})
        for piece in (content[: len(content) // 2], content[len(content) // 2 :]):
            yield chunk({"content": piece})
        yield chunk({}, "stop")
        if usage:
            body = {
                "id": "chatcmpl-fake",
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": "fake",
                "choices": [],
                "usage": {"prompt_tokens": 50, "completion_tokens": 10, "total_tokens": 60},
            }
            yield f"data: {json.dumps(body)}\n\n"
        yield "data: [DONE]\n\n"

    return StreamingResponse(events(), media_type="text/event-stream")


def fake_api(mode: str) -> tuple[FastAPI, dict[str, int]]:
    """``flaky``: 429 on the first request, 400 for a json_schema response format, else a canned answer.
    ``down``: always 500."""
    calls = {"n": 0, "bad_format": 0}
    fake = FastAPI()

    @fake.post("/v1/chat/completions")
    async def completions(request: Request):
        calls["n"] += 1
        body = await request.json()
        if mode == "down":
            return JSONResponse({"error": {"message": "boom", "type": "server_error"}}, status_code=500)
        if calls["n"] == 1:
            return JSONResponse(
                {"error": {"message": "slow down", "type": "rate_limit"}}, status_code=429, headers={"Retry-After": "0"}
            )
        if (body.get("response_format") or {}).get("type") == "json_schema":
            calls["bad_format"] += 1
            return JSONResponse({"error": {"message": "json_schema not supported"}}, status_code=400)
        parse = body["messages"][0]["content"] == tasks.SYSTEM_PROMPTS[tasks.TaskName.PARSE_RESUME]
        content = '```json\n{"name": "Ana Silva", "skills": ["Python"]}\n```' if parse else "How did you use Python?"
        return sse(content, usage=bool((body.get("stream_options") or {}).get("include_usage")))

    return fake, calls


def test_rate_limit_is_retried_and_a_rejected_schema_format_steps_down(
    cases: Path, local_engine: Engine, key: str, tmp_path: Path
):
    fake, calls = fake_api("flaky")
    with serve_in_thread(fake) as url:
        results = run_benchmark(config(f"{url}/v1", cases, tmp_path / "b", concurrency=1, warmup=0), local_engine)
    api = results["sides"]["api"]["by_task"]
    assert results["retries"]["api"] == 1 and results["failures"]["count"] == 0
    assert all(s["ok"] == 2 for s in api.values())
    assert calls["bad_format"] == 1  # asked once, then json_object for the rest of the run
    assert results["run"]["api_fallbacks"] == ["response_format json_schema -> json_object"]
    assert api["parse_resume"]["response_formats"] == ["json_object"]
    assert api["parse_resume"]["quality"]["json_valid"] == 1.0  # the code fence is dropped, as the backend does
    assert not api["parse_resume"]["usage_estimated"] and api["parse_resume"]["prompt_tokens_mean"] == 50
    records = [json.loads(line) for line in (tmp_path / "b" / "results.jsonl").read_text().splitlines()]
    assert sum(r["retries"] for r in records if r["side"] == "api") == 1


def test_an_api_that_always_fails_is_recorded_and_the_run_completes(
    cases: Path, local_engine: Engine, key: str, tmp_path: Path
):
    fake, calls = fake_api("down")
    out = tmp_path / "b"
    with serve_in_thread(fake) as url:
        results = run_benchmark(config(f"{url}/v1", cases, out, max_retries=2, warmup=0), local_engine)
    assert calls["n"] == 4 * 3  # each case: one try and two retries
    failures = results["failures"]
    assert failures["count"] == 4 and failures["by_kind"] == {"api error: 500 server error": 4}
    assert all(c["retries"] == 2 and c["side"] == "api" for c in failures["cases"])
    assert all(s["ok"] == 2 for s in results["sides"]["local"]["by_task"].values())
    assert all(v["verdict"] == "no verdict" for v in results["verdicts"].values())
    markdown = (out / "report.md").read_text()
    assert "4 case(s) failed after retries" in markdown and "api error: 500 server error: 4" in markdown
    assert (out / "latency.png").read_bytes()[:8] == PNG_MAGIC


# --- pieces --------------------------------------------------------------------------------------


def test_local_timeout_is_recorded(local_engine: Engine):
    answer = LocalSide(local_engine, timeout_s=0.0).ask("interview_question", "Ask a question.", TOKENS)
    assert answer.status == "timeout" and "0s" in answer.error


def test_prices_come_from_the_table_by_prefix_or_from_the_command_line(tmp_path: Path):
    table = {"gpt-4o-mini": (0.15, 0.6), "gpt-4o": (2.5, 10.0)}
    assert api_prices("gpt-4o-mini-2024-07-18", table) == (0.15, 0.6, "price table")
    assert api_prices("openai/gpt-4o", table)[:2] == (2.5, 10.0)
    assert api_prices("gpt-4o", table, price_out=8.0) == (2.5, 8.0, "price table + command line")
    assert api_prices("llama3", table) is None
    assert api_prices("llama3", table, 0.1, 0.2) == (0.1, 0.2, "command line")


def test_scored_output_matches_what_the_product_uses():
    assert scored_output("parse_resume", '```json\n{"name": "A"}\n```') == '{"name": "A"}'
    assert scored_output("interview_question", "Why Python? And Go?") == "Why Python?"
    invented = '```json\n{"name": "A", "skills": ["Go", "Rust"]}\n```'
    grounded = json.loads(scored_output("parse_resume", invented, "Parse this resume:\nA\nSkills: Go"))
    assert grounded["name"] == "A" and grounded["skills"] == ["Go"], "grounded as the backend grounds API answers"


def stats(quality: float, p50: float, cost: float | None, failure_rate: float = 0.0) -> dict:
    return {
        "ok": 5,
        "primary_metric": "micro_f1",
        "quality": {"micro_f1": quality},
        "latency": {"p50_s": p50},
        "cost_per_1k_usd": cost,
        "failure_rate": failure_rate,
    }


def test_verdict_rule():
    assert verdict(stats(0.80, 2.0, 1.0), stats(0.76, 1.0, 0.1), 0.05)["verdict"] == "local good enough"
    worse = verdict(stats(0.80, 2.0, 1.0), stats(0.70, 1.0, 0.1), 0.05)
    assert worse["verdict"] == "keep the API" and worse["reasons"][0].startswith("quality")
    slower = verdict(stats(0.80, 1.0, 1.0), stats(0.85, 2.0, 0.1), 0.05)
    assert slower["verdict"] == "keep the API" and slower["checks"]["latency"] is False
    unknown_price = verdict(stats(0.80, 2.0, None), stats(0.80, 1.0, 0.1), 0.05)
    assert unknown_price["verdict"] == "local good enough" and unknown_price["checks"]["cost"] is None
    flaky = verdict(stats(0.80, 2.0, 1.0), stats(0.80, 1.0, 0.1, failure_rate=0.2), 0.05)
    assert flaky["verdict"] == "keep the API"


def test_both_sides_get_the_local_answer_budget_even_when_a_resumed_run_has_no_local_engine(
    api_url: str, cases: Path, local_engine: Engine, key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """With no --max-new-tokens, a parse's cap follows its resume on both sides; resumed, from the local record."""
    limits = {**engine_module.DEFAULT_MAX_NEW_TOKENS, tasks.TaskName.PARSE_RESUME: 8}
    monkeypatch.setattr(engine_module, "DEFAULT_MAX_NEW_TOKENS", limits)
    monkeypatch.setattr(engine_module, "PARSE_ANSWER_PER_PROMPT_TOKEN", 0.1)  # short, yet above the floor of 8
    out = tmp_path / "bench"
    run_benchmark(config(api_url, cases, out, n=3, max_new_tokens=None), local_engine)
    results = out / "results.jsonl"
    records = [json.loads(line) for line in results.read_text().splitlines()]
    results.write_text("".join(json.dumps(r) + "\n" for r in records if r["side"] == "local"))  # the API side lost
    resumed = config(api_url, cases, out, n=3, max_new_tokens=None, resume=True, local_model=local_engine.name)
    monkeypatch.setenv("GRILLER_BACKEND", local_engine.backend)  # --backend: the backend the run was written with
    run_benchmark(resumed, None)

    caps = {(r["side"], r["index"]): (r["task"], r["max_tokens"]) for r in map(json.loads, results.open())}
    parses = [i for i in range(3) if caps[("local", i)][0] == tasks.TaskName.PARSE_RESUME]
    assert parses and all(caps[("local", i)][1] > 8 for i in parses), "the budget grew with the resume"
    assert all(caps[("api", i)] == caps[("local", i)] for i in range(3))
