"""Assignment 04 (logistic regression): the reference, correct alternatives, mutants and the
stub, graded with the real sandbox, public and hidden checks."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from conftest import SUBMISSIONS, failed_checks, score
from grader.course import COURSE_ROOT
from grader.judge.compare import format_number

ASSIGNMENT = "logistic_regression"
REFERENCE = COURSE_ROOT / "solutions" / ASSIGNMENT
STUB = COURSE_ROOT / "assignments" / ASSIGNMENT
CORRECT = sorted((SUBMISSIONS / ASSIGNMENT / "correct").glob("*.py"))
MUTANT_FILES = sorted((SUBMISSIONS / ASSIGNMENT / "mutants").glob("*.py"))

PUBLIC_CHECKS = 10
HIDDEN_CHECKS = 11
MAX_POINTS = 29.0

# mutant file stem -> checks that must be among the failed ones
MUTANTS = {
    "bce_grad_no_mean": {"bce_grad_values", "bce_grad_is_gradient", "bce_grad_matches_reference", "bce_grad_matches_numerical"},
    "bce_grad_wrong_sign": {"bce_grad_values", "bce_grad_is_gradient", "bce_grad_matches_numerical"},
    "bce_db_sum": {"bce_grad_values", "bce_grad_is_gradient", "bce_grad_matches_numerical"},
    "bce_no_clip": {"bce_loss_finite_at_0_and_1", "bce_loss_matches_reference"},
    "bce_clip_in_place": {"arguments_not_modified"},
    "mse_grad_no_2": {"mse_grad_values", "mse_grad_is_gradient", "mse_grad_matches_numerical"},
    "mse_grad_no_mean": {"mse_grad_values", "mse_grad_is_gradient", "mse_grad_matches_numerical"},
    "fit_no_b_update": {"fit_logistic_small", "fit_logistic_matches_reference", "fit_logistic_reduces_loss"},
    "fit_stochastic": {"fit_logistic_small", "fit_logistic_matches_reference"},
    "fit_ignores_epochs": {"fit_logistic_small", "fit_logistic_matches_reference"},
    "naive_sigmoid": {"predict_proba_stable"},
    "db_shape_1": {"bce_grad_values", "mse_grad_values", "bce_grad_matches_reference", "mse_grad_matches_reference"},
    "predict_proba_no_bias": {"predict_proba_values", "predict_proba_matches_reference"},
    "bce_loss_sum": {"bce_loss_values", "bce_loss_matches_reference"},
    "mse_loss_no_square": {"mse_loss_values", "mse_loss_matches_reference"},
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


def by_id(result):
    return {r.id: r for r in result.results}


def test_every_mutant_is_listed():
    assert {path.stem for path in MUTANT_FILES} == set(MUTANTS)
    assert len(MUTANT_FILES) >= 6 and len(CORRECT) >= 2
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
    checks = by_id(graded(SUBMISSIONS / ASSIGNMENT / "mutants" / "bce_grad_no_mean.py"))
    feedback = checks["bce_grad_values"].feedback
    assert "X=[[1.0, 2.0], [0.0, 0.0], [-1.0, 1.0]]" in feedback and "y=[1.0, 0.0, 1.0]" in feedback
    assert "expected 0.06066" in feedback
    assert "a missing 1/n?" in checks["bce_grad_is_gradient"].feedback


def test_hidden_gradient_feedback_hints_without_the_expected_value(graded):
    checks = by_id(graded(SUBMISSIONS / ASSIGNMENT / "mutants" / "bce_grad_no_mean.py"))
    numerical = checks["bce_grad_matches_numerical"]
    assert numerical.visibility == "hidden" and numerical.status == "failed"
    assert "a missing 1/n?" in numerical.feedback and "numerical" not in numerical.feedback
    # the first example of the hidden checks, and the reference's gradient there
    X = np.array([[0.5, -1.0], [1.5, 2.0], [-1.0, 0.25]])
    y = np.array([1.0, 0.0, 0.0])
    y_hat = 1 / (1 + np.exp(-(X @ np.array([0.75, -0.5]) + 0.3)))
    expected = [*(X.T @ (y_hat - y) / 3), np.mean(y_hat - y)]
    for check in ("bce_grad_matches_numerical", "bce_grad_matches_reference"):
        for value in expected:
            for digits in range(3, 10):
                assert format_number(value, digits=digits) not in checks[check].feedback, checks[check].feedback
    for r in checks.values():
        if r.visibility == "hidden":
            assert "X=" not in r.feedback and not re.search(r"expected -?[0-9]", r.feedback)


def test_public_verdicts_equal_in_check_and_grade(grade_path, graded):
    path = SUBMISSIONS / ASSIGNMENT / "mutants" / "naive_sigmoid.py"
    public = {r.id: (r.status, r.points, r.feedback) for r in grade_path(ASSIGNMENT, path, hidden=False).results}
    full = {r.id: (r.status, r.points, r.feedback) for r in graded(path).results if r.visibility == "public"}
    assert public == full and len(public) == PUBLIC_CHECKS
