"""Schema-constrained decoding for ``parse_resume``: valid ``ParsedResume`` JSON by construction.

``parse_resume_processors(tokenizer)`` returns fresh HF ``LogitsProcessor`` objects for one
``model.generate`` call (any batch size; greedy or sampling). Five processors, applied in order:

1. :class:`GrammarProcessor` masks every token that would leave the JSON grammar of
   :func:`generation_schema` (llguidance; chosen by measured overhead, see ``bench/NOTES.md``).
   The grammar fixes the key order to the schema's property order with every key present
   (exactly the training target, :meth:`ParsedResume.to_json`), allows no free whitespace
   (separators are ``", "`` and ``": "`` only, so no endless space/newline runs between
   tokens), checks date patterns, caps each list (``maxItems``, :data:`MAX_ITEMS`) and bounds the
   length of every free-text value (``maxLength``, :data:`MAX_VALUE_CHARS`, :data:`MAX_ITEM_CHARS`).
2. :class:`RunawayListProcessor` closes a string array after :data:`RUNAWAY_STRIKES` items in a row
   that repeat an earlier item (case, spaces and edge punctuation ignored) or, in a grounded list
   such as skills, do not occur in the resume: the one-skill-repeated-until-the-limit loop of the
   prototype cannot happen, and neither can a run of invented items.
3. :class:`RepeatingValueProcessor` closes a string value whose text has started to repeat itself
   (its last :data:`REPEAT_BYTES` bytes already occur in it): a sentence written over and over
   until the token limit ends after its first copy.
4. :class:`DatedJobsProcessor` (when the resume text is given): while the ``experience`` list holds fewer jobs
   than the resume dates under its work headings, tokens that would close it are refused where others are allowed.
5. :class:`CloseNearLimitProcessor` (when ``max_new_tokens`` is known): in the last
   :attr:`CompiledParseGrammar.close_reserve` tokens, prefers whatever the grammar allows that
   closes the document (``"``, ``]``, ``}``, ``[]``, ``null``), so output cut by the token limit is
   still complete JSON. Without it, a cut output is invalid and ``Engine.parse_resume``
   returns ``None`` for it.

The grammar and token tables are compiled once per tokenizer and cached (:func:`compile_parse_grammar`);
a request only builds cheap per-sequence state.
"""

from __future__ import annotations

import copy
import json
import threading
import time
import weakref
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from transformers import LogitsProcessor

from ml import tasks
from ml.inference.grounding import decode_item, is_strike
from ml.preprocessing.segment import dated_entries
from ml.schema import Education, Experience, ParsedResume, Project, parsed_resume_json_schema
from ml.text import SourceText

ITEM_SEPARATOR = ", "
KEY_SEPARATOR = ": "
"""The separators of :meth:`ParsedResume.to_json` (the training target), enforced by the grammar."""

MAX_ITEMS: dict[str, int] = {
    "links": 10,
    "experience": 30,
    "highlights": 12,
    "education": 10,
    "projects": 20,
    "technologies": 30,
    "skills": 100,
    "certifications": 15,
    "languages": 10,
}
"""``maxItems`` per array property (by property name, at any depth): a bound on runaway lists."""

MAX_ITEM_CHARS: dict[str, int] = {
    "links": 200,
    "highlights": 1200,
    "technologies": 60,
    "skills": 80,
    "certifications": 160,
    "languages": 60,
}
"""``maxLength`` of the string items of each list: a model that stops repeating whole items can still
repeat inside one (``"Node.js, Node.js, ..."``); a bounded item ends and the next must differ.
Measured maxima (characters; 119 real JSON Resume documents in ``jsonresume-dev`` through
``from_json_resume`` / 1,500 synthetic resumes): links 76 / 57, highlights 1021 / 235 (a cap of 400
cut 69 of the 1,717 real highlights), technologies 24 / 25, skills 59 / 28, certifications 76 / 52,
languages 19 / 13."""

MAX_VALUE_CHARS: dict[str, int] = {
    "name": 80,
    "email": 100,
    "phone": 40,
    "location": 100,
    "summary": 2000,
    "company": 160,
    "title": 150,
    "institution": 160,
    "degree": 160,
    "field": 200,
    "gpa": 40,
    "Project.name": 200,
    "description": 1200,
}
"""``maxLength`` of the string (or null) properties: a title is a line, not a page (issue #29: one title
was a sentence repeated until the token budget ran out). By property name at any depth; a
``Model.property`` key (``Project.name``) overrides the bare name there. Dates need none: their
pattern bounds them. Measured maxima (characters; real ``jsonresume-dev`` / synthetic), bound ≈ 1.3-2.5x
the real maximum: name 32 / 33, email 31 / 41, phone 19 / 20, location 45 / 35 (in a job: 54 / 26),
summary 1447 / 546, company 118 / 42, title 74 / 53, institution 70 / 46, degree 79 / 33,
field 157 / 26, gpa 23 / 19, project name 151 / 31, project description 768 / 79."""

RUNAWAY_STRIKES = 2
"""Strikes in a row (repeats, or ungrounded items of a grounded list) after which a list is closed."""

REPEAT_BYTES = 64
"""A string value that has just written a span of this many bytes (of its raw JSON text) that it already
contains has started to repeat itself, and is closed (:class:`RepeatingValueProcessor`). Measured on the
values of 119 real JSON Resume documents (``jsonresume-dev``): the longest span that legitimately occurs
twice in one value is 42 characters (". I've helped my team to achieve the best "), three times 25; in 1,500
synthetic resumes 18 and 10. A sentence loop (issue #29: "Deployed in a large enterprise-scale to support
the industry." until the token limit) is cut 64 bytes into its second copy, a short loop
(``"Node.js, Node.js, ..."``) after 64 bytes plus one period."""

JSON_OPTIONS = {"whitespace_flexible": False, "item_separator": ITEM_SEPARATOR, "key_separator": KEY_SEPARATOR}

_CLOSING_CHARS = frozenset(b"]}")
_QUOTE, _BACKSLASH = ord('"'), ord("\\")


def generation_schema(
    max_items: dict[str, int] | None = None,
    max_item_chars: dict[str, int] | None = None,
    max_value_chars: dict[str, int] | None = None,
) -> dict[str, Any]:
    """The ParsedResume JSON Schema as decoded: every key required (in property order), lists, items and values capped.

    Requiring every key makes the output the same shape as the training target (``to_json``
    writes all keys) and makes the order observable; ``ParsedResume`` itself still accepts
    missing keys, longer lists and longer values (the caps bound the decoder, not user data).
    Pass ``{}`` to drop a kind of cap.
    """
    limits = MAX_ITEMS if max_items is None else max_items
    lengths = MAX_ITEM_CHARS if max_item_chars is None else max_item_chars
    value_lengths = MAX_VALUE_CHARS if max_value_chars is None else max_value_chars
    schema = copy.deepcopy(parsed_resume_json_schema())

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict):
                node["required"] = list(properties)
                for name, prop in properties.items():
                    if prop.get("type") == "array" and name in limits:
                        prop["maxItems"] = limits[name]
                    if prop.get("type") == "array" and name in lengths and prop["items"].get("type") == "string":
                        prop["items"] = {**prop["items"], "maxLength": lengths[name]}
                    bound = value_lengths.get(f"{node.get('title')}.{name}", value_lengths.get(name))
                    if bound is not None:
                        _cap_string_value(prop, bound)
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(schema)
    return schema


def _cap_string_value(prop: dict[str, Any], bound: int) -> None:
    """Give the free-text string branch of a property (``str`` or ``str | None``) a ``maxLength``."""
    for branch in prop.get("anyOf", [prop]):
        if branch.get("type") == "string" and "pattern" not in branch:
            branch["maxLength"] = bound


# --- compiled, cached per tokenizer --------------------------------------------------------------


@dataclass
class CompiledParseGrammar:
    """Everything per tokenizer that a request needs; built once (see :func:`compile_parse_grammar`)."""

    ll_tokenizer: Any  # llguidance.LLTokenizer
    grammar: str  # llguidance grammar (JSON) compiled from generation_schema()
    vocab_size: int
    eos_token_id: int | None
    token_bytes: list[bytes]
    close_in_string: np.ndarray  # bool[vocab]: tokens that close an open string, then only ] } (no comma)
    close_outside: np.ndarray  # bool[vocab]: tokens made of ] } only (maybe after []), or null
    close_reserve: int  # tokens kept back at the end of the budget for closing the document
    closes_array: np.ndarray  # bool[vocab]: tokens that start with ]
    closes_string: np.ndarray  # bool[vocab]: tokens that start with " (inside a string: end it)
    closing_brackets: np.ndarray  # int[vocab]: how many ] and } a token holds (how many containers it may close)
    has_quote: np.ndarray  # bool[vocab]: tokens with a " in them (the only ones that may end a string)
    closes_item_and_goes_on: dict[bytes, list[int]]  # '<text>",': close a string, then a "," (by <text>)
    whole_item_and_goes_on: dict[bytes, list[int]]  # '"<text>",': a whole item, then a "," (by <text>)
    seconds: float = 0.0  # compile time


_CACHE: dict[int, tuple[weakref.ref, CompiledParseGrammar]] = {}
_CACHE_LOCK = threading.Lock()


def compile_parse_grammar(tokenizer, vocab_size: int | None = None) -> CompiledParseGrammar:
    """Compile (or fetch from the per-tokenizer cache) the ParsedResume grammar and token tables."""
    key = id(tokenizer)
    n_vocab = max(vocab_size or 0, len(tokenizer))
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0]() is tokenizer and hit[1].vocab_size == n_vocab:
            return hit[1]
        compiled = _compile(tokenizer, n_vocab)
        try:
            ref = weakref.ref(tokenizer, lambda _, key=key: _CACHE.pop(key, None))
        except TypeError:  # not weak-referenceable: keep it alive with the cache entry
            ref = lambda tokenizer=tokenizer: tokenizer  # noqa: E731
        _CACHE[key] = (ref, compiled)
        return compiled


def _compile(tokenizer, n_vocab: int) -> CompiledParseGrammar:
    import llguidance.hf
    from llguidance import LLMatcher

    started = time.perf_counter()
    ll_tokenizer = llguidance.hf.from_tokenizer(tokenizer, n_vocab=n_vocab)
    grammar = LLMatcher.grammar_from_json_schema(generation_schema(), overrides=JSON_OPTIONS)
    is_error, messages = LLMatcher.validate_grammar_with_warnings(grammar, ll_tokenizer)
    if is_error:
        raise ValueError(f"ParsedResume grammar does not compile: {messages}")
    token_bytes = [b"" if ll_tokenizer.is_special_token(i) else ll_tokenizer.decode_bytes([i]) for i in range(n_vocab)]
    close_in_string = np.zeros(n_vocab, dtype=bool)
    close_outside = np.zeros(n_vocab, dtype=bool)
    closes_array = np.zeros(n_vocab, dtype=bool)
    closes_string = np.zeros(n_vocab, dtype=bool)
    closes_item_and_goes_on: dict[bytes, list[int]] = {}
    whole_item_and_goes_on: dict[bytes, list[int]] = {}
    for token_id, text in enumerate(token_bytes):
        if not text:
            continue
        stripped = text.strip(b" ")
        closers = stripped.removeprefix(b"[]")  # an empty list, maybe closing more after it
        if stripped == b"null" or (stripped and set(closers) <= _CLOSING_CHARS):
            close_outside[token_id] = True
        if text[0] == _QUOTE and (len(text) == 1 or set(text[1:].strip(b" ")) <= _CLOSING_CHARS):
            close_in_string[token_id] = True
        closes_array[token_id] = text.startswith(b"]")
        closes_string[token_id] = text[0] == _QUOTE
        end = _closing_quote(text, 0)
        if end >= 0 and text[end + 1 :].lstrip(b" ").startswith(b","):
            closes_item_and_goes_on.setdefault(text[:end], []).append(token_id)
        if text[0] == _QUOTE:
            end = _closing_quote(text, 1)
            if end >= 0 and text[end + 1 :].lstrip(b" ").startswith(b","):
                whole_item_and_goes_on.setdefault(text[1:end], []).append(token_id)
    return CompiledParseGrammar(
        ll_tokenizer=ll_tokenizer,
        grammar=grammar,
        vocab_size=n_vocab,
        eos_token_id=tokenizer.eos_token_id,
        token_bytes=token_bytes,
        close_in_string=close_in_string,
        close_outside=close_outside,
        close_reserve=_close_reserve(tokenizer),
        closes_array=closes_array,
        closes_string=closes_string,
        closing_brackets=np.array([text.count(b"]") + text.count(b"}") for text in token_bytes], dtype=np.int32),
        has_quote=np.array([b'"' in text for text in token_bytes], dtype=bool),
        closes_item_and_goes_on=closes_item_and_goes_on,
        whole_item_and_goes_on=whole_item_and_goes_on,
        seconds=time.perf_counter() - started,
    )


def _closing_quote(text: bytes, start: int) -> int:
    """Index of the first unescaped ``"`` in ``text[start:]`` read as JSON string content, or -1."""
    escaped = False
    for index in range(start, len(text)):
        byte = text[index]
        if escaped:
            escaped = False
        elif byte == _BACKSLASH:
            escaped = True
        elif byte == _QUOTE:
            return index
    return -1


def _close_reserve(tokenizer) -> int:
    """Tokens needed to close the document from deep inside it: a full skeleton, plus slack for a date or key."""
    skeleton = ParsedResume().model_dump(mode="json")
    skeleton["experience"] = [Experience().model_dump(mode="json")]
    skeleton["education"] = [Education().model_dump(mode="json")]
    skeleton["projects"] = [Project().model_dump(mode="json")]
    text = json.dumps(skeleton, separators=(ITEM_SEPARATOR, KEY_SEPARATOR))
    return len(tokenizer(text, add_special_tokens=False)["input_ids"]) + 16


# --- per-request state ---------------------------------------------------------------------------


class _Frame:
    __slots__ = ("children", "expect_key", "is_array", "items", "key", "last_key", "value_done")

    def __init__(self, is_array: bool, key: bytes | None) -> None:
        self.is_array = is_array
        self.key = key  # the property this container is the value of (inherited through arrays)
        self.items: list[bytes] = []  # completed string items (raw JSON text), arrays only
        self.children = 0  # completed objects and arrays inside this container (an array's entries)
        self.expect_key = not is_array  # objects: the next string is a property name
        self.last_key: bytes | None = None  # objects: the latest property name
        self.value_done = False  # objects: the latest property's container value is complete


class JsonCursor:
    """Where one sequence stands in its JSON text: open containers, string state, earlier array items.

    Fed the bytes of each generated token; assumes (grammar-)valid JSON and never raises.
    """

    __slots__ = ("buffer", "escaped", "in_string", "stack", "string_is_item")

    def __init__(self) -> None:
        self.stack: list[_Frame] = []
        self.in_string = False
        self.escaped = False
        self.string_is_item = False
        self.buffer = bytearray()

    def copy(self) -> JsonCursor:
        twin = JsonCursor()
        for frame in self.stack:
            twin_frame = _Frame(frame.is_array, frame.key)
            twin_frame.items = frame.items.copy()
            twin_frame.children, twin_frame.value_done = frame.children, frame.value_done
            twin_frame.expect_key, twin_frame.last_key = frame.expect_key, frame.last_key
            twin.stack.append(twin_frame)
        twin.in_string, twin.escaped, twin.string_is_item = self.in_string, self.escaped, self.string_is_item
        twin.buffer = bytearray(self.buffer)
        return twin

    def feed(self, data: bytes) -> None:
        for byte in data:
            if self.in_string:
                if self.escaped:
                    self.escaped = False
                elif byte == _BACKSLASH:
                    self.escaped = True
                elif byte == _QUOTE:
                    self.in_string = False
                    if self.string_is_item:
                        self.stack[-1].items.append(bytes(self.buffer))
                    elif self.stack and self.stack[-1].expect_key:
                        self.stack[-1].last_key, self.stack[-1].expect_key = bytes(self.buffer), False
                        self.stack[-1].value_done = False
                    continue
                self.buffer.append(byte)
            elif byte == _QUOTE:
                self.in_string, self.escaped = True, False
                self.string_is_item = bool(self.stack) and self.stack[-1].is_array
                self.buffer.clear()
            elif byte in b"{[":
                parent = self.stack[-1] if self.stack else None
                key = None if parent is None else parent.key if parent.is_array else parent.last_key
                self.stack.append(_Frame(byte == ord("["), key))
            elif byte in b"}]" and self.stack:
                self.stack.pop()
                if self.stack:
                    self.stack[-1].children += 1
                    self.stack[-1].value_done = True
            elif byte == ord(",") and self.stack and not self.stack[-1].is_array:
                self.stack[-1].expect_key = True

    def array_items(self) -> list[bytes] | None:
        """Earlier string items of the innermost array, when the cursor is at or inside one of its items."""
        if not self.stack or not self.stack[-1].is_array:
            return None
        if self.in_string and not self.string_is_item:
            return None
        return self.stack[-1].items

    def in_value(self) -> bool:
        """Inside a string that is a value (a property's value or an array item), not a property name."""
        return self.in_string and (self.string_is_item or not (self.stack and self.stack[-1].expect_key))

    def entries_written(self, key: bytes) -> int | None:
        """Completed entries of the top-level list ``key`` ("experience") from where its value is due (0) until it
        closes; ``None`` elsewhere."""
        if not self.stack or self.stack[0].last_key != key or self.stack[0].expect_key:
            return None
        if len(self.stack) == 1:
            return None if self.stack[0].value_done or self.in_string else 0
        return self.stack[1].children if self.stack[1].is_array else None

    def ends_list_short(self, text: bytes, key: bytes, minimum: int) -> bool:
        """Whether ``text`` written here closes the top-level list ``key`` with fewer than ``minimum`` entries
        (``" [],"``, an empty list in one token, included). The cursor is unchanged."""
        twin = self.copy()
        for byte in text:
            written = twin.entries_written(key)
            twin.feed(bytes((byte,)))
            if written is not None and twin.entries_written(key) is None:
                return written < minimum
        return False

    def array_key(self) -> str:
        """The property name of the innermost container (``skills``, ``highlights`` ...), or ``""``."""
        key = self.stack[-1].key if self.stack else None
        return key.decode("utf-8", errors="replace") if key else ""


class _SequenceTracker:
    """Per-request bookkeeping shared by the processors: each row's answer tokens, grammar matcher and cursor.

    HF's prompt-lookup / assisted decoding calls the processors on *speculative* prefixes (draft
    tokens that may then be rejected), so the tracker follows whatever prefix it is given: it rolls
    the matcher and the JSON cursor back to the longest common prefix with what it consumed before,
    then consumes the new tokens. A token the grammar rejects (only a draft can be one) marks the row
    ``off_grammar`` for that prefix; its scores are then irrelevant, because HF accepts a draft token
    only if it is the argmax of the *processed* scores at its position, which the grammar masked.
    """

    def __init__(
        self, compiled: CompiledParseGrammar, prefix_length: int = 0, sources: list[str] | None = None
    ) -> None:
        self.compiled = compiled
        self.prefix_length = prefix_length
        self.sources = [SourceText(text) for text in sources] if sources else None
        self.prompt_length: int | None = None
        self.tokens: list[list[int]] = []  # answer tokens consumed, per row
        self.valid: list[int] = []  # how many of them the grammar accepted
        self.snapshots: list[list[JsonCursor]] = []  # cursor after 0..len(tokens) tokens, per row
        self.matchers: list[Any] = []
        self.last_ids: torch.LongTensor | None = None  # the tensor last followed (one per step, shared by processors)

    def advance(self, input_ids: torch.LongTensor) -> None:
        """Bring every row's state to ``input_ids`` (rolling back first where it diverges)."""
        from llguidance import LLMatcher

        if input_ids is self.last_ids:  # the processors after the first, at the same step: nothing to follow
            return
        self.last_ids = input_ids
        if self.prompt_length is None:
            self.prompt_length = input_ids.shape[1] - self.prefix_length
            rows = input_ids.shape[0]
            self.tokens, self.valid = [[] for _ in range(rows)], [0] * rows
            self.snapshots = [[JsonCursor()] for _ in range(rows)]
            self.matchers = [
                LLMatcher(self.compiled.ll_tokenizer, self.compiled.grammar, log_level=0) for _ in range(rows)
            ]
        answers = input_ids[:, self.prompt_length :].tolist()
        for row, answer in enumerate(answers):
            self._follow(row, answer)

    def _follow(self, row: int, answer: list[int]) -> None:
        seen = self.tokens[row]
        common = 0
        for old, new in zip(seen, answer, strict=False):
            if old != new:
                break
            common += 1
        if common == len(seen) == len(answer):
            return
        matcher, snapshots = self.matchers[row], self.snapshots[row]
        if self.valid[row] > common:
            matcher.rollback(self.valid[row] - common)
            self.valid[row] = common
        del seen[common:], snapshots[common + 1 :]
        fresh = answer[common:]
        if self.valid[row] == common and not matcher.is_stopped():
            self.valid[row] += matcher.try_consume_tokens(fresh)
        table = self.compiled.token_bytes
        for token in fresh:
            cursor = snapshots[-1].copy()
            if 0 <= token < len(table):
                cursor.feed(table[token])
            snapshots.append(cursor)
            seen.append(token)

    def off_grammar(self, row: int) -> bool:
        """The row's prefix holds a token the grammar rejected (a draft that will be discarded)."""
        return self.valid[row] < len(self.tokens[row]) and not self.matchers[row].is_stopped()

    def cursor(self, row: int) -> JsonCursor:
        return self.snapshots[row][-1]

    def source(self, row: int) -> SourceText | None:
        """The resume text of the row, when the caller gave the sources (grounded lists are checked against it)."""
        return self.sources[row] if self.sources else None

    @property
    def rows(self) -> int:
        return len(self.tokens)

    @property
    def step(self) -> int:
        """New tokens generated so far (the answer prefix is not counted); the same for every row."""
        return (len(self.tokens[0]) if self.tokens else 0) - self.prefix_length


class GrammarProcessor(LogitsProcessor):
    """Masks tokens outside the ParsedResume grammar (llguidance matcher per row)."""

    def __init__(self, compiled: CompiledParseGrammar, tracker: _SequenceTracker) -> None:
        self.compiled = compiled
        self.tracker = tracker
        self.bitmask: np.ndarray | None = None
        self.seconds = 0.0  # time spent here, for benchmarks

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        from llguidance.numpy import allocate_token_bitmask, fill_next_token_bitmask

        started = time.perf_counter()
        tracker, compiled = self.tracker, self.compiled
        tracker.advance(input_ids)
        if self.bitmask is None:
            self.bitmask = allocate_token_bitmask(tracker.rows, compiled.vocab_size)
        for row, matcher in enumerate(tracker.matchers):
            if tracker.off_grammar(row):
                continue
            if matcher.is_stopped():  # the document is complete (or the row finished): only EOS may follow
                allowed = np.zeros(compiled.vocab_size, dtype=bool)
                if compiled.eos_token_id is not None:
                    allowed[compiled.eos_token_id] = True
            else:
                fill_next_token_bitmask(matcher, self.bitmask, row)
                allowed = np.unpackbits(self.bitmask[row].view(np.uint8), bitorder="little").view(bool)
            _keep_only(scores, row, allowed)
        self.seconds += time.perf_counter() - started
        return scores


def _row_view(scores: torch.Tensor, row: int) -> np.ndarray | None:
    """A writable numpy view of one row of CPU scores (plain numpy ops avoid torch's thread pool on tiny work)."""
    if scores.device.type == "cpu" and scores.dtype in (torch.float32, torch.float16, torch.float64):
        return scores[row].numpy()
    return None


def _keep_only(scores: torch.Tensor, row: int, keep: np.ndarray) -> None:
    """Set ``scores[row]`` to -inf wherever ``keep`` is false; columns past ``keep`` are dropped too."""
    width = min(scores.shape[-1], keep.shape[0])
    view = _row_view(scores, row)
    if view is not None:
        np.copyto(view[:width], -np.inf, where=~keep[:width])
        view[width:] = -np.inf
    else:
        drop = torch.from_numpy(~keep[:width]).to(scores.device)
        scores[row, :width] = scores[row, :width].masked_fill(drop, float("-inf"))
        scores[row, width:] = float("-inf")


def _finite(scores: torch.Tensor, row: int) -> np.ndarray:
    view = _row_view(scores, row)
    return np.isfinite(view) if view is not None else torch.isfinite(scores[row]).cpu().numpy()


class RunawayListProcessor(LogitsProcessor):
    """Closes a JSON string array that has gone astray: after :data:`RUNAWAY_STRIKES` strikes in a row.

    A strike is an item that repeats an earlier item of the same array (:func:`~ml.inference.grounding.item_key`)
    or, in a grounded list (skills, technologies, certifications, languages), one the resume does not
    contain (:func:`~ml.inference.grounding.is_strike`). A loop (``"Python", "Python", ...``) and a
    run of inventions both end the list, instead of the model being pushed to invent one more item
    (what forbidding the repeat did: 100 invented skills on a student resume). The strikes themselves
    are removed afterwards (:func:`~ml.inference.grounding.ground`).

    Once the last item was a strike, an item that would be the next strike may only be closed by a
    token that does not also write the separator (``"`` rather than ``",``), so that the array can
    still be closed.
    """

    def __init__(self, compiled: CompiledParseGrammar, tracker: _SequenceTracker) -> None:
        self.compiled = compiled
        self.tracker = tracker
        self.closed = 0  # lists closed early, for tests and benchmarks
        self.seconds = 0.0

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        started = time.perf_counter()
        self.tracker.advance(input_ids)  # no-op if another processor already advanced it
        compiled = self.compiled
        for row in range(self.tracker.rows):
            if self.tracker.off_grammar(row):
                continue
            cursor = self.tracker.cursor(row)
            items = cursor.array_items()
            if not items:
                continue
            source = self.tracker.source(row)
            strikes = self._strikes_in_a_row(cursor, items, source)
            may_close = strikes >= RUNAWAY_STRIKES and not cursor.in_string
            if may_close and self._keep_where(scores, row, compiled.closes_array):
                self.closed += 1
            elif strikes >= RUNAWAY_STRIKES - 1:
                self._ban_striking_separators(scores, row, cursor, items, source)
        self.seconds += time.perf_counter() - started
        return scores

    def _ban_striking_separators(
        self, scores: torch.Tensor, row: int, cursor: JsonCursor, items: list[bytes], source: SourceText | None
    ) -> None:
        """Forbid tokens that would end the next strike *and* write the "," after it (the list could not close).

        Only such tokens: the model's usual tokenisation is left alone everywhere else (forcing ``"`` instead
        of ``",`` after every item made the model close good lists early).
        """
        if cursor.in_string:
            if cursor.escaped:
                return
            typed, table = bytes(cursor.buffer), self.compiled.closes_item_and_goes_on
        else:
            typed, table = b"", self.compiled.whole_item_and_goes_on
        field_name = cursor.array_key()
        earlier = [decode_item(item) for item in items]
        banned = [
            token
            for before, tokens in table.items()
            if is_strike(field_name, decode_item(typed + before), earlier, source)
            for token in tokens
        ]
        if banned:
            allowed = _finite(scores, row)
            allowed[[token for token in banned if token < allowed.shape[0]]] = False
            if allowed.any():
                _keep_only(scores, row, allowed)

    @staticmethod
    def _keep_where(scores: torch.Tensor, row: int, mask: np.ndarray) -> bool:
        """Restrict the row to ``mask`` where that leaves something allowed; say whether it did."""
        allowed = _finite(scores, row)
        width = min(allowed.shape[0], mask.shape[0])
        choice = allowed[:width] & mask[:width]
        if not choice.any():
            return False
        _keep_only(scores, row, choice)
        return True

    @staticmethod
    def _strikes_in_a_row(cursor: JsonCursor, items: list[bytes], source: SourceText | None) -> int:
        field_name = cursor.array_key()
        texts = [decode_item(item) for item in items]
        strikes = 0
        for index in range(len(texts) - 1, -1, -1):
            if not is_strike(field_name, texts[index], texts[:index], source):
                break
            strikes += 1
        return strikes


def repeats_itself(value: bytes | bytearray, span: int = REPEAT_BYTES) -> bool:
    """The last ``span`` bytes of ``value`` already occur earlier in it (overlapping allowed)."""
    return len(value) > span and value.find(value[-span:]) < len(value) - span


class RepeatingValueProcessor(LogitsProcessor):
    """Closes a string value that has started to repeat itself: only a token that ends the string is allowed.

    :class:`RunawayListProcessor` ends a list whose *items* repeat; this ends a *value* whose text
    repeats (issue #29: one job title was a sentence written over and over until the token budget
    ran out, and two of 21 real PDFs had a sentence four times or more in one value). The test is
    :func:`repeats_itself` on the value's raw text so far, after every token: its last
    :data:`REPEAT_BYTES` bytes occurred earlier in the same value, far longer than any phrase a real
    value repeats (``"Python ... Python"`` stays). The value then keeps its first copy plus the start of
    the second, which :func:`ml.inference.grounding.ground` trims (:func:`~ml.inference.grounding.repeated_tail`).
    Property names and other values are never compared: a repeat across values is not a loop of one.
    """

    def __init__(self, compiled: CompiledParseGrammar, tracker: _SequenceTracker) -> None:
        self.compiled = compiled
        self.tracker = tracker
        self.cut = 0  # steps at which a value was made to close, for tests and benchmarks
        self.seconds = 0.0

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        started = time.perf_counter()
        self.tracker.advance(input_ids)
        for row in range(self.tracker.rows):
            if self.tracker.off_grammar(row):
                continue
            cursor = self.tracker.cursor(row)
            if not cursor.in_value() or cursor.escaped or not repeats_itself(cursor.buffer):
                continue
            if RunawayListProcessor._keep_where(scores, row, self.compiled.closes_string):
                self.cut += 1
        self.seconds += time.perf_counter() - started
        return scores


class DatedJobsProcessor(LogitsProcessor):
    """Keeps the ``experience`` list open while it holds fewer jobs than the resume has dated entries under work
    headings (:func:`~ml.preprocessing.segment.dated_entries`): a token that would close the list then (``" [],"``
    for an empty one, ``"],"``, ``"}]"``) is not allowed, so the model writes the next job. A job's lone ``"}"``
    stays allowed: refusing it too (so that the model writes its own separator between jobs, ``"},"``, rather than
    ``"}"`` and a forced ``","``) made it go on past the last dated job (jsonresume-018: three jobs from the skills).

    v10 closes the list early on short, clean resumes as well as long ones (jsonresume-018: three dated jobs under
    "Employment", the third never written; on its 80 real validation parses 27 true jobs of the text renderings and
    43 of the PDFs are missing). The count is a floor the resume itself gives: on v10's 1,700 training parses it is
    above the true number of jobs in 4. Needs the row's source (grounded decoding). It stands aside where every
    allowed token would end the list, and in the last :attr:`CLOSE_MARGIN` close reserves of the budget, which leaves
    :class:`CloseNearLimitProcessor` its reserve and the sections after the jobs some room.
    """

    CLOSE_MARGIN = 2

    def __init__(
        self, compiled: CompiledParseGrammar, tracker: _SequenceTracker, max_new_tokens: int | None, sources: list[str]
    ) -> None:
        self.compiled = compiled
        self.tracker = tracker
        self.max_new_tokens = max_new_tokens
        self.kept_open = 0  # steps at which a close of the list was refused, for tests and benchmarks
        self.expected = [dated_entries(tasks.resume_of_parse_input(source), "work") for source in sources]

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        self.tracker.advance(input_ids)
        near_limit = self.max_new_tokens is not None and (
            self.max_new_tokens - self.tracker.step <= self.CLOSE_MARGIN * self.compiled.close_reserve
        )
        for row in range(self.tracker.rows):
            if near_limit or self.tracker.off_grammar(row):
                continue
            cursor = self.tracker.cursor(row)
            written = cursor.entries_written(b"experience")
            if written is None or written >= self.expected[row]:
                continue
            allowed = _finite(scores, row)
            width = min(allowed.shape[0], self.compiled.closing_brackets.shape[0])
            # a token may end the list only with a ] or } for each container it closes, and from inside a string
            # only with a quote: the few that can are tried on the cursor
            may_end = self.compiled.closing_brackets[:width] >= max(1, len(cursor.stack) - 1)
            if cursor.in_string:
                may_end &= self.compiled.has_quote[:width]
            closing = [
                token
                for token in np.flatnonzero(allowed[:width] & may_end)
                if cursor.ends_list_short(self.compiled.token_bytes[token], b"experience", self.expected[row])
            ]
            if closing and len(closing) < allowed.sum():
                allowed[closing] = False
                _keep_only(scores, row, allowed)
                self.kept_open += 1
        return scores


class CloseNearLimitProcessor(LogitsProcessor):
    """In the last ``close_reserve`` tokens of the budget, prefer allowed tokens that close the document.

    Runs after the grammar mask: among the tokens still allowed, it keeps only those that close
    the open string (``"`` alone or followed by ``]``/``}``), close containers, or write ``null``,
    whenever one of them is allowed; elsewhere (a required key, a date still incomplete, a comma
    before the next required key) the grammar's own choice stands. Every path through the
    ParsedResume grammar then ends within the reserve.
    """

    def __init__(self, compiled: CompiledParseGrammar, tracker: _SequenceTracker, max_new_tokens: int) -> None:
        self.compiled = compiled
        self.tracker = tracker
        self.max_new_tokens = max_new_tokens
        self.closing_steps = 0

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        self.tracker.advance(input_ids)
        if self.max_new_tokens - self.tracker.step > self.compiled.close_reserve:
            return scores
        self.closing_steps += 1
        for row in range(self.tracker.rows):
            cursor = self.tracker.cursor(row)
            preferred = self.compiled.close_in_string if cursor.in_string else self.compiled.close_outside
            allowed = _finite(scores, row)
            width = min(allowed.shape[0], preferred.shape[0])
            choice = allowed[:width] & preferred[:width]
            if choice.any():
                _keep_only(scores, row, choice)
        return scores


def parse_resume_processors(
    tokenizer,
    max_new_tokens: int | None = None,
    *,
    close_runaway_lists: bool = True,
    close_repeating_values: bool = True,
    vocab_size: int | None = None,
    prefix_ids: list[int] | None = None,
    sources: list[str] | None = None,
    keep_dated_jobs: bool = True,
) -> list[LogitsProcessor]:
    """Fresh logits processors (one ``generate`` call, any batch size) that keep decoding inside the schema.

    ``max_new_tokens`` (the ``generate`` limit) turns on closing near the limit; ``vocab_size`` is the
    model's logits width when it differs from ``len(tokenizer)`` (padded embeddings); ``prefix_ids``
    are answer tokens already at the end of the prompt (a forced start of the JSON), which the
    grammar and the list tracking consume before the first new token. ``sources`` (one resume text
    per row) lets a grounded list close after items the resume does not contain; without them only
    repeats count. ``close_repeating_values`` turns on :class:`RepeatingValueProcessor`, ``keep_dated_jobs``
    (with ``sources``) :class:`DatedJobsProcessor`.
    """
    compiled = compile_parse_grammar(tokenizer, vocab_size)
    tracker = _SequenceTracker(compiled, prefix_length=len(prefix_ids or ()), sources=sources)
    processors: list[LogitsProcessor] = [GrammarProcessor(compiled, tracker)]
    if close_runaway_lists:
        processors.append(RunawayListProcessor(compiled, tracker))
    if close_repeating_values:
        processors.append(RepeatingValueProcessor(compiled, tracker))
    if keep_dated_jobs and sources:
        processors.append(DatedJobsProcessor(compiled, tracker, max_new_tokens, sources))
    if max_new_tokens is not None:
        processors.append(CloseNearLimitProcessor(compiled, tracker, max_new_tokens))
    return processors
