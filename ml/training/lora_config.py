"""LoRA settings -> ``peft.LoraConfig``, with target modules resolved per architecture.

Fused architectures name their projections differently (Phi-3 fuses q/k/v into ``qkv_proj``,
GPT-2 style models use ``c_attn``), which is the usual reason a LoRA run trains nothing. A name
that matches no linear layer fails with the list of the model's linear layer names.
"""

from __future__ import annotations

from torch import nn

from ml.training.config import LoraSettings

ATTENTION_TARGETS: dict[str, list[str]] = {
    "llama": ["q_proj", "k_proj", "v_proj", "o_proj"],
    "mistral": ["q_proj", "k_proj", "v_proj", "o_proj"],
    "mixtral": ["q_proj", "k_proj", "v_proj", "o_proj"],
    "qwen2": ["q_proj", "k_proj", "v_proj", "o_proj"],
    "qwen3": ["q_proj", "k_proj", "v_proj", "o_proj"],
    "gemma": ["q_proj", "k_proj", "v_proj", "o_proj"],
    "gemma2": ["q_proj", "k_proj", "v_proj", "o_proj"],
    "gemma3_text": ["q_proj", "k_proj", "v_proj", "o_proj"],
    "phi3": ["qkv_proj", "o_proj"],
    "phi": ["q_proj", "k_proj", "v_proj", "dense"],
    "gpt2": ["c_attn", "c_proj"],
    "falcon": ["query_key_value", "dense"],
}


class LoraTargetError(ValueError):
    """Requested LoRA target modules do not exist in the model."""


def linear_layer_names(model: nn.Module) -> list[str]:
    """Distinct short names of the model's linear layers, excluding the output head."""
    names = set()
    for full_name, module in model.named_modules():
        if isinstance(module, nn.Linear) or type(module).__name__ in {"Linear4bit", "Linear8bitLt", "Conv1D"}:
            short = full_name.rsplit(".", 1)[-1]
            if short != "lm_head":
                names.add(short)
    return sorted(names)


def resolve_target_modules(model: nn.Module, settings: LoraSettings) -> list[str] | str:
    """The target modules for this model: explicit list (checked), ``all-linear`` or the architecture default."""
    available = linear_layer_names(model)
    if settings.target_modules == "all-linear":
        return "all-linear"
    if settings.target_modules is None:
        model_type = getattr(model.config, "model_type", "")
        targets = ATTENTION_TARGETS.get(model_type)
        if targets is None:
            raise LoraTargetError(
                f"no default LoRA targets for architecture '{model_type}'; set lora.target_modules to some of "
                f"{available} or to all-linear"
            )
    else:
        targets = list(settings.target_modules)
    unknown = [name for name in targets if name not in available]
    if unknown:
        raise LoraTargetError(
            f"LoRA target module(s) {unknown} match no linear layer of this model; its linear layers are {available}"
        )
    return targets


def build_lora_config(model: nn.Module, settings: LoraSettings):
    from peft import LoraConfig, TaskType

    return LoraConfig(
        r=settings.r,
        lora_alpha=settings.alpha,
        lora_dropout=settings.dropout,
        target_modules=resolve_target_modules(model, settings),
        bias="none",
        task_type=TaskType.CAUSAL_LM,
    )
