"""The zygote: a warm process that forks one child per submission.

Started by the judge as a fresh interpreter with a scrubbed environment, it first isolates
itself (namespaces, see :mod:`grader.sandbox.isolation`), then imports numpy and the child's
harness, so that forking a child costs milliseconds instead of a new interpreter. It never
imports the judge, a hidden suite or a reference solution, and it never runs student code
itself: everything a child could find in its memory was harmless before the fork.

It talks to the judge over a SOCK_SEQPACKET socket (fd given on the command line), one JSON
message per packet, the child's file descriptors passed along with ``spawn``::

    -> {"op": "spawn", "workdir": ...}  + fds [protocol socket, output pipe]
    <- {"pid": 1234}
    -> {"op": "end", "pid": 1234, "grace": 5.0}
    <- {"status": {"exit": 0} | {"signal": 9}}

``grace`` (seconds, optional): the judge saw the child close its end (it is ending by
itself), so its own exit status is awaited that long before anything is killed.

numpy and the harness are imported before the namespaces are entered (the course's files
are hidden after that), with one thread only, as a user namespace requires.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import sys
import time
from typing import Any

from grader.sandbox import isolation
from grader.sandbox.cgroups import Cgroups
from grader.sandbox.isolation import SandboxConfig

SETTLE_S = 60.0  # how long killed processes may take to end (release their memory) before the next child
PRELOAD = ("numpy", "numpy.linalg", "numpy.random", "numpy.fft", "math", "random", "warnings", "traceback")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ctl = socket.socket(fileno=int(argv[0]))
    config = SandboxConfig.from_plain(json.loads(ctl.recv(1 << 16)))
    try:
        # Everything the child needs from the course's files is imported before they are
        # hidden. numpy starts no thread (OPENBLAS_NUM_THREADS=1), so the zygote can still
        # enter a user namespace, which a multi-threaded process cannot.
        for name in PRELOAD:
            __import__(name)
        from grader.sandbox import child  # noqa: F401  (warm the child's harness)

        setup = isolation.set_up_zygote(config)
        in_force = setup.in_force
        isolation.set_subreaper()
        isolation.set_parent_death_signal()
    except BaseException as exc:  # noqa: BLE001 - report why the sandbox cannot start, then give up
        ctl.send(json.dumps({"error": f"{type(exc).__name__}: {exc}"}).encode())
        return 1
    ctl.send(json.dumps({"ready": in_force, "pid": os.getpid()}).encode())
    try:
        serve(ctl, setup.config, setup.groups)
    finally:
        kill_descendants(config)
        isolation.tear_down_zygote(setup)
    return 0


def serve(ctl: socket.socket, config: SandboxConfig, groups: Cgroups | None) -> None:
    from grader.sandbox import child

    while True:
        try:
            message, fds, _, _ = socket.recv_fds(ctl, 1 << 16, 4)
        except (ConnectionError, OSError):
            return
        if not message:
            return
        request = json.loads(message)
        op = request.get("op")
        if op == "spawn":
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child; never returns
                ctl.close()
                isolation.join_groups(groups)
                child.run(config, protocol_fd=fds[0], output_fd=fds[1], workdir=request.get("workdir"))
            reply: dict[str, Any] | None = {"pid": pid}
        elif op == "end":
            grace = request.get("grace")
            grace = float(grace) if isinstance(grace, (int, float)) and 0 < grace <= 60 else 0.0
            reply = {"status": end_session(int(request["pid"]), config, grace=grace)}
        else:
            reply = None
        for fd in fds:  # the child has its own copies
            os.close(fd)
        if reply is None:
            return
        ctl.send(json.dumps(reply).encode())


def end_session(pid: int, config: SandboxConfig, *, grace: float = 0.0) -> dict:
    """Kill the child and everything it started; return how the child ended.

    With ``grace`` (seconds), first wait that long for the child to end by itself, so that
    a child that exits (``os._exit(0)``) is reported as such, not as killed by the SIGKILL
    that would otherwise race with its exit.
    """
    status = _await_exit(pid, grace) if grace > 0 else _reap(pid, block=False)
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except OSError:
            pass
    if status is None:
        status = _reap(pid, block=True)
    kill_descendants(config)
    return status or {"exit": None}


def _await_exit(pid: int, seconds: float) -> dict | None:
    """The child's status once it has ended, waiting at most ``seconds``; None if it has not."""
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):  # an old kernel: poll the status instead
        deadline = time.monotonic() + seconds
        while (status := _reap(pid, block=False)) is None and time.monotonic() < deadline:
            time.sleep(0.002)
        return status
    try:
        select.select([fd], [], [], seconds)  # readable once the process has ended
    finally:
        os.close(fd)
    return _reap(pid, block=False)


def _reap(pid: int, *, block: bool) -> dict | None:
    try:
        done, raw = os.waitpid(pid, 0 if block else os.WNOHANG)
    except ChildProcessError:
        return None
    if done == 0:
        return None
    if os.WIFSIGNALED(raw):
        return {"signal": os.WTERMSIG(raw)}
    return {"exit": os.WEXITSTATUS(raw)}


def kill_descendants(config: SandboxConfig) -> None:
    """Kill every process the children left behind, however they hid (new sessions included),
    and return only once they are gone: reaped, or given up on after :data:`SETTLE_S` seconds.

    With a uid of their own, all processes of that uid die. Otherwise the zygote is a
    subreaper: orphans become its children, and every descendant is found through /proc.
    Zombies are reaped except the one whose status ``end_session`` still wants.

    A killed process is not gone at once: one that filled its memory (a demo loop appending
    to a list) spends a while, running, releasing it, and the first process of a PID
    namespace also waits for every other one in it. Such a process, and its zombie, are
    still descendants of the zygote, where the next submission's CPU meter
    (:class:`~grader.sandbox.cputime.TreeMeter`) would count their time as the next
    child's: so the next child is spawned only once they have been reaped.
    """
    if config.uid is not None:
        isolation.kill_uid(config.uid)
    me = os.getpid()
    deadline = time.monotonic() + SETTLE_S
    pause = 0.001
    while True:
        found = isolation.descendants(me)
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        _reap_others()
        if not found or time.monotonic() > deadline:
            break
        time.sleep(pause)
        pause = min(2 * pause, 0.05)
    _reap_others()


def _reap_others() -> None:
    while True:
        try:
            done, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if done == 0:
            return


if __name__ == "__main__":
    sys.exit(main())
