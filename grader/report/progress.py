"""What ``grader grade`` prints while a class is graded.

* On a terminal (stderr is a TTY and ``CI`` is not set): a progress bar drawn by tqdm on
  stderr (done/total, rate, time left, and how many submissions could not be loaded), with
  each submission's line printed above it as it finishes.
* Elsewhere (CI logs, a file, a pipe): plain lines only, each submission's line as it
  finishes, prefixed by how many are done (``[ 3/90]``), and a ``progress:`` line at every
  tenth of the class (done, rate, time left, errors so far).

Every line goes to stdout through :class:`Lines`, which survives a reader that went away
(``grader grade ... | head -1``): the grading goes on and the reports are written.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

from grader.i18n import _, ngettext

__all__ = ["Lines", "Progress", "on_a_terminal"]


def on_a_terminal(stream: TextIO | None = None) -> bool:
    """Whether to draw a progress bar: ``stream`` (stderr) is a terminal and ``CI`` is unset."""
    stream = stream if stream is not None else sys.stderr
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Lines:
    """Lines to stdout that never stop the caller: once the reader is gone (EPIPE), stdout is
    pointed at ``/dev/null`` and the rest is dropped quietly."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stdout
        self.closed = False

    def __call__(self, text: str) -> None:
        if self.closed:
            return
        try:
            self.stream.write(text + "\n")
            self.stream.flush()
        except BrokenPipeError:
            self._reader_gone()
        except ValueError:  # the stream was closed in this process
            self.closed = True

    def _reader_gone(self) -> None:
        self.closed = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.stream.fileno())  # Python's own flush at exit finds no pipe
            os.close(devnull)
        except (OSError, ValueError, AttributeError):
            pass


class Progress:
    """Progress of a batch of ``total`` submissions; :meth:`finished` once per submission."""

    def __init__(self, total: int, *, quiet: bool = False, lines: Lines | None = None, bar: bool | None = None) -> None:
        self.total = total
        self.quiet = quiet
        self.lines = lines or Lines()
        self.done = 0
        self.errors = 0
        self.started = time.monotonic()
        self._tenth = 0
        self._bar = None
        if (on_a_terminal() if bar is None else bar) and total > 0:
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="submission", file=sys.stderr, dynamic_ncols=True, leave=False)

    def finished(self, line: str, *, error: bool = False) -> None:
        """One more submission done; ``line`` is its summary line, ``error`` when it could not
        be loaded."""
        self.done += 1
        self.errors += bool(error)
        if self._bar is not None:
            if not self.quiet:
                self._bar.clear()
                self.lines(line)
                self._bar.refresh()
            self._bar.update(1)
            if error:
                self._bar.set_postfix_str(_lost(self.errors))
            return
        if self.quiet:
            return
        width = len(str(self.total))
        self.lines(f"[{self.done:>{width}}/{self.total}] {line}")
        tenth = self.done * 10 // max(self.total, 1)
        if tenth > self._tenth and self.done < self.total:
            self._tenth = tenth
            self.lines(self.status())

    def status(self) -> str:
        """``progress: 30/90 (33%), 2.1 per second, about 29 s left, 1 could not be loaded``."""
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate > 0 else float("inf")
        text = _("progress: {done}/{total} ({percent}%), {rate:.1f} per second").format(
            done=self.done, total=self.total, percent=100 * self.done // max(self.total, 1), rate=rate
        )
        if left != float("inf"):
            text += ", " + _("about {left:.0f} s left").format(left=left)
        if self.errors:
            text += ", " + _lost(self.errors)
        return text

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _lost(count: int) -> str:
    """``3 could not be loaded``, in the run's language."""
    return ngettext("{count} could not be loaded", "{count} could not be loaded", count).format(count=count)
