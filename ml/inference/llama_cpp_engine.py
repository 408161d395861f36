"""The llama.cpp backend: the same tasks as :class:`~ml.inference.engine.Engine`, with llama.cpp's forward pass.

    pip install -e ".[llama]"          # llama-cpp-python compiles llama.cpp (about 8 minutes on 2 cores)
    griller parse resume.pdf --backend llama.cpp
    GRILLER_BACKEND=llama.cpp griller serve

Only the forward pass changes. The prompt is the tokenizer's own chat template applied by transformers
(the token ids are handed to llama.cpp, so nothing can drift), decoding is greedy, ``parse_resume`` runs
under the very logits processors of the transformers engine (llguidance grammar, runaway-list closing,
closing near the limit: :mod:`ml.inference.constrained`) and its JSON is grounded the same way. So the
two backends give the same answers up to float rounding (``tests/inference/test_llama_cpp_engine.py``
checks greedy equality); llama.cpp is just faster on CPU (``bench/infer_latency.py``).

Prompt-lookup decoding (the transformers engine's lever, ``GRILLER_PROMPT_LOOKUP``) is done here too: a
draft copied from the text already seen is checked in one ``llama_decode`` of all its tokens, and kept up
to the first token greedy decoding would not have chosen, so the output is unchanged (up to the float
rounding of llama.cpp's batched kernels: exact in f16 on the tests' model, a few tokens apart in q8_0).

What it loads: a ``.gguf`` file, an export folder holding one (``griller export --format gguf``), the
embedded base model (its own GGUF), or a LoRA adapter folder, which is merged and converted to GGUF f16
once and cached under ``GRILLER_CACHE_DIR`` (keyed by the adapter's bytes).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from ml.base_model import (
    DEFAULT_BASE_MODEL,
    EMBEDDED_ALIASES,
    embedded_gguf_path,
    gguf_metadata,
    load_gguf_tokenizer,
    load_tokenizer,
)
from ml.export import ADAPTER_FILES, METADATA_FILE
from ml.inference.engine import (
    Engine,
    Generation,
    is_adapter_dir,
    max_context_setting,
    prompt_lookup_setting,
)
from ml.inference.grounding import grounding_enabled
from ml.inference.sampling import GREEDY, Sampling
from ml.paths import CACHE_DIR

LLAMA_CPP_INSTALL = 'pip install -e ".[llama]"  (or: pip install llama-cpp-python)'
LOOKUP_TOKENS = 5
"""Longest draft here (``GRILLER_PROMPT_LOOKUP`` overrides). A draft is as long as the n-gram it was found by
(:func:`lookup_draft`), up to this: llama.cpp checks k drafted tokens in one decode that costs about 5 ms more
per token on 2 cores (17 ms for 1 token, 34 ms for 4, 62 ms for 10, at 1,500 tokens of cache), so only drafts
that are likely right pay. ``bench/NOTES.md`` has the measurements."""
LOOKUP_NGRAM = 5
"""Longest n-gram matched when proposing a draft; a longer match is found first and proposes a longer draft."""


class LlamaCppError(RuntimeError):
    """The llama.cpp backend cannot load what it was given (not installed, or not a GGUF-able model)."""


def _import_llama_cpp():
    try:
        import llama_cpp
    except ImportError as error:
        raise LlamaCppError(f"The llama.cpp backend needs llama-cpp-python: {LLAMA_CPP_INSTALL}") from error
    return llama_cpp


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


class _Sequence:
    """One KV-cache sequence of a llama.cpp context: what it holds, and decoding more tokens into it."""

    def __init__(self, llama) -> None:
        self.llama_cpp = _import_llama_cpp()
        self.llama = llama
        self.capacity = llama.n_batch
        self.batch = self.llama_cpp.llama_batch_init(self.capacity, 0, 1)
        self.tokens: list[int] = []

    def close(self) -> None:
        self.llama_cpp.llama_batch_free(self.batch)

    def start(self, prompt: list[int]) -> np.ndarray:
        """Hold ``prompt`` (reusing the cached common prefix) and return the logits after its last token."""
        common = 0
        for cached, new in zip(self.tokens, prompt, strict=False):
            if cached != new:
                break
            common += 1
        self.truncate(min(common, len(prompt) - 1))  # at least one token is decoded, for fresh logits
        return self.extend(prompt[len(self.tokens) :], all_logits=False)[-1]

    def truncate(self, length: int) -> None:
        memory = self.llama_cpp.llama_get_memory(self.llama.ctx)
        self.llama_cpp.llama_memory_seq_rm(memory, 0, length, -1)
        del self.tokens[length:]

    def extend(self, tokens: list[int], all_logits: bool) -> np.ndarray:
        """Decode ``tokens`` after the held ones; the logits rows of every token, or of the last one only."""
        n_vocab = self.llama.n_vocab()
        rows: list[np.ndarray] = []
        for offset in range(0, len(tokens), self.capacity):
            chunk = tokens[offset : offset + self.capacity]
            last_chunk = offset + self.capacity >= len(tokens)
            self.batch.n_tokens = len(chunk)
            for i, token in enumerate(chunk):
                self.batch.token[i] = token
                self.batch.pos[i] = len(self.tokens) + i
                self.batch.seq_id[i][0] = 0
                self.batch.n_seq_id[i] = 1
                self.batch.logits[i] = all_logits or (last_chunk and i == len(chunk) - 1)
            status = self.llama_cpp.llama_decode(self.llama.ctx, self.batch)
            if status != 0:
                raise LlamaCppError(f"llama_decode failed with status {status} at position {len(self.tokens)}")
            self.tokens.extend(chunk)
            wanted = range(len(chunk)) if all_logits else ([len(chunk) - 1] if last_chunk else [])
            for i in wanted:
                pointer = self.llama_cpp.llama_get_logits_ith(self.llama.ctx, i)
                rows.append(np.ctypeslib.as_array(pointer, shape=(n_vocab,)).copy())
        return np.stack(rows)


class LlamaCppEngine(Engine):
    """An :class:`Engine` whose forward pass is llama.cpp's (one sequence at a time, thread-safe)."""

    backend = "llama.cpp"

    def __init__(self, llama, tokenizer, name: str, fine_tuned: bool, gguf_path: Path) -> None:
        self.model = llama
        self.tokenizer = tokenizer
        self.name = name
        self.fine_tuned = fine_tuned
        self.gguf_path = gguf_path
        self.prompt_lookup_tokens = prompt_lookup_setting(LOOKUP_TOKENS)
        self.grounded = grounding_enabled()
        self._sequence = _Sequence(llama)
        self._lock = threading.Lock()  # one llama.cpp context: one generation at a time

    @classmethod
    def load(cls, spec: str | Path | None = None, merge_adapter: bool = True) -> LlamaCppEngine:
        """Load a ``.gguf`` file, an export with one, the embedded base model or a LoRA adapter (converted once).

        ``merge_adapter`` is accepted for the signature's sake: llama.cpp always runs merged weights.
        """
        llama_cpp = _import_llama_cpp()
        gguf_path, fine_tuned = resolve_gguf(spec)
        context = min(max_context_setting(), _trained_context(gguf_path))
        llama = llama_cpp.Llama(
            str(gguf_path), n_ctx=context, n_batch=512, n_threads=_threads(), n_threads_batch=_threads(), verbose=False
        )
        if str(spec or DEFAULT_BASE_MODEL).lower() in EMBEDDED_ALIASES:
            tokenizer = load_tokenizer(spec)
        else:
            tokenizer = load_gguf_tokenizer(gguf_path)
        return cls(llama, tokenizer, name=str(spec or DEFAULT_BASE_MODEL), fine_tuned=fine_tuned, gguf_path=gguf_path)

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
    ) -> Generation:
        """Generation for any chat, greedy unless ``sampling``; ``streamer`` follows transformers' protocol."""
        import torch

        prompt = self._encode(messages)["input_ids"][0].tolist()
        room = self.context_limit - len(prompt)  # llama.cpp's KV cache holds n_ctx positions, no more
        if room <= 0:
            raise LlamaCppError(f"the prompt ({len(prompt)} tokens) fills the {self.context_limit}-token context")
        max_new_tokens = min(max_new_tokens, room)
        processors = self._processors(max_new_tokens, constrained, source, sampling, len(prompt), messages)
        eos = self.tokenizer.eos_token_id

        def choose(prefix: list[int], logits: np.ndarray) -> int:
            if not processors:
                return int(logits.argmax())
            ids, scores = torch.tensor([prefix]), torch.from_numpy(logits[None, :])
            for processor in processors:
                scores = processor(ids, scores)
            return int(scores[0].argmax())

        if streamer is not None:
            streamer.put(torch.tensor([prompt]))
        started = time.perf_counter()
        answer: list[int] = []
        with self._lock:
            logits = self._sequence.start(prompt)
            while len(answer) < max_new_tokens:
                token = choose(prompt + answer, logits)
                accepted = [token]
                if token != eos and len(answer) + 1 < max_new_tokens:
                    room = max_new_tokens - len(answer) - 1
                    draft = self.draft(prompt + answer + [token], min(self.prompt_lookup_tokens, room))
                    rows = self._sequence.extend([token, *draft], all_logits=True)
                    for guess, row in zip(draft, rows, strict=False):
                        if accepted[-1] == eos or choose(prompt + answer + accepted, row) != guess:
                            break
                        accepted.append(guess)
                    logits = rows[len(accepted) - 1]
                    self._sequence.truncate(len(prompt) + len(answer) + len(accepted))
                answer += accepted
                if streamer is not None:
                    streamer.put(torch.tensor(accepted))
                if eos in accepted:
                    del answer[answer.index(eos) + 1 :]
                    break
        if streamer is not None:
            streamer.end()
        return Generation(
            text=self.tokenizer.decode(answer, skip_special_tokens=True).strip(),
            prompt_tokens=len(prompt),
            completion_tokens=len(answer),
            seconds=time.perf_counter() - started,
            finished=bool(answer) and answer[-1] == eos,
        )

    def draft(self, tokens: list[int], length: int) -> list[int]:
        """Tokens proposed to follow ``tokens`` (at most ``length``), checked in one decode: :func:`lookup_draft`."""
        return lookup_draft(tokens, length)

    def generate_batch(
        self, task, user_inputs: list[str], max_new_tokens: int | None = None, seeds: list[int | None] | None = None
    ) -> list[Generation]:
        """One prompt after another: llama.cpp's context here holds one sequence."""
        given = seeds or [None] * len(user_inputs)
        return [
            self.generate(task, text, max_new_tokens, seed=seed) for text, seed in zip(user_inputs, given, strict=True)
        ]


def _threads() -> int:
    """Every core this process may use (llama.cpp's own default is half of them)."""
    return int(os.environ.get("GRILLER_THREADS", len(os.sched_getaffinity(0))))


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
    if path.is_dir() and (path / METADATA_FILE).is_file():
        gguf_file = json.loads((path / METADATA_FILE).read_text(encoding="utf-8")).get("gguf_file")
        if gguf_file:
            return path / gguf_file, True
    if path.is_dir() and is_adapter_dir(path):
        return converted_adapter(path), True
    raise LlamaCppError(
        f"The llama.cpp backend loads a .gguf file, an export folder holding one, the embedded model or a LoRA "
        f"adapter folder, not {text!r}. Convert a merged model with: griller export --format gguf"
    )


def converted_adapter(adapter: Path) -> Path:
    """The adapter merged into its base as GGUF f16, written once under the cache, keyed by its bytes."""
    from ml.export_gguf import write_gguf_export

    digest = hashlib.sha256()
    for name in ADAPTER_FILES:
        digest.update((adapter / name).read_bytes())
    target = CACHE_DIR / "gguf" / f"{digest.hexdigest()[:16]}-f16.gguf"
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target.parent) as staging:
            name = write_gguf_export(adapter, Path(staging), target.stem, "f16")
            os.replace(Path(staging) / name, target)
    return target
