"""What of a student's code is graded: its definitions, not its demo code.

One rule for a ``.py`` file and for a notebook's code cells, statement by statement at the
top level, in the order the code runs:

* kept: imports of numpy, the standard library and the student's own files; function and class
  definitions; assignments and ``if``/``try`` blocks made only of such statements (a fallback
  ``_expit`` defined under ``except ImportError:``), as long as graded code needs them: an
  assignment stays when it binds a name of the assignment's contract or a name that kept code
  uses, so ``EPS = 1e-12`` read by ``sigmoid`` stays and ``X = np.random.randn(12000, 12000)``
  used by nothing goes;
* left out, with a note naming it: every other statement (calls such as ``plt.plot(...)`` and
  ``print(...)``, loops and training runs, ``input()``), ``if __name__ == "__main__":`` blocks,
  imports of other modules (matplotlib, pandas: graded code may use only numpy and the standard
  library) and what uses the names they bind, and assignments that read files or ask for input.

A left-out statement is commented out in place, so that every kept line keeps its number.
The analysis is linear in the size of the code: each statement's tree is walked once.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import TypeGuard

from grader.i18n import _
from grader.submission import names

__all__ = [
    "Choice",
    "Unit",
    "allowed_modules",
    "choose",
    "contract_names",
    "definitions",
    "is_future",
    "is_neutral",
    "parse",
    "render",
]

# Calls that make an assignment demo code: reading files, asking for input, the IPython shell.
_DEMO_CALL_NAMES = frozenset({"open", "input", "display", "get_ipython", "breakpoint", "exec", "eval"})
_DEMO_CALL_ATTRIBUTES = frozenset(
    {"loadtxt", "genfromtxt", "load", "fromfile", "read_csv", "urlopen", "show", "savefig"}
)
names.DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_ASSIGNMENTS = (ast.Assign, ast.AnnAssign, ast.AugAssign)
_MAIN_GUARD = 'if __name__ == "__main__":'
SHOWN_LEFT_OUT = 6  # lines of left-out statements a note names; it counts the others


@dataclass(frozen=True)
class Unit:
    """One piece of code analysed together with the others: a file, or a notebook's cell.

    ``text`` has ``\\n`` line ends; ``tree`` is None when it does not parse (it is then kept
    as it is); ``where`` prefixes its line numbers in notes (``""`` or ``"the 3rd cell, "``).
    """

    text: str
    tree: ast.Module | None
    where: str = ""


@dataclass(frozen=True)
class Choice:
    """What :func:`choose` decided: ``keep[u][i]`` for statement ``i`` of unit ``u``."""

    keep: tuple[tuple[bool, ...], ...]
    left_out: tuple[str, ...]  # the first few: "line 40: plt.plot(x, sigmoid(x))", in order, each line once
    left_out_count: int  # how many lines start a left-out statement (imports apart)
    dropped_imports: tuple[str, ...]  # top-level modules whose imports were left out
    main_guarded: tuple[str, ...]  # defined only under if __name__ == "__main__"
    uses_dropped_import: bool = False  # kept code reads a name that a left-out import binds


def parse(text: str) -> ast.Module | None:
    """The tree of ``text``, or None when it is not Python (or too deep to parse)."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except MemoryError:
        raise
    except Exception:  # noqa: BLE001 - SyntaxError, but also RecursionError, ValueError...
        return None


def allowed_modules(local_modules: tuple[str, ...]) -> frozenset[str]:
    """Top-level modules graded code may import: the standard library, numpy, its own files."""
    return frozenset(sys.stdlib_module_names) | {"numpy"} | set(local_modules)


def contract_names(stub: ast.Module | None) -> frozenset[str]:
    """The names a stub defines at its top level: what the grader may ask of a submission."""
    if stub is None:
        return frozenset()
    found: set[str] = set()
    for node in stub.body:
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            found |= names.bound_names(node)
    return frozenset(found)


def definitions(trees: list[ast.Module | None]) -> dict[str, str] | None:
    """Each top-level function and class of ``trees`` by name, as the dump of its tree (line
    numbers apart), to compare a student's file with the stub; None when one does not parse."""
    found: dict[str, str] = {}
    for tree in trees:
        if tree is None:
            return None
        for node in tree.body:
            if isinstance(node, names.DEFINITIONS):
                found[node.name] = _dump_without_docstrings(node)
    return found


@lru_cache(maxsize=16)
def text_definitions(text: str) -> Mapping[str, str] | None:
    """:func:`definitions` of the Python source ``text`` (a stub's), computed once per text; a
    read-only mapping, or None when ``text`` does not parse."""
    found = definitions([parse(text)])
    return None if found is None else MappingProxyType(found)


def _dump_without_docstrings(node: ast.stmt) -> str:
    """``ast.dump`` of a definition without its docstrings (a released notebook moves them to
    text). The tree is changed for the dump and put back as it was (no copy: copying a tree
    cost more than everything else of reading a submission)."""
    changed: list[tuple[ast.AST, list[ast.stmt]]] = []
    try:
        for inner in ast.walk(node):
            if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and inner.body:
                if is_neutral(inner.body[0]) and not isinstance(inner.body[0], ast.Pass):
                    changed.append((inner, inner.body))
                    inner.body = inner.body[1:] or [ast.Pass()]
        return ast.dump(node)
    finally:
        for inner, body in reversed(changed):
            inner.body = body  # type: ignore[attr-defined]


def choose(units: list[Unit], *, contract: frozenset[str], allowed: frozenset[str]) -> Choice:
    """Decide, for every top-level statement of ``units`` (in the order they run), whether it
    is graded; see the module docstring for the rule."""
    statements = [(u, i, node) for u, unit in enumerate(units) if unit.tree for i, node in enumerate(unit.tree.body)]
    status: dict[tuple[int, int], str] = {}  # "keep", "root", "candidate", "out", "main"
    uses: dict[tuple[int, int], set[str]] = {}
    binders: dict[str, list[tuple[int, int]]] = {}
    tainted: set[str] = set()  # names bound by left-out code
    dropped: list[str] = []
    dropped_names: set[str] = set()
    guarded: list[str] = []
    bound_of: dict[tuple[int, int], set[str]] = {}
    for u, i, node in statements:
        key = (u, i)
        bound = bound_of[key] = names.bound_names(node)
        if is_neutral(node) or is_future(node):
            status[key] = "keep"
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            outside = _outside_imports(node, allowed)
            dropped.extend(outside)
            status[key] = "out" if outside else "keep"
            if outside:
                dropped_names |= bound
        elif _is_main_guard(node):
            status[key] = "main"
            guarded.extend(names.defined_names(node.body))
        elif isinstance(node, names.DEFINITIONS):
            clean = not _uses(names.definition_time_expressions(node), tainted)
            status[key] = "root" if clean else "out"
        elif isinstance(node, (ast.If, ast.Try)) or isinstance(node, _ASSIGNMENTS):
            if isinstance(node, ast.AnnAssign) and node.value is None:
                status[key] = "keep"
            elif _clean(node, tainted, allowed, in_try=False):
                defines = bool(names.defined_names([node])) or bool(bound & contract)
                status[key] = "root" if defines else "candidate"
            else:
                status[key] = "out"
        else:
            status[key] = "out"
        if status[key] in ("out", "main"):
            tainted |= bound
        else:
            tainted -= bound
        if status[key] in ("root", "candidate"):
            uses[key] = names.names_used(node)
            for name in bound:
                binders.setdefault(name, []).append(key)

    needed: list[str] = [name for key, s in status.items() if s == "root" for name in uses[key]]
    seen: set[str] = set()
    while needed:
        name = needed.pop()
        if name in seen:
            continue
        seen.add(name)
        for key in binders.get(name, ()):
            if status[key] == "candidate":
                status[key] = "root"
                needed.extend(uses[key])

    keep: list[list[bool]] = [[] for _ in units]
    left_out: list[str] = []
    described: set[tuple[int, int]] = set()  # (unit, line): statements sharing a line are named once
    last_unit = -1
    lines: dict[int, list[str]] = {}
    for u, i, node in statements:
        kept = status[(u, i)] in ("keep", "root")
        keep[u].append(kept)
        if not kept and not isinstance(node, (ast.Import, ast.ImportFrom)) and (u, node.lineno) not in described:
            described.add((u, node.lineno))
            if len(left_out) < SHOWN_LEFT_OUT:
                unit_lines = lines.setdefault(u, units[u].text.split("\n"))
                same_unit = bool(left_out) and last_unit == u  # "the 9th cell, line 1: ...; line 2: ..."
                left_out.append(_describe(units[u], unit_lines, node, where=not same_unit))
                last_unit = u
    defined_at_top = {
        name for key, s in status.items() if s in ("keep", "root") for name in bound_of[key]
    }
    return Choice(
        keep=tuple(tuple(k) for k in keep),
        left_out=tuple(left_out),
        left_out_count=len(described),
        dropped_imports=tuple(dict.fromkeys(dropped)),
        main_guarded=tuple(dict.fromkeys(n for n in guarded if n not in defined_at_top)),
        uses_dropped_import=bool(dropped_names & (seen - defined_at_top)),
    )


def render(unit: Unit, keep: tuple[bool, ...]) -> str:
    """``unit.text`` with the statements not kept commented out, line for line (every kept
    line keeps its number). Statements sharing a line (``x = 1; plt.plot(x)``) keep only
    their kept parts on it."""
    if unit.tree is None or all(keep):
        return unit.text
    lines = unit.text.split("\n")
    body = unit.tree.body
    index = 0
    while index < len(body):
        group = [index]  # statements sharing lines with each other
        end = body[index].end_lineno or body[index].lineno
        while group[-1] + 1 < len(body) and _first_line(body[group[-1] + 1]) <= end:
            group.append(group[-1] + 1)
            end = max(end, body[group[-1]].end_lineno or end)
        start = _first_line(body[index])
        kept = [keep[k] for k in group]
        if not any(kept):
            for number in range(start, end + 1):
                if lines[number - 1].strip():
                    lines[number - 1] = "# " + lines[number - 1]
        elif not all(kept):
            joined = "; ".join(_segment(lines, body[k]) for k in group if keep[k]).split("\n")
            joined += [""] * (end - start + 1 - len(joined))
            lines[start - 1 : end] = joined
        index = group[-1] + 1
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------


def _segment(lines: list[str], node: ast.stmt) -> str:
    """The exact text of ``node`` (its offsets count UTF-8 bytes), from the split lines."""
    first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
    start, stop = node.col_offset, node.end_col_offset
    if first == last:
        return lines[first].encode("utf-8")[start:stop].decode("utf-8")
    head = lines[first].encode("utf-8")[start:].decode("utf-8")
    tail = lines[last].encode("utf-8")[:stop].decode("utf-8")
    return "\n".join([head, *lines[first + 1 : last], tail])


def _describe(unit: Unit, lines: list[str], node: ast.stmt, *, where: bool = True, most: int = 50) -> str:
    """``"line 40: plt.plot(x, sigmoid(x))"``: where a left-out statement is, and how it starts;
    ``where``: with the unit's prefix (``"the 9th cell, "``), left out after one of the same unit."""
    if _is_main_guard(node):
        text = _MAIN_GUARD + " ..."
    else:
        text = lines[node.lineno - 1].strip() if node.lineno <= len(lines) else ""
        text = text if len(text) <= most else text[: most - 3] + "..."
    return _("{where}line {line}: {code}").format(where=unit.where if where else "", line=node.lineno, code=text)


def _first_line(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


def is_neutral(node: ast.stmt) -> bool:
    """A statement that neither defines nor runs anything: ``pass``, a lone string."""
    return isinstance(node, ast.Pass) or (
        isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
    )


def is_future(node: ast.stmt) -> TypeGuard[ast.ImportFrom]:
    return isinstance(node, ast.ImportFrom) and node.module == "__future__" and not node.level


def _is_main_guard(node: ast.stmt) -> TypeGuard[ast.If]:
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    test = node.test
    if len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    dunder = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    mains = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
    return len(dunder) == 1 and len(mains) == 1


def _outside_imports(node: ast.Import | ast.ImportFrom, allowed: frozenset[str]) -> list[str]:
    """The top-level modules this import needs that graded code may not use."""
    if isinstance(node, ast.ImportFrom):
        if node.level:  # relative: there is no package to import from
            return [("." * node.level) + (node.module or "")]
        modules = [node.module or ""]
    else:
        modules = [alias.name for alias in node.names]
    return [m.split(".")[0] for m in modules if m.split(".")[0] not in allowed]


def _clean(node: ast.stmt, tainted: set[str], allowed: frozenset[str], *, in_try: bool) -> bool:
    """Whether ``node`` only defines things: an assignment, or an ``if``/``try`` block of
    imports, definitions and assignments, that reads no left-out name, no file, no input."""
    if is_neutral(node) or isinstance(node, ast.Raise):
        return True
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return in_try or not _outside_imports(node, allowed)
    if isinstance(node, names.DEFINITIONS):
        return not _uses(names.definition_time_expressions(node), tainted)
    if isinstance(node, _ASSIGNMENTS):
        return not _uses([node], tainted)
    if isinstance(node, ast.If) and not _is_main_guard(node):
        return not _uses([node.test], tainted) and all(
            _clean(child, tainted, allowed, in_try=in_try) for child in (*node.body, *node.orelse)
        )
    if isinstance(node, ast.Try):
        handlers = [h.type for h in node.handlers if h.type is not None]
        return (
            not _uses(handlers, tainted)
            and all(_clean(child, tainted, allowed, in_try=True) for child in node.body)
            and all(
                _clean(child, tainted, allowed, in_try=in_try)
                for child in (*[c for h in node.handlers for c in h.body], *node.orelse, *node.finalbody)
            )
        )
    return False


def _uses(expressions: list, tainted: set[str]) -> bool:
    """Whether evaluating ``expressions`` reads a left-out name, reads a file or asks for input."""
    stack: list[ast.AST] = list(expressions)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in tainted:
            return True
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in _DEMO_CALL_NAMES:
                return True
            if isinstance(func, ast.Attribute) and func.attr in _DEMO_CALL_ATTRIBUTES:
                return True
        if isinstance(node, names.DEFINITIONS):  # a body runs later, when called
            stack.extend(names.definition_time_expressions(node))
            continue
        if isinstance(node, ast.Lambda):
            stack.extend(node.args.defaults)
            stack.extend(d for d in node.args.kw_defaults if d is not None)
            continue
        stack.extend(ast.iter_child_nodes(node))
    return False


