"""How the commands name things in what they print: a count with its noun, a path from the
current folder."""

from __future__ import annotations

from pathlib import Path


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
