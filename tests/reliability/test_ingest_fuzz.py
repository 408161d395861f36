"""Issue 10 §3: ingest fuzzed with corrupt, hostile, huge and mis-encoded inputs; over-long resumes at inference.

Every input ends as text or as an :class:`IngestError` that names the file; folder, CSV and JSONL readers
count each one as read or skipped (with why), so ``read + skipped`` is always the number of inputs.
The single-file basics (encrypted/corrupt PDF, empty, binary, mojibake …) are in tests/preprocessing/test_ingest.py.
"""

from __future__ import annotations

import io
import json
import os
import random
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from ml import tasks
from ml.inference.engine import Engine
from ml.preprocessing import ingest
from ml.preprocessing.ingest import (
    IngestError,
    IngestReport,
    iter_qa,
    iter_resume_csv,
    iter_resume_folder,
    read_document,
)
from tests.preprocessing.conftest import make_pdf

RESUME_LINES = ["Jane Doe, Senior Engineer at Acme Corp", "Python, SQL, Kubernetes, 2019 - 2021"]


def _good_docx(path: Path) -> bytes:
    import docx

    document = docx.Document()
    for line in RESUME_LINES:
        document.add_paragraph(line)
    document.save(str(path))
    return path.read_bytes()


def _mutate(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    kind = rng.choice(["flip", "truncate", "insert", "zero"])
    if kind == "flip":
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind == "truncate":
        data = data[: rng.randrange(len(data))]
    elif kind == "insert":
        at = rng.randrange(len(data))
        data[at:at] = rng.randbytes(rng.randint(1, 200))
    else:
        at = rng.randrange(len(data))
        data[at : at + 50] = b"\0" * 50
    return bytes(data)


def _outcome(path: Path) -> str:
    """'text' or 'error'; anything but IngestError propagates and fails the test (a crash)."""
    try:
        read_document(path)
        return "text"
    except IngestError as error:
        assert path.name in str(error)  # the message names the file
        return "error"


def test_mutated_pdfs_and_docx_never_crash(tmp_path: Path) -> None:
    rng = random.Random(0)
    sources = {
        "pdf": make_pdf(tmp_path / "good.pdf", RESUME_LINES).read_bytes(),
        "docx": _good_docx(tmp_path / "good.docx"),
    }
    tried = 0
    for i in range(150):
        for suffix, data in sources.items():
            path = tmp_path / f"mutant-{i}.{suffix}"
            path.write_bytes(_mutate(data, rng))
            _outcome(path)
            tried += 1
    assert tried == 300


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".pdf", ".docx"])
def test_random_bytes_are_reported_in_every_format(tmp_path: Path, suffix: str) -> None:
    rng = random.Random(suffix)
    for i in range(20):
        path = tmp_path / f"noise-{i}{suffix}"
        path.write_bytes(rng.randbytes(rng.randint(1, 20_000)))
        assert _outcome(path) == "error"


def _pdf(objects: list[bytes]) -> bytes:
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    return out + f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"


def test_hostile_structures(tmp_path: Path) -> None:
    """Crafted files: cycles, a decompression bomb, a zip bomb, missing parts, 100k nested HTML tags."""
    bomb_stream = zlib.compress(b"BT (A) Tj ET " * (50 * 2**20 // 13), 9)  # 50 MiB of content in ~100 KB
    docx_bomb = io.BytesIO()
    with zipfile.ZipFile(docx_bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:p>" * (20 * 2**20))  # 100 MiB unpacked
    no_parts = io.BytesIO()
    with zipfile.ZipFile(no_parts, "w") as archive:
        archive.writestr("hello.txt", "hi")
    cases = {
        "cyclic-kids.pdf": _pdf([CATALOG, b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]),
        # pypdf raises LimitReachedError here, which ingest did not catch: the folder reader crashed
        "cyclic-parent.pdf": _pdf(
            [CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", b"<< /Type /Page /Parent 3 0 R /Contents 3 0 R >>"]
        ),
        "bomb.pdf": _pdf(
            [
                CATALOG,
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
                b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb_stream) + bomb_stream + b"\nendstream",
            ]
        ),
        "lying-count.pdf": _pdf([CATALOG, b"<< /Type /Pages /Kids [] /Count 99999999 >>"]),
        "bomb.docx": docx_bomb.getvalue(),
        "no-parts.docx": no_parts.getvalue(),
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    started = time.perf_counter()
    report = IngestReport()
    assert list(iter_resume_folder(tmp_path, report=report)) == []
    assert (report.read, report.skipped) == (0, len(cases))
    assert any("unpacks to 100 MiB" in p for p in report.problems)  # refused before inflating
    assert time.perf_counter() - started < 20
    nested = tmp_path / "nested.html"
    nested.write_text("<div>" * 100_000 + " ".join(RESUME_LINES) + "</div>" * 100_000)
    assert "Acme Corp" in read_document(nested)


def test_a_50_mb_text_file_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.txt"
    line = ("Jane Doe, senior engineer at Acme Corp: Python, SQL and Kubernetes. " * 100 + "\n").encode()
    with big.open("wb") as handle:
        while handle.tell() < 50 * 2**20:
            handle.write(line)
    (tmp_path / "ok.txt").write_text("\n".join(RESUME_LINES))
    monkeypatch.setattr(Path, "read_bytes", _refuse_for(big, Path.read_bytes))
    with pytest.raises(IngestError, match=r"big.txt: file too large \(50.0 MiB; limit 16 MiB per resume\)"):
        read_document(big)
    report = IngestReport()
    docs = list(iter_resume_folder(tmp_path, report=report))
    assert [d.id for d in docs] == ["ok.txt"] and report.skipped == 1 and "too large" in report.problems[0]


def _refuse_for(path: Path, real):
    def read_bytes(self: Path) -> bytes:
        assert self != path, "the oversized file was read into memory"
        return real(self)

    return read_bytes


def test_unreadable_file_is_one_skip_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(f"{name}\n" + "\n".join(RESUME_LINES))
    real = Path.read_bytes

    def flaky(self: Path) -> bytes:
        if self.name == "b.txt":
            raise PermissionError(13, "Permission denied")  # root ignores mode bits, so simulate it
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", flaky)
    report = IngestReport()
    assert [d.id for d in iter_resume_folder(tmp_path, report=report)] == ["a.txt", "c.txt"]
    assert report.skipped == 1 and "b.txt: cannot read (PermissionError: Permission denied)" in report.problems[0]


def test_jsonl_hostile_lines_are_counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "MAX_LINE_BYTES", 2**20)  # the 8 MiB default, scaled down to keep the test fast
    good = {"question": "Why Python?", "answer": "Because it is readable."}
    lines = [
        json.dumps(good).encode(),
        b"[" * 100_000 + b"]" * 100_000,  # json.loads raised RecursionError here: the reader crashed
        b'{"question": "deep", "answer": ' + b'{"a": ' * 5_000 + b"1" + b"}" * 5_000 + b"}",
        json.dumps({"question": "Huge?", "answer": "x " * 2**20}).encode(),  # 2 MiB on one line
        json.dumps({"question": "Caf\u00e9?", "answer": "Cr\u00e8me br\u00fbl\u00e9e."}).encode("utf-8"),
        '{"question": "Renée?", "answer": "Infirmière à Paris."}'.encode("cp1252"),  # a cp1252 line in UTF-8
        b'{"question": "cut off", "ans',
        b"42",
        json.dumps({"question": "Tell me about yourself", "answer": "I build data pipelines."}).encode(),
    ]
    path = tmp_path / "qa.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n\n")
    report = IngestReport()
    pairs = list(iter_qa(path, report=report))
    assert report.read + report.skipped == len(lines)  # nothing dropped silently
    assert [p.question for p in pairs] == ["Why Python?", "Café?", "Renée?", "Tell me about yourself"]
    assert pairs[2].answer == "Infirmière à Paris."  # recovered, not skipped nor replaced with U+FFFD
    problems = "\n".join(report.problems)
    assert ":2: malformed JSONL line (nested too deeply)" in problems and ":3: malformed" in problems
    assert ":4: line longer than 1 MiB, not parsed" in problems


ENCODED = {
    "utf-8": "Renée Dubois — infirmière diplômée, hôpital Saint-Louis, Paris. Soins intensifs.",
    "utf-8-sig": "Renée Dubois — infirmière diplômée, hôpital Saint-Louis, Paris. Soins intensifs.",
    "utf-16": "Renée Dubois — infirmière diplômée, hôpital Saint-Louis, Paris. Soins intensifs.",
    "cp1252": "Renée Dubois — infirmière diplômée, hôpital Saint-Louis, Paris. Soins intensifs.",
    "mac_roman": "Renée Dubois — infirmière diplômée, hôpital Saint-Louis, Paris. Soins intensifs.",
    "cp1251": "Иван Петров — инженер-программист в компании Яндекс с 2018 года, Python, SQL.",
    "shift_jis": "山田太郎 ソフトウェアエンジニア 東京 株式会社サンプル Python と SQL の経験 5 年",
}


def test_mixed_encodings_in_a_folder_and_inside_one_csv(tmp_path: Path) -> None:
    folder = tmp_path / "resumes"
    folder.mkdir()
    for encoding, text in ENCODED.items():
        (folder / f"{encoding}.txt").write_bytes(text.encode(encoding))
    report = IngestReport()
    texts = {d.id: d.text for d in iter_resume_folder(folder, report=report)}
    assert (report.read, report.skipped) == (len(ENCODED), 0)
    for encoding, text in ENCODED.items():
        assert texts[f"{encoding}.txt"] == text, encoding
    # A UTF-8 CSV with one row pasted from a cp1252 file, after the 64 KB the encoding is guessed from:
    # that row came out as "Ren\ufffde" (silently mangled) before the cp1252 fallback.
    rows = [b"ID,Resume_str\n"] + [
        f"{i},José Müller engineer at Zürich Bank number {i}\n".encode() for i in range(2000)
    ]
    rows.append("x,Renée Dubois infirmière à l'hôpital Saint-Louis depuis 2015\n".encode("cp1252"))
    (tmp_path / "mixed.csv").write_bytes(b"".join(rows))
    report = IngestReport()
    docs = list(iter_resume_csv(tmp_path / "mixed.csv", report=report))
    assert (report.read, report.skipped) == (2001, 0)
    assert docs[-1].text == "Renée Dubois infirmière à l'hôpital Saint-Louis depuis 2015"
    assert not any("\ufffd" in d.text for d in docs)


def test_a_100k_token_resume_is_read_whole_then_truncated_explicitly_at_inference(
    tmp_path: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    unit = "Senior Engineer at Acme Corp 2019 - 2021: cut p95 latency 40% with Redis; Python, SQL, Kubernetes.\n"
    text = "Jane Doe\njane.doe@example.com\n" + unit * 4_000
    path = tmp_path / "long.txt"
    path.write_text(text)
    read = read_document(path)
    tokens = len(engine.tokenizer(read, add_special_tokens=False)["input_ids"])
    assert tokens >= 100_000 and read.strip() == text.strip()  # ingest keeps all of it
    monkeypatch.setenv("GRILLER_MAX_CONTEXT", "512")
    assert engine.context_limit == 512
    user = tasks.parse_resume_input(read)
    kept, truncated = engine.fit_user_input(tasks.TaskName.PARSE_RESUME, user, max_new_tokens=64)
    assert truncated and user.startswith(kept.rstrip()[:200]) and "Jane Doe" in kept  # the head is kept
    assert engine.prompt_ids(tasks.TaskName.PARSE_RESUME, kept)["input_ids"].shape[1] + 64 <= 512
    generation = engine.generate(tasks.TaskName.PARSE_RESUME, user, max_new_tokens=64)
    assert generation.truncated and generation.prompt_tokens + 64 <= 512
    short = engine.generate(tasks.TaskName.INTERVIEW_QUESTION, "Jane Doe, nurse", max_new_tokens=4)
    assert not short.truncated
    assert os.environ["GRILLER_MAX_CONTEXT"] == "512"
