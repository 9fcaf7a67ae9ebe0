"""The student's functions as the judge sees them: calls that cross into the sandbox.

``student.sigmoid(z)`` sends ``z`` to the child, runs the student's ``sigmoid`` there and
returns the plain data it sent back. ``student.call("relu", z)`` returns the whole
:class:`~grader.sandbox.supervisor.Call`, with the child's copies of the arguments after the
call (to catch in-place modification) and the warnings the call raised.

Within one check, a crash or a timeout poisons the proxy: later calls in the same check
fail the same way at once, instead of starting a child that will hang again. A function that
timed out twice in a submission is not called again.

Batching (used by :mod:`grader.judge.property_checks`): while deferring, a call that has no cached
answer records itself and raises :class:`Deferred`; :meth:`Student.fetch` then runs all the
recorded calls in the child in one round trip and caches the answers, keyed by the exact bytes
of the request.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from grader.judge.checks import CheckFailure
from grader.judge.unseen import evidence_recorder
from grader.judge.validation import CheckDefinitionError
from grader.judge.visibility import current_suite
from grader.sandbox import families
from grader.sandbox.protocol import Tagged, encode
from grader.sandbox.supervisor import (
    Call,
    Session,
    StudentRaised,
    SubmissionCrashed,
    SubmissionFault,
    SubmissionTimedOut,
    hidden_warning,
)

__all__ = ["Deferred", "Family", "Kept", "Remote", "Student", "sendable"]

MAX_TIMEOUTS_PER_FUNCTION = 2


class Deferred(BaseException):
    """Raised inside a check body while deferring: this call will be fetched in a batch."""


def _key(function: str, args: list, kwargs: dict) -> Any:
    """A hashable key for a call: equal exactly when the request would be the same bytes
    (keyword arguments in any order). ``args`` and ``kwargs`` as :func:`sendable` made them."""
    if not kwargs:
        return (function, tuple(map(_part, args)))
    return (function, tuple(map(_part, args)), tuple(sorted((k, _part(v)) for k, v in kwargs.items())))


def _part(value: Any) -> Any:
    kind = type(value)
    if kind is np.ndarray:
        return ("a", value.dtype.str, value.shape, value.tobytes())
    if kind is float:
        return ("f", repr(value))  # tells -0.0 from 0.0
    if kind is list or kind is tuple:
        return ("l", tuple(map(_part, value)))
    if kind is str or kind is bool or kind is int or value is None:
        return (kind.__name__, value)
    if kind is Tagged:
        return ("r", value.tag, _part(value.value))
    if kind is dict:
        return ("m", tuple(sorted((str(k), _part(v)) for k, v in value.items())))
    return ("e", encode(value))


def _returning_value(call: Any, name: str) -> Any:
    """``proxy.name(...)``: ``call(name, ...)``, giving back only the returned value."""
    if name.startswith("_"):
        raise AttributeError(name)

    def function(*args: Any, **kwargs: Any) -> Any:
        return call(name, *args, **kwargs).value

    function.__name__ = name
    return function


class Family:
    """A function the student's code may call: one of a fixed family, sent by description.

    Parameters: ``family``, the family's name (:mod:`grader.sandbox.families` lists them:
    ``"quadratic"``, ``"quadratic_grad"``, ``"sum_sin"``, ...); ``params``, its parameters
    (numbers or arrays). The judge calls it here; the child rebuilds the same function from
    the description, so no code crosses. Raises
    :class:`~grader.judge.validation.CheckDefinitionError` for an unknown family.

    >>> square_grad = Family("quadratic_grad", a=1.0, c=0.0)
    >>> square_grad(np.array([3.0]))
    array([6.])
    """

    def __init__(self, family: str, **params: Any) -> None:
        self.description = {"family": family, "params": {k: sendable(v) for k, v in params.items()}}
        try:
            self._function = families.build(self.description)
        except (KeyError, TypeError, ValueError) as exc:
            raise CheckDefinitionError(f"Family({family!r}, ...): {exc}") from None
        self.__name__ = family

    def __call__(self, x: Any) -> Any:
        return self._function(x)


class Remote:
    """An instance of a student's class, living in the child (what ``student.new`` returns).

    ``layer.forward(X)`` calls a method there and returns the plain data it returned;
    ``layer.call("forward", X)`` returns the whole call (with ``.args`` as the method left
    them, and ``.warnings``); ``layer.get("W")`` reads an attribute; ``layer.set("W", W)``
    assigns one. Each raises what the call raised: :class:`~grader.sandbox.supervisor.StudentRaised`
    (the student's exception, a failed check), or a timeout or crash of the child.

    >>> layer = student.new("Dense", 3, 2, activation="relu", seed=0)  # doctest: +SKIP
    >>> out = as_array(layer.forward(X), what="forward(X)", shape=(4, 2))  # doctest: +SKIP
    """

    def __init__(self, student: Student, handle: int, type_name: str) -> None:
        self._student = student
        self._handle = handle
        self.type_name = type_name

    def call(self, method: str, *args: Any, **kwargs: Any) -> Call:
        return self._student.call(method, *args, _kind="method", _handle=self._handle, **kwargs)

    def get(self, attribute: str) -> Any:
        return self._student.call(attribute, _kind="get", _handle=self._handle).value

    def set(self, attribute: str, value: Any) -> None:
        self._student.call(attribute, value, _kind="set", _handle=self._handle)

    def __getattr__(self, name: str) -> Any:
        return _returning_value(self.call, name)


class Kept(Remote):
    """An array living in the child (what ``student.keep`` returns), for aliasing checks.

    Passed as an argument (alone or in a list), the student's code gets the child's array
    itself, not a copy; :meth:`assign` then changes that array in place, as a caller would
    change its own array after the call; :meth:`value` reads it back.

    >>> W = student.keep(np.ones((2, 3)))  # doctest: +SKIP
    >>> net.set_params([W, b])  # doctest: +SKIP
    >>> W.assign(np.zeros((2, 3)))  # a network that kept W itself now holds zeros  # doctest: +SKIP
    """

    def assign(self, value: Any) -> None:
        """``kept[...] = value`` in the child; ``value`` broadcasts to the array's shape."""
        self._student.call("assign", value, _kind="assign", _handle=self._handle)

    def value(self) -> Any:
        """A copy of the array as it is now in the child."""
        return self._student.call("copy", _kind="method", _handle=self._handle).value


def sendable(value: Any) -> Any:
    """``value`` as the judge may send it to the child: numpy scalars become numbers, tuples become lists, family
    functions and remote objects become records."""
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, Family):
        return Tagged("fn", value.description)
    if isinstance(value, Remote):
        return Tagged("handle", {"id": value._handle, "type": value.type_name})
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [sendable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): sendable(v) for k, v in value.items()}
    return value


def answer_name(wanted: tuple[str, list, dict]) -> str:
    """The function's name of a deferred call."""
    return wanted[0]


class Student:
    """The submission's module as a check sees it (the ``student`` fixture).

    ``student.f(*args, **kwargs)`` runs the student's ``f`` in the sandboxed child and
    returns the plain data it returned (numpy arrays, numbers, lists, None, str; an instance
    of the student's class as a :class:`Remote`). ``student.call("f", ...)`` returns the
    whole :class:`~grader.sandbox.supervisor.Call`: ``.value``, ``.args`` (the arguments as
    ``f`` left them, for :func:`~grader.judge.compare.expect_unchanged`) and ``.warnings``.
    ``student.new("Cls", ...)`` creates an instance in the child. Arguments are sent as
    copies (:func:`sendable`).

    A call raises :class:`~grader.sandbox.supervisor.StudentRaised` when the student's code
    raised (the check fails with that as feedback), ``SubmissionTimedOut`` (exported as
    ``TimeLimitExceeded``) when it ran out of time, ``SubmissionCrashed`` when the child died.

    >>> expect_close(student.relu(z), ref.relu(z), what="relu(z)")  # doctest: +SKIP
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._poison: SubmissionFault | None = None
        self._timeout: float | None = None
        self._timeouts: dict[str, int] = {}
        self._cache: dict[Any, Call | StudentRaised] | None = None
        self._deferring = False
        self._deferrals = 0  # calls deferred, in all
        self._sent = 0  # requests sent one by one (not from the cache), in all
        self._wanted: dict[Any, tuple[str, list, dict]] = {}
        self.notes: list[str] = []  # said about the current check's results, without taking points
        self._as_objects: list[str] = []
        self.called: set[str] = set()  # the functions the current check called
        # the hidden checks' calls, evidence of work on unseen inputs (grader.judge.unseen)
        self.hidden_calls, self._add_hidden_call = evidence_recorder()

    def begin_check(self, *, timeout: float | None = None) -> None:
        """Called before each check: clears the previous check's crash and notes, sets its time limit."""
        self.notes, self._as_objects = [], []
        self.called = set()
        self._poison = None
        self._timeout = timeout
        self.stop_batching()
        self._session.begin_check()  # the child seeds its global generators again

    # -- calls ------------------------------------------------------------------------
    def call(self, function: str, *args: Any, _kind: str = "call", _handle: int | None = None, **kwargs: Any) -> Call:
        if self._poison is not None:
            raise self._poison
        if self._timeouts.get(function, 0) >= MAX_TIMEOUTS_PER_FUNCTION:
            raise SubmissionTimedOut(f"{function} timed out {MAX_TIMEOUTS_PER_FUNCTION} times; it is not called again")
        sent_args, sent_kwargs = [sendable(a) for a in args], {k: sendable(v) for k, v in kwargs.items()}
        if _kind == "call":
            self.called.add(function)
        if self._cache is not None and _kind == "call":
            key = _key(function, sent_args, sent_kwargs)
            hit = self._cache.get(key)
            if isinstance(hit, StudentRaised):
                self._evidence(function, sent_args, sent_kwargs, None)
                raise hit
            if hit is not None:
                self._evidence(function, sent_args, sent_kwargs, hit.value)
                return self._shown(hit)
            if self._deferring:
                self._wanted[key] = (function, sent_args, sent_kwargs)
                self._deferrals += 1
                raise Deferred()
        self._sent += 1
        try:
            result = self._session.call(
                function, sent_args, sent_kwargs, timeout=self._timeout, kind=_kind, handle=_handle
            )
            result.value = self._remotes(result.value)
            self._note(function, result)
            if _kind == "call":
                self._evidence(function, sent_args, sent_kwargs, result.value)
            return self._shown(result)
        except StudentRaised:
            if _kind == "call":
                self._evidence(function, sent_args, sent_kwargs, None)
            raise
        except SubmissionTimedOut as fault:
            self._timeouts[function] = self._timeouts.get(function, 0) + 1
            self._poison = fault
            raise
        except SubmissionCrashed as fault:
            self._poison = fault
            raise

    def new(self, cls: str, *args: Any, **kwargs: Any) -> Remote:
        """An instance of the student's class ``cls``, created in the child."""
        value = self.call(cls, *args, _kind="new", **kwargs).value
        if not isinstance(value, Remote):
            raise CheckFailure(f"creating {cls}(...) gave no object of your class")
        return value

    def _evidence(self, function: str, args: list, kwargs: dict, value: Any) -> None:
        """Keep a hidden check's call of ``function`` (``value`` None: it raised)."""
        if current_suite() == "hidden":
            self._add_hidden_call((function, args, kwargs, value))

    def _shown(self, result: Call) -> Call:
        """In a hidden check, the call's warnings reduced to what hidden feedback may show
        (:func:`~grader.sandbox.supervisor.hidden_warning`): the student's code chooses a
        warning's message, and may put the hidden input in it."""
        if current_suite() != "hidden" or not result.warnings:
            return result
        files = getattr(self._session, "files", None)
        return replace(result, warnings=[hidden_warning(w, files) for w in result.warnings])

    def _note(self, function: str, result: Call) -> None:
        """Numbers returned as an array of dtype object are graded as numbers, with a note."""
        if any(w.startswith("NumbersAsObjects:") for w in result.warnings) and function not in self._as_objects:
            self._as_objects.append(function)
            names = ", ".join(self._as_objects)
            self.notes = [
                f"{names} returned arrays of dtype object holding numbers, graded as the numbers they hold "
                "(np.asarray(result, dtype=float) gives a numeric array)"
            ]

    def keep(self, array: Any) -> Kept:
        """A copy of ``array`` (numbers of any shape) kept alive in the child: a :class:`Kept`
        handle to pass as an argument and to change later (does the student's code copy what
        it is given, or keep a reference to the caller's array?). Raises
        :class:`~grader.judge.validation.CheckDefinitionError` for data that is not numbers."""
        numbers = np.asarray(array)
        if numbers.dtype.kind not in "biuf":
            raise CheckDefinitionError(f"student.keep(...) needs an array of numbers, got dtype {numbers.dtype}")
        value = self.call("keep", numbers, _kind="keep").value
        if not isinstance(value, Remote):  # pragma: no cover - the child answers keep with a handle
            raise CheckDefinitionError("student.keep(...) got no handle from the child")
        return Kept(self, value._handle, value.type_name)

    def _remotes(self, value: Any) -> Any:
        """Handles in an answer become :class:`Remote` objects."""
        if isinstance(value, Tagged) and value.tag == "handle" and isinstance(value.value, dict):
            return Remote(self, int(value.value.get("id", 0)), str(value.value.get("type", "")))
        if isinstance(value, list):
            return [self._remotes(v) for v in value]
        return value

    def __getattr__(self, name: str) -> Any:
        function = _returning_value(self.call, name)
        self.__dict__[name] = function  # found at once the next time (a check calls it hundreds of times)
        return function

    # -- batching ---------------------------------------------------------------------
    def start_batching(self) -> None:
        self._cache, self._wanted = {}, {}

    def stop_batching(self) -> None:
        self._cache, self._deferring, self._wanted = None, False, {}

    def activity(self) -> tuple[int, int]:
        """``(calls deferred, requests sent one by one)`` so far: a run of a check body that
        changed neither used only answers already fetched."""
        return self._deferrals, self._sent

    def defer(self, on: bool) -> None:
        self._deferring = on and self._cache is not None

    def fetch(self) -> bool:
        """Run the recorded calls in one round trip. False (and batching off) if the child
        crashed or overran: the calls are then made one by one, to find the guilty one."""
        wanted, self._wanted = self._wanted, {}
        if self._cache is None:
            return False
        if not wanted:
            return True
        try:
            answers = self._session.call_batch(list(wanted.values()), timeout=self._timeout)
        except (SubmissionCrashed, SubmissionTimedOut):
            self.stop_batching()
            return False
        for key, answer in zip(wanted, answers):
            if isinstance(answer, Call):
                answer.value = self._remotes(answer.value)
                self._note(answer_name(wanted[key]), answer)
            self._cache[key] = answer
        return True
