"""An assignment as a Jupyter notebook, for the students' copy (``grader export-student``).

The notebook is made from the assignment's stub, ``assignments/<name>/<module>.py``:

1. a text cell with the assignment's title and the stub's module docstring (its introduction)
   and how to work in a notebook;
2. a code cell with what the stub has before its first function or class (imports, constants),
   tagged ``solution``: the student may add imports there;
3. for each top-level function or class of the stub, a text cell with its signature and
   docstring (as plain text: numpy-style docstrings are not Markdown), then a code cell (tagged ``solution``) with its code, the docstring left out
   (a class keeps its methods' docstrings: the contract of each method stays beside it);
4. a text cell and a last code cell, tagged ``check``, that runs the public checks on the
   notebook's folder through ``grader check`` (in the sandbox, like any other check):
   :func:`check_cell`. Grading leaves that cell out (:func:`is_check_cell`).

The notebook is nbformat 4.5, valid against nbformat's schema, and the same bytes on every
run: cell ids are fixed (``01-intro``, ``04-sigmoid``...), nbformat writes the JSON with sorted
keys, and nothing in it depends on the time or the machine. Its metadata ``nn_course`` records
the release (:mod:`grader.release`): the assignment, the course's version and the digest of
the public checks, so that grading can tell a student whose notebook comes from an older
release. Its text is in the language of the copy (``grader export-student --lang uk``:
:mod:`grader.i18n`): the title, the stub's docstrings paragraph by paragraph
(:func:`grader.i18n.translate_text`; a paragraph not yet translated stays English) and the
notebook's own sentences; the code cells are the stub's in every language, and the check cell
of every language is recognized as one. Untouched, the notebook is the assignment's stub to the loader (its definitions are
the stub's, docstrings apart), so it is never graded in place of a student's work.
"""

from __future__ import annotations

import ast
import re
import textwrap
from functools import cache
from pathlib import Path
from typing import Any

from grader import __version__, i18n
from grader.course import COURSE_ROOT, Assignment
from grader.i18n import N_, _

__all__ = ["assignment_notebook", "check_cell", "is_check_cell", "notebook_text", "write_notebook"]

_CHECK = '{comment}\nimport sys\n!"{{sys.executable}}" -m grader check {name}{lang}'
_CHECK_COMMENT = N_(
    "Check your work: save the notebook first (Ctrl-S), then run this cell. It runs the public "
    "checks on the notebook and the files of its folder, as `grader check {name}` does."
)
_HOW = N_(
    "**Working in this notebook.** Write your code in the code cells under each function (tagged "
    "`solution`), keeping the names, arguments and defaults as they are. Grading runs the "
    "definitions (imports, functions, classes, constants) of every code cell, top to bottom; demo "
    "code such as plots, prints and training runs is left out and costs nothing. Hand in "
    "`{notebook}` (or `{module}.py`: either one). The last cell runs the public checks."
)
_CHECK_TITLE = N_("Check your work")
_CHECK_TEXT = N_("Save the notebook, then run the cell below.")


def _check_source(name: str) -> str:
    """The check cell for the assignment ``name`` in the current language: its comment wrapped
    at 96 characters, then the command; outside English the command says ``--lang``, so that the
    feedback speaks the notebook's language whatever the system's locale."""
    comment = textwrap.wrap(_(_CHECK_COMMENT).format(name=name), 94, break_long_words=False, break_on_hyphens=False)
    lang = i18n.language()
    return _CHECK.format(comment="\n".join(f"# {line}" for line in comment), name=name,
                         lang="" if lang == "en" else f" --lang {lang}")


_COMMAND = re.compile(r'import sys\n!"\{sys\.executable\}" -m grader check ([a-z_][a-z0-9_]*)'
                      rf'(?: --lang (?:{"|".join(i18n.LANGUAGES)}))?')


@cache
def _check_comments() -> tuple[str, ...]:
    """The check cell's comment in every language (a notebook released in Ukrainian is graded
    in English), as one line, with ``{name}`` in it."""
    comments = []
    for lang in i18n.LANGUAGES:
        with i18n.use(lang):
            comments.append(_(_CHECK_COMMENT))
    return tuple(comments)


def check_cell(assignment: Assignment) -> str:
    """The source of the notebook's last cell: ``grader check <name>`` with the kernel's Python,
    from the notebook's folder (Jupyter's working folder). An IPython shell line (``!``), so
    that its output streams into the notebook; the path is quoted for Windows' spaces."""
    return _check_source(assignment.name)


def is_check_cell(text: str) -> bool:
    """Whether a code cell's ``text`` is a released notebook's check cell, unchanged (line ends
    and trailing blanks apart): grading leaves it out without a note."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n").split("\n")
    lines = [line.rstrip() for line in lines]
    comment = [line[2:] for line in lines if line.startswith("# ")]
    command = _COMMAND.fullmatch("\n".join(lines[len(comment) :]))
    if command is None or not all(line.startswith("# ") for line in lines[: len(comment)]):
        return False
    said = " ".join(comment)
    return any(said == text.format(name=command.group(1)) for text in _check_comments())


def assignment_notebook(assignment: Assignment, root: Path = COURSE_ROOT):
    """The notebook of ``assignment`` (an ``nbformat.NotebookNode``, validated), made from its
    stub under ``root``. Raises ``nbformat.ValidationError`` if it is not valid (a bug)."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    from grader.release import public_digest

    stub = (root / "assignments" / assignment.name / assignment.filename).read_text(encoding="utf-8")
    lines = stub.splitlines()
    tree = ast.parse(stub)
    body = list(tree.body)
    intro = ast.get_docstring(tree, clean=True) or ""
    if body and ast.get_docstring(tree) is not None:
        body = body[1:]
    cells: list[Any] = []  # nbformat's cells

    def add(kind: str, slug: str, text: str, tags: tuple[str, ...] = ()) -> None:
        ident = f"{len(cells) + 1:02d}-{slug}"[:64]
        make = new_markdown_cell if kind == "markdown" else new_code_cell
        cell = make(text.strip("\n"), id=ident)
        if tags:
            cell.metadata["tags"] = list(tags)
        cells.append(cell)

    how = _(_HOW).format(notebook=f"{assignment.module}.ipynb", module=assignment.module)
    how = textwrap.fill(how, 96, break_long_words=False, break_on_hyphens=False)
    intro = i18n.translate_text(intro)
    add("markdown", "intro", f"# {assignment.label} {_(assignment.title)}\n\n{_markdown(intro)}\n\n---\n\n{how}")
    definitions = [n for n in body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    first = _start(definitions[0]) if definitions else len(lines) + 1
    docstring_end = tree.body[0].end_lineno if ast.get_docstring(tree) is not None else 0
    setup = "\n".join(lines[docstring_end : first - 1])
    if setup.strip():
        add("code", "setup", setup, ("solution",))
    for number, node in enumerate(definitions):
        end = _start(definitions[number + 1]) - 1 if number + 1 < len(definitions) else (node.end_lineno or node.lineno)
        heading = f"class `{node.name}`" if isinstance(node, ast.ClassDef) else f"`{node.name}({ast.unparse(node.args)})`"
        doc = i18n.translate_text(ast.get_docstring(node, clean=True) or "")
        add("markdown", f"{node.name}-text", f"## {heading}\n\n```text\n{doc}\n```" if doc else f"## {heading}")
        add("code", _slug(node.name), _without_docstring(lines, node, end), ("solution",))
    add("markdown", "check-text", f"## {_(_CHECK_TITLE)}\n\n{_(_CHECK_TEXT)}")
    add("code", "check", check_cell(assignment), ("check",))
    metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "nn_course": {
            "assignment": assignment.name,
            "course_version": __version__,
            "public_checks": public_digest(assignment, root),
        },
    }
    notebook = new_notebook(cells=cells, metadata=metadata)
    nbformat.validate(notebook)
    return notebook


def notebook_text(assignment: Assignment, root: Path = COURSE_ROOT) -> str:
    """The notebook of ``assignment`` as written: nbformat's JSON (sorted keys, one space of
    indent), ending in a newline; the same text on every run."""
    import nbformat

    text = nbformat.writes(assignment_notebook(assignment, root), version=4)
    return text if text.endswith("\n") else text + "\n"


def write_notebook(assignment: Assignment, folder: Path, root: Path = COURSE_ROOT) -> Path:
    """Write ``<module>.ipynb`` into ``folder`` (bytes: ``\\n`` line ends on every system)."""
    target = Path(folder) / f"{assignment.module}.ipynb"
    target.write_bytes(notebook_text(assignment, root).encode("utf-8"))
    return target


def _start(node: ast.stmt) -> int:
    """The first line of a definition, its decorators and the comments just above it included."""
    decorators = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


def _markdown(docstring: str) -> str:
    """The introduction (a module docstring) as Markdown: its underlined section titles (``Parameters`` over
    ``----------``) in bold rather than as headings; the rest reads as it is."""
    return _SECTION.sub(lambda m: f"**{m.group(1).strip()}**", docstring)


_SECTION = re.compile(r"^(\S[^\n]*)\n[-=~]{3,}[ \t]*$", re.MULTILINE)


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", name) or "code"


def _without_docstring(lines: list[str], node: ast.stmt, end: int) -> str:
    """Lines ``_start(node) .. end`` of the stub without the definition's own docstring (a body
    left empty gets ``pass``); comments between two definitions stay with the first."""
    start = _start(node)
    text = lines[start - 1 : end]
    body = getattr(node, "body", [])
    doc = body[0] if body else None
    if isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant) and isinstance(doc.value.value, str):
        if doc.lineno == node.lineno:  # a one-line definition: keep it whole
            return "\n".join(text).rstrip()
        after = text[(doc.end_lineno or doc.lineno) - start + 1 :]
        if len(body) > 1 and after and not after[0].strip():
            after = after[1:]  # the blank line that set the docstring apart
        kept = text[: doc.lineno - start] + after
        if len(body) == 1:
            line = lines[doc.lineno - 1]
            indent = line[: len(line) - len(line.lstrip())]
            kept.insert(doc.lineno - start, f"{indent}pass")
        text = kept
    while text and not text[-1].strip():
        text.pop()
    return "\n".join(text)
