"""Which suite, public or hidden, the check now running comes from.

The pytest plugin sets it around each check (:func:`running_suite`); the comparisons read it
(:func:`current_suite`) so that their ``public=`` follows the suite by default and a hidden
suite cannot show expected values by mistake. Outside a check (a unit test calling a
comparison directly) it is None.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Literal

__all__ = ["current_suite", "running_suite"]

Suite = Literal["public", "hidden"]

_SUITE: ContextVar[Suite | None] = ContextVar("grader_suite", default=None)


def current_suite() -> Suite | None:
    """``"public"`` or ``"hidden"`` while a check of that suite runs, else None."""
    return _SUITE.get()


@contextmanager
def running_suite(suite: Suite) -> Iterator[None]:
    """Within the block, checks run as part of ``suite`` (``"public"`` or ``"hidden"``)."""
    if suite not in ("public", "hidden"):
        raise ValueError(f"suite must be 'public' or 'hidden', got {suite!r}")
    token = _SUITE.set(suite)
    try:
        yield
    finally:
        _SUITE.reset(token)
