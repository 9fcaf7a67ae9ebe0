"""``grader check``: a student's self-check, printed as it goes.

The header comes at once, each check's line as soon as that check is done (flushed, so that a
slow or looping function never leaves a blank screen), then the submission's output and the
summary, which says what grading adds to the public checks. Before the checks, notes say when
the release the submission comes from, or this copy's public checks, are not those of this
copy's release (see :mod:`grader.release`). A submission that cannot be loaded
gets one message, not one per check. The exit code is 0 when every check that ran passed, else 1.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TextIO

from grader.course import Assignment
from grader.errors import GraderError
from grader.i18n import _
from grader.interrupt import CtrlC
from grader.results import CheckResult

__all__ = ["NoMatchingCheck", "NothingToCheck", "refuse_what_is_not_a_submission", "run_check", "selector"]

_ARCHIVES = (".zip", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar")


class NoMatchingCheck(GraderError):
    def __init__(self, keywords: tuple[str, ...], ids: list[str]) -> None:
        super().__init__(
            _("no check's name contains {words}; the checks are: {ids}").format(
                words=(" " + _("or") + " ").join(repr(k) for k in keywords), ids=", ".join(ids)
            )
        )


class NothingToCheck(GraderError):
    """``grader check`` was given a path that holds no submission: a file that is neither a
    ``.py`` file nor a notebook, or a folder without one (a usage error: exit 2)."""


def refuse_what_is_not_a_submission(path: Path, assignment: Assignment, *, given: str) -> None:
    """Raise :class:`NothingToCheck`, one line saying what ``grader check`` expects, when
    ``path`` (existing and readable) is a file other than ``.py`` or ``.ipynb`` (``notes.txt``,
    a zip: "unpack it"), or a folder in which the rule of :mod:`grader.submission.repository`
    finds no ``.py`` file or notebook at all (empty, or notes and data only). Only names are
    read here: what the files hold is for the limited process that loads them (a folder with
    Python files under other names is a submission, and its loading says what it lacks).
    ``given`` is the path as the student typed it."""
    from grader.submission.repository import find_folder, visible_entries

    resolved = path.resolve()
    expected = _("give a folder that holds {file} or {module}.ipynb, or the file itself").format(
        file=assignment.filename, module=assignment.module
    )
    if not resolved.is_dir():
        suffix = resolved.suffix.lower()
        if suffix in (".py", ".ipynb"):
            return
        if suffix in _ARCHIVES:
            raise NothingToCheck(
                _("{given} is an archive: unpack it, then check the folder (grader check {name} FOLDER)").format(
                    given=given, name=assignment.name
                )
            )
        raise NothingToCheck(
            _("{given} is neither a folder, a Python file (.py) nor a Jupyter notebook (.ipynb): {expected}").format(
                given=given, expected=expected
            )
        )
    folder, _where = find_folder(resolved, assignment)
    entries = visible_entries(folder)
    if any(e.name.lower().endswith((".py", ".ipynb")) for e in entries):
        return
    if not entries:
        raise NothingToCheck(_("{given} is an empty folder: {expected}").format(given=given, expected=expected))
    names = [e.name + ("/" if e.is_dir() else "") for e in entries]
    found = ", ".join(names[:8]) + (" " + _("and {count} more").format(count=len(names) - 8) if len(names) > 8 else "")
    raise NothingToCheck(
        _("no {file} or {module}.ipynb in {given} (found: {found}): {expected}").format(
            file=assignment.filename, module=assignment.module, given=given, found=found, expected=expected
        )
    )


def selector(keywords: tuple[str, ...]):
    """A check id -> selected? function for ``-k``: the id contains any keyword (any case)."""
    words = tuple(k.lower() for k in keywords if k.strip())
    return lambda ident: any(w in ident.lower() for w in words)


def run_check(
    assignment: Assignment,
    path: Path,
    *,
    isolation: str,
    keywords: tuple[str, ...] = (),
    stream: TextIO,
    on_graded=None,
) -> int:
    """Check ``path`` with the public checks of ``assignment``, printing to ``stream``.

    ``keywords`` (``-k``) keeps the checks whose id contains one of them; raises
    :class:`NoMatchingCheck` when none does, before anything runs. ``on_graded``, if given, is
    called with the :class:`~grader.judge.runner.Graded` outcome (GitHub Classroom's result)."""
    from grader.batch import course_sandbox, hidden_paths
    from grader.judge.catalog import suite_checks
    from grader.release import assignment_facts, copy_notes, stale_notes
    from grader.report import console
    from grader.submission import submission_name

    specs = suite_checks(assignment, hidden=False)
    select = selector(keywords) if keywords else None
    if select is not None:
        specs = [s for s in specs if select(s.id)]
        if not specs:
            raise NoMatchingCheck(keywords, [s.id for s in suite_checks(assignment, hidden=False)])
    colour = console.use_colour(stream)

    def say(text: str) -> None:
        if text:
            print(text, file=stream, flush=True)

    width = max(len(s.id) for s in specs)
    score_width = console.score_width([s.max_points for s in specs])
    shown: list[CheckResult] = []

    ctrl_c = CtrlC()  # a Ctrl-C dropped in a gc callback still stops the check

    def on_result(result: CheckResult) -> None:
        shown.append(result)
        say(console.check_line(result, width, score_width=score_width, colour=colour))
        ctrl_c.check()

    ctrl_c.install()  # before the header: a Ctrl-C once the header is on screen is never lost
    try:
        say(console.check_header(assignment, submission_name(path.resolve())))
        sandbox = course_sandbox(isolation, hidden_paths(())).start()
    except BaseException:
        ctrl_c.uninstall()
        raise
    try:
        # The child warms up while the judge imports pytest, hypothesis and the checks.
        from grader.judge.runner import grade
        from grader.submission import load_submission

        submission = load_submission(path.resolve(), assignment)
        release = (*stale_notes(assignment, submission.release, shown=submission.release_in), *copy_notes(assignment))
        submission = replace(submission, notes=tuple(dict.fromkeys((*release, *submission.notes))))
        if submission.notes:
            say("\n".join(console.check_notes(tuple(submission.notes))))
        graded = grade(assignment, submission, sandbox, hidden=False, on_result=on_result, select=select)
        ctrl_c.check()
    finally:
        sandbox.close()
        ctrl_c.uninstall()
    if on_graded is not None:
        on_graded(graded)
    if graded.status != "graded":
        say(console.check_problem(graded.reason or "unknown", len(specs), sum(s.max_points for s in specs)))
        say("\n".join(console.check_output(graded.output)))
        return 1
    done = {r.id for r in shown}
    for result in graded.results:  # checks that never reported (they did not run)
        if result.id not in done:
            say(console.check_line(result, width, score_width=score_width, colour=colour))
    told = {*submission.notes, *(r.feedback for r in graded.results)}
    events = tuple(e for e in dict.fromkeys(graded.events) if e not in told)
    say("\n".join(console.check_notes(events)))
    say("\n".join(console.check_output(graded.output)))
    facts = assignment_facts(assignment) if select is None else None
    say(
        console.check_summary(
            graded.results,
            hidden_checks=facts.hidden_checks if facts else None,
            hidden_points=facts.hidden_points if facts else 0.0,
        )
    )
    passed = all(r.status == "passed" for r in graded.results)
    return 0 if passed else 1
