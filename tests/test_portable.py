"""The portable sandbox (macOS, Windows; forced here on Linux): a spawned child per submission,
the same frames over a TCP stream, resource limits where they exist, isolation none."""

from __future__ import annotations

import os

import pytest
import yaml
from conftest import EXAMPLES, count_checks, max_points

from grader.cli import main
from grader.course import find_assignment
from grader.judge.runner import grade
from grader.sandbox.isolation import Limits
from grader.sandbox.portable import PortableSandbox, wanted
from grader.submission import load_submission

ALICE = EXAMPLES / "alice" / "activations.py"


def alice_with(tmp_path, tanh_body: str):
    """Alice's correct activations.py with another ``tanh``."""
    source = ALICE.read_text() + "\n\nimport os, ctypes\n\ndef tanh(z):\n" + "".join(f"    {line}\n" for line in tanh_body.splitlines())
    path = tmp_path / "activations.py"
    path.write_text(source)
    return path


@pytest.fixture(scope="module")
def portable():
    with PortableSandbox(limits=Limits(call_timeout_s=3.0)) as box:
        yield box


def graded(box, path):
    assignment = find_assignment("activations")
    return grade(assignment, load_submission(path.resolve(), assignment), box, hidden=True)


def test_the_portable_path_is_chosen_when_asked_or_off_linux(monkeypatch):
    monkeypatch.delenv("GRADER_PORTABLE", raising=False)
    assert wanted("portable") and not wanted("auto")
    monkeypatch.setenv("GRADER_PORTABLE", "1")
    assert wanted("auto")
    monkeypatch.delenv("GRADER_PORTABLE")
    for platform in ("darwin", "win32"):
        monkeypatch.setattr("sys.platform", platform)
        assert wanted("auto") and wanted("none")


def test_a_correct_submission_gets_full_marks(portable):
    result = graded(portable, ALICE)
    assert result.status == "graded"
    assert sum(r.points for r in result.results) == max_points("activations")


def test_a_crash_costs_the_checks_of_that_function_only(portable, tmp_path):
    result = graded(portable, alice_with(tmp_path, "os._exit(3)"))
    by_id = {r.id: r for r in result.results}
    assert by_id["tanh_values"].status == "error"
    assert "exited with code 3" in by_id["tanh_values"].feedback
    assert by_id["sigmoid_values"].status == "passed" and by_id["softmax_values"].status == "passed"


@pytest.mark.skipif(os.name == "nt", reason="a segmentation fault is a signal on POSIX only")
def test_a_segfault_is_named(portable, tmp_path):
    result = graded(portable, alice_with(tmp_path, "ctypes.string_at(0)"))
    tanh = next(r for r in result.results if r.id == "tanh_values")
    assert tanh.status == "error" and "SIGSEGV" in tanh.feedback


@pytest.mark.slow
def test_an_endless_loop_times_out_and_the_rest_is_graded(portable, tmp_path):
    result = graded(portable, alice_with(tmp_path, "while True:\n    pass"))
    by_id = {r.id: r for r in result.results}
    assert by_id["tanh_values"].status == "timeout"
    assert "more than 3 s of CPU time" in by_id["tanh_values"].feedback
    assert by_id["relu_values"].status == "passed"


def test_output_and_an_unloadable_file(portable, tmp_path):
    path = tmp_path / "activations.py"
    path.write_text(ALICE.read_text() + "\nprint('hello from the child')\n")
    assert "hello from the child" in graded(portable, path).output
    path.write_text("def sigmoid(z:\n")
    broken = graded(portable, path)
    assert broken.status == "error" and "syntax error" in broken.reason


def test_grader_check_and_grade_with_isolation_portable(tmp_path, capsys):
    assert main(["check", "activations", str(EXAMPLES / "alice"), "--isolation", "portable"]) == 0
    public = count_checks("activations", "public")
    assert f"{public} of {public} public checks pass" in capsys.readouterr().out
    assert main(["grade", "activations", str(EXAMPLES / "alice"), "--isolation", "portable", "--allow-isolation-none", "--out", str(tmp_path)]) == 0
    report = yaml.safe_load((tmp_path / "activations" / "alice.yaml").read_text())
    assert report["score"] == max_points("activations")
    assert report["sandbox"]["isolation"] == "none"
    assert report["sandbox"]["solutions_and_hidden_checks"] == "readable"
    assert "spawned interpreter" in report["sandbox"]["portable"]
