"""The checks run without a pytest session per submission give the verdicts pytest gives."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES, SUBMISSIONS

from grader.judge import runner

CASES = [
    ("activations", EXAMPLES / "bob"),
    ("activations", EXAMPLES / "carol"),
    ("activations", SUBMISSIONS / "activations" / "mutants" / "softmax_no_shift.py"),
    ("activations", SUBMISSIONS / "activations" / "hostile" / "prints_fake_report.py"),
    ("activations", SUBMISSIONS / "activations" / "hostile" / "loops_forever.py"),
    ("dense", SUBMISSIONS / "dense" / "mutants" / "dW_transposed.py"),
    ("gradient_descent", SUBMISSIONS / "gradient_descent" / "mutants" / "ng_mutates_x.py"),
]


@pytest.mark.slow
@pytest.mark.parametrize("assignment, path", CASES, ids=[p.stem for _, p in CASES])
def test_direct_checks_agree_with_pytest(grade_path, monkeypatch, assignment, path):
    direct = grade_path(assignment, path)
    monkeypatch.setattr(runner, "run_checks", runner.run_suites)
    through_pytest = grade_path(assignment, path)
    assert direct.results == through_pytest.results
    assert direct.status == through_pytest.status and direct.output == through_pytest.output


def test_every_suite_runs_without_pytest():
    from grader.course import ASSIGNMENTS, available

    for assignment in ASSIGNMENTS:
        if available(assignment):
            assert runner._check_functions(assignment, hidden=True), assignment.name
