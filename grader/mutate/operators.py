"""Automatic mutants of a reference solution: one small change of the source each.

The operators follow the classic ones of mutation testing (mutmut's and cosmic-ray's tables:
``+``/``-``, ``*``/``/``, ``<``/``<=``, ``and``/``or``, a number plus one, ``True``/``False``, an
argument dropped) and add the mistakes students of a numpy course make: a ``keepdims`` or an
``axis`` left out, ``X @ W`` written ``W @ X``, a forgotten ``.T``, a missing ``np.asarray`` or
``.copy()``, an update made in place on an argument, the argument returned instead of the result.

Each mutant replaces the source text of one expression or statement (positions from :mod:`ast`),
so the rest of the file, comments included, stays as it was and the diff is a line. The mutated
file is parsed again and must give exactly the intended tree (parentheses are added where the
replacement needs them), so every mutant is valid Python meaning what its diff line says.

Only function and method bodies are mutated, never docstrings or f-strings; a line of the
reference that ends with ``# pragma: no mutate`` (mutmut's marker) is left alone: for a choice
the contract leaves open, such as a seed's value.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass

__all__ = ["OPERATORS", "Mutant", "mutants", "normalized", "skipped_lines"]

PRAGMA = "pragma: no mutate"

_ARITH: dict[type, tuple[type, ...]] = {
    ast.Add: (ast.Sub,),
    ast.Sub: (ast.Add,),
    ast.Mult: (ast.Div,),
    ast.Div: (ast.Mult,),
    ast.FloorDiv: (ast.Div,),
    ast.Mod: (ast.Div,),
    ast.Pow: (ast.Mult,),
    ast.MatMult: (ast.Mult,),
}
_NOT_COMMUTATIVE = (ast.Sub, ast.Div, ast.FloorDiv, ast.MatMult)
_COMPARE: dict[type, tuple[type, ...]] = {
    ast.Lt: (ast.LtE, ast.GtE),
    ast.LtE: (ast.Lt, ast.Gt),
    ast.Gt: (ast.GtE, ast.LtE),
    ast.GtE: (ast.Gt, ast.Lt),
    ast.Eq: (ast.NotEq,),
    ast.NotEq: (ast.Eq,),
    ast.Is: (ast.IsNot,),
    ast.IsNot: (ast.Is,),
    ast.In: (ast.NotIn,),
    ast.NotIn: (ast.In,),
}
_CONVERSIONS = {"asarray", "array", "asanyarray", "ascontiguousarray", "copy", "float", "int", "atleast_2d"}
_METHOD_CONVERSIONS = {"copy", "astype", "ravel", "flatten"}


@dataclass(frozen=True)
class Mutant:
    """One mutant: ``source`` is the whole mutated file; ``before`` and ``after`` are the
    changed line of the reference (``line``, 1-based) as it was and as it is in the mutant."""

    operator: str
    line: int
    function: str
    before: str
    after: str
    source: str

    @property
    def diff(self) -> str:
        return f"line {self.line} ({self.function}, {self.operator}): {self.before.strip()}  ->  {self.after.strip()}"


Replacement = tuple[ast.AST, ast.AST]  # (node of the reference, what replaces it)


# -- the operators: each yields replacements for one node --------------------------------
def arith(node: ast.AST, _: list[str]) -> Iterator[Replacement]:
    """``a + b`` -> ``a - b``, ``*`` <-> ``/``, ``**`` -> ``*``, ``@`` -> ``*``; also in ``x += y``."""
    if isinstance(node, (ast.BinOp, ast.AugAssign)):
        for new in _ARITH.get(type(node.op), ()):
            changed = copy.copy(node)
            changed.op = new()
            yield node, changed


def operands(node: ast.AST, _: list[str]) -> Iterator[Replacement]:
    """``a - b`` -> ``b - a``, ``X @ W`` -> ``W @ X`` (operators that do not commute)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, _NOT_COMMUTATIVE):
        yield node, ast.BinOp(left=node.right, op=node.op, right=node.left)


def compare(node: ast.AST, _: list[str]) -> Iterator[Replacement]:
    """``<`` <-> ``<=`` (the boundary), ``<`` -> ``>=`` (the negation), ``==`` <-> ``!=``, ``is``, ``in``."""
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            for new in _COMPARE.get(type(op), ()):
                yield node, ast.Compare(left=node.left, ops=[*node.ops[:i], new(), *node.ops[i + 1 :]], comparators=node.comparators)


def sign(node: ast.AST, _: list[str]) -> Iterator[Replacement]:
    """``-x`` -> ``x``, ``not x`` -> ``x``, ``and`` <-> ``or``."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.Not)):
        yield node, node.operand
    if isinstance(node, ast.BoolOp):
        yield node, ast.BoolOp(op=ast.Or() if isinstance(node.op, ast.And) else ast.And(), values=node.values)


def constant(node: ast.AST, _: list[str]) -> Iterator[Replacement]:
    """A number ``n`` -> ``n + 1`` (and ``1`` -> ``0``, ``1.0`` -> ``0.0``), a tiny float such as
    ``1e-12`` -> ``0.0``, ``True`` <-> ``False``."""
    if not isinstance(node, ast.Constant):
        return
    value = node.value
    if isinstance(value, bool):
        yield node, ast.Constant(not value)
    elif isinstance(value, (int, float)):
        news: list[int | float] = [value + 1]
        if value == 1:
            news.append(type(value)(0))
        elif isinstance(value, float) and 0 < abs(value) < 1e-6:
            news = [0.0]
        for new in news:
            yield node, ast.Constant(new)


def keyword(node: ast.AST, _: list[str]) -> Iterator[Replacement]:
    """A keyword argument left out: ``keepdims=True``, ``axis=1``, ``dtype=float`` ..."""
    if isinstance(node, ast.Call):
        for i, kw in enumerate(node.keywords):
            if kw.arg is not None:
                yield node, ast.Call(func=node.func, args=node.args, keywords=[*node.keywords[:i], *node.keywords[i + 1 :]])


def argument(node: ast.AST, _: list[str]) -> Iterator[Replacement]:
    """The last of several positional arguments left out (``np.max(z, 0)`` -> ``np.max(z)``),
    two neighbouring positional arguments swapped."""
    if not isinstance(node, ast.Call) or any(isinstance(a, ast.Starred) for a in node.args):
        return
    args = node.args
    if len(args) >= 2:
        yield node, ast.Call(func=node.func, args=args[:-1], keywords=node.keywords)
    for i in range(len(args) - 1):
        if ast.dump(args[i]) != ast.dump(args[i + 1]):
            swapped = [*args[:i], args[i + 1], args[i], *args[i + 2 :]]
            yield node, ast.Call(func=node.func, args=swapped, keywords=node.keywords)


def conversion(node: ast.AST, _: list[str]) -> Iterator[Replacement]:
    """A conversion or copy left out: ``np.asarray(z, dtype=float)`` -> ``z``, ``W.copy()`` -> ``W``,
    ``y.astype(int)`` -> ``y``; a transpose forgotten: ``X.T`` -> ``X``."""
    if isinstance(node, ast.Attribute) and node.attr == "T" and isinstance(node.ctx, ast.Load):
        yield node, node.value
    if not isinstance(node, ast.Call) or not isinstance(node.func, (ast.Attribute, ast.Name)):
        return
    name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
    on_numpy = isinstance(node.func, ast.Name) or (isinstance(node.func.value, ast.Name) and node.func.value.id in ("np", "numpy"))
    if on_numpy and name in _CONVERSIONS and node.args and not isinstance(node.args[0], ast.Starred):
        yield node, node.args[0]
    elif isinstance(node.func, ast.Attribute) and not on_numpy and name in _METHOD_CONVERSIONS:
        yield node, node.func.value


def inplace(node: ast.AST, _: list[str]) -> Iterator[Replacement]:
    """``x = x - y`` -> ``x -= y`` (now the caller's array changes), and ``x += y`` -> ``x = y``."""
    if (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], (ast.Name, ast.Attribute, ast.Subscript))
        and isinstance(node.value, ast.BinOp)
        and ast.dump(node.value.left) == ast.dump(_as_load(node.targets[0]))
    ):
        yield node, ast.AugAssign(target=node.targets[0], op=node.value.op, value=node.value.right)
    if isinstance(node, ast.AugAssign):
        yield node, ast.Assign(targets=[node.target], value=node.value, lineno=node.lineno)


def returned(node: ast.AST, parameters: list[str]) -> Iterator[Replacement]:
    """``return result`` -> ``return z``: the function's first argument handed back."""
    if (
        isinstance(node, ast.Return)
        and node.value is not None
        and parameters
        and not (isinstance(node.value, ast.Name) and node.value.id == parameters[0])
    ):
        yield node.value, ast.Name(id=parameters[0], ctx=ast.Load())


Operator = Callable[[ast.AST, list[str]], Iterator[Replacement]]
OPERATORS: dict[str, Operator] = {
    "arith": arith,
    "operands": operands,
    "compare": compare,
    "sign": sign,
    "constant": constant,
    "keyword": keyword,
    "argument": argument,
    "conversion": conversion,
    "inplace": inplace,
    "return": returned,
}


def _as_load(node: ast.AST) -> ast.AST:
    loaded = copy.deepcopy(node)
    for sub in ast.walk(loaded):
        if hasattr(sub, "ctx"):
            sub.ctx = ast.Load()
    return loaded


# -- where to mutate, and how a replacement becomes source ---------------------------------
def normalized(source: str) -> str:
    """The tree of ``source`` without docstrings, as text: equal for files that differ only in
    layout, comments and docstrings. Raises :class:`SyntaxError` for invalid source."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


def _targets(tree: ast.Module, skipped_lines: set[int]) -> Iterator[tuple[ast.AST, str, list[str]]]:
    """``(node, function, parameters)`` for every node inside a function body that may be mutated."""

    def visit(node: ast.AST, scope: str, parameters: list[str]) -> Iterator[tuple[ast.AST, str, list[str]]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names = [a.arg for a in (*child.args.posonlyargs, *child.args.args)]
                inner = f"{scope}.{child.name}" if scope else child.name
                body = child.body
                if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                    body = body[1:]  # the docstring
                for statement in body:
                    yield from visit_in_function(statement, inner, [n for n in names if n not in ("self", "cls")])
            elif isinstance(child, ast.ClassDef):
                yield from visit(child, f"{scope}.{child.name}" if scope else child.name, [])
            else:
                yield from visit(child, scope, parameters)

    def visit_in_function(node: ast.AST, scope: str, parameters: list[str]) -> Iterator[tuple[ast.AST, str, list[str]]]:
        if isinstance(node, (ast.JoinedStr, ast.arguments, ast.FunctionDef, ast.ClassDef, ast.Lambda)):
            return
        if getattr(node, "lineno", None) in skipped_lines:
            return
        yield node, scope, parameters
        for child in ast.iter_child_nodes(node):
            yield from visit_in_function(child, scope, parameters)

    yield from visit(tree, "", [])


def _position(node: ast.AST) -> tuple[int, int, int, int]:
    """``(line, column, end line, end column)`` of an expression or statement (lines from 1)."""
    return (int(getattr(node, "lineno")), int(getattr(node, "col_offset")),  # noqa: B009
            int(getattr(node, "end_lineno")), int(getattr(node, "end_col_offset")))  # noqa: B009


def _splice(lines: list[bytes], node: ast.AST, text: str) -> str:
    """The source with ``node``'s text replaced by ``text`` (ast's columns count UTF-8 bytes)."""
    line, column, end_line, end_column = _position(node)
    start, end = line - 1, end_line - 1
    head = lines[start][:column]
    tail = lines[end][end_column:]
    return b"".join([*lines[:start], head, text.encode(), tail, *lines[end + 1 :]]).decode()


def _swap(tree: ast.Module, old: ast.AST, new: ast.AST) -> bool:
    """Put ``new`` where ``old`` is in ``tree``; False if ``old`` is not in it."""
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, field, new)
                return True
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if item is old:
                        value[i] = new
                        return True
    return False


def skipped_lines(source: str) -> set[int]:
    """The lines (1-based) of ``source`` marked ``# pragma: no mutate``."""
    return {i + 1 for i, line in enumerate(source.splitlines()) if PRAGMA in line}


def mutants(source: str, operators: list[str] | None = None) -> list[Mutant]:
    """Every mutant of ``source`` (a module's text) that the named ``operators`` (default: all
    of :data:`OPERATORS`) make, in source order, without duplicates (mutants whose tree,
    docstrings aside, is another's). Raises :class:`SyntaxError` if ``source``
    is not valid Python and :class:`KeyError` for an unknown operator name."""
    chosen = [(name, OPERATORS[name]) for name in (operators or list(OPERATORS))]
    tree = ast.parse(source)
    byte_lines = source.encode().splitlines(keepends=True)
    skipped = skipped_lines(source)
    seen: set[str] = set()
    found: list[tuple[int, int, Mutant]] = []
    for node, function, parameters in _targets(tree, skipped):
        for name, operator in chosen:
            for old, new in operator(node, parameters):
                mutant = _make(source, tree, byte_lines, old, new, name, function)
                if mutant is None:
                    continue
                key = normalized(mutant.source)
                if key in seen:
                    continue
                seen.add(key)
                found.append((*_position(old)[:2], mutant))
    return [m for _, _, m in sorted(found, key=lambda item: (item[0], item[1]))]


def _make(source: str, tree: ast.Module, lines: list[bytes], old: ast.AST, new: ast.AST, operator: str, function: str) -> Mutant | None:
    if not _swap(tree, old, new):
        return None
    try:
        expected = ast.dump(tree)
    finally:
        _swap(tree, new, old)
    text = ast.unparse(new)
    for candidate in (text, f"({text})"):
        mutated = _splice(lines, old, candidate)
        try:
            if ast.dump(ast.parse(mutated)) != expected:
                continue
        except SyntaxError:
            continue
        line = _position(old)[0]
        before = source.splitlines()[line - 1]
        after_lines = mutated.splitlines()
        after = after_lines[line - 1] if line - 1 < len(after_lines) else ""
        return Mutant(operator, line, function, before, after, mutated)
    return None
