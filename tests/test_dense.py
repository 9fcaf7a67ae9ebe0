"""Assignment 05 (dense layer): the reference, correct alternatives, mutants and the stub,
graded with the real sandbox, public and hidden checks."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from conftest import SUBMISSIONS, failed_checks, score
from grader.course import COURSE_ROOT
from grader.judge.compare import format_number

ASSIGNMENT = "dense"
REFERENCE = COURSE_ROOT / "solutions" / ASSIGNMENT
STUB = COURSE_ROOT / "assignments" / ASSIGNMENT
CORRECT = sorted((SUBMISSIONS / ASSIGNMENT / "correct").glob("*.py"))
MUTANT_FILES = sorted((SUBMISSIONS / ASSIGNMENT / "mutants").glob("*.py"))

PUBLIC_CHECKS = 9
HIDDEN_CHECKS = 10
MAX_POINTS = 28.0

GRADIENTS = {"gradients_linear", "gradients_sigmoid", "gradients_tanh", "gradients_relu"}
BACKWARD = {"backward_linear", "backward_sigmoid", "backward_tanh", "backward_relu"}

# mutant file stem -> checks that must be among the failed ones
MUTANTS = {
    "dW_transposed": BACKWARD | GRADIENTS | {"backward_matches_reference"},
    "db_mean": BACKWARD | GRADIENTS | {"backward_matches_reference"},
    "no_activation_derivative": {"backward_sigmoid", "backward_tanh", "backward_relu", "gradients_sigmoid",
                                 "gradients_tanh", "gradients_relu", "backward_matches_reference"},
    "zero_init": {"init_shapes", "init_seeded"},
    "forward_no_bias": {"forward_linear", "forward_sigmoid", "forward_tanh", "forward_relu",
                        "forward_matches_reference"},
    "global_seed": {"init_seeded"},
    "relu_grad_wrong_side": {"backward_relu", "gradients_relu", "backward_matches_reference"},
    "class_level_cache": {"state_per_layer_and_last_forward"},
    "backward_modifies_dout": {"arguments_not_modified"},
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
    assert result.status == "graded"
    assert score(result) == (0.0, MAX_POINTS)
    for r in result.results:
        assert r.status == "failed" and "not implemented yet" in r.feedback, (r.id, r.feedback)


def test_public_feedback_shows_inputs_and_hints(graded):
    checks = by_id(graded(SUBMISSIONS / ASSIGNMENT / "mutants" / "db_mean.py"))
    feedback = checks["backward_linear"].feedback
    assert "X=[[1.0, -2.0], [0.5, 0.0], [-1.5, 1.0]]" in feedback and "numerical -0.7" in feedback
    assert "an extra 1/n?" in feedback
    transposed = by_id(graded(SUBMISSIONS / ASSIGNMENT / "mutants" / "dW_transposed.py"))
    assert "transposed?" in transposed["backward_linear"].feedback.lower()
    assert "transposed?" in transposed["gradients_linear"].feedback.lower()


def test_hidden_feedback_hides_expected_values(graded):
    """The first hidden gradient case is seeded: none of the reference's values there shows up."""
    hidden = importlib_hidden()
    secrets = []
    for activation in hidden.ACTIVATIONS:
        _, X, W, b, dout = hidden.gradient_cases(activation)[0]
        _, dX, dW, db = hidden.reference_backward(activation, X, W, b, dout)
        secrets += [*dX.ravel(), *dW.ravel(), *db.ravel(), *X.ravel(), *W.ravel()]
    for name in ("db_mean", "no_activation_derivative", "forward_no_bias"):
        checks = by_id(graded(SUBMISSIONS / ASSIGNMENT / "mutants" / f"{name}.py"))
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


def test_public_verdicts_equal_in_check_and_grade(grade_path, graded):
    path = SUBMISSIONS / ASSIGNMENT / "mutants" / "db_mean.py"
    public = {r.id: (r.status, r.points, r.feedback) for r in grade_path(ASSIGNMENT, path, hidden=False).results}
    full = {r.id: (r.status, r.points, r.feedback) for r in graded(path).results if r.visibility == "public"}
    assert public == full and len(public) == PUBLIC_CHECKS
