"""Property checks replayed in batches (grader/judge/property_checks.py), against a session that
answers in the judge's process: how often a body runs, how many round trips a check costs, and
that the verdict is the first failing input's, as when every call is made one by one."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import strategies as st

from grader.judge.checks import CheckFailure
from grader.judge.property_checks import for_examples
from grader.judge.student_proxy import Student
from grader.sandbox.supervisor import Call, StudentRaised, SubmissionCrashed

VALUES = st.integers(1000, 10**9)  # drawn after the examples 0 to 9


class FakeSession:
    """Answers ``double(x)`` with ``2 x`` (``3 x`` from ``wrong_from`` on), counting round trips."""

    def __init__(self, *, wrong_from: float = float("inf"), crash_batches: bool = False) -> None:
        self.wrong_from, self.crash_batches = wrong_from, crash_batches
        self.single = self.batches = 0

    def begin_check(self) -> None:
        pass

    def _answer(self, function: str, args: list) -> Call:
        if function != "double":
            raise StudentRaised(function, {"kind": "missing", "type": "AttributeError", "message": function})
        x = args[0]
        return Call(value=(3 if x >= self.wrong_from else 2) * x, args=list(args), kwargs={})

    def call(self, function, args, kwargs, *, timeout=None, kind="call", handle=None):
        self.single += 1
        return self._answer(function, args)

    def call_batch(self, calls, *, timeout=None):
        self.batches += 1
        if self.crash_batches:
            raise SubmissionCrashed("the submission's process died")
        answers = []
        for function, args, _ in calls:
            try:
                answers.append(self._answer(function, args))
            except StudentRaised as raised:
                answers.append(raised)
        return answers


def make_check(runs: Counter, *, calls: int = 1):
    @for_examples(x=VALUES, examples=[{"x": n} for n in range(10)])
    def check(student, x):
        runs[x] += 1
        for k in range(calls):
            if student.double(x + 10 * k) != 2 * (x + 10 * k):
                raise CheckFailure(f"double({x + 10 * k}) is wrong")

    return check


@pytest.mark.parametrize("calls", [1, 2])
def test_a_body_that_ran_to_its_end_on_fetched_answers_is_not_run_again(calls):
    runs, session = Counter(), FakeSession()
    check = make_check(runs, calls=calls)
    check(Student(session))
    assert session.single == 0 and session.batches == calls
    # once deferred at each call, and once to its end on fetched answers
    assert sum(runs.values()) == (calls + 1) * len(check.inputs())


def test_the_verdict_is_the_first_failing_input_as_without_batching():
    runs, session = Counter(), FakeSession(wrong_from=4)
    with pytest.raises(CheckFailure, match=r"double\(4\) is wrong"):
        make_check(runs)(Student(session))
    assert session.single == 0 and session.batches == 1


def test_an_exception_of_the_students_code_is_the_verdict_of_its_input():
    @for_examples(x=VALUES, examples=[{"x": 0}])
    def check(student, x):
        if x == 0:
            student.missing(x)

    session = FakeSession()
    with pytest.raises(StudentRaised, match="missing"):
        check(Student(session))
    assert session.single == 0


def test_a_batch_that_crashes_makes_every_body_run_again_with_calls_one_by_one():
    runs, session = Counter(), FakeSession(wrong_from=4, crash_batches=True)
    check = make_check(runs)
    with pytest.raises(CheckFailure, match=r"double\(4\) is wrong"):
        check(Student(session))
    assert session.batches == 1 and session.single == 5  # inputs 0 to 4, in order
    # every input deferred once; then inputs 0 to 4 run again, their calls sent one by one
    assert all(runs[x] == 2 for x in range(5)) and sum(runs.values()) == len(check.inputs()) + 5


def test_a_body_that_calls_outside_the_cache_runs_again():
    runs = Counter()

    @for_examples(x=VALUES, examples=[{"x": 1}])
    def check(student, x):
        runs[x] += 1
        student.call("double", x, _kind="method", _handle=1)  # not cached: sent at once

    session = FakeSession()
    check(Student(session))
    assert runs[1] == 2 and session.single == 2 * len(check.inputs())


def test_checks_asking_for_the_same_inputs_share_one_set_of_draws():
    """The draws depend only on the strategies: checks given equal float_arrays() share them,
    drawn once; other strategies, or the same ones in another order, draw their own."""
    from grader.judge.strategies import float_arrays, floats

    def body(student, **inputs):
        return None

    one = for_examples(z=float_arrays(max_side=3))(body).inputs()
    two = for_examples(z=float_arrays(max_side=3), examples=[{"z": 0.5}])(body).inputs()
    assert len(two) == len(one) + 1 and all(a is b for a, b in zip(one, two[1:]))
    other = for_examples(z=float_arrays(max_side=2))(body).inputs()
    assert not any(a is b for a, b in zip(one, other))
    mixed = for_examples(z=float_arrays(max_side=3), k=st.integers(0, 3))(body).inputs()
    swapped = for_examples(k=st.integers(0, 3), z=float_arrays(max_side=3))(body).inputs()
    assert [list(case) for case in mixed[:1]] == [["z", "k"]] and [list(case) for case in swapped[:1]] == [["k", "z"]]
    assert floats(lo=0.0, hi=1.0) is floats(lo=0, hi=1.0) and floats(lo=-0.0, hi=1.0) is not floats(lo=0.0, hi=1.0)
