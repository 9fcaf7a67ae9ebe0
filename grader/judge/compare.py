"""Comparing what a submission returned with what was expected, with feedback a student can act on.

Student results arrive as plain data (numpy arrays, Python numbers, possibly ragged lists,
None, strings). :func:`as_array` and :func:`as_scalar` turn them into float64 or fail the
check with a sentence that says what was wrong; :func:`expect_close` compares and explains
a mismatch.

Public checks show the inputs and the expected values; hidden checks never do. A hidden
message names which entries differ and the student's own values there, plus hints computed
from both sides (a ratio rounded to a small whole number, a sign flip, an overflow) that do
not give the expected numbers away.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from grader.i18n import N_, _, ngettext
from grader.judge.checks import CheckFailure
from grader.judge.student_proxy import Remote
from grader.judge.validation import (
    CheckDefinitionError,
    checked_batch_size,
    checked_inputs,
    checked_public,
    checked_shape,
    checked_text,
    checked_tolerance,
)
from grader.judge.visibility import current_suite
from grader.sandbox.protocol import Tagged

__all__ = [
    "as_array",
    "as_numbers",
    "as_pair",
    "as_tuple",
    "expect_unchanged",
    "as_scalar",
    "expect_close",
    "format_array",
    "format_index",
    "format_inputs",
    "format_number",
    "format_pair",
    "mistake_hint",
    "overflow_hint",
    "ratio_hint",
    "shape_mismatch",
]

DIGITS = 4  # significant digits of numbers in messages
SHOWN_ENTRIES = 5  # differing entries listed in a public message
FULL_ARRAY_LIMIT = 50  # arrays up to this size are printed in full
LARGE_INPUT = 20.0  # |input| above this counts as "large" in hints
_MAX_FACTOR = 100  # largest whole-number ratio worth a hint
_NUMERIC_KINDS = "biufc"


# ---------------------------------------------------------------------------------------------
# Formatting


def format_number(x: Any, *, digits: int = DIGITS) -> str:
    """``x`` as text with ``digits`` significant digits, for a message.

    Parameters: ``x``, a Python or numpy number (bool, int or float); ``digits``, the number
    of significant digits (default 4). Returns the text: ints as ints, floats always with a
    decimal point, ``nan``, ``inf`` and ``-inf`` by name. Raises nothing for numbers.

    >>> format_number(2.0), format_number(1 / 3), format_number(np.int64(7)), format_number(-np.inf)
    ('2.0', '0.3333', '7', '-inf')
    """
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    text = f"{x:.{digits}g}"
    if text.lstrip("-").isdigit():
        text += ".0"
    return text


def format_pair(a: float, b: float) -> tuple[str, str]:
    """``a`` and ``b`` with at least :data:`DIGITS` digits, and enough to tell them apart."""
    for digits in range(DIGITS, 18):
        left, right = format_number(a, digits=digits), format_number(b, digits=digits)
        if left != right:
            return left, right
    return left, right


def format_index(index: tuple[int, ...]) -> str:
    """``(1, 2)`` as ``[1, 2]``."""
    return "[" + ", ".join(str(int(i)) for i in index) + "]"


def format_array(value: Any, *, limit: int = FULL_ARRAY_LIMIT, edge: int = 3) -> str:
    """An array, list or number as one line of text, for a message.

    Parameters: ``value``, numbers in any nesting (anything else is shown with ``repr``);
    ``limit``, the largest number of entries shown in full (default 50); ``edge``, the entries
    kept at each end of an axis when the array is larger (then its shape is added).
    Returns the text; raises nothing.

    >>> format_array(np.array([[1.0, 0.5], [2, 3]]))
    '[[1.0, 0.5], [2.0, 3.0]]'
    >>> format_array(np.arange(100.0), limit=10, edge=2)
    '[0.0, 1.0, ..., 98.0, 99.0] (shape (100,))'
    """
    try:
        array = np.asarray(value)
    except (ValueError, TypeError):
        array = None
    if array is None or array.dtype.kind not in _NUMERIC_KINDS:
        return repr(value)
    if array.ndim == 0:
        return _format_entry(array[()])
    truncate = array.size > limit

    def render(part: np.ndarray) -> str:
        if part.ndim == 0:
            return _format_entry(part[()])
        n = part.shape[0]
        if truncate and n > 2 * edge:
            items = [render(part[i]) for i in range(edge)] + ["..."]
            items += [render(part[i]) for i in range(n - edge, n)]
        else:
            items = [render(part[i]) for i in range(n)]
        return "[" + ", ".join(items) + "]"

    text = render(array)
    return f"{text} (shape {array.shape})" if truncate else text


def _format_entry(x: Any) -> str:
    if isinstance(x, (complex, np.complexfloating)):
        sign = "+" if x.imag >= 0 else "-"
        return f"({format_number(x.real)}{sign}{format_number(abs(x.imag))}j)"
    return format_number(x)


def format_inputs(inputs: Mapping[str, Any]) -> str:
    """The arguments of a call as text, for a public message: ``name=value, ...``.

    Parameters: ``inputs``, argument names mapped to the values sent (shown with
    :func:`format_array`). Returns the text; raises nothing. Show it only in public checks.

    A 0-d array is shown as such (``np.array(6.0)``), not as the float it holds: the student
    sees what their function was given.

    >>> format_inputs({"z": np.array([1.0, 2.0]), "eps": 0.1, "x0": np.array(6.0)})
    'z=[1.0, 2.0], eps=0.1, x0=np.array(6.0)'
    """
    return ", ".join(f"{name}={_format_input(value)}" for name, value in inputs.items())


def _format_input(value: Any) -> str:
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return f"np.array({format_array(value)})"
    return format_array(value)


# ---------------------------------------------------------------------------------------------
# Lenient conversion


class _Unusable(Exception):
    """What a value is, when it cannot be read as numbers (e.g. "a ragged list ...")."""


def _is_number(value: Any) -> bool:
    return isinstance(value, (bool, int, float, complex, np.number, np.bool_))


def _kind(value: Any) -> str:
    """A short noun phrase for a value that is not numbers."""
    if value is None:
        return "None"
    if isinstance(value, str):
        if current_suite() == "hidden":  # the student's text may hold a hidden input
            return _("a str")
        shown = value if len(value) <= 20 else value[:17] + "..."
        return _("a str ({text})").format(text=repr(shown))
    if isinstance(value, bytes):
        return _("bytes")
    if isinstance(value, dict):
        return _("a dict")
    tag = getattr(value, "tag", None)
    if isinstance(value, tuple) and isinstance(tag, str):  # a record from the child
        record = getattr(value, "value", None)
        if tag == "handle" and isinstance(record, dict):
            return _your_object(str(record.get("type", "?")))
        return _("a {type}").format(type=_tag(tag))
    type_name = getattr(value, "type_name", None)
    if isinstance(type_name, str):  # a Remote: an object living in the child
        return _your_object(type_name)
    return _("a {type}").format(type=type(value).__name__)


def _tag(tag: str) -> str:
    """A record's tag as feedback shows it: the child (which runs the student's code) chose it,
    so a hidden check names only the protocol's own tags."""
    return tag if current_suite() != "hidden" or tag in ("fn", "handle") else "record"


def _your_object(type_name: str) -> str:
    """An object of the student's class, named in a public check; in a hidden one, not named:
    the student's code may make up a class whose name holds the hidden input."""
    if current_suite() == "hidden":
        return _("an object of a class defined in your file")
    return _("an object of your class {name}").format(name=type_name)


def _array_kind(dtype: np.dtype) -> str:
    if dtype.kind in "US":
        return _("an array of strings")
    if dtype.kind == "O":
        return _("an array of Python objects")
    return _("an array of dtype {dtype}").format(dtype=dtype)


def _structure(value: Any) -> tuple[int, ...]:
    """The shape nested lists describe, or :class:`_Unusable` saying why there is none."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in _NUMERIC_KINDS:
            raise _Unusable(_array_kind(value.dtype))
        return value.shape
    if _is_number(value):
        return ()
    if type(value) in (list, tuple):
        shapes = [_structure(item) for item in value]
        for shape in shapes[1:]:
            if shape != shapes[0]:
                raise _Unusable(_ragged(shapes[0], shape))
        return (len(value), *(shapes[0] if shapes else ()))
    raise _Unusable(_("a list containing {kind}").format(kind=_kind(value)))


def _ragged(first: tuple[int, ...], other: tuple[int, ...]) -> str:
    if len(first) == 1 and len(other) == 1:
        return _("a ragged list (rows of lengths {first} and {other})").format(first=first[0], other=other[0])
    if first == () or other == ():
        return _("a list that mixes numbers and lists")
    return _("a ragged list (items of shapes {first} and {other})").format(first=first, other=other)


def shape_mismatch(what: str, got: tuple[int, ...], expected: tuple[int, ...], *, hidden: bool | None = None) -> str:
    """The sentence for a result of shape ``got`` where ``expected`` was due, with a guess why.

    ``hidden`` (default: whether a hidden check is running) leaves both shapes out, which
    would tell the shape of a hidden input: only numbers of dimensions and the guess.

    >>> shape_mismatch("f(z)", (3, 2), (2, 3), hidden=True)
    'f(z) returned an array of another shape than expected: transposed?'
    """
    if hidden is None:
        hidden = current_suite() == "hidden"
    if hidden:
        return _hidden_shape_mismatch(what, got, expected)
    size_got, size_expected = math.prod(got), math.prod(expected)
    if expected == ():
        message = _("{what} returned shape {got}, expected a single number").format(what=what, got=got)
        if size_got == 1:
            message += _(": an extra dimension? (.item() gives the number)")
        return message
    message = _("{what} returned shape {got}, expected {expected}").format(what=what, got=got, expected=expected)
    if got == expected[::-1]:
        return message + _(": transposed?")
    if size_got == size_expected:
        if len(got) < len(expected):
            return message + _(": a missing dimension?")
        if len(got) > len(expected):
            return message + _(": an extra dimension?")
        return message + _(": reshaped wrongly?")
    if len(got) < len(expected):
        return message + _(REDUCED)
    return message


# A result with fewer dimensions and entries than due: the same guess in public and hidden messages.
REDUCED = N_(": collapsed by a reduction (np.max, np.sum, ...) where an entry-by-entry result is due?")


def _squeezed(shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(n for n in shape if n != 1)


def _hidden_shape_mismatch(what: str, got: tuple[int, ...], expected: tuple[int, ...]) -> str:
    same_size = math.prod(got) == math.prod(expected)
    if expected == ():
        extra = _(": an extra dimension? (.item() gives the number)") if math.prod(got) == 1 else ""
        return _("{what} returned an array, expected a single number").format(what=what) + extra
    if got == ():
        return _("{what} returned a single number, expected an array of {dims}").format(
            what=what, dims=_dims(len(expected))
        ) + _(REDUCED)
    if len(got) != len(expected):
        guess = _(REDUCED) if len(got) < len(expected) else ""
        if same_size:
            guess = _(": a missing dimension?") if len(got) < len(expected) else _(": an extra dimension?")
        return _("{what} returned an array of {dims}, expected {expected}").format(
            what=what, dims=_dims(len(got)), expected=_dims(len(expected))
        ) + guess
    guess = _(": transposed?") if got == expected[::-1] else _(": reshaped wrongly?") if same_size else ""
    return _("{what} returned an array of another shape than expected").format(what=what) + guess


def _dims(count: int) -> str:
    return ngettext("{count} dimension", "{count} dimensions", count).format(count=count)


def as_array(value: Any, *, what: str, shape: tuple[int, ...] | None = None, loose: bool = False) -> np.ndarray:
    """What the student's call returned, read leniently as a float64 array.

    Lists (nested, of numbers or arrays), Python and numpy numbers, and numeric arrays are
    accepted; booleans and integers become floats; complex numbers only when their imaginary
    parts are all 0.

    Parameters: ``value``, raw student data; ``what``, the call in messages
    (``"sigmoid(z)"``); ``shape``, if given, the exact shape the result must have: ``()`` is a
    single number (a Python float or a 0-d array), which a ``(1,)`` array is not; ``loose``,
    accept a shape that differs from ``shape`` only by axes of length 1 (``(1, n)`` for
    ``(n,)``, as ``keepdims=True`` gives), read as ``shape``: the values are unambiguous. One
    check owns the contract's exact shape; the others compare values with ``loose=True``, so
    that one slip costs that check only.

    Returns a new float64 array. Raises :class:`CheckFailure` saying why ``value`` is not such
    an array (None: a missing return; a ragged list; strings; a wrong shape, with a guess why),
    and :class:`~grader.judge.validation.CheckDefinitionError` for an empty ``what`` or a
    ``shape`` that is not a tuple of ints.

    >>> as_array([[1, 2], [3, 4]], what="f(x)", shape=(2, 2))
    array([[1., 2.],
           [3., 4.]])
    >>> as_array([1.0, 2.0], what="f(x)", shape=(2, 1))
    Traceback (most recent call last):
    ...
    grader.judge.checks.CheckFailure: f(x) returned shape (2,), expected (2, 1): a missing dimension?
    """
    checked_text(what)
    if shape is not None:
        shape = checked_shape(shape)
    if value is None:
        raise CheckFailure(_("{what} returned None: did you forget a return statement?").format(what=what))
    if isinstance(value, np.ndarray) or _is_number(value):
        array = np.asarray(value)
        if array.dtype.kind not in _NUMERIC_KINDS:
            kind = _array_kind(array.dtype)
            raise CheckFailure(_("{what} returned {kind}, not numbers").format(what=what, kind=kind))
    elif type(value) in (list, tuple):
        array = _list_to_array(value, what)
    else:
        raise CheckFailure(_("{what} returned {kind}, not numbers").format(what=what, kind=_kind(value)))

    if array.dtype.kind == "c":
        if np.any(array.imag != 0):
            raise CheckFailure(
                _(
                    "{what} returned complex numbers: expected real ones "
                    "(a square root or power of a negative number?)"
                ).format(what=what)
            )
        array = array.real
    try:
        array = array.astype(np.float64)
    except (OverflowError, TypeError, ValueError):
        raise CheckFailure(f"{what} returned numbers too large for a float") from None
    if shape is not None and array.shape != shape:
        if loose and array.size == math.prod(shape) and _squeezed(array.shape) == _squeezed(shape):
            return array.reshape(shape)
        raise CheckFailure(shape_mismatch(what, array.shape, shape))
    return array


def _list_to_array(value: list | tuple, what: str) -> np.ndarray:
    try:
        array = np.asarray(value)
    except (ValueError, TypeError):
        array = None
    if array is not None and array.dtype.kind in _NUMERIC_KINDS:
        return array
    try:  # numpy could not read it: find out why, for the message
        _structure(value)
    except _Unusable as problem:
        raise CheckFailure(_("{what} returned {kind}").format(what=what, kind=problem)) from None
    except RecursionError:
        raise CheckFailure(_("{what} returned a list nested too deeply").format(what=what)) from None
    # Every leaf is a number and the shape is regular: Python ints beyond int64, say.
    try:
        return np.array(value, dtype=np.float64)
    except (OverflowError, TypeError, ValueError):
        raise CheckFailure(f"{what} returned numbers too large for a float") from None


def as_scalar(value: Any, *, what: str) -> float:
    """What the student's call returned, read as one float.

    Parameters: ``value``, raw student data: a Python or numpy number or a 0-d array (a
    ``(1,)`` array is refused); ``what``, the call in messages. Returns a Python float.
    Raises :class:`CheckFailure` as :func:`as_array` does with ``shape=()``.

    >>> as_scalar(np.float32(0.5), what="loss(y_hat, y)")
    0.5
    """
    return float(as_array(value, what=what, shape=()))


# ---------------------------------------------------------------------------------------------
# Hints


def as_tuple(value: Any, *, what: str, names: Sequence[str], where: str = "") -> tuple[Any, ...]:
    """The items of a returned tuple such as ``(loss, dlogits)``, unread (raw student data).

    Parameters: ``value``, what the student's call returned (tuples arrive from the child as
    lists, and either is accepted); ``what``, the call (``"softmax_cross_entropy(logits, y)"``);
    ``names``, the names of the items in the order the contract gives them (at least one);
    ``where``, said after ``what`` when the tuple is missing (``" on a hidden test"``, or
    ``" with X=[...]"`` in a public check).

    Returns a tuple of ``len(names)`` values, to read with :func:`as_array` or
    :func:`as_scalar`. Raises :class:`CheckFailure` when ``value`` is not a tuple or list of
    exactly ``len(names)`` items, and :class:`CheckDefinitionError` for an empty ``what`` or
    ``names``.

    >>> as_tuple([0.5, [1.0, 2.0]], what="f(x)", names=("loss", "grad"))
    (0.5, [1.0, 2.0])
    >>> as_tuple(None, what="f(x)", names=("loss", "grad"))
    Traceback (most recent call last):
    ...
    grader.judge.checks.CheckFailure: f(x) returned None: return the tuple (loss, grad)
    """
    checked_text(what)
    names = tuple(checked_text(name, "names") for name in names)
    if not names:
        raise CheckDefinitionError("names must name at least one item, e.g. ('loss', 'dlogits')")
    if not isinstance(value, (list, tuple)) or len(value) != len(names):
        shown = "None" if value is None else _("a {type}").format(type=type(value).__name__)
        if isinstance(value, (list, tuple)):
            shown = ngettext("{count} value", "{count} values", len(value)).format(count=len(value))
        raise CheckFailure(
            _("{what} returned {kind}: return the tuple ({names})").format(
                what=f"{what}{where}", kind=shown, names=", ".join(names)
            )
        )
    return tuple(value)


def as_pair(
    value: Any, *, what: str, size: int, names: tuple[str, str] = ("w", "b"), where: str = ""
) -> tuple[np.ndarray, float]:
    """A returned pair such as ``(w, b)`` or ``(dw, db)``: an array of shape ``(size,)`` and a number.

    Parameters: ``value``, what the student's call returned; ``what``, the call
    (``"bce_grad(X, y, w, b)"``); ``size``, the length of the vector (d features);
    ``names``, the two items' names in messages; ``where``, as in :func:`as_tuple`.

    Returns ``(vector, number)``: a float64 array of shape ``(size,)`` and a float. Raises
    :class:`CheckFailure` when ``value`` is not such a pair (see :func:`as_tuple`,
    :func:`as_array`, :func:`as_scalar`).

    >>> as_pair([[1.0, 2.0], 0.5], what="fit(X, y)", size=2)
    (array([1., 2.]), 0.5)
    """
    vector, number = as_tuple(value, what=what, names=names, where=where)
    vector = as_array(vector, what=_("the {name} of {what}").format(name=names[0], what=what), shape=(size,))
    number = as_scalar(number, what=_("the {name} of {what}").format(name=names[1], what=what))
    return vector, number


def as_numbers(value: Any, *, what: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """:func:`as_array` for a result that may be something the student's code built in the child.

    Objects of the student's classes and other records from the child (functions, for one)
    are refused with "return a numpy array"; never called or read further. Parameters and
    result as :func:`as_array`; raises :class:`CheckFailure` for anything that is not numbers.

    >>> as_numbers([[1, 2], [3, 4]], what="gradient_descent(grad, x0, 0.1, 1)").shape
    (2, 2)
    """
    if isinstance(value, Remote):
        raise CheckFailure(
            _("{what} returned {kind}, not numbers: return a numpy array").format(what=what, kind=_your_object(value.type_name))
        )
    if isinstance(value, Tagged):
        if value.tag == "handle" and isinstance(value.value, dict):  # a handle not made a Remote
            raise CheckFailure(
                _("{what} returned {kind}, not numbers: return a numpy array").format(
                    what=what, kind=_your_object(str(value.value.get("type", ""))[:100])
                )
            )
        raise CheckFailure(
            _("{what} returned a {tag} record, not numbers: return a numpy array").format(what=what, tag=_tag(value.tag))
        )
    return as_array(value, what=what, shape=shape)


def _same_data(got: Any, original: Any) -> bool:
    if isinstance(original, (list, tuple)):
        return isinstance(got, list) and len(got) == len(original) and all(
            _same_data(g, o) for g, o in zip(got, original)
        )
    if isinstance(original, np.ndarray):
        return isinstance(got, np.ndarray) and got.shape == original.shape and np.array_equal(got, original)
    return True  # numbers and strings cannot be changed in place


def expect_unchanged(call: Any, sent: Sequence[Any], *, what: str, names: Sequence[str], advice: str = "") -> None:
    """Fail the check if the student's function changed an argument in place.

    Parameters: ``call``, what ``student.call("f", ...)`` returned (its ``.args`` are the
    child's copies of the arguments after the call); ``sent``, the arguments as the judge
    sent them, in order; ``what``, the call in messages; ``names``, the arguments' names, in
    the order of ``sent``; ``advice``, what to say instead of the default ("work on new arrays
    instead of assigning into the ones you are given"). Arrays and lists are compared
    exactly; numbers and strings cannot change.

    Returns None. Raises :class:`CheckFailure` naming the first argument that changed.

    >>> call = student.call("relu", z)  # doctest: +SKIP
    >>> expect_unchanged(call, [z], what="relu(z)", names=["z"])  # doctest: +SKIP
    """
    for position, (name, original) in enumerate(zip(names, sent)):
        got = call.args[position] if position < len(call.args) else None
        if not _same_data(got, original):
            raise CheckFailure(
                _("{what} changed its argument {name} in place").format(what=what, name=name)
                + (
                    f": {_(advice)}"
                    if advice
                    else _(": work on new arrays instead of assigning into the ones you are given")
                )
            )


# Whole-number ratios that a hidden message may name: constants of the formulas themselves (a
# missing or extra factor 2). Any other ratio may come from a hidden argument (eps=0.3 against
# the default 0.01 gives 1/30) or a hidden size, and is described without its number.
SAFE_FACTORS = frozenset({2})


def ratio_hint(yours: Any, reference: Any, *, n: int | None = None, public: bool = True) -> str | None:
    """A hint when ``yours / reference`` is the same simple number at every entry given.

    Parameters: ``yours`` and ``reference``, numbers of the same size (typically the entries
    that differ); ``n``, the batch size, if the values are means over a batch; ``public``,
    False in a hidden check: then only the factors in :data:`SAFE_FACTORS` are named by
    number, any other ratio is described in words (it could give away a hidden argument).

    Returns the hint, or None when nothing fits. Yours about k times the right value (k a
    whole number from 2 to 100) reads "an extra factor k?" ("a missing 1/n?" when k equals
    ``n``); about 1/k of it reads "a missing factor k?" ("an extra 1/n?"); about -1, that
    the sign is flipped; about 1, that the values are close but not close enough; 0 where the
    right value is not, just that. Entries where either side is not finite or the reference
    is 0 are left out. Raises :class:`~grader.judge.validation.CheckDefinitionError` for
    sizes that differ or a bad ``n``.

    >>> ratio_hint([3.0, -6.0], [1.0, -2.0])
    'yours is about 3 times the right value: an extra factor 3?'
    >>> ratio_hint([0.5], [1.0])
    'yours is about 1/2 of the right value: a missing factor 2?'
    >>> ratio_hint([0.25], [1.0], n=4)
    'yours is about 1/n of the right value (n, the batch size): an extra 1/n?'
    >>> ratio_hint([0.1], [3.0], public=False)
    'yours is a constant fraction of the right value: a missing factor?'
    """
    checked_batch_size(n)
    yours = np.asarray(yours, dtype=np.float64).ravel()
    reference = np.asarray(reference, dtype=np.float64).ravel()
    if yours.shape != reference.shape:
        raise CheckDefinitionError(
            f"yours and reference must have the same size, got {yours.size} and {reference.size}"
        )
    usable = np.isfinite(yours) & np.isfinite(reference) & (reference != 0)
    if not usable.any() or np.any((reference == 0) & (yours != 0)):
        return None  # no ratio makes 0 into something else
    if np.all(yours[usable] == 0):
        return _("yours is 0 where the right value is not")
    with np.errstate(over="ignore", invalid="ignore"):  # a ratio past float64's range is no constant factor
        ratios = yours[usable] / reference[usable]
    if not np.all(np.isfinite(ratios)):
        return None
    if np.all(np.abs(ratios - 1) <= 1e-2):
        return _("close, but not within the tolerance (float32, or an approximation?)")
    middle = float(np.median(ratios))
    if middle == 0 or not np.all(np.abs(ratios - middle) <= 1e-3 * abs(middle)):
        return None
    if abs(middle + 1) <= 1e-3:
        return _("the sign is flipped: a sign error?")
    flipped = _(" (and the sign is flipped)") if middle < 0 else ""
    size = abs(middle)
    k = _near_whole(size)
    if k is not None:
        if n is not None and k == n:
            return _("yours is about n times the right value (n, the batch size): a missing 1/n?") + flipped
        if public or k in SAFE_FACTORS:
            return _("yours is about {k} times the right value: an extra factor {k}?").format(k=k) + flipped
        return _("yours is a constant multiple of the right value: an extra factor?") + flipped
    k = _near_whole(1 / size)
    if k is not None:
        if n is not None and k == n:
            return _("yours is about 1/n of the right value (n, the batch size): an extra 1/n?") + flipped
        if public or k in SAFE_FACTORS:
            return _("yours is about 1/{k} of the right value: a missing factor {k}?").format(k=k) + flipped
        return _("yours is a constant fraction of the right value: a missing factor?") + flipped
    return None


def _near_whole(x: float) -> int | None:
    k = round(x)
    if 2 <= k <= _MAX_FACTOR and abs(x - k) <= 1e-3 * k:
        return int(k)
    return None


def precision_hint(got: Any) -> str | None:
    """A hint when the student's result is a float type of less precision than float64.

    ``got`` is raw student data. Returns the hint, or None for float64 data (or lists,
    numbers). Raises nothing.

    >>> precision_hint(np.zeros(2, dtype=np.float32))
    'your result is float32, which keeps about 6 digits and overflows above 3.4e+38: compute in float64'
    """
    dtype = getattr(got, "dtype", None)
    if not isinstance(dtype, np.dtype) or dtype.kind != "f" or dtype.itemsize >= 8:
        return None
    info = np.finfo(dtype)
    return _(
        "your result is {dtype}, which keeps about {digits} digits and overflows above {largest:.2g}: "
        "compute in float64"
    ).format(dtype=dtype, digits=info.precision, largest=float(info.max))


def overflow_hint(yours: Any, expected: Any, *, large_inputs: bool = False) -> str | None:
    """A hint when ``yours`` has nan or inf where ``expected`` (same shape) is finite, else None.

    It says what the numbers show; only when ``large_inputs`` (those entries' inputs are all
    large) does it guess an overflow, e.g. of exp.

    >>> overflow_hint([np.inf, 1.0], [1.0, 1.0])
    'yours has inf where the right value is finite'
    >>> overflow_hint([np.nan], [1.0], large_inputs=True)
    'yours has nan where the right value is finite: an overflow? (e.g. exp of a large number)'
    """
    yours, expected = np.asarray(yours, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    wrong = ~np.isfinite(yours) & np.isfinite(expected)
    if not wrong.any():
        return None
    has_nan, has_inf = np.isnan(yours[wrong]).any(), np.isinf(yours[wrong]).any()
    which = "nan and inf" if has_nan and has_inf else "nan" if has_nan else "inf"
    guess = _(": an overflow? (e.g. exp of a large number)") if large_inputs else ""
    return _("yours has {which} where the right value is finite").format(which=which) + guess


def mistake_hint(yours: Any, mistakes: Mapping[str, Any] | None, *, rtol: float, atol: float) -> str | None:
    """The hint of the first known mistake whose values ``yours`` matches at every entry, else None.

    ``mistakes`` maps a hint (``"eps is ignored: ..."``) to what the judge computes when it
    makes that mistake itself (the reference with the default eps, say), of the shape of
    ``yours``; values of another shape never match. A hint follows from the numbers: it is
    given only when the student's values are exactly those of the mistake.

    >>> mistake_hint([0.0, 1.0], {"step(0) is 1.0: use z >= 0": [0.0, 1.0]}, rtol=1e-6, atol=0)
    'step(0) is 1.0: use z >= 0'
    """
    yours = np.asarray(yours, dtype=np.float64)
    for hint, value in (mistakes or {}).items():
        value = np.asarray(value, dtype=np.float64)
        if value.shape == yours.shape and np.all(np.isclose(yours, value, rtol=rtol, atol=atol, equal_nan=True)):
            return _(checked_text(hint, "a hint of mistakes"))
    return None


def _offset_hint(
    yours: np.ndarray, expected: np.ndarray, bad: np.ndarray, public: bool
) -> str | None:
    """"off by a constant" when every entry is shifted by the same amount (at least 2 differ)."""
    finite = np.isfinite(yours) & np.isfinite(expected)
    if np.count_nonzero(bad & finite) < 2 or not finite.all():
        return None
    shift = yours - expected
    constant = float(np.median(shift[bad]))
    if not np.all(np.abs(shift - constant) <= 1e-3 * abs(constant)):
        return None
    if not public:
        return _("off by a constant")
    return _("off by a constant ({constant})").format(constant=format_number(constant))


def _aligned_hint(bad: np.ndarray, aligned: np.ndarray) -> str | None:
    """Where the wrong entries lie, in terms of the input ``aligned`` with them."""
    at = aligned[bad]
    if at.size == 0 or bad.all():
        return None
    if np.all(at == 0):
        return _("wrong only where the input is exactly 0")
    large = bool(np.all(np.abs(at) > LARGE_INPUT))
    limit = format_number(LARGE_INPUT)
    if np.all(at < 0):
        return (
            _("wrong only where the input is large and negative (below -{limit})").format(limit=limit)
            if large
            else _("wrong only where the input is negative")
        )
    if np.all(at > 0):
        return (
            _("wrong only where the input is large and positive (above {limit})").format(limit=limit)
            if large
            else _("wrong only where the input is positive")
        )
    if large:
        return _("wrong only for large |input| (above {limit})").format(limit=limit)
    return None


# ---------------------------------------------------------------------------------------------
# Comparing


def _differ(count: int, total: int) -> str:
    if total == 1:
        return _("{count} of 1 entry differs").format(count=count)
    return ngettext("{count} of {total} entries differs", "{count} of {total} entries differ", count).format(
        count=count, total=total
    )


def expect_close(
    got: Any,
    expected: Any,
    *,
    what: str,
    public: bool | None = None,
    inputs: Mapping[str, Any] | None = None,
    aligned: Any = None,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    mistakes: Mapping[str, Any] | None = None,
    n: int | None = None,
) -> None:
    """Fail the check unless the student's ``got`` matches the judge's ``expected``.

    Entries match when ``|got - expected| <= atol + rtol * |expected|`` (numpy's ``isclose``;
    nan matches nan).

    Parameters:

    - ``got``: raw student data, read with :func:`as_array`; it must have the shape of
      ``expected``.
    - ``expected``: the judge's own value, real numbers of any shape.
    - ``what``: the call in messages (``"sigmoid(z)"``).
    - ``public``: whether the message may show ``inputs`` and expected values. By default
      (None) it follows the suite running the check: True in a public suite, False in a
      hidden one. A public message shows ``inputs`` in full and the first 5 differing entries
      with both values; a hidden one shows neither inputs nor expected values, only which
      entries differ and the student's own values there.
    - ``inputs``: argument names mapped to what was sent (public messages only).
    - ``aligned``: an input of the shape of ``expected`` (z for an elementwise function),
      so that the hint can say where the wrong entries lie (negative inputs, large ones).
    - ``rtol``, ``atol``: relative and absolute tolerance, finite numbers >= 0.
    - ``mistakes``: known mistakes, a hint mapped to the value the judge computes when it
      makes that mistake (the reference with the default eps, step with ``z > 0``...). When
      the student's values are those of a mistake, its hint is the only one given: the same
      text in a public and a hidden check. A hint must not name a hidden argument.
    - ``n``: the batch size, when ``expected`` is a mean over a batch: a ratio of n then
      reads "a missing 1/n?" (without the number).

    What a hidden message shows (see the README, "What feedback shows"): the call with its
    arguments' names, how many entries differ, where they lie relative to the input
    (``aligned``: its sign, large magnitudes), and hints that name no number but 2 (the
    factor of a formula) and those of the contract. Never an input, an expected value, a
    size or shape of a hidden input, a ratio that could come from a hidden argument, or the
    student's own values at a hidden input (a submission can return its input).

    Returns None when every entry matches. Raises :class:`CheckFailure` otherwise, with a
    ``hint`` computed from both sides (a whole-number ratio, a flipped sign, an overflow,
    a constant offset) that never gives the expected numbers away in a hidden check; and
    :class:`~grader.judge.validation.CheckDefinitionError` for the author's mistakes:
    ``public=True`` in a hidden suite, negative tolerances, ``aligned`` of another shape,
    ``expected`` that is not real numbers.

    >>> expect_close([0.5, 0.7311], np.array([0.5, 0.7310586]), what="sigmoid(z)", public=True,
    ...              inputs={"z": [0.0, 1.0]}, rtol=1e-4)
    >>> expect_close([1.0, 2.0], np.array([0.5, 1.0]), what="f(z)", public=True)
    Traceback (most recent call last):
    ...
    grader.judge.checks.CheckFailure: f(z): 2 of 2 entries differ.
      [0]: yours 1.0, expected 0.5
      [1]: yours 2.0, expected 1.0
    Hint: yours is about 2 times the right value: an extra factor 2?
    """
    checked_text(what)
    public = checked_public(public)
    rtol, atol = checked_tolerance("rtol", rtol), checked_tolerance("atol", atol)
    expected = np.asarray(expected)
    if expected.dtype.kind not in "biuf":
        raise CheckDefinitionError(f"expected must be real numbers, got dtype {expected.dtype}")
    expected = expected.astype(np.float64)
    checked_inputs(inputs)
    checked_batch_size(n)
    if aligned is not None:
        aligned = np.asarray(aligned, dtype=np.float64)
        if aligned.shape != expected.shape:
            raise CheckDefinitionError(
                f"aligned must have the shape of expected {expected.shape}, got {aligned.shape}"
            )

    yours = as_array(got, what=what, shape=expected.shape)
    with np.errstate(all="ignore"):  # isclose's own test, without its checks: most answers pass
        if bool(np.all(np.abs(yours - expected) <= atol + rtol * np.abs(expected))):
            return  # (nan, inf and overflows fail this test and are judged by isclose below)
    bad = ~np.isclose(yours, expected, rtol=rtol, atol=atol, equal_nan=True)
    if not bad.any():
        return

    large = aligned is not None and bool(np.all(np.abs(aligned[bad]) > LARGE_INPUT))
    hint = mistake_hint(yours, mistakes, rtol=rtol, atol=atol)
    if hint is None:
        everywhere = (
            _("yours is 0 everywhere: not computed yet?") if np.all(yours == 0) and np.any(expected != 0) else None
        )
        hints = [
            precision_hint(got),
            overflow_hint(yours[bad], expected[bad], large_inputs=large),
            _aligned_hint(bad, aligned) if aligned is not None else None,
            everywhere
            or ratio_hint(yours[bad], expected[bad], n=n, public=public)
            or _offset_hint(yours, expected, bad, public),
        ]
        hint = "; ".join(h for h in hints if h) or None
    count, total = int(np.count_nonzero(bad)), expected.size
    where = [tuple(int(i) for i in row) for row in np.argwhere(bad)] if expected.ndim else [()]

    if public:
        head = _("{what} with {inputs}").format(what=what, inputs=format_inputs(inputs)) if inputs else what
        if expected.ndim == 0:
            mine, theirs = format_pair(yours.item(), expected.item())
            message = _("{what}: yours {mine}, expected {theirs}.").format(what=head, mine=mine, theirs=theirs)
            raise CheckFailure(message, hint=hint)
        lines = [f"{head}: {_differ(count, total)}."]
        for index in where[:SHOWN_ENTRIES]:
            mine, theirs = format_pair(yours[index], expected[index])
            entry = _("{index}: yours {mine}, expected {theirs}")
            lines.append("  " + entry.format(index=format_index(index), mine=mine, theirs=theirs))
        if count > SHOWN_ENTRIES:
            lines.append("  " + _("... and {count} more").format(count=count - SHOWN_ENTRIES))
        raise CheckFailure("\n".join(lines), hint=hint)

    if expected.ndim == 0:
        raise CheckFailure(_("{what} on a hidden test: yours is not the expected value.").format(what=what), hint=hint)
    if count == total and count != 1:
        differ = _("every entry differs")
    else:
        differ = ngettext("{count} entry differs", "{count} entries differ", count).format(count=count)
    raise CheckFailure(_("{what} on a hidden test: {differ}.").format(what=what, differ=differ), hint=hint)
