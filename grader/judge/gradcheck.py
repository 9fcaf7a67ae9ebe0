"""Numerical gradient checking: float64 central differences against a student's gradient.

The step for coordinate i is ``h_i = 1e-5 * max(1, |x_i|)`` and the derivative
``(f(x + h_i e_i) - f(x - h_i e_i)) / (2 h_i)``. A coordinate passes when

    |a - n| <= 1e-7 * max(1, |L|) + 1e-4 * max(|a|, |n|)

with a the student's (analytic) value, n the numerical one and L the function's value
(at that coordinate, for an elementwise function). Arrays of at most 100 entries are
checked at every coordinate; larger ones at 20 seeded coordinates plus one seeded random
direction. Coordinates within two steps of a kink (ReLU's 0) are skipped.

Every call of ``f`` may go to the sandboxed child, so calls are counted carefully: an
elementwise derivative costs 2 calls, a scalar gradient 2 per checked coordinate (plus 2
for the direction).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from grader.i18n import _
from grader.judge.checks import CheckFailure
from grader.judge.compare import (
    as_array,
    as_scalar,
    format_array,
    format_index,
    format_inputs,
    format_pair,
    overflow_hint,
    ratio_hint,
    shape_mismatch,
)
from grader.judge.validation import (
    CheckDefinitionError,
    checked_batch_size,
    checked_callable,
    checked_coordinates,
    checked_inputs,
    checked_kinks,
    checked_number,
    checked_public,
    checked_real_array,
    checked_seed,
    checked_shape,
    checked_text,
)

__all__ = [
    "check_gradient",
    "compare_gradient",
    "directional_derivative",
    "elementwise_derivative",
    "finite_difference_hint",
    "numerical_gradient",
    "random_direction",
    "select_coordinates",
    "steps",
    "within_tolerance",
]

STEP = 1e-5
ABS_TOL = 1e-7
REL_TOL = 1e-4
CHECK_ALL_UP_TO = 100  # arrays with at most this many entries are checked at every coordinate
SAMPLED = 20  # coordinates checked one by one in larger arrays


# ---------------------------------------------------------------------------------------------
# Numerical derivatives


def steps(x: Any) -> np.ndarray:
    """The step of each coordinate: ``1e-5 * max(1, |x_i|)``."""
    return STEP * np.maximum(1.0, np.abs(np.asarray(x, dtype=np.float64)))


def within_tolerance(analytic: Any, numerical: Any, *, value_scale: Any) -> np.ndarray:
    """Where ``|a - n| <= 1e-7 * max(1, |L|) + 1e-4 * max(|a|, |n|)`` (L = ``value_scale``).

    A non-finite L counts as 1; a nan on either side never passes.
    """
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numerical, dtype=np.float64)
    scale = np.asarray(value_scale, dtype=np.float64)
    scale = np.where(np.isfinite(scale), np.abs(scale), 1.0)
    bound = ABS_TOL * np.maximum(1.0, scale) + REL_TOL * np.maximum(np.abs(a), np.abs(n))
    return np.abs(a - n) <= bound


def elementwise_derivative(
    f: Callable[[np.ndarray], Any],
    z: Any,
    *,
    kinks: Sequence[float] = (),
    what: str | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The numerical derivative of an elementwise ``f`` at every entry of ``z``, in 2 calls.

    Parameters: ``f``, an elementwise function (usually ``student.sigmoid``: each call goes to
    the child), called once at ``z + h`` and once at ``z - h`` with h from :func:`steps`;
    ``z``, finite real numbers of any shape; ``kinks``, points where f has no derivative
    (ReLU's 0); ``what``, the call in a failure (default ``"<f's name>(z)"``).

    Returns ``(numerical, skipped)``, two arrays of the shape of ``z``: the central
    differences, and where they are meaningless (within ``2 h`` of a kink); pass both on to
    :func:`compare_gradient`. Raises :class:`CheckFailure` when a result of ``f`` is not
    numbers of the shape of ``z``, and :class:`~grader.judge.validation.CheckDefinitionError`
    for a non-callable ``f``, a ``z`` that is not finite real numbers, or kinks that are not
    finite numbers.

    >>> numerical, skipped = elementwise_derivative(np.tanh, np.array([0.0, 1.0]))
    >>> np.round(numerical, 6), skipped
    (array([1.      , 0.419974]), array([False, False]))
    """
    checked_callable(f)
    z = checked_real_array(z, "z")
    kinks = checked_kinks(kinks)
    what = checked_text(what, "what") if what is not None else f"{getattr(f, '__name__', 'f')}(z)"
    h = steps(z)
    up = as_array(f(np.asarray(z + h)), what=what, shape=z.shape)
    down = as_array(f(np.asarray(z - h)), what=what, shape=z.shape)
    numerical = (up - down) / (2 * h)
    skipped = np.zeros(z.shape, dtype=bool)
    for kink in kinks:
        skipped |= np.abs(z - kink) <= 2 * h
    return numerical, skipped


def _central_differences(
    f: Callable[[np.ndarray], Any], x: np.ndarray, coords: Sequence[tuple[int, ...]], what: str
) -> tuple[np.ndarray, float]:
    """Partial derivatives at ``coords`` (nan elsewhere), and the value of f near x."""
    gradient = np.full(x.shape, np.nan)
    value = math.nan
    for index in coords:
        h = STEP * max(1.0, abs(float(x[index])))
        up, down = x.copy(), x.copy()
        up[index] += h
        down[index] -= h
        above = as_scalar(f(up), what=what)
        below = as_scalar(f(down), what=what)
        gradient[index] = (above - below) / (2 * h)
        if math.isnan(value):
            value = (above + below) / 2  # f(x) up to O(h^2), without another call
    return gradient, value


def numerical_gradient(
    f: Callable[[np.ndarray], Any],
    x: Any,
    *,
    coords: Sequence[tuple[int, ...]] | None = None,
    what: str = "the loss",
) -> np.ndarray:
    """The gradient of a scalar ``f`` at ``x`` by central differences, 2 calls per coordinate.

    Parameters: ``f``, a function of an array shaped like ``x`` that returns one number (read
    with :func:`as_scalar`; usually the student's loss with the other arguments fixed);
    ``x``, finite real numbers of any shape; ``coords``, the index tuples to differentiate at
    (default: all); ``what``, names f's result in a failure.

    Returns a float64 array of the shape of ``x``: the partial derivatives at ``coords``, nan
    elsewhere (mark those ``skipped`` in :func:`compare_gradient`). Raises
    :class:`CheckFailure` when ``f`` does not return one number, and
    :class:`~grader.judge.validation.CheckDefinitionError` for a non-callable ``f``, an ``x``
    that is not finite real numbers, or coordinates outside its shape.

    >>> numerical_gradient(lambda w: float(np.sum(w ** 2)), np.array([1.0, -2.0])).round(6)
    array([ 2., -4.])
    """
    checked_callable(f)
    x = checked_real_array(x, "x")
    what = checked_text(what, "what")
    coords = list(np.ndindex(x.shape)) if coords is None else checked_coordinates(coords, x.shape)
    return _central_differences(f, x, coords, what)[0]


def select_coordinates(shape: tuple[int, ...], *, seed: int) -> list[tuple[int, ...]]:
    """Every index of ``shape`` (row-major) if it has at most 100 entries, else 20 distinct
    seeded ones, sorted."""
    shape, seed = checked_shape(shape), checked_seed(seed)
    size = math.prod(shape)
    if size <= CHECK_ALL_UP_TO:
        return [tuple(int(i) for i in index) for index in np.ndindex(shape)]
    chosen = np.sort(np.random.default_rng(seed).choice(size, size=SAMPLED, replace=False))
    return [tuple(int(i) for i in np.unravel_index(flat, shape)) for flat in chosen]


def random_direction(shape: tuple[int, ...], *, seed: int) -> np.ndarray:
    """A seeded random direction of unit (Frobenius) norm."""
    shape, seed = checked_shape(shape), checked_seed(seed)
    if math.prod(shape) == 0:
        raise CheckDefinitionError(f"an array of shape {shape} has no direction")
    direction = np.random.default_rng((seed, 1)).standard_normal(shape)
    return direction / np.linalg.norm(direction)


def directional_derivative(
    f: Callable[[np.ndarray], Any], x: Any, direction: Any, *, what: str = "the loss"
) -> float:
    """The derivative of a scalar ``f`` at ``x`` along ``direction``, in 2 calls.

    ``(f(x + h d) - f(x - h d)) / 2h`` with ``h = 1e-5 * max(1, max |x|)``. Parameters:
    ``f`` and ``what`` as in :func:`numerical_gradient`; ``x``, finite real numbers;
    ``direction``, of the shape of ``x`` and unit (Frobenius) norm, e.g. from
    :func:`random_direction`. Returns a float, to compare with ``sum(gradient * d)``.
    Raises :class:`CheckFailure` when ``f`` does not return one number, and
    :class:`~grader.judge.validation.CheckDefinitionError` for a direction of another shape or
    norm.

    >>> round(directional_derivative(lambda w: float(np.sum(w ** 2)), np.array([1.0, 0.0]), np.array([0.6, 0.8])), 6)
    1.2
    """
    checked_callable(f)
    x = checked_real_array(x, "x")
    direction = checked_real_array(direction, "direction")
    if direction.shape != x.shape:
        raise CheckDefinitionError(f"direction must have the shape of x {x.shape}, got {direction.shape}")
    if not math.isclose(float(np.linalg.norm(direction)), 1.0, rel_tol=1e-9):
        raise CheckDefinitionError("direction must have unit norm")
    what = checked_text(what, "what")
    h = STEP * max(1.0, float(np.max(np.abs(x))))
    above = as_scalar(f(x + h * direction), what=what)
    below = as_scalar(f(x - h * direction), what=what)
    return (above - below) / (2 * h)


# ---------------------------------------------------------------------------------------------
# Comparing


def _gradient_shape_message(name: str, got: tuple[int, ...], expected: tuple[int, ...]) -> str:
    message = shape_mismatch(name, got, expected)
    if len(expected) == 2 and got == expected[::-1]:
        message += _(" (e.g. dout.T @ X instead of X.T @ dout: a gradient has its parameter's shape)")
    return message


def _location(
    name: str,
    *,
    at: str | None,
    inputs: Mapping[str, Any] | None,
    public: bool,
    index: tuple[int, ...] | None,
    shape: tuple[int, ...],
) -> str:
    """``sigmoid_grad at z=[-1.0, 0.5][1]`` or ``sigmoid_grad at a hidden ..., entry [1]``."""
    entry = _(", entry {index}").format(index=format_index(index)) if index else ""
    if public and inputs:
        if len(inputs) == 1:
            (argument, value), = inputs.items()
            if np.shape(value) == shape:
                suffix = format_index(index) if index else ""
                return _("{name} at {inputs}").format(name=name, inputs=f"{argument}={format_array(value)}{suffix}")
        return _("{name} at {inputs}").format(name=name, inputs=format_inputs(inputs)) + entry
    return f"{name} {_(at)}{entry}" if at else f"{name}{entry}"


def _hint(yours: Any, numerical: Any, n: int | None, public: bool = True) -> str | None:
    yours, numerical = np.asarray(yours, dtype=np.float64), np.asarray(numerical, dtype=np.float64)
    if not np.all(np.isfinite(numerical)):
        return _("the numerical derivative is nan or inf: your function itself gives nan or inf here")
    return overflow_hint(yours, numerical) or ratio_hint(yours, numerical, n=n, public=public)


def _mistake(yours: np.ndarray, mistakes: Mapping[str, Any] | None, skipped: np.ndarray) -> str | None:
    """The hint of the first known mistake whose gradient ``yours`` is, where it is compared."""
    for hint, value in (mistakes or {}).items():
        value = np.asarray(value, dtype=np.float64)
        if value.shape == yours.shape and np.all(
            skipped | within_tolerance(yours, value, value_scale=1.0)
        ):
            return _(checked_text(hint, "a hint of mistakes"))
    return None


def _check_reporting(name: Any, at: Any, public: Any, inputs: Any, n: Any) -> bool:
    """Validate the reporting arguments; return ``public`` resolved (see :func:`checked_public`)."""
    checked_text(name, "name")
    public = checked_public(public)
    if at is not None:
        checked_text(at, "at")
    elif not public:
        raise CheckDefinitionError("a hidden check needs at=, e.g. 'at a hidden input of shape (3, 4)'")
    checked_inputs(inputs)
    checked_batch_size(n)
    return public


def compare_gradient(
    analytic: Any,
    numerical: Any,
    *,
    name: str,
    at: str | None = None,
    value_scale: Any,
    skipped: Any = None,
    public: bool | None = None,
    inputs: Mapping[str, Any] | None = None,
    n: int | None = None,
    show_numerical: bool = True,
    mistakes: Mapping[str, Any] | None = None,
) -> None:
    """Fail the check unless the student's gradient ``analytic`` agrees with ``numerical``.

    A coordinate passes when ``|a - n| <= 1e-7 * max(1, |L|) + 1e-4 * max(|a|, |n|)``.

    Parameters:

    - ``analytic``: raw student data; it must have the shape of ``numerical`` (a mismatch,
      e.g. a transposed gradient, is reported before any value).
    - ``numerical``: the judge's derivative, e.g. from :func:`elementwise_derivative`.
    - ``name``: the student's gradient in messages (``"sigmoid_grad"``).
    - ``at``: where, in a hidden message: a phrase such as ``"at a hidden input of shape
      (3, 4)"`` (required when the message is hidden).
    - ``value_scale``: L in the tolerance, the function's value (a number, or an array of the
      shape of ``numerical`` for an elementwise function).
    - ``skipped``: a bool array of the shape of ``numerical``; True entries are not compared
      (kinks, coordinates not sampled); a nan anywhere else fails.
    - ``public``: as in :func:`~grader.judge.compare.expect_close` (default: the suite's);
      public messages show ``inputs``, hidden ones ``at`` and never the inputs.
    - ``n``: the batch size, so that a ratio of n reads "a missing 1/n?" (without the number).
    - ``show_numerical``: False when ``numerical`` is the reference's (a hidden expected
      value): the message then gives neither value, only the hint (a hidden message never
      shows the student's own values at a hidden input either).
    - ``mistakes``: as in :func:`~grader.judge.compare.expect_close`, a hint mapped to the
      gradient a known mistake gives (the derivative of the student's own function, say); it
      replaces the other hints when the student's gradient is that one.

    Returns None. Raises :class:`CheckFailure` naming the first failing entry with both
    values, a hint from their ratio, and how many entries fail; and
    :class:`~grader.judge.validation.CheckDefinitionError` for the author's mistakes (a
    hidden message without ``at``, ``public=True`` in a hidden suite, a bad ``skipped``).

    >>> compare_gradient([0.5, 1.0], np.array([0.25, 0.5]), name="g", value_scale=1.0,
    ...                  public=True, inputs={"z": [1.0, 2.0]})
    Traceback (most recent call last):
    ...
    grader.judge.checks.CheckFailure: g at z=[1.0, 2.0][0]: yours 0.5, numerical 0.25 (yours is about 2 times the right value: an extra factor 2?); 2 of 2 checked entries differ
    """  # noqa: E501 - the doctest's message is one line
    public = _check_reporting(name, at, public, inputs, n)
    numerical = np.asarray(numerical, dtype=np.float64)
    skipped = np.zeros(numerical.shape, bool) if skipped is None else np.asarray(skipped)
    if skipped.dtype != bool or skipped.shape != numerical.shape:
        raise CheckDefinitionError(
            f"skipped must be a bool array of shape {numerical.shape}, "
            f"got {skipped.dtype} {skipped.shape}"
        )
    try:
        scale = np.broadcast_to(np.asarray(value_scale, dtype=np.float64), numerical.shape)
    except ValueError:
        raise CheckDefinitionError(
            f"value_scale must be a number or an array of shape {numerical.shape}"
        ) from None

    yours = as_array(analytic, what=name)
    if yours.shape != numerical.shape:
        raise CheckFailure(_gradient_shape_message(name, yours.shape, numerical.shape))

    bad = ~skipped & ~within_tolerance(yours, numerical, value_scale=scale)
    if not bad.any():
        return
    first = tuple(int(i) for i in np.argwhere(bad)[0]) if bad.ndim else ()
    where = _location(name, at=at, inputs=inputs, public=public, index=first if public else None,
                      shape=numerical.shape)
    mine, theirs = format_pair(yours[first], numerical[first])
    hint = _mistake(yours, mistakes, skipped) or _hint(yours[bad], numerical[bad], n, public)
    if show_numerical and public:
        shown = _("yours {mine}, numerical {theirs}").format(mine=mine, theirs=theirs)
    else:
        shown = _("yours is not the derivative")
    message = f"{where}: {shown}" + (f" ({hint})" if hint else "")
    count = int(np.count_nonzero(bad))
    if count > 1 and public:
        checked = int(np.count_nonzero(~skipped))
        message += "; " + _("{count} of {checked} checked entries differ").format(count=count, checked=checked)
    elif count > 1:
        message += "; " + _("{count} entries differ").format(count=count)
    raise CheckFailure(message)


def check_gradient(
    f: Callable[[np.ndarray], Any],
    grad_value: Any,
    x: Any,
    *,
    name: str,
    public: bool | None = None,
    at: str | None = None,
    inputs: Mapping[str, Any] | None = None,
    seed: int = 0,
    n: int | None = None,
    value: float | None = None,
    what: str = "the loss",
    show_numerical: bool = True,
    mistakes: Mapping[str, Any] | None = None,
) -> None:
    """Check the student's gradient ``grad_value`` of a scalar loss ``f`` at ``x``.

    The gradient is compared at :func:`select_coordinates` (all of them up to 100 entries:
    2 calls of ``f`` each) and, for larger arrays, also along :func:`random_direction` (2 more
    calls), which catches wrong entries that were not sampled.

    Parameters: ``f``, maps an array shaped like ``x`` to one number (usually the student's
    loss with the other arguments fixed); ``grad_value``, raw student data, which must have
    the shape of ``x`` (checked before any call of ``f``); ``x``, finite real numbers;
    ``seed``, for the sampled coordinates and direction; ``value``, L in the tolerance (by
    default estimated from the first two calls); ``what``, names f's result in a failure;
    ``name``, ``public``, ``at``, ``inputs``, ``n``, ``show_numerical``, ``mistakes`` as in
    :func:`compare_gradient` (pass ``show_numerical=False`` when ``f`` is the reference's
    loss on a hidden input).

    Returns None. Raises :class:`CheckFailure` when the gradient is wrong or ``f`` does not
    return a number, and :class:`~grader.judge.validation.CheckDefinitionError` for the
    author's mistakes, as :func:`compare_gradient`.

    >>> loss = lambda w: float(np.sum(w ** 2))
    >>> check_gradient(loss, [2.0, -4.0], np.array([1.0, -2.0]), name="grad", public=True)
    >>> check_gradient(loss, [1.0, -2.0], np.array([1.0, -2.0]), name="grad", public=True)
    Traceback (most recent call last):
    ...
    grader.judge.checks.CheckFailure: grad, entry [0]: yours 1.0, numerical 2.0 (yours is about 1/2 of the right value: a missing factor 2?); 2 of 2 checked entries differ
    """  # noqa: E501 - the doctest's message is one line
    checked_callable(f)
    public = _check_reporting(name, at, public, inputs, n)
    checked_text(what, "what")
    x = checked_real_array(x, "x")
    if value is not None:
        checked_number("value", value)
    yours = as_array(grad_value, what=name)
    if yours.shape != x.shape:  # before any call to f
        raise CheckFailure(_gradient_shape_message(name, yours.shape, x.shape))

    coords = select_coordinates(x.shape, seed=seed)
    numerical, estimate = _central_differences(f, x, coords, what)
    scale = estimate if value is None else float(value)
    skipped = np.ones(x.shape, dtype=bool)
    for index in coords:
        skipped[index] = False
    compare_gradient(
        yours, numerical, name=name, at=at, value_scale=scale, skipped=skipped,
        public=public, inputs=inputs, n=n, show_numerical=show_numerical, mistakes=mistakes,
    )
    if x.size <= CHECK_ALL_UP_TO:
        return

    direction = random_direction(x.shape, seed=seed)
    along = directional_derivative(f, x, direction, what=what)
    mine = float(np.sum(yours * direction))
    if within_tolerance(mine, along, value_scale=scale):
        return
    where = _location(name, at=at, inputs=inputs, public=public, index=None, shape=x.shape)
    shown_mine, shown_theirs = format_pair(mine, along)
    hint = _hint(mine, along, n, public)
    if show_numerical and public:
        values = _("yours {mine}, numerical {theirs}").format(mine=shown_mine, theirs=shown_theirs)
    else:
        values = _("yours is off")
    raise CheckFailure(
        where
        + ": "
        + _("along a random direction, {values}").format(values=values)
        + (f" ({hint})" if hint else "")
        + _(": some entries that were not checked one by one are wrong")
    )


# ---------------------------------------------------------------------------------------------
# Hints for a student's own finite differences


def finite_difference_hint(got: Any, f: Callable[[np.ndarray], Any], x: Any, *, h: float) -> str | None:
    """Whether a student's numerical gradient used one-sided differences: a hint, or None.

    For checks of an assignment where the student writes central differences themselves.
    Parameters: ``got``, the student's gradient as a float64 array of the shape of ``x``
    (read it first with :func:`~grader.judge.compare.as_array`); ``f``, the judge's own scalar
    function (a :class:`~grader.judge.student_proxy.Family`, never a student's function),
    called ``2 * x.size + 1`` times; ``x``, the point (any shape); ``h``, the step the
    student was told to use.

    Returns the hint text when ``got`` matches forward differences ``(f(x + h e_i) - f(x)) / h``
    or backward ones ``(f(x) - f(x - h e_i)) / h`` (within rtol 1e-7, atol 1e-9), else None.
    Raises :class:`~grader.judge.validation.CheckDefinitionError` for a non-callable ``f``
    or an ``x`` that is not finite real numbers.

    >>> square = lambda x: float(np.sum(x ** 2))
    >>> finite_difference_hint(np.array([2.00001]), square, np.array([1.0]), h=1e-5)
    'your values are forward differences (f(x + h e_i) - f(x)) / h: use central differences'
    """
    checked_callable(f)
    x = checked_real_array(x, "x")
    h = checked_number("h", h)
    got = np.asarray(got, dtype=np.float64)
    forward, backward = np.zeros_like(x), np.zeros_like(x)
    fx = f(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = h
        forward[index] = (f(x + step) - fx) / h
        backward[index] = (fx - f(x - step)) / h
    if got.shape == x.shape and np.allclose(got, forward, rtol=1e-7, atol=1e-9):
        return _("your values are forward differences (f(x + h e_i) - f(x)) / h: use central differences")
    if got.shape == x.shape and np.allclose(got, backward, rtol=1e-7, atol=1e-9):
        return _("your values are backward differences (f(x) - f(x - h e_i)) / h: use central differences")
    return None
