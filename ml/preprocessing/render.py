"""Render JSON Resume documents the way real users' files are made, to read them back through ingest.

What users send is a PDF or DOCX made by a resume theme or a word processor, read back through text
extraction. This module makes such files from a JSON Resume document (a dict), so the parser can be
measured and trained on what extraction really gives:

* :func:`render_html` — HTML from a community JSON Resume theme from npm (pinned in
  ``render_themes/package.json``; installed by ``scripts/setup_render.sh``), by calling the theme's
  ``render(resume)`` in ``render_themes/render.mjs``. Themes that link Bootstrap 3 from a CDN get the
  pinned local copy, so nothing needs the network.
* :func:`html_to_pdf` / :func:`render_pdf` — that HTML printed to PDF by headless Chromium.
* :func:`render_docx` — a plain word-processor layout written with python-docx.
* :func:`render_dataset` — many documents × themes into a folder, with the set's SOURCES.tsv and
  NOTICE.tsv copied beside them (derived files keep their licence notices; never commit the PDFs).

Every failure (node, Chromium or a theme missing, a theme that throws, a renderer that hangs) raises
:class:`RenderError` naming the theme and the document; each external call has a timeout.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

THEMES_DIR = Path(__file__).resolve().parent / "render_themes"
THEMES = ("even", "kendall", "macchiato", "stackoverflow", "elegant")
"""The pinned themes: ``kendall`` has a sidebar (contact and skills beside the work history), ``even``
puts section labels in a left column, ``macchiato`` right-aligns dates on the title line,
``stackoverflow`` sets skills in a grid, ``elegant`` uses cards and a timeline."""
UNSEEN_THEMES = ("flat", "onepage", "class", "spartan", "actual")
"""Themes for a check in layouts nothing was fitted to: no training rendering uses them and no grounding rule was
read from their PDFs (``bench/unseen_layouts.py``). ``flat`` sets a job's header on one line with ISO dates and its
skills one a line, ``onepage`` is a dense one-page layout with dates beside the employer, ``class`` wraps titles in
narrow cells, ``spartan`` writes dates in words under the employer, ``actual`` sets points in two columns (it fails
on some projects; the next theme renders those). Not used: ``paper`` prints no school names, ``professional`` does
not render."""
SIDEBAR_THEME = "kendall"
NODE_TIMEOUT_S = 60
CHROMIUM_TIMEOUT_S = 90
_CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Without these, Chromium waits on update and sync services on a closed network; the resolver rule makes
# every remote fetch (web fonts, icon CDNs) fail at once instead of timing out.
_CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-pdf-header-footer",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
)


class RenderError(RuntimeError):
    """A document could not be rendered; the message names the theme (or format), the document and why."""


def find_node() -> str | None:
    return os.environ.get("GRILLER_NODE") or shutil.which("node")


def find_chromium() -> str | None:
    explicit = os.environ.get("GRILLER_CHROMIUM")
    if explicit:
        return explicit
    return next((path for name in _CHROMIUM_NAMES if (path := shutil.which(name))), None)


def installed_themes(themes: tuple[str, ...] = THEMES) -> list[str]:
    """The pinned ``themes`` whose npm package is installed (``scripts/setup_render.sh`` installs them all)."""
    modules = THEMES_DIR / "node_modules"
    return [theme for theme in themes if (modules / f"jsonresume-theme-{theme}" / "package.json").is_file()]


def prepare_for_theme(resume: dict) -> dict:
    """A copy that themes do not choke on; the content is unchanged.

    Real documents break schema rules that some themes rely on: ``even`` throws on a ``countryCode``
    that holds a country name ("Colombia"), so such a value moves to ``region`` (or is dropped when a
    region is there); ``stackoverflow`` throws on a summary written as a list (joined into paragraphs)
    or a phone stored as a number. Work and volunteer entries get both the current and the v0 key of their
    organisation and link, since themes read one or the other.
    """
    resume = _strings_where_due(json.loads(json.dumps(resume)))
    for section in ("work", "volunteer"):
        for entry in resume.get(section) or []:
            if isinstance(entry, dict):
                _both_keys(entry, "name", "company" if section == "work" else "organization")
                _both_keys(entry, "url", "website")
    basics = resume.get("basics")
    location = basics.get("location") if isinstance(basics, dict) else None
    if isinstance(location, dict) and "countryCode" in location:
        code = location.get("countryCode")
        if not (isinstance(code, str) and re.fullmatch(r"[A-Za-z]{2}", code.strip())):
            location.pop("countryCode")
            if code and not location.get("region"):
                location["region"] = str(code)
        else:
            location["countryCode"] = code.strip().upper()
    return resume


def _both_keys(entry: dict, new: str, old: str) -> None:
    """Give an entry the schema's current key and its v0 name alike: themes read one or the other (``macchiato``
    prints ``work[].company``, ``even`` ``work[].name``), and a theme that finds neither leaves the employer out."""
    value = entry.get(new) or entry.get(old)
    if value:
        entry.setdefault(new, value)
        entry.setdefault(old, value)


_STRING_FIELDS = {"summary", "description", "phone", "label", "position", "name", "studyType", "area", "score"}


def _strings_where_due(node: object) -> object:
    """Lists and numbers where the schema has a string become that string (list items as paragraphs)."""
    if isinstance(node, list):
        return [_strings_where_due(item) for item in node]
    if not isinstance(node, dict):
        return node
    fixed = {}
    for key, value in node.items():
        if key in _STRING_FIELDS and isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = "\n\n".join(value)
        elif key in _STRING_FIELDS and isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        fixed[key] = _strings_where_due(value)
    return fixed


def render_html(resume: dict, theme: str, name: str = "document") -> str:
    """HTML of ``resume`` through the JSON Resume theme ``theme`` (one of :data:`THEMES` or any installed one)."""
    where = f"theme {theme!r}, document {name!r}"
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", theme):
        raise RenderError(f"{where}: not a theme name")
    if not (THEMES_DIR / "node_modules" / f"jsonresume-theme-{theme}" / "package.json").is_file():
        known = ", ".join(THEMES)
        hint = "run scripts/setup_render.sh" if theme in THEMES else f"pinned themes: {known}"
        raise RenderError(f"{where}: theme not installed ({hint})")
    node = find_node()
    if node is None:
        raise RenderError(f"{where}: node not found (install Node.js; scripts/setup_render.sh)")
    try:
        result = subprocess.run(
            [node, str(THEMES_DIR / "render.mjs"), theme],
            input=json.dumps(prepare_for_theme(resume), ensure_ascii=False).encode(),
            capture_output=True,
            timeout=NODE_TIMEOUT_S,
            cwd=THEMES_DIR,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise RenderError(f"{where}: theme did not finish in {NODE_TIMEOUT_S} s") from error
    except OSError as error:
        raise RenderError(f"{where}: cannot run node ({error})") from error
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip().splitlines()
        detail = next((line for line in reversed(message) if "Error" in line), message[-1] if message else "")
        raise RenderError(f"{where}: theme failed (exit {result.returncode}: {detail.strip()[:300]})")
    return result.stdout.decode("utf-8")


def html_to_pdf(html: str, out: Path, name: str = "document", theme: str = "html") -> Path:
    """Print ``html`` to the PDF ``out`` with headless Chromium (A4/Letter as the page's CSS says)."""
    where = f"theme {theme!r}, document {name!r}"
    chromium = find_chromium()
    if chromium is None:
        raise RenderError(f"{where}: Chromium not found (apt-get install chromium; scripts/setup_render.sh)")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="griller-render-") as scratch:
        page = Path(scratch) / "resume.html"
        page.write_text(html, encoding="utf-8")
        target = Path(scratch) / "resume.pdf"
        command = [
            chromium,
            *_CHROMIUM_FLAGS,
            f"--user-data-dir={scratch}/profile",
            f"--print-to-pdf={target}",
            page.as_uri(),
        ]
        try:
            # a new session, so that a timeout kills Chromium's helper processes with it
            process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, cwd=scratch
            )
            try:
                _, stderr = process.communicate(timeout=CHROMIUM_TIMEOUT_S)
            except subprocess.TimeoutExpired as error:
                os.killpg(process.pid, 9)
                process.communicate()
                raise RenderError(f"{where}: Chromium did not print in {CHROMIUM_TIMEOUT_S} s") from error
        except OSError as error:
            raise RenderError(f"{where}: cannot run Chromium ({error})") from error
        if process.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
            tail = stderr.decode(errors="replace").strip().splitlines()[-3:]
            raise RenderError(f"{where}: Chromium printed no PDF (exit {process.returncode}: {' / '.join(tail)})")
        shutil.move(str(target), out)
    return out


def render_pdf(resume: dict, theme: str, out: Path, name: str = "document") -> Path:
    """``resume`` through ``theme`` to the PDF ``out``."""
    return html_to_pdf(render_html(resume, theme, name), out, name=name, theme=theme)


# --- DOCX: a plain word-processor layout ------------------------------------------------------------


def _text(value: object) -> str:
    """A field as one line of text: real documents hold lists, numbers and nested objects where text is due."""
    if value is None:
        return ""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        return " ".join(t for t in (_text(v) for v in value) if t)
    if isinstance(value, dict):
        return ", ".join(t for t in (_text(v) for v in value.values()) if t)
    return str(value)


def _lines(value: object) -> list[str]:
    if isinstance(value, list):
        return [t for t in (_text(v) for v in value) if t]
    text = _text(value) if not isinstance(value, str) else value
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _entries(resume: dict, key: str) -> list[dict]:
    section = resume.get(key)
    return [e for e in section if isinstance(e, dict)] if isinstance(section, list) else []


def _dates(entry: dict) -> str:
    start, end = _text(entry.get("startDate")), _text(entry.get("endDate"))
    if start and not end:
        end = "Present"
    return " – ".join(p for p in (start, end) if p)


def render_docx(resume: dict, out: Path, name: str = "document") -> Path:
    """``resume`` as a DOCX in a simple word-processor layout (headings, tab-aligned dates, bullets)."""
    try:
        import docx
        from docx.enum.text import WD_TAB_ALIGNMENT
        from docx.shared import Cm, Pt
    except ImportError as error:  # python-docx is in the [ml] extra
        raise RenderError(f"docx, document {name!r}: python-docx is not installed ({error})") from error
    try:
        document = docx.Document()
        document.styles["Normal"].font.name = "Calibri"
        document.styles["Normal"].font.size = Pt(10.5)
        basics = resume.get("basics") if isinstance(resume.get("basics"), dict) else {}
        document.add_heading(_text(basics.get("name")) or "Resume", level=0)
        if label := _text(basics.get("label")):
            document.add_paragraph(label)
        location = basics.get("location")
        place = (
            ", ".join(t for t in (_text(location.get(k)) for k in ("city", "region", "countryCode")) if t)
            if isinstance(location, dict)
            else _text(location)
        )
        contact = [_text(basics.get(k)) for k in ("email", "phone", "url", "website")] + [place]
        contact += [
            _text(p.get("url") or p.get("username")) for p in basics.get("profiles") or [] if isinstance(p, dict)
        ]
        if line := " · ".join(c for c in contact if c):
            document.add_paragraph(line)
        if summary := _lines(basics.get("summary")):
            document.add_heading("Summary", level=1)
            for line in summary:
                document.add_paragraph(line)

        def job(title: str, subtitle: str, dates: str, highlights: list[str], summary: list[str]) -> None:
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(16), WD_TAB_ALIGNMENT.RIGHT)
            paragraph.add_run(title).bold = True
            if subtitle:
                paragraph.add_run(f", {subtitle}")
            if dates:
                paragraph.add_run(f"\t{dates}")
            for line in summary:
                document.add_paragraph(line)
            for line in highlights:
                document.add_paragraph(line, style="List Bullet")

        for key, heading, org_keys, role_keys in (
            ("work", "Experience", ("name", "company"), ("position",)),
            ("volunteer", "Volunteer", ("organization", "name"), ("position",)),
        ):
            if entries := _entries(resume, key):
                document.add_heading(heading, level=1)
                for entry in entries:
                    org = next((t for k in org_keys if (t := _text(entry.get(k)))), "")
                    role = next((t for k in role_keys if (t := _text(entry.get(k)))), "")
                    title, subtitle = (role, org) if role else (org, "")
                    job(title, subtitle, _dates(entry), _lines(entry.get("highlights")), _lines(entry.get("summary")))
        if entries := _entries(resume, "education"):
            document.add_heading("Education", level=1)
            for entry in entries:
                degree = " in ".join(t for t in (_text(entry.get("studyType")), _text(entry.get("area"))) if t)
                extra = [f"GPA: {score}"] if (score := _text(entry.get("score") or entry.get("gpa"))) else []
                job(_text(entry.get("institution")), degree, _dates(entry), _lines(entry.get("courses")), extra)
        if entries := _entries(resume, "projects"):
            document.add_heading("Projects", level=1)
            for entry in entries:
                keywords = _text(entry.get("keywords"))
                summary = _lines(entry.get("description")) + ([f"Technologies: {keywords}"] if keywords else [])
                job(_text(entry.get("name")), "", _dates(entry), _lines(entry.get("highlights")), summary)
        if entries := _entries(resume, "skills"):
            document.add_heading("Skills", level=1)
            for entry in entries:
                keywords = ", ".join(_lines(entry.get("keywords")))
                label = _text(entry.get("name"))
                document.add_paragraph(f"{label}: {keywords}" if label and keywords else label or keywords)
        for key, heading, fields in (
            ("certificates", "Certifications", ("name", "issuer", "date")),
            ("awards", "Awards", ("title", "awarder", "date")),
            ("languages", "Languages", ("language", "fluency")),
        ):
            if entries := _entries(resume, key):
                document.add_heading(heading, level=1)
                for entry in entries:
                    document.add_paragraph(" — ".join(t for t in (_text(entry.get(k)) for k in fields) if t))
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        document.save(str(out))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise RenderError(f"docx, document {name!r}: {type(error).__name__}: {error}") from error
    return out


# --- many documents ---------------------------------------------------------------------------------


def render_dataset(
    source: Path, out: Path, themes: Iterable[str] = THEMES, ids: Iterable[str] | None = None, docx: bool = True
) -> list[Path]:
    """Render ``source/resumes/ID.json`` through each theme to ``out/ID.THEME.pdf`` (and ``ID.docx``).

    ``source`` is a JSON Resume set such as ``shared/data/jsonresume-dev``; its ``SOURCES.tsv`` and
    ``NOTICE.tsv`` are copied to ``out`` so the derived files keep their origin and licence notices.
    Files already there are kept (delete ``out`` to render again). Raises :class:`RenderError` on the
    first failure.
    """
    source, out = Path(source), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for notice in ("SOURCES.tsv", "NOTICE.tsv"):
        if (source / notice).is_file():
            shutil.copy2(source / notice, out / notice)
    paths = sorted((source / "resumes").glob("*.json"))
    if ids is not None:
        wanted = set(ids)
        paths = [p for p in paths if p.stem in wanted]
    written: list[Path] = []
    for path in paths:
        resume = json.loads(path.read_text(encoding="utf-8"))
        for theme in themes:
            target = out / f"{path.stem}.{theme}.pdf"
            if not target.is_file():
                render_pdf(resume, theme, target, name=path.name)
            written.append(target)
        if docx:
            target = out / f"{path.stem}.docx"
            if not target.is_file():
                render_docx(resume, target, name=path.name)
            written.append(target)
    return written
