"""The child of the portable sandbox: a fresh interpreter that serves one submission.

Started by :class:`~grader.sandbox.portable.PortableSandbox` on any system (macOS and Windows
have no ``fork`` server and no ``SOCK_SEQPACKET``), as ``python -I -c <bootstrap> PORT LIMITS``:
it reads a one-line token on stdin, connects to ``127.0.0.1:PORT``, applies the resource limits
this system has (the :mod:`resource` module: none on Windows), and sends a hello frame::

    -> {"token": "...", "limits": {"memory_mb": 1024 | None, "cpu_s": 300 | None, ...}}
    <- {"workdir": "<the folder made for this child>"}

then answers the judge's requests with :class:`~grader.sandbox.child.Server`, in the frames of
:mod:`grader.sandbox.protocol` (a 4-byte length, then the value) over that TCP stream. What the
student's code prints goes to this process's stdout and stderr, a pipe the judge reads.
"""

from __future__ import annotations

import json
import os
import socket
import struct
import sys

LIMIT_NAMES = ("memory_mb", "cpu_s", "file_size_mb", "open_files")


def apply_limits(limits: dict) -> dict:
    """Set what ``resource`` offers here; return each limit as set, None where not in force.

    Memory is capped with ``RLIMIT_AS`` on Linux only: macOS does not enforce it."""
    applied: dict = {name: None for name in LIMIT_NAMES}
    try:
        import resource
    except ImportError:  # Windows
        return applied
    mb = 1024 * 1024
    wanted = [
        ("cpu_s", "RLIMIT_CPU", int(limits["cpu_seconds"]), 1),
        ("file_size_mb", "RLIMIT_FSIZE", int(limits["file_size_mb"]) * mb, mb),
        ("open_files", "RLIMIT_NOFILE", int(limits["open_files"]), 1),
        (None, "RLIMIT_CORE", 0, 1),
    ]
    if sys.platform.startswith("linux"):
        wanted.append(("memory_mb", "RLIMIT_AS", int(limits["memory_mb"]) * mb, mb))
    for name, which, value, unit in wanted:
        number = getattr(resource, which, None)
        if number is None:
            continue
        try:
            soft, hard = resource.getrlimit(number)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            extra = 1 if which == "RLIMIT_CPU" and hard == resource.RLIM_INFINITY else 0
            resource.setrlimit(number, (value, value + extra))
        except (ValueError, OSError):
            continue
        if name is not None:
            applied[name] = value // unit
    return applied


def not_dumpable() -> None:
    """On Linux: keep processes of the same uid (the submission served before or beside this
    child) out of this one's memory (``/proc/<pid>/mem``) from the start."""
    if sys.platform.startswith("linux"):
        from grader.sandbox import identity

        identity.set_not_dumpable()


def confine() -> dict:
    """On Linux: a fresh session keyring, no capabilities (a child of a grader running as root
    could otherwise write into the grader's memory through ``/proc/<pid>/mem`` and change a
    verdict), and the syscall filter (the grader's processes, every ancestor of this one,
    protected from signals). Returns ``keyring`` (bool) and ``syscall_filter`` ("" when
    loaded, else why not); nothing elsewhere."""
    if not sys.platform.startswith("linux"):
        return {}
    from grader.sandbox import identity, linux, seccomp

    keyring = identity.fresh_session_keyring()
    identity.drop_privileges("none", None)  # as root: every capability dropped, for good
    identity.set_not_dumpable()
    why_not = seccomp.unavailable()
    if not why_not:
        try:
            linux.prctl(identity.PR_SET_NO_NEW_PRIVS, 1)
            seccomp.install(protect=identity.ancestors())
        except OSError as exc:
            why_not = f"the kernel refused a seccomp filter ({exc.strerror or exc})"
    return {"keyring": keyring, "syscall_filter": why_not}


def _read_frame(sock: socket.socket) -> dict | None:
    from grader.sandbox.protocol import decode

    def exact(n: int) -> bytes | None:
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                return None
            data += chunk
        return data

    header = exact(4)
    if header is None:
        return None
    body = exact(struct.unpack(">I", header)[0])
    return None if body is None else decode(body)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        not_dumpable()
        port, limits = int(argv[0]), json.loads(argv[1])
        token = sys.stdin.readline().strip()
        from grader.sandbox import child  # numpy and the harness, before anything else
        from grader.sandbox.protocol import frame

        sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        sock.settimeout(None)
        applied = apply_limits(limits)
        applied.update(confine())
        sock.sendall(frame({"token": token, "limits": applied}))
        setup = _read_frame(sock)
        if not isinstance(setup, dict) or not isinstance(setup.get("workdir"), str):
            return 70
        here = setup["workdir"]
        os.chdir(here)
        keep = {k: os.environ[k] for k in ("SYSTEMROOT", "SystemRoot", "WINDIR") if k in os.environ}
        os.environ.clear()
        os.environ.update(child.ENV, HOME=here, TMPDIR=here, TEMP=here, TMP=here, **keep)
        sys.stdin = open(os.devnull)
        sys.stdout = open(1, "w", buffering=1, encoding="utf-8", errors="backslashreplace", closefd=False)
        sys.stderr = open(2, "w", buffering=1, encoding="utf-8", errors="backslashreplace", closefd=False)
        sys.path[:] = [here] + [p for p in sys.path if p and os.path.isdir(p)]
        sys.dont_write_bytecode = True
    except BaseException:  # noqa: BLE001 - the child cannot start: exit code 70 says so
        os._exit(70)
    try:
        child.Server(sock, here).serve()
    finally:
        os._exit(0)
    return 0  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())
