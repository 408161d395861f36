"""Questions on real people's resumes (issue #30): what a user gets from `griller ask` / `griller follow-up`.

For each real validation person (their JSON Resume as the parsed resume): one HR and one technical question, and a
follow-up to a vague answer to the HR question. Scored by :mod:`ml.evaluation.question_quality` (template share,
coherence, filler openers, depth of technical questions, quote fidelity of follow-ups); every sample is written
out so it can be read.

    python bench/real_questions.py --model ml/models/exported/resume-griller-lora --people 20 --json runs/q.json
    python bench/real_questions.py --quick        # 5 people
    GRILLER_QUESTION_SAMPLES=1 python bench/real_questions.py --people 40 --seed 1000 --json runs/q1.json  # no judge
    python bench/real_questions.py --rescore runs/q.json --json runs/q-rescored.json   # today's metrics, same samples
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from ml.evaluation import metrics as m
from ml.evaluation import question_quality as qq
from ml.evaluation.tone_classifier import tone_classifier
from ml.host import cpu_class
from ml.inference.backends import load_engine
from ml.inference.tone import question_samples_setting
from ml.preprocessing.jsonresume import RealResume, validation_people
from ml.preprocessing.questions import entities_of

VAGUE_ANSWERS = (
    "I try to stay calm and find a solution that works for everyone.",
    "It went well overall, we learned a lot as a team.",
    "I just did what was needed and it worked out in the end.",
    "Honestly it was a normal project, nothing special, we delivered it.",
)
"""Vague answers in turn: a follow-up should ask for the missing specifics, quoting only what was said."""


def ask_all(model: str | None, people: list[RealResume], seed: int | None = None) -> list[dict]:
    """``seed`` ``None`` asks as a user does (each request's own seed); a number asks person ``i``'s HR question and
    follow-up with ``seed + 2i`` and the technical question with ``seed + 2i + 1``: another draw of parts and
    samples (a seed picks the part whatever the tone, so the two questions take two)."""
    engine = load_engine(model, parallel=1)  # as `griller ask` and `follow-up` decode: one answer at a time
    samples = []
    for index, person in enumerate(people):
        started = time.perf_counter()
        hr_seed, technical_seed = (None, None) if seed is None else (seed + 2 * index, seed + 2 * index + 1)
        hr = engine.interview_question(person.truth, "hr", hr_seed)
        technical = engine.interview_question(person.truth, "technical", technical_seed)
        answer = VAGUE_ANSWERS[index % len(VAGUE_ANSWERS)]
        follow_up = engine.follow_up(person.truth, hr, answer, hr_seed)
        samples.append(
            {
                "person": person.id,
                "language": person.language,
                "hr": hr,
                "technical": technical,
                "answer": answer,
                "follow_up": follow_up,
                "seconds": round(time.perf_counter() - started, 2),
            }
        )
    return samples


def score(samples: list[dict], people: list[RealResume]) -> dict:
    facts = {person.id: qq.ResumeFacts.of(person.truth) for person in people}
    questions = [(s["person"], s[tone], tone) for s in samples for tone in ("hr", "technical")]
    records = [qq.score_question(q, facts[pid], technical=tone == "technical") for pid, q, tone in questions]
    share = qq.template_share([(pid, r["skeleton"]) for (pid, _, _), r in zip(questions, records, strict=True)])
    follow = [qq.score_question(s["follow_up"], facts[s["person"]], answer=s["answer"]) for s in samples]
    technical = [r["depth"] for r in records if "depth" in r]
    quoted = [r["quote_fidelity"] for r in follow if "quote_fidelity" in r]
    # the evaluation's older metrics, so a new model is shown no worse on them
    classifier = tone_classifier()
    tone_right = [classifier.predict(q) == tone for _, q, tone in questions]
    entities = {person.id: entities_of(person.truth) for person in people}
    specific = [qq.specific(q, entities[pid], facts[pid]) for pid, q, _ in questions]
    follow_quality = [m.score_follow_up(s["follow_up"], s["hr"], s["answer"]).quality for s in samples]
    return {
        "questions": len(records),
        "template_share": share.to_record(),
        "coherence_failures": sum(not r["coherence"] for r in records + follow),
        "incoherent": [f for r in records + follow for f in r["incoherent"]],
        "filler_opener_share": sum(r["filler_opener"] for r in records + follow) / len(records + follow),
        "deep_technical_share": sum(technical) / len(technical) if technical else None,
        "quote_fidelity": sum(quoted) / len(quoted) if quoted else None,
        "follow_ups_quoting": len(quoted),
        "tone_accuracy": sum(tone_right) / len(tone_right),
        "specificity": sum(specific) / len(specific),
        "follow_up_quality": sum(follow_quality) / len(follow_quality),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="ml/models/exported/resume-griller-lora")
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="5 people")
    parser.add_argument("--json", type=Path, help="write the scores and every sample here")
    parser.add_argument("--seed", type=int, help="ask person i with seeds SEED + 2i and + 2i + 1 (default: as a user)")
    parser.add_argument("--rescore", type=Path, help="score the samples of an earlier --json file, asking nothing")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.rescore:
        earlier = json.loads(args.rescore.read_text())
        samples, args.model = earlier["samples"], earlier["model"]
        by_id = {person.id: person for person in validation_people()}
        people = [by_id[sample["person"]] for sample in samples]
    else:
        people = validation_people()[: 5 if args.quick else args.people]
        samples = ask_all(args.model, people, args.seed)
    result = {
        "model": args.model,
        "question_samples": question_samples_setting(),
        "seed": args.seed,
        "host": cpu_class(),
        "seconds": round(time.perf_counter() - started, 1),
    }
    result |= score(samples, people)
    print(f"| metric | {args.model} |\n|---|---|")
    keys = ("questions", "coherence_failures", "filler_opener_share", "deep_technical_share", "quote_fidelity")
    for key in (*keys, "tone_accuracy", "specificity", "follow_up_quality"):
        print(f"| {key} | {result[key]} |")
    print(f"| template_share | {result['template_share']['share']} |")
    for group in result["template_share"]["top"][:5]:
        print(f"  template on {group}")
    for sample in samples:
        print(f"\n[{sample['person']} {sample['language']}] HR: {sample['hr']}\n  TECH: {sample['technical']}")
        print(f"  ANSWER: {sample['answer']}\n  FOLLOW-UP: {sample['follow_up']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result | {"samples": samples}, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
