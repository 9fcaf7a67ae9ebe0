"""The checks of an assignment, read from its suites: ids, points, visibility, descriptions.

``grader list``, the reports of unloadable submissions and the pytest plugin all read the
points from the same place: the ``@check`` decorator on each test function.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from grader.course import Assignment
from grader.judge.checks import check_info, description
from grader.judge.validation import CheckDefinitionError
from grader.results import CheckSpec, Visibility

__all__ = ["check_id", "load_suite", "suite_checks", "suite_functions", "suite_paths"]


def check_id(function_name: str) -> str:
    return function_name[len("test_") :] if function_name.startswith("test_") else function_name


def suite_paths(assignment: Assignment, *, hidden: bool) -> list[tuple[Path, Visibility]]:
    paths: list[tuple[Path, Visibility]] = [(assignment.public_suite, "public")]
    if hidden:
        paths.append((assignment.hidden_suite, "hidden"))
    return paths


def module_name(path: Path, visibility: Visibility) -> str:
    package = visibility == "public" or path.name == "__init__.py"
    return f"grader_suites.{path.parent.name if package else path.stem}.{visibility}"


def import_file(name: str, path: Path) -> ModuleType:
    """Import the Python file ``path`` as the module ``name``, once per process; an
    ``__init__.py`` as a package, whose modules import each other relatively (``from .cases import X``)."""
    if name in sys.modules:
        return sys.modules[name]
    package = [str(path.parent)] if path.name == "__init__.py" else None
    spec = importlib.util.spec_from_file_location(name, path, submodule_search_locations=package)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def load_suite(path: Path, visibility: Visibility) -> ModuleType:
    """Import a suite module once per process, under a stable name."""
    return import_file(module_name(path, visibility), path)


def suite_functions(module: ModuleType) -> list:
    """The checks of a suite module, in the order of its namespace: the functions declared with
    ``@check`` in it, or, for a suite split into a package, in its modules and bound in it."""
    own = (module.__name__, *((f"{module.__name__}.",) if hasattr(module, "__path__") else ()))
    return [f for f in vars(module).values() if callable(f) and check_info(f) is not None and _declared_in(f, own)]


def _declared_in(function: object, prefixes: tuple[str, ...]) -> bool:
    name = getattr(function, "__module__", None)
    return isinstance(name, str) and (name == prefixes[0] or any(name.startswith(p) for p in prefixes[1:]))


def suite_checks(assignment: Assignment, *, hidden: bool) -> list[CheckSpec]:
    """Every check of the assignment in suite order (public first), as declared."""
    specs: list[CheckSpec] = []
    seen: dict[str, Path] = {}
    for path, visibility in suite_paths(assignment, hidden=hidden):
        module = load_suite(path, visibility)
        for function in suite_functions(module):
            info = check_info(function)
            assert info is not None  # the functions were chosen so
            ident = check_id(function.__name__)
            if ident in seen:
                raise CheckDefinitionError(f"check id {ident!r} is declared twice ({seen[ident]} and {path})")
            seen[ident] = path
            specs.append(CheckSpec(ident, visibility, info.points, description(function.__doc__) or ident, info.timeout))
    return specs
