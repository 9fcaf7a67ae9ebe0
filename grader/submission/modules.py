"""A student's file (``.py`` or notebook) as the module the sandbox imports, graded by one rule.

Both formats go through :mod:`grader.submission.statements`: the same code gets the same
verdict whether it was handed in as ``activations.py`` or ``activations.ipynb``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache

from grader.course import ASSIGNMENTS, COURSE_ROOT
from grader.i18n import _
from grader.submission import statements
from grader.submission.files import source_problem
from grader.submission.model import Block, Refused
from grader.submission.notebook import Cells, demo_note, imports_note, notebook_module

__all__ = ["Module", "contract", "holds_work", "notebook_as_module", "python_module", "stub_source"]

_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Module:
    """One graded module: the bytes the child gets, notes, and where a notebook's cells lie.

    ``fallback``: for a ``.py`` file, the same file with its demo code commented out, graded
    (with ``fallback_notes``) when importing the file as it is fails; None when it has none."""

    data: bytes
    notes: tuple[str, ...] = ()
    blocks: tuple[Block, ...] = ()
    main_guarded: tuple[str, ...] = ()
    fallback: bytes | None = None
    fallback_notes: tuple[str, ...] = ()


def python_module(data: bytes, *, shown_as: str, module: str, allowed: frozenset[str]) -> Module:
    """The graded module of a ``.py`` file: the file as it is, and as its fallback the file
    with its demo code commented out line for line (see :mod:`~grader.submission.statements`),
    graded when importing the file as it is fails. A file that does not parse is handed on as
    it is: the sandbox reports its syntax error. Raises
    :class:`~grader.submission.model.Refused` when it is not UTF-8 text."""
    problem = source_problem(shown_as, data)
    if problem:
        raise Refused(problem)
    text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")  # lines as ast counts them
    tree = statements.parse(text)
    if tree is None:
        return Module(data)
    unit = statements.Unit(text, tree)
    choice = statements.choose([unit], contract=contract(module), allowed=allowed)
    if all(choice.keep[0]) or choice.uses_dropped_import:  # without the import, it cannot work
        return Module(data, main_guarded=choice.main_guarded)
    notes = tuple(n for n in (demo_note(choice, in_file=shown_as), imports_note(choice)) if n)
    rendered = (_BOM if data.startswith(_BOM) else b"") + statements.render(unit, choice.keep[0]).encode("utf-8")
    return Module(data, main_guarded=choice.main_guarded, fallback=rendered, fallback_notes=notes)


def notebook_as_module(cells: Cells, *, module: str, allowed: frozenset[str]) -> Module:
    """The graded module of a notebook's code cells. Raises
    :class:`~grader.submission.model.Refused` when its code is not valid Unicode or holds NUL."""
    made = notebook_module(cells, contract=contract(module), allowed=allowed)
    try:
        data = made.source.encode("utf-8")
    except UnicodeEncodeError:
        raise Refused(
            _("{name} is not a valid Jupyter notebook: its code holds characters that are not valid Unicode").format(
                name=cells.shown_as
            )
        ) from None
    if b"\x00" in data:
        raise Refused(_("the code cells of {name} contain a NUL character").format(name=cells.shown_as))
    return Module(data, made.notes, made.blocks, made.main_guarded)


def holds_work(module: str, *, text: str | None, trees: list[ast.Module | None] | None) -> bool:
    """Whether a student's file holds work of theirs, rather than the untouched stub of
    ``module``: its text differs from the stub's (line ends and trailing spaces apart) and a
    function or class differs from the stub's or is new. ``text``: a ``.py`` file's text;
    ``trees``: its top-level trees (a notebook's cells); None where unknown."""
    stub = stub_source(module)
    if stub is None:
        return True
    if text is not None and _normal(text) == _normal(stub):
        return False
    if trees is None:
        return True
    found = statements.definitions(trees)
    original = statements.text_definitions(stub)
    if found is None or original is None:
        return True
    return any(original.get(name) != dump for name, dump in found.items())


@lru_cache(maxsize=16)
def stub_source(module: str) -> str | None:
    """The text of the course's stub for ``module``: ``grader/stubs/<name>/<module>.py`` in a
    students' copy (where ``assignments/<name>/<module>.py`` is the student's own work, see
    :mod:`grader.export`), else ``assignments/<name>/<module>.py``."""
    for assignment in ASSIGNMENTS:
        if assignment.module == module:
            for path in (
                COURSE_ROOT / "grader" / "stubs" / assignment.name / assignment.filename,
                COURSE_ROOT / "assignments" / assignment.name / assignment.filename,
            ):
                try:
                    return path.read_text(encoding="utf-8")
                except FileNotFoundError:
                    continue
                except (OSError, UnicodeDecodeError):
                    return None
    return None


@lru_cache(maxsize=16)
def contract(module: str) -> frozenset[str]:
    """The names the stub of ``module`` defines at its top level (empty without a stub)."""
    stub = stub_source(module)
    return statements.contract_names(statements.parse(stub) if stub is not None else None)


def _normal(text: str) -> str:
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")
