"""A check that no wrong submission fails proves nothing: every check of every assignment must be
named by the header of at least one of the mutants kept for it in tests/submissions/<name>/mutants/
(test_assignments.py then grades that mutant and makes sure the check fails)."""

from __future__ import annotations

import difflib

import pytest
from conftest import SUBMISSIONS, Mutant, mutants, rubric, submissions

from grader.course import ASSIGNMENTS, Assignment

AVAILABLE = [pytest.param(a, id=a.name) for a in ASSIGNMENTS]


@pytest.mark.parametrize("assignment", AVAILABLE)
def test_every_check_is_named_by_a_mutant(assignment):
    kept = mutants(assignment)
    assert kept, f"{SUBMISSIONS / assignment.name / 'mutants'} holds no mutant: add one per check (see the README)"
    named = set().union(*(m.must_fail() for m in kept))
    never = [spec.id for spec in rubric(assignment) if spec.id not in named]
    assert never == [], f"no mutant of {assignment.name} names {never} on its '# FAILS:' line: add or extend one"


MAX_CHANGED_LINES = 60


@pytest.mark.parametrize("assignment", AVAILABLE)
def test_every_mutant_is_the_reference_with_a_small_change(assignment):
    """Mutants are whole files, graded as a student's would be; so that they do not drift from
    the reference when it changes, each must stay within a few lines of it."""
    reference = (assignment.solution_dir / assignment.filename).read_text().splitlines()
    for mutant in mutants(assignment):
        diff = difflib.unified_diff(reference, mutant.source.read_text().splitlines(), lineterm="", n=0)
        changed = [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]
        assert 0 < len(changed) <= MAX_CHANGED_LINES, f"{mutant.source}: {len(changed)} lines differ from the reference"


def test_a_missing_mutants_folder_is_no_crash_but_a_finding(tmp_path):
    """An assignment declared before its test submissions exist: no mutant, nothing to grade, and
    the test above says what to add (no FileNotFoundError)."""
    assignment = Assignment(99, "not_written_yet", "an assignment without test submissions")
    assert mutants(assignment) == [] and submissions(assignment, "correct") == []


def test_a_mutant_without_its_header_is_told_how_to_write_it(tmp_path):
    path = tmp_path / "forgot_the_header.py"
    path.write_text("# MUTANT: sigmoid is wrong\nimport numpy as np\n")
    with pytest.raises(ValueError, match="# FAILS: <check id>, <check id>"):
        Mutant(ASSIGNMENTS[0], path).must_fail()
    path.write_text("# MUTANT: sigmoid is wrong\n# FAILS: sigmoid_values, sigmoid_stable\n")
    assert Mutant(ASSIGNMENTS[0], path).must_fail() == {"sigmoid_values", "sigmoid_stable"}
