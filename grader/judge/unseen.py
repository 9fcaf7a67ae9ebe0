"""Public points only for functions that compute: the answers of the public checks are public.

A submission can hold a table of the public checks' inputs and expected values (students read
``public_checks.py``) and return zeros for anything else: it would pass every public check
without doing any work. When a submission is graded (public and hidden checks), a public
check's points are therefore paid only when every function of the student's that it called
also gives a right value on some input it has not seen: a call made by a hidden check, whose
right value (the reference solution's, computed in the judge) is the student's value within
``rtol=1e-6, atol=1e-9``, and is not a value that takes no work (zeros, one number repeated,
the input given back). One right call is enough, so a bug that only some hidden inputs show
costs the hidden checks that show it, not the public points as well.

Only calls of the student's module-level functions whose arguments are numbers (arrays, lists,
numbers) and that the reference module also defines are weighed; a function with no such
hidden call keeps its public points as ``grader check`` gives them. ``grader check`` (public
checks alone) is unchanged: it cannot know, and it grades nothing.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from grader.i18n import _
from grader.results import CheckResult

__all__ = ["HiddenCall", "pay_public_for_real_work", "works_on_unseen_inputs"]

MAX_CALLS_PER_FUNCTION = 40  # the hidden calls kept per function, as evidence
MAX_KEPT_BYTES = 1 << 16  # arrays larger than this: their right value is computed anew for each submission

HiddenCall = tuple[str, list, dict, Any]  # function, arguments and keywords as sent, the value (None: raised)


def _numbers(value: Any) -> np.ndarray | None:
    """``value`` as one flat float64 array (a tuple of results concatenated), None if it is not numbers."""
    if isinstance(value, (tuple, list)) and value and not _is_flat(value):
        parts = [_numbers(v) for v in value]
        if any(p is None for p in parts):
            return None
        return np.concatenate([p for p in parts if p is not None])
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return array.ravel() if array.dtype.kind == "f" else None


def _is_flat(value: Any) -> bool:
    """Whether a list holds numbers and lists of the same shape only (numpy reads it as an array)."""
    try:
        np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    return True


def _plain(value: Any) -> bool:
    """Numbers, arrays of numbers or nested lists of them (and names such as ``"sigmoid"``): what the
    reference can be given."""
    if isinstance(value, (bool, int, float, str, np.number, np.bool_)):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "biuf"
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return False


def _takes_work(want: np.ndarray, args: list) -> bool:
    """A right value that zeros, one repeated number or the input given back would not match."""
    if want.size == 0 or not np.all(np.isfinite(want)) or _close(np.zeros_like(want), want):
        return False
    if want.size > 1 and _close(np.full_like(want, want[0]), want):
        return False
    for arg in args:
        given = _numbers(arg)
        if given is not None and given.shape == want.shape and _close(given, want):
            return False
    return True


def _close(got: np.ndarray, want: np.ndarray) -> bool:
    return bool(np.allclose(got, want, rtol=1e-6, atol=1e-9))


def works_on_unseen_inputs(calls: Iterable[HiddenCall], reference: Any) -> dict[str, bool]:
    """For each function with weighable hidden calls: whether one of them is right and takes work.

    Parameters: ``calls``, the hidden checks' calls (:data:`HiddenCall`); ``reference``, the
    reference module, whose function of the same name computes the right value. Returns a
    dict from function name to True (some call right) or False (none). Functions the reference
    lacks, and calls it refuses or whose right value takes no work, are left out. Raises nothing.

    The right values are the judge's own computation on the arguments the judge sent, the same
    for every submission: they are computed once per process (:func:`_kept_right_value`).
    """
    found: dict[str, bool] = {}
    for function, args, kwargs, value in calls:
        if found.get(function):
            continue
        right = getattr(reference, function, None)
        if not callable(right) or not all(_plain(a) for a in [*args, *kwargs.values()]):
            continue
        key = _key((args, kwargs)) if isinstance(right, types.FunctionType) else None
        want = _right_value(right, args, kwargs) if key is None else _kept_right_value(right, key)
        if want is None:
            continue
        got = None if value is None else _numbers(value)
        found[function] = got is not None and got.shape == want.shape and _close(got, want)
    return found


def _right_value(right: Callable, args: list, kwargs: dict) -> np.ndarray | None:
    """What ``right(*args, **kwargs)`` returns, as flat numbers, when a right answer takes work
    to give; None when it refuses them, or zeros or the input given back would match."""
    try:
        with np.errstate(all="ignore"):
            want = _numbers(right(*args, **kwargs))
    except Exception:  # noqa: BLE001 - an input the reference refuses says nothing
        return None
    if want is None or not _takes_work(want, args):
        return None
    return want


@functools.lru_cache(maxsize=4096)
def _kept_right_value(right: Callable, key: tuple) -> np.ndarray | None:
    """:func:`_right_value` of the call ``key`` stands for (made anew from it), kept read-only."""
    args, kwargs = _made_from(key)
    want = _right_value(right, args, kwargs)
    if want is not None:
        want.setflags(write=False)
    return want


def _key(value: Any) -> tuple | None:
    """A hashable key equal exactly for equal arguments (type, dtype, shape and bytes), from
    which :func:`_made_from` makes them again; None for anything else (not kept)."""
    kind = type(value)
    if kind is np.ndarray:
        if value.dtype.kind not in "biuf" or value.nbytes > MAX_KEPT_BYTES:
            return None
        return (kind, (value.dtype.str, value.shape, value.tobytes()))
    if kind is float:
        return (kind, repr(value))
    if kind is str or kind is int or kind is bool or value is None:
        return (kind, value)
    if kind is list or kind is tuple:
        items = [_key(item) for item in value]
        return None if any(item is None for item in items) else (kind, tuple(items))
    if kind is dict:
        pairs = [(name, _key(item)) for name, item in value.items()]
        return None if any(type(name) is not str or item is None for name, item in pairs) else (kind, tuple(pairs))
    return None


def _made_from(key: tuple) -> Any:
    kind, data = key
    if kind is np.ndarray:
        dtype, shape, raw = data
        return np.frombuffer(raw, dtype=np.dtype(dtype)).reshape(shape).copy()
    if kind is float:
        return float(data)
    if kind is list or kind is tuple:
        return kind(_made_from(item) for item in data)
    if kind is dict:
        return {name: _made_from(item) for name, item in data}
    return data


def pay_public_for_real_work(
    results: list[CheckResult], called: Mapping[str, Iterable[str]], works: Mapping[str, bool]
) -> list[CheckResult]:
    """The results, with the points of public checks taken back where they paid for a table.

    Parameters: ``results``, every check's result; ``called``, for each check id, the
    student's functions it called; ``works``, :func:`works_on_unseen_inputs`'s answer. A public
    check that earned points and called a function that ``works`` says False gets 0 points and
    the status "failed", with feedback naming the functions. Returns a new list; raises nothing.
    """
    out = []
    for result in results:
        idle = sorted(f for f in called.get(result.id, ()) if works.get(f) is False)
        if result.visibility == "public" and result.points > 0 and idle:
            result = replace(result, points=0.0, status="failed", feedback=_(
                "right on these public inputs, but {functions} gave no right value on any input of the hidden "
                "checks: a public check pays for a function that computes its values, not one that knows the "
                "public answers"
            ).format(functions=", ".join(idle)))
        out.append(result)
    return out


def evidence_recorder(limit: int = MAX_CALLS_PER_FUNCTION) -> tuple[list[HiddenCall], Callable[[HiddenCall], None]]:
    """A list of hidden calls and the function that adds one (at most ``limit`` per function)."""
    calls: list[HiddenCall] = []
    counts: dict[str, int] = {}

    def add(call: HiddenCall) -> None:
        if counts.get(call[0], 0) < limit:
            counts[call[0]] = counts.get(call[0], 0) + 1
            calls.append(call)

    return calls, add
