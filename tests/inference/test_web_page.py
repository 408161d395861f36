"""The try-it page of ``griller serve`` (issues 12 and 34), driven in headless Chromium through Selenium.

The real server runs on loopback with the tiny random model: its content is random but
grammar-constrained, so the page is checked against the API's own answer for the same upload.
Where a test needs fixed answers or a parse held in flight, a scripted engine stands in for the model.
The page is checked at a desktop (1366x900) and a phone (390x844) viewport, and axe-core (pinned in
``tests/inference/a11y/``, installed by ``scripts/setup_a11y.sh``) finds no WCAG 2.1 AA violation in
its four states. Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them);
without them, or without axe-core, the browser tests skip with the command to run (under ``CI`` a
skip is a failure: ``tests/ci_no_skips.py``). Screenshots land in ``logs/web/`` (git-ignored).
"""

from __future__ import annotations

import base64
import json
import re
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from ml import tasks
from ml.inference import engine as engine_module
from ml.inference.api import ApiModel, LLMError
from ml.inference.engine import Engine, Generation
from ml.inference.server import WEB_DIR, ServerSettings, compare_service, create_app
from ml.schema import ParsedResume
from tests.ci_no_skips import require
from tests.inference.endless import EndlessEngine
from tests.servers import serve_in_thread

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
INSTALL = "apt-get install -y chromium chromium-driver"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # without these three Chromium hangs on a closed network
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1366,900",
]
DESKTOP = (1366, 900)
PHONE = (390, 844)
SIZES = {"desktop": DESKTOP, "phone": PHONE}
AXE = Path(__file__).resolve().parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "logs" / "web"
KEY = "page-key-123"
MAX_BODY = 20_000
PARSE_TOKENS = 200
"""The tiny model's parse token cap here: enough for the grammar to close a whole object, quick on CPU."""
FULL_LIMITS = dict(engine_module.DEFAULT_MAX_NEW_TOKENS)
FULL_PER_PROMPT_TOKEN = engine_module.PARSE_ANSWER_PER_PROMPT_TOKEN
WAIT_S = 120

RESUME = """Ana Silva
ana.silva@example.com | +351 912 345 678 | Lisbon, Portugal

EXPERIENCE
Data Engineer, Acme Corp, Mar 2021 - Present
- Built the nightly ETL in Python and SQL that feeds the sales dashboards.
Junior Analyst, Globex, Jan 2019 - Feb 2021
- Automated the weekly revenue report.

EDUCATION
BSc Computer Science, University of Lisbon, 2015 - 2019

SKILLS
Python, SQL, Airflow, Docker
"""


# --- servers ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def short_parse() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        limits = {**engine_module.DEFAULT_MAX_NEW_TOKENS, tasks.TaskName.PARSE_RESUME: PARSE_TOKENS}
        patch.setattr(engine_module, "DEFAULT_MAX_NEW_TOKENS", limits)
        patch.setattr(engine_module, "PARSE_ANSWER_PER_PROMPT_TOKEN", 0.0)  # the floor only, not the resume's
        yield


def wordy_tiny_engine(model_dir: Path) -> Engine:
    """The tiny random model, kept from writing blank tokens.

    Left alone it greedily repeats a newline, which ``tasks.one_question`` reduces to an empty
    question; without blank or special tokens it writes random words, so the interview loop has text to show.
    It may not end before its eighth token either: a sample that opened on EOS left the question empty, the
    page hid the answer box as it should, and a test typing into that box failed once in CI.
    """
    engine = Engine.load(model_dir)
    tokenizer = engine.tokenizer
    eos = tokenizer.eos_token_id
    engine.model.generation_config.suppress_tokens = [
        i
        for i in range(len(tokenizer))
        if not tokenizer.decode([i]).strip() or (i in tokenizer.all_special_ids and i != eos)
    ]
    engine.model.generation_config.min_new_tokens = 8
    return engine


@pytest.fixture(scope="module")
def tiny_engine(tiny_model_dir: Path, short_parse: None) -> Engine:
    return wordy_tiny_engine(tiny_model_dir)


@pytest.fixture(scope="module")
def api_url(tiny_model_dir: Path, short_parse: None) -> Iterator[str]:
    """A second tiny model behind its own OpenAI-compatible server: the page's "API model" to compare with."""
    settings = ServerSettings(max_tokens_limit=PARSE_TOKENS)
    with serve_in_thread(create_app(wordy_tiny_engine(tiny_model_dir), settings)) as url:
        yield f"{url}/v1"


@pytest.fixture(scope="module")
def page_url(tiny_engine: Engine, api_url: str) -> Iterator[str]:
    """The server under test: a bearer key, a small body limit, and a compare model configured as the backend does."""
    from backend.app.services.llm_service import LLMService, LLMSettings

    compare = LLMService(LLMSettings(llm_mode="api", api_base_url=api_url, api_model="tiny-api", api_max_retries=0))
    app = create_app(tiny_engine, ServerSettings(api_key=KEY, max_body_bytes=MAX_BODY), compare, "tiny-api")
    with serve_in_thread(app) as url:
        yield url


# --- the browser --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        pytest.skip(f"the page tests need headless Chromium; missing {', '.join(missing)}: run `{INSTALL}` as root")
    webdriver = require("selenium.webdriver", "pip install -e '.[dev]'")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    with tempfile.TemporaryDirectory(prefix="griller-chromium-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)  # nothing is downloaded
        try:
            yield driver
        finally:
            driver.quit()


@pytest.fixture(scope="module")
def axe_script() -> str:
    if not AXE.is_file():
        pytest.skip(f"the accessibility tests need axe-core; {AXE} is missing: run `bash scripts/setup_a11y.sh`")
    return AXE.read_text(encoding="utf-8")


def viewport(driver, size: tuple[int, int]) -> None:
    """Emulate a screen of ``size`` CSS pixels (a phone below 640: mobile viewport rules apply)."""
    width, height = size
    metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 640}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    driver.griller_size = size


def open_page(driver, url: str, key: str | None = KEY, size: tuple[int, int] = DESKTOP) -> None:
    """Load the page at ``size`` with an empty session, then type ``key`` into its key field (when given)."""
    viewport(driver, size)
    driver.get(url)
    driver.execute_script("sessionStorage.clear()")
    driver.get(url)
    wait_for(driver, lambda: badge_text(driver) != "connecting…")
    if key is not None:
        find(driver, "key-input").send_keys(key)


def badge_text(driver) -> str:
    return find(driver, "model-badge").text


def find(driver, testid: str):
    return driver.find_element("css selector", f"[data-testid='{testid}']")


def find_all(driver, testid: str) -> list:
    return driver.find_elements("css selector", f"[data-testid='{testid}']")


def wait_for(driver, condition, timeout: float = WAIT_S):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda _: condition())


def visible_text(driver, testid: str) -> str:
    """The text of a visible element, or "" while it is absent or hidden."""
    elements = [e for e in find_all(driver, testid) if e.is_displayed()]
    return elements[0].text if elements else ""


def wait_for_text(driver, testid: str, timeout: float = WAIT_S) -> str:
    return wait_for(driver, lambda: visible_text(driver, testid), timeout)


def click(driver, testid: str) -> None:
    """Click an element brought to the middle of the screen (where the sticky header cannot cover it)."""
    element = find(driver, testid)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def upload(driver, path: Path) -> None:
    find(driver, "file-input").send_keys(str(path))
    click(driver, "parse-button")


def paste(driver, text: str) -> None:
    """Set the textarea at once (typing tens of kilobytes key by key would take minutes)."""
    driver.execute_script("arguments[0].value = arguments[1]", find(driver, "text-input"), text)
    click(driver, "parse-button")


def screenshot(driver, name: str) -> Path:
    """A full-page PNG under logs/web/, at the emulated viewport's width."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.execute_script("document.activeElement?.blur(); window.scrollTo(0, 0)")  # the sticky header on top
    width, _ = getattr(driver, "griller_size", DESKTOP)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
    )
    path = SCREENSHOTS / f"{name}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


def run_axe(driver, script: str) -> list[dict]:
    """axe-core's WCAG 2.1 A and AA violations on the page as it is now: one dict per rule broken."""
    driver.execute_script(script)  # WebDriver's scripts are not bound by the page's CSP
    driver.set_script_timeout(60)
    return driver.execute_async_script(
        """const [tags, done] = arguments;
        axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
          .then((result) => done(result.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary}`)}))))
          .catch((error) => done([{id: "axe-error", help: String(error), nodes: []}]));""",
        AXE_TAGS,
    )


CONTRAST_JS = r"""
const channels = (css) => (css.match(/[\d.]+/g) || []).map(Number);
const luminance = ([r, g, b]) => {
  const lin = (c) => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
};
const ratio = (a, b) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};
/* The opaque colour behind ``node``: its and its ancestors' backgrounds laid over white. */
const backdrop = (node) => {
  const layers = [];
  for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
    const c = channels(getComputedStyle(n).backgroundColor);
    const alpha = c.length > 3 ? c[3] : 1;
    if (alpha > 0) layers.push([...c.slice(0, 3), alpha]);
    if (alpha >= 1) break;
  }
  return layers.reverse().reduce((under, [r, g, b, a]) =>
    [r * a + under[0] * (1 - a), g * a + under[1] * (1 - a), b * a + under[2] * (1 - a)], [255, 255, 255]);
};
"""


def low_contrast_text(driver) -> list[str]:
    """Every visible, enabled piece of text on the page under 4.5:1 against what is behind it."""
    return driver.execute_script(
        CONTRAST_JS
        + """
        const problems = [];
        for (const node of document.querySelectorAll("body *")) {
          const own = [...node.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim());
          if (!own || !node.getClientRects().length || node.closest("[disabled]")) continue;
          const style = getComputedStyle(node);
          if (style.visibility === "hidden") continue;
          const value = ratio(channels(style.color), backdrop(node));
          if (value < 4.5) problems.push(`${node.textContent.trim().slice(0, 40)}: ${value.toFixed(2)}:1`);
        }
        return problems;"""
    )


def focus_ring(driver, element) -> dict:
    """The focused ``element``'s outline: its style, width and contrast against the background around it."""
    return driver.execute_script(
        CONTRAST_JS
        + """
        const node = arguments[0];
        const style = getComputedStyle(node);
        return {style: style.outlineStyle, width: parseFloat(style.outlineWidth),
                contrast: ratio(channels(style.outlineColor), backdrop(node.parentElement)),
                focused: document.activeElement === node};""",
        element,
    )


def live_region_texts(driver) -> list[str]:
    """What each live region of the page holds now (what a screen reader would announce as it changes)."""
    return driver.execute_script(
        """return [...document.querySelectorAll("[aria-live], [role=status], [role=alert], [role=log], output")]
             .map((node) => `${node.id}: ${node.textContent.trim()}`);"""
    )


def rect(driver, element) -> dict:
    return driver.execute_script("return arguments[0].getBoundingClientRect().toJSON()", element)


def inner_size(driver) -> tuple[int, int]:
    return tuple(driver.execute_script("return [window.innerWidth, window.innerHeight]"))


def shown(value: str | None, placeholder: str) -> str:
    """What the card shows for a value: its text with whitespace collapsed, or the placeholder when empty."""
    return " ".join(value.split()) if value else placeholder


@pytest.fixture()
def resume_file(tmp_path: Path) -> Path:
    path = tmp_path / "ana_silva.txt"
    path.write_text(RESUME, encoding="utf-8")
    return path


def api_parse(url: str, path: Path, key: str | None = KEY) -> dict:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    with path.open("rb") as file:
        response = httpx.post(f"{url}/v1/resume/parse", files={"file": (path.name, file)}, headers=headers, timeout=300)
    response.raise_for_status()
    return response.json()


def assert_card_matches(driver, resume: dict) -> None:
    """The card shows exactly the API's name and first employer."""
    card = find(driver, "card-local")
    name = card.find_element("css selector", "[data-testid='card-name']").text
    assert name == shown(resume["name"], "Name not found")
    companies = card.find_elements("css selector", "[data-testid='experience-company']")
    if resume["experience"]:
        assert companies[0].text == shown(resume["experience"][0]["company"], "Company not given")
    else:
        assert not companies


# --- without a browser --------------------------------------------------------------------------------


def test_page_assets_config_and_compare_routes(tiny_engine: Engine) -> None:
    client = TestClient(create_app(tiny_engine, ServerSettings(api_key=KEY, max_body_bytes=MAX_BODY)))
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/web/app.js").status_code == 200 and client.get("/web/style.css").status_code == 200
    config = client.get("/page/config").json()  # public: the page reads it before it has a key
    assert config == {
        "model": Path(tiny_engine.name).name,
        "fine_tuned": False,
        "auth_required": True,
        "max_body_bytes": MAX_BODY,
        "compare_model": None,
        "typical_parse_seconds": None,  # no parse timed yet
    }
    headers = {"Authorization": f"Bearer {KEY}"}
    assert client.post("/v1/compare/resume/parse", json={"text": "x"}, headers=headers).status_code == 404
    parsed = client.post("/v1/resume/parse", json={"text": RESUME}, headers=headers).json()
    assert client.get("/page/config").json()["typical_parse_seconds"] == round(parsed["seconds"], 1)


def test_the_typical_wait_is_the_reported_parse_time_rounded(
    tiny_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """0.2504 s is reported as 0.25; rounding the unrounded time instead would show 0.3 beside it."""
    real_parse = tiny_engine.parse_resumes

    def parse_in_0_2504_seconds(texts: list[str], cancel: threading.Event | None = None):
        return [(parsed, replace(generation, seconds=0.2504)) for parsed, generation in real_parse(texts, cancel)]

    monkeypatch.setattr(tiny_engine, "parse_resumes", parse_in_0_2504_seconds)
    client = TestClient(create_app(tiny_engine, ServerSettings(api_key=KEY, max_body_bytes=MAX_BODY)))
    parsed = client.post("/v1/resume/parse", json={"text": RESUME}, headers={"Authorization": f"Bearer {KEY}"})
    assert parsed.json()["seconds"] == 0.25
    assert client.get("/page/config").json()["typical_parse_seconds"] == 0.2


def test_compare_is_configured_as_the_backend_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in ("API_BASE_URL", "API_MODEL", "API_KEY"):
        monkeypatch.delenv(name, raising=False)
    assert compare_service(None, None, None) == (None, None)
    monkeypatch.setenv("API_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("API_KEY", "from-env")
    service, name = compare_service(None, "gpt-4o-mini", None)  # an option beside the environment
    assert name == "gpt-4o-mini" and service.settings.api_key == "from-env"
    assert isinstance(service, ApiModel) and service.settings.api_base_url == "http://127.0.0.1:9/v1"


def test_the_page_never_renders_text_as_html() -> None:
    script = (WEB_DIR / "app.js").read_text(encoding="utf-8")
    assert not re.search(r"\.innerHTML\s*=|outerHTML|insertAdjacentHTML|document\.write", script)


# --- in Chromium --------------------------------------------------------------------------------------


def test_upload_shows_the_parsed_card_and_raw_json(browser, page_url: str, resume_file: Path) -> None:
    open_page(browser, page_url, key=None)
    assert find(browser, "key-input").is_displayed()  # the server wants a key: the page asks for it
    upload(browser, resume_file)
    assert "API key" in wait_for_text(browser, "parse-error")

    find(browser, "key-input").send_keys(KEY)
    find(browser, "parse-button").click()
    wait_for(browser, lambda: find_all(browser, "card-local"))
    assert not find(browser, "parse-error").is_displayed()
    expected = api_parse(page_url, resume_file)
    assert_card_matches(browser, expected["resume"])
    assert re.fullmatch(r"Parsed in [\d.]+ s by .+", find(browser, "parse-time").text)

    assert not find(browser, "raw-json").is_displayed()
    find(browser, "raw-toggle").click()
    raw = json.loads(find(browser, "raw-json").text)
    assert raw["resume"] == expected["resume"] and raw["valid"] is True
    screenshot(browser, "parsed")


def test_interview_question_vague_answer_and_follow_up(browser, page_url: str) -> None:
    open_page(browser, page_url)
    paste(browser, RESUME)
    wait_for(browser, lambda: find_all(browser, "card-local"))
    find(browser, "tone-technical").find_element("xpath", "..").click()
    find(browser, "ask-button").click()
    wait_for(browser, lambda: len(find_all(browser, "interviewer-turn")) == 1)
    assert find(browser, "answer-input").is_displayed(), f"no question to answer: {find(browser, 'question').text!r}"
    vague = "<b>We</b> did <img src=x onerror=alert(1)> some stuff with data, it went fine."
    find(browser, "answer-input").send_keys(vague)
    find(browser, "answer-button").click()
    wait_for(browser, lambda: len(find_all(browser, "interviewer-turn")) == 2)
    mine = find(browser, "candidate-turn")
    assert vague in mine.text and not mine.find_elements("css selector", "b, img")  # text, never markup
    assert not find(browser, "interview-error").is_displayed()
    screenshot(browser, "interview")


def test_compare_shows_both_models_side_by_side(browser, page_url: str) -> None:
    open_page(browser, page_url)
    toggle = find(browser, "compare-toggle")
    assert "tiny-api" in toggle.find_element("xpath", "..").text
    toggle.find_element("xpath", "..").click()
    paste(browser, RESUME)
    wait_for(browser, lambda: find_all(browser, "card-local") and find_all(browser, "card-api"))
    assert "API · tiny-api" in find(browser, "card-api").text  # a card, or the API's failure shown in its place
    find(browser, "ask-button").click()
    wait_for(browser, lambda: find_all(browser, "api-question"))
    assert find(browser, "question").is_displayed()
    screenshot(browser, "compare")


def test_errors_are_shown_in_the_page(browser, page_url: str, tmp_path: Path) -> None:
    open_page(browser, page_url)
    find(browser, "parse-button").click()
    assert "paste its text" in wait_for_text(browser, "parse-error")

    paste(browser, "x" * (MAX_BODY + 1000))  # the server's 413
    assert "too large" in wait_for_text(browser, "parse-error")

    corrupt = tmp_path / "resume.pdf"
    corrupt.write_bytes(b"%PDF-1.4 this is not really a PDF")
    upload(browser, corrupt)  # the server's 422, in plain words
    wait_for(browser, lambda: "not a PDF that can be opened" in visible_text(browser, "parse-error"))

    big = tmp_path / "big.txt"
    big.write_text("word " * MAX_BODY, encoding="utf-8")
    upload(browser, big)  # refused before it is sent, with the same message as the server's 413
    wait_for(browser, lambda: "too large" in visible_text(browser, "parse-error"))
    screenshot(browser, "error")


MARKUP = "<img src=x onerror=\"document.title='pwned'\">"
RICH = ParsedResume.model_validate(
    {
        "name": "Ana Silva",
        "email": "ana.silva@example.com",
        "phone": "+351 912 345 678",
        "location": "Lisbon, Portugal",
        "links": ["linkedin.com/in/anasilva"],
        "summary": "Data engineer who turns messy event streams into dashboards people trust.",
        "experience": [
            {
                "company": "Acme Corp",
                "title": "Data Engineer",
                "start_date": "2021-03",
                "end_date": "present",
                "location": "Lisbon",
                "highlights": ["Built the nightly ETL in Python and SQL.", f"Cut dashboard load time 40% {MARKUP}"],
            },
            {"company": "Globex", "title": "Junior Analyst", "start_date": "2019-01", "end_date": "2021-02"},
        ],
        "education": [
            {
                "institution": "University of Lisbon",
                "degree": "BSc",
                "field": "Computer Science",
                "start_date": "2015",
                "end_date": "2019",
            },
        ],
        "skills": ["Python", "SQL", "Airflow", "Docker", "<script>document.title='pwned'</script>"],
        "languages": ["Portuguese", "English"],
    }
)


class ScriptedAPI:
    """A compare model with fixed answers, markup included: what the page does with a full, hostile resume."""

    def parse_resume(self, text: str) -> ParsedResume:
        return RICH

    def interview_question(self, resume: ParsedResume | str, tone: tasks.Tone | str, seed: int | None = None) -> str:
        return f"What did you build at Acme Corp? {MARKUP}"

    def follow_up(self, resume: ParsedResume | str, question: str, answer: str, seed: int | None = None) -> str:
        return "Which numbers did that ETL move?"


def test_a_full_resume_renders_as_readable_text(browser, tiny_engine: Engine) -> None:
    with serve_in_thread(create_app(tiny_engine, compare=ScriptedAPI(), compare_name="scripted-api")) as url:
        open_page(browser, url, key=None)
        find(browser, "compare-toggle").find_element("xpath", "..").click()
        paste(browser, RESUME)
        wait_for(browser, lambda: find_all(browser, "card-api"))
        card = find(browser, "card-api")
        assert card.find_element("css selector", "[data-testid='card-name']").text == "Ana Silva"
        companies = card.find_elements("css selector", "[data-testid='experience-company']")
        assert [c.text for c in companies] == ["Acme Corp", "Globex"]
        assert "Mar 2021 – Present" in card.text and "Jan 2019 – Feb 2021" in card.text
        assert "BSc, Computer Science" in card.text and "Portuguese" in card.text
        assert MARKUP in card.text and "<script>" in card.text  # shown as text ...
        assert not card.find_elements("css selector", "img, script")  # ... never as markup
        find(browser, "ask-button").click()
        wait_for(browser, lambda: find_all(browser, "api-question"))
        assert MARKUP in find(browser, "api-question").text
        assert browser.title != "pwned"
        screenshot(browser, "card")


class FailingAPI(ScriptedAPI):
    def parse_resume(self, text: str) -> ParsedResume:
        raise LLMError("the API returned invalid resume JSON twice (3 errors)")


def test_a_failing_compare_model_is_shown_beside_the_local_card(browser, tiny_engine: Engine) -> None:
    with serve_in_thread(create_app(tiny_engine, compare=FailingAPI(), compare_name="failing-api")) as url:
        open_page(browser, url, key=None)
        find(browser, "compare-toggle").find_element("xpath", "..").click()
        paste(browser, RESUME)
        message = wait_for_text(browser, "api-error")  # the server's 502, in the API's column
        assert "did not answer" in message and "invalid resume JSON twice" in message
        assert find(browser, "card-local").is_displayed()


class HeldEngine(Engine):
    """Parses only once ``release`` is set: holding the model makes a full queue (503) deterministic."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine.model, engine.tokenizer, "held", fine_tuned=False)
        self.started, self.release = threading.Event(), threading.Event()

    def parse_resume(self, text: str, cancel: threading.Event | None = None):
        self.started.set()
        self.release.wait(timeout=60)
        return super().parse_resume(text, cancel)


def test_busy_server_and_lost_connection_are_shown(browser, tiny_engine: Engine) -> None:
    held = HeldEngine(tiny_engine)
    with serve_in_thread(create_app(held, ServerSettings(max_queue=0))) as url:
        open_page(browser, url, key=None)
        request = {"json": {"text": "x"}, "timeout": WAIT_S}
        holder = threading.Thread(target=httpx.post, args=(f"{url}/v1/resume/parse",), kwargs=request)
        holder.start()
        try:
            assert held.started.wait(timeout=30)
            paste(browser, RESUME)
            assert "busy" in wait_for_text(browser, "parse-error")
        finally:
            held.release.set()
            holder.join(timeout=WAIT_S)
    find(browser, "parse-button").click()  # the server is gone now
    wait_for(browser, lambda: "Could not reach the server" in visible_text(browser, "parse-error"))


# --- issue 34: state, words, flow and accessibility --------------------------------------------------

PARSE_SECONDS = 14.0
"""What the scripted engine says each parse took: the page shows the server's typical time as "about 15 s"."""


class ScriptedEngine:
    """The engine's task methods with fixed, instant answers: the card is ``RICH``, a question names the seed it
    was asked with, so the page's behaviour is what is tested. Clearing ``hold`` keeps parses in flight."""

    name = "scripted-model"
    fine_tuned = True
    backend = "scripted"
    grounded = False

    def __init__(self) -> None:
        self.hold, self.parsing = threading.Event(), threading.Event()
        self.hold.set()
        self.seconds = PARSE_SECONDS
        self.parsed: list[str] = []
        self.seeds: list[int | None] = []

    def parse_resumes(self, texts: list[str], cancel: threading.Event) -> list[tuple[ParsedResume, Generation]]:
        self.parsing.set()
        self.hold.wait(timeout=WAIT_S)
        self.parsed.extend(texts)
        return [(RICH, Generation(RICH.model_dump_json(), 50, 50, self.seconds, True)) for _ in texts]

    def interview_questions(self, requests: list[tuple]) -> list[str]:
        self.seeds.extend(request[2] for request in requests)
        return [f"Question {request[2]}: what did you build at Acme Corp?" for request in requests]

    def follow_ups(self, requests: list[tuple]) -> list[str]:
        return ["Which numbers did that ETL move?" for _ in requests]


@dataclass
class Scripted:
    url: str
    engine: ScriptedEngine
    app: object


@pytest.fixture()
def scripted() -> Iterator[Scripted]:
    """A server (no key, no compare) over a fresh :class:`ScriptedEngine`."""
    engine = ScriptedEngine()
    app = create_app(engine)
    try:
        with serve_in_thread(app) as url:
            yield Scripted(url, engine, app)
    finally:
        engine.hold.set()


def by_id(driver, element_id: str):
    return driver.find_element("id", element_id)


def parse_pasted(driver) -> None:
    paste(driver, RESUME)
    wait_for(driver, lambda: find_all(driver, "card-local"))


def ask(driver, turns: int = 1) -> None:
    find(driver, "ask-button").click()
    wait_for(driver, lambda: len(find_all(driver, "interviewer-turn")) == turns)


def answer(driver, text: str, turns: int = 2) -> None:
    find(driver, "answer-input").send_keys(text)
    find(driver, "answer-button").click()
    wait_for(driver, lambda: len(find_all(driver, "interviewer-turn")) == turns)


def background(element) -> tuple[float, ...]:
    return tuple(float(c) for c in re.findall(r"[\d.]+", element.value_of_css_property("background-color"))[:3])


def not_a_pdf(tmp_path: Path) -> Path:
    """A text file named x.pdf: what a person uploads who renamed a file to make the page take it."""
    path = tmp_path / "x.pdf"
    path.write_text("Ana Silva, Data Engineer at Acme Corp since 2021.\n" * 3, encoding="utf-8")
    return path


def test_an_unreadable_upload_is_explained_in_plain_words(tmp_path: Path) -> None:
    client = TestClient(create_app(ScriptedEngine()))
    cases = {
        "x.pdf": (not_a_pdf(tmp_path).read_bytes(), "not a PDF that can be opened"),
        "x.docx": (b"a text file, not a Word document", "not a .docx Word document that can be opened"),
        "empty.txt": (b"", "This file is empty"),
        "binary.txt": (bytes(range(256)) * 4, "does not hold readable text"),
    }
    for name, (data, expected) in cases.items():
        response = client.post("/v1/resume/parse", files={"file": (name, data)})
        message = response.json()["error"]["message"]
        assert response.status_code == 422 and message.startswith("unreadable upload: "), message
        assert expected in message and not re.search(r"Error|PDFium|\(|text layer", message), message


def test_a_queued_parse_whose_client_leaves_never_reaches_the_model() -> None:
    engine = ScriptedEngine()
    engine.hold.clear()
    app = create_app(engine)
    with serve_in_thread(app) as url:
        parse = f"{url}/v1/resume/parse"
        holder = threading.Thread(
            target=httpx.post, args=(parse,), kwargs={"json": {"text": "held"}, "timeout": WAIT_S}
        )
        holder.start()
        assert engine.parsing.wait(timeout=30)

        def leave() -> None:  # the client gives up while its parse is queued behind the held one
            with pytest.raises(httpx.TimeoutException):
                httpx.post(parse, json={"text": "left"}, timeout=3)

        leaver = threading.Thread(target=leave)
        leaver.start()
        deadline = time.monotonic() + 30
        while app.state.gate.waiting != 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert app.state.gate.waiting == 1
        leaver.join(timeout=30)
        while app.state.gate.waiting and time.monotonic() < deadline:
            time.sleep(0.05)
        assert app.state.gate.waiting == 0  # dropped from the queue when its client went
        engine.hold.set()
        holder.join(timeout=WAIT_S)
    assert engine.parsed == ["held"]


def test_a_failed_upload_leaves_no_card_or_interview_of_the_last_resume(browser, scripted, tmp_path: Path) -> None:
    open_page(browser, scripted.url, key=None)
    parse_pasted(browser)
    ask(browser)
    upload(browser, not_a_pdf(tmp_path))
    wait_for_text(browser, "parse-error")
    assert not find_all(browser, "card-local") and not find_all(browser, "interviewer-turn")
    assert not by_id(browser, "interview-panel").is_displayed() and not find(browser, "next-step").is_displayed()


def test_a_hint_about_the_last_attempt_goes_when_the_input_changes(browser, scripted, resume_file: Path) -> None:
    open_page(browser, scripted.url, key=None)
    find(browser, "parse-button").click()
    assert "paste its text" in wait_for_text(browser, "parse-error")
    find(browser, "file-input").send_keys(str(resume_file))
    assert "Selected: ana_silva.txt" in wait_for_text(browser, "file-name")
    assert not find(browser, "parse-error").is_displayed()

    click(browser, "clear-button")
    click(browser, "parse-button")
    wait_for_text(browser, "parse-error")
    find(browser, "text-input").send_keys("Ana")
    assert not find(browser, "parse-error").is_displayed()


def test_clear_empties_the_card_and_the_interview_and_waits_while_a_parse_runs(
    browser, scripted, resume_file: Path
) -> None:
    open_page(browser, scripted.url, key=None)
    upload(browser, resume_file)
    wait_for(browser, lambda: find_all(browser, "card-local"))
    ask(browser)
    click(browser, "clear-button")
    assert not find_all(browser, "card-local") and not find_all(browser, "interviewer-turn")
    assert not by_id(browser, "interview-panel").is_displayed()
    assert find(browser, "file-name").text == "" and find(browser, "text-input").get_attribute("value") == ""

    scripted.engine.hold.clear()
    paste(browser, RESUME)
    wait_for(browser, lambda: find(browser, "cancel-button").is_displayed())
    assert not find(browser, "clear-button").is_enabled()  # Cancel is the way out of a running parse
    scripted.engine.hold.set()
    wait_for(browser, lambda: find_all(browser, "card-local"))
    assert find(browser, "clear-button").is_enabled()


def test_a_file_size_and_a_renamed_file_are_told_in_plain_words(browser, scripted, tmp_path: Path) -> None:
    open_page(browser, scripted.url, key=None)
    tiny = tmp_path / "tiny.txt"
    tiny.write_bytes(b"abc")
    find(browser, "file-input").send_keys(str(tiny))
    assert wait_for_text(browser, "file-name") == "Selected: tiny.txt (3 bytes)"

    upload(browser, not_a_pdf(tmp_path))
    message = wait_for_text(browser, "parse-error")
    assert "not a PDF that can be opened" in message and "paste the text" in message
    assert not re.search(r"unreadable|Error|PDFium|text layer|\(", message), message


def test_ask_another_question_asks_another(browser, scripted) -> None:
    open_page(browser, scripted.url, key=None)
    parse_pasted(browser)
    ask(browser, turns=1)
    assert find(browser, "ask-button").text == "Ask another question"
    ask(browser, turns=2)
    first, second = (bubble.find_element("css selector", "p").text for bubble in find_all(browser, "question"))
    assert first != second
    assert len(set(scripted.engine.seeds)) == 2 and None not in scripted.engine.seeds  # a fresh seed each time


class RepeatingEngine(ScriptedEngine):
    """A model that asks its first question again on the next draw, whatever the seed, then another."""

    def interview_questions(self, requests: list[tuple]) -> list[str]:
        if len(self.seeds) < 2:
            self.seeds.extend(request[2] for request in requests)
            return ["What did you build at Acme Corp?" for _ in requests]
        return super().interview_questions(requests)


def test_a_repeated_question_is_drawn_again(browser) -> None:
    engine = RepeatingEngine()
    with serve_in_thread(create_app(engine)) as url:
        open_page(browser, url, key=None)
        parse_pasted(browser)
        ask(browser, turns=1)
        ask(browser, turns=2)
    first, second = (bubble.find_element("css selector", "p").text for bubble in find_all(browser, "question"))
    assert first == "What did you build at Acme Corp?" and first != second and len(engine.seeds) == 3


def test_every_text_on_the_page_meets_aa_contrast(browser, scripted) -> None:
    for size in SIZES.values():
        open_page(browser, scripted.url, key=None, size=size)
        parse_pasted(browser)
        ask(browser)
        answer(browser, "We built the nightly ETL.")
        find(browser, "raw-toggle").click()
        assert low_contrast_text(browser) == []


def test_fields_are_labelled_and_the_page_has_a_level_one_heading(browser, scripted) -> None:
    open_page(browser, scripted.url, key=None)
    parse_pasted(browser)
    ask(browser)
    labels = browser.execute_script(
        "return ['text-input', 'answer-input', 'file-input']"
        ".map((id) => [...document.getElementById(id).labels].map((label) => label.textContent.trim()).join(' '))"
    )
    assert labels[0] == "or paste the resume's text" and labels[1] == "Your answer" and "choose one" in labels[2]
    headings = [h for h in browser.find_elements("css selector", "h1") if h.is_displayed()]
    assert len(headings) == 1 and "resume-griller" in headings[0].text


def test_the_raw_json_toggle_says_whether_it_is_open(browser, scripted) -> None:
    open_page(browser, scripted.url, key=None)
    parse_pasted(browser)
    toggle, raw = find(browser, "raw-toggle"), find(browser, "raw-json")
    assert toggle.get_attribute("aria-expanded") == "false" and not raw.is_displayed()
    assert toggle.get_attribute("aria-controls") == raw.get_attribute("id")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and raw.is_displayed()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "false" and not raw.is_displayed()


def test_while_a_parse_runs_its_status_is_said_once_and_the_seconds_tick_silently(browser, scripted) -> None:
    open_page(browser, scripted.url, key=None)
    scripted.engine.hold.clear()
    try:
        paste(browser, RESUME)
        wait_for(browser, lambda: visible_text(browser, "parse-elapsed"))
        said, elapsed = live_region_texts(browser), find(browser, "parse-elapsed").text
        time.sleep(2.5)
        assert live_region_texts(browser) == said  # nothing new to announce ...
        assert find(browser, "parse-elapsed").text != elapsed  # ... while the seconds count on screen
        assert find(browser, "parse-status").text.startswith("Parsing your resume.")
    finally:
        scripted.engine.hold.set()
    wait_for(browser, lambda: find_all(browser, "card-local"))


def test_fields_and_buttons_show_a_visible_focus_ring(browser, scripted) -> None:
    from selenium.webdriver.common.keys import Keys

    open_page(browser, scripted.url, key=None)
    field = find(browser, "text-input")
    field.click()
    rings = {"text-input": focus_ring(browser, field)}
    field.send_keys(Keys.TAB)  # the keyboard takes focus to the parse button
    rings["parse-button"] = focus_ring(browser, find(browser, "parse-button"))
    for name, ring in rings.items():
        assert ring["focused"] and ring["style"] not in ("none", "auto") and ring["width"] >= 2, (name, ring)
        assert ring["contrast"] >= 3, (name, ring)


def test_after_a_parse_the_card_is_in_view_with_a_pointer_to_step_2(browser, scripted) -> None:
    open_page(browser, scripted.url, key=None, size=DESKTOP)
    parse_pasted(browser)
    wait_for_text(browser, "next-step")
    _, height = inner_size(browser)
    header = rect(browser, browser.find_element("css selector", "header"))
    hint, card = rect(browser, find(browser, "next-step")), rect(browser, find(browser, "card-local"))
    assert header["bottom"] <= hint["top"] and hint["bottom"] <= height  # in view, not under the sticky header
    assert card["top"] < height - 300  # the card fills the screen below it
    link = find(browser, "next-step-link")
    assert link.get_attribute("href").endswith("#interview-panel") and "step 2" in link.text
    link.click()
    panel, button = rect(browser, by_id(browser, "interview-panel")), rect(browser, find(browser, "ask-button"))
    assert header["bottom"] <= panel["top"] and button["bottom"] <= height  # step 2 and its button on screen
    screenshot(browser, "next-step")


@pytest.mark.parametrize(("seconds", "typical"), [(PARSE_SECONDS, "about 15 s"), (0.01, "1 s")])
def test_a_parse_shows_a_typical_duration_and_cancel_drops_its_queued_work(
    browser, scripted, seconds: float, typical: str
) -> None:
    """A typical time of 0.0 s (a tiny model) is a time too, not the server's first parse."""
    engine, gate = scripted.engine, scripted.app.state.gate
    engine.seconds = seconds
    parse = f"{scripted.url}/v1/resume/parse"
    httpx.post(parse, json={"text": "warm-up"}, timeout=WAIT_S).raise_for_status()  # the server has timed a parse
    engine.hold.clear()
    holder = threading.Thread(target=httpx.post, args=(parse,), kwargs={"json": {"text": "held"}, "timeout": WAIT_S})
    holder.start()
    try:
        open_page(browser, scripted.url, key=None)
        paste(browser, RESUME)
        wait_for(browser, lambda: gate.waiting == 1)  # the page's parse waits behind the held one
        assert f"A parse usually takes {typical} on this server." in find(browser, "parse-status").text
        screenshot(browser, "parsing")
        find(browser, "cancel-button").click()
        wait_for(browser, lambda: find(browser, "parse-status").text == "Parse cancelled.")
        wait_for(browser, lambda: gate.waiting == 0)  # the server dropped it from its queue
        assert not find(browser, "cancel-button").is_displayed() and find(browser, "parse-button").is_enabled()
        assert not find_all(browser, "card-local") and not find(browser, "parse-error").is_displayed()
    finally:
        engine.hold.set()
        holder.join(timeout=WAIT_S)
    assert engine.parsed == ["warm-up", "held"]  # the cancelled parse never reached the model


def test_cancel_stops_the_parse_the_model_is_generating(browser, endless_engine: EndlessEngine) -> None:
    with serve_in_thread(create_app(endless_engine)) as url:
        open_page(browser, url, key=None)
        paste(browser, RESUME)
        assert endless_engine.running.wait(timeout=WAIT_S)
        find(browser, "cancel-button").click()
        wait_for(browser, lambda: find(browser, "parse-status").text == "Parse cancelled.")
        assert endless_engine.cancelled.wait(timeout=endless_engine.would_take / 4)  # the server dropped the work
        assert find(browser, "parse-button").is_enabled() and not find(browser, "parse-error").is_displayed()


def test_on_a_phone_the_header_is_slim_and_the_card_uses_the_width(browser, scripted) -> None:
    open_page(browser, scripted.url, key=None, size=PHONE)
    width, height = inner_size(browser)
    header = browser.find_element("css selector", "header")
    assert header.value_of_css_property("position") != "sticky" and rect(browser, header)["height"] <= 0.08 * height
    parse_pasted(browser)
    column = find(browser, "card-local").find_element("css selector", ".what")
    assert rect(browser, column)["width"] >= 0.8 * width
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width  # never sideways
    screenshot(browser, "phone-card")


def test_the_candidates_answers_look_unlike_the_interviewers_questions(browser, scripted) -> None:
    open_page(browser, scripted.url, key=None)
    parse_pasted(browser)
    ask(browser)
    answer(browser, "We built the nightly ETL in Python and SQL, and it cut the dashboards' load time by 40%. " * 3)
    question = find(browser, "question")
    mine = find(browser, "candidate-turn").find_element("css selector", ".bubble")
    assert sum((a - b) ** 2 for a, b in zip(background(question), background(mine), strict=True)) ** 0.5 >= 100
    thread, asked, said = (rect(browser, e) for e in (find(browser, "thread"), question, mine))
    assert asked["left"] <= thread["left"] + 1 and said["right"] >= thread["right"] - 1  # left, and right
    assert said["left"] >= thread["left"] + 0.1 * thread["width"]  # even a long answer stays on its side
    screenshot(browser, "interview-sides")


@pytest.mark.parametrize("size_name", list(SIZES))
def test_axe_finds_no_wcag_aa_violation_in_any_state(
    browser, axe_script: str, page_url: str, tmp_path: Path, size_name: str
) -> None:
    open_page(browser, page_url, size=SIZES[size_name])
    found: dict[str, list[dict]] = {}

    def check(state: str) -> None:
        found[state] = run_axe(browser, axe_script)
        screenshot(browser, f"{state}-{size_name}")

    check("empty")
    parse_pasted(browser)
    find(browser, "raw-toggle").click()
    check("card")
    ask(browser)
    answer(browser, "We did some stuff with data, it went fine.")
    check("interview")
    upload(browser, not_a_pdf(tmp_path))
    wait_for_text(browser, "parse-error")
    check("error")
    assert found == {state: [] for state in found}, json.dumps(found, indent=1)


# --- the shipped model --------------------------------------------------------------------------------

SHIPPED_ADAPTER = Path(__file__).resolve().parents[2] / "ml" / "models" / "exported" / "resume-griller-lora"
CLEAR_RESUME = """Maria Gonzalez
maria.gonzalez@example.com | (555) 201-7788 | Austin, TX

EXPERIENCE
Software Engineer, Initech, Jun 2020 - Present
- Built REST APIs in Python.

EDUCATION
BSc Computer Science, University of Texas, 2016 - 2020

SKILLS
Python, Django, PostgreSQL
"""


@pytest.mark.slow
def test_the_shipped_adapter_fills_the_card_with_the_right_person(
    browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import torch

    monkeypatch.setattr(engine_module, "DEFAULT_MAX_NEW_TOKENS", FULL_LIMITS)  # undo short_parse, if it ran
    monkeypatch.setattr(engine_module, "PARSE_ANSWER_PER_PROMPT_TOKEN", FULL_PER_PROMPT_TOKEN)
    if not SHIPPED_ADAPTER.is_dir():
        pytest.fail(f"{SHIPPED_ADAPTER} is missing: it is committed with the repository")
    engine = Engine.load(SHIPPED_ADAPTER)
    path = tmp_path / "maria.txt"
    path.write_text(CLEAR_RESUME, encoding="utf-8")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # on 2 shared cores, 2 threads can be 20x slower when another process is busy
    try:
        with serve_in_thread(create_app(engine)) as url:
            open_page(browser, url, key=None)
            assert "fine-tuned" in badge_text(browser)
            upload(browser, path)
            wait_for(browser, lambda: find_all(browser, "card-local"), timeout=600)
            assert find(browser, "card-name").text == "Maria Gonzalez"
            assert find_all(browser, "experience-company")[0].text == "Initech"
            screenshot(browser, "shipped-adapter")
    finally:
        torch.set_num_threads(threads)
