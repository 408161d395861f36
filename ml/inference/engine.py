"""Local generation: load a model (base, base + LoRA adapter, or merged export) and run the tasks.

:class:`Engine` is the protocol every backend keeps (the tasks, ``generate``, ``generate_messages``,
``generate_batch``; :class:`Generation`, :class:`GenerationCancelled`) and, on its own, the transformers backend;
:class:`~ml.inference.llama_cpp_engine.LlamaCppEngine` replaces only the loading and the forward pass. Which
backend runs a model, and loading it: :mod:`ml.inference.backends`.

Prompts come from :mod:`ml.tasks` and go through the tokenizer's own chat template, exactly
as in training (:mod:`ml.training.dataset`), so there is no template drift between the two.
"""

from __future__ import annotations

import json
import math
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ml import tasks
from ml.base_model import adapter_base_model, is_adapter_dir, load_base_model
from ml.inference.grounding import ground_json, grounding_enabled
from ml.inference.sampling import GREEDY, Sampling, SeededSampler, prompt_seed, retry_seed, task_sampling
from ml.inference.tone import on_tone_many, question_samples_setting
from ml.preprocessing.segment import merge_parses, split_resume
from ml.schema import ParsedResume

DEFAULT_CONTEXT_LIMIT = 8192
PROMPT_LOOKUP_TOKENS = 10
"""Draft length of prompt-lookup decoding: a parse copies long spans of the resume (and repeats its own
JSON keys), so drafts taken from the text already seen are often right and verified in one forward
pass. Greedy output is unchanged; measured in ``bench/infer_latency.py``. 0 turns it off."""
DEFAULT_MAX_NEW_TOKENS = {
    tasks.TaskName.PARSE_RESUME: 1536,
    tasks.TaskName.INTERVIEW_QUESTION: 64,
    tasks.TaskName.FOLLOW_UP: 64,
}
"""Answer budget when the caller sets none; for a parse this is the floor of :meth:`Engine.answer_budget`."""
FOLLOW_UP_SAMPLES = 4
"""Samples a follow-up may take to quote only what the candidate said: v9 quoted words never said ("sticking with
it" for "I try to stay calm") in 5 of 20 follow-ups on real people, 1 of 19 after resampling
(``bench/real_questions.py``)."""
PARSE_ANSWER_PER_PROMPT_TOKEN = 2.25
"""A parse restates its resume as JSON, so its length follows the resume's: in 1,500 training parses the
answer has a median 1.17 and at most 1.96 tokens per prompt token, and the grammar starts closing the JSON
162 tokens before the limit, so 2.25 leaves the longest of them whole. A fixed cap cut long careers short
(the JSON closed early, losing the last jobs, the education and the skills). 0 leaves only the floor."""


@dataclass
class Generation:
    text: str
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    finished: bool  # stopped on EOS rather than on the token limit
    truncated: bool = False  # the user message was cut to fit the context (see Engine.fit_user_input)
    dropped: list[str] = field(default_factory=list)  # parse values removed by grounding ("field: value")


class GenerationCancelled(Exception):
    """A generation stopped because its ``cancel`` event was set (its caller left): there is no answer.

    ``generate``, ``generate_messages``, ``generate_batch`` and the parses take ``cancel: threading.Event | None``;
    the decoding loop checks it after every step, so setting it from another thread stops the work within a step
    (the server sets it when a client leaves)."""


@dataclass
class PreparedPrompt:
    """A task prompt ready to decode (:meth:`Engine.prepare`)."""

    messages: list[dict[str, str]]
    limit: int
    constrained: bool
    source: str | None  # the resume text a parse is grounded in (None: not grounded)
    sampling: Sampling
    truncated: bool


PARSE_METHODS: tuple[str, ...] = ("single", "segmented")
"""How a parse reads a resume: in one pass, or cut into parts of a few entries each, parsed as one batch and
merged (:mod:`ml.preprocessing.segment`); ``GRILLER_PARSE_METHOD`` picks one."""
DEFAULT_PARSE_METHOD = "segmented"
"""On the 21 of 80 real validation renderings it cut first (7+ dated entries, parts of 5), v9's micro-F1 went from
0.267 to 0.308, hallucinations 7.3% to 4.5%, for 48% more answer tokens; the whole set, with grounded highlights:
text 0.474 to 0.513 (bench/NOTES.md, "Parse by parts"). With v10, parts of 3 cut from 5 entries and their headings
carried: text 0.685 to 0.715, PDFs 0.411 to 0.454 (bench/NOTES.md, "Smaller parts")."""
QuestionArgs = tuple[ParsedResume | str, tasks.Tone | str] | tuple[ParsedResume | str, tasks.Tone | str, int | None]
FollowUpArgs = tuple[ParsedResume | str, str, str] | tuple[ParsedResume | str, str, str, int | None]


def prompt_lookup_setting(default: int = PROMPT_LOOKUP_TOKENS) -> int:
    return int(os.environ.get("GRILLER_PROMPT_LOOKUP", default))


def parse_method_setting() -> str:
    """The parse method asked for by ``GRILLER_PARSE_METHOD`` (default :data:`DEFAULT_PARSE_METHOD`), checked."""
    method = os.environ.get("GRILLER_PARSE_METHOD") or DEFAULT_PARSE_METHOD
    if method not in PARSE_METHODS:
        raise ValueError(f"Unknown GRILLER_PARSE_METHOD {method!r}; choose one of: {', '.join(PARSE_METHODS)}")
    return method


def max_context_setting() -> int:
    return int(os.environ.get("GRILLER_MAX_CONTEXT", DEFAULT_CONTEXT_LIMIT))


def device_setting() -> str:
    """Where the transformers backend runs: ``GRILLER_DEVICE`` (``cpu``, ``cuda``, ``cuda:1`` …), else CUDA if any."""
    import torch

    return os.environ.get("GRILLER_DEVICE") or ("cuda" if torch.cuda.is_available() else "cpu")


class Engine:
    """A loaded model ready to answer the three tasks."""

    backend = "transformers"

    def __init__(self, model, tokenizer, name: str, fine_tuned: bool) -> None:
        if getattr(model, "hf_device_map", None) is None:  # a device-mapped (e.g. quantized) model stays put
            model = model.to(device_setting())
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.name = name
        self.fine_tuned = fine_tuned
        self.prompt_lookup_tokens = prompt_lookup_setting()
        self.grounded = grounding_enabled()
        """Parses keep only values the resume contains (:mod:`ml.inference.grounding`); on by default."""
        self.parse_method = parse_method_setting()
        self.question_samples = question_samples_setting()
        """Samples a question may take to be of the tone asked (:mod:`ml.inference.tone`); 1 takes the first."""

    @classmethod
    def load(cls, spec: str | Path | None = None, merge_adapter: bool = True) -> Engine:
        """Load a base model spec (see :mod:`ml.base_model`), a merged export or a LoRA adapter directory.

        An adapter is merged into the base weights in memory by default: same outputs, no per-layer
        LoRA overhead at decode time. Its own tokenizer (and so its chat template) is used when saved.
        """
        path = Path(spec) if spec is not None else None
        if path is not None and path.is_dir() and is_adapter_dir(path):
            from peft import PeftModel
            from transformers import AutoTokenizer

            model, tokenizer = load_base_model(adapter_base_model(path))
            if (path / "tokenizer_config.json").is_file():
                tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
            model = PeftModel.from_pretrained(model, str(path))
            if merge_adapter:
                model = model.merge_and_unload()
            return cls(model, tokenizer, name=str(path), fine_tuned=True)
        model, tokenizer = load_base_model(spec)
        export_dir = path.parent if path is not None and path.is_file() else path  # a .gguf sits in its export
        fine_tuned = export_dir is not None and (export_dir / "griller_export.json").is_file()
        return cls(model, tokenizer, name=str(spec or "base"), fine_tuned=fine_tuned)

    @property
    def context_limit(self) -> int:
        """Prompt + answer tokens this engine will run: the model's window, capped by ``GRILLER_MAX_CONTEXT``."""
        window = getattr(self.model.config, "max_position_embeddings", None) or DEFAULT_CONTEXT_LIMIT
        return min(int(window), max_context_setting())

    def prompt_ids(self, task: tasks.TaskName | str, user_input: str):
        return self._encode(tasks.build_messages(task, user_input))

    def _encode(self, messages: list[dict[str, str]]):
        return self.tokenizer.apply_chat_template(
            messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
        )

    def fit_user_input(self, task: tasks.TaskName | str, user_input: str, max_new_tokens: int) -> tuple[str, bool]:
        """Truncation policy: cut the *end* of an over-long user message so prompt + answer fit the context.

        A resume's head (contact, latest jobs) matters most, so the tail is dropped; the caller is told
        (``Generation.truncated``) instead of the model silently running past its window.
        """
        budget = self.context_limit - max_new_tokens
        overflow = self.prompt_ids(task, user_input)["input_ids"].shape[1] - budget
        if overflow <= 0:
            return user_input, False
        ids = self.tokenizer(user_input, add_special_tokens=False)["input_ids"]
        keep = max(len(ids) - overflow - 8, 0)  # a small margin: re-tokenising the cut text can shift a token
        return self.tokenizer.decode(ids[:keep]), True

    def answer_budget(self, task: tasks.TaskName | str, *user_inputs: str) -> int:
        """Tokens an answer may take when the caller sets no limit: the task's default, and for a parse
        :data:`PARSE_ANSWER_PER_PROMPT_TOKEN` per prompt token of the longest prompt, as far as the context
        has room after it. When less than the default is left, the default wins and ``fit_user_input`` cuts
        the resume. A batch shares one limit; taking the longest prompt's keeps it from cutting any row."""
        task = tasks.TaskName(task)
        floor = DEFAULT_MAX_NEW_TOKENS[task]
        if task is not tasks.TaskName.PARSE_RESUME or not user_inputs:
            return floor
        prompt = max(self.prompt_ids(task, text)["input_ids"].shape[1] for text in user_inputs)
        return max(floor, min(math.ceil(PARSE_ANSWER_PER_PROMPT_TOKEN * prompt), self.context_limit - prompt))

    def generate(
        self,
        task: tasks.TaskName | str,
        user_input: str,
        max_new_tokens: int | None = None,
        constrained: bool | None = None,
        seed: int | None = None,
        cancel: threading.Event | None = None,
    ) -> Generation:
        """Generation for one task prompt: greedy for parses, seeded sampling for questions (:mod:`.sampling`).

        ``constrained`` (default: on for ``parse_resume``) decodes under the ``ParsedResume`` JSON
        Schema grammar, so the output is valid JSON of the right shape by construction. ``seed`` (default:
        one derived from the prompt, so a request repeats) picks a question task's sample.
        """
        if tasks.TaskName(task) is tasks.TaskName.PARSE_RESUME and self.parse_method == "segmented":
            parts = split_resume(tasks.resume_of_parse_input(user_input))
            if len(parts) > 1:
                return self.generate_parts(parts, max_new_tokens, cancel, user_input if self.grounded else None)
        request = self.prepare(task, user_input, max_new_tokens, constrained, seed)
        generation = self.generate_messages(
            request.messages,
            request.limit,
            request.constrained,
            source=request.source,
            sampling=request.sampling,
            cancel=cancel,
        )
        generation.truncated = request.truncated
        return self.ground(generation, request.source)

    def generate_parts(
        self,
        parts: list[str],
        max_new_tokens: int | None = None,
        cancel: threading.Event | None = None,
        source: str | None = None,
    ) -> Generation:
        """One parse of a resume cut into ``parts``: the parts decoded as one batch, their parses merged
        (:func:`~ml.preprocessing.segment.merge_parses`; a part that is not valid JSON is left out) and grounded
        in the whole resume ``source`` (None: not grounded; a constrained batch grounds each part in its own text
        first), since the rules that read the resume's sections (its skills section, the headings a job is under,
        its contact lines) need all of it: v10 on the real validation set, text 0.735 -> 0.738, PDFs 0.529 -> 0.532.
        Token counts are the parts' sums, ``seconds`` the whole call's."""
        started = time.perf_counter()
        inputs = [tasks.parse_resume_input(part) for part in parts]
        generations = self.generate_batch(tasks.TaskName.PARSE_RESUME, inputs, max_new_tokens, cancel=cancel)
        read = [(parse, part) for parse, part in zip(map(parsed_resume, generations), parts, strict=True) if parse]
        parses = [parse for parse, _ in read]  # a part that is not valid JSON is left out
        merged = Generation(
            text=merge_parses(parses, [part for _, part in read]).model_dump_json() if parses else generations[0].text,
            prompt_tokens=sum(g.prompt_tokens for g in generations),
            completion_tokens=sum(g.completion_tokens for g in generations),
            seconds=time.perf_counter() - started,
            finished=all(g.finished for g in generations),
            truncated=any(g.truncated for g in generations),
        )
        dropped_in_parts = [value for g in generations for value in g.dropped]
        merged = self.ground(merged, source if parses else None)
        merged.dropped = dropped_in_parts + merged.dropped
        return merged

    def prepare(
        self,
        task: tasks.TaskName | str,
        user_input: str,
        max_new_tokens: int | None = None,
        constrained: bool | None = None,
        seed: int | None = None,
    ) -> PreparedPrompt:
        """How :meth:`generate` runs a task prompt: its chat, token limit, grammar, grounding source and sampling."""
        task = tasks.TaskName(task)
        limit = max_new_tokens or self.answer_budget(task, user_input)
        user_input, truncated = self.fit_user_input(task, user_input, limit)
        if constrained is None:
            constrained = task is tasks.TaskName.PARSE_RESUME
        return PreparedPrompt(
            messages=tasks.build_messages(task, user_input),
            limit=limit,
            constrained=constrained,
            source=user_input if task is tasks.TaskName.PARSE_RESUME and self.grounded else None,
            sampling=task_sampling(task, prompt_seed(user_input) if seed is None else seed),
            truncated=truncated,
        )

    @staticmethod
    def ground(generation: Generation, source: str | None) -> Generation:
        """The parse without repeated items and values that ``source`` does not contain (no source: as is)."""
        if source is not None:
            generation.text, generation.dropped = ground_json(generation.text, source)
        return generation

    def generate_messages(
        self,
        messages: list[dict[str, str]],
        max_new_tokens: int,
        constrained: bool = False,
        streamer: object | None = None,
        source: str | None = None,
        sampling: Sampling = GREEDY,
        cancel: threading.Event | None = None,
    ) -> Generation:
        """Generation for any chat (the OpenAI-compatible endpoint comes straight here); greedy unless ``sampling``.

        ``source`` (a constrained parse's resume text) lets the decoder close lists of items it does not contain.
        """
        import torch

        inputs = self._encode(messages).to(self.model.device)
        prompt_width = inputs["input_ids"].shape[1]
        processors = self._processors(max_new_tokens, constrained, source, sampling, prompt_width, messages)
        lookup = {"prompt_lookup_num_tokens": self.prompt_lookup_tokens} if self.prompt_lookup_tokens else {}
        started = time.perf_counter()
        with torch.inference_mode():
            output = self.model.generate(
                **inputs,
                max_new_tokens=max_new_tokens,
                do_sample=False,
                pad_token_id=self.tokenizer.pad_token_id,
                eos_token_id=self.tokenizer.eos_token_id,
                logits_processor=processors or None,
                stopping_criteria=_stopping(cancel),
                streamer=streamer,
                **lookup,
            )
        if cancel is not None and cancel.is_set():
            raise GenerationCancelled
        new_tokens = output[0, inputs["input_ids"].shape[1] :]
        finished = bool(len(new_tokens)) and int(new_tokens[-1]) == self.tokenizer.eos_token_id
        return Generation(
            text=self.tokenizer.decode(new_tokens, skip_special_tokens=True).strip(),
            prompt_tokens=int(inputs["input_ids"].shape[1]),
            completion_tokens=len(new_tokens),
            seconds=time.perf_counter() - started,
            finished=finished,
        )

    def _processors(
        self,
        max_new_tokens: int,
        constrained: bool,
        source: str | None,
        sampling: Sampling,
        prompt_width: int,
        messages: list[dict[str, str]],
    ) -> list:
        """The logits processors of one generation: the JSON grammar if constrained, then the sampler if any."""
        processors = self._parse_processors(max_new_tokens, None if source is None else [source]) if constrained else []
        if not sampling.greedy:
            seed = prompt_seed(json.dumps(messages)) if sampling.seed is None else sampling.seed
            processors.append(SeededSampler(sampling, [seed], prompt_width))
        return processors

    def _parse_processors(self, max_new_tokens: int | None = None, sources: list[str] | None = None):
        """Fresh per-request logits processors enforcing the ParsedResume schema (grammar state is per sequence).

        Given the token limit, the JSON is closed before it, so a long parse is cut short but still valid.
        """
        from ml.inference.constrained import parse_resume_processors  # loads torch, transformers and llguidance

        return parse_resume_processors(self.tokenizer, max_new_tokens, vocab_size=self.vocab_size, sources=sources)

    @property
    def vocab_size(self) -> int | None:
        """Width of the model's logits (padded embeddings can make it wider than the tokenizer)."""
        return getattr(self.model.config, "vocab_size", None)

    def forget_prompts(self) -> None:
        """Drop whatever this engine caches of earlier prompts (transformers' ``generate`` keeps nothing)."""

    def generate_batch(
        self,
        task: tasks.TaskName | str,
        user_inputs: list[str],
        max_new_tokens: int | None = None,
        seeds: list[int | None] | None = None,
        cancel: threading.Event | None = None,
    ) -> list[Generation]:
        """Several prompts of one task in one batched ``generate`` (left padding), each as it would be alone.

        Decoding is memory-bound on CPU, so a batch of 8 costs far less than 8 single runs; the server
        uses this for requests that arrive together. A single request should go through :meth:`generate`
        instead, which can use prompt-lookup drafts (HF supports them at batch size 1 only).
        ``seconds`` is the whole batch's.
        """
        import torch

        task = tasks.TaskName(task)
        if not user_inputs:
            return []
        limit = max_new_tokens or self.answer_budget(task, *user_inputs)
        fitted = [self.fit_user_input(task, text, limit) for text in user_inputs]
        conversations = [tasks.build_messages(task, text) for text, _ in fitted]
        tokenizer = self.tokenizer
        pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
        side, tokenizer.padding_side = tokenizer.padding_side, "left"
        try:
            inputs = tokenizer.apply_chat_template(
                conversations, add_generation_prompt=True, return_tensors="pt", return_dict=True, padding=True
            )
        finally:
            tokenizer.padding_side = side
        inputs = inputs.to(self.model.device)
        constrained = task is tasks.TaskName.PARSE_RESUME
        sources = [text for text, _ in fitted] if constrained and self.grounded else None
        processors = self._parse_processors(limit, sources) if constrained else []
        sampling = task_sampling(task)
        if not sampling.greedy:
            given = seeds or [None] * len(fitted)
            row_seeds = [
                prompt_seed(text) if seed is None else seed for (text, _), seed in zip(fitted, given, strict=True)
            ]
            processors.append(SeededSampler(sampling, row_seeds, inputs["input_ids"].shape[1]))
        started = time.perf_counter()
        with torch.inference_mode():
            output = self.model.generate(
                **inputs,
                max_new_tokens=limit,
                do_sample=False,
                pad_token_id=pad_id,
                eos_token_id=tokenizer.eos_token_id,
                logits_processor=processors or None,
                stopping_criteria=_stopping(cancel),
            )
        if cancel is not None and cancel.is_set():
            raise GenerationCancelled
        seconds = time.perf_counter() - started
        prompt_width = inputs["input_ids"].shape[1]
        generations = []
        for row, (text, truncated) in enumerate(fitted):
            new_tokens = output[row, prompt_width:].tolist()
            finished = tokenizer.eos_token_id in new_tokens
            if finished:
                new_tokens = new_tokens[: new_tokens.index(tokenizer.eos_token_id) + 1]
            generation = Generation(
                text=tokenizer.decode(new_tokens, skip_special_tokens=True).strip(),
                prompt_tokens=int(inputs["attention_mask"][row].sum()),
                completion_tokens=len(new_tokens),
                seconds=seconds,
                finished=finished,
                truncated=truncated,
            )
            generations.append(self.ground(generation, text if sources else None))
        return generations

    def parse_resume(self, text: str, cancel: threading.Event | None = None) -> tuple[ParsedResume | None, Generation]:
        """Parse a resume; the model's raw text is returned too, and ``None`` when it is not valid JSON."""
        generation = self.generate(tasks.TaskName.PARSE_RESUME, tasks.parse_resume_input(text), cancel=cancel)
        return parsed_resume(generation), generation

    def interview_question(self, resume: ParsedResume | str, tone: tasks.Tone | str, seed: int | None = None) -> str:
        """One question about one part of the resume; ``seed`` picks another part and another sample (default: the
        same question for the same resume and tone). A sample the tone judge does not read as ``tone`` is asked
        again (:func:`ml.inference.tone.on_tone_many`)."""
        return self.interview_questions([(resume, tone, seed)])[0]

    def follow_up(self, resume: ParsedResume | str, question: str, answer: str, seed: int | None = None) -> str:
        user_input = tasks.follow_up_input(resume, question, answer)
        first = tasks.one_question(self.generate(tasks.TaskName.FOLLOW_UP, user_input, seed=seed).text)
        return self._faithful(first, user_input, answer, seed)

    def _faithful(self, follow_up: str, user_input: str, answer: str, seed: int | None) -> str:
        """``follow_up``, or when it quotes words the candidate never said (:func:`ml.tasks.unfaithful_quotes`), the
        first of the next samples (seeds drawn from the request's) that quotes only what was said, up to
        :data:`FOLLOW_UP_SAMPLES` in all; if none does, the last one quoting the candidate's own words instead
        (:func:`ml.tasks.requote`)."""
        first_seed = prompt_seed(user_input) if seed is None else seed
        for attempt in range(1, FOLLOW_UP_SAMPLES):
            if not tasks.unfaithful_quotes(follow_up, answer):
                break
            generation = self.generate(tasks.TaskName.FOLLOW_UP, user_input, seed=retry_seed(first_seed, attempt))
            follow_up = tasks.one_question(generation.text)
        return tasks.requote(follow_up, answer)

    # Batched versions, for requests that arrive together (the server); one request takes the single path.

    def parse_resumes(
        self, texts: list[str], cancel: threading.Event | None = None
    ) -> list[tuple[ParsedResume | None, Generation]]:
        if len(texts) == 1 or self.parse_method == "segmented":  # a segmented parse batches one resume's parts
            return [self.parse_resume(text, cancel) for text in texts]
        inputs = [tasks.parse_resume_input(t) for t in texts]
        generations = self.generate_batch(tasks.TaskName.PARSE_RESUME, inputs, cancel=cancel)
        return [(parsed_resume(generation), generation) for generation in generations]

    def interview_questions(self, requests: list[QuestionArgs]) -> list[str]:
        """``requests``: (resume, tone) or (resume, tone, seed) each; asked as one batch, then the samples the tone
        judge reads off tone asked again, all remaining ones in one more batch (the same answers as one by one)."""
        asked = [(r[0], r[1], r[2] if len(r) > 2 else None) for r in requests]
        firsts = self._ask_many([(tasks.interview_question_input(*request), request[2]) for request in asked])
        return on_tone_many(firsts, asked, self._ask_many, self.question_samples, at_once=True)

    def _ask_many(self, asks: list[tuple[str, int | None]]) -> list[str]:
        inputs, seeds = [text for text, _ in asks], [seed for _, seed in asks]
        generations = self.generate_batch(tasks.TaskName.INTERVIEW_QUESTION, inputs, seeds=seeds)
        return [tasks.one_question(g.text) for g in generations]

    def follow_ups(self, requests: list[FollowUpArgs]) -> list[str]:
        """``requests``: (resume, question, answer) or (resume, question, answer, seed) each."""
        if len(requests) == 1:
            return [self.follow_up(*requests[0])]
        inputs = [tasks.follow_up_input(*request[:3]) for request in requests]
        seeds = [request[3] if len(request) > 3 else None for request in requests]
        generations = self.generate_batch(tasks.TaskName.FOLLOW_UP, inputs, seeds=seeds)
        return [
            self._faithful(tasks.one_question(g.text), text, request[2], seed)
            for g, text, request, seed in zip(generations, inputs, requests, seeds, strict=True)
        ]


def _stopping(cancel: threading.Event | None) -> list:
    """``generate``'s stopping criteria: every row ends at the step after ``cancel`` is set (none without one)."""
    if cancel is None:
        return []
    import torch

    def cancelled(input_ids, scores, **kwargs):
        return torch.full((input_ids.shape[0],), cancel.is_set(), dtype=torch.bool, device=input_ids.device)

    return [cancelled]


def parsed_resume(generation: Generation) -> ParsedResume | None:
    """The ``ParsedResume`` in a parse generation, or ``None`` when its text is not valid JSON of that shape."""
    try:
        return ParsedResume.model_validate_json(generation.text)
    except ValueError:
        return None
