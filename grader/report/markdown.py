"""The gradebook as a Markdown summary, e.g. for a GitHub Actions step summary.

Per assignment: how many reports, mean, median, lowest and highest score, a distribution of
scores in tenths of the points, and each check's pass rate, the checks the class found
hardest first; then the submissions that could not be loaded, with the reason. GitHub shows
at most 1 MiB of a step's summary (``$GITHUB_STEP_SUMMARY``), so the text is cut to
:data:`SUMMARY_LIMIT` bytes at a line, with a last line saying so.

Whatever a submission controls (its name, the reason it could not be loaded) is escaped so
that it cannot add Markdown or HTML of its own.
"""

from __future__ import annotations

import re
import statistics

from grader.report.gradebook import Gradebook, RosterGaps, label

__all__ = ["SUMMARY_LIMIT", "markdown_summary"]

SUMMARY_LIMIT = 1024 * 1024  # bytes: GitHub's limit for one step's summary
_CELL_LIMIT = 200  # characters of a reason shown in a table cell
_BAR = 30  # characters of the longest bar of a distribution
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~])")  # what can start emphasis, code, links, HTML, cells


def _md(text: object, limit: int = _CELL_LIMIT) -> str:
    """``text`` as literal Markdown on one line, at most ``limit`` characters (before escaping)."""
    flat = " ".join(str(text).split())
    if len(flat) > limit:
        flat = flat[: limit - 3] + "..."
    return _SPECIAL.sub(r"\\\1", flat)


def _n(value: float) -> str:
    rounded = round(float(value), 2)
    return str(int(rounded)) if rounded.is_integer() else f"{rounded:g}"


def markdown_summary(book: Gradebook, *, gaps: RosterGaps | None = None, limit: int = SUMMARY_LIMIT) -> str:
    """The summary as Markdown text of at most ``limit`` bytes (UTF-8). ``gaps`` (given a
    roster: :func:`~grader.report.gradebook.roster_gaps`) adds the roster's students without a
    report of each assignment and the students not on the roster."""
    students = book.students
    assignments = book.assignments
    lines = [
        "# Gradebook",
        "",
        f"{len(students)} student{'s' * (len(students) != 1)}, {len(assignments)} assignment"
        f"{'s' * (len(assignments) != 1)}, {len(book.reports)} report{'s' * (len(book.reports) != 1)}"
        + (f" ({book.replaced} older reports replaced by newer ones)" if book.replaced else "")
        + ".",
        "",
        "| assignment | points | reports | mean | median | lowest | highest | could not be loaded |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for assignment in assignments:
        reports = book.of_assignment(assignment)
        scores = [float(r["score"]) for r in reports]
        errors = sum(1 for r in reports if r["status"] == "error")
        lines.append(
            f"| {_md(label(assignment))} | {_n(book.max_score(assignment))} | {len(reports)} | "
            f"{statistics.fmean(scores):.2f} | {_n(statistics.median(scores))} | {_n(min(scores))} | "
            f"{_n(max(scores))} | {errors} |"
        )
    stale = book.stale()
    if stale:
        lines += ["", f"**{len(stale)} reports were graded with an older rubric**: grade them again with `grader grade`."]
    for assignment in assignments:
        lines += ["", f"## {_md(label(assignment))}", ""]
        lines += _distribution(book, assignment)
        lines += ["", *_pass_rates(book, assignment)]
    unloadable = [
        (assignment, student, report)
        for assignment in assignments
        for student in students
        if (report := book.report(student, assignment)) is not None and report["status"] == "error"
    ]
    lines += ["", "## Submissions that could not be loaded", ""]
    if unloadable:
        lines += ["| assignment | student | reason |", "|---|---|---|"]
        lines += [
            f"| {_md(label(a))} | {_md(s)} | {_md(r.get('reason', ''))} |" for a, s, r in unloadable
        ]
    else:
        lines.append("None.")
    if gaps is not None:
        lines += ["", *_roster(gaps)]
    return _capped(lines, limit)


def _roster(gaps: RosterGaps) -> list[str]:
    """The roster's students with no report, per assignment; the students not on the roster."""
    lines = ["## The roster", "", "Students on the roster without a report (their grade is left empty):", ""]
    missing = [(a, students) for a, students in gaps.unsubmitted.items() if students]
    if missing:
        lines += ["| assignment | students | who |", "|---|--:|---|"]
        lines += [f"| {_md(label(a))} | {len(s)} | {_names(s)} |" for a, s in missing]
    else:
        lines.append("None: every student on the roster has a report of every assignment.")
    lines += ["", "Students with a report who are not on the roster (an LMS cannot match them):", ""]
    lines.append(_names(gaps.unlisted) + "." if gaps.unlisted else "None.")
    return lines


def _names(students: list[str]) -> str:
    """Names, escaped, comma-separated (each cut to 100 characters)."""
    return ", ".join(_md(s, 100) for s in students)


def _distribution(book: Gradebook, assignment: str) -> list[str]:
    """Scores in tenths of the points (the last tenth holds full marks), with bars."""
    most = book.max_score(assignment)
    counts = [0] * 10
    for report in book.of_assignment(assignment):
        tenth = min(int(10 * float(report["score"]) / most), 9) if most > 0 else 9
        counts[max(tenth, 0)] += 1
    widest = max(counts) or 1
    lines = ["| score | students | |", "|---|--:|---|"]
    for tenth in range(9, -1, -1):
        low, high = 10 * tenth, 10 * tenth + 10
        span = "90% to 100%" if tenth == 9 else f"{low}% to <{high}%"
        bar = "█" * round(_BAR * counts[tenth] / widest)
        lines.append(f"| {span} | {counts[tenth]} | {bar} |")
    return lines


def _pass_rates(book: Gradebook, assignment: str) -> list[str]:
    """Each check's pass rate among the reports that ran it, hardest first."""
    rows = []
    for order, (ident, description) in enumerate(book.checks(assignment)):
        ran = passed = 0
        for report in book.of_assignment(assignment):
            if report["status"] != "graded":
                continue
            for test in report.get("tests", []):
                if test["id"] == ident:
                    ran += 1
                    passed += test["status"] == "passed"
        rate = passed / ran if ran else 0.0
        rows.append((rate, order, ident, description, passed, ran))
    rows.sort()
    lines = ["Checks, the hardest for the class first:", "", "| check | what it checks | passed | pass rate |", "|---|---|--:|--:|"]
    lines += [
        f"| `{ident}` | {_md(description)} | {passed} of {ran} | {100 * rate:.0f}% |"
        for rate, _, ident, description, passed, ran in rows
    ]
    return lines


def _capped(lines: list[str], limit: int) -> str:
    """The lines joined, cut at a line so that the text and a last note fit ``limit`` bytes."""
    text = "\n".join(lines) + "\n"
    if len(text.encode()) <= limit:
        return text
    kept: list[str] = []
    used = 0
    for number, line in enumerate(lines):
        note = f"\n*(cut to fit {limit} bytes: {len(lines) - number} more lines not shown)*\n"
        size = len(line.encode()) + 1
        if used + size + len(note.encode()) > limit:
            return "\n".join(kept) + "\n" + note.lstrip("\n")
        kept.append(line)
        used += size
    return text  # pragma: no cover - the whole text fitted after all
