"""Issue 10 §7: loopback by default, keys compared in constant time and never echoed or logged, resume text
kept out of logs at INFO, uploads size-limited and confined to a temporary folder that is removed afterwards.

401s for missing/wrong keys and 413 for big JSON bodies are in tests/inference/test_server.py::test_error_statuses.
"""

from __future__ import annotations

import inspect
import logging
import tempfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ml import cli
from ml.inference import server as server_module
from ml.inference.engine import Engine
from ml.inference.server import ServerSettings, create_app

KEY = "sk-griller-SECRET-7f3a9c"
WRONG = "sk-wrong-GUESS-55e1d0"
MARKER = "Xylophone-Quokka-93817"  # a string no log line has any other reason to contain
RESUME = f"{MARKER} Doe\n{MARKER.lower()}@example.com\nData Engineer at {MARKER} Corp, 2020 - Present\nPython"


@pytest.fixture()
def client(engine: Engine, short_parse: None) -> TestClient:
    app = create_app(engine, ServerSettings(api_key=KEY, max_tokens_limit=4, max_body_bytes=64 * 1024))
    return TestClient(app, raise_server_exceptions=False)


def test_griller_serve_binds_to_loopback_unless_told_otherwise() -> None:
    host = inspect.signature(cli.serve).parameters["host"].default
    assert host == "127.0.0.1"
    assert inspect.signature(server_module.serve).parameters["host"].default is inspect.Parameter.empty


def test_keys_are_compared_in_constant_time(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = server_module.secrets.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(server_module.secrets, "compare_digest", spy)
    assert client.get("/v1/models", headers={"Authorization": f"Bearer {WRONG}"}).status_code == 401
    assert client.get("/v1/models", headers={"Authorization": f"Bearer {KEY}"}).status_code == 200
    assert calls == [(WRONG.encode(), KEY.encode()), (KEY.encode(), KEY.encode())]


def test_keys_never_appear_in_responses_or_logs(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    responses = []
    for key in (KEY, WRONG, f"{KEY}x", ""):
        auth = {"Authorization": f"Bearer {key}"}
        responses += [
            client.get("/v1/models", headers=auth),
            client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "hi"}]}, headers=auth),
            client.post(
                "/v1/chat/completions", content=b"{broken", headers=auth | {"Content-Type": "application/json"}
            ),
            client.post("/v1/resume/parse", json={"text": "x" * 100_000}, headers=auth),
        ]
    assert {r.status_code for r in responses} == {200, 401, 413, 422}
    for response in responses:
        blob = response.text + str(response.headers)
        assert KEY not in blob and WRONG not in blob
    assert KEY not in caplog.text and WRONG not in caplog.text


def test_resume_text_is_not_logged_at_info(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    auth = {"Authorization": f"Bearer {KEY}"}
    assert client.post("/v1/resume/parse", json={"text": RESUME}, headers=auth).status_code == 200
    upload = client.post("/v1/resume/parse", files={"file": ("cv.txt", RESUME.encode(), "text/plain")}, headers=auth)
    assert upload.status_code == 200
    bad = client.post("/v1/resume/parse", files={"file": ("cv.pdf", f"%PDF {MARKER}".encode(), "x")}, headers=auth)
    assert bad.status_code == 422
    question = client.post("/v1/interview/question", json={"resume": RESUME, "tone": "hr"}, headers=auth)
    assert question.status_code == 200
    assert caplog.records  # something was logged (httpx request lines at least), just not the resume
    assert MARKER not in caplog.text and MARKER.lower() not in caplog.text


def test_uploads_stay_in_a_temp_folder_that_is_removed(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp_root = tmp_path / "tmp"
    temp_root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp_root))  # every temp file of the process goes here
    seen: list[tuple[Path, bool]] = []
    real = server_module.read_document

    def spy(path: Path) -> str:
        seen.append((Path(path), Path(path).is_file()))
        return real(path)

    monkeypatch.setattr(server_module, "read_document", spy)
    auth = {"Authorization": f"Bearer {KEY}"}
    for name in ("../../../etc/cron.d/evil.txt", "/root/.bashrc.md", "cv.TXT", "payload.sh", "a\x00b.txt"):
        client.post("/v1/resume/parse", files={"file": (name, RESUME.encode(), "text/plain")}, headers=auth)
    assert len(seen) == 5
    for path, existed in seen:
        assert existed and path.parent.parent == temp_root  # <tmp>/griller-upload-XXXX/upload.<suffix>
        assert path.name.startswith("upload.")
    assert list(temp_root.iterdir()) == []  # removed after each request
    # The shell script was stored as upload.sh and refused as a document: never run, never kept.
    script = [p for p, _ in seen if p.suffix == ".sh"]
    assert script and not script[0].exists()
    too_big = client.post("/v1/resume/parse", files={"file": ("cv.txt", b"x" * 100_000, "text/plain")}, headers=auth)
    assert too_big.status_code == 413 and len(seen) == 5  # refused before any file was written
    assert list(temp_root.iterdir()) == []
