"""Public points only for functions that compute (grader/judge/unseen.py): a table of the public
answers scores 0, every correct submission keeps its public points (tests/test_assignments.py
grades them all, and the degenerate submissions, among them a table of the public answers)."""

from __future__ import annotations

import numpy as np

from grader.judge.reference import reference
from grader.judge.unseen import pay_public_for_real_work, works_on_unseen_inputs
from grader.results import CheckResult

REF = reference("activations")
Z = np.array([-1.5, 0.25, 2.0])


def test_a_right_value_that_takes_work_vouches_for_the_function():
    calls = [("relu", [Z], {}, np.zeros(3)), ("relu", [Z], {}, np.maximum(Z, 0)), ("tanh", [Z], {}, np.tanh(Z))]
    assert works_on_unseen_inputs(calls, REF) == {"relu": True, "tanh": True}


def test_zeros_a_constant_the_input_or_an_exception_do_not():
    calls = [("relu", [Z], {}, np.zeros(3)), ("step", [Z], {}, None), ("softmax", [Z], {}, np.full(3, 1 / 3))]
    assert works_on_unseen_inputs(calls, REF) == {"relu": False, "step": False, "softmax": False}


def test_calls_whose_right_value_takes_no_work_weigh_nothing():
    tiny = np.array([-40.0, -30.0])  # relu is 0 there; sigmoid is below the tolerance
    positive = np.array([1.0, 2.0])  # relu gives its input back
    calls = [("relu", [tiny], {}, np.zeros(2)), ("sigmoid", [tiny], {}, np.zeros(2)), ("relu", [positive], {}, positive),
             ("no_such_function", [Z], {}, Z), ("leaky_relu", [Z], {"eps": object()}, Z)]
    assert works_on_unseen_inputs(calls, REF) == {}


def test_only_public_checks_that_paid_for_an_idle_function_lose_their_points():
    def result(ident, visibility, points):
        return CheckResult(ident, visibility, points, 1.0, "passed" if points else "failed", "passed", "")

    results = [result("tanh_values", "public", 1.0), result("relu_values", "public", 1.0),
               result("tanh_hidden", "hidden", 1.0), result("step_values", "public", 1.0)]
    called = {"tanh_values": {"tanh", "tanh_grad"}, "relu_values": {"relu"}, "tanh_hidden": {"tanh"},
              "step_values": {"step"}}
    paid = pay_public_for_real_work(results, called, {"tanh": False, "relu": True})
    assert [(r.id, r.points, r.status) for r in paid] == [
        ("tanh_values", 0.0, "failed"), ("relu_values", 1.0, "passed"), ("tanh_hidden", 1.0, "passed"),
        ("step_values", 1.0, "passed"),
    ]
    assert "tanh gave no right value on any input of the hidden checks" in paid[0].feedback


def test_the_right_values_are_computed_once_per_process_and_weigh_each_submission_alone():
    """The reference's values on the judge's arguments are kept from one submission to the next:
    computed once for equal arguments (the same bytes), never changed by a submission's answers."""
    import types

    seen = []

    def double(z, *, by=2.0):
        seen.append(z)
        return np.asarray(z, dtype=float) * by

    ref = types.SimpleNamespace(double=double, __name__="tests.unseen_reference")
    right, wrong = [("double", [Z.copy()], {"by": 3.0}, 3.0 * Z)], [("double", [Z.copy()], {"by": 3.0}, 2.0 * Z)]
    assert works_on_unseen_inputs(right, ref) == {"double": True}
    assert works_on_unseen_inputs(wrong, ref) == {"double": False}
    assert works_on_unseen_inputs(right, ref) == {"double": True}
    assert len(seen) == 1  # once for the three submissions
    assert works_on_unseen_inputs([("double", [Z.astype(np.float32)], {"by": 3.0}, 3.0 * Z)], ref) == {"double": True}
    assert works_on_unseen_inputs([("double", [Z.tolist()], {"by": 3}, 3.0 * Z)], ref) == {"double": True}
    assert len(seen) == 3  # another dtype, a list and an int are other arguments
