"""Control groups for a zygote's children (root mode): memory, CPU and processes counted for all
the processes of a submission together.

One group per zygote, named ``grader-<uid>`` after the children's uid, under the root cgroup
(v2) or under the zygote's own group of each controller (v1):

- memory: ``memory.max`` (v2) / ``memory.limit_in_bytes`` (v1) = ``Limits.memory_mb``, no swap;
- cpu: a quota of one core (``cpu.max`` = ``100000 100000`` / ``cpu.cfs_quota_us`` = period);
- pids: ``pids.max`` = ``Limits.processes``.

A zygote serves one submission at a time, so the group is the submission's. The zygote opens
each group's ``cgroup.procs`` before its file system becomes read-only and writes each child's
pid there (:func:`join`). Removing the groups needs a writable ``/sys/fs/cgroup``, which the
children must not have: a small process outside the namespaces (:func:`remove_when_gone`),
started before them, waits for the zygote to end -- however it ends, its parent-death signal
included -- kills what is left in the groups and removes them.
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass

__all__ = ["Cgroups", "create", "join", "remove", "remove_when_gone", "wait_removed"]

ROOT = "/sys/fs/cgroup"
PERIOD_US = 100_000


@dataclass(frozen=True)
class Cgroups:
    """The groups made for one zygote: their folders, and descriptors open on their process lists."""

    paths: tuple[str, ...]
    procs: tuple[int, ...]
    controllers: tuple[str, ...]  # of memory, cpu, pids: what holds


def _write(path: str, text: str) -> None:
    with open(path, "w") as handle:
        handle.write(text)


def _own(controller: str) -> str:
    """The zygote's own group in the v1 hierarchy of ``controller``."""
    with open("/proc/self/cgroup") as handle:
        for line in handle:
            _, names, path = line.rstrip("\n").split(":", 2)
            if controller in names.split(","):
                return path.rstrip("/")
    return ""


def create(name: str, *, memory_mb: int, processes: int) -> Cgroups | None:
    """Make the groups (where the machine allows); None when none could be made."""
    memory = str(memory_mb * 1024 * 1024)
    made: list[tuple[str, str]] = []
    if os.path.exists(f"{ROOT}/cgroup.controllers"):  # v2: one hierarchy
        path = f"{ROOT}/{name}"
        try:
            available = open(f"{ROOT}/cgroup.controllers").read().split()
            wanted: list[str] = [c for c in ("memory", "cpu", "pids") if c in available]
            _write(f"{ROOT}/cgroup.subtree_control", " ".join("+" + c for c in wanted))
            os.makedirs(path, exist_ok=True)
        except OSError:
            return None
        settings = {
            "memory": [("memory.max", memory), ("memory.swap.max", "0")],
            "cpu": [("cpu.max", f"{PERIOD_US} {PERIOD_US}")],
            "pids": [("pids.max", str(processes))],
        }
        for controller in wanted:
            if _apply(path, settings[controller]):
                made.append((controller, path))
        paths = [path] if made else []
        if not made:
            remove((path,))
    else:  # v1: a hierarchy per controller
        settings = {
            "memory": [("memory.limit_in_bytes", memory)],
            "cpu": [("cpu.cfs_period_us", str(PERIOD_US)), ("cpu.cfs_quota_us", str(PERIOD_US))],
            "pids": [("pids.max", str(processes))],
        }
        paths = []
        for controller, values in settings.items():
            base = f"{ROOT}/{controller}"
            if not os.path.isdir(base):
                continue
            try:
                path = f"{base}{_own(controller)}/{name}"
                os.makedirs(path, exist_ok=True)
            except OSError:
                continue
            paths.append(path)
            if _apply(path, values):
                made.append((controller, path))
    if not made:
        remove(tuple(paths))
        return None
    procs = []
    try:
        for path in sorted({p for _, p in made}):
            procs.append(os.open(f"{path}/cgroup.procs", os.O_WRONLY | os.O_CLOEXEC))
    except OSError:
        for fd in procs:
            os.close(fd)
        remove(tuple(paths))
        return None
    return Cgroups(paths=tuple(paths), procs=tuple(procs), controllers=tuple(c for c, _ in made))


def _apply(path: str, values: list[tuple[str, str]]) -> bool:
    try:
        for name, value in values:
            if os.path.exists(f"{path}/{name}") or not name.endswith("swap.max"):
                _write(f"{path}/{name}", value)
    except OSError:
        return False
    return True


def join(groups: Cgroups) -> None:
    """Put the calling process (and all it will start) into the groups."""
    for fd in groups.procs:
        os.write(fd, str(os.getpid()).encode())


def remove(paths: tuple[str, ...], *, patience_s: float = 10.0) -> None:
    """Kill what is left in the groups and remove them (a group with processes cannot go)."""
    deadline = time.monotonic() + patience_s
    for path in paths:
        while os.path.isdir(path):
            try:
                os.rmdir(path)
                break
            except FileNotFoundError:
                break
            except OSError:
                if time.monotonic() > deadline:
                    break
                _kill_members(path)
                time.sleep(0.01)


def _kill_members(path: str) -> None:
    try:
        _write(f"{path}/cgroup.kill", "1")
        return
    except OSError:
        pass
    try:
        with open(f"{path}/cgroup.procs") as handle:
            pids = [int(line) for line in handle if line.strip()]
    except OSError:
        return
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def remove_when_gone(groups: Cgroups) -> tuple[int, int]:
    """Start the process that removes ``groups`` once the caller (the zygote) has ended.

    Returns two descriptors for the caller: the first it keeps open until it ends (its end,
    however it comes, is the remover's signal); on a normal end it closes the first and reads
    the second until the remover is done. The remover is orphaned at once (double fork), so
    it is no descendant that the zygote's clean-up would kill; it holds nothing but the
    groups' names.
    """
    signal_r, signal_w = os.pipe()
    done_r, done_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the intermediate process and the remover
        try:
            if os.fork() == 0:
                os.setsid()
                null = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(null, fd)
                keep = sorted({signal_r, done_w})
                os.closerange(3, keep[0])
                os.closerange(keep[0] + 1, keep[1])
                os.closerange(keep[1] + 1, 1 << 16)
                while os.read(signal_r, 1):
                    pass
                remove(groups.paths)
        finally:
            os._exit(0)
    os.close(signal_r)
    os.close(done_w)
    os.waitpid(pid, 0)
    return signal_w, done_r


def wait_removed(signal_w: int, done_r: int) -> None:
    """In the zygote at its normal end: let the remover go, and wait until it is done."""
    os.close(signal_w)
    try:
        while os.read(done_r, 1):
            pass
    finally:
        os.close(done_r)
