"""The report's ``sandbox:`` section says what confined the submission -- and it is true.

``--isolation root`` is what this machine gives by default (the tests run as root); ``none`` is
what a laptop without root or user namespaces gets: the network shared, the grader's own uid,
the course's files readable. (``userns`` too, when the machine allows it.) For each level the
exact section is checked, then a probe submission looks at what it can actually do (read-only
things only: under ``none`` it runs with the grader's full rights) and must agree with it.
"""

from __future__ import annotations

import os
import resource
import socket
import sys
from pathlib import Path

import pytest
import yaml

from conftest import max_points
from grader.cli import _hidden_paths, main
from grader.course import COURSE_ROOT
from grader.sandbox import isolation
from grader.sandbox.child import ENV
from grader.sandbox.isolation import Limits
from grader.sandbox.supervisor import UID_BASE, Sandbox, Session

ALICE = COURSE_ROOT / "examples" / "activations" / "alice"
SECRET = "s3cr3t-token-of-the-report-test"
ORDER = [
    "isolation", "process", "uid", "network", "filesystem", "solutions_and_hidden_checks", "other_folders",
    "cleanup", "memory_limit_mb", "memory_limit_applies_to", "cpu_limit_s", "call_timeout_s", "file_size_limit_mb", "process_limit",
    "environment",
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
EXPECTED = {
    "root": {
        "isolation": "root",
        "process": "forked child, own session, own PID and IPC namespaces",
        "uid": "separate",
        "network": "isolated",
        "filesystem": "read-only",
        "solutions_and_hidden_checks": "hidden",
        "other_folders": "hidden",
        "cleanup": "all processes of the uid killed",
        **LIMITS,
        "memory_limit_applies_to": "all processes of the submission together" if CGROUPS else "each process",
        "process_limit": DEFAULT.processes,
        "environment": "scrubbed",
    },
    "userns": {
        "isolation": "userns",
        "process": "forked child, own session, own PID and IPC namespaces",
        "uid": "same (user namespace, no capabilities)",
        "network": "isolated",
        "filesystem": "read-only",
        "solutions_and_hidden_checks": "hidden",
        "other_folders": "hidden",
        "cleanup": "its PID namespace killed",
        **LIMITS,
        "process_limit": "none",
        "environment": "scrubbed",
    },
    "none": {
        "isolation": "none",
        "process": "forked child, own session",
        "uid": "same",
        "network": "shared",
        "filesystem": "shared",
        "solutions_and_hidden_checks": "readable",
        "other_folders": "visible",
        "cleanup": "descendants tracked and killed",
        **LIMITS,
        "process_limit": "none",
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
    assert main(["grade", "activations", str(ALICE), "--out", str(out), "--jobs", "1", "--quiet", *args]) == 0
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
    seen["home"] = sorted(os.listdir("/root")) if os.path.isdir("/root") else []
    for limit in ("AS", "CPU", "FSIZE", "NPROC"):
        seen["RLIMIT_" + limit] = resource.getrlimit(getattr(resource, "RLIMIT_" + limit))[0]
    seen["environment"] = sorted(os.environ)
    return seen
'''


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
    if said["uid"] == "separate":
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
        assert not seen["course_read_only_mount"] and seen["course_writable"] == os.access(COURSE_ROOT, os.W_OK)
    for name in ("solutions", "grader/hidden", ".git"):
        if said["solutions_and_hidden_checks"] == "hidden":
            assert seen[name] in ("EACCES", "ENOENT"), name  # covered, or not there at all
        elif (COURSE_ROOT / name).is_dir():  # in a git worktree, .git is a file
            assert seen[name] == sorted(os.listdir(COURSE_ROOT / name)), name
    installation = [Path(p) for p in (sys.prefix, sys.base_prefix)]
    if said["other_folders"] == "hidden":  # only what leads to the Python installation
        assert all(any(Path("/root", entry) in [p, *p.parents] for p in installation) for entry in seen["home"])
    elif os.path.isdir("/root"):
        assert seen["home"] == sorted(os.listdir("/root"))
    assert seen["RLIMIT_AS"] == said["memory_limit_mb"] * mb
    assert seen["RLIMIT_CPU"] == said["cpu_limit_s"]
    assert seen["RLIMIT_FSIZE"] == said["file_size_limit_mb"] * mb
    if said["process_limit"] == "none":
        assert seen["RLIMIT_NPROC"] == resource.getrlimit(resource.RLIMIT_NPROC)[0]
    else:
        assert seen["RLIMIT_NPROC"] == said["process_limit"]
    assert said["environment"] == "scrubbed"
    assert set(seen["environment"]) <= set(ENV) | {"HOME", "TMPDIR"}  # no GRADER_TEST_SECRET
