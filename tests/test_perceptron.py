"""Assignment 02 (perceptron): what its feedback says. The reference, the alternatives, the
mutants and the stub are graded for every assignment in test_assignments.py."""

from __future__ import annotations

import re

import numpy as np
from conftest import SUBMISSIONS

from grader.judge.compare import format_number

ASSIGNMENT = "perceptron"


def test_public_feedback_shows_the_input(graded):
    result = graded(ASSIGNMENT, SUBMISSIONS / ASSIGNMENT / "mutants" / "no_bias.py")
    feedback = {r.id: r for r in result.results}["neuron_lecture_example"].feedback
    assert "x=[-0.1, 0.7, 0.5]" in feedback and "w=[1.0, -2.0, 2.0]" in feedback and "b=0.8" in feedback
    assert "expected 0.5744" in feedback


def test_hidden_feedback_hides_the_expected_value(graded):
    result = graded(ASSIGNMENT, SUBMISSIONS / ASSIGNMENT / "mutants" / "no_bias.py")
    check = {r.id: r for r in result.results}["neuron_matches_reference"]
    assert check.visibility == "hidden" and check.status == "failed"
    # the first example of the hidden check: sigmoid(0.5 - 0.75 - 0.5 + 0.3) = sigmoid(-0.45)
    expected = 1 / (1 + np.exp(0.45))
    for digits in range(3, 10):
        assert format_number(expected, digits=digits) not in check.feedback, check.feedback
    assert "0.3208" not in check.feedback  # not even the student's own value, sigmoid(-0.75)
    assert "without b" in check.feedback  # the known mistake, named
    for r in result.results:
        if r.visibility == "hidden":
            assert "x=" not in r.feedback and "X=" not in r.feedback and not re.search(r"expected -?[0-9]", r.feedback)
