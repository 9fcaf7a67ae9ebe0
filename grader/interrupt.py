"""Ctrl-C that cannot be lost.

Python's default SIGINT handler raises :class:`KeyboardInterrupt` wherever the main thread is.
Raised inside a garbage-collector callback (hypothesis installs one) or a ``__del__``, the
exception is printed and dropped, and a command would go on and exit as if nothing happened.
:class:`CtrlC` raises as the default handler does and also records the signal, so that
:meth:`CtrlC.check`, called where the command can stop cleanly, raises again. The dropped
exception is not printed either (Python would show "Exception ignored in: ... Traceback" on
stderr): while the block runs, :data:`sys.unraisablehook` passes over a KeyboardInterrupt that
:class:`CtrlC` noted, and hands anything else to the hook it found.

A process started with SIGINT ignored (a script's background job, ``nohup``) keeps ignoring it,
as Python itself does: :meth:`CtrlC.install` leaves an ignored SIGINT alone.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType, TracebackType
from typing import Any

__all__ = ["CtrlC"]


class CtrlC:
    """SIGINT, noted while the ``with`` block runs (main thread only; elsewhere a no-op).

    >>> with CtrlC() as ctrl_c:
    ...     ctrl_c.check()  # nothing pressed: returns
    """

    def __init__(self) -> None:
        self.seen = False
        self._previous: object = None
        self._previous_hook: Any = None
        self._installed = False

    def __enter__(self) -> CtrlC:
        self.install()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.uninstall()

    def install(self) -> None:
        """Handle SIGINT here; outside the main thread signals are not ours, and nothing changes.
        Nor does it where SIGINT is ignored (the process was started so: Ctrl-C is not for it)."""
        if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
            return
        try:
            self._previous = signal.signal(signal.SIGINT, self._handle)
        except ValueError:
            return
        self._installed = True
        self._previous_hook, sys.unraisablehook = sys.unraisablehook, self._unraisable

    def _unraisable(self, unraisable: Any) -> None:
        """A KeyboardInterrupt noted here and dropped by Python goes unprinted (it is raised
        again by :meth:`check`); anything else goes to the hook found by :meth:`install`."""
        if self.seen and unraisable.exc_type is not None and issubclass(unraisable.exc_type, KeyboardInterrupt):
            return
        self._previous_hook(unraisable)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.seen = True
        raise KeyboardInterrupt

    def check(self) -> None:
        """Raise :class:`KeyboardInterrupt` if Ctrl-C was pressed, even if its first raise was dropped."""
        if self.seen:
            raise KeyboardInterrupt

    def uninstall(self) -> None:
        """Put back the handler found by :meth:`install`."""
        if self._installed:
            previous = self._previous if self._previous is not None else signal.default_int_handler
            signal.signal(signal.SIGINT, previous)  # type: ignore[arg-type]
            sys.unraisablehook = self._previous_hook
            self._installed = False
