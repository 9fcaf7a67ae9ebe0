"""Assignment 01 (activations): what its feedback says. The reference, the alternatives, the
mutants and the stub are graded for every assignment in test_assignments.py."""

from __future__ import annotations

from conftest import SUBMISSIONS, by_id

ASSIGNMENT = "activations"
MUTANTS = SUBMISSIONS / ASSIGNMENT / "mutants"


def test_public_feedback_shows_the_input_and_hidden_feedback_hides_expected_values(graded):
    checks = by_id(graded(ASSIGNMENT, MUTANTS / "sigmoid_grad_missing_factor.py"))
    public = checks["sigmoid_grad_values"].feedback
    assert "[-2.0, 0.0, 2.0]" in public and "expected 0.25" in public and "about 2 times" in public
    hidden = checks["sigmoid_grad_matches_reference"]
    assert hidden.visibility == "hidden"
    assert "about 2 times" in hidden.feedback
    assert "0.25" not in hidden.feedback and "numerical" not in hidden.feedback


def test_hidden_feedback_describes_where_values_differ(graded):
    feedback = by_id(graded(ASSIGNMENT, MUTANTS / "elu_overflow.py"))["elu_matches_reference"].feedback
    assert "only where the input is large and positive" in feedback
