"""What graded code may import, the same on every machine: the standard library, numpy, and the
submission's own files (the rule :func:`grader.submission.statements.allowed_modules` states).

A student's laptop may have matplotlib or pandas installed, the grader's child may have pytest
and yaml already imported (a forked child inherits them), a macOS child may have neither. So
that ``grader check`` and the public part of ``grader grade`` give the same verdict everywhere,
an import statement run by the student's code (a module among the submission's files) of any
other top-level module raises ``ModuleNotFoundError("No module named 'matplotlib'")``, as on a
machine without it; the loader then grades the file without its demo code, with a note
(:meth:`grader.submission.model.Submission.without_demo_code`). This is parity for honest
code, not a barrier: confinement is the sandbox's.
"""

from __future__ import annotations

import builtins
import sys
from collections.abc import Set

__all__ = ["restrict_imports"]


def restrict_imports(student_modules: Set[str]) -> None:
    """Make import statements in the modules named in ``student_modules`` (a live set: names
    added later count) refuse top-level modules other than the standard library, numpy and
    ``student_modules``. Imports made by any other module (numpy's own, the harness's) are
    left alone. Call it once per child process."""
    allowed = frozenset(sys.stdlib_module_names) | {"numpy"}
    original = builtins.__import__

    def guarded(name, globals=None, locals=None, fromlist=(), level=0):  # noqa: A002 (builtins' names)
        if level == 0 and isinstance(globals, dict) and globals.get("__name__") in student_modules:
            top = name.partition(".")[0]
            if top not in allowed and top not in student_modules:
                raise ModuleNotFoundError(f"No module named {top!r}", name=top)
        return original(name, globals, locals, fromlist, level)

    builtins.__import__ = guarded
