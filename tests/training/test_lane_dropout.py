from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch
from peft import get_peft_model
from torch import nn

from ml.base_model import load_base_model
from ml.training.config import load_config
from ml.training.lane_dropout import LaneDropout, drop_mask, use_lane_dropout
from ml.training.lora_config import build_lora_config
from ml.training.train import load_model_for_training

SAMPLES = 4 * 300_000


def test_every_lane_drops_with_the_dropout_probability() -> None:
    """Each of a draw's four lanes is its own uniform: a lane with fewer random bits would drop about twice as
    often, and lanes that were not independent would drop together more or less often than p squared."""
    torch.manual_seed(0)
    dropout = LaneDropout(0.05)
    mask = drop_mask(torch.Size([SAMPLES]), dropout.keep_levels).view(-1, 4).double()
    p = 1 - dropout.keep_levels / 2**16
    tolerance = 5 * math.sqrt(p * (1 - p) / (SAMPLES // 4))
    for lane in range(4):
        assert abs(mask[:, lane].mean().item() - p) < tolerance
    both = (mask[:, 0] * mask[:, 1]).mean().item()
    assert abs(both - p * p) < 5 * math.sqrt(p * p / (SAMPLES // 4))
    following = (mask[:-1, 3] * mask[1:, 0]).mean().item()  # the last lane of a draw and the first of the next
    assert abs(following - p * p) < 5 * math.sqrt(p * p / (SAMPLES // 4))


def test_kept_inputs_are_scaled_so_the_output_is_unbiased_and_the_gradient_follows_the_mask() -> None:
    torch.manual_seed(1)
    dropout = LaneDropout(0.1).train()
    inputs = torch.rand(600, 500, dtype=torch.float64) + 0.5
    inputs.requires_grad_(True)
    outputs = dropout(inputs)
    kept = outputs != 0
    assert torch.allclose(outputs[kept], inputs[kept] * 2**16 / dropout.keep_levels)
    assert abs(outputs.sum().item() / inputs.sum().item() - 1) < 0.005
    outputs.sum().backward()
    assert torch.equal(inputs.grad, kept.double() * 2**16 / dropout.keep_levels)


def test_masks_follow_the_torch_seed_and_differ_between_calls() -> None:
    dropout = LaneDropout(0.3).train()
    inputs = torch.ones(50, 70)
    torch.manual_seed(7)
    first, second = dropout(inputs), dropout(inputs)
    torch.manual_seed(7)
    assert torch.equal(dropout(inputs), first) and not torch.equal(first, second)


def test_evaluation_and_zero_probability_leave_the_input_as_it_is() -> None:
    inputs = torch.randn(8, 16)
    assert LaneDropout(0.5).eval()(inputs) is inputs
    assert LaneDropout(0.0).train()(inputs) is inputs
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        LaneDropout(1.0)
    with pytest.raises(ValueError, match="keep_levels"):
        drop_mask(torch.Size([4]), 2**16)


def test_cpu_training_replaces_every_lora_dropout(tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    config = load_config(None, [f"base_model={tiny_model_dir}", "lora.dropout=0.1"])
    model, _ = load_model_for_training(config, "fp32", "per_example")
    dropouts = [getattr(module, "lora_dropout", None) for module in model.modules()]
    dropouts = [m for m in dropouts if isinstance(m, nn.ModuleDict)]
    assert dropouts and all(isinstance(d, LaneDropout) and d.p == 0.1 for m in dropouts for d in m.values())
    base, _ = load_base_model(str(tiny_model_dir))
    plain = get_peft_model(base, build_lora_config(base, config.lora))
    assert use_lane_dropout(plain) == len(dropouts)
