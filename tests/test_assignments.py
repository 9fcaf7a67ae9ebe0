"""Every assignment graded end to end with the real sandbox, public and hidden checks: the
reference and the correct alternatives get full marks, each mutant fails the checks its header
names, the stub gets nothing. Totals and counts are read from the suites, so changing a check's
points, or adding a check, breaks none of these tests; a new assignment is tested as soon as it
is declared in grader/course.py and has its folders (see the README's "Adding an assignment")."""

from __future__ import annotations

import pytest
from conftest import ALL_CORRECT, ALL_DEGENERATE, ALL_MUTANTS, count_checks, failed_checks, max_points, mutants, rubric, score

from grader.course import ASSIGNMENTS, COURSE_ROOT

AVAILABLE = [pytest.param(a, id=a.name) for a in ASSIGNMENTS]


def not_passed(result) -> list[tuple[str, str, str]]:
    return [(r.id, r.status, r.feedback) for r in result.results if r.status != "passed"]


@pytest.mark.parametrize("assignment", AVAILABLE)
def test_reference_gets_full_marks(graded, assignment):
    result = graded(assignment, assignment.solution_dir)
    assert result.status == "graded", result.reason
    assert not_passed(result) == []
    assert score(result) == (max_points(assignment), max_points(assignment)) and max_points(assignment) > 0
    visibility = [r.visibility for r in result.results]
    assert visibility.count("public") == count_checks(assignment, "public") > 0
    assert visibility.count("hidden") == count_checks(assignment, "hidden")


@pytest.mark.parametrize("assignment, path", [pytest.param(a, p, id=f"{a.name}/{p.stem}") for a, p in ALL_CORRECT])
def test_correct_alternative_gets_full_marks(graded, assignment, path):
    result = graded(assignment, path)
    assert result.status == "graded", result.reason
    assert not_passed(result) == []
    assert score(result) == (max_points(assignment), max_points(assignment))


@pytest.mark.parametrize("assignment, path", [pytest.param(a, p, id=f"{a.name}/{p.stem}") for a, p in ALL_DEGENERATE])
def test_degenerate_submission_scores_nothing(graded, assignment, path):
    """No point without real work: zeros, a constant, the identity or ``pass`` everywhere score 0,
    whatever checks of consistency, shapes, arguments or signatures they would satisfy."""
    result = graded(assignment, path)
    assert result.status == "graded", result.reason
    paid = [(r.id, r.points) for r in result.results if r.points > 0]
    assert paid == [], f"{assignment.name}/{path.stem} did no real work but was paid for {paid}"


@pytest.mark.parametrize("mutant", [pytest.param(m, id=m.id) for m in ALL_MUTANTS])
def test_mutant_fails_the_checks_its_header_names(graded, mutant):
    must_fail = mutant.must_fail()
    known = {s.id for s in rubric(mutant.assignment)}
    assert must_fail <= known, f"{mutant.source}: no check named {sorted(must_fail - known)} in the suites"
    result = graded(mutant.assignment, mutant.path)
    assert result.status == "graded", result.reason
    failed = failed_checks(result)
    assert must_fail <= failed, f"{mutant.id} was expected to fail {sorted(must_fail - failed)} too; it failed {sorted(failed)}"
    got, total = score(result)
    assert got < total
    for r in result.results:
        if r.status != "passed":  # a verdict with a sentence, never a grader error
            assert r.status == "failed" and r.feedback, (r.id, r.status, r.feedback)


@pytest.mark.parametrize("assignment", AVAILABLE)
def test_stub_gets_nothing_and_says_not_implemented(graded, assignment):
    result = graded(assignment, assignment.stub_dir)
    assert result.status == "graded", result.reason
    assert score(result) == (0.0, max_points(assignment))
    assert len(result.results) == count_checks(assignment)
    for r in result.results:
        assert r.status == "failed" and "not implemented yet" in r.feedback, (r.id, r.feedback)


@pytest.mark.parametrize("assignment", AVAILABLE)
def test_public_verdicts_are_the_same_in_check_and_grade(graded, assignment):
    """``grader check`` (public checks only) and ``grader grade`` agree on every public check: for
    the reference and for the first mutant that fails a public check."""
    public_ids = {s.id for s in rubric(assignment) if s.visibility == "public"}
    paths = [assignment.solution_dir]
    paths += [m.path for m in mutants(assignment) if m.must_fail() & public_ids][:1]
    for path in paths:
        alone = graded(assignment, path, hidden=False).results
        assert len(alone) == len(public_ids) and all(r.visibility == "public" for r in alone)
        public = {r.id: (r.status, r.points, r.feedback) for r in alone}
        full = {r.id: (r.status, r.points, r.feedback) for r in graded(assignment, path).results if r.visibility == "public"}
        assert public == full, path


def test_the_course_root_holds_every_declared_assignment():
    for assignment in ASSIGNMENTS:
        assert assignment.public_suite.is_file() and assignment.hidden_suite.is_file(), assignment.name
        assert (assignment.stub_dir / assignment.filename).is_file() and (assignment.stub_dir / "README.md").is_file()
        assert (assignment.solution_dir / assignment.filename).is_file()
        assert assignment.solution_dir.is_relative_to(COURSE_ROOT)
