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

from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn, TypeVar

from grader.i18n import _
from grader.judge.validation import checked_fraction, checked_points, checked_test_name, checked_timeout

__all__ = ["CheckFailure", "CheckInfo", "PartialCredit", "check", "check_info", "fail"]

F = TypeVar("F", bound=Callable)

ATTRIBUTE = "__grader_check__"


@dataclass(frozen=True)
class CheckInfo:
    """What the decorator records: the points a check is worth and its per-call time limit."""

    points: float
    timeout: float | None = None


class CheckFailure(AssertionError):
    r"""A check's verdict against the submission: the student's mistake.

    ``message`` says what is wrong; ``hint`` (optional) suggests why. ``str(exc)`` is the
    feedback the student reads: the message, then ``"\nHint: "`` and the hint if there is one.

    >>> str(CheckFailure("sigmoid(z) returned None", hint="a missing return?"))
    'sigmoid(z) returned None\nHint: a missing return?'
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        # A suite's own sentence is translated when the catalogue has it (grader.i18n).
        message, hint = _(message), _(hint) if hint else hint
        super().__init__(message)
        self.message = message
        self.hint = hint or None

    def __str__(self) -> str:
        return self.message + ("\n" + _("Hint: {hint}").format(hint=self.hint) if self.hint else "")

    def with_hint(self, hint: str | None) -> CheckFailure:
        """The same failure with ``hint`` in place of its own (its own if ``hint`` is None)."""
        return CheckFailure(self.message, hint=hint or self.hint)


class PartialCredit(Exception):
    """Ends a check with ``fraction`` of its points (0 to 1) and ``feedback`` for the student.

    Raises :class:`~grader.judge.validation.CheckDefinitionError` for a fraction outside [0, 1].

    >>> raise PartialCredit(0.5, "mean accuracy 0.7 (full marks from 0.9)")  # doctest: +SKIP
    """

    def __init__(self, fraction: float, feedback: str) -> None:
        fraction = checked_fraction(fraction)
        super().__init__(feedback)
        self.fraction = fraction
        self.feedback = feedback


def check(*, points: float, timeout: float | None = None) -> Callable[[F], F]:
    """Mark a test function ``test_<id>`` as a graded check worth ``points``.

    Parameters: ``points``, a positive number; ``timeout``, the time limit in seconds of each
    call to the student's code this check makes (None: the grader's default). Put it outermost
    (above :func:`~grader.judge.property_checks.for_examples`); the first paragraph of the
    docstring is the check's description in reports (:func:`description`).

    Returns the function unchanged, with its points recorded. Raises
    :class:`~grader.judge.validation.CheckDefinitionError` for points or a timeout that is not
    a positive number, or a function not named ``test_<something>``.

    >>> @check(points=2)
    ... def test_sigmoid_at_zero(student):
    ...     "sigmoid(0) is 0.5"
    ...     expect_close(student.sigmoid(0.0), 0.5, what="sigmoid(0.0)")  # doctest: +SKIP
    """
    points = checked_points(points)
    timeout = checked_timeout(timeout)

    def mark(function: F) -> F:
        checked_test_name(function.__name__)
        setattr(function, ATTRIBUTE, CheckInfo(points=points, timeout=timeout))
        return function

    return mark


def check_info(function: Callable) -> CheckInfo | None:
    """What :func:`check` recorded on ``function``: its points and time limit, or None.

    Parameters: ``function``, any callable. Returns a :class:`CheckInfo` (``points``,
    ``timeout`` in seconds or None), or None for a function that is not a check. Raises
    nothing.

    >>> @check(points=2, timeout=5)
    ... def test_example(student): ...
    >>> check_info(test_example)
    CheckInfo(points=2.0, timeout=5.0)
    """
    return getattr(function, ATTRIBUTE, None)


def fail(feedback: str, *, hint: str | None = None) -> NoReturn:
    """Fail the current check: the student's mistake.

    ``feedback`` says what is wrong, in the student's terms (their call, never a hidden value
    in a hidden suite); ``hint``, optional, what might cause it. Raises
    :class:`CheckFailure`, always.

    >>> fail("relu(z) returned None", hint="a missing return?")  # doctest: +SKIP
    """
    raise CheckFailure(feedback, hint=hint)


def description(docstring: str | None) -> str:
    """A check's description: the first paragraph of its docstring, on one line.

    Returns ``""`` for no docstring; never raises. The description is also the message id
    under which the catalogues translate it (:mod:`grader.i18n_extract`).

    >>> description("every function accepts a list;\\n    each function's share is judged.\\n\\n    Detail.")
    "every function accepts a list; each function's share is judged."
    """
    first = (docstring or "").strip().split("\n\n")[0]
    return " ".join(first.split())
