"""Hidden checks of assignment 03 (gradient descent and numerical gradients).

Property tests on inputs drawn by hypothesis (derandomized and replayed: every submission sees
the same inputs): gradient descent against the reference on quadratics, sums of sines and a
logistic loss, from starting points of 0 to 2 dimensions, with 0 to 10 epochs; numerical
gradients against the analytic gradients, with a tolerance that central differences meet and
forward differences do not; other steps h; lists and integers; and in-place modification.

The functions cross into the sandbox as descriptions (:class:`~grader.authoring.Family`):
the child rebuilds them from the trusted families, the judge builds the same ones here.
Nothing the child sends back is ever called.

Feedback never shows a hidden input or expected value: it says which entries differ, the
student's own values there, and hints drawn from the student's values (forward differences,
ascent instead of descent, rounding, a missing x0).
"""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grader.authoring import (
    N_,
    CheckFailure,
    Family,
    _,
    as_numbers,
    check,
    expect_close,
    fail,
    finite_difference_hint,
    float_arrays,
    floats,
    for_examples,
    ngettext,
    only_if_right,
    reference,
)

ref = reference("gradient_descent")

CALL = "gradient_descent(grad, x0, alpha, epochs)"
H = 1e-5  # numerical_gradient's default step


# ---------------------------------------------------------------------------------------------
# Helpers


def iterates(value, what, x0_shape, epochs):
    """The iterates as a float64 array of shape ``(epochs + 1,) + x0_shape``; a wrong shape
    fails with the relation that is off (rows, or the shape of a row), not the hidden sizes."""
    got = as_numbers(value, what=what)
    wanted = (epochs + 1,) + tuple(x0_shape)
    if got.shape == wanted:
        return got
    head = _("{what} returned an array of another shape on a hidden test; it must have shape (epochs + 1,) + shape(x0)")
    head = head.format(what=what)
    if got.ndim == len(wanted) and got.shape[1:] == wanted[1:]:
        if got.shape[0] == epochs:
            fail(_("{head}: yours has one row short. Is x0 missing? Row 0 must be x0 itself, then one row per step.").format(head=head))
        if got.shape[0] == epochs + 2:
            fail(_("{head}: yours has one row too many. Exactly `epochs` steps, plus x0 in row 0.").format(head=head))
        fail(_("{head}: yours has the wrong number of rows (one per step, plus x0 in row 0).").format(head=head))
    if got.ndim >= 1 and got.shape[0] == epochs + 1:
        fail(_("{head}: yours has the right number of rows, but each row must have the shape of x0.").format(head=head))
    fail(head + ".")


def _rounded(values, expected):
    """The number of decimals the student's values look rounded to (while the expected ones are not)."""
    finite = np.isfinite(values).all() and np.isfinite(expected).all()
    if not finite:
        return None
    for digits in range(0, 9):
        if np.array_equal(values, np.round(values, digits)) and not np.array_equal(expected, np.round(expected, digits)):
            return digits
    return None


def descent_hint(got, expected, grad, x0, alpha, epochs):
    """A hint from the student's iterates alone (and the judge's own functions)."""
    if epochs >= 1 and np.allclose(got, ref.gradient_descent(grad, x0, -alpha, epochs), rtol=1e-7, atol=1e-10):
        return N_("your iterates go uphill: the update is x - alpha * grad(x), not x + alpha * grad(x)")
    if epochs >= 1 and all(np.array_equal(got[0], row) for row in got[1:]) and not np.allclose(expected[0], expected[-1]):
        return N_("all your rows are equal: did you store the same array every time and update it in place "
                  "(x -= ...)? Store copies, or write x = x - alpha * grad(x)")
    if epochs >= 1 and np.allclose(got[:-1], expected[1:], rtol=1e-7, atol=1e-10):
        return N_("row k of yours holds the point after k + 1 steps: row 0 must be x0 itself")
    digits = _rounded(got, expected)
    if digits == 0:
        return N_("your iterates are whole numbers: did they keep the integer dtype of x0? "
                  "Start from np.array(x0, dtype=float)")
    if digits is not None:
        return _("your iterates look rounded to {digits} decimals: do not round them").format(digits=digits)
    return None


def descent_matches(student, grad, x0, alpha, epochs, *, send=None, value=None, what=CALL, rtol=1e-9, atol=1e-12):
    """The student's ``gradient_descent(grad, x0, alpha, epochs)`` equals the reference's.

    ``send`` is what the student's function gets instead of the array ``x0`` (a list, an int);
    ``value``, what it already returned (no new call).
    """
    x0 = np.asarray(x0, dtype=float)
    expected = ref.gradient_descent(grad, x0, alpha, epochs)
    if value is None:
        value = student.gradient_descent(grad, x0 if send is None else send, alpha, epochs)
    got = iterates(value, what, x0.shape, epochs)
    try:
        expect_close(got, expected, what=what, public=False, rtol=rtol, atol=atol)
    except CheckFailure as failure:
        hint = descent_hint(got, expected, grad, x0, alpha, epochs)
        if hint:
            raise failure.with_hint(hint) from None
        raise


def gradient_hint(got, f, x, h):
    """One-sided differences, or the default step where ``h`` was given (a hint, or None)."""
    hint = finite_difference_hint(got, f, x, h=h)
    if hint is None and h != H and np.allclose(got, ref.numerical_gradient(f, x), rtol=1e-9, atol=1e-9):
        return N_("your values are those of the default step h = 1e-5: use the h you are given")
    return hint


def gradient_matches(student, f, x, expected, *, what, atol, h=None, by_keyword=True, send=None, rtol=1e-9):
    """The student's ``numerical_gradient(f, x[, h])`` equals ``expected`` (shape of x)."""
    x = np.asarray(x, dtype=float)
    sent = x if send is None else send
    if h is None:
        value = student.numerical_gradient(f, sent)
    elif by_keyword:
        value = student.numerical_gradient(f, sent, h=h)
    else:
        value = student.numerical_gradient(f, sent, h)
    got = as_numbers(value, what=what)
    if got.shape != x.shape:
        fail(_("{what} returned an array of another shape than the hidden x: "
               "the result must have the shape of x (one partial derivative per entry)").format(what=what))
    try:
        expect_close(got, np.broadcast_to(expected, x.shape), what=what, public=False, rtol=rtol, atol=atol)
    except CheckFailure as failure:
        hint = gradient_hint(got, f, x, H if h is None else h)
        if hint is None and np.asarray(sent).dtype.kind in "iu":
            hint = N_("for integer x, the shifted points must still be floats (x + h with h = 1e-5): "
                      "start from np.array(x, dtype=float)")
        if hint:
            raise failure.with_hint(hint) from None
        raise


def central_tolerance(f, x, h, third=0.0):
    """What central differences may be off by: rounding, about 1e-16 * |f| / h (1e-9 * |f|
    allows 100 times that for h = 1e-5), plus the truncation error h**2 / 6 * |f'''|."""
    return 1e-9 * max(1.0, abs(f(np.asarray(x, dtype=float)))) + h**2 / 6 * third


def family_text(kind):
    return {"quadratic": _("a quadratic sum(a * (x - c)**2)"), "sum_sin": "sum(sin(w * x))"}[kind]


# ---------------------------------------------------------------------------------------------
# Strategies


def _like(shape, elements):
    """A number, or an array of ``shape``, of ``elements``: parameters that broadcast with x."""
    return st.one_of(elements, hnp.arrays(np.float64, shape, elements=elements))


@st.composite
def quadratic_descents(draw):
    x0 = draw(float_arrays(min_dims=0, max_dims=2, max_side=4, lo=-10.0, hi=10.0))
    a = draw(_like(x0.shape, floats(lo=0.1, hi=5.0)))
    c = draw(_like(x0.shape, floats(lo=-5.0, hi=5.0)))
    alpha = draw(floats(lo=0.001, hi=0.3))
    epochs = draw(st.integers(0, 10))
    return {"a": a, "c": c}, x0, alpha, epochs


@st.composite
def other_descents(draw):
    """Descent on sum(sin(w * x)) (any shape) or on a logistic loss (a weight vector)."""
    if draw(st.booleans()):
        x0 = draw(float_arrays(min_dims=0, max_dims=2, max_side=4, lo=-5.0, hi=5.0))
        w = draw(_like(x0.shape, floats(lo=0.3, hi=3.0)))
        return "sum_sin_grad", {"w": w}, x0, draw(floats(lo=0.01, hi=0.5)), draw(st.integers(0, 10))
    n, d = draw(st.integers(2, 8)), draw(st.integers(1, 4))
    X = draw(hnp.arrays(np.float64, (n, d), elements=floats(lo=-3.0, hi=3.0)))
    y = draw(hnp.arrays(np.float64, (n,), elements=st.sampled_from([0.0, 1.0])))
    b = draw(floats(lo=-1.0, hi=1.0))
    w0 = draw(hnp.arrays(np.float64, (d,), elements=floats(lo=-2.0, hi=2.0)))
    return "logistic_loss_grad", {"X": X, "y": y, "b": b}, w0, draw(floats(lo=0.05, hi=2.0)), draw(st.integers(0, 10))


@st.composite
def gradient_points(draw, *, max_w=3.0):
    """(kind, params, x): a quadratic with a in [0.5, 5] near its centre (|x - c| <= 8, so that
    forward differences, off by h * a, stand out of the rounding of |f| / 1e9), or a sum of sines."""
    x = draw(float_arrays(min_dims=0, max_dims=2, max_side=4, lo=-5.0, hi=5.0))
    if draw(st.integers(0, 2)) < 2:
        a = draw(_like(x.shape, floats(lo=0.5, hi=5.0)))
        c = draw(_like(x.shape, floats(lo=-3.0, hi=3.0)))
        return "quadratic", {"a": a, "c": c}, x
    return "sum_sin", {"w": draw(_like(x.shape, floats(lo=0.5, hi=max_w)))}, x


# ---------------------------------------------------------------------------------------------
# gradient_descent


@check(points=2)
@for_examples(case=quadratic_descents(), examples=[
    {"case": ({"a": 1.0, "c": 0.0}, np.array(-3.5), 0.1, 10)},
    {"case": ({"a": np.array([0.5, 2.0, 4.0]), "c": np.array([1.0, -2.0, 0.5])}, np.array([4.0, 3.0, -7.0]), 0.3, 6)},
    {"case": ({"a": 2.5, "c": np.array([[1.0, -1.0], [0.0, 3.0]])}, np.array([[0.5, 2.0], [-4.0, 9.0]]), 0.05, 10)},
])
def test_descent_quadratic_matches_reference(student, case):
    """gradient_descent on random quadratics, from starting points of 0 to 2 dimensions, 0 to 10 epochs"""
    params, x0, alpha, epochs = case
    descent_matches(student, Family("quadratic_grad", **params), x0, alpha, epochs)


@check(points=2)
@for_examples(case=other_descents(), examples=[
    {"case": ("sum_sin_grad", {"w": 1.0}, np.array([0.5, -2.0, 3.0]), 0.3, 10)},
    {"case": ("logistic_loss_grad", {"X": np.array([[1.0, 2.0], [-1.0, 0.5], [0.0, -2.0], [2.0, 1.0]]),
                                     "y": np.array([1.0, 0.0, 0.0, 1.0]), "b": 0.5}, np.zeros(2), 0.5, 10)},
])
def test_descent_other_functions_match_reference(student, case):
    """gradient_descent on sums of sines and on a logistic regression loss"""
    family, params, x0, alpha, epochs = case
    descent_matches(student, Family(family, **params), x0, alpha, epochs)


@check(points=1)
def test_zero_epochs_returns_x0(student):
    """with epochs = 0, gradient_descent returns x0 alone, with shape (1,) + shape(x0)"""
    grad = Family("quadratic_grad", a=1.5, c=-0.5)
    for x0 in (np.array(2.5), np.array([1.0, -3.0, 0.25]), np.array([[1.0, 2.0], [-3.0, 0.5]])):
        what = _("gradient_descent(grad, x0, alpha, 0) with a hidden x0")
        got = as_numbers(student.gradient_descent(grad, x0, 0.1, 0), what=what)
        if got.shape != (1,) + x0.shape:
            fail(_("{what} returned an array of another shape: with epochs = 0 it must return x0 alone, with "
                   "shape (1,) + shape(x0) (no step is taken; row 0 is x0 itself)").format(what=what))
        if not np.array_equal(got[0], x0):
            fail(_("{what}: the only row must be x0 itself, unchanged; yours differs from x0").format(what=what))
        # Returning x0 alone is what a descent that never moves does too: paid only once it moves right.
        only_if_right(_("{call} with epochs > 0").format(call=CALL), lambda x0=x0: descent_matches(student, grad, x0, 0.1, 3))


@check(points=1)
def test_iterates_not_rounded(student):
    """the iterates are floats with all their digits (not rounded, not float32)"""
    cases = [
        (Family("quadratic_grad", a=np.array([0.37, 1.3, 2.9, 0.011]), c=np.array([0.1, -0.3, 1 / 7, 2.2])),
         np.array([1 / 3, -2 / 7, 0.123456789, 7.77777]), 0.0123, 10),
        (Family("sum_sin_grad", w=1.7), np.array(np.pi), 0.3, 7),
    ]
    for grad, x0, alpha, epochs in cases:
        value = student.gradient_descent(grad, x0, alpha, epochs)
        if isinstance(value, np.ndarray) and value.dtype.kind not in "f":
            fail(_("{call} returned an array of {dtype} on a hidden test: the iterates must be float64 numbers").format(
                call=CALL, dtype=value.dtype))
        descent_matches(student, grad, x0, alpha, epochs, value=value, rtol=1e-12, atol=1e-15)


@check(points=1)
def test_descent_accepts_lists_and_numbers(student):
    """gradient_descent accepts x0 as a Python list, a nested list of ints, an int and a float, and an int alpha"""
    grad = Family("quadratic_grad", a=0.25, c=np.array([0.5, -1.0]))
    descent_matches(student, grad, [1.5, -2.0], 0.4, 5, send=[1.5, -2.0], what=_("{call} with x0 a Python list").format(call=CALL))
    grad = Family("quadratic_grad", a=0.3, c=0.25)
    nested = [[1, 2], [3, -4]]
    descent_matches(student, grad, nested, 0.5, 4, send=nested, what=_("{call} with x0 a nested list of ints").format(call=CALL))
    descent_matches(student, grad, 6, 0.5, 4, send=6, what=_("{call} with x0 a Python int").format(call=CALL))
    descent_matches(student, grad, 2.5, 1, 3, send=2.5, what=_("{call} with x0 a Python float and alpha an int").format(call=CALL))


@check(points=1)
def test_descent_leaves_x0_unchanged(student):
    """gradient_descent does not change the x0 it is given"""
    grad = Family("quadratic_grad", a=1.0, c=0.5)
    for x0 in (np.array([2.0, -1.5, 0.25]), np.array([[1.0, 3.0], [-2.0, 0.75]]), np.array(4.0)):
        call = student.call("gradient_descent", grad, x0, 0.2, 3)
        only_if_right(CALL, lambda x0=x0, call=call: descent_matches(student, grad, x0, 0.2, 3, value=call.value))
        after = call.args[1] if len(call.args) > 1 else None
        if not isinstance(after, np.ndarray) or after.shape != x0.shape or not np.array_equal(after, x0):
            fail("gradient_descent(grad, x0, alpha, epochs) changed its argument x0 in place on a hidden test. "
                 "Start from a copy: x = np.array(x0, dtype=float), then x = x - alpha * grad(x).")


# ---------------------------------------------------------------------------------------------
# numerical_gradient


@check(points=2)
@for_examples(case=gradient_points(), examples=[
    {"case": ("quadratic", {"a": np.array([[5.0, 4.0, 3.0], [2.0, 1.0, 0.5]]), "c": 0.5},
              np.array([[2.0, -1.0, 0.5], [3.0, 0.0, -4.0]]))},
    {"case": ("quadratic", {"a": 2.0, "c": -1.0}, np.array(1.5))},
    {"case": ("sum_sin", {"w": np.array([1.0, 2.0, 3.0])}, np.array([0.4, -1.3, 2.2]))},
])
def test_numerical_gradient_matches_analytic(student, case):
    """numerical_gradient with the default h against the analytic gradient, for x of 0 to 2 dimensions (central differences)"""
    kind, params, x = case
    f, gradient = Family(kind, **params), Family(kind + "_grad", **params)
    third = float(np.max(np.abs(params["w"]))) ** 3 if kind == "sum_sin" else 0.0
    gradient_matches(student, f, x, gradient(x), what=_("{call} with f {family}").format(call="numerical_gradient(f, x)", family=family_text(kind)),
                     atol=central_tolerance(f, x, H, third))


@st.composite
def steps_and_points(draw):
    x = draw(float_arrays(min_dims=0, max_dims=2, max_side=4, lo=-3.0, hi=3.0))
    w = draw(_like(x.shape, floats(lo=0.5, hi=2.5)))
    return {"w": w}, x, draw(st.sampled_from([0.1, 0.05, 0.02, 0.01])), draw(st.booleans())


@check(points=1)
@for_examples(case=steps_and_points(), examples=[
    {"case": ({"w": np.array([1.5, 2.0, 0.7])}, np.array([0.4, -1.1, 2.5]), 0.1, True)},
    {"case": ({"w": 2.0}, np.array([[0.3, 1.0], [-0.8, 2.2]]), 0.05, False)},
])
def test_numerical_gradient_uses_h(student, case):
    """numerical_gradient uses the h it is given (by keyword or by position), on sums of sines"""
    params, x, h, by_keyword = case
    f = Family("sum_sin", **params)
    what = "numerical_gradient(f, x, h=...)" if by_keyword else _("numerical_gradient(f, x, h) (h given by position)")
    what = _("{call} with f {family}").format(call=what, family=family_text("sum_sin"))
    gradient_matches(student, f, x, ref.numerical_gradient(f, x, h=h), what=what,
                     atol=central_tolerance(f, x, h), h=h, by_keyword=by_keyword)


@check(points=1)
def test_numerical_gradient_leaves_x_unchanged(student):
    """numerical_gradient does not change the x it is given, not even by rounding"""
    f, gradient = Family("quadratic", a=1.5, c=0.2), Family("quadratic_grad", a=1.5, c=0.2)
    points = (
        np.array([[0.1, 0.7, -2.3], [3.7e-7, -1.234e-6, 12.345]]),
        np.array([0.3, 1e-6, -4.0, 2.5e-6]),
        np.array(3.7e-7),
    )
    for x in points:
        for kwargs in ({}, {"h": 1e-3}):
            call = student.call("numerical_gradient", f, x, **kwargs)
            what = "numerical_gradient(f, x" + (", h=...)" if kwargs else ")")
            got = as_numbers(call.value, what=what)  # a result of the right shape, first
            if got.shape != x.shape:
                fail(_("{what} returned an array of another shape than the hidden x: "
                       "the result must have the shape of x (one partial derivative per entry)").format(what=what))
            only_if_right(what, lambda got=got, x=x, what=what: expect_close(got, gradient(x), what=what, public=False,
                                                                     rtol=1e-6, atol=1e-6))
            after = call.args[1] if len(call.args) > 1 else None
            if not isinstance(after, np.ndarray) or after.shape != x.shape or not np.array_equal(after, x):
                changed = ""
                if isinstance(after, np.ndarray) and after.shape == x.shape:
                    count = int(np.count_nonzero(after != x))
                    changed = _(" (every entry changed)") if count == x.size else ngettext(
                        " ({count} entry changed)", " ({count} entries changed)", count).format(count=count)
                fail(_("numerical_gradient(f, x) changed its argument x in place on a hidden test"
                       "{changed}. Build the shifted points as new arrays (x + step) or work on a copy "
                       "(np.array(x, dtype=float)): adding h to an entry and subtracting it again does not "
                       "always give back the same float.").format(changed=changed))


@check(points=1)
def test_numerical_gradient_accepts_lists_and_numbers(student):
    """numerical_gradient accepts x as a Python list, a nested list, an integer array, a float and an int"""
    f, gradient = Family("quadratic", a=2.0, c=0.5), Family("quadratic_grad", a=2.0, c=0.5)
    inputs = [
        ([1.0, -2.0, 0.5], N_("x a Python list")),
        ([[1.5, 2.0], [-3.0, 0.25]], N_("x a nested list")),
        (np.array([1, -2, 3]), N_("x an array of integers")),
        ([[1, 2], [3, 4]], N_("x a nested list of ints")),
        (0.7, N_("x a Python float")),
        (2, N_("x a Python int")),
    ]
    for sent, text in inputs:
        x = np.asarray(sent, dtype=float)
        gradient_matches(student, f, x, gradient(x), what=_("{call} with {inputs}").format(call="numerical_gradient(f, x)", inputs=_(text)),
                         atol=central_tolerance(f, x, H), send=sent)
