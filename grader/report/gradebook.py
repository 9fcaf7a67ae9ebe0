"""The class's gradebook, from the YAML reports of ``grader grade``, and its CSV exports.

:func:`collect` reads every report under the folders it is given (``OUT/<assignment>/*.yaml``
or any folder of reports) and keeps one report per student and assignment: a report of the
assignment's current rubric wins over one of an older rubric, and otherwise the one graded
last wins. Students are identified by their submission's name (the folder GitHub Classroom
made for them); a roster maps them to the identifiers of a learning-management system.

:func:`write_csv` writes the gradebook in one of three CSV formats:

* ``plain``: ``student`` (and ``identifier`` with a roster), one column per assignment (and,
  with ``detail``, one per check: ``01 activations: sigmoid_values``), ``total``, ``max`` and
  ``percent``.
* ``canvas``: Canvas's gradebook import format: ``Student``, ``ID``, ``SIS User ID``,
  ``SIS Login ID``, ``Section``, one column per assignment (a new column makes a new
  assignment in Canvas), and a second row ``Points Possible`` with each assignment's points.
  Canvas matches a row by ``ID``, ``SIS User ID`` or ``SIS Login ID`` before the name; an
  empty cell leaves a grade as it is. (Canvas Instructor Guide, "How do I import grades in
  the Gradebook?")
* ``moodle``: Moodle's CSV grade import: an identifier column and one column per grade item,
  mapped in Moodle's import form ("Map from" the identifier column "to" ``useremail``,
  ``username`` or ``useridnumber``; each assignment column to a grade item or a new one).
  (Moodle docs, "Grade import".)

Totals are left out of the LMS formats: both compute their own, and a ``total`` column would
become an assignment.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from grader.course import ASSIGNMENTS
from grader.errors import GraderError
from grader.results import Report

__all__ = [
    "CANVAS_COLUMNS",
    "FORMATS",
    "Gradebook",
    "Roster",
    "RosterGaps",
    "collect",
    "csv_text",
    "read_roster",
    "roster_gaps",
    "roster_warnings",
    "without_roster",
    "write_csv",
]

FORMATS = ("plain", "canvas", "moodle")
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
_ROSTER_HEADERS = ("submission", "folder", "student", "name")
_DEFAULT_IDENTIFIER = "Identifier"


@dataclass
class Gradebook:
    """One report per (student, assignment); ``replaced`` counts the reports that lost to a
    newer one, ``ignored`` the YAML files that are not reports."""

    reports: dict[tuple[str, str], Report] = field(default_factory=dict)
    replaced: int = 0
    ignored: list[Path] = field(default_factory=list)
    current: dict[str, str | None] = field(default_factory=dict)  # assignment -> its rubric digest here

    @property
    def assignments(self) -> list[str]:
        """Assignment names in course order (unknown ones after, by name)."""
        order = {a.name: a.number for a in ASSIGNMENTS}
        names = {assignment for _, assignment in self.reports}
        return sorted(names, key=lambda name: (order.get(name, len(order) + 1), name))

    @property
    def students(self) -> list[str]:
        return sorted({student for student, _ in self.reports}, key=lambda s: (s.casefold(), s))

    def report(self, student: str, assignment: str) -> Report | None:
        return self.reports.get((student, assignment))

    def of_assignment(self, assignment: str) -> list[Report]:
        return [self.reports[(s, assignment)] for s in self.students if (s, assignment) in self.reports]

    def max_score(self, assignment: str) -> float:
        return max((float(r["max_score"]) for r in self.of_assignment(assignment)), default=0.0)

    def checks(self, assignment: str) -> list[tuple[str, str]]:
        """``(id, description)`` of the assignment's checks, in suite order."""
        seen: dict[str, str] = {}
        for report in sorted(self.of_assignment(assignment), key=lambda r: -len(r.get("tests", []))):
            for test in report.get("tests", []):
                seen.setdefault(str(test["id"]), str(test.get("description", "")))
        return list(seen.items())

    def stale(self) -> list[Report]:
        """Chosen reports whose rubric is not the current one here (regrade them)."""
        return [
            r
            for (_, assignment), r in sorted(self.reports.items())
            if self.current.get(assignment) and r.get("rubric") != self.current[assignment]
        ]


def label(assignment: str) -> str:
    """``01 activations`` for an assignment of the course, else its name."""
    for known in ASSIGNMENTS:
        if known.name == assignment:
            return f"{known.label} {known.name}"
    return assignment


def current_rubrics(names: Iterable[str]) -> dict[str, str | None]:
    """The rubric digest of each assignment as this grader grades it (None: not gradable here)."""
    from grader.batch import prepare
    from grader.course import find_assignment, has_hidden_checks

    digests: dict[str, str | None] = {}
    for name in names:
        try:
            assignment = find_assignment(name)
            digests[name] = prepare(assignment).digest if has_hidden_checks(assignment) else None
        except (GraderError, OSError, ImportError, ValueError):
            digests[name] = None
    return digests


def collect(folders: Sequence[Path], *, current: dict[str, str | None] | None = None) -> Gradebook:
    """Read every ``*.yaml`` report under ``folders`` (recursively) into a :class:`Gradebook`.

    ``current`` maps an assignment to its current rubric digest (default: computed with
    :func:`current_rubrics`). Raises :class:`~grader.errors.GraderError` for a folder that
    does not exist.
    """
    from grader.report.yaml_report import read_report

    found: list[tuple[Path, Report]] = []
    book = Gradebook()
    for folder in folders:
        if not Path(folder).is_dir():
            raise GraderError(f"no reports folder {folder}")
        for path in sorted(Path(folder).rglob("*.yaml")):
            report = read_report(path)
            if report is None:
                book.ignored.append(path)
            else:
                found.append((path, report))
    book.current = current if current is not None else current_rubrics({str(r["assignment"]) for _, r in found})
    seen_paths: set[Path] = set()
    for path, report in found:
        if path.resolve() in seen_paths:  # the same file through two folders given
            continue
        seen_paths.add(path.resolve())
        key = (str(report["submission"]), str(report["assignment"]))
        held = book.reports.get(key)
        if held is None:
            book.reports[key] = report
            continue
        book.replaced += 1
        if _rank(report, book.current) > _rank(held, book.current):
            book.reports[key] = report
    return book


def _rank(report: Report, current: dict[str, str | None]) -> tuple[bool, str]:
    """Newer wins: the current rubric first, then the later ``graded_at`` (ISO 8601, UTC)."""
    digest = current.get(str(report["assignment"]))
    return (digest is not None and report.get("rubric") == digest, str(report.get("graded_at", "")))


# ---------------------------------------------------------------------------------- roster


@dataclass(frozen=True)
class Roster:
    """Submission folder name -> LMS identifier; ``column`` names the identifier (the roster's
    header, e.g. ``Email address`` or ``SIS Login ID``)."""

    identifiers: dict[str, str]
    column: str = _DEFAULT_IDENTIFIER


def read_roster(path: Path) -> Roster:
    """A roster CSV: the submission folder's name, then the student's identifier in the LMS.

    A first row whose first cell is ``submission``, ``folder``, ``student`` or ``name`` is a
    header; its second cell names the identifier column. Raises
    :class:`~grader.errors.GraderError` when the file cannot be read or a row lacks a cell.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise GraderError(f"cannot read the roster {path}: {exc}") from None
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    column = _DEFAULT_IDENTIFIER
    if rows and rows[0][0].strip().casefold() in _ROSTER_HEADERS:
        header, rows = rows[0], rows[1:]
        if len(header) > 1 and header[1].strip():
            column = header[1].strip()
    identifiers: dict[str, str] = {}
    for number, row in enumerate(rows, start=1):
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise GraderError(f"roster {path}, row {number}: give the folder name and the identifier, e.g. alice,alice@uni.edu")
        identifiers[row[0].strip()] = row[1].strip()
    return Roster(identifiers, column)


@dataclass(frozen=True)
class RosterGaps:
    """Where the roster and the reports disagree. ``unsubmitted`` maps each assignment (course
    order) to the roster's students with no report of it, in the roster's order (their cells
    are left empty: an LMS keeps whatever grade it had); ``unlisted`` are the students with a
    report who are not on the roster (an LMS cannot match their rows)."""

    unsubmitted: dict[str, list[str]]
    unlisted: list[str]

    def __bool__(self) -> bool:
        return bool(self.unlisted) or any(self.unsubmitted.values())


def roster_gaps(book: Gradebook, roster: Roster) -> RosterGaps:
    """Compare ``roster`` with the students of ``book`` (by submission folder name)."""
    unsubmitted = {
        assignment: [s for s in roster.identifiers if book.report(s, assignment) is None] for assignment in book.assignments
    }
    return RosterGaps(unsubmitted, [s for s in book.students if s not in roster.identifiers])


_UNMATCHED = {
    "canvas": "so Canvas cannot match their rows (Student holds the folder name, the ID columns are empty)",
    "moodle": "so Moodle cannot match their rows (the identifier column holds the folder name)",
    "plain": "so their identifier cell in the CSV is empty",
}


def roster_warnings(gaps: RosterGaps, *, format: str | None, most: int = 10) -> list[str]:
    """Lines for the instructor (stderr) about ``gaps``: per assignment, the roster's students
    without a report, then the students not on the roster, with what that does to the CSV of
    ``format`` (None: no CSV written). At most ``most`` names a line, then how many more."""

    def names(students: list[str]) -> str:
        shown = ", ".join(students[:most])
        return shown + (f" and {len(students) - most} more" if len(students) > most else "")

    lines = []
    for assignment, students in gaps.unsubmitted.items():
        if students:
            has = "student on the roster has" if len(students) == 1 else "students on the roster have"
            empty = " (an empty cell in the CSV)" if format else ""
            lines.append(f"{len(students)} {has} no report of {label(assignment)}{empty}: {names(gaps.unsubmitted[assignment])}")
    if gaps.unlisted:
        are = "student with a report is" if len(gaps.unlisted) == 1 else "students with reports are"
        effect = f", {_UNMATCHED[format]}" if format in _UNMATCHED else ""
        lines.append(f"{len(gaps.unlisted)} {are} not on the roster{effect}: {names(gaps.unlisted)}")
    return lines


def without_roster(format: str) -> str | None:
    """What an LMS export lacks without ``--roster``, for the instructor (stderr), or None for
    the plain format. Canvas matches an imported row by ``ID``, ``SIS User ID`` or ``SIS Login
    ID`` and only then by the student's name, which a submission folder's name
    (``nn-course-alice``) is not: every row would be an unknown student to resolve by hand.
    Moodle matches the identifier column only to a user's email, username or ID number."""
    if format == "canvas":
        return (
            "no --roster: the Canvas CSV's ID, SIS User ID and SIS Login ID columns are empty, and Student holds the "
            "submission folders' names, so Canvas cannot match its students (each row becomes an unknown student to "
            "resolve by hand); give --roster FILE, a CSV of folder name, SIS Login ID per line (a header "
            "`folder,SIS User ID` or `folder,ID` fills that column)"
        )
    if format == "moodle":
        return (
            "no --roster: the Moodle CSV identifies students by their submission folders' names, which Moodle matches "
            "only if they are its usernames; give --roster FILE, a CSV of folder name, identifier per line (a header "
            "such as `folder,Email address` names the column to map to useremail)"
        )
    return None


# ------------------------------------------------------------------------------------- CSV


def _number(value: float | None) -> str:
    if value is None:
        return ""
    rounded = round(float(value), 2)
    return str(int(rounded)) if rounded.is_integer() else str(rounded)


def _students(book: Gradebook, roster: Roster | None) -> list[str]:
    """Roster students first, in the roster's order (with or without reports), then the others."""
    listed = list(roster.identifiers) if roster else []
    return listed + [s for s in book.students if s not in set(listed)]


def csv_rows(book: Gradebook, *, format: str = "plain", detail: bool = False, roster: Roster | None = None) -> list[list[str]]:
    """The rows of the CSV export (header first); see the module docstring for the formats."""
    if format not in FORMATS:
        raise GraderError(f"unknown gradebook format {format!r}; choose one of {', '.join(FORMATS)}")
    if detail and format != "plain":
        raise GraderError(f"--detail adds a column per check, which {format} would import as assignments: use --format plain")
    assignments = book.assignments
    students = _students(book, roster)

    def score(student: str, assignment: str) -> float | None:
        report = book.report(student, assignment)
        return None if report is None else float(report["score"])

    if format == "canvas":
        where = roster.column if roster and roster.column in CANVAS_COLUMNS[1:] else "SIS Login ID"
        header = [*CANVAS_COLUMNS, *(label(a) for a in assignments)]
        rows = [header, ["Points Possible", "", "", "", "", *(_number(book.max_score(a)) for a in assignments)]]
        for student in students:
            identity = dict.fromkeys(CANVAS_COLUMNS, "")
            identity["Student"] = student
            if roster and student in roster.identifiers:
                identity[where] = roster.identifiers[student]
            rows.append([*identity.values(), *(_number(score(student, a)) for a in assignments)])
        return rows
    if format == "moodle":
        column = roster.column if roster else _DEFAULT_IDENTIFIER
        rows = [[column, *(label(a) for a in assignments)]]
        for student in students:
            identifier = roster.identifiers.get(student, student) if roster else student
            rows.append([identifier, *(_number(score(student, a)) for a in assignments)])
        return rows
    header = ["student", *(["identifier"] if roster else [])]
    checks = {a: book.checks(a) if detail else [] for a in assignments}
    for assignment in assignments:
        header.append(label(assignment))
        header.extend(f"{label(assignment)}: {ident}" for ident, _ in checks[assignment])
    header.extend(["total", "max", "percent"])
    rows = [header]
    most = sum(book.max_score(a) for a in assignments)
    for student in students:
        row = [_safe_cell(student), *([roster.identifiers.get(student, "")] if roster else [])]
        total = 0.0
        for assignment in assignments:
            report = book.report(student, assignment)
            value = score(student, assignment)
            total += value or 0.0
            row.append(_number(value))
            points = {str(t["id"]): float(t["points"]) for t in report.get("tests", [])} if report else {}
            row.extend(_number(points.get(ident)) for ident, _ in checks[assignment])
        row.extend([_number(total), _number(most), f"{100 * total / most:.1f}" if most else ""])
        rows.append(row)
    return rows


def _safe_cell(text: str) -> str:
    """A name a spreadsheet will not take for a formula (a folder named ``=cmd|...``)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def csv_text(book: Gradebook, **options) -> str:
    """The CSV export as text (RFC 4180: commas, double quotes, CRLF line ends)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(csv_rows(book, **options))
    return buffer.getvalue()


def write_csv(book: Gradebook, path: Path, **options) -> None:
    """Write :func:`csv_text` to ``path`` atomically, in UTF-8; the plain format starts with a
    byte-order mark, so that spreadsheet programs read non-ASCII names right (the LMS formats
    do not: their importers read UTF-8 as it is)."""
    from grader.report.yaml_report import write_text

    bom = "\ufeff" if options.get("format", "plain") == "plain" else ""
    write_text(bom + csv_text(book, **options), path)
