"""The one place that tells a check's author what they got wrong.

A check fails for two different reasons. The student's mistake ends it with
:class:`~grader.judge.checks.CheckFailure`, whose message is feedback. The author's mistake
(a shape that is not a tuple, a negative tolerance, ``public=True`` in a hidden suite) raises
:class:`CheckDefinitionError` from this module, as early as possible (at import for
decorators and strategies, before any call to the child for comparisons), and the grader
reports the check as its own error, never as the student's.

Every function here returns its argument in canonical form or raises
:class:`CheckDefinitionError` naming the argument.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from grader.judge.visibility import current_suite

__all__ = [
    "CheckDefinitionError",
    "checked_batch_size",
    "checked_bound",
    "checked_callable",
    "checked_coordinates",
    "checked_count",
    "checked_examples",
    "checked_fraction",
    "checked_inputs",
    "checked_kinks",
    "checked_number",
    "checked_points",
    "checked_public",
    "checked_real_array",
    "checked_seed",
    "checked_shape",
    "checked_test_name",
    "checked_text",
    "checked_timeout",
    "checked_tolerance",
]


class CheckDefinitionError(ValueError):
    """A check is written wrongly: the author's mistake, never the student's.

    A subclass of ValueError, since every case is an argument with a wrong value or type.
    The grader reports a check that raised it as its own error (no points, no blame on the
    student) and prints the traceback for the instructor.

    >>> checked_shape([3, 4])
    Traceback (most recent call last):
    ...
    grader.judge.validation.CheckDefinitionError: shape must be a tuple of non-negative ints, got [3, 4]
    """


def _whole(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _real(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def checked_text(value: Any, argument: str = "what") -> str:
    """``value`` if it is a non-empty str (a name, a call such as ``"sigmoid(z)"``)."""
    if not isinstance(value, str) or not value:
        raise CheckDefinitionError(f"{argument} must be a non-empty str, got {value!r}")
    return value


def checked_shape(shape: Any) -> tuple[int, ...]:
    """``shape`` as a tuple of non-negative ints (``()`` for a single number)."""
    if type(shape) is tuple and all(type(n) is int and n >= 0 for n in shape):  # what numpy gives: as it is
        return shape
    if not isinstance(shape, tuple) or not all(_whole(n) and n >= 0 for n in shape):
        raise CheckDefinitionError(f"shape must be a tuple of non-negative ints, got {shape!r}")
    return tuple(int(n) for n in shape)


def checked_tolerance(name: str, value: Any) -> float:
    """A tolerance (``rtol``, ``atol``): a finite number >= 0, as a float."""
    if not _real(value) or not 0 <= value < math.inf:
        raise CheckDefinitionError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


def checked_public(public: Any) -> bool:
    """Whether a message may show inputs and expected values.

    None (the default of every comparison) follows the suite of the running check: True in
    the public suite, False in the hidden one, and False outside any suite. ``public=True``
    in a hidden suite is refused: it would show hidden inputs and expected values.
    """
    suite = current_suite()
    if public is None:
        return suite == "public"
    if not isinstance(public, bool):
        raise CheckDefinitionError(f"public must be True, False or None (the suite's), got {public!r}")
    if public and suite == "hidden":
        raise CheckDefinitionError(
            "public=True in a hidden suite would show the student hidden inputs and expected values: "
            "leave public= out (it follows the suite)"
        )
    return public


def checked_inputs(inputs: Any) -> Mapping[str, Any] | None:
    """``inputs``: None, or a mapping from argument names (str) to the values sent."""
    if inputs is not None and (
        not isinstance(inputs, Mapping) or not all(isinstance(k, str) for k in inputs)
    ):
        raise CheckDefinitionError(f"inputs must map argument names (str) to values, got {inputs!r}")
    return inputs


def checked_batch_size(n: Any) -> int | None:
    """``n``: None, or a positive int (the batch size a hint may name as "1/n")."""
    if n is not None and (not _whole(n) or n < 1):
        raise CheckDefinitionError(f"n must be a positive int (the batch size), got {n!r}")
    return None if n is None else int(n)


def checked_seed(seed: Any) -> int:
    """A seed: a non-negative int."""
    if not _whole(seed) or seed < 0:
        raise CheckDefinitionError(f"seed must be a non-negative int, got {seed!r}")
    return int(seed)


def checked_callable(f: Any, argument: str = "f") -> Callable:
    """``f`` if it can be called."""
    if not callable(f):
        raise CheckDefinitionError(f"{argument} must be callable, got {type(f).__name__}")
    return f


def checked_real_array(x: Any, name: str, *, finite: bool = True) -> np.ndarray:
    """``x`` as a float64 array of real numbers (finite ones unless ``finite=False``)."""
    array = np.asarray(x)
    if array.dtype.kind not in "biuf":
        raise CheckDefinitionError(f"{name} must be an array of real numbers, got dtype {array.dtype}")
    array = array.astype(np.float64)
    if finite and not np.all(np.isfinite(array)):
        raise CheckDefinitionError(f"{name} must be finite, got nan or inf")
    return array


def checked_number(name: str, value: Any) -> float:
    """A real number (not a bool), as a float."""
    if not _real(value):
        raise CheckDefinitionError(f"{name} must be a number, got {value!r}")
    return float(value)


def checked_kinks(kinks: Any) -> tuple[float, ...]:
    """Points where a derivative is not defined: finite numbers."""
    kinks = tuple(kinks)
    if not all(_real(k) and math.isfinite(k) for k in kinks):
        raise CheckDefinitionError(f"kinks must be finite numbers, got {kinks!r}")
    return tuple(float(k) for k in kinks)


def checked_coordinates(coords: Any, shape: tuple[int, ...]) -> list[tuple[int, ...]]:
    """Index tuples that all lie within ``shape``."""
    result = []
    for index in coords:
        if (
            not isinstance(index, tuple)
            or len(index) != len(shape)
            or not all(_whole(i) and 0 <= i < n for i, n in zip(index, shape))
        ):
            raise CheckDefinitionError(f"coords must be index tuples within shape {shape}, got {index!r}")
        result.append(tuple(int(i) for i in index))
    return result


def checked_bound(name: str, value: Any) -> float:
    """A bound of generated floats: finite, not subnormal."""
    if not _real(value) or not math.isfinite(value):
        raise CheckDefinitionError(f"{name} must be a finite number, got {value!r}")
    value = float(value)
    if value != 0 and abs(value) < np.finfo(np.float64).tiny:
        raise CheckDefinitionError(f"{name} must not be subnormal, got {value!r}")
    return value


def checked_count(name: str, value: Any, *, low: int, high: int | None = None) -> int:
    """An int from ``low`` to ``high`` (no upper limit if None)."""
    too_high = high is not None and _whole(value) and value > high
    if not _whole(value) or value < low or too_high:
        limits = f"from {low} to {high}" if high is not None else f">= {low}"
        raise CheckDefinitionError(f"{name} must be an int {limits}, got {value!r}")
    return int(value)


def checked_points(points: Any) -> float:
    """A check's points: a positive number."""
    if not _real(points) or points <= 0:
        raise CheckDefinitionError(f"points must be a positive number, got {points!r}")
    return float(points)


def checked_timeout(timeout: Any) -> float | None:
    """A per-call time limit in seconds: None (the default limit) or a positive number."""
    if timeout is not None and (not _real(timeout) or timeout <= 0):
        raise CheckDefinitionError(f"timeout must be a positive number of seconds, got {timeout!r}")
    return None if timeout is None else float(timeout)


def checked_fraction(fraction: Any) -> float:
    """A fraction of a check's points, in [0, 1]."""
    if not _real(fraction) or not 0.0 <= fraction <= 1.0:
        raise CheckDefinitionError(f"fraction must lie in [0, 1], got {fraction!r}")
    return float(fraction)


def checked_test_name(name: str) -> str:
    """A check function's name: ``test_<id>``, as pytest collects it."""
    if not name.startswith("test_") or name == "test_":
        raise CheckDefinitionError(f"check {name} must be named test_<something>")
    return name


def checked_examples(examples: Sequence[Any], names: Sequence[str]) -> list[dict]:
    """Explicit examples of a property check: dicts giving exactly the strategies' ``names``."""
    if not names:
        raise CheckDefinitionError("for_examples needs at least one strategy, e.g. z=float_arrays()")
    result = []
    for example in examples:
        if not isinstance(example, Mapping) or set(example) != set(names):
            shown = sorted(example) if isinstance(example, Mapping) else repr(example)
            raise CheckDefinitionError(f"example {shown} must give exactly {sorted(names)}")
        result.append(dict(example))
    return result
