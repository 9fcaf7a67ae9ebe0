"""Namespaces and mounts: what a child can see of the machine (root and userns modes).

The zygote, once (:func:`enter_namespaces`):

- a network namespace of its own: no network at all, not even the grader's loopback;
- a mount namespace with a fresh root (``pivot_root``), built on an empty tmpfs from
  read-only copies of the system's folders (``/usr``, ``/etc``, ``/lib*``, ``/bin``...), the
  Python installation and its import path (wherever they live, but never a folder the judge
  hides), ``/proc``, and a ``/dev`` of five devices (null, zero, full, random, urandom: no
  terminal, no ``/dev/pts``). No ``/sys``: no ``/sys/fs/cgroup`` (no ``cgroup.kill``, no limits
  to change). The old root is detached, so nothing else is there, not even as a name:
  ``/proc/self/mountinfo`` lists the mounts of the fresh root only, never the folders of the
  course, of the reports or of other students;
- every mount read-only.

Each child, after its fork (:func:`enter_child_namespaces`, :func:`fresh_tmp`): PID, IPC and
mount namespaces of its own, a fresh ``/proc`` (``/proc/keys`` and ``/proc/key-users`` masked), and a private, size-limited ``/tmp`` and
``/dev/shm``.

The fresh root is our own few mount calls rather than bubblewrap's (which does the same with
``--ro-bind``, ``--dev``, ``--proc`` and ``pivot_root``): bubblewrap would exec a new
interpreter per child, and its cost (0.2 s of numpy imports) is what the warm zygote saves.
"""

from __future__ import annotations

import os
import re
import signal
import sys

from grader.sandbox import linux

__all__ = [
    "enter_child_namespaces",
    "enter_namespaces",
    "fresh_tmp",
    "needed_paths",
]

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
MNT_DETACH = 2
OPEN_TREE_CLONE, AT_RECURSIVE, AT_FDCWD, MOVE_MOUNT_F_EMPTY_PATH, O_CLOEXEC = 1, 0x8000, -100, 0x4, 0o2000000

SYSTEM_FOLDERS = ("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc")
DEVICES = ("null", "zero", "full", "random", "urandom")
MASKED_IN_PROC = ("keys", "key-users")


def enter_namespaces(mode: str, uid: int, gid: int, *, hide: tuple[str, ...], private: tuple[str, ...]) -> dict:
    """Run once in the zygote (``mode`` root or userns), before anything is hidden: isolate
    network and file system. ``uid``/``gid``: the zygote's own, mapped to 0 in userns mode.

    Returns what is in force, for the report's ``sandbox:`` section. Raises OSError when a
    namespace or the fresh root cannot be made.
    """
    flags = CLONE_NEWNS | CLONE_NEWNET
    if mode == "userns":
        flags |= CLONE_NEWUSER
    linux.unshare(flags)
    if mode == "userns":
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"0 {uid} 1")
        _write("/proc/self/gid_map", f"0 {gid} 1")
    linux.mount(None, "/", None, MS_REC | MS_PRIVATE)
    _pivot_into_fresh_root(_installation(hide=hide, private=private))
    missed = [path for path in hide if os.path.lexists(path) and not _hide(path)]
    _make_read_only(skip={"/proc", "/dev"})
    return {
        "network": "isolated",
        "filesystem": "read-only",
        "hidden_paths": "partly hidden" if missed else "hidden",
        "other_folders": "hidden",
        "mount_table": "the fresh root's only",
        "devices": ", ".join(DEVICES) + " (no terminals)",
        "cgroups": "out of the submission's sight (no /sys): it cannot read or change its own limits",
    }


def needed_paths() -> list[str]:
    """What the child's Python needs to read: its installation and import path."""
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, *(p for p in sys.path if p)}
    return sorted(os.path.realpath(p) for p in paths if os.path.isdir(p))


def _installation(*, hide: tuple[str, ...], private: tuple[str, ...]) -> list[str]:
    """The outermost folders of the Python installation and import path that are outside the
    system's folders and hold no folder to hide (a course's checkout on ``sys.path`` is left
    out: what the child needs of it is imported already, its virtual environment is kept)."""
    hidden = [os.path.realpath(p) for p in hide]
    blocked = hidden + [os.path.realpath(p) for p in private]
    keep = []
    for path in needed_paths():
        top = path.split("/")[1] if path != "/" else ""
        if not top or top in SYSTEM_FOLDERS:
            continue
        if any(b == path or b.startswith(path + "/") for b in blocked):
            continue
        if any(path.startswith(h + "/") for h in hidden):
            continue
        keep.append(path)
    return [p for p in keep if not any(p != q and p.startswith(q + "/") for q in keep)]


def _pivot_into_fresh_root(installation: list[str]) -> None:
    """Build the fresh root on a tmpfs mounted over ``/tmp`` (of this namespace only) from
    detached copies taken before, move into it, and detach the old root."""
    links, copies = [], []
    try:
        for name in SYSTEM_FOLDERS:
            path = "/" + name
            if os.path.islink(path):
                links.append((name, os.readlink(path)))
            elif os.path.isdir(path):
                copies.append((path, _detached_copy(path, recursive=True), True))
        for path in (*installation, "/proc"):
            copies.append((path, _detached_copy(path, recursive=True), True))
        for name in DEVICES:
            if os.path.exists("/dev/" + name):
                copies.append(("/dev/" + name, _detached_copy("/dev/" + name, recursive=False), False))
    except BaseException:
        for _, fd, _ in copies:
            os.close(fd)
        raise
    root = "/tmp"
    linux.mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=755")
    for name, target in links:
        os.symlink(target, f"{root}/{name}")
    for path, fd, is_folder in copies:
        target = root + path
        if is_folder:
            os.makedirs(target, mode=0o755, exist_ok=True)
        else:
            os.makedirs(os.path.dirname(target), mode=0o755, exist_ok=True)
            open(target, "w").close()
        _attach(fd, target)
    for folder in ("tmp", "dev/shm"):
        os.makedirs(f"{root}/{folder}", mode=0o755, exist_ok=True)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")):
        os.symlink(target, f"{root}/dev/{name}")
    os.mkdir(f"{root}/.old")
    number = linux.syscall_number("pivot_root")
    if number is None:
        raise OSError("pivot_root: unknown on this architecture")
    linux.syscall(number, os.fsencode(root), os.fsencode(f"{root}/.old"), what="pivot_root")
    os.chdir("/")
    linux.umount("/.old", MNT_DETACH)
    os.rmdir("/.old")


def _detached_copy(path: str, *, recursive: bool) -> int:
    """A detached bind mount of ``path`` (and, if ``recursive``, what is mounted below it)."""
    flags = OPEN_TREE_CLONE | O_CLOEXEC | (AT_RECURSIVE if recursive else 0)
    return linux.syscall(linux.OPEN_TREE, AT_FDCWD, os.fsencode(path), flags, what=f"open_tree {path}")


def _attach(fd: int, path: str) -> None:
    try:
        linux.syscall(linux.MOVE_MOUNT, fd, b"", AT_FDCWD, os.fsencode(path), MOVE_MOUNT_F_EMPTY_PATH, what=f"move_mount {path}")
    finally:
        os.close(fd)


def _hide(path: str) -> bool:
    """Cover ``path`` with an empty, unreadable mount. False when that failed."""
    try:
        if os.path.isdir(path):
            linux.mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=000")
        else:
            linux.mount("/dev/null", path, None, MS_BIND)
    except OSError:
        return False
    return True


def _write(path: str, text: str) -> None:
    with open(path, "w") as handle:
        handle.write(text)


_OPTION_FLAGS = {
    "nosuid": MS_NOSUID,
    "nodev": MS_NODEV,
    "noexec": MS_NOEXEC,
    "noatime": 1024,
    "nodiratime": 2048,
    "relatime": 1 << 21,
    "strictatime": 1 << 24,
}


def _mount_points() -> list[tuple[str, int]]:
    """Each mount point with the per-mount flags it has now (to keep them on remount)."""
    points = []
    with open("/proc/self/mountinfo") as handle:
        for line in handle:
            fields = line.split()
            point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[4])
            flags = 0
            for option in fields[5].split(","):
                flags |= _OPTION_FLAGS.get(option, 0)
            points.append((point, flags))
    return points


def _make_read_only(*, skip: set[str]) -> None:
    """Remount every mount read-only (the child may write only to its own fresh /tmp)."""
    for point, flags in _mount_points():
        if any(point == s or point.startswith(s + "/") for s in skip):
            continue
        try:
            linux.mount(None, point, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | flags)
        except OSError:
            pass


# -- each child --------------------------------------------------------------------------------
def enter_child_namespaces(mode: str) -> None:
    """In the child, right after the fork: its own process, IPC and mount namespaces.

    Returns in the process that goes on to serve (the first process of the new PID namespace);
    the process that called this stays outside, waits for it and ends the same way (see
    :func:`keep_until_served`). Nothing to do without namespaces.
    """
    if mode == "none":
        return
    outer = [os.open(f"/proc/self/ns/{name}", os.O_RDONLY | os.O_CLOEXEC) for name in ("mnt", "ipc")]
    linux.unshare(CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWNS)
    pid = os.fork()
    if pid != 0:
        keep_until_served(pid, outer)
    for fd in outer:
        os.close(fd)
    os.setsid()
    linux.mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    for name in MASKED_IN_PROC:  # keys of the same uid (the grader's, in userns mode) by name
        if os.path.exists(f"/proc/{name}"):
            linux.mount("/dev/null", f"/proc/{name}", None, MS_BIND)


def keep_until_served(pid: int, outer: list[int]) -> None:
    """Outside the child's PID namespace: wait for it, then end exactly as it ended.

    Killing this process kills the child (its parent-death signal), and with it, as the
    first process of its namespace, every process it started, whatever session they made.
    It keeps the child's output and protocol socket (fds 1-3) open until it ends, and leaves
    the child's mount and IPC namespaces (``outer``: the zygote's) before, so that when the
    judge sees the child's end of the socket close, this process has ended too, namespaces
    torn down, and its exit status is there to be read.
    """
    keep = sorted({1, 2, 3, *outer})
    os.closerange(0, keep[0])
    for low, high in zip(keep, keep[1:]):
        os.closerange(low + 1, high)
    os.closerange(keep[-1] + 1, 1 << 16)
    try:
        linux.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        _, status = os.waitpid(pid, 0)
        for fd, kind in zip(outer, (CLONE_NEWNS, CLONE_NEWIPC)):
            linux.libc().setns(fd, kind)  # best effort: the namespaces would go at exit anyway
        if os.WIFSIGNALED(status):
            number = os.WTERMSIG(status)
            signal.signal(number, signal.SIG_DFL)
            os.kill(os.getpid(), number)
        os._exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 1)
    finally:
        os._exit(1)


def _expose_only(parent: str, keep: list[str], *, options: str) -> bool:
    """Cover ``parent`` with an empty tmpfs, then put back only the folders in ``keep``
    (the Python installation may live under /tmp). False when it could not be done."""
    if not os.path.isdir(parent):
        return True
    inside = [p for p in keep if p == parent or p.startswith(parent + "/")]
    outermost = [p for p in inside if not any(p != q and p.startswith(q + "/") for q in inside)]
    if parent in outermost:
        return False
    try:
        copies = [(_detached_copy(path, recursive=True), path) for path in outermost]
    except OSError:
        return False
    linux.mount("tmpfs", parent, "tmpfs", MS_NOSUID | MS_NODEV, options)
    for fd, path in copies:
        os.makedirs(path, mode=0o755, exist_ok=True)
        _attach(fd, path)
    return True


def fresh_tmp(mode: str, uid: int | None, tmp_mb: int) -> str:
    """In the child (with namespaces): a private, size-limited, empty working folder."""
    if not _expose_only("/tmp", needed_paths(), options=f"size={tmp_mb}m,mode=1777"):
        raise OSError("cannot give the child a private /tmp")
    try:
        linux.mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=1777")
    except OSError:
        pass
    workdir = "/tmp/submission"
    os.mkdir(workdir, 0o755)
    if mode == "root" and uid is not None:
        os.chown(workdir, uid, uid)
    return workdir
