"""One decode lever at a time: the cost of a forward pass with a KV cache, as the engine's decoding loop runs it.

    python bench/decode_levers.py --json logs/bench/decode_levers.json
    python bench/decode_levers.py --quick                          # fp32 and bf16 only, about 2 minutes

The model is the shipped adapter merged into its base, as ``Engine.load`` does it. A random prompt of
``--context`` tokens fills the KV cache; then each lever times passes of 1 token (plain greedy decoding) and
of 11 tokens (a prompt-lookup draft of 10 plus one, ``PROMPT_LOOKUP_TOKENS``). The cache is cropped back after
every pass, so each pass sees the same context. Levers:

* **fp32**: the engine's default on CPU;
* **bf16_weights**: the same weights cast to bfloat16;
* **compile**: fp32 with ``torch.compile(dynamic=True)``; its first call per shape is reported as compile time;
* **static_cache**: fp32 with transformers' ``StaticCache`` (keys and values written in place into buffers sized
  once, instead of the ``DynamicCache`` the engine uses, which concatenates every layer's cache on every pass).

``speedup`` is the best lever's one-token median over fp32's. The table is printed last.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LEVERS = ("fp32", "bf16_weights", "compile", "static_cache")
PASS_TOKENS = (1, 11)


def time_passes(forward, prompt, rounds: int) -> dict[str, float]:
    """Median ms per pass for each pass size, and the first (warm-up or compile) call's seconds."""
    import torch

    out: dict[str, float] = {}
    with torch.no_grad():
        cache = forward(prompt, None).past_key_values
        for tokens in PASS_TOKENS:
            started = time.perf_counter()
            forward(torch.randint(100, 40000, (1, tokens)), cache)
            cache.crop(-tokens)
            out[f"first_call_s_{tokens}"] = time.perf_counter() - started
            times = []
            for _ in range(rounds):
                step = torch.randint(100, 40000, (1, tokens))
                started = time.perf_counter()
                forward(step, cache)
                times.append(time.perf_counter() - started)
                cache.crop(-tokens)
            out[f"ms_{tokens}"] = 1000 * statistics.median(times)
    return out


def run(adapter: Path, levers: list[str], context: int, rounds: int) -> dict[str, dict[str, float]]:
    import torch

    from ml.inference.engine import Engine

    torch.manual_seed(0)
    model = Engine.load(adapter).model
    prompt = torch.randint(100, 40000, (1, context))
    results = {}
    for lever in levers:
        model.to(torch.bfloat16 if lever == "bf16_weights" else torch.float32)
        module = torch.compile(model, dynamic=True) if lever == "compile" else model

        def forward(ids, cache, m=module):
            return m(ids, past_key_values=cache, use_cache=True)

        passes = static_forward(model, context) if lever == "static_cache" else forward
        results[lever] = time_passes(passes, prompt, rounds)
    return results


def static_forward(model, context: int):
    """A forward pass on a ``StaticCache`` sized for the prompt and the longest pass."""
    from transformers import StaticCache

    def forward(ids, cache):
        if cache is None:
            cache = StaticCache(config=model.config, max_cache_len=context + max(PASS_TOKENS))
        return model(ids, past_key_values=cache, use_cache=True)

    return forward


def print_table(results: dict[str, dict[str, float]]) -> None:
    base = results["fp32"]
    print(f"{'lever':14s} {'1 token ms':>11s} {'x':>5s} {'11 tokens ms':>13s} {'x':>5s} {'first calls s':>14s}")
    for lever, r in results.items():
        first = r["first_call_s_1"] + r["first_call_s_11"]
        print(
            f"{lever:14s} {r['ms_1']:11.1f} {base['ms_1'] / r['ms_1']:5.2f} {r['ms_11']:13.1f} "
            f"{base['ms_11'] / r['ms_11']:5.2f} {first:14.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=ROOT / "ml/models/exported/resume-griller-lora")
    parser.add_argument("--levers", default=",".join(LEVERS))
    parser.add_argument("--context", type=int, default=1500, help="tokens in the KV cache (a parse prompt)")
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--quick", action="store_true", help="fp32 and bf16_weights, 6 rounds")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    levers = ["fp32", "bf16_weights"] if args.quick else args.levers.split(",")
    if levers[0] != "fp32":
        parser.error("the first lever must be fp32, the baseline")
    results = run(args.model, levers, args.context, 6 if args.quick else args.rounds)
    speedup = max(results["fp32"]["ms_1"] / r["ms_1"] for r in results.values())
    report: dict[str, Any] = {"benchmark": "decode_levers", "speedup": speedup, "context": args.context}
    report["results"] = results
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2))
    print_table(results)


if __name__ == "__main__":
    main()
