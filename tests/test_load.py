"""The same submission gets the same report alone and on a loaded machine.

Time limits count CPU time, so a correct submission that is slow but within its limits keeps
its points however busy the machine is. The submission here trains each iris fold in about
1 s of CPU time; the per-fold limit is lowered to 4 s of CPU time for the test (20 s in the
course), so that the test stays short: under the load below (busy loops on every core, and
more grading processes than cores) a fold takes several seconds of wall time, which a
wall-clock limit of 4 s would have punished.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SUBMISSIONS

SLOW = SUBMISSIONS / "mlp" / "slow" / "loss_per_sample"
FOLD_CPU_S = 4.0
GRADE = f"""
import json, sys
from pathlib import Path
from grader.course import COURSE_ROOT, find_assignment
from grader.judge.catalog import load_suite
from grader.judge.checks import ATTRIBUTE, CheckInfo
from grader.judge.runner import grade
from grader.sandbox.supervisor import Sandbox
from grader.submission import load_submission

check = load_suite(find_assignment("mlp").hidden_suite, "hidden").test_iris_cross_validation
setattr(check, ATTRIBUTE, CheckInfo(points=8.0, timeout={FOLD_CPU_S}))
assignment = find_assignment("mlp")
hide = (str(COURSE_ROOT / "solutions"), str(COURSE_ROOT / "grader" / "hidden"))
with Sandbox(hide=hide) as box:
    graded = grade(assignment, load_submission(Path(sys.argv[1]), assignment), box, hidden=True)
print(json.dumps({{
    "status": graded.status, "reason": graded.reason, "output": graded.output, "events": graded.events,
    "results": [[r.id, r.visibility, r.status, r.points, r.max_points, r.feedback] for r in graded.results],
}}))
"""
BUSY = "while True:\n    pass\n"


def _grader(*, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", GRADE, str(SLOW)], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _report(process: subprocess.Popen) -> dict:
    out, err = process.communicate(timeout=1800)
    assert process.returncode == 0, err[-3000:]
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.slow
def test_a_slow_but_legal_submission_gets_the_same_report_alone_and_under_load(tmp_path):
    alone = _report(_grader(cwd=tmp_path))
    cores = os.cpu_count() or 2
    busy = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(cores)]
    try:
        graders = [_grader(cwd=tmp_path) for _ in range(cores + 1)]  # more graders than cores
        loaded = [_report(process) for process in graders]
    finally:
        for process in busy:
            process.kill()
            process.wait()
    iris = {r[0]: r for r in alone["results"]}["iris_cross_validation"]
    assert iris[2] == "passed" and iris[3] == 8.0, iris  # slow, but within the limit per fold
    assert alone["status"] == "graded" and not alone["events"]  # no time budget ran out
    for report in loaded:
        assert report == alone
