"""A check that no wrong submission fails proves nothing: every check of every assignment must
be failed by at least one of the buggy submissions kept for it in tests/submissions/."""

from __future__ import annotations

import pytest

from conftest import SUBMISSIONS
from grader.course import ASSIGNMENTS
from grader.judge.catalog import suite_checks


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=[a.name for a in ASSIGNMENTS])
def test_every_check_fails_on_some_mutant(grade_path, assignment):
    mutants = sorted(p for p in (SUBMISSIONS / assignment.name / "mutants").iterdir() if not p.name.startswith((".", "_")))
    assert mutants
    failed = set()
    for mutant in mutants:
        failed |= {r.id for r in grade_path(assignment.name, mutant).results if r.status != "passed"}
    never = sorted({spec.id for spec in suite_checks(assignment, hidden=True)} - failed)
    assert never == [], f"no mutant of {assignment.name} fails {never}"
