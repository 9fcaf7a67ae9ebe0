"""Plain ``pytest`` in the students' copy: the public checks, through the sandbox.

The copy's ``conftest.py`` loads this plugin and its ``pytest.ini`` points pytest at
``assignments/`` (see :mod:`grader.export`), so that a student who types ``pytest`` gets what
``grader check NAME`` gives, assignment by assignment: each ``assignments/<name>/public_checks.py``
is collected as one test per public check (``pytest -k softmax`` selects as usual), and the
first test of an assignment runs ``grader check`` on the student's copy of it once (the
student's code in the sandbox, never in pytest's process); each test then passes or fails with
its check's verdict and feedback. An assignment not started yet (its functions still raise
``NotImplementedError``) is skipped, as GitHub Classroom's workflow does. The student's own
``test_*.py`` files are collected by pytest as usual.

The checks' descriptions, feedback and the plugin's own lines are in the student's language,
chosen as ``grader check`` chooses it (:func:`grader.i18n.choose`): ``GRADER_LANG``, else the
system's language, else English; an unknown ``GRADER_LANG`` is a usage error. What pytest itself
prints (PASSED, FAILED, its summary) stays pytest's.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from grader import i18n
from grader.course import COURSE_ROOT, find_assignment
from grader.errors import GraderError

__all__ = ["pytest_collect_file", "pytest_configure", "pytest_report_header"]

_LANGUAGE = pytest.StashKey[str]()


def pytest_configure(config) -> None:
    """Choose the language of the run once (``GRADER_LANG``, else the system's); an unknown
    ``GRADER_LANG`` stops pytest with a usage error, as it stops ``grader check``."""
    try:
        config.stash[_LANGUAGE] = i18n.choose(None, system=True)
    except i18n.UnknownLanguage as exc:
        raise pytest.UsageError(str(exc)) from None


def _language(node) -> str:
    return node.config.stash.get(_LANGUAGE, i18n.DEFAULT)


def pytest_report_header(config) -> str:
    with i18n.use(config.stash.get(_LANGUAGE, i18n.DEFAULT)):
        return i18n._(
            "public checks of the course, run through the grader's sandbox: `grader check NAME` "
            "gives the same verdicts, with the feedback and notes in full"
        )


def pytest_collect_file(file_path: Path, parent):
    """``assignments/<name>/public_checks.py`` of this copy, as the assignment's public checks."""
    if file_path.name == "public_checks.py" and file_path.parent.parent == COURSE_ROOT / "assignments":
        return PublicChecks.from_parent(parent, path=file_path)
    return None


class CheckFailed(Exception):
    """A public check did not pass; its message is the check's feedback."""


class PublicChecks(pytest.File):
    """One assignment's public checks, graded once for all its tests."""

    outcome: tuple | None = None

    def collect(self):
        from grader.judge.catalog import suite_checks

        self.assignment = find_assignment(self.path.parent.name)
        self.outcome = None
        with i18n.use(_language(self)):
            for spec in suite_checks(self.assignment, hidden=False):
                yield PublicCheck.from_parent(self, name=spec.id, description=i18n._(spec.description))

    def graded(self) -> tuple:
        """(Graded, what ``grader check`` printed), from the first test that asks."""
        if self.outcome is None:
            from grader.selfcheck import run_check

            seen: list = []
            printed = io.StringIO()
            try:
                with i18n.use(_language(self)):
                    run_check(self.assignment, COURSE_ROOT, isolation="auto", stream=printed, on_graded=seen.append)
            except GraderError as exc:
                printed.write(f"grader: {exc}\n")
            self.outcome = (seen[0] if seen else None, printed.getvalue())
        return self.outcome


class PublicCheck(pytest.Item):
    def __init__(self, *, description: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.description = description

    def runtest(self) -> None:
        with i18n.use(_language(self)):
            self._verdict()

    def _verdict(self) -> None:
        from grader.platforms.classroom import not_started

        parent = self.parent
        assert isinstance(parent, PublicChecks)
        graded, printed = parent.graded()
        name = parent.assignment.name
        if graded is None:
            raise CheckFailed(printed.strip() or i18n._("grader check {name} could not run").format(name=name))
        if not_started(graded.status, graded.results):
            pytest.skip(
                i18n._("not started: {file} still raises NotImplementedError").format(file=parent.assignment.filename)
            )
        if graded.status != "graded":
            raise CheckFailed(i18n._("{reason} (grader check {name} says more)").format(reason=graded.reason, name=name))
        result = next((r for r in graded.results if r.id == self.name), None)
        if result is None:
            raise CheckFailed(i18n._("the check did not run (grader check {name} says why)").format(name=name))
        if result.status != "passed":
            raise CheckFailed(
                i18n._("{status}, {points:g} / {max_points:g} points: {feedback}").format(
                    status=result.status, points=result.points, max_points=result.max_points, feedback=result.feedback
                )
            )

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CheckFailed):
            return f"{self.description}\n{excinfo.value}"
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, None, f"{self.parent.name}::{self.name}"
