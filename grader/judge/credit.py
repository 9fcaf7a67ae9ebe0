"""Credit for checks of form: they pay only for work whose values are right.

A check of form (arguments left unchanged, lists accepted, shapes, call signatures, a
gradient consistent with the student's own function) is satisfied by a function that does
nothing: zeros leave their argument unchanged and are the derivative of a constant. Such a
check pays only when the values it depends on are right too (:func:`only_if_right`), and a
check covering several functions gives each its share (:func:`credit_by_part`), so that one
wrong function costs its share, not the whole check.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from grader.judge.checks import CheckFailure, PartialCredit
from grader.judge.validation import CheckDefinitionError
from grader.judge.visibility import current_suite
from grader.sandbox.supervisor import StudentRaised

__all__ = ["credit_by_part", "only_if_right"]


def only_if_right(what: str, compare: Callable[[], Any]) -> None:
    """Fail unless ``compare()`` passes: the values a check of form depends on must be right.

    Parameters: ``what``, the call whose values are compared (``"relu(z)"``), for the message;
    ``compare``, a callable that raises :class:`CheckFailure` (usually through
    :func:`~grader.judge.compare.expect_close`) when the values are wrong. Returns None.
    Raises :class:`CheckFailure` saying that this check is judged once ``what`` is right,
    followed by ``compare``'s own message and hint.

    >>> only_if_right("relu(z)", lambda: expect_close(call.value, ref.relu(z), what="relu(z)"))  # doctest: +SKIP
    """
    try:
        compare()
    except StudentRaised as raised:
        raise CheckFailure(f"{what} is judged here once it works: {_said(raised)}") from None
    except CheckFailure as failure:
        raise CheckFailure(f"{what} is judged here once its values are right: {failure.message}",
                           hint=failure.hint) from None


def credit_by_part(parts: Mapping[str, Callable[[], Any]]) -> None:
    """Give each named part an equal share of the check's points.

    Parameters: ``parts``, a name (``"relu"``) for each callable that returns when that part
    is right and raises :class:`CheckFailure` (or the student's exception) when it is not.
    Every part runs, in order. Returns None when every part passed; otherwise raises
    :class:`PartialCredit` with the share of the parts that passed and one line of feedback per
    part that failed. A time-out or a crash of the student's code is raised as it is.
    Raises :class:`~grader.judge.validation.CheckDefinitionError` for no parts.

    >>> credit_by_part({name: lambda name=name: judge(name) for name in ("relu", "tanh")})  # doctest: +SKIP
    """
    if not parts:
        raise CheckDefinitionError("credit_by_part needs at least one part")
    failures = []
    for name, part in parts.items():
        try:
            part()
        except (CheckFailure, StudentRaised) as failure:
            failures.append(f"{name}: {_said(failure) if isinstance(failure, StudentRaised) else failure}")
    if failures:
        passed = len(parts) - len(failures)
        raise PartialCredit(passed / len(parts), f"{passed} of {len(parts)} right.\n" + "\n".join(failures))


def _said(raised: StudentRaised) -> str:
    """What the student's exception says: without its message in a hidden check (the student's
    code chose it, and it may hold the hidden input)."""
    return raised.without_message() if current_suite() == "hidden" else str(raised)
