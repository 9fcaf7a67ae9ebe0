"""Assignment 05 (dense layer): what its feedback says, and how its hidden checks treat ReLU's
kink. The reference, the alternatives, the mutants and the stub are graded for every assignment
in test_assignments.py."""

from __future__ import annotations

import re

import numpy as np
from conftest import SUBMISSIONS, by_id

from grader.course import COURSE_ROOT
from grader.judge.compare import format_number

ASSIGNMENT = "dense"


def test_public_feedback_shows_inputs_and_hints(graded):
    checks = by_id(graded(ASSIGNMENT, SUBMISSIONS / ASSIGNMENT / "mutants" / "db_mean.py"))
    feedback = checks["backward_linear"].feedback
    assert "X=[[1.0, -2.0], [0.5, 0.0], [-1.5, 1.0]]" in feedback and "numerical -0.7" in feedback
    assert "an extra 1/n?" in feedback
    transposed = by_id(graded(ASSIGNMENT, SUBMISSIONS / ASSIGNMENT / "mutants" / "dW_transposed.py"))
    assert "transposed?" in transposed["backward_linear"].feedback.lower()
    assert "transposed?" in transposed["gradients_linear"].feedback.lower()


def test_a_transposed_dW_is_told_in_full_and_hidden_checks_show_no_shape(graded):
    """dz.T @ X: the public check (W of shape (2, 3)) shows both shapes and the formula; a hidden
    check whose W is square says the values are the transpose, one whose W is not says the shape
    differs; neither shows a hidden shape."""
    checks = by_id(graded(ASSIGNMENT, SUBMISSIONS / ASSIGNMENT / "mutants" / "dW_transposed.py"))
    formula = "dW = X.T @ dz, not dz.T @ X"
    assert checks["backward_linear"].feedback.endswith(
        "has shape (3, 2); expected (2, 3), the shape of W: transposed? " + formula
    )
    assert checks["init_shapes"].feedback.startswith("the dW that backward(dout) of Dense(2, 3) set has shape (3, 2)")
    for ident in ("backward_matches_reference", "forward_accepts_lists"):  # square hidden cases
        assert checks[ident].feedback.endswith("Hint: yours is the transpose of dW: " + formula), checks[ident].feedback
    assert checks["gradients_linear"].feedback.endswith("it must have the shape of W: transposed? " + formula)
    hidden = [r.feedback for r in checks.values() if r.visibility == "hidden" and r.status != "passed"]
    assert hidden and not any(re.search(r"\(\d+, \d+\)", text) for text in hidden)


def test_hidden_feedback_hides_expected_values(graded):
    """The first hidden gradient case is seeded: none of the reference's values there shows up."""
    hidden = importlib_hidden()
    secrets = []
    for activation in hidden.ACTIVATIONS:
        _, X, W, b, dout = hidden.gradient_cases(activation)[0]
        _, dX, dW, db = hidden.reference_backward(activation, X, W, b, dout)
        secrets += [*dX.ravel(), *dW.ravel(), *db.ravel(), *X.ravel(), *W.ravel()]
    for name in ("db_mean", "no_activation_derivative", "forward_no_bias"):
        checks = by_id(graded(ASSIGNMENT, SUBMISSIONS / ASSIGNMENT / "mutants" / f"{name}.py"))
        for r in checks.values():
            if r.visibility != "hidden" or r.status == "passed":
                continue
            assert "numerical" not in r.feedback and not re.search(r"expected -?[0-9]", r.feedback), r.feedback
            assert "X=" not in r.feedback and "W=" not in r.feedback
            for value in (v for v in secrets if abs(v) > 1e-9):
                for digits in range(4, 8):
                    assert format_number(value, digits=digits) not in r.feedback, (r.id, r.feedback)


def importlib_hidden():
    from grader.judge.catalog import load_suite

    return load_suite(COURSE_ROOT / "grader" / "hidden" / "dense.py", "hidden")


def test_relu_kinks_are_skipped_and_both_derivatives_at_zero_accepted():
    hidden = importlib_hidden()
    _, X, W, b, dout = hidden.gradient_cases("relu")[-1]
    assert np.any(X @ W + b == 0)  # the case really has z exactly 0
    assert hidden.kink_mask("relu", X, W, b, "b").any()
    same = [np.allclose(a, c) for a, c in zip(hidden.reference_backward("relu", X, W, b, dout)[1:],
                                               hidden.reference_backward("relu", X, W, b, dout, relu_at_zero=1.0)[1:])]
    assert not all(same)
