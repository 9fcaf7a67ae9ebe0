"""The reference solutions, loaded into the judge's process only (never into a child)."""

from __future__ import annotations

import sys
from types import ModuleType

from grader.course import COURSE_ROOT
from grader.judge.catalog import import_file

__all__ = ["reference"]


def reference(assignment: str, module: str | None = None) -> ModuleType:
    """The reference solution's module ``module`` (default: the assignment's name) of ``assignment``."""
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
