"""GGUF export (issue 11): the file read back with gguf's reader, and loaded by transformers' GGUF loader
(which de-quantizes and undoes the Q/K permutation), must give the merged model's outputs.

The tiny fine-tuned run is nearly uniform (logits within about ±0.9, greedy repeats one token), so it
checks the export path end to end with logit tolerances relative to its largest logit; a "sharp" random
model (initializer std 0.2: logits within about ±7.5, varied greedy tokens) checks that greedy ids survive
and that a wrong Q/K layout would be caught.
"""

from __future__ import annotations

import json
from pathlib import Path

import gguf
import pytest
import torch
from transformers import (
    AutoModelForCausalLM,
    AutoTokenizer,
    LlamaConfig,
    LlamaForCausalLM,
    MistralConfig,
    MistralForCausalLM,
)
from typer.testing import CliRunner

from ml import tasks
from ml.base_model import BaseModelError, load_base_model, load_gguf_tokenizer
from ml.cli import app
from ml.export import ExportError, export
from ml.export import gguf as export_gguf
from ml.export.gguf import family_of, modelfile, pre_tokenizer_name, rope_of, write_gguf
from tests.tiny_model import LLAMA3_ROPE, build_sentencepiece_tokenizer, build_sharp_model, build_sharp_qwen2

PROMPTS = [
    ("parse_resume", "Parse this resume:\nAna Silva\nData Engineer at Acme Corp, 2020 - Present\nSKILLS Python, SQL"),
    ("interview_question", "Ask a technical question.\nTone: technical\nResume:\nName: Bo Chen"),
    ("follow_up", "Resume:\nName: Eve\n\nQuestion: Why?\nAnswer: Many things.\n\nAsk one follow-up question."),
]


@pytest.fixture(scope="module")
def exports(tiny_run: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The tiny run exported once as merged safetensors, GGUF f16 (API) and GGUF q8_0 (CLI)."""
    out = tmp_path_factory.mktemp("exports")
    command = ["export", "--run", str(tiny_run), "--name", "tiny-q8", "--output", str(out)]
    result = CliRunner().invoke(app, [*command, "--format", "gguf", "--quant", "q8_0"])
    assert result.exit_code == 0, result.output
    return {
        "merged": Path(export(tiny_run, "tiny-merged", "merged", out).path),
        "f16": Path(export(tiny_run, "tiny", "gguf", out).path),
        "q8_0": out / "tiny-q8",
    }


def _field(reader: gguf.GGUFReader, key: str) -> object:
    return reader.fields[key].contents()


def _load_gguf(directory: Path, filename: str):
    tokenizer = AutoTokenizer.from_pretrained(str(directory), gguf_file=filename)
    model = AutoModelForCausalLM.from_pretrained(str(directory), gguf_file=filename, dtype=torch.float32)
    return model.eval(), tokenizer


def _load_merged(directory: Path):
    return AutoModelForCausalLM.from_pretrained(str(directory)).eval(), AutoTokenizer.from_pretrained(str(directory))


def _max_logit_error(model, reference, prompts: list[torch.Tensor]) -> float:
    pairs = zip(_logits(model, prompts), _logits(reference, prompts), strict=True)
    return max(float((ours - theirs).abs().max()) for ours, theirs in pairs)


def _prompt_ids(tokenizer) -> list[torch.Tensor]:
    return [
        tokenizer.apply_chat_template(
            tasks.build_messages(task, text), add_generation_prompt=True, return_tensors="pt", return_dict=True
        )["input_ids"]
        for task, text in PROMPTS
    ]


def _greedy(model, prompts: list[torch.Tensor]) -> list[list[int]]:
    with torch.inference_mode():
        return [
            model.generate(ids, max_new_tokens=12, min_new_tokens=12, do_sample=False, pad_token_id=0)[0].tolist()
            for ids in prompts
        ]


def _logits(model, prompts: list[torch.Tensor]) -> list[torch.Tensor]:
    with torch.inference_mode():
        return [model(ids).logits[0] for ids in prompts]


def test_gguf_file_holds_the_metadata_tensors_tokenizer_and_chat_template(exports: dict[str, Path]) -> None:
    directory = exports["f16"]
    assert sorted(p.name for p in directory.iterdir()) == [
        "Modelfile",
        "README.md",
        "griller_export.json",
        "tiny-f16.gguf",
        "training_config.yaml",
    ]
    reader = gguf.GGUFReader(directory / "tiny-f16.gguf")
    merged = json.loads((exports["merged"] / "config.json").read_text())
    assert _field(reader, "general.architecture") == "llama"
    expected = {
        "llama.context_length": merged["max_position_embeddings"],
        "llama.embedding_length": 64,
        "llama.block_count": 2,
        "llama.feed_forward_length": 128,
        "llama.attention.head_count": 4,
        "llama.attention.head_count_kv": 2,
        "llama.rope.dimension_count": 16,
        "llama.vocab_size": merged["vocab_size"],
        "general.file_type": gguf.LlamaFileType.MOSTLY_F16,
    }
    assert {key: _field(reader, key) for key in expected} == expected
    assert _field(reader, "llama.rope.freq_base") == pytest.approx(merged["rope_parameters"]["rope_theta"])
    assert _field(reader, "llama.attention.layer_norm_rms_epsilon") == pytest.approx(merged["rms_norm_eps"])

    tokenizer = AutoTokenizer.from_pretrained(str(exports["merged"]))
    assert _field(reader, "tokenizer.chat_template") == tokenizer.chat_template
    assert _field(reader, "tokenizer.ggml.model") == "gpt2" and _field(reader, "tokenizer.ggml.pre") == "gpt-2"
    tokens = _field(reader, "tokenizer.ggml.tokens")
    assert len(tokens) == merged["vocab_size"] and tokens[tokenizer.eos_token_id] == "<|im_end|>"
    assert _field(reader, "tokenizer.ggml.eos_token_id") == tokenizer.eos_token_id
    assert _field(reader, "tokenizer.ggml.token_type")[tokenizer.eos_token_id] == gguf.TokenType.CONTROL
    assert _field(reader, "tokenizer.ggml.add_bos_token") is False
    assert len(_field(reader, "tokenizer.ggml.merges")) > 0

    tensors = {tensor.name: tensor for tensor in reader.tensors}
    assert len(tensors) == 2 + 2 * 9 and "output.weight" not in tensors  # tied embeddings: no output.weight
    assert list(tensors["token_embd.weight"].shape) == [64, merged["vocab_size"]]  # GGUF lists dims innermost first
    assert list(tensors["blk.0.attn_k.weight"].shape) == [64, 32]  # 2 KV heads of 16
    assert list(tensors["blk.1.ffn_down.weight"].shape) == [128, 64]
    assert tensors["blk.0.attn_norm.weight"].tensor_type == gguf.GGMLQuantizationType.F32
    assert tensors["blk.0.attn_q.weight"].tensor_type == gguf.GGMLQuantizationType.F16

    card = (directory / "README.md").read_text()
    assert "`tiny-f16.gguf` (`f16`)" in card and "--format gguf --quant f16" in card
    metadata = json.loads((directory / "griller_export.json").read_text())
    assert metadata["format"] == "gguf" and metadata["gguf_file"] == "tiny-f16.gguf"


def test_gguf_f16_loads_in_transformers_with_the_merged_models_greedy_output(exports: dict[str, Path]) -> None:
    merged, merged_tokenizer = _load_merged(exports["merged"])
    model, tokenizer = _load_gguf(exports["f16"], "tiny-f16.gguf")
    assert tokenizer.chat_template == merged_tokenizer.chat_template
    prompts = _prompt_ids(merged_tokenizer)
    assert [ids.tolist() for ids in _prompt_ids(tokenizer)] == [ids.tolist() for ids in prompts]
    assert tokenizer.eos_token_id == merged_tokenizer.eos_token_id
    assert _greedy(model, prompts) == _greedy(merged, prompts)
    # f16 rounding compounds through the layers: 1e-4 to 2.2e-3 over training seeds, with logits up to ~0.9;
    # the adapter itself moves them by ~1.7, so a tensor left unmerged or mis-converted cannot hide under 1%
    largest = max(float(logits.abs().max()) for logits in _logits(merged, prompts))
    assert _max_logit_error(model, merged, prompts) < 0.01 * largest


def test_gguf_q8_0_holds_each_merged_weight_to_within_its_blocks_quantization_step(exports: dict[str, Path]) -> None:
    """Q8_0 stores 32 weights as int8 times one f16 scale (their largest magnitude / 127): each weight read back
    is within half a step of the merged model's, plus the scale's own f16 rounding times up to 127."""
    tensors = {tensor.name: tensor for tensor in gguf.GGUFReader(exports["q8_0"] / "tiny-q8-q8_0.gguf").tensors}
    assert tensors["blk.0.ffn_up.weight"].tensor_type == gguf.GGMLQuantizationType.Q8_0
    assert tensors["output_norm.weight"].tensor_type == gguf.GGMLQuantizationType.F32
    merged, merged_tokenizer = _load_merged(exports["merged"])
    for index, layer in enumerate(merged.model.layers):
        for name, module in (
            ("ffn_up", layer.mlp.up_proj),
            ("ffn_down", layer.mlp.down_proj),
            ("attn_v", layer.self_attn.v_proj),
        ):
            tensor = tensors[f"blk.{index}.{name}.weight"]
            stored = torch.from_numpy(gguf.quants.dequantize(tensor.data, tensor.tensor_type).copy()).reshape(-1, 32)
            blocks = module.weight.detach().reshape(-1, 32)
            step = blocks.abs().amax(dim=1, keepdim=True) / 127
            scale_rounding = 127 * (step - step.half().float()).abs()
            assert ((stored - blocks).abs() <= step / 2 + scale_rounding + 1e-6).all(), f"blk.{index}.{name}"
    # and transformers runs it: 8-bit blocks on a 64-wide model move the logits by up to ~10% over training seeds;
    # the adapter itself moves them by ~1.7, twice the largest logit
    model, _ = _load_gguf(exports["q8_0"], "tiny-q8-q8_0.gguf")
    prompts = _prompt_ids(merged_tokenizer)
    largest = max(float(logits.abs().max()) for logits in _logits(merged, prompts))
    assert _max_logit_error(model, merged, prompts) < 0.25 * largest


def test_sharp_llama_keeps_greedy_ids_and_a_wrong_qk_layout_would_show(
    tiny_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tokenizer = AutoTokenizer.from_pretrained(str(tiny_model_dir))
    model = build_sharp_model(LlamaForCausalLM, LlamaConfig, tokenizer, tie_word_embeddings=True)
    prompts = _prompt_ids(tokenizer)
    expected = _greedy(model, prompts)
    assert len({token for ids in expected for token in ids[-12:]}) > 6, "the sharp model should not repeat itself"
    for quant in ("f16", "q8_0"):
        write_gguf(model, tokenizer, tiny_model_dir, tmp_path / f"{quant}.gguf", "sharp", quant)
    f16, _ = _load_gguf(tmp_path, "f16.gguf")
    assert _greedy(f16, prompts) == expected
    assert _max_logit_error(f16, model, prompts) < 0.1  # measured ~0.02
    q8_0, _ = _load_gguf(tmp_path, "q8_0.gguf")
    assert _max_logit_error(q8_0, model, prompts) < 1.5  # measured ~0.6; greedy may drift over 12 tokens

    monkeypatch.setattr(export_gguf, "permute_rope_rows", lambda weights, heads: weights)
    write_gguf(model, tokenizer, tiny_model_dir, tmp_path / "unpermuted.gguf", "sharp", "f16")
    unpermuted, _ = _load_gguf(tmp_path, "unpermuted.gguf")
    assert _max_logit_error(unpermuted, model, prompts) > 3  # measured ~11: the checks above can fail


def test_modelfile_uses_chatml_stop_tokens_and_no_task_prompt(exports: dict[str, Path]) -> None:
    text = (exports["f16"] / "Modelfile").read_text()
    assert "FROM ./tiny-f16.gguf\n" in text
    assert 'TEMPLATE """{{- range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n' in text
    assert 'SYSTEM """You are a helpful assistant."""' in text  # the chat template's own default only
    assert 'PARAMETER stop "<|im_end|>"' in text and 'PARAMETER stop "<|im_start|>"' in text
    assert all(prompt not in text for prompt in tasks.SYSTEM_PROMPTS.values())


def test_modelfile_of_a_non_chatml_model_leaves_the_template_to_the_gguf(exports: dict[str, Path]) -> None:
    tokenizer = AutoTokenizer.from_pretrained(str(exports["merged"]))
    tokenizer.chat_template = "{% for m in messages %}[{{ m['role'] }}] {{ m['content'] }}\n{% endfor %}"
    text = modelfile("x.gguf", tokenizer)
    assert "TEMPLATE" not in text and f'PARAMETER stop "{tokenizer.eos_token}"' in text


def test_tiny_qwen2_with_attention_biases_round_trips(tiny_model_dir: Path, tmp_path: Path) -> None:
    tokenizer = AutoTokenizer.from_pretrained(str(tiny_model_dir))
    model = build_sharp_qwen2(tokenizer)
    write_gguf(model, tokenizer, tiny_model_dir, tmp_path / "qwen.gguf", "tiny-qwen2", "f16")
    reader = gguf.GGUFReader(tmp_path / "qwen.gguf")
    names = {tensor.name for tensor in reader.tensors}
    assert _field(reader, "general.architecture") == "qwen2"
    assert {"blk.0.attn_q.bias", "blk.1.attn_k.bias", "blk.1.attn_v.bias", "output.weight"} <= names
    loaded, _ = _load_gguf(tmp_path, "qwen.gguf")
    prompts = _prompt_ids(tokenizer)
    assert _greedy(loaded, prompts) == _greedy(model, prompts)
    assert _max_logit_error(loaded, model, prompts) < 0.1


def test_unsupported_architecture_and_tokenizer_errors_are_clear() -> None:
    from transformers import Phi3Config

    with pytest.raises(ExportError, match=r"Phi3ForCausalLM.*LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM"):
        family_of(Phi3Config(architectures=["Phi3ForCausalLM"]))
    with pytest.raises(ExportError, match="pre-tokenizer"):
        pre_tokenizer_name({"pre_tokenizer": {"type": "Metaspace"}})


def test_pre_tokenizer_names_follow_llama_cpp() -> None:
    from transformers.models.qwen2.tokenization_qwen2 import PRETOKENIZE_REGEX

    def split_then_bytes(regex: str) -> dict:
        split = {"type": "Split", "pattern": {"Regex": regex}, "behavior": "Isolated", "invert": False}
        byte_level = {"type": "ByteLevel", "add_prefix_space": False, "use_regex": False}
        return {"pre_tokenizer": {"type": "Sequence", "pretokenizers": [split, byte_level]}}

    llama3 = (
        r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+"
        r"|\s+(?!\S)|\s+"
    )
    assert pre_tokenizer_name(split_then_bytes(PRETOKENIZE_REGEX)) == "qwen2"
    assert pre_tokenizer_name(split_then_bytes(llama3)) == "llama-bpe"
    smollm = [{"type": "Digits", "individual_digits": True}, {"type": "ByteLevel", "use_regex": True}]
    assert pre_tokenizer_name({"pre_tokenizer": {"type": "Sequence", "pretokenizers": smollm}}) == "smollm"


def test_engine_loads_the_gguf_file_of_an_export_as_fine_tuned(exports: dict[str, Path]) -> None:
    from ml.inference.engine import Engine

    engine = Engine.load(exports["f16"] / "tiny-f16.gguf")
    assert engine.fine_tuned
    assert engine.generate("interview_question", "Jane Doe, engineer at Acme", 4).completion_tokens > 0


@pytest.mark.parametrize(
    ("legacy", "control_inst"), [(True, False), (False, False), (False, True)], ids=["legacy", "first", "mistral-v3"]
)
def test_a_sentencepiece_mistral_is_written_as_llama_cpp_reads_it_and_round_trips(
    tmp_path: Path, legacy: bool, control_inst: bool
) -> None:
    """Llama 2 / Mistral tokenizers: llama.cpp's ``llama`` vocabulary with scores, byte tokens and prefix rule."""
    tokenizer = build_sentencepiece_tokenizer(tmp_path / "tokenizer", legacy, control_inst)
    model = build_sharp_model(MistralForCausalLM, MistralConfig, tokenizer, tie_word_embeddings=False)
    path = tmp_path / "mistral-f16.gguf"
    write_gguf(model, tokenizer, tmp_path / "tokenizer", path, "tiny-mistral", "f16")

    reader = gguf.GGUFReader(path)
    assert _field(reader, "tokenizer.ggml.model") == "llama"
    assert _field(reader, "tokenizer.ggml.add_space_prefix") is legacy
    types, scores = _field(reader, "tokenizer.ggml.token_type"), _field(reader, "tokenizer.ggml.scores")
    vocab = tokenizer.get_vocab()
    assert types[vocab["<0x41>"]] == gguf.TokenType.BYTE and types[vocab["<unk>"]] == gguf.TokenType.UNKNOWN
    assert types[vocab["</s>"]] == gguf.TokenType.CONTROL and types[vocab["\u2581Jane"]] == gguf.TokenType.NORMAL
    merges = json.loads((tmp_path / "tokenizer" / "tokenizer.json").read_text())["model"]["merges"]
    first_merge, *_, last_merge = ("".join(merge) for merge in merges)
    assert scores[vocab[first_merge]] > scores[vocab[last_merge]]  # llama.cpp merges the highest score first

    loaded, loaded_tokenizer = load_base_model(path, dtype=torch.float32)
    prompts = _prompt_ids(tokenizer)
    assert [ids.tolist() for ids in _prompt_ids(loaded_tokenizer)] == [ids.tolist() for ids in prompts]
    assert _greedy(loaded.eval(), prompts) == _greedy(model, prompts)


def test_the_word_boundary_after_special_tokens_is_restored_from_the_file(tmp_path: Path) -> None:
    """Without the fix transformers rebuilds a legacy vocabulary as ``first``: ``<s>[INST]`` would lose its ``▁``."""
    tokenizer = build_sentencepiece_tokenizer(tmp_path / "tokenizer", legacy=True)
    model = build_sharp_model(MistralForCausalLM, MistralConfig, tokenizer)
    write_gguf(model, tokenizer, tmp_path / "tokenizer", tmp_path / "m.gguf", "m", "f16")
    plain = AutoTokenizer.from_pretrained(str(tmp_path), gguf_file="m.gguf")
    prompt = "<s>[INST] Jane [/INST]"
    expected = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    assert plain(prompt, add_special_tokens=False)["input_ids"] != expected
    assert load_gguf_tokenizer(tmp_path / "m.gguf")(prompt, add_special_tokens=False)["input_ids"] == expected


def test_llama3_rope_scaling_is_written_as_llama_cpp_frequency_factors(tiny_model_dir: Path, tmp_path: Path) -> None:
    from transformers.modeling_rope_utils import ROPE_INIT_FUNCTIONS

    tokenizer = AutoTokenizer.from_pretrained(str(tiny_model_dir))
    model = build_sharp_model(LlamaForCausalLM, LlamaConfig, tokenizer, rope_parameters=dict(LLAMA3_ROPE))
    write_gguf(model, tokenizer, tiny_model_dir, tmp_path / "llama31.gguf", "llama31", "f16")
    reader = gguf.GGUFReader(tmp_path / "llama31.gguf")
    factors = next(tensor for tensor in reader.tensors if tensor.name == "rope_freqs.weight").data
    head_dim = model.config.hidden_size // model.config.num_attention_heads
    plain = 1.0 / 10000.0 ** (torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim)
    scaled, _ = ROPE_INIT_FUNCTIONS["llama3"](model.config, "cpu")
    assert factors.tolist() == pytest.approx((plain / scaled).tolist(), rel=1e-5)
    assert 1.0 in factors.tolist() and 8.0 in factors.tolist()  # both ends of the blend are exercised
    with pytest.raises(BaseModelError, match=r"RoPE scaling.*--backend llama\.cpp"):
        load_base_model(tmp_path / "llama31.gguf")  # transformers' GGUF loader would silently drop the scaling


def test_linear_rope_is_written_and_unsupported_rope_is_refused(tiny_model_dir: Path, tmp_path: Path) -> None:
    tokenizer = AutoTokenizer.from_pretrained(str(tiny_model_dir))
    scaling = {"rope_type": "linear", "factor": 4.0}
    linear = build_sharp_model(LlamaForCausalLM, LlamaConfig, tokenizer, rope_scaling=scaling)
    write_gguf(linear, tokenizer, tiny_model_dir, tmp_path / "linear.gguf", "linear", "f16")
    reader = gguf.GGUFReader(tmp_path / "linear.gguf")
    assert _field(reader, "llama.rope.scaling.type") == "linear"
    assert _field(reader, "llama.rope.scaling.factor") == pytest.approx(4.0)
    yarn = LlamaConfig(rope_parameters={"rope_type": "yarn", "factor": 4.0, "rope_theta": 10000.0})
    with pytest.raises(ExportError, match=r"not rope_type 'yarn'.*convert_hf_to_gguf"):
        rope_of(yarn)
