"""PDF text extractors on real resume PDFs: which one keeps every character, in reading order, and how fast.

    bash scripts/setup_render.sh                      # pinned JSON Resume themes + Chromium (once)
    python bench/pdf_extractors.py --quick --json logs/bench/pdf_extractors_quick.json
    python bench/pdf_extractors.py --json logs/bench/pdf_extractors.json          # 15 documents, all sources

The PDFs are real documents of ``shared/data/jsonresume-dev`` (people's own companies, titles, highlights,
accents) made the ways users make them (:mod:`ml.preprocessing.render`):

* **theme PDFs**: each pinned JSON Resume theme's HTML printed by headless Chromium (``kendall`` has a
  sidebar beside the work history, ``macchiato`` right-aligned dates, ``stackoverflow`` a skills grid);
* **docx→soffice**: the python-docx word-processor layout converted by LibreOffice (where ``soffice`` is
  installed; ``apt-get install libreoffice-writer-nogui``);
* **latex**: a plain ``article`` resume through ``pdflatex`` with its default fonts (OT1 Computer Modern:
  ligatures, accents built from two glyphs, no ToUnicode map), where ``pdflatex`` is installed.

Extractors: pypdf, pypdfium2 (PDFium, Chrome's PDF engine), pdfminer.six, pdftext (PDFium's characters grouped
into lines and blocks; in drawing order and with its blocks sorted top to bottom), pdftext's lines ordered by
:mod:`ml.preprocessing.pdf_order` (columns, then rows: what the ingest uses), and poppler's ``pdftotext`` where
installed (GPL binary: a reference point, not a candidate). PyMuPDF is AGPL and is not measured.

Measured against the document's own values that the rendering shows (its HTML's text, or the DOCX's):
* **fields**: share of names, companies, titles, institutions, skills found verbatim after NFKC + casefold;
* **highlights**: share of whole highlight sentences found verbatim (whitespace collapsed): an interleaved
  column or a line joined without a space breaks them;
* **lig lost / acc lost**: words with fi/fl/ff (accented letters) shown by the rendering but missing from the
  extracted words, over all such words;
* **jobs intact**: share of jobs whose title, company and highlights come out together, with no other
  job's highlight between them (reading order);
* **ms/page**: extraction time (median over documents, per page).
``speedup`` in the JSON = pypdf ms/page / default extractor's ms/page.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATASET = ROOT.parent / "shared/data/jsonresume-dev"
if not DATASET.is_dir():
    DATASET = Path("/work/shared/data/jsonresume-dev")
DEFAULT_OUT = ROOT / "runs/pdf_extractors"
LIGATURE = re.compile(r"f[fil]")


# --- extractors ------------------------------------------------------------------------------------


def ex_pypdf(path: Path) -> str:
    from pypdf import PdfReader

    return "\n\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def ex_pypdfium2(path: Path) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return "\n\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def ex_pdfminer(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(str(path))


def ex_pdftext(path: Path) -> str:
    from pdftext.extraction import plain_text_output

    return plain_text_output(str(path), sort=True)


def ex_pdftext_lines(path: Path) -> str:
    from ml.preprocessing.pdf_order import pdf_text

    return pdf_text(str(path))


def ex_pdftext_stream(path: Path) -> str:
    from pdftext.extraction import plain_text_output

    return plain_text_output(str(path), sort=False)


def ex_pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, timeout=60
    ).stdout.decode("utf-8")


def ex_ingest(path: Path) -> str:
    from ml.preprocessing.ingest import _read_pdf

    return _read_pdf(path)


EXTRACTORS: dict[str, Callable[[Path], str]] = {
    "pypdf": ex_pypdf,
    "pypdfium2": ex_pypdfium2,
    "pdfminer.six": ex_pdfminer,
    "pdftext (sorted)": ex_pdftext,
    "pdftext": ex_pdftext_stream,
    "pdftext lines, columns": ex_pdftext_lines,
}
if shutil.which("pdftotext"):
    EXTRACTORS["pdftotext (poppler)"] = ex_pdftotext


def page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


# --- the truth -------------------------------------------------------------------------------------


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().replace("\u00ad", "")
    return " ".join(text.split())


def words(text: str) -> set[str]:
    return set(re.findall(r"\w{2,}", norm(text)))


def strip_accents(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _s(value: object) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def truth(resume: dict) -> dict[str, Any]:
    """The document's values: short fields, highlight sentences, jobs (for reading order), all words."""
    basics = resume.get("basics") if isinstance(resume.get("basics"), dict) else {}
    fields = [_s(basics.get("name")), _s(basics.get("label"))]
    jobs = []
    for entry in resume.get("work") or []:
        if not isinstance(entry, dict):
            continue
        company, title = _s(entry.get("name") or entry.get("company")), _s(entry.get("position"))
        highlights = [_s(h) for h in entry.get("highlights") or [] if _s(h)]
        fields += [company, title]
        jobs.append({"anchors": [v for v in (title, company) if v], "highlights": highlights})
    for entry in resume.get("education") or []:
        if isinstance(entry, dict):
            fields += [_s(entry.get("institution")), _s(entry.get("area"))]
    for entry in resume.get("projects") or []:
        if isinstance(entry, dict):
            fields.append(_s(entry.get("name")))
    for entry in resume.get("skills") or []:
        if isinstance(entry, dict):
            fields += [_s(k) for k in entry.get("keywords") or []]
    highlights = [h for job in jobs for h in job["highlights"]]
    texts = [*fields, *highlights, _s(basics.get("summary"))]
    return {
        "fields": [f for f in fields if len(f) >= 2],
        "highlights": highlights,
        "jobs": jobs,
        "words": set().union(*(words(t) for t in texts if t)),
    }


def score(extracted: str, reference: str, facts: dict[str, Any]) -> dict[str, float]:
    """Fidelity of ``extracted`` on the values that ``reference`` (what the rendering shows) contains."""
    got, ref = norm(extracted), norm(reference)
    got_words, ref_words = words(extracted), words(reference)
    fields = [f for f in facts["fields"] if norm(f) in ref]
    highlights = [h for h in facts["highlights"] if norm(h) in ref]
    shown = facts["words"] & ref_words
    lig = [w for w in shown if LIGATURE.search(w)]
    acc = [w for w in shown if w != strip_accents(w)]
    jobs_total = jobs_intact = 0
    positions = {norm(h): got.find(norm(h)) for job in facts["jobs"] for h in job["highlights"]}
    for index, job in enumerate(facts["jobs"]):
        parts = [norm(v) for v in job["anchors"] + job["highlights"] if norm(v) in ref]
        if len(parts) < 2 or not any(norm(h) in ref for h in job["highlights"]):
            continue
        jobs_total += 1
        found = [got.find(p) for p in parts]
        if min(found) < 0:
            continue
        low, high = min(found), max(found)
        others = [
            positions[norm(h)]
            for other, job2 in enumerate(facts["jobs"])
            if other != index
            for h in job2["highlights"]
            if norm(h) not in parts
        ]
        jobs_intact += not any(low < p < high for p in others)
    return {
        "fields": sum(norm(f) in got for f in fields),
        "fields_total": len(fields),
        "highlights": sum(norm(h) in got for h in highlights),
        "highlights_total": len(highlights),
        "words": len(shown & got_words),
        "words_total": len(shown),
        "lig_lost": sum(w not in got_words for w in lig),
        "lig_total": len(lig),
        "acc_lost": sum(w not in got_words for w in acc),
        "acc_total": len(acc),
        "jobs_intact": jobs_intact,
        "jobs_intact_total": jobs_total,
    }


# --- the PDFs --------------------------------------------------------------------------------------


def latin_ids(count: int) -> list[str]:
    """``count`` documents spread over the set, in Latin script (the themes' fonts have no CJK glyphs here)."""
    ids = []
    for path in sorted((DATASET / "resumes").glob("*.json")):
        text = path.read_text(encoding="utf-8")
        if not any(ord(c) > 0x24F and c.isalpha() for c in text):
            ids.append(path.stem)
    step = len(ids) / count
    return [ids[int(i * step)] for i in range(count)]


def _tex(text: str) -> str:
    table = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_"}
    table |= {"{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
    return "".join(table.get(c, c) for c in text)


def render_latex(resume: dict, out: Path) -> Path:
    """A plain LaTeX resume (article, default OT1 fonts) through pdflatex."""
    basics = resume.get("basics") if isinstance(resume.get("basics"), dict) else {}
    lines = [
        r"\documentclass[10pt]{article}",
        r"\usepackage[utf8]{inputenc}",
        r"\usepackage[margin=2cm]{geometry}",
        r"\pagestyle{empty}",
        r"\begin{document}",
        r"{\LARGE " + _tex(_s(basics.get("name"))) + r"}\\",
        _tex(_s(basics.get("label"))) + r"\\",
        _tex(_s(basics.get("summary"))),
        r"\section*{Experience}",
    ]
    for entry in resume.get("work") or []:
        if not isinstance(entry, dict):
            continue
        company, title = _s(entry.get("name") or entry.get("company")), _s(entry.get("position"))
        dates = " -- ".join(d for d in (_s(entry.get("startDate")), _s(entry.get("endDate")) or "Present") if d)
        lines.append(r"\noindent\textbf{" + _tex(title) + "}, " + _tex(company) + r" \hfill " + _tex(dates))
        highlights = [_s(h) for h in entry.get("highlights") or [] if _s(h)]
        if highlights:
            lines += [r"\begin{itemize}", *(r"\item " + _tex(h) for h in highlights), r"\end{itemize}"]
        else:
            lines.append(r"\par")
    lines.append(r"\section*{Education}")
    for entry in resume.get("education") or []:
        if isinstance(entry, dict):
            lines.append(_tex(", ".join(_s(entry.get(k)) for k in ("institution", "studyType", "area"))) + r"\par")
    skills = [_s(k) for e in resume.get("skills") or [] if isinstance(e, dict) for k in e.get("keywords") or []]
    lines += [r"\section*{Skills}", _tex(", ".join(s for s in skills if s)), r"\end{document}"]
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "cv.tex").write_text("\n".join(lines), encoding="utf-8")
        subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "cv.tex"],
            cwd=scratch,
            capture_output=True,
            timeout=120,
            check=True,
        )
        shutil.copy(Path(scratch) / "cv.pdf", out)
        return out


def latex_reference(resume: dict) -> str:
    """What the LaTeX resume shows (the same fields, plain)."""
    return json.dumps(resume, ensure_ascii=False).replace("\\n", " ")


def build_corpus(ids: list[str], themes: list[str], out: Path, others: bool) -> list[dict[str, Any]]:
    """Render (or reuse) every PDF; each item: path, source kind, reference text, the document's facts."""
    from ml.preprocessing.ingest import html_to_text, read_document
    from ml.preprocessing.render import RenderError, html_to_pdf, render_docx, render_html

    out.mkdir(parents=True, exist_ok=True)
    for notice in ("SOURCES.tsv", "NOTICE.tsv"):  # derived files keep their origin and licence notices
        shutil.copy2(DATASET / notice, out / notice)
    corpus = []
    for doc_id in ids:
        resume = json.loads((DATASET / "resumes" / f"{doc_id}.json").read_text(encoding="utf-8"))
        facts = truth(resume)
        for theme in themes:
            pdf, html_path = out / f"{doc_id}.{theme}.pdf", out / f"{doc_id}.{theme}.html"
            if not pdf.is_file():
                try:
                    html = render_html(resume, theme, name=f"{doc_id}.json")
                except RenderError as error:  # a theme that throws on this document: counted, not fatal
                    print(f"skipped: {error}")
                    continue
                html_path.write_text(html, encoding="utf-8")
                html_to_pdf(html, pdf, name=f"{doc_id}.json", theme=theme)
            reference = html_to_text(html_path.read_text(encoding="utf-8"))
            corpus.append({"id": doc_id, "source": theme, "path": pdf, "reference": reference, "facts": facts})
        if not others:
            continue
        docx = out / f"{doc_id}.docx"
        if not docx.is_file():
            render_docx(resume, docx, name=f"{doc_id}.json")
        if shutil.which("soffice"):
            pdf = out / f"{doc_id}.soffice.pdf"
            if not pdf.is_file():
                with tempfile.TemporaryDirectory() as scratch:
                    subprocess.run(
                        [
                            "soffice",
                            f"-env:UserInstallation=file://{scratch}/profile",
                            "--headless",
                            "--norestore",
                            "--convert-to",
                            "pdf",
                            "--outdir",
                            scratch,
                            str(docx),
                        ],
                        capture_output=True,
                        timeout=180,
                        check=True,
                    )
                    shutil.copy(Path(scratch) / f"{doc_id}.pdf", pdf)
            item = {"id": doc_id, "source": "docx→soffice", "path": pdf, "reference": read_document(docx)}
            corpus.append(item | {"facts": facts})
        if shutil.which("pdflatex"):
            pdf = out / f"{doc_id}.latex.pdf"
            if not pdf.is_file():
                try:
                    render_latex(resume, pdf)
                except subprocess.CalledProcessError:  # a character inputenc does not know (emoji, CJK …)
                    print(f"skipped: latex, document {doc_id}.json: pdflatex failed")
                    continue
            item = {"id": doc_id, "source": "latex", "path": pdf, "reference": latex_reference(resume)}
            corpus.append(item | {"facts": facts})
    return corpus


# --- the run ---------------------------------------------------------------------------------------


def measure(corpus: list[dict[str, Any]], extractors: dict[str, Callable[[Path], str]]) -> dict[str, Any]:
    for extract in extractors.values():  # imports and first-call set-up out of the timings
        extract(corpus[0]["path"])
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in extractors}
    for item in corpus:
        pages = page_count(item["path"])
        for name, extract in extractors.items():  # extractors alternate per file: noise hits all alike
            start = time.perf_counter()
            text = extract(item["path"])
            elapsed = time.perf_counter() - start
            row = score(text, item["reference"], item["facts"])
            rows[name].append(row | {"id": item["id"], "source": item["source"], "ms_per_page": 1000 * elapsed / pages})
    return rows


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def share(key: str) -> float | None:
        total = sum(r[f"{key}_total"] for r in rows)
        return sum(r[key] for r in rows) / total if total else None

    return {
        "files": len(rows),
        "fields": share("fields"),
        "highlights": share("highlights"),
        "words": share("words"),
        "lig_lost": sum(r["lig_lost"] for r in rows),
        "lig_total": sum(r["lig_total"] for r in rows),
        "acc_lost": sum(r["acc_lost"] for r in rows),
        "acc_total": sum(r["acc_total"] for r in rows),
        "jobs_intact": share("jobs_intact"),
        "ms_per_page": statistics.median(r["ms_per_page"] for r in rows),
    }


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def table(summary: dict[str, dict[str, Any]], title: str) -> str:
    head = f"{title}\n| extractor | files | fields | highlights | words | lig lost | acc lost | jobs intact | ms/page |"
    lines = [head, "|---|---|---|---|---|---|---|---|---|"]
    for name, s in summary.items():
        lines.append(
            f"| {name} | {s['files']} | {_pct(s['fields'])} | {_pct(s['highlights'])} | {_pct(s['words'])} "
            f"| {s['lig_lost']}/{s['lig_total']} | {s['acc_lost']}/{s['acc_total']} | {_pct(s['jobs_intact'])} "
            f"| {s['ms_per_page']:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="4 documents, 2 themes, no soffice/LaTeX")
    parser.add_argument("-n", "--documents", type=int, default=15)
    parser.add_argument("--themes", default=None, help="comma-separated (default: every pinned theme)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="rendered PDFs (reused when present)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    from ml.preprocessing.render import THEMES, installed_themes

    themes = args.themes.split(",") if args.themes else list(THEMES)
    count = args.documents
    if args.quick:
        themes, count = ["kendall", "macchiato"], 4
    missing = [t for t in themes if t not in installed_themes()]
    if missing:
        sys.exit(f"themes not installed: {missing}; run scripts/setup_render.sh")
    extractors = dict(EXTRACTORS) | {"ingest._read_pdf (default)": ex_ingest}
    ids = latin_ids(count)
    start = time.perf_counter()
    corpus = build_corpus(ids, themes, args.out, others=not args.quick)
    print(f"{len(corpus)} PDFs of {len(ids)} documents ready in {time.perf_counter() - start:.0f} s ({args.out})")
    rows = measure(corpus, extractors)
    overall = {name: summarise(r) for name, r in rows.items()}
    print(table(overall, "\nall PDFs"))
    by_source: dict[str, dict[str, Any]] = {}
    for source in dict.fromkeys(item["source"] for item in corpus):
        by_source[source] = {name: summarise([r for r in rs if r["source"] == source]) for name, rs in rows.items()}
        print(table(by_source[source], f"\n{source}"))
    baseline, default = overall["pypdf"]["ms_per_page"], overall["ingest._read_pdf (default)"]["ms_per_page"]
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "documents": ids,
            "themes": themes,
            "overall": overall,
            "by_source": by_source,
            "rows": rows,
            "speedup": baseline / default if default else None,
        }
        args.json.write_text(json.dumps(payload, indent=1, ensure_ascii=False))
        print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()
