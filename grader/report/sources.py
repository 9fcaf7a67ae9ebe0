"""The code behind the reports: found in the folders the submissions were graded from.

The YAML reports record the sha256 of each submitted file, not the code. ``grader report
--submissions DIR`` names where the submissions are; :func:`find_sources` looks there for each
report's submission by its name (``DIR/<name>``, ``DIR/<name>.py``, ``DIR/<name>.ipynb``, also
one or two folders down, as in ``DIR/<assignment>/<name>``) and takes it only when the files the
report names are there with the report's sha256: code that changed since it was graded is not
compared. Python files are then read as they are; a notebook is loaded as ``grader grade`` loads
it (:func:`grader.submission.load_submission`: its code cells).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from grader.course import ASSIGNMENTS, COURSE_ROOT, Assignment
from grader.errors import GraderError
from grader.report.class_stats import Report
from grader.submission import MAX_TOTAL_BYTES, load_submission, submission_name

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
    """The files of the submission at ``path`` if it is the one graded (same sha256), else None.

    Python files are read as they are, once their sha256 match the report's, and the one
    graded as the assignment's file is named so (for the stub's subtraction). A notebook is
    loaded as ``grader grade`` loads it (its code cells), in the limited process that loading uses.
    """
    texts = _same_files(path, sha256)
    if texts is None:
        return None
    if all(name.lower().endswith(".py") for name in texts):
        return _as_graded(texts, assignment)
    try:
        submission = load_submission(path, assignment)
    except (GraderError, OSError):  # a path that vanished since it was listed: not this one
        return None
    if submission.problem is not None or submission.sha256 != sha256:
        return None
    return {name: data.decode("utf-8-sig", errors="replace") for name, data in submission.files.items()}


def _as_graded(texts: dict[str, str], assignment: Assignment) -> dict[str, str]:
    """``texts`` by the names the grader gives them: the assignment's own files by their names
    (ignoring case and folders), a lone other file as the assignment's file."""
    wanted = {f"{module}.py".casefold(): f"{module}.py" for module in assignment.modules}
    named = {}
    for name, text in texts.items():
        base = Path(name).name
        named[wanted.get(base.casefold(), base)] = text
    if len(named) == 1 and assignment.filename not in named:
        named = {assignment.filename: next(iter(named.values()))}
    return named


def _same_files(path: Path, sha256: dict) -> dict[str, str] | None:
    """The files ``sha256`` names (by the name they were handed in under) at ``path`` (the file
    itself, or inside the folder), as text, if all are there with those hashes; else None."""
    if not sha256:
        return None
    if path.is_file():
        places = {path.name: path} if set(sha256) == {path.name} else {}
    else:
        places = {name: path / name for name in sha256}
    if len(places) != len(sha256):
        return None
    texts = {}
    for name, place in places.items():
        try:
            with open(place, "rb") as handle:
                data = handle.read(MAX_TOTAL_BYTES + 1)
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != sha256[name]:
            return None
        texts[name] = data.decode("utf-8-sig", errors="replace")
    return texts


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
