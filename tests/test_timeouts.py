"""A submission that never returns costs one time limit per call, and the rest is graded."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SUBMISSIONS
from grader.course import COURSE_ROOT, find_assignment
from grader.judge.runner import grade
from grader.sandbox.isolation import Limits
from grader.sandbox.supervisor import Sandbox
from grader.submission import load_submission


@pytest.fixture(scope="module")
def quick_sandbox():
    with Sandbox(limits=Limits(call_timeout_s=0.5), hide=(str(COURSE_ROOT / "solutions"),)) as box:
        yield box


def test_endless_loop_in_a_call_times_out_and_the_rest_is_graded(quick_sandbox):
    assignment = find_assignment("activations")
    path = SUBMISSIONS / "activations" / "hostile" / "loops_forever.py"
    graded = grade(assignment, load_submission(path, assignment), quick_sandbox, hidden=True)
    by_id = {r.id: r for r in graded.results}
    assert by_id["sigmoid_values"].status == "timeout"
    assert "did not finish within 0.5 s" in by_id["sigmoid_values"].feedback
    assert by_id["tanh_values"].status == "passed"
    assert by_id["softmax_matches_reference"].status == "passed"
    calling_sigmoid = ("sigmoid_values", "sigmoid_stable", "sigmoid_matches_reference", "sigmoid_grad_is_derivative")
    assert all(by_id[name].points == 0 and by_id[name].status == "timeout" for name in calling_sigmoid)
    assert by_id["sigmoid_grad_matches_reference"].status == "passed"  # does not call sigmoid
