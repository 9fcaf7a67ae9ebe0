"""The CPU time a submission's processes used, and whether any of them is running, from /proc.

Time limits count CPU time, not wall time, so that a loaded machine costs a submission
nothing: a process waiting for a core is not charged. A submission's processes are every
descendant of its zygote (one child at a time per zygote, and in every isolation mode the
orphans of a child are reparented inside that tree: to the zygote, a subreaper, or to the
first process of the child's PID namespace). Their CPU time is ``utime + stime`` of each
(zombies included), plus ``cutime + cstime``: what their children that they already reaped
used (``proc(5)``, fields 14-17 of ``/proc/<pid>/stat``, in clock ticks).

A full scan follows the children files down from the root (``/proc/<pid>/task/<tid>/children``,
where the kernel has them; else it reads every process of /proc, a few milliseconds for about
100 processes); between scans, :meth:`TreeMeter.quick` re-reads only the processes the last scan found (each checked by its
start time, so that a reused pid is not counted).
"""

from __future__ import annotations

import os

__all__ = ["CHILDREN_FILES", "TreeMeter", "all_processes", "read_stat", "tree_of"]

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def read_stat(pid: int | str) -> tuple[int, str, int, int] | None:
    """``(ppid, state, cpu ticks incl. reaped children, start time)`` of ``pid``; None if gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    return _parse(data)


def _parse(data: bytes) -> tuple[int, str, int, int] | None:
    fields = data[data.rfind(b")") + 2 :].split()
    try:
        # fields[0] is field 3 of proc(5): state, ppid, ..., utime (14) .. cstime (17), starttime (22)
        ticks = int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
        return int(fields[1]), fields[0].decode("ascii", "replace"), ticks, int(fields[19])
    except (IndexError, ValueError):
        return None


def _has_children_files() -> bool:
    """Whether this kernel lists each thread's children (``/proc/<pid>/task/<tid>/children``,
    Linux 4.2 and later with ``CONFIG_PROC_CHILDREN``)."""
    if not hasattr(os, "getpid"):
        return False
    me = os.getpid()
    return os.path.exists(f"/proc/{me}/task/{me}/children")


CHILDREN_FILES = _has_children_files()


def all_processes() -> tuple[dict[int, tuple[int, str, int, int]], dict[int, list[int]]]:
    """The stat of every process of the machine, and each one's children, from all of /proc."""
    stats: dict[int, tuple[int, str, int, int]] = {}
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = read_stat(entry)
            if stat is not None:
                pid = int(entry)
                stats[pid] = stat
                children.setdefault(stat[0], []).append(pid)
    return stats, children


def tree_of(root: int) -> tuple[dict[int, tuple[int, str, int, int]], dict[int, list[int]]]:
    """What :func:`all_processes` gives for the descendants of ``root``, read by following
    the children files down from ``root``: a few files instead of every process's."""
    stats: dict[int, tuple[int, str, int, int]] = {}
    children: dict[int, list[int]] = {}
    stack = [root]
    while stack:
        parent = stack.pop()
        for pid in _children_of(parent):
            if pid in stats or pid == root:
                continue
            stat = read_stat(pid)
            if stat is not None:
                stats[pid] = stat
                children.setdefault(parent, []).append(pid)
                stack.append(pid)
    return stats, children


def _children_of(pid: int) -> list[int]:
    """The children of every thread of ``pid`` (zombies included); none once it is gone."""
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    found: list[int] = []
    for thread in threads:
        try:
            with open(f"/proc/{pid}/task/{thread}/children", "rb") as handle:
                found.extend(int(child) for child in handle.read().split())
        except (OSError, ValueError):
            continue
    return found


class TreeMeter:
    """CPU seconds used so far by the descendants of ``root`` (``root`` itself excluded).

    The total never decreases: a process reaped between two reads (its time moving into its
    parent's ``cutime``) may be missed once, and is then counted again.
    """

    KEEP_OPEN = 8  # processes whose stat file stays open between reads (most trees have 2)

    def __init__(self, root: int) -> None:
        self.root = root
        self.seconds = 0.0
        self._known: dict[int, int] = {}  # pid -> start time
        # The stat files of the first known processes, kept open and re-read with pread: a
        # call reads them twice, and opening a file of /proc costs more than reading it. An
        # open file stays the process's own: once it is reaped, reading it fails (ESRCH),
        # even if its pid is used again.
        self._files: dict[int, int] = {}

    def close(self) -> None:
        """Close the stat files kept open (the meter still works, reading them anew)."""
        files, self._files = self._files, {}
        for fd in files.values():
            try:
                os.close(fd)
            except OSError:
                pass

    def __del__(self) -> None:
        self.close()

    def scan(self) -> tuple[float, bool]:
        """A full scan of /proc: ``(CPU seconds in all, whether one of them is running)``.

        Running means runnable (state R): a process waiting for a core counts as running;
        one that sleeps, waits for input or is stopped does not.
        """
        stats, children = tree_of(self.root) if CHILDREN_FILES else all_processes()
        ticks, running, known, stack = 0, False, {}, [self.root]
        while stack:
            for pid in children.get(stack.pop(), ()):
                _, state, used, started = stats[pid]
                ticks += used
                running = running or state == "R"
                known[pid] = started
                stack.append(pid)
        self._known = known
        self._keep_open()
        return self._update(ticks), running

    def quick(self) -> float:
        """CPU seconds in all, re-reading only the processes the last scan found."""
        ticks = 0
        for pid, started in self._known.items():
            stat = self._read(pid)
            if stat is not None and stat[3] == started:
                ticks += stat[2]
        return self._update(ticks)

    def _read(self, pid: int) -> tuple[int, str, int, int] | None:
        fd = self._files.get(pid)
        if fd is None or not hasattr(os, "pread"):
            return read_stat(pid)
        try:
            return _parse(os.pread(fd, 4096, 0))
        except OSError:  # reaped
            return None

    def _keep_open(self) -> None:
        """Keep open the stat files of (the first :data:`KEEP_OPEN` of) the known processes."""
        for pid in [pid for pid in self._files if pid not in self._known]:
            os.close(self._files.pop(pid))
        for pid, started in self._known.items():
            if pid in self._files or len(self._files) >= self.KEEP_OPEN:
                continue
            try:
                fd = os.open(f"/proc/{pid}/stat", os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            except OSError:
                continue
            try:
                stat = _parse(os.pread(fd, 4096, 0)) if hasattr(os, "pread") else None
            except OSError:
                stat = None
            if stat is None or stat[3] != started:  # already gone, or another process by now
                os.close(fd)
                continue
            self._files[pid] = fd

    def _update(self, ticks: int) -> float:
        self.seconds = max(self.seconds, ticks / TICKS)
        return self.seconds
