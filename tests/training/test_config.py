from __future__ import annotations

from pathlib import Path

import pytest
import torch
from transformers import AutoModelForCausalLM, Phi3Config, Phi3ForCausalLM

from ml.paths import DEFAULT_TRAINING_CONFIG, REPO_ROOT
from ml.training.config import ConfigError, LoraSettings, load_config
from ml.training.lora_config import LoraTargetError, resolve_target_modules


def test_default_config_is_the_shipped_adapters_recipe() -> None:
    """The seed's LoRA rank/alpha/dropout, on every linear layer, 8 examples per step (what the shipped run used)."""
    config = load_config(DEFAULT_TRAINING_CONFIG)
    assert (config.lora.r, config.lora.alpha, config.lora.dropout) == (16, 32, 0.05)
    assert config.lora.target_modules == "all-linear"
    assert (config.per_device_train_batch_size, config.gradient_accumulation_steps) == (1, 8)
    assert (config.learning_rate, config.save_steps, config.logging_steps) == (5e-4, 100, 10)
    assert config.data.train == REPO_ROOT / "ml/data/processed/train.jsonl"


@pytest.mark.parametrize("preset", sorted((REPO_ROOT / "ml/configs/presets").glob("*.yaml")))
def test_presets_validate_as_qlora(preset: Path) -> None:
    config = load_config(preset)
    assert config.quantization == "4bit" and config.precision == "bf16" and config.gradient_checkpointing


def test_misspelt_keys_name_themselves(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("lora:\n  rank: 8\nlearning_rat: 0.1\n")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert "lora.rank" in str(error.value) and "learning_rat" in str(error.value)


def test_set_overrides_parse_yaml_values() -> None:
    config = load_config(DEFAULT_TRAINING_CONFIG, ["lora.r=8", "data.val=null", "lora.target_modules=all-linear"])
    assert config.lora.r == 8 and config.data.val is None and config.lora.target_modules == "all-linear"
    with pytest.raises(ConfigError, match="key=value"):
        load_config(None, ["lora.r"])
    with pytest.raises(ConfigError, match=r"lora\.r"):
        load_config(None, ["lora.r=-1"])


def test_target_modules_resolve_per_architecture(tiny_model_dir: Path) -> None:
    llama = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    assert resolve_target_modules(llama, LoraSettings()) == ["q_proj", "k_proj", "v_proj", "o_proj"]
    torch.manual_seed(0)
    phi3 = Phi3ForCausalLM(
        Phi3Config(
            vocab_size=64,
            hidden_size=32,
            intermediate_size=64,
            num_hidden_layers=1,
            num_attention_heads=4,
            num_key_value_heads=4,
            pad_token_id=0,
        )
    )
    assert resolve_target_modules(phi3, LoraSettings()) == ["qkv_proj", "o_proj"]
    with pytest.raises(LoraTargetError) as error:
        resolve_target_modules(phi3, LoraSettings(target_modules=["q_proj", "v_proj"]))
    assert "qkv_proj" in str(error.value) and "gate_up_proj" in str(error.value)


@pytest.mark.parametrize(
    ("fp32_flops", "bf16_flops", "expected"),
    [(322e9, 161e9, "fp32"), (100e9, 110e9, "fp32"), (100e9, 250e9, "bf16_native"), (100e9, 650e9, "bf16_native")],
)
def test_auto_precision_on_cpu_follows_measured_matmul_speed(
    monkeypatch: pytest.MonkeyPatch, fp32_flops: float, bf16_flops: float, expected: str
) -> None:
    """bf16 is chosen on CPU only when its GEMMs measure >= 1.2x faster (one AVX-512 BF16 host measured them
    slower), and then as bf16_native (bf16 base weights, cast once), not autocast (which re-casts them per matmul)."""
    import torch

    from ml.training import throughput, train

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(throughput, "cpu_has_bf16", lambda: True)
    speeds = {torch.float32: fp32_flops, torch.bfloat16: bf16_flops}
    monkeypatch.setattr(throughput, "measure_matmul_peak", lambda dtype=torch.float32, **_: speeds[dtype])
    throughput.bf16_pays_on_cpu.cache_clear()
    try:
        assert train.resolve_precision(load_config(DEFAULT_TRAINING_CONFIG)) == expected
    finally:
        throughput.bf16_pays_on_cpu.cache_clear()


def test_bf16_native_is_a_precision_for_full_precision_bases_only() -> None:
    from ml.training.train import TrainingSetupError, resolve_precision

    assert resolve_precision(load_config(None, ["precision=bf16_native"])) == "bf16_native"
    with pytest.raises(TrainingSetupError, match="QLoRA"):
        resolve_precision(load_config(None, ["precision=bf16_native", "quantization=4bit"]))
    with pytest.raises(ConfigError, match="precision"):
        load_config(None, ["precision=bf16-native"])
