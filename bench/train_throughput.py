"""Training throughput: plain Hugging Face (the seed's recipe) vs ``griller train``, side by side.

    python bench/train_throughput.py --quick --json logs/bench/train_throughput.json
    python bench/train_throughput.py --steps 8 --json logs/bench/train_throughput.json

Both sides train the same LoRA (the default config's targets, r, alpha and seed) on the same
examples of ``ml/data/processed/train.jsonl`` (a seeded sample of the parse + question mix, real
lengths) with the same effective batch and learning rate, for the same number of optimizer steps:

* **baseline**: HF ``Trainer`` + PEFT as the seed wrote it: fp32, ``DataCollatorForSeq2Seq`` padding
  each micro-batch to its longest example, the model's own loss over full logits, 1 x 8 batches (the seed's 4 x 4
  and then 2 x 4 ran out of 24 GB).
* **griller**: ``ml.training.train.train`` with the default config (whatever it enables by default).

Each side runs in its own process (so peak RSS is its own) after nothing else; step 1 is warm-up
and left out of the timing. Reported: real (non-pad) tokens/s, step time, peak RSS, MFU against
this machine's matmul peak measured here (best of fp32 and bf16), and both sides' loss on the same
evaluation examples afterwards (fp32, token-weighted), i.e. at equal training tokens.
Run it on an idle machine: on 2 cores any other process halves the numbers of whichever side it meets.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EFFECTIVE_BATCH = 8
# The seed's 4 x 4 did not fit: with micro-batches of 4 real-length examples padded to the longest,
# fp32 full-vocabulary logits got the baseline OOM-killed at 24 GiB. 2 x 4 peaked at 23.2 GB (2026-12-04) and was
# OOM-killed at 24.0 GB on 2026-12-06 (twice, nothing else running); 1 x 8 pads nothing, so it is also the
# baseline's fastest batching (rows before 2026-12-06 in bench/RESULTS.md ran 2 x 4).
BASELINE_MICRO_BATCH = 1
SIDES = ("baseline", "griller")


def sample_examples(source: Path, count: int, seed: int) -> list[dict[str, Any]]:
    from ml.training.dataset import read_examples

    rows = read_examples(source)
    return random.Random(seed).sample(rows, count)


def write_jsonl(rows: list[dict[str, Any]], path: Path) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


# --- one side, in a child process ---------------------------------------------------------------


def eval_loss(model, tokenizer, rows: list[dict[str, Any]]) -> float:
    """Token-weighted cross-entropy on the supervised tokens of ``rows``, fp32, one example at a time."""
    import torch
    import torch.nn.functional as F

    from ml.training.dataset import IGNORE_INDEX, tokenize_examples

    model.eval()
    total, count = 0.0, 0
    with torch.no_grad(), torch.autocast("cpu", enabled=False):
        for example in tokenize_examples(tokenizer, rows, 4096).examples:
            ids = torch.tensor([example["input_ids"]])
            labels = torch.tensor(example["labels"])[1:]
            logits = model(input_ids=ids).logits[0, :-1].float()
            mask = labels != IGNORE_INDEX
            total += float(F.cross_entropy(logits[mask], labels[mask], reduction="sum"))
            count += int(mask.sum())
    return total / count


def step_rows(step_log: list[dict[str, float]]) -> dict[str, float]:
    """Aggregate per-step (time, real tokens) after the warm-up step."""
    timed = step_log[1:] or step_log
    seconds = sum(row["seconds"] for row in timed)
    tokens = sum(row["tokens"] for row in timed)
    return {
        "timed_steps": len(timed),
        "real_tokens": tokens,
        "seconds": round(seconds, 2),
        "real_tokens_per_s": round(tokens / seconds, 1),
        "step_time_s": round(seconds / len(timed), 2),
        "train_loss_last": step_log[-1]["loss"],
    }


def run_baseline(train_file: Path, eval_file: Path, steps: int, lr: float, out_dir: Path) -> dict[str, Any]:
    """The seed's recipe: HF Trainer + PEFT, fp32, padding to the longest, full-logit loss."""
    import torch
    from datasets import Dataset
    from peft import get_peft_model
    from transformers import DataCollatorForSeq2Seq, Trainer, TrainerCallback, TrainingArguments, set_seed

    from ml.base_model import load_base_model
    from ml.training.config import load_config
    from ml.training.dataset import IGNORE_INDEX, read_examples, tokenize_examples
    from ml.training.lora_config import build_lora_config

    config = load_config(ROOT / "ml/configs/training_config.yaml")
    set_seed(config.seed)
    model, tokenizer = load_base_model(config.base_model, dtype=torch.float32)
    model.config.use_cache = False
    model = get_peft_model(model, build_lora_config(model, config.lora))
    split = tokenize_examples(tokenizer, read_examples(train_file), config.max_seq_length)
    collator = DataCollatorForSeq2Seq(tokenizer, padding="longest", label_pad_token_id=IGNORE_INDEX)
    counted = {"tokens": 0}

    def count_real_tokens(module, args, kwargs):  # at forward time: the dataloader may collate ahead
        if module.training:
            counted["tokens"] += int(kwargs["attention_mask"].sum())

    model.register_forward_pre_hook(count_real_tokens, with_kwargs=True)
    step_log: list[dict[str, float]] = []

    class StepTimer(TrainerCallback):
        def on_step_begin(self, args, state, control, **kwargs):
            self.started, self.tokens = time.perf_counter(), counted["tokens"]

        def on_step_end(self, args, state, control, **kwargs):
            step_log.append(
                {"seconds": time.perf_counter() - self.started, "tokens": counted["tokens"] - self.tokens, "loss": 0.0}
            )

        def on_log(self, args, state, control, logs=None, **kwargs):
            if logs and "loss" in logs and step_log:
                step_log[-1]["loss"] = logs["loss"]

    args = TrainingArguments(
        output_dir=str(out_dir),
        max_steps=steps,
        per_device_train_batch_size=BASELINE_MICRO_BATCH,
        gradient_accumulation_steps=EFFECTIVE_BATCH // BASELINE_MICRO_BATCH,
        learning_rate=lr,
        lr_scheduler_type=config.lr_scheduler_type,
        warmup_steps=config.warmup_ratio,
        seed=config.seed,
        data_seed=config.seed,
        logging_steps=1,
        save_strategy="no",
        use_cpu=True,
        remove_unused_columns=False,
        report_to=[],
    )
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=Dataset.from_list(split.examples),
        data_collator=collator,
        callbacks=[StepTimer()],
    )
    trainer.train()
    result = step_rows(step_log)
    result["eval_loss"] = eval_loss(trainer.model, tokenizer, read_examples(eval_file))
    return result


def run_griller(train_file: Path, eval_file: Path, steps: int, lr: float, out_dir: Path) -> dict[str, Any]:
    """``griller train`` with the default config: whatever speed-ups it turns on by default."""
    from peft import PeftModel

    from ml.base_model import load_base_model
    from ml.training.config import load_config
    from ml.training.dataset import read_examples
    from ml.training.train import resolve_precision, train

    overrides = [
        f"data.train={train_file}",
        "data.val=null",
        f"max_steps={steps}",
        f"learning_rate={lr}",
        "per_device_train_batch_size=1",
        f"gradient_accumulation_steps={EFFECTIVE_BATCH}",
        "logging_steps=1",
        f"save_steps={steps}",
        f"output_dir={out_dir}",
        "run_name=griller",
        "report_to=[]",
    ]
    config = load_config(ROOT / "ml/configs/training_config.yaml", overrides)
    summary = train(config)
    logged = [json.loads(line) for line in (config.run_dir / "train_log.jsonl").read_text().splitlines()]
    step_log = [
        {"seconds": row["step_time_s"], "tokens": row["real_tokens_per_s"] * row["step_time_s"], "loss": row["loss"]}
        for row in logged
        if "loss" in row
    ]
    result = step_rows(step_log)
    result["precision"] = resolve_precision(config)
    model, tokenizer = load_base_model(config.base_model)
    model = PeftModel.from_pretrained(model, summary.adapter_dir)
    result["eval_loss"] = eval_loss(model, tokenizer, read_examples(eval_file))
    return result


def child(side: str, train_file: Path, eval_file: Path, steps: int, lr: float, out_dir: Path) -> None:
    from ml.training.throughput import peak_memory_mb

    runner = run_baseline if side == "baseline" else run_griller
    result = runner(train_file, eval_file, steps, lr, out_dir)
    result["peak_rss_mb"] = round(peak_memory_mb(), 1)
    print("RESULT " + json.dumps(result), flush=True)


# --- the comparison ------------------------------------------------------------------------------


def machine_peak() -> dict[str, float]:
    import torch

    from ml.training.throughput import cpu_has_bf16, measure_matmul_peak

    peaks = {"fp32": max(measure_matmul_peak(torch.float32, size=1024, seconds=1.0) for _ in range(3))}
    if cpu_has_bf16():
        peaks["bf16"] = max(measure_matmul_peak(torch.bfloat16, size=1024, seconds=1.0) for _ in range(3))
    return peaks


def run_side(side: str, train_file: Path, eval_file: Path, steps: int, lr: float, work: Path) -> dict[str, Any]:
    command = [
        sys.executable, __file__, "--child", side, "--train-file", str(train_file), "--eval-file", str(eval_file),
        "--steps", str(steps), "--lr", str(lr), "--work", str(work / side),
    ]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"{side} failed (exit {done.returncode}):\n{done.stderr[-4000:]}")
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["wall_s"] = round(time.perf_counter() - started, 1)
    return result


def model_flops_per_token() -> float:
    """4N per trained token for LoRA (forward + activation gradients), N = the base model's parameters."""
    from ml.base_model import load_base_model
    from ml.training.config import load_config

    model, _ = load_base_model(load_config(ROOT / "ml/configs/training_config.yaml").base_model)
    return 4.0 * sum(p.numel() for p in model.parameters())


def griller_work(rows: list[dict[str, Any]]) -> dict[str, float]:
    """The arithmetic the default ``griller train`` cannot skip on ``rows``, counted layer by layer.

    Per real token: forward and activation-gradient GEMMs of every frozen linear layer (4 x in x out), each
    LoRA pair's forward, activation and weight gradients (6 x r x (in + out)); per supervised token the LM
    head's forward and activation gradient (4 x vocab x hidden); per example and layer causal attention's
    QK^T and PV forward and their four backward products (12 x T(T+1)/2 x heads x head_dim). Divided by the
    measured matmul peak this gives the tokens/s the griller would reach with every FLOP at that peak: the
    ceiling of any CPU lever that keeps the computation exact.
    """
    from peft import get_peft_model
    from peft.tuners.lora import LoraLayer
    from torch import nn

    from ml.base_model import load_base_model
    from ml.training.config import load_config
    from ml.training.dataset import IGNORE_INDEX, tokenize_examples
    from ml.training.lora_config import build_lora_config

    config = load_config(ROOT / "ml/configs/training_config.yaml")
    model, tokenizer = load_base_model(config.base_model)
    model = get_peft_model(model, build_lora_config(model, config.lora))
    per_token = 0.0
    for name, module in model.named_modules():
        if isinstance(module, LoraLayer):
            base = module.get_base_layer()
            per_token += 6 * module.r["default"] * (base.in_features + base.out_features)
        elif isinstance(module, nn.Linear) and "lora_" not in name and not name.endswith("lm_head"):
            per_token += 4 * module.in_features * module.out_features
    text = model.config.get_text_config()
    head_dim = getattr(text, "head_dim", None) or text.hidden_size // text.num_attention_heads
    examples = tokenize_examples(tokenizer, rows, config.max_seq_length).examples
    lengths = [len(example["input_ids"]) for example in examples]
    supervised = sum(sum(label != IGNORE_INDEX for label in example["labels"][1:]) for example in examples)
    attention = sum(12 * n * (n + 1) / 2 * text.num_attention_heads * head_dim for n in lengths)
    attention *= text.num_hidden_layers
    head = 4 * text.vocab_size * text.hidden_size * supervised
    return {"tokens": sum(lengths), "flops": per_token * sum(lengths) + head + attention, "attention_flops": attention}


def print_table(results: dict[str, dict[str, Any]], ratios: dict[str, float], host: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    title = f"training throughput on {host['cpu_class']}, griller in {host['griller_precision']} (same examples, steps)"
    table = Table(title=title)
    columns = ["real_tokens_per_s", "step_time_s", "peak_rss_mb", "mfu", "train_loss_last", "eval_loss"]
    table.add_column("side")
    for column in columns:
        table.add_column(column, justify="right")
    for side, row in results.items():
        table.add_row(side, *(f"{row[c]:.4g}" if isinstance(row[c], float) else str(row[c]) for c in columns))
    table.add_row("griller / baseline", *(f"{ratios.get(c, float('nan')):.3g}" for c in columns))
    Console().print(table)


def main() -> None:
    from ml.host import cpu_class, cpu_model

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="3 steps per side (under 10 minutes)")
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--eval-examples", type=int, default=12)
    parser.add_argument("--lr", type=float, default=2e-4)
    parser.add_argument("--data", type=Path, default=ROOT / "ml/data/processed/train.jsonl")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--child", choices=["baseline", "griller"], help=argparse.SUPPRESS)
    parser.add_argument("--train-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--eval-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.train_file, args.eval_file, args.steps, args.lr, args.work)
        return
    steps = 3 if args.quick else args.steps
    eval_count = 6 if args.quick else args.eval_examples
    sample = sample_examples(args.data, steps * EFFECTIVE_BATCH + eval_count, args.seed)
    with tempfile.TemporaryDirectory(prefix="train-bench-") as tmp:
        work = Path(tmp)
        train_file = write_jsonl(sample[:-eval_count], work / "train.jsonl")
        eval_file = write_jsonl(sample[-eval_count:], work / "eval.jsonl")
        peaks = machine_peak()
        flops_per_token = model_flops_per_token()
        arithmetic = griller_work(sample[:-eval_count])
        results = {side: run_side(side, train_file, eval_file, steps, args.lr, work) for side in SIDES}
    best_peak = max(peaks.values())
    for row in results.values():
        row["mfu"] = round(row["real_tokens_per_s"] * flops_per_token / best_peak, 4)
    base, ours = results["baseline"], results["griller"]
    ceiling = arithmetic["tokens"] / (arithmetic["flops"] / best_peak)
    ratios = {
        "real_tokens_per_s": ours["real_tokens_per_s"] / base["real_tokens_per_s"],
        "step_time_s": ours["step_time_s"] / base["step_time_s"],
        "peak_rss_mb": ours["peak_rss_mb"] / base["peak_rss_mb"],
        "mfu": ours["mfu"] / base["mfu"],
        "train_loss_last": ours["train_loss_last"] / base["train_loss_last"],
        "eval_loss": ours["eval_loss"] / base["eval_loss"],
    }
    host = {"cpu_class": cpu_class(), "cpu_model": cpu_model(), "griller_precision": ours.get("precision")}
    report = {
        "benchmark": "train_throughput",
        "host": host,
        "speedup": round(ratios["real_tokens_per_s"], 3),
        "memory_ratio": round(ratios["peak_rss_mb"], 3),
        "eval_loss_ratio": round(ratios["eval_loss"], 4),
        "steps": steps,
        "effective_batch": EFFECTIVE_BATCH,
        "examples": steps * EFFECTIVE_BATCH,
        "eval_examples": eval_count,
        "matmul_peak_flops": peaks,
        "model_flops_per_token": flops_per_token,
        "griller_work": arithmetic,
        "ceiling_tokens_per_s": round(ceiling, 1),
        "ceiling_speedup": round(ceiling / base["real_tokens_per_s"], 3),
        "results": results,
    }
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print_table(results, ratios, host)
    print(f"host: {host['cpu_class']} ({host['cpu_model']}); griller precision (auto): {host['griller_precision']}")
    print(
        f"ceiling: the griller's arithmetic on these examples at the measured peak ({best_peak / 1e9:.0f} GFLOP/s) is"
        f" {ceiling:.1f} real tokens/s, {ceiling / base['real_tokens_per_s']:.2f}x the baseline"
        f" ({arithmetic['attention_flops'] / arithmetic['flops']:.0%} of it attention)"
    )


if __name__ == "__main__":
    main()
