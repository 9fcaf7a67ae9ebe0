"""The judge's end of the sandbox: start the zygote, run one child per submission, talk to it.

:class:`Sandbox` owns a zygote (one per grading worker). :class:`Session` is one submission:
it spawns a child, loads the student's files, sends calls and waits for answers under a
deadline while draining the child's output into a bounded buffer. When the child dies or
overruns a deadline, the call raises a :class:`SubmissionFault`; the next call starts a fresh
child. Everything read from the child goes through :class:`~grader.sandbox.protocol.FrameReader`
and :func:`~grader.sandbox.protocol.decode`: plain data, bounded sizes, no pickles.
"""

from __future__ import annotations

import fcntl
import json
import os
import pwd
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.errors import SandboxUnavailable
from grader.sandbox import isolation
from grader.sandbox.isolation import Limits, SandboxConfig
from grader.sandbox.protocol import FrameReader, ProtocolError, decode, frame

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


class SubmissionFault(Exception):
    """Something the submission did that ends a call. ``str(exc)`` is the student's feedback."""


class StudentRaised(SubmissionFault):
    """The student's function raised an exception (or is missing, or returned junk)."""

    def __init__(self, function: str, error: dict) -> None:
        super().__init__(describe_error(function, error))


class SubmissionCrashed(SubmissionFault):
    """The child process ended (exit, signal, memory) or broke the protocol."""


class SubmissionTimedOut(SubmissionFault):
    """A call or the import did not finish within its time limit."""


def describe_error(function: str, error: dict) -> str:
    """A student-facing sentence for an error the child reported."""
    kind, type_name = error.get("kind"), error.get("type", "Exception")
    message, where = error.get("message", ""), error.get("where", "")
    at = f" ({where})" if where else ""
    if kind == "missing":
        return f"your code {message}: define {function} with the name and arguments of the assignment"
    if kind == "bad_return":
        return f"{function} {message}"
    if kind == "exit":
        return f"{function} called sys.exit({message}){at}: return a value instead"
    if type_name == "NotImplementedError":
        return f"{function} is not implemented yet (it raises NotImplementedError)"
    return f"{function} raised {type_name}: {message}{at}"


def describe_status(status: dict) -> str:
    """How a child process ended, in words."""
    if status.get("signal") is not None:
        number = status["signal"]
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        why = {
            "SIGSEGV": "a crash in C code, e.g. through ctypes or endless recursion",
            "SIGKILL": "killed: out of memory, over a time limit, or stopped by the grader",
            "SIGXCPU": "over the CPU time limit",
            "SIGXFSZ": "wrote a file over the size limit",
            "SIGABRT": "aborted",
        }.get(name, "")
        return f"was killed by {name}" + (f" ({why})" if why else "")
    code = status.get("exit")
    return "ended" if code is None else f"exited with code {code}"


@dataclass
class Call:
    """A successful call: what the function returned, and the arguments as it left them."""

    value: Any
    args: list
    kwargs: dict
    warnings: list[str] = field(default_factory=list)


def _error_of(answer: dict) -> dict:
    """The error a child reported, as short strings whatever it sent."""
    error = answer.get("error") if isinstance(answer.get("error"), dict) else {}
    return {str(k): str(v)[:600] for k, v in error.items()}


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
        if self.mode == "root" and uid is None:
            uid, self._uid_lock = _reserve_uid(UID_BASE + 10 * worker)
        self.uid = uid if self.mode == "root" else None
        self.config = SandboxConfig(
            mode=self.mode, limits=self.limits, uid=self.uid, hide=tuple(hide), private=tuple(private), worker=worker
        )
        self._process: subprocess.Popen | None = None
        self._ctl: socket.socket | None = None
        self._waiting = False
        self._in_force: dict = {}

    # -- zygote ---------------------------------------------------------------------
    def start(self) -> "Sandbox":
        if self.mode != "root":
            # A child with the grader's own uid must not read this process's memory.
            isolation.set_not_dumpable()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        package_parent = str(Path(__file__).resolve().parents[2])
        bootstrap = (
            "import sys, importlib.util\n"
            f"if importlib.util.find_spec('grader') is None: sys.path.append({package_parent!r})\n"
            "from grader.sandbox.zygote import main\n"
            "sys.exit(main())\n"
        )
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-I", "-c", bootstrap, str(theirs.fileno())],
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

    def ready(self) -> "Sandbox":
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
    def in_force(self) -> dict:
        """What confines the children, for the report's ``sandbox:`` section."""
        return self.ready()._in_force

    def _describe(self, namespaces: dict) -> dict:
        return isolation.describe(self.mode, self.limits, namespaces)

    def _control(self, request: dict, fds: list[int] = ()) -> dict:
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
            raise SandboxUnavailable(f"lost the zygote ({exc})") from None
        if not reply:
            raise SandboxUnavailable("the zygote ended unexpectedly")
        return json.loads(reply)

    def spawn(self, workdir: str | None) -> "Child":
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

    def end(self, child: "Child") -> dict:
        """Kill the child and all it started; return how it ended."""
        try:
            return self._control({"op": "end", "pid": child.pid}).get("status", {})
        finally:
            child.close()

    def close(self) -> None:
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
        if self._uid_lock is not None:
            os.close(self._uid_lock)
            self._uid_lock = None

    def __enter__(self) -> "Sandbox":
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

    def __init__(self, sandbox: Sandbox, *, files: dict[str, str], module: str) -> None:
        self.sandbox = sandbox
        self.files = files
        self.module = module
        self.limits = sandbox.limits
        self.output = bytearray()
        self.output_dropped = 0
        self.events: list[str] = []
        self._child: Child | None = None
        self._workdir: str | None = None
        self._started = time.monotonic()
        self._restarts = 0

    # -- lifecycle ----------------------------------------------------------------------
    def load(self) -> dict | None:
        """Start a child and import the submission; None when it loaded, else the error dict."""
        if self.sandbox.mode == "none":  # a fresh folder for every child (elsewhere: a fresh /tmp)
            if self._workdir is not None:
                shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = tempfile.mkdtemp(prefix="grader-child-")
            os.chmod(self._workdir, 0o700)
        self._child = self.sandbox.spawn(self._workdir)
        request = {"op": "load", "files": self.files, "module": self.module}
        try:
            answer = self._exchange(request, timeout=self.limits.import_timeout_s, what=f"importing {self.module}.py")
        except SubmissionTimedOut:
            return {"kind": "timeout", "message": f"importing {self.module}.py took longer than {self.limits.import_timeout_s:g} s"}
        except SubmissionCrashed as exc:
            return {"kind": "crash", "message": str(exc)}
        if not isinstance(answer, dict):
            self._stop_child()
            return {"kind": "crash", "message": f"importing {self.module}.py gave no proper answer (the submission wrote to the grader's channel?)"}
        if answer.get("ok") is True:
            return None
        self._stop_child()
        return _error_of(answer)

    def close(self) -> None:
        self._stop_child()
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _stop_child(self) -> dict:
        if self._child is None:
            return {}
        child, self._child = self._child, None
        self._read_output(child)
        return self.sandbox.end(child)

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
        ``method``, ``get`` or ``set`` (on the object ``handle`` stands for).
        """
        limit = self._time_left(timeout)
        request = {"op": "call", "kind": kind, "fn": function, "args": list(args), "kwargs": dict(kwargs)}
        if handle is not None:
            request["handle"] = handle
        return self._answer(function, self._exchange(request, timeout=limit, what=function))

    def call_batch(self, calls: list[tuple[str, list, dict]], *, timeout: float | None = None) -> list[Call | StudentRaised]:
        """Several calls in one round trip, run in order by the child; the whole batch must
        finish within one call's time limit. Each item is a :class:`Call` or the
        :class:`StudentRaised` that call would raise."""
        limit = self._time_left(timeout)
        request = {"op": "batch", "calls": [{"fn": f, "args": list(a), "kwargs": dict(k)} for f, a, k in calls]}
        names = sorted({f for f, _, _ in calls})
        answer = self._exchange(request, timeout=limit, what=f"{len(calls)} calls of {', '.join(names)}")
        answers = answer.get("answers") if isinstance(answer, dict) else None
        if not isinstance(answers, list) or len(answers) != len(calls):
            self._fault("the submission's process answered a batch of calls with something else")
        results: list[Call | StudentRaised] = []
        for (function, _, _), item in zip(calls, answers):
            try:
                results.append(self._answer(function, item))
            except StudentRaised as exc:
                results.append(exc)
        return results

    def _time_left(self, timeout: float | None) -> float:
        """A live child (restarted if need be) and the time the next request may take: one
        call's limit, within what is left of the submission's."""
        if self._child is None:
            self._restart()
        remaining = self.limits.submission_timeout_s - (time.monotonic() - self._started)
        if remaining <= 0:
            raise SubmissionTimedOut(f"the submission used up its {self.limits.submission_timeout_s:g} s in all")
        return min(timeout or self.limits.call_timeout_s, remaining)

    def _answer(self, function: str, answer: Any) -> Call:
        if not isinstance(answer, dict) or "ok" not in answer:
            self._fault(f"the submission's process answered {function} with something that is not an answer")
        warnings = answer.get("warnings")
        warnings = [w[:300] for w in warnings if isinstance(w, str)][:20] if isinstance(warnings, list) else []
        if answer["ok"] is True:
            args_after = answer.get("args")
            return Call(
                value=answer.get("value"),
                args=args_after if isinstance(args_after, list) else [],
                kwargs=answer.get("kwargs") if isinstance(answer.get("kwargs"), dict) else {},
                warnings=warnings,
            )
        raise StudentRaised(function, _error_of(answer))

    def _restart(self) -> None:
        if self._restarts >= self.MAX_RESTARTS:
            raise SubmissionCrashed(
                f"the submission's process died {self._restarts} times; the remaining checks were not run"
            )
        self._restarts += 1
        problem = self.load()
        if problem is not None:
            raise SubmissionCrashed(f"the submission could not be loaded again: {problem.get('message', '')}")

    def _fault(self, message: str, *, timeout: bool = False) -> None:
        status = self._stop_child()
        if status.get("signal") == signal.SIGXCPU:
            timeout = True
            message += f": it used up its {self.limits.cpu_seconds} s of CPU time"
        if timeout:
            self.events.append(message)
            raise SubmissionTimedOut(message)
        text = f"{message}: the process {describe_status(status)}" if status else message
        self.events.append(text)
        raise SubmissionCrashed(text)

    def _exchange(self, request: dict, *, timeout: float, what: str) -> Any:
        child = self._child
        assert child is not None
        outgoing = memoryview(frame(request))
        reader = FrameReader()
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as selector:
            selector.register(child.sock, selectors.EVENT_READ | selectors.EVENT_WRITE, "sock")
            selector.register(child.output_fd, selectors.EVENT_READ, "out")
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    self._fault(f"{what} did not finish within {timeout:g} s (an endless loop?)", timeout=True)
                for key, events in selector.select(left):
                    if key.data == "out":
                        if not self._read_output(child):
                            selector.unregister(child.output_fd)
                        continue
                    if events & selectors.EVENT_WRITE and outgoing:
                        try:
                            sent = child.sock.send(outgoing[: 1 << 20])
                        except BlockingIOError:
                            sent = 0
                        except OSError:
                            self._fault(f"the submission's process stopped listening during {what}")
                        outgoing = outgoing[sent:]
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
                            self._fault(f"the submission's process ended during {what}")
                        try:
                            frames = reader.feed(data)
                        except ProtocolError as exc:
                            self._fault(f"the submission's process sent garbage during {what} ({exc})")
                        if frames:
                            if len(frames) > 1 or reader.pending:
                                self._fault(f"the submission's process sent more than one answer during {what}")
                            try:
                                answer = decode(frames[0])
                            except Exception as exc:  # ProtocolError, or anything a lie provokes
                                self._fault(f"the submission's process sent garbage during {what} ({exc})")
                            self._read_output(child)
                            return answer

    # -- output -----------------------------------------------------------------------
    def _read_output(self, child: Child) -> bool:
        """Move what the child printed into the bounded buffer; False at end of stream.

        Reads at most 1 MiB per call, so that a child printing without end cannot keep the
        judge from its deadline.
        """
        for _ in range(16):
            if child.output_fd < 0:
                return False
            try:
                chunk = os.read(child.output_fd, 1 << 16)
            except BlockingIOError:
                return True
            except OSError:
                return False
            if not chunk:
                return False
            room = self.limits.output_bytes - len(self.output)
            self.output += chunk[: max(room, 0)]
            self.output_dropped += max(len(chunk) - max(room, 0), 0)
        return True

    def output_text(self) -> str:
        text = self.output.decode("utf-8", "replace")
        if self.output_dropped:
            text += f"\n... ({self.output_dropped} more bytes of output not kept)"
        return text
