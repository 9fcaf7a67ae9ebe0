"""The names a top-level statement binds and reads, scope by scope.

Used to tell which assignments graded code needs: ``def forward(self, X)`` reads its own
``X``, not a module-level ``X``; a method does not see its class's names. Each statement's
tree is walked once.
"""

from __future__ import annotations

import ast

__all__ = ["DEFINITIONS", "bound_names", "defined_names", "definition_time_expressions", "names_used"]

DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_OWN_SCOPES = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def definition_time_expressions(node: ast.stmt) -> list[ast.expr]:
    """What Python evaluates when it runs a ``def`` or ``class`` statement (annotations
    included: without ``from __future__ import annotations`` they are evaluated too)."""
    found: list[ast.expr | None] = list(node.decorator_list)  # type: ignore[attr-defined]
    if isinstance(node, ast.ClassDef):
        found += node.bases + [k.value for k in node.keywords]
        return [e for e in found if e is not None]
    args = node.args  # type: ignore[attr-defined]
    found += args.defaults + args.kw_defaults
    every = args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg]
    found += [a.annotation for a in every if a is not None] + [node.returns]  # type: ignore[attr-defined]
    return [e for e in found if e is not None]


def names_used(node: ast.stmt) -> set[str]:
    """The module-level names ``node`` reads: those it reads at the top level, and the free
    names of the functions, classes, lambdas and comprehensions in it (a function's own
    parameters and variables are not module names: ``def forward(self, X)`` needs no ``X``)."""
    loads, _, declared, nested = _scan([node])
    names = loads | declared
    for scope in nested:
        names |= _free_names(scope)
    return names


def _free_names(scope: ast.AST) -> set[str]:
    """The names code inside ``scope`` reads that it does not bind itself."""
    body: list[ast.AST]
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        args = scope.args
        every = args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg]
        params = {a.arg for a in every if a is not None}
        body = [scope.body] if isinstance(scope, ast.Lambda) else list(scope.body)
    elif isinstance(scope, ast.ClassDef):
        params, body = set(), list(scope.body)
    else:  # a comprehension: its loop variables are its own
        params, body = set(), list(ast.iter_child_nodes(scope))
    loads, stores, declared, nested = _scan(body)
    local = (params | stores) - declared
    free = (loads - local) | declared
    for inner in nested:
        inner_free = _free_names(inner)
        # A method does not see its class's names; a nested function sees its function's.
        free |= inner_free if isinstance(scope, ast.ClassDef) else inner_free - local
    return free


def _scan(nodes: list) -> tuple[set[str], set[str], set[str], list[ast.AST]]:
    """Names read, names bound, names declared ``global`` in one scope (not entering the
    scopes nested in it, which are returned apart)."""
    loads: set[str] = set()
    stores: set[str] = set()
    declared: set[str] = set()
    nested: list[ast.AST] = []
    stack: list[ast.AST] = list(nodes)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name):
            (loads if isinstance(node.ctx, ast.Load) else stores).add(node.id)
        elif isinstance(node, DEFINITIONS):
            stores.add(node.name)
            stack.extend(definition_time_expressions(node))
            nested.append(node)
            continue
        elif isinstance(node, ast.Lambda):
            stack.extend(node.args.defaults)
            stack.extend(d for d in node.args.kw_defaults if d is not None)
            nested.append(node)
            continue
        elif isinstance(node, _OWN_SCOPES):
            nested.append(node)
            continue
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            stores.update(a.asname or a.name.split(".")[0] for a in node.names if a.name != "*")
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            declared.update(node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            stores.add(node.name)
        stack.extend(ast.iter_child_nodes(node))
    return loads, stores, declared, nested


def bound_names(node: ast.stmt) -> set[str]:
    """The module-level names a top-level statement binds or changes (``CONFIG["lr"] = 1``
    changes ``CONFIG``), also in the blocks it nests."""
    names: set[str] = set()
    stack: list[ast.AST] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Name) and isinstance(current.ctx, ast.Store):
            names.add(current.id)
        elif isinstance(current, DEFINITIONS):
            names.add(current.name)
            stack.extend(definition_time_expressions(current))
            continue  # its body is a scope of its own
        elif isinstance(current, (ast.Import, ast.ImportFrom)):
            names.update(a.asname or a.name.split(".")[0] for a in current.names if a.name != "*")
        elif isinstance(current, _OWN_SCOPES):
            continue
        elif isinstance(current, (ast.Attribute, ast.Subscript)) and isinstance(current.ctx, ast.Store):
            base = current.value
            while isinstance(base, (ast.Attribute, ast.Subscript)):
                base = base.value
            if isinstance(base, ast.Name):
                names.add(base.id)
        stack.extend(ast.iter_child_nodes(current))
    return names


def defined_names(body: list[ast.stmt]) -> list[str]:
    """The functions and classes that ``body`` defines, also inside its ``if``/``try`` blocks."""
    names: list[str] = []
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        if isinstance(node, DEFINITIONS):
            names.append(node.name)
        elif isinstance(node, (ast.If, ast.Try)):
            children = [*node.body, *node.orelse]
            if isinstance(node, ast.Try):
                children += [c for h in node.handlers for c in h.body] + node.finalbody
            stack.extend(reversed(children))
    return names
