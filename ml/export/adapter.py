"""Export a training run's LoRA adapter for serving: ``ml/models/exported/<name>/``.

Formats:
- ``adapter``: the LoRA adapter (safetensors) + tokenizer and chat template; loads on top of its base.
- ``merged``: base + adapter merged into one standalone model in the chosen dtype (no PEFT at serving;
  see :mod:`ml.export.merge`).
- ``gguf``: base + adapter merged into one ``.gguf`` file (f16 or q8_0) with an Ollama ``Modelfile``,
  for llama.cpp, Ollama and LM Studio (see :mod:`ml.export.gguf`).

All carry a model card (README.md, with Hugging Face front matter) and ``griller_export.json``; a
``CHANGELOG.md`` (release history) in the export being replaced is kept. The export is assembled in a hidden
temporary folder next to the target and renamed into place, so an interrupted export never leaves
a half-written model where the server or backend would load it.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

from ml.base_model import adapter_base_model
from ml.export.gguf import write_gguf_export
from ml.export.merge import ExportError, write_merged
from ml.paths import EXPORTED_DIR

ExportFormat = Literal["adapter", "merged", "gguf"]
EXPORT_FORMATS: tuple[str, ...] = ("adapter", "merged", "gguf")
METADATA_FILE = "griller_export.json"
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "chat_template.jinja", "special_tokens_map.json")
ADAPTER_FILES = ("adapter_model.safetensors", "adapter_config.json")


@dataclass
class ExportResult:
    path: str
    format: str
    base_model: str
    seconds: float


def find_adapter(run: Path) -> Path:
    """The adapter folder of a run: ``<run>/adapter`` (the best or final weights) or a checkpoint folder itself."""
    for candidate in (run / "adapter", run):
        if (candidate / "adapter_config.json").is_file() and (candidate / "adapter_model.safetensors").is_file():
            return candidate
    raise ExportError(f"no LoRA adapter in {run} (expected {run / 'adapter'} from `griller train`)")


def _read_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}


HUB_IDS = {"smollm2-135m-instruct": "HuggingFaceTB/SmolLM2-135M-Instruct"}
"""Hub ids of the embedded aliases, for the card's ``base_model`` (the alias's GGUF is that model, quantized)."""
LIBRARIES = {"adapter": "peft", "merged": "transformers", "gguf": "gguf"}
CHANGELOG = "CHANGELOG.md"
"""A release history kept beside the card: carried over when an export replaces an older one of the same name."""


def _front_matter(fmt: str, base_model: str, train_data: str) -> list[str]:
    """Hugging Face model-card metadata (YAML between ``---`` lines)."""
    tags = ["lora", "resume-parsing", "information-extraction", "structured-output", "json", "interview-questions"]
    tags += ["gguf"] if fmt == "gguf" else ["peft"] if fmt == "adapter" else []
    return [
        "---",
        "license: mit",
        f"base_model: {HUB_IDS.get(base_model, base_model)}",
        f"library_name: {LIBRARIES[fmt]}",
        "pipeline_tag: text-generation",
        "language: [en, es, fr, de, pt]  # the synthetic generator's locales",
        f"tags: [{', '.join(tags)}]",
        "datasets:  # not on the Hub: built by `griller data build`",
        f"- {json.dumps(train_data)}",
        "metrics: [f1]",
        "---",
        "",
    ]


def model_card(
    name: str,
    fmt: str,
    base_model: str,
    run: Path,
    adapter: Path,
    evaluation: Path | None = None,
    gguf: tuple[str, str] | None = None,
    history: bool = False,
) -> str:
    """A model card from what the run recorded: config, training summary, evaluation report if any, under Hugging
    Face front matter. The shipped adapter's card is then edited by hand (limits, failure modes, one table).

    ``gguf``: ``(file name, quant)`` of a GGUF export. ``history``: a ``CHANGELOG.md`` lies beside the card.
    """
    config = _read_yaml(adapter / "training_config.yaml") or _read_yaml(run / "config.yaml")
    summary = json.loads((run / "summary.json").read_text()) if (run / "summary.json").is_file() else {}
    reports = [evaluation] if evaluation else sorted(run.glob("eval*/report.md"))
    served = f"/{gguf[0]}" if gguf else ""  # transformers loads a .gguf file, not its folder
    lines = _front_matter(fmt, base_model, str(config.get("data", {}).get("train", "unknown")))
    lines += [
        f"# {name}",
        "",
        f"LoRA fine-tune of `{base_model}` by resume-griller for three tasks: `parse_resume` (resume text → "
        "`ParsedResume` JSON), `interview_question` (HR or technical) and `follow_up`. Prompts are built by "
        "`ml/tasks.py` and the tokenizer's own chat template, exactly as in training.",
        "",
        f"- format: `{fmt}`",
        f"- base model: `{base_model}`",
        f"- training data: `{config.get('data', {}).get('train', 'unknown')}`",
        f"- LoRA: `{json.dumps(config.get('lora', {}))}`",
    ]
    if gguf:
        lines += [f"- GGUF: `{gguf[0]}` (`{gguf[1]}`), with an Ollama `Modelfile`: `ollama create {name} -f Modelfile`"]
    if summary:
        lines += [
            f"- training: {summary.get('steps')} steps, {summary.get('real_tokens')} real tokens, "
            f"{summary.get('seconds')} s, train loss {summary.get('train_loss')}, val loss {summary.get('val_loss')}",
        ]
    if history:
        lines += [f"- release history: `{CHANGELOG}`"]
    lines += [
        "",
        "## How to use",
        "",
        "```bash",
        f"griller parse resume.pdf --model ml/models/exported/{name}{served} --json",
        f"griller serve --model ml/models/exported/{name}{served}",
        f"LLM_MODE=local LOCAL_MODEL_PATH=./ml/models/exported/{name}{served}  # backend",
        "```",
        "",
        "```python",
        "from ml.inference.backends import load_engine",
        "",
        f'parsed, generation = load_engine("ml/models/exported/{name}{served}").parse_resume(resume_text)',
        "```",
        "",
        "## Evaluation",
        "",
    ]
    found = [report for report in reports if report.is_file()]
    lines += [report.read_text(encoding="utf-8") for report in found] or ["Not evaluated yet: run `griller eval`."]
    lines += [
        "",
        "## Reproduce",
        "",
        "```bash",
        "griller data build",
        f"griller train --config ml/models/exported/{name}/training_config.yaml",
        f"griller export --run {run} --name {name} --format {fmt}" + (f" --quant {gguf[1]}" if gguf else ""),
        "```",
    ]
    return "\n".join(lines) + "\n"


def _cast_adapter(path: Path, dtype: str) -> None:
    import torch  # heavy: only an adapter export in another dtype needs it
    from safetensors.torch import load_file, save_file

    tensors = {name: tensor.to(getattr(torch, dtype)) for name, tensor in load_file(path).items()}
    save_file(tensors, path, metadata={"format": "pt"})


def export(
    run: Path,
    name: str,
    fmt: str = "adapter",
    output: Path = EXPORTED_DIR,
    dtype: str = "float32",
    evaluation_report: Path | None = None,
    quant: str = "f16",
) -> ExportResult:
    """Export ``run`` as ``output/name`` atomically; an existing export of that name is replaced.

    ``dtype``: of the written weights (the merged model, or the adapter: float16 halves its size).
    ``quant``: of a GGUF export, one of :data:`ml.export.gguf.GGUF_QUANTS` (``f16`` by default).
    ``evaluation_report``: a ``griller eval`` report.md for the model card (default: every ``<run>/eval*/report.md``).
    """
    if fmt not in EXPORT_FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {EXPORT_FORMATS}")
    if dtype not in ("float32", "bfloat16", "float16"):
        raise ExportError(f"dtype must be float32, bfloat16 or float16, not {dtype!r}")
    if not name or "/" in name or name.startswith("."):
        raise ExportError(f"invalid export name {name!r}")
    started = time.perf_counter()
    run = Path(run)
    adapter = find_adapter(run)
    base_model = adapter_base_model(adapter)
    output.mkdir(parents=True, exist_ok=True)
    target = output / name
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.partial-", dir=output))
    gguf = None
    try:
        if fmt == "merged":
            write_merged(adapter, staging, dtype)
        elif fmt == "gguf":
            gguf = (write_gguf_export(adapter, staging, name, quant), quant)
        else:
            for filename in ADAPTER_FILES:
                shutil.copy2(adapter / filename, staging / filename)
            if dtype != "float32":
                _cast_adapter(staging / "adapter_model.safetensors", dtype)
            for filename in TOKENIZER_FILES:
                if (adapter / filename).is_file():
                    shutil.copy2(adapter / filename, staging / filename)
        for extra in ("training_config.yaml",):
            if (adapter / extra).is_file():
                shutil.copy2(adapter / extra, staging / extra)
        if (target / CHANGELOG).is_file():
            shutil.copy2(target / CHANGELOG, staging / CHANGELOG)
        (staging / "README.md").write_text(
            model_card(name, fmt, base_model, run, adapter, evaluation_report, gguf, (staging / CHANGELOG).is_file()),
            encoding="utf-8",
        )
        metadata = {"name": name, "format": fmt, "base_model": base_model, "run": str(run), "created": time.time()}
        metadata.update({"gguf_file": gguf[0], "quant": quant} if gguf else {"dtype": dtype})
        (staging / METADATA_FILE).write_text(json.dumps(metadata, indent=2), encoding="utf-8")
        _replace_atomically(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return ExportResult(str(target), fmt, base_model, round(time.perf_counter() - started, 2))


def _replace_atomically(staging: Path, target: Path) -> None:
    """Swap ``staging`` into ``target``: the old export stays in place until the new one is complete."""
    staging.chmod(0o755)  # mkdtemp makes it private; an export is meant to be read by servers and users
    if not target.exists():
        staging.rename(target)
        return
    retired = target.with_name(f".{target.name}.old-{int(time.time())}")
    target.rename(retired)
    staging.rename(target)
    shutil.rmtree(retired, ignore_errors=True)
