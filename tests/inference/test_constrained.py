"""Constrained decoding of parse_resume: a random model's output must still be valid ParsedResume JSON."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
import torch
from transformers import LogitsProcessor

from ml import tasks
from ml.inference.constrained import (
    MAX_ITEMS,
    RUNAWAY_STRIKES,
    CloseNearLimitProcessor,
    DatedJobsProcessor,
    GrammarProcessor,
    JsonCursor,
    RepeatingValueProcessor,
    RunawayListProcessor,
    compile_parse_grammar,
    generation_schema,
    parse_resume_processors,
)
from ml.inference.engine import DEFAULT_MAX_NEW_TOKENS, PARSE_ANSWER_PER_PROMPT_TOKEN, Engine
from ml.schema import Education, Experience, ParsedResume, Project

RESUME = (
    "Jane Doe\njane.doe@example.com\nEXPERIENCE Senior Software Engineer, Acme Corp, Mar 2021 - Present\n"
    "SKILLS Python, SQL"
)
SKILLS_PREFIX = (
    '{"name": null, "email": null, "phone": null, "location": null, "links": [], "summary": null, '
    '"experience": [], "education": [], "projects": [], "skills": ["Python"'
)


@pytest.fixture(scope="module")
def engine(tiny_model_dir: Path) -> Engine:
    return Engine.load(str(tiny_model_dir))


@pytest.fixture(scope="module")
def budget(engine: Engine) -> int:
    """Enough new tokens for the random model to be closed cleanly (the closing reserve plus some free tokens)."""
    return compile_parse_grammar(engine.tokenizer).close_reserve + 40


def _key_orders(text: str) -> list[list[str]]:
    orders: list[list[str]] = []
    json.loads(text, object_pairs_hook=lambda pairs: orders.append([k for k, _ in pairs]) or dict(pairs))
    return orders


def _assert_schema_shape(text: str) -> ParsedResume:
    parsed = ParsedResume.model_validate_json(text)
    known = {tuple(m.model_fields) for m in (ParsedResume, Experience, Education, Project)}
    orders = _key_orders(text)
    assert orders[-1] == list(ParsedResume.model_fields), "top-level keys: all present, in schema order"
    assert all(tuple(order) in known for order in orders), orders
    assert json.loads(text) == json.loads(parsed.to_json()), "no key missing or extra"
    structure = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)  # the text outside strings
    assert re.fullmatch(r"(?:[^\s]|(?<=[,:]) )*", structure), f"only ', ' and ': ' as whitespace: {structure}"
    return parsed


def test_random_model_constrained_output_is_valid_parsed_resume(engine: Engine, budget: int) -> None:
    generation = engine.generate(tasks.TaskName.PARSE_RESUME, tasks.parse_resume_input(RESUME), budget)
    _assert_schema_shape(generation.text)
    assert generation.finished, "closed before the token limit, then EOS"


def test_random_model_unconstrained_output_is_not_json(engine: Engine, budget: int) -> None:
    """The control: without the grammar the same random model writes no valid ParsedResume."""
    generation = engine.generate(tasks.TaskName.PARSE_RESUME, tasks.parse_resume_input(RESUME), 40, constrained=False)
    with pytest.raises(ValueError):
        ParsedResume.model_validate_json(generation.text)


def test_processors_are_fresh_per_request_and_grammar_is_cached(engine: Engine, budget: int) -> None:
    first = parse_resume_processors(engine.tokenizer, budget)
    second = parse_resume_processors(engine.tokenizer, budget)
    assert [type(p) for p in first] == [
        GrammarProcessor,
        RunawayListProcessor,
        RepeatingValueProcessor,
        CloseNearLimitProcessor,
    ]
    assert all(a is not b for a, b in zip(first, second, strict=True))
    assert first[0].compiled is second[0].compiled, "compiled once per tokenizer"
    texts = [
        engine.generate(tasks.TaskName.PARSE_RESUME, tasks.parse_resume_input(RESUME), budget).text for _ in range(2)
    ]
    for text in texts:
        _assert_schema_shape(text)
    assert texts[0] == texts[1], "greedy and stateless across requests"


def test_batch_of_two_prompts_both_valid(engine: Engine, budget: int) -> None:
    tokenizer = engine.tokenizer
    prompts = [
        tokenizer.apply_chat_template(
            tasks.build_messages(tasks.TaskName.PARSE_RESUME, tasks.parse_resume_input(text)),
            add_generation_prompt=True,
            tokenize=False,
        )
        for text in (RESUME, "Bob\nNurse at St Mary's 2019-2023")
    ]
    side = tokenizer.padding_side
    tokenizer.padding_side = "left"
    try:
        inputs = tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False)
    finally:
        tokenizer.padding_side = side
    with torch.inference_mode():
        output = engine.model.generate(
            **inputs,
            max_new_tokens=budget,
            do_sample=False,
            pad_token_id=tokenizer.pad_token_id,
            eos_token_id=tokenizer.eos_token_id,
            logits_processor=parse_resume_processors(tokenizer, budget),
        )
    for row in output[:, inputs["input_ids"].shape[1] :]:
        _assert_schema_shape(tokenizer.decode(row, skip_special_tokens=True).strip())


def test_training_target_format_is_inside_the_grammar(engine: Engine) -> None:
    """The exact text the model is trained on (to_json, ', ' and ': ') must be accepted, key order and all."""
    from llguidance import LLMatcher

    compiled = compile_parse_grammar(engine.tokenizer)
    target = ParsedResume(
        name='Jane "JD" Doe',
        links=["linkedin.com/in/jane"],
        experience=[Experience(company="Acme", start_date="2021-03", end_date="present", highlights=["Cut 40%"])],
        education=[Education(institution="Lisbon", end_date="2019")],
        projects=[Project(name="x", technologies=["Go"])],
        skills=["Python", "SQL"],
    ).to_json()
    variants = [(target, True), (target.replace(", ", ",", 1), False), (target.replace('"email"', '"emial"'), False)]
    for text, ok in variants:
        matcher = LLMatcher(compiled.ll_tokenizer, compiled.grammar, log_level=0)
        ids = engine.tokenizer(text, add_special_tokens=False)["input_ids"] + [engine.tokenizer.eos_token_id]
        assert (matcher.consume_tokens(ids) and matcher.is_stopped()) is ok, text
    swapped = '{"email": null, "name": null'
    matcher = LLMatcher(compiled.ll_tokenizer, compiled.grammar, log_level=0)
    assert not matcher.consume_tokens(engine.tokenizer(swapped, add_special_tokens=False)["input_ids"])


def test_generation_schema_requires_every_key_and_caps_lists() -> None:
    schema = generation_schema()
    assert schema["required"] == list(ParsedResume.model_fields)
    assert schema["$defs"]["Experience"]["required"] == list(Experience.model_fields)
    assert schema["properties"]["skills"]["maxItems"] == MAX_ITEMS["skills"]
    assert schema["$defs"]["Experience"]["properties"]["highlights"]["maxItems"] == MAX_ITEMS["highlights"]
    assert "maxItems" not in generation_schema({})["properties"]["skills"]


def test_json_cursor_tracks_array_items_and_escapes() -> None:
    cursor = JsonCursor()
    cursor.feed(b'{"skills": ["Py\\"thon", "SQL", "Go')
    assert cursor.in_string and cursor.array_items() == [b'Py\\"thon', b"SQL"]
    assert bytes(cursor.buffer) == b"Go"
    cursor.feed(b'"], "name": "x')
    assert cursor.array_items() is None, "a value string in an object is not an array item"


def test_json_cursor_knows_the_property_of_each_array() -> None:
    cursor = JsonCursor()
    cursor.feed(b'{"name": "x", "experience": [{"company": "A, B", "highlights": ["Led", "Bu')
    assert cursor.array_key() == "highlights" and cursor.array_items() == [b"Led"]
    cursor.feed(b'ilt"]}, {"company": "C", "highlights": []}], "skills": ["SQL"')
    assert cursor.array_key() == "skills" and cursor.array_items() == [b"SQL"]
    cursor.feed(b'], "certifications": ["')
    assert cursor.array_key() == "certifications" and cursor.array_items() == []


def _scores_after(
    engine: Engine, text: str, sources: list[str] | None = None, max_new_tokens: int | None = None
) -> tuple[torch.Tensor, list[LogitsProcessor]]:
    tokenizer = engine.tokenizer
    prompt = engine.prompt_ids(tasks.TaskName.PARSE_RESUME, "x")["input_ids"]
    prefix = tokenizer(text, add_special_tokens=False)["input_ids"]
    ids = torch.cat([prompt, torch.tensor([prefix])], dim=1)
    processors = parse_resume_processors(engine.tokenizer, max_new_tokens, prefix_ids=prefix, sources=sources)
    scores = torch.zeros(1, engine.model.config.vocab_size)
    for processor in processors:
        scores = processor(ids, scores)
    assert not processors[0].tracker.off_grammar(0), f"the test's prefix must be valid: {text}"
    return scores, processors


def _allowed_texts(engine: Engine, scores: torch.Tensor) -> set[str]:
    ids = torch.isfinite(scores[0]).nonzero().flatten().tolist()
    return {engine.tokenizer.decode([i]) for i in ids}


def test_a_list_closes_after_repeats_in_a_row(engine: Engine) -> None:
    assert RUNAWAY_STRIKES == 2
    scores, processors = _scores_after(engine, SKILLS_PREFIX + ', "SQL", "python", "SQL."')
    allowed = _allowed_texts(engine, scores)
    assert allowed and all(text.startswith("]") for text in allowed), allowed
    assert processors[1].closed == 1
    scores, processors = _scores_after(engine, SKILLS_PREFIX + ', "SQL", "Python"')
    assert any(text.startswith(",") for text in _allowed_texts(engine, scores)), "one repeat: the list may go on"
    assert processors[1].closed == 0
    scores, _ = _scores_after(engine, SKILLS_PREFIX + ', "Python", "SQL", "Go"')
    assert any(text.startswith(",") for text in _allowed_texts(engine, scores)), "a new item resets the count"
    scores, _ = _scores_after(engine, SKILLS_PREFIX.replace('"Python"', '"C++"') + ', "C#", "C"')
    assert any(text.startswith(",") for text in _allowed_texts(engine, scores)), "C, C++ and C# are different"
    scores, _ = _scores_after(engine, SKILLS_PREFIX + ', "Python"], "certifications": ["Python", "SQL"')
    assert any(text.startswith(",") for text in _allowed_texts(engine, scores)), "repeats count within one array"


def test_after_a_strike_the_next_strike_closes_without_its_separator(engine: Engine) -> None:
    """So that the list can still be closed: '",' would commit to one more item. Only then: the model's
    usual '",' stays allowed for an item that is not a strike."""
    goes_on = engine.tokenizer('",', add_special_tokens=False)["input_ids"]
    quote = engine.tokenizer.convert_tokens_to_ids('"')
    assert len(goes_on) == 1, "the fixture's tokenizer has a '\",' token"
    scores, _ = _scores_after(engine, SKILLS_PREFIX + ', "SQL", "Python", "sql')
    assert torch.isinf(scores[0, goes_on[0]]) and torch.isfinite(scores[0, quote])
    scores, _ = _scores_after(engine, SKILLS_PREFIX + ', "SQL", "Python", "Go')
    assert torch.isfinite(scores[0, goes_on[0]]), "'Go' is new: its usual separator token"
    scores, _ = _scores_after(engine, SKILLS_PREFIX + ', "SQL", "sql')
    assert torch.isfinite(scores[0, goes_on[0]]), "no strike before: a first repeat may go on"
    scores, _ = _scores_after(engine, SKILLS_PREFIX + ', "Kubernetes", "Rust', sources=[RESUME])
    assert torch.isinf(scores[0, goes_on[0]]), "a second invented item in a row"


def test_grounded_lists_close_after_items_the_resume_does_not_contain(engine: Engine) -> None:
    invented = SKILLS_PREFIX + ', "Kubernetes", "Terraform"'
    scores, _ = _scores_after(engine, invented, sources=[RESUME])
    assert all(text.startswith("]") for text in _allowed_texts(engine, scores))
    scores, _ = _scores_after(engine, invented)
    assert any(text.startswith(",") for text in _allowed_texts(engine, scores)), "no source: only repeats count"
    scores, _ = _scores_after(engine, SKILLS_PREFIX + ', "sql", "Kubernetes"', sources=[RESUME])
    assert any(text.startswith(",") for text in _allowed_texts(engine, scores)), "one invention in a row"
    entry = '{"company": null, "title": null, "start_date": null, "end_date": null, "location": null, "highlights": '
    highlights = SKILLS_PREFIX.split('[], "education"')[0] + "[" + entry + '["Led", "Ran"'
    scores, _ = _scores_after(engine, highlights, sources=[RESUME])
    assert any(text.startswith(",") for text in _allowed_texts(engine, scores)), "highlights are not a grounded list"


TWO_DATED_JOBS = (
    "Parse this resume:\nJane Doe\n\nEXPERIENCE\nEngineer, Acme\n2021 - present\nAnalyst, Beta\n2019 - 2021\n\n"
    "EDUCATION\nBSc, Uni Town\n2015 - 2019\n\nPROJECTS EXPERIENCE\nLedger\n2020 - 2021"
)
"""A parse prompt whose resume dates two jobs under a work heading (a school and a project elsewhere)."""
JOBS_PREFIX = SKILLS_PREFIX.split('[], "education"')[0] + "["
JOB = '{"company": "Acme", "title": "Engineer", "start_date": "2021", "end_date": "present", "location": null, '


def _ends_the_jobs_short(prefix: str, token_text: str, minimum: int = 2) -> bool:
    cursor = JsonCursor()
    cursor.feed(prefix.encode())
    return cursor.ends_list_short(token_text.encode(), b"experience", minimum)


def test_json_cursor_counts_the_entries_of_a_list() -> None:
    cursor = JsonCursor()
    cursor.feed(JOBS_PREFIX[:-1].encode())
    assert cursor.entries_written(b"experience") == 0, "where the list is due"
    cursor.feed(b"[")
    assert cursor.entries_written(b"experience") == 0
    cursor.feed((JOB + '"highlights": ["Led ]"]}, ' + JOB + '"highlights": []').encode())
    assert cursor.entries_written(b"experience") == 1, "a bracket inside a string closes nothing"
    cursor.feed(b"}")
    assert cursor.entries_written(b"experience") == 2
    cursor.feed(b"]")
    assert cursor.entries_written(b"experience") is None, "closed"
    cursor.feed(b', "education": [')
    assert cursor.entries_written(b"experience") is None


@pytest.mark.parametrize(
    ("prefix", "token", "short"),
    [
        (JOBS_PREFIX[:-2], " [],", True),  # an empty list in one token (SmolLM2's and the fixture's)
        (JOBS_PREFIX[:-2], " [", False),
        (JOBS_PREFIX + JOB + '"highlights": ["Led"]}', "],", True),  # one job of two
        (JOBS_PREFIX + JOB + '"highlights": ["Led"]', "}]", True),
        (JOBS_PREFIX + JOB + '"highlights": ["Led"]', "}", False),  # a job ends; the list may still go on
        (JOBS_PREFIX, "],", True),  # an empty list closed by a later token
        (JOBS_PREFIX + JOB + '"highlights": ["Led', '"]}]', True),  # a string, its list, the job and the jobs
        (JOBS_PREFIX + JOB + '"highlights": ["Led', '"]}', False),
        (JOBS_PREFIX + JOB + '"highlights": ["Led', " ]}]", False),  # brackets inside a string are text
        (JOBS_PREFIX + JOB + '"highlights": []}, ' + JOB + '"highlights": ["Led"]', "}]", False),  # the second
    ],
)
def test_a_token_that_ends_the_jobs_short_is_told_apart(prefix: str, token: str, short: bool) -> None:
    assert _ends_the_jobs_short(prefix, token) is short


def test_the_jobs_list_stays_open_while_the_resume_dates_more_jobs(engine: Engine) -> None:
    one_job = JOBS_PREFIX + JOB + '"highlights": ["Led"]}'
    scores, processors = _scores_after(engine, one_job, sources=[TWO_DATED_JOBS])
    dated = next(p for p in processors if isinstance(p, DatedJobsProcessor))
    assert dated.expected == [2], "the school and the project are not jobs"
    allowed = _allowed_texts(engine, scores)
    assert dated.kept_open == 1 and allowed and not any(text.startswith("]") for text in allowed)
    assert any(text.startswith(",") for text in allowed)

    due = JOBS_PREFIX[:-2]  # up to "experience":
    scores, _ = _scores_after(engine, due)
    assert " []," in _allowed_texts(engine, scores), "the fixture's tokenizer writes an empty list in one token"
    scores, _ = _scores_after(engine, due, sources=[TWO_DATED_JOBS])
    allowed = _allowed_texts(engine, scores)
    assert " []," not in allowed and not any(_ends_the_jobs_short(due, text) for text in allowed)

    scores, _ = _scores_after(engine, JOBS_PREFIX + JOB + '"highlights": ["Led"]', sources=[TWO_DATED_JOBS])
    assert "}" in _allowed_texts(engine, scores), "a job may end: the model's own way on to the next one"

    two_jobs = one_job + ", " + JOB.replace("Acme", "Beta") + '"highlights": []}'
    scores, processors = _scores_after(engine, two_jobs, sources=[TWO_DATED_JOBS])
    assert processors[3].kept_open == 0 and any(text.startswith("]") for text in _allowed_texts(engine, scores))


def test_the_jobs_list_may_end_near_the_limit_without_a_source_or_with_no_other_token(engine: Engine) -> None:
    one_job = JOBS_PREFIX + JOB + '"highlights": ["Led"]}'
    reserve = compile_parse_grammar(engine.tokenizer).close_reserve
    scores, processors = _scores_after(engine, one_job, sources=[TWO_DATED_JOBS], max_new_tokens=2 * reserve)
    assert processors[3].kept_open == 0 and any(text.startswith("]") for text in _allowed_texts(engine, scores))
    _, processors = _scores_after(engine, one_job)
    assert not any(isinstance(p, DatedJobsProcessor) for p in processors)
    full = JOBS_PREFIX + ", ".join([JOB + '"highlights": []}'] * MAX_ITEMS["experience"])
    dated = "\n".join(f"Engineer, Acme {k}\n{1950 + k} - {1951 + k}" for k in range(MAX_ITEMS["experience"] + 5))
    scores, processors = _scores_after(engine, full, sources=[f"Parse this resume:\nEXPERIENCE\n{dated}"])
    assert processors[3].expected == [MAX_ITEMS["experience"] + 5]
    allowed = _allowed_texts(engine, scores)
    assert processors[3].kept_open == 0 and allowed and all(text.startswith("]") for text in allowed), "the cap holds"


class _LoopBias(LogitsProcessor):
    """Makes a model 'want' to write ``, "Python"`` forever (the prototype's failure, on demand): each step
    strongly prefers the next token of that cycle."""

    def __init__(self, cycle: list[int]) -> None:
        self.cycle, self.step = cycle, 0

    def __call__(self, input_ids, scores):
        scores[:, self.cycle[self.step % len(self.cycle)]] += 1000.0
        self.step += 1
        return scores


@pytest.mark.parametrize("close_runaway_lists", [False, True])
def test_a_repeated_item_loop_is_closed(engine: Engine, budget: int, close_runaway_lists: bool) -> None:
    tokenizer = engine.tokenizer
    prompt = engine.prompt_ids(tasks.TaskName.PARSE_RESUME, tasks.parse_resume_input(RESUME))["input_ids"]
    prefix = tokenizer(SKILLS_PREFIX, add_special_tokens=False)["input_ids"]
    ids = torch.cat([prompt, torch.tensor([prefix])], dim=1)
    loop = tokenizer(', "Python"', add_special_tokens=False)["input_ids"]
    limit = budget + 60  # closing starts after 60 free tokens
    runaway = parse_resume_processors(tokenizer, limit, close_runaway_lists=close_runaway_lists, prefix_ids=prefix)
    with torch.inference_mode():
        output = engine.model.generate(
            input_ids=ids,
            attention_mask=torch.ones_like(ids),
            max_new_tokens=limit,
            do_sample=False,
            pad_token_id=tokenizer.pad_token_id,
            eos_token_id=tokenizer.eos_token_id,
            logits_processor=[_LoopBias(loop), *runaway],
        )
    text = SKILLS_PREFIX + tokenizer.decode(output[0, ids.shape[1] :], skip_special_tokens=True)
    skills = ParsedResume.model_validate_json(text).skills  # closed in time either way
    if close_runaway_lists:
        assert skills == ["Python"] * (1 + RUNAWAY_STRIKES), "closed right after the second repeat"
    else:
        assert skills.count("Python") > 3, "the control loops"


@pytest.mark.slow
def test_smollm2_parse_is_valid_and_skills_come_last() -> None:
    from ml.base_model import DEFAULT_BASE_MODEL

    engine = Engine.load(DEFAULT_BASE_MODEL)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # on 2 shared cores, 2 threads can be 20x slower when another process is busy
    try:
        generation = engine.generate(tasks.TaskName.PARSE_RESUME, tasks.parse_resume_input(RESUME), 240)
    finally:
        torch.set_num_threads(threads)
    parsed = _assert_schema_shape(generation.text)
    assert generation.finished
    assert len(parsed.skills) == len(set(parsed.skills)), "repeats are removed"


@pytest.mark.parametrize("prompt_lookup", [3, 10])
def test_prompt_lookup_decoding_gives_the_same_constrained_output(
    engine: Engine, budget: int, prompt_lookup: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Drafts from the prompt are verified under the grammar; greedy output must not change."""
    user_input = tasks.parse_resume_input(RESUME)
    engine.prompt_lookup_tokens = 0
    plain = engine.generate(tasks.TaskName.PARSE_RESUME, user_input, budget)
    engine.prompt_lookup_tokens = prompt_lookup
    try:
        drafted = engine.generate(tasks.TaskName.PARSE_RESUME, user_input, budget)
    finally:
        engine.prompt_lookup_tokens = 0
    assert drafted.text == plain.text
    _assert_schema_shape(drafted.text)


def test_tracker_rolls_back_to_any_prefix(engine: Engine) -> None:
    """Speculative prefixes: after visiting drafts that diverge, the state equals a fresh walk of the final prefix."""
    from ml.inference.constrained import _SequenceTracker

    compiled = compile_parse_grammar(engine.tokenizer)
    target = ParsedResume(name="Ann", skills=["Go", "SQL", "Go2"], languages=["English"]).to_json()
    answer = engine.tokenizer(target, add_special_tokens=False)["input_ids"]
    prompt = [1, 2, 3]
    wandering = _SequenceTracker(compiled)
    for end in (0, 5, 12, 9, 9, 20, 14, len(answer), 7, len(answer) - 3):  # the first call sees the prompt only
        wandering.advance(torch.tensor([prompt + answer[:end]]))
    probe = torch.zeros(1, compiled.vocab_size)
    GrammarProcessor(compiled, wandering)(torch.tensor([prompt + answer[:-3]]), probe)
    rejected = int(torch.isinf(probe[0]).nonzero()[0])
    wandering.advance(torch.tensor([prompt + answer[:-3] + [rejected, answer[-3]]]))  # a draft off the grammar
    assert wandering.off_grammar(0)
    wandering.advance(torch.tensor([prompt + answer[:-3]]))
    assert not wandering.off_grammar(0)
    fresh = _SequenceTracker(compiled)
    fresh.advance(torch.tensor([prompt]))
    fresh.advance(torch.tensor([prompt + answer[:-3]]))
    for tracker in (wandering, fresh):
        assert tracker.step == len(answer) - 3
    assert wandering.cursor(0).array_items() == fresh.cursor(0).array_items()
    assert wandering.cursor(0).in_string == fresh.cursor(0).in_string
    scores = [torch.zeros(1, compiled.vocab_size) for _ in range(2)]
    for tracker, row_scores in zip((wandering, fresh), scores, strict=True):
        GrammarProcessor(compiled, tracker)(torch.tensor([prompt + answer[:-3]]), row_scores)
    assert torch.equal(torch.isfinite(scores[0]), torch.isfinite(scores[1])), "same grammar state"


def test_a_parse_budget_follows_the_resume_length_up_to_the_room_in_the_context(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fixed cap closed long careers' JSON early; the budget now grows with the prompt."""
    parse = tasks.TaskName.PARSE_RESUME
    floor = DEFAULT_MAX_NEW_TOKENS[parse]
    assert engine.answer_budget(parse, tasks.parse_resume_input(RESUME)) == floor
    assert engine.answer_budget(tasks.TaskName.INTERVIEW_QUESTION, RESUME) == 64

    career = "\n".join(f"Engineer, Company {i}, 2001 - 2002, built billing system {i} in Python" for i in range(22))
    long_input = tasks.parse_resume_input(career)
    prompt = engine.prompt_ids(parse, long_input)["input_ids"].shape[1]
    assert PARSE_ANSWER_PER_PROMPT_TOKEN * prompt > floor, "the resume must be long enough to need more"
    budget = engine.answer_budget(parse, long_input)
    assert budget == min(math.ceil(PARSE_ANSWER_PER_PROMPT_TOKEN * prompt), engine.context_limit - prompt) > floor
    assert engine.answer_budget(parse, tasks.parse_resume_input(RESUME), long_input) == budget, "a batch: the longest"
    assert engine.generate_batch(parse, []) == []
    monkeypatch.setenv("GRILLER_MAX_CONTEXT", str(prompt + floor + 100))
    assert engine.answer_budget(parse, long_input) == floor + 100, "no further than the context has room"
    monkeypatch.setenv("GRILLER_MAX_CONTEXT", str(prompt + 10))
    assert engine.answer_budget(parse, long_input) == floor, "the floor stays; fit_user_input then cuts the resume"


# --- no runaway values (issue #29): bounded lengths, a value that repeats itself is closed -------------

SENTENCE = "Deployed in a large enterprise-scale to support the industry."
"""The sentence one real sidebar-theme PDF got as a job title, over and over until the token limit."""
TITLE_PREFIX = SKILLS_PREFIX.split('[], "education"')[0] + '[{"company": "Acme Corp", "title": "'
HIGHLIGHT_PREFIX = TITLE_PREFIX.replace('"Acme Corp", "title": "', 'null, "title": null, ') + (
    '"start_date": null, "end_date": null, "location": null, "highlights": ["'
)


def _distinct_words(chars: int) -> str:
    """``chars`` characters of text that never repeats a long span (so only the length bound can stop it)."""
    return " ".join(f"w{i}" for i in range(chars))[:chars]


def test_generation_schema_bounds_every_free_text_value_but_not_user_data() -> None:
    from ml.inference.constrained import MAX_ITEM_CHARS, MAX_VALUE_CHARS

    schema = generation_schema()
    experience, project = schema["$defs"]["Experience"]["properties"], schema["$defs"]["Project"]["properties"]
    assert experience["title"]["anyOf"][0] == {"type": "string", "maxLength": MAX_VALUE_CHARS["title"]}
    assert schema["properties"]["name"]["anyOf"][0]["maxLength"] == MAX_VALUE_CHARS["name"]
    assert project["name"]["anyOf"][0]["maxLength"] == MAX_VALUE_CHARS["Project.name"], "Model.property first"
    assert "maxLength" not in experience["start_date"]["anyOf"][0], "a date's pattern bounds it"
    assert experience["highlights"]["items"]["maxLength"] == MAX_ITEM_CHARS["highlights"]
    assert "maxLength" not in str(generation_schema(max_item_chars={}, max_value_chars={}))
    assert ParsedResume(experience=[Experience(title="x" * 1000)]).experience[0].title, "the model does not cap"


@pytest.mark.parametrize("field", ["title", "company"])
def test_the_grammar_refuses_to_continue_a_value_past_its_bound(engine: Engine, field: str) -> None:
    from ml.inference.constrained import MAX_VALUE_CHARS

    bound = MAX_VALUE_CHARS[field]
    start = TITLE_PREFIX if field == "title" else TITLE_PREFIX.split('"Acme Corp"')[0] + '"'
    scores, processors = _scores_after(engine, start + _distinct_words(bound))
    allowed = _allowed_texts(engine, scores)
    assert allowed and all(text.startswith('"') for text in allowed), allowed
    assert processors[2].cut == 0, "the grammar's bound, not the repeat rule"
    scores, _ = _scores_after(engine, start + _distinct_words(bound - 1))
    assert any(not text.startswith('"') for text in _allowed_texts(engine, scores)), "one character before: free"


def test_a_value_that_repeats_a_long_span_must_close(engine: Engine) -> None:
    from ml.inference.constrained import REPEAT_BYTES

    looped, period = f"{SENTENCE} " * 3, len(SENTENCE) + 1
    scores, processors = _scores_after(engine, TITLE_PREFIX + looped[: period + REPEAT_BYTES])
    assert isinstance(processors[2], RepeatingValueProcessor)
    assert processors[2].cut == 1, "REPEAT_BYTES into the second copy"
    assert all(text.startswith('"') for text in _allowed_texts(engine, scores))
    scores, processors = _scores_after(engine, TITLE_PREFIX + looped[: period + REPEAT_BYTES - 1])
    assert processors[2].cut == 0, "the repeat is not long enough yet"
    loop = "Node.js, " * 9
    scores, processors = _scores_after(engine, HIGHLIGHT_PREFIX + loop)
    assert processors[2].cut == 1, "a short loop inside one item"


@pytest.mark.parametrize(
    "value",
    [
        "Built Python ETL jobs; moved the Python services to Python 3.12; taught Python to the data team",
        # the longest legitimate repeat in the real jsonresume-dev values (42 characters), twice
        "Led a team. I've helped my team to achieve the best results. I've helped my team to achieve the best",
        "Responsible for the design of the billing API. Responsible for the design of the ledger and the reports",
    ],
)
def test_a_value_with_a_repeated_phrase_is_not_cut(engine: Engine, value: str) -> None:
    scores, processors = _scores_after(engine, HIGHLIGHT_PREFIX + value)
    assert processors[2].cut == 0
    assert any(not text.startswith('"') for text in _allowed_texts(engine, scores))


def test_property_names_and_other_values_do_not_count_as_repeats(engine: Engine) -> None:
    first = SENTENCE + " " + SENTENCE[:30]
    text = TITLE_PREFIX + first + '", "start_date": null, "end_date": null, "location": "' + SENTENCE[:40]
    _, processors = _scores_after(engine, text)
    assert processors[2].cut == 0


def test_trim_repeated_tail_keeps_the_first_copy() -> None:
    from ml.inference.grounding import trim_repeated_tail

    assert trim_repeated_tail(f"{SENTENCE} {SENTENCE} {SENTENCE[:20]}") == SENTENCE
    assert trim_repeated_tail("Node.js, " * 9 + "No") == "Node.js"
    for legit in ("Python for ML. Built APIs in Python.", SENTENCE, "Led a team. " + SENTENCE[:40] + SENTENCE[:40]):
        assert trim_repeated_tail(legit) == legit


class _ForcePrefix(LogitsProcessor):
    """Makes a model 'want' to write ``target`` (token ids): while the answer so far follows it, its next token
    gets +1000. Stateless (the position comes from ``input_ids``), so drafts and re-calls see the same bias."""

    def __init__(self, target: list[int]) -> None:
        self.target, self.prompt = target, None

    def __call__(self, input_ids, scores):
        if self.prompt is None:
            self.prompt = input_ids.shape[1]
        for row, ids in enumerate(input_ids.tolist()):
            answer = ids[self.prompt :]
            if len(answer) < len(self.target) and answer == self.target[: len(answer)]:
                scores[row, self.target[len(answer)]] += 1000.0
        return scores


def _looping_title(engine: Engine, monkeypatch: pytest.MonkeyPatch, close_repeating_values: bool) -> tuple:
    """Parse RESUME with a model forced to write SENTENCE as a job title over and over; (title, generation)."""
    tokenizer = engine.tokenizer
    target = tokenizer(TITLE_PREFIX + " ".join([SENTENCE] * 3), add_special_tokens=False)["input_ids"]  # > the bound

    def processors(self, max_new_tokens=None, sources=None):
        grammar = parse_resume_processors(
            self.tokenizer,
            max_new_tokens,
            vocab_size=self.vocab_size,
            sources=sources,
            close_repeating_values=close_repeating_values,
        )
        return [_ForcePrefix(target), *grammar]

    monkeypatch.setattr(type(engine), "_parse_processors", processors)
    limit = len(target) + compile_parse_grammar(tokenizer).close_reserve
    resume = f"{RESUME}\n- {SENTENCE}"  # the sentence is the resume's own (a highlight), as on the real PDF
    generation = engine.generate(tasks.TaskName.PARSE_RESUME, tasks.parse_resume_input(resume), limit)
    parsed = _assert_schema_shape(generation.text)
    return parsed.experience[0].title, generation


@pytest.fixture(scope="module", params=["transformers", "llama.cpp"])
def any_engine(request: pytest.FixtureRequest, engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The tiny random model on each backend (llama.cpp reads it from a GGUF export)."""
    if request.param == "transformers":
        return engine
    from tests.ci_no_skips import require

    require("llama_cpp", "the [llama] extra: bash scripts/setup.sh installs it")
    from ml.export.gguf import write_gguf
    from ml.inference.llama_cpp_engine import LlamaCppEngine

    path = tmp_path_factory.mktemp("tiny-gguf") / "tiny-f16.gguf"
    write_gguf(engine.model, engine.tokenizer, Path(engine.model.name_or_path), path, "tiny", "f16")
    return LlamaCppEngine.load(path)


def test_a_title_written_over_and_over_keeps_its_first_copy(
    any_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ml.inference.constrained import MAX_VALUE_CHARS

    monkeypatch.setattr(any_engine, "grounded", False)
    title, _ = _looping_title(any_engine, monkeypatch, close_repeating_values=False)
    assert len(title) == MAX_VALUE_CHARS["title"] and title.count(SENTENCE) == 2, "the control: only the bound stops it"
    monkeypatch.setattr(any_engine, "grounded", True)
    title, generation = _looping_title(any_engine, monkeypatch, close_repeating_values=True)
    assert title == SENTENCE, "closed in its second copy, whose start grounding trims"
    (tail,) = [entry for entry in generation.dropped if entry.startswith("title: ")]
    assert tail.startswith(f"title: {SENTENCE[:40]}") and len(tail) < 120, tail


def _value_faults(resume: ParsedResume) -> list[str]:
    """Values longer than their bound, or with a sentence (20+ characters) written twice or more."""
    from ml.inference.constrained import MAX_ITEM_CHARS, MAX_VALUE_CHARS

    faults = []
    entries = [("", resume), *(("Experience", e) for e in resume.experience)]
    entries += [("Education", e) for e in resume.education] + [("Project", p) for p in resume.projects]
    for model, entry in entries:
        for name, value in entry.model_dump().items():
            bound = MAX_VALUE_CHARS.get(f"{model}.{name}", MAX_VALUE_CHARS.get(name))
            values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
            for text in (v for v in values if isinstance(v, str)):
                limit = bound if isinstance(value, str) else MAX_ITEM_CHARS.get(name)
                if limit is not None and len(text) > limit:
                    faults.append(f"{name}: {len(text)} characters > {limit}")
                sentences = [s for s in re.split(r"(?<=[.!?;])\s+", text) if len(s) >= 20]
                faults += [f"{name}: {s!r} twice" for s in set(sentences) if sentences.count(s) >= 2]
    return faults


def test_value_faults_sees_a_long_value_and_a_repeated_sentence() -> None:
    assert _value_faults(ParsedResume(experience=[Experience(title=f"{SENTENCE} {SENTENCE}")])) == [
        f"title: {SENTENCE!r} twice"
    ]
    assert _value_faults(ParsedResume(skills=["x" * 81])) == ["skills: 81 characters > 80"]
    assert _value_faults(ParsedResume(summary=SENTENCE, experience=[Experience(highlights=[SENTENCE])])) == []


@pytest.mark.slow
def test_the_shipped_model_on_a_sidebar_theme_pdf_writes_no_runaway_value(tmp_path: Path) -> None:
    """Issue #29 on a real rendering: a JSON Resume document printed by the sidebar theme, read back from the PDF."""
    # imported here: the renderer needs node, the themes and Chromium, which a partial install lacks
    from ml.inference.backends import load_engine
    from ml.preprocessing import render
    from ml.preprocessing.ingest import read_document

    document = Path(__file__).resolve().parents[3] / "shared/data/jsonresume-dev/resumes/002.json"
    model = Path(__file__).resolve().parents[2] / "ml/models/exported/resume-griller-lora"
    present = document.is_file() and model.is_dir() and render.find_node() and render.find_chromium()
    if not present or render.SIDEBAR_THEME not in render.installed_themes():
        pytest.skip("needs jsonresume-dev, the shipped model, node, Chromium and the themes (scripts/setup_render.sh)")
    pdf = render.render_pdf(json.loads(document.read_text(encoding="utf-8")), render.SIDEBAR_THEME, tmp_path / "a.pdf")
    parsed, generation = load_engine(str(model)).parse_resume(read_document(pdf))
    assert parsed is not None, generation.text
    assert _value_faults(parsed) == []
