"""What the course hands out: ``grader package`` (what a platform runs: Gradescope's autograder
zip, :mod:`grader.platforms.gradescope`) and ``grader export-student`` (the students' copy of the
course, :mod:`grader.export`)."""

from __future__ import annotations

import argparse

from grader import i18n
from grader.course import find_assignment
from grader.errors import GraderError

__all__ = ["command_export_student", "command_package"]


def command_package(args: argparse.Namespace) -> int:
    from grader.platforms.gradescope import build_autograder

    if args.platform == "classroom":
        raise GraderError(
            "GitHub Classroom takes no package: `grader export-student TEMPLATE` writes the class's template "
            "repository, whose workflow reports the public checks to Classroom; grade the students' "
            "repositories with `grader grade` (README: GitHub Classroom)"
        )

    count = build_autograder(args.assignment, args.out, lang=args.lang or i18n.DEFAULT)
    print(f"wrote Gradescope's autograder for {find_assignment(args.assignment).name} ({count} files) to {args.out}")
    return 0


def command_export_student(args: argparse.Namespace) -> int:
    from grader.export import export_student_copy

    written = export_student_copy(args.folder, lang=i18n.choose(args.lang))
    print(f"wrote the students' copy ({written} files) to {args.folder}")
    return 0
