"""The pytest plugin that runs an assignment's suites against one submission.

It provides the ``student`` fixture (a :class:`~grader.judge.student_proxy.Student`), collects the
suites from the modules the catalog already imported (so both agree on every check), and turns
each test's outcome into a :class:`~grader.results.CheckResult`: points from the ``@check``
decorator, status and feedback from the exception that ended the test.

| what ended the test                          | status  |
|----------------------------------------------|---------|
| nothing                                      | passed  |
| CheckFailure, or the student's code raising  | failed  |
| PartialCredit                                | passed at full credit, else failed |
| SubmissionTimedOut                           | timeout |
| SubmissionCrashed, or anything unexpected    | error   |
"""

from __future__ import annotations

import builtins
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import pytest

from grader import i18n
from grader.judge.catalog import check_id, load_suite
from grader.judge.checks import CheckFailure, PartialCredit, check_info
from grader.judge.student_proxy import Student
from grader.judge.visibility import running_suite
from grader.results import CheckResult, CheckSpec, Visibility
from grader.sandbox.supervisor import StudentRaised, SubmissionCrashed, SubmissionFault, SubmissionTimedOut

__all__ = ["GraderPlugin", "verdict"]

if sys.version_info >= (3, 11):
    _GROUP = builtins.BaseExceptionGroup
else:  # pragma: no cover - the backport hypothesis depends on
    from exceptiongroup import BaseExceptionGroup as _GROUP

GRADER_ERROR = i18n.N_("the grader could not finish this check (a problem of the grader, not of your code)")


def verdict(exc: BaseException | None, spec: CheckSpec) -> tuple[str, float, str]:
    """(status, points, feedback) for a check that ended with ``exc`` (None: it passed)."""
    if exc is None:
        return "passed", spec.max_points, i18n._("passed")
    exc = _leaf(exc)
    if isinstance(exc, PartialCredit):
        points = round(spec.max_points * exc.fraction, 2)
        return ("passed" if exc.fraction >= 1 else "failed"), points, i18n._(exc.feedback)
    if isinstance(exc, StudentRaised) and spec.visibility == "hidden":
        # the exception's message is the student's code's choice: it may hold the hidden input
        return "failed", 0.0, exc.without_message() + i18n._(" on a hidden test (its message is not shown)")
    if isinstance(exc, (CheckFailure, StudentRaised)):
        return "failed", 0.0, str(exc)
    if isinstance(exc, SubmissionTimedOut):
        return "timeout", 0.0, str(exc)
    if isinstance(exc, SubmissionFault):
        return "error", 0.0, str(exc)
    return "error", 0.0, i18n._(GRADER_ERROR)


def _leaf(exc: BaseException) -> BaseException:
    """The most telling exception inside a group (hypothesis may raise groups)."""
    if isinstance(exc, _GROUP):
        leaves = [_leaf(e) for e in exc.exceptions]
        for kind in (SubmissionTimedOut, SubmissionCrashed, StudentRaised, CheckFailure, PartialCredit):
            for leaf in leaves:
                if isinstance(leaf, kind):
                    return leaf
        return leaves[0] if leaves else exc
    return exc


class _SuiteModule(pytest.Module):
    """A suite module that pytest does not import again: the catalog's copy is used."""

    visibility: Visibility = "public"

    def _getobj(self):  # noqa: D401 - pytest's hook for the module object
        return load_suite(self.path, self.visibility)


class GraderPlugin:
    """Collects one submission's results; pass an instance to ``pytest.main(plugins=[...])``."""

    def __init__(
        self,
        student: Student,
        specs: list[CheckSpec],
        suites: dict[Path, Visibility],
        *,
        on_result: Callable[[CheckResult], None] | None = None,
        only_specs: bool = False,
        output_size: Callable[[], int] | None = None,
    ) -> None:
        """``on_result`` is called with each check's result as soon as it is known (``grader
        check`` prints it at once); with ``only_specs``, the tests whose check is not among
        ``specs`` are deselected (``grader check -k``); ``output_size``, if given, tells how much
        the student's code has printed so far: read when the first hidden check starts, it
        becomes :attr:`hidden_output_from`."""
        self._student = student
        self._output_size = output_size
        self.hidden_output_from: int | None = None
        self._specs = {spec.id: spec for spec in specs}
        self._suites = {Path(p).resolve(): v for p, v in suites.items()}
        self._on_result = on_result
        self._only_specs = only_specs
        self.results: dict[str, CheckResult] = {}
        self.called_by: dict[str, set[str]] = {}  # check id -> the student's functions it called
        self.internal_errors: list[str] = []

    def pytest_collection_modifyitems(self, config, items: list[pytest.Item]) -> None:
        if not self._only_specs:
            return
        kept = [i for i in items if check_id(getattr(i, "originalname", i.name)) in self._specs]
        dropped = [i for i in items if i not in kept]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = kept

    @pytest.fixture
    def student(self) -> Student:
        return self._student

    def pytest_pycollect_makemodule(self, module_path: Path, parent):
        visibility = self._suites.get(Path(module_path).resolve())
        if visibility is None:
            return None
        module = _SuiteModule.from_parent(parent, path=Path(module_path))
        module.visibility = visibility
        return module

    def check_starts(self, visibility: str) -> None:
        """Called before each check: the start of the first hidden one marks where the output
        printed during hidden checks begins."""
        if visibility == "hidden" and self.hidden_output_from is None and self._output_size is not None:
            self.hidden_output_from = self._output_size()

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        info = check_info(item.function) if isinstance(item, pytest.Function) else None
        spec = self._specs.get(check_id(getattr(item, "originalname", item.name)))
        self.check_starts(spec.visibility if spec is not None else "hidden")
        self._student.begin_check(timeout=info.timeout if info else None)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item: pytest.Item):
        """Run the check as part of its suite: the comparisons' ``public=`` follows it."""
        spec = self._specs.get(check_id(getattr(item, "originalname", item.name)))
        with running_suite(spec.visibility if spec is not None else "hidden"):
            yield

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> pytest.TestReport:
        """Record the verdict, and make pytest's report without its traceback: formatting a
        failure's source costs tens of milliseconds, and nobody reads it here."""
        exc = call.excinfo.value if call.excinfo is not None else None
        if call.when == "call" or (call.when == "setup" and exc is not None):
            self._record(item, exc)
        outcome: Literal["passed", "failed"] = "passed" if exc is None else "failed"
        when = call.when
        assert when != "collect"  # a check's phases: setup, call, teardown
        return pytest.TestReport(item.nodeid, item.location, {}, outcome, None if exc is None else type(exc).__name__, when)

    def _record(self, item: pytest.Item, exc: BaseException | None) -> None:
        self.record(check_id(getattr(item, "originalname", item.name)), exc)

    def record(self, ident: str, exc: BaseException | None) -> None:
        """The verdict of check ``ident``, which ended with ``exc`` (None: it passed)."""
        spec = self._specs.get(ident)
        if spec is None:
            return
        status, points, feedback = verdict(exc, spec)
        self.called_by[ident] = set(getattr(self._student, "called", ()))
        notes = getattr(self._student, "notes", None)
        if status == "passed" and notes:  # said, without taking points (numbers as objects)
            feedback = i18n._("passed. Note: {notes}").format(notes="; ".join(notes))
        if status == "error" and feedback == i18n._(GRADER_ERROR) and exc is not None:
            text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__, limit=-6))
            self.internal_errors.append(f"{ident}: {text}")
            print(f"grader: internal error in check {ident}:\n{text}", file=sys.stderr)
        self.results[ident] = CheckResult(
            id=ident,
            visibility=spec.visibility,
            points=points,
            max_points=spec.max_points,
            status=status,  # type: ignore[arg-type]
            feedback=feedback,
            description=spec.description,
        )
        if self._on_result is not None:
            self._on_result(self.results[ident])
