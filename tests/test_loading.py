"""Submissions that cannot be loaded get status: error with a reason, never a crash."""

from __future__ import annotations

import pytest
from conftest import SUBMISSIONS

HERE = SUBMISSIONS / "activations"


@pytest.mark.parametrize(
    "name, words",
    [
        ("syntax_error.py", ["syntax error", "line 4", "expected ':'"]),
        ("latin1.py", ["not valid UTF-8", "line 3"]),
        ("import_error.py", ["No module named 'torch'", "only numpy and the standard library"]),
    ],
)
def test_unloadable_submission_reports_the_reason(grade_path, name, words):
    graded = grade_path("activations", HERE / "unloadable" / name)
    assert graded.status == "error"
    for word in words:
        assert word in graded.reason, graded.reason
    assert all(r.status == "error" and r.points == 0 for r in graded.results)


def test_import_that_fails_in_demo_code_grades_the_definitions(grade_path):
    """A file read at import (np.loadtxt) is demo code: the definitions are graded without it."""
    graded = grade_path("activations", HERE / "unloadable" / "raises_at_import.py")
    assert graded.status == "graded"
    first = graded.events[0]
    for word in ["raised FileNotFoundError", "weights.txt", "line 3", "without its demo code"]:
        assert word in first, first


def test_missing_file_and_empty_folder(grade_path, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    graded = grade_path("activations", empty)
    assert graded.status == "error" and "empty" in graded.reason
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("hello")
    graded = grade_path("activations", other)
    assert graded.status == "error" and "activations.py" in graded.reason


def test_exit_at_import(grade_path):
    graded = grade_path("activations", HERE / "hostile" / "exit_at_import.py")
    assert graded.status == "error"
    assert "sys.exit" in graded.reason


def test_notebook_submission_is_graded(grade_path):
    from grader.course import COURSE_ROOT

    graded = grade_path("activations", COURSE_ROOT / "examples" / "activations" / "erin.ipynb")
    assert graded.status == "graded"
    assert all(r.status == "passed" for r in graded.results), [r.feedback for r in graded.results if r.status != "passed"]
