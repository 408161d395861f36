"""The try-it page of ``griller serve`` (issue 12), driven in headless Chromium through Selenium.

The real server runs on loopback with the tiny random model: its content is random but
grammar-constrained, so the page is checked against the API's own answer for the same upload.
Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them); without them the
browser tests fail with the command to run. Screenshots land in ``logs/web/`` (git-ignored).
"""

from __future__ import annotations

import json
import re
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from ml import tasks
from ml.inference import engine as engine_module
from ml.inference.api import ApiModel, LLMError
from ml.inference.engine import Engine
from ml.inference.server import WEB_DIR, ServerSettings, compare_service, create_app
from ml.schema import ParsedResume
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
    "--window-size=1280,1000",
]
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
    question; without blank tokens it writes random words, so the interview loop has text to show.
    """
    engine = Engine.load(model_dir)
    tokenizer = engine.tokenizer
    engine.model.generation_config.suppress_tokens = [
        i for i in range(len(tokenizer)) if not tokenizer.decode([i]).strip()
    ]
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
        pytest.fail(f"the page tests need headless Chromium; missing {', '.join(missing)}: run `{INSTALL}` as root")
    from selenium import webdriver
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


def open_page(driver, url: str, key: str | None = KEY) -> None:
    """Load the page with an empty session, then type ``key`` into its key field (when given)."""
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


def upload(driver, path: Path) -> None:
    find(driver, "file-input").send_keys(str(path))
    find(driver, "parse-button").click()


def paste(driver, text: str) -> None:
    """Set the textarea at once (typing tens of kilobytes key by key would take minutes)."""
    driver.execute_script("arguments[0].value = arguments[1]", find(driver, "text-input"), text)
    find(driver, "parse-button").click()


def screenshot(driver, name: str) -> Path:
    """A full-page PNG under logs/web/: the window is stretched to the page's height for the shot."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.execute_script("document.activeElement?.blur(); window.scrollTo(0, 0)")
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, max(1000, height + 120))
    path = SCREENSHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    driver.set_window_size(1280, 1000)
    return path


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
    }
    headers = {"Authorization": f"Bearer {KEY}"}
    assert client.post("/v1/compare/resume/parse", json={"text": "x"}, headers=headers).status_code == 404


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
    upload(browser, corrupt)  # the server's 422
    wait_for(browser, lambda: "could not read" in visible_text(browser, "parse-error"))
    assert "unreadable upload" in visible_text(browser, "parse-error")

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

    def parse_resume(self, text: str):
        self.started.set()
        self.release.wait(timeout=60)
        return super().parse_resume(text)


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
