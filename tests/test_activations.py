"""Assignment 01 graded end to end: fair to correct solutions, strict with the typical bugs."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SUBMISSIONS, failed_checks, score
from grader.course import COURSE_ROOT

HERE = SUBMISSIONS / "activations"
CORRECT = sorted((HERE / "correct").glob("*.py"))

# Each mutant must lose points in (at least) these checks.
MUTANTS = {
    "naive_sigmoid": {"sigmoid_stable"},
    "softmax_no_shift": {"softmax_stable", "softmax_stable_everywhere"},
    "softmax_wrong_axis": {"softmax_values", "softmax_matches_reference"},
    "softmax_no_keepdims": {"softmax_values", "softmax_matches_reference"},
    "softmax_global_sum": {"softmax_values", "softmax_matches_reference"},
    "step_strict": {"step_values", "step_matches_reference"},
    "leaky_grad_zero": {"leaky_relu_values", "leaky_relu_grad_matches_reference", "relu_grad_is_derivative"},
    "leaky_ignores_eps": {"leaky_relu_values", "leaky_relu_matches_reference"},
    "relu_inplace": {"arguments_not_modified"},
    "relu_grad_sign": {"relu_values", "relu_grad_matches_reference", "relu_grad_is_derivative"},
    "tanh_grad_wrong": {"tanh_values", "tanh_grad_matches_reference", "tanh_grad_is_derivative"},
    "tanh_grad_sigmoid_formula": {"tanh_grad_matches_reference", "tanh_grad_is_derivative"},
    "elu_ignores_alpha": {"elu_values", "elu_matches_reference"},
    "elu_overflow": {"elu_finite", "elu_matches_reference"},
    "sigmoid_grad_missing_factor": {"sigmoid_grad_values", "sigmoid_grad_matches_reference", "sigmoid_grad_is_derivative"},
    "sigmoid_grad_takes_output": {"sigmoid_grad_values", "sigmoid_grad_matches_reference"},
    "sigmoid_returns_list_of_wrong_shape": {"sigmoid_matches_reference", "accepts_lists_and_scalars"},
    "sigmoid_sign_flipped": {"sigmoid_values", "sigmoid_matches_reference"},
    "relu_max_along_axis": {"relu_values", "relu_matches_reference"},
    "tanh_from_exponentials": {"tanh_matches_reference"},
}


def test_every_mutant_file_has_an_expectation():
    assert {p.stem for p in (HERE / "mutants").glob("*.py")} == set(MUTANTS)


def test_reference_gets_full_marks(grade_path):
    graded = grade_path("activations", COURSE_ROOT / "solutions" / "activations")
    got, total = score(graded)
    assert graded.status == "graded"
    assert got == total and total > 0, failed_checks(graded)


@pytest.mark.parametrize("path", CORRECT, ids=[p.stem for p in CORRECT])
def test_correct_alternatives_get_full_marks(grade_path, path):
    graded = grade_path("activations", path)
    assert failed_checks(graded) == set(), [r.feedback for r in graded.results if r.status != "passed"]


def test_there_are_at_least_three_alternatives():
    assert len(CORRECT) >= 3


@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_mutant_loses_points_where_intended(grade_path, name):
    graded = grade_path("activations", HERE / "mutants" / f"{name}.py")
    got, total = score(graded)
    assert got < total
    missing = MUTANTS[name] - failed_checks(graded)
    assert not missing, f"{name} was expected to fail {missing}; it failed {failed_checks(graded)}"


def test_stub_scores_zero_with_not_implemented_feedback(grade_path):
    graded = grade_path("activations", COURSE_ROOT / "assignments" / "activations")
    assert score(graded)[0] == 0
    for result in graded.results:
        assert result.status == "failed"
        assert "not implemented yet" in result.feedback


def test_public_feedback_shows_the_input_and_hidden_feedback_hides_expected_values(grade_path):
    graded = grade_path("activations", HERE / "mutants" / "sigmoid_grad_missing_factor.py")
    by_id = {r.id: r for r in graded.results}
    public = by_id["sigmoid_grad_values"].feedback
    assert "[-2.0, 0.0, 2.0]" in public and "expected 0.25" in public and "about 2x" in public
    hidden = by_id["sigmoid_grad_matches_reference"]
    assert hidden.visibility == "hidden"
    assert "about 2x" in hidden.feedback
    assert "0.25" not in hidden.feedback and "numerical" not in hidden.feedback


def test_hidden_feedback_describes_where_values_differ(grade_path):
    graded = grade_path("activations", HERE / "mutants" / "elu_ignores_alpha.py")
    feedback = {r.id: r.feedback for r in graded.results}["elu_matches_reference"]
    assert "only where the input is negative" in feedback


def test_public_only_grading_has_no_hidden_checks(grade_path):
    graded = grade_path("activations", HERE / "correct" / "loops.py", hidden=False)
    assert graded.results and all(r.visibility == "public" for r in graded.results)


def test_public_verdicts_equal_in_check_and_grade(grade_path):
    for path in [HERE / "mutants" / "leaky_grad_zero.py", HERE / "correct" / "lists.py", HERE / "mutants" / "naive_sigmoid.py"]:
        public = {r.id: (r.status, r.points, r.feedback) for r in grade_path("activations", path, hidden=False).results}
        full = {r.id: (r.status, r.points, r.feedback) for r in grade_path("activations", path).results if r.visibility == "public"}
        assert public == full
