"""``pybabel extract`` for the check suites: their sentences, without marking them in the source.

The suites stay plain English Python (a check author writes no ``_()``); the grader translates
their sentences where it shows or writes them (:mod:`grader.i18n`). This extractor, named in
``grader/locale/babel.cfg``, finds them for the catalogue:

* a check's description: the first paragraph of the docstring of each ``test_*`` function;
* a string constant assigned to an UPPER_CASE name at module level (a hint given as
  ``mistakes={HINT: ...}``);
* a string literal given to ``fail``, ``CheckFailure``, ``PartialCredit`` or as ``hint=``,
  ``advice=`` or ``at=`` (an f-string is not a message id: it is left out);
* what a suite marks itself, as the grader's code does: ``_("...")``, ``N_("...")``,
  ``ngettext("...", "...", n)`` (:mod:`grader.i18n`), for the sentences it composes.

:func:`extract_markdown` finds the paragraphs of an assignment's ``README.md``, which the
students' copy carries in its language (:mod:`grader.export`); code blocks are left out.

:func:`extract_stub` finds, in an assignment's stub, the text a released notebook shows
(:mod:`grader.release_notebook`): the paragraphs of the module docstring and of each top-level
function's or class's docstring (:func:`grader.i18n.paragraphs`). The stub itself stays English:
its code and the docstrings in it are the contract, the same in every language.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from grader.course import ASSIGNMENTS, COURSE_ROOT
from grader.i18n import markdown_paragraphs, paragraphs
from grader.judge.checks import description

__all__ = ["extract_markdown", "extract_stub", "extract_suite"]

_CALLS = {"fail": 0, "CheckFailure": 0, "PartialCredit": 1}
_KEYWORDS = {"hint", "advice", "at"}


def _literal(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip():
        return node.value
    return None


def _messages(tree: ast.Module) -> Iterator[tuple[int, str | tuple[str, str]]]:
    node: ast.AST
    for node in tree.body:
        if isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) and t.id.isupper() for t in node.targets):
            text = _literal(node.value)
            if text is not None:
                yield node.lineno, text
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test_"):
            doc = description(ast.get_docstring(node))
            if doc:
                yield node.lineno, doc
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            marked = [_literal(a) for a in node.args[:2]]
            if name in ("_", "N_") and marked and marked[0] is not None:
                yield node.lineno, marked[0]
            elif name == "ngettext" and len(marked) == 2 and marked[0] is not None and marked[1] is not None:
                yield node.lineno, (marked[0], marked[1])
            position = _CALLS.get(name or "")
            if position is not None and len(node.args) > position:
                text = _literal(node.args[position])
                if text is not None:
                    yield node.lineno, text
            for keyword in node.keywords:
                text = _literal(keyword.value) if keyword.arg in _KEYWORDS else None
                if text is not None:
                    yield node.lineno, text


def extract_suite(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str | None, str | tuple[str, str], list[str]]]:
    """Babel's extractor protocol: ``(line, function, message, comments)`` for each sentence
    of the suite in ``fileobj`` (UTF-8 Python source). Raises :class:`SyntaxError` for a
    suite that does not parse."""
    tree = ast.parse(fileobj.read().decode(options.get("encoding", "utf-8")))
    for line, message in _messages(tree):
        yield line, "ngettext" if isinstance(message, tuple) else None, message, []


def extract_stub(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str | None, str | tuple[str, str], list[str]]]:
    """Babel's extractor protocol, for an assignment's stub (``assignments/<name>/<module>.py``):
    the paragraphs of the docstrings a released notebook shows. Any other file of the folder
    (a data loader such as ``iris.py``) gives nothing. Raises :class:`SyntaxError` for a stub
    that does not parse."""
    stubs = {(COURSE_ROOT / "assignments" / a.name / a.filename).resolve() for a in ASSIGNMENTS}
    if Path(getattr(fileobj, "name", "")).resolve() not in stubs:
        return
    tree = ast.parse(fileobj.read().decode(options.get("encoding", "utf-8")))
    nodes: list[ast.AST] = [tree, *(n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)))]
    for node in nodes:
        doc = ast.get_docstring(node, clean=True)  # type: ignore[arg-type]
        for paragraph in paragraphs(doc or ""):
            yield getattr(node, "lineno", 1), None, paragraph, []


def extract_markdown(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str | None, str | tuple[str, str], list[str]]]:
    """Babel's extractor protocol, for an assignment's ``README.md`` (UTF-8 Markdown): each
    paragraph (:func:`grader.i18n.markdown_paragraphs`) with the line it starts on. Never raises
    for Markdown: any text is read."""
    text = fileobj.read().decode(options.get("encoding", "utf-8"))
    line = 1
    for paragraph in markdown_paragraphs(text):
        found = text.find(paragraph)
        line = text.count("\n", 0, found) + 1 if found >= 0 else line
        yield line, None, paragraph, []
