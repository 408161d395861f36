// The try-it page of `griller serve`: parse a resume, then an interview loop, optionally beside an API model.
// Every piece of model output is put on the page with textContent (never innerHTML), so markup in a
// resume or in a generation shows as text and cannot run.
"use strict";

const KEY_STORAGE = "griller-api-key";
const state = { config: null, resume: null, question: null, asked: [], busy: false, cancel: null };
const $ = (id) => document.getElementById(id);

/** An element with text content, classes and data attributes; children are appended as given. */
function el(tag, { cls, text, testid, title } = {}, ...children) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (testid) node.dataset.testid = testid;
  if (title) node.title = title;
  for (const child of children) if (child) node.append(child);
  return node;
}

// --- talking to the server ----------------------------------------------------------------------------

class ApiFailure extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** The person pressed Cancel: not a failure, nothing to explain. */
class Cancelled extends Error {}

function sizeLabel(bytes) {
  if (bytes < 1024) return bytes === 1 ? "1 byte" : `${bytes} bytes`;
  return bytes < 2 ** 20 ? `${Math.round(bytes / 1024)} KB` : `${(bytes / 2 ** 20).toFixed(1)} MB`;
}

/** A duration a person reads at a glance: "8 s", "about 40 s", "about 2 min". */
function roughDuration(value) {
  if (value < 10) return `${Math.max(1, Math.round(value))} s`;
  return value < 90 ? `about ${Math.round(value / 5) * 5} s` : `about ${Math.round(value / 60)} min`;
}

/** A fresh sampling seed: each question asked is another sample, so "ask another" asks another. */
function newSeed() {
  return crypto.getRandomValues(new Uint32Array(1))[0] >>> 1;
}

const UNREADABLE = "unreadable upload: ";

/** A sentence a person can act on, for each way a request fails. */
function describeFailure(status, message) {
  const detail = message ? ` (${message})` : "";
  switch (status) {
    case 401:
      return "This server needs an API key: enter it in the “API key” field at the top, then try again.";
    case 413:
      return `That is too large for this server: the limit is ${sizeLabel(state.config?.max_body_bytes ?? 0)}.` +
        " Try a smaller file or a shorter text.";
    case 422:  // an upload's problem comes in plain words after the API's "unreadable upload: "
      return message?.startsWith(UNREADABLE) ? message.slice(UNREADABLE.length) : `The server could not read that${detail}.`;
    case 502:
      return `The comparison model did not answer${detail}.`;
    case 503:
      return "The server is busy with other requests. Wait a moment and try again.";
    default:
      return status >= 500
        ? `The server hit an error (HTTP ${status}). Try again; if it keeps failing, check the server's log.`
        : `The request failed (HTTP ${status})${detail}.`;
  }
}

function authHeaders() {
  const key = sessionStorage.getItem(KEY_STORAGE);
  return key ? { Authorization: `Bearer ${key}` } : {};
}

/** POST to the API; resolves to the JSON answer, rejects with an ApiFailure that carries a readable message,
 * or with Cancelled once ``signal`` aborts (the server drops the request's work when its client goes). */
async function post(path, body, signal) {
  const isForm = body instanceof FormData;
  const headers = { ...authHeaders(), ...(isForm ? {} : { "Content-Type": "application/json" }) };
  let response;
  try {
    response = await fetch(path, { method: "POST", headers, body: isForm ? body : JSON.stringify(body), signal });
  } catch {
    if (signal?.aborted) throw new Cancelled();
    throw new ApiFailure(0, "Could not reach the server. Check that `griller serve` is still running, then try again.");
  }
  const data = await response.json().catch(() => null);
  if (signal?.aborted) throw new Cancelled();
  if (!response.ok) {
    if (response.status === 401) revealKeyField();
    throw new ApiFailure(response.status, describeFailure(response.status, data?.error?.message));
  }
  if (data === null) throw new ApiFailure(response.status, "The server sent an answer this page cannot read.");
  return data;
}

/** The local endpoint and, when compare is on, the same request to the compare model, in parallel.
 * ``other`` never rejects: it settles to null (compare off), {answer} or {error}. */
function postBoth(path, body, signal) {
  const local = post(`/v1${path}`, body, signal);
  const other = comparing()
    ? post(`/v1/compare${path}`, body, signal).then((answer) => ({ answer }), (error) => ({ error }))
    : Promise.resolve(null);
  return { local, other };
}

// --- small pieces of UI -------------------------------------------------------------------------------

function showError(id, message) {
  const box = $(id);
  box.textContent = message;
  box.hidden = !message;
}

function comparing() {
  return Boolean(state.config?.compare_model) && $("compare-input").checked;
}

function revealKeyField() {
  $("key-field").hidden = false;
  $("key-input").focus();
}

/** Set the status line of ``scope`` ("parse" or "interview"): a polite live region, so say each thing once. */
function say(scope, message) {
  $(`${scope}-status`).textContent = message;
}

/** While ``work`` runs: the page's buttons disabled (Clear too), ``announcement`` said once, and a spinner with
 * the seconds ticking beside it, hidden from screen readers (a counter read aloud every second is noise). */
async function busy(scope, announcement, work) {
  const [progress, elapsed] = [$(`${scope}-progress`), $(`${scope}-elapsed`)];
  const started = performance.now();
  const tick = () => { elapsed.textContent = `${Math.round((performance.now() - started) / 1000)} s`; };
  tick();
  progress.hidden = false;
  say(scope, announcement);
  const timer = setInterval(tick, 1000);
  setBusy(true);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    progress.hidden = true;
    setBusy(false);
  }
}

function setBusy(on) {
  state.busy = on;
  document.querySelectorAll("button.primary, #clear-button").forEach((button) => { button.disabled = on; });
}

function seconds(value) {
  return `${Number(value).toFixed(value < 10 ? 2 : 1)} s`;
}

// --- the parsed resume card ---------------------------------------------------------------------------

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function formatDate(value) {
  if (!value) return null;
  if (value === "present") return "Present";
  const match = /^(\d{4})-(\d{2})$/.exec(value);
  return match && MONTHS[Number(match[2]) - 1] ? `${MONTHS[Number(match[2]) - 1]} ${match[1]}` : value;
}

function dateRange(start, end) {
  const [from, to] = [formatDate(start), formatDate(end)];
  if (from && to) return `${from} – ${to}`;
  return from ? `${from} –` : to ?? "";
}

function section(title, ...content) {
  return el("section", { cls: "card-section" }, el("h4", { text: title }), ...content);
}

function chips(items, testid) {
  const list = el("ul", { cls: "chips", testid });
  for (const item of items) list.append(el("li", { text: item }));
  return list;
}

function experienceTimeline(entries) {
  const list = el("ol", { cls: "timeline", testid: "experience" });
  for (const job of entries) {
    const highlights = el("ul", { cls: "highlights" });
    for (const line of job.highlights ?? []) highlights.append(el("li", { text: line }));
    list.append(el("li", {},
      el("div", { cls: "when", text: dateRange(job.start_date, job.end_date) }),
      el("div", { cls: "what" },
        el("div", { cls: "role" },
          el("span", { cls: "title", text: job.title || "Title not given", testid: "experience-title" }),
          el("span", { cls: "at", text: " at " }),
          el("span", { cls: "company", text: job.company || "Company not given", testid: "experience-company" })),
        job.location ? el("div", { cls: "where", text: job.location }) : null,
        highlights.childElementCount ? highlights : null)));
  }
  return list;
}

function educationList(entries) {
  const list = el("ol", { cls: "timeline", testid: "education" });
  for (const school of entries) {
    const degree = [school.degree, school.field].filter(Boolean).join(", ");
    list.append(el("li", {},
      el("div", { cls: "when", text: dateRange(school.start_date, school.end_date) }),
      el("div", { cls: "what" },
        el("div", { cls: "role" }, el("span", { cls: "title", text: school.institution || "Institution not given" })),
        degree ? el("div", { cls: "where", text: degree }) : null,
        school.gpa ? el("div", { cls: "where", text: `GPA ${school.gpa}` }) : null)));
  }
  return list;
}

function projectList(entries) {
  const list = el("ul", { cls: "projects" });
  for (const project of entries) {
    list.append(el("li", {},
      el("span", { cls: "title", text: project.name || "Untitled project" }),
      project.description ? el("p", { text: project.description }) : null,
      project.technologies?.length ? chips(project.technologies) : null));
  }
  return list;
}

function cardHead(resume) {
  const contact = [resume.email, resume.phone, resume.location].filter(Boolean);
  return el("header", { cls: "card-head" },
    el("h3", { cls: resume.name ? "name" : "name missing", text: resume.name || "Name not found", testid: "card-name" }),
    contact.length ? el("p", { cls: "contact", text: contact.join("  ·  "), testid: "card-contact" }) : null,
    resume.links?.length ? el("p", { cls: "contact links", text: resume.links.join("  ·  ") }) : null);
}

function resumeBody(resume) {
  const parts = [cardHead(resume)];
  if (resume.summary) parts.push(el("p", { cls: "summary", text: resume.summary }));
  if (resume.experience?.length) parts.push(section("Experience", experienceTimeline(resume.experience)));
  if (resume.education?.length) parts.push(section("Education", educationList(resume.education)));
  if (resume.projects?.length) parts.push(section("Projects", projectList(resume.projects)));
  if (resume.skills?.length) parts.push(section("Skills", chips(resume.skills, "skills")));
  if (resume.certifications?.length) parts.push(section("Certifications", chips(resume.certifications)));
  if (resume.languages?.length) parts.push(section("Languages", chips(resume.languages)));
  if (parts.length === 1) parts.push(el("p", { cls: "empty-card", text: "No experience, education or skills found." }));
  return parts;
}

function rawJsonToggle(answer, side) {
  const raw = el("pre", { cls: "raw", text: JSON.stringify(answer, null, 2), testid: "raw-json" });
  raw.hidden = true;
  raw.id = `raw-json-${side}`;
  raw.tabIndex = 0;  // it scrolls: keyboard users can reach it
  const button = el("button", { cls: "link-button", text: "Show raw JSON", testid: "raw-toggle" });
  button.type = "button";
  button.setAttribute("aria-controls", raw.id);
  button.setAttribute("aria-expanded", "false");
  button.addEventListener("click", () => {
    raw.hidden = !raw.hidden;
    button.setAttribute("aria-expanded", String(!raw.hidden));
    button.textContent = raw.hidden ? "Show raw JSON" : "Hide raw JSON";
  });
  return [button, raw];
}

/** The card for one parse answer ({resume, valid, raw, truncated, seconds, model}). */
function resumeCard(answer, side) {
  const card = el("article", { cls: "card", testid: `card-${side}` });
  if (comparing()) card.append(el("div", { cls: `side-label ${side}`, text: sideLabel(side, answer.model) }));
  if (answer.resume) {
    card.append(...resumeBody(answer.resume));
  } else {
    card.append(el("p", { cls: "notice", text: "The model's output was not valid resume JSON. Its raw text is below." }));
  }
  if (answer.truncated) {
    card.append(el("p", { cls: "notice", text: "This resume was longer than the model's context: its end was cut." }));
  }
  const [button, raw] = rawJsonToggle(answer, side);
  const meta = el("span", { text: `Parsed in ${seconds(answer.seconds)} by ${answer.model}`, testid: "parse-time" });
  card.append(el("footer", { cls: "card-meta" }, meta, button), raw);
  return card;
}

function failureCard(error, side) {
  return el("article", { cls: "card failed", testid: `card-${side}` },
    el("div", { cls: `side-label ${side}`, text: sideLabel(side, state.config.compare_model) }),
    el("p", { cls: "alert inline", text: error.message, testid: `${side}-error` }));
}

function sideLabel(side, model) {
  return side === "local" ? `Local · ${model}` : `API · ${model}`;
}

// --- step 1: parse ------------------------------------------------------------------------------------

function selectedFile() {
  return $("file-input").files[0] ?? null;
}

/** The request body for the parse endpoints, or an error message when there is nothing to send. */
function parseBody() {
  if (!state.config) return { error: "The page is not connected to the server: reload it." };
  const file = selectedFile();
  if (file) {
    if (file.size > state.config.max_body_bytes) return { error: describeFailure(413) };
    const form = new FormData();
    form.append("file", file, file.name);
    return { body: form, text: null };
  }
  const text = $("text-input").value.trim();
  return text ? { body: { text }, text } : { error: "Choose a resume file or paste its text first." };
}

/** What the status line says while a parse runs: how long one takes on this machine, when the server knows. */
function parseAnnouncement() {
  const typical = state.config?.typical_parse_seconds;
  return typical != null  // 0 is a time too: a tiny model's parse rounds to 0.0 s
    ? `Parsing your resume. A parse usually takes ${roughDuration(typical)} on this server.`
    : "Parsing your resume. This is the server's first parse, so it has no typical time to show yet.";
}

async function parseResume(event) {
  event.preventDefault();
  if (state.busy) return;
  resetResults();  // whatever happens next, the old card and interview no longer belong to what is in the form
  say("parse", "");
  showError("parse-error", "");
  const { body, text, error } = parseBody();
  if (error) return showError("parse-error", error);
  const controller = new AbortController();
  state.cancel = () => controller.abort();
  $("cancel-button").hidden = false;
  $("cancel-button").focus();
  const { local, other } = postBoth("/resume/parse", body, controller.signal);
  await busy("parse", parseAnnouncement(), async () => {
    try {
      const answer = await local;
      const cards = [resumeCard(answer, "local")];
      const compared = await other;
      if (compared) cards.push(compared.error ? failureCard(compared.error, "api") : resumeCard(compared.answer, "api"));
      $("parse-results").replaceChildren(...cards);
      $("parse-results").classList.toggle("compare", cards.length > 1);
      say("parse", `Parsed in ${seconds(answer.seconds)}.`);
      startInterview(answer.resume, text);
    } catch (failure) {
      if (failure instanceof Cancelled) {
        say("parse", "Parse cancelled.");
      } else {
        say("parse", "");
        showError("parse-error", failure.message);
      }
    }
  });
  state.cancel = null;
  const cancelHadFocus = document.activeElement === $("cancel-button");
  $("cancel-button").hidden = true;
  if (!$("next-step").hidden) showNextStep();
  else if (cancelHadFocus) $("parse-button").focus();
  refreshConfig();
}

/** Bring the parsed card into view, with the line above it that points to step 2. */
function showNextStep() {
  const next = $("next-step");
  next.scrollIntoView({ block: "start" });
  next.focus({ preventScroll: true });
}

function cancelParse() {
  state.cancel?.();
}

/** Empty the card and the interview: they described an earlier resume. */
function resetResults() {
  $("parse-results").replaceChildren();
  $("parse-results").classList.remove("compare");
  $("next-step").hidden = true;
  state.resume = null;
  state.question = null;
  state.asked = [];
  $("thread").replaceChildren();
  $("answer-form").hidden = true;
  $("answer-input").value = "";
  $("ask-button").textContent = "Ask me a question";
  say("interview", "");
  showError("interview-error", "");
  $("interview-panel").hidden = true;
}

function clearResume() {
  if (state.busy) return;
  $("parse-form").reset();
  $("file-name").textContent = "";
  showError("parse-error", "");
  say("parse", "");
  resetResults();
}

function fileChosen() {
  const file = selectedFile();
  $("file-name").textContent = file ? `Selected: ${file.name} (${sizeLabel(file.size)})` : "";
  showError("parse-error", "");  // an error about the last attempt is not about this file
}

/** Typing a resume replaces a chosen file: the last input wins. */
function textTyped() {
  if (!selectedFile()) return showError("parse-error", "");
  $("file-input").value = "";
  fileChosen();
}

function dropFile(event) {
  event.preventDefault();
  $("dropzone").classList.remove("dragging");
  if (!event.dataTransfer?.files.length) return;
  $("file-input").files = event.dataTransfer.files;
  fileChosen();
}

// --- step 2: interview --------------------------------------------------------------------------------

function startInterview(resume, text) {
  state.resume = resume ?? text;
  $("interview-panel").hidden = !state.resume;
  $("next-step").hidden = !state.resume;
  if (!state.resume) showError("parse-error", "There is no parsed resume to ask about: try pasting the text instead.");
}

function bubble(kind, text, note, testid) {
  const body = text?.trim() ? el("p", { text }) : el("p", { cls: "empty", text: "(the model returned no question)" });
  return el("div", { cls: `bubble ${kind}`, testid }, body, note ? el("span", { cls: "note", text: note }) : null);
}

/** One interviewer turn: the local question, and beside it what the compare model asked. */
function interviewerTurn(answer, otherResult) {
  const turn = el("li", { cls: "turn interviewer", testid: "interviewer-turn" });
  const local = bubble("local", answer.question, `${answer.model} · ${seconds(answer.seconds)}`, "question");
  if (!otherResult) {
    turn.append(el("div", { cls: "who", text: "Interviewer" }), local);
    return turn;
  }
  const other = otherResult.error
    ? bubble("api failed", otherResult.error.message, `API · ${state.config.compare_model}`, "api-question")
    : bubble("api", otherResult.answer.question, `API · ${otherResult.answer.model} · ${seconds(otherResult.answer.seconds)}`,
      "api-question");
  turn.append(el("div", { cls: "who", text: "Interviewer" }), el("div", { cls: "pair" }, local, other));
  return turn;
}

const REPEATS_TRIED = 2;  // samples drawn again when the model repeats a question already asked in this interview

const asked = (question) => state.asked.includes(question.trim().toLowerCase());

/** Ask ``path`` (question or follow-up) with a fresh seed and add the interviewer's turn to the thread. */
async function interviewerSpeaks(path, body, label) {
  showError("interview-error", "");
  await busy("interview", `${label}…`, async () => {
    try {
      const { local, other } = postBoth(path, { ...body, seed: newSeed() });
      let answer = await local;
      for (let retry = 0; retry < REPEATS_TRIED && answer.question.trim() && asked(answer.question); retry++) {
        answer = await post(`/v1${path}`, { ...body, seed: newSeed() });  // a repeat: another sample
      }
      const turn = interviewerTurn(answer, await other);
      $("current-question")?.removeAttribute("id");
      turn.querySelector("[data-testid=question] p").id = "current-question";  // the answer box's description
      $("thread").append(turn);
      state.asked.push(answer.question.trim().toLowerCase());
      state.question = answer.question.trim() || state.question;  // an empty question leaves the last one open
      $("answer-form").hidden = !state.question;
      $("ask-button").textContent = "Ask another question";
      say("interview", answer.question.trim() ? "" : "The model returned no question: ask again.");
      $("answer-input").focus();
    } catch (failure) {
      say("interview", "");
      showError("interview-error", failure.message);
    }
  });
}

function askQuestion() {
  if (state.busy || !state.resume) return;
  const tone = document.querySelector("input[name=tone]:checked").value;
  interviewerSpeaks("/interview/question", { resume: state.resume, tone }, "Thinking of a question");
}

async function sendAnswer(event) {
  event.preventDefault();
  if (state.busy || !state.question) return;
  const answer = $("answer-input").value.trim();
  if (!answer) return showError("interview-error", "Type an answer first.");
  const body = { resume: state.resume, question: state.question, answer };
  const candidate = el("li", { cls: "turn candidate", testid: "candidate-turn" },
    el("div", { cls: "who", text: "You" }), bubble("you", answer));
  $("thread").append(candidate);
  $("answer-input").value = "";
  await interviewerSpeaks("/interview/follow-up", body, "Reading your answer");
}

// --- start-up -----------------------------------------------------------------------------------------

function applyConfig(config) {
  state.config = config;
  const badge = `${config.model}${config.fine_tuned ? " · fine-tuned" : " · base model"}`;
  $("model-badge").textContent = badge;
  $("model-badge").title = badge;  // a phone shows its start only
  $("key-field").hidden = !config.auth_required;
  $("key-input").value = sessionStorage.getItem(KEY_STORAGE) ?? "";
  $("compare-switch").hidden = !config.compare_model;
  $("compare-name").textContent = config.compare_model ?? "";
}

/** The config again after a parse: its typical parse time now counts that parse. */
async function refreshConfig() {
  try {
    const response = await fetch("/page/config");
    if (response.ok) state.config = await response.json();
  } catch {
    // the next request says what is wrong
  }
}

async function loadConfig() {
  try {
    const response = await fetch("/page/config");
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    applyConfig(await response.json());
  } catch {
    $("model-badge").textContent = "offline";
    showError("page-error", "Could not reach the server. Start it with `griller serve` and reload this page.");
  }
}

function wire() {
  $("parse-form").addEventListener("submit", parseResume);
  $("clear-button").addEventListener("click", clearResume);
  $("cancel-button").addEventListener("click", cancelParse);
  $("file-input").addEventListener("change", fileChosen);
  $("text-input").addEventListener("input", textTyped);
  $("dropzone").addEventListener("dragover", (event) => { event.preventDefault(); $("dropzone").classList.add("dragging"); });
  $("dropzone").addEventListener("dragleave", () => $("dropzone").classList.remove("dragging"));
  $("dropzone").addEventListener("drop", dropFile);
  $("ask-button").addEventListener("click", askQuestion);
  $("answer-form").addEventListener("submit", sendAnswer);
  $("key-field").addEventListener("submit", (event) => event.preventDefault());
  $("key-input").addEventListener("input", (event) => sessionStorage.setItem(KEY_STORAGE, event.target.value.trim()));
  $("compare-input").addEventListener("change", () => document.body.classList.toggle("comparing", comparing()));
}

wire();
loadConfig();
