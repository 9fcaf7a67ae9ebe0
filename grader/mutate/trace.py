"""What the checks saw of a submission, to tell a surviving mutant from an equivalent one.

A check sees a submission only through the answers of its calls (values, the arguments as the
function left them, warnings, or what it raised). :class:`Recorder` keeps every answer the
checks received, in order; two submissions whose records agree (:func:`same`) cannot be told
apart by any of the checks, on the inputs the checks tried. A surviving mutant whose record
agrees with the reference's is listed as *probably equivalent*: either it computes the same
function, or no check tries an input where it differs (which the record cannot tell apart).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.judge.student_proxy import Deferred, Remote, Student
from grader.sandbox.protocol import Tagged
from grader.sandbox.supervisor import Session

__all__ = ["Recorder", "same"]

RTOL = 1e-12  # values equal to 12 significant digits count as the same answer
ATOL = 1e-15


def _frozen(value: Any) -> Any:
    """A copy of an answer that later calls cannot change, with handles as plain records."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, Remote):
        return ("remote", value._handle, value.type_name)
    if isinstance(value, Tagged):
        return ("tagged", value.tag, _frozen(value.value))
    if isinstance(value, dict):
        return {k: _frozen(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_frozen(v) for v in value]
    return value


class Recorder:
    """``grade(..., student=recorder.student)`` records every answer the checks receive in
    :attr:`answers`: ``(function, "returned", value, args, kwargs, warnings)`` or
    ``(function, "raised", exception type, message)``."""

    def __init__(self) -> None:
        self.answers: list[tuple] = []

    def student(self, session: Session) -> Student:
        return _RecordingStudent(session, self.answers)


class _RecordingStudent(Student):
    def __init__(self, session: Session, answers: list[tuple]) -> None:
        super().__init__(session)
        self._answers = answers

    def call(self, function: str, *args: Any, _kind: str = "call", _handle: int | None = None, **kwargs: Any):
        try:
            result = super().call(function, *args, _kind=_kind, _handle=_handle, **kwargs)
        except Deferred:
            raise
        except Exception as exc:
            self._answers.append((function, "raised", type(exc).__name__, str(exc)))
            raise
        self._answers.append(
            (function, "returned", _frozen(result.value), _frozen(result.args), _frozen(result.kwargs), tuple(result.warnings))
        )
        return result


def _scalar(value: Any) -> Any:
    if isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind == "f":
        return float(value)
    return value


def same(a: Any, b: Any) -> bool:
    """Whether two records (or parts of them) hold the same answers: same types, shapes and
    dtypes, numbers equal to :data:`RTOL` relative (:data:`ATOL` absolute), NaN equal to NaN.
    A 0-d float array and a float are interchangeable, as they are for the checks."""
    a, b = _scalar(a), _scalar(b)
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)) or a.shape != b.shape or a.dtype != b.dtype:
            return False
        if a.dtype.kind in "fc":
            return bool(np.allclose(a, b, rtol=RTOL, atol=ATOL, equal_nan=True))
        return bool(np.array_equal(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return bool(np.isclose(a, b, rtol=RTOL, atol=ATOL, equal_nan=True))
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return bool(a == b)
