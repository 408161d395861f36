"""``griller parse`` over many inputs: folders, failures with reasons, resumable output, a real SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ml import tasks
from ml.cli import app
from ml.inference import bulk
from ml.inference import engine as engine_module
from ml.inference.bulk import BulkError, done_ids, parse_many

PARSE_TOKENS = 160
"""Enough for the grammar to close a whole object on the tiny model (as in tests/reliability)."""
KILL_TOKENS = 48
"""The killed subprocess's cap (--max-new-tokens): short parses, not valid ones; the point is the bookkeeping."""
RESUME = "Jane Doe\nSoftware Engineer at Acme Corp, 2019 - Present\nSkills: Python, SQL, Kubernetes\n"

runner = CliRunner()


@pytest.fixture()
def short_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    limits = {**engine_module.DEFAULT_MAX_NEW_TOKENS, tasks.TaskName.PARSE_RESUME: PARSE_TOKENS}
    monkeypatch.setattr(engine_module, "DEFAULT_MAX_NEW_TOKENS", limits)
    monkeypatch.setattr(engine_module, "PARSE_ANSWER_PER_PROMPT_TOKEN", 0.0)  # the floor only


def resume_folder(root: Path) -> Path:
    """Two readable resumes (one in a subfolder), a corrupt PDF, an empty file, a non-resume and a hidden file."""
    folder = root / "resumes"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(RESUME, encoding="utf-8")
    (folder / "sub" / "b.md").write_text("# Bo Chen\nNurse at City Hospital, 2015 - 2020\n", encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage without xref")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n")
    (folder / ".notes.txt").write_text(RESUME, encoding="utf-8")
    return folder


def mixed_folder(root: Path) -> Path:
    """:func:`resume_folder` with three more resumes: five to parse, three that cannot be, one hidden."""
    folder = resume_folder(root)
    for index in range(3):
        (folder / f"more{index}.txt").write_text(f"Person {index}\n{RESUME}", encoding="utf-8")
    return folder


def lines_without_seconds(path: Path) -> list[dict]:
    """The output lines; ``seconds`` is a timing, the one field two runs may not share."""
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [{key: value for key, value in line.items() if key != "seconds"} for line in lines]


def torn_run(root: Path) -> tuple[Path, Path, str]:
    """A JSONL batch of 4 ids of several JSON types (one empty text) and an output file of an earlier run that
    finished id "a" and was killed while writing id 7: ``(batch, output, the finished line)``."""
    batch = root / "batch.jsonl"
    texts = [("a", RESUME), (7, "  "), ("7", RESUME), ([1], RESUME)]
    batch.write_text("".join(json.dumps({"id": id_, "text": text}) + "\n" for id_, text in texts), encoding="utf-8")
    out = root / "out.jsonl"
    done = json.dumps({"id": "a", "output": None, "valid": False, "seconds": 0, "error": None}) + "\n"
    out.write_text(done + '{"id": 7, "outp', encoding="utf-8")
    return batch, out, done


def lines_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def no_model(*args: object, **kwargs: object) -> None:
    raise AssertionError("nothing to parse: the model must not load")


def test_a_folder_is_parsed_with_the_reasons_of_what_cannot_be_read(
    tmp_path: Path, tiny_model_dir: Path, short_parse: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = resume_folder(tmp_path)
    out = tmp_path / "out.jsonl"
    summary = parse_many([folder], model=str(tiny_model_dir), backend="transformers", output=out, batch_size=4)

    lines = lines_of(out)
    assert [line["id"] for line in lines] == [str(folder / name) for name in ("a.txt", "broken.pdf", "empty.txt")] + [
        str(folder / "sub" / "b.md")
    ]  # input order (sorted walk), the failures in their place
    assert all(set(line) == {"id", "output", "valid", "seconds", "error"} for line in lines)
    by_name = {Path(line["id"]).name: line for line in lines}
    for name in ("a.txt", "b.md"):
        assert by_name[name]["error"] is None and by_name[name]["valid"] is True
        assert set(by_name[name]["output"]) >= {"name", "experience", "skills"} and by_name[name]["seconds"] > 0
    assert by_name["broken.pdf"]["error"].startswith("unreadable PDF") and by_name["broken.pdf"]["output"] is None
    assert by_name["empty.txt"]["error"] == "empty file" and by_name["empty.txt"]["valid"] is False
    assert summary["done"] == 2 and summary["valid"] == 2 and summary["failed"] == 2
    assert summary["skipped"] == 0 and summary["ignored"] == 1  # photo.png; the hidden file is not looked at
    assert summary["resumes_per_hour"] > 0
    assert summary["problems"] == [
        f"{folder / 'broken.pdf'}: {by_name['broken.pdf']['error']}",
        f"{folder / 'empty.txt'}: empty file",
    ]

    # a rerun skips everything (failures included) without loading the model
    monkeypatch.setattr(bulk, "load_engine", no_model)
    again = parse_many([folder], model=str(tiny_model_dir), output=out)
    assert again["skipped"] == 4 and again["done"] == again["failed"] == 0 and again["model"] is None
    assert lines_of(out) == lines


def test_a_torn_last_line_is_cut_and_redone(tmp_path: Path, tiny_model_dir: Path, short_parse: None) -> None:
    for name, text in (("a.txt", RESUME), ("b.txt", "Bo Chen\nNurse at City Hospital, 2015 - 2020\n")):
        (tmp_path / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    a = str(tmp_path / "a.txt")
    out.write_text(json.dumps({"id": a, "output": None, "valid": False, "seconds": 0, "error": None}) + "\n")
    with out.open("a") as handle:
        handle.write('{"id": "' + str(tmp_path / "b.txt") + '", "outp')  # killed mid-write
    summary = parse_many(
        [tmp_path / "a.txt", tmp_path / "b.txt"], model=str(tiny_model_dir), backend="transformers", output=out
    )
    assert summary["skipped"] == 1 and summary["done"] == 1
    lines = lines_of(out)
    assert [line["id"] for line in lines] == [a, str(tmp_path / "b.txt")]
    assert lines[1]["valid"] is True


@pytest.mark.parametrize(
    "tail",
    [
        b'{"id": "b", "output": nu',  # cut mid-line
        b'{"id": "b", "output": null, "valid": false, "seconds": 0, "error": null}',  # whole but its newline lost
        b'{"id": "b", "out\x00\x00\n',  # garbage that ends in a newline
    ],
)
def test_a_torn_last_line_is_not_counted_as_done(tmp_path: Path, tail: bytes) -> None:
    out = tmp_path / "out.jsonl"
    head = b'{"id": "a", "output": null, "valid": false, "seconds": 0, "error": null}\n'
    out.write_bytes(head + tail)
    assert done_ids(out) == {'"a"'}
    assert out.read_bytes() == head  # cut, so the next line starts clean


def test_a_corrupt_line_in_the_middle_is_an_error(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(b'{"id": "a"}\n{"id": "b", "out\n{"id": "c"}\n')
    with pytest.raises(BulkError, match=r"out\.jsonl:2"):
        done_ids(out)


def test_cli_writes_in_input_order_and_the_summary_as_json(
    tmp_path: Path, tiny_model_dir: Path, short_parse: None
) -> None:
    batch = tmp_path / "batch.jsonl"
    rows = [{"id": "a", "text": RESUME}, {"id": 7, "text": "  "}, {"id": "c", "text": RESUME}]
    rows.append({"id": "d", "text": RESUME})
    batch.write_text("".join(json.dumps(row) + "\n" for row in rows + rows[:1]), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    args = ["parse", "--jsonl", str(batch), "--output", str(out), "--batch-size", "2", "--json"]
    result = runner.invoke(app, [*args, "--model", str(tiny_model_dir), "--backend", "transformers"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert (summary["done"], summary["failed"], summary["duplicates"], summary["batch_size"]) == (3, 1, 1, 2)
    lines = lines_of(out)
    assert [line["id"] for line in lines] == ["a", 7, "c", "d"]
    assert "empty text" in lines[1]["error"]

    # the DESIGN.md contract without --output: one {"id", "output"} line each on stdout
    plain = runner.invoke(
        app, ["parse", "--jsonl", str(batch), "--model", str(tiny_model_dir), "--json", "--max-new-tokens", "16"]
    )
    assert plain.exit_code == 0, plain.output
    stdout = [json.loads(line) for line in plain.stdout.strip().splitlines()]
    assert [line["id"] for line in stdout] == ["a", 7, "c", "d"]
    assert all(set(line) == {"id", "output"} for line in stdout) and stdout[1]["output"] is None


def test_a_killed_run_loses_nothing_and_repeats_nothing(tmp_path: Path, tiny_model_dir: Path) -> None:
    """SIGKILL a real ``griller parse`` once its output holds a line; the rerun finishes the rest, each id once."""
    folder = tmp_path / "resumes"
    folder.mkdir()
    names = [f"r{index:02d}.txt" for index in range(6)]
    for index, name in enumerate(names):
        (folder / name).write_text(f"Person {index}\n{RESUME}", encoding="utf-8")
    (folder / "r99.txt").write_bytes(b"")  # and one that fails
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "ml.cli", "parse", str(folder), "--output", str(out)]
    command += ["--model", str(tiny_model_dir), "--backend", "transformers", "--batch-size", "1"]
    command += ["--max-new-tokens", str(KILL_TOKENS)]
    env = {**os.environ, "GRILLER_DEVICE": "cpu"}
    root = Path(__file__).resolve().parents[2]

    log = tmp_path / "killed.log"
    with log.open("wb") as sink:  # not a pipe: nobody reads it while the run goes on
        process = subprocess.Popen(command, cwd=root, env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 240
        while not (out.is_file() and out.read_bytes().count(b"\n") >= 1):
            assert process.poll() is None, log.read_text(errors="replace")[-2000:]
            assert time.monotonic() < deadline, "no line written in time"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL  # it was killed mid-run, not finished
    before = len(lines_of_complete(out))
    assert 1 <= before < len(names) + 1

    rerun = subprocess.run([*command, "--json"], cwd=root, env=env, capture_output=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr.decode()[-2000:]
    summary = json.loads(rerun.stdout.decode().strip().splitlines()[-1])
    ids = [line["id"] for line in lines_of(out)]
    expected = [str(folder / name) for name in [*names, "r99.txt"]]
    assert sorted(ids) == sorted(expected) and len(ids) == len(set(ids))  # every id exactly once
    assert summary["skipped"] == before and summary["done"] + summary["failed"] == len(expected) - before


def lines_of_complete(path: Path) -> list[bytes]:
    """Lines that made it to disk whole (a kill may have torn the last one)."""
    return [line for line in path.read_bytes().split(b"\n")[:-1] if line]
