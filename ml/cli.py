"""``griller``: the command-line skin. Each command parses options and calls one module function."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ml.base_model import BaseModelError
from ml.inference import PARSE_SEQUENCES
from ml.paths import DEFAULT_TRAINING_CONFIG, EXPORTED_DIR, INTERVIEW_QA_DIR, PROCESSED_DIR, RESUMES_DIR

app = typer.Typer(no_args_is_help=True, help="Fine-tune, evaluate and serve resume-parsing and interview models.")
data_app = typer.Typer(no_args_is_help=True, help="Build and label training data.")
bench_app = typer.Typer(no_args_is_help=True, help="Benchmarks: the local model against an API.")
app.add_typer(data_app, name="data")
app.add_typer(bench_app, name="bench")

console = Console(stderr=True, soft_wrap=True)
DEFAULT_ADAPTER = EXPORTED_DIR / "resume-griller-lora"

ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        "-m",
        help="Exported model dir, adapter dir, base alias, .gguf file or hub id "
        "(default: the shipped adapter, else the embedded base model).",
    ),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable output on stdout.")]
BackendOption = Annotated[
    str | None,
    typer.Option(
        "--backend",
        help="auto | transformers | llama.cpp (same tasks and decoding; llama.cpp needs the \\[llama] extra and runs "
        "an adapter merged into Q8_0 weights). Default: "
        "GRILLER_BACKEND, else auto: llama.cpp on CPU where it is installed and takes the model, else transformers.",
    ),
]
SeedOption = Annotated[
    int | None,
    typer.Option(
        min=0,
        help="Questions are sampled: another seed asks another one (default: the same question for the same input; "
        "GRILLER_QUESTION_TEMPERATURE=0 decodes greedily).",
    ),
]


@contextmanager
def reported(*errors: type[Exception]) -> Iterator[None]:
    """Expected failures (bad input, missing files, setup errors) become one red line and exit code 1."""
    try:
        yield
    except errors as error:
        console.print(f"[red]{escape(str(error))}[/red]")  # a hint like pip install ".[llama]" is not markup
        raise typer.Exit(code=1) from error


def summary_table(title: str, values: dict) -> Table:
    table = Table(title=title, show_header=False)
    for key, value in values.items():
        table.add_row(escape(key), escape(str(value)))
    return table


def _load_engine(model: str | None, backend: str | None):
    """The engine for a command that asks one question: the model (or the default one) on the chosen backend, one
    sequence (a follow-up decodes one answer at a time; more would only hold KV cache); setup errors are one line."""
    from ml.inference.backends import load_engine
    from ml.inference.llama_cpp_engine import LlamaCppError

    with reported(BaseModelError, LlamaCppError, ValueError):
        return load_engine(_default_model(model), backend, parallel=1)


@contextmanager
def _using_backend(backend: str | None) -> Iterator[None]:
    """Commands that load models deep inside (eval, bench) take the backend from GRILLER_BACKEND: set it for the
    command's run and put it back after, so a caller in the same process (a test, a notebook) keeps its own."""
    from ml.inference.backends import backend_setting

    if backend is None:
        yield
        return
    with reported(ValueError):
        setting = backend_setting(backend)
    before = os.environ.get("GRILLER_BACKEND")
    os.environ["GRILLER_BACKEND"] = setting
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("GRILLER_BACKEND", None)
        else:
            os.environ["GRILLER_BACKEND"] = before


def _default_model(model: str | None) -> str | None:
    if model is not None:
        return model
    return str(DEFAULT_ADAPTER) if DEFAULT_ADAPTER.is_dir() else None


def _read_resume(path: Path) -> str:
    from ml.preprocessing.ingest import IngestError, read_document

    with reported(IngestError):
        return read_document(path)


# --- data ---------------------------------------------------------------------------------------


@data_app.command("build")
def data_build(
    out: Annotated[Path, typer.Option(help="Output folder for train/val/test JSONL.")] = PROCESSED_DIR,
    num_resumes: Annotated[int | None, typer.Option(help="Synthetic resumes to generate.")] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed.")] = None,
    config: Annotated[Path | None, typer.Option(help="Data config YAML (default ml/configs/data_config.yaml).")] = None,
    tokenizer: Annotated[
        str | None,
        typer.Option(
            help="Tokenizer for the token stats: base-model alias, model dir, .gguf or hub id; 'none' for the "
            "chars/4 estimate (default: the embedded base model's)."
        ),
    ] = None,
    no_real: Annotated[bool, typer.Option("--no-real", help="Synthetic data only; ignore ml/data files.")] = False,
    real_renderings: Annotated[
        float,
        typer.Option(
            help="Share of train.jsonl's parses to add from real people (the JSON Resume training pool, never the "
            "validation people) as text renderings and theme PDFs read back: 0.3 = 30%. Needs scripts/setup_render.sh."
        ),
    ] = 0.0,
    as_json: JsonFlag = False,
) -> None:
    """Build processed train/val/test JSONL from synthetic resumes and any real files in ml/data/."""
    from ml.preprocessing.build import run_build
    from ml.preprocessing.config import BuildError
    from ml.preprocessing.jsonresume import JsonResumeError
    from ml.preprocessing.real_renderings import mix_real_renderings

    with reported(BuildError, JsonResumeError):
        summary = run_build(out, num_resumes, seed, config, tokenizer, include_real=not no_real, console=console)
        if real_renderings:
            summary["real_renderings"] = mix_real_renderings(out, real_renderings, seed or 0)
            console.print(f"  real people added to train.jsonl: {summary['real_renderings']}")
    if as_json:
        sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")


@data_app.command("real")
def data_real(
    out: Annotated[Path, typer.Option(help="Output folder for real_val.jsonl and real_train.jsonl.")] = PROCESSED_DIR
    / "real",
    as_json: JsonFlag = False,
) -> None:
    """Real labelled data: the shared JSON Resume documents (GRILLER_JSONRESUME_DIR) rendered as text, split by
    person as ml/data/jsonresume_split.tsv says, with their SOURCES.tsv and NOTICE.tsv."""
    from ml.preprocessing.jsonresume import JsonResumeError, run_real

    with reported(JsonResumeError):
        summary = run_real(out, console)
    if as_json:
        sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")


@data_app.command("mix")
def data_mix(
    out: Annotated[Path, typer.Option(help="Output folder for the mixed train.jsonl and val.jsonl.")],
    source: Annotated[Path, typer.Option("--from", help="A processed data folder.")] = PROCESSED_DIR,
    replay_share: Annotated[
        float,
        typer.Option(
            help="Parse examples replayed, per question example (with --real-pdfs / --parts: rows, per PDF / part "
            "example)."
        ),
    ] = 0.11,
    seed: Annotated[int, typer.Option(help="Random seed of the replayed sample and the shuffle.")] = 0,
    focus: Annotated[
        str | None,
        typer.Option(
            help="Instead: a parse-focused set. Comma-separated patterns (promotion, qualified_title, no_skills): "
            "every parse showing one, as many other parses, and question examples as --question-share of the set."
        ),
    ] = None,
    question_share: Annotated[float, typer.Option(help="With --focus: share of question examples.")] = 0.25,
    written: Annotated[
        bool,
        typer.Option(
            "--written-questions",
            help="Question examples from the questions written for the real training pool "
            "(ml/data/jsonresume_questions) instead of the source's; parses still replayed from --from.",
        ),
    ] = False,
    written_repeat: Annotated[
        int | None,
        typer.Option(
            help="With --written-questions: a whole training set instead of a stage: every parse and follow-up of "
            "--from, its interview questions replaced by the written ones, each written row N times."
        ),
    ] = None,
    follow_up_share: Annotated[
        float,
        typer.Option(
            help="With --written-questions (a stage): --from's own follow-ups replayed, per written example "
            "(the written rows hold two per person, too few to keep the task)."
        ),
    ] = 0.0,
    real_pdfs: Annotated[
        bool,
        typer.Option(
            "--real-pdfs",
            help="Instead: a PDF stage. Every real training-pool person in every theme, read back by the ingest, "
            "plus --replay-share x as many rows of --from (parses and questions alike).",
        ),
    ] = False,
    parts: Annotated[
        bool,
        typer.Option(
            "--parts",
            help="Instead: a parts stage. Every parse of --from that the segmented parse cuts, as the parts it reads, "
            "each with its share of the truth, plus --replay-share x as many of --from's other rows.",
        ),
    ] = False,
    parts_of: Annotated[
        str | None, typer.Option(help="With --parts: cut only the parses of this meta.source (jsonresume).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """A second-stage set: all question and follow-up examples plus a replayed share of parses (no forgetting), or
    with --focus, the parse examples that show some resume patterns plus replay of the rest, or with --real-pdfs,
    real people's theme PDFs plus replay, or with --parts, resumes cut as the segmented parse cuts them."""
    from ml.jsonl import JsonlError
    from ml.preprocessing.jsonresume import JsonResumeError
    from ml.preprocessing.mix import MixError, focus_mix, replay_mix
    from ml.preprocessing.parts import parts_mix
    from ml.preprocessing.real_renderings import pdf_stage_mix
    from ml.preprocessing.render import RenderError
    from ml.preprocessing.written_questions import written_full_mix, written_mix

    if written_repeat is not None and not written:
        console.print("[red]--written-repeat goes with --written-questions[/red]")
        raise typer.Exit(code=2)
    if follow_up_share and (not written or written_repeat is not None):
        console.print("[red]--follow-up-share goes with --written-questions, without --written-repeat[/red]")
        raise typer.Exit(code=2)
    if real_pdfs and (focus or written):
        console.print("[red]--real-pdfs is a stage of its own: not with --focus or --written-questions[/red]")
        raise typer.Exit(code=2)
    if parts and (real_pdfs or focus or written):
        console.print("[red]--parts is a stage of its own: not with --real-pdfs, --focus or --written-questions[/red]")
        raise typer.Exit(code=2)
    if parts_of and not parts:
        console.print("[red]--parts-of goes with --parts[/red]")
        raise typer.Exit(code=2)
    with reported(JsonlError, MixError, JsonResumeError, RenderError):
        if parts:
            counts = parts_mix(source, out, replay_share, seed, of_source=parts_of)
        elif real_pdfs:
            counts = pdf_stage_mix(source, out, replay_share, seed)
        elif written_repeat is not None:
            counts = written_full_mix(source, out, written_repeat, seed)
        elif focus:
            patterns = [name.strip() for name in focus.split(",") if name.strip()]
            counts = focus_mix(source, out, patterns, question_share=question_share, seed=seed)
        elif written:
            counts = written_mix(source, out, replay_share, seed, follow_up_share=follow_up_share)
        else:
            counts = replay_mix(source, out, replay_share, seed)
    if parts:
        detail = (
            f"{counts['part_examples']} parts of {counts['cut_resumes']} resumes ({counts['untrusted']} left out: "
            f"their parts' truth uncertain), {counts['replayed']} rows of --from replayed"
        )
    elif real_pdfs:
        detail = f"{counts['real_pdf_parses']} real theme PDFs, {counts['replayed']} rows of --from replayed"
    elif written_repeat is not None:
        detail = f"every parse and follow-up, the written questions {written_repeat}x; {counts['val']} validation"
    elif focus:
        detail = f"{counts['focus_parses']} focused parses, {counts['other_parses']} others"
    elif written:
        detail = f"{counts['replayed_parses']} replayed parses, {counts['replayed_follow_ups']} replayed follow-ups"
    else:
        detail = f"{counts['replayed_parses']} replayed parses"
    console.print(f"wrote {escape(str(out))}/train.jsonl ({counts['train']} examples, {detail})")
    if as_json:
        sys.stdout.write(json.dumps(counts) + "\n")


@data_app.command("label")
def data_label(
    api_base: Annotated[str, typer.Option(help="OpenAI-compatible base URL, e.g. https://api.openai.com/v1.")],
    model: Annotated[str, typer.Option(help="Teacher model name at the API.")],
    resumes: Annotated[Path, typer.Option(help="Folder of resumes to label.")] = RESUMES_DIR,
    qa: Annotated[Path, typer.Option(help="Folder of imported Q&A files (a follow-up each).")] = INTERVIEW_QA_DIR,
    tasks: Annotated[
        str, typer.Option(help="Comma-separated: parse_resume, interview_question, follow_up.")
    ] = "parse_resume,interview_question,follow_up",
    config: Annotated[
        Path | None, typer.Option(help="Data config whose held-out occupations imported Q&A must avoid.")
    ] = None,
    cache: Annotated[Path | None, typer.Option(help="Label cache JSONL (reruns resume from it).")] = None,
    concurrency: Annotated[int, typer.Option(help="Parallel requests.")] = 4,
    limit: Annotated[int | None, typer.Option(help="Send at most N new items (any task).")] = None,
    price_in: Annotated[float | None, typer.Option(help="USD per 1M prompt tokens, for the estimate.")] = None,
    price_out: Annotated[float | None, typer.Option(help="USD per 1M completion tokens.")] = None,
    response_format: Annotated[str, typer.Option(help="json_schema | json_object | none")] = "json_schema",
    strict: Annotated[bool, typer.Option("--strict", help="Stop at the first unreadable file.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Label real resumes and Q&A through a teacher model behind any OpenAI-compatible API (key: OPENAI_API_KEY)."""
    from ml.preprocessing.config import BuildError
    from ml.preprocessing.ingest import IngestError
    from ml.preprocessing.teacher import TeacherError, parse_tasks, run_label

    with reported(TeacherError, IngestError, BuildError):
        summary = run_label(
            api_base,
            model,
            resumes,
            cache,
            qa_dir=qa,
            selected=parse_tasks(tasks),
            config_path=config,
            concurrency=concurrency,
            price_in=price_in,
            price_out=price_out,
            limit=limit,
            response_format=response_format,
            strict=strict,
            console=console,
        )
    if as_json:
        sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")


# --- train / eval / bench / export / serve ------------------------------------------------------


@app.command()
def train(
    config: Annotated[Path, typer.Option(help="Training config YAML.")] = DEFAULT_TRAINING_CONFIG,
    set_: Annotated[list[str] | None, typer.Option("--set", help="Override a config key: key=value.")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Continue from the run's last checkpoint.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Fine-tune a base model with LoRA / QLoRA."""
    import logging
    from dataclasses import asdict

    from ml.jsonl import JsonlError
    from ml.training.config import ConfigError, load_config
    from ml.training.lora_config import LoraTargetError
    from ml.training.train import TrainingSetupError
    from ml.training.train import train as run_training

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    with reported(ConfigError, JsonlError, TrainingSetupError, BaseModelError, LoraTargetError):
        summary = run_training(load_config(config, set_ or []), resume=resume)
    if as_json:
        sys.stdout.write(json.dumps(asdict(summary)) + "\n")
    else:
        console.print(summary_table("training summary", asdict(summary)))


@app.command("eval")
def evaluate(
    model: ModelOption = None,
    data: Annotated[
        Path | None, typer.Option(help="Processed JSONL split to evaluate on (default: processed test.jsonl).")
    ] = None,
    real: Annotated[
        bool,
        typer.Option(
            "--real",
            help="Evaluate on the real validation people instead: built from the shared JSON Resume folder into "
            "the output folder, scored per field and per rendering (meta.layout).",
        ),
    ] = False,
    limit: Annotated[int | None, typer.Option(help="Evaluate at most N examples.")] = None,
    compare: Annotated[str | None, typer.Option(help="A base model to put beside it, same prompts.")] = None,
    output: Annotated[Path | None, typer.Option(help="Folder for the JSON and Markdown report.")] = None,
    max_new_tokens: Annotated[int | None, typer.Option(help="Cap generated tokens (default: per task).")] = None,
    backend: BackendOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Evaluate a model on a processed split: parsing and question metrics."""
    from ml.evaluation.evaluate import EvaluationError, run_cli

    if real and data is not None:
        console.print("[red]give --data FILE or --real (one of the two)[/red]")
        raise typer.Exit(code=2)
    data = None if real else data or PROCESSED_DIR / "test.jsonl"
    with _using_backend(backend), reported(EvaluationError):
        report = run_cli(_default_model(model), data, limit, output, compare, max_new_tokens, console)
    if as_json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")


@bench_app.command("api-vs-local")
def bench_api_vs_local(
    api_base: Annotated[str, typer.Option(help="OpenAI-compatible base URL (OpenAI, vLLM, Ollama, griller serve).")],
    api_model: Annotated[str, typer.Option(help="Model name at the API (key: GRILLER_API_KEY or OPENAI_API_KEY).")],
    cases: Annotated[Path, typer.Option(help="Processed JSONL split.")],
    local_model: Annotated[str | None, typer.Option(help="Local model (default: shipped adapter).")] = None,
    n: Annotated[int, typer.Option("-n", help="Number of cases (the first N of the split).")] = 20,
    concurrency: Annotated[int, typer.Option(help="API requests in flight (the local side runs one at a time).")] = 4,
    warmup: Annotated[int, typer.Option(help="Unrecorded warm-up requests per side.")] = 1,
    timeout: Annotated[float, typer.Option(help="Seconds allowed per request, either side.")] = 120.0,
    output: Annotated[Path | None, typer.Option(help="Report folder (default under runs/bench/).")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Continue the run in --output.")] = False,
    price_in: Annotated[float | None, typer.Option(help="API USD per 1M input tokens (overrides the table).")] = None,
    price_out: Annotated[float | None, typer.Option(help="API USD per 1M output tokens (overrides the table).")] = None,
    price_table: Annotated[Path | None, typer.Option(help='JSON {"model": {"in": X, "out": Y}} prices.')] = None,
    cpu_hour_usd: Annotated[float, typer.Option(help="Local cost of one CPU-hour (USD).")] = 0.05,
    gpu_hour_usd: Annotated[float, typer.Option(help="Local cost of one GPU-hour (USD), on CUDA.")] = 2.0,
    tolerance: Annotated[float, typer.Option(help="Quality the local side may lose and still be good enough.")] = 0.05,
    max_new_tokens: Annotated[int | None, typer.Option(help="Token cap for both sides (default: per task).")] = None,
    max_retries: Annotated[int, typer.Option(help="API retries on 429, 5xx, timeouts.")] = 3,
    embedder: Annotated[str, typer.Option(help="Relevance backend: minilm | lexical.")] = "minilm",
    backend: BackendOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Compare the local model with an API model on quality, latency and cost (report, plots, JSON)."""
    from ml.evaluation.benchmark import BenchConfig, BenchError, run_cli

    config = BenchConfig(
        api_base=api_base,
        api_model=api_model,
        cases=cases,
        local_model=_default_model(local_model),
        n=n,
        concurrency=concurrency,
        warmup=warmup,
        timeout_s=timeout,
        output=output,
        resume=resume,
        max_new_tokens=max_new_tokens,
        price_in=price_in,
        price_out=price_out,
        price_table=price_table,
        cpu_hour_usd=cpu_hour_usd,
        gpu_hour_usd=gpu_hour_usd,
        tolerance=tolerance,
        max_retries=max_retries,
        embedder=embedder,
    )
    with _using_backend(backend), reported(BenchError):
        results = run_cli(config, console)
    if as_json:
        sys.stdout.write(json.dumps(results, ensure_ascii=False) + "\n")


@app.command()
def export(
    run: Annotated[Path, typer.Option(help="Training run directory.")],
    name: Annotated[str, typer.Option(help="Export name under ml/models/exported/.")],
    format_: Annotated[str, typer.Option("--format", help="adapter | merged | gguf")] = "adapter",
    output: Annotated[Path, typer.Option(help="Parent folder of the export.")] = EXPORTED_DIR,
    dtype: Annotated[
        str, typer.Option(help="Weights dtype, merged model or adapter: float32 | bfloat16 | float16.")
    ] = "float32",
    quant: Annotated[
        str,
        typer.Option(help="GGUF weights: f16 | q8_0; by llama.cpp (\\[llama] extra): q4_k_m | q5_k_m | q6_k | q4_0"),
    ] = "f16",
    as_json: JsonFlag = False,
) -> None:
    """Export a trained run for serving and the backend (written atomically)."""
    from dataclasses import asdict

    from ml.export import ExportError
    from ml.export import export as run_export

    with reported(ExportError, BaseModelError):
        result = run_export(run, name, format_, output, dtype=dtype, quant=quant)
    if as_json:
        sys.stdout.write(json.dumps(asdict(result)) + "\n")
    else:
        console.print(f"exported {result.format} to {escape(str(result.path))} in {result.seconds}s")


@app.command()
def serve(
    model: ModelOption = None,
    host: Annotated[str, typer.Option(help="Bind address (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    api_key: Annotated[str | None, typer.Option(help="Require this bearer key.", envvar="GRILLER_API_KEY")] = None,
    compare_base_url: Annotated[
        str | None, typer.Option(help="Try-it page: an OpenAI-compatible API to compare with (else API_BASE_URL).")
    ] = None,
    compare_model: Annotated[str | None, typer.Option(help="Model name at that API (else API_MODEL).")] = None,
    compare_key: Annotated[str | None, typer.Option(help="Key for that API (else API_KEY).")] = None,
    backend: BackendOption = None,
) -> None:
    """Serve an OpenAI-compatible API, the task endpoints (docs at /docs) and a try-it page at /."""
    from ml.inference.llama_cpp_engine import LlamaCppError
    from ml.inference.server import serve as run_server

    with reported(BaseModelError, LlamaCppError, ValueError):
        run_server(_default_model(model), host, port, api_key, compare_base_url, compare_model, compare_key, backend)


# --- tasks --------------------------------------------------------------------------------------


@app.command()
def parse(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Resume files (.txt, .md, .pdf, .docx, .html; .csv as a resume table) and folders (walked "
            "recursively; other files ignored)."
        ),
    ] = None,
    jsonl: Annotated[
        Path | None, typer.Option(help='Batch: a JSONL of {"id", "text"} lines; writes one {"id", "output"} line each.')
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help='Append one flushed JSON line per resume here: {"id", "output", "valid", "seconds", "error"}. '
            "A rerun with the same file skips the ids it holds and redoes a line torn by a kill; stdout then gets "
            "only the summary (one JSON line with --json).",
        ),
    ] = None,
    batch_size: Annotated[
        int,
        typer.Option(
            min=1,
            help="Resumes decoded together (llama.cpp: sequences loaded). The default is not tuned: measure 1/4/8 "
            "on your model and machine. griller eval scores the default's decode.",
        ),
    ] = PARSE_SEQUENCES,
    max_new_tokens: Annotated[
        int | None, typer.Option(min=1, help="Cap each parse's answer tokens (default: sized to the resume).")
    ] = None,
    ray_actors: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Run the parse as a Ray Data job on this many actors, one engine each (the [ray] extra); the "
            "cluster RAY_ADDRESS names, else a local Ray. Same output lines and resumption.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Worker processes on this machine, one engine each, the cores shared out as threads. Default: on "
            "the llama.cpp backend one per core (as memory allows) for 2+ resumes, else 1; 2 workers of 1 thread "
            "parsed 1.31x the resumes of 1 of 2 threads on 2 cores (bench/RESULTS.md).",
        ),
    ] = None,
    ray_cpus: Annotated[float, typer.Option(min=0, help="CPUs (engine threads) per Ray actor.")] = 1.0,
    ray_gpus: Annotated[float, typer.Option(min=0, help="GPUs per Ray actor (1: one engine per GPU).")] = 0.0,
    model: ModelOption = None,
    backend: BackendOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Parse resumes into structured JSON: files, folders or a JSONL, in batches, with progress; resumable with
    --output. Unreadable files are reported with their reason and counted, not fatal. Runs one worker process per
    core for 2+ resumes on the llama.cpp backend (--workers N to choose), or on Ray with --ray-actors."""
    from ml.inference.bulk import BulkError, summary_lines
    from ml.inference.bulk_workers import parse_here
    from ml.inference.llama_cpp_engine import LlamaCppError
    from ml.inference.ray_parse import parse_on_ray
    from ml.jsonl import JsonlError

    if bool(paths) == (jsonl is not None):
        console.print("[red]give resume files or folders, or --jsonl FILE (one of the two)[/red]")
        raise typer.Exit(code=2)
    if workers is not None and ray_actors is not None:
        console.print("[red]--workers runs here, --ray-actors on Ray: choose one[/red]")
        raise typer.Exit(code=2)
    echo = "none" if output is not None else "id_output" if jsonl is not None else "result" if as_json else "human"
    options = {"model": _default_model(model), "backend": backend, "output": output, "batch_size": batch_size}
    options |= {"max_new_tokens": max_new_tokens, "echo": echo, "console": console}
    with reported(BulkError, JsonlError, BaseModelError, LlamaCppError, ValueError):
        if ray_actors is None:
            summary = parse_here(paths or [], jsonl, workers=workers, **options)
        else:
            pool = {"actors": ray_actors, "cpus_per_actor": ray_cpus, "gpus_per_actor": ray_gpus}
            summary = parse_on_ray(paths or [], jsonl, **pool, **options)
    if output is not None and as_json:
        sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")
    else:
        for line in summary_lines(summary):
            console.print(escape(line))


@app.command()
def ask(
    file: Annotated[Path, typer.Argument(help="Resume file.")],
    tone: Annotated[str, typer.Option(help="hr | technical")] = "technical",
    model: ModelOption = None,
    backend: BackendOption = None,
    seed: SeedOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Ask one interview question grounded in a resume."""
    resume = _read_resume(file)
    engine = _load_engine(model, backend)
    question = engine.interview_question(resume, tone, seed)
    if as_json:
        sys.stdout.write(json.dumps({"question": question, "tone": tone, "model": engine.name}) + "\n")
    else:
        print(question)


@app.command("follow-up")
def follow_up(
    file: Annotated[Path, typer.Argument(help="Resume file.")],
    question: Annotated[str, typer.Option(help="The question that was asked.")],
    answer: Annotated[str, typer.Option(help="The candidate's answer.")],
    model: ModelOption = None,
    backend: BackendOption = None,
    seed: SeedOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Ask a follow-up to a candidate's answer."""
    resume = _read_resume(file)
    engine = _load_engine(model, backend)
    follow = engine.follow_up(resume, question, answer, seed)
    if as_json:
        sys.stdout.write(json.dumps({"follow_up": follow, "model": engine.name}) + "\n")
    else:
        print(follow)


@app.command()
def quickstart(
    budget_minutes: Annotated[float, typer.Option(help="Total time budget; phases scale to it.")] = 30.0,
) -> None:
    """The whole pipeline on the embedded model: data, LoRA training, evaluation, export."""
    import logging

    from ml.evaluation.report import print_report, print_verdict
    from ml.quickstart import run_quickstart

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    phases = {"data": "building data", "train": "fine-tuning", "evaluate": "evaluating", "export": "exporting"}
    status = console.status("starting")
    with status:
        report = run_quickstart(budget_minutes, phase=lambda name: status.update(f"[bold]{phases[name]}[/bold]"))
    print_report(report.evaluation, console)
    print_verdict(report.headline, console)
    table = Table(title=f"quickstart phases (budget {budget_minutes:g} min)")
    table.add_column("phase")
    table.add_column("seconds", justify="right")
    for name, seconds in report.phase_seconds.items():
        table.add_row(name, f"{seconds:.0f}")
    table.add_row("total", f"{sum(report.phase_seconds.values()):.0f}")
    console.print(table)
    console.print(
        f"training: {report.training['steps']} steps, {report.training['real_tokens']} tokens, "
        f"{report.training['real_tokens_per_second']} tokens/s; exported to {report.export_path}\n"
        "next:\n"
        f"  griller parse my_resume.txt --model {report.export_path}\n"
        f"  griller ask my_resume.txt --tone hr --model {report.export_path}\n"
        f"  griller serve --model {report.export_path}"
    )


if __name__ == "__main__":
    app()
