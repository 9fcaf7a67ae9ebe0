"""Who the child is: its uid, its capabilities, its keyring, and the grader's processes kept
out of its reach.

- root mode: the child becomes a uid of its own (no account, no files), for good, so that it
  can signal, trace or write nothing of the grader's, and every process of that uid can be
  killed at the end (:func:`kill_uid`), whatever session it started.
- none mode, when the grader is root without namespaces (a container without CAP_SYS_ADMIN,
  Gradescope's): a uid of its own too where that uid can read the Python installation
  (:func:`can_run_as`); else root's uid with every capability dropped.
- userns mode: the grader's uid, mapped to 0 in a user namespace, every capability dropped.
- always: ``PR_SET_NO_NEW_PRIVS`` (no setuid program gives more), a fresh empty session
  keyring (the grader's -- a login's, Kerberos', cifs' -- is not inherited), and the grader's
  own processes (judge, workers, zygote) not dumpable: a same-uid child cannot read their
  memory or environment (``/proc/<pid>/mem``, ``environ``) or attach to them.
"""

from __future__ import annotations

import ctypes
import errno
import os
import signal

from grader.sandbox import cputime, linux

__all__ = [
    "descendants",
    "can_run_as",
    "drop_privileges",
    "fresh_session_keyring",
    "kill_uid",
    "set_not_dumpable",
    "set_parent_death_signal",
    "set_subreaper",
]

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_CAPBSET_DROP = 24
PR_SET_SECUREBITS = 28
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38
CAP_LAST_CAP_GUESS = 63
KEYCTL_JOIN_SESSION_KEYRING = 1


def drop_privileges(mode: str, uid: int | None) -> None:
    """Become the child's own unprivileged identity, for good, with a keyring of its own."""
    fresh_session_keyring()
    if uid is not None:  # root mode, or none mode as root
        _become(uid)
    elif mode == "userns" or os.geteuid() == 0:
        _drop_capabilities()
    linux.prctl(PR_SET_NO_NEW_PRIVS, 1)


def _become(uid: int) -> None:
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)


def can_run_as(uid: int, paths: list[str]) -> bool:
    """Whether this process may become ``uid`` and, as ``uid``, read each of ``paths`` (folders
    are listed, files opened): tried in a throwaway process. False when not root, without
    CAP_SETUID, or when a path is out of the uid's reach (a Python installed under /root)."""
    if os.geteuid() != 0:
        return False
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in a throwaway child
        try:
            _become(uid)
            for path in paths:
                if os.path.isdir(path):
                    os.listdir(path)
                else:
                    with open(path, "rb") as handle:
                        handle.read(1)
            os._exit(0)
        except BaseException:  # noqa: BLE001 - a probe: any failure means unavailable
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def _drop_capabilities() -> None:
    """Clear every capability (bounding, effective, permitted, inheritable) for good."""
    secure = 0x1 | 0x2 | 0x4 | 0x8 | 0x10 | 0x20  # NOROOT, NO_SETUID_FIXUP, KEEP_CAPS: locked
    try:
        linux.prctl(PR_SET_SECUREBITS, secure)
    except OSError:
        pass
    for cap in range(CAP_LAST_CAP_GUESS + 1):
        try:
            linux.prctl(PR_CAPBSET_DROP, cap)
        except OSError as exc:
            if exc.errno == errno.EINVAL:
                break
            if exc.errno == errno.EPERM:  # without CAP_SETPCAP: the bounding set stays, the sets below are cleared
                break

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

    header = Header(0x20080522, 0)
    data = (Data * 2)()
    linux.check(linux.libc().capset(ctypes.byref(header), ctypes.byref(data)), "capset")


def fresh_session_keyring() -> bool:
    """Join a new, empty, anonymous session keyring (``KEYCTL_JOIN_SESSION_KEYRING`` with no
    name): keys of the grader's session are out of reach, and the keyring goes away with the
    last process holding it. False when the kernel or the machine does not allow it."""
    number = linux.syscall_number("keyctl")
    if number is None:
        return False
    try:
        linux.syscall(number, KEYCTL_JOIN_SESSION_KEYRING, None, what="keyctl(JOIN_SESSION_KEYRING)")
    except OSError:
        return False
    return True


def set_parent_death_signal() -> None:
    linux.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def set_subreaper() -> None:
    """Orphaned descendants of the zygote's children become its children, to be killed."""
    linux.prctl(PR_SET_CHILD_SUBREAPER, 1)


def set_not_dumpable() -> None:
    """Keep same-uid processes (a child without a uid of its own) out of this one's memory,
    environment and file descriptors (``/proc/<pid>/...`` becomes root's; ptrace is refused)."""
    linux.prctl(PR_SET_DUMPABLE, 0)


def kill_uid(uid: int) -> None:
    """Kill every process of ``uid`` (from a throwaway process running as that uid)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in a throwaway child
        try:
            os.setgroups([])
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
            for _ in range(3):
                try:
                    os.kill(-1, signal.SIGKILL)
                except ProcessLookupError:
                    break
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def ancestors() -> tuple[int, ...]:
    """The pids of the calling process's parent, its parent, ... up to (not including) pid 1,
    read from /proc: the grader's processes, which a child must not signal (none mode)."""
    found: list[int] = []
    pid = os.getppid()
    while pid > 1 and len(found) < 64:
        found.append(pid)
        try:
            with open(f"/proc/{pid}/stat", "rb") as handle:
                stat = handle.read()
            pid = int(stat[stat.rfind(b")") + 2 :].split()[1])
        except (OSError, ValueError, IndexError):
            break
    return tuple(found)


def descendants(root: int) -> list[int]:
    """Living (non-zombie) descendants of ``root``, from /proc: followed down the children
    files where the kernel has them (a few files), else from every process's stat."""
    stats, children = cputime.tree_of(root) if cputime.CHILDREN_FILES else cputime.all_processes()
    found, stack = [], [root]
    while stack:
        for pid in children.get(stack.pop(), []):
            if stats[pid][1] != "Z":
                found.append(pid)
            stack.append(pid)
    return found
