"""The few Linux system calls the sandbox makes through ctypes, with errors raised as OSError.

Python's standard library has no ``prctl``, ``unshare``, ``mount``, ``pivot_root``, ``keyctl``
or the new mount API (``open_tree``/``move_mount``); these wrappers call them from the C
library already loaded in the process (``CDLL(None)``), so that no file needs to be found once
the file system is confined. Syscall numbers that differ between architectures come from
libseccomp when it is there (:func:`syscall_number`), else from a small table.
"""

from __future__ import annotations

import ctypes
import os
import platform

__all__ = ["check", "libc", "mount", "prctl", "syscall", "syscall_number", "umount", "unshare"]

# The same numbers on every architecture (the new mount API).
OPEN_TREE, MOVE_MOUNT = 428, 429
# Numbers that differ: x86_64 and aarch64, the machines this grader runs on.
_NUMBERS = {
    "x86_64": {"pivot_root": 155, "keyctl": 250},
    "aarch64": {"pivot_root": 41, "keyctl": 219},
}


def libc() -> ctypes.CDLL:
    """The C library of this process (its symbols are in the main program's namespace)."""
    return ctypes.CDLL(None, use_errno=True)


def check(result: int, what: str) -> int:
    """``result`` if it is not negative, else OSError from errno, naming ``what``."""
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")
    return result


def syscall_number(name: str) -> int | None:
    """The number of system call ``name`` on this machine, or None if unknown."""
    try:
        import pyseccomp

        number = pyseccomp.resolve_syscall(pyseccomp.system_arch(), name)
        if isinstance(number, int) and number >= 0:
            return number
    except Exception:  # noqa: BLE001 - libseccomp missing, or too old to know the name
        pass
    return _NUMBERS.get(platform.machine(), {}).get(name)


def syscall(number: int, *args: int | bytes | None, what: str) -> int:
    """Make system call ``number``; OSError on failure."""
    lib = libc()
    lib.syscall.restype = ctypes.c_long
    converted = [ctypes.c_long(a) if isinstance(a, int) else a for a in args]
    return check(lib.syscall(ctypes.c_long(number), *converted), what)


def prctl(option: int, arg: int = 0) -> None:
    lib = libc()
    lib.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    check(lib.prctl(option, arg, 0, 0, 0), f"prctl({option})")


def unshare(flags: int) -> None:
    check(libc().unshare(flags), "unshare")


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    lib = libc()
    lib.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
    enc = lambda s: None if s is None else os.fsencode(s)  # noqa: E731
    check(lib.mount(enc(source), enc(target), enc(fstype), flags, enc(data)), f"mount {target}")


def umount(target: str, flags: int = 0) -> None:
    check(libc().umount2(os.fsencode(target), flags), f"umount {target}")
