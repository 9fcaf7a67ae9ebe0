"""Turning what a student handed in into the files the sandbox runs.

A submission is a folder holding the student's file(s), a single ``.py`` file, or a
Jupyter notebook (``.ipynb``). :func:`load_submission` reads it, never runs or even
compiles it (syntax errors are the sandbox's to report), and returns a
:class:`Submission`: the files the child process gets, the sha256 of what was handed
in, notes the student should read, and, when it cannot be graded at all, why.

Whatever the student's files hold, loading them does not raise: a missing path is the
only :class:`~grader.errors.GraderError` (the person running the grader made it).
"""

from __future__ import annotations

import ast
import hashlib
import json
import keyword
import os
import re
import stat
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path


from grader.course import Assignment
from grader.errors import SubmissionNotFound

__all__ = [
    "MAX_FILES",
    "MAX_NOTEBOOK_BYTES",
    "MAX_TOTAL_BYTES",
    "Submission",
    "load_submission",
    "submission_name",
]

MAX_TOTAL_BYTES = 5 * 1024 * 1024  # the Python files a submission hands in, together
MAX_FILES = 100  # Python files in a submission folder
# A notebook carries its outputs (plots as base64); only its code cells are kept.
MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Submission:
    """What a student handed in, ready for the sandbox.

    ``files`` maps the names the child gets (``activations.py``, helpers) to their
    bytes, each UTF-8 text without NUL bytes (a UTF-8 BOM may lead); it is empty when
    ``problem`` says why the submission cannot be loaded.
    ``sha256`` maps each submitted file, by the name it was handed in under, to the
    sha256 of its bytes (also for a submission with a problem, as far as it was read).
    """

    name: str
    path: Path
    files: dict[str, bytes]
    sha256: dict[str, str]
    notes: tuple[str, ...] = ()
    problem: str | None = None


def load_submission(path: Path, assignment: Assignment) -> Submission:
    """Read the submission at ``path`` for ``assignment``; see the module docstring."""
    given = Path(path)
    try:
        resolved = given.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, a dangling link, a loop of links
        raise SubmissionNotFound(str(given), _missing_hint(given)) from None

    name = submission_name(given)
    found = _Found()
    try:
        if resolved.is_dir():
            _load_folder(resolved, assignment, found)
        else:
            _load_file(resolved, assignment, found)
    except _Refused as refusal:
        return Submission(
            name=name,
            path=resolved,
            files={},
            sha256=dict(sorted(found.sha256.items())),
            notes=tuple(found.notes),
            problem=str(refusal),
        )
    return Submission(
        name=name,
        path=resolved,
        files=dict(found.files),
        sha256=dict(sorted(found.sha256.items())),
        notes=tuple(found.notes),
        problem=None,
    )


def submission_name(path: Path) -> str:
    """The name :func:`load_submission` gives the submission at ``path`` (its report's stem):
    a folder's name, a file's name without its suffix, as given (a link keeps its own name).
    """
    plain = Path(os.path.abspath(path))  # "." and ".." spelled out, links kept
    name = plain.name if plain.is_dir() else plain.stem
    return name or Path(path).resolve().name or "submission"


class _Refused(Exception):
    """The submission cannot be loaded; ``str(exc)`` is the reason the student reads."""


@dataclass
class _Found:
    """What loading has gathered so far (one per call of :func:`load_submission`)."""

    files: dict[str, bytes] = field(default_factory=dict)
    sha256: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def take(self, submitted_name: str, data: bytes) -> None:
        self.sha256[submitted_name] = hashlib.sha256(data).hexdigest()


def _missing_hint(given: Path) -> str:
    if not given.name:
        return ""
    for suffix in (".py", ".ipynb"):
        candidate = given.with_name(given.name + suffix)
        if candidate.exists():
            return f"did you mean {candidate}?"
    return ""


# --------------------------------------------------------------------------- files


def _read_bytes(path: Path, *, shown_as: str, limit: int) -> bytes:
    """The bytes of the regular file ``path`` (at most ``limit``), not following a link."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _Refused(f"cannot read {shown_as}: {_os_reason(exc)}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _Refused(f"{shown_as} is not a regular file")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise _Refused(f"cannot read {shown_as}: {_os_reason(exc)}") from None
    finally:
        os.close(fd)
    if size > limit:
        raise _Refused(f"{shown_as} is larger than {_megabytes(limit)}, the limit for a file")
    return b"".join(chunks)


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def _source_problem(shown_as: str, data: bytes) -> str | None:
    """Why ``data`` cannot be Python source text, or None. A UTF-8 BOM is fine."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return f"{shown_as} is saved as UTF-16 text: save it as UTF-8"
    if b"\x00" in data:
        return f"{shown_as} contains a NUL byte: is it really a Python file?"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return (
            f"{shown_as} is not valid UTF-8 text (line {line}, byte 0x{data[exc.start]:02x}): "
            "save it as UTF-8"
        )
    return None


def _load_file(path: Path, assignment: Assignment, found: _Found) -> None:
    suffix = path.suffix.lower()
    if suffix == ".py":
        data = _read_bytes(path, shown_as=path.name, limit=MAX_TOTAL_BYTES)
        found.take(path.name, data)
        problem = _source_problem(path.name, data)
        if problem:
            raise _Refused(problem)
        found.files[assignment.filename] = data
    elif suffix == ".ipynb":
        _take_notebook(path, assignment, found, local_modules=assignment.modules)
    else:
        hint = ": unpack it and grade the folder" if suffix in _ARCHIVES else ""
        raise _Refused(
            f"{path.name} is neither a folder, a Python file (.py) nor a Jupyter notebook "
            f"(.ipynb){hint}"
        )


_ARCHIVES = (".zip", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar")


# -------------------------------------------------------------------------- folders


@dataclass(frozen=True)
class _Listing:
    python: dict[str, int]  # top-level .py files (any case of the suffix) -> size
    notebooks: dict[str, int]
    shown: tuple[str, ...]  # everything visible, for messages


def _list_folder(folder: Path, found: _Found) -> _Listing:
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        raise _Refused(f"cannot list the submission folder: {_os_reason(exc)}") from None
    python: dict[str, int] = {}
    notebooks: dict[str, int] = {}
    shown: list[str] = []
    for entry in entries:
        entry_name = entry.name
        if entry_name.startswith(".") or entry_name == "__pycache__":
            continue
        try:
            if entry.is_symlink():
                found.notes.append(f"skipped {entry_name!r}: symbolic links are not followed")
                shown.append(f"{entry_name} (a symbolic link)")
                continue
            if entry.is_dir(follow_symlinks=False):
                shown.append(entry_name + "/")
                continue
            shown.append(entry_name)
            if not entry.is_file(follow_symlinks=False):
                continue
            size = entry.stat(follow_symlinks=False).st_size
        except OSError:
            continue
        lowered = entry_name.lower()
        if lowered.endswith(".py"):
            python[entry_name] = size
        elif lowered.endswith(".ipynb"):
            notebooks[entry_name] = size
    return _Listing(python, notebooks, tuple(shown))


def _match(module: str, suffix: str, names: dict[str, int] | list[str]) -> str | None:
    """``<module><suffix>`` among ``names``: exactly, else the one equal to it ignoring case."""
    wanted = module + suffix
    if wanted in names:
        return wanted
    same = [candidate for candidate in names if candidate.casefold() == wanted.casefold()]
    return same[0] if len(same) == 1 else None


def _shown_list(shown: tuple[str, ...], *, most: int = 12) -> str:
    if len(shown) <= most:
        return ", ".join(shown)
    return ", ".join(shown[:most]) + f" and {len(shown) - most} more"


def _load_folder(folder: Path, assignment: Assignment, found: _Found) -> None:
    listing = _list_folder(folder, found)
    if not listing.shown:
        raise _Refused("the submission folder is empty")
    if len(listing.python) > MAX_FILES:
        raise _Refused(
            f"the submission folder holds {len(listing.python)} Python files; "
            f"at most {MAX_FILES} are accepted"
        )

    extras: dict[str, str] = {}  # target name -> submitted name
    for module in assignment.extra_modules:
        submitted = _match(module, ".py", listing.python)
        if submitted is not None:
            extras[f"{module}.py"] = submitted
    others = [n for n in listing.python if n not in extras.values()]

    main = _match(assignment.module, ".py", others)
    notebook = None
    if main is None:
        notebook = _match(assignment.module, ".ipynb", listing.notebooks)
    if main is None and notebook is None:
        if len(others) == 1:
            main = others[0]
        elif not others and len(listing.notebooks) == 1:
            notebook = next(iter(listing.notebooks))
        else:
            raise _Refused(
                f"no {assignment.filename} in the submission "
                f"(found: {_shown_list(listing.shown)})"
            )

    used = {assignment.filename: main} if main is not None else {}
    used.update(extras)
    helpers = [
        n
        for n in others
        if n != main and n not in used and n.endswith(".py") and _importable(n[:-3])
    ]
    sizes = sum(listing.python[n] for n in (*used.values(), *helpers))
    if sizes > MAX_TOTAL_BYTES:
        raise _Refused(
            f"the submission's Python files hold {sizes / (1024 * 1024):.1f} MB, "
            f"over the {_megabytes(MAX_TOTAL_BYTES)} limit"
        )

    for target, submitted in used.items():
        data = _read_bytes(folder / submitted, shown_as=submitted, limit=MAX_TOTAL_BYTES)
        found.take(submitted, data)
        problem = _source_problem(submitted, data)
        if problem:
            raise _Refused(problem)
        found.files[target] = data
        if submitted != target:
            found.notes.append(f"used {submitted!r} as {target}")
    if notebook is not None:
        if notebook != f"{assignment.module}.ipynb":
            found.notes.append(f"used {notebook!r} as {assignment.filename}")
        local = (*assignment.modules, *(n[:-3] for n in helpers))
        _take_notebook(folder / notebook, assignment, found, local_modules=local)
    for submitted in helpers:
        data = _read_bytes(folder / submitted, shown_as=submitted, limit=MAX_TOTAL_BYTES)
        found.take(submitted, data)
        problem = _source_problem(submitted, data)
        if problem:  # only a problem if the student's code imports it: say so, go on
            found.notes.append(f"left out {submitted!r}: {problem}")
            continue
        found.files[submitted] = data


def _importable(stem: str) -> bool:
    return stem.isidentifier() and not keyword.iskeyword(stem)


# ------------------------------------------------------------------------ notebooks


def _take_notebook(
    path: Path, assignment: Assignment, found: _Found, *, local_modules: tuple[str, ...]
) -> None:
    data = _read_bytes(path, shown_as=path.name, limit=MAX_NOTEBOOK_BYTES)
    found.take(path.name, data)
    cells = _code_cells(data, shown_as=path.name)
    source, notes = _notebook_source(
        cells, notebook_name=path.name, allowed_modules=_allowed_modules(local_modules)
    )
    try:
        encoded = source.encode("utf-8")
    except UnicodeEncodeError:
        raise _Refused(
            f"{path.name} is not a valid Jupyter notebook: its code holds characters "
            "that are not valid Unicode"
        ) from None
    if len(encoded) > MAX_TOTAL_BYTES:
        raise _Refused(
            f"the code cells of {path.name} hold more than {_megabytes(MAX_TOTAL_BYTES)}"
        )
    if b"\x00" in encoded:
        raise _Refused(f"the code cells of {path.name} contain a NUL character")
    found.files[assignment.filename] = encoded
    found.notes.extend(notes)


def _allowed_modules(local_modules: tuple[str, ...]) -> frozenset[str]:
    """Top-level modules graded code may import: the standard library, numpy, its own files."""
    return frozenset(sys.stdlib_module_names) | {"numpy"} | set(local_modules)


def _code_cells(data: bytes, *, shown_as: str) -> list[str]:
    """The sources of the notebook's code cells, in order (empty strings included)."""

    def invalid(reason: str) -> _Refused:
        return _Refused(f"{shown_as} is not a valid Jupyter notebook: {reason}")

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise invalid("it is not UTF-8 text") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise invalid(f"it is not JSON ({where}: {exc.msg})") from None
    except Exception:  # noqa: BLE001 - hostile input: nesting too deep, huge numbers
        raise invalid("it is not JSON that can be read") from None
    if not isinstance(raw, dict) or "nbformat" not in raw:
        raise invalid("it is JSON, but without the 'nbformat' version of a notebook")
    import nbformat  # only notebooks need it (a tenth of a second to import)
    from nbformat import reader as nbformat_reader

    try:
        notebook = nbformat_reader.reads(text)
        if notebook.get("nbformat") != 4:
            notebook = nbformat.convert(notebook, 4)
        cells = notebook.get("cells")
    except Exception as exc:  # noqa: BLE001 - any error of nbformat on hostile input
        raise invalid(_short_reason(exc)) from None
    if not isinstance(cells, list):
        raise invalid("it has no list of cells")

    sources = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(part, str) for part in source):
            source = "".join(source)
        sources.append(source if isinstance(source, str) else "")
    if not sources:
        raise _Refused(f"{shown_as} has no code cells")
    return sources


def _short_reason(exc: Exception, *, most: int = 120) -> str:
    lines = str(exc).strip().splitlines()
    text = lines[0] if lines else type(exc).__name__
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= most else text[: most - 3] + "..."


# Cell magics whose body is Python; any other (%%bash, %%writefile, %%html) is not.
_PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})
_HELP_LINE = re.compile(r"\?{1,2}[\w.*]+|[\w.*]+\?{1,2}")
_SHELL_ASSIGNMENT = re.compile(r"[\w.,\s\[\]()]+=\s*[%!]")
# Calls that make an assignment demo code: reading files, the IPython shell.
_DEMO_CALL_NAMES = frozenset({"open", "input", "display", "get_ipython", "breakpoint"})
_DEMO_CALL_ATTRIBUTES = frozenset(
    {"loadtxt", "genfromtxt", "load", "fromfile", "read_csv", "urlopen", "show", "savefig"}
)


@dataclass
class _Cell:
    number: int  # among the notebook's code cells, from 1
    text: str
    tree: ast.Module | None  # None: the cell does not parse, and is kept as it is
    keep: list[bool] = field(default_factory=list)  # per top-level statement


def _notebook_source(
    sources: list[str], *, notebook_name: str, allowed_modules: frozenset[str]
) -> tuple[str, list[str]]:
    """The Python module made of a notebook's code cells, and notes for the student.

    Keeps the top-level imports, function and class definitions and assignments, so
    that demo and plotting code does not run during grading. IPython-only lines are
    commented out first. A cell that does not parse is kept as it is, so that the
    sandbox reports its syntax error. Imports of modules that graded code may not use
    (matplotlib, pandas) are left out, and so is every assignment that uses what they
    bound, calls a function or class the notebook defines (that is using it, not
    defining it), or reads files.
    """
    cells: list[_Cell] = []
    not_python: list[int] = []
    for number, raw in enumerate(sources, start=1):
        text = raw.replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            continue
        text, is_python = _strip_cell_magic(text)
        if not is_python:
            not_python.append(number)
            continue
        tree = _parse(text)
        if tree is None:
            commented = _comment_ipython_lines(text)
            tree = _parse(commented)
            text = commented
        cells.append(_Cell(number, text, tree))

    choice = _choose_statements(cells, allowed_modules)

    kept_numbers, demo_numbers, broken_numbers, parts = [], list(not_python), [], []
    for cell in cells:
        if cell.tree is None:
            broken_numbers.append(cell.number)
            kept_numbers.append(cell.number)
            parts.append(f"# --- cell {cell.number} ---\n{cell.text.rstrip()}\n")
            continue
        decisive = [
            keep
            for node, keep in zip(cell.tree.body, cell.keep)
            if not _is_neutral(node) and not _is_future(node)
        ]
        if any(decisive):
            kept_numbers.append(cell.number)
            code = _extract(cell.text, cell.tree.body, cell.keep)
            parts.append(f"# --- cell {cell.number} ---\n{code.rstrip()}\n")
        elif decisive:
            demo_numbers.append(cell.number)

    header = [f"# Made by the grader from the code cells of {notebook_name}: definitions only.\n"]
    header += [f"{line}\n" for line in choice.futures]
    source = "".join(header) + "\n" + "\n".join(parts)
    return source, _notebook_notes(
        kept=kept_numbers,
        demo=sorted(demo_numbers),
        broken=broken_numbers,
        dropped_imports=sorted(set(choice.dropped_imports)),
    )


def _notebook_notes(
    *, kept: list[int], demo: list[int], broken: list[int], dropped_imports: list[str]
) -> list[str]:
    left_out = f"{len(demo)} cell{'s' if len(demo) != 1 else ''} of demo code left out"
    if kept:
        numbers = ", ".join(str(n) for n in kept)
        which = f"code cell{'s' if len(kept) != 1 else ''} {numbers}"
        detail = f"definitions only; {left_out}" if demo else "definitions only"
        notes = [f"graded the notebook's {which} ({detail})"]
    else:
        notes = [
            "found no imports, functions, classes or assignments in the notebook's code cells"
            + (f" ({left_out})" if demo else "")
        ]
    if dropped_imports:
        notes.append(
            f"left out the import of {', '.join(dropped_imports)} and the code that uses it: "
            "graded code may use only numpy and the standard library"
        )
    for number in broken:
        notes.append(f"cell {number} does not parse as Python: it is kept as it is")
    return notes


def _parse(text: str) -> ast.Module | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except Exception:  # noqa: BLE001 - SyntaxError, but also RecursionError, MemoryError...
        return None


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


def _is_neutral(node: ast.stmt) -> bool:
    """A statement that neither defines nor runs anything: ``pass``, a lone string."""
    return isinstance(node, ast.Pass) or (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _is_future(node: ast.stmt) -> bool:
    return isinstance(node, ast.ImportFrom) and node.module == "__future__" and not node.level


@dataclass(frozen=True)
class _Choice:
    futures: list[str]  # "from __future__ import ..." lines, hoisted to the top
    dropped_imports: list[str]  # modules whose imports were left out


def _choose_statements(cells: list[_Cell], allowed_modules: frozenset[str]) -> _Choice:
    """Decide, statement by statement in notebook order, what to keep (sets ``cell.keep``)."""
    defined = {
        node.name
        for cell in cells
        if cell.tree is not None
        for node in cell.tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
    }
    future_lines: list[str] = []
    lazy_annotations = False
    tainted: set[str] = set()  # names bound by left-out code
    dropped: list[str] = []
    for cell in cells:
        if cell.tree is None:
            continue
        for node in cell.tree.body:
            keep = True
            if _is_future(node):
                line = "from __future__ import " + ", ".join(a.name for a in node.names)
                if line not in future_lines:
                    future_lines.append(line)
                lazy_annotations |= any(a.name == "annotations" for a in node.names)
                keep = False
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                outside = _outside_imports(node, allowed_modules)
                keep = not outside
                dropped.extend(outside)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                evaluated = _definition_time_expressions(node, lazy_annotations)
                keep = not _uses(evaluated, tainted, defined=set())
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                evaluated = [*_targets(node), node.value, getattr(node, "annotation", None)]
                evaluated = [e for e in evaluated if e is not None]
                keep = not _uses(evaluated, tainted, defined=defined)
            elif not _is_neutral(node):
                keep = False
            names = _bound_names(node)
            if keep:
                tainted -= names
            else:
                tainted |= names
            cell.keep.append(keep)
    return _Choice(futures=future_lines, dropped_imports=dropped)


def _outside_imports(
    node: ast.Import | ast.ImportFrom, allowed_modules: frozenset[str]
) -> list[str]:
    """The top-level modules this import needs that graded code may not use."""
    if isinstance(node, ast.ImportFrom):
        if node.level:  # relative: there is no package to import from
            return [("." * node.level) + (node.module or "")]
        modules = [node.module or ""]
    else:
        modules = [alias.name for alias in node.names]
    return [m.split(".")[0] for m in modules if m.split(".")[0] not in allowed_modules]


def _targets(node: ast.Assign | ast.AnnAssign) -> list[ast.expr]:
    return list(node.targets) if isinstance(node, ast.Assign) else [node.target]


def _definition_time_expressions(node: ast.stmt, lazy_annotations: bool) -> list[ast.expr]:
    """What Python evaluates when it runs a ``def`` or ``class`` statement."""
    found: list[ast.expr | None] = list(node.decorator_list)
    if isinstance(node, ast.ClassDef):
        found += node.bases + [k.value for k in node.keywords]
        return [e for e in found if e is not None]
    args = node.args
    found += args.defaults + args.kw_defaults
    if not lazy_annotations:
        every = args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg]
        found += [a.annotation for a in every if a is not None] + [node.returns]
    return [e for e in found if e is not None]


def _uses(expressions: list[ast.expr], tainted: set[str], *, defined: set[str]) -> bool:
    """Whether evaluating ``expressions`` reads a left-out name, calls ``defined``, reads files."""
    stack: list[ast.AST] = list(expressions)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in tainted:
            return True
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and (func.id in defined or func.id in _DEMO_CALL_NAMES):
                return True
            if isinstance(func, ast.Attribute) and func.attr in _DEMO_CALL_ATTRIBUTES:
                return True
        if isinstance(node, ast.Lambda):  # its body runs later, when called
            stack.extend(node.args.defaults)
            stack.extend(d for d in node.args.kw_defaults if d is not None)
            continue
        stack.extend(ast.iter_child_nodes(node))
    return False


_OWN_SCOPES = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _bound_names(node: ast.stmt) -> set[str]:
    """The module-level names a top-level statement binds, also in the blocks it nests."""
    names: set[str] = set()
    stack: list[ast.AST] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Name) and isinstance(current.ctx, ast.Store):
            names.add(current.id)
        elif isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(current.name)
            continue  # its body is a scope of its own
        elif isinstance(current, (ast.Import, ast.ImportFrom)):
            names.update(a.asname or a.name.split(".")[0] for a in current.names if a.name != "*")
        elif isinstance(current, _OWN_SCOPES):
            continue
        stack.extend(ast.iter_child_nodes(current))
    return names


def _first_line(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


def _extract(text: str, body: list[ast.stmt], keep: list[bool]) -> str:
    """The kept statements of a cell, each with the comments just above it."""
    if all(keep):
        return text
    lines = text.split("\n")
    out: list[str] = []
    done = 0  # lines[:done] are consumed
    for index, node in enumerate(body):
        start, end = _first_line(node), node.end_lineno or node.lineno
        shares_line = (index > 0 and (body[index - 1].end_lineno or 0) >= start) or (
            index + 1 < len(body) and _first_line(body[index + 1]) <= end
        )
        if keep[index]:
            if shares_line:  # "x = 1; plt.plot(x)": only this statement's own text
                out.append(ast.get_source_segment(text, node) or "")
            else:
                out.extend(lines[done:end])
        done = max(done, end)
    return "\n".join(out)
