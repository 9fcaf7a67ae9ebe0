"""Hypothesis settings and strategies for the judge.

Grades must be reproducible, so the judge runs hypothesis under the profile
:data:`PROFILE`: derandomized, no example database, no deadline, a fixed number of
examples, and no shrinking (hidden inputs are never shown, and every shrinking step costs
calls to the sandboxed child). Nothing happens at import: call :func:`load_profile` where
the judge starts. Loading it explicitly also beats the ``ci`` profile that hypothesis
activates by itself when ``CI`` is set.

Generated floats are finite and moderate (no nan, inf or subnormals); the large and tiny
values that must always be tried are pinned with ``@example`` from :data:`EDGE_VALUES`
and :func:`edge_arrays`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.extra import numpy as hnp

from grader.judge.validation import CheckDefinitionError, checked_bound, checked_count

__all__ = [
    "EDGE_VALUES",
    "PROFILE",
    "edge_arrays",
    "float_arrays",
    "floats",
    "load_profile",
    "profile",
    "profile_settings",
    "register_profile",
]

PROFILE = "grader"

EDGE_VALUES: tuple[float, ...] = (0.0, 1.0, -1.0, 1000.0, -1000.0, 1e-8, -1e-8)

_MAX_DIMS = 32  # numpy's limit


def profile_settings() -> dict[str, Any]:
    """The settings of the ``grader`` profile, as keyword arguments of ``hypothesis.settings``."""
    return {
        "derandomize": True,
        "database": None,
        "deadline": None,
        "print_blob": False,
        "report_multiple_bugs": False,
        "max_examples": 50,
        "suppress_health_check": [
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
            HealthCheck.filter_too_much,
        ],
        "phases": (Phase.explicit, Phase.generate),
    }


def _matches(existing: settings, wanted: dict[str, Any]) -> bool:
    return all(
        (set(getattr(existing, key)) == set(value)) if key == "suppress_health_check"
        else tuple(getattr(existing, key)) == tuple(value) if key == "phases"
        else getattr(existing, key) == value
        for key, value in wanted.items()
    )


def register_profile() -> None:
    """Register the ``grader`` profile; again is harmless (nothing changes if it is there).

    Its parent is hypothesis's built-in ``default`` profile, not whatever is active, so
    that settings it does not name (verbosity, backend) do not come from ``ci``.
    """
    wanted = profile_settings()
    try:
        existing = settings.get_profile(PROFILE)
    except InvalidArgument:
        existing = None
    if existing is not None and _matches(existing, wanted):
        return
    settings.register_profile(PROFILE, settings.get_profile("default"), **wanted)


def profile() -> settings:
    """The ``grader`` profile's settings (registered if needed), without loading it."""
    register_profile()
    return settings.get_profile(PROFILE)


def load_profile() -> settings:
    """Register and activate the ``grader`` profile; return the settings now in effect."""
    register_profile()
    settings.load_profile(PROFILE)
    return settings.default


# ---------------------------------------------------------------------------------------------
# Strategies


_bound = checked_bound
_count = checked_count


def floats(*, lo: float = -50.0, hi: float = 50.0) -> st.SearchStrategy[float]:
    """Finite float64 numbers in ``[lo, hi]``: no nan, no inf, no subnormals."""
    lo, hi = _bound("lo", lo), _bound("hi", hi)
    if lo > hi:
        raise CheckDefinitionError(f"lo must be at most hi, got lo={lo!r} and hi={hi!r}")
    return st.floats(
        min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False, allow_subnormal=False
    )


def float_arrays(
    *,
    min_dims: int = 0,
    max_dims: int = 2,
    min_side: int = 1,
    max_side: int = 5,
    lo: float = -50.0,
    hi: float = 50.0,
) -> st.SearchStrategy[np.ndarray]:
    """float64 arrays of ``min_dims`` to ``max_dims`` dimensions, each of ``min_side`` to
    ``max_side`` entries, with elements from :func:`floats` (``lo``, ``hi``)."""
    min_dims = _count("min_dims", min_dims, low=0, high=_MAX_DIMS)
    max_dims = _count("max_dims", max_dims, low=0, high=_MAX_DIMS)
    if min_dims > max_dims:
        raise CheckDefinitionError(f"min_dims must be at most max_dims, got {min_dims} and {max_dims}")
    min_side = _count("min_side", min_side, low=0)
    max_side = _count("max_side", max_side, low=0)
    if min_side > max_side:
        raise CheckDefinitionError(f"min_side must be at most max_side, got {min_side} and {max_side}")
    elements = floats(lo=lo, hi=hi)
    shapes = hnp.array_shapes(
        min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side
    )
    return hnp.arrays(np.float64, shapes, elements=elements)


def edge_arrays() -> tuple[np.ndarray, ...]:
    """Fixed arrays with the :data:`EDGE_VALUES`, for ``@example``: 1-D, 2-D and 0-d.

    A function (not a constant) so that every caller gets arrays of its own to keep.
    """
    return (
        np.array([0.0, 1.0, -1.0, 1000.0, -1000.0]),
        np.array([[0.0, 1.0, -1.0, 1e-8], [1000.0, -1000.0, -1e-8, 0.0]]),
        np.array(0.0),
    )
