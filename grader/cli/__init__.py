"""The ``grader`` command: ``list``, ``check`` (a student's self-check) and ``grade`` (a class).

``main(argv) -> int`` parses the command line and hands over to the pieces that do the work;
errors of the people running it (an unknown assignment, a missing folder) are
:class:`~grader.errors.GraderError` and print as one line, exit code 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from grader import i18n
from grader.batch import course_sandbox
from grader.batch import hidden_paths as _hidden_paths
from grader.cli.check import command_check, find_student_copy
from grader.cli.listing import command_list
from grader.cli.parser import _argparse_speaks_the_language, _command_line_language, build_parser
from grader.course import find_assignment, has_hidden_checks
from grader.errors import GraderError, HiddenChecksMissing
from grader.mutate.operators import OPERATORS as MUTATION_OPERATORS

__all__ = ["build_parser", "command_check", "command_list", "find_student_copy", "main"]


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
        if args.command == "list":
            return command_list(names=args.names, markdown=args.markdown)
        if args.command == "mutate":
            return command_mutate(args)
        if args.command == "package":
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
        if args.command == "export-student":
            from grader.export import export_student_copy

            written = export_student_copy(args.folder, lang=i18n.choose(args.lang))
            print(f"wrote the students' copy ({written} files) to {args.folder}")
            return 0
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


# -- report -------------------------------------------------------------------------------
def command_report(args: argparse.Namespace) -> int:
    from grader.report.class_page import write_class_page

    summary = write_class_page(args.reports, args.html, args.submissions)
    compared = "code not compared (no --submissions)" if summary.pairs is None else _count(summary.pairs, "similar pair")
    print(
        f"wrote {_shown(args.html.resolve())}: {_count(summary.reports, 'report')} of "
        f"{_count(summary.assignments, 'assignment')}, {compared}, in {summary.seconds:.1f} s"
    )
    return 0


# -- grade --------------------------------------------------------------------------------
def command_grade(args: argparse.Namespace) -> int:
    """Grade a class into ``OUT/<assignment>/<submission>.yaml``; the work is in :mod:`grader.batch`."""
    from grader.batch import BatchConfig, Task, grade_class, prepare
    from grader.report.console import class_summary, name_width, score_column, summary_line
    from grader.report.progress import Lines, Progress
    from grader.report.yaml_report import assignment_folder, unique_report_paths
    from grader.sandbox import isolation
    from grader.submission import existing, refuse_empty_batch, submission_name

    assignment = find_assignment(args.assignment)
    if not has_hidden_checks(assignment):
        raise HiddenChecksMissing(assignment.name)
    from grader.sandbox.portable import wanted as portable_wanted

    portable = portable_wanted(args.isolation)
    if (args.isolation == "none" or portable) and not args.allow_isolation_none:
        raise GraderError(
            "--isolation none runs each submission with your own rights (your files, network and processes); "
            "it is meant for self-checks. To grade with it anyway, add --allow-isolation-none"
        )
    try:
        if not portable:
            isolation.detect_mode(args.isolation)  # a level that cannot be had: said now, before anything is graded
        isolation.set_not_dumpable()  # a same-uid child must not read this process (none and userns modes)
    except (PermissionError, ValueError) as exc:
        raise GraderError(str(exc)) from None
    if args.jobs < 1:
        raise GraderError(f"--jobs must be at least 1, got {args.jobs}")
    out = args.out.resolve()
    paths = []
    for given in args.submissions:
        path = Path(given)
        resolved = existing(path)  # nothing there: a usage error, before anything is graded
        if resolved == out or out in resolved.parents:  # `subs/* --out subs/reports`
            print(f"grader: not grading {given}: it is the reports folder (--out)", file=sys.stderr)
            continue
        paths.append(resolved)
    if not paths:
        raise GraderError("no submission to grade (only the reports folder was given)")
    refuse_empty_batch(paths)
    if args.shard:
        from grader.platforms.shards import parse_shard, select

        given, paths = len(paths), select(paths, parse_shard(args.shard))
        if not paths:
            print(f"shard {args.shard}: none of the {given} submissions falls in this shard")
            return 0
    if (args.gradescope or args.github_classroom) and len(paths) != 1:
        raise GraderError("--gradescope and --github-classroom grade one submission at a time")
    folder = assignment_folder(out, assignment)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GraderError(f"cannot create the reports folder {folder}: {exc.strerror}") from None
    targets = unique_report_paths(folder, [submission_name(p) for p in paths])
    tasks = [Task(number, path, target) for number, (path, target) in enumerate(zip(paths, targets))]
    parents = tuple(sorted({p.parent for p in paths}))
    config = BatchConfig(assignment.name, args.isolation, _hidden_paths((out, *parents)), jobs=args.jobs, force=args.force)

    lines = Lines()
    started = time.monotonic()
    rubric = prepare(assignment)
    progress = Progress(len(tasks), quiet=args.quiet, lines=lines)
    finished: dict[int, tuple[dict, bool]] = {}
    width, scores = name_width(submission_name(p) for p in paths), score_column(rubric.max_score)  # aligned columns
    try:
        for outcome in grade_class(config, tasks, rubric):
            finished[outcome.task.number] = (dict(outcome.report), outcome.skipped)
            shown = Path(_shown(outcome.task.target))
            line = summary_line(outcome.report, shown, skipped=outcome.skipped, seconds=True, width=width, score_width=scores)
            progress.finished(line, error=outcome.report["status"] == "error")
            _write_other_formats(args, dict(outcome.report))
    except KeyboardInterrupt:
        progress.close()
        raise Interrupted(len(finished), len(tasks), _shown(folder)) from None
    progress.close()
    if not args.quiet and len(tasks) > 1:
        lines("")
        lines(i18n._("{label} {name}, in the order given:").format(label=assignment.label, name=assignment.name))
        for task in tasks:
            report, skipped = finished[task.number]
            lines("  " + summary_line(report, skipped=skipped, width=width, score_width=scores))
    ordered = [finished[task.number] for task in tasks]
    lines(class_summary(ordered, assignment=assignment, seconds=time.monotonic() - started, folder=_shown(folder) + os.sep))
    if len(paths) == 1:
        from grader.submission.repository import class_folder_warning

        given = next(g for g in args.submissions if Path(g).resolve() == paths[0])
        warning = class_folder_warning(paths[0], assignment, shown=given)
        if warning:
            print(f"grader: {warning}", file=sys.stderr)
    return 0


def command_gradebook(args: argparse.Namespace) -> int:
    """Read the reports, keep the newest per student and assignment, write what was asked."""
    from grader.report.gradebook import collect, read_roster, roster_gaps, roster_warnings, without_roster, write_csv
    from grader.report.junit import junit_xml
    from grader.report.markdown import markdown_summary
    from grader.report.yaml_report import write_text

    if not args.csv:  # `--format canvas --markdown FILE` wrote no CSV and said nothing
        for option, what in ((args.format and f"--format {args.format}", "is the format of the CSV file"),
                             (args.detail and "--detail", "adds a column per check to the CSV file")):
            if option:
                raise GraderError(f"{option} {what}, and no --csv FILE was given: add one (e.g. --csv grades.csv {option})")
    args.format = args.format or "plain"
    if not (args.csv or args.markdown or args.junit):
        raise GraderError("nothing to write: give --csv FILE, --markdown FILE or --junit FILE")
    roster = read_roster(args.roster) if args.roster else None
    book = collect(args.reports)
    if not book.reports:
        raise GraderError(f"no reports in {', '.join(map(str, args.reports))}")
    gaps = roster_gaps(book, roster) if roster else None
    written = []
    if args.csv:
        write_csv(book, args.csv, format=args.format, detail=args.detail, roster=roster)
        written.append(f"{args.csv} ({args.format})")
    if args.markdown:
        write_text(markdown_summary(book, gaps=gaps), args.markdown)
        written.append(str(args.markdown))
    if args.junit:
        write_text(junit_xml(book), args.junit)
        written.append(str(args.junit))
    print(
        f"gradebook of {_count(len(book.students), 'student')} and {_count(len(book.assignments), 'assignment')} "
        f"from {_count(len(book.reports), 'report')}"
        + (f" ({book.replaced} older reports replaced by newer ones)" if book.replaced else "")
        + f": wrote {', '.join(written)}"
    )
    lacking = without_roster(args.format) if args.csv and not roster else None
    if lacking:
        print(f"grader: {lacking}", file=sys.stderr)
    for line in roster_warnings(gaps, format=args.format if args.csv else None) if gaps else ():
        print(f"grader: {line}", file=sys.stderr)
    stale = book.stale()
    if stale:
        print(f"grader: {len(stale)} reports were graded with an older rubric; grade them again", file=sys.stderr)
    return 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"


class Interrupted(GraderError):
    """Ctrl-C during ``grader grade``: exit 130, the finished reports kept."""

    exit_code = 130

    def __init__(self, done: int, total: int, folder: str) -> None:
        super().__init__(
            f"interrupted after {done} of {total} submissions; every finished submission's report is in "
            f"{folder} (the same command grades the rest)"
        )

# -- mutate -------------------------------------------------------------------------------
def command_mutate(args: argparse.Namespace) -> int:
    from grader.mutate.report import render
    from grader.mutate.run import run_mutants

    assignment = find_assignment(args.assignment)
    if not has_hidden_checks(assignment):
        raise HiddenChecksMissing(assignment.name)
    if args.jobs < 1:
        raise GraderError(f"--jobs must be at least 1, got {args.jobs}")
    unknown = sorted(set(args.operators or ()) - set(MUTATION_OPERATORS))
    if unknown:
        raise GraderError(f"no mutation operator {', '.join(unknown)}; the operators are: {', '.join(MUTATION_OPERATORS)}")
    hide = _hidden_paths(())
    run = run_mutants(
        assignment,
        lambda worker: course_sandbox(args.isolation, hide, worker=worker),
        jobs=args.jobs,
        operators=args.operators,
        functions=args.functions,
        progress=_progress if sys.stderr.isatty() else None,
    )
    if sys.stderr.isatty():
        print("\r\033[K", end="", file=sys.stderr)
    print(render(run))
    return 1 if args.min_score is not None and run.score < args.min_score else 0


def _progress(done: int, total: int) -> None:
    print(f"\rgraded {done} of {total} mutants", end="", file=sys.stderr, flush=True)


def _write_other_formats(args: argparse.Namespace, report: dict) -> None:
    from grader.report.formats import classroom_result
    from grader.report.yaml_report import write_text

    if args.gradescope:
        from grader.platforms.gradescope import results_for

        write_text(json.dumps(results_for(report, find_assignment(args.assignment)), indent=2) + "\n", args.gradescope)
    if args.github_classroom:
        line = f"result={classroom_result(report)}\n"
        target = os.environ.get("GITHUB_OUTPUT")
        if target:
            with open(target, "a", encoding="utf-8") as handle:
                handle.write(line)
        else:
            print(line, end="")


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)

