"""Public checks of assignment 03 (gradient descent): the ones `grader check gradient_descent` runs.

You can read every input and expected value here. The grader runs the very same checks when
it grades, plus hidden ones that try other functions, starting points of several shapes,
learning rates, numbers of epochs (0 included) and steps h, and check that your functions
leave their arguments unchanged and accept lists and integers.

Your code never runs in the grader's process: `student.gradient_descent(grad, ...)` sends a
description of `grad` (say "the gradient of sum(a * (x - c)**2) with a = 1, c = 0") to a
separate, sandboxed process that imports your gradient_descent.py, rebuilds that very
function there, calls yours with it and sends back the numbers you returned.
`Family("quadratic_grad", a=1.0, c=0.0)` is that description; it is also an ordinary
function here (grad(x) = 2 * a * (x - c)), the one the expected values are computed with.
"""

import numpy as np

from grader.authoring import (
    Family,
    _,
    as_numbers,
    check,
    expect_close,
    fail,
    finite_difference_hint,
    format_array,
    format_number,
)

# f(x) = x**2 (a quadratic with a = 1, c = 0) has the gradient grad(x) = 2 * x.
SQUARE_GRAD = Family("quadratic_grad", a=1.0, c=0.0)
CALL = "gradient_descent(grad, x0, alpha, epochs)"


def iterates(value, what, x0_shape, epochs):
    """The iterates as a float64 array of shape ``(epochs + 1,) + x0_shape``, with a hint on a
    wrong number of rows."""
    got = as_numbers(value, what=what)
    wanted = (epochs + 1,) + tuple(x0_shape)
    if got.shape == wanted:
        return got
    message = _("{what} returned shape {shape}, expected {wanted} = (epochs + 1,) + shape(x0)").format(
        what=what, shape=got.shape, wanted=wanted)
    if got.shape[1:] == wanted[1:] and got.ndim == len(wanted):
        rows = got.shape[0]
        if rows == epochs:
            message += _(": one row short. Is x0 missing? Row 0 must be x0 itself, then one row per step.")
        elif rows == epochs + 2:
            message += _(": one row too many. Exactly `epochs` steps, plus x0 in row 0.")
    elif got.shape == (epochs + 1,) and x0_shape:
        message += _(": one number per step? Each row must be a whole iterate, of the shape of x0.")
    fail(message)


# The hints of typical bugs (the hidden checks give the same): your iterates are exactly what the bug gives.
UPHILL = "your iterates go uphill: the update is x - alpha * grad(x), not x + alpha * grad(x)"
SAME_ROWS = ("all your rows are equal: did you store the same array every time and update it in place "
             "(x -= ...)? Store copies, or write x = x - alpha * grad(x)")


def descent(grad, x0, alpha, epochs):
    """The iterates x, x - alpha * grad(x), ... with the judge's own copy of ``grad``."""
    rows = [np.asarray(x0, dtype=float)]
    for _step in range(epochs):
        rows.append(rows[-1] - alpha * np.asarray(grad(rows[-1]), dtype=float))
    return np.array(rows)


def descent_close(student, grad, grad_text, x0, alpha, epochs, expected):
    what = _("{call} for grad(x) = {grad}").format(call=CALL, grad=grad_text)
    got = iterates(student.gradient_descent(grad, x0, alpha, epochs), what, np.shape(x0), epochs)
    expected = np.asarray(expected, dtype=float)
    mistakes = {UPHILL: descent(grad, x0, -alpha, epochs), SAME_ROWS: np.broadcast_to(expected[-1], expected.shape)}
    mistakes.update({_("your iterates look rounded to {digits} decimals: do not round them").format(digits=d):
                     np.round(expected, d) for d in range(1, 9)})
    expect_close(got, expected, what=what, public=True,
                 inputs={"x0": x0, "alpha": alpha, "epochs": epochs}, rtol=1e-9, atol=1e-12, mistakes=mistakes)
    return got


@check(points=1)
def test_lecture_alpha_0_25(student):
    """the lecture: f(x) = x**2 from x0 = 6 with alpha = 0.25 for 8 epochs gives 6, 3, 1.5, ..., 0.0234375"""
    expected = [6.0, 3.0, 1.5, 0.75, 0.375, 0.1875, 0.09375, 0.046875, 0.0234375]
    descent_close(student, SQUARE_GRAD, "2*x (f(x) = x**2)", 6.0, 0.25, 8, expected)


@check(points=1)
def test_lecture_alpha_0_06(student):
    """the lecture: f(x) = x**2 from x0 = 6 with alpha = 0.06 for 8 epochs ends near 2.157807"""
    expected = 6.0 * 0.88 ** np.arange(9)  # every step multiplies x by 1 - 2 * 0.06
    what = _("{call} for grad(x) = {grad}").format(call=CALL, grad="2*x (f(x) = x**2)")
    got = iterates(student.gradient_descent(SQUARE_GRAD, 6.0, 0.06, 8), what, (), 8)
    if not np.isclose(got[-1], 2.157807, rtol=1e-6, atol=0):
        fail(_("{what} with {inputs}: the last iterate is {last}, expected about {expected} ({formula}). "
               "All your iterates: {iterates}").format(what=what, inputs="x0=6.0, alpha=0.06, epochs=8",
                                                       last=format_number(got[-1], digits=8), expected="2.157807",
                                                       formula="6 * 0.88**8", iterates=format_array(got)))
    expect_close(got, expected, what=what, public=True,
                 inputs={"x0": 6.0, "alpha": 0.06, "epochs": 8}, rtol=1e-9, atol=1e-12)


@check(points=1)
def test_lecture_alpha_1_1_diverges(student):
    """the lecture: with alpha = 1.1 each step overshoots: 6, -7.2, 8.64, ... grows to about 25.798902"""
    expected = 6.0 * (-1.2) ** np.arange(9)  # every step multiplies x by 1 - 2 * 1.1 = -1.2
    what = _("{call} for grad(x) = {grad}").format(call=CALL, grad="2*x (f(x) = x**2)")
    got = iterates(student.gradient_descent(SQUARE_GRAD, 6.0, 1.1, 8), what, (), 8)
    signs = np.sign(got)
    if not np.array_equal(signs, np.sign(expected)):
        fail(_("{what} with {inputs}: your iterates {iterates} have the signs "
               "{signs}; they should alternate +, -, +, ... (every step jumps over the "
               "minimum at 0 and lands further away), starting with x0 = 6.").format(
                 what=what, inputs="x0=6.0, alpha=1.1, epochs=8", iterates=format_array(got), signs=format_array(signs)))
    if not np.isclose(got[-1], 25.798902, rtol=1e-6, atol=0):
        fail(_("{what} with {inputs}: the last iterate is {last}, expected about {expected} ({formula}). "
               "All your iterates: {iterates}").format(what=what, inputs="x0=6.0, alpha=1.1, epochs=8",
                                                       last=format_number(got[-1], digits=8), expected="25.798902",
                                                       formula="6 * (-1.2)**8", iterates=format_array(got)))
    expect_close(got, expected, what=what, public=True,
                 inputs={"x0": 6.0, "alpha": 1.1, "epochs": 8}, rtol=1e-9, atol=1e-12)


@check(points=1)
def test_vector_and_matrix_x0(student):
    """a vector x0 gives an (epochs + 1, d) array of iterates, a matrix x0 an (epochs + 1, n, m) one"""
    a, c = np.array([1.0, 2.0, 0.5]), np.array([0.0, 1.0, -1.0])
    x0 = np.array([1.0, -2.0, 3.0])
    expected = [x0]
    for _step in range(5):
        expected.append(expected[-1] - 0.1 * 2 * a * (expected[-1] - c))
    descent_close(student, Family("quadratic_grad", a=a, c=c),
                  _("{formula} with {inputs}").format(formula="2*a*(x - c)", inputs="a=[1.0, 2.0, 0.5], c=[0.0, 1.0, -1.0]"),
                  x0, 0.1, 5, np.array(expected))

    x0 = np.array([[1.0, -1.0], [0.5, 2.0]])
    expected = [x0]
    for _step in range(3):
        expected.append(expected[-1] - 0.2 * 2 * expected[-1])
    descent_close(student, SQUARE_GRAD, "2*x (f(x) = sum(x**2))", x0, 0.2, 3, np.array(expected))


def gradient_close(student, f, f_text, x, expected, atol, **inputs):
    what = _("{call} for f(x) = {f}").format(call="numerical_gradient(f, x)", f=f_text)
    x = np.asarray(x, dtype=float)
    got = as_numbers(student.numerical_gradient(f, x), what=what)
    if got.shape != x.shape:
        fail(_("{what} with x={x}: returned shape {shape}, expected {wanted} "
               "(the shape of x: one partial derivative per entry)").format(
                 what=what, x=format_array(x), shape=got.shape, wanted=x.shape))
    hint = finite_difference_hint(got, f, x, h=1e-5)
    if hint and not np.allclose(got, expected, rtol=1e-9, atol=atol):
        off = format_number(np.max(np.abs(got - expected)), digits=2)
        fail(_("{what} with x={x}: {hint}. Yours are off by up to {off} from the exact "
               "gradient {gradient}; central differences are within {atol} here.").format(
                 what=what, x=format_array(x), hint=hint, off=off, gradient=format_array(expected), atol=format_number(atol)))
    expect_close(got, expected, what=what, public=True, inputs={"x": x, **inputs}, rtol=1e-9, atol=atol)


@check(points=1)
def test_numerical_gradient_quadratic(student):
    """numerical_gradient of sum(a * (x - c)**2) at a vector x equals its gradient 2*a*(x - c)"""
    a, c = np.array([1.0, 3.0, 5.0]), np.array([0.5, -1.0, 2.0])
    x = np.array([2.0, 1.0, -1.5])
    # Central differences are exact for a quadratic up to rounding (about 1e-9 here);
    # forward differences are off by h * a, at least 1e-5.
    gradient_close(student, Family("quadratic", a=a, c=c), "sum(a * (x - c)**2)", x,
                   2 * a * (x - c), 1e-7, a=a, c=c)


@check(points=1)
def test_numerical_gradient_sum_sin(student):
    """numerical_gradient of sum(sin(2x)) at a matrix x and at a number equals 2*cos(2x)"""
    f = Family("sum_sin", w=2.0)
    # Central differences are off by about h**2/6 * 8 = 1.3e-10 here; forward ones by up to 2e-5.
    x = np.array([[0.3, -1.2], [2.0, 1.0]])
    gradient_close(student, f, "sum(sin(2*x))", x, 2 * np.cos(2 * x), 1e-8)
    gradient_close(student, f, "sum(sin(2*x))", 0.5, 2 * np.cos(1.0), 1e-8)
