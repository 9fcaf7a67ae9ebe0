"""The course: its assignments, declared once, and where their files live.

An assignment is one line of :data:`ASSIGNMENTS`; everything else is derived from it and from
the folders named after it:

- ``assignments/<name>/``: what students get: the stub ``<module>.py``, its README, and
  ``public_checks.py``;
- ``solutions/<name>/``: the reference solution (instructors only);
- ``grader/hidden/<name>.py`` (or the package ``grader/hidden/<name>/``): the hidden checks;
- ``tests/submissions/<name>/``: the grader's own test submissions (``correct/``, ``mutants/``).

``grader list``, ``grader check``/``grade``, the students' copy (``grader export-student``), its
workflow (through ``grader list --names``), the README's course table (``grader list --markdown``)
and the grader's own tests all read this declaration; points and check counts are read from the
suites (the ``@check`` decorators), never written down anywhere else.

The course root is the repository that holds ``assignments/``, ``solutions/`` and the
``grader`` package. The grader is installed from it in editable mode, so the root is the
package's parent folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader.errors import UnknownAssignment
from grader.i18n import N_

__all__ = [
    "ASSIGNMENTS",
    "Assignment",
    "COURSE_ROOT",
    "available",
    "find_assignment",
    "has_hidden_checks",
    "markdown_table",
]

COURSE_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Assignment:
    """One assignment, as declared in :data:`ASSIGNMENTS`.

    ``number``: its place in the course (1 is shown ``01``); ``name``: the name of its folders and
    on the command line (a Python identifier); ``title``: one line for the README's table and the
    students' README; ``module``: the file the student edits, without ``.py`` (default: ``name``);
    ``extra_modules``: the student's own files from earlier assignments that it may import
    (06 imports the student's ``dense``), handed in with it.
    """

    number: int
    name: str
    title: str
    module: str = ""
    extra_modules: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.module:
            object.__setattr__(self, "module", self.name)

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
        """``grader/hidden/<name>.py``, or ``grader/hidden/<name>/__init__.py`` for a suite split
        into a package (its checks bound in the ``__init__``, in report order)."""
        package = COURSE_ROOT / "grader" / "hidden" / self.name / "__init__.py"
        return package if package.is_file() else COURSE_ROOT / "grader" / "hidden" / f"{self.name}.py"

    @property
    def hidden_files(self) -> list[Path]:
        """Every file of the hidden suite: the module, or the package's modules, sorted."""
        suite = self.hidden_suite
        return sorted(suite.parent.glob("*.py")) if suite.name == "__init__.py" else [suite]


# The one place an assignment is declared: number, name, title (translated where the students'
# copy shows it: the README's table, the notebook's heading), [module, extra modules].
ASSIGNMENTS: tuple[Assignment, ...] = (
    Assignment(1, "activations", N_("activation functions and their derivatives")),
    Assignment(2, "perceptron", N_("the perceptron: a neuron and Rosenblatt's rule")),
    Assignment(3, "gradient_descent", N_("gradient descent and numerical gradients")),
    Assignment(4, "logistic_regression", N_("logistic regression and its gradient")),
    Assignment(5, "dense", N_("a dense layer with backpropagation")),
    Assignment(6, "mlp", N_("an MLP that learns iris (5-fold cross-validation, >= 0.9)"), extra_modules=("dense",)),
)


def available(assignment: Assignment) -> bool:
    """Whether the assignment's public checks are in place (it can be listed before)."""
    return assignment.public_suite.is_file()


def has_hidden_checks(assignment: Assignment) -> bool:
    """Whether its hidden checks are here: not in a student's copy of the grader."""
    return assignment.hidden_suite.is_file()


def find_assignment(given: str) -> Assignment:
    """Look an assignment up by name (``activations``) or number (``01``, ``1``).

    Raises :class:`~grader.errors.UnknownAssignment` (its message lists the known ones) for
    anything else, or for an assignment whose public checks are not in place yet.
    """
    text = given.strip().lower()
    for assignment in ASSIGNMENTS:
        if text == assignment.name or (text.isdigit() and int(text) == assignment.number):
            if not available(assignment):
                raise UnknownAssignment(given, [f"{a.label} {a.name}" for a in ASSIGNMENTS if available(a)])
            return assignment
    raise UnknownAssignment(given, [f"{a.label} {a.name}" for a in ASSIGNMENTS])


def markdown_table() -> str:
    """The README's course table (GitHub Markdown): one row per available assignment, with its
    points and its numbers of public and hidden checks read from the suites ("-" where the
    hidden suite is not in this copy). ``grader list --markdown`` prints it."""
    from grader.judge.catalog import suite_checks  # the judge imports this module

    rows = ["| | assignment | file | points | public | hidden |", "|---|---|---|---|---|---|"]
    for assignment in ASSIGNMENTS:
        if not available(assignment):
            continue
        hidden = has_hidden_checks(assignment)
        specs = suite_checks(assignment, hidden=hidden)
        public = sum(1 for s in specs if s.visibility == "public")
        points = f"{sum(s.max_points for s in specs):g}" if hidden else "-"
        file = f"`{assignment.filename}`" + "".join(f" (+ the student's `{m}.py`)" for m in assignment.extra_modules)
        hidden_count = str(len(specs) - public) if hidden else "-"
        rows.append(f"| {assignment.label} | {assignment.title} | {file} | {points} | {public} | {hidden_count} |")
    return "\n".join(rows) + "\n"
