"""Credit for checks of form: they pay only for work whose values are right.

A check of form (arguments left unchanged, lists accepted, shapes, call signatures, a
gradient consistent with the student's own function) is satisfied by a function that does
nothing: zeros leave their argument unchanged and are the derivative of a constant. Such a
check pays only when the values it depends on are right too (:func:`only_if_right`), and a
check covering several functions gives each its share (:func:`credit_by_part`), so that one
wrong function costs its share, not the whole check.

One bug, one loss: a function that uses another of the student's functions (a fit that calls
the student's gradient, a gradient that calls the student's predictions) is judged against the
reference, or against the judge's own computation driven by the student's own component
(:func:`right_or_own`): the component's values are asked of the child as plain data, and the
judge does the rest of the work itself. A bug in the component then costs the component's
checks, and the function that uses it is paid for its own work. It is never paid for agreeing
with the student's other function alone: "right given your own X" pays only when the judge
can compute X itself, that is when X's values are right or are those of one of a small
catalogue of typical slips that the suite implements in its own code (the assignment's
mutants), and the dependent function is then judged against the judge's computation with that
slip, never against the student's own outputs. A deliberately odd component matches no slip and
pays nothing; a component that leaves nothing to compute (zeros, values of no usable shape)
pays nothing either.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from grader.i18n import _, ngettext
from grader.judge.checks import CheckFailure, PartialCredit
from grader.judge.validation import CheckDefinitionError
from grader.judge.visibility import current_suite
from grader.sandbox.supervisor import StudentRaised, SubmissionTimedOut

__all__ = ["credit_by_part", "noted", "only_if_right", "right_or_own"]


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
        raise CheckFailure(_("{what} is judged here once it works: {said}").format(what=what, said=_said(raised))) from None
    except CheckFailure as failure:
        raise CheckFailure(
            _("{what} is judged here once its values are right: {said}").format(what=what, said=failure.message),
            hint=failure.hint,
        ) from None


def credit_by_part(parts: Mapping[str, Callable[[], Any]]) -> None:
    """Give each named part an equal share of the check's points.

    Parameters: ``parts``, a name (``"relu"``) for each callable that returns when that part
    is right and raises :class:`CheckFailure` (or the student's exception) when it is not.
    Every part runs, in order. Returns None when every part passed; otherwise raises
    :class:`PartialCredit` with the share of the parts that passed and one line of feedback per
    part that failed. A call over its time limit fails its part only (a loop in one function
    costs that function's share, as an exception would); the submission's whole budget running
    out, or a crash of the student's code, is raised as it is.
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
        except SubmissionTimedOut as timed_out:
            if timed_out.budget != "call":
                raise
            failures.append(f"{name}: {timed_out}")
    if failures:
        passed = len(parts) - len(failures)
        right = ngettext("{passed} of {count} right.", "{passed} of {count} right.", len(parts))
        raise PartialCredit(passed / len(parts), right.format(passed=passed, count=len(parts)) + "\n" + "\n".join(failures))


def right_or_own(right: Callable[[], Any], own: Mapping[str, Callable[[], Any]]) -> str | None:
    """Judge a function that may use another of the student's functions: right, or right given it.

    Parameters: ``right``, a callable that compares the student's result with the judge's
    own (the reference's) and raises :class:`CheckFailure` when it differs; ``own``, for the
    name of each function of the student's that the judged one may use (``"bce_grad"``), a
    callable that compares the same result with the judge's own computation driven by the
    student's own function (its values asked of the child at the inputs the computation
    needs) and raises :class:`CheckFailure` when it differs, or when the student's values
    leave nothing to compute (not finite, of no usable shape, zeros where the right values
    are not): no point without real work.

    Returns None when ``right`` passes; when it fails and one of ``own`` passes (in order), a
    note for the student: the function is right given their own ``name``, whose own checks
    cost the points. Raises ``right``'s :class:`CheckFailure` (its message and hint) when none
    passes, and what ``right`` raised otherwise (the student's exception, a time-out or a
    crash). An ``own`` part that meets the student's exception does not pass.

    >>> note = right_or_own(lambda: expect_close(dw, ref_dw, what="dw"),  # doctest: +SKIP
    ...                     {"predict_proba": lambda: expect_close(dw, X.T @ (p - y) / n, what="dw")})
    """
    try:
        right()
        return None
    except CheckFailure as failure:
        wrong = failure
    for name, part in own.items():
        try:
            part()
        except (CheckFailure, StudentRaised):
            continue
        return _("right given your own {name}, which is wrong here: its own checks cost the points").format(name=name)
    raise wrong


def noted(*notes: str | None) -> None:
    """End a check that passed with the diagnostics it found, worth no points.

    Parameters: ``notes``, sentences (None and empty ones are left out). Returns None when
    there is no note; otherwise raises :class:`PartialCredit` with the whole of the points and
    ``"passed. Note: "`` followed by the distinct notes, joined by ``"; "``.

    >>> noted(None, right_or_own(right, {"bce_grad": own}))  # doctest: +SKIP
    """
    kept = list(dict.fromkeys(n for n in notes if n))
    if kept:
        raise PartialCredit(1.0, _("passed. Note: {notes}").format(notes="; ".join(kept)))


def _said(raised: StudentRaised) -> str:
    """What the student's exception says: without its message in a hidden check (the student's
    code chose it, and it may hold the hidden input)."""
    return raised.without_message() if current_suite() == "hidden" else str(raised)
