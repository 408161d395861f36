from __future__ import annotations

import json
from pathlib import Path

import pytest

from ml.preprocessing.teacher import Teacher, TeacherError, label_texts, parse_label, read_cache

DOCS = [("a.txt", "Ana Lima\nData Engineer at Acme"), ("b.txt", "Bo Chen\nNurse at Mercy Hospital")]


def _teacher(base: str, **kw) -> Teacher:
    return Teacher(base, "teacher-model", "test-key", backoff=0.01, timeout=10, **kw)


def test_labels_retry_429_then_cache_resumes(fake_chat, tmp_path: Path) -> None:
    base, chat = fake_chat
    chat.script = [(429, {"error": {"message": "slow down"}}), (503, {"error": {"message": "busy"}})]
    cache = tmp_path / "labels.jsonl"
    report = label_texts(DOCS, _teacher(base), cache, concurrency=1, price_in=1.0, price_out=2.0)
    assert (report.labelled, report.failed, report.retries) == (2, 0, 2)
    assert report.prompt_tokens == 200 and report.completion_tokens == 40
    assert report.cost == pytest.approx((200 * 1.0 + 40 * 2.0) / 1e6)
    assert chat.requests[0]["response_format"]["type"] == "json_schema"
    labels = read_cache(cache)
    assert sorted(label.name for label in labels.values()) == ["Ana Lima", "Bo Chen"]
    before = len(chat.requests)
    again = label_texts([*DOCS, ("c.txt", "Cleo Park\nDesigner at Initech")], _teacher(base), cache)
    assert (again.cached, again.labelled) == (2, 1)
    assert len(chat.requests) == before + 1  # only the new resume was sent


def test_response_format_falls_back_on_400(fake_chat, tmp_path: Path) -> None:
    base, chat = fake_chat
    chat.reject_formats = {"json_schema", "json_object"}
    report = label_texts(DOCS[:1], _teacher(base), tmp_path / "c.jsonl")
    assert report.labelled == 1 and report.response_format == "none"
    assert [r.get("response_format", {}).get("type") for r in chat.requests] == ["json_schema", "json_object", None]


def test_invalid_answers_are_counted_not_cached(fake_chat, tmp_path: Path) -> None:
    base, chat = fake_chat
    chat.reply = '{"name": "X", "experience": [{"start_date": "March 2020"}]}'  # fails the date pattern
    report = label_texts(DOCS[:1], _teacher(base), tmp_path / "c.jsonl")
    assert report.failed == 1 and report.labelled == 0 and "invalid label" in report.problems[0]
    assert len(chat.requests) == 2 and read_cache(tmp_path / "c.jsonl") == {}


def test_auth_error_stops_the_run(fake_chat, tmp_path: Path) -> None:
    base, chat = fake_chat
    chat.script = [(401, {"error": {"message": "bad key"}})]
    with pytest.raises(TeacherError, match="refused"):
        label_texts(DOCS[:1], _teacher(base), tmp_path / "c.jsonl")


def test_parse_label_and_malformed_cache(tmp_path: Path) -> None:
    assert parse_label('```json\n{"name": "A", "skills": ["Go"]}\n```').skills == ["Go"]
    with pytest.raises(ValueError):
        parse_label("no json here")
    cache = tmp_path / "c.jsonl"
    cache.write_text(json.dumps({"hash": "h1", "label": {"name": "A"}}) + "\n{truncated\n")
    assert list(read_cache(cache)) == ["h1"]
