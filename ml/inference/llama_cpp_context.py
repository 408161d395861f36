"""llama.cpp through its C API: a GGUF model loaded into one context, decoded a batch at a time.

The lowest floor of the llama.cpp backend, kept apart so that the crash canary
(:mod:`ml.inference.llama_cpp_canary`) loads and decodes exactly as the engine does, in a child process.
"""

from __future__ import annotations

import logging
import os
import weakref
from pathlib import Path

import numpy as np

LLAMA_CPP_INSTALL = 'pip install -e ".[llama]"  (or: pip install llama-cpp-python)'


class LlamaCppError(RuntimeError):
    """The llama.cpp backend cannot load what it was given (not installed, or not a GGUF-able model)."""


def import_llama_cpp():
    try:
        import llama_cpp
    except ImportError as error:
        raise LlamaCppError(f"The llama.cpp backend needs llama-cpp-python: {LLAMA_CPP_INSTALL}") from error
    return llama_cpp


BATCH_TOKENS = 512
"""Tokens one ``llama_decode`` takes (a long prompt is decoded in chunks of this)."""


class LlamaCppContext:
    """A GGUF model in llama.cpp with one context of ``sequences`` KV streams, ``positions`` tokens each.

    Several sequences decode together in one ``llama_decode``: on 2 cores one token of each of 8 sequences
    takes 79 ms against 18 ms for one token of one (``bench/NOTES.md``), which is what lets the server batch
    concurrent requests on this backend. Each sequence has its own KV stream (``kv_unified`` off), so attention
    never scans the other sequences' cells, and flash attention stays off: on CPU it made multi-token decodes
    about twice as slow.

    ``extra_buffers``: let llama.cpp repack weights into its CPU-specific buffer types at load (AMX tiles on Intel
    Sapphire Rapids and later, interleaved Q4_0 / Q4_K blocks on AVX2). Faster where it works; on some AMX hosts the
    first matmul after the AMX repack segfaults, which the canary (:mod:`ml.inference.llama_cpp_canary`) detects.
    """

    def __init__(self, gguf_path: Path, positions: int, sequences: int = 1, extra_buffers: bool = True) -> None:
        llama_cpp = import_llama_cpp()
        logging.getLogger("llama-cpp-python").setLevel(logging.ERROR)  # llama.cpp's loading log is noise to a user
        llama_cpp.llama_backend_init()
        model_params = llama_cpp.llama_model_default_params()
        model_params.n_gpu_layers = 0  # a CPU backend, also in a GPU build of llama.cpp (whose default offloads all)
        model_params.use_extra_bufts = extra_buffers
        model = llama_cpp.llama_model_load_from_file(str(gguf_path).encode(), model_params)
        if not model:
            raise LlamaCppError(f"llama.cpp could not load {gguf_path}")
        params = llama_cpp.llama_context_default_params()
        params.n_ctx = positions * sequences
        params.n_batch = params.n_ubatch = BATCH_TOKENS
        params.n_seq_max = sequences
        params.kv_unified = False
        params.flash_attn_type = llama_cpp.LLAMA_FLASH_ATTN_TYPE_DISABLED
        params.n_threads = params.n_threads_batch = threads()
        context = llama_cpp.llama_init_from_model(model, params)
        if not context:
            llama_cpp.llama_model_free(model)
            raise LlamaCppError(f"llama.cpp could not make a context of {sequences} x {positions} tokens")
        self.llama_cpp, self.model, self.ctx = llama_cpp, model, context
        self.vocab = llama_cpp.llama_model_get_vocab(model)
        self.batch = llama_cpp.llama_batch_init(BATCH_TOKENS, 0, 1)
        self.sequences = sequences
        self._free = weakref.finalize(self, _free_context, llama_cpp, model, context, self.batch)

    def close(self) -> None:
        """Free the model and its context now (otherwise when this object is collected)."""
        self._free()

    def n_ctx(self) -> int:
        """Positions one sequence holds."""
        return self.llama_cpp.llama_n_ctx_seq(self.ctx)

    def n_vocab(self) -> int:
        return self.llama_cpp.llama_vocab_n_tokens(self.vocab)

    def tokenize(self, text: bytes, add_bos: bool, special: bool) -> list[int]:
        """llama.cpp's own tokenization of ``text`` (what llama.cpp's tools and Ollama would feed the model)."""
        room = len(text) + 2
        tokens = (self.llama_cpp.llama_token * room)()
        count = self.llama_cpp.llama_tokenize(self.vocab, text, len(text), tokens, room, add_bos, special)
        if count < 0:
            raise LlamaCppError(f"llama.cpp could not tokenize {len(text)} bytes")
        return list(tokens[:count])

    def copy(self, source: int, target: int) -> None:
        """Make ``target``'s cache a copy of ``source``'s. The sequences have KV streams of their own, so llama.cpp
        copies a whole stream (about 25 ms for SmolLM2 at 8,192 positions), at the next decode."""
        self.llama_cpp.llama_memory_seq_cp(self.llama_cpp.llama_get_memory(self.ctx), source, target, -1, -1)

    def forget(self, sequence: int, keep: int) -> None:
        """Drop a sequence's cached positions from ``keep`` on."""
        self.llama_cpp.llama_memory_seq_rm(self.llama_cpp.llama_get_memory(self.ctx), sequence, keep, -1)

    def decode(self, pieces: list[tuple[int, int, list[int], bool]]) -> list[np.ndarray]:
        """One ``llama_decode`` of ``(sequence, first position, tokens, all logits?)`` pieces (``BATCH_TOKENS`` in
        all at most); for each piece the logits rows of all its tokens, or of its last one only."""
        if sum(len(tokens) for _, _, tokens, _ in pieces) > BATCH_TOKENS:  # the C batch holds no more
            raise ValueError(f"one llama_decode takes at most {BATCH_TOKENS} tokens")
        batch, wanted = self.batch, []
        for sequence, position, tokens, all_logits in pieces:
            for offset, token in enumerate(tokens):
                i = len(wanted)
                batch.token[i] = token
                batch.pos[i] = position + offset
                batch.seq_id[i][0] = sequence
                batch.n_seq_id[i] = 1
                wanted.append(all_logits or offset == len(tokens) - 1)
                batch.logits[i] = wanted[-1]
        batch.n_tokens = len(wanted)
        status = self.llama_cpp.llama_decode(self.ctx, batch)
        if status != 0:
            raise LlamaCppError(f"llama_decode failed with status {status}")
        n_vocab, rows, index = self.n_vocab(), [], 0
        for _, _, tokens, _ in pieces:
            piece = [i for i in range(index, index + len(tokens)) if wanted[i]]
            index += len(tokens)
            pointers = (self.llama_cpp.llama_get_logits_ith(self.ctx, i) for i in piece)
            rows.append(np.stack([np.ctypeslib.as_array(p, shape=(n_vocab,)).copy() for p in pointers]))
        return rows


def _free_context(llama_cpp, model, context, batch) -> None:
    llama_cpp.llama_batch_free(batch)
    llama_cpp.llama_free(context)
    llama_cpp.llama_model_free(model)


def threads() -> int:
    """Every core this process may use (llama.cpp's own default is half of them)."""
    return int(os.environ.get("GRILLER_THREADS", len(os.sched_getaffinity(0))))
