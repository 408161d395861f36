"""What llama.cpp's CPU repacking ("extra buffer types") buys, weight type by weight type, on this host.

    python bench/llama_cpp_repack.py --json logs/bench/llama_cpp_repack.json
    python bench/llama_cpp_repack.py --quick             # the default path's weights only, 2 rounds

At load llama.cpp may repack weights into buffer types made for the CPU: AMX tiles on Intel Sapphire Rapids and
later, interleaved blocks for Q4_0 / Q4_K / IQ4_NL on AVX2 and AVX-512. On some AMX hosts the first matmul after the
AMX repack segfaults, so the engine can load without it (``use_extra_bufts = False``; the crash canary decides,
``ml/inference/llama_cpp_canary.py``). This measures what that costs: for each weight type, the same GGUF loaded
with and without the extra buffer types, alternating, timing a prompt's prefill (tokens/s) and single-token decode
steps (tokens/s) at the engine's settings. ``speedup`` is the default path's (the shipped adapter's Q8_0
conversion) decode with repacking over without.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PROMPT_TOKENS = 384
DECODE_STEPS = 64


def _weights(quick: bool, scratch: Path) -> dict[str, Path]:
    """The weight files compared: the default path's (the shipped adapter, Q8_0), the embedded base (Q4_1), and the
    adapter re-quantized to the types llama.cpp repacks on x86 (Q4_0, Q4_K_M)."""
    from ml.base_model import embedded_gguf_path
    from ml.export.gguf import quantize_with_llama_cpp, write_gguf_export
    from ml.inference.llama_cpp_engine import converted_adapter
    from ml.paths import EXPORTED_DIR

    adapter = EXPORTED_DIR / "resume-griller-lora"  # the shipped adapter, the default model
    files = {"q8_0 (default: shipped adapter)": converted_adapter(adapter)}
    if quick:
        return files
    files["q4_1 (embedded base)"] = embedded_gguf_path("smollm2-135m-instruct")
    name = write_gguf_export(adapter, scratch, "repack-f16", "f16")
    for quant in ("q4_0", "q4_k_m"):
        target = scratch / f"repack-{quant}.gguf"
        quantize_with_llama_cpp(scratch / name, target, quant)
        files[quant] = target
    return files


def _time(path: Path, extra_buffers: bool) -> dict[str, float]:
    """Prefill and decode tokens/s of one fresh load."""
    from ml.inference.llama_cpp_context import LlamaCppContext

    context = LlamaCppContext(path, positions=PROMPT_TOKENS + DECODE_STEPS + 8, extra_buffers=extra_buffers)
    tokens = [(7 * i) % 1000 + 20 for i in range(PROMPT_TOKENS)]
    context.decode([(0, 0, tokens[:16], False)])  # warm-up
    context.forget(0, 0)
    started = time.perf_counter()
    for offset in range(0, PROMPT_TOKENS, 128):
        (logits,) = context.decode([(0, offset, tokens[offset : offset + 128], False)])
    prefill = time.perf_counter() - started
    started = time.perf_counter()
    for step in range(DECODE_STEPS):
        (logits,) = context.decode([(0, PROMPT_TOKENS + step, [int(logits[-1].argmax())], False)])
    decode = time.perf_counter() - started
    context.close()
    return {"prefill_tok_s": PROMPT_TOKENS / prefill, "decode_tok_s": DECODE_STEPS / decode}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=4, help="alternated loads per setting")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rounds = 2 if args.quick else args.rounds

    import llama_cpp

    from ml.host import cpu_class, cpu_model

    results: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="griller-repack-") as scratch:
        for label, path in _weights(args.quick, Path(scratch)).items():
            samples: dict[bool, list[dict[str, float]]] = {True: [], False: []}
            for _ in range(rounds):
                for extra in (True, False):
                    samples[extra].append(_time(path, extra))
            results[label] = {
                "repacked" if extra else "plain": {
                    key: round(statistics.median(s[key] for s in runs), 1) for key in runs[0]
                }
                for extra, runs in samples.items()
            }
    default = next(iter(results.values()))
    speedup = round(default["repacked"]["decode_tok_s"] / default["plain"]["decode_tok_s"], 3)
    host = f"{cpu_class()} ({cpu_model()})"
    print(f"host: {host}; llama-cpp-python {llama_cpp.__version__}; median of {rounds} loads each")
    head = ("prefill repacked", "plain", "ratio", "decode repacked", "plain", "ratio")
    print(f"{'weights':<34}" + "".join(f"{h:>18}" if "repacked" in h else f"{h:>10}" for h in head))
    for label, row in results.items():
        on, off = row["repacked"], row["plain"]
        print(
            f"{label:<34}{on['prefill_tok_s']:>18}{off['prefill_tok_s']:>10}"
            f"{on['prefill_tok_s'] / off['prefill_tok_s']:>10.2f}{on['decode_tok_s']:>18}{off['decode_tok_s']:>10}"
            f"{on['decode_tok_s'] / off['decode_tok_s']:>10.2f}"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {"speedup": speedup, "host": host, "llama_cpp": llama_cpp.__version__, "results": results}
        args.json.write_text(json.dumps(payload, indent=2))


if __name__ == "__main__":
    main()
