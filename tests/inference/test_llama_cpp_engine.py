"""The llama.cpp backend (issue 11): a GGUF export read by llama.cpp itself must answer as transformers does.

transformers' GGUF loader undoes what the exporter did (the Q/K permutation, the tokenizer metadata), so
only llama.cpp reading the file proves that llama.cpp users get the fine-tuned model. A "sharp" random
Llama (initializer std 0.2: varied greedy tokens, clear margins) makes greedy equality a strict check;
the tiny fine-tuned run goes through the real export command.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import gguf
import pytest
import torch
from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM, MistralConfig, MistralForCausalLM
from typer.testing import CliRunner

from ml import tasks
from ml.base_model import gguf_metadata
from ml.cli import app
from ml.export import ExportError, export
from ml.export import gguf as export_gguf
from ml.export.gguf import quantize_with_llama_cpp, write_gguf
from ml.inference import PARSE_SEQUENCES, llama_cpp_engine
from ml.inference.backends import load_engine
from ml.inference.engine import Engine, GenerationCancelled
from ml.inference.llama_cpp_engine import LlamaCppEngine, LlamaCppError, lookup_draft, resolve_gguf
from tests.ci_no_skips import require
from tests.tiny_model import LLAMA3_ROPE, build_sentencepiece_tokenizer, build_sharp_model, build_sharp_qwen2

llama_cpp = require("llama_cpp", "the [llama] extra: bash scripts/setup.sh installs it")

PROMPTS = [
    ("parse_resume", "Parse this resume:\nAna Silva\nData Engineer at Acme Corp, 2020 - Present\nSKILLS Python, SQL"),
    ("interview_question", "Ask a technical question.\nTone: technical\nResume:\nName: Bo Chen, Go developer"),
    ("follow_up", "Resume:\nName: Eve\n\nQuestion: Why Rust?\nAnswer: Many things.\n\nAsk one follow-up question."),
    ("interview_question", "Ask an HR question.\nTone: hr\nResume:\nName: Ines Duarte, nurse, Lisbon"),
]
RESUME = "Ana Silva\nana@example.com\nData Engineer, Acme Corp, 2020 - Present\nSKILLS: Python, SQL, Airflow\n"


@pytest.fixture(scope="module")
def engines(sharp_gguf: Path) -> tuple[Engine, LlamaCppEngine]:
    """The same GGUF file on both backends."""
    return Engine.load(sharp_gguf), LlamaCppEngine.load(sharp_gguf)


def _generate(engine: Engine, task: str, text: str, tokens: int = 24, constrained: bool = False):
    return engine.generate_messages(tasks.build_messages(task, text), tokens, constrained=constrained)


def test_llama_cpp_greedy_output_equals_transformers_on_the_same_gguf(engines) -> None:
    reference, fast = engines
    answers = []
    for task, text in PROMPTS:
        expected, got = _generate(reference, task, text), _generate(fast, task, text)
        assert got.text == expected.text, task
        assert (got.prompt_tokens, got.completion_tokens) == (expected.prompt_tokens, expected.completion_tokens)
        answers.append(expected.text)
    varied = {token for text in answers for token in reference.tokenizer(text)["input_ids"]}
    assert len(varied) > 10, "the sharp model should not repeat one token (equality would prove little)"


def test_a_qwen2_export_with_attention_biases_answers_alike_in_llama_cpp(tiny_model_dir: Path, tmp_path: Path) -> None:
    tokenizer = AutoTokenizer.from_pretrained(str(tiny_model_dir))
    model = build_sharp_qwen2(tokenizer)
    write_gguf(model, tokenizer, tiny_model_dir, tmp_path / "qwen-f16.gguf", "tiny-qwen2", "f16")
    reference, fast = Engine.load(tmp_path / "qwen-f16.gguf"), LlamaCppEngine.load(tmp_path / "qwen-f16.gguf")
    for task, text in PROMPTS:
        assert _generate(fast, task, text).text == _generate(reference, task, text).text, task


def test_llama_cpp_constrained_parse_equals_transformers_and_is_valid_json(engines) -> None:
    reference, fast = engines
    text = tasks.parse_resume_input(RESUME)
    expected = reference.generate("parse_resume", text, max_new_tokens=160)  # the empty document takes ~100
    got = fast.generate("parse_resume", text, max_new_tokens=160)
    assert got.text == expected.text
    assert isinstance(json.loads(got.text), dict)  # closed before the limit: valid JSON by construction


def test_prompt_lookup_drafts_do_not_change_llama_cpp_output(engines) -> None:
    _, fast = engines
    plain = []
    fast.prompt_lookup_tokens = 0
    try:
        plain = [_generate(fast, task, text, 32).text for task, text in PROMPTS]
    finally:
        fast.prompt_lookup_tokens = llama_cpp_engine.LOOKUP_TOKENS
    assert [_generate(fast, task, text, 32).text for task, text in PROMPTS] == plain


def test_llama_cpp_reads_the_exported_tokenizer_and_chat_template_as_transformers_does(engines) -> None:
    """What an Ollama / llama.cpp user gets: llama.cpp's own tokenizer and the template stored in the file."""
    from llama_cpp import Llama
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    reference, fast = engines
    llama = Llama(str(fast.gguf_path), vocab_only=True, verbose=False)
    template = llama.metadata["tokenizer.chat_template"]
    eos = llama.detokenize([llama.token_eos()], special=True).decode()
    for task, text in PROMPTS:
        messages = tasks.build_messages(task, text)
        rendered = reference.tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        assert Jinja2ChatFormatter(template, eos_token=eos, bos_token="")(messages=messages).prompt == rendered
        ids = reference.prompt_ids(task, text)["input_ids"][0].tolist()
        assert llama.tokenize(rendered.encode(), add_bos=False, special=True) == ids
    assert llama.token_eos() == reference.tokenizer.eos_token_id


def test_streaming_yields_the_same_text_as_a_plain_generation(engines) -> None:
    from transformers import TextIteratorStreamer

    _, fast = engines
    task, text = PROMPTS[1]
    streamer = TextIteratorStreamer(fast.tokenizer, skip_prompt=True, skip_special_tokens=True)
    generation = fast.generate_messages(tasks.build_messages(task, text), 24, streamer=streamer)
    assert "".join(streamer).strip() == generation.text


def test_the_fine_tuned_run_exported_to_gguf_answers_alike_on_both_backends(tiny_run: Path, tmp_path: Path) -> None:
    exported = Path(export(tiny_run, "tiny", "gguf", tmp_path).path)
    fast = load_engine(exported, "llama.cpp")
    assert fast.fine_tuned and fast.backend == "llama.cpp"
    reference = load_engine(exported / "tiny-f16.gguf", "transformers")
    for task, text in PROMPTS:
        assert _generate(fast, task, text, 12).text == _generate(reference, task, text, 12).text


def test_an_adapter_is_converted_once_and_cached(tiny_run: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(llama_cpp_engine, "CACHE_DIR", tmp_path)
    adapter = tiny_run / "adapter"
    first, fine_tuned = resolve_gguf(adapter)
    assert fine_tuned and first.parent == tmp_path / "gguf" and first.suffix == ".gguf"
    metadata, _ = gguf_metadata(first)
    assert metadata["general.file_type"] == gguf.LlamaFileType.MOSTLY_Q8_0  # CONVERTED_QUANT: half f16's bytes
    assert gguf.GGMLQuantizationType.Q8_0 in {tensor.tensor_type for tensor in gguf.GGUFReader(first).tensors}
    written = first.stat().st_ino
    assert resolve_gguf(adapter)[0] == first and first.stat().st_ino == written  # the same file, not written again
    assert LlamaCppEngine.load(adapter).generate("interview_question", "Jane, Go developer", 4).completion_tokens


def test_the_conversion_cache_keeps_the_most_recently_used(tiny_run: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(llama_cpp_engine, "CACHE_DIR", tmp_path)
    monkeypatch.setattr(llama_cpp_engine, "KEPT_CONVERSIONS", 2)
    older = [tmp_path / "gguf" / f"{index:016x}-q8_0.gguf" for index in range(3)]  # earlier adapters' conversions
    older[0].parent.mkdir()
    for age, path in enumerate(older):
        path.write_bytes(b"GGUF")
        os.utime(path, ns=(10**18 + age, 10**18 + age))
    adapter = tiny_run / "adapter"
    first, _ = resolve_gguf(adapter)  # converting it leaves it and the most recently used earlier one
    assert sorted((tmp_path / "gguf").glob("*.gguf")) == sorted([first, older[2]])
    os.utime(first, ns=(10**18, 10**18))  # as if long unused: using it again makes it the most recent
    assert resolve_gguf(adapter)[0] == first and first.stat().st_mtime_ns > older[2].stat().st_mtime_ns
    assert llama_cpp_engine.prune_conversions(tmp_path / "gguf", 1) == [older[2]] and first.is_file()


def test_unloadable_specs_and_a_missing_install_are_clear_errors(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(LlamaCppError, match="griller export --format gguf"):
        resolve_gguf(tmp_path)
    with pytest.raises(ValueError, match=r"transformers, llama\.cpp"):
        load_engine(tmp_path, "vllm")
    monkeypatch.setitem(__import__("sys").modules, "llama_cpp", None)
    with pytest.raises(LlamaCppError, match=r"\[llama\]"):
        LlamaCppEngine.load(tmp_path)
    with pytest.raises(ExportError, match=r"--quant q4_k_m is done by llama\.cpp"):
        quantize_with_llama_cpp(tmp_path / "in.gguf", tmp_path / "out.gguf", "q4_k_m")


def test_cli_parse_on_the_llama_cpp_backend(sharp_gguf: Path, tmp_path: Path) -> None:
    resume = tmp_path / "ana.txt"
    resume.write_text(RESUME)
    runner = CliRunner()
    result = runner.invoke(app, ["parse", str(resume), "--model", str(sharp_gguf), "--backend", "llama.cpp", "--json"])
    assert result.exit_code == 0, result.output
    line = json.loads(result.stdout.strip().splitlines()[-1])
    assert line["valid"] and line["file"] == str(resume)
    bad = runner.invoke(app, ["parse", str(resume), "--model", str(sharp_gguf), "--backend", "onnx"])
    assert bad.exit_code == 1 and "Unknown backend 'onnx'" in bad.output


@pytest.mark.parametrize(
    ("tokens", "length", "draft"),
    [
        ([5, 6, 7, 8, 9, 5, 6], 3, [7, 8]),  # the bigram (5, 6) seen before: as many tokens as it is long
        ([1, 2, 3, 4, 5, 6, 9, 2, 3, 4], 5, [5, 6, 9]),  # a trigram: three tokens
        ([1, 2, 3, 4, 5, 6, 1, 2, 3, 4], 2, [5, 6]),  # capped by the length asked for
        ([2, 9, 1, 2, 3, 4, 1, 2], 5, [3, 4]),  # the longer match wins over an earlier shorter one
        ([1, 2, 3, 4, 2], 2, [3]),  # only a unigram matches: one token
        ([1, 2, 3], 4, []),  # nothing to copy
        ([4, 4, 4], 5, [4]),  # stops at the end of the sequence
        ([5, 6, 7, 5, 6], 0, []),
    ],
)
def test_lookup_draft_copies_what_followed_the_longest_repeated_ngram(
    tokens: list[int], length: int, draft: list[int]
) -> None:
    assert lookup_draft(tokens, length) == draft


RESUMES = [
    RESUME,
    "Bo Chen\nGo developer at Initech, 2018 - 2022\nSKILLS: Go, Kafka",
    "Ines Duarte\nNurse, Hospital Santa Maria, Lisbon\n2015 - present",
    "Eve Park\nPhD, Physics, ETH Zurich, 2019\nPostdoc at CERN",
    "Tom Ruiz\nBarista\nCafe Sol, Madrid, 2021-2023",
]


def test_answers_decoded_together_are_each_what_it_would_be_alone(sharp_gguf: Path) -> None:
    """The server's batches on this backend: several KV sequences step in one llama_decode, with groups of 3
    for 5 requests and answers that end at different steps; each answer must be the one decoded alone."""
    alone, together = LlamaCppEngine.load(sharp_gguf), LlamaCppEngine.load(sharp_gguf, sequences=3)
    assert together.context_limit == alone.context_limit  # each sequence gets a whole context
    parses = [tasks.parse_resume_input(text) for text in RESUMES]
    questions = [tasks.interview_question_input(text, "technical") for text in RESUMES]
    lengths = []
    for task, inputs, limit in [("parse_resume", parses, 40), ("interview_question", questions, None)]:
        expected = [alone.generate(task, text, limit, seed=7) for text in inputs]
        got = together.generate_batch(task, inputs, limit, seeds=[7] * len(inputs))
        assert [g.text for g in got] == [e.text for e in expected], task
        assert [g.completion_tokens for g in got] == [e.completion_tokens for e in expected], task
        lengths = [e.completion_tokens for e in expected]
    assert len(set(lengths)) > 1, "questions of one length would not test answers that end before the others"


def test_a_prefix_cached_in_another_sequence_is_copied_not_decoded_again(
    sharp_gguf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sequence starting a prompt whose head another sequence holds copies that cache: it decodes only the
    rest, and its logits are those of the whole prompt decoded from scratch."""
    engine = LlamaCppEngine.load(sharp_gguf, sequences=2)
    first, second = (llama_cpp_engine._Sequence(engine.model, index) for index in range(2))
    held, prompt = (
        engine._encode(tasks.build_messages("parse_resume", text))["input_ids"][0].tolist() for text in RESUMES[:2]
    )
    first.start(held)
    shared = first.common_prefix(prompt)
    assert shared >= llama_cpp_engine.COPY_MIN_TOKENS, "the prompts share their instructions"
    expected = llama_cpp_engine._Sequence(LlamaCppEngine.load(sharp_gguf).model, 0).start(prompt)

    decoded: list[int] = []
    decode = engine.model.decode
    monkeypatch.setattr(
        engine.model, "decode", lambda pieces: decoded.extend(len(p[2]) for p in pieces) or decode(pieces)
    )
    got = second.start(prompt, others=[first])
    assert sum(decoded) == len(prompt) - shared
    assert second.tokens == prompt
    assert got.argmax() == expected.argmax() and abs(got - expected).max() < 1e-4


def test_forgotten_prompts_leave_every_sequence_empty_and_answers_unchanged(sharp_gguf: Path) -> None:
    engine = LlamaCppEngine.load(sharp_gguf, sequences=2)
    inputs = [tasks.interview_question_input(text, "hr") for text in RESUMES[:2]]
    before = [g.text for g in engine.generate_batch("interview_question", inputs, 8, seeds=[3, 4])]
    engine.forget_prompts()
    memory = llama_cpp.llama_get_memory(engine.model.ctx)
    assert [llama_cpp.llama_memory_seq_pos_max(memory, index) for index in range(2)] == [-1, -1]
    assert [g.text for g in engine.generate_batch("interview_question", inputs, 8, seeds=[3, 4])] == before


def test_auto_takes_llama_cpp_on_cpu_for_what_it_loads_and_transformers_otherwise(
    tiny_run: Path, tiny_model_dir: Path, sharp_gguf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ml.inference import backends
    from ml.inference.backends import resolve_backend

    monkeypatch.delenv("GRILLER_BACKEND", raising=False)
    monkeypatch.setenv("GRILLER_DEVICE", "cpu")
    adapter = tiny_run / "adapter"
    assert [resolve_backend(spec) for spec in (adapter, sharp_gguf, "smollm2-135m-instruct")] == ["llama.cpp"] * 3
    assert resolve_backend(tiny_model_dir) == "transformers"  # a transformers folder: llama.cpp does not take it
    assert resolve_backend(adapter, "transformers") == "transformers"
    monkeypatch.setenv("GRILLER_BACKEND", "transformers")
    assert resolve_backend(adapter) == "transformers"
    monkeypatch.delenv("GRILLER_BACKEND")

    other = tmp_path / "phi3-adapter"  # a base the GGUF writer has no mapping for
    (tmp_path / "phi3").mkdir()
    (tmp_path / "phi3" / "config.json").write_text(
        json.dumps({"model_type": "phi3", "architectures": ["Phi3ForCausalLM"]})
    )
    other.mkdir()
    config = json.loads((adapter / "adapter_config.json").read_text())
    (other / "adapter_config.json").write_text(json.dumps(config | {"base_model_name_or_path": str(tmp_path / "phi3")}))
    assert resolve_backend(other) == "transformers"

    monkeypatch.setenv("GRILLER_DEVICE", "cuda")
    assert resolve_backend(adapter) == "transformers"  # the GPU is transformers'
    monkeypatch.setenv("GRILLER_DEVICE", "cpu")
    monkeypatch.setattr(backends.importlib.util, "find_spec", lambda name: None)  # no [llama] extra
    assert resolve_backend(adapter) == "transformers"


def test_load_engine_sizes_llama_cpp_for_the_answers_decoded_together(sharp_gguf: Path) -> None:
    engine = load_engine(sharp_gguf, "llama.cpp", parallel=4)
    assert isinstance(engine, LlamaCppEngine) and llama_cpp.llama_n_seq_max(engine.model.ctx) == 4
    assert engine.context_limit == load_engine(sharp_gguf, "llama.cpp", parallel=1).context_limit


def test_load_engine_decodes_as_griller_parse_does_by_default(sharp_gguf: Path) -> None:
    engine = load_engine(sharp_gguf, "llama.cpp")
    assert llama_cpp.llama_n_seq_max(engine.model.ctx) == PARSE_SEQUENCES > 1


def test_auto_runs_on_transformers_what_llama_cpp_refuses_to_convert(
    tiny_run: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(adapter: Path) -> Path:
        raise LlamaCppError("GGUF export does not know this tokenizer's pre-tokenizer")

    monkeypatch.setenv("GRILLER_DEVICE", "cpu")
    monkeypatch.setattr(llama_cpp_engine, "converted_adapter", refuse)
    assert load_engine(tiny_run / "adapter", "auto").backend == "transformers"
    with pytest.raises(LlamaCppError, match="pre-tokenizer"):
        load_engine(tiny_run / "adapter", "llama.cpp")  # asked for by name: the error, not another backend


def test_a_stream_with_no_room_for_a_token_still_ends(engines) -> None:
    from transformers import TextIteratorStreamer

    _, fast = engines
    streamer = TextIteratorStreamer(fast.tokenizer, skip_prompt=True, timeout=5)
    generation = fast.generate_messages(tasks.build_messages(*PROMPTS[1]), 0, streamer=streamer)
    assert generation.completion_tokens == 0 and "".join(streamer) == ""


class CancelAfter:
    """A streamer that sets ``cancel`` once ``tokens`` answer tokens have come: a client leaving mid-answer."""

    def __init__(self, tokens: int) -> None:
        self.tokens, self.seen, self.prompt, self.ended = tokens, 0, None, False
        self.cancel = threading.Event()

    def put(self, value: torch.Tensor) -> None:
        if self.prompt is None:  # the prompt comes first
            self.prompt = value
            return
        self.seen += value.numel()
        if self.seen >= self.tokens:
            self.cancel.set()

    def end(self) -> None:
        self.ended = True


def test_a_generation_stops_within_a_step_once_its_cancel_is_set(engines) -> None:
    """What the server does when a client leaves, on both backends: no answer, the stream ended, and the engine
    answering the next request as before."""
    task, text = PROMPTS[1]
    messages = tasks.build_messages(task, text)
    for engine in engines:
        whole = engine.generate_messages(messages, 48)
        assert whole.completion_tokens == 48  # uncancelled, this prompt runs to the limit
        streamer = CancelAfter(4)
        with pytest.raises(GenerationCancelled):
            engine.generate_messages(messages, 48, streamer=streamer, cancel=streamer.cancel)
        assert 4 <= streamer.seen <= 5 + engine.prompt_lookup_tokens and streamer.ended, engine.backend
        with pytest.raises(GenerationCancelled):  # a batch too (the server's, and a parse by parts)
            engine.generate_batch(task, [text, PROMPTS[3][1]], 48, cancel=streamer.cancel)
        assert engine.generate_messages(messages, 48).text == whole.text, engine.backend


def test_server_and_backend_local_mode_run_on_llama_cpp(
    sharp_gguf: Path, tiny_run: Path, tmp_path: Path, monkeypatch
) -> None:
    from fastapi.testclient import TestClient

    from backend.app.services.llm_service import LLMService, LLMSettings
    from ml.inference.server import create_app

    client = TestClient(create_app(LlamaCppEngine.load(sharp_gguf)))
    parsed = client.post("/v1/resume/parse", json={"text": RESUME})
    assert parsed.status_code == 200, parsed.text
    body = {"messages": [{"role": "user", "content": "Ask me one question about Acme Corp."}], "max_tokens": 8}
    with client.stream("POST", "/v1/chat/completions", json={**body, "stream": True}) as response:
        events = [line.removeprefix("data: ") for line in response.iter_lines() if line.startswith("data: ")]
    assert events[-1] == "[DONE]" and len(events) > 2

    monkeypatch.setattr(llama_cpp_engine, "CACHE_DIR", tmp_path)
    monkeypatch.setenv("LOCAL_BACKEND", "llama.cpp")
    service = LLMService(LLMSettings(llm_mode="local", local_model_path=str(tiny_run / "adapter"), _env_file=None))
    assert service._engine.backend == "llama.cpp"
    assert isinstance(service.interview_question("Ana Silva, Python developer", "technical"), str)


def test_a_k_quant_export_is_quantized_by_llama_cpp_and_serves(tiny_run: Path, tmp_path: Path) -> None:
    import gguf

    command = ["export", "--run", str(tiny_run), "--name", "tq", "--output", str(tmp_path), "--format", "gguf"]
    result = CliRunner().invoke(app, [*command, "--quant", "q4_k_m"])
    assert result.exit_code == 0, result.output
    reader = gguf.GGUFReader(tmp_path / "tq" / "tq-q4_k_m.gguf")
    assert reader.fields["general.file_type"].contents() == llama_cpp.LLAMA_FTYPE_MOSTLY_Q4_K_M
    kinds = {tensor.tensor_type.name for tensor in reader.tensors}
    assert kinds - {"F32", "F16"}, f"nothing was quantized: {kinds}"
    assert "FROM ./tq-q4_k_m.gguf" in (tmp_path / "tq" / "Modelfile").read_text()
    engine = load_engine(tmp_path / "tq", "llama.cpp")
    assert engine.fine_tuned and engine.generate("interview_question", "Jane, Go developer", 4).completion_tokens


def _training_prompt(tokenizer, task: str, text: str) -> tuple[str, list[int]]:
    """The chat prompt as training renders and tokenizes it."""
    messages = tasks.build_messages(task, text)
    rendered = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
    return rendered, tokenizer(rendered, add_special_tokens=False)["input_ids"]


def _transformers_answer(model, tokenizer, task: str, text: str, tokens: int = 16) -> tuple[list[int], str]:
    """The prompt ids and greedy answer of a plain transformers model."""
    _, ids = _training_prompt(tokenizer, task, text)
    with torch.no_grad():
        output = model.generate(torch.tensor([ids]), max_new_tokens=tokens, do_sample=False)[0, len(ids) :]
    return ids, tokenizer.decode(output, skip_special_tokens=True).strip()


NON_ASCII = ("parse_resume", "Parse this resume:\nJosé Müller, Köln\nKoch — Brasserie Ü, 2019–2021, 3 200 €")


@pytest.mark.parametrize(
    ("legacy", "control_inst"), [(True, False), (False, False), (False, True)], ids=["legacy", "first", "mistral-v3"]
)
def test_a_sentencepiece_mistral_tokenizes_and_answers_in_llama_cpp_as_in_training(
    tmp_path: Path, legacy: bool, control_inst: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Llama 2 / Mistral vocabularies: llama.cpp's own tokenizer (what Ollama users get) must give training's ids."""
    tokenizer = build_sentencepiece_tokenizer(tmp_path / "tokenizer", legacy, control_inst)
    model = build_sharp_model(MistralForCausalLM, MistralConfig, tokenizer, tie_word_embeddings=False)
    write_gguf(model, tokenizer, tmp_path / "tokenizer", tmp_path / "m.gguf", "m", "f16")
    fast = LlamaCppEngine.load(tmp_path / "m.gguf")
    for task, text in [*PROMPTS, NON_ASCII]:
        rendered, _ = _training_prompt(tokenizer, task, text)
        ids, expected = _transformers_answer(model, tokenizer, task, text)
        assert fast.model.tokenize(rendered.encode(), add_bos=False, special=True) == ids, task
        assert fast.prompt_ids(task, text)["input_ids"][0].tolist() == ids, task
        assert _generate(fast, task, text, 16).text == expected, task

    monkeypatch.setattr(export_gguf, "prefixes_space_after_special_tokens", lambda tokenizer: not legacy)
    write_gguf(model, tokenizer, tmp_path / "tokenizer", tmp_path / "wrong.gguf", "m", "f16")
    wrong = LlamaCppEngine.load(tmp_path / "wrong.gguf").model
    rendered, ids = _training_prompt(tokenizer, *PROMPTS[0])
    assert wrong.tokenize(rendered.encode(), add_bos=False, special=True) != ids  # the check above can fail


@pytest.mark.parametrize(
    "rope", [LLAMA3_ROPE, {"rope_type": "linear", "factor": 4.0, "rope_theta": 10000.0}], ids=["llama3", "linear"]
)
def test_scaled_rope_answers_in_llama_cpp_as_in_transformers(tiny_model_dir: Path, tmp_path: Path, rope: dict) -> None:
    """Llama 3.1 (per-frequency factors) and linear position interpolation reach llama.cpp's graph."""
    tokenizer = AutoTokenizer.from_pretrained(str(tiny_model_dir))
    scaled = build_sharp_model(LlamaForCausalLM, LlamaConfig, tokenizer, rope_parameters=dict(rope))
    plain = build_sharp_model(LlamaForCausalLM, LlamaConfig, tokenizer)  # the same weights, unscaled RoPE
    write_gguf(scaled, tokenizer, tiny_model_dir, tmp_path / "scaled.gguf", "scaled", "f16")
    fast = LlamaCppEngine.load(tmp_path / "scaled.gguf")
    answers = [_transformers_answer(scaled, tokenizer, task, text)[1] for task, text in PROMPTS]
    assert [_generate(fast, task, text, 16).text for task, text in PROMPTS] == answers
    assert [_transformers_answer(plain, tokenizer, task, text)[1] for task, text in PROMPTS] != answers
