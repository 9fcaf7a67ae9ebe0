"""Grade one submission: load it in a sandboxed child, run the suites with pytest, collect verdicts."""

from __future__ import annotations

import contextlib
import functools
import inspect
import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pytest

from grader.course import COURSE_ROOT, Assignment
from grader.i18n import _
from grader.judge import strategies
from grader.judge.catalog import check_id, load_suite, suite_checks, suite_functions, suite_paths
from grader.judge.checks import check_info
from grader.judge.plugin import GraderPlugin
from grader.judge.reference import reference
from grader.judge.student_proxy import Student
from grader.judge.unseen import pay_public_for_real_work, works_on_unseen_inputs
from grader.judge.visibility import running_suite
from grader.results import CheckResult, CheckSpec, ChildError
from grader.sandbox.supervisor import Sandbox, Session, told_where
from grader.submission import Submission

__all__ = ["Graded", "grade", "load_problem_reason"]

PYTEST_ENV_REMOVED = ("PYTEST_ADDOPTS", "PYTEST_PLUGINS", "PYTEST_DEBUG")
# pytest's own plugins that grading does not need; each costs time on every submission.
UNUSED_PLUGINS = (
    "cacheprovider", "warnings", "logging", "faulthandler", "doctest", "junitxml", "pastebin",
    "nose", "stepwise", "unittest", "setuponly", "setupplan", "legacypath", "tmpdir", "monkeypatch",
    "recwarn", "debugging", "python_path", "threadexception", "unraisableexception", "terminal",
    "capture",
)  # with "capture" off, the judge's own prints go to the redirected sys.stdout below


@dataclass
class Graded:
    """The outcome of grading one submission, before it becomes a report."""

    status: str  # "graded" or "error"
    reason: str | None
    results: list[CheckResult]
    output: str = ""  # printed while loading and during public checks: the student may see it
    events: list[str] = field(default_factory=list)
    hidden_output: str = ""  # printed during hidden checks: it shows their inputs, for the instructor only


def load_problem_reason(assignment: Assignment, error: ChildError, submission: Submission | None = None) -> str:
    """Why a submission could not be loaded, as a sentence the student can act on, naming the
    student's own files and notebook cells when ``submission`` is given."""
    reason = _load_reason(assignment, error, submission)
    return submission.in_student_terms(reason) if submission is not None else reason


def _load_reason(assignment: Assignment, error: ChildError, submission: Submission | None) -> str:
    kind = error.get("kind")
    message, where = error.get("message", ""), error.get("where", "")
    file = submission.student_file(assignment.filename) if submission else assignment.filename
    if submission is not None and kind in ("exit", "exception"):  # a place the import's traceback may forge
        where = told_where(str(where), {name: data.decode("utf-8-sig", "replace") for name, data in submission.files.items()})
    if kind == "syntax":
        text = f": {error['text'].strip()}" if error.get("text") else ""
        return _("syntax error in {where}: {message}").format(where=where or file, message=message) + text
    if kind == "exit":
        return _("{file} called sys.exit({code}) while being imported ({where}): remove that call").format(
            file=file, code=message, where=where or file
        )
    if kind in ("timeout", "crash"):
        return message
    missing = [m for m in assignment.extra_modules if f"'{m}'" in message]
    if error.get("type") == "ModuleNotFoundError" and missing:
        return _(
            "{file} imports {module}, but the submission has no {module}.py or {module}.ipynb: "
            "hand in the folder with both {file} and {module}.py (or {module}.ipynb)"
        ).format(file=file, module=missing[0])
    if error.get("type") == "ModuleNotFoundError":
        return _("importing {file} failed: {message}; only numpy and the standard library are available").format(
            file=file, message=message
        )
    at = f" ({where})" if where else ""
    return _("importing {file} raised {type}: {message}").format(
        file=file, type=error.get("type", _("an exception")), message=message
    ) + at


def _not_run(specs: list[CheckSpec], feedback: str) -> list[CheckResult]:
    return [
        CheckResult(spec.id, spec.visibility, 0.0, spec.max_points, "error", feedback, spec.description)
        for spec in specs
    ]


@contextlib.contextmanager
def _pytest_environment():
    """pytest reads some settings from the environment: the grader's runs must not."""
    saved = {name: os.environ.pop(name) for name in PYTEST_ENV_REMOVED if name in os.environ}
    autoload = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    try:
        yield
    finally:
        os.environ.update(saved)
        if autoload is None:
            os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = autoload


def run_checks(
    assignment: Assignment,
    student: Student,
    specs: list[CheckSpec],
    *,
    hidden: bool,
    on_result: Callable[[CheckResult], None] | None = None,
    output_size: Callable[[], int] | None = None,
) -> GraderPlugin:
    """Run every check of the suites on ``student``, in suite order, calling each check function
    directly with the ``student`` fixture: what :func:`run_suites` does through ``pytest.main``,
    without a pytest session per submission (collection, hooks and reports cost more than
    many checks). Suites whose checks take other fixtures go through :func:`run_suites`.
    Only the checks in ``specs`` run; ``on_result`` gets each result as soon as it is known;
    ``output_size`` is read when the first hidden check starts (see :class:`GraderPlugin`)."""
    functions = _check_functions(assignment, hidden=hidden)
    if functions is None:
        return run_suites(assignment, student, specs, hidden=hidden, on_result=on_result, only_specs=True,
                          output_size=output_size)
    paths = suite_paths(assignment, hidden=hidden)
    plugin = GraderPlugin(student, specs, {path: visibility for path, visibility in paths}, on_result=on_result,
                          output_size=output_size)
    visibility = {spec.id: spec.visibility for spec in specs}
    strategies.load_profile()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for ident, function in functions:
            if ident not in visibility:
                continue
            info = check_info(function)
            plugin.check_starts(visibility[ident])
            student.begin_check(timeout=info.timeout if info else None)
            failure: BaseException | None = None
            with running_suite(visibility[ident]):
                try:
                    function(student)
                except KeyboardInterrupt:
                    raise
                except BaseException as exc:  # noqa: BLE001 - as pytest would: every other exception is a verdict
                    failure = exc
            plugin.record(ident, failure)
            del failure
    return plugin


@functools.cache
def _check_functions(assignment: Assignment, *, hidden: bool) -> tuple[tuple[str, Callable], ...] | None:
    """``(id, function)`` of every check, in suite order (once per process); None when one
    takes a parameter other than ``student`` (it needs pytest's fixtures)."""
    functions = []
    for path, visibility in suite_paths(assignment, hidden=hidden):
        module = load_suite(path, visibility)
        for function in suite_functions(module):
            if list(inspect.signature(function).parameters) != ["student"]:
                return None
            functions.append((check_id(function.__name__), function))
    return tuple(functions)


def run_suites(
    assignment: Assignment,
    student: Student,
    specs: list[CheckSpec],
    *,
    hidden: bool,
    on_result: Callable[[CheckResult], None] | None = None,
    only_specs: bool = False,
    output_size: Callable[[], int] | None = None,
) -> GraderPlugin:
    """Run the suites on ``student`` with ``pytest.main`` and the :class:`GraderPlugin`."""
    paths = suite_paths(assignment, hidden=hidden)
    plugin = GraderPlugin(
        student, specs, {path: visibility for path, visibility in paths}, on_result=on_result, only_specs=only_specs,
        output_size=output_size,
    )
    args = [str(path) for path, _ in paths] + [
        *(arg for plugin in UNUSED_PLUGINS for arg in ("-p", f"no:{plugin}")),
        "--noconftest",
        "--rootdir", str(COURSE_ROOT),
        "-c", os.devnull,
        "-o", "python_files=*.py",
        "-o", "python_functions=test_*",
    ]
    strategies.load_profile()
    with _pytest_environment(), contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = pytest.main(args, plugins=[plugin])
    if code == pytest.ExitCode.INTERRUPTED:  # pytest caught Ctrl-C: pass it on to the command
        raise KeyboardInterrupt
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise RuntimeError(f"the suites of {assignment.name} did not run (pytest exit code {int(code)})")
    return plugin


def grade(
    assignment: Assignment,
    submission: Submission,
    sandbox: Sandbox,
    *,
    hidden: bool,
    student: Callable[[Session], Student] = Student,
    on_result: Callable[[CheckResult], None] | None = None,
    select: Callable[[str], bool] | None = None,
) -> Graded:
    """Grade ``submission`` with the public checks, and the hidden ones when ``hidden``.

    ``student`` makes the checks' proxy for the submission (``grader mutate`` passes one that
    records what the checks saw); ``on_result`` gets each check's result (in the student's
    terms) as soon as it is known; ``select`` (a check id -> run it?) runs only some checks."""
    specs = suite_checks(assignment, hidden=hidden)
    if select is not None:
        specs = [spec for spec in specs if select(spec.id)]
    if submission.problem is not None:
        feedback = _("not run: {reason}").format(reason=submission.problem)
        return Graded("error", submission.problem, _not_run(specs, feedback))
    files = {name: data.decode("utf-8-sig") for name, data in submission.files.items()}
    with Session(sandbox, files=files, module=assignment.module) as session:
        error = session.load()
        if error is not None:
            reason = load_problem_reason(assignment, error, submission)
            # Demo code (a plot, a demo array, input()) may have failed the import: grade the definitions alone.
            fallback = submission.without_demo_code() if error.get("kind") in ("exception", "timeout") else None
            retried = (
                grade(assignment, fallback, sandbox, hidden=hidden, student=student, on_result=on_result, select=select)
                if fallback is not None
                else None
            )
            if retried is not None and retried.status == "graded":
                retried.events[:0] = [
                    _("importing your code as it is failed ({reason}): graded it without its demo code").format(reason=reason),
                    *submission.fallback_notes,
                ]
                return retried
            return Graded(
                "error",
                reason,
                _not_run(specs, _("not run: {reason}").format(reason=reason)),
                output=session.output_text(),
            )
        shown = None if on_result is None else (lambda r: on_result(replace(r, feedback=submission.in_student_terms(r.feedback))))
        proxy = student(session)
        plugin = run_checks(assignment, proxy, specs, hidden=hidden, on_result=shown,
                            output_size=lambda: len(session.output))
        results = [
            plugin.results.get(spec.id)
            or CheckResult(spec.id, spec.visibility, 0.0, spec.max_points, "error", _("this check did not run"), spec.description)
            for spec in specs
        ]
        if hidden:  # no point without real work: the public answers are public
            results = pay_public_for_real_work(results, plugin.called_by, _works(assignment, proxy))
        results = [replace(r, feedback=submission.in_student_terms(r.feedback)) for r in results]
        session.close()  # the child ended, and what it printed last read, before the output is split
        public_output, hidden_output = split_output(session.output_text(), session.output, plugin.hidden_output_from)
        return Graded(
            "graded",
            None,
            results,
            output=public_output,
            events=list(session.events),
            hidden_output=hidden_output,
        )


def _works(assignment: Assignment, proxy: Student) -> dict[str, bool]:
    """Which of the student's functions gave a right value on some hidden input (see
    :mod:`grader.judge.unseen`); empty when the reference cannot be imported."""
    try:
        right = reference(assignment.name, assignment.module)
    except Exception:  # noqa: BLE001 - without a reference the public points stay as they are
        return {}
    return works_on_unseen_inputs(getattr(proxy, "hidden_calls", []), right)


def split_output(text: str, raw: bytes | bytearray, hidden_from: int | None) -> tuple[str, str]:
    """The student's output in two parts: up to the first hidden check (``text`` as the session
    gives it), and from there on (``raw[hidden_from:]`` and whatever ``text`` adds after ``raw``,
    such as a note of bytes not kept). The child flushes its streams before it answers a call,
    and the judge reads them before it takes the answer, so the split falls between checks."""
    if hidden_from is None or hidden_from >= len(raw):  # nothing of the hidden checks' output was kept
        return text, ""
    public = bytes(raw[:hidden_from]).decode("utf-8", "replace")
    if not text.startswith(public):  # a character cut in two at the boundary: keep everything apart
        return "", text
    return public, text[len(public):]
