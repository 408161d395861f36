"""The llama.cpp backend: the same tasks as :class:`~ml.inference.engine.Engine`, with llama.cpp's forward pass.

    pip install -e ".[llama]"          # llama-cpp-python compiles llama.cpp (about 8 minutes on 2 cores)
    griller parse resume.pdf           # backend auto: this one on CPU, once it is installed
    GRILLER_BACKEND=llama.cpp griller serve

Only the forward pass changes. The prompt is the tokenizer's own chat template applied by transformers
(the token ids are handed to llama.cpp, so nothing can drift), decoding is greedy, ``parse_resume`` runs
under the very logits processors of the transformers engine (llguidance grammar, runaway-list closing,
closing near the limit: :mod:`ml.inference.constrained`) and its JSON is grounded the same way. So on the
same weights the two backends give the same answers up to float rounding (``tests/inference/test_llama_cpp_engine.py``
checks greedy equality); llama.cpp is just faster on CPU (``bench/infer_latency.py``). A LoRA adapter runs here
merged into Q8_0 weights (:data:`CONVERTED_QUANT`): its answers differ from the fp32 merge's where rounding
tips a token, with the same quality measured (the shipped model card); an f16 export
(``griller export --format gguf --quant f16``) is not rounded that far.

Prompt-lookup decoding (the transformers engine's lever, ``GRILLER_PROMPT_LOOKUP``) is done here too: a
draft copied from the text already seen is checked in one ``llama_decode`` of all its tokens, and kept up
to the first token greedy decoding would not have chosen, so the output is unchanged (up to the float
rounding of llama.cpp's batched kernels: exact in f16 on the tests' model, a few tokens apart in q8_0).

Several answers decode together in one context (:class:`LlamaCppContext`, one KV sequence each), which is how
the server's batches of concurrent requests run here.

What it loads: a ``.gguf`` file, an export folder holding one (``griller export --format gguf``), the
embedded base model (its own GGUF), or a LoRA adapter folder, which is merged and converted to GGUF
(:data:`CONVERTED_QUANT`) once and cached under ``GRILLER_CACHE_DIR`` (keyed by the adapter's bytes; the
:data:`KEPT_CONVERSIONS` most recently used are kept).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import gguf
import numpy as np

from ml.base_model import (
    DEFAULT_BASE_MODEL,
    EMBEDDED_ALIASES,
    adapter_base_model,
    embedded_gguf_path,
    gguf_metadata,
    is_adapter_dir,
    load_gguf_tokenizer,
    load_tokenizer,
)
from ml.export import ADAPTER_FILES, METADATA_FILE, ExportError
from ml.export.gguf import family_of, rope_of, write_gguf_export
from ml.inference import llama_cpp_canary
from ml.inference.engine import (
    Engine,
    Generation,
    GenerationCancelled,
    max_context_setting,
    parse_method_setting,
    prompt_lookup_setting,
)
from ml.inference.grounding import grounding_enabled
from ml.inference.llama_cpp_context import BATCH_TOKENS, LlamaCppContext, LlamaCppError, import_llama_cpp
from ml.inference.sampling import GREEDY, Sampling
from ml.inference.tone import question_samples_setting
from ml.paths import CACHE_DIR

log = logging.getLogger(__name__)
LOOKUP_TOKENS = 5
"""Longest draft here (``GRILLER_PROMPT_LOOKUP`` overrides). A draft is as long as the n-gram it was found by
(:func:`lookup_draft`), up to this: llama.cpp checks k drafted tokens in one decode that costs about 5 ms more
per token on 2 cores (17 ms for 1 token, 34 ms for 4, 62 ms for 10, at 1,500 tokens of cache), so only drafts
that are likely right pay. ``bench/NOTES.md`` has the measurements."""
LOOKUP_NGRAM = 5
"""Longest n-gram matched when proposing a draft; a longer match is found first and proposes a longer draft."""


def lookup_match(tokens: list[int], max_ngram: int = LOOKUP_NGRAM) -> tuple[int, int] | None:
    """``(start, size)``: the longest last n-gram of ``tokens`` (up to ``max_ngram``) seen earlier with something
    after it, ``size`` its length and ``start`` the index right after its first earlier occurrence."""
    sequence = np.asarray(tokens)
    for size in range(min(max_ngram, len(tokens) - 1), 0, -1):
        windows = np.lib.stride_tricks.sliding_window_view(sequence[:-1], size)
        matches = np.flatnonzero((windows == sequence[-size:]).all(axis=1))
        for start in matches + size:
            if start < len(tokens):
                return int(start), size
    return None


def lookup_draft(tokens: list[int], length: int, max_ngram: int = LOOKUP_NGRAM) -> list[int]:
    """What followed the earlier occurrence of :func:`lookup_match`, as many tokens as the matched n-gram is long
    and at most ``length``.

    The draft's length follows the evidence: after a 5-token match a copy of the resume or a run of JSON keys is
    usually going on, while a single repeated token (a quote, a comma) predicts little. On these 2 cores this
    decodes 1.1x faster than drafts of a fixed 3 tokens, with the same output (``bench/NOTES.md``).
    """
    match = lookup_match(tokens, max_ngram) if length > 0 else None
    if match is None:
        return []
    start, size = match
    return tokens[start : start + min(size, length)]


CONVERTED_QUANT = "q8_0"
"""The weights an adapter is merged into for this backend. On 2 cores Q8_0 decodes one answer 1.48x as fast as
f16 (it reads half the bytes) and the v9 adapter parses and asks as well (``bench/NOTES.md``, "Q8_0");
``griller export --format gguf --quant f16`` still writes f16 for whoever wants it."""
KEPT_CONVERSIONS = 3  # converted adapters kept under the cache (prune_conversions)
COPY_MIN_TOKENS = 16
"""A prefix cached in another sequence is copied over when it saves at least this many tokens: the copy costs
about 25 ms on 2 cores, the prefill of 16 tokens of SmolLM2 about 50 ms (``bench/NOTES.md``)."""


class _Sequence:
    """One KV stream of a :class:`LlamaCppContext`: the tokens it holds, kept in step with llama.cpp's cache."""

    def __init__(self, context: LlamaCppContext, index: int) -> None:
        self.context = context
        self.index = index
        self.tokens: list[int] = []

    def start(self, prompt: list[int], others: Iterable[_Sequence] = ()) -> np.ndarray:
        """Hold ``prompt`` and return the logits after its last token. The longest cached prefix is reused, this
        sequence's own or, copied over, one of ``others``' (the server's system prompt, say, when this sequence
        last held something else or nothing), when that saves at least :data:`COPY_MIN_TOKENS`."""
        common = self.common_prefix(prompt)
        held = {other.index: (other.common_prefix(prompt), other) for other in others if other.index != self.index}
        donated, donor = max(held.values(), key=lambda pair: pair[0], default=(0, None))
        if donor is not None and donated >= common + COPY_MIN_TOKENS:
            self.context.copy(donor.index, self.index)
            self.tokens = list(donor.tokens)
            common = donated
        self.truncate(min(common, len(prompt) - 1))  # at least one token is decoded, for fresh logits
        rest = prompt[len(self.tokens) :]
        for offset in range(0, len(rest), BATCH_TOKENS):
            (rows,) = self.context.decode([self.piece(rest[offset : offset + BATCH_TOKENS], all_logits=False)])
            self.tokens.extend(rest[offset : offset + BATCH_TOKENS])
        return rows[-1]

    def common_prefix(self, prompt: list[int]) -> int:
        """How many of ``prompt``'s first tokens this sequence holds."""
        common = 0
        for cached, new in zip(self.tokens, prompt, strict=False):
            if cached != new:
                break
            common += 1
        return common

    def piece(self, tokens: list[int], all_logits: bool) -> tuple[int, int, list[int], bool]:
        """``tokens`` to decode after the held ones, as :meth:`LlamaCppContext.decode` takes them."""
        return self.index, len(self.tokens), tokens, all_logits

    def truncate(self, length: int) -> None:
        self.context.forget(self.index, length)
        del self.tokens[length:]


@dataclass
class _Decoding:
    """One answer being decoded: its prompt, its limit, its logits processors and what it has so far."""

    prompt: list[int]
    limit: int
    processors: list
    streamer: object | None = None
    answer: list[int] = field(default_factory=list)
    logits: np.ndarray | None = None
    seconds: float = 0.0
    done: bool = False

    def __post_init__(self) -> None:
        self.done = self.limit <= 0

    def choose(self, accepted: list[int], logits: np.ndarray) -> int:
        """The token after the answer so far plus ``accepted``, as the processors (grammar, sampler) allow."""
        if not self.processors:
            return int(logits.argmax())
        import torch

        ids, scores = torch.tensor([self.prompt + self.answer + accepted]), torch.from_numpy(logits[None, :])
        for processor in self.processors:
            scores = processor(ids, scores)
        return int(scores[0].argmax())

    def take(self, tokens: list[int], eos: int, started: float) -> None:
        self.answer += tokens
        if self.streamer is not None:
            import torch

            self.streamer.put(torch.tensor(tokens))
        if eos in tokens:
            del self.answer[self.answer.index(eos) + 1 :]
        if eos in tokens or len(self.answer) >= self.limit:
            self.done, self.seconds = True, time.perf_counter() - started
            if self.streamer is not None:
                self.streamer.end()

    def generation(self, tokenizer, eos: int) -> Generation:
        return Generation(
            text=tokenizer.decode(self.answer, skip_special_tokens=True).strip(),
            prompt_tokens=len(self.prompt),
            completion_tokens=len(self.answer),
            seconds=self.seconds,
            finished=bool(self.answer) and self.answer[-1] == eos,
        )


class LlamaCppCrash(LlamaCppError):
    """llama.cpp dies by a signal on this host (:mod:`ml.inference.llama_cpp_canary`): never load it in-process."""


def host_verdict(gguf_path: Path) -> llama_cpp_canary.Verdict:
    """Whether, and how, llama.cpp runs ``gguf_path`` on this CPU: tried in a child process once, then cached."""
    return llama_cpp_canary.check(gguf_path, weights_type(gguf_path), CACHE_DIR)


def weights_type(gguf_path: Path) -> str:
    """The GGUF's weight type as llama.cpp names it (``q8_0``, ``q4_k_m``, ``f16``), from its metadata."""
    metadata, _ = gguf_metadata(gguf_path)
    file_type = metadata.get("general.file_type")
    try:
        return gguf.LlamaFileType(int(file_type)).name.removeprefix("MOSTLY_").lower()
    except (TypeError, ValueError):
        return "unknown"


class LlamaCppEngine(Engine):
    """An :class:`Engine` whose forward pass is llama.cpp's; thread-safe, one batch of sequences at a time."""

    backend = "llama.cpp"

    def __init__(self, context: LlamaCppContext, tokenizer, name: str, fine_tuned: bool, gguf_path: Path) -> None:
        self.model = context
        self.tokenizer = tokenizer
        self.name = name
        self.fine_tuned = fine_tuned
        self.gguf_path = gguf_path
        self.prompt_lookup_tokens = prompt_lookup_setting(LOOKUP_TOKENS)
        self.grounded = grounding_enabled()
        self.parse_method = parse_method_setting()
        self.question_samples = question_samples_setting()
        self._sequences = [_Sequence(context, index) for index in range(context.sequences)]
        self._lock = threading.Lock()  # one llama.cpp context: one decoding loop at a time

    @classmethod
    def load(cls, spec: str | Path | None = None, merge_adapter: bool = True, sequences: int = 1) -> LlamaCppEngine:
        """Load a ``.gguf`` file, an export with one, the embedded base model or a LoRA adapter (converted once).

        ``sequences``: how many answers :meth:`generate_batch` decodes together (the server asks for its batch
        size); each holds a full context of KV cache. ``merge_adapter`` is accepted for the signature's sake:
        llama.cpp always runs merged weights.
        """
        import_llama_cpp()  # before converting an adapter for nothing
        gguf_path, fine_tuned = resolve_gguf(spec)
        verdict = host_verdict(gguf_path)
        if not verdict.runs:
            raise LlamaCppCrash(llama_cpp_canary.crash_message(verdict, CACHE_DIR, falling_back=False))
        positions = min(max_context_setting(), _trained_context(gguf_path))
        context = LlamaCppContext(gguf_path, positions, sequences, extra_buffers=verdict.extra_buffers)
        if str(spec or DEFAULT_BASE_MODEL).lower() in EMBEDDED_ALIASES:
            tokenizer = load_tokenizer(spec)
        else:
            tokenizer = load_gguf_tokenizer(gguf_path)
        return cls(context, tokenizer, name=str(spec or DEFAULT_BASE_MODEL), fine_tuned=fine_tuned, gguf_path=gguf_path)

    @property
    def context_limit(self) -> int:
        return self.model.n_ctx()

    @property
    def vocab_size(self) -> int:
        return self.model.n_vocab()

    def generate_messages(
        self,
        messages: list[dict[str, str]],
        max_new_tokens: int,
        constrained: bool = False,
        streamer: object | None = None,
        source: str | None = None,
        sampling: Sampling = GREEDY,
        cancel: threading.Event | None = None,
    ) -> Generation:
        """Generation for any chat, greedy unless ``sampling``; ``streamer`` follows transformers' protocol."""
        decoding = self._decoding(messages, max_new_tokens, constrained, source, sampling, streamer)
        if streamer is not None:
            import torch

            streamer.put(torch.tensor([decoding.prompt]))
        self._decode([decoding], cancel)
        return decoding.generation(self.tokenizer, self.tokenizer.eos_token_id)

    def _decoding(
        self,
        messages: list[dict[str, str]],
        max_new_tokens: int,
        constrained: bool,
        source: str | None,
        sampling: Sampling,
        streamer: object | None = None,
    ) -> _Decoding:
        prompt = self._encode(messages)["input_ids"][0].tolist()
        room = self.context_limit - len(prompt)  # a sequence's KV stream holds n_ctx positions, no more
        if room <= 0:
            raise LlamaCppError(f"the prompt ({len(prompt)} tokens) fills the {self.context_limit}-token context")
        limit = min(max_new_tokens, room)
        processors = self._processors(limit, constrained, source, sampling, len(prompt), messages)
        return _Decoding(prompt, limit, processors, streamer)

    def _decode(self, decodings: list[_Decoding], cancel: threading.Event | None = None) -> None:
        """Decode each answer in a sequence of its own, all of them stepping in one ``llama_decode`` per token.

        A single answer also checks prompt-lookup drafts (:meth:`draft`). Several answers step one token each:
        llama.cpp splits a step whose sequences bring different numbers of tokens into several passes, which
        costs more than the drafts save. Once ``cancel`` is set the loop stops, the streams end and
        :class:`~ml.inference.engine.GenerationCancelled` is raised, with the sequences' caches kept consistent.
        """
        if len(decodings) > len(self._sequences):
            raise ValueError(f"{len(decodings)} answers for {len(self._sequences)} sequences")
        eos = self.tokenizer.eos_token_id
        for decoding in decodings:
            if decoding.done and decoding.streamer is not None:  # no room for a token: the stream still ends
                decoding.streamer.end()
        with self._lock:
            started = time.perf_counter()
            for decoding, sequence in zip(decodings, self._sequences, strict=False):
                decoding.logits = sequence.start(decoding.prompt, self._sequences)
            while active := [(d, s) for d, s in zip(decodings, self._sequences, strict=False) if not d.done]:
                if cancel is not None and cancel.is_set():
                    for decoding, _ in active:
                        if decoding.streamer is not None:
                            decoding.streamer.end()
                    raise GenerationCancelled
                steps = []
                for decoding, sequence in active:
                    token = decoding.choose([], decoding.logits)
                    if token == eos or len(decoding.answer) + 1 >= decoding.limit:
                        decoding.take([token], eos, started)  # the last token: nothing to decode after it
                        continue
                    room = decoding.limit - len(decoding.answer) - 1
                    length = min(self.prompt_lookup_tokens, room) if len(active) == 1 else 0
                    draft = self.draft(decoding.prompt + decoding.answer + [token], length)
                    steps.append((decoding, sequence, [token, *draft]))
                if not steps:
                    continue
                rows = self.model.decode([sequence.piece(tokens, all_logits=True) for _, sequence, tokens in steps])
                for (decoding, sequence, tokens), logits in zip(steps, rows, strict=True):
                    sequence.tokens.extend(tokens)
                    accepted = tokens[:1]
                    for guess, row in zip(tokens[1:], logits, strict=False):
                        if accepted[-1] == eos or decoding.choose(accepted, row) != guess:
                            break
                        accepted.append(guess)
                    decoding.logits = logits[len(accepted) - 1]
                    sequence.truncate(len(decoding.prompt) + len(decoding.answer) + len(accepted))
                    decoding.take(accepted, eos, started)

    def forget_prompts(self) -> None:
        """Empty every sequence's cache: the next prompts decode from scratch (a benchmark's phases start alike)."""
        with self._lock:
            for sequence in self._sequences:
                sequence.truncate(0)

    def draft(self, tokens: list[int], length: int) -> list[int]:
        """Tokens proposed to follow ``tokens`` (at most ``length``), checked in one decode: :func:`lookup_draft`."""
        return lookup_draft(tokens, length)

    def generate_batch(
        self,
        task,
        user_inputs: list[str],
        max_new_tokens: int | None = None,
        seeds: list[int | None] | None = None,
        cancel: threading.Event | None = None,
    ) -> list[Generation]:
        """Each prompt as :meth:`generate` runs it alone (its own limit, grammar and seed), decoded together
        ``sequences`` at a time. ``seconds`` is each answer's own, from the start of its group."""
        given = seeds or [None] * len(user_inputs)
        requests = [
            self.prepare(task, text, max_new_tokens, seed=seed) for text, seed in zip(user_inputs, given, strict=True)
        ]
        generations = []
        for first in range(0, len(requests), len(self._sequences)):
            group = requests[first : first + len(self._sequences)]
            decodings = [self._decoding(r.messages, r.limit, r.constrained, r.source, r.sampling) for r in group]
            self._decode(decodings, cancel)
            for request, decoding in zip(group, decodings, strict=True):
                generation = decoding.generation(self.tokenizer, self.tokenizer.eos_token_id)
                generation.truncated = request.truncated
                generations.append(self.ground(generation, request.source))
        return generations


def _trained_context(gguf_path: Path) -> int:
    metadata, _ = gguf_metadata(gguf_path)
    context = metadata.get(f"{metadata.get('general.architecture')}.context_length")
    return int(context) if context else max_context_setting()


def resolve_gguf(spec: str | Path | None) -> tuple[Path, bool]:
    """``(GGUF file, fine-tuned?)`` for a model spec; a LoRA adapter is merged and converted once (cached)."""
    text = str(spec or DEFAULT_BASE_MODEL)
    if text.lower() in EMBEDDED_ALIASES:
        return embedded_gguf_path(text.lower()), False
    path = Path(text).expanduser()
    if path.suffix == ".gguf" and path.is_file():
        return path, (path.parent / METADATA_FILE).is_file()
    if (exported := _exported_gguf(path)) is not None:
        return exported, True
    if path.is_dir() and is_adapter_dir(path):
        return converted_adapter(path), True
    raise LlamaCppError(
        f"The llama.cpp backend loads a .gguf file, an export folder holding one, the embedded model or a LoRA "
        f"adapter folder, not {text!r}. Convert a merged model with: griller export --format gguf"
    )


def can_load(spec: str | Path | None) -> bool:
    """Whether :func:`resolve_gguf` takes ``spec``, checked without converting anything: a GGUF file, an export
    holding one, the embedded model, or a LoRA adapter whose base architecture and RoPE the GGUF writer maps (its
    conversion can still refuse the tokenizer: :func:`~ml.inference.backends.load_engine` then falls back to
    transformers)."""
    text = str(spec or DEFAULT_BASE_MODEL)
    path = Path(text).expanduser()
    if text.lower() in EMBEDDED_ALIASES or (path.suffix == ".gguf" and path.is_file()) or _exported_gguf(path):
        return True
    if not (path.is_dir() and is_adapter_dir(path)):
        return False
    base = adapter_base_model(path)
    if base.lower() in EMBEDDED_ALIASES:
        return True
    from transformers import AutoConfig  # heavy: only an adapter of a base not embedded gets here

    try:
        config = AutoConfig.from_pretrained(base)
        family_of(config)  # an architecture the GGUF writer maps ...
        rope_of(config)  # ... and a RoPE it writes
    except (OSError, ValueError, ExportError):  # a hub base not in the local cache, say
        return False
    return True


def refusal(spec: str | Path | None) -> str | None:
    """Why ``auto`` must not run ``spec`` on llama.cpp here (its conversion fails, or llama.cpp crashes on this CPU),
    or None. Converts an adapter (once, cached) and runs the crash canary (once per host) as loading would."""
    try:
        gguf_path, _ = resolve_gguf(spec)
    except LlamaCppError as error:
        return f"llama.cpp cannot run {spec} ({error}); running it on transformers"
    verdict = host_verdict(gguf_path)
    return None if verdict.runs else llama_cpp_canary.crash_message(verdict, CACHE_DIR, falling_back=True)


def _exported_gguf(path: Path) -> Path | None:
    """The GGUF file a ``griller export --format gguf`` folder holds, if ``path`` is one."""
    if path.is_dir() and (path / METADATA_FILE).is_file():
        gguf_file = json.loads((path / METADATA_FILE).read_text(encoding="utf-8")).get("gguf_file")
        if gguf_file:
            return path / gguf_file
    return None


def converted_adapter(adapter: Path, quant: str = CONVERTED_QUANT) -> Path:
    """The adapter merged into its base as GGUF ``quant``, written once under the cache, keyed by its bytes."""
    digest = hashlib.sha256()
    for name in ADAPTER_FILES:
        digest.update((adapter / name).read_bytes())
    key = digest.hexdigest()[:16]
    target = CACHE_DIR / "gguf" / f"{key}-{quant}.gguf"
    try:
        os.utime(target)  # the most recently used conversion is the last one pruned
        return target
    except FileNotFoundError:
        pass  # not converted yet, or pruned by another process just now
    except OSError:
        return target  # a read-only cache still serves what it holds
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as staging:
        try:
            name = write_gguf_export(adapter, Path(staging), key, quant)
        except ExportError as error:
            raise LlamaCppError(f"{error} (--backend transformers runs this adapter as it is)") from error
        os.replace(Path(staging) / name, target)
    prune_conversions(target.parent, KEPT_CONVERSIONS)
    return target


def prune_conversions(directory: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` most recently used conversions in ``directory``; the deleted files.

    Every retrained adapter is a new conversion (138 MB for SmolLM2-135M in Q8_0, gigabytes for a 7B base), so
    without this the cache grows with each training run. A process that has a deleted file open keeps reading it.
    """
    conversions = sorted(directory.glob("*.gguf"), key=_last_used, reverse=True)
    removed = []
    for stale in conversions[keep:]:
        try:
            stale.unlink()
        except OSError:  # gone already (another process pruned it), or held open where that forbids unlinking
            continue
        removed.append(stale)
        log.info("removed %s from the conversion cache (%d most recently used kept)", stale.name, keep)
    return removed


def _last_used(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:  # pruned by another process while this one sorted
        return 0
