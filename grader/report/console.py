"""What people read in the terminal: a student's self-check, the instructor's summary.

Plain text: the layout is ASCII and has no colour codes, and whatever the student's
code controls (its output, file names) is escaped with
:func:`~grader.report.yaml_report.escape_output` before it is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from grader.course import Assignment
from grader.report.yaml_report import escape_output
from grader.results import CheckResult

__all__ = ["render_check", "summary_line"]

_MARKS = {"passed": "PASS", "failed": "FAIL", "error": "ERROR", "timeout": "TIME"}
_FEEDBACK_LIMIT = 1000
_NAME_WIDTH = 12


def render_check(
    results: list[CheckResult],
    *,
    assignment: Assignment,
    submission_name: str,
    output: str = "",
    notes: tuple[str, ...] = (),
    problem: str | None = None,
) -> str:
    """The self-check report: one line per check, feedback under the ones not fully passed.

    ``problem`` (a submission that cannot be loaded) replaces the list of checks.
    The last line counts the passing checks and the points, e.g.
    ``3 of 9 public checks pass (4.0 / 12.0 points)``.
    """
    lines = [f"{assignment.label} {assignment.name}: checking {_one_line(submission_name)}"]
    if notes:
        lines.append("Notes:")
        lines.extend(f"  - {_one_line(note)}" for note in notes)
    if problem:
        lines.append(f"Cannot check it: {_one_line(problem)}")
    width = max((len(r.id) for r in results), default=0)
    score_width = max((len(_score_text(r)) for r in results), default=0)
    for result in results:
        mark = _MARKS.get(result.status, result.status.upper())
        described = f"  {_one_line(result.description)}" if result.description and result.description != result.id else ""
        lines.append(f"{mark:<5}  {result.id:<{width}}  {_score_text(result):>{score_width}}{described}".rstrip())
        if result.feedback and (result.status != "passed" or result.points < result.max_points):
            feedback = escape_output(result.feedback, limit=_FEEDBACK_LIMIT)
            lines.extend(f"       {line}" for line in feedback.splitlines())
    if output:
        lines.append("Your code printed:")
        lines.extend(f"  | {line}" for line in escape_output(output).split("\n"))
    passed = sum(r.status == "passed" for r in results)
    kind = "public " if results and all(r.visibility == "public" for r in results) else ""
    noun, verb = ("check", "passes") if len(results) == 1 else ("checks", "pass")
    score = sum(r.points for r in results)
    total = sum(r.max_points for r in results)
    lines.append(
        f"{passed} of {len(results)} {kind}{noun} {verb} "
        f"({_points(score)} / {_points(total)} points)"
    )
    return "\n".join(lines)


def summary_line(report: Mapping, path: Path | None = None, *, skipped: bool = False) -> str:
    """One line of ``grader grade``: ``alice        27.5 / 30  graded  -> reports/activations/alice.yaml``.

    ``skipped``: the report was already there for the same files and rubric (not graded again).
    Without ``path`` the arrow and path are left out.
    """
    name = _one_line(str(report.get("submission", "?")))
    score = f"{_number(report.get('score', 0))} / {_number(report.get('max_score', 0))}"
    if report.get("status") == "graded":
        outcome = "graded"
    else:
        outcome = f"error: {_one_line(str(report.get('reason') or 'unknown'))}"
    if skipped:
        outcome += " (up to date, not graded again)"
    return f"{name:<{_NAME_WIDTH}} {score}  {outcome}" + (f"  -> {path}" if path is not None else "")


def _score_text(result: CheckResult) -> str:
    return f"{_points(result.points)} / {_points(result.max_points)}"


def _one_line(text: str) -> str:
    return escape_output(" ".join(text.split("\n")), limit=_FEEDBACK_LIMIT).replace("\n", " ")


def _points(value: float) -> str:
    """``4.0``, ``2.5``, ``0.25``: at least one decimal, at most two."""
    rounded = round(float(value), 2)
    text = f"{rounded:.2f}"
    return text[:-1] if text.endswith("0") else text


def _number(value: object) -> str:
    """``30``, ``27.5``: a score as the report writes it."""
    try:
        rounded = round(float(value), 2)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    return str(int(rounded)) if rounded.is_integer() else str(rounded)


def class_summary(
    reports: list[tuple[Mapping, bool]],
    *,
    assignment: Assignment,
    seconds: float,
    folder: str,
) -> str:
    """The last line of ``grader grade``, for ``(report, skipped)`` pairs of one run, e.g.
    ``graded 88 submissions of 01 activations in 61.0 s (0.693 s each); 2 skipped (up to
    date; --force grades them again); mean score 27.41 / 36; 3 could not be loaded; reports
    in reports/activations/``."""
    graded = [report for report, skipped in reports if not skipped]
    skipped = len(reports) - len(graded)
    errors = sum(1 for report, _ in reports if report.get("status") == "error")
    scores = [float(report.get("score", 0)) for report, _ in reports]
    most = max((float(report.get("max_score", 0)) for report, _ in reports), default=0.0)
    each = f" ({seconds / len(graded):.3f} s each)" if graded else ""
    text = (
        f"graded {len(graded)} submission{'s' * (len(graded) != 1)} of {assignment.label} {assignment.name} "
        f"in {seconds:.1f} s{each}"
    )
    if skipped:
        text += f"; {skipped} skipped (up to date; --force grades them again)"
    if scores:
        text += f"; mean score {sum(scores) / len(scores):.2f} / {_number(most)}"
    if errors:
        text += f"; {errors} could not be loaded"
    return text + f"; reports in {folder}"
