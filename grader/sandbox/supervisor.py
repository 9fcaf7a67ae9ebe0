"""The judge's end of the sandbox: start the zygote, run one child per submission, talk to it.

:class:`Sandbox` owns a zygote (one per grading worker). :class:`Session` is one submission:
it spawns a child, loads the student's files, sends calls and waits for answers within the
time budgets of :mod:`grader.sandbox.budget` (CPU time, and time not running) while draining
the child's output into a bounded buffer. When the child dies or overruns a budget, the call
raises a :class:`SubmissionFault`; the next call starts a fresh child. A zygote that dies is
started again. Everything read from the child goes through :class:`~grader.sandbox.protocol.FrameReader`
and :func:`~grader.sandbox.protocol.decode`: plain data, bounded sizes, no pickles.
"""

from __future__ import annotations

import builtins
import json
import os
import re
import selectors
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, cast

import numpy as np

try:  # POSIX; on Windows only the portable sandbox (grader.sandbox.portable) runs
    import fcntl
    import pwd
    import termios
except ImportError:  # pragma: no cover
    fcntl = pwd = termios = None  # type: ignore[assignment]

from grader import i18n
from grader.errors import SandboxUnavailable
from grader.results import ChildError
from grader.sandbox import isolation
from grader.sandbox.budget import Budget, budget_for
from grader.sandbox.cputime import TreeMeter
from grader.sandbox.isolation import Limits, SandboxConfig
from grader.sandbox.protocol import FrameReader, ProtocolError, as_received, decode, frame

__all__ = [
    "Call",
    "Sandbox",
    "Session",
    "StudentRaised",
    "SubmissionCrashed",
    "SubmissionFault",
    "SubmissionTimedOut",
]

UID_BASE = 61000
PASSTHROUGH_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
EXIT_GRACE_S = 5.0  # how long a child that closed its end may take to end, before it is killed
FIRST_LOOK_S, LOOK_EVERY_S = 0.02, 0.2  # a call's processes are looked at after 20 ms, 40 ms, ... 200 ms
POLL_S = 0.002  # an output pipe select() cannot wait on (Windows) is looked at this often while it is quiet
ZYGOTE_RESTARTS = 3  # attempts to start a lost zygote again before giving up


# poll(2) where it exists: no descriptor to create and close for every call, as epoll has.
_Selector = getattr(selectors, "PollSelector", selectors.DefaultSelector)


class SubmissionFault(Exception):
    """Something the submission did that ends a call. ``str(exc)`` is the student's feedback."""


class StudentRaised(SubmissionFault):
    """The student's function raised an exception (or is missing, or returned junk)."""

    def __init__(self, function: str, error: dict, *, files: dict[str, str] | None = None) -> None:
        super().__init__(describe_error(function, error, files))
        self.function, self.error = function, error
        self.files = files  # the submission's files, to check the place an error gives

    def without_message(self) -> str:
        """The sentence for hidden checks: nothing in it is text the student's code chose (which
        may hold a hidden input). The exception's message is left out; its type is named only
        when it is one of Python's or numpy's (:data:`KNOWN_TYPES`), else "an exception of a
        class defined in your file"; the place is the file and line of the submission where it
        was raised (checked against the submission's files), without the function's name."""
        error = dict(self.error)
        kind = error.get("kind")
        where = safe_where(str(error.get("where", "")), self.files)
        if kind == "missing":
            if error.get("message") in {pattern.format(name=self.function) for pattern in _MISSING}:
                return describe_error(self.function, error, self.files)  # the grader's own sentence
            return i18n._("your code has no usable {function}: define {function} with the name and arguments of the "
                          "assignment").format(function=self.function)
        if kind == "bad_return":
            return i18n._("{function} returned something that is not numbers: return a numpy array").format(
                function=self.function)
        if kind == "exit":
            return i18n._("{function} called sys.exit(...){at}: return a value instead").format(
                function=self.function, at=f" ({where})" if where else "")
        if error.get("type") == "NotImplementedError":
            return describe_error(self.function, error, self.files)
        type_name = str(error.get("type", ""))
        shown = type_name if type_name in KNOWN_TYPES else i18n._("an exception of a class defined in your file")
        return i18n._("{function} raised {type}{at}").format(
            function=self.function, type=shown, at=f" ({where})" if where else "")


class SubmissionCrashed(SubmissionFault):
    """The child process ended (exit, signal, memory) or broke the protocol."""


class SubmissionTimedOut(SubmissionFault):
    """A call, the import or the whole submission went over a time budget.

    ``budget`` says which: ``"call"`` (one call, or the import), or ``"submission"`` (all its
    checks together); ``resource`` what ran out: ``"cpu"`` (CPU time), ``"idle"`` (time not
    running: sleeping, blocked) or ``"wall"`` (elapsed time); ``limit`` is that budget in
    seconds, when known.
    """

    def __init__(self, message: str, *, budget: str = "call", resource: str = "cpu", limit: float | None = None) -> None:
        super().__init__(message)
        self.budget = budget
        self.resource = resource
        self.limit = limit


# Exception and warning types named in hidden feedback: Python's and numpy's, whose names the
# student's code cannot choose (a class of theirs is "a class defined in your file").
KNOWN_TYPES = frozenset(
    name for name, value in vars(builtins).items() if isinstance(value, type) and issubclass(value, BaseException)
) | frozenset({
    "LinAlgError", "AxisError", "DTypePromotionError", "TooHardError", "ComplexWarning",
    "VisibleDeprecationWarning", "RankWarning", "ModuleDeprecationWarning", "NumbersAsObjects",
})

# numpy's floating-point warnings ("overflow encountered in exp"): shown whole in hidden feedback
# when the operation named is one of numpy's ufuncs (or a cast), the rest by category only.
_NUMPY_FP = re.compile(r"(overflow|divide by zero|invalid value|underflow) encountered in ([a-z0-9_]{1,32})")
_PLACE = re.compile(r"([A-Za-z0-9_.-]{1,100}), line ([0-9]{1,7})")


def safe_where(where: str, files: dict[str, str] | None) -> str:
    """``"activations.py, line 6"`` from the child's ``"activations.py, line 6, in tanh"`` when
    that file is one of the submission's (``files``: name to text) and has that line, else "".

    The child runs the student's code, which may make up a file name, a line or a function's
    name to carry a hidden input; only a real line of a real file of theirs is shown.

    >>> safe_where("activations.py, line 1, in tanh", {"activations.py": "import numpy as np"})
    'activations.py, line 1'
    """
    found = _PLACE.match(where)
    if found is None or files is None:
        return ""
    name, line = found.group(1), int(found.group(2))
    text = files.get(name)
    if text is None or not 1 <= line <= text.count("\n") + 1:
        return ""
    return f"{name}, line {line}"


def told_where(where: str, files: dict[str, str] | None) -> str:
    """The child's place (``"activations.py, line 6, in tanh"``) as feedback that shows the
    student's own message may give it: whole when its file is one of the submission's
    (``files``: name to text) and has that line, and the function's name is a name
    (``<module>``, ``<lambda>``... included); the file and line alone when only the name is
    not; else "". The child runs the student's code, which may forge a traceback: a line the
    file lacks, or a function's name holding text of its own, would be a place that lies.

    >>> told_where("activations.py, line 1, in tanh", {"activations.py": "import numpy as np"})
    'activations.py, line 1, in tanh'
    >>> told_where("activations.py, line 4242, in tanh", {"activations.py": "import numpy as np"})
    ''
    """
    place = safe_where(where, files)
    if not place:
        return ""
    name = where[len(place):].removeprefix(", in ")
    if where.startswith(place + ", in ") and len(name) <= 100 and (name.isidentifier() or _CODE_NAME.fullmatch(name)):
        return where
    return place


_CODE_NAME = re.compile(r"<[a-z]{1,20}>")  # <module>, <lambda>, <listcomp>, <genexpr>...


def hidden_warning(text: str, files: dict[str, str] | None) -> str:
    """A warning as the child reports it (``"RuntimeWarning: overflow encountered in exp
    (activations.py, line 3)"``), reduced to what hidden feedback may show: a category of
    Python's or numpy's (else "a warning of a class defined in your file"), numpy's own
    floating-point message, and a real line of the submission. The student's code may choose
    a warning's message: any other message is left out.

    >>> hidden_warning("RuntimeWarning: overflow [1000.0, 710.0]", None)
    'RuntimeWarning'
    """
    category, _, rest = text.partition(": ")
    place = ""
    if rest.endswith(")") and " (" in rest:
        rest, _, place = rest[:-1].rpartition(" (")
    shown = category if category in KNOWN_TYPES else i18n._("a warning of a class defined in your file")
    fp = _NUMPY_FP.fullmatch(rest)
    if category in KNOWN_TYPES and fp and (fp.group(2) == "cast" or isinstance(getattr(np, fp.group(2), None), np.ufunc)):
        shown += f": {rest}"
    elif category == "NumbersAsObjects":
        shown += ": " + rest[:200]  # the grader's own note (only its prefix is read)
    where = safe_where(place, files)
    return shown + (f" ({where})" if where else "")


def describe_error(function: str, error: dict, files: dict[str, str] | None = None) -> str:
    """A student-facing sentence for an error the child reported; the place it names is
    checked against the submission's ``files`` when given (:func:`told_where`)."""
    kind, type_name = error.get("kind"), error.get("type", "Exception")
    message, where = error.get("message", ""), error.get("where", "")
    if files is not None:
        where = told_where(str(where), files)
    at = f" ({where})" if where else ""
    if kind == "missing":
        return i18n._(
            "your code {problem}: define {function} with the name and arguments of the assignment"
        ).format(problem=_missing(message), function=function)
    if kind == "bad_return":
        return f"{function} {i18n._(message)}"
    if kind == "exit":
        return i18n._("{function} called sys.exit({code}){at}: return a value instead").format(
            function=function, code=message, at=at
        )
    if type_name == "NotImplementedError":
        return i18n._("{function} is not implemented yet (it raises NotImplementedError)").format(function=function)
    return i18n._("{function} raised {type}: {message}{at}").format(
        function=function, type=type_name, message=message, at=at
    )


_MISSING = (
    i18n.N_("has no function {name}"),
    i18n.N_("has no class {name}"),
    i18n.N_("defines a non-callable {name}"),
)


def _missing(message: str) -> str:
    """The child's ``has no function sigmoid``, in the run's language."""
    for pattern in _MISSING:
        prefix = pattern.removesuffix("{name}")
        if message.startswith(prefix):
            return i18n._(pattern).format(name=message[len(prefix) :])
    return i18n._(message)


def describe_status(status: dict) -> str:
    """How a child process ended, in words."""
    if status.get("signal") is not None:
        number = status["signal"]
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = i18n._("signal {number}").format(number=number)
        why = {
            "SIGSEGV": i18n.N_("a crash in C code, e.g. through ctypes or endless recursion"),
            "SIGKILL": i18n.N_("killed: out of memory, over a time limit, or stopped by the grader"),
            "SIGXCPU": i18n.N_("over the CPU time limit"),
            "SIGXFSZ": i18n.N_("wrote a file over the size limit"),
            "SIGABRT": i18n.N_("aborted"),
        }.get(name, "")
        if why:
            return i18n._("was killed by {name} ({why})").format(name=name, why=i18n._(why))
        return i18n._("was killed by {name}").format(name=name)
    code = status.get("exit")
    return i18n._("ended") if code is None else i18n._("exited with code {code}").format(code=code)


@dataclass
class Call:
    """A successful call: what the function returned, and the arguments as it left them."""

    value: Any
    args: list
    kwargs: dict
    warnings: list[str] = field(default_factory=list)


def _unread(fd: int) -> bool:
    """Whether ``fd`` (a socket or a pipe) holds bytes not read yet."""
    if fd < 0 or fcntl is None:
        return False
    try:
        return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0] > 0
    except OSError:
        return False


def _error_of(answer: dict) -> dict:
    """The error a child reported, as short strings whatever it sent."""
    error = answer.get("error")
    return {_text(k): _text(v, 600) for k, v in error.items()} if isinstance(error, dict) else {}


def _text(value: object, limit: int | None = None) -> str:
    """``str(value)`` (its first ``limit`` characters) as text every report format can hold:
    a lone surrogate (which the protocol carries as the child's code made it) is written as
    the visible escape ``\\ud800``, so that no report refuses it (libyaml reads no YAML
    holding one, and Gradescope's JSON must be UTF-8)."""
    text = str(value)[:limit]
    return text if text.isascii() else text.encode("utf-8", "backslashreplace").decode("utf-8")


def scrubbed_environment() -> dict[str, str]:
    """The zygote's whole environment: an allow-list, nothing from the grader's."""
    from grader.sandbox.child import ENV

    env = dict(ENV)
    for name in PASSTHROUGH_ENV:
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def _reserve_uid(start: int) -> tuple[int, int]:
    """A uid with no account and no running process, at or above ``start``, and the file
    descriptor of the lock that keeps every other sandbox on this machine off it."""
    uid = start
    while True:
        uid = _free_uid(uid)
        fd = os.open(f"/tmp/.grader-uid-{uid}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return uid, fd
        except BlockingIOError:
            os.close(fd)
            uid += 1


def _free_uid(start: int) -> int:
    """A uid with no account and no running process, at or above ``start``."""
    busy = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                busy.add(os.stat(f"/proc/{entry}").st_uid)
            except OSError:
                pass
    uid = start
    while True:
        try:
            pwd.getpwuid(uid)
        except KeyError:
            if uid not in busy:
                return uid
        uid += 1


class Sandbox:
    """A zygote and its configuration; use as a context manager, one per grading worker."""

    def __init__(
        self,
        *,
        limits: Limits | None = None,
        isolation_mode: str = "auto",
        hide: tuple[str, ...] = (),
        private: tuple[str, ...] = (),
        uid: int | None = None,
        worker: int = 0,
    ) -> None:
        self.limits = limits or Limits()
        try:
            self.mode = isolation.detect_mode(isolation_mode)
        except (PermissionError, ValueError) as exc:
            raise SandboxUnavailable(str(exc)) from None
        self._uid_lock: int | None = None
        if uid is None and (self.mode == "root" or (self.mode == "none" and os.geteuid() == 0)):
            uid, self._uid_lock = _reserve_uid(UID_BASE + 10 * worker)
            if self.mode == "none" and not isolation.own_uid_works(uid):  # root's uid then, without capabilities
                os.close(self._uid_lock)
                uid, self._uid_lock = None, None
        self.uid = uid if self.mode in ("root", "none") else None
        self.config = SandboxConfig(
            mode=self.mode, limits=self.limits, uid=self.uid, hide=tuple(hide), private=tuple(private), worker=worker
        )
        self._process: subprocess.Popen | None = None
        self._ctl: socket.socket | None = None
        self._waiting = False
        self._in_force: dict = {}
        self._lost = False  # the zygote died (killed, or out of memory): start it again
        self._restarts = 0  # restarts of the zygote since a child was last spawned

    # -- zygote ---------------------------------------------------------------------
    def start(self) -> Sandbox:
        if self.mode != "root":
            # A child with the grader's own uid must not read this process's memory.
            isolation.set_not_dumpable()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        package_parent = str(Path(__file__).resolve().parents[2])
        bootstrap = (
            "import sys, importlib.util\n"
            "sys.path[:] = [p for p in sys.path if p]\n"  # not the current folder
            f"if importlib.util.find_spec('grader') is None: sys.path.append({package_parent!r})\n"
            "from grader.sandbox.zygote import main\n"
            "sys.exit(main())\n"
        )
        try:
            # Not -I: its -E would ignore PYTHONHASHSEED (string hashes, and so the order of
            # sets of strings, would change from run to run). The environment is ours alone
            # (scrubbed_environment); -s keeps the user's site-packages out.
            self._process = subprocess.Popen(
                [sys.executable, "-s", "-c", bootstrap, str(theirs.fileno())],
                env=scrubbed_environment(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                pass_fds=(theirs.fileno(),),
                start_new_session=True,
                cwd="/",
            )
        finally:
            theirs.close()
        self._ctl = ours
        try:
            ours.send(json.dumps(self.config.to_plain()).encode())
        except OSError as exc:
            self.close()
            raise SandboxUnavailable(f"the zygote did not start ({exc})") from None
        self._waiting = True
        return self

    def ready(self) -> Sandbox:
        """Wait until the zygote is ready (it warms up while the judge imports its own things)."""
        if not self._waiting:
            return self
        assert self._ctl is not None
        self._ctl.settimeout(60)
        try:
            reply = json.loads(self._ctl.recv(1 << 16) or b"{}")
        except (OSError, ValueError) as exc:
            self.close()
            raise SandboxUnavailable(f"the zygote did not start ({exc})") from None
        if "ready" not in reply:
            self.close()
            raise SandboxUnavailable(reply.get("error", "the zygote did not start"))
        self._ctl.settimeout(None)
        self._waiting = False
        self._in_force = self._describe(reply["ready"])
        return self

    @property
    def zygote_pid(self) -> int:
        """The zygote's pid: every process of the current submission descends from it."""
        self.ready()
        if self._process is None:
            raise SandboxUnavailable("the sandbox is closed")
        return self._process.pid

    @property
    def in_force(self) -> dict:
        """What confines the children, for the report's ``sandbox:`` section."""
        return self.ready()._in_force

    def _describe(self, namespaces: dict) -> dict:
        return isolation.describe(self.mode, self.limits, namespaces)

    def _control(self, request: dict, fds: Sequence[int] = ()) -> dict:
        self.ready()
        if self._ctl is None:
            raise SandboxUnavailable("the sandbox is closed")
        data = json.dumps(request).encode()
        try:
            if fds:
                socket.send_fds(self._ctl, [data], list(fds))
            else:
                self._ctl.send(data)
            reply = self._ctl.recv(1 << 16)
        except OSError as exc:
            self._lost = True
            raise SandboxUnavailable(f"lost the zygote ({exc})") from None
        if not reply:
            self._lost = True
            raise SandboxUnavailable("the zygote ended unexpectedly")
        return json.loads(reply)

    def _restart(self) -> None:
        """Start a lost zygote again (the same configuration, the same uid)."""
        if self._restarts >= ZYGOTE_RESTARTS:
            raise SandboxUnavailable(f"the zygote died and could not be started again ({self._restarts} attempts)")
        self._restarts += 1
        self._stop_zygote()
        self._lost = False
        self.start().ready()

    def spawn(self, workdir: str | None) -> Child:
        """A fresh child from the zygote (started again first if it was lost)."""
        if self._lost or (self._process is not None and self._process.poll() is not None):
            self._restart()
        try:
            child = self._spawn(workdir)
        except SandboxUnavailable:
            if not self._lost:
                raise
            self._restart()
            child = self._spawn(workdir)
        self._restarts = 0
        return child

    def _spawn(self, workdir: str | None) -> Child:
        judge_end, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        out_r, out_w = os.pipe()
        try:
            reply = self._control({"op": "spawn", "workdir": workdir}, [child_end.fileno(), out_w])
        except BaseException:
            judge_end.close()
            os.close(out_r)
            raise
        finally:
            child_end.close()
            os.close(out_w)
        judge_end.setblocking(False)
        os.set_blocking(out_r, False)
        return Child(pid=int(reply["pid"]), sock=judge_end, output_fd=out_r)

    def end(self, child: Child, *, grace: float = 0.0) -> dict:
        """Kill the child and all it started; return how it ended.

        ``grace``: seconds to wait for a child that is ending by itself, so that its own exit
        status is read before anything kills it. With the zygote lost, the child is killed from
        here (its status is then unknown: ``{}``).
        """
        try:
            if not self._lost:
                try:
                    return self._control({"op": "end", "pid": child.pid, "grace": grace}).get("status", {})
                except SandboxUnavailable:
                    pass
            for kill in (os.killpg, os.kill):  # without namespaces the child outlives its zygote
                try:
                    kill(child.pid, signal.SIGKILL)
                except OSError:
                    pass
            return {}
        finally:
            child.close()

    def close(self) -> None:
        self._stop_zygote()
        if self._uid_lock is not None:
            os.close(self._uid_lock)
            self._uid_lock = None

    def _stop_zygote(self) -> None:
        self._waiting = False
        if self._ctl is not None:
            try:
                self._ctl.send(json.dumps({"op": "quit"}).encode())
            except OSError:
                pass
            self._ctl.close()
            self._ctl = None
        if self._process is not None:
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None

    def __enter__(self) -> Sandbox:
        return self.start().ready()

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class Child:
    pid: int
    sock: socket.socket
    output_fd: int

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass
        if self.output_fd >= 0:
            try:
                os.close(self.output_fd)
            except OSError:
                pass
            self.output_fd = -1


class Session:
    """One submission in the sandbox: its child, restarted when it dies, and its output."""

    MAX_RESTARTS = 8

    def __init__(self, sandbox: Sandbox, *, files: dict[str, str], module: str, budget: Budget | None = None) -> None:
        self.sandbox = sandbox
        self.files = files
        self.module = module
        self.limits = sandbox.limits
        self.budget = budget or budget_for(module)
        self.idle_s = 0.0  # seconds its processes spent not running during calls, in all
        self._cpu_of_ended = 0.0  # CPU seconds of its children that ended
        self._meter: TreeMeter | None = None
        self._reseed = False
        self.output = bytearray()
        self.output_dropped = 0
        self.events: list[str] = []
        self._child: Child | None = None
        self._workdir: str | None = None
        self._started = time.monotonic()
        self._restarts = 0

    # -- lifecycle ----------------------------------------------------------------------
    def load(self) -> ChildError | None:
        """Start a child and import the submission; None when it loaded, else the error dict."""
        if self.sandbox.mode == "none":  # a fresh folder for every child (elsewhere: a fresh /tmp)
            if self._workdir is not None:
                shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = tempfile.mkdtemp(prefix="grader-child-")
            os.chmod(self._workdir, 0o700)
            uid = getattr(self.sandbox, "uid", None)
            if uid is not None:  # none mode as root: the child's own uid
                os.chown(self._workdir, uid, uid)
        self._child = self.sandbox.spawn(self._workdir)
        # The portable sandbox (macOS, Windows) measures its spawned child itself.
        meter = getattr(self.sandbox, "meter", None)
        self._meter = meter(self._child) if meter is not None else TreeMeter(self.sandbox.zygote_pid)
        request = {"op": "load", "files": self.files, "module": self.module}
        try:
            answer = self._exchange(request, timeout=self.limits.import_timeout_s, what=i18n._("importing {module}.py").format(module=self.module))
            self._meter.scan()  # from now on, the meter knows the child's processes
        except SubmissionTimedOut as exc:
            return {"kind": "timeout", "message": str(exc)}
        except SubmissionCrashed as exc:
            return {"kind": "crash", "message": str(exc)}
        if not isinstance(answer, dict):
            self._stop_child()
            return {
                "kind": "crash",
                "message": i18n._(
                    "importing {module}.py gave no proper answer (the submission wrote to the grader's channel?)"
                ).format(module=self.module),
            }
        if answer.get("ok") is True:
            return None
        self._stop_child()
        return cast(ChildError, _error_of(answer))

    def close(self) -> None:
        self._stop_child()
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _stop_child(self, *, ending: bool = False) -> dict:
        """Kill the child; how it ended. ``ending``: it closed its end, so its own exit status
        is awaited before anything kills it (an ``os._exit(0)`` reads as such, every time)."""
        if self._child is None:
            return {}
        child, self._child = self._child, None
        self._read_output(child)
        if self._meter is not None:
            self._cpu_of_ended += self._meter.quick()
            getattr(self._meter, "close", lambda: None)()
            self._meter = None
        status = self.sandbox.end(child, grace=EXIT_GRACE_S if ending else 0.0)
        self._keep_output(getattr(child, "tail", b""))  # a portable child: what it printed as it ended
        return status

    @property
    def cpu_s(self) -> float:
        """CPU seconds the submission's processes used so far, in all (restarts included)."""
        return self._cpu_of_ended + (self._meter.seconds if self._meter is not None else 0.0)

    def begin_check(self) -> None:
        """A check starts: the child seeds ``random`` and numpy's global generator again before
        the check's first call, so that unseeded student code draws the same in every run."""
        self._reseed = True

    def _request(self, request: dict) -> dict:
        if self._reseed:
            request["reseed"] = True
            self._reseed = False
        return request

    # -- calls ------------------------------------------------------------------------
    def call(
        self,
        function: str,
        args: list,
        kwargs: dict,
        *,
        timeout: float | None = None,
        kind: str = "call",
        handle: int | None = None,
    ) -> Call:
        """Call ``function`` in the child; raise a :class:`SubmissionFault` if it fails.

        ``kind`` is ``call`` (a function of the module), ``new`` (instantiate a class),
        ``method``, ``get`` or ``set`` (on the object ``handle`` stands for), ``keep`` (keep a
        copy of the array ``args[0]`` in the child, answered with a handle) or ``assign``
        (``kept[...] = args[0]`` on the array ``handle`` stands for).
        """
        limit = self._time_left(timeout)
        request: dict[str, Any] = {"op": "call", "kind": kind, "fn": function, "args": list(args), "kwargs": dict(kwargs)}
        if handle is not None:
            request["handle"] = handle
        answer = self._exchange(self._request(request), timeout=limit, what=function)
        return self._answer(function, answer, request["args"], request["kwargs"])

    def call_batch(self, calls: list[tuple[str, list, dict]], *, timeout: float | None = None) -> list[Call | StudentRaised]:
        """Several calls in one round trip, run in order by the child; the whole batch must
        keep within one call's time limit. Each item is a :class:`Call` or the
        :class:`StudentRaised` that call would raise."""
        limit = self._time_left(timeout)
        request = {"op": "batch", "calls": [{"fn": f, "args": list(a), "kwargs": dict(k)} for f, a, k in calls]}
        names = sorted({f for f, _, _ in calls})
        what = i18n._("{count} calls of {names}").format(count=len(calls), names=", ".join(names))
        answer = self._exchange(self._request(request), timeout=limit, what=what)
        answers = answer.get("answers") if isinstance(answer, dict) else None
        if not isinstance(answers, list) or len(answers) != len(calls):
            self._fault(i18n._("the submission's process answered a batch of calls with something else"))
        results: list[Call | StudentRaised] = []
        for (function, args, kwargs), item in zip(calls, answers):
            try:
                results.append(self._answer(function, item, args, kwargs))
            except StudentRaised as exc:
                results.append(exc)
        return results

    def _time_left(self, timeout: float | None) -> float:
        """A live child (restarted if need be) and the time the next request may take: one
        call's limit, if the submission has not used up its budget."""
        self._check_submission()
        if self._child is None:
            self._restart()
        return timeout or self.limits.call_timeout_s

    def _check_submission(self) -> None:
        """Raise :class:`SubmissionTimedOut` if the submission went over its budget in all."""
        budget = self.budget
        if self.cpu_s > budget.cpu_s:
            resource, limit = "cpu", budget.cpu_s
            basis = f" ({budget.told()})" if budget.basis else ""
            message = i18n._("the submission used up the {limit} s of CPU time it may use for all its checks{basis}").format(
                limit=f"{limit:g}", basis=basis
            )
        elif self.idle_s > budget.idle_s:
            resource, limit = "idle", budget.idle_s
            message = i18n._(
                "the submission spent {limit} s in all not running (sleeping, or blocked waiting for something) during its calls"
            ).format(limit=f"{limit:g}")
        elif time.monotonic() - self._started > budget.wall_s:
            resource, limit = "wall", budget.wall_s
            message = i18n._("grading the submission took longer than {limit} s in all").format(limit=f"{limit:g}")
        else:
            return
        if message not in self.events:
            self.events.append(message)
        if self._child is not None:
            self._stop_child()
        raise SubmissionTimedOut(
            i18n._("{message}; the remaining checks were not run").format(message=message),
            budget="submission",
            resource=resource,
            limit=limit,
        )

    def _answer(self, function: str, answer: Any, args: list, kwargs: dict) -> Call:
        """The child's answer to a call of ``function`` with ``args`` and ``kwargs`` (as sent).
        An answer without ``args`` says the call left every argument as it was sent."""
        if not isinstance(answer, dict) or "ok" not in answer:
            self._fault(i18n._("the submission's process answered {function} with something that is not an answer").format(function=function))
        warnings = answer.get("warnings")
        warnings = [_text(w, 300) for w in warnings if isinstance(w, str)][:20] if isinstance(warnings, list) else []
        if answer["ok"] is True:
            if "args" not in answer:  # the arguments as the child got them: copies of the judge's
                args_after, kwargs_after = as_received(list(args)), as_received(dict(kwargs))
            else:
                args_after, kwargs_after = answer.get("args"), answer.get("kwargs")
            return Call(
                value=answer.get("value"),
                args=args_after if isinstance(args_after, list) else [],
                kwargs=kwargs_after if isinstance(kwargs_after, dict) else {},
                warnings=warnings,
            )
        raise StudentRaised(function, _error_of(answer), files=self.files)

    def _restart(self) -> None:
        if self._restarts >= self.MAX_RESTARTS:
            raise SubmissionCrashed(
                i18n.ngettext(
                    "the submission's process died {count} time; the remaining checks were not run",
                    "the submission's process died {count} times; the remaining checks were not run",
                    self._restarts,
                ).format(count=self._restarts)
            )
        self._restarts += 1
        problem = self.load()
        if problem is not None:
            raise SubmissionCrashed(
                i18n._("the submission could not be loaded again: {problem}").format(problem=problem.get("message", ""))
            )

    def _fault(self, message: str, *, timeout: float | None = None, idle: bool = False, ending: bool = False) -> NoReturn:
        """End the child and raise: :class:`SubmissionTimedOut` when it went over ``timeout``
        (the per-call limit, in seconds, of CPU time or, with ``idle``, of time not running),
        else :class:`SubmissionCrashed` with how it ended. ``ending``: the child closed its
        end by itself."""
        status = self._stop_child(ending=ending)
        if status.get("signal") == signal.SIGXCPU:
            timeout, idle = float(self.limits.cpu_seconds), False
            message += i18n._(": it used up the {limit} s of CPU time one process may use").format(limit=self.limits.cpu_seconds)
        if timeout is not None:
            self.events.append(message)
            raise SubmissionTimedOut(message, budget="call", resource="idle" if idle else "cpu", limit=timeout)
        text = i18n._("{message}: the process {status}").format(message=message, status=describe_status(status)) if status else message
        self.events.append(text)
        raise SubmissionCrashed(text)

    def _exchange(self, request: dict, *, timeout: float, what: str) -> Any:
        """Send ``request``, return the child's answer (decoded plain data).

        ``timeout`` is the call's limit: that many seconds of CPU time of all the
        submission's processes, and as many seconds during which none of them was running.
        Both are checked while the call runs (at growing intervals, up to every 0.2 s) and
        once more when the answer has come, so that the verdict depends on the CPU time
        used, not on when it was looked at.
        """
        child, meter = self._child, self._meter
        assert child is not None and meter is not None
        outgoing = memoryview(frame(request))
        reader = FrameReader()
        cpu_before, looked = meter.quick(), False
        last = time.monotonic()
        interval, idle = FIRST_LOOK_S, 0.0
        outgoing = outgoing[self._send(child, outgoing, what):]  # most requests fit the socket's buffer
        with _Selector() as selector:
            selector.register(child.sock, selectors.EVENT_READ | (selectors.EVENT_WRITE if outgoing else 0), "sock")
            # A pipe select() cannot wait on (Windows) is read between the waits instead.
            polled, poll_wait = bool(getattr(child, "output_polled", False)), POLL_S
            if not polled:
                selector.register(child.output_fd, selectors.EVENT_READ, "out")
            while True:
                now = time.monotonic()
                if now - last >= interval:  # a look at the submission's processes
                    cpu, running = meter.scan()
                    looked = True
                    # Not running, and not because the judge is behind with reading what the
                    # child writes, or with sending the request (the judge is slow under load).
                    waiting_for_judge = bool(outgoing) or _unread(child.sock.fileno()) or _unread(child.output_fd)
                    if not running and not waiting_for_judge:
                        idle += now - last
                        self.idle_s += now - last
                    last, interval = now, min(2 * interval, LOOK_EVERY_S)
                    self._check_time(cpu - cpu_before, idle, timeout=timeout, what=what)
                wait = max(0.0, last + interval - time.monotonic())
                if polled:  # soon again while output flows, backing off to every POLL_S while it is quiet
                    kept = len(self.output) + self.output_dropped
                    polled = self._read_output(child)
                    flowing = len(self.output) + self.output_dropped > kept
                    poll_wait = POLL_S / 64 if flowing else min(2 * poll_wait, POLL_S)
                    wait = min(wait, poll_wait)
                for key, events in selector.select(wait):
                    if key.data == "out":
                        if not self._read_output(child):
                            selector.unregister(child.output_fd)
                        continue
                    if events & selectors.EVENT_WRITE and outgoing:
                        outgoing = outgoing[self._send(child, outgoing, what):]
                        if not outgoing:
                            selector.modify(child.sock, selectors.EVENT_READ, "sock")
                    if events & selectors.EVENT_READ:
                        try:
                            data = child.sock.recv(1 << 20)
                        except BlockingIOError:
                            continue
                        except OSError:
                            data = b""
                        if not data:
                            self._fault(i18n._("the submission's process ended during {what}").format(what=what), ending=True)
                        try:
                            frames = reader.feed(data)
                        except ProtocolError as exc:
                            self._fault(i18n._("the submission's process sent garbage during {what} ({error})").format(what=what, error=exc))
                        if frames:
                            if len(frames) > 1 or reader.pending:
                                self._fault(i18n._("the submission's process sent more than one answer during {what}").format(what=what))
                            cpu = meter.scan()[0] if looked else meter.quick()
                            self._check_time(cpu - cpu_before, idle, timeout=timeout, what=what)
                            try:
                                answer = decode(frames[0])
                            except Exception as exc:  # noqa: BLE001 - ProtocolError, or anything a lie provokes
                                self._fault(
                                    i18n._("the submission's process sent garbage during {what} ({error})").format(what=what, error=exc)
                                )
                            self._read_output(child)
                            return answer

    def _send(self, child: Child, outgoing: memoryview, what: str) -> int:
        """Send what the socket takes of ``outgoing`` now (at most 1 MiB); the bytes sent."""
        try:
            return child.sock.send(outgoing[: 1 << 20])
        except BlockingIOError:
            return 0
        except OSError:
            self._fault(i18n._("the submission's process stopped listening during {what}").format(what=what), ending=True)
        return 0  # pragma: no cover - _fault raises

    def _check_time(self, cpu: float, idle: float, *, timeout: float, what: str) -> None:
        """Raise if the call (``cpu`` and ``idle`` seconds so far) or the submission went over."""
        if cpu > timeout:
            self._fault(
                i18n._("{what} used more than {limit} s of CPU time, the limit for one call (an endless loop?)").format(
                    what=what, limit=f"{timeout:g}"
                ),
                timeout=timeout,
            )
        if idle > timeout:
            self._fault(
                i18n._("{what} did not finish: it spent {limit} s not running (sleeping, or blocked waiting for something)").format(
                    what=what, limit=f"{timeout:g}"
                ),
                timeout=timeout,
                idle=True,
            )
        self._check_submission()

    # -- output -----------------------------------------------------------------------
    def _read_output(self, child: Child) -> bool:
        """Move what the child printed into the bounded buffer; False at end of stream.

        Reads at most 1 MiB per call, so that a child printing without end cannot keep the
        judge from its deadline: as much as a pipe holds (an unprivileged process may make its
        pipe 1 MiB at most), so that after an answer, everything printed before it is read.
        """
        for _ in range(16):
            if child.output_fd < 0:
                return False
            try:  # a portable child reads its pipe its own way (Windows: without blocking)
                read = getattr(child, "read_output", None)
                chunk = read(1 << 16) if read is not None else os.read(child.output_fd, 1 << 16)
            except BlockingIOError:
                return True
            except OSError:
                return False
            if not chunk:
                return False
            self._keep_output(chunk)
        return True

    def _keep_output(self, chunk: bytes) -> None:
        """Keep ``chunk`` within the output limit; count what does not fit."""
        room = max(self.limits.output_bytes - len(self.output), 0)
        self.output += chunk[:room]
        self.output_dropped += max(len(chunk) - room, 0)

    def output_text(self) -> str:
        text = self.output.decode("utf-8", "replace")
        if self.output_dropped:
            text += "\n... " + i18n._("({count} more bytes of output not kept)").format(count=self.output_dropped)
        return text
