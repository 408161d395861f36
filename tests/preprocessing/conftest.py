"""Fixtures for the data pipeline tests: tiny PDFs built by hand, a loopback chat-completions server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from ml.tasks import SYSTEM_PROMPTS, TaskName


def make_pdf(path: Path, lines: list[str], content: str | None = None, encoding: str | None = None) -> Path:
    """A minimal one-page PDF with a real text layer (Helvetica), written byte by byte. ``content``: the page's
    own text operators instead of ``lines``; ``encoding``: the font's ``/Encoding`` (e.g. with ``/Differences``)."""
    content = content or (
        "BT /F1 11 Tf 50 750 Td 14 TL "
        + " ".join(
            "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T*" for line in lines
        )
        + " ET"
    )
    font = "/Type /Font /Subtype /Type1 /BaseFont /Helvetica" + (f" /Encoding {encoding}" if encoding else "")
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        f"<< {font} >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(out)
    return path


class FakeChat:
    """Canned ``/v1/chat/completions``: scripted failures first, then a resume label built from the prompt,
    or (for the question tasks' system prompts) a question naming the task."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.script: list[tuple[int, dict[str, Any]]] = []  # (status, body) served before normal answers
        self.reject_formats: set[str] = set()
        self.reply: str | None = None  # fixed content instead of a label
        self.question_replies: list[str] = []  # served, in order, to question prompts before the default
        self.lock = threading.Lock()

    def question(self, body: dict[str, Any]) -> str:
        task = "follow-up" if "follow-up" in body["messages"][0]["content"] else "interview"
        with self.lock:
            if self.question_replies:
                return self.question_replies.pop(0)
        return f"Could you walk me through this {task} topic in more detail, please?"

    def answer(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self.lock:
            self.requests.append(body)
            if self.script:
                return self.script.pop(0)
        fmt = (body.get("response_format") or {}).get("type", "none")
        if fmt in self.reject_formats:
            return 400, {"error": {"message": f"response_format {fmt} not supported", "type": "invalid_request"}}
        if body["messages"][0]["content"] != SYSTEM_PROMPTS[TaskName.PARSE_RESUME]:
            content = self.question(body)
        elif self.reply is not None:
            content = self.reply
        else:
            name = body["messages"][-1]["content"].split("\n", 1)[1].strip().splitlines()[0]
            content = json.dumps({"name": name, "skills": ["Python"]})
        return 200, {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 0,
            "model": body["model"],
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
        }


@pytest.fixture()
def fake_chat() -> Iterator[tuple[str, FakeChat]]:
    chat = FakeChat()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            status, payload = chat.answer(body)
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            if status == 429:
                self.send_header("Retry-After", "0")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", chat
    finally:
        server.shutdown()
        server.server_close()
