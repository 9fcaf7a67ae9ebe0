"""``grader mutate``: automatic mutants of an assignment's reference solution graded with its
checks, and how many the checks catch; the work is in :mod:`grader.mutate`."""

from __future__ import annotations

import argparse
import sys

from grader.batch import course_sandbox
from grader.batch import hidden_paths as _hidden_paths
from grader.course import find_assignment, has_hidden_checks
from grader.errors import GraderError, HiddenChecksMissing
from grader.mutate.operators import OPERATORS as MUTATION_OPERATORS

__all__ = ["command_mutate"]


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
