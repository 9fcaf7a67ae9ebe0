"""Python source as a sequence of normalized syntax-tree tokens, for comparing submissions.

Two copies of one solution should look the same here however their author disguised them,
so the tokens keep the *shape* of the code and drop what is cheap to change:

* one token per syntax-tree node, its type (``FunctionDef``, ``Call``, ``BinOp``, ``Add``...),
  in a fixed depth-first order; the load/store markers are left out;
* names the student chose (variables, arguments, functions, classes, attributes of their
  own objects) are abstracted: a ``Name`` node says nothing about which name it is;
* constants are abstracted: a ``Constant`` node says nothing about its value;
* docstrings and every other bare string statement are dropped, and comments never reach the
  syntax tree;
* names the student did not choose are kept, as an extra token: imported modules under their
  real name (``import numpy as xp`` then ``xp.exp`` gives ``numpy`` and ``exp``, as ``np.exp``
  does), attributes of modules, and builtins (``range``, ``len``).

The source is parsed with :func:`ast.parse`, never compiled or run. This is the token
abstraction of JPlag (Prechelt, Malpohl and Philippsen, "Finding plagiarisms among a set of
programs with JPlag", J. UCS 8(11), 2002), built on Python's own syntax tree.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass

__all__ = ["MAX_SOURCE_CHARS", "MAX_TOKENS", "Tokens", "Unparsable", "normalize"]

MAX_SOURCE_CHARS = 100_000  # a longer file is not parsed (honest submissions: a few kB)
MAX_TOKENS = 20_000  # of one file; a longer one is compared by its beginning
_BUILTINS = frozenset(name for name in dir(builtins) if not name.startswith("_"))
_ATTRIBUTE_CHAIN = 16  # how deep ``a.b.c...`` is followed to find a module


class Unparsable(Exception):
    """The source is not Python that :func:`ast.parse` reads; ``str(exc)`` says why."""


@dataclass(frozen=True)
class Tokens:
    """Normalized tokens of one file: ``kinds[i]`` is the token, ``lines[i]`` its 1-based line
    (0 for the module node, which is on no line)."""

    kinds: tuple[str, ...]
    lines: tuple[int, ...]
    truncated: bool = False


def normalize(source: str) -> Tokens:
    """The normalized tokens of ``source`` (see the module docstring).

    Raises :class:`Unparsable` for a syntax error, a NUL byte, code nested too deeply for the
    parser, or a source longer than :data:`MAX_SOURCE_CHARS` characters. At most
    :data:`MAX_TOKENS` tokens are kept (``truncated`` says so).
    """
    if len(source) > MAX_SOURCE_CHARS:
        raise Unparsable(f"too long to compare ({len(source) // 1000} kB; at most {MAX_SOURCE_CHARS // 1000} kB)")
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise Unparsable(f"syntax error on line {exc.lineno}: {exc.msg}") from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise Unparsable(f"cannot be parsed: {type(exc).__name__}") from None
    modules = _imported_names(tree)
    kinds: list[str] = []
    lines: list[int] = []
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]  # line 0: the module itself is on no line
    while stack and len(kinds) < MAX_TOKENS:
        node, line = stack.pop()
        line = getattr(node, "lineno", line)
        kinds.append(type(node).__name__)
        lines.append(line)
        kept = _kept_name(node, modules)
        if kept is not None:
            kinds.append(kept)
            lines.append(line)
        children = [
            child
            for child in ast.iter_child_nodes(node)
            if not isinstance(child, ast.expr_context) and not _is_bare_string(child)
        ]
        stack.extend((child, line) for child in reversed(children))
    return Tokens(tuple(kinds), tuple(lines), truncated=bool(stack))


def _is_bare_string(node: ast.AST) -> bool:
    """A docstring, or any other string standing alone as a statement."""
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _imported_names(tree: ast.AST) -> dict[str, str]:
    """Each name bound by an import, and what it stands for (``np`` -> ``numpy``).

    Imports are statements: only statements are visited, not the expressions inside them.
    """
    names: dict[str, str] = {}
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        for field in _STATEMENT_FIELDS:
            pending.extend(getattr(node, field, ()))
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    names[top] = top
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name != "*":
                    names[alias.asname or alias.name] = f"{node.module or ''}.{alias.name}"
    return names


_STATEMENT_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")


def _kept_name(node: ast.AST, modules: dict[str, str]) -> str | None:
    """The name a token keeps, if it is one the student did not choose."""
    if isinstance(node, ast.Name):
        if node.id in modules:
            return modules[node.id]
        return node.id if node.id in _BUILTINS else None
    if isinstance(node, ast.Attribute) and _is_module(node.value, modules):
        return node.attr
    if isinstance(node, ast.alias):
        return node.name
    if isinstance(node, ast.ImportFrom):
        return node.module
    return None


def _is_module(node: ast.AST, modules: dict[str, str]) -> bool:
    """Whether ``node`` is an imported module or an attribute of one (``np``, ``np.linalg``)."""
    for _ in range(_ATTRIBUTE_CHAIN):
        if isinstance(node, ast.Name):
            return node.id in modules
        if not isinstance(node, ast.Attribute):
            return False
        node = node.value
    return False
