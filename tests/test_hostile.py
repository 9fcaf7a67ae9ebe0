"""Hostile submissions of assignment 01 earn nothing and change nothing.

Every file in ``tests/submissions/activations/hostile/`` is a submission that tries one trick,
most of them on top of correct functions, so that the trick shows as zero points on the checks
it touches against full marks everywhere else. Most are graded in ONE batch through the
command line, in a separate process that has a fake secret in its environment, with Alice's
correct submission last (the next submission of the same batch is graded normally). The
submissions whose trick costs a time limit per call are graded with a 1 s call limit instead.

The table ``BATCH`` says, for each submission, the checks it must score 0 on; every other
check must get full marks. Then, for the whole batch: the grader exits 0 with one report per
submission and nothing else in the reports folder; no file of the course changed and none of
the places the submissions tried to write holds anything; no process of theirs is left; no
System V object of theirs is left; the secret is in no report and not in the grader's output;
nothing reached the network.

Tests whose name says ``hole`` describe a weakness found while writing this file: they
assert the safe behaviour and fail until it is fixed (see their docstrings).

These tests need root isolation: several of these submissions would do real damage without
it (kill every process they may signal, write into the course), so they are skipped otherwise.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import re
import resource
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
import uuid
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from conftest import SUBMISSIONS, max_points

from grader.course import COURSE_ROOT, find_assignment
from grader.judge.catalog import suite_checks
from grader.judge.runner import grade
from grader.judge.student_proxy import MAX_TIMEOUTS_PER_FUNCTION
from grader.report.yaml_report import OUTPUT_LIMIT, escape_output
from grader.sandbox import isolation
from grader.sandbox.isolation import Limits
from grader.sandbox.supervisor import UID_BASE, Sandbox, Session
from grader.submission import load_submission

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0,
    reason="hostile submissions are graded only under root isolation (uid of their own, read-only files); "
    "without it some of them would kill processes or write into the course",
)

ACTIVATIONS = find_assignment("activations")
HOSTILE = SUBMISSIONS / "activations" / "hostile"
ALICE = COURSE_ROOT / "examples" / "activations" / "alice"
MARK = "HOSTILE-MARK-5e1f"  # written into everything the submissions try to plant
RUN = uuid.uuid4().hex[:12]
SECRET = f"s3cr3t-token-{RUN}"
OUT_NAME = f"reports-{RUN}"  # the reports folder: a submission must not learn this name
SANDBOX_UIDS = range(UID_BASE, UID_BASE + 101)
SLEEP_MARKERS = ("1234.5", "1234.6", "1234.7", "1234.8", "1235.5")  # `sleep N` run by spawns_sleepers, fork_bomb
IPC_KEYS = (0x5E1F0001, 0x5E1F0002, 0x5E1F0003)  # created by sysv_ipc_leftovers
LOCAL_PORTS = range(47000, 47010)  # leaks_environment tries these on 127.0.0.1
ABSTRACT_SOCKET = "\0grader-hostile-" + MARK

ALL = frozenset(spec.id for spec in suite_checks(ACTIVATIONS, hidden=True))


@dataclass(frozen=True)
class Broken:
    """The checks that fail when functions of the reference are broken: ``("values", "tanh")``,
    tanh returns something that is not its values; ``("calls", "tanh")``, every call of tanh
    ends the child; ``("raises", "tanh")``, every call raises. Found by grading the reference so broken (:func:`broken_checks`), so that the table
    below follows the suites when checks are added or changed."""

    parts: frozenset[tuple[str, str]]

    def __or__(self, other: Broken) -> Broken:
        return Broken(self.parts | other.parts)


def values(function: str) -> Broken:
    """The checks that fail when ``function`` returns wrong values (its calls succeed)."""
    return Broken(frozenset({("values", function)}))


def raises(function: str) -> Broken:
    """The checks that fail when every call of ``function`` raises an exception."""
    return Broken(frozenset({("raises", function)}))


def calls(function: str) -> Broken:
    """The checks that fail when every call of ``function`` ends the child (crashes, times out)."""
    return Broken(frozenset({("calls", function)}))


# "calls": every call ends the child (a crash costs the whole check that meets it);
# "raises": every call raises (an exception, or a call over its time limit, costs only that
# function's share of a check paid per function).
BROKEN_BODY = {"values": 'return "not numbers"', "calls": '__import__("os")._exit(3)',
               "raises": 'raise RuntimeError("broken on purpose")'}


@pytest.fixture(scope="session")
def broken_checks(graded, tmp_path_factory):
    """``broken_checks(ALL | NOTHING | Broken) -> {check id: points kept}``: the checks that a
    reference so broken does not pass, with the points it still gets on each (0, or the share of
    the functions that work in a check paid per function)."""
    reference = (ACTIVATIONS.solution_dir / ACTIVATIONS.filename).read_text()
    folder = tmp_path_factory.mktemp("broken_reference")

    def broken(parts: frozenset[tuple[str, str]]) -> dict[str, float]:
        source = reference
        for kind, function in sorted(parts):
            # The reference's other functions keep calling their own copy of `function`.
            source = re.sub(rf"(?<![\w.]){function}\(", f"_kept_{function}(", source)
            source += f"\n\ndef {function}(*args, **kwargs):\n    {BROKEN_BODY[kind]}\n"
        path = folder / ("_".join(f"{kind}_{function}" for kind, function in sorted(parts)) + ".py")
        path.write_text(source)
        result = graded(ACTIVATIONS, path)
        assert result.status == "graded", result.reason
        return {r.id: r.points for r in result.results if r.status != "passed"}

    def resolve(affected: frozenset[str] | Broken) -> dict[str, float]:
        if isinstance(affected, frozenset):
            return dict.fromkeys(affected, 0.0)
        return broken(affected.parts)

    return resolve


NOTHING: frozenset[str] = frozenset()

# submission -> (the threat, the checks it must score 0 on; every other check gets full marks)
BATCH: dict[str, tuple[str, frozenset[str] | Broken]] = {
    "exit_at_import": ("sys.exit while imported", ALL),
    "exits_in_call": ("os._exit in tanh", calls("tanh")),
    "prints_fake_report": ("prints a fake report, tanh returns a string", values("tanh")),
    "patches_numpy_comparisons": ("patches np.allclose/isclose/testing, math.isclose, builtins.abs/all", values("tanh")),
    "returns_lying_array": ("ndarray/float subclasses whose __eq__, __array__, __float__... lie", values("tanh")),
    "returns_pickle_payload": ("__reduce__ payload; forged handle and function records", values("tanh") | values("step")),
    "returns_huge_array": ("a 72 MB answer frame", calls("step")),
    "writes_files": ("writes into the course, conftest.py, reports, /tmp, /dev/shm, site-packages", values("step")),
    "pytest_hooks": ("PYTEST_ADDOPTS/PYTEST_PLUGINS, plugin module, patched pytest and grader.judge", values("step")),
    "allocates_memory_in_call": ("allocates without end in a call", raises("step")),
    "allocates_memory_at_import": ("allocates without end while imported: demo code, graded without it", NOTHING),
    "infinite_recursion": ("recursion limit 10**6 and C-level recursion (SIGSEGV)", calls("step")),
    "segfaults_ctypes": ("ctypes.string_at(0)", calls("step")),
    "spawns_sleepers": ("Popen, new sessions, a daemon, a fork loop, all sleeping for ever", NOTHING),
    "fork_bomb": ("a fork bomb of up to 512 processes", NOTHING),
    "steals_reference_from_disk": ("reads solutions/, grader/hidden/, .git, grader.judge.reference", values("sigmoid")),
    "steals_reference_from_memory": ("sys.modules, gc, frames, the zygote's memory", values("sigmoid")),
    "leaks_environment": ("environment, /proc/*/environ, network, DNS, exception messages", raises("tanh")),
    "kills_the_grader": ("SIGKILL/SIGSTOP to its parent, every pid, kill(-1); ptrace", NOTHING),
    "fd3_huge_length": ("a 4 GiB length prefix and garbage on the protocol socket", calls("step")),
    "fd3_endless_stream": ("a 48 MB frame header, then bytes without end", calls("tanh")),
    "fd3_close_and_reopen": ("closes the protocol socket, puts /dev/null on fd 3", calls("step")),
    "forges_frames_via_stdout": ("sys.stdout replaced by a writer on the protocol socket", calls("step")),
    # Their own tests below (holes): they must still not disturb grading.
    "reads_other_processes": ("/proc/*/cmdline, environ, mem, root of every process", NOTHING),
    "sysv_ipc_leftovers": ("System V shared memory, message queue, semaphore", NOTHING),
    "memory_across_processes": ("three processes of 700 MB each", NOTHING),
    "copies_a_correct_submission": ("copies a correct sigmoid from elsewhere in the course", values("sigmoid")),
    # Round two: keyrings, mount names, CPU, terminals, cgroups, the grader's processes and reports.
    "plants_a_key": ("adds a world-readable key of answers to its user and session keyrings", NOTHING),
    "finds_planted_keys": ("reads keys planted earlier and the grader's session keyring; right only if found", values("sigmoid")),
    "lists_hidden_folders": ("lists mount points: the folders hidden from it, by name", NOTHING),
    "starves_neighbours": ("60 busy processes, sched_setaffinity to every core", NOTHING),
    "writes_to_terminals": ("opens /dev/pts/*, /dev/tty*, /dev/console; TIOCSTI", NOTHING),
    "kills_its_cgroup": ("opens cgroup.kill, cgroup.procs and limits of its cgroups for writing", NOTHING),
    "attacks_the_grader": ("signals, memory, environment, ptrace of the grader's processes; squats and rewrites reports", NOTHING),
    "limits_and_signals_the_grader": ("prlimit, renice, SCHED_IDLE and SIGIO through a socket's owner, at the grader", NOTHING),
    "tampers_with_the_grader": ("may it write the grader's modules, site-packages, numpy (opened, nothing written)", NOTHING),
    # Round three: what a grading worker keeps from one submission to the next (test_hostile_worker.py).
    "poisons_the_workers_caches": ("forged traceback place, reused/aliased answer buffers, -0.0, read-only views", raises("sigmoid")),
}
HOLES_IN_THE_TABLE = {"copies_a_correct_submission"}  # (once a hole) checked and explained by its own test

# Graded with a 1 s call limit: each of their calls costs a time limit.
SLOW: dict[str, tuple[str, frozenset[str] | Broken]] = {
    # A call over its time limit costs what an exception would: in a check paid per function,
    # that function's share only.
    "loops_forever": ("sigmoid never returns", raises("sigmoid")),
    "ignores_sigterm_and_loops": ("ignores SIGTERM/SIGINT/SIGHUP/SIGXCPU and loops", raises("step")),
    "prints_gigabytes": ("prints gigabytes in a call", raises("step")),
}

# Submissions that stop the whole batch today (see test_hole_a_forged_load_answer_...).
JUDGE_CRASHERS = ("answers_load_with_non_dict", "answers_load_with_bad_array")
# Graded by test_protocol.py through a session (it needs a function of its own).
ELSEWHERE = ("answers_with_millions_of_objects", "leaks_hidden_inputs_in_names",  # the latter: test_hidden_feedback.py
             "injects_text_into_reports",  # test_hostile_text.py
             "writes_the_graders_memory", "squats_the_sandbox_listener")  # test_portable_output.py (portable)

# Paths the submissions try to write, outside the course folder or inside it.
PLANTED = [
    Path("/tmp") / f"hostile-{MARK}",
    Path("/var/tmp") / f"hostile-{MARK}",
    Path("/dev/shm") / f"hostile-{MARK}",
    Path("/root") / f"hostile-{MARK}",
    Path("/home") / f"hostile-{MARK}",
    Path("/tmp") / f"hostile-pickle-ran-{MARK}",
    Path("/tmp") / f"hostile-pickle-ran-{MARK}-system",
    COURSE_ROOT / f"hostile-pickle-ran-{MARK}",
    COURSE_ROOT / f"hostile-{MARK}.txt",
    COURSE_ROOT / "conftest.py",
    HOSTILE / "conftest.py",
    COURSE_ROOT / "grader" / f"hostile_plugin_{MARK.replace('-', '_')}.py",
    COURSE_ROOT / "grader" / "judge" / f"hostile_{MARK.replace('-', '_')}.py",
    COURSE_ROOT / "reports" / f"zz-fake-report-{MARK}.yaml",
    *(Path(p) / f"zz_hostile_{MARK.replace('-', '_')}.pth" for p in sys.path if p.endswith("site-packages")),
]

SESSION_KEY = "grader-test-session-secret"  # what finds_planted_keys looks for in the grader's session keyring
# The grader, run in a session keyring of its own holding a secret (as after a login with pam_keyinit,
# Kerberos or cifs credentials): possessor all, user view (0x3f010000), as keyctl's defaults.
CLI = (
    "import ctypes, os, sys\n"
    "libc = ctypes.CDLL(None, use_errno=True); libc.syscall.restype = ctypes.c_long\n"
    "if os.uname().machine == 'x86_64' and libc.syscall(250, 1, None) >= 0:  # KEYCTL_JOIN_SESSION_KEYRING\n"
    "    secret = os.environ.get('GRADER_TEST_SECRET', '').encode()\n"
    f"    libc.syscall(248, b'user', {SESSION_KEY!r}.encode(), secret, ctypes.c_size_t(len(secret)), -3)\n"
    "from grader.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def test_every_hostile_file_is_graded_somewhere_and_says_what_it_tries():
    files = sorted(p.stem for p in HOSTILE.glob("*.py") if p.name != "conftest.py")
    assert sorted([*BATCH, *SLOW, *JUDGE_CRASHERS, *ELSEWHERE]) == files
    for path in HOSTILE.glob("*.py"):
        assert path.read_text().startswith("# HOSTILE: "), path.name


# -- what the machine looks like --------------------------------------------------------------
def _read(path: str | Path, size: int = 1 << 16) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(size)
    except OSError:
        return b""


def _stat_fields(pid: str) -> list[bytes]:
    data = _read(f"/proc/{pid}/stat")
    return data[data.rfind(b")") + 2 :].split()


def _belongs_to_a_running_grader(pid: str) -> bool:
    """Whether a live zygote is among the ancestors (another grader running at the same time)."""
    for _ in range(64):
        fields = _stat_fields(pid)
        if len(fields) < 2:
            return False
        pid = fields[1].decode()
        if pid in ("0", "1"):
            return False
        if b"grader.sandbox.zygote" in _read(f"/proc/{pid}/cmdline"):
            return True
    return False


def leftover_processes() -> list[str]:
    """Processes the sandbox should have killed: `sleep` with a marker duration, or any process
    of a sandbox uid that no running grader owns."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        argv = _read(f"/proc/{pid}/cmdline").split(b"\0")
        fields = _stat_fields(pid)
        if not fields or fields[0] == b"Z" and fields[1] == b"1":
            continue  # a zombie init is about to reap
        try:
            uid = os.stat(f"/proc/{pid}").st_uid
        except OSError:
            continue
        marked = len(argv) >= 2 and argv[0].endswith(b"sleep") and argv[1].decode(errors="replace") in SLEEP_MARKERS
        if marked or (uid in SANDBOX_UIDS and not _belongs_to_a_running_grader(pid)):
            found.append(f"pid {pid} uid {uid} state {fields[0].decode()}: {b' '.join(argv).decode(errors='replace')}")
    return found


def wait_for_no_leftovers(seconds: float = 10.0) -> list[str]:  # returns as soon as none is left
    deadline = time.monotonic() + seconds
    while True:
        found = leftover_processes()
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def kill_marked_sleepers() -> None:
    """Clean up after a failing run: the `sleep` processes the submissions started, by pid."""
    for line in leftover_processes():
        pid = int(line.split()[1])
        if any(f"sleep {m}" in line for m in SLEEP_MARKERS):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def sysv_objects() -> list[str]:
    """System V IPC objects created with the submissions' keys or owned by a sandbox uid."""
    found = []
    for kind, uid_column in (("shm", 7), ("msg", 7), ("sem", 4)):
        lines = _read(f"/proc/sysvipc/{kind}").decode().splitlines()[1:]
        for line in lines:
            fields = line.split()
            if len(fields) > uid_column and (int(fields[0]) in IPC_KEYS or int(fields[uid_column]) in SANDBOX_UIDS):
                found.append(f"{kind} key {int(fields[0]):#x} id {fields[1]} uid {fields[uid_column]}")
    return found


def remove_sysv_objects() -> None:
    """Clean up after a failing run: the objects created with the submissions' keys."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    rmid = 0  # IPC_RMID
    shm, msg, sem = libc.shmget(IPC_KEYS[0], 0, 0), libc.msgget(IPC_KEYS[1], 0), libc.semget(IPC_KEYS[2], 0, 0)
    if shm >= 0:
        libc.shmctl(shm, rmid, None)
    if msg >= 0:
        libc.msgctl(msg, rmid, None)
    if sem >= 0:
        libc.semctl(sem, 0, rmid)


def keys_of_sandbox_uids() -> list[str]:
    """Lines of /proc/key-users for a sandbox uid: kernel keys (keyrings included) that it owns."""
    lines = _read("/proc/key-users").decode().splitlines()
    return [line.strip() for line in lines if line.split(":")[0].strip().isdigit() and int(line.split(":")[0]) in SANDBOX_UIDS]


def remove_marked_keys() -> None:
    """Clean up after a failing run: keys the submissions planted in this process's user keyring."""
    if os.uname().machine != "x86_64":
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    for ring in (-4, -3):
        key = libc.syscall(250, 10, ring, b"user", f"hostile-answers-{MARK}".encode(), 0)  # KEYCTL_SEARCH
        if key >= 0:
            libc.syscall(250, 9, ctypes.c_long(key), ring)  # KEYCTL_UNLINK


def _uid_is_free(uid: int) -> bool:
    """No sandbox holds ``uid`` now (its lock can be taken)."""
    import fcntl

    try:
        fd = os.open(f"/tmp/.grader-uid-{uid}.lock", os.O_RDONLY)
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def cgroup_places() -> list[str]:
    """Where the sandbox makes its cgroups: under the root (v2) and this process's group of each v1 controller."""
    places = {"/sys/fs/cgroup"}
    for line in _read("/proc/self/cgroup").decode().splitlines():
        _, names, path = line.split(":", 2)
        for name in names.split(","):
            if name and not name.startswith("name="):
                places.add(f"/sys/fs/cgroup/{name}{path.rstrip('/')}")
    return sorted(places)


def leftover_cgroups(seconds: float = 30.0) -> list[str]:
    """``grader-<uid>`` cgroups of sandbox uids that no running sandbox holds, once their remover
    has had its chance (it runs when the zygote ends)."""
    deadline = time.monotonic() + seconds
    while True:
        found = []
        for place in cgroup_places():
            for name in (os.listdir(place) if os.path.isdir(place) else []):
                number = name.removeprefix("grader-")
                if name.startswith("grader-") and number.isdigit() and int(number) in SANDBOX_UIDS and _uid_is_free(int(number)):
                    found.append(f"{place}/{name}")
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


# -- what the course folder looks like --------------------------------------------------------
SKIPPED_DIRS = {".venv", "__pycache__", ".pytest_cache", ".hypothesis"}


def _skipped(relative: Path) -> bool:
    parts = relative.parts
    if parts and parts[0] == "reports":
        return True
    if parts and parts[0] == ".git" and (relative.name == "index" or relative.name.endswith(".lock")):
        return True  # git refreshes its index whenever someone runs `git status`
    return any(part in SKIPPED_DIRS for part in parts)


def snapshot(root: Path = COURSE_ROOT) -> dict[str, str]:
    """sha256 of every file under the course root (links: their target), but the venv,
    reports and caches."""
    files = {}
    for folder, dirs, names in os.walk(root):
        relative_folder = Path(folder).relative_to(root)
        dirs[:] = [d for d in dirs if not _skipped(relative_folder / d)]
        for name in names:
            relative = relative_folder / name
            if _skipped(relative):
                continue
            path = Path(folder, name)
            try:
                if path.is_symlink():
                    files[str(relative)] = "link:" + os.readlink(path)
                else:
                    files[str(relative)] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError as exc:
                files[str(relative)] = f"unreadable: {exc.strerror}"
    return files


def files_of_sandbox_uids(root: Path = COURSE_ROOT) -> list[str]:
    """Anything under ``root`` (the venv included) owned by a sandbox uid or named after MARK."""
    found = []
    for folder, dirs, names in os.walk(root):
        for name in dirs + names:
            path = os.path.join(folder, name)
            try:
                info = os.lstat(path)
            except OSError:
                continue
            if info.st_uid in SANDBOX_UIDS or info.st_gid in SANDBOX_UIDS or MARK in name or MARK.replace("-", "_") in name:
                found.append(path)
    return found


def could_be_the_sandbox(relative: str) -> bool:
    """Whether a change could have come from a sandboxed child (uid of its own, no capabilities):
    a file that names or holds the marker, is owned by a sandbox uid, or that a stranger may write.
    Other changes are other people editing the course while the batch ran."""
    path = COURSE_ROOT / relative
    if MARK in relative or MARK.replace("-", "_") in relative:
        return True
    try:
        info = path.lstat()
    except OSError:  # deleted: only possible in a folder a stranger may write to
        try:
            return bool(path.parent.stat().st_mode & stat.S_IWOTH)
        except OSError:
            return True
    return info.st_uid in SANDBOX_UIDS or bool(info.st_mode & stat.S_IWOTH) or MARK.encode() in _read(path, 1 << 20)


# -- the network --------------------------------------------------------------------------------
class Listener:
    """TCP on 127.0.0.1 (the ports leaks_environment tries) and an abstract unix socket, in the
    grader's network namespace; records every connection."""

    def __init__(self) -> None:
        self.sockets: list[socket.socket] = []
        self.received: list[str] = []
        for port in LOCAL_PORTS:
            server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                server.bind(("127.0.0.1", port))
            except OSError:
                server.close()
                continue
            self.sockets.append(server)
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            server.bind(ABSTRACT_SOCKET)
            self.sockets.append(server)
        except OSError:
            server.close()
        for server in self.sockets:
            server.listen(8)
            server.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            for server in self.sockets:
                try:
                    conn, _ = server.accept()
                except (TimeoutError, OSError):
                    continue
                with conn:
                    conn.settimeout(1)
                    try:
                        self.received.append(f"{server.getsockname()!r}: {conn.recv(1 << 16)!r}")
                    except OSError as exc:
                        self.received.append(f"{server.getsockname()!r}: connected ({exc})")

    def close(self) -> list[str]:
        self._stop.set()
        self._thread.join(timeout=5)
        for server in self.sockets:
            server.close()
        return self.received


# -- the batch ----------------------------------------------------------------------------------
@dataclass
class Batch:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    out: Path
    reports: dict[str, dict]
    texts: dict[str, str]
    changed: list[str]
    owned_by_sandbox: list[str]
    planted: list[str]
    processes: list[str]
    ipc: list[str]
    connections: list[str]
    keys: list[str] = field(default_factory=list)
    cgroups: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def run_cli(submissions: list[Path], out: Path, *, cwd: Path, jobs: int = 2, timeout: float = 1200):  # a hang guard only
    env = dict(os.environ, GRADER_TEST_SECRET=SECRET)
    started = resource.getrusage(resource.RUSAGE_CHILDREN)  # CPU time: the same on a busy machine
    process = subprocess.run(
        [sys.executable, "-c", CLI, "grade", "activations", "--out", str(out), "--jobs", str(jobs), "--", *map(str, submissions)],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    ended = resource.getrusage(resource.RUSAGE_CHILDREN)
    return process, (ended.ru_utime + ended.ru_stime) - (started.ru_utime + started.ru_stime)


def read_reports(out: Path) -> tuple[dict[str, dict], dict[str, str]]:
    texts = {p.stem: p.read_text() for p in sorted(out.glob("activations/*.yaml"))}
    return {name: yaml.safe_load(text) for name, text in texts.items()}, texts


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Batch:
    work = tmp_path_factory.mktemp("hostile")
    out = work / OUT_NAME
    submissions = [HOSTILE / f"{name}.py" for name in BATCH] + [ALICE]
    before = snapshot()
    listener = Listener()
    try:
        process, seconds = run_cli(submissions, out, cwd=work)
    finally:
        connections = listener.close()
    processes = wait_for_no_leftovers()
    ipc = sysv_objects()
    after = snapshot()
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    planted = [str(p) for p in PLANTED if p.exists() or p.is_symlink()]
    reports, texts = read_reports(out) if out.is_dir() else ({}, {})
    result = Batch(
        returncode=process.returncode,
        stdout=process.stdout,
        stderr=process.stderr,
        seconds=seconds,
        out=out,
        reports=reports,
        texts=texts,
        changed=changed,
        owned_by_sandbox=files_of_sandbox_uids(),
        planted=planted,
        processes=processes,
        ipc=ipc,
        connections=connections,
        keys=keys_of_sandbox_uids(),
        cgroups=leftover_cgroups(),
    )
    yield result
    # Clean up whatever got through, so that a failing run leaves the machine as it was.
    kill_marked_sleepers()
    remove_sysv_objects()
    remove_marked_keys()
    for path in PLANTED:
        if MARK.encode() in _read(path) or path.name.startswith(("hostile-pickle-ran", "zz_hostile")):
            try:
                path.unlink()
            except OSError:
                pass


def checks_of(report: dict) -> dict[str, dict]:
    return {t["id"]: t for t in report["tests"]}


# -- the grader survives -------------------------------------------------------------------------
@pytest.mark.slow
def test_the_grader_survives_the_batch_and_writes_one_report_per_submission(batch):
    assert batch.returncode == 0, batch.stderr[-3000:]
    expected = {*BATCH, "alice"}
    assert {p.name for p in (batch.out / "activations").iterdir()} == {f"{name}.yaml" for name in expected}
    assert set(batch.reports) == expected
    assert f"graded {len(expected)} submissions" in batch.stdout
    assert "internal error" not in batch.stderr, batch.stderr[-3000:]
    assert batch.seconds < 90  # CPU seconds of the whole batch (grader, zygotes, children)


@pytest.mark.slow
def test_alice_graded_last_in_the_same_batch_gets_full_marks(batch):
    alice = batch.reports["alice"]
    assert alice["status"] == "graded"
    assert alice["score"] == alice["max_score"] == max_points("activations")
    assert all(t["status"] == "passed" for t in alice["tests"])
    assert "output" not in alice  # nothing printed by anyone else reached her report


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in BATCH if n not in HOLES_IN_THE_TABLE])
def test_a_hostile_submission_loses_exactly_what_breaking_its_functions_costs(batch, broken_checks, name):
    threat, affected = BATCH[name]
    kept = broken_checks(affected)
    affected = set(kept)
    report = batch.reports[name]
    by_id = checks_of(report)
    assert set(by_id) == ALL
    if affected == ALL:
        assert report["status"] == "error" and report["score"] == 0, threat
        assert all(t["status"] == "error" for t in by_id.values())
        return
    assert report["status"] == "graded", report.get("reason")
    lost = {i: t["points"] for i, t in by_id.items() if t["points"] < t["max_points"]}
    assert lost == kept, f"{threat}: points on the checks it lost {lost}, expected {kept}"
    for ident, test in by_id.items():
        if ident in affected:
            assert test["status"] != "passed"
        else:
            assert test["status"] == "passed" and test["points"] == test["max_points"], (ident, test["feedback"])
    assert report["score"] == pytest.approx(report["max_score"] - sum(by_id[i]["max_points"] - kept[i] for i in affected))


# -- nothing changed ------------------------------------------------------------------------------
@pytest.mark.slow
def test_no_file_of_the_course_changed(batch):
    suspicious = [path for path in batch.changed if could_be_the_sandbox(path)]
    assert suspicious == []
    assert batch.owned_by_sandbox == []
    others = [path for path in batch.changed if path not in suspicious]
    if others:  # root-owned files without the marker: someone editing the course meanwhile
        warnings.warn(f"files changed during the batch, not by a sandboxed child: {others}", stacklevel=1)


@pytest.mark.slow
def test_nothing_was_planted_where_the_submissions_tried_to_write(batch):
    assert batch.planted == []
    report = batch.reports["writes_files"]
    written = re.findall(r"^WROTE (\S+)$", report.get("output", ""), re.M)
    # What it could write was its own: a fresh /tmp and /dev/shm of its own, gone now.
    assert all(p.startswith(("/tmp/", "/dev/shm/")) for p in written), written
    assert not any(Path(p).exists() for p in written)


@pytest.mark.slow
def test_no_process_of_the_submissions_is_left(batch):
    assert batch.processes == []
    # ... and they did start some: the test would mean nothing otherwise.
    assert "SPAWNED 7 processes directly, and a daemon" in batch.reports["spawns_sleepers"]["output"]
    forked = re.search(r"FORKED (\d+) times", batch.reports["fork_bomb"]["output"])
    assert forked and int(forked.group(1)) >= 1  # how many succeed is a race against the 64-process limit


@pytest.mark.slow
def test_the_submissions_could_not_signal_or_read_the_grader(batch):
    killer = batch.reports["kills_the_grader"].get("output", "")
    assert "not attacking" not in killer  # it ran as a uid of its own, so it did attack
    assert not re.search(r"^(SIGNALLED|ATTACHED|KILLED)", killer, re.M), killer
    snoop = batch.reports["reads_other_processes"].get("output", "")
    assert not re.search(r"^(READ|LISTED) ", snoop, re.M), snoop


@pytest.mark.slow
def test_stolen_reference_was_never_found(batch):
    for name in ("steals_reference_from_disk", "steals_reference_from_memory"):
        output = batch.reports[name].get("output", "")
        assert not re.search(r"^(STOLE|READ|IMPORTED|FOUND)", output, re.M), (name, output)
    everything = "\n".join(batch.texts.values())
    assert "computed without overflow" not in everything  # the reference's docstring
    assert "def test_sigmoid_matches_reference" not in everything  # the hidden suite


# -- secrets and network ----------------------------------------------------------------------------
@pytest.mark.slow
def test_the_secret_is_in_no_report_and_not_in_the_graders_output(batch):
    for name, text in batch.texts.items():
        assert SECRET not in text and "GRADER_TEST_SECRET" not in text, name
    assert SECRET not in batch.stdout + batch.stderr
    # The submission did look: its own (scrubbed) environment is in its report, twice.
    report = batch.reports["leaks_environment"]
    assert "ENVIRONMENT {'PATH': '/usr/bin:/bin'" in report["output"]
    assert "environment: {'PATH'" in checks_of(report)["tanh_values"]["feedback"]


@pytest.mark.slow
def test_nothing_reached_the_network_and_failing_was_fast(batch):
    assert batch.connections == []
    report = batch.reports["leaks_environment"]
    network = re.search(r"^NETWORK \[(.*)\] in ([\d.]+) s$", report["output"], re.M)
    assert network, report["output"][:1000]
    attempts, seconds = network.group(1), float(network.group(2))
    assert "sent" not in attempts and "DNS answered" not in attempts
    assert seconds < 2  # no connect or DNS timeout: the network is not there at all


# -- round two: keyrings, mount names, CPU, terminals, cgroups, the grader's processes ----------------
def output_of(batch: Batch, name: str) -> str:
    return batch.reports[name].get("output", "")


@pytest.mark.slow
def test_kernel_keyrings_carry_nothing_between_submissions_or_from_the_grader(batch):
    """add_key/keyctl/request_key are denied by the syscall filter; each child has a fresh session
    keyring; /proc/keys is masked. The grader's session key (its secret) stays out of reach."""
    planted = output_of(batch, "plants_a_key")
    assert "ADDED" not in planted and "add_key refused" in planted, planted
    found = output_of(batch, "finds_planted_keys")
    assert not re.search(r"^(FOUND|LISTED|SAW)", found, re.M), found
    assert batch.keys == []  # no key of any sandbox uid is left in the kernel
    assert "keyrings" in batch.reports["alice"]["sandbox"]["syscall_filter"]


@pytest.mark.slow
def test_the_mount_table_names_no_hidden_folder(batch):
    """The child's root is fresh (pivot_root): its mountinfo lists the system, the Python
    installation and its own /tmp, never the reports folder or the submissions' folders."""
    mounts = re.findall(r"^MOUNT (\S+)$", output_of(batch, "lists_hidden_folders"), re.M)
    assert "/" in mounts and "/usr" in mounts  # it did read the table
    for hidden in (OUT_NAME, str(HOSTILE), str(ALICE.parent), str(COURSE_ROOT / "solutions"), "/home"):
        assert not any(hidden in point for point in mounts), (hidden, mounts)
    assert batch.reports["alice"]["sandbox"]["mount_table"] == "the fresh root's only"


@pytest.mark.slow
def test_a_submission_gets_one_core_and_a_bounded_number_of_processes(batch):
    output = output_of(batch, "starves_neighbours")
    assert "CORES 1" in output and "WIDENED" not in output, output
    started = re.search(r"STARTED (\d+) busy processes", output)
    assert started and 1 <= int(started.group(1)) < Limits().processes, output
    assert batch.reports["alice"]["sandbox"]["process_limit"] == Limits().processes


@pytest.mark.slow
def test_no_terminal_is_reachable_and_nothing_is_typed_into_one(batch):
    output = output_of(batch, "writes_to_terminals")
    assert not re.search(r"^(OPENED|INJECTED)", output, re.M), output
    assert "(no terminals)" in batch.reports["alice"]["sandbox"]["devices"]


@pytest.mark.slow
def test_cgroups_are_read_only_and_none_is_left_behind(batch):
    output = output_of(batch, "kills_its_cgroup")
    assert "WRITABLE" not in output, output
    assert batch.cgroups == []


@pytest.mark.slow
def test_the_graders_processes_and_reports_are_out_of_reach(batch):
    output = output_of(batch, "attacks_the_grader")
    assert "GRADER processes visible: 0" in output, output  # a PID namespace of its own
    assert not re.search(r"^(SIGNALLABLE|OPENED|READ|ATTACHED|PLANTED|REWROTE|LEFT|LOCKED|DAEMON)", output, re.M), output
    assert "GRADER processes visible: 0" in output_of(batch, "limits_and_signals_the_grader")
    tamper = output_of(batch, "tampers_with_the_grader")
    assert "GRADER package visible: False" in tamper and "WRITABLE" not in tamper, tamper
    assert all(f"score: 36  # {MARK}" not in text for text in batch.texts.values())


@pytest.mark.slow
def test_no_cgroup_is_left_when_a_zygote_dies_by_its_parent_death_signal(tmp_path):
    """The judge's process killed (SIGKILL): the zygote follows (its parent-death signal), and the
    remover it started outside the sandbox removes its cgroups."""
    script = (
        "import sys, time\n"
        "from grader.sandbox.supervisor import Sandbox\n"
        "box = Sandbox(isolation_mode='root').start().ready()\n"
        "print(box.uid, box._process.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        uid, zygote = map(int, process.stdout.readline().split())
        made = [f"{place}/grader-{uid}" for place in cgroup_places() if os.path.isdir(f"{place}/grader-{uid}")]
        assert made  # cgroups were made (this machine has them)
    finally:
        process.kill()
        process.wait()
    deadline = time.monotonic() + 30
    while (any(os.path.isdir(p) for p in made) or os.path.exists(f"/proc/{zygote}")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not os.path.exists(f"/proc/{zygote}")
    assert [p for p in made if os.path.isdir(p)] == []


# -- holes: these assert the safe behaviour and fail today ------------------------------------------
@pytest.mark.slow
def test_correct_code_elsewhere_in_the_course_is_hidden_from_submissions(batch, broken_checks):
    """Once a hole: the child can read every file of the course except solutions/, grader/hidden/, .git
    and the folders of the submissions being graded. tests/submissions/*/correct/ (and
    examples/*/, when not being graded) hold correct solutions: copies_a_correct_submission
    finds one and gets full marks without writing any code.
    Fixed by: expose only what the child needs of the course (the ``grader`` package without
    ``hidden``, the venv), e.g. ``_expose_only(COURSE_ROOT, [grader/sandbox, ...])`` like /tmp."""
    report = batch.reports["copies_a_correct_submission"]
    assert "COPIED" not in report.get("output", ""), report.get("output")
    lost = {i: t["points"] for i, t in checks_of(report).items() if t["points"] < t["max_points"]}
    assert lost == broken_checks(values("sigmoid"))


@pytest.mark.slow
def test_system_v_ipc_objects_do_not_outlive_the_sandbox(batch):
    """Once a hole: the zygote shares the host's IPC namespace. A child's System V shared memory,
    message queues and semaphores outlive it (and the grader), hold memory that no rlimit
    counts once detached, and can carry data from one submission to the next.
    Fixed by: add CLONE_NEWIPC to the zygote's unshare (root and userns), ideally one per child."""
    assert "CREATED System V objects: ['tried', 'shm', 'msg', 'sem']" in batch.reports["sysv_ipc_leftovers"]["output"]
    assert batch.ipc == []


@pytest.mark.slow
def test_other_processes_and_their_command_lines_are_invisible(batch):
    """Once a hole: no PID namespace, and /proc is the host's: a child lists every process and reads
    its command line -- the grader's, with the reports folder and the names of every other
    submission in the batch -- and prints it into its own report.
    Fixed by: CLONE_NEWPID for the children (and a /proc of their own), or mount /proc with hidepid=2."""
    output = batch.reports["reads_other_processes"].get("output", "")
    assert OUT_NAME not in output
    assert "alice" not in output and "steals_reference_from_disk" not in output


@pytest.mark.slow
def test_memory_limit_holds_for_all_processes_of_a_submission_together(batch):
    """Once a hole: ``memory_limit_mb: 1024`` is per process (RLIMIT_AS); with 64 processes a
    submission may hold 64 GB. memory_across_processes holds 2100 MB at once in 3 processes.
    Fixed by: a memory cgroup per child (memory.max, root mode), or say "per process" in the report."""
    output = batch.reports["memory_across_processes"].get("output", "")
    held = re.search(r"ALLOCATED (\d+) MB", output)
    assert held, output
    assert int(held.group(1)) <= batch.reports["memory_across_processes"]["sandbox"]["memory_limit_mb"]


@pytest.mark.slow
@pytest.mark.parametrize("name", JUDGE_CRASHERS)
def test_a_forged_load_answer_does_not_stop_the_batch(tmp_path, name):
    """Once a hole: while being imported, a child can write a frame of its own on its protocol socket;
    the judge takes it for the answer to ``load``. ``Session.load`` calls ``answer.get`` without
    checking that the answer is a dict (answers_load_with_non_dict: AttributeError), and
    ``decode`` raises ValueError, not ProtocolError, for an empty array whose shape overflows
    (answers_load_with_bad_array). Either exception kills the grading worker: the batch stops
    with exit code 2 (a traceback with --jobs 1) and no report at all, Alice's included.
    Fixed by: in ``Session.load`` treat a non-dict answer like garbage (``self._fault``); in
    ``decode``, check the shape with ``np.prod``-free arithmetic against numpy's limits (or catch
    ValueError around ``reshape``) and raise ProtocolError."""
    process, _ = run_cli([HOSTILE / f"{name}.py", ALICE], tmp_path / "out", cwd=tmp_path, jobs=1, timeout=600)
    assert process.returncode == 0, process.stderr[-2000:]
    reports, _ = read_reports(tmp_path / "out")
    assert reports[name]["status"] == "error" and reports[name]["score"] == 0
    assert reports["alice"]["score"] == reports["alice"]["max_score"] == max_points("activations")


@pytest.mark.slow
def test_in_userns_mode_a_child_cannot_signal_the_grader():
    """userns (what a laptop without root gets): the child keeps the grader's uid, but lives in
    a PID namespace of its own: the judge and the zygote are not even visible to it, and
    kill(-1) reaches only its own processes. Probed harmlessly with signal 0."""
    if not isolation.probe_user_namespaces():
        pytest.skip("no user namespaces on this machine")
    probe = (
        "import os\n"
        "def probe(pids):\n"
        "    allowed = []\n"
        "    for pid in pids:\n"
        "        try:\n"
        "            os.kill(pid, 0)\n"
        "            allowed.append(pid)\n"
        "        except OSError:\n"
        "            pass\n"
        "    return [os.getppid(), allowed, sorted(int(p) for p in os.listdir('/proc') if p.isdigit())]\n"
    )
    with Sandbox(isolation_mode="userns", limits=Limits(call_timeout_s=5)) as box:
        with Session(box, files={"activations.py": probe}, module="activations") as session:
            assert session.load() is None
            outside = [os.getpid(), box._process.pid]
            parent, allowed, visible = session.call("probe", [outside], {}).value
            assert parent == 0 and allowed == [] and visible == [1]


# -- slow ones, with a 1 s call limit ----------------------------------------------------------------
@pytest.fixture(scope="module")
def quick_sandbox():
    hide = tuple(str(p) for p in (COURSE_ROOT / "solutions", COURSE_ROOT / "grader" / "hidden", COURSE_ROOT / ".git", HOSTILE))
    with Sandbox(limits=Limits(call_timeout_s=1, import_timeout_s=3), hide=hide) as box:
        yield box


@pytest.fixture(scope="module")
def slow_results(quick_sandbox) -> dict:
    results = {}
    for name in SLOW:
        graded = grade(ACTIVATIONS, load_submission(HOSTILE / f"{name}.py", ACTIVATIONS), quick_sandbox, hidden=True)
        results[name] = (graded, wait_for_no_leftovers())
    return results


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SLOW))
def test_a_submission_that_never_returns_costs_a_time_limit_per_call_and_nothing_else(slow_results, broken_checks, name):
    threat, affected = SLOW[name]
    affected = broken_checks(affected)
    graded, leftovers = slow_results[name]
    assert len(graded.events) <= 2 * MAX_TIMEOUTS_PER_FUNCTION  # each of them one call's CPU limit
    assert graded.status == "graded"
    for result in graded.results:
        if result.id in affected:
            kept = affected[result.id]
            assert result.points == pytest.approx(kept), (result.id, result.feedback)
            assert result.status == ("timeout" if kept == 0 else "failed"), (result.id, result.feedback)
            assert "timed out" in result.feedback or "time" in result.feedback, (result.id, result.feedback)
        else:
            assert result.status == "passed" and result.points == result.max_points, (result.id, result.feedback)
    assert leftovers == []


@pytest.mark.slow
def test_gigabytes_of_output_are_cut_to_a_bounded_report(slow_results, quick_sandbox):
    graded = slow_results["prints_gigabytes"][0]
    limit = quick_sandbox.limits.output_bytes
    assert graded.output.startswith("spam spam")
    kept, _, tail = graded.output.partition("\n... (")
    assert len(kept.encode()) <= limit
    assert re.fullmatch(r"\d+ more bytes of output not kept\)", tail), tail
    assert int(tail.split()[0]) > 10 * limit  # it did print a lot
    shown = escape_output(graded.output)
    assert len(shown) <= OUTPUT_LIMIT + 100
