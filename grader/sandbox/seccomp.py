"""A syscall filter for the child, through libseccomp (the ``pyseccomp`` binding), in every mode.

Namespaces do not separate kernel keyrings, and they are not there at all in a container
without CAP_SYS_ADMIN; a seccomp filter needs no privilege (``PR_SET_NO_NEW_PRIVS``) and holds
for the child and everything it starts, for good. Denied calls fail with EPERM (``clone3``
with ENOSYS, so that the C library falls back to ``clone``, whose flags can be checked):

- kernel keyrings (``add_key``, ``keyctl``, ``request_key``): keys outlive processes and are
  shared by every process of a uid (Docker's default profile denies them for that reason);
- other processes' memory (``ptrace``, ``process_vm_readv``/``writev``, ``pidfd_getfd``,
  ``process_madvise``, ``kcmp``);
- the sandbox's own set-up, once made (``mount``, ``umount2``, ``pivot_root``, ``chroot``, the
  new mount API, ``unshare``, ``setns``, ``clone``/``clone3`` with namespace flags), and moving
  to more cores (``sched_setaffinity``);
- kernel interfaces a submission has no use for (``perf_event_open``, ``bpf``,
  ``userfaultfd``, ``io_uring_*``, ``kexec_*``, ``init_module``, ``finit_module``,
  ``delete_module``, ``name_to_handle_at``/``open_by_handle_at``, ``acct``, ``swapon``/``off``,
  ``reboot``, ``syslog``, ``personality``);
- typing into a terminal (``ioctl`` ``TIOCSTI``, ``TIOCLINUX``).

In none mode, where the child has the grader's uid and no PID namespace, the grader's
processes (every ancestor of the child) are also out of its signals: ``kill``, ``tgkill``,
``rt_sigqueueinfo``, ``rt_tgsigqueueinfo`` and ``pidfd_open`` of those pids, and of any
process group (a negative pid), are denied, as are ``tkill``, ``pidfd_send_signal``, the
``fcntl`` commands and ``ioctl`` requests that make the kernel send signals to a process of
the caller's choice (``F_SETOWN``, ``F_SETOWN_EX``, ``F_SETSIG``; ``FIOSETOWN``, ``SIOCSPGRP``:
SIGIO, whose default action ends a process), and what a same-uid process may otherwise do to
them without any privilege: lower their resource limits (``prlimit64``: a CPU limit of one
second kills), their priority and scheduling (``setpriority``, ``sched_setscheduler``,
``sched_setparam``, ``sched_setattr``, ``ioprio_set``; by process group or by user, not at all).

Where libseccomp is missing (no ``libseccomp2``) or the kernel refuses a filter, :func:`probe`
says so (the zygote asks once), the report's ``sandbox:`` section says so, and grading goes on
without a filter.
"""

from __future__ import annotations

import errno
import os

from grader.sandbox import linux

try:
    import pyseccomp
except (ImportError, RuntimeError, OSError) as _exc:  # RuntimeError: "Unable to find libseccomp"
    pyseccomp = None
    _WHY_NOT = f"libseccomp is missing ({_exc}); install libseccomp2 and pyseccomp"
else:
    _WHY_NOT = ""

__all__ = ["DENIED", "describe", "install", "probe", "unavailable"]

PR_SET_NO_NEW_PRIVS = 38

DENIED = (
    "add_key", "keyctl", "request_key",
    "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "process_madvise", "kcmp",
    "mount", "umount2", "pivot_root", "chroot", "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount",
    "fspick", "mount_setattr", "unshare", "setns", "sched_setaffinity",
    "perf_event_open", "bpf", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
    "name_to_handle_at", "open_by_handle_at", "acct", "swapon", "swapoff", "reboot", "syslog", "personality",
)  # fmt: skip
NAMESPACE_FLAGS = (0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000, 0x00000080)
TIOCSTI, TIOCLINUX = 0x5412, 0x541C
F_SETOWN, F_SETSIG, F_SETOWN_EX = 8, 10, 15
FIOSETOWN, SIOCSPGRP = 0x8901, 0x8902
PRIO_PROCESS, IOPRIO_WHO_PROCESS = 0, 1
# Calls that act on the process whose pid is their first argument (0: the caller itself).
BY_PID = ("prlimit64", "sched_setscheduler", "sched_setparam", "sched_setattr")
LOW32 = 0xFFFFFFFF


def unavailable() -> str:
    """Why there is no filter on this machine ("" when there is one)."""
    return _WHY_NOT


def probe() -> str:
    """Why no filter can be loaded here ("" when one can), tried in a throwaway process: a
    kernel without seccomp, or a container's own filter refusing ``seccomp()``."""
    if _WHY_NOT:
        return _WHY_NOT
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in a throwaway child
        try:
            linux.prctl(PR_SET_NO_NEW_PRIVS, 1)
            install()
            os._exit(0)
        except BaseException:  # noqa: BLE001 - a probe: any failure means unavailable
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return "" if os.waitstatus_to_exitcode(status) == 0 else "the kernel refused a seccomp filter"


def describe(mode: str, why_not: str) -> str:
    """The filter in words, for the report; ``why_not``: what :func:`probe` said."""
    if why_not:
        return f"none: {why_not}"
    what = "keyrings, ptrace and other processes' memory, mounts and namespaces, kernel modules, bpf, perf, TIOCSTI denied"
    if mode == "none":
        what += "; the grader's processes cannot be signalled, limited or slowed down"
    return what


def install(*, protect: tuple[int, ...] = ()) -> bool:
    """Load the filter into the calling process (for good, inherited by all it starts).

    ``protect``: pids that must not be signalled (none mode: the grader's processes); with
    it, process groups cannot be signalled either. Needs ``PR_SET_NO_NEW_PRIVS`` set before
    (or CAP_SYS_ADMIN). Returns False when libseccomp is missing; raises OSError when a
    filter could not be loaded.
    """
    if pyseccomp is None:
        return False
    deny = pyseccomp.ERRNO(errno.EPERM)
    arch = pyseccomp.system_arch()
    rules = pyseccomp.SyscallFilter(pyseccomp.ALLOW)

    def known(name: str) -> bool:
        return pyseccomp.resolve_syscall(arch, name) >= 0

    for name in DENIED:
        if known(name):
            rules.add_rule(deny, name)
    if known("clone3"):
        rules.add_rule(pyseccomp.ERRNO(errno.ENOSYS), "clone3")
    for flag in NAMESPACE_FLAGS:
        rules.add_rule(deny, "clone", pyseccomp.Arg(0, pyseccomp.MASKED_EQ, flag, flag))
    for request in (TIOCSTI, TIOCLINUX):
        rules.add_rule(deny, "ioctl", pyseccomp.Arg(1, pyseccomp.MASKED_EQ, LOW32, request))
    if protect:
        _protect(rules, deny, known, protect)
    rules.load()
    return True


def _protect(rules, deny: int, known, pids: tuple[int, ...]) -> None:
    """Deny signals to ``pids`` and to every process group (a negative pid)."""
    negative = pyseccomp.Arg(0, pyseccomp.MASKED_EQ, 0x80000000, 0x80000000)
    for name in ("kill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "pidfd_open"):
        if not known(name):
            continue
        rules.add_rule(deny, name, negative)
        for pid in pids:
            rules.add_rule(deny, name, pyseccomp.Arg(0, pyseccomp.MASKED_EQ, LOW32, pid))
    for name in ("tkill", "pidfd_send_signal"):
        if known(name):
            rules.add_rule(deny, name)
    for command in (F_SETOWN, F_SETSIG, F_SETOWN_EX):
        rules.add_rule(deny, "fcntl", pyseccomp.Arg(1, pyseccomp.MASKED_EQ, LOW32, command))
    for request in (FIOSETOWN, SIOCSPGRP):
        rules.add_rule(deny, "ioctl", pyseccomp.Arg(1, pyseccomp.MASKED_EQ, LOW32, request))
    for name in BY_PID:
        if known(name):
            for pid in pids:
                rules.add_rule(deny, name, pyseccomp.Arg(0, pyseccomp.MASKED_EQ, LOW32, pid))
    for name, by_process in (("setpriority", PRIO_PROCESS), ("ioprio_set", IOPRIO_WHO_PROCESS)):
        if not known(name):
            continue
        rules.add_rule(deny, name, pyseccomp.Arg(0, pyseccomp.NE, by_process))  # a group, a user
        for pid in pids:
            rules.add_rule(deny, name, pyseccomp.Arg(1, pyseccomp.MASKED_EQ, LOW32, pid))
