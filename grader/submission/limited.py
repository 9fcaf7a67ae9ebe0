"""Running the reading of untrusted files in a limited process.

A notebook is JSON that a student wrote: 20 MB of ``{}`` objects grow to gigabytes in any
JSON parser, and a cell of 65 536 statements is a lot of parsing. :func:`run_limited` runs a
function in a forked child with limits of its own, so that the worst a submission can do is
be refused with a reason, while the grader and the rest of the batch go on:

* memory: the child's address space may grow by ``memory`` bytes beyond what it inherited
  (``RLIMIT_AS``; past it, allocations fail with ``MemoryError``);
* CPU: ``cpu_s`` seconds of CPU time (``RLIMIT_CPU``; past it, ``SIGXCPU`` ends the child);
* wall time: ``wall_s`` seconds, after which the child is killed (a safety net only: the CPU
  limit decides on a busy machine).

The child sends its JSON result back through a pipe and ends with ``os._exit``. Where
``fork`` does not exist (Windows), the function runs in the grader's process, unlimited:
there a student checks their own work on their own machine.
"""

from __future__ import annotations

import json
import os
import select
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["LOAD_CPU_S", "LOAD_MEMORY", "LOAD_WALL_S", "Outcome", "run_limited"]

LOAD_MEMORY = 512 * 1024 * 1024  # bytes of address space beyond what the grader already uses
LOAD_CPU_S = 20  # seconds of CPU time; reading the largest legitimate notebook takes < 1 s
LOAD_WALL_S = 120  # seconds of wall time, a safety net on a very busy machine

_EXIT_MEMORY = 3
_EXIT_ERROR = 4


@dataclass(frozen=True)
class Outcome:
    """The function's JSON-ready result, or why there is none: ``"memory"``, ``"cpu"``,
    ``"time"`` (wall time) or ``"crash"`` (with ``detail``)."""

    value: Any = None
    failure: str | None = None
    detail: str = ""


def run_limited(
    function: Callable[..., Any],
    *args: Any,
    memory: int = LOAD_MEMORY,
    cpu_s: int = LOAD_CPU_S,
    wall_s: float = LOAD_WALL_S,
) -> Outcome:
    """``function(*args)`` run in a limited child process (see the module docstring); its
    result must be JSON-ready. Never raises for what the function does."""
    if not hasattr(os, "fork"):
        try:
            return Outcome(value=json.loads(json.dumps(function(*args))))
        except MemoryError:
            return Outcome(failure="memory")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = _EXIT_ERROR
        try:
            os.close(read_end)
            _confine(write_end, memory=memory, cpu_s=cpu_s)
            data = json.dumps(function(*args)).encode("utf-8")
            view = memoryview(data)
            while view:
                view = view[os.write(write_end, view) :]
            code = 0
        except MemoryError:
            code = _EXIT_MEMORY
        except BaseException as exc:  # noqa: BLE001 - reported by its name only
            try:
                os.write(write_end, b"\x00" + type(exc).__name__.encode()[:100])
            except BaseException:  # noqa: BLE001
                pass
        finally:
            os._exit(code)
    os.close(write_end)
    return _collect(pid, read_end, wall_s=wall_s)


def _confine(keep_fd: int, *, memory: int, cpu_s: int) -> None:
    """In the child: quiet, no inherited descriptors, limited memory and CPU."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    low, high = sorted((keep_fd, null))
    os.closerange(3, low)
    os.closerange(low + 1, high)
    os.closerange(high + 1, 65536)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 2))
        used = _address_space()
        if used is not None:
            resource.setrlimit(resource.RLIMIT_AS, (used + memory, used + memory))
    except (ImportError, ValueError, OSError):  # a system without these limits
        pass


def _address_space() -> int | None:
    """This process's virtual memory in bytes (Linux), or None."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[0])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _collect(pid: int, fd: int, *, wall_s: float) -> Outcome:
    chunks: list[bytes] = []
    deadline = time.monotonic() + wall_s
    timed_out = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([fd], [], [], min(left, 1.0))
            if ready:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(fd)
        if timed_out:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        status = _reap(pid)
    if timed_out:
        return Outcome(failure="time")
    data = b"".join(chunks)
    if status is not None and os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        return Outcome(failure="cpu" if number == signal.SIGXCPU else "crash", detail=_signal_name(number))
    if status is not None and os.WIFEXITED(status) and os.WEXITSTATUS(status) == _EXIT_MEMORY:
        return Outcome(failure="memory")
    if data.startswith(b"\x00") or not data:
        return Outcome(failure="crash", detail=data[1:].decode("utf-8", "replace") or "no answer")
    try:
        return Outcome(value=json.loads(data))
    except ValueError:
        return Outcome(failure="crash", detail="an answer cut short")


def _reap(pid: int) -> int | None:
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:  # reaped elsewhere
        return None


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
