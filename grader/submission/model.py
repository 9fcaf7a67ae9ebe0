"""What loading a submission gives the grader: :class:`Submission`, and where its lines came from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from grader.i18n import _

__all__ = ["Block", "Refused", "Submission"]


class Refused(Exception):
    """The submission cannot be loaded; ``str(exc)`` is the reason the student reads."""


@dataclass(frozen=True)
class Block:
    """Lines ``start .. start + length - 1`` (from 1) of a generated module are lines
    ``1 .. length`` of ``where`` in the student's file (``"the 3rd cell (In [5])"``)."""

    start: int
    length: int
    where: str


@dataclass(frozen=True)
class Submission:
    """What a student handed in, ready for the sandbox.

    ``files`` maps the names the child gets (``activations.py``, helpers) to their bytes,
    each UTF-8 text without NUL bytes (a UTF-8 BOM may lead); it is empty when ``problem``
    says why the submission cannot be loaded. ``sha256`` maps each submitted file, by its
    path inside the submission, to the sha256 of its bytes (also for a submission with a
    problem, as far as it was read). ``shown`` maps a name in ``files`` to the student's file
    it was made from when the two differ (``activations.py`` -> ``alice.ipynb``), and
    ``blocks`` maps a module made from a notebook to where each of its cells lies in it.
    ``main_guarded`` names the functions and classes defined only under
    ``if __name__ == "__main__":``, which grading does not run. ``commit`` is the commit of
    the student's repository that was graded (40 or 64 hexadecimal digits), when the
    submission is a git repository. ``fallback`` holds, for ``.py`` files with demo code, the
    same files with it commented out (see :meth:`without_demo_code`). ``release`` is the
    digest of the assignment's public checks that the release the submission comes from
    records (a template repository's ``grader/release.json``, a released notebook's metadata;
    see :mod:`grader.release`), and ``release_in`` where it was read (``alice.ipynb``).
    """

    name: str
    path: Path
    files: dict[str, bytes]
    sha256: dict[str, str]
    notes: tuple[str, ...] = ()
    problem: str | None = None
    shown: dict[str, str] = field(default_factory=dict)
    blocks: dict[str, tuple[Block, ...]] = field(default_factory=dict)
    main_guarded: tuple[str, ...] = ()
    commit: str | None = None
    fallback: dict[str, bytes] = field(default_factory=dict)
    fallback_notes: tuple[str, ...] = ()
    release: str | None = None
    release_in: str = ""

    def without_demo_code(self) -> Submission | None:
        """This submission with the demo code of its ``.py`` files left out (the rule notebooks
        follow), for when importing them as they are failed; None when they have none."""
        if not self.fallback or self.problem is not None:
            return None
        return replace(
            self,
            files={**self.files, **self.fallback},
            notes=tuple(dict.fromkeys((*self.notes, *self.fallback_notes))),
            fallback={},
            fallback_notes=(),
        )

    def student_file(self, name: str) -> str:
        """The student's own file behind ``name`` (``activations.py`` -> ``alice.ipynb``)."""
        return self.shown.get(name, name)

    def locate(self, name: str, line: int) -> str:
        """``"<file>, line <n>"`` in the student's terms for line ``line`` of module ``name``:
        ``"alice.ipynb, the 3rd cell (In [5]), line 2"`` for a notebook's module."""
        for block in self.blocks.get(name, ()):
            if block.start <= line < block.start + block.length:
                return _("{file}, {cell}, line {line}").format(
                    file=self.student_file(name), cell=block.where, line=line - block.start + 1
                )
        if name in self.blocks:  # the grader's own header lines
            return _("{file} (the code the grader made from it, line {line})").format(file=self.student_file(name), line=line)
        return _("{file}, line {line}").format(file=self.student_file(name), line=line)

    def in_student_terms(self, text: str) -> str:
        """``text`` (a reason, a check's feedback) with every ``"<module>.py, line <n>"`` of
        this submission's modules said as :meth:`locate` says it, and the functions defined
        only under ``if __name__ == "__main__":`` explained."""
        if not text:
            return text
        moved = list(self.files)  # every module: a file graded as it is gets ", line" in the student's language
        if moved:
            names = "|".join(re.escape(name) for name in sorted(moved, key=len, reverse=True))
            pattern = re.compile(rf"(?<![\w.-])({names}), line (\d+)(?:, in ([\w<>]+))?")
            text = pattern.sub(self._place, text)
        for name in self.main_guarded:
            for missing in (_("has no function {name}"), _("has no class {name}")):
                if missing.format(name=name) in text:  # the sandbox's sentence (grader.sandbox.supervisor)
                    return _(
                        "{name} is defined only under `if __name__ == \"__main__\":`, which grading "
                        "does not run: define it at the top level of your file"
                    ).format(name=name)
        return text

    def _place(self, match: re.Match) -> str:
        """``"<module>.py, line <n>[, in <function>]"`` (the sandbox's location of an error) in the
        student's terms and language."""
        place = self.locate(match.group(1), int(match.group(2)))
        function = match.group(3)
        if function is None:
            return place
        if function == "<module>":
            return _("{place}, at the top level").format(place=place)
        return _("{place}, in {function}").format(place=place, function=function)

    def as_plain(self) -> dict:
        """This submission as JSON-ready data (files as text: they are UTF-8), see :meth:`from_plain`."""
        return {
            "name": self.name,
            "path": str(self.path),
            "files": {name: data.decode("utf-8") for name, data in self.files.items()},
            "sha256": self.sha256,
            "notes": list(self.notes),
            "problem": self.problem,
            "shown": self.shown,
            "blocks": {name: [[b.start, b.length, b.where] for b in blocks] for name, blocks in self.blocks.items()},
            "main_guarded": list(self.main_guarded),
            "commit": self.commit,
            "fallback": {name: data.decode("utf-8") for name, data in self.fallback.items()},
            "fallback_notes": list(self.fallback_notes),
            "release": self.release,
            "release_in": self.release_in,
        }

    @classmethod
    def from_plain(cls, plain: dict) -> Submission:
        return cls(
            name=plain["name"],
            path=Path(plain["path"]),
            files={name: text.encode("utf-8") for name, text in plain["files"].items()},
            sha256=dict(plain["sha256"]),
            notes=tuple(plain["notes"]),
            problem=plain["problem"],
            shown=dict(plain["shown"]),
            blocks={name: tuple(Block(*b) for b in blocks) for name, blocks in plain["blocks"].items()},
            main_guarded=tuple(plain["main_guarded"]),
            commit=plain["commit"],
            fallback={name: text.encode("utf-8") for name, text in plain["fallback"].items()},
            fallback_notes=tuple(plain["fallback_notes"]),
            release=plain.get("release"),
            release_in=plain.get("release_in", ""),
        )
