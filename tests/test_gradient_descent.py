"""Assignment 03 (gradient descent): a bug in one function costs nothing in the other's checks,
the feedback is silent about hidden values, and the judge never runs anything a submission
sends back. The reference, the alternatives, the mutants and the stub are graded for every
assignment in test_assignments.py."""

from __future__ import annotations

import re

import numpy as np
import pytest
from conftest import SUBMISSIONS, failed_checks, score

from grader.course import find_assignment
from grader.judge.catalog import load_suite
from grader.judge.compare import format_number
from grader.judge.student_proxy import Remote
from grader.sandbox import families

ASSIGNMENT = "gradient_descent"
HERE = SUBMISSIONS / ASSIGNMENT
MUTANT_FILES = sorted((HERE / "mutants").glob("*.py"))

DESCENT_VALUES = {"lecture_alpha_0_25", "lecture_alpha_0_06", "lecture_alpha_1_1_diverges", "vector_and_matrix_x0",
                  "descent_quadratic_matches_reference", "descent_other_functions_match_reference"}

# Mutants whose bug is in one function only must keep every check of the other one.
GD_CHECKS = DESCENT_VALUES | {"zero_epochs_returns_x0", "iterates_not_rounded",
                              "descent_accepts_lists_and_numbers", "descent_leaves_x0_unchanged"}


@pytest.mark.parametrize("path", MUTANT_FILES, ids=lambda p: p.stem)
def test_a_bug_in_one_function_costs_nothing_in_the_other(graded, path):
    """Mutants of gradient_descent (gd_*) fail only its checks; those of numerical_gradient (ng_*)
    fail none of them."""
    failed = failed_checks(graded(ASSIGNMENT, path))
    assert failed
    assert not (failed - GD_CHECKS if path.stem.startswith("gd_") else failed & GD_CHECKS), failed


def test_public_feedback_shows_the_inputs_and_the_lecture_values(graded):
    feedback = {r.id: r.feedback for r in graded(ASSIGNMENT, HERE / "mutants" / "gd_ascent.py").results}
    assert "x0=6.0, alpha=0.25, epochs=8" in feedback["lecture_alpha_0_25"]
    assert "expected 3.0" in feedback["lecture_alpha_0_25"]
    assert "25.798902" in feedback["lecture_alpha_1_1_diverges"] or "alternate" in feedback["lecture_alpha_1_1_diverges"]
    assert "2.157807" in feedback["lecture_alpha_0_06"]
    feedback = {r.id: r.feedback for r in graded(ASSIGNMENT, HERE / "mutants" / "gd_without_x0.py").results}
    assert "returned shape (8,), expected (9,)" in feedback["lecture_alpha_0_25"]
    assert "x0 missing" in feedback["lecture_alpha_0_25"]
    feedback = {r.id: r.feedback for r in graded(ASSIGNMENT, HERE / "mutants" / "ng_forward_differences.py").results}
    assert "forward differences" in feedback["numerical_gradient_quadratic"]
    assert "x=[2.0, 1.0, -1.5]" in feedback["numerical_gradient_quadratic"]


EXPECTED_NUMBER = re.compile(r"(expected|numerical|reference)\W{0,3}-?\d", re.IGNORECASE)


def test_hidden_feedback_reveals_no_expected_value(graded):
    hidden_failures = 0
    for path in MUTANT_FILES:
        for r in graded(ASSIGNMENT, path).results:
            if r.visibility == "hidden" and r.status != "passed":
                hidden_failures += 1
                assert not EXPECTED_NUMBER.search(r.feedback), (path.stem, r.id, r.feedback)
                assert "x=[" not in r.feedback and "x0=" not in r.feedback and "alpha=0" not in r.feedback
    assert hidden_failures >= 20

    # The first example of the quadratic check: x0 = -3.5, a = 1, c = 0, alpha = 0.1, 10 epochs,
    # so the reference's iterates are -3.5 * 0.8**k; the ascent mutant's are -3.5 * 1.2**k.
    feedback = {r.id: r.feedback for r in graded(ASSIGNMENT, HERE / "mutants" / "gd_ascent.py").results}
    quadratic = feedback["descent_quadratic_matches_reference"]
    assert "on a hidden test" in quadratic and "uphill" in quadratic
    assert "-4.2" not in quadratic  # not even the student's own values at a hidden input
    for k in range(1, 11):
        assert format_number(-3.5 * 0.8**k) not in quadratic

    # ng_divides_by_h doubles the gradient 2a(x - c) = 15 at the first entry of the first example.
    feedback = {r.id: r.feedback for r in graded(ASSIGNMENT, HERE / "mutants" / "ng_divides_by_h.py").results}
    analytic = feedback["numerical_gradient_matches_analytic"]
    assert "30.0" not in analytic and "about 2 times" in analytic
    assert "15.0" not in analytic and "-12.0" not in analytic
    # the hidden steps h (0.1, 0.05, ...) are not shown either
    assert not re.search(r"h=0|h = 0", feedback["numerical_gradient_uses_h"])


def test_hidden_inputs_cover_the_contract():
    """The drawn inputs include 0-d, 1-D and 2-D points, 0 and 10 epochs, and every family."""
    suite = load_suite(find_assignment(ASSIGNMENT).hidden_suite, "hidden")
    quadratic = [c["case"] for c in suite.test_descent_quadratic_matches_reference.inputs()]
    assert {np.ndim(x0) for _, x0, _, _ in quadratic} == {0, 1, 2}
    assert {epochs for *_, epochs in quadratic} >= {0, 10}
    assert all(np.all(np.asarray(params["a"]) > 0) for params, *_ in quadratic)
    other = [c["case"] for c in suite.test_descent_other_functions_match_reference.inputs()]
    assert {family for family, *_ in other} == {"sum_sin_grad", "logistic_loss_grad"}
    points = [c["case"] for c in suite.test_numerical_gradient_matches_analytic.inputs()]
    assert {np.ndim(x) for *_, x in points} == {0, 1, 2}
    assert {kind for kind, *_ in points} == {"quadratic", "sum_sin"}
    steps = [c["case"] for c in suite.test_numerical_gradient_uses_h.inputs()]
    assert {by_keyword for *_, by_keyword in steps} == {True, False}




HOSTILE = '''# HOSTILE: returns objects whose methods would run code, and records meant to be revived.
import os

import sys

import numpy as np

# Graded code may import numpy and the standard library only; the child's own protocol module
# is still within reach through sys.modules.
Tagged = sys.modules["grader.sandbox.protocol"].Tagged

MARKERS = {markers!r}


def _touch(why):
    with open(os.path.join(MARKERS, f"{{why}}-{{os.getpid()}}"), "w") as handle:
        handle.write(why)
    return 0.0


class Sneaky:
    def __array__(self, *args, **kwargs):
        _touch("array")
        return np.zeros(9)

    def __float__(self):
        return _touch("float")

    def __len__(self):
        _touch("len")
        return 9

    def __iter__(self):
        _touch("iter")
        return iter([0.0] * 9)

    def __getitem__(self, index):
        return _touch("getitem")

    def __call__(self, *args, **kwargs):
        return _touch("call")

    def __eq__(self, other):
        _touch("eq")
        return True

    def __repr__(self):
        _touch("repr")
        return "Sneaky()"

    def __reduce__(self):
        _touch("reduce")
        return (os.system, ("true",))


def gradient_descent(grad, x0, alpha, epochs):
    if {records!r}:
        return Tagged("fn", {{"family": "quadratic", "params": {{"a": 1.0, "planted": True}}}})
    return lambda *args, **kwargs: _touch("lambda")


def numerical_gradient(f, x, h=1e-5):
    if {records!r}:
        return Tagged("handle", {{"id": 1, "type": "Sneaky"}})
    return Sneaky()
'''


@pytest.mark.parametrize("records", [False, True], ids=["objects", "records"])
def test_a_submission_cannot_make_the_judge_run_anything(grade_path, tmp_path, monkeypatch, records):
    """Returned functions, objects with dunder methods and Tagged records fail the checks, and
    the judge never calls any of them: no marker file appears (the child cannot write to the
    judge's tmp_path; the judge could), no description the child sent is built into a
    function, and no method of a returned object is called through a handle."""
    markers = tmp_path / "markers"
    markers.mkdir()
    submission = tmp_path / "gradient_descent.py"
    submission.write_text(HOSTILE.format(markers=str(markers), records=records))

    built, remote_calls = [], []
    real_build = families.build

    def spy_build(description):
        built.append(description)
        return real_build(description)

    monkeypatch.setattr(families, "build", spy_build)
    for name in ("call", "get", "set"):
        monkeypatch.setattr(Remote, name, lambda self, *a, _name=name, **k: remote_calls.append(_name))

    result = grade_path(ASSIGNMENT, submission)
    assert result.status == "graded"
    assert score(result)[0] == 0
    feedback = {r.id: r.feedback for r in result.results}
    for r in result.results:
        assert r.status == "failed", (r.id, r.status, r.feedback)
    if records:
        assert "gradient_descent(grad, x0, alpha, epochs)" in feedback["lecture_alpha_0_25"]
        assert "returned a fn record, not numbers" in feedback["lecture_alpha_0_25"]
        assert "returned an object of your class Sneaky, not numbers" in feedback["numerical_gradient_quadratic"]
    else:
        assert "gradient_descent returned a function" in feedback["lecture_alpha_0_25"]
        assert "returned an object of your class Sneaky, not numbers" in feedback["numerical_gradient_quadratic"]
        # a hidden check does not name the student's class: its name may carry a hidden input
        assert "returned an object of a class defined in your file" in feedback["numerical_gradient_matches_analytic"]
        assert "Sneaky" not in feedback["numerical_gradient_matches_analytic"]
    assert list(markers.iterdir()) == []
    assert built and not any("planted" in d.get("params", {}) for d in built)
    assert remote_calls == []
