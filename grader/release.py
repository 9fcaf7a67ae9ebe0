"""What a release of the course to students records: its version, the digest of its public
checks, and what grading adds to each assignment (the hidden checks are not in the copy).

``grader export-student`` writes :data:`RELEASE_FILE` (``grader/release.json``) into the
students' copy; there, ``grader list`` and ``grader check`` read the points and hidden checks from
it. In the course's own repository, where the hidden suites are, the same figures are read
from the suites. The grading report carries :func:`public_digest` too, so that a report and a
student's copy can be compared.

The digest of an assignment's public checks is the sha256 (hex) of its ``public_checks.py``
with line ends made ``\\n``; the course's digest is the sha256 of ``name:digest`` lines, one per
available assignment, in course order.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from grader import __version__
from grader.course import ASSIGNMENTS, COURSE_ROOT, Assignment, available, has_hidden_checks

__all__ = ["RELEASE_FILE", "Facts", "assignment_facts", "course_digest", "public_digest", "read_release", "release_record"]

RELEASE_FILE = COURSE_ROOT / "grader" / "release.json"


@dataclass(frozen=True)
class Facts:
    """An assignment's points (public and hidden checks together) and what grading adds."""

    points: float
    public_checks: int
    public_points: float
    hidden_checks: int
    hidden_points: float


def public_digest(assignment: Assignment, root: Path = COURSE_ROOT) -> str:
    """The sha256 (hex) of the assignment's public checks as they are under ``root``."""
    data = (root / "assignments" / assignment.name / "public_checks.py").read_bytes()
    return hashlib.sha256(data.replace(b"\r\n", b"\n")).hexdigest()


def course_digest(root: Path = COURSE_ROOT) -> str:
    """The sha256 (hex) of the public checks of every available assignment."""
    lines = "".join(f"{a.name}:{public_digest(a, root)}\n" for a in ASSIGNMENTS if available(a))
    return hashlib.sha256(lines.encode()).hexdigest()


def _live_facts(assignment: Assignment) -> Facts:
    from grader.judge.catalog import suite_checks  # the judge imports grader.course

    specs = suite_checks(assignment, hidden=True)
    public = [s for s in specs if s.visibility == "public"]
    hidden = [s for s in specs if s.visibility == "hidden"]
    return Facts(
        points=sum(s.max_points for s in specs),
        public_checks=len(public),
        public_points=sum(s.max_points for s in public),
        hidden_checks=len(hidden),
        hidden_points=sum(s.max_points for s in hidden),
    )


def release_record() -> dict:
    """What the students' copy records (``grader/release.json``), from the course's own suites."""
    return {
        "course_version": __version__,
        "course_digest": course_digest(),
        "assignments": {
            a.name: {"public_digest": public_digest(a), **asdict(_live_facts(a))}
            for a in ASSIGNMENTS
            if available(a) and has_hidden_checks(a)
        },
    }


def read_release(path: Path = RELEASE_FILE) -> dict | None:
    """The record of a students' copy, or None (the course's own repository has none)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def assignment_facts(assignment: Assignment) -> Facts | None:
    """The figures of ``assignment``: from its suites when the hidden one is here, else from the
    release record; None when neither is (a copy made before records existed)."""
    if has_hidden_checks(assignment):
        return _live_facts(assignment)
    record = (read_release() or {}).get("assignments", {}).get(assignment.name)
    if not record:
        return None
    try:
        return Facts(**{k: record[k] for k in Facts.__dataclass_fields__})
    except (KeyError, TypeError):
        return None
