"""Reading a student's files safely: regular files only, never through a link, within limits."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from grader.i18n import _
from grader.submission.model import Refused

__all__ = [
    "MAX_FILES",
    "MAX_NOTEBOOK_BYTES",
    "MAX_TOTAL_BYTES",
    "digest",
    "megabytes",
    "os_reason",
    "read_bytes",
    "source_problem",
]

MAX_TOTAL_BYTES = 5 * 1024 * 1024  # the code a submission hands in, together (a notebook: its code cells)
MAX_FILES = 100  # Python files in a submission folder
# A notebook's file also carries its outputs (plots as base64): they are dropped before the
# code is measured against MAX_TOTAL_BYTES, but a file larger than this is not even read.
MAX_NOTEBOOK_BYTES = 64 * 1024 * 1024


def digest(data: bytes) -> str:
    """The sha256 of ``data``, as 64 hexadecimal digits."""
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: Path, *, shown_as: str, limit: int, advice: str = "") -> bytes:
    """The bytes of the regular file ``path`` (at most ``limit``), not following a link.

    Raises :class:`Refused` (with ``shown_as`` in its message, and ``advice`` after the size
    limit's) when the file cannot be read, is not a regular file, or is larger than ``limit``.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise Refused(_("cannot read {name}: {reason}").format(name=shown_as, reason=os_reason(exc))) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Refused(_("{name} is not a regular file").format(name=shown_as))
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise Refused(_("cannot read {name}: {reason}").format(name=shown_as, reason=os_reason(exc))) from None
    finally:
        os.close(fd)
    if size > limit:
        raise Refused(
            _("{name} is larger than {limit}, the limit for a file").format(name=shown_as, limit=megabytes(limit))
            + (_(advice) if advice else "")
        )
    return b"".join(chunks)


def os_reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def source_problem(shown_as: str, data: bytes) -> str | None:
    """Why ``data`` cannot be Python source text, or None. A UTF-8 BOM is fine."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _("{name} is saved as UTF-16 text: save it as UTF-8").format(name=shown_as)
    if b"\x00" in data:
        return _("{name} contains a NUL byte: is it really a Python file?").format(name=shown_as)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return _("{name} is not valid UTF-8 text (line {line}, byte 0x{byte:02x}): save it as UTF-8").format(
            name=shown_as, line=line, byte=data[exc.start]
        )
    return None
