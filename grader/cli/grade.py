"""``grader grade``: a class's submissions graded with the public and hidden checks into
``OUT/<assignment>/<submission>.yaml``, with Gradescope's and GitHub Classroom's results on
demand; the work is in :mod:`grader.batch`."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from grader import i18n
from grader.batch import hidden_paths as _hidden_paths
from grader.cli.output import _shown
from grader.course import find_assignment, has_hidden_checks
from grader.errors import GraderError, HiddenChecksMissing

__all__ = ["Interrupted", "command_grade"]


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


class Interrupted(GraderError):
    """Ctrl-C during ``grader grade``: exit 130, the finished reports kept."""

    exit_code = 130

    def __init__(self, done: int, total: int, folder: str) -> None:
        super().__init__(
            f"interrupted after {done} of {total} submissions; every finished submission's report is in "
            f"{folder} (the same command grades the rest)"
        )


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
