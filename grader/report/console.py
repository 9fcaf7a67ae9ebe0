"""What people read in the terminal: a student's self-check, the instructor's summary.

Plain text: the layout is ASCII, coloured only on a terminal (the marks PASS, FAIL, ERROR,
TIME; never when ``NO_COLOR`` is set, https://no-color.org), and whatever the student's
code controls (its output, file names) is escaped with
:func:`~grader.report.yaml_report.escape_output` before it is shown.

``grader check`` prints as it goes: :func:`check_header` at once, :func:`check_line` as each
check finishes, then :func:`check_problem` or the output and :func:`check_summary`.
:func:`render_check` is all of it at once.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TextIO

from grader.course import Assignment
from grader.i18n import _, ngettext
from grader.report.yaml_report import escape_output
from grader.results import CheckResult

__all__ = [
    "check_header",
    "check_line",
    "check_notes",
    "check_output",
    "check_problem",
    "check_summary",
    "class_summary",
    "fit_name",
    "name_width",
    "score_column",
    "score_width",
    "render_check",
    "summary_line",
    "use_colour",
]

_MARKS = {"passed": "PASS", "failed": "FAIL", "error": "ERROR", "timeout": "TIME"}
_COLOURS = {"passed": "32", "failed": "31", "error": "33", "timeout": "33"}  # ANSI SGR: green, red, yellow


def use_colour(stream: TextIO) -> bool:
    """Colour for a terminal only, and never when ``NO_COLOR`` is set (to anything but "")
    or ``TERM`` is ``dumb``."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def check_header(assignment: Assignment, submission_name: str) -> str:
    """``01 activations: checking alice``."""
    return _("{label} {name}: checking {submission}").format(
        label=assignment.label, name=assignment.name, submission=_one_line(submission_name)
    )


def check_notes(notes: tuple[str, ...]) -> list[str]:
    """``Notes:`` and one line per note (none when there are none)."""
    return [_("Notes:"), *(f"  - {_one_line(note)}" for note in notes)] if notes else []


def check_line(result: CheckResult, width: int, *, score_width: int = 0, colour: bool = False) -> str:
    """One check: ``PASS   sigmoid_values  1.0 / 1.0  sigmoid of scalars and arrays``, its
    feedback under it unless it got full marks; ``width`` is that of the longest check id,
    ``score_width`` that of the longest score."""
    mark = _MARKS.get(result.status, result.status.upper())
    shown = f"{mark:<5}"
    if colour and result.status in _COLOURS:
        shown = f"\033[{_COLOURS[result.status]}m{mark}\033[0m{' ' * (5 - len(mark))}"
    described = f"  {_one_line(_(result.description))}" if result.description and result.description != result.id else ""
    lines = [f"{shown}  {result.id:<{width}}  {_score_text(result):>{score_width}}{described}".rstrip()]
    if result.feedback and (result.status != "passed" or result.points < result.max_points):
        feedback = escape_output(result.feedback, limit=_FEEDBACK_LIMIT)
        lines.extend(f"       {line}" for line in feedback.splitlines())
    return "\n".join(lines)


def score_width(max_points: list[float]) -> int:
    """The width of the longest full score (``12.0 / 12.0``) among checks worth ``max_points``."""
    return max((len(f"{_points(p)} / {_points(p)}") for p in max_points), default=0)


def check_problem(problem: str, count: int, total: float) -> str:
    """A submission that cannot be loaded: the reason once, instead of one line per check."""
    return _("Cannot check it: {problem}").format(problem=_one_line(problem)) + "\n" + ngettext(
        "the {count} public check did not run (0.0 / {total} points)",
        "none of the {count} public checks ran (0.0 / {total} points)",
        count,
    ).format(count=count, total=_points(total))


def check_output(output: str) -> list[str]:
    """What the student's code printed, escaped, under ``Your code printed:``."""
    if not output:
        return []
    return [_("Your code printed:"), *(f"  | {line}" for line in escape_output(output).split("\n"))]


def check_summary(results: list[CheckResult], *, hidden_checks: int | None = None, hidden_points: float = 0.0) -> str:
    """``13 of 13 public checks pass (13.0 / 13.0 points)``, and when what the grade adds is
    known, a second line: ``public 13/13; grading adds 15 hidden checks worth 23 points``."""
    passed = sum(r.status == "passed" for r in results)
    public = bool(results) and all(r.visibility == "public" for r in results)
    score = sum(r.points for r in results)
    total = sum(r.max_points for r in results)
    if public:
        text = ngettext(
            "{passed} of {count} public check passes ({score} / {total} points)",
            "{passed} of {count} public checks pass ({score} / {total} points)",
            len(results),
        )
    else:
        text = ngettext(
            "{passed} of {count} check passes ({score} / {total} points)",
            "{passed} of {count} checks pass ({score} / {total} points)",
            len(results),
        )
    text = text.format(passed=passed, count=len(results), score=_points(score), total=_points(total))
    if hidden_checks is not None:
        hidden = ngettext(
            "{count} hidden check worth {points} points", "{count} hidden checks worth {points} points", hidden_checks
        ).format(count=hidden_checks, points=_number(hidden_points))
        text += "\n" + _("public {score}/{total}; grading adds {hidden}").format(
            score=_number(score), total=_number(total), hidden=hidden
        )
    return text
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

    ``problem`` (a submission that cannot be loaded) replaces the list of checks and the total.
    The last line counts the passing checks and the points, e.g.
    ``3 of 9 public checks pass (4.0 / 12.0 points)``.
    """
    lines = [check_header(assignment, submission_name), *check_notes(notes)]
    if problem:
        lines.append(check_problem(problem, len(results), sum(r.max_points for r in results)))
        lines.extend(check_output(output))
        return "\n".join(lines)
    width = max((len(r.id) for r in results), default=0)
    score_width = max((len(_score_text(r)) for r in results), default=0)
    lines.extend(check_line(result, width, score_width=score_width) for result in results)
    lines.extend(check_output(output))
    lines.append(check_summary(results))
    return "\n".join(lines)


def summary_line(
    report: Mapping,
    path: Path | None = None,
    *,
    skipped: bool = False,
    width: int = _NAME_WIDTH,
    score_width: int = 0,
    seconds: bool = False,
) -> str:
    """One line of ``grader grade``: ``alice        27.5 / 30  graded  -> reports/activations/alice.yaml``.

    ``skipped``: the report was already there for the same files and rubric (not graded again).
    ``path``, the report's file, is shown after an arrow when the line does not tell it already:
    when the file is not named after the submission (``alice-2.yaml``) or the name was cut (the
    folder is on the last line of ``grader grade``). The name takes ``width`` characters (see
    :func:`name_width`; a longer one is cut in the middle, :func:`fit_name`), the score is
    right-aligned in ``score_width`` (see :func:`score_column`), and with ``seconds`` the
    submission's own time (its report's ``duration_s``, blank when it was skipped) follows it:
    ``alice   27.5 / 30  0.21 s  graded``.
    """
    full = _one_line(str(report.get("submission", "?")))
    name = fit_name(full, width)
    score = f"{_number(report.get('score', 0))} / {_number(report.get('max_score', 0))}"
    if report.get("status") == "graded":
        outcome = _("graded")
    else:
        outcome = _("error: {reason}").format(reason=_one_line(str(report.get("reason") or _("unknown"))))
    if skipped:
        outcome += " " + _("(up to date, not graded again)")
    took = ""
    if seconds:
        duration = report.get("duration_s")
        shown = f"{float(duration):.2f} s" if isinstance(duration, (int, float)) and not skipped else ""
        took = f"  {shown:>{_SECONDS_WIDTH}}"
    told = path is None or (name == full and path.name == f"{full}.yaml")
    return f"{name:<{width}} {score:>{score_width}}{took}  {outcome}" + ("" if told else f"  -> {path}")


_SECONDS_WIDTH = len("10.00 s")  # a longer time shifts its line by a character
NAME_LIMIT = 60  # characters of a name in grader grade's lines: GitHub Classroom's "assignment-username" fits


def name_width(names: Iterable[str], *, limit: int = NAME_LIMIT) -> int:
    """The width of the name column of :func:`summary_line` for ``names``: the longest name's
    (escaped as shown), at least the default 12, at most ``limit``."""
    return max(_NAME_WIDTH, min(max((len(_one_line(n)) for n in names), default=0), limit))


def fit_name(name: str, width: int) -> str:
    """``name`` cut to ``width`` characters in the middle, where GitHub Classroom's folder names
    (``nn-course-activations-<username>``) repeat the assignment: its start and its end (the
    username) are kept, ``...`` between them. A name that fits is returned as it is."""
    if len(name) <= width:
        return name
    if width <= 3:
        return name[:width]
    head = (width - 3) // 3
    return name[:head] + "..." + name[len(name) - (width - 3 - head):]


def score_column(most: float) -> int:
    """The width of the longest score out of ``most`` points as :func:`summary_line` writes it
    (``31.64 / 36``: two decimals at most)."""
    whole = _number(most)
    return len(str(int(float(most)))) + len(".00 / ") + len(whole)


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
    reports: Sequence[tuple[Mapping, bool]],
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
    text = ngettext(
        "graded {count} submission of {label} {name} in {seconds:.1f} s",
        "graded {count} submissions of {label} {name} in {seconds:.1f} s",
        len(graded),
    ).format(count=len(graded), label=assignment.label, name=assignment.name, seconds=seconds)
    if graded:
        text += " " + _("({seconds:.3f} s each)").format(seconds=seconds / len(graded))
    if skipped:
        text += "; " + ngettext(
            "{count} skipped (up to date; --force grades them again)",
            "{count} skipped (up to date; --force grades them again)",
            skipped,
        ).format(count=skipped)
    if scores:
        text += "; " + _("mean score {mean:.2f} / {most}").format(mean=sum(scores) / len(scores), most=_number(most))
    if errors:
        text += "; " + ngettext("{count} could not be loaded", "{count} could not be loaded", errors).format(count=errors)
    return text + "; " + _("reports in {folder}").format(folder=folder)
