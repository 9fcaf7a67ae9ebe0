"""A submission folder: which of its files are graded, and as what.

The assignment's file is looked for among the files named like it (``activations.py``,
``activations.ipynb``, ``Activations.py``, copies such as ``activations (1).py``). Of these,
the one graded is the first that holds the student's work (not the untouched stub the course
handed out, see :func:`~grader.submission.modules.holds_work`), preferring the exact name, then
a ``.py`` file. When none holds work, the files under other names that define the assignment's
functions otherwise than the stub join them, whatever their names (the stub beside ``hw1.ipynb``);
without any, a lone ``.py`` file or notebook under another name is graded. Each ``.py`` file or
notebook left out (not graded, not a helper) is named in a note. The mlp assignment's ``dense`` is found the
same way (``dense.py`` or ``dense.ipynb``); other importable ``.py`` files travel as helpers.
"""

from __future__ import annotations

import keyword
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from grader.course import Assignment
from grader.i18n import N_, _
from grader.submission import statements
from grader.submission.files import MAX_FILES, MAX_NOTEBOOK_BYTES, MAX_TOTAL_BYTES, digest, megabytes, os_reason, read_bytes
from grader.submission.model import Refused
from grader.submission.modules import Module, contract, holds_work, notebook_as_module, python_module, stub_source
from grader.submission.notebook import Cells, read_notebook
from grader.submission.repository import matches_module

__all__ = ["Loaded", "load_file", "load_folder"]

CLEAR_OUTPUTS = N_(": clear the outputs (Kernel > Restart & Clear Output) and save it again")
_ARCHIVES = (".zip", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar")


@dataclass
class Loaded:
    """What loading found: the child's files, what they came from, hashes, notes."""

    files: dict[str, bytes] = field(default_factory=dict)
    sha256: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    shown: dict[str, str] = field(default_factory=dict)
    modules: dict[str, Module] = field(default_factory=dict)
    problem: str | None = None


@dataclass
class _Candidate:
    name: str
    data: bytes
    closeness: int  # 0 exact name, 1 but for case, 2 a copy, 3 another name
    cells: Cells | None = None  # a notebook's, once read
    refusal: str | None = None  # why it cannot be read as what it claims to be

    @property
    def notebook(self) -> bool:
        return self.name.lower().endswith(".ipynb")


def load_file(path: Path, assignment: Assignment) -> Loaded:
    """A single ``.py`` file or notebook handed in as the assignment's file."""
    loaded = Loaded()
    suffix = path.suffix.lower()
    if suffix not in (".py", ".ipynb"):
        hint = _(": unpack it and grade the folder") if suffix in _ARCHIVES else ""
        loaded.problem = (
            _("{name} is neither a folder, a Python file (.py) nor a Jupyter notebook (.ipynb)").format(name=path.name)
            + hint
        )
        return loaded
    try:
        candidate = _read_candidate(path, path.name, 3)
        loaded.sha256[path.name] = digest(candidate.data)
        _take(loaded, assignment.module, candidate, shown=path.name, allowed=statements.allowed_modules(assignment.modules))
    except Refused as refusal:
        loaded.problem = str(refusal)
    return loaded


def load_folder(folder: Path, assignment: Assignment, *, prefix: str = "") -> Loaded:
    """The folder ``folder`` (``prefix``: its path inside the submission, for the hashes)."""
    loaded = Loaded()
    try:
        _load_folder(folder, assignment, loaded, prefix)
    except Refused as refusal:
        loaded.problem = str(refusal)
    loaded.sha256 = dict(sorted(loaded.sha256.items()))
    return loaded


def _load_folder(folder: Path, assignment: Assignment, loaded: Loaded, prefix: str) -> None:
    python, notebooks, shown = _list(folder, loaded)
    if not shown:
        raise Refused(_("the submission folder is empty"))
    if len(python) > MAX_FILES:
        raise Refused(
            _("the submission folder holds {count} Python files; at most {most} are accepted").format(
                count=len(python), most=MAX_FILES
            )
        )
    files = sorted(python) + sorted(notebooks)
    claimed = {m: [n for n in files if matches_module(n, m) is not None] for m in assignment.modules}
    module = assignment.module
    unclaimed = [n for n in files if not any(n in names for names in claimed.values())]
    read = {n: _read_candidate(folder / n, n, _closeness(n, module), prefix, loaded) for n in claimed[module]}
    if not any(_holds_work(module, c) for c in read.values()):
        # Only the untouched stub (or nothing) under the assignment's name: the work may be in a
        # file of any name; a file that defines the assignment's functions differently wins.
        for name in unclaimed:
            try:
                candidate = _read_candidate(folder / name, name, 3)
            except Refused:  # too large or unreadable: not where the work is
                continue
            if _defines_contract(module, candidate):
                read[name] = candidate
                loaded.sha256[prefix + name] = digest(candidate.data)
    if not read:
        others = [n for n in python if n in unclaimed]
        if len(others) == 1:
            read = {n: _read_candidate(folder / n, n, 3, prefix, loaded) for n in others}
        elif not others and len(notebooks) == 1:
            read = {n: _read_candidate(folder / n, n, 3, prefix, loaded) for n in notebooks}
        else:
            raise Refused(
                _("no {file} in the submission (found: {found})").format(file=assignment.filename, found=_shown_list(shown))
            )
    claimed[module] = sorted(read)
    taken = {n for names in claimed.values() for n in names}
    helpers = [n for n in sorted(python) if n not in taken and _importable(n[:-3])]
    if sum(python.get(n, 0) for n in (*taken, *helpers)) > MAX_TOTAL_BYTES:
        size = sum(python.get(n, 0) for n in (*taken, *helpers))
        raise Refused(
            _("the submission's Python files hold {size:.1f} MB, over the {limit} limit").format(
                size=size / (1024 * 1024), limit=megabytes(MAX_TOTAL_BYTES)
            )
        )
    allowed = statements.allowed_modules((*assignment.modules, *(n[:-3] for n in helpers)))
    graded = ""
    for module in assignment.modules:
        names = claimed[module]
        if not names:
            continue
        if module == assignment.module:
            candidates = [read[n] for n in names]
        else:
            candidates = [_read_candidate(folder / n, n, _closeness(n, module), prefix, loaded) for n in names]
        chosen = _choose(module, candidates, loaded)
        target = f"{module}.py"
        if matches_module(chosen.name, module) != 0 and not (chosen.notebook and chosen.name == f"{module}.ipynb"):
            loaded.notes.append(_("used {name} as {target}").format(name=repr(chosen.name), target=target))
        _take(loaded, module, chosen, shown=chosen.name, allowed=allowed)
        if module == assignment.module:
            graded = chosen.name
    for name in unclaimed:
        if name not in taken and name not in helpers:  # a notebook, or a .py no code can import
            loaded.notes.append(
                _("left out {name}: graded {chosen} as {target}").format(
                    name=repr(name), chosen=repr(graded), target=assignment.filename
                )
            )
    for name in helpers:
        data = read_bytes(folder / name, shown_as=name, limit=MAX_TOTAL_BYTES)
        loaded.sha256[prefix + name] = digest(data)
        try:
            made = python_module(data, shown_as=name, module=name[:-3], allowed=allowed)
        except Refused as refusal:  # only a problem if the student's code imports it: say so, go on
            loaded.notes.append(_("left out {name}: {reason}").format(name=repr(name), reason=refusal))
            continue
        loaded.files[name] = made.data
        loaded.modules[name] = made


def _read_candidate(path: Path, name: str, closeness: int, prefix: str = "", loaded: Loaded | None = None) -> _Candidate:
    notebook = name.lower().endswith(".ipynb")
    limit = MAX_NOTEBOOK_BYTES if notebook else MAX_TOTAL_BYTES
    data = read_bytes(path, shown_as=name, limit=limit, advice=CLEAR_OUTPUTS if notebook else "")
    if loaded is not None:
        loaded.sha256[prefix + name] = digest(data)
    candidate = _Candidate(name, data, closeness)
    if notebook:
        try:
            candidate.cells = read_notebook(data, shown_as=name)
        except Refused as refusal:
            candidate.refusal = str(refusal)
    return candidate


_STUB_ID = N_("{name} is the assignment's stub, unchanged: nothing of yours to grade yet")


def _choose(module: str, candidates: list[_Candidate], loaded: Loaded) -> _Candidate:
    """The candidate that holds the work, by the order of the module docstring; notes for the rest."""
    if len(candidates) == 1:
        chosen = candidates[0]
        if not _holds_work(module, chosen):
            loaded.notes.append(_(_STUB_ID).format(name=chosen.name))
        return chosen
    work = {c.name: _holds_work(module, c) for c in candidates}
    ranked = sorted(candidates, key=lambda c: (not work[c.name], c.closeness, c.notebook, c.name))
    chosen = ranked[0]
    for other in ranked[1:]:
        if not work[other.name]:
            loaded.notes.append(
                _("left out {name}: it is the assignment's stub, unchanged (graded {chosen})").format(
                    name=repr(other.name), chosen=repr(chosen.name)
                )
            )
        else:
            loaded.notes.append(
                _("left out {name}, another version of {module}: graded {chosen}").format(
                    name=repr(other.name), module=module, chosen=repr(chosen.name)
                )
            )
    if not work[chosen.name]:
        loaded.notes.append(_(_STUB_ID).format(name=chosen.name))
    return chosen


def _holds_work(module: str, candidate: _Candidate) -> bool:
    if candidate.notebook:
        if candidate.cells is None:
            return True
        return holds_work(module, text=None, trees=candidate.cells.trees())
    try:
        text = candidate.data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return True
    return holds_work(module, text=text, trees=[statements.parse(text)])


def _defines_contract(module: str, candidate: _Candidate) -> bool:
    """Whether ``candidate`` (a file under another name) defines one of the stub's functions or
    classes of ``module`` otherwise than the stub: the work, whatever the file's name."""
    if candidate.notebook:
        if candidate.cells is None:
            return False
        trees = candidate.cells.trees()
    else:
        try:
            text = candidate.data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return False
        trees = [statements.parse(text)]
    names = contract(module)
    found = statements.definitions(trees)
    if found is None:  # a syntax error somewhere: by the names it defines, as text
        source = candidate.data.decode("utf-8", "replace")
        return any(re.search(rf"\b(def|class)\s+{re.escape(name)}\b", source) for name in names)
    original = statements.text_definitions(stub_source(module) or "") or {}
    return any(name in names and original.get(name) != dump for name, dump in found.items())


def _take(loaded: Loaded, module: str, candidate: _Candidate, *, shown: str, allowed: frozenset[str]) -> None:
    target = f"{module}.py"
    if candidate.notebook:
        if candidate.cells is None:
            raise Refused(candidate.refusal or _("{name} is not a valid Jupyter notebook").format(name=candidate.name))
        made = notebook_as_module(candidate.cells, module=module, allowed=allowed)
    else:
        made = python_module(candidate.data, shown_as=shown, module=module, allowed=allowed)
    loaded.files[target] = made.data
    loaded.modules[target] = made
    loaded.notes.extend(made.notes)
    if shown != target:
        loaded.shown[target] = shown


def _list(folder: Path, loaded: Loaded) -> tuple[dict[str, int], dict[str, int], list[str]]:
    """Top-level ``.py`` files and notebooks with their sizes, and everything shown in messages."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        raise Refused(_("cannot list the submission folder: {reason}").format(reason=os_reason(exc))) from None
    python: dict[str, int] = {}
    notebooks: dict[str, int] = {}
    shown: list[str] = []
    for entry in entries:
        name = entry.name
        if name.startswith(".") or name == "__pycache__":
            continue
        try:
            if entry.is_symlink():
                loaded.notes.append(_("skipped {name}: symbolic links are not followed").format(name=repr(name)))
                shown.append(_("{name} (a symbolic link)").format(name=name))
                continue
            if entry.is_dir(follow_symlinks=False):
                shown.append(name + "/")
                continue
            shown.append(name)
            if not entry.is_file(follow_symlinks=False):
                continue
            size = entry.stat(follow_symlinks=False).st_size
        except OSError:
            continue
        lowered = name.lower()
        if lowered.endswith(".py"):
            python[name] = size
        elif lowered.endswith(".ipynb"):
            notebooks[name] = size
    return python, notebooks, shown


def _shown_list(shown: list[str], *, most: int = 12) -> str:
    if len(shown) <= most:
        return ", ".join(shown)
    return ", ".join(shown[:most]) + " " + _("and {count} more").format(count=len(shown) - most)


def _closeness(name: str, module: str) -> int:
    found = matches_module(name, module)
    return 3 if found is None else found


def _importable(stem: str) -> bool:
    return stem.isidentifier() and not keyword.iskeyword(stem)
