"""The code behind the reports: found in the folders the submissions were graded from.

The YAML reports record the sha256 of each submitted file, not the code. ``grader report
--submissions DIR`` names where the submissions are; :func:`find_sources` looks there for each
report's submission by its name (``DIR/<name>``, ``DIR/<name>.py``, ``DIR/<name>.ipynb``, also
one or two folders down, as in ``DIR/<assignment>/<name>``), loads it exactly as ``grader grade``
did (:func:`grader.submission.load_submission`: a notebook's code cells, a folder's files) and
takes it only when its sha256 matches the report's: code that changed since it was graded is
not compared.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from grader.course import ASSIGNMENTS, COURSE_ROOT, Assignment
from grader.errors import GraderError
from grader.report.class_stats import Report
from grader.submission import load_submission, submission_name

__all__ = ["Sources", "find_sources", "stub_sources"]

_DEPTH = 3  # folders below DIR where submissions are looked for
_SKIPPED_FOLDERS = frozenset({"__pycache__", "node_modules", ".venv", "venv"})


@dataclass(frozen=True)
class Sources:
    """For each report (by ``(assignment, submission)``), its files: name -> source text.

    ``missing`` lists the reports whose submission was not found, or has changed since.
    """

    files: dict[tuple[str, str], dict[str, str]]
    missing: tuple[tuple[str, str], ...]


def find_sources(reports: list[Report], folders: list[Path], assignments: dict[str, Assignment]) -> Sources:
    """The submitted code of ``reports``, looked for under ``folders`` (see the module docstring).

    ``assignments`` maps a report's ``assignment`` to the course's assignment; reports of
    an assignment not in it are missing. Raises :class:`~grader.errors.GraderError` when a
    folder does not exist, nothing for what the folders hold.
    """
    for folder in folders:
        if not Path(folder).is_dir():
            raise GraderError(f"no submissions folder {folder}")
    candidates = _candidates(folders)
    found: dict[tuple[str, str], dict[str, str]] = {}
    missing = []
    for report in reports:
        key = (report.assignment, report.submission)
        assignment = assignments.get(report.assignment)
        files = None
        if assignment is not None:
            for path in candidates.get(report.submission, ()):
                files = _matching(path, assignment, report.sha256)
                if files is not None:
                    break
        if files is None:
            missing.append(key)
        else:
            found[key] = files
    return Sources(found, tuple(missing))


def _candidates(folders: list[Path]) -> dict[str, list[Path]]:
    """Every folder, .py and .ipynb down to :data:`_DEPTH` levels, by its submission name."""
    by_name: dict[str, list[Path]] = {}
    pending = [(Path(folder), 0) for folder in folders]
    while pending:
        folder, depth = pending.pop(0)
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") or entry.name in _SKIPPED_FOLDERS:
                continue
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                by_name.setdefault(path.name, []).append(path)
                if depth + 1 < _DEPTH:
                    pending.append((path, depth + 1))
            elif path.suffix.lower() in (".py", ".ipynb"):
                by_name.setdefault(submission_name(path), []).append(path)
    return by_name


def _matching(path: Path, assignment: Assignment, sha256: dict) -> dict[str, str] | None:
    """The files of the submission at ``path`` if it is the one graded (same sha256), else None."""
    try:
        submission = load_submission(path, assignment)
    except (GraderError, OSError):  # a path that vanished since it was listed: not this one
        return None
    if submission.problem is not None or not sha256 or submission.sha256 != sha256:
        return None
    return {name: data.decode("utf-8-sig", errors="replace") for name, data in submission.files.items()}


def stub_sources(assignment: Assignment, filenames: list[str]) -> dict[str, str]:
    """The stub of each file a student hands in: ``assignments/<name>/<file>``, or for a file of
    another assignment (mlp's ``dense.py``) that assignment's stub. Files without a stub are left out."""
    stubs = {}
    for filename in filenames:
        path = assignment.stub_dir / filename
        if not path.is_file():
            path = next(
                (a.stub_dir / a.filename for a in ASSIGNMENTS if a.filename == filename),
                COURSE_ROOT / "assignments" / "-" / filename,
            )
        if path.is_file():
            stubs[filename] = path.read_text(encoding="utf-8")
    return stubs
