"""The digest of what grades an assignment, recorded in every report as ``rubric``.

Two reports with the same ``rubric`` were graded by the same checks for the same points:
``grader grade`` skips a submission whose report has the same files (``sha256``) and the
same rubric, and the gradebook prefers reports of the current rubric over older ones.

The digest covers, in this order: the grader's version, each suite's source (public, then
hidden), each check's id, visibility and points (as the suites declare them), and the
reference solution's files. A change in any of them (a fixed check, new points, a new hidden
check, a corrected reference) changes the digest, and a class is then regraded. A change in
the grader's own library code that changes verdicts should come with a new version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from grader import __version__
from grader.course import Assignment
from grader.results import CheckSpec

__all__ = ["rubric_digest"]

_HEX = 16  # 64 bits: enough to tell rubrics apart, short enough to read in a report


def rubric_digest(assignment: Assignment, specs: Iterable[CheckSpec], *, version: str = __version__) -> str:
    """``sha256:<16 hex digits>`` of the rubric of ``assignment`` graded with ``specs``.

    Reads the suite files (every module of a hidden suite split into a package) and the reference solution (``solutions/<name>/*.py``); a missing
    hidden suite or reference (a students' copy of the grader) is digested as absent.
    """
    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        digest.update(f"{label} {len(data)}\n".encode())
        digest.update(data)

    add("grader", version.encode())
    add("public", assignment.public_suite.read_bytes() if assignment.public_suite.is_file() else b"")
    if assignment.hidden_suite.name == "__init__.py":  # a suite split into a package: each of its modules
        for path in assignment.hidden_files:
            add(f"hidden {path.name}", path.read_bytes())
    else:
        add("hidden", assignment.hidden_suite.read_bytes() if assignment.hidden_suite.is_file() else b"")
    for spec in specs:
        add("check", f"{spec.id} {spec.visibility} {spec.max_points!r}".encode())
    solution = assignment.solution_dir
    for path in sorted(solution.glob("*.py")) if solution.is_dir() else ():
        add(f"reference {path.name}", path.read_bytes())
    return f"sha256:{digest.hexdigest()[:_HEX]}"
