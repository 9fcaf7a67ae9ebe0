"""The course: its assignments, where their files live, and how to name them.

The course root is the repository that holds ``assignments/`` (what students get),
``solutions/`` (reference solutions) and the ``grader`` package. The grader is
installed from it in editable mode, so the root is the package's parent folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader.errors import UnknownAssignment

__all__ = ["ASSIGNMENTS", "Assignment", "COURSE_ROOT", "available", "find_assignment", "has_hidden_checks"]

COURSE_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Assignment:
    number: int
    name: str
    title: str
    module: str  # the file the student edits, without ".py"
    extra_modules: tuple[str, ...] = ()  # the student's own files it may import (06: dense)

    @property
    def label(self) -> str:
        return f"{self.number:02d}"

    @property
    def filename(self) -> str:
        return f"{self.module}.py"

    @property
    def modules(self) -> tuple[str, ...]:
        return (self.module, *self.extra_modules)

    @property
    def stub_dir(self) -> Path:
        return COURSE_ROOT / "assignments" / self.name

    @property
    def solution_dir(self) -> Path:
        return COURSE_ROOT / "solutions" / self.name

    @property
    def public_suite(self) -> Path:
        return self.stub_dir / "public_checks.py"

    @property
    def hidden_suite(self) -> Path:
        return COURSE_ROOT / "grader" / "hidden" / f"{self.name}.py"


ASSIGNMENTS: tuple[Assignment, ...] = (
    Assignment(1, "activations", "Activation functions and their derivatives", "activations"),
    Assignment(2, "perceptron", "The perceptron: a neuron and Rosenblatt's rule", "perceptron"),
    Assignment(3, "gradient_descent", "Gradient descent and numerical gradients", "gradient_descent"),
    Assignment(4, "logistic_regression", "Logistic regression and its gradient", "logistic_regression"),
    Assignment(5, "dense", "A dense layer with backpropagation", "dense"),
    Assignment(6, "mlp", "A multilayer perceptron that learns iris", "mlp", ("dense",)),
)


def available(assignment: Assignment) -> bool:
    """Whether the assignment's public checks are in place (it can be listed before)."""
    return assignment.public_suite.is_file()


def has_hidden_checks(assignment: Assignment) -> bool:
    """Whether its hidden checks are here: not in a student's copy of the grader."""
    return assignment.hidden_suite.is_file()


def find_assignment(given: str) -> Assignment:
    """Look an assignment up by name (``activations``) or number (``01``, ``1``)."""
    text = given.strip().lower()
    for assignment in ASSIGNMENTS:
        if text == assignment.name or (text.isdigit() and int(text) == assignment.number):
            if not available(assignment):
                raise UnknownAssignment(given, [f"{a.label} {a.name}" for a in ASSIGNMENTS if available(a)])
            return assignment
    raise UnknownAssignment(given, [f"{a.label} {a.name}" for a in ASSIGNMENTS])
