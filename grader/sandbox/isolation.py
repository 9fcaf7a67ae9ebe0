"""Linux mechanisms that confine a submission's child: detect them, apply them, say what held.

Three levels, chosen by what the machine allows (``detect_mode``):

``root``
    The grader runs as root (a course's CI, or ``sudo``). The zygote gets its own network
    namespace (no network) and mount namespace (every mount read-only, a fresh ``/tmp``,
    the reference solutions, hidden suites, reports and other submissions hidden under empty
    mounts); each child runs as an unprivileged uid of its own, so that at the end every
    process of that uid can be killed, whatever session it started.
``userns``
    No root, but unprivileged user namespaces work (many Linux laptops): the same
    namespaces inside a user namespace, capabilities dropped in the child; same uid outside.
``none``
    Neither: resource limits, a session of its own, and descendants tracked and killed.

The zygote and the child import this module: it holds nothing secret.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import re
import signal

try:
    import resource
except ImportError:  # Windows: the portable sandbox (grader.sandbox.portable) runs there
    resource = None  # type: ignore[assignment]
from dataclasses import asdict, dataclass

__all__ = [
    "Limits",
    "SandboxConfig",
    "apply_child_limits",
    "detect_mode",
    "drop_privileges",
    "enter_namespaces",
    "fresh_tmp",
    "kill_uid",
    "probe_user_namespaces",
    "set_parent_death_signal",
    "set_subreaper",
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
PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_CAPBSET_DROP = 24
PR_SET_SECUREBITS = 28
PR_SET_NO_NEW_PRIVS = 38
PR_SET_CHILD_SUBREAPER = 36
CAP_LAST_CAP_GUESS = 63


@dataclass(frozen=True)
class Limits:
    """Resource limits of one submission's child process, and the judge's time limits."""

    memory_mb: int = 1024
    cpu_seconds: int = 300
    file_size_mb: int = 16
    open_files: int = 128
    processes: int = 64
    tmp_mb: int = 64
    call_timeout_s: float = 10.0
    import_timeout_s: float = 10.0
    submission_timeout_s: float = 600.0
    output_bytes: int = 64 * 1024

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"Limits.{name} must be a positive number, got {value!r}")


@dataclass(frozen=True)
class SandboxConfig:
    """What the zygote is told when it starts: plain data only."""

    mode: str  # "root", "userns" or "none"
    limits: Limits
    uid: int | None = None  # root mode: the children's uid (and gid)
    hide: tuple[str, ...] = ()  # paths made invisible to the child
    private: tuple[str, ...] = ()  # folders hidden but for the Python installation inside them

    def to_plain(self) -> dict:
        data = asdict(self)
        data["hide"] = list(self.hide)
        data["private"] = list(self.private)
        return data

    @classmethod
    def from_plain(cls, data: dict) -> "SandboxConfig":
        return cls(
            mode=data["mode"],
            limits=Limits(**data["limits"]),
            uid=data["uid"],
            hide=tuple(data["hide"]),
            private=tuple(data.get("private", ())),
        )


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def prctl(option: int, arg: int = 0) -> None:
    libc = _libc()
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    _check(libc.prctl(option, arg, 0, 0, 0), f"prctl({option})")


def unshare(flags: int) -> None:
    _check(_libc().unshare(flags), "unshare")


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    libc = _libc()
    libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
    enc = lambda s: None if s is None else os.fsencode(s)  # noqa: E731
    _check(libc.mount(enc(source), enc(target), enc(fstype), flags, enc(data)), f"mount {target}")


def detect_mode(requested: str = "auto") -> str:
    """The strongest isolation this process can set up, or ``requested`` if it is available."""
    if requested not in ("auto", "root", "userns", "none"):
        raise ValueError(f"isolation must be auto, root, userns or none, got {requested!r}")
    if requested == "none":
        return "none"
    if os.geteuid() == 0 and requested in ("auto", "root"):
        return "root"
    if requested == "root":
        raise PermissionError("root isolation needs the grader to run as root (sudo)")
    if probe_user_namespaces():
        return "userns"
    if requested == "userns":
        raise PermissionError("unprivileged user namespaces are not available on this machine")
    return "none"


def probe_user_namespaces() -> bool:
    """Whether an unprivileged process may create a user, mount and network namespace."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in a throwaway child
        try:
            unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET)
            os._exit(0)
        except BaseException:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def _write(path: str, text: str) -> None:
    with open(path, "w") as handle:
        handle.write(text)


def enter_namespaces(config: SandboxConfig) -> dict:
    """Run once in the zygote, before numpy is imported: isolate network and file system.

    Returns what is in force, for the report's ``sandbox:`` section.
    """
    in_force = {"network": "shared", "filesystem": "shared", "hidden_paths": "readable"}
    if config.mode == "none":
        return in_force
    uid, gid = os.getuid(), os.getgid()
    flags = CLONE_NEWNS | CLONE_NEWNET
    if config.mode == "userns":
        flags |= CLONE_NEWUSER
    unshare(flags)
    if config.mode == "userns":
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"0 {uid} 1")
        _write("/proc/self/gid_map", f"0 {gid} 1")
    in_force["network"] = "isolated"
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    # Every top-level folder but the system's (homes, /work, /srv, /opt, /var, /run, /mnt, ...):
    # hidden, but for the Python installation and its import path wherever they live.
    outside = [p for p in _outside_the_system()]
    in_force["other_folders"] = "hidden" if all(_expose_only(p, needed_paths()) for p in outside) else "visible"
    # The course itself (reference solutions, hidden suites, correct examples, other
    # submissions): hidden, but for a virtual environment that may live inside it.
    for folder in config.private:
        folder = os.path.realpath(folder)
        if not _expose_only(folder, [p for p in needed_paths() if p != folder]):
            in_force["hidden_paths"] = "partly hidden"
    hidden = []
    for path in config.hide:
        if _hide(path):
            hidden.append(path)
    _make_read_only(skip={"/proc", "/dev", "/sys/fs/cgroup"})  # the zygote removes its cgroup at the end
    in_force["filesystem"] = "read-only"
    if in_force["hidden_paths"] != "partly hidden":
        missed = len([p for p in config.hide if os.path.exists(p)]) - len(hidden)
        in_force["hidden_paths"] = "hidden" if missed <= 0 else "partly hidden"
    return in_force


def memory_cgroup(config: SandboxConfig) -> tuple[str, int] | None:
    """A memory cgroup for the children (root only), and a descriptor open on its list of
    processes: the zygote writes each child into it, and the limit then holds for all the
    processes of a submission together. None where cgroups cannot be used.

    Called in the zygote before the file system is made read-only (the descriptor stays
    writable after that).
    """
    if config.mode != "root" or config.uid is None:
        return None
    limit = str(config.limits.memory_mb * 1024 * 1024)
    name = f"grader-{config.uid}"
    try:
        if os.path.exists("/sys/fs/cgroup/cgroup.controllers"):  # cgroup v2: under the root cgroup
            path = f"/sys/fs/cgroup/{name}"
            with open("/sys/fs/cgroup/cgroup.subtree_control", "w") as handle:
                handle.write("+memory")
            os.makedirs(path, exist_ok=True)
            _write(f"{path}/memory.max", limit)
            _write(f"{path}/memory.swap.max", "0") if os.path.exists(f"{path}/memory.swap.max") else None
        elif os.path.isdir("/sys/fs/cgroup/memory"):  # cgroup v1: under our own memory cgroup
            with open("/proc/self/cgroup") as handle:
                own = next((line.split(":", 2)[2].strip() for line in handle if ":memory:" in line), "/")
            path = f"/sys/fs/cgroup/memory{own.rstrip('/')}/{name}"
            os.makedirs(path, exist_ok=True)
            _write(f"{path}/memory.limit_in_bytes", limit)
        else:
            return None
        return path, os.open(f"{path}/cgroup.procs", os.O_WRONLY | os.O_CLOEXEC)
    except OSError:
        return None


def join_cgroup(fd: int) -> None:
    """Put the calling process (and all it will start) into the cgroup behind ``fd``."""
    os.write(fd, str(os.getpid()).encode())


def enter_child_namespaces(config: SandboxConfig) -> None:
    """In the child, right after the fork: its own process, IPC and mount namespaces.

    Returns in the process that goes on to serve (the first process of the new PID namespace);
    the process that called this stays outside, waits for it and ends the same way (see
    :func:`keep_until_served`). Nothing to do without namespaces.
    """
    if config.mode == "none":
        return
    unshare(CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWNS)
    pid = os.fork()
    if pid != 0:
        keep_until_served(pid)
    os.setsid()
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)


def keep_until_served(pid: int) -> None:
    """Outside the child's PID namespace: wait for it, then end exactly as it ended.

    Killing this process kills the child (its parent-death signal), and with it, as the
    first process of its namespace, every process it started, whatever session they made.
    """
    os.closerange(0, 1 << 16)
    try:
        set_parent_death_signal()
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status):
            number = os.WTERMSIG(status)
            signal.signal(number, signal.SIG_DFL)
            os.kill(os.getpid(), number)
        os._exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 1)
    finally:
        os._exit(1)


SYSTEM_FOLDERS = frozenset({"usr", "lib", "lib32", "lib64", "libx32", "bin", "sbin", "etc", "dev", "proc", "sys", "tmp"})


def _outside_the_system() -> list[str]:
    """Top-level folders that are not the operating system's own (/usr, /etc, /lib ...)."""
    found = []
    for name in sorted(os.listdir("/")):
        path = "/" + name
        if name not in SYSTEM_FOLDERS and os.path.isdir(path) and not os.path.islink(path):
            found.append(path)
    return found


def needed_paths() -> list[str]:
    """What the child's Python needs to read: its installation and import path."""
    import sys

    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, *(p for p in sys.path if p)}
    return sorted(os.path.realpath(p) for p in paths if os.path.isdir(p))


OPEN_TREE, MOVE_MOUNT = 428, 429  # the same numbers on every architecture
OPEN_TREE_CLONE, AT_RECURSIVE, AT_FDCWD, MOVE_MOUNT_F_EMPTY_PATH = 1, 0x8000, -100, 0x4


def _detached_copy(path: str) -> int:
    """A detached bind mount of ``path`` (and what is mounted below it), as a file descriptor."""
    libc = _libc()
    libc.syscall.restype = ctypes.c_long
    fd = libc.syscall(OPEN_TREE, AT_FDCWD, os.fsencode(path), OPEN_TREE_CLONE | AT_RECURSIVE | 0o2000000)
    if fd < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"open_tree {path}: {os.strerror(err)}")
    return fd


def _attach(fd: int, path: str) -> None:
    libc = _libc()
    libc.syscall.restype = ctypes.c_long
    result = libc.syscall(MOVE_MOUNT, fd, b"", AT_FDCWD, os.fsencode(path), MOVE_MOUNT_F_EMPTY_PATH)
    os.close(fd)
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"move_mount {path}: {os.strerror(err)}")


def _expose_only(parent: str, keep: list[str], *, options: str = "size=1m,mode=755") -> bool:
    """Cover ``parent`` with an empty tmpfs, then put back only the folders in ``keep``.

    Home and work folders hold what a child must never read (keys, tokens, other checkouts of
    the course, other work), and /tmp the judge's files; the Python installation may live there
    too (pyenv, a virtual environment in a checkout), and stays readable. False when it could
    not be done.
    """
    if not os.path.isdir(parent):
        return True
    inside = [p for p in keep if p == parent or p.startswith(parent + "/")]
    outermost = [p for p in inside if not any(p != q and p.startswith(q + "/") for q in inside)]
    if parent in outermost:
        return False
    try:
        copies = [(_detached_copy(path), path) for path in outermost]
    except OSError:
        return False
    mount("tmpfs", parent, "tmpfs", MS_NOSUID | MS_NODEV, options)
    for fd, path in copies:
        os.makedirs(path, mode=0o755, exist_ok=True)
        _attach(fd, path)
    return True


def _hide(path: str) -> bool:
    """Cover ``path`` with an empty, unreadable mount. False when it does not exist."""
    try:
        if os.path.isdir(path):
            mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=000")
        elif os.path.exists(path):
            mount("/dev/null", path, None, MS_BIND)
        else:
            return False
    except OSError:
        return False
    return True


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
            mount(None, point, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | flags)
        except OSError:
            pass


def fresh_tmp(config: SandboxConfig) -> str:
    """In the child (with namespaces): a private, size-limited, empty working folder."""
    size = f"size={config.limits.tmp_mb}m,mode=1777"
    if not _expose_only("/tmp", needed_paths(), options=size):
        raise OSError("cannot give the child a private /tmp")
    try:
        mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=1777")
    except OSError:
        pass
    workdir = "/tmp/submission"
    os.mkdir(workdir, 0o755)
    if config.mode == "root" and config.uid is not None:
        os.chown(workdir, config.uid, config.uid)
    return workdir


def apply_child_limits(limits: Limits, *, count_processes: bool) -> None:
    """Resource limits for the child; ``count_processes`` when it has a uid of its own."""
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


def drop_privileges(config: SandboxConfig) -> None:
    """Become the child's own unprivileged identity, for good (no setuid program gives more)."""
    if config.mode == "root" and config.uid is not None:
        os.setgroups([])
        os.setresgid(config.uid, config.uid, config.uid)
        os.setresuid(config.uid, config.uid, config.uid)
    elif config.mode == "userns":
        _drop_capabilities()
    prctl(PR_SET_NO_NEW_PRIVS, 1)


def _drop_capabilities() -> None:
    """Clear every capability (bounding, effective, permitted, inheritable) for good."""
    secure = 0x1 | 0x2 | 0x4 | 0x8 | 0x10 | 0x20  # NOROOT, NO_SETUID_FIXUP, KEEP_CAPS: locked
    try:
        prctl(PR_SET_SECUREBITS, secure)
    except OSError:
        pass
    for cap in range(CAP_LAST_CAP_GUESS + 1):
        try:
            prctl(PR_CAPBSET_DROP, cap)
        except OSError as exc:
            if exc.errno == errno.EINVAL:
                break

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

    header = Header(0x20080522, 0)
    data = (Data * 2)()
    _check(_libc().capset(ctypes.byref(header), ctypes.byref(data)), "capset")


def set_parent_death_signal() -> None:
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def set_subreaper() -> None:
    """Orphaned descendants of the zygote's children become its children, to be killed."""
    prctl(PR_SET_CHILD_SUBREAPER, 1)


def set_not_dumpable() -> None:
    """Keep same-uid processes (a child without a uid of its own) out of this one's memory."""
    prctl(PR_SET_DUMPABLE, 0)


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
