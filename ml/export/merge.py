"""A LoRA adapter merged into its base: the bottom of :mod:`ml.export`, which the GGUF writer and the ``merged``
format both build on; and :class:`ExportError`, the error of every export."""

from __future__ import annotations

from pathlib import Path

from ml.base_model import adapter_base_model, load_base_model


class ExportError(RuntimeError):
    """The run cannot be exported; the message says why."""


def merge_adapter(adapter: Path):
    """``(model, tokenizer)``: the adapter's base with the LoRA weights merged in, and the base's tokenizer."""
    from peft import PeftModel  # heavy (torch): loaded only when a merge runs

    model, tokenizer = load_base_model(adapter_base_model(adapter))
    return PeftModel.from_pretrained(model, str(adapter)).merge_and_unload(), tokenizer


def write_merged(adapter: Path, staging: Path, dtype: str) -> None:
    """The ``merged`` export format: base + adapter as one standalone model in ``dtype``, with the base's tokenizer."""
    import torch  # heavy: loaded only when a merge runs

    merged, tokenizer = merge_adapter(adapter)
    merged = merged.to(getattr(torch, dtype))
    merged.save_pretrained(str(staging))
    tokenizer.save_pretrained(str(staging))
