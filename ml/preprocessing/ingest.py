"""Read resume files and interview Q&A into plain text, reporting every bad input.

* :func:`read_document` — one file (``.pdf`` text layer, ``.docx`` with tables, ``.html``,
  ``.txt``/``.md`` in any encoding, mojibake repaired) → text, or :class:`IngestError`.
* :func:`iter_resume_folder`, :func:`iter_resume_csv` (Kaggle "Resume Dataset":
  ``ID, Resume_str, Resume_html, Category``, or any CSV with a named text column) and
  :func:`iter_qa` (CSV/JSONL with ``question, answer[, category]``) stream records one at a
  time, so 100k resumes need no more memory than one.
* Bad inputs (encrypted or corrupt PDF, empty file, binary garbage, malformed CSV rows or
  JSONL lines) are reported with file and line, skipped and counted in an
  :class:`IngestReport`; ``strict=True`` raises at the first one instead.
* Memory is bounded: a document file over :data:`MAX_DOCUMENT_BYTES` (or a DOCX that unpacks
  to more than :data:`MAX_DOCX_UNPACKED_BYTES`) and a JSONL line over :data:`MAX_LINE_BYTES`
  are refused with a clear error instead of being read whole. In a UTF-8 CSV or JSONL file,
  stray bytes of another encoding (a row pasted from a cp1252 file) are decoded as cp1252,
  not replaced by U+FFFD.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import logging
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md"}
DOCUMENT_SUFFIXES = TEXT_SUFFIXES | {".pdf", ".docx", ".html", ".htm"}
MIN_TEXT_CHARS = 20
MAX_DOCUMENT_BYTES = 16 * 2**20
"""Largest resume file read (a text resume is ~10 KB, a PDF with photos a few MB)."""
MAX_DOCX_UNPACKED_BYTES = 64 * 2**20
"""Largest total unpacked size of a DOCX archive (a zip bomb is refused before it is inflated)."""
MAX_LINE_BYTES = 8 * 2**20
"""Longest JSONL line parsed; a longer one is skipped (and reported) without being held in memory."""
_NON_LATIN_ENCODINGS = (
    "cp1251",
    "koi8",
    "cp866",
    "cp855",
    "iso8859_5",
    "cp1253",
    "iso8859_7",
    "cp1255",
    "cp1256",
    "iso8859_6",
    "iso8859_8",
    "mac_cyrillic",
    "mac_greek",
    "big5",
    "gb",
    "shift_jis",
    "euc",
    "cp932",
    "cp949",
    "cp950",
    "utf_16",
    "utf_32",
    "tis",
    "cp874",
)


class IngestError(ValueError):
    """A file cannot be read as a resume; the message names the file and why."""


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: bytes that are not UTF-8 are read as cp1252 (latin-1 for its 5 holes)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in bad), error.end


codecs.register_error("griller_cp1252", _cp1252_fallback)


@dataclass
class Document:
    id: str
    text: str
    source: str  # file path, or "file.csv:line"
    category: str | None = None


@dataclass
class QAPair:
    question: str
    answer: str
    category: str | None
    source: str


@dataclass
class IngestReport:
    """What was read and what was skipped (with why). ``problems`` keeps the first 1000 messages."""

    read: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)

    def skip(self, message: str, strict: bool) -> None:
        if strict:
            raise IngestError(message)
        self.skipped += 1
        if len(self.problems) < 1000:
            self.problems.append(message)
        log.warning("skipped: %s", message)

    def summary(self) -> str:
        text = f"read {self.read}, skipped {self.skipped}"
        if self.problems:
            text += ":\n  " + "\n  ".join(self.problems[:20])
            if len(self.problems) > 20:
                text += f"\n  … and {len(self.problems) - 20} more"
        return text

    def merge(self, other: IngestReport) -> None:
        self.read += other.read
        self.skipped += other.skipped
        self.problems += other.problems[: max(0, 1000 - len(self.problems))]


# --- text quality ------------------------------------------------------------------------------


def decode_bytes(data: bytes, name: str = "<bytes>") -> str:
    """Detect the encoding (charset-normalizer), decode, repair mojibake (ftfy); reject binary data."""
    if not data.strip():
        raise IngestError(f"{name}: empty file")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(f"{name}: binary data, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        matches = from_bytes(data)
        best = matches.best()
        if best is None:
            raise IngestError(f"{name}: cannot detect the text encoding (binary data?)") from None
        if best.encoding.startswith("mac_"):
            # Old Mac code pages tie with the Windows ones on short texts (mac_cyrillic vs cp1251 differ in
            # a few letters, "И" among them); the Windows twin is by far the likelier when it is as clean.
            best = next((m for m in matches if not m.encoding.startswith("mac_") and m.chaos <= best.chaos), best)
        text = str(best)
        # Short Western texts are often mistaken for another code page (cp775, cp1257 …): when
        # cp1252 decodes to plain Latin letters and punctuation, it is by far the likelier one.
        try:
            western = data.decode("cp1252")
        except UnicodeDecodeError:
            western = None
        other_script = best.encoding.startswith(_NON_LATIN_ENCODINGS)
        if western is not None and best.encoding != "cp1252" and not other_script:
            latin = sum(ch < "\u0250" or "\u2000" <= ch <= "\u206f" or ch in "€™" for ch in western)
            if latin / len(western) > 0.99:
                text = western
    return fix_text(text)


def fix_text(text: str) -> str:
    import ftfy

    return ftfy.fix_text(text, normalization="NFC")


def _check_text(text: str, name: str) -> str:
    text = text.strip()
    if not text:
        raise IngestError(f"{name}: empty (no text)")
    printable = sum(ch.isprintable() or ch in "\n\t\r" for ch in text[:5000])
    if printable / min(len(text), 5000) < 0.85:
        raise IngestError(f"{name}: binary garbage, not readable text")
    letters = sum(ch.isalpha() for ch in text[:5000])
    if len(text) >= MIN_TEXT_CHARS and letters / min(len(text), 5000) < 0.3:
        raise IngestError(f"{name}: binary garbage, too few letters to be a resume")
    if len(text) < MIN_TEXT_CHARS:
        raise IngestError(f"{name}: too little text ({len(text)} characters)")
    return text


# --- single documents ---------------------------------------------------------------------------


def _read_pdf(path: Path) -> str:
    # PDFium (pypdfium2) for the characters: of pypdf, pypdfium2 and pdfminer.six it lost the fewest ligature and
    # accented words, and Chrome's fuzzed engine refuses hostile files in milliseconds. pdftext (on PDFium) for the
    # reading order: a theme prints a job's bold title after its dates, or a sidebar between two jobs, and
    # PDFium's content-stream order follows the drawing; pdftext's sorted blocks keep a job together in 73% of
    # cases against 53% (bench/pdf_extractors.py; bench/NOTES.md has the tables).
    import pypdfium2 as pdfium
    from pdftext.schema import PdfPasswordError

    from ml.preprocessing.pdf_order import pdf_text

    try:
        text = pdf_text(str(path))
    except PdfPasswordError as error:
        raise IngestError(f"{path}: encrypted PDF (password required)") from error
    except (pdfium.PdfiumError, ValueError, OSError) as error:
        raise IngestError(f"{path}: unreadable PDF ({type(error).__name__}: {error})") from error
    if not text.strip():
        raise IngestError(f"{path}: PDF has no text layer (scanned image? OCR it first)")
    return fix_text(text)


def _read_docx(path: Path) -> str:
    import docx

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise IngestError(f"{path}: unreadable DOCX ({type(error).__name__}: {error})") from error
    if unpacked > MAX_DOCX_UNPACKED_BYTES:
        raise IngestError(
            f"{path}: DOCX unpacks to {unpacked / 2**20:.0f} MiB (limit {MAX_DOCX_UNPACKED_BYTES // 2**20} MiB)"
        )
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise IngestError(f"{path}: unreadable DOCX ({type(error).__name__}: {error})") from error
    except Exception as error:  # python-docx raises its own PackageNotFoundError and friends
        raise IngestError(f"{path}: unreadable DOCX ({type(error).__name__}: {error})") from error
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells: list[str] = []
            for cell in row.cells:  # merged cells repeat: keep each text once per row
                if cell.text.strip() and cell.text not in cells:
                    cells.append(cell.text.strip())
            if cells:
                lines.append(" | ".join(cells))
    return fix_text("\n".join(lines))


def html_to_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "head"]):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for li in soup.find_all("li"):
        li.insert_before("\n• ")
    text = soup.get_text("\n")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if out and out[-1] == "•" and line:
            out[-1] = f"• {line}"
        elif line or (out and out[-1]):
            out.append(line)
    return fix_text("\n".join(out))


def read_document(path: Path) -> str:
    """Plain text of one resume file; :class:`IngestError` names the file and what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise IngestError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix not in DOCUMENT_SUFFIXES:
        raise IngestError(f"{path}: unsupported file type {path.suffix!r} (supported: {sorted(DOCUMENT_SUFFIXES)})")
    size = path.stat().st_size
    if size == 0:
        raise IngestError(f"{path}: empty file")
    if size > MAX_DOCUMENT_BYTES:
        raise IngestError(
            f"{path}: file too large ({size / 2**20:.1f} MiB; limit {MAX_DOCUMENT_BYTES // 2**20} MiB per resume)"
        )
    try:
        if suffix == ".pdf":
            text = _read_pdf(path)
        elif suffix == ".docx":
            text = _read_docx(path)
        elif suffix in (".html", ".htm"):
            text = html_to_text(decode_bytes(path.read_bytes(), str(path)))
        else:
            text = decode_bytes(path.read_bytes(), str(path))
    except OSError as error:  # unreadable (permissions, vanished, I/O error): this file only
        raise IngestError(f"{path}: cannot read ({type(error).__name__}: {error.strerror or error})") from error
    return _check_text(text, str(path))


# --- streams -----------------------------------------------------------------------------------


def resume_folder_paths(folder: Path, recursive: bool = True) -> Iterator[Path]:
    """The files :func:`iter_resume_folder` looks at, in its order (sorted; hidden files left out), unread."""
    folder = Path(folder)
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*") if recursive else folder.iterdir()):
        if path.is_file() and not path.name.startswith("."):
            yield path


def iter_resume_folder(
    folder: Path, report: IngestReport | None = None, strict: bool = False, recursive: bool = True
) -> Iterator[Document]:
    """Every readable resume file under ``folder`` (CSV files inside are read as resume tables)."""
    report = report if report is not None else IngestReport()
    folder = Path(folder)
    for path in resume_folder_paths(folder, recursive):
        suffix = path.suffix.lower()
        if suffix == ".csv":
            yield from iter_resume_csv(path, report=report, strict=strict)
            continue
        if suffix not in DOCUMENT_SUFFIXES:
            report.skip(f"{path}: unsupported file type {path.suffix!r}", strict)
            continue
        try:
            text = read_document(path)
        except IngestError as error:
            report.skip(str(error), strict)
            continue
        report.read += 1
        yield Document(id=str(path.relative_to(folder)), text=text, source=str(path))


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """(line number, row or None, error) — decoding problems of a single row do not stop the file."""
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    raw = path.open("rb")
    with raw:
        head = raw.read(65536)
        encoding = "utf-8"
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.start < len(head) - 4:  # not just a character cut at the buffer's end
                from charset_normalizer import from_bytes

                best = from_bytes(head).best()
                encoding = best.encoding if best else "latin-1"
        raw.seek(0)
        errors = "griller_cp1252" if codecs.lookup(encoding).name == "utf-8" else "replace"
        handle = io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline="")
        reader = csv.reader(handle)
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield line, None, str(error)
                continue
            yield line, row, None


def iter_resume_csv(
    path: Path,
    text_column: str | None = None,
    id_column: str | None = None,
    category_column: str | None = None,
    report: IngestReport | None = None,
    strict: bool = False,
) -> Iterator[Document]:
    """Resumes from a CSV: the Kaggle shape (``Resume_str`` / ``Resume_html``) or a named text column."""
    report = report if report is not None else IngestReport()
    path = Path(path)
    rows = _csv_rows(path)
    header: list[str] | None = None
    for line, row, error in rows:
        if error:
            report.skip(f"{path}:{line}: malformed CSV ({error})", strict)
            continue
        if header is None:
            header = [h.strip().lstrip("\ufeff") for h in row or []]
            lower = [h.lower() for h in header]
            wanted = text_column or next(
                (c for c in ("Resume_str", "resume_text", "text", "resume", "content") if c.lower() in lower), None
            )
            if wanted is None or wanted.lower() not in lower:
                report.skip(f"{path}:1: no text column (have {header}; pass text_column=)", strict)
                return
            text_i = lower.index(wanted.lower())
            html_i = lower.index("resume_html") if "resume_html" in lower else None
            id_i = lower.index((id_column or "id").lower()) if (id_column or "id").lower() in lower else None
            cat_name = (category_column or "category").lower()
            cat_i = lower.index(cat_name) if cat_name in lower else None
            continue
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            report.skip(f"{path}:{line}: malformed CSV row ({len(row)} fields, header has {len(header)})", strict)
            continue
        text = row[text_i].strip()
        if not text and html_i is not None:
            text = html_to_text(row[html_i])
        try:
            text = _check_text(fix_text(text), f"{path}:{line}")
        except IngestError as err:
            report.skip(str(err), strict)
            continue
        report.read += 1
        doc_id = row[id_i].strip() if id_i is not None and row[id_i].strip() else f"{path.stem}-{line}"
        yield Document(
            id=f"{path.name}:{doc_id}",
            text=text,
            source=f"{path}:{line}",
            category=row[cat_i].strip() if cat_i is not None else None,
        )


def _qa_from_mapping(obj: dict, where: str) -> QAPair:
    lower = {str(k).lower(): v for k, v in obj.items()}
    question = lower.get("question") or lower.get("q")
    answer = lower.get("answer") or lower.get("a") or lower.get("response")
    if not isinstance(question, str) or not question.strip():
        raise IngestError(f"{where}: missing 'question'")
    if not isinstance(answer, str) or not answer.strip():
        raise IngestError(f"{where}: missing 'answer'")
    category = lower.get("category") or lower.get("type")
    return QAPair(fix_text(question.strip()), fix_text(answer.strip()), str(category) if category else None, where)


def _bounded_lines(handle: io.BufferedReader) -> Iterator[bytes | None]:
    """Lines of a binary file, each at most :data:`MAX_LINE_BYTES`; ``None`` stands for a longer one (skipped)."""
    while line := handle.readline(MAX_LINE_BYTES + 1):
        if len(line) <= MAX_LINE_BYTES or line.endswith(b"\n"):
            yield line
            continue
        while (rest := handle.readline(2**20)) and not rest.endswith(b"\n"):
            pass  # drain the rest of the over-long line a megabyte at a time
        yield None


def iter_qa(path: Path, report: IngestReport | None = None, strict: bool = False) -> Iterator[QAPair]:
    """Interview Q&A pairs from a ``.jsonl`` or ``.csv`` file (``question``, ``answer``, optional ``category``)."""
    report = report if report is not None else IngestReport()
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".json"):
        with path.open("rb") as handle:
            for number, raw in enumerate(_bounded_lines(handle), start=1):
                where = f"{path}:{number}"
                if raw is None:
                    report.skip(f"{where}: line longer than {MAX_LINE_BYTES // 2**20} MiB, not parsed", strict)
                    continue
                if not raw.strip():
                    continue
                try:
                    obj = json.loads(raw.decode("utf-8", errors="griller_cp1252"))
                    if not isinstance(obj, dict):
                        raise IngestError(f"{where}: expected a JSON object, got {type(obj).__name__}")
                    pair = _qa_from_mapping(obj, where)
                except (UnicodeDecodeError, json.JSONDecodeError) as error:
                    report.skip(f"{where}: malformed JSONL line ({error})", strict)
                    continue
                except RecursionError:
                    report.skip(f"{where}: malformed JSONL line (nested too deeply)", strict)
                    continue
                except IngestError as error:
                    report.skip(str(error), strict)
                    continue
                report.read += 1
                yield pair
    elif suffix == ".csv":
        header: list[str] | None = None
        for line, row, error in _csv_rows(path):
            where = f"{path}:{line}"
            if error:
                report.skip(f"{where}: malformed CSV ({error})", strict)
                continue
            if header is None:
                header = [h.strip().lstrip("\ufeff") for h in row or []]
                continue
            if not row or not any(c.strip() for c in row):
                continue
            if len(row) != len(header):
                report.skip(f"{where}: malformed CSV row ({len(row)} fields, header has {len(header)})", strict)
                continue
            try:
                pair = _qa_from_mapping(dict(zip(header, row, strict=True)), where)
            except IngestError as err:
                report.skip(str(err), strict)
                continue
            report.read += 1
            yield pair
    else:
        report.skip(f"{path}: unsupported Q&A file type {path.suffix!r} (use .jsonl or .csv)", strict)


def iter_qa_folder(folder: Path, report: IngestReport | None = None, strict: bool = False) -> Iterator[QAPair]:
    folder = Path(folder)
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            yield from iter_qa(path, report=report, strict=strict)
