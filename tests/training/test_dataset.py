from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, DataCollatorWithFlattening

from ml.jsonl import JsonlError
from ml.training.dataset import IGNORE_INDEX, read_examples, tokenize_example, tokenize_examples
from tests.processed_data import processed_rows


def test_only_the_answer_and_its_eos_are_supervised(tiny_model_dir: Path) -> None:
    tokenizer = AutoTokenizer.from_pretrained(tiny_model_dir)
    example = processed_rows()[0]
    tokenized = tokenize_example(tokenizer, example)
    supervised = [t for t, label in zip(tokenized["input_ids"], tokenized["labels"], strict=True) if label != -100]
    assert tokenizer.decode(supervised) == example["output"] + "<|im_end|>"
    assert supervised[-1] == tokenizer.eos_token_id and tokenized["input_ids"][-1] == tokenizer.eos_token_id
    prompt = tokenizer.decode(tokenized["input_ids"][: len(tokenized["input_ids"]) - len(supervised)])
    assert prompt.endswith("<|im_start|>assistant\n") and example["input"] in prompt


def test_too_long_examples_are_dropped_and_counted_not_cut(tiny_model_dir: Path) -> None:
    tokenizer = AutoTokenizer.from_pretrained(tiny_model_dir)
    rows = processed_rows()
    lengths = sorted(len(tokenize_example(tokenizer, r)["input_ids"]) for r in rows)
    split = tokenize_examples(tokenizer, rows, max_seq_length=lengths[len(lengths) // 2])
    assert split.dropped_too_long > 0
    assert len(split.examples) + split.dropped_too_long == len(rows)
    assert all(ex["labels"][-1] == tokenizer.eos_token_id for ex in split.examples)


def test_packed_rows_do_not_attend_across_examples(tiny_model_dir: Path) -> None:
    """The loss of a padding-free packed row equals the losses of its examples computed one by one."""
    tokenizer = AutoTokenizer.from_pretrained(tiny_model_dir)
    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir).eval()
    features = [tokenize_example(tokenizer, row) for row in processed_rows()[:3]]
    packed = DataCollatorWithFlattening(return_position_ids=True, separator_id=IGNORE_INDEX)(features)
    with torch.no_grad():
        # use_cache=False as in training: with a KV cache transformers cannot tell packed rows apart
        packed_logits = model(**{k: packed[k] for k in ("input_ids", "position_ids")}, use_cache=False).logits[0]
        separate = torch.cat([model(input_ids=torch.tensor([f["input_ids"]])).logits[0] for f in features])
    assert torch.allclose(packed_logits, separate, atol=1e-4)


def test_bad_jsonl_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "train.jsonl"
    good = json.dumps(processed_rows()[0])
    path.write_text(good + "\n" + '{"input": "x", "output": \n')
    with pytest.raises(JsonlError, match=r"train\.jsonl:2: malformed JSON"):
        read_examples(path)
    path.write_text(good + "\n" + json.dumps({"input": "x", "output": "y", "task": "summarise"}) + "\n")
    with pytest.raises(JsonlError, match=r"train\.jsonl:2: unknown task 'summarise'"):
        read_examples(path)
    path.write_text("\n")
    with pytest.raises(JsonlError, match="no examples"):
        read_examples(path)
    with pytest.raises(JsonlError, match="file not found"):
        read_examples(tmp_path / "missing.jsonl")
