"""GGUF export: a merged fine-tune as ONE ``.gguf`` file (llama.cpp, Ollama, LM Studio) + an Ollama ``Modelfile``.

    griller export --run ml/models/checkpoints/<run> --name resume-griller --format gguf [--quant f16|q8_0]
    cd ml/models/exported/resume-griller && ollama create resume-griller -f Modelfile

Supported: the Llama family (``LlamaForCausalLM``, ``MistralForCausalLM``: SmolLM2, Llama 2, Llama 3 / 3.1,
Mistral) and Qwen2 (``Qwen2ForCausalLM``, with its q/k/v biases); byte-level BPE tokenizers (GPT-2 style:
SmolLM2, Llama 3, Qwen2) and sentencepiece-style BPE with byte fallback (Llama 2, Mistral); plain, linear
and Llama 3.1 (``llama3``) RoPE. The file carries the architecture metadata, every tensor under its
llama.cpp name, the tokenizer (tokens, types, merges or scores, special ids, add-BOS/EOS flags) and the
tokenizer's own chat template, so serving formats the prompt exactly as training did. Written with the
``gguf`` package (llama.cpp's own writer); the layout follows llama.cpp's ``convert_hf_to_gguf.py``:

- llama.cpp's ``llama`` graph applies RoPE to interleaved pairs where transformers rotates halves, so the
  Q and K rows (weights and biases) are permuted per head; transformers' GGUF loader undoes it. Qwen2 is
  not permuted (its llama.cpp graph uses the halves layout).
- Tied embeddings write no ``output.weight``: llama.cpp (and transformers) reuse ``token_embd.weight``.
- ``f16``: 2-D weights in float16. ``q8_0``: 2-D weights in 8-bit blocks of 32 (a row whose length is not a
  multiple of 32 stays f16). Norms, biases and every 1-D tensor stay float32 in both.
- ``q4_k_m``, ``q5_k_m``, ``q6_k``, ``q4_0``, ``q5_0``: written as f16, then quantized by llama.cpp's own
  ``llama_model_quantize`` (the llama-cpp-python of the ``[llama]`` extra), which picks per-tensor types
  (k-quants need rows of 256; narrower ones fall back as llama.cpp's ``quantize`` tool does).

The ``gguf`` package, transformers and llama-cpp-python are imported inside the functions that use them, on
purpose: they are heavy or optional (``[llama]``), and every ``import ml.export`` reads this module.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ml.export.merge import ExportError, merge_adapter

NATIVE_QUANTS: tuple[str, ...] = ("f16", "q8_0")  # written by the gguf package alone
LLAMA_CPP_QUANTS: tuple[str, ...] = ("q4_0", "q5_0", "q4_k_m", "q5_k_m", "q6_k")  # quantized by llama.cpp
GGUF_QUANTS: tuple[str, ...] = NATIVE_QUANTS + LLAMA_CPP_QUANTS
MODELFILE = "Modelfile"

# llama.cpp's names for the pre-tokenizer split rules transformers' tokenizer.json spells out
_SPLIT_TAIL = r" ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
_LLAMA3_SPLIT = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|" + _SPLIT_TAIL
_QWEN2_SPLIT = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}|" + _SPLIT_TAIL
PRE_TOKENIZER_SPLITS = {_LLAMA3_SPLIT: "llama-bpe", _QWEN2_SPLIT: "qwen2"}


@dataclass(frozen=True)
class Family:
    """How one transformers architecture maps onto a llama.cpp architecture."""

    arch: str  # gguf.MODEL_ARCH name, e.g. "LLAMA"
    permute_qk: bool  # llama.cpp's graph wants Q/K rows in interleaved RoPE order


FAMILIES = {
    "LlamaForCausalLM": Family("LLAMA", permute_qk=True),
    "MistralForCausalLM": Family("LLAMA", permute_qk=True),
    "Qwen2ForCausalLM": Family("QWEN2", permute_qk=False),
}


def gguf_file_name(name: str, quant: str) -> str:
    return f"{name}-{quant}.gguf"


def family_of(config: Any) -> Family:
    """The GGUF family of a transformers config, or a clear error naming the supported architectures."""
    architecture = (getattr(config, "architectures", None) or [type(config).__name__])[0]
    if architecture not in FAMILIES:
        raise ExportError(
            f"GGUF export does not support {architecture}; supported: {', '.join(FAMILIES)}. "
            "Export --format merged and convert it with llama.cpp's convert_hf_to_gguf.py instead."
        )
    return FAMILIES[architecture]


def write_gguf_export(adapter: Path, staging: Path, name: str, quant: str) -> str:
    """Merge ``adapter`` into its base, write ``<name>-<quant>.gguf`` and a Modelfile into ``staging``."""
    from transformers import AutoTokenizer

    if quant not in GGUF_QUANTS:
        raise ExportError(f"GGUF quant must be one of {GGUF_QUANTS}, not {quant!r}")
    model, base_tokenizer = merge_adapter(adapter)
    family_of(model.config)
    filename = gguf_file_name(name, quant)
    with tempfile.TemporaryDirectory() as scratch:
        tokenizer_dir = _tokenizer_dir(adapter, base_tokenizer, Path(scratch))
        tokenizer = AutoTokenizer.from_pretrained(str(tokenizer_dir), local_files_only=True)
        if quant in NATIVE_QUANTS:
            write_gguf(model, tokenizer, tokenizer_dir, staging / filename, name, quant)
        else:
            f16 = Path(scratch) / "f16.gguf"
            write_gguf(model, tokenizer, tokenizer_dir, f16, name, "f16")
            quantize_with_llama_cpp(f16, staging / filename, quant)
    (staging / MODELFILE).write_text(modelfile(filename, tokenizer), encoding="utf-8")
    return filename


def quantize_with_llama_cpp(source: Path, target: Path, quant: str) -> None:
    """``source`` (a GGUF f16) re-quantized to ``quant`` by llama.cpp's ``llama_model_quantize``."""
    try:
        import llama_cpp
    except ImportError as error:
        raise ExportError(
            f'--quant {quant} is done by llama.cpp: pip install -e ".[llama]" (or use --quant f16 | q8_0)'
        ) from error
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = getattr(llama_cpp, f"LLAMA_FTYPE_MOSTLY_{quant.upper()}")
    status = llama_cpp.llama_model_quantize(str(source).encode(), str(target).encode(), params)
    if status != 0:
        raise ExportError(f"llama.cpp could not quantize {source.name} to {quant} (status {status})")


def _tokenizer_dir(adapter: Path, base_tokenizer: Any, scratch: Path) -> Path:
    """The adapter's own saved tokenizer (the one training used), else the base's written to ``scratch``."""
    if (adapter / "tokenizer.json").is_file() and (adapter / "tokenizer_config.json").is_file():
        return adapter
    base_tokenizer.save_pretrained(str(scratch))
    return scratch


def write_gguf(model: Any, tokenizer: Any, tokenizer_dir: Path, path: Path, name: str, quant: str) -> None:
    """Write ``model`` (a transformers causal LM) and its tokenizer as one GGUF file at ``path``."""
    import gguf

    family = family_of(model.config)
    writer = gguf.GGUFWriter(path, gguf.MODEL_ARCH_NAMES[gguf.MODEL_ARCH[family.arch]], use_temp_file=True)
    writer.add_name(name)
    _add_hyperparameters(writer, model.config, quant)
    _add_tensors(writer, model, family, quant)
    _add_vocabulary(writer, tokenizer, tokenizer_dir, model.config.vocab_size)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def _head_dim(config: Any) -> int:
    return getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads


@dataclass(frozen=True)
class Rope:
    """A config's RoPE as llama.cpp reads it: base frequency, scaling type and factor, per-frequency factors."""

    theta: float
    scaling: str = "none"  # llama.cpp's rope.scaling.type: none | linear
    factor: float = 1.0
    frequency_factors: np.ndarray | None = None  # Llama 3.1's scaling, as llama.cpp's rope_freqs tensor


def rope_of(config: Any) -> Rope:
    """The RoPE of a transformers config: plain, linear (position interpolation) or Llama 3.1's ``llama3``."""
    parameters = dict(getattr(config, "rope_parameters", None) or {})
    parameters.update(getattr(config, "rope_scaling", None) or {})
    rope_type = parameters.get("rope_type") or parameters.get("type") or "default"
    theta = float(parameters.get("rope_theta") or getattr(config, "rope_theta", None) or 10000.0)
    if rope_type == "default":
        return Rope(theta)
    if rope_type == "linear":
        return Rope(theta, "linear", float(parameters["factor"]))
    if rope_type == "llama3":
        return Rope(theta, frequency_factors=llama3_frequency_factors(parameters, theta, _head_dim(config)))
    raise ExportError(
        f"GGUF export supports plain, linear and llama3 RoPE, not rope_type {rope_type!r}; "
        "export --format merged and convert it with llama.cpp's convert_hf_to_gguf.py instead"
    )


def llama3_frequency_factors(parameters: dict, theta: float, head_dim: int) -> np.ndarray:
    """Llama 3.1's RoPE scaling as one divisor per frequency (llama.cpp divides each frequency by it).

    Wavelengths shorter than ``original / high_freq_factor`` keep their frequency, longer than
    ``original / low_freq_factor`` are slowed by ``factor``, and those between are blended smoothly:
    the same rule as transformers' ``_compute_llama3_parameters``.
    """
    factor, low, high = parameters["factor"], parameters["low_freq_factor"], parameters["high_freq_factor"]
    original = parameters["original_max_position_embeddings"]
    frequencies = 1.0 / theta ** (np.arange(0, head_dim, 2, dtype=np.float64) / head_dim)
    wavelengths = 2 * np.pi / frequencies
    smooth = np.clip((original / wavelengths - low) / (high - low), 0.0, 1.0)
    divisors = 1.0 / ((1 - smooth) / factor + smooth)
    return divisors.astype(np.float32)


def _add_hyperparameters(writer: Any, config: Any, quant: str) -> None:
    import gguf

    heads = config.num_attention_heads
    head_dim = _head_dim(config)
    writer.add_context_length(config.max_position_embeddings)
    writer.add_embedding_length(config.hidden_size)
    writer.add_block_count(config.num_hidden_layers)
    writer.add_feed_forward_length(config.intermediate_size)
    writer.add_head_count(heads)
    writer.add_head_count_kv(getattr(config, "num_key_value_heads", None) or heads)
    rope = rope_of(config)
    writer.add_rope_freq_base(rope.theta)
    writer.add_rope_dimension_count(head_dim)
    if rope.scaling != "none":
        writer.add_rope_scaling_type(gguf.RopeScalingType(rope.scaling))
        writer.add_rope_scaling_factor(rope.factor)
    writer.add_layer_norm_rms_eps(config.rms_norm_eps)
    writer.add_vocab_size(config.vocab_size)
    if head_dim * heads != config.hidden_size:
        writer.add_key_length(head_dim)
        writer.add_value_length(head_dim)
    file_type = gguf.LlamaFileType.MOSTLY_Q8_0 if quant == "q8_0" else gguf.LlamaFileType.MOSTLY_F16
    writer.add_file_type(file_type)
    writer.add_quantization_version(gguf.GGML_QUANT_VERSION)


def permute_rope_rows(weights: np.ndarray, heads: int) -> np.ndarray:
    """Reorder each head's rows from transformers' rotate-half RoPE layout to llama.cpp's interleaved pairs."""
    return (
        weights.reshape(heads, 2, weights.shape[0] // heads // 2, *weights.shape[1:])
        .swapaxes(1, 2)
        .reshape(weights.shape)
    )


def _add_tensors(writer: Any, model: Any, family: Family, quant: str) -> None:
    import gguf

    config = model.config
    names = gguf.get_tensor_name_map(gguf.MODEL_ARCH[family.arch], config.num_hidden_layers)
    heads = {"q_proj": config.num_attention_heads, "k_proj": getattr(config, "num_key_value_heads", None)}
    for hf_name, tensor in model.state_dict().items():
        if hf_name == "lm_head.weight" and config.tie_word_embeddings:
            continue  # tied: llama.cpp and transformers both reuse token_embd.weight
        gguf_name = names.get_name(hf_name, try_suffixes=(".weight", ".bias"))
        if gguf_name is None:
            raise ExportError(f"tensor {hf_name} has no GGUF name for {family.arch.lower()}")
        data = tensor.detach().float().cpu().numpy()
        projection = hf_name.split(".")[-2]
        if family.permute_qk and projection in heads:
            data = permute_rope_rows(data, heads[projection] or config.num_attention_heads)
        _add_tensor(writer, gguf_name, data, quant)
    factors = rope_of(config).frequency_factors
    if factors is not None:
        if family.arch != "LLAMA":
            raise ExportError(f"llama3 RoPE scaling is exported for the llama architecture only, not {family.arch}")
        writer.add_tensor(gguf.TENSOR_NAMES[gguf.MODEL_TENSOR.ROPE_FREQS] + ".weight", factors)


def _add_tensor(writer: Any, name: str, data: np.ndarray, quant: str) -> None:
    import gguf

    if data.ndim == 1:
        writer.add_tensor(name, data.astype(np.float32))
    elif quant == "q8_0" and data.shape[-1] % gguf.GGML_QUANT_SIZES[gguf.GGMLQuantizationType.Q8_0][0] == 0:
        quantized = gguf.quants.quantize(data, gguf.GGMLQuantizationType.Q8_0)
        writer.add_tensor(name, quantized, raw_dtype=gguf.GGMLQuantizationType.Q8_0)
    else:
        writer.add_tensor(name, data.astype(np.float16))


def pre_tokenizer_name(tokenizer_json: dict) -> str:
    """llama.cpp's name (``tokenizer.ggml.pre``) for the pre-tokenizer a ``tokenizer.json`` describes.

    Read from the pre-tokenizer's own structure: plain byte-level (GPT-2 regex), digits split one by one
    then byte-level (SmolLM), or a split regex then byte-level (Llama 3, Qwen2).
    """
    pre = tokenizer_json.get("pre_tokenizer") or {}
    steps = pre.get("pretokenizers", []) if pre.get("type") == "Sequence" else [pre]
    kinds = [step.get("type") for step in steps]
    if kinds == ["ByteLevel"] and steps[0].get("use_regex", True):
        return "gpt-2"
    if kinds == ["Digits", "ByteLevel"] and steps[0].get("individual_digits") and steps[1].get("use_regex", True):
        return "smollm"
    if kinds == ["Split", "ByteLevel"] and not steps[1].get("use_regex", True):
        name = PRE_TOKENIZER_SPLITS.get(steps[0].get("pattern", {}).get("Regex", ""))
        if name:
            return name
    raise ExportError(
        f"GGUF export does not know this tokenizer's pre-tokenizer ({json.dumps(pre)[:200]}); "
        "supported: GPT-2 byte-level, SmolLM, Llama 3 and Qwen2 byte-level BPE"
    )


def _token_table(tokenizer: Any, vocab_size: int) -> tuple[list[str], list[int]]:
    """Tokens and llama.cpp token types for every embedding row (rows past the vocabulary are unused)."""
    import gguf

    by_id = {index: token for token, index in tokenizer.get_vocab().items()}
    added = tokenizer.added_tokens_decoder
    tokens, types = [], []
    for index in range(vocab_size):
        if index not in by_id:
            tokens.append(f"[PAD{index}]")
            types.append(gguf.TokenType.UNUSED)
            continue
        tokens.append(by_id[index])
        if index in added:
            types.append(gguf.TokenType.CONTROL if added[index].special else gguf.TokenType.USER_DEFINED)
        else:
            types.append(gguf.TokenType.NORMAL)
    return tokens, types


def _adds_special(tokenizer: Any) -> dict[str, bool]:
    """Whether encoding plain text adds BOS / EOS, as observed on the tokenizer itself."""
    ids = tokenizer("a")["input_ids"]
    return {
        "bos": tokenizer.bos_token_id is not None and ids[0] == tokenizer.bos_token_id,
        "eos": tokenizer.eos_token_id is not None and ids[-1] == tokenizer.eos_token_id,
    }


def _add_vocabulary(writer: Any, tokenizer: Any, tokenizer_dir: Path, vocab_size: int) -> None:
    import gguf

    spec = json.loads((tokenizer_dir / "tokenizer.json").read_text(encoding="utf-8"))
    model = spec.get("model", {})
    if model.get("type") != "BPE":
        raise ExportError(
            "GGUF export supports BPE tokenizers only: byte-level (SmolLM2, Llama 3, Qwen2) or sentencepiece "
            f"style with byte fallback (Llama 2, Mistral); this one is {model.get('type')}"
        )
    if not tokenizer.chat_template:
        raise ExportError("the tokenizer has no chat template; a GGUF export needs one to format prompts")
    tokens, types = _token_table(tokenizer, vocab_size)
    if model.get("byte_fallback"):
        _add_sentencepiece_model(writer, tokenizer, model.get("merges", []), tokens, types)
    else:
        writer.add_tokenizer_model("gpt2")
        writer.add_tokenizer_pre(pre_tokenizer_name(spec))
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    special = gguf.SpecialVocab(tokenizer_dir, load_merges=True, n_vocab=vocab_size)
    special.chat_template = tokenizer.chat_template  # the exact template training used: no drift at serving
    special.add_special_token.update(_adds_special(tokenizer))
    for kind in ("bos", "eos", "unk", "pad"):
        token_id = getattr(tokenizer, f"{kind}_token_id")
        if token_id is not None:
            special.special_token_ids[kind] = token_id
    special.add_to_gguf(writer, quiet=True)


_BYTE_TOKEN = re.compile(r"<0x[0-9A-Fa-f]{2}>")


def _add_sentencepiece_model(writer: Any, tokenizer: Any, merges: list, tokens: list[str], types: list[int]) -> None:
    """llama.cpp's ``llama`` (sentencepiece) tokenizer for a BPE with byte fallback (Llama 2, Mistral).

    llama.cpp merges the adjacent pair whose joined token scores highest, so each token scores minus the
    rank of the first merge that makes it: the order transformers' BPE merges in. ``<0xNN>`` tokens are
    the byte fallback, and the space llama.cpp puts before text that follows a special token is written
    only if this tokenizer does the same (``Metaspace`` ``always``, the legacy Llama 2 behaviour) or not
    (``first``, transformers' default), so chat prompts tokenize identically in both.
    """
    import gguf

    rank: dict[str, int] = {}
    for index, merge in enumerate(merges):
        left, right = merge.split(" ", 1) if isinstance(merge, str) else merge
        rank.setdefault(left + right, index)
    writer.add_tokenizer_model("llama")
    writer.add_tokenizer_pre("default")
    writer.add_token_scores([-float(rank[token]) if token in rank else 0.0 for token in tokens])
    for index, token in enumerate(tokens):
        if _BYTE_TOKEN.fullmatch(token):
            types[index] = gguf.TokenType.BYTE
    if tokenizer.unk_token_id is not None:
        types[tokenizer.unk_token_id] = gguf.TokenType.UNKNOWN
    writer.add_add_space_prefix(prefixes_space_after_special_tokens(tokenizer))


def prefixes_space_after_special_tokens(tokenizer: Any) -> bool:
    """Whether the tokenizer starts text that follows a special token with a word boundary (``▁``)."""
    special = tokenizer.bos_token or tokenizer.eos_token
    ids = tokenizer(f"{special}a", add_special_tokens=False)["input_ids"]
    return tokenizer.convert_ids_to_tokens(ids[1:])[0].startswith("\u2581")


_PROBE = {"system": "\x01S\x01", "user": "\x01U\x01", "assistant": "\x01A\x01"}


def _chatml(role: str, content: str) -> str:
    return f"<|im_start|>{role}\n{content}<|im_end|>\n"


def is_chatml(tokenizer: Any) -> bool:
    """Whether the tokenizer's chat template renders a conversation exactly as ChatML."""
    messages = [{"role": role, "content": content} for role, content in _PROBE.items()]
    rendered = tokenizer.apply_chat_template(messages, tokenize=False)
    return rendered == "".join(_chatml(role, content) for role, content in _PROBE.items())


def default_system_prompt(tokenizer: Any) -> str | None:
    """The system prompt a ChatML template inserts when a conversation has none (``None`` if it adds none)."""
    messages = [{"role": "user", "content": _PROBE["user"]}]
    rendered = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    match = re.fullmatch(
        r"<\|im_start\|>system\n(.*?)<\|im_end\|>\n" + re.escape(_chatml("user", _PROBE["user"])) + r".*",
        rendered,
        flags=re.DOTALL,
    )
    return match.group(1) if match else None


OLLAMA_CHATML_TEMPLATE = """{{- range .Messages }}<|im_start|>{{ .Role }}
{{ .Content }}<|im_end|>
{{ end }}<|im_start|>assistant
"""


def modelfile(gguf_name: str, tokenizer: Any) -> str:
    """An Ollama Modelfile for the GGUF file: its chat format, stop tokens and greedy decoding."""
    lines = [
        "# Ollama: `ollama create <name> -f Modelfile`, then `ollama run <name>`.",
        "# No task prompt is baked in on purpose: resume-griller sends each task's system prompt (ml/tasks.py)",
        "# with every request, exactly as in training, so the prompts cannot drift between backends.",
        f"FROM ./{gguf_name}",
    ]
    if is_chatml(tokenizer):
        lines += ["# ChatML, as the tokenizer's chat template renders it"]
        lines += [f'TEMPLATE """{OLLAMA_CHATML_TEMPLATE}"""']
        default = default_system_prompt(tokenizer)
        if default is not None:
            lines += ["# the template's own default, used only when a request brings no system message"]
            lines += [f'SYSTEM """{default}"""']
        stops = ["<|im_start|>", "<|im_end|>"]
    else:
        lines += ["# not ChatML: Ollama picks the prompt template from the GGUF's tokenizer.chat_template"]
        stops = [tokenizer.eos_token]
    lines += [f'PARAMETER stop "{stop}"' for stop in stops]
    lines += [
        "# greedy unless a request says otherwise: griller parses greedily and sends its question tasks'",
        "# temperature, top_p and seed with each request (ml/inference/sampling.py)",
        "PARAMETER temperature 0",
    ]
    return "\n".join(lines) + "\n"
