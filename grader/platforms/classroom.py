"""GitHub Classroom: the students' workflow and the ``result`` its reporter reads.

A class's template repository (``grader export-student``) holds ``.github/workflows/classroom.yml``,
written here from the course's declaration: on every push it runs the public checks of each
assignment (``grader check NAME --github-classroom``, one step per assignment) and hands their
results to GitHub Classroom's reporter, ``classroom-resources/autograding-grading-reporter``.

The reporter's contract, read from its source (``src/main.js``, ``src/notify-classroom.js``):
the workflow is named ``Autograding Tests`` with one job ``run-autograding-tests``; its input
``runners`` lists step ids (letters and digits, split on commas or spaces); for each id ``X`` the
environment variable ``X.upper() + "_RESULTS"`` holds the step's ``result`` output, base64 of
the JSON ``{"version": 1, "status": "pass"|"fail"|"error", "max_score": N, "tests": [{"name",
"status", "score", "message", ...}]}``. Classroom's points are the sum of the tests' ``score``
over the sum of ``max_score``; the run fails when a result's status is ``fail`` or ``error``.

An assignment the student has not started (every public check fails because the stub still
raises NotImplementedError) reports status ``pass`` with its tests ``skip`` and no points, so
that a student who finished 01 sees a green run and the points of 01.
"""

from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path

from grader import i18n
from grader.course import ASSIGNMENTS, Assignment, available
from grader.results import CheckResult

__all__ = [
    "NOT_IMPLEMENTED",
    "WORKFLOW_PATH",
    "check_result",
    "decode",
    "encode",
    "not_started",
    "runner_id",
    "student_workflow",
    "write_step_output",
]

WORKFLOW_PATH = ".github/workflows/classroom.yml"
NOT_IMPLEMENTED = "NotImplementedError"  # in the sandbox's feedback for a stub's function, in every language
REPORTER = "classroom-resources/autograding-grading-reporter@v1"


def runner_id(assignment: Assignment) -> str:
    """The step id of an assignment's checks: its name without underscores (the reporter
    accepts letters and digits only), e.g. ``gradientdescent``."""
    return re.sub(r"[^a-z0-9]", "", assignment.name.lower())


def not_started(status: str, results: list[CheckResult]) -> bool:
    """Whether the student has not started: the file loads and every public check fails only
    because the stub still raises NotImplementedError."""
    return status == "graded" and bool(results) and all(
        r.status != "passed" and NOT_IMPLEMENTED in r.feedback for r in results
    )


def check_result(assignment: Assignment, results: list[CheckResult], *, status: str, reason: str | None = None) -> dict:
    """The reporter's JSON for one assignment's public checks (before base64).

    ``status`` is the grading's (``graded`` or ``error``), ``reason`` why it could not load.
    ``max_score`` is the public checks' points, so that Classroom's total is the public part.
    """
    idle = not_started(status, results)
    tests = []
    for r in results:
        if idle:
            verdict, message = "skip", i18n._("not started: {file} still raises NotImplementedError").format(
                file=assignment.filename
            )
        else:
            verdict = "pass" if r.status == "passed" else ("fail" if r.status == "failed" else "error")
            message = "" if r.status == "passed" else (r.feedback if status == "graded" else (reason or r.feedback))
        tests.append({
            "name": f"{assignment.label} {i18n._(r.description) if r.description else r.id}",
            "status": verdict,
            "score": 0 if idle else r.points,
            "message": message,
            "test_code": f"grader check {assignment.name}  # {r.id}",
            "filename": f"assignments/{assignment.name}/{assignment.filename}",
            "line_no": 0,
            "duration": 0,
        })
    if status == "error":
        overall = "error"
    elif idle or all(r.status == "passed" for r in results):
        overall = "pass"
    else:
        overall = "fail"
    max_score = sum(r.max_points for r in results)
    return {"version": 1, "status": overall, "max_score": int(max_score) if float(max_score).is_integer() else max_score, "tests": tests}


def encode(data: dict) -> str:
    """The ``result`` step output: base64 of the JSON."""
    return base64.b64encode(json.dumps(data).encode()).decode()


def decode(value: str) -> dict:
    """The reporter's reading of a ``result`` (``Buffer.from(value, "base64")`` then JSON)."""
    return json.loads(base64.b64decode(value))


def write_step_output(name: str, value: str, target: str | None = None) -> None:
    """Append ``name=value`` to ``$GITHUB_OUTPUT`` (``target``), or print it outside Actions."""
    target = target or os.environ.get("GITHUB_OUTPUT")
    line = f"{name}={value}\n"
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(line)
    else:
        print(line, end="")


def student_workflow(lang: str | None = None) -> str:
    """The template's ``classroom.yml``: one step per available assignment, then the reporter.

    ``lang`` is the feedback's language written into the workflow (default: the language of
    the run, :func:`grader.i18n.language`, which ``grader export-student --lang`` sets). A
    literal, not a repository variable: the linters of workflows know it, and the template
    says what it grades in.
    """
    lang = lang or i18n.language()
    assignments = [a for a in ASSIGNMENTS if available(a)]
    steps = []
    for a in assignments:
        steps.append(
            f"      - name: {a.label} {a.name}\n"
            f"        id: {runner_id(a)}\n"
            f"        run: .venv/bin/grader check {a.name} --github-classroom\n"
        )
    env = "".join(
        f'          {runner_id(a).upper()}_RESULTS: "${{{{ steps.{runner_id(a)}.outputs.result }}}}"\n' for a in assignments
    )
    runners = ",".join(runner_id(a) for a in assignments)
    return f"""# Written by `grader export-student` from the course's declaration: do not edit by hand.
# On every push: the public checks of each assignment (the same as `grader check` on your
# laptop), reported to GitHub Classroom. An assignment you have not started yet (its functions
# still raise NotImplementedError) counts no points and does not fail the run. Classroom's score
# is the public checks' part; the instructor's grading adds hidden checks.
# GitHub Classroom reads the points only from a workflow named "Autograding Tests" with one job
# "run-autograding-tests".
name: Autograding Tests
on: [push, workflow_dispatch]
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    timeout-minutes: 20
    if: github.actor != 'github-classroom[bot]'
    env:
      # The feedback's language (en, uk or ru), as `grader export-student --lang` chose it:
      # edit this line to change it.
      GRADER_LANG: {lang}
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: install the grader
        run: python -m venv .venv && .venv/bin/pip install -q -e .
{"".join(steps)}      - name: Autograding Reporter
        if: always()
        uses: {REPORTER}
        env:
{env}        with:
          runners: {runners}
"""


def write_workflow(folder: Path) -> Path:
    """Write :func:`student_workflow` into ``folder`` (a students' copy); return its path."""
    path = Path(folder) / WORKFLOW_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(student_workflow(), encoding="utf-8")
    return path
