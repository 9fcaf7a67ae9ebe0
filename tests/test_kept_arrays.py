"""``student.keep(array)``: an array that lives in the child, passed by reference to the student's
code and changed afterwards, so that a check can tell code that copies what it is given from
code that keeps the caller's array (the aliasing bugs)."""

from __future__ import annotations

import numpy as np
import pytest

from grader.authoring import CheckDefinitionError, Kept
from grader.judge.student_proxy import Student
from grader.sandbox.supervisor import Session

SOURCE = '''
import numpy as np


class Holder:
    def __init__(self, copy):
        self.copy = copy

    def take(self, arrays):
        self.kept = [np.array(a, dtype=float) if self.copy else np.asarray(a) for a in arrays]

    def total(self):
        return float(sum(a.sum() for a in self.kept))


def double_in_place(a):
    a *= 2
'''


@pytest.fixture(scope="module")
def student(sandbox):
    with Session(sandbox, files={"holder.py": SOURCE}, module="holder") as session:
        assert session.load() is None
        yield Student(session)


@pytest.mark.parametrize("copies, total_after", [(True, 6.0), (False, 60.0)])
def test_a_kept_array_changed_after_the_call_shows_whether_the_code_copied_it(student, copies, total_after):
    first, second = student.keep(np.ones(3)), student.keep([[1.0], [2.0]])
    assert isinstance(first, Kept) and first.value().tolist() == [1.0, 1.0, 1.0]
    holder = student.new("Holder", copies)
    holder.take([first, second])
    assert holder.total() == 6.0
    first.assign(np.full(3, 10.0))
    second.assign(15.0)  # broadcast
    assert first.value().tolist() == [10.0] * 3 and second.value().tolist() == [[15.0], [15.0]]
    assert holder.total() == total_after


def test_a_kept_array_is_changed_by_the_students_code_in_place(student):
    kept = student.keep(np.array([1.0, 2.0]))
    student.double_in_place(kept)
    assert kept.value().tolist() == [2.0, 4.0]


def test_keep_needs_numbers(student):
    with pytest.raises(CheckDefinitionError):
        student.keep("not numbers")
