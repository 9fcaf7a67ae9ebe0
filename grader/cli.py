"""The ``grader`` command: ``list``, ``check`` (a student's self-check) and ``grade`` (a class).

``main(argv) -> int`` parses the command line and hands over to the pieces that do the work;
errors of the people running it (an unknown assignment, a missing folder) are
:class:`~grader.errors.GraderError` and print as one line, exit code 2.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from multiprocessing.connection import Connection, wait
from pathlib import Path

from grader import __version__
from grader.course import ASSIGNMENTS, COURSE_ROOT, Assignment, available, find_assignment, has_hidden_checks
from grader.errors import GraderError, HiddenChecksMissing, SubmissionNotFound
from grader.mutate.operators import OPERATORS as MUTATION_OPERATORS

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="grader",
        description="Check and grade the assignments of the numpy neural-networks course.",
    )
    parser.add_argument("--version", action="version", version=f"grader {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = commands.add_parser("list", help="the assignments, their points and their checks")
    shown = listing.add_mutually_exclusive_group()
    shown.add_argument("--names", action="store_true", help="only the names of the available assignments, one a line (for scripts)")
    shown.add_argument("--markdown", action="store_true", help="the course table of the README, in Markdown")

    check = commands.add_parser("check", help="self-check a submission with the public checks")
    check.add_argument("assignment", help="name (activations) or number (01, 1)")
    check.add_argument(
        "submission",
        nargs="?",
        help="folder, .py file or .ipynb notebook (default: your copy of the assignment, "
        "found from the current folder)",
    )
    _sandbox_options(check)

    export = commands.add_parser(
        "export-student", help="write the students' copy of the course: stubs, public checks, the grader without hidden checks"
    )
    export.add_argument("folder", type=Path, help="an empty or new folder (e.g. the template repository of the class)")

    grade = commands.add_parser("grade", help="grade submissions with public and hidden checks")
    grade.add_argument("assignment", help="name (activations) or number (01, 1)")
    grade.add_argument("submissions", nargs="+", metavar="SUBMISSION", help="folders, .py files or notebooks")
    grade.add_argument("--out", required=True, type=Path, help="folder for the YAML reports")
    grade.add_argument(
        "--jobs",
        type=int,
        default=min(os.cpu_count() or 1, 8),
        help="submissions graded at once, each worker with its own sandbox (default: the number of cores)",
    )
    grade.add_argument("--quiet", action="store_true", help="print only the final summary")
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
    grade.add_argument(
        "--allow-isolation-none",
        action="store_true",
        help="grade with --isolation none even so (each submission runs with your own rights: for self-checks only)",
    )
    _sandbox_options(grade)

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

    mutate = commands.add_parser(
        "mutate", help="grade automatic mutants of the reference solution: how many do the checks catch?"
    )
    mutate.add_argument("assignment", help="name (activations) or number (01, 1)")
    mutate.add_argument("--jobs", type=int, default=min(os.cpu_count() or 1, 8), help="mutants graded at once (default: the number of cores)")
    mutate.add_argument("--min-score", type=float, default=None, metavar="FRACTION", help="exit 1 when the mutation score is below FRACTION (e.g. 0.9)")
    mutate.add_argument("--operator", action="append", dest="operators", metavar="NAME", help="only this mutation operator (repeatable): " + ", ".join(MUTATION_OPERATORS))
    mutate.add_argument("--function", action="append", dest="functions", metavar="NAME", help="only the mutants of this function or method (repeatable): tanh, MLP.fit")
    _sandbox_options(mutate)
    return parser


def _sandbox_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--isolation",
        choices=("auto", "root", "userns", "none"),
        default="auto",
        help="how to confine student code (default: the strongest this machine allows)",
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        _refuse_paths_taken_for_options(argv)
    except GraderError as exc:
        print(f"grader: {exc}", file=sys.stderr)
        return exc.exit_code
    args = build_parser().parse_args(argv)
    try:
        if args.command == "list":
            return command_list(names=args.names, markdown=args.markdown)
        if args.command == "check":
            return command_check(args)
        if args.command == "mutate":
            return command_mutate(args)
        if args.command == "export-student":
            from grader.export import export_student_copy

            written = export_student_copy(args.folder)
            print(f"wrote the students' copy ({written} files) to {args.folder}")
            return 0
        if args.command == "report":
            return command_report(args)
        return command_grade(args)
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


# -- list ---------------------------------------------------------------------------------
def command_list(*, names: bool = False, markdown: bool = False) -> int:
    from grader.judge.catalog import suite_checks

    if names:
        print("\n".join(a.name for a in ASSIGNMENTS if available(a)))
        return 0
    if markdown:
        from grader.course import markdown_table

        print(markdown_table(), end="")
        return 0
    print(f"{'':3}{'assignment':22}{'points':>8}{'public':>8}{'hidden':>8}  file")
    for assignment in ASSIGNMENTS:
        if not available(assignment):
            print(f"{assignment.label:3}{assignment.name:22}{'(not available yet)':>24}  {assignment.filename}")
            continue
        hidden = has_hidden_checks(assignment)
        specs = suite_checks(assignment, hidden=hidden)
        points = sum(s.max_points for s in specs)
        public = sum(1 for s in specs if s.visibility == "public")
        print(
            f"{assignment.label:3}{assignment.name:22}{f'{points:g}' if hidden else '-':>8}{public:>8}"
            f"{len(specs) - public if hidden else '-':>8}  {assignment.filename}"
        )
    if not all(has_hidden_checks(a) for a in ASSIGNMENTS if available(a)):
        print("(a students' copy of the grader: public checks only)")
    return 0


# -- check --------------------------------------------------------------------------------
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
        f"no {assignment.filename} or {assignment.module}.ipynb here, in {assignment.name}/ or in "
        f"assignments/{assignment.name}/; give the path: grader check {assignment.name} PATH",
    )


def command_check(args: argparse.Namespace) -> int:
    assignment = find_assignment(args.assignment)
    path = Path(args.submission) if args.submission else find_student_copy(assignment, Path.cwd())
    sandbox = course_sandbox(args.isolation, _hidden_paths(())).start()
    try:
        # The zygote warms up while the judge imports pytest, hypothesis and the checks.
        from grader.judge.runner import grade
        from grader.report.console import render_check
        from grader.submission import load_submission

        submission = load_submission(path.resolve(), assignment)
        graded = grade(assignment, submission, sandbox, hidden=False)
    finally:
        sandbox.close()
    print(
        render_check(
            graded.results,
            assignment=assignment,
            submission_name=submission.name,
            output=graded.output,
            notes=tuple(dict.fromkeys((*submission.notes, *graded.events))),
            problem=graded.reason,
        )
    )
    passed = graded.status == "graded" and all(r.status == "passed" for r in graded.results)
    return 0 if passed else 1


# -- report -------------------------------------------------------------------------------
def command_report(args: argparse.Namespace) -> int:
    from grader.report.class_page import write_class_page

    summary = write_class_page(args.reports, args.html, args.submissions)
    compared = "code not compared (no --submissions)" if summary.pairs is None else f"{summary.pairs} similar pairs"
    print(
        f"wrote {_shown(args.html.resolve())}: {summary.reports} reports of {summary.assignments} "
        f"assignment{'s' * (summary.assignments != 1)}, {compared}, in {summary.seconds:.1f} s"
    )
    return 0


# -- grade --------------------------------------------------------------------------------
@dataclass(frozen=True)
class GradeJob:
    assignment: str
    isolation: str
    hide: tuple[str, ...]


def course_sandbox(isolation: str, hide: tuple[str, ...], *, worker: int = 0):
    """A sandbox from which the whole course is out of sight (but for a virtual environment
    inside it), and ``hide`` as well."""
    from grader.sandbox.supervisor import Sandbox

    return Sandbox(isolation_mode=isolation, hide=hide, private=(str(COURSE_ROOT),), worker=worker)


def _hidden_paths(extra: tuple[Path, ...]) -> tuple[str, ...]:
    """What a child must not see: references, hidden suites, history, reports, other submissions."""
    paths = [COURSE_ROOT / "solutions", COURSE_ROOT / "grader" / "hidden", COURSE_ROOT / ".git", *extra]
    return tuple(sorted({str(p.resolve()) for p in paths}))


def grade_one(assignment: Assignment, path: Path, sandbox) -> dict:
    """Grade one submission into a report dict (never raises for what the submission does)."""
    from grader.judge.runner import grade
    from grader.report.yaml_report import build_report
    from grader.submission import load_submission

    started = time.monotonic()
    graded_at = datetime.now(timezone.utc)
    submission = load_submission(path, assignment)
    graded = grade(assignment, submission, sandbox, hidden=True)
    return build_report(
        assignment=assignment,
        submission=submission,
        results=graded.results,
        status=graded.status,
        reason=graded.reason,
        grader_version=__version__,
        graded_at=graded_at,
        duration_s=time.monotonic() - started,
        sandbox=sandbox.in_force,
        output=graded.output,
        notes=tuple(graded.events),  # after the submission's own notes
    )


def _worker(conn: Connection, job: GradeJob, index: int) -> None:
    """A grading worker: its own sandbox; paths in, report JSON out, until told to stop."""
    assignment = find_assignment(job.assignment)
    try:
        with course_sandbox(job.isolation, job.hide, worker=index) as sandbox:
            conn.send_bytes(b"ready")
            while True:
                message = conn.recv_bytes()
                if message == b"stop":
                    break
                number, path = json.loads(message)
                try:
                    report = grade_one(assignment, Path(path), sandbox)
                    conn.send_bytes(json.dumps([number, report, None]).encode())
                except GraderError as exc:
                    conn.send_bytes(json.dumps([number, None, str(exc)]).encode())
    except GraderError as exc:
        conn.send_bytes(json.dumps([-1, None, str(exc)]).encode())
    finally:
        conn.close()


def command_grade(args: argparse.Namespace) -> int:
    from grader.report.console import summary_line
    from grader.report.yaml_report import unique_report_paths, write_report
    from grader.submission import refuse_empty_batch, submission_name

    from grader.sandbox import isolation

    assignment = find_assignment(args.assignment)
    if not has_hidden_checks(assignment):
        raise HiddenChecksMissing(assignment.name)
    if args.isolation == "none" and not args.allow_isolation_none:
        raise GraderError(
            "--isolation none runs each submission with your own rights (your files, network and processes); "
            "it is meant for self-checks. To grade with it anyway, add --allow-isolation-none"
        )
    try:
        mode = isolation.detect_mode(args.isolation)
        isolation.set_not_dumpable()  # a same-uid child must not read this process (none and userns modes)
    except (PermissionError, ValueError) as exc:
        raise GraderError(str(exc)) from None
    if args.jobs < 1:
        raise GraderError(f"--jobs must be at least 1, got {args.jobs}")
    if (args.gradescope or args.github_classroom) and len(args.submissions) != 1:
        raise GraderError("--gradescope and --github-classroom grade one submission at a time")
    paths = []
    for given in args.submissions:
        path = Path(given)
        if not path.exists():
            raise SubmissionNotFound(given)
        paths.append(path.resolve())
    refuse_empty_batch(paths)
    out = args.out.resolve()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GraderError(f"cannot create the reports folder {args.out}: {exc.strerror}") from None
    targets = unique_report_paths(out, [submission_name(p) for p in paths])
    parents = tuple(sorted({p.parent for p in paths}))
    job = GradeJob(assignment.name, args.isolation, _hidden_paths((out, *parents)))

    started = time.monotonic()
    scores = []
    there_before = {entry.name for entry in out.iterdir()}
    graded = _grade_all(job, paths, jobs=min(args.jobs, len(paths)))
    if mode == "none":  # children with the grader's uid: no report is written while one lives
        graded = iter(list(graded))
    for number, report in graded:
        if mode == "none":
            _remove_squatter(targets[number], there_before)
        write_report(report, targets[number])
        scores.append((report["score"], report["max_score"], report["status"]))
        if not args.quiet:
            print(summary_line(report, _shown(targets[number])), flush=True)
        _write_other_formats(args, report)
    elapsed = time.monotonic() - started
    errors = sum(1 for _, _, status in scores if status == "error")
    mean = sum(s for s, _, _ in scores) / len(scores)
    print(
        f"graded {len(scores)} submission{'s' * (len(scores) != 1)} of {assignment.label} {assignment.name} "
        f"in {elapsed:.1f} s ({elapsed / len(scores):.3f} s each); mean score {mean:.2f} / {scores[0][1]:g}"
        + (f"; {errors} could not be loaded" if errors else "")
        + f"; reports in {_shown(out)}{os.sep}"
    )
    return 0


def _remove_squatter(path: Path, there_before: set[str]) -> None:
    """Remove what a child put at a report's path during the batch (none mode): a folder or a
    link there would block the report or send it elsewhere."""
    if path.name in there_before or not os.path.lexists(path) or (path.is_file() and not path.is_symlink()):
        return
    try:
        if path.is_dir() and not path.is_symlink():
            import shutil

            shutil.rmtree(path)
        else:
            path.unlink()
    except OSError:
        pass


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
    from grader.report.formats import classroom_result, gradescope_results
    from grader.report.yaml_report import write_text

    if args.gradescope:
        write_text(json.dumps(gradescope_results(report), indent=2) + "\n", args.gradescope)
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


def _grade_all(job: GradeJob, paths: list[Path], *, jobs: int):
    """Yield ``(index, report)`` in the order of ``paths``, grading with ``jobs`` workers."""
    if jobs <= 1:
        assignment = find_assignment(job.assignment)
        with course_sandbox(job.isolation, job.hide) as sandbox:
            for number, path in enumerate(paths):
                yield number, grade_one(assignment, path, sandbox)
        return
    context = multiprocessing.get_context("fork")
    workers: list[tuple[Connection, multiprocessing.Process]] = []
    for index in range(jobs):
        ours, theirs = context.Pipe()
        process = context.Process(target=_worker, args=(theirs, job, index), daemon=True)
        process.start()
        theirs.close()
        workers.append((ours, process))
    try:
        pending = list(enumerate(paths))
        done: dict[int, dict] = {}
        next_out = 0
        busy: dict[Connection, int] = {}

        def give(conn: Connection) -> None:
            """The next submission to an idle worker, if any is left."""
            if pending:
                number, path = pending.pop(0)
                conn.send_bytes(json.dumps([number, str(path)]).encode())
                busy[conn] = number

        for conn, _ in workers:
            reply = conn.recv_bytes()
            if reply != b"ready":
                _, _, error = json.loads(reply)
                raise GraderError(error)
            give(conn)
        while busy:
            for conn in wait(list(busy)):
                try:
                    number, report, error = json.loads(conn.recv_bytes())
                except EOFError:
                    raise GraderError(f"a grading worker died while grading {paths[busy[conn]]}") from None
                if error is not None:
                    raise GraderError(error)
                del busy[conn]
                done[number] = report
                give(conn)
            while next_out in done:
                yield next_out, done.pop(next_out)
                next_out += 1
    finally:
        for conn, process in workers:
            try:
                conn.send_bytes(b"stop")
            except OSError:
                pass
        for conn, process in workers:
            process.join(timeout=15)
            if process.is_alive():
                process.kill()
            conn.close()


if __name__ == "__main__":
    sys.exit(main())
