"""One training lever at a time: forward + backward tokens/s of the LoRA model on the same real examples.

    python bench/train_levers.py --json logs/bench/train_levers.json
    python bench/train_levers.py --levers fp32,lane_dropout,no_lora_dropout
    python bench/train_levers.py --levers fp32,bf16_autocast,bf16_native     # on a host with AVX-512 BF16 or AMX
    python bench/train_levers.py --levers bf16_native_fp32_lora,bf16_native --examples 4 --profile   # top ops

Each lever runs the same examples (a seeded sample of ``train.jsonl``: parse and question prompts at
real lengths), one example per forward pass with the loss on supervised positions only, exactly as
``griller train`` computes it; the first example is warm-up. No optimizer step (it is the same for
every lever and small for a LoRA). ``fp32`` is PEFT's model as it comes (``nn.Dropout`` masks);
``bf16_autocast`` the same under CPU bf16 autocast (``precision: bf16``: every frozen fp32 base weight cast to
bf16 at every matmul); ``bf16_native`` is ``precision: bf16_native`` as ``griller train`` builds it
(``load_model_for_training``: the base loaded in bf16, lane dropout, the LoRA path computed in bf16 from its fp32
weights under autocast, attention in bf16 matmuls: ``ml.training.cpu_attention``); ``bf16_native_sdpa`` the same
with attention left to PyTorch's SDPA (``bf16_native`` until 2026-12-05); ``bf16_native_fp32_lora`` the same base
and dropout with the LoRA path in fp32 and no autocast (PEFT casts each LoRA input up to fp32: ``bf16_native``
until 2026-12-04, once ``bf16_weights``, "bf16 weights (LoRA in fp32)" in ``bench/NOTES.md``);
``bf16_native_peft_lora`` the same with PEFT's LoRA layers (``bf16_native`` until 2026-12-06),
``bf16_native_plain_head`` the same with the supervised positions' logits made whole and their cross-entropy
taken as transformers does (``bf16_native`` until 2026-12-06; since then every lever ``griller train`` builds,
``fused_lora`` and the ``bf16_native_*`` ones, runs the head's loss a chunk at a time: ``ml.training.head_loss``;
their rows before that date are not comparable),
``bf16_native_own_masks`` with the fused layers of ``ml.training.cpu_lora`` but a dropout mask per layer;
``lane_dropout`` fp32 with the masks ``griller train`` draws on CPU (``ml.training.lane_dropout``), and
``fused_lora`` fp32 as ``griller train`` builds it (lane dropout and the fused LoRA layers);
``chunked_ce`` runs the LM head and cross-entropy ``CE_CHUNK`` supervised positions at a time, recomputing
each chunk's logits in backward; ``compile`` compiles the whole model under bf16 autocast, ``compile_fp32``
without it, ``compile_layers`` each decoder layer on its own; ``no_lora_dropout`` is fp32 with
``lora.dropout=0``: a recipe change, not only arithmetic (``bench/NOTES.md``). ``speedup`` is the best lever
over ``fp32``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LEVERS = (
    "fp32",
    "bf16_autocast",
    "bf16_native",
    "bf16_native_sdpa",
    "bf16_native_fp32_lora",
    "bf16_native_peft_lora",
    "bf16_native_own_masks",
    "bf16_native_plain_head",
    "fused_lora",
    "compile",
    "compile_fp32",
    "compile_layers",
    "lane_dropout",
    "chunked_ce",
    "no_lora_dropout",
)
GRILLER_BUILT = (
    "bf16_native",
    "bf16_native_sdpa",
    "bf16_native_peft_lora",
    "bf16_native_own_masks",
    "bf16_native_plain_head",
    "fused_lora",
)
"""Levers whose model ``griller train`` builds (``load_model_for_training``), and whose loss it computes (the head's
loss a chunk at a time, ``ml.training.head_loss``) but for ``bf16_native_plain_head``."""
CE_CHUNK = 256  # supervised positions whose logits exist at once under chunked_ce


def build_model(lever: str, lora_targets: str | None):
    import torch
    from peft import get_peft_model

    from ml.base_model import load_base_model
    from ml.training.config import load_config
    from ml.training.lane_dropout import use_lane_dropout
    from ml.training.lora_config import build_lora_config

    overrides = [f"lora.target_modules={lora_targets}"] if lora_targets else []
    if lever == "no_lora_dropout":
        overrides.append("lora.dropout=0.0")
    config = load_config(ROOT / "ml/configs/training_config.yaml", overrides)
    torch.manual_seed(0)
    if lever in GRILLER_BUILT:
        from ml.training import cpu_lora, train

        if lever == "bf16_native_sdpa":  # the same, attention left to SDPA (before the blocked attention)
            train.use_blocked_attention = lambda model: False
        if lever == "bf16_native_peft_lora":  # PEFT's LoRA layers (before the fused ones)
            train.use_fused_lora = lambda model: 0
        if lever == "bf16_native_own_masks":  # fused layers, each drawing its own dropout mask
            shared_drop = cpu_lora.SharedDropout.drop
            cpu_lora.SharedDropout.drop = lambda self, *args: (
                cpu_lora.SharedDropout.__init__(self),
                shared_drop(self, *args),
            )[1]
        precision = "fp32" if lever == "fused_lora" else "bf16_native"
        model, tokenizer = train.load_model_for_training(config, precision, "per_example")
        model.train()
        return model, tokenizer
    dtype = torch.bfloat16 if lever == "bf16_native_fp32_lora" else torch.float32
    model, tokenizer = load_base_model(config.base_model, dtype=dtype)
    model.config.use_cache = False
    model = get_peft_model(model, build_lora_config(model, config.lora), autocast_adapter_dtype=True)
    assert all(p.dtype == torch.float32 for p in model.parameters() if p.requires_grad), "LoRA weights must be fp32"
    if lever in ("lane_dropout", "bf16_native_fp32_lora"):
        use_lane_dropout(model)
    model.train()
    if lever in ("compile", "compile_fp32"):
        model = torch.compile(model, dynamic=True)
    if lever == "compile_layers":  # regional: one decoder layer's graph, reused by all of them
        for layer in model.base_model.model.model.layers:
            layer.compile(dynamic=True)
    return model, tokenizer


def sample(tokenizer, count: int, seed: int) -> list[dict[str, list[int]]]:
    from ml.training.dataset import read_examples, tokenize_examples

    rows = read_examples(ROOT / "ml/data/processed/train.jsonl")
    return tokenize_examples(tokenizer, random.Random(seed).sample(rows, count), 4096).examples


def step(model, example: dict[str, list[int]], autocast: bool, chunked_ce: bool = False, head: bool = False) -> float:
    import torch
    import torch.nn.functional as F

    from ml.training.head_loss import head_loss_sum

    ids = torch.tensor([example["input_ids"]])
    labels = torch.tensor(example["labels"])[1:]
    positions = (labels != -100).nonzero().squeeze(-1)
    if head:
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
            loss = head_loss_sum(model, {"input_ids": ids}, positions, labels[positions]) / len(positions)
    elif chunked_ce:
        loss = chunked_cross_entropy(model, ids, positions, labels[positions])
    else:
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
            logits = model(input_ids=ids, logits_to_keep=positions).logits[0]
        loss = F.cross_entropy(logits.float(), labels[positions])
    loss.backward()
    return float(loss)


def chunked_cross_entropy(model, ids, positions, targets):
    """The same loss with the LM head and cross-entropy run over ``CE_CHUNK`` supervised positions at a time,
    each chunk's logits recomputed in backward (``checkpoint``) instead of kept: at most one chunk of logits
    (256 x 49,152 floats) exists at once, against all supervised positions' otherwise."""
    import torch.nn.functional as F
    from torch.utils.checkpoint import checkpoint

    causal_lm = model.base_model.model
    hidden = causal_lm.model(input_ids=ids).last_hidden_state[0, positions]

    def chunk_loss(states, chunk_targets):
        return F.cross_entropy(causal_lm.lm_head(states).float(), chunk_targets, reduction="sum")

    total = sum(
        checkpoint(chunk_loss, hidden[start : start + CE_CHUNK], targets[start : start + CE_CHUNK], use_reentrant=False)
        for start in range(0, len(targets), CE_CHUNK)
    )
    return total / len(targets)


def run_lever(lever: str, count: int, seed: int, lora_targets: str | None, profile: bool = False) -> dict[str, Any]:
    from contextlib import nullcontext

    from torch.profiler import ProfilerActivity
    from torch.profiler import profile as profiler

    from ml.training.throughput import peak_memory_mb

    model, tokenizer = build_model(lever, lora_targets)
    examples = sample(tokenizer, count + 1, seed)
    autocast = lever in (
        "bf16_autocast",
        "compile",
        "bf16_native",
        "bf16_native_sdpa",
        "bf16_native_peft_lora",
        "bf16_native_own_masks",
        "bf16_native_plain_head",
    )
    head = lever in GRILLER_BUILT and lever != "bf16_native_plain_head"
    warm_started = time.perf_counter()
    chunked = lever == "chunked_ce"
    step(model, examples[0], autocast, chunked, head)
    warm_up_s = time.perf_counter() - warm_started
    started = time.perf_counter()
    with profiler(activities=[ProfilerActivity.CPU]) if profile else nullcontext() as trace:
        losses = [step(model, example, autocast, chunked, head) for example in examples[1:]]
    seconds = time.perf_counter() - started
    tokens = sum(len(example["input_ids"]) for example in examples[1:])
    ops = {}
    if trace is not None:  # where the time goes: the ops with the most self time (the profiler slows the pass)
        averages = sorted(trace.key_averages(), key=lambda op: op.self_cpu_time_total, reverse=True)
        total = sum(op.self_cpu_time_total for op in averages)
        ops = {"top_ops_self_share": {op.key: round(op.self_cpu_time_total / total, 3) for op in averages[:10]}}
    return {
        **ops,
        "tokens": tokens,
        "seconds": round(seconds, 2),
        "tokens_per_s": round(tokens / seconds, 1),
        "warm_up_s": round(warm_up_s, 1),
        "mean_loss": round(sum(losses) / len(losses), 4),
        "peak_rss_mb": round(peak_memory_mb(), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levers", default=",".join(LEVERS))
    parser.add_argument("--examples", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lora-targets", default=None, help="e.g. all-linear (default: the config's)")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--profile", action="store_true", help="record each lever's top ops (slows the timing)")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = run_lever(args.child, args.examples, args.seed, args.lora_targets, args.profile)
        print("RESULT " + json.dumps(result), flush=True)
        return
    import subprocess

    results: dict[str, dict[str, Any]] = {}
    for lever in args.levers.split(","):
        command = [sys.executable, __file__, "--child", lever, "--examples", str(args.examples)]
        command += ["--seed", str(args.seed)]
        if args.lora_targets:
            command += ["--lora-targets", args.lora_targets]
        if args.profile:
            command.append("--profile")
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        if done.returncode:
            results[lever] = {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
        else:
            line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
            results[lever] = json.loads(line.removeprefix("RESULT "))
        print(lever, results[lever], flush=True)
    base = results.get("fp32", {}).get("tokens_per_s")
    for row in results.values():
        if base and "tokens_per_s" in row:
            row["vs_fp32"] = round(row["tokens_per_s"] / base, 3)
    best = max((row.get("vs_fp32", 0) for row in results.values()), default=0)
    report = {"benchmark": "train_levers", "speedup": best, "lora_targets": args.lora_targets, "results": results}
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    from rich.console import Console
    from rich.table import Table

    table = Table(title="forward + backward, one example per pass, supervised logits only")
    columns = ["tokens_per_s", "vs_fp32", "warm_up_s", "mean_loss", "peak_rss_mb"]
    table.add_column("lever")
    for column in columns:
        table.add_column(column, justify="right")
    for lever, row in results.items():
        table.add_row(lever, *(str(row.get(c, row.get("error", ""))) for c in columns))
    Console().print(table)


if __name__ == "__main__":
    main()
