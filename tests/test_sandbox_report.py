"""The report's ``sandbox:`` section says what confined the submission -- and it is true.

``--isolation root`` is what this machine gives by default (the tests run as root); ``none`` is
what a laptop without root or user namespaces gets: the network shared, the grader's own uid,
the course's files readable. (``userns`` too, when the machine allows it.) For each level the
exact section is checked, then a probe submission looks at what it can actually do (read-only
things only: under ``none`` it runs with the grader's full rights) and must agree with it.
"""

from __future__ import annotations

import errno
import os
import resource
import socket
import sys
from pathlib import Path

import pytest
import yaml
from conftest import max_points

from grader.batch import hidden_paths as _hidden_paths
from grader.cli import main
from grader.course import COURSE_ROOT
from grader.sandbox import isolation, seccomp
from grader.sandbox.child import ENV
from grader.sandbox.isolation import Limits
from grader.sandbox.supervisor import UID_BASE, Sandbox, Session

ALICE = COURSE_ROOT / "examples" / "activations" / "alice"
SECRET = "s3cr3t-token-of-the-report-test"
ORDER = [
    "isolation", "purpose", "process", "uid", "network", "filesystem", "mount_table", "solutions_and_hidden_checks",
    "other_folders", "devices", "cgroups", "keyring", "syscall_filter", "cleanup", "memory_limit_mb",
    "memory_limit_applies_to", "cpu_limit_s", "cpu", "call_timeout_s", "file_size_limit_mb", "process_limit", "environment",
]
DEFAULT = Limits()
LIMITS = {
    "memory_limit_mb": DEFAULT.memory_mb,
    "memory_limit_applies_to": "each process",
    "cpu_limit_s": DEFAULT.cpu_seconds,
    "call_timeout_s": DEFAULT.call_timeout_s,
    "file_size_limit_mb": DEFAULT.file_size_mb,
}
CGROUPS = os.path.isdir("/sys/fs/cgroup/memory") or os.path.exists("/sys/fs/cgroup/cgroup.controllers")
CPU_CGROUP = os.path.isdir("/sys/fs/cgroup/cpu") or os.path.exists("/sys/fs/cgroup/cgroup.controllers")
FILTERED = not seccomp.unavailable()
FILTER = seccomp.describe("root", seccomp.unavailable())
KEYRING = "a fresh, empty session keyring" + ("; key syscalls denied" if FILTERED else "")
ONE_CORE = "one core: pinned" + (", sched_setaffinity denied" if FILTERED else "")
# none mode as root: the child runs as a uid of its own where that uid can read the Python installation
OWN_UID = os.geteuid() == 0 and isolation.own_uid_works(UID_BASE + 99)
CONFINED = {
    "network": "isolated",
    "filesystem": "read-only",
    "mount_table": "the fresh root's only",
    "solutions_and_hidden_checks": "hidden",
    "other_folders": "hidden",
    "devices": "null, zero, full, random, urandom (no terminals)",
    "cgroups": "out of the submission's sight (no /sys): it cannot read or change its own limits",
    "keyring": KEYRING,
    "syscall_filter": FILTER,
}
EXPECTED = {
    "root": {
        "isolation": "root",
        "purpose": "grading",
        "process": "forked child, own session, own PID and IPC namespaces",
        "uid": "separate",
        **CONFINED,
        "cleanup": "all processes of the uid killed",
        **LIMITS,
        "memory_limit_applies_to": "all processes of the submission together" if CGROUPS else "each process",
        "cpu": ONE_CORE + (", and a cgroup quota of one core" if CPU_CGROUP else ""),
        "process_limit": DEFAULT.processes,
        "environment": "scrubbed",
    },
    "userns": {
        "isolation": "userns",
        "purpose": "grading (without root: the grader's uid, in a user namespace)",
        "process": "forked child, own session, own PID and IPC namespaces",
        "uid": "same (user namespace, no capabilities)",
        **CONFINED,
        "cleanup": "its PID namespace killed",
        **LIMITS,
        "cpu": ONE_CORE,
        "process_limit": "none",
        "environment": "scrubbed",
    },
    "none": {
        "isolation": "none",
        "purpose": isolation.purpose("none", own_uid=OWN_UID),
        "process": "forked child, own session",
        "uid": "separate (no namespaces)" if OWN_UID else "same",
        "network": "shared",
        "filesystem": "shared",
        "mount_table": "the machine's",
        "solutions_and_hidden_checks": "readable",
        "other_folders": "visible",
        "devices": "the machine's (terminals reachable through /dev/pts)",
        "cgroups": "the machine's",
        "keyring": KEYRING,
        "syscall_filter": seccomp.describe("none", seccomp.unavailable()),
        "cleanup": "descendants tracked and killed" + (", and all processes of the uid" if OWN_UID else ""),
        **LIMITS,
        "cpu": ONE_CORE,
        "process_limit": DEFAULT.processes if OWN_UID else "none",
        "environment": "scrubbed",
    },
}


def available(mode: str) -> bool:
    try:
        return isolation.detect_mode(mode) == mode
    except PermissionError:
        return False


MODES = [
    pytest.param(mode, marks=pytest.mark.skipif(not available(mode), reason=f"{mode} isolation is not available here"))
    for mode in ("root", "userns", "none")
]


def grade_alice(tmp_path: Path, *args: str) -> dict:
    out = tmp_path / "reports"
    if "none" in args:
        args = (*args, "--allow-isolation-none")
    assert main(["grade", "activations", "--out", str(out), "--jobs", "1", "--quiet", *args, "--", str(ALICE)]) == 0
    return yaml.safe_load((out / "activations" / "alice.yaml").read_text())


@pytest.mark.parametrize("mode", MODES)
def test_the_report_lists_what_was_in_force(tmp_path, mode):
    report = grade_alice(tmp_path, "--isolation", mode)
    assert report["score"] == report["max_score"] == max_points("activations")  # the level changes what confines, not the grade
    assert report["sandbox"] == EXPECTED[mode]
    assert list(report["sandbox"]) == ORDER


@pytest.mark.skipif(os.geteuid() != 0, reason="the default is root isolation only when the grader runs as root")
def test_root_is_the_default_for_a_grader_running_as_root(tmp_path):
    assert grade_alice(tmp_path)["sandbox"] == EXPECTED["root"]


def test_the_report_gives_the_limits_the_sandbox_was_given():
    limits = Limits(memory_mb=512, cpu_seconds=30, call_timeout_s=2.5, file_size_mb=4, processes=16)
    with Sandbox(limits=limits, isolation_mode="none") as box:
        in_force = box.in_force
    assert {k: in_force[k] for k in ("memory_limit_mb", "cpu_limit_s", "call_timeout_s", "file_size_limit_mb")} == {
        "memory_limit_mb": 512, "cpu_limit_s": 30, "call_timeout_s": 2.5, "file_size_limit_mb": 4,
    }


# -- and the section tells the truth -------------------------------------------------------------------
PROBE = '''
import ctypes
import errno
import os
import resource
import socket


def probe(port, course):
    seen = {"uid": os.getuid(), "own_session": os.getsid(0) == os.getpid()}
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            seen["network"] = "connected"
    except OSError as exc:
        seen["network"] = errno.errorcode.get(exc.errno, str(exc.errno))
    seen["course_writable"] = os.access(course, os.W_OK)
    seen["course_read_only_mount"] = bool(os.statvfs(course).f_flag & os.ST_RDONLY)
    for name in ("solutions", "grader/hidden", ".git"):
        try:
            seen[name] = sorted(os.listdir(os.path.join(course, name)))
        except OSError as exc:
            seen[name] = errno.errorcode.get(exc.errno, str(exc.errno))
    try:
        seen["home"] = sorted(os.listdir("/root")) if os.path.isdir("/root") else []
    except OSError as exc:
        seen["home"] = errno.errorcode.get(exc.errno, str(exc.errno))
    for limit in ("AS", "CPU", "FSIZE", "NPROC"):
        seen["RLIMIT_" + limit] = resource.getrlimit(getattr(resource, "RLIMIT_" + limit))[0]
    seen["environment"] = sorted(os.environ)
    seen["mountinfo"] = open("/proc/self/mountinfo").read()
    seen["devices"] = sorted(os.listdir("/dev"))
    seen["cgroups"] = os.path.isdir("/sys/fs/cgroup")
    libc = ctypes.CDLL(None, use_errno=True)
    for name, number, args in (("keyctl", 250, (0, -3, 0)), ("add_key", 248, (b"user", b"probe", b"x", 1, -3)),
                               ("unshare", 272, (0,)), ("ptrace", 101, (0x4206, os.getppid(), 0, 0))):
        result = libc.syscall(number, *args)  # x86_64 numbers; keyctl(GET_KEYRING_ID, session), PTRACE_SEIZE
        seen[name] = "ok" if result >= 0 else errno.errorcode.get(ctypes.get_errno(), "?")
    seen["cores"] = len(os.sched_getaffinity(0))
    try:
        os.sched_setaffinity(0, range(os.cpu_count()))
        seen["more_cores"] = len(os.sched_getaffinity(0))
    except OSError as exc:
        seen["more_cores"] = errno.errorcode.get(exc.errno, "?")
    return seen
'''


def _listing(path: Path) -> list[str] | str:
    try:
        return sorted(os.listdir(path))
    except OSError as exc:
        return errno.errorcode.get(exc.errno, str(exc.errno))


@pytest.fixture
def listener():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    yield server.getsockname()[1]
    server.close()


@pytest.mark.parametrize("mode", MODES)
def test_what_the_report_says_is_what_the_submission_finds(mode, listener, monkeypatch):
    monkeypatch.setenv("GRADER_TEST_SECRET", SECRET)
    with Sandbox(isolation_mode=mode, hide=_hidden_paths(())) as box:
        said = box.in_force
        with Session(box, files={"activations.py": PROBE}, module="activations") as session:
            assert session.load() is None
            seen = session.call("probe", [listener, str(COURSE_ROOT)], {}).value
    assert said == EXPECTED[mode]
    mb = 1024 * 1024

    assert seen["own_session"] is True  # process: forked child, own session
    separate = said["uid"].startswith("separate")
    if separate:
        assert seen["uid"] != os.getuid() and seen["uid"] in range(UID_BASE, UID_BASE + 101)
    else:
        assert seen["uid"] == (0 if mode == "userns" else os.getuid())  # userns: the grader's uid, mapped to 0
    assert seen["network"] == ("connected" if said["network"] == "shared" else "ENETUNREACH")
    if said["filesystem"] == "read-only":
        # A course checked out under /tmp is, for the child, an empty folder of its own private
        # /tmp that only leads to the virtual environment: what it writes there dies with it.
        if not COURSE_ROOT.resolve().is_relative_to("/tmp"):
            assert seen["course_read_only_mount"] and not seen["course_writable"]
    else:
        assert not seen["course_read_only_mount"] and seen["course_writable"] == (os.access(COURSE_ROOT, os.W_OK) and not separate)
    for name in ("solutions", "grader/hidden", ".git"):
        if said["solutions_and_hidden_checks"] == "hidden":
            assert seen[name] in ("EACCES", "ENOENT"), name  # covered, or not there at all
        else:
            assert seen[name] == _listing(COURSE_ROOT / name), name  # (.git is a file in a worktree)
    installation = [Path(p) for p in (sys.prefix, sys.base_prefix)]
    if said["other_folders"] == "hidden":  # only what leads to the Python installation
        assert all(any(Path("/root", entry) in [p, *p.parents] for p in installation) for entry in seen["home"])
    elif os.path.isdir("/root"):
        assert seen["home"] == (_listing(Path("/root")) if not separate else seen["home"])  # another uid: what /root lets it see
    assert seen["RLIMIT_AS"] == said["memory_limit_mb"] * mb
    assert seen["RLIMIT_CPU"] == said["cpu_limit_s"]
    assert seen["RLIMIT_FSIZE"] == said["file_size_limit_mb"] * mb
    if said["process_limit"] == "none":
        assert seen["RLIMIT_NPROC"] == resource.getrlimit(resource.RLIMIT_NPROC)[0]
    else:
        assert seen["RLIMIT_NPROC"] == said["process_limit"]
    assert said["environment"] == "scrubbed"
    assert set(seen["environment"]) <= set(ENV) | {"HOME", "TMPDIR"}  # no GRADER_TEST_SECRET

    if said["mount_table"] == "the fresh root's only":  # no folder the judge hides, not even by name
        for path in _hidden_paths(()):
            assert path not in seen["mountinfo"], path
        assert "/home" not in seen["mountinfo"] and " /root " not in seen["mountinfo"]
    else:
        assert seen["mountinfo"] == Path("/proc/self/mountinfo").read_text() or mode == "none"
    if said["devices"].startswith("null"):
        assert seen["devices"] == sorted(["null", "zero", "full", "random", "urandom", "shm", "fd", "stdin", "stdout", "stderr"])
    else:
        assert "null" in seen["devices"]
    assert seen["cgroups"] == (not said["cgroups"].startswith("out of the submission's sight")) or not os.path.isdir("/sys/fs/cgroup")
    if said["syscall_filter"].startswith("none"):
        assert seen["unshare"] == "ok"
    else:
        assert seen["keyctl"] == seen["add_key"] == seen["unshare"] == seen["ptrace"] == "EPERM"
    assert said["keyring"].startswith("a fresh")
    assert said["cpu"].startswith("one core") and seen["cores"] == 1
    assert seen["more_cores"] == ("EPERM" if FILTERED else os.cpu_count())


def test_without_libseccomp_the_report_says_so_and_grading_goes_on(monkeypatch):
    """A machine without libseccomp2: no filter, said plainly; the child is confined otherwise."""
    monkeypatch.setattr(seccomp, "pyseccomp", None)
    monkeypatch.setattr(seccomp, "_WHY_NOT", "libseccomp is missing (test)")
    assert seccomp.probe() == "libseccomp is missing (test)"
    assert seccomp.install() is False
    said = isolation.describe("none", DEFAULT, {"filter_missing": seccomp.probe(), "keyring": "fresh"})
    assert said["syscall_filter"] == "none: libseccomp is missing (test)"
    assert said["keyring"] == "a fresh, empty session keyring" and said["cpu"] == "one core: pinned"
