"""A Jupyter notebook as the Python module that is graded: its code cells' definitions.

:func:`notebook_module` is the one entry point. It reads the notebook once, with nbformat,
ignores its outputs (a notebook's size is mostly pictures; only code counts against the
limit), leaves out the check cell of a released notebook (:mod:`grader.release_notebook`), turns
IPython-only lines (``%matplotlib inline``, ``!pip``, ``x?``) into comments, and
keeps of each cell what :mod:`grader.submission.statements` keeps of a ``.py`` file. The module
says where each cell's lines are (:class:`~grader.submission.model.Block`), so that an error
on one of its lines is reported as "the 5th cell (In [7]), line 2".
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from grader.i18n import N_, _
from grader.release_notebook import is_check_cell
from grader.submission import statements
from grader.submission.files import MAX_TOTAL_BYTES, megabytes
from grader.submission.model import Block, Refused

__all__ = ["Cells", "NotebookModule", "demo_note", "imports_note", "cell_label", "notebook_module", "ordinal", "read_notebook"]

# Cell magics whose body is Python; any other (%%bash, %%writefile, %%html) is not.
_PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})
_HELP_LINE = re.compile(r"\?{1,2}[\w.*]+|[\w.*]+\?{1,2}")
_SHELL_ASSIGNMENT = re.compile(r"[\w.,\s\[\]()]+=\s*[%!]")


@dataclass(frozen=True)
class NotebookModule:
    """The module made of a notebook: its ``source``, where each kept cell lies in it, notes
    for the student, and the names defined only under ``if __name__ == "__main__":``."""

    source: str
    blocks: tuple[Block, ...]
    notes: tuple[str, ...]
    main_guarded: tuple[str, ...]


@dataclass(frozen=True)
class _Cell:
    label: str  # "the 5th cell (In [7])"
    text: str
    tree: ast.Module | None


@dataclass(frozen=True)
class Cells:
    """A notebook's code cells that are Python, parsed, and the labels of those that are not."""

    shown_as: str
    code: tuple[_Cell, ...]
    not_python: tuple[str, ...]

    def trees(self) -> list[ast.Module | None]:
        return [cell.tree for cell in self.code]


def read_notebook(data: bytes, *, shown_as: str) -> Cells:
    """The code cells of the notebook whose file holds ``data`` (``shown_as``: its name).

    Raises :class:`~grader.submission.model.Refused` when ``data`` is not a notebook, has no
    code cells, or its code is larger than ``MAX_TOTAL_BYTES``; ``MemoryError`` is let through.
    """
    code, not_python = _read_cells(data, shown_as=shown_as)
    return Cells(shown_as, tuple(code), tuple(not_python))


def notebook_module(notebook: Cells, *, contract: frozenset[str], allowed: frozenset[str]) -> NotebookModule:
    """The graded module of ``notebook``. ``contract``: the names the assignment's stub
    defines (kept even when nothing else uses them); ``allowed``: the top-level modules graded
    code may import."""
    cells, not_python, shown_as = notebook.code, list(notebook.not_python), notebook.shown_as
    units = [statements.Unit(cell.text, cell.tree, f"{cell.label}, ") for cell in cells]
    choice = statements.choose(units, contract=contract, allowed=allowed)

    futures: list[str] = []
    header = [f"# Made by the grader from the code cells of {shown_as}: definitions only."]
    parts: list[str] = []
    blocks: list[Block] = []
    kept_labels, broken_labels = [], []
    line = len(header) + 2  # the futures are inserted above, see below
    for cell, unit, chosen in zip(cells, units, choice.keep):
        if cell.tree is None:
            text, decisive = cell.text, True
            broken_labels.append(cell.label)
        else:
            keep = list(chosen)
            for index, node in enumerate(cell.tree.body):
                if statements.is_future(node):  # hoisted to the top of the module
                    futures.append("from __future__ import " + ", ".join(a.name for a in node.names))
                    keep[index] = False
            decisive = any(
                k for node, k in zip(cell.tree.body, keep) if not statements.is_neutral(node)
            )
            text = statements.render(unit, tuple(keep))
        if not decisive:
            continue
        kept_labels.append(cell.label)
        cell_lines = text.rstrip("\n").split("\n")
        parts.append(f"# --- {cell.label} ---")
        blocks.append(Block(line + 1, len(cell_lines), cell.label))
        parts.extend(cell_lines)
        parts.append("")
        line += len(cell_lines) + 2
    futures = list(dict.fromkeys(futures))
    header += futures + [""]
    blocks = [Block(b.start + len(futures), b.length, b.where) for b in blocks]
    source = "\n".join(header + parts) + "\n"
    notes = _notes(shown_as, kept_labels, broken_labels, not_python, choice)
    return NotebookModule(source, tuple(blocks), tuple(notes), choice.main_guarded)


def ordinal(number: int) -> str:
    """``1`` -> ``"1st"``, ``12`` -> ``"12th"``, ``23`` -> ``"23rd"`` in English; in the current
    language (:mod:`grader.i18n`): Ukrainian and Russian say the number alone ("клітинка 4")."""
    if 10 <= number % 100 <= 20:
        form = N_("{number}th")
    else:
        form = {1: N_("{number}st"), 2: N_("{number}nd"), 3: N_("{number}rd")}.get(number % 10, N_("{number}th"))
    return _(form).format(number=number)


def cell_label(position: int, count: object) -> str:
    """How a student finds a notebook's code cell: ``"the 4th cell (In [7])"`` (its position
    among all cells, from 1, and its execution count when it has one), in the current language."""
    if type(count) is int:
        return _("the {ordinal} cell (In [{count}])").format(ordinal=ordinal(position), count=count)
    return _("the {ordinal} cell").format(ordinal=ordinal(position))


def demo_note(choice: statements.Choice, *, in_file: str) -> str | None:
    """The note that names the demo code left out of ``in_file``, or None when there was none."""
    if not choice.left_out_count:
        return None
    more = choice.left_out_count - len(choice.left_out)
    shown = "; ".join(choice.left_out) + ("; " + _("and {count} more").format(count=more) if more else "")
    return _(
        "left out demo code of {file} that grading does not run (plots, prints, training runs, unused values): {shown}"
    ).format(file=in_file, shown=shown)


def imports_note(choice: statements.Choice) -> str | None:
    if not choice.dropped_imports:
        return None
    return _(
        "left out the import of {modules} and the code that uses it: "
        "graded code may use only numpy and the standard library"
    ).format(modules=", ".join(choice.dropped_imports))


# ---------------------------------------------------------------------------------------------


def _notes(
    shown_as: str,
    kept: list[str],
    broken: list[str],
    not_python: list[str],
    choice: statements.Choice,
) -> list[str]:
    if kept:
        notes = [_("graded the definitions in {name}: {kept}").format(name=shown_as, kept=", ".join(kept))]
    else:
        notes = [_("found no imports, functions, classes or assignments in the code cells of {name}").format(name=shown_as)]
    for note in (demo_note(choice, in_file=shown_as), imports_note(choice)):
        if note:
            notes.append(note)
    for label in not_python:
        notes.append(_("left out {cell} of {name}: its cell magic is not Python").format(cell=label, name=shown_as))
    for label in broken:
        notes.append(_("{cell} of {name} does not parse as Python: it is kept as it is").format(cell=label, name=shown_as))
    return notes


def _read_cells(data: bytes, *, shown_as: str) -> tuple[list[_Cell], list[str]]:
    """The notebook's code cells that are Python (parsed), and the labels of those that are not."""

    def invalid(reason: str) -> Refused:
        return Refused(f"{shown_as} is not a valid Jupyter notebook: {reason}")

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise invalid("it is not UTF-8 text") from None
    import json

    import nbformat  # only notebooks need it (a tenth of a second to import)
    from nbformat import reader

    try:
        notebook = reader.reads(text)  # json.loads, once, into a NotebookNode
        if notebook.get("nbformat") != 4:
            notebook = nbformat.convert(notebook, 4)
        cells = notebook.get("cells")
    except MemoryError:
        raise
    except reader.NotJSONError as exc:
        cause = exc.__cause__
        if isinstance(cause, json.JSONDecodeError):
            raise invalid(f"it is not JSON (line {cause.lineno}, column {cause.colno}: {cause.msg})") from None
        raise invalid("it is not JSON that can be read") from None
    except Exception as exc:  # noqa: BLE001 - any error of nbformat on hostile input
        raise invalid(_short_reason(exc)) from None
    if not isinstance(cells, list):
        raise invalid("it has no list of cells")

    code: list[_Cell] = []
    not_python: list[str] = []
    size = 0
    for position, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(part, str) for part in source):
            source = "".join(source)
        if not isinstance(source, str) or not source.strip():
            continue
        size += len(source.encode("utf-8", "surrogatepass"))
        if size > MAX_TOTAL_BYTES:
            raise Refused(
                _("the code cells of {name} hold more than {limit} of code (outputs do not count)").format(
                    name=shown_as, limit=megabytes(MAX_TOTAL_BYTES)
                )
            )
        count = cell.get("execution_count")
        label = cell_label(position, count)
        text = source.replace("\r\n", "\n").replace("\r", "\n")
        if is_check_cell(text):  # a released notebook's last cell: it runs `grader check`
            continue
        text, is_python = _strip_cell_magic(text)
        if not is_python:
            not_python.append(label)
            continue
        tree = statements.parse(text)
        if tree is None:
            commented = _comment_ipython_lines(text)
            tree = statements.parse(commented)
            text = commented
        code.append(_Cell(label, text, tree))
    if not code and not not_python:
        raise Refused(f"{shown_as} has no code cells")
    return code, not_python


def _short_reason(exc: Exception, *, most: int = 120) -> str:
    lines = str(exc).strip().splitlines()
    text = lines[0] if lines else type(exc).__name__
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= most else text[: most - 3] + "..."


def _strip_cell_magic(text: str) -> tuple[str, bool]:
    """Comment out a leading ``%%time``-like line; ``(text, False)`` for a non-Python cell."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not lines[first].lstrip().startswith("%%"):
        return text, True
    words = lines[first].strip()[2:].split()
    if not words or words[0] not in _PYTHON_CELL_MAGICS:
        return text, False
    lines[first] = "# " + lines[first].strip()
    return "\n".join(lines), True


def _comment_ipython_lines(text: str) -> str:
    """Turn IPython-only lines (``%magic``, ``!shell``, ``name?``) into comments, line for line."""
    out = []
    for line in text.split("\n"):
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        if _is_ipython_line(stripped.rstrip()):
            # An indented one may be the only line of its block: keep that block valid.
            line = f"{indent}pass  # {stripped}" if indent else f"# {stripped}"
        out.append(line)
    return "\n".join(out)


def _is_ipython_line(stripped: str) -> bool:
    return (
        stripped.startswith(("%", "!"))
        or _HELP_LINE.fullmatch(stripped) is not None
        or _SHELL_ASSIGNMENT.match(stripped) is not None
    )
