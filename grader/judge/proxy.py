"""The student's functions as the judge sees them: calls that cross into the sandbox.

``student.sigmoid(z)`` sends ``z`` to the child, runs the student's ``sigmoid`` there and
returns the plain data it sent back. ``student.call("relu", z)`` returns the whole
:class:`~grader.sandbox.supervisor.Call`, with the child's copies of the arguments after the
call (to catch in-place modification) and the warnings the call raised.

Within one check, a crash or a timeout poisons the proxy: later calls in the same check
fail the same way at once, instead of starting a child that will hang again.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.sandbox.supervisor import Call, Session, SubmissionCrashed, SubmissionFault, SubmissionTimedOut

__all__ = ["Student", "plain"]


def plain(value: Any) -> Any:
    """What the judge may send: numpy scalars become numbers, tuples become lists."""
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


class Student:
    """A proxy for the submission's module, living in the sandbox."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._poison: SubmissionFault | None = None
        self._timeout: float | None = None

    def begin_check(self, *, timeout: float | None = None) -> None:
        """Called before each check: clears the previous check's crash, sets its time limit."""
        self._poison = None
        self._timeout = timeout

    def call(self, function: str, *args: Any, **kwargs: Any) -> Call:
        if self._poison is not None:
            raise self._poison
        try:
            return self._session.call(
                function, [plain(a) for a in args], {k: plain(v) for k, v in kwargs.items()}, timeout=self._timeout
            )
        except (SubmissionCrashed, SubmissionTimedOut) as fault:
            self._poison = fault
            raise

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)

        def function(*args: Any, **kwargs: Any) -> Any:
            return self.call(name, *args, **kwargs).value

        function.__name__ = name
        return function
