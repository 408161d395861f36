"""Seeded sampling as a logits processor, so question tasks get varied, reproducible answers.

Greedy decoding asks every resume the same opening: the single most likely first token wins each time
(a fine-tuned model opened 24 of 25 held-out questions with "Let's move on.", which is 8% of its
training answers). Question tasks therefore sample (temperature 0.7, top-p 0.9 by default), while
``parse_resume`` stays greedy: extraction has one right answer.

Sampling is done with the Gumbel-max trick: temperature, then top-p, then Gumbel noise drawn from
(seed, answer position), and the decoder's usual argmax picks the token. The argmax of
``logits / T + Gumbel`` is an exact sample from ``softmax(logits / T)``, and because the noise depends
only on the row's own seed and position, a request gets the same answer alone or inside a batch,
on the transformers or the llama.cpp backend, with or without prompt-lookup drafts.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ml import tasks

if TYPE_CHECKING:
    import torch

QUESTION_TEMPERATURE = 0.7
QUESTION_TOP_P = 0.9
NUCLEUS_CANDIDATES = 256
"""Tokens :func:`nucleus_filter` looks at first; it widens the search only when they hold less than top-p."""
SAMPLED_TASKS = (tasks.TaskName.INTERVIEW_QUESTION, tasks.TaskName.FOLLOW_UP)


@dataclass(frozen=True)
class Sampling:
    """How to pick tokens: ``temperature`` 0 is greedy; ``seed`` None means one derived from the prompt."""

    temperature: float = 0.0
    top_p: float = 1.0
    seed: int | None = None

    def __post_init__(self) -> None:
        if self.temperature < 0:
            raise ValueError(f"temperature must be >= 0, got {self.temperature}")
        if not 0 < self.top_p <= 1:
            raise ValueError(f"top_p must be in (0, 1], got {self.top_p}")

    @property
    def greedy(self) -> bool:
        return self.temperature == 0

    def request_params(self) -> dict[str, float | int | None]:
        """The same decoding as OpenAI chat-completion parameters (what an API is asked for)."""
        if self.greedy:
            return {"temperature": 0}
        return {"temperature": self.temperature, "top_p": self.top_p, "seed": self.seed}


GREEDY = Sampling()


def task_sampling(task: tasks.TaskName | str, seed: int | None = None) -> Sampling:
    """A task's default: greedy parses; question tasks sample at ``GRILLER_QUESTION_TEMPERATURE`` (0 = greedy)."""
    if tasks.TaskName(task) not in SAMPLED_TASKS:
        return GREEDY
    temperature = float(os.environ.get("GRILLER_QUESTION_TEMPERATURE", QUESTION_TEMPERATURE))
    top_p = float(os.environ.get("GRILLER_QUESTION_TOP_P", QUESTION_TOP_P))
    return Sampling(temperature, top_p, seed)


def prompt_seed(text: str) -> int:
    """A stable seed from a prompt, so the same request gets the same answer (and evaluations repeat)."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "little") >> 1


def retry_seed(seed: int, attempt: int) -> int:
    """The seed of a request's ``attempt``-th extra sample: drawn from the request's seed, so it is no other
    request's own (``seed + attempt`` would make a retry of seed 5 the first sample of seed 6)."""
    return prompt_seed(f"retry {attempt} of {seed}")


class SeededSampler:
    """A logits processor that turns the argmax after it into a seeded sample; it goes after any grammar processor.

    ``seeds`` holds one seed per row of the batch; ``prompt_width`` is the (padded) prompt length, so the
    noise is indexed by the position in the answer whatever the prompt.
    """

    def __init__(self, sampling: Sampling, seeds: list[int], prompt_width: int) -> None:
        if sampling.greedy:
            raise ValueError("SeededSampler needs a temperature above 0")
        self.temperature = sampling.temperature
        self.top_p = sampling.top_p
        self.seeds = seeds
        self.prompt_width = prompt_width

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        import torch

        scores = scores.float() / self.temperature
        if self.top_p < 1:
            scores = nucleus_filter(scores, self.top_p)
        position = input_ids.shape[1] - self.prompt_width
        noise = torch.stack([self.gumbel(seed, position, scores.shape[1]) for seed in self.seeds])
        return scores + noise.to(scores.device)

    @staticmethod
    def gumbel(seed: int, position: int, width: int) -> torch.Tensor:
        import torch

        generator = torch.Generator().manual_seed((seed * 1_000_003 + position) % (2**63))
        uniform = torch.rand(width, generator=generator).clamp_(min=1e-10, max=1 - 1e-7)
        return -torch.log(-torch.log(uniform))


def nucleus_filter(scores: torch.Tensor, top_p: float) -> torch.Tensor:
    """``scores`` (rows of logits) with every token outside its row's top-p nucleus set to -inf.

    The nucleus is transformers' ``TopPLogitsWarper``'s: a token stays when the tokens more likely than it hold
    less than ``top_p`` of the probability (the most likely always stays). Tokens tied with the least likely one
    kept stay too, where transformers keeps whichever its sort put first, so the set never depends on a sort's
    order. It is found among the :data:`NUCLEUS_CANDIDATES` most likely tokens, widened until they hold
    ``top_p``, instead of by sorting the whole vocabulary: that sort took 4 ms a token on SmolLM2's 49,152, a
    quarter of a batch of question requests on the llama.cpp backend (``bench/NOTES.md``).
    """

    probabilities = scores.softmax(-1)
    width = scores.shape[-1]
    candidates = min(NUCLEUS_CANDIDATES, width)
    while True:
        top = probabilities.topk(candidates, dim=-1).values
        held = top.cumsum(-1)
        if candidates == width or bool((held[:, -1] >= top_p).all()):
            break
        candidates = min(4 * candidates, width)
    keep = held - top < top_p
    keep[:, 0] = True
    least_kept = top.masked_fill(~keep, float("inf")).amin(-1, keepdim=True)
    return scores.masked_fill(probabilities < least_kept, float("-inf"))
