"""Measure the CPU time the reference solution's child needs per assignment (the budgets' basis).

    .venv/bin/python benchmarks/budgets.py [--runs 3]

Grades each assignment's reference solution with the public and hidden checks, as
``grader grade`` does, and prints the CPU seconds of the submission's processes (import, every
call, the harness) next to ``REFERENCE_CPU_S`` of :mod:`grader.sandbox.budget`, the figure a
submission's budget is about ten times of. The largest of ``--runs`` runs is shown: the
first run of a process also pays for the judge's own warm-up, which is not the child's.
"""

from __future__ import annotations

import argparse

from grader.course import ASSIGNMENTS, COURSE_ROOT
from grader.judge import runner
from grader.sandbox.budget import REFERENCE_CPU_S, budget_for
from grader.sandbox.supervisor import Sandbox, Session
from grader.submission import load_submission


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    used: list[float] = []

    class Measured(Session):
        def close(self) -> None:
            used.append(self.cpu_s)
            super().close()

    runner.Session = Measured  # the runner's sessions report what they used
    hide = (str(COURSE_ROOT / "solutions"), str(COURSE_ROOT / "grader" / "hidden"))
    print(f"{'assignment':20} {'measured s':>10} {'table s':>8} {'budget s':>9}  score")
    with Sandbox(hide=hide) as box:
        for assignment in ASSIGNMENTS:
            submission = load_submission(assignment.solution_dir, assignment)
            figures = []
            for _ in range(args.runs):
                graded = runner.grade(assignment, submission, box, hidden=True)
                figures.append(used[-1])
            score = sum(r.points for r in graded.results), sum(r.max_points for r in graded.results)
            print(
                f"{assignment.name:20} {max(figures):10.2f} {REFERENCE_CPU_S.get(assignment.name, 0):8.2f} "
                f"{budget_for(assignment.name).cpu_s:9.0f}  {score[0]:g}/{score[1]:g}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
