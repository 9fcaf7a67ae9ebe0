"""A sandbox for every laptop: a spawned child per submission, on Linux, macOS and Windows.

The Linux sandbox (:mod:`grader.sandbox.supervisor`) forks children from a zygote and talks to
it over ``AF_UNIX SOCK_SEQPACKET``; neither exists on Windows, and macOS has no namespaces.
Here each child is a fresh interpreter (``python -I``, a scrubbed environment, a session or
process group of its own) running :mod:`grader.sandbox.portable_child`; it connects back over a
loopback TCP stream, proving itself with a random token, and speaks the same frames (a 4-byte
length, then the value: :mod:`grader.sandbox.protocol`).

Its stdout and stderr are one pipe that the judge reads itself, with no thread in between, as
the Linux sandbox does, so that what the student's code printed is attributed to the call that
printed it (public or hidden checks: a report's ``output`` and ``hidden_output``). The child
flushes its streams before it sends an answer, and a write to a pipe returns only once its bytes
are in the pipe (POSIX ``write``; on Windows ``WriteFile`` on an anonymous pipe, which waits
for room when the pipe is full): so when the answer has arrived, every byte printed before it
is in the pipe or already read, and :meth:`~grader.sandbox.supervisor.Session.call` reads the
pipe empty before it returns the answer. Nothing the child prints can forge that order: it
rests on the pipe and the socket, not on a marker in the output. On POSIX the pipe is
non-blocking and waited on with ``select`` like the socket. On Windows ``select`` takes sockets
only: the session looks at the pipe between its waits (``PeekNamedPipe`` says how many bytes
are there, so a read never blocks; a broken pipe with nothing left is the end), at once again
while output flows, every :data:`~grader.sandbox.supervisor.POLL_S` otherwise
(:attr:`PortableChild.output_polled`). When a child ends, :meth:`PortableSandbox.end` reads
what its last moments left in the pipe (up to :data:`TAIL_BYTES`) after it is killed, and the
session takes it (:attr:`PortableChild.tail`): nothing printed just before an exit or a crash
is lost. What a process of the submission prints by itself after an answer (a thread, a
process in the background) belongs to no call: it is read when it comes, as in the Linux
sandbox, and at the latest when the session ends, before the output is split.

What holds: isolation ``none`` (the child sees the files and network the student sees), the
resource limits this system has (CPU time, file size, open files; memory on Linux; none on
Windows), time limits on every call (CPU time of the child and its descendants where /proc
exists, else elapsed time: :class:`PortableMeter`), and the child and its process group killed
at the end. On Linux also: the syscall filter of :mod:`~grader.sandbox.seccomp` (the grader's
processes cannot be signalled or traced, keyrings are out of reach), a fresh session keyring
in the child, no capabilities in it (as root), and the grader and every child not dumpable, so
that no child writes into another process's memory (``/proc/<pid>/mem``: a verdict of the
judge, the next child started ahead); and where the sandbox has a process of its own (``reap=True``: a grading worker)
that process is a subreaper, so that whatever the child started, in a session of its own or
not, is found and killed when the child ends. Elsewhere (``grader check``, macOS, Windows) a
process that left the child's process group lives on. :attr:`PortableSandbox.in_force` says
what held.

It is chosen by ``--isolation portable``, by ``GRADER_PORTABLE=1``, and wherever the Linux
sandbox cannot run (any system but Linux): see :func:`wanted`.
"""

from __future__ import annotations

import json
import os
import secrets
import selectors
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import cast

from grader.errors import SandboxUnavailable
from grader.sandbox.isolation import Limits
from grader.sandbox.isolation import purpose as isolation_purpose
from grader.sandbox.protocol import FrameReader, decode, frame

__all__ = ["PortableChild", "PortableMeter", "PortableSandbox", "wanted"]

START_TIMEOUT_S = 60.0
PENDING_MAX = 64  # connections waiting for their hello at once (a submission may open many and say nothing)
TAIL_BYTES = 4 << 20  # read at most this much of a pipe after its child ended (a stray may write on)
_Selector = getattr(selectors, "PollSelector", selectors.DefaultSelector)
PASSTHROUGH_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "SYSTEMROOT", "SystemRoot", "WINDIR")


def wanted(isolation_mode: str) -> bool:
    """Whether to use the portable sandbox: asked for (``portable``, ``GRADER_PORTABLE=1``), or
    the system is not Linux (where ``auto`` and ``none`` mean it too)."""
    if isolation_mode == "portable" or os.environ.get("GRADER_PORTABLE", "") not in ("", "0"):
        return True
    return not sys.platform.startswith("linux")


def _environment() -> dict[str, str]:
    from grader.sandbox.child import ENV

    env = dict(ENV)
    env["PYTHONIOENCODING"] = "utf-8"
    for name in PASSTHROUGH_ENV:
        if name in os.environ:
            env[name] = os.environ[name]
    if os.name == "nt":  # Windows finds its DLLs through PATH
        env["PATH"] = os.environ.get("PATH", "")
    return env


class PortableChild:
    """One spawned child: its process, the protocol stream, and the pipe of its output.

    ``output_fd`` is the pipe's read end; :meth:`read_output` reads it without blocking.
    ``output_polled``: ``select`` cannot wait on the pipe (Windows; forced in tests to try that
    path on Linux), so the session reads it between its waits. ``tail``: what the pipe held
    once the child had ended (:meth:`PortableSandbox.end`), for the session to take."""

    def __init__(self, process: subprocess.Popen, sock: socket.socket, limits: dict, *, polled: bool | None = None) -> None:
        assert process.stdout is not None
        self.process = process
        self.pid = process.pid
        self.sock = sock
        self.limits = limits
        self.output_fd = process.stdout.fileno()
        self.output_polled = os.name == "nt" if polled is None else polled
        self.tail = b""
        if sys.platform != "win32":
            os.set_blocking(self.output_fd, False)

    def read_output(self, size: int) -> bytes:
        """Up to ``size`` bytes the child printed and the judge has not read yet; raises
        BlockingIOError when there are none now, returns b"" at the end of the pipe."""
        if sys.platform != "win32":
            return os.read(self.output_fd, size)
        import _winapi
        import msvcrt

        try:  # with no size: (bytes there, bytes left of the message)
            available = _winapi.PeekNamedPipe(msvcrt.get_osfhandle(self.output_fd))[0]
        except OSError:  # ERROR_BROKEN_PIPE: every writer has closed it, and nothing is left
            return b""
        if not isinstance(available, int) or not available:
            raise BlockingIOError
        return os.read(self.output_fd, min(size, available))  # there: the read does not block

    def drain(self) -> None:
        """Once the child has ended: keep in :attr:`tail` what is left in the pipe, up to the
        end of the pipe or, while a process outside the child's reach still holds it, up to
        what is there now (at most :data:`TAIL_BYTES`)."""
        chunks: list[bytes] = []
        size = 0
        while self.output_fd >= 0 and size < TAIL_BYTES:
            try:
                chunk = self.read_output(1 << 16)
            except (BlockingIOError, InterruptedError):
                break
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        self.tail += b"".join(chunks)

    def close(self) -> None:
        for closing in (self.sock, self.process.stdout):
            try:
                if closing is not None:
                    closing.close()
            except OSError:
                pass
        self.output_fd = -1


class PortableMeter:
    """The seconds a spawned child used, as :class:`~grader.sandbox.cputime.TreeMeter` counts
    them: CPU time of the child and its descendants from /proc (Linux), else the time elapsed
    since it started serving (macOS, Windows: a busy machine may then cost a slow call)."""

    def __init__(self, pid: int) -> None:
        from grader.sandbox.cputime import TreeMeter

        self.pid = pid
        self.seconds = 0.0
        self._proc = os.path.isdir(f"/proc/{pid}")
        self._tree = TreeMeter(pid) if self._proc else None
        self._started = time.monotonic()

    def _own(self) -> tuple[float, bool]:
        from grader.sandbox.cputime import TICKS, read_stat

        stat = read_stat(self.pid)
        return (0.0, False) if stat is None else (stat[2] / TICKS, stat[1] == "R")

    def scan(self) -> tuple[float, bool]:
        """``(seconds in all, whether a process of the child is running)``."""
        if self._tree is None:
            self.seconds = max(self.seconds, time.monotonic() - self._started)
            return self.seconds, True
        below, running_below = self._tree.scan()
        own, running = self._own()
        self.seconds = max(self.seconds, below + own)
        return self.seconds, running or running_below

    def quick(self) -> float:
        if self._tree is None:
            return self.scan()[0]
        self.seconds = max(self.seconds, self._tree.quick() + self._own()[0])
        return self.seconds


class PortableSandbox:
    """The :class:`~grader.sandbox.supervisor.Sandbox` interface with spawned children.

    ``hide`` and ``private`` are accepted and not enforced (isolation ``none``): the report
    says the solutions and hidden checks are readable. ``reap``: the calling process does
    nothing else (Linux: it becomes a subreaper and kills, at each child's end, every process
    it has but the children it serves)."""

    mode = "none"

    def __init__(
        self,
        *,
        limits: Limits | None = None,
        hide: tuple[str, ...] = (),
        private: tuple[str, ...] = (),
        worker: int = 0,
        reap: bool = False,
    ) -> None:
        self.limits = limits or Limits()
        self._listener: socket.socket | None = None
        self._reap = reap
        self._reaper = False  # Linux, reap: orphans of the children become ours, to be killed
        self._spare: tuple[subprocess.Popen, str] | None = None
        self._waiting: dict[str, tuple[socket.socket, dict]] = {}  # token -> accepted, its hello
        self._pending: dict[socket.socket, FrameReader] = {}  # accepted, their hello not whole yet
        self._children: dict[int, PortableChild] = {}
        self._in_force: dict = {}
        self._applied: dict | None = None

    # -- lifecycle --------------------------------------------------------------------
    def start(self) -> PortableSandbox:
        """Listen on the loopback, and start one child ahead (it warms up while the judge imports)."""
        try:
            self._listener = socket.create_server(("127.0.0.1", 0))
        except OSError as exc:
            raise SandboxUnavailable(f"cannot listen on 127.0.0.1 ({exc.strerror})") from None
        if sys.platform.startswith("linux"):  # the children's uid is ours: keep them out of our memory
            from grader.sandbox import identity

            identity.set_not_dumpable()
        if self._reap and sys.platform.startswith("linux"):
            from grader.sandbox import identity

            try:
                identity.set_subreaper()
                self._reaper = True
            except OSError:
                pass
        self._spare = self._launch()
        return self

    def ready(self) -> PortableSandbox:
        return self

    @property
    def in_force(self) -> dict:
        """What confines the children, for the report's ``sandbox:`` section."""
        if self._applied is None:  # no child started yet: ask one
            self.end(self.spawn(None))
        applied = self._applied or {}
        limits = self.limits
        said = {
            "isolation": "none",
            "purpose": isolation_purpose("none"),
            "portable": f"spawned interpreter per submission ({sys.platform}); no namespaces, no separate user",
            "process": "spawned child, own " + ("process group" if os.name == "nt" else "session"),
            "uid": "same",
            "network": "shared",
            "filesystem": "shared",
            "solutions_and_hidden_checks": "readable",
            "other_folders": "visible",
            "cleanup": "descendants tracked and killed" if self._reaper else (
                "the child's process group killed" if os.name != "nt" else "the child killed"
            ),
            "memory_limit_mb": applied.get("memory_mb") or "none",
            "memory_limit_applies_to": "each process" if applied.get("memory_mb") else "none",
            "cpu_limit_s": applied.get("cpu_s") or "none",
            "call_timeout_s": limits.call_timeout_s,
            "file_size_limit_mb": applied.get("file_size_mb") or "none",
            "process_limit": "none",
            "environment": "scrubbed",
        }
        if "syscall_filter" in applied:  # Linux
            from grader.sandbox import seccomp

            why_not = applied["syscall_filter"] if isinstance(applied["syscall_filter"], str) else "unknown"
            said["syscall_filter"] = seccomp.describe("none", why_not)
            said["keyring"] = ("a fresh, empty session keyring" if applied.get("keyring") else "the grader's session keyring") + (
                "; key syscalls denied" if not why_not else ""
            )
        return said

    def close(self) -> None:
        if self._spare is not None:
            process, _ = self._spare
            self._spare = None
            _kill(process)
            if process.stdout is not None:
                process.stdout.close()
        for child in list(self._children.values()):
            self.end(child)
        for sock, _ in self._waiting.values():
            sock.close()
        self._waiting.clear()
        for sock in self._pending:
            sock.close()
        self._pending.clear()
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def __enter__(self) -> PortableSandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- children ---------------------------------------------------------------------
    def _launch(self) -> tuple[subprocess.Popen, str]:
        assert self._listener is not None
        port = self._listener.getsockname()[1]
        package_parent = str(Path(__file__).resolve().parents[2])
        bootstrap = (
            "import sys, importlib.util\n"
            f"if importlib.util.find_spec('grader') is None: sys.path.append({package_parent!r})\n"
            "from grader.sandbox.portable_child import main\n"
            "sys.exit(main())\n"
        )
        token = secrets.token_hex(16)
        options: dict = {"start_new_session": True} if os.name != "nt" else {
            "creationflags": subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined]
        }
        try:
            process = subprocess.Popen(
                [sys.executable, "-I", "-c", bootstrap, str(port), json.dumps(asdict(self.limits))],
                env=_environment(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                cwd=os.path.expanduser("~") if os.name == "nt" else "/",
                **options,
            )
            assert process.stdin is not None
            process.stdin.write(f"{token}\n".encode())
            process.stdin.close()
        except OSError as exc:
            raise SandboxUnavailable(f"cannot start a Python child ({exc})") from None
        return process, token

    def _connect(self, process: subprocess.Popen, token: str) -> tuple[socket.socket, dict]:
        """The stream of the child with ``token``, and the limits it applied.

        Every connection waits for its hello at the same time: one that says nothing (a process
        a submission left behind, holding a connection open) delays no other child."""
        assert self._listener is not None
        deadline = time.monotonic() + START_TIMEOUT_S
        self._listener.setblocking(False)
        try:
            with _Selector() as selector:
                selector.register(self._listener, selectors.EVENT_READ, None)
                for sock, reader in self._pending.items():
                    selector.register(sock, selectors.EVENT_READ, reader)
                while token not in self._waiting:
                    left = deadline - time.monotonic()
                    if left <= 0 or process.poll() is not None:
                        _kill(process)
                        raise SandboxUnavailable("the Python child did not start (it ended or did not connect within 60 s)")
                    for key, _ in selector.select(min(left, 0.5)):
                        if key.data is None:
                            self._accept(selector)
                        else:
                            self._hello(selector, cast(socket.socket, key.fileobj), key.data)
        finally:
            self._listener.setblocking(True)
        sock, hello = self._waiting.pop(token)
        sock.setblocking(True)
        return sock, hello.get("limits") or {}

    def _accept(self, selector: selectors.BaseSelector) -> None:
        """Take a new connection, to wait for its hello beside the others (at most
        :data:`PENDING_MAX`: beyond, the oldest is dropped)."""
        assert self._listener is not None
        try:
            sock, _ = self._listener.accept()
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            return
        sock.setblocking(False)
        if len(self._pending) >= PENDING_MAX:
            oldest = next(iter(self._pending))
            self._drop(selector, oldest)
        reader = FrameReader(max_size=1 << 16)
        self._pending[sock] = reader
        selector.register(sock, selectors.EVENT_READ, reader)

    def _hello(self, selector: selectors.BaseSelector, sock: socket.socket, reader: FrameReader) -> None:
        """Read what ``sock`` sent; once its hello is whole, keep it by its token."""
        try:
            data = sock.recv(1 << 16)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        try:
            frames = reader.feed(data) if data else []
            hello = decode(frames[0]) if frames else None
        except Exception:  # noqa: BLE001 - ProtocolError, or whatever garbage provokes: not a child of ours
            data, hello = b"", None
        if hello is None and data:
            return  # not whole yet
        selector.unregister(sock)
        del self._pending[sock]
        if isinstance(hello, dict) and isinstance(hello.get("token"), str):
            self._waiting[hello["token"]] = (sock, hello)
        else:
            sock.close()

    def _drop(self, selector: selectors.BaseSelector, sock: socket.socket) -> None:
        selector.unregister(sock)
        del self._pending[sock]
        sock.close()

    def spawn(self, workdir: str | None) -> PortableChild:
        """A child ready to serve in ``workdir`` (a fresh folder the session made)."""
        process, token = self._spare if self._spare is not None else self._launch()
        self._spare = None
        sock, applied = self._connect(process, token)
        self._applied = applied if isinstance(applied, dict) else {}
        try:
            sock.settimeout(None)
            sock.sendall(frame({"workdir": workdir or os.path.abspath(os.curdir)}))
        except OSError as exc:
            sock.close()
            _kill(process)
            raise SandboxUnavailable(f"lost the Python child ({exc})") from None
        sock.setblocking(False)
        child = PortableChild(process, sock, self._applied)
        self._children[child.pid] = child
        return child

    def meter(self, child: PortableChild) -> PortableMeter:
        """What the session reads the child's time from."""
        return PortableMeter(child.pid)

    def end(self, child: PortableChild, *, grace: float = 0.0) -> dict:
        """Kill the child and its process group; return how it ended (like the zygote's ``end``).
        ``grace``: seconds to wait first for a child that is ending by itself. What is left in
        its output pipe is then in ``child.tail``."""
        self._children.pop(child.pid, None)
        try:
            if grace > 0:
                try:
                    child.process.wait(timeout=grace)
                except subprocess.TimeoutExpired:
                    pass
            code = child.process.poll()
            _kill(child.process)
            if self._reaper:
                self._kill_strays()
            child.drain()  # what it printed in its last moments (its writes are done: it is dead)
            if code is None:
                code = child.process.returncode
            return {"signal": -code} if code is not None and code < 0 else {"exit": code}
        finally:
            child.close()


    def _kill_strays(self) -> None:
        """Kill what the ended child left behind (orphans, reparented to this process), but for
        the spare child and the children still being served."""
        from grader.sandbox.identity import descendants

        keep = {child.pid for child in self._children.values()}
        if self._spare is not None:
            keep.add(self._spare[0].pid)
        kept = keep | {pid for root in keep for pid in descendants(root)}
        killed: set[int] = set()
        for _ in range(100):
            found = [pid for pid in descendants(os.getpid()) if pid not in kept]
            if not found:
                break
            for pid in found:
                try:
                    os.kill(pid, signal.SIGKILL)
                    killed.add(pid)
                except OSError:
                    pass
            time.sleep(0.001)
        for pid in killed:  # reap those that became ours (not the Popen objects' children)
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass


def _kill(process: subprocess.Popen) -> None:
    """Kill the child and, on POSIX, its session's process group (what it started, unless it
    left the group)."""
    try:
        if os.name != "nt":
            os.killpg(process.pid, signal.SIGKILL)
        elif process.poll() is None:
            process.kill()
    except OSError:
        pass
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover
        process.kill()
        process.wait()
