"""Declaring checks: the one place where a check's points live.

A check is a pytest test function in a suite module, decorated with :func:`check`::

    @check(points=2)
    def test_sigmoid_values(student):
        "sigmoid at the lecture's points"
        ...

The decorator records the points on the function; the pytest plugin that runs the
suites and ``grader list`` both read them from there. A check fails by raising
:class:`CheckFailure`, whose message is the feedback the student reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NoReturn, TypeVar

__all__ = ["CheckFailure", "CheckInfo", "PartialCredit", "check", "check_info", "fail"]

F = TypeVar("F", bound=Callable)

ATTRIBUTE = "__grader_check__"


@dataclass(frozen=True)
class CheckInfo:
    """What the decorator records: the points a check is worth and its per-call time limit."""

    points: float
    timeout: float | None = None


class CheckFailure(AssertionError):
    """A check's verdict against the submission; ``str(exc)`` is the student's feedback."""


class PartialCredit(Exception):
    """Ends a check with a fraction of its points (0 < fraction < 1) and feedback."""

    def __init__(self, fraction: float, feedback: str) -> None:
        if not 0.0 <= fraction <= 1.0:
            raise ValueError(f"fraction must lie in [0, 1], got {fraction!r}")
        super().__init__(feedback)
        self.fraction = fraction
        self.feedback = feedback


def check(*, points: float, timeout: float | None = None) -> Callable[[F], F]:
    """Mark a test function as a graded check worth ``points``.

    ``timeout`` overrides the per-call time limit (seconds) for calls this check makes.
    """
    if not isinstance(points, (int, float)) or isinstance(points, bool) or points <= 0:
        raise ValueError(f"points must be a positive number, got {points!r}")
    if timeout is not None and (not isinstance(timeout, (int, float)) or timeout <= 0):
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")

    def mark(function: F) -> F:
        if not function.__name__.startswith("test_"):
            raise ValueError(f"check {function.__name__} must be named test_<something>")
        setattr(function, ATTRIBUTE, CheckInfo(points=float(points), timeout=timeout))
        return function

    return mark


def check_info(function: Callable) -> CheckInfo | None:
    """The :class:`CheckInfo` of a check function, or None for a plain function."""
    return getattr(function, ATTRIBUTE, None)


def fail(feedback: str) -> NoReturn:
    """Fail the current check with ``feedback`` for the student."""
    raise CheckFailure(feedback)
