"""Assignment 02 (perceptron): the reference, correct alternatives, mutants and the stub, graded
with the real sandbox, public and hidden checks."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from conftest import SUBMISSIONS, failed_checks, score
from grader.course import COURSE_ROOT
from grader.judge.compare import format_number

ASSIGNMENT = "perceptron"
REFERENCE = COURSE_ROOT / "solutions" / ASSIGNMENT
STUB = COURSE_ROOT / "assignments" / ASSIGNMENT
CORRECT = sorted((SUBMISSIONS / ASSIGNMENT / "correct").glob("*.py"))
MUTANT_FILES = sorted((SUBMISSIONS / ASSIGNMENT / "mutants").glob("*.py"))

PUBLIC_CHECKS = 7
HIDDEN_CHECKS = 10
MAX_POINTS = 26.0

# mutant file stem -> checks that must be among the failed ones
MUTANTS = {
    "no_bias": {"neuron_lecture_example", "neuron_matches_reference", "predict_values", "predict_matches_reference"},
    "strict_step": {"predict_values", "step_at_zero", "fit_and_gate", "fit_matches_reference"},
    "fit_shuffles": {"fit_and_gate", "fit_matches_reference"},
    "fit_no_bias_update": {"fit_and_gate", "fit_matches_reference", "fit_separable_no_mistakes"},
    "fit_sigmoid_yhat": {"fit_and_gate", "fit_matches_reference", "fit_not_separable"},
    "neuron_ignores_activation": {"neuron_lecture_example", "neuron_batch", "neuron_matches_reference", "step_at_zero"},
    "fit_ignores_lr": {"fit_or_gate_lr", "fit_lr_and_epochs"},
    "fit_ignores_epochs": {"fit_one_epoch", "fit_lr_and_epochs", "fit_not_separable"},
    "neuron_one_sample_shape": {"neuron_lecture_example", "neuron_single_sample"},
    "fit_scales_X_in_place": {"arguments_not_modified"},
}


@pytest.fixture(scope="module")
def graded(grade_path):
    """Grade each submission once per module (public and hidden checks)."""
    cache = {}

    def run(path: Path):
        if path not in cache:
            cache[path] = grade_path(ASSIGNMENT, path)
        return cache[path]

    return run


def test_every_mutant_is_listed():
    assert {path.stem for path in MUTANT_FILES} == set(MUTANTS)
    assert len(MUTANT_FILES) >= 5 and len(CORRECT) >= 2
    for path in MUTANT_FILES:
        assert path.read_text().startswith("# MUTANT: ")


def test_reference_full_marks(graded):
    result = graded(REFERENCE)
    assert result.status == "graded"
    assert failed_checks(result) == set(), [r.feedback for r in result.results if r.status != "passed"]
    assert score(result) == (MAX_POINTS, MAX_POINTS)
    visibility = [r.visibility for r in result.results]
    assert visibility.count("public") == PUBLIC_CHECKS and visibility.count("hidden") == HIDDEN_CHECKS


@pytest.mark.parametrize("path", CORRECT, ids=lambda p: p.stem)
def test_correct_alternative_full_marks(graded, path):
    result = graded(path)
    assert failed_checks(result) == set(), [r.feedback for r in result.results if r.status != "passed"]
    assert score(result) == (MAX_POINTS, MAX_POINTS)


@pytest.mark.parametrize("path", MUTANT_FILES, ids=lambda p: p.stem)
def test_mutant_is_caught(graded, path):
    result = graded(path)
    got, total = score(result)
    assert got < total
    failed = failed_checks(result)
    assert MUTANTS[path.stem] <= failed, f"expected {MUTANTS[path.stem] - failed} to fail too; failed: {failed}"
    for r in result.results:
        if r.status != "passed":
            assert r.status == "failed", (r.id, r.status, r.feedback)  # a verdict, never a grader error


def test_stub_gets_nothing(graded):
    result = graded(STUB)
    assert score(result) == (0.0, MAX_POINTS)
    for r in result.results:
        assert r.status == "failed" and "not implemented" in r.feedback, (r.id, r.feedback)


def test_public_feedback_shows_the_input(graded):
    result = graded(SUBMISSIONS / ASSIGNMENT / "mutants" / "no_bias.py")
    feedback = {r.id: r for r in result.results}["neuron_lecture_example"].feedback
    assert "x=[-0.1, 0.7, 0.5]" in feedback and "w=[1.0, -2.0, 2.0]" in feedback and "b=0.8" in feedback
    assert "expected 0.5744" in feedback


def test_hidden_feedback_hides_the_expected_value(graded):
    result = graded(SUBMISSIONS / ASSIGNMENT / "mutants" / "no_bias.py")
    check = {r.id: r for r in result.results}["neuron_matches_reference"]
    assert check.visibility == "hidden" and check.status == "failed"
    # the first example of the hidden check: sigmoid(0.5 - 0.75 - 0.5 + 0.3) = sigmoid(-0.45)
    expected = 1 / (1 + np.exp(0.45))
    for digits in range(3, 10):
        assert format_number(expected, digits=digits) not in check.feedback, check.feedback
    assert "0.3208" in check.feedback  # the student's own value, sigmoid(-0.75), may be shown
    for r in result.results:
        if r.visibility == "hidden":
            assert "x=" not in r.feedback and "X=" not in r.feedback and not re.search(r"expected -?[0-9]", r.feedback)


def test_public_verdicts_equal_in_check_and_grade(grade_path, graded):
    path = SUBMISSIONS / ASSIGNMENT / "mutants" / "strict_step.py"
    public = {r.id: (r.status, r.points, r.feedback) for r in grade_path(ASSIGNMENT, path, hidden=False).results}
    full = {r.id: (r.status, r.points, r.feedback) for r in graded(path).results if r.visibility == "public"}
    assert public == full and len(public) == PUBLIC_CHECKS
