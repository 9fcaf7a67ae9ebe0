"""``grader grade --shard K/N``: one of N stable parts of a class, for a matrix of CI jobs.

A submission belongs to shard ``1 + sha256(name) mod N``, where ``name`` is the last part of its
path as given (``nn-course-alice``, ``bob.ipynb``): the split depends on nothing but the names
and N, so that a re-run of a shard grades the same submissions, on any machine and from any
folder, and every submission is in exactly one shard.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from pathlib import Path

from grader.errors import GraderError

__all__ = ["Shard", "parse_shard", "shard_of", "select"]

_SHARD = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")

Shard = tuple[int, int]  # (K, N), 1 <= K <= N


def parse_shard(text: str) -> Shard:
    """``"2/4"`` -> ``(2, 4)``. Raises :class:`~grader.errors.GraderError` unless 1 <= K <= N."""
    match = _SHARD.fullmatch(text)
    if not match:
        raise GraderError(f"--shard takes K/N (e.g. 2/4), got {text!r}")
    k, n = int(match.group(1)), int(match.group(2))
    if not 1 <= k <= n:
        raise GraderError(f"--shard {text}: K must be between 1 and N")
    return k, n


def shard_of(path: str | Path, count: int) -> int:
    """The shard (1 to ``count``) of the submission at ``path``, from its name alone."""
    name = os.path.basename(os.path.normpath(str(path)))
    digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).digest()
    return 1 + int.from_bytes(digest[:8], "big") % count


def select(paths: Sequence[Path], shard: Shard) -> list[Path]:
    """The submissions of ``paths`` in ``shard``, in their order."""
    k, n = shard
    return [p for p in paths if shard_of(p, n) == k]
