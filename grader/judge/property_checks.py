"""Property checks: one check body run on many inputs drawn by hypothesis.

::

    @check(points=2)
    @for_examples(z=float_arrays(), examples=[{"z": np.array([0.0, -1000.0])}])
    def test_sigmoid_matches_reference(student, z):
        ...

The inputs are drawn by hypothesis under the grader's profile (derandomized, so the same on
every run and machine), explicit ``examples`` first, then generated ones, once per grading
process, and replayed for every submission. That is what ``@given`` would try: with no
shrinking and derandomized generation, the inputs do not depend on the submission, and the
first failing input (in this order) decides the verdict, as it would under ``@given``.

Replaying makes batching possible: the bodies are first run "deferring", each stopping at its
first student call that has no answer yet; those calls go to the child in one round trip, and
so on until every body ran to its end. A body that ran to its end on fetched answers alone
is not run again: its outcome is the input's verdict. A crash or a timeout in a batch turns
batching off for the check, so that the calls are then made one by one and the guilty input
is found.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from hypothesis import given, settings

from grader.judge import strategies
from grader.judge.student_proxy import Deferred, Student
from grader.judge.validation import checked_examples

__all__ = ["draw_examples", "for_examples"]

MAX_ROUNDS = 6


def draw_examples(strategies_by_name: dict[str, Any], explicit: list[dict]) -> list[dict]:
    """The inputs a property check tries: ``explicit`` first, then hypothesis's draws.

    The draws depend only on the strategies and the profile (the derandomized seed is the same
    for every check): checks given the very same strategy objects (``float_arrays()`` gives one
    object for the same arguments) share one set of draws, drawn once per process."""
    try:
        drawn = _drawn(tuple(strategies_by_name.items()), strategies.profile())  # in order: it draws in order
    except TypeError:  # a strategy that cannot be a key (unhashable): drawn for this check alone
        drawn = _draw(strategies_by_name)
    return [dict(e) for e in explicit] + list(drawn)


@functools.lru_cache(maxsize=256)
def _drawn(strategies_by_name: tuple[tuple[str, Any], ...], profile: settings) -> tuple[dict, ...]:
    """The draws for these strategies under ``profile`` (the profile in force: part of the key)."""
    return _draw(dict(strategies_by_name))


def _draw(strategies_by_name: dict[str, Any]) -> tuple[dict, ...]:
    drawn: list[dict] = []

    # hypothesis derives the derandomized seed from this function's source, decorators included
    # (it is nested): the lines below are those every draw so far was made with.
    @settings(strategies.profile())
    @given(**strategies_by_name)
    def collect(**kwargs: Any) -> None:
        drawn.append(kwargs)

    collect()
    return tuple(drawn)


def for_examples(*, examples: Sequence[dict] = (), batch: bool = True, **strategies_by_name: Any) -> Callable:
    """Make ``body(student, **inputs)`` a check run on many inputs drawn by hypothesis.

    Parameters: ``strategies_by_name``, one hypothesis strategy per input of the body
    (``z=float_arrays()``); ``examples``, inputs always tried first, each a dict giving
    exactly those names (the edge cases); ``batch``, False for bodies whose calls have side
    effects that order matters for (the calls are then made one by one). The inputs are drawn
    once per grading process under the grader's derandomized profile (50 draws), so every
    submission gets the same ones; the body must not modify them.

    Returns a decorator; put :func:`~grader.judge.checks.check` above it. The first failing
    input decides the check (the body raises :class:`~grader.judge.checks.CheckFailure`);
    the decorated function has ``.inputs()``, the list of inputs it tries. Raises
    :class:`~grader.judge.validation.CheckDefinitionError` at import for no strategy or an
    example that does not give exactly the strategies' names.

    >>> @check(points=2)  # doctest: +SKIP
    ... @for_examples(z=float_arrays(), examples=[{"z": np.array([0.0, -1000.0])}])
    ... def test_sigmoid_matches_reference(student, z):
    ...     "sigmoid on random arrays"
    ...     expect_close(student.sigmoid(z), ref.sigmoid(z), what="sigmoid(z)", aligned=z)
    """
    examples = checked_examples(examples, list(strategies_by_name))

    def decorate(body: Callable) -> Callable:
        # The same input objects are given to every run: bodies must not modify them (the
        # child always gets copies).
        # Drawn on first use, then kept for every submission.
        inputs = functools.cache(lambda: draw_examples(strategies_by_name, list(examples)))

        def test(student: Student) -> None:
            cases = inputs()
            outcomes = _prefetch(student, body, cases) if batch else {}
            try:
                for index, case in enumerate(cases):
                    if index in outcomes:  # this input's run, already made on the same answers
                        failed = outcomes[index]
                        if failed is not None:
                            raise failed
                        continue
                    body(student, **case)
            finally:
                student.stop_batching()

        test.__name__ = body.__name__
        test.__qualname__ = body.__qualname__
        test.__doc__ = body.__doc__
        test.__module__ = body.__module__
        test.inputs = inputs  # type: ignore[attr-defined]
        return test

    return decorate


def _prefetch(student: Student, body: Callable, cases: list[dict]) -> dict[int, Exception | None]:
    """Run the bodies deferring, fetching the calls they want in batches, until none is left.

    Returns the outcome (None, or the exception it raised) of each input (by index) whose body
    ran to its end on answers already fetched: no call deferred, none sent one by one. The
    real run takes those outcomes as they are: the judge's code given the same answers does
    the same. None are returned once batching is off (a batch crashed or overran): the real
    run then makes every call again, one by one."""
    student.start_batching()
    outcomes: dict[int, Exception | None] = {}
    pending = list(range(len(cases)))
    for _ in range(MAX_ROUNDS):
        student.defer(True)
        waiting = []
        for index in pending:
            before = student.activity()
            try:
                body(student, **cases[index])
                outcome = None
            except Deferred:
                waiting.append(index)
                continue
            except Exception as exc:  # noqa: BLE001 - the verdict of this input
                outcome = exc
            if student.activity() == before:
                outcomes[index] = outcome
        student.defer(False)
        if not waiting:
            return outcomes
        if not student.fetch():
            return {}
        pending = waiting
    return outcomes
