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

import functools
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
    _without_local_constants()
    wanted = profile_settings()
    try:
        existing = settings.get_profile(PROFILE)
    except InvalidArgument:
        existing = None
    if existing is not None and _matches(existing, wanted):
        return
    settings.register_profile(PROFILE, settings.get_profile("default"), **wanted)


def _without_local_constants() -> None:
    """Keep the literals of the grader's own source out of hypothesis's draws.

    hypothesis (from 6.131) mixes literals found in the source of "local" modules (outside
    site-packages: the grader itself when installed editable or copied, the hidden suites)
    into its draws, and caches them in ``.hypothesis/constants/`` under the current folder:
    the draws would depend on how the grader was installed, and hidden literals would land in
    the instructor's folder. There is no setting for it (HypothesisWorks/hypothesis#4627), so
    its collector is replaced by one that finds nothing; versions without it need nothing.
    """
    try:
        from hypothesis.internal.conjecture import providers
    except ImportError:  # pragma: no cover - a hypothesis without that module
        return
    collect = getattr(providers, "_get_local_constants", None)
    if collect is None or getattr(collect, "finds_nothing", False):
        return
    empty = type(providers._local_constants)()

    def finds_nothing() -> Any:
        return empty

    finds_nothing.finds_nothing = True  # type: ignore[attr-defined]
    providers._get_local_constants = finds_nothing
    cache = getattr(providers, "CONSTANTS_CACHE", None)
    if cache is not None and hasattr(cache, "cache"):
        cache.cache.clear()


def profile() -> settings:
    """The ``grader`` profile's settings (registered if needed), without loading it."""
    register_profile()
    found = settings.get_profile(PROFILE)
    assert found is not None  # registered just above
    return found


def load_profile() -> settings:
    """Register and activate the ``grader`` profile; return the settings now in effect."""
    register_profile()
    settings.load_profile(PROFILE)
    loaded = settings.default
    assert loaded is not None  # loaded just above
    return loaded


# ---------------------------------------------------------------------------------------------
# Strategies


def floats(*, lo: float = -50.0, hi: float = 50.0) -> st.SearchStrategy[float]:
    """A strategy for finite float64 numbers in ``[lo, hi]``: no nan, no inf, no subnormals.

    Parameters: ``lo`` and ``hi``, finite, not subnormal, ``lo <= hi`` (default -50 to 50).
    Returns a hypothesis strategy of Python floats, for :func:`~grader.judge.property_checks.for_examples`.
    Raises :class:`~grader.judge.validation.CheckDefinitionError` at once for bad bounds.

    >>> @for_examples(eps=floats(lo=0.01, hi=0.5))  # doctest: +SKIP
    ... def test_leaky_relu_matches_reference(student, eps): ...
    """
    lo, hi = checked_bound("lo", lo), checked_bound("hi", hi)
    if lo > hi:
        raise CheckDefinitionError(f"lo must be at most hi, got lo={lo!r} and hi={hi!r}")
    # The signs tell -0.0 from 0.0, which are equal keys but not the same bound.
    return _floats(lo, hi, math.copysign(1.0, lo), math.copysign(1.0, hi))


@functools.lru_cache(maxsize=256)
def _floats(lo: float, hi: float, lo_sign: float, hi_sign: float) -> st.SearchStrategy[float]:
    # One strategy object for the same bounds, so that checks asking for the same inputs
    # share one set of draws (see grader.judge.property_checks.draw_examples).
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
    """A strategy for float64 arrays of random shape with elements from :func:`floats`.

    Parameters: ``min_dims`` to ``max_dims`` dimensions (0 to 32; default 0 to 2, so 0-d
    arrays too); ``min_side`` to ``max_side`` entries along each axis (default 1 to 5);
    ``lo``, ``hi``, the elements' bounds as in :func:`floats`. Returns a hypothesis strategy
    of numpy arrays. Raises :class:`~grader.judge.validation.CheckDefinitionError` at once for
    counts that are not ints in range or a minimum above its maximum.

    >>> @for_examples(z=float_arrays(min_dims=1, lo=-800.0, hi=800.0))  # doctest: +SKIP
    ... def test_sigmoid_matches_reference(student, z): ...
    """
    min_dims = checked_count("min_dims", min_dims, low=0, high=_MAX_DIMS)
    max_dims = checked_count("max_dims", max_dims, low=0, high=_MAX_DIMS)
    if min_dims > max_dims:
        raise CheckDefinitionError(f"min_dims must be at most max_dims, got {min_dims} and {max_dims}")
    min_side = checked_count("min_side", min_side, low=0)
    max_side = checked_count("max_side", max_side, low=0)
    if min_side > max_side:
        raise CheckDefinitionError(f"min_side must be at most max_side, got {min_side} and {max_side}")
    elements = floats(lo=lo, hi=hi)
    return _float_arrays(min_dims, max_dims, min_side, max_side, elements)


@functools.lru_cache(maxsize=256)
def _float_arrays(
    min_dims: int, max_dims: int, min_side: int, max_side: int, elements: st.SearchStrategy[float]
) -> st.SearchStrategy[np.ndarray]:
    # One strategy object for the same arguments, as _floats.
    shapes = hnp.array_shapes(
        min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side
    )
    return hnp.arrays(np.float64, shapes, elements=elements)


def edge_arrays() -> tuple[np.ndarray, ...]:
    """Fixed arrays holding the :data:`EDGE_VALUES` (0, +-1, +-1000, +-1e-8): 1-D, 2-D and 0-d.

    Returns a tuple of three new float64 arrays (a function, not a constant, so that every
    caller gets arrays of its own to keep), for the ``examples=`` of
    :func:`~grader.judge.property_checks.for_examples`. Raises nothing.

    >>> [a.shape for a in edge_arrays()]
    [(5,), (2, 4), ()]
    """
    return (
        np.array([0.0, 1.0, -1.0, 1000.0, -1000.0]),
        np.array([[0.0, 1.0, -1.0, 1e-8], [1000.0, -1000.0, -1e-8, 0.0]]),
        np.array(0.0),
    )
