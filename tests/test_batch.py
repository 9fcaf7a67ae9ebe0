"""Grading a class: lines as submissions finish, Ctrl-C, a closed stdout, dying workers,
resumable runs, and where the reports go."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import SUBMISSIONS, bob_score, max_points

from grader import batch
from grader.cli import main
from grader.course import COURSE_ROOT, find_assignment
from grader.report.yaml_report import read_report

EXAMPLES = COURSE_ROOT / "examples" / "activations"
ACTIVATIONS = find_assignment("activations")
FULL = max_points(ACTIVATIONS)
BOB = bob_score()  # the sample bob's score


def make_class(folder: Path, names: dict[str, str]) -> list[Path]:
    """Copies of the samples: ``{"s1": "alice", ...}`` -> ``folder/s1`` (alice's files)."""
    made = []
    for name, sample in names.items():
        shutil.copytree(EXAMPLES / sample, folder / name)
        made.append(folder / name)
    return made


def reports_in(out: Path, assignment: str = "activations") -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text()) for p in sorted((out / assignment).glob("*.yaml"))}


def grade(*args: str) -> int:
    return main(["grade", "activations", *args])


# -- what is printed ------------------------------------------------------------------------------
def test_each_line_is_counted_and_the_summary_keeps_the_input_order(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CI", "true")
    subs = make_class(tmp_path / "class", {"zed": "carol", "amy": "alice", "kim": "dave"})
    assert grade(*map(str, subs), "--out", str(tmp_path / "out"), "--jobs", "2") == 0
    lines = capsys.readouterr().out.splitlines()
    finished = [row for row in lines if row.startswith("[")]
    assert len(finished) == 3 and {row[:6] for row in finished} == {"[1/3] ", "[2/3] ", "[3/3] "}
    assert sorted(row.split()[1] for row in finished) == ["amy", "kim", "zed"]
    at = lines.index("01 activations, in the order given:")
    assert [row.split()[0] for row in lines[at + 1 : at + 4]] == ["zed", "amy", "kim"]
    assert "error: syntax error" in lines[at + 3]
    assert lines[-1].startswith("graded 3 submissions of 01 activations") and "1 could not be loaded" in lines[-1]


# -- nothing finished is lost ----------------------------------------------------------------------
def run_grader(subs: list[Path], out: Path, *extra: str, **popen) -> subprocess.Popen:
    env = dict(os.environ, CI="true")
    return subprocess.Popen(
        [sys.executable, "-m", "grader", "grade", "activations", *map(str, subs), "--out", str(out), *extra],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen,
    )


@pytest.mark.slow
def test_ctrl_c_exits_130_without_a_traceback_and_keeps_every_finished_report(tmp_path):
    subs = make_class(tmp_path / "class", {f"s{i}": "bob" for i in range(8)})
    out = tmp_path / "out"
    # A terminal's Ctrl-C reaches the whole process group: the grader and its workers.
    # SIGINT at its default, as a terminal's foreground job has it (a script's background job ignores it).
    process = run_grader(
        subs, out, "--jobs", "2", start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL)
    )
    seen = []
    for line in process.stdout:
        seen.append(line)
        if line.startswith("["):
            break
    os.killpg(process.pid, signal.SIGINT)
    rest, errors = process.communicate(timeout=120)
    assert process.returncode == 130, errors
    assert errors.startswith("grader: interrupted after ") and "Traceback" not in errors
    written = sorted((out / "activations").iterdir())
    assert all(p.suffix == ".yaml" and not p.name.startswith(".") for p in written)  # no half-written file
    reported = [row.split()[1] for row in seen + rest.splitlines(keepends=True) if row.startswith("[")]
    assert 1 <= len(reported) <= len(written) < len(subs)
    for path in written:
        report = read_report(path)
        assert report is not None and report["score"] == pytest.approx(BOB), path
    assert {p.stem for p in written} >= set(reported)


@pytest.mark.slow
def test_a_closed_stdout_does_not_stop_the_grading(tmp_path):
    subs = make_class(tmp_path / "class", {f"s{i}": "alice" for i in range(4)})
    out = tmp_path / "out"
    process = run_grader(subs, out, "--jobs", "2")
    first = process.stdout.readline()  # `grader grade ... | head -1`
    process.stdout.close()
    errors = process.stderr.read()
    process.wait(timeout=180)
    assert first.startswith("[1/4] ")
    assert process.returncode == 0, errors
    assert "Traceback" not in errors and "Exception ignored" not in errors
    assert sorted(reports_in(out)) == ["s0", "s1", "s2", "s3"]


def test_a_worker_that_dies_is_replaced_and_the_batch_goes_on(tmp_path, monkeypatch, capsys):
    subs = make_class(tmp_path / "class", {"amy": "alice", "victim": "bob", "zed": "carol"})
    real = batch._Grader.run

    def run(self, task):
        if task.path.name == "victim":
            os.kill(os.getpid(), signal.SIGKILL)  # in the worker, forked with this patch
        return real(self, task)

    monkeypatch.setattr(batch._Grader, "run", run)
    assert grade(*map(str, subs), "--out", str(tmp_path / "out"), "--jobs", "1", "--quiet") == 0
    reports = reports_in(tmp_path / "out")
    assert reports["amy"]["score"] == FULL and reports["zed"]["status"] == "graded"
    victim = reports["victim"]
    assert victim["status"] == "error" and victim["score"] == 0 and victim["max_score"] == FULL
    assert "worker process ended while grading this submission (killed by SIGKILL)" in victim["reason"]
    bobs = hashlib.sha256((EXAMPLES / "bob" / "activations.py").read_bytes()).hexdigest()
    assert victim["sha256"] == {"activations.py": bobs}  # the files it was given
    assert {t["status"] for t in victim["tests"]} == {"error"}


# -- resumable -------------------------------------------------------------------------------------
def test_up_to_date_reports_are_skipped_a_change_is_regraded_and_force_regrades_all(tmp_path, capsys, monkeypatch):
    subs = make_class(tmp_path / "class", {"amy": "alice", "ben": "bob"})
    out = tmp_path / "out"
    args = [*map(str, subs), "--out", str(out), "--jobs", "1", "--quiet"]

    def last_line() -> str:
        return capsys.readouterr().out.splitlines()[-1]

    assert grade(*args) == 0
    assert last_line().startswith("graded 2 submissions")
    first = reports_in(out)

    assert grade(*args) == 0
    text = last_line()
    assert text.startswith("graded 0 submissions") and "2 skipped (up to date" in text
    assert reports_in(out) == first  # not even graded_at changed

    with open(subs[1] / "activations.py", "a") as handle:
        handle.write("\n# changed\n")
    assert grade(*args) == 0
    text = last_line()
    assert text.startswith("graded 1 submission of") and "1 skipped" in text
    again = reports_in(out)
    assert again["amy"] == first["amy"] and again["ben"]["sha256"] != first["ben"]["sha256"]

    assert grade(*args, "--force") == 0
    assert last_line().startswith("graded 2 submissions")

    real = batch.prepare  # a fixed check: a new rubric, and the class is graded again
    monkeypatch.setattr(batch, "prepare", lambda a: batch.Rubric(real(a).specs, "sha256:0000000000000000"))
    assert grade(*args) == 0
    assert last_line().startswith("graded 2 submissions")
    assert {r["rubric"] for r in reports_in(out).values()} == {"sha256:0000000000000000"}


# -- where reports go ------------------------------------------------------------------------------
def test_two_assignments_graded_into_one_folder_keep_both_reports(tmp_path):
    out = tmp_path / "out"
    assert main(["grade", "activations", str(SUBMISSIONS / "activations" / "correct" / "loops.py"), "--out", str(out),
                 "--jobs", "1", "--quiet"]) == 0
    assert main(["grade", "perceptron", str(SUBMISSIONS / "perceptron" / "correct" / "loops.py"), "--out", str(out),
                 "--jobs", "1", "--quiet"]) == 0
    assert reports_in(out, "activations")["loops"]["assignment"] == "activations"
    assert reports_in(out, "perceptron")["loops"]["assignment"] == "perceptron"


def test_a_reports_folder_among_the_submissions_is_not_graded(tmp_path, capsys):
    subs = make_class(tmp_path / "class", {"amy": "alice"})
    reports = tmp_path / "class" / "reports"
    (reports / "activations").mkdir(parents=True)
    given = sorted((tmp_path / "class").iterdir())  # `grader grade 01 class/* --out class/reports`
    assert [p.name for p in given] == ["amy", "reports"]
    assert grade(*map(str, given), "--out", str(reports), "--jobs", "1", "--quiet") == 0
    captured = capsys.readouterr()
    assert "not grading" in captured.err and "it is the reports folder" in captured.err
    assert sorted(reports_in(reports)) == ["amy"] and subs


def test_the_workers_start_warm(monkeypatch):
    """The property checks' inputs are drawn in the process the workers are forked from, so a
    report's duration is the submission's own time, the first one's included."""
    from grader.judge.catalog import load_suite, suite_paths

    batch.warm_up(ACTIVATIONS)
    draws = [
        f.inputs
        for path, visibility in suite_paths(ACTIVATIONS, hidden=True)
        for f in vars(load_suite(path, visibility)).values()
        if callable(getattr(f, "inputs", None))
    ]
    assert draws and all(d.cache_info().currsize == 1 for d in draws)
