"""Shared fixtures: one sandbox for the whole test session, and a way to grade a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.course import COURSE_ROOT, find_assignment
from grader.judge.runner import Graded, grade
from grader.sandbox.supervisor import Sandbox
from grader.submission import load_submission

SUBMISSIONS = Path(__file__).parent / "submissions"


@pytest.fixture(scope="session")
def sandbox():
    hide = (str(COURSE_ROOT / "solutions"), str(COURSE_ROOT / "grader" / "hidden"))
    with Sandbox(hide=hide, private=(str(COURSE_ROOT),)) as box:
        yield box


@pytest.fixture(scope="session")
def grade_path(sandbox):
    """``grade_path("activations", path, hidden=True) -> Graded``, with a session-wide sandbox."""

    def run(assignment: str, path: Path | str, *, hidden: bool = True) -> Graded:
        chosen = find_assignment(assignment)
        return grade(chosen, load_submission(Path(path).resolve(), chosen), sandbox, hidden=hidden)

    return run


def failed_checks(graded: Graded) -> set[str]:
    return {r.id for r in graded.results if r.status != "passed"}


def score(graded: Graded) -> tuple[float, float]:
    return sum(r.points for r in graded.results), sum(r.max_points for r in graded.results)
