"""How a submission's child is confined: the level chosen, the set-up of the zygote and the child,
and what the report says was in force. Each mechanism lives in a module of its own:

- :mod:`~grader.sandbox.namespaces`: network, mounts (a fresh root), PID and IPC namespaces;
- :mod:`~grader.sandbox.cgroups`: memory, CPU and process counts for a submission as a whole;
- :mod:`~grader.sandbox.identity`: uid, capabilities, keyring, not-dumpable grader processes;
- :mod:`~grader.sandbox.limits`: resource limits, each with its unit, scope and what the student sees;
- :mod:`~grader.sandbox.seccomp`: the syscall filter (libseccomp).

Three levels, chosen by what the machine allows (:func:`detect_mode` tries each for real):

``root``
    The grader runs as root with CAP_SYS_ADMIN (a course's CI, or ``sudo``): namespaces, a
    fresh read-only root, a uid of its own per child, cgroups.
``userns``
    No root, or root without CAP_SYS_ADMIN (a container), but user namespaces work: the same
    namespaces and fresh root inside a user namespace, capabilities dropped; same uid outside.
``none``
    Neither: resource limits, a session of its own, descendants tracked and killed, the
    syscall filter. The child has the grader's rights: for a student's self-check only. A
    grader running as root there (a container without CAP_SYS_ADMIN, Gradescope's) gives the
    child a uid of its own all the same, where that uid can read the Python installation
    (:func:`own_uid_works`): the grader's files, reports and processes are then out of its reach.

The syscall filter, the fresh session keyring and one core hold in every mode. The zygote and
the child import this module: it holds nothing secret.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field, replace

from grader.sandbox import cgroups, identity, limits, linux, namespaces, seccomp
from grader.sandbox.identity import descendants, kill_uid, set_not_dumpable, set_parent_death_signal, set_subreaper
from grader.sandbox.limits import Limits, apply_child_limits
from grader.sandbox.namespaces import enter_child_namespaces as _enter_child_namespaces
from grader.sandbox.namespaces import needed_paths

__all__ = [
    "Limits",
    "SandboxConfig",
    "ZygoteSetup",
    "apply_child_limits",
    "confine",
    "descendants",
    "describe",
    "detect_mode",
    "drop_privileges",
    "enter_child_namespaces",
    "fresh_tmp",
    "join_groups",
    "kill_uid",
    "needed_paths",
    "probe",
    "own_uid_works",
    "probe_user_namespaces",
    "purpose",
    "set_not_dumpable",
    "set_parent_death_signal",
    "set_subreaper",
    "set_up_zygote",
    "tear_down_zygote",
]

MODES = ("auto", "root", "userns", "none")


@dataclass(frozen=True)
class SandboxConfig:
    """What the zygote is told when it starts: plain data only."""

    mode: str  # "root", "userns" or "none"
    limits: Limits
    uid: int | None = None  # root mode: the children's uid (and gid)
    hide: tuple[str, ...] = ()  # paths made invisible to the child
    private: tuple[str, ...] = ()  # folders hidden but for the Python installation inside them
    worker: int = 0  # which grading worker: its children get a core of their own where there are enough
    syscall_filter: bool = True  # the zygote turns it off where no filter can be loaded

    def to_plain(self) -> dict:
        data = asdict(self)
        data["hide"] = list(self.hide)
        data["private"] = list(self.private)
        return data

    @classmethod
    def from_plain(cls, data: dict) -> SandboxConfig:
        return cls(
            mode=data["mode"],
            limits=Limits(**data["limits"]),
            uid=data["uid"],
            hide=tuple(data["hide"]),
            private=tuple(data.get("private", ())),
            worker=int(data.get("worker", 0)),
            syscall_filter=bool(data.get("syscall_filter", True)),
        )


# -- choosing the level ------------------------------------------------------------------------
def detect_mode(requested: str = "auto") -> str:
    """The strongest isolation this process can set up, or ``requested`` if it is available.

    ``auto`` never fails: root (as root, when namespaces and mounts work), else userns, else
    none. Raises PermissionError when ``root`` or ``userns`` is asked for and does not work
    here, ValueError for an unknown level.
    """
    if requested not in MODES:
        raise ValueError(f"isolation must be auto, root, userns or none, got {requested!r}")
    if requested == "none":
        return "none"
    if requested in ("auto", "root") and os.geteuid() == 0 and probe("root"):
        return "root"
    if requested == "root":
        if os.geteuid() != 0:
            raise PermissionError("root isolation needs the grader to run as root (sudo)")
        raise PermissionError(
            "root isolation needs CAP_SYS_ADMIN for namespaces and mounts, which this process lacks "
            "(a container?): use --isolation auto"
        )
    if probe("userns"):
        return "userns"
    if requested == "userns":
        raise PermissionError("unprivileged user namespaces are not available on this machine")
    return "none"


def probe(mode: str) -> bool:
    """Whether the zygote's whole set-up for ``mode`` works here, tried in a throwaway process."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in a throwaway child
        try:
            linux.prctl(identity.PR_SET_DUMPABLE, 1)  # a user namespace's maps are written through /proc/self
            namespaces.enter_namespaces(mode, os.getuid(), os.getgid(), hide=(), private=())
            os._exit(0)
        except BaseException:  # noqa: BLE001 - a probe: any failure means unavailable
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def own_uid_works(uid: int) -> bool:
    """Whether a child of none mode can run as ``uid``: the grader is root (with CAP_SETUID)
    and ``uid`` can read the Python installation and numpy, which the child may import from."""
    import importlib.util

    spec = importlib.util.find_spec("numpy")
    paths = needed_paths() + ([spec.origin] if spec is not None and spec.origin else []) + [os.__file__]
    return identity.can_run_as(uid, paths)


def probe_user_namespaces() -> bool:
    """Whether an unprivileged process may set up userns isolation here."""
    return probe("userns")


# -- the zygote ----------------------------------------------------------------------------------
@dataclass
class ZygoteSetup:
    """What the zygote set up: what is in force, its children's cgroups, the remover's pipes."""

    in_force: dict
    config: SandboxConfig
    groups: cgroups.Cgroups | None = None
    remover: tuple[int, int] | None = None
    notes: list[str] = field(default_factory=list)


def set_up_zygote(config: SandboxConfig) -> ZygoteSetup:
    """Run once in the zygote, before numpy's files are hidden; its children are then served
    with ``setup.config``. Raises OSError when the namespaces of ``config.mode`` cannot be made."""
    keyring = identity.fresh_session_keyring()
    why_not = seccomp.probe()
    setup = ZygoteSetup(
        in_force={"keyring": "fresh" if keyring else "inherited", "filter_missing": why_not},
        config=replace(config, syscall_filter=not why_not),
    )
    if config.mode == "root" and config.uid is not None:
        setup.groups = cgroups.create(f"grader-{config.uid}", memory_mb=config.limits.memory_mb, processes=config.limits.processes)
        if setup.groups is not None:
            setup.remover = cgroups.remove_when_gone(setup.groups)
    controllers = setup.groups.controllers if setup.groups else ()
    setup.in_force["memory"] = "submission" if "memory" in controllers else "process"
    setup.in_force["cpu_quota"] = "cpu" in controllers
    setup.in_force["pids"] = "pids" in controllers
    setup.in_force["own_uid"] = config.uid is not None
    if config.mode != "none":
        setup.in_force.update(
            namespaces.enter_namespaces(
                config.mode, os.getuid(), os.getgid(), hide=config.hide, private=config.private
            )
        )
    identity.set_not_dumpable()  # after the user namespace's maps are written (they need it dumpable)
    return setup


def tear_down_zygote(setup: ZygoteSetup) -> None:
    """At the zygote's normal end (its children killed): its cgroups removed before it exits."""
    if setup.remover is not None:
        cgroups.wait_removed(*setup.remover)
        setup.remover = None


def join_groups(setup_groups: cgroups.Cgroups | None) -> None:
    """In a freshly forked child: into the submission's cgroups (no-op without)."""
    if setup_groups is not None:
        cgroups.join(setup_groups)


# -- the child -----------------------------------------------------------------------------------
def enter_child_namespaces(config: SandboxConfig) -> None:
    _enter_child_namespaces(config.mode)


def fresh_tmp(config: SandboxConfig) -> str:
    return namespaces.fresh_tmp(config.mode, config.uid, config.limits.tmp_mb)


def drop_privileges(config: SandboxConfig) -> None:
    identity.drop_privileges(config.mode, config.uid)


def confine(config: SandboxConfig) -> None:
    """The child's last step before student code: one core, the syscall filter.

    After :func:`drop_privileges` (the filter needs ``PR_SET_NO_NEW_PRIVS``). Raises OSError
    when the filter exists but cannot be loaded (the child must not go on without it).
    """
    limits.pin_to_one_core(config.worker)
    if config.syscall_filter:
        seccomp.install(protect=identity.ancestors() if config.mode == "none" else ())


# -- the report ------------------------------------------------------------------------------------
def purpose(mode: str, *, own_uid: bool = False) -> str:
    """What a sandbox of ``mode`` is fit for, in the report's words."""
    if mode == "none" and own_uid:
        return (
            "self-checks only: the submission ran without namespaces, as a uid of its own, with your network and "
            "every file anyone may read; grade other people's code this way only where nothing better exists"
        )
    return {
        "root": "grading",
        "userns": "grading (without root: the grader's uid, in a user namespace)",
        "none": "self-checks only: the submission ran with your own rights, files, network and processes; "
        "never grade other people's code this way",
    }[mode]


def describe(mode: str, limits: Limits, in_force: dict) -> dict:
    """The report's ``sandbox:`` section: every mechanism, as in force for this sandbox."""
    confined = mode != "none"
    own_uid = mode == "none" and bool(in_force.get("own_uid"))
    why_not = in_force.get("filter_missing", seccomp.unavailable())
    filtered = not why_not
    cpu = "one core: pinned" + (", sched_setaffinity denied" if filtered else "")
    if in_force.get("cpu_quota"):
        cpu += ", and a cgroup quota of one core"
    return {
        "isolation": mode,
        "purpose": purpose(mode, own_uid=own_uid),
        "process": "forked child, own session" + (", own PID and IPC namespaces" if confined else ""),
        "uid": {
            "root": "separate",
            "userns": "same (user namespace, no capabilities)",
            "none": "separate (no namespaces)" if own_uid else "same",
        }[mode],
        "network": in_force.get("network", "shared"),
        "filesystem": in_force.get("filesystem", "shared"),
        "mount_table": in_force.get("mount_table", "the machine's"),
        "solutions_and_hidden_checks": in_force.get("hidden_paths", "readable"),
        "other_folders": in_force.get("other_folders", "visible"),
        "devices": in_force.get("devices", "the machine's (terminals reachable through /dev/pts)"),
        "cgroups": in_force.get("cgroups", "the machine's"),
        "keyring": (
            "a fresh, empty session keyring" if in_force.get("keyring") == "fresh" else "the grader's session keyring"
        )
        + ("; key syscalls denied" if filtered else ""),
        "syscall_filter": seccomp.describe(mode, why_not),
        "cleanup": {
            "root": "all processes of the uid killed",
            "userns": "its PID namespace killed",
            "none": "descendants tracked and killed" + (", and all processes of the uid" if own_uid else ""),
        }[mode],
        "memory_limit_mb": limits.memory_mb,
        "memory_limit_applies_to": (
            "all processes of the submission together" if in_force.get("memory") == "submission" else "each process"
        ),
        "cpu_limit_s": limits.cpu_seconds,
        "cpu": cpu,
        "call_timeout_s": limits.call_timeout_s,
        "file_size_limit_mb": limits.file_size_mb,
        "process_limit": limits.processes if mode == "root" or own_uid else "none",
        "environment": "scrubbed",
    }
