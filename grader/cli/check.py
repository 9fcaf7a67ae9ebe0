"""``grader check``: a student's self-check of a submission with the public checks, in the
student's language; the work is in :mod:`grader.selfcheck`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from grader import i18n
from grader.course import Assignment, find_assignment
from grader.errors import SubmissionNotFound

__all__ = ["command_check", "find_student_copy"]


def find_student_copy(assignment: Assignment, start: Path) -> Path:
    """The student's copy of an assignment, looked for from ``start`` (the current folder) by
    the rule ``grade`` follows too (:mod:`grader.submission.repository`)."""
    from grader.submission import find_folder
    from grader.submission.repository import matches_module, visible_entries

    folder, _ = find_folder(start, assignment)
    if any(matches_module(e.name, assignment.module) is not None for e in visible_entries(folder)):
        return start
    raise SubmissionNotFound(
        str(start),
        i18n._(
            "no {file} or {module}.ipynb here, in {name}/ or in assignments/{name}/; give the path: grader check {name} PATH"
        ).format(file=assignment.filename, module=assignment.module, name=assignment.name),
    )


def command_check(args: argparse.Namespace) -> int:
    from grader.selfcheck import refuse_what_is_not_a_submission, run_check

    assignment = find_assignment(args.assignment)
    path = Path(args.submission) if args.submission else find_student_copy(assignment, Path.cwd())
    from grader.submission import readable

    readable(path)  # a missing or unreadable path: its error alone, before the header
    refuse_what_is_not_a_submission(path, assignment, given=str(path))  # notes.txt, an empty folder: the same
    seen: list = []
    code = run_check(
        assignment, path, isolation=args.isolation, keywords=args.keywords or (), stream=sys.stdout,
        on_graded=seen.append,
    )
    if args.github_classroom and seen:
        from grader.platforms import classroom

        graded = seen[0]
        result = classroom.check_result(assignment, graded.results, status=graded.status, reason=graded.reason)
        classroom.write_step_output("result", classroom.encode(result))
        return 0
    return code
