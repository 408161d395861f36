"""LoRA dropout on CPU with its masks drawn four to a random number, by a fast generator.

PEFT drops each LoRA input with ``nn.Dropout``, whose CPU mask costs one draw of torch's generator per
element (``bernoulli_``): 7 LoRA layers x 30 blocks per pass, each as large as its input, took 2.65 s of a
23.8 s profiled step (``bench/NOTES.md``, "LoRA dropout"). One 64-bit random number holds four independent
uniform 16-bit lanes, so the same Bernoulli masks need a quarter of the draws; and they come from numpy's SFC64
(a small-state generator that passes BigCrush and PractRand), which draws 64 bits in a third of the time torch's
Mersenne Twister takes (``bench/NOTES.md``, "A LoRA layer as one function"). The distribution is dropout's:
each input is kept independently with probability ``keep_levels / 2**16`` (``1 - p`` rounded to 1/65,536) and
scaled by its inverse, so the output is unbiased; only the random stream differs from torch's. Each mask's
generator is seeded by one draw of torch's generator, so ``torch.manual_seed`` and the Trainer's saved RNG
states reproduce it.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

LANE_LEVELS = 2**16
LANES_PER_DRAW = 4  # the four 16-bit lanes of a 64-bit random number


def drop_mask(shape: torch.Size, keep_levels: int, device: torch.device | None = None) -> torch.Tensor:
    """A bool mask of ``shape``: each element True (dropped) independently with probability
    ``1 - keep_levels / 2**16``."""
    if not 0 < keep_levels < LANE_LEVELS:  # the threshold below must fit in int16
        raise ValueError(f"keep_levels must be in (0, {LANE_LEVELS}), got {keep_levels}")
    count = shape.numel()
    seed = int(torch.randint(0, 2**62, (1,)))  # from torch's generator: its seed and saved states reproduce it
    draws = np.random.SFC64(seed).random_raw(-(-count // LANES_PER_DRAW))
    lanes = torch.from_numpy(draws.view(np.int16))[:count]  # each uniform over [-32768, 32767]
    return (lanes >= keep_levels - LANE_LEVELS // 2).view(shape).to(device)


class LaneDropout(nn.Module):
    """``nn.Dropout(p)`` with masks from :func:`drop_mask`; the identity in eval mode."""

    def __init__(self, p: float) -> None:
        super().__init__()
        self.p = p
        self.keep_levels = round((1.0 - p) * LANE_LEVELS)
        if not 0.0 <= p < 1.0:
            raise ValueError(f"dropout probability must be in [0, 1), got {p}")
        if self.keep_levels == 0:
            raise ValueError(f"dropout probability {p} keeps 0 of {LANE_LEVELS} inputs once rounded")
        self.scale = LANE_LEVELS / self.keep_levels

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        if not self.training or self.keep_levels >= LANE_LEVELS:
            return inputs
        # masked_fill_ saves the bool mask for backward, not a float copy of it
        return (inputs * self.scale).masked_fill_(drop_mask(inputs.shape, self.keep_levels, inputs.device), 0.0)

    def extra_repr(self) -> str:
        return f"p={self.p}, keep={self.keep_levels}/{LANE_LEVELS}"


def use_lane_dropout(model: nn.Module) -> int:
    """Replace the ``nn.Dropout`` of every LoRA layer of ``model`` with :class:`LaneDropout`; how many."""
    replaced = 0
    for module in model.modules():
        dropouts = getattr(module, "lora_dropout", None)
        if not isinstance(dropouts, nn.ModuleDict):
            continue
        for adapter, dropout in dropouts.items():
            if isinstance(dropout, nn.Dropout):
                dropouts[adapter] = LaneDropout(dropout.p)
                replaced += 1
    return replaced
