"""Where a submission folder keeps the assignment's file, and which commit it is.

One rule, for ``grader check`` and ``grader grade`` alike, finds the folder to grade inside
the folder given (the first that applies):

1. the folder itself, when it holds the assignment's file (``activations.py``, a notebook
   ``activations.ipynb``, a copy such as ``activations (1).py``);
2. ``<name>/`` or ``assignments/<name>/`` inside it, when that holds the file: a student's
   repository made from the course's template, or the assignment's folder at the root;
3. the folder itself, when it holds any Python file or notebook (a lone file under another
   name is graded as the assignment's file, with a note);
4. its only subfolder (a zip unpacked into a folder of its own), by the same rule.

A repository's commit is read from its ``.git`` without running git: ``HEAD`` (a detached
head is the commit itself), then the loose ref it names, then ``packed-refs``; a ``.git``
file (``gitdir: ...``, a worktree) and a ``commondir`` are followed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from grader import i18n
from grader.course import Assignment
from grader.errors import GraderError
from grader.submission.files import read_bytes
from grader.submission.model import Refused

__all__ = ["class_folder_warning", "find_folder", "matches_module", "read_commit", "refuse_empty_batch", "visible_entries"]

_COPY = re.compile(r"^(?:copy of )?(.*?)(?: ?\(\d+\)| - copy| copy|[-_ ]copy|[-_ ]\d+)?$")
_HEX = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_MAX_DEPTH = 3


def matches_module(filename: str, module: str) -> int | None:
    """How closely ``filename`` (a ``.py`` or ``.ipynb``) names ``module``: 0 exactly, 1 but for
    case, 2 a copy (``activations (1).py``, ``Copy of activations.ipynb``); None otherwise."""
    stem, dot, suffix = filename.rpartition(".")
    if not dot or suffix.lower() not in ("py", "ipynb"):
        return None
    if stem == module:
        return 0
    if stem.casefold() == module.casefold():
        return 1
    match = _COPY.match(stem.casefold())
    if match and match.group(1).strip() == module.casefold():
        return 2
    return None


def visible_entries(folder: Path) -> list[os.DirEntry]:
    """The entries of ``folder`` a submission is made of: not hidden, not ``__pycache__``."""
    try:
        with os.scandir(folder) as scan:
            return sorted(
                (e for e in scan if not e.name.startswith(".") and e.name != "__pycache__"),
                key=lambda e: e.name,
            )
    except OSError:
        return []


def find_folder(folder: Path, assignment: Assignment) -> tuple[Path, str | None]:
    """The folder to grade inside ``folder`` (see the module docstring), and a note saying
    where it is when it is not ``folder`` itself."""
    current = folder
    for _ in range(_MAX_DEPTH + 1):
        entries = visible_entries(current)
        files = [e.name for e in entries if _is_file(e)]
        if any(matches_module(name, assignment.module) is not None for name in files):
            break
        inner = next(
            (
                current.joinpath(*parts)
                for parts in ((assignment.name,), ("assignments", assignment.name))
                if _holds_module(current.joinpath(*parts), assignment.module)
            ),
            None,
        )
        if inner is not None:
            current = inner
            break
        if any(name.lower().endswith((".py", ".ipynb")) for name in files):
            break
        folders = [e for e in entries if _is_folder(e)]
        if len(folders) != 1 or files:
            break
        current = Path(folders[0].path)
    if current == folder:
        return folder, None
    inside = current.relative_to(folder).as_posix()
    return current, i18n._("graded {inside}/ of {folder}").format(inside=inside, folder=folder.name)


def read_commit(folder: Path) -> str | None:
    """The commit checked out in the git repository ``folder`` (hexadecimal), or None when
    it has no ``.git`` or its head cannot be read."""
    git = folder / ".git"
    try:
        if git.is_file() and not git.is_symlink():
            text = _small(git)
            if not text.startswith("gitdir:"):
                return None
            git = (folder / text[len("gitdir:") :].strip()).resolve()
        if not git.is_dir():
            return None
        head = _small(git / "HEAD")
        if _HEX.fullmatch(head):
            return head
        if not head.startswith("ref:"):
            return None
        ref = head[len("ref:") :].strip()
        if not ref.startswith("refs/") or ".." in ref.split("/"):
            return None
        places = [git]
        if (git / "commondir").is_file():
            places.append((git / _small(git / "commondir")).resolve())
        for place in places:
            loose = place / ref
            if loose.is_file():
                value = _small(loose)
                return value if _HEX.fullmatch(value) else None
        for place in places:
            if (place / "packed-refs").is_file():
                for line in _small(place / "packed-refs", limit=16 << 20).splitlines():
                    parts = line.split()
                    if len(parts) == 2 and parts[1] == ref and _HEX.fullmatch(parts[0]):
                        return parts[0]
    except (OSError, Refused, ValueError):
        return None
    return None


def refuse_empty_batch(paths: list[Path]) -> None:
    """Raise :class:`~grader.errors.GraderError` when every one of ``paths`` is an empty
    folder: the sign of student repositories added to git as empty gitlinks."""
    if not paths or not all(p.is_dir() and not visible_entries(p) for p in paths):
        return
    raise GraderError(
        f"every submission is an empty folder ({len(paths)} of them): nothing to grade. Were the "
        "students' repositories committed with their .git folders (git then keeps only empty "
        "gitlinks)? Remove each repository's .git before adding it, or clone them where you grade "
        "(see \"Grading students' repositories\" in the README)"
    )


def class_folder_warning(folder: Path, assignment: Assignment, *, shown: str) -> str | None:
    """A warning when ``folder``, the one submission given (``shown`` as the user typed it),
    looks like a class rather than a submission: two or more of its subfolders hold code of
    their own (``grader grade activations subs/`` meant ``subs/*``). It is still graded as one
    submission, by the rule above; None when it does not look like a class."""
    if not folder.is_dir() or find_folder(folder, assignment)[0] != folder:  # a repository: its assignment's folder
        return None
    inner = []
    for entry in visible_entries(folder):
        if _is_folder(entry):
            found, _ = find_folder(Path(entry.path), assignment)
            if any(_is_file(e) and e.name.lower().endswith((".py", ".ipynb")) for e in visible_entries(found)):
                inner.append(entry.name)
    if len(inner) < 2:
        return None
    listed = ", ".join(inner[:5]) + (f" and {len(inner) - 5} more" if len(inner) > 5 else "")
    where = shown.rstrip("/" + os.sep) or shown
    return (
        f"{shown} was graded as one submission, but {len(inner)} of its folders hold code of their own ({listed}): "
        f"to grade each, give them all: grader grade {assignment.name} --out OUT -- {where}{os.sep}*"
    )


def _small(path: Path, *, limit: int = 4096) -> str:
    return read_bytes(path, shown_as=path.name, limit=limit).decode("ascii").strip()


def _is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file(follow_symlinks=False)
    except OSError:
        return False


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _holds_module(folder: Path, module: str) -> bool:
    if folder.is_symlink() or not folder.is_dir():
        return False
    return any(_is_file(e) and matches_module(e.name, module) is not None for e in visible_entries(folder))
