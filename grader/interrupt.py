"""Ctrl-C that cannot be lost.

Python's default SIGINT handler raises :class:`KeyboardInterrupt` wherever the main thread is.
Raised inside a garbage-collector callback (hypothesis installs one) or a ``__del__``, the
exception is printed and dropped, and a command would go on and exit as if nothing happened.
:class:`CtrlC` raises as the default handler does and also records the signal, so that
:meth:`CtrlC.check`, called where the command can stop cleanly, raises again.

A process started with SIGINT ignored (a script's background job, ``nohup``) keeps ignoring it,
as Python itself does: :meth:`CtrlC.install` leaves an ignored SIGINT alone.
"""

from __future__ import annotations

import signal
from types import FrameType, TracebackType

__all__ = ["CtrlC"]


class CtrlC:
    """SIGINT, noted while the ``with`` block runs (main thread only; elsewhere a no-op).

    >>> with CtrlC() as ctrl_c:
    ...     ctrl_c.check()  # nothing pressed: returns
    """

    def __init__(self) -> None:
        self.seen = False
        self._previous: object = None
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
            self._installed = True
        except ValueError:
            pass

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
            self._installed = False
