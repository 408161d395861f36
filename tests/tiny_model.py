"""A tiny random Llama-architecture model and a locally trained tokenizer, built in seconds.

Same architecture family and chat template (ChatML) as the embedded SmolLM2, so every
code path that real models take (loading, LoRA, training, generation, export, serving)
runs unchanged in the unit tests.
"""

from __future__ import annotations

from pathlib import Path

CHATML_TEMPLATE = (
    "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n' }}{% endif %}"
    "{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)
SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
TINY_SHAPE = {
    "hidden_size": 64,
    "intermediate_size": 128,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
}

TRAINING_TEXT = [
    "Jane Doe jane.doe@example.com +1 415 555 0100 San Francisco, CA linkedin.com/in/janedoe",
    "EXPERIENCE Senior Software Engineer, Acme Corp, Mar 2021 - Present. Cut p95 latency 40% with Redis.",
    "EDUCATION BSc Computer Science, University of Lisbon, 2015 - 2019. GPA 3.8",
    "SKILLS Python, SQL, Kubernetes, Docker, Terraform, React, TypeScript, PyTorch, AWS, GCP",
    '{"name": "Jane Doe", "email": null, "experience": [], "skills": ["Python", "SQL"], "end_date": "present"}',
    "Tell me about a time you disagreed with your manager at Acme Corp. How did you measure the impact?",
    "Parse this resume: Nurse, teacher, accountant, lawyer, chef, designer, marketing manager 2018-03.",
]


def build_tiny_model(directory: Path, vocab_size: int = 600) -> Path:
    """Write a tiny Llama model + tokenizer (with chat template) to ``directory`` and return it."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    tok.train_from_iterator(TRAINING_TEXT * 4, trainer=trainer)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token="<|im_start|>",
        eos_token="<|im_end|>",
        pad_token="<|im_end|>",
        unk_token="<|endoftext|>",
    )
    tokenizer.chat_template = CHATML_TEMPLATE

    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        **TINY_SHAPE,
        max_position_embeddings=4096,
        tie_word_embeddings=True,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    model = LlamaForCausalLM(config)
    directory.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


def build_sharp_model(model_class: type, config_class: type, tokenizer, **overrides: object):
    """A tiny random model with weights large enough (std 0.2) that attention and RoPE decide the output:
    varied greedy tokens with clear margins, so comparing two runtimes' greedy output is a strict check."""
    import torch

    torch.manual_seed(0)
    config = config_class(
        vocab_size=len(tokenizer),
        **TINY_SHAPE,
        max_position_embeddings=1024,
        initializer_range=0.2,
        eos_token_id=tokenizer.eos_token_id,
        architectures=[model_class.__name__],
        **overrides,
    )
    return model_class(config).eval()


def build_sharp_qwen2(tokenizer):
    """A sharp Qwen2 (untied head) whose q/k/v biases are random too (random init leaves them at zero)."""
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    model = build_sharp_model(Qwen2ForCausalLM, Qwen2Config, tokenizer, tie_word_embeddings=False)
    with torch.no_grad():
        for layer in model.model.layers:
            for projection in (layer.self_attn.q_proj, layer.self_attn.k_proj, layer.self_attn.v_proj):
                projection.bias.normal_(0, 0.5)
    return model


# Llama 3.1's RoPE scaling, with an original context short enough that the tiny head's frequencies span
# all three of its bands (kept, blended, slowed by ``factor``)
LLAMA3_ROPE = {
    "rope_type": "llama3",
    "factor": 8.0,
    "low_freq_factor": 1.0,
    "high_freq_factor": 4.0,
    "original_max_position_embeddings": 64,
    "rope_theta": 10000.0,
}
LLAMA2_TEMPLATE = (
    "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'system' %}"
    "{{ '<<SYS>>\n' + message['content'] + '\n<</SYS>>\n\n' }}{% elif message['role'] == 'user' %}"
    "{{ '[INST] ' + message['content'] + ' [/INST]' }}{% else %}{{ ' ' + message['content'] + eos_token }}"
    "{% endif %}{% endfor %}"
)


MISTRAL_V3_TEMPLATE = (
    "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'system' %}"
    "{{ message['content'] + '\n\n' }}{% elif message['role'] == 'user' %}"
    "{{ '[INST] ' + message['content'] + '[/INST]' }}{% else %}{{ ' ' + message['content'] + eos_token }}"
    "{% endif %}{% endfor %}"
)


def build_sentencepiece_tokenizer(directory: Path, legacy: bool, control_inst: bool = False):
    """A Llama 2 / Mistral style tokenizer (BPE with byte fallback, ``▁`` word marks, ``[INST]`` template).

    Laid out as theirs is: ``<unk> <s> </s>``, then the 256 ``<0xNN>`` byte tokens, then the learned pieces.
    ``legacy`` picks transformers' word boundary after special tokens (``Metaspace`` ``always``) or not
    (``first``); both exist in the wild. ``control_inst`` makes ``[INST]`` / ``[/INST]`` special tokens with
    Mistral v0.3's template, where the text after ``[INST]`` starts with a space.
    """
    import json

    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import AutoTokenizer, LlamaTokenizer

    learner = Tokenizer(models.BPE())
    learner.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    learner.train_from_iterator(TRAINING_TEXT * 4, trainer=trainers.BpeTrainer(vocab_size=500))
    learned = json.loads(learner.to_str())["model"]
    vocab = {"<unk>": 0, "<s>": 1, "</s>": 2} | {f"<0x{byte:02X}>": 3 + byte for byte in range(256)}
    for piece in sorted(learned["vocab"], key=learned["vocab"].get):
        vocab.setdefault(piece, len(vocab))
    tokenizer = LlamaTokenizer(vocab=vocab, merges=[tuple(merge) for merge in learned["merges"]], legacy=legacy)
    tokenizer.chat_template = MISTRAL_V3_TEMPLATE if control_inst else LLAMA2_TEMPLATE
    if control_inst:
        tokenizer.add_special_tokens({"additional_special_tokens": ["[INST]", "[/INST]"]})
    tokenizer.save_pretrained(directory)
    config_file = Path(directory) / "tokenizer_config.json"  # as hub repos spell it (transformers 5 omits it)
    config_file.write_text(json.dumps(json.loads(config_file.read_text()) | {"legacy": legacy}))
    loaded = AutoTokenizer.from_pretrained(str(directory))
    assert loaded.backend_tokenizer.pre_tokenizer.prepend_scheme == ("always" if legacy else "first")
    return loaded
