"""The entry point: :func:`load_submission`, reading a submission inside a limited process."""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from pathlib import Path

from grader.course import Assignment
from grader.errors import SubmissionNotFound, SubmissionUnreadable
from grader.i18n import _
from grader.submission import statements
from grader.submission.files import MAX_NOTEBOOK_BYTES, digest, megabytes, read_bytes
from grader.submission.folder import CLEAR_OUTPUTS, Loaded, load_file, load_folder
from grader.submission.limited import LOAD_CPU_S, LOAD_MEMORY, LimitedProcess, run_limited
from grader.submission.model import Refused, Submission
from grader.submission.modules import contract, stub_source
from grader.submission.repository import find_folder, read_commit

__all__ = ["existing", "load_submission", "readable", "submission_name"]


def load_submission(path: Path, assignment: Assignment, *, reader: LimitedProcess | None = None) -> Submission:
    """Read the submission at ``path`` for ``assignment``.

    ``path`` is a folder (a student's repository made from the course's template included: see
    :mod:`grader.submission.repository`), a ``.py`` file or a notebook. Nothing of it runs or
    is even compiled (syntax errors are the sandbox's to report); it is read and parsed in a
    limited process (:mod:`grader.submission.limited`). Whatever the student's files hold,
    this does not raise: the :class:`Submission` has a ``problem`` instead. A missing path is
    the only :class:`~grader.errors.SubmissionNotFound` (the person running the grader made it).
    ``reader``: a limited process kept for many submissions (a grading worker's), else one
    is forked for this one.
    """
    given = Path(path)
    resolved = existing(given)
    name = submission_name(given)
    _warm(assignment, resolved)
    outcome = (reader.run if reader is not None else run_limited)(_load_plain, str(resolved), name, assignment)
    if outcome.failure is None:
        return Submission.from_plain(outcome.value)
    return Submission(
        name=name,
        path=resolved,
        files={},
        sha256=_hash_of_file(resolved),
        problem=_failure_reason(resolved, outcome.failure, outcome.detail),
    )


def existing(path: Path) -> Path:
    """``path`` resolved; raises :class:`~grader.errors.SubmissionNotFound` (with "did you mean
    alice.py?" when that exists) when nothing is there: missing, a dangling link, a loop of links."""
    given = Path(path)
    try:
        return given.resolve(strict=True)
    except (OSError, RuntimeError):
        raise SubmissionNotFound(str(given), _missing_hint(given)) from None


def readable(path: Path) -> Path:
    """``path`` resolved, for a command that reads one submission (``grader check``), before it
    prints anything: raises :class:`~grader.errors.SubmissionNotFound` as :func:`existing`
    does, and :class:`~grader.errors.SubmissionUnreadable` when the file cannot be opened or the
    folder listed (no permission, a socket). In a batch, such a submission gets a report with
    ``status: error`` from :func:`load_submission` instead."""
    resolved = existing(path)
    try:
        if resolved.is_dir():
            os.listdir(resolved)
        else:  # O_NONBLOCK: a named pipe opens at once rather than waiting for a writer
            os.close(os.open(resolved, os.O_RDONLY | os.O_NONBLOCK))
    except OSError as exc:
        raise SubmissionUnreadable(str(path), (exc.strerror or type(exc).__name__).lower()) from None
    return resolved


def submission_name(path: Path) -> str:
    """The name :func:`load_submission` gives the submission at ``path`` (its report's stem):
    a folder's name (a repository's, not the assignment's folder inside it), a file's name
    without its suffix, as given (a link keeps its own name)."""
    plain = Path(os.path.abspath(path))  # "." and ".." spelled out, links kept
    name = plain.name if plain.is_dir() else plain.stem
    return name or Path(path).resolve().name or "submission"


def _load_plain(resolved_text: str, name: str, assignment: Assignment) -> dict:
    """In the limited process: the submission as plain data (see :meth:`Submission.as_plain`)."""
    resolved = Path(resolved_text)
    notes: list[str] = []
    commit = None
    if resolved.is_dir():
        commit = read_commit(resolved)
        folder, where = find_folder(resolved, assignment)
        if where:
            notes.append(where)
        prefix = "" if folder == resolved else folder.relative_to(resolved).as_posix() + "/"
        loaded = load_folder(folder, assignment, prefix=prefix)
    else:
        folder, loaded = resolved.parent, load_file(resolved, assignment)
    submission = _submission(name, resolved, loaded, notes, commit)
    release, where = _release(resolved, folder, submission, assignment)
    return replace(submission, release=release, release_in=where).as_plain()


_NOTEBOOK_RECORD = re.compile(rb'"nn_course"\s*:\s*(\{[^{}]{0,2000}\})')


def _release(resolved: Path, folder: Path, submission: Submission, assignment: Assignment) -> tuple[str | None, str]:
    """The digest of the public checks that the release the submission comes from records,
    and where it was read: a released notebook's ``metadata.nn_course`` (found in its text, not
    parsed again), else a template repository's ``grader/release.json``."""
    from grader.release import read_release, recorded_digest

    shown = submission.student_file(assignment.filename)
    if shown.lower().endswith(".ipynb"):
        path = resolved if resolved.is_file() else folder / shown
        try:
            matches = _NOTEBOOK_RECORD.findall(read_bytes(path, shown_as=shown, limit=MAX_NOTEBOOK_BYTES))
            record = json.loads(matches[-1]) if matches else None
        except (Refused, ValueError):
            record = None
        digest = recorded_digest(record, assignment)
        if digest is not None:
            return digest, shown
    if resolved.is_dir():
        digest = recorded_digest(read_release(resolved / "grader" / "release.json"), assignment)
        if digest is not None:
            return digest, "your repository's grader/release.json"
    return None, ""


def _submission(name: str, path: Path, loaded: Loaded, notes: list[str], commit: str | None) -> Submission:
    all_notes = tuple(dict.fromkeys((*notes, *loaded.notes)))
    if loaded.problem is not None:
        return Submission(name, path, {}, loaded.sha256, all_notes, loaded.problem, commit=commit)
    guarded = tuple(dict.fromkeys(n for m in loaded.modules.values() for n in m.main_guarded))
    return Submission(
        name=name,
        path=path,
        files=dict(loaded.files),
        sha256=loaded.sha256,
        notes=all_notes,
        problem=None,
        shown=dict(loaded.shown),
        blocks={target: m.blocks for target, m in loaded.modules.items() if m.blocks},
        main_guarded=guarded,
        commit=commit,
        fallback={target: m.fallback for target, m in loaded.modules.items() if m.fallback is not None},
        fallback_notes=tuple(n for m in loaded.modules.values() if m.fallback is not None for n in m.fallback_notes),
    )


def _warm(assignment: Assignment, resolved: Path) -> None:
    """Prepare in the grader's process, once, what every limited process needs (it inherits
    it): the stubs' contracts and definitions, and nbformat when a notebook may be read."""
    for module in assignment.modules:
        contract(module)
        statements.text_definitions(stub_source(module) or "")
    if resolved.is_dir() or resolved.suffix.lower() == ".ipynb":
        import nbformat  # noqa: F401

        from grader.submission import notebook  # noqa: F401


def _failure_reason(path: Path, failure: str, detail: str) -> str:
    shown = path.name
    if failure == "memory":
        return _(
            "reading {name} needed more than {limit} of memory, so the grader "
            "stopped: is it a real notebook or Python file? If it is a notebook"
        ).format(name=shown, limit=megabytes(LOAD_MEMORY)) + _(CLEAR_OUTPUTS)
    if failure in ("cpu", "time"):
        return _(
            "reading {name} took more than {seconds} s, so the grader stopped: is it a real "
            "notebook or Python file? If it is a notebook"
        ).format(name=shown, seconds=LOAD_CPU_S) + _(CLEAR_OUTPUTS)
    return _("the grader could not read {name} ({detail})").format(name=shown, detail=detail or failure)


def _hash_of_file(path: Path) -> dict[str, str]:
    """The hash of what was handed in, when reading it failed in the limited process."""
    if not path.is_file():
        return {}
    try:
        return {path.name: digest(read_bytes(path, shown_as=path.name, limit=MAX_NOTEBOOK_BYTES))}
    except Refused:
        return {}


def _missing_hint(given: Path) -> str:
    if not given.name:
        return ""
    for suffix in (".py", ".ipynb"):
        candidate = given.with_name(given.name + suffix)
        if candidate.exists():
            return _("did you mean {path}?").format(path=candidate)
    return ""
