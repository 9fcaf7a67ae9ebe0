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

:class:`LimitedProcess` keeps one such child for many calls (a grading worker reads one
submission after another): the same limits for each call, counted from the call's start, and
a fresh child after any call that failed. Forking a process of the grader's size for every
submission cost more than most submissions' reading.
"""

from __future__ import annotations

import json
import os
import pickle
import select
import signal
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["LOAD_CPU_S", "LOAD_MEMORY", "LOAD_WALL_S", "LimitedProcess", "Outcome", "run_limited"]

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
    _quiet((keep_fd,))
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 2))
        used = _address_space()
        if used is not None:
            resource.setrlimit(resource.RLIMIT_AS, (used + memory, used + memory))
    except (ImportError, ValueError, OSError):  # a system without these limits
        pass


def _quiet(keep: tuple[int, ...]) -> None:
    """Standard streams to /dev/null; every other inherited descriptor but ``keep`` closed."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    start = 3
    for fd in sorted({*keep, null}):
        os.closerange(start, fd)
        start = fd + 1
    os.closerange(start, 65536)


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


_LENGTH = struct.Struct(">I")


class LimitedProcess:
    """One limited child kept for many calls of :meth:`run`, each with the limits of
    :func:`run_limited` counted from its start: ``memory`` bytes of address space beyond what
    the child used when the call began, ``cpu_s`` seconds of CPU time beyond what it had used,
    ``wall_s`` seconds of wall time. A call that fails in any way ends the child; the next call
    starts a fresh one (forked from the caller as it is then). Functions and arguments go to
    the child pickled (they are the grader's own), results come back as JSON.

    The child lives between calls: keep it only where no untrusted code can reach it (a
    grading worker whose submissions run in other PID namespaces or with another uid).
    Where ``fork`` does not exist, each call is :func:`run_limited`'s. Use as a context
    manager, or call :meth:`close`.
    """

    def __init__(self) -> None:
        self._pid: int | None = None
        self._requests = -1  # the parent's ends of the two pipes
        self._answers = -1

    def __enter__(self) -> LimitedProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(
        self,
        function: Callable[..., Any],
        *args: Any,
        memory: int = LOAD_MEMORY,
        cpu_s: int = LOAD_CPU_S,
        wall_s: float = LOAD_WALL_S,
    ) -> Outcome:
        """``function(*args)`` in the kept child (see :func:`run_limited`); never raises for
        what the function does."""
        if not hasattr(os, "fork"):
            return run_limited(function, *args, memory=memory, cpu_s=cpu_s, wall_s=wall_s)
        job = pickle.dumps((function, args, memory, cpu_s))
        if not self._alive() or not self._send(job):
            self.close()
            self._start()
            if not self._send(job):
                self.close()
                return Outcome(failure="crash", detail="no answer")
        outcome = self._receive(wall_s)
        if outcome.failure is not None:
            self.close()
        return outcome

    def close(self) -> None:
        """End the child (it ends by itself when its request pipe closes) and reap it."""
        for fd in (self._requests, self._answers):
            if fd >= 0:
                os.close(fd)
        self._requests = self._answers = -1
        if self._pid is not None:
            pid, self._pid = self._pid, None
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _reap(pid)

    def _alive(self) -> bool:
        if self._pid is None:
            return False
        try:
            return os.waitpid(self._pid, os.WNOHANG)[0] == 0
        except ChildProcessError:
            return False

    def _start(self) -> None:
        requests_read, requests_write = os.pipe()
        answers_read, answers_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            try:
                _quiet((requests_read, answers_write))
                _end_with_parent()
                _serve(requests_read, answers_write)
            finally:
                os._exit(0)
        os.close(requests_read)
        os.close(answers_write)
        self._pid, self._requests, self._answers = pid, requests_write, answers_read

    def _send(self, job: bytes) -> bool:
        try:
            _write_all(self._requests, _LENGTH.pack(len(job)) + job)
        except OSError:
            return False
        return True

    def _receive(self, wall_s: float) -> Outcome:
        """The answer to the job sent, or how the child failed (waited for up to ``wall_s``)."""
        data = bytearray()
        deadline = time.monotonic() + wall_s
        while len(data) < _LENGTH.size or len(data) < _LENGTH.size + _LENGTH.unpack_from(data)[0]:
            left = deadline - time.monotonic()
            if left <= 0:
                return Outcome(failure="time")  # run() ends the child
            ready, _, _ = select.select([self._answers], [], [], min(left, 1.0))
            if not ready:
                continue
            chunk = os.read(self._answers, 1 << 20)
            if not chunk:
                return self._ended()
            data += chunk
        body = bytes(data[_LENGTH.size:])
        if body.startswith(b"\x00") or not body:
            return Outcome(failure="crash", detail=body[1:].decode("utf-8", "replace") or "no answer")
        try:
            return Outcome(value=json.loads(body))
        except ValueError:
            return Outcome(failure="crash", detail="an answer cut short")

    def _ended(self) -> Outcome:
        """The child ended during a call: how, from its exit status."""
        pid, self._pid = self._pid, None
        status = _reap(pid) if pid is not None else None
        if status is not None and os.WIFSIGNALED(status):
            number = os.WTERMSIG(status)
            return Outcome(failure="cpu" if number == signal.SIGXCPU else "crash", detail=_signal_name(number))
        if status is not None and os.WIFEXITED(status) and os.WEXITSTATUS(status) == _EXIT_MEMORY:
            return Outcome(failure="memory")
        return Outcome(failure="crash", detail="no answer")


def _end_with_parent() -> None:
    """Linux: the kept child is killed when the process that started it ends."""
    try:
        from grader.sandbox.identity import set_parent_death_signal

        set_parent_death_signal()
    except Exception:  # noqa: BLE001 - elsewhere it ends when its request pipe closes
        pass


def _serve(requests: int, answers: int) -> None:
    """The kept child: run each job, within its limits, until the request pipe closes."""
    import resource

    while True:
        header = _read_exact(requests, _LENGTH.size)
        if header is None:
            return
        body = _read_exact(requests, _LENGTH.unpack(header)[0])
        if body is None:
            return
        function, args, memory, cpu_s = pickle.loads(body)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        try:  # the soft limits, from what this process used so far (SIGXCPU ends it past the CPU one)
            _, hard = resource.getrlimit(resource.RLIMIT_CPU)
            soft = int(usage.ru_utime + usage.ru_stime) + 1 + cpu_s
            resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))
            used = _address_space()
            if used is not None:
                _, hard = resource.getrlimit(resource.RLIMIT_AS)
                soft = used + memory
                resource.setrlimit(resource.RLIMIT_AS, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))
        except (ValueError, OSError):  # a system without these limits
            pass
        try:
            answer = json.dumps(function(*args)).encode("utf-8")
        except MemoryError:
            os._exit(_EXIT_MEMORY)
        except BaseException as exc:  # noqa: BLE001 - reported by its name only
            answer = b"\x00" + type(exc).__name__.encode()[:100]
        _write_all(answers, _LENGTH.pack(len(answer)) + answer)


def _read_exact(fd: int, n: int) -> bytes | None:
    chunks, left = [], n
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
