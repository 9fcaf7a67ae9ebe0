"""Shared fixtures: one sandbox for the whole test session, a way to grade a file, and the test
submissions of every assignment, found from the course's declaration.

The test submissions of an assignment live in ``tests/submissions/<name>/``: ``correct/``
(alternative solutions that must get full marks), ``mutants/`` (the reference with one bug) and
``degenerate/`` (submissions doing no real work: zeros, a constant, the identity, ``pass``; each
must score 0).
A mutant is a ``.py`` file, or a folder holding the assignment's file (and the others it
imports); its file starts with a header naming the checks it must fail::

    # MUTANT: sigmoid_grad has a spurious factor 2: 2 * sigmoid(z) * (1 - sigmoid(z))
    # FAILS: sigmoid_grad_values, sigmoid_grad_matches_reference, sigmoid_grad_is_derivative

A folder that is missing holds no submissions: the tests that need some say so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from grader.course import ASSIGNMENTS, COURSE_ROOT, Assignment, find_assignment
from grader.judge.catalog import suite_checks
from grader.judge.runner import Graded, grade
from grader.results import CheckSpec
from grader.sandbox.supervisor import Sandbox
from grader.submission import load_submission

# The tests read the grader's English (grader.i18n): not the developer's GRADER_LANG or locale.
os.environ["GRADER_LANG"] = "en"
SUBMISSIONS = Path(__file__).parent / "submissions"
EXAMPLES = COURSE_ROOT / "examples" / "activations"  # the sample submissions of the README's demo
# The checks Bob's sample submission fails (a naive sigmoid and softmax, lists not accepted).
BOB_FAILS = {"sigmoid_stable", "softmax_values", "softmax_stable", "softmax_matches_reference",
             "softmax_stable_everywhere"}
# Bob's softmax works along axis 0, wrong for matrices: of the checks paid per function, he gets the
# share of each function but softmax (1 of the 11 functions of arguments_not_modified and of
# accepts_lists_and_scalars).
BOB_SHARES = {"arguments_not_modified": 10 / 11, "accepts_lists_and_scalars": 10 / 11}
MUTANT_LINE, FAILS_LINE = "# MUTANT: ", "# FAILS: "


def submissions(assignment: Assignment, kind: str) -> list[Path]:
    """The test submissions of one kind (``correct``, ``mutants``...): ``.py`` files and folders,
    sorted; none when the folder does not exist."""
    folder = SUBMISSIONS / assignment.name / kind
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if not p.name.startswith((".", "_")) and (p.is_dir() or p.suffix == ".py"))


@dataclass(frozen=True)
class Mutant:
    """A mutant of an assignment's reference, and the checks its header says it must fail."""

    assignment: Assignment
    path: Path  # a .py file, or a folder with the assignment's file in it

    @property
    def name(self) -> str:
        return self.path.stem if self.path.is_file() else self.path.name

    @property
    def id(self) -> str:
        return f"{self.assignment.name}/{self.name}"

    @property
    def source(self) -> Path:
        """The file that carries the header: the mutant itself, or its copy of the assignment's file."""
        return self.path / self.assignment.filename if self.path.is_dir() else self.path

    def must_fail(self) -> set[str]:
        """The check ids on the ``# FAILS:`` line; ValueError says how to write the header."""
        lines = self.source.read_text(encoding="utf-8").splitlines()[:2]
        if len(lines) < 2 or not lines[0].startswith(MUTANT_LINE) or not lines[1].startswith(FAILS_LINE):
            raise ValueError(
                f"{self.source} must start with two lines: '{MUTANT_LINE}<what is wrong>' and "
                f"'{FAILS_LINE}<check id>, <check id>, ...' (the checks this mutant must fail)"
            )
        ids = {part.strip() for part in lines[1][len(FAILS_LINE) :].split(",")} - {""}
        if not ids:
            raise ValueError(f"{self.source}: the {FAILS_LINE.strip()} line names no check")
        return ids


def mutants(assignment: Assignment) -> list[Mutant]:
    return [Mutant(assignment, path) for path in submissions(assignment, "mutants")]


ALL_MUTANTS = [m for a in ASSIGNMENTS for m in mutants(a)]
ALL_CORRECT = [(a, path) for a in ASSIGNMENTS for path in submissions(a, "correct")]
ALL_DEGENERATE = [(a, path) for a in ASSIGNMENTS for path in submissions(a, "degenerate")]


def rubric(assignment: Assignment | str) -> list[CheckSpec]:
    """Every check of the assignment, public then hidden, with its points, read from the suites."""
    chosen = assignment if isinstance(assignment, Assignment) else find_assignment(assignment)
    return suite_checks(chosen, hidden=True)


def max_points(assignment: Assignment | str, visibility: str | None = None) -> float:
    return sum(s.max_points for s in rubric(assignment) if visibility in (None, s.visibility))


def bob_score() -> float:
    """The score of Bob's sample submission, from the suites' points: BOB_FAILS lost, BOB_SHARES paid in part."""
    points = {s.id: s.max_points for s in rubric("activations")}
    lost = sum(points[i] - round(points[i] * share, 2) for i, share in BOB_SHARES.items())
    return max_points("activations") - points_of("activations", BOB_FAILS) - lost


def count_checks(assignment: Assignment | str, visibility: str | None = None) -> int:
    return sum(1 for s in rubric(assignment) if visibility in (None, s.visibility))


def points_of(assignment: Assignment | str, ids: set[str]) -> float:
    """The points the named checks are worth together."""
    return sum(s.max_points for s in rubric(assignment) if s.id in ids)


@pytest.fixture(scope="session")
def sandbox():
    hide = (str(COURSE_ROOT / "solutions"), str(COURSE_ROOT / "grader" / "hidden"))
    with Sandbox(hide=hide, private=(str(COURSE_ROOT),)) as box:
        yield box


@pytest.fixture(scope="session")
def grade_path(sandbox):
    """``grade_path("activations", path, hidden=True) -> Graded``, with a session-wide sandbox."""

    def run(assignment: Assignment | str, path: Path | str, *, hidden: bool = True) -> Graded:
        chosen = assignment if isinstance(assignment, Assignment) else find_assignment(assignment)
        return grade(chosen, load_submission(Path(path).resolve(), chosen), sandbox, hidden=hidden)

    return run


@pytest.fixture(scope="session")
def graded(grade_path):
    """``graded("activations", path, hidden=True) -> Graded``: like ``grade_path``, but each
    submission is graded once per test session (grading is deterministic)."""
    cache: dict[tuple[str, Path, bool], Graded] = {}

    def run(assignment: Assignment | str, path: Path | str, *, hidden: bool = True) -> Graded:
        name = assignment.name if isinstance(assignment, Assignment) else find_assignment(assignment).name
        key = (name, Path(path).resolve(), hidden)
        if key not in cache:
            cache[key] = grade_path(name, path, hidden=hidden)
        return cache[key]

    return run


def failed_checks(graded: Graded) -> set[str]:
    return {r.id for r in graded.results if r.status != "passed"}


def score(graded: Graded) -> tuple[float, float]:
    return sum(r.points for r in graded.results), sum(r.max_points for r in graded.results)


def by_id(graded: Graded) -> dict:
    return {r.id: r for r in graded.results}
