"""Assignment 04 (logistic regression): what its feedback says. The reference, the
alternatives, the mutants and the stub are graded for every assignment in test_assignments.py."""

from __future__ import annotations

import re

import numpy as np
from conftest import SUBMISSIONS, by_id

from grader.judge.compare import format_number

ASSIGNMENT = "logistic_regression"


def test_public_feedback_shows_the_input(graded):
    checks = by_id(graded(ASSIGNMENT, SUBMISSIONS / ASSIGNMENT / "mutants" / "bce_grad_no_mean.py"))
    feedback = checks["bce_grad_values"].feedback
    assert "X=[[1.0, 2.0], [0.0, 0.0], [-1.0, 1.0]]" in feedback and "y=[1.0, 0.0, 1.0]" in feedback
    assert "expected 0.06066" in feedback
    assert "a missing 1/n?" in checks["bce_grad_is_gradient"].feedback


def test_hidden_gradient_feedback_hints_without_the_expected_value(graded):
    checks = by_id(graded(ASSIGNMENT, SUBMISSIONS / ASSIGNMENT / "mutants" / "bce_grad_no_mean.py"))
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
