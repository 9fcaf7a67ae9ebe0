"""What only the judge may read: the reference solutions (loaded into the judge's process,
never into a child) and the assignments' data files."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

from grader.course import COURSE_ROOT
from grader.judge.catalog import import_file
from grader.judge.validation import CheckDefinitionError, checked_text

__all__ = ["assignment_file", "reference"]


def reference(assignment: str, module: str | None = None) -> ModuleType:
    """A reference solution, imported into the judge's process (never into a child).

    Parameters: ``assignment``, the assignment's name (its folder under ``solutions/``);
    ``module``, the module to import there (default: the assignment's own module, e.g.
    ``dense`` for ``mlp``'s helper). Returns the module, imported once per process under a
    name of its own, so that the student's modules and the reference never meet. Use it in
    hidden suites only: a public suite must compute its expected values in the open. Raises
    ImportError or the reference's own exception if it cannot be imported.

    >>> float(reference("activations").relu(-1.0))
    0.0
    """
    module = module or assignment
    name = f"grader_reference.{assignment}.{module}"
    if name in sys.modules:
        return sys.modules[name]
    folder = COURSE_ROOT / "solutions" / assignment
    before = set(sys.modules)
    sys.path.insert(0, str(folder))  # the mlp reference imports its own dense
    try:
        return import_file(name, folder / f"{module}.py")
    finally:
        sys.path.remove(str(folder))
        # Modules it imported from its folder (dense) get names of their own, so that no
        # later plain `import dense` in the judge finds the reference's.
        for other in set(sys.modules) - before:
            path = getattr(sys.modules[other], "__file__", None) or ""
            if other != name and path.startswith(str(folder)):
                sys.modules[f"grader_reference.{assignment}.{other}"] = sys.modules.pop(other)


def assignment_file(assignment: str, name: str) -> Path:
    """The path of the data file ``name`` in ``assignments/<assignment>/`` (e.g. ``iris.csv``).

    Parameters: ``assignment``, the assignment's folder name; ``name``, the file's name within
    it. Returns its absolute path. Raises
    :class:`~grader.judge.validation.CheckDefinitionError` when the file does not exist.

    >>> assignment_file("mlp", "iris.csv").name
    'iris.csv'
    """
    path = COURSE_ROOT / "assignments" / checked_text(assignment, "assignment") / checked_text(name, "name")
    if not path.is_file():
        raise CheckDefinitionError(f"no data file {name!r} in assignments/{assignment}/ (looked for {path})")
    return path
