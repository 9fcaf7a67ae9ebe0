"""The ``grader`` command: ``list``, ``check`` (a student's self-check) and ``grade`` (a class).

``main(argv) -> int`` parses the command line and hands over to the pieces that do the work;
errors of the people running it (an unknown assignment, a missing folder) are
:class:`~grader.errors.GraderError` and print as one line, exit code 2.

The parser is in :mod:`grader.cli.parser`; each command's work in a module of its own:
:mod:`~grader.cli.listing` (``list``), :mod:`~grader.cli.check`, :mod:`~grader.cli.grade`,
:mod:`~grader.cli.gradebook` (``gradebook`` and ``report``), :mod:`~grader.cli.handout`
(``package`` and ``export-student``) and :mod:`~grader.cli.mutate`. A new command: its options
in :func:`~grader.cli.parser.build_parser`, its ``command_NAME(args) -> int`` in a module here,
one line in :func:`main`.
"""

from __future__ import annotations

import os
import sys

from grader import i18n
from grader.cli.check import command_check, find_student_copy
from grader.cli.grade import Interrupted, command_grade
from grader.cli.gradebook import command_gradebook, command_report
from grader.cli.handout import command_export_student, command_package
from grader.cli.listing import command_list
from grader.cli.mutate import command_mutate
from grader.cli.parser import _argparse_speaks_the_language, _command_line_language, build_parser
from grader.errors import GraderError

__all__ = [
    "Interrupted",
    "build_parser",
    "command_check",
    "command_export_student",
    "command_grade",
    "command_gradebook",
    "command_list",
    "command_mutate",
    "command_package",
    "command_report",
    "find_student_copy",
    "main",
]


def main(argv: list[str] | None = None) -> int:
    sys.dont_write_bytecode = True  # no caches: the grader writes its reports and nothing else
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        _refuse_paths_taken_for_options(argv)
    except GraderError as exc:
        print(f"grader: {exc}", file=sys.stderr)
        return exc.exit_code
    with i18n.use(_command_line_language(argv)), _argparse_speaks_the_language():
        parser = build_parser()
        args, extra = parser.parse_known_args(argv)
        if extra and args.command == "check" and args.submission is None and len(extra) == 1 and not extra[0].startswith("-"):
            args.submission = extra[0]  # `grader check activations -k softmax PATH`: argparse took no PATH
        elif extra:
            parser.error(i18n._("unrecognized arguments: %s") % " ".join(extra))
    try:
        if args.command in ("check", "grade"):
            with i18n.use(i18n.choose(args.lang, system=args.command == "check")):
                return command_check(args) if args.command == "check" else command_grade(args)
        if args.command == "list":  # a student's first command: in the student's language, as check
            with i18n.use(i18n.choose(args.lang, system=True)):
                return command_list(names=args.names, markdown=args.markdown)
        if args.command == "mutate":
            return command_mutate(args)
        if args.command == "package":
            return command_package(args)
        if args.command == "export-student":
            return command_export_student(args)
        if args.command == "gradebook":
            return command_gradebook(args)
        return command_report(args)
    except GraderError as exc:
        print(f"grader: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("grader: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `grader grade ... | head`: the reader left; the reports are written
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _refuse_paths_taken_for_options(argv: list[str]) -> None:
    """Refuse an option that is also the name of a file or folder here (before ``--``): a
    submission folder named ``--isolation=none`` or ``--help`` that a ``*`` put on the command
    line must never be read as an option."""
    options = argv[: argv.index("--")] if "--" in argv else argv
    for token in options:
        if token.startswith("-") and token != "-" and os.path.lexists(token):
            raise GraderError(
                f"{token!r} is an option and also a file or folder here; put the submissions after `--` "
                "(grader grade ASSIGNMENT --out reports/ -- subs/*)"
            )


