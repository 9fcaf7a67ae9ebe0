"""The CPU time a submission's processes used, and whether any of them is running, from /proc.

Time limits count CPU time, not wall time, so that a loaded machine costs a submission
nothing: a process waiting for a core is not charged. A submission's processes are every
descendant of its zygote (one child at a time per zygote, and in every isolation mode the
orphans of a child are reparented inside that tree: to the zygote, a subreaper, or to the
first process of the child's PID namespace). Their CPU time is ``utime + stime`` of each
(zombies included), plus ``cutime + cstime``: what their children that they already reaped
used (``proc(5)``, fields 14-17 of ``/proc/<pid>/stat``, in clock ticks).

A full scan of /proc costs a few milliseconds (about 100 processes); between scans,
:meth:`TreeMeter.quick` re-reads only the processes the last scan found (each checked by its
start time, so that a reused pid is not counted).
"""

from __future__ import annotations

import os

__all__ = ["TreeMeter", "read_stat"]

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def read_stat(pid: int | str) -> tuple[int, str, int, int] | None:
    """``(ppid, state, cpu ticks incl. reaped children, start time)`` of ``pid``; None if gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    fields = data[data.rfind(b")") + 2 :].split()
    try:
        # fields[0] is field 3 of proc(5): state, ppid, ..., utime (14) .. cstime (17), starttime (22)
        ticks = int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
        return int(fields[1]), fields[0].decode("ascii", "replace"), ticks, int(fields[19])
    except (IndexError, ValueError):
        return None


class TreeMeter:
    """CPU seconds used so far by the descendants of ``root`` (``root`` itself excluded).

    The total never decreases: a process reaped between two reads (its time moving into its
    parent's ``cutime``) may be missed once, and is then counted again.
    """

    def __init__(self, root: int) -> None:
        self.root = root
        self.seconds = 0.0
        self._known: dict[int, int] = {}  # pid -> start time

    def scan(self) -> tuple[float, bool]:
        """A full scan of /proc: ``(CPU seconds in all, whether one of them is running)``.

        Running means runnable (state R): a process waiting for a core counts as running;
        one that sleeps, waits for input or is stopped does not.
        """
        stats: dict[int, tuple[int, str, int, int]] = {}
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                stat = read_stat(entry)
                if stat is not None:
                    pid = int(entry)
                    stats[pid] = stat
                    children.setdefault(stat[0], []).append(pid)
        ticks, running, known, stack = 0, False, {}, [self.root]
        while stack:
            for pid in children.get(stack.pop(), ()):
                _, state, used, started = stats[pid]
                ticks += used
                running = running or state == "R"
                known[pid] = started
                stack.append(pid)
        self._known = known
        return self._update(ticks), running

    def quick(self) -> float:
        """CPU seconds in all, re-reading only the processes the last scan found."""
        ticks = 0
        for pid, started in self._known.items():
            stat = read_stat(pid)
            if stat is not None and stat[3] == started:
                ticks += stat[2]
        return self._update(ticks)

    def _update(self, ticks: int) -> float:
        self.seconds = max(self.seconds, ticks / TICKS)
        return self.seconds
