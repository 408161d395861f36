from __future__ import annotations

import json
from pathlib import Path

import pytest

from ml.preprocessing.ingest import (
    IngestError,
    IngestReport,
    iter_qa,
    iter_resume_csv,
    iter_resume_folder,
    read_document,
)
from tests.preprocessing.conftest import make_pdf

RESUME = "Jane Müller\nSenior Data Engineer at Acme GmbH\nSkills: Python, SQL, Airflow"


def test_pdf_text_layer(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "cv.pdf", ["Jane Doe", "Data Engineer at Acme Corp", "Skills: Python, SQL"])
    text = read_document(path)
    assert "Jane Doe" in text and "Acme Corp" in text


def test_encrypted_pdf_is_reported(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    plain = make_pdf(tmp_path / "plain.pdf", ["Jane Doe", "Data Engineer at Acme Corp"])
    writer = PdfWriter()
    for page in PdfReader(str(plain)).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(IngestError, match=r"locked\.pdf: encrypted"):
        read_document(locked)


def test_corrupt_pdf_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage without xref")
    with pytest.raises(IngestError, match=r"broken\.pdf"):
        read_document(path)


@pytest.mark.parametrize("content", [b"", b"   \n\n  "])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(IngestError, match="empty"):
        read_document(path)


def test_binary_garbage(tmp_path: Path) -> None:
    path = tmp_path / "garbage.txt"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(IngestError, match="binary"):
        read_document(path)


def test_non_utf8_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(("José Núñez — Ingénieur chez Société Générale, Paris. " * 3).encode("cp1252"))
    text = read_document(path)
    assert "José Núñez" in text and "Société Générale" in text


def test_mojibake_is_repaired(tmp_path: Path) -> None:
    path = tmp_path / "moji.md"
    path.write_text("JosÃ© MÃ¼ller\nSoftware Engineer at CafÃ© Systems", encoding="utf-8")
    assert read_document(path).startswith("José Müller")


def test_docx_with_table(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Jane Doe")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Acme Corp"
    table.rows[0].cells[1].text = "2019 – Present"
    path = tmp_path / "cv.docx"
    document.save(str(path))
    text = read_document(path)
    assert "Jane Doe" in text and "Acme Corp | 2019 – Present" in text


def test_corrupt_docx(tmp_path: Path) -> None:
    path = tmp_path / "bad.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(IngestError, match=r"bad\.docx: unreadable DOCX"):
        read_document(path)


def test_html(tmp_path: Path) -> None:
    path = tmp_path / "cv.html"
    path.write_text(
        "<html><head><style>p{}</style></head><body><h1>Jane Doe</h1><ul><li>Python</li><li>SQL</li>"
        "</ul><script>x()</script></body></html>",
        encoding="utf-8",
    )
    text = read_document(path)
    assert "Jane Doe" in text and "• Python" in text and "x()" not in text


def test_unsupported_suffix(tmp_path: Path) -> None:
    path = tmp_path / "cv.odt"
    path.write_text(RESUME)
    with pytest.raises(IngestError, match="unsupported"):
        read_document(path)


def test_folder_reports_and_counts_bad_files(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(RESUME, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "garbage.txt").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 nonsense")
    report = IngestReport()
    docs = list(iter_resume_folder(tmp_path, report=report))
    assert [d.id for d in docs] == ["good.txt"]
    assert report.read == 1 and report.skipped == 3
    assert any("broken.pdf" in p for p in report.problems)
    assert "skipped 3" in report.summary()
    with pytest.raises(IngestError):
        list(iter_resume_folder(tmp_path, strict=True))


def _kaggle_csv(path: Path) -> Path:
    path.write_text(
        "ID,Resume_str,Resume_html,Category\n"
        f'1,"{RESUME}",,ENGINEERING\n'
        '2,"too many",fields,here,EXTRA\n'
        '3,,"<p>Jane Roe</p><p>Nurse at St. Mary\'s Hospital, Boston</p>",HEALTHCARE\n'
        '4,"",,EMPTY\n',
        encoding="utf-8",
    )
    return path


def test_kaggle_csv_with_malformed_rows(tmp_path: Path) -> None:
    report = IngestReport()
    docs = list(iter_resume_csv(_kaggle_csv(tmp_path / "Resume.csv"), report=report))
    assert [d.id for d in docs] == ["Resume.csv:1", "Resume.csv:3"]
    assert docs[0].category == "ENGINEERING" and "Jane Roe" in docs[1].text  # HTML column as fallback
    assert report.skipped == 2
    # file:line names the physical line where the bad record starts (row 1 spans lines 2-4)
    assert any("Resume.csv:5: malformed CSV row" in p for p in report.problems)
    assert any("Resume.csv:7: empty" in p for p in report.problems)
    assert any("malformed CSV row" in p for p in report.problems)
    with pytest.raises(IngestError, match="malformed CSV row"):
        list(iter_resume_csv(tmp_path / "Resume.csv", strict=True))


def test_csv_named_text_column(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(f'uid,body\nA7,"{RESUME}"\n', encoding="utf-8")
    docs = list(iter_resume_csv(path, text_column="body", id_column="uid"))
    assert docs[0].id == "mine.csv:A7"
    report = IngestReport()
    assert list(iter_resume_csv(path, report=report)) == []  # no known text column: reported, not silent
    assert "no text column" in report.problems[0]


def test_csv_streams_many_rows(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("ID,Resume_str,Category\n")
        for i in range(3000):
            handle.write(f'{i},"Person {i}\nAnalyst at Firm {i}, Skills: Excel",FINANCE\n')
    stream = iter_resume_csv(path)
    first = next(stream)  # a generator: nothing is read ahead into memory
    assert first.id == "big.csv:0"
    assert sum(1 for _ in stream) == 2999


def test_qa_jsonl_malformed_lines(tmp_path: Path) -> None:
    path = tmp_path / "qa.jsonl"
    path.write_text(
        json.dumps({"question": "Why this job?", "answer": "I like data.", "category": "hr"})
        + "\n"
        + "{not json\n"
        + json.dumps(["a", "list"])
        + "\n"
        + json.dumps({"question": "Only a question"})
        + "\n"
        + "\n"
        + json.dumps({"Question": "Tell me about Kafka?", "Answer": "We ran 12 brokers."})
        + "\n",
        encoding="utf-8",
    )
    report = IngestReport()
    pairs = list(iter_qa(path, report=report))
    assert [p.question for p in pairs] == ["Why this job?", "Tell me about Kafka?"]
    assert pairs[0].category == "hr"
    assert report.skipped == 3
    assert any(p.startswith(f"{path}:2:") and "malformed JSONL" in p for p in report.problems)
    assert any(p.startswith(f"{path}:4:") and "answer" in p for p in report.problems)
    with pytest.raises(IngestError, match=":2:"):
        list(iter_qa(path, strict=True))


def test_qa_csv(tmp_path: Path) -> None:
    path = tmp_path / "qa.csv"
    path.write_text(
        'question,answer,category\n"Why us?","Because of the mission.",hr\n"broken row"\n', encoding="utf-8"
    )
    report = IngestReport()
    pairs = list(iter_qa(path, report=report))
    assert len(pairs) == 1 and report.skipped == 1
    assert f"{path}:3" in report.problems[0]


def _pdf_with_ligature_glyphs(path: Path) -> Path:
    """A PDF whose text draws the ligature glyphs /fi, /fl, /ffi by name (as LaTeX and DTP fonts do)."""
    content = (
        r"BT /F1 11 Tf 50 750 Td 14 TL (Built a \002ux pipeline for con\001guration of e\003cient o\003ce work) Tj T* "
    )
    content += r"(Jane Doe, Acme Corp) Tj ET"
    encoding = "<< /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [1 /fi 2 /fl 3 /ffi] >>"
    return make_pdf(path, [], content=content, encoding=encoding)


def test_pdf_ligature_glyphs_come_back_as_letters(tmp_path: Path) -> None:
    text = read_document(_pdf_with_ligature_glyphs(tmp_path / "lig.pdf"))
    assert "flux pipeline for configuration of efficient office work" in text
    assert "\ufb01" not in text and "\ufb02" not in text  # no presentation-form ligatures left
    assert "Jane Doe, Acme Corp" in text


def test_truncated_pdf_is_reported(tmp_path: Path) -> None:
    good = _pdf_with_ligature_glyphs(tmp_path / "good.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(good[: len(good) // 3])
    with pytest.raises(IngestError, match=r"cut\.pdf: (unreadable PDF|PDF has no text layer)"):
        read_document(path)
