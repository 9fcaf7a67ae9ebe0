"""What a release of the course to students records: its version, the digest of its public
checks, and what grading adds to each assignment (the hidden checks are not in the copy).

``grader export-student`` writes :data:`RELEASE_FILE` (``grader/release.json``) into the
students' copy; there, ``grader list`` and ``grader check`` read the points and hidden checks from
it. In the course's own repository, where the hidden suites are, the same figures are read
from the suites. The grading report carries :func:`public_digest` too, so that a report and a
student's copy can be compared.

A student's submission may say which release it comes from: a repository made from the
template holds ``grader/release.json``, a released notebook holds ``metadata.nn_course``.
Grading compares that with its own public checks and, when they differ, tells the student
:data:`OLDER_COPY` (:func:`stale_notes`); ``grader check`` in a students' copy also says when
the copy's public checks are not the released ones (:func:`copy_notes`). Nothing else can
know that the instructor's copy moved on: a student's copy holds no address to ask.

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
from grader.i18n import N_, _

__all__ = [
    "OLDER_COPY",
    "RELEASE_FILE",
    "Facts",
    "assignment_facts",
    "copy_notes",
    "course_digest",
    "public_digest",
    "read_release",
    "recorded_digest",
    "release_record",
    "stale_notes",
]

OLDER_COPY = N_("your copy of the course is older than the one that grades it: pull the template's updates")
_RECORD_LIMIT = 64 * 1024  # bytes of a release record read from a student's repository

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
    """The record of a students' copy, or None (the course's own repository has none, and a
    file that is not a record of at most 64 KiB is not one)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(_RECORD_LIMIT + 1)
        record = json.loads(data.decode("utf-8")) if len(data) <= _RECORD_LIMIT else None
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def recorded_digest(record: object, assignment: Assignment) -> str | None:
    """The digest of ``assignment``'s public checks that a release record (``release.json``, or
    a released notebook's ``metadata.nn_course``) holds; None when it holds none."""
    if not isinstance(record, dict):
        return None
    if isinstance(record.get("public_checks"), str) and record.get("assignment") == assignment.name:
        return record["public_checks"]  # a notebook's metadata
    entry = record.get("assignments", {}) if isinstance(record.get("assignments"), dict) else {}
    digest = entry.get(assignment.name, {}).get("public_digest") if isinstance(entry.get(assignment.name), dict) else None
    return digest if isinstance(digest, str) else None


def stale_notes(assignment: Assignment, recorded: str | None, *, shown: str) -> tuple[str, ...]:
    """What a student reads when the release their submission comes from (``recorded``, see
    :func:`recorded_digest`; ``shown``: where that record is, e.g. ``alice.ipynb``) had other
    public checks of ``assignment`` than the grader running now: where the hidden checks are
    (the instructor's grading), :data:`OLDER_COPY`; in a students' copy, that the two differ."""
    graders = public_digest(assignment)
    if not has_hidden_checks(assignment):  # a students' copy: as released (its checks may be edited)
        graders = recorded_digest(read_release(), assignment) or graders
    if recorded is None or recorded == graders:
        return ()
    if has_hidden_checks(assignment):
        since = _("({shown} comes from a release whose public checks of {name} have changed since)")
        return (f"{_(OLDER_COPY)} " + since.format(shown=shown, name=assignment.name),)
    return (
        _(
            "{shown} comes from another release of the course than this grader (the public checks of "
            "{name} differ): update your copy of the course, or take {shown} from the same release"
        ).format(shown=shown, name=assignment.name),
    )


def copy_notes(assignment: Assignment) -> tuple[str, ...]:
    """In a students' copy: a note when its public checks of ``assignment`` are not the ones
    released with it (edited, or partly updated), whose verdicts grading may not share."""
    if has_hidden_checks(assignment):
        return ()
    recorded = recorded_digest(read_release(), assignment)
    if recorded is None or recorded == public_digest(assignment):
        return ()
    where = f"assignments/{assignment.name}/public_checks.py"
    return (
        _(
            "{where} is not the one released with your copy of the course: grading runs the released "
            "checks, so restore it (git checkout -- {where}) or pull the template's updates"
        ).format(where=where),
    )


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
