"""Resource limits of a submission's child, each with its unit, its scope and what the student sees.

In the manner of isolate's manual: for each limit, what is counted, over which processes,
and how hitting it shows in the report. "The child" is the process forked for one
submission; it is restarted (fresh) after a crash, so per-child limits start again then.

``memory_mb`` (MiB)
    Address space of each process (``RLIMIT_AS``) and, in root mode where cgroups can be
    used, the memory of all the submission's processes together (memory cgroup, swap 0).
    Hit: an allocation fails (``MemoryError`` in the feedback) or the process is killed
    ("killed by SIGKILL: out of memory ..."); that check scores 0 and the child restarts.
``cpu_seconds`` (s of CPU time)
    CPU time of each process (``RLIMIT_CPU``): SIGXCPU at the limit, SIGKILL one second
    later. Hit: "it used up its N s of CPU time", a timeout on the check that ran.
One core (fixed)
    How many cores the submission's processes share: the child is pinned to one core
    (``sched_setaffinity``, which the syscall filter then denies) and, in root mode, a cpu
    cgroup's quota holds all its processes to one core's worth. Hit: nothing to see; busy
    processes only slow each other, not the other submissions graded at the same time.
``file_size_mb`` (MiB)
    Size of any file a process writes (``RLIMIT_FSIZE``). Hit: the write fails
    (``OSError: File too large``) or SIGXFSZ ends the process ("wrote a file over the size limit").
``open_files`` (descriptors)
    Open file descriptors per process (``RLIMIT_NOFILE``). Hit: ``OSError: Too many open files``.
``processes`` (processes)
    Processes and threads of the submission together: in root mode those of its own uid
    (``RLIMIT_NPROC``) and of its pids cgroup (``pids.max``). Not enforced in the other
    modes (the uid is the grader's). Hit: ``fork``/``Popen``/thread start fail (``BlockingIOError``).
``tmp_mb`` (MiB)
    The child's private ``/tmp`` (a tmpfs, root and userns modes). Hit: ``OSError: No space left on device``.
``call_timeout_s`` / ``import_timeout_s`` (s of wall time)
    How long one call (or one batch of calls) and the import may take. Hit: that check
    scores 0 with "did not finish within N s (an endless loop?)"; the child restarts.
``submission_timeout_s`` (s of wall time)
    All of one submission. Hit: the remaining checks score 0 with "used up its N s in all".
``output_bytes`` (bytes)
    What the submission prints, kept for its report. Beyond: "... (N more bytes of output not kept)".
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass

try:
    import resource
except ImportError:  # Windows: the portable sandbox (grader.sandbox.portable) runs there
    resource = None  # type: ignore[assignment]

__all__ = ["Limits", "apply_child_limits", "pin_to_one_core"]


@dataclass(frozen=True)
class Limits:
    """Resource limits of one submission's child process, and the judge's time limits
    (units and scopes in this module's docstring)."""

    memory_mb: int = 1024
    cpu_seconds: int = 300
    file_size_mb: int = 16
    open_files: int = 128
    processes: int = 32
    tmp_mb: int = 64
    call_timeout_s: float = 10.0
    import_timeout_s: float = 10.0
    submission_timeout_s: float = 600.0
    output_bytes: int = 64 * 1024

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"Limits.{name} must be a positive number, got {value!r}")


def apply_child_limits(limits: Limits, *, count_processes: bool) -> None:
    """Resource limits for the child; ``count_processes`` when it has a uid of its own
    (``RLIMIT_NPROC`` counts every process of the uid)."""
    mb = 1024 * 1024
    settings = [
        (resource.RLIMIT_AS, limits.memory_mb * mb),
        (resource.RLIMIT_CPU, limits.cpu_seconds),
        (resource.RLIMIT_FSIZE, limits.file_size_mb * mb),
        (resource.RLIMIT_NOFILE, limits.open_files),
        (resource.RLIMIT_CORE, 0),
    ]
    if count_processes:
        settings.append((resource.RLIMIT_NPROC, limits.processes))
    for which, value in settings:
        soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        # CPU: SIGXCPU at the soft limit, SIGKILL one second later.
        extra = 1 if which == resource.RLIMIT_CPU and hard == resource.RLIM_INFINITY else 0
        resource.setrlimit(which, (value, value + extra))


def pin_to_one_core(worker: int) -> int | None:
    """Pin the calling process (and all it will start) to one of the cores it may use, chosen
    by ``worker`` so that two workers' children get different cores where there are two.
    Returns the core, or None when it cannot be done."""
    try:
        cores = sorted(os.sched_getaffinity(0))
        core = cores[worker % len(cores)]
        os.sched_setaffinity(0, {core})
    except (OSError, AttributeError, IndexError):
        return None
    return core
