"""The ``grader`` command line: its commands and options (:func:`build_parser`), and argparse's
own text (usage, section titles, its errors) in the student's language.

What students read (the command's description, ``check``'s help, argparse's own sentences) is
marked for the catalogue; ``--help`` and a usage error speak the language the command will
speak (:func:`_command_line_language`). The instructors' commands' help is English.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from grader import __version__, i18n
from grader.mutate.operators import OPERATORS as MUTATION_OPERATORS

__all__ = ["build_parser"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="grader",
        description=i18n._("Check and grade the assignments of the numpy neural-networks course."),
    )
    parser.add_argument("--version", action="version", version=f"grader {__version__}", help=i18n._(_VERSION_HELP))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = commands.add_parser("list", help="the assignments, their points and their checks")
    _language_option(
        listing, i18n._("the language of the table (default: $GRADER_LANG, else the system's language, else en)")
    )
    shown = listing.add_mutually_exclusive_group()
    shown.add_argument("--names", action="store_true", help="only the names of the available assignments, one a line (for scripts)")
    shown.add_argument("--markdown", action="store_true", help="the course table of the README, in Markdown")

    check = commands.add_parser("check", help=i18n._("self-check a submission with the public checks"))
    check.add_argument("assignment", help=i18n._("name (activations) or number (01, 1)"))
    check.add_argument(
        "submission",
        nargs="?",
        help=i18n._(
            "folder, .py file or .ipynb notebook (default: your copy of the assignment, found from the current folder)"
        ),
    )
    check.add_argument(
        "-k",
        dest="keywords",
        action="append",
        metavar="WORD",
        help=i18n._("run only the checks whose name contains WORD (repeatable: any of them), e.g. -k softmax"),
    )
    check.add_argument(
        "--github-classroom",
        action="store_true",
        help=i18n._(
            "also set the step output `result` for GitHub Classroom's reporter ($GITHUB_OUTPUT); exit 0 "
            "whatever the checks say (the reporter decides)"
        ),
    )
    _language_option(
        check, i18n._("the language of the feedback (default: $GRADER_LANG, else the system's language, else en)")
    )
    _sandbox_options(check)

    export = commands.add_parser(
        "export-student", help="write the students' copy of the course: stubs, public checks, the grader without hidden checks"
    )
    export.add_argument("folder", type=Path, help="an empty or new folder (e.g. the template repository of the class)")
    _language_option(export, "the language of the students' README and notebooks (default: $GRADER_LANG, else en)")

    grade = commands.add_parser("grade", help="grade submissions with public and hidden checks")
    grade.add_argument("assignment", help="name (activations) or number (01, 1)")
    grade.add_argument("submissions", nargs="+", metavar="SUBMISSION", help="folders, .py files or notebooks")
    grade.add_argument(
        "--out",
        required=True,
        type=Path,
        help="folder for the YAML reports: OUT/<assignment>/<submission>.yaml (a submission whose report there "
        "is up to date is not graded again)",
    )
    grade.add_argument(
        "--force", action="store_true", help="grade every submission, also those whose report is up to date"
    )
    grade.add_argument(
        "--jobs",
        type=int,
        default=min(os.cpu_count() or 1, 8),
        help="submissions graded at once, each worker with its own sandbox (default: the number of cores)",
    )
    grade.add_argument("--quiet", action="store_true", help="print only the last line (and the progress bar on a terminal)")
    grade.add_argument(
        "--shard",
        metavar="K/N",
        help="grade only part K of N of the submissions (a stable split by name, for a matrix of CI jobs)",
    )
    grade.add_argument(
        "--gradescope",
        type=Path,
        metavar="FILE",
        help="also write Gradescope's results.json to FILE (one submission: /autograder/results/results.json)",
    )
    grade.add_argument(
        "--github-classroom",
        action="store_true",
        help="also set the step output `result` that GitHub Classroom's autograding reporter reads "
        "(one submission; written to $GITHUB_OUTPUT)",
    )
    _language_option(grade, "the language of the feedback in the reports (default: $GRADER_LANG, else en)")
    grade.add_argument(
        "--allow-isolation-none",
        action="store_true",
        help="grade with --isolation none even so (each submission runs with your own rights: for self-checks only)",
    )
    _sandbox_options(grade)

    gradebook = commands.add_parser(
        "gradebook", help="the class's grades from the reports: CSV for a spreadsheet or an LMS, Markdown, JUnit XML"
    )
    gradebook.add_argument("reports", nargs="+", type=Path, metavar="REPORTS_DIR", help="folders of reports (searched recursively)")
    gradebook.add_argument("--csv", type=Path, metavar="FILE", help="one row per student, a column per assignment")
    gradebook.add_argument(
        "--format",
        choices=("plain", "canvas", "moodle"),
        help="the format of the --csv file: plain (with totals; the default), Canvas's gradebook import, "
        "Moodle's CSV grade import",
    )
    gradebook.add_argument("--detail", action="store_true", help="also a column per check in the --csv file (plain format)")
    gradebook.add_argument(
        "--roster", type=Path, metavar="FILE",
        help="CSV: submission folder name, LMS identifier (header optional); canvas and moodle need it to match students",
    )
    gradebook.add_argument(
        "--markdown", type=Path, metavar="FILE", help="a summary in Markdown (e.g. $GITHUB_STEP_SUMMARY; cut to 1 MiB)"
    )
    gradebook.add_argument("--junit", type=Path, metavar="FILE", help="JUnit XML: a testsuite per student and assignment")

    report = commands.add_parser(
        "report", help="one HTML page about a class: scores, hardest checks, errors, time, code that is alike"
    )
    report.add_argument("reports", nargs="+", type=Path, metavar="REPORTS_DIR", help="folders of `grader grade` reports")
    report.add_argument("--html", required=True, type=Path, metavar="FILE", help="the page to write")
    report.add_argument(
        "--submissions",
        action="append",
        type=Path,
        metavar="DIR",
        help="the folder the submissions were graded from, to compare their code (repeatable)",
    )

    package = commands.add_parser("package", help="write what a platform runs: Gradescope's autograder zip")
    package.add_argument(
        "platform", choices=("gradescope", "classroom"),
        help="the platform: gradescope (GitHub Classroom takes no package: grader export-student writes its template)",
    )
    package.add_argument("assignment", help="name (activations) or number (01, 1)")
    package.add_argument("--out", required=True, type=Path, help="the zip to write (e.g. activations-autograder.zip)")
    _language_option(package, "the language the autograder grades in (default: en)")

    mutate = commands.add_parser(
        "mutate", help="grade automatic mutants of the reference solution: how many do the checks catch?"
    )
    mutate.add_argument("assignment", help="name (activations) or number (01, 1)")
    mutate.add_argument("--jobs", type=int, default=min(os.cpu_count() or 1, 8),
                        help="mutants graded at once (default: the number of cores)")
    mutate.add_argument("--min-score", type=float, default=None, metavar="FRACTION",
                        help="exit 1 when the mutation score is below FRACTION (e.g. 0.9)")
    mutate.add_argument("--operator", action="append", dest="operators", metavar="NAME",
                        help="only this mutation operator (repeatable): " + ", ".join(MUTATION_OPERATORS))
    mutate.add_argument("--function", action="append", dest="functions", metavar="NAME",
                        help="only the mutants of this function or method (repeatable): tanh, MLP.fit")
    _sandbox_options(mutate)
    return parser


def _language_option(parser: argparse.ArgumentParser, text: str) -> None:
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=text)


def _sandbox_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--isolation",
        choices=("auto", "root", "userns", "none", "portable"),
        default="auto",
        help=i18n._(
            "how to confine student code (default: the strongest this machine allows; "
            "portable: a spawned child without confinement, what macOS and Windows get; also GRADER_PORTABLE=1)"
        ),
    )


# What argparse itself says (usage, section titles, its errors): its messages, marked for the
# catalogue so that `check --help` and a usage error read in the student's language. They are
# Python's own English sentences (argparse.py): a sentence of another Python version that is not
# here stays English.
_VERSION_HELP = i18n.N_("show program's version number and exit")
_ARGPARSE_MESSAGES = (
    i18n.N_("usage: "),
    i18n.N_("positional arguments"),
    i18n.N_("options"),
    i18n.N_("show this help message and exit"),
    i18n.N_("%(prog)s: error: %(message)s\n"),
    i18n.N_("argument %(argument_name)s: %(message)s"),
    i18n.N_("the following arguments are required: %s"),
    i18n.N_("invalid choice: %(value)r (choose from %(choices)s)"),
    i18n.N_("unrecognized arguments: %s"),
    i18n.N_("expected one argument"),
    i18n.N_("ambiguous option: %(option)s could match %(matches)s"),
    i18n.N_("not allowed with argument %s"),
)


def _command_line_language(argv: list[str]) -> str:
    """The language of the command line's own text (its help and usage errors), chosen as the
    command will choose it (:func:`grader.i18n.choose`): ``--lang``, else ``$GRADER_LANG``, else,
    for ``check`` and ``list`` (a student's commands), the system's; an unknown one is English here (the command says it is unknown)."""
    given = None
    for index, word in enumerate(argv):
        if word == "--lang" and index + 1 < len(argv):
            given = argv[index + 1]
        elif word.startswith("--lang="):
            given = word.partition("=")[2]
    try:
        return i18n.choose(given, system=bool(argv) and argv[0] in ("check", "list"))
    except i18n.UnknownLanguage:
        return i18n.DEFAULT


@contextlib.contextmanager
def _argparse_speaks_the_language() -> Iterator[None]:
    """argparse translates its sentences with :func:`gettext.gettext` (Python's "How to translate
    the argparse output"); while parsing, it takes them from the grader's catalogue instead, in
    the current language (:func:`grader.i18n.use`). Restored on the way out."""
    saved = getattr(argparse, "_", None)
    if not callable(saved):  # an argparse that translates otherwise: its English, unchanged
        yield
        return
    argparse._ = i18n._  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = saved  # type: ignore[attr-defined]
