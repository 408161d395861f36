"""Real renderings: a real JSON Resume document through a pinned theme and Chromium (or python-docx), read
back through ingest. Node, the themes and Chromium are needed; under CI their absence fails the test."""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

import pytest

from ml.preprocessing import render
from ml.preprocessing.ingest import read_document
from ml.preprocessing.render import RenderError, render_docx, render_pdf

DATASET = Path(__file__).resolve().parents[3] / "shared/data/jsonresume-dev"
if not DATASET.is_dir():
    DATASET = Path("/work/shared/data/jsonresume-dev")


def _need(what: str, present: bool) -> None:
    if present:
        return
    message = f"{what} missing: run scripts/setup_render.sh"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _document(doc_id: str) -> dict:
    path = DATASET / "resumes" / f"{doc_id}.json"
    _need(f"data set {DATASET}", path.is_file())
    return json.loads(path.read_text(encoding="utf-8"))


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_theme_pdf_round_trip_keeps_name_company_and_ligatures(tmp_path: Path) -> None:
    _need("node", render.find_node() is not None)
    _need("Chromium", render.find_chromium() is not None)
    _need("theme kendall", "kendall" in render.installed_themes())
    resume = _document("002")  # Robert R. Brooks; NeuroLeap Corp.; "specification", "identifies" (fi)
    pdf = render_pdf(resume, render.SIDEBAR_THEME, tmp_path / "002.kendall.pdf", name="002.json")
    text = _norm(read_document(pdf))
    assert "Robert R. Brooks".casefold() in text.casefold()  # kendall prints the name in capitals
    assert "NeuroLeap Corp." in text
    assert "specification" in text and "identifies" in text


def test_second_theme_accents_survive(tmp_path: Path) -> None:
    _need("node", render.find_node() is not None)
    _need("Chromium", render.find_chromium() is not None)
    _need("theme even", "even" in render.installed_themes())
    resume = _document("040")  # Spanish: accents; countryCode holds a country name (even throws on it raw)
    text = _norm(read_document(render_pdf(resume, "even", tmp_path / "040.even.pdf", name="040.json")))
    assert "Sergio Manuel Castillo Paredes" in text
    assert "Polygonus" in text and "Medellín" in text


def test_docx_round_trip(tmp_path: Path) -> None:
    resume = _document("040")
    text = _norm(read_document(render_docx(resume, tmp_path / "040.docx", name="040.json")))
    assert "Sergio Manuel Castillo Paredes" in text
    company, title = resume["work"][0]["name"], resume["work"][0]["position"]
    assert f"{title}, {company}" in text
    assert _norm(resume["work"][0]["highlights"][0]) in text


def test_docx_copes_with_lists_and_numbers_where_text_is_due(tmp_path: Path) -> None:
    resume = {
        "basics": {"name": "Ana Souza", "phone": 5551234, "summary": ["Builds data platforms.", "Mentors."]},
        "work": [{"company": "Acme Ltda", "position": "Data Engineer", "startDate": "2020-01"}],
        "skills": [{"name": "Data", "keywords": ["Python", "SQL"]}],
    }
    text = read_document(render_docx(resume, tmp_path / "cv.docx"))
    assert "5551234" in text and "Mentors." in text and "Data Engineer, Acme Ltda" in text
    assert "2020-01 – Present" in text and "Data: Python, SQL" in text


def test_theme_input_is_made_safe_without_changing_content() -> None:
    resume = {"basics": {"name": "X", "phone": 123, "summary": ["a", "b"], "location": {"countryCode": "Colombia"}}}
    safe = render.prepare_for_theme(resume)
    assert safe["basics"]["phone"] == "123" and safe["basics"]["summary"] == "a\n\nb"
    assert safe["basics"]["location"] == {"region": "Colombia"}
    assert resume["basics"]["phone"] == 123  # the caller's document is untouched


def test_unknown_theme_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match=r"theme 'no-such-theme', document 'cv\.json': theme not installed"):
        render_pdf({"basics": {"name": "X"}}, "no-such-theme", tmp_path / "x.pdf", name="cv.json")
    with pytest.raises(RenderError, match="not a theme name"):
        render.render_html({}, "../../etc", name="cv.json")


def test_missing_tools_are_clear_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRILLER_CHROMIUM", str(tmp_path / "no-chromium"))
    with pytest.raises(RenderError, match=r"theme 'html', document 'cv\.json': cannot run Chromium"):
        render.html_to_pdf("<p>x</p>", tmp_path / "x.pdf", name="cv.json")
    if "even" in render.installed_themes():
        monkeypatch.setenv("GRILLER_NODE", str(tmp_path / "no-node"))
        with pytest.raises(RenderError, match=r"theme 'even', document 'cv\.json': cannot run node"):
            render.render_html({"basics": {"name": "X"}}, "even", name="cv.json")


def test_a_hanging_renderer_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hang = tmp_path / "chromium"
    hang.write_text("#!/bin/sh\nsleep 60\n")
    hang.chmod(0o755)
    monkeypatch.setenv("GRILLER_CHROMIUM", str(hang))
    monkeypatch.setattr(render, "CHROMIUM_TIMEOUT_S", 1)
    with pytest.raises(RenderError, match=r"document 'cv\.json': Chromium did not print in 1 s"):
        render.html_to_pdf("<p>x</p>", tmp_path / "x.pdf", name="cv.json")


def test_a_theme_that_reads_the_old_key_still_prints_the_employer(tmp_path: Path) -> None:
    _need("node", render.find_node() is not None)
    _need("theme macchiato", "macchiato" in render.installed_themes())
    resume = _document("011")  # work[].name only; macchiato prints work[].company
    html = render.render_html(resume, "macchiato", "011")
    assert "Stanford NLP Group" in html and "Hitachi America" in html
