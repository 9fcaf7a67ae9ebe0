"""A check that no wrong submission fails proves nothing: every check of every assignment must
be failed by at least one of the buggy submissions kept for it in tests/submissions/."""

from __future__ import annotations

import difflib

import pytest

from conftest import SUBMISSIONS
from grader.course import ASSIGNMENTS, COURSE_ROOT
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


MAX_CHANGED_LINES = 60


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=[a.name for a in ASSIGNMENTS])
def test_every_mutant_is_the_reference_with_a_small_change(assignment):
    """Mutants are whole files, graded as a student's would be; so that they do not drift from
    the reference when it changes, each must stay within a few lines of it."""
    reference = (COURSE_ROOT / "solutions" / assignment.name / assignment.filename).read_text().splitlines()
    for mutant in sorted((SUBMISSIONS / assignment.name / "mutants").iterdir()):
        path = mutant / assignment.filename if mutant.is_dir() else mutant
        diff = difflib.unified_diff(reference, path.read_text().splitlines(), lineterm="", n=0)
        changed = [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]
        assert 0 < len(changed) <= MAX_CHANGED_LINES, f"{path.name} of {mutant.name}: {len(changed)} lines differ"
