"""Hidden checks of assignment 05 (dense layer).

The student's layer lives in the sandboxed child: the judge creates it (``student.new``),
assigns ``W`` and ``b`` (``layer.set``), calls ``forward``/``backward`` and reads ``dW``/``db``.
Values are compared with the reference layer given the same ``W`` and ``b``, on inputs drawn by
hypothesis (derandomized and replayed: every submission sees the same inputs), and gradients
with central differences of the reference's ``L = sum(forward(X) * dout)`` on fixed seeded
cases (relu's kink skipped where a step would cross it). Feedback never shows a hidden input or
expected value: only shapes, which entries differ, the student's own values and hints.
"""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grader.authoring import (
    _,
    as_array,
    check,
    compare_gradient,
    credit_by_part,
    expect_close,
    expect_unchanged,
    fail,
    floats,
    for_examples,
    numerical_gradient,
    only_if_right,
    reference,
)

ref = reference("dense")

ACTIVATIONS = ("linear", "sigmoid", "tanh", "relu")


# ---------------------------------------------------------------------------------------------
# The judge's side


def reference_layer(activation, W, b):
    layer = ref.Dense(W.shape[0], W.shape[1], activation)
    layer.W, layer.b = W.copy(), b.copy()
    return layer


def reference_backward(activation, X, W, b, dout, relu_at_zero=0.0):
    """(out, dX, dW, db) of the reference; ``relu_at_zero``: relu's g'(0) (0 or 1 are fair)."""
    layer = reference_layer(activation, W, b)
    out = layer.forward(X)
    dX = layer.backward(dout)
    dW, db = layer.dW, layer.db
    if activation == "relu" and relu_at_zero:
        z = X @ W + b
        dz = dout * np.where(z >= 0, 1.0, 0.0)
        dX, dW, db = dz @ W.T, X.T @ dz, dz.sum(axis=0)
    return out, dX, dW, db


# The hints of typical bugs, word for word the same in the public and the hidden checks: a hint
# is given when the values are exactly those the bug gives (the judge makes it itself).
DENSE_NO_BIAS = "yours is g(X @ W), without b: g(X @ W + b)"
NO_DERIVATIVE = "yours leaves out g'(z): dz = dout * g'(z), then dX = dz @ W.T, dW = X.T @ dz"
RELU_SIDE = "yours takes relu's derivative as 1 where z < 0 and 0 where z > 0: the other way round"
# A dW of the right shape (W square) whose values are the right dW's transpose (dz.T @ X); the
# public check, whose W is not square, says the same of a transposed shape.
DW_TRANSPOSED = "yours is the transpose of dW: dW = X.T @ dz, not dz.T @ X"


def backward_mistakes(activation, X, W, b, dout):
    """For dX, dW and db: what backward gives without g'(z), and with relu's derivative flipped."""
    dz_variants = {NO_DERIVATIVE: dout} if activation != "linear" else {}
    if activation == "relu":
        dz_variants[RELU_SIDE] = dout * (X @ W + b < 0)
    return [{hint: dz @ W.T for hint, dz in dz_variants.items()},
            {hint: X.T @ dz for hint, dz in dz_variants.items()},
            {hint: dz.sum(axis=0) for hint, dz in dz_variants.items()}]


def transposed_too(mistakes, dW):
    """``mistakes`` of dW and, when dW is square, its transpose (dz.T @ X): that bug's values."""
    return {**mistakes, DW_TRANSPOSED: dW.T} if dW.shape == dW.shape[::-1] else mistakes


def describe(activation, W):
    """The layer in a hidden message: its sizes are hidden inputs, so they are not shown."""
    return f"Dense(in_features, out_features, {activation!r})"


def student_layer(student, activation, W, b):
    """The student's Dense(d, h, activation) with W and b assigned."""
    layer = student.new("Dense", W.shape[0], W.shape[1], activation)
    layer.set("W", W.copy())
    layer.set("b", b.copy())
    return layer


def student_backward(student, activation, X, W, b, dout):
    """(dX, dW, db) of the student's layer after forward(X), backward(dout), as float arrays."""
    layer = student_layer(student, activation, W, b)
    name = describe(activation, W)
    as_array(layer.forward(X), what=_("{call} of {layer}").format(call="forward(X)", layer=name), shape=(X.shape[0], W.shape[1]))
    returned = _("the {gradient} that {call} of {layer} returned").format(gradient="dX", call="backward", layer=name)
    dX = as_array(layer.backward(dout), what=returned, shape=X.shape)
    return dX, read_gradient(layer, "dW", W.shape, name), read_gradient(layer, "db", b.shape, name)


def read_gradient(layer, attribute, shape, name):
    """The attribute ``dW`` or ``db`` that backward set, as a float array of ``shape``.

    A shape that differs only by axes of length 1 (``db`` of shape (1, out_features), as
    ``keepdims=True`` gives) is read as ``shape``: the public check ``init_shapes`` owns the
    contract's shapes, so that this slip costs that check only."""
    value = layer.get(attribute)
    if value is None:
        fail(_("{call} of {layer} did not set {attribute} (it is None)").format(call="backward", layer=name, attribute=attribute))
    got = as_array(value, what=_("the {attribute} set by {call} of {layer}").format(attribute=attribute, call="backward", layer=name))
    if got.shape != shape and got.size == np.prod(shape) and [n for n in got.shape if n != 1] == [n for n in shape if n != 1]:
        return got.reshape(shape)
    if got.shape != shape:
        parameter = "W" if attribute == "dW" else "b"
        message = _("{call} of {layer} set {attribute} of another shape than {parameter}: it must have the shape of {parameter}")
        message = message.format(call="backward", layer=name, attribute=attribute, parameter=parameter)
        if len(shape) == 2 and got.shape == shape[::-1]:
            message += _(": transposed? dW = X.T @ dz, not dz.T @ X")
        elif attribute == "db" and got.ndim == 2 and got.size == int(np.prod(shape)):
            message += _(". An extra dimension? (dz.sum(axis=0) has shape (out_features,))")
        elif attribute == "db":
            message += _(". Summed over the wrong axis? (the sum runs over the samples: axis=0)")
        fail(message)
    return got


# ---------------------------------------------------------------------------------------------
# Strategies and fixed cases


def arrays(shape, lo, hi):
    return hnp.arrays(np.float64, shape, elements=floats(lo=lo, hi=hi))


@st.composite
def cases(draw):
    """(activation, X, W, b, dout): n 1..6 samples, d 1..5 inputs, h 1..5 units."""
    n, d, h = draw(st.integers(1, 6)), draw(st.integers(1, 5)), draw(st.integers(1, 5))
    activation = draw(st.sampled_from(ACTIVATIONS))
    X = draw(arrays((n, d), -3.0, 3.0))
    W = draw(arrays((d, h), -2.0, 2.0))
    b = draw(arrays((h,), -2.0, 2.0))
    dout = draw(arrays((n, h), -2.0, 2.0))
    return activation, X, W, b, dout


def seeded_case(seed, activation, n, d, h, zeros=False):
    rng = np.random.default_rng(seed)
    if zeros:  # whole numbers, so that z = X @ W + b is exactly 0 in several places
        X = rng.integers(-2, 3, size=(n, d)).astype(float)
        W = rng.integers(-1, 2, size=(d, h)).astype(float)
        b = np.zeros(h)
    else:
        X = rng.normal(size=(n, d))
        W = rng.normal(size=(d, h)) / np.sqrt(d)
        b = rng.normal(scale=0.5, size=h)
    dout = rng.normal(size=(n, h))
    return activation, X, W, b, dout


EXAMPLES = [
    {"case": seeded_case(1, "relu", 4, 3, 3, zeros=True)},
    {"case": seeded_case(2, "linear", 1, 1, 1)},
    {"case": seeded_case(3, "sigmoid", 5, 4, 2)},
    {"case": seeded_case(4, "tanh", 2, 3, 5)},
    {"case": seeded_case(5, "relu", 6, 2, 4)},
]

GRADIENT_SHAPES = [(4, 3, 2), (1, 2, 3), (5, 4, 4), (3, 1, 5), (6, 5, 1)]


def gradient_cases(activation):
    offset = 100 + 10 * ACTIVATIONS.index(activation)
    found = [seeded_case(offset + i, activation, *shape) for i, shape in enumerate(GRADIENT_SHAPES)]
    if activation == "relu":
        found.append(seeded_case(200, "relu", 5, 3, 4, zeros=True))
        found.append(seeded_case(201, "relu", 3, 4, 3, zeros=True))
    return found


# ---------------------------------------------------------------------------------------------
# Initialisation


@check(points=2)
def test_init_seeded(student):
    """W is seeded: equal for equal seeds, different for different seeds; finite, not constant; b zeros"""
    for d, h, activation in [(3, 4, "relu"), (5, 2, "tanh"), (2, 6, "sigmoid"), (4, 4, "linear")]:
        shown = f"Dense(in_features, out_features, {activation!r}, seed=...)"
        weights = {}
        for seed in (0, 7, 7, 123):
            layer = student.new("Dense", d, h, activation, seed=seed)
            W = as_array(layer.get("W"), what=_("the {parameter} of {layer}").format(parameter="W", layer=shown), shape=(d, h))
            b = as_array(layer.get("b"), what=_("the {parameter} of {layer}").format(parameter="b", layer=shown),
                         shape=(h,), loose=True)  # init_shapes owns the shape
            if not np.all(np.isfinite(W)):
                fail(_("the {parameter} of {layer} has nan or inf entries").format(parameter="W", layer=shown))
            if np.all(W == W.flat[0]):
                fail(_("every entry of the W of {layer} is the same number: draw W at random "
                       "(np.random.default_rng(seed).normal(...)), so that the units differ").format(layer=shown))
            if np.any(b != 0):
                fail(_("the b of {layer} is not all zeros").format(layer=shown))
            if seed in weights and not np.array_equal(weights[seed], W):
                fail(_("two layers {layer} with the same seed got different W: draw W from "
                       "np.random.default_rng(seed), not from the global random state").format(layer=shown))
            weights[seed] = W
        if np.array_equal(weights[0], weights[7]) or np.array_equal(weights[7], weights[123]):
            fail(_("layers {layer} with different seeds got the same W: use the seed argument").format(layer=shown))
        default = as_array(student.new("Dense", d, h, activation).get("W"),
                           what=_("the {parameter} of {layer}").format(
                               parameter="W", layer=f"Dense(in_features, out_features, {activation!r})"), shape=(d, h))
        if not np.array_equal(default, weights[0]):
            fail(_("{layer} and the same layer with seed=0 got different W: the default seed is 0").format(
                layer=f"Dense(in_features, out_features, {activation!r})"))


# ---------------------------------------------------------------------------------------------
# forward and backward against the reference


@check(points=3)
@for_examples(case=cases(), examples=EXAMPLES, batch=False)
def test_forward_matches_reference(student, case):
    """forward on random shapes and values, every activation, with W and b assigned"""
    activation, X, W, b, _dout = case
    layer = student_layer(student, activation, W, b)
    expected = reference_layer(activation, W, b).forward(X)
    name = describe(activation, W)
    got = layer.forward(X)
    yours = as_array(got, what=_("{call} of {layer}").format(call="forward(X)", layer=name), shape=expected.shape)
    without_b = reference_layer(activation, W, np.zeros_like(b)).forward(X)
    if close_enough(yours, without_b) and not close_enough(yours, expected):
        fail(_("{call} of {layer} on a hidden test is not g(X @ W + b).").format(call="forward(X)", layer=name), hint=DENSE_NO_BIAS)
    expect_close(yours, expected, what=_("{call} of {layer}").format(call="forward(X)", layer=name), public=False,
                 rtol=1e-6, atol=1e-9)


def close_enough(got, expected):
    return got.shape == expected.shape and np.allclose(got, expected, rtol=1e-6, atol=1e-9)


@check(points=3)
@for_examples(case=cases(), examples=EXAMPLES, batch=False)
def test_backward_matches_reference(student, case):
    """backward's dX, dW and db on random shapes and values, every activation (relu also at z = 0)"""
    activation, X, W, b, dout = case
    dX, dW, db = student_backward(student, activation, X, W, b, dout)
    _out, *expected = reference_backward(activation, X, W, b, dout)
    if activation == "relu" and not all(close_enough(g, e) for g, e in zip((dX, dW, db), expected)):
        other = reference_backward(activation, X, W, b, dout, relu_at_zero=1.0)[1:]
        if all(close_enough(g, e) for g, e in zip((dX, dW, db), other)):
            return  # g'(0) = 1: fair
    name = describe(activation, W)
    n = X.shape[0]
    mistakes = backward_mistakes(activation, X, W, b, dout)
    mistakes[1] = transposed_too(mistakes[1], expected[1])
    for what, got, want, known in zip((_("dX (returned)"), "dW", "db"), (dX, dW, db), expected, mistakes):
        expect_close(got, want, what=_("the {gradient} of {call} of {layer}").format(gradient=what, call="backward", layer=name), public=False,
                     rtol=1e-6, atol=1e-9, n=n, mistakes=known)


# ---------------------------------------------------------------------------------------------
# Gradients against numerical derivatives of the reference


def crosses_kink(activation, z, moved):
    """Whether a step that turns z into ``moved`` changes the sign of some z (or leaves 0)."""
    return activation == "relu" and bool(np.any(np.sign(moved) != np.sign(z)))


def kink_mask(activation, X, W, b, which):
    """Coordinates of X, W or b whose central difference would cross relu's kink."""
    value = {"X": X, "W": W, "b": b}[which]
    skipped = np.zeros(value.shape, dtype=bool)
    if activation != "relu":
        return skipped
    z = X @ W + b
    for index in np.ndindex(value.shape):
        h = 1e-5 * max(1.0, abs(float(value[index])))
        for sign in (1.0, -1.0):
            moved = {"X": X.copy(), "W": W.copy(), "b": b.copy()}
            moved[which][index] += sign * h
            if crosses_kink(activation, z, moved["X"] @ moved["W"] + moved["b"]):
                skipped[index] = True
    return skipped


def gradients_are_derivatives(student, activation):
    for number, (act, X, W, b, dout) in enumerate(gradient_cases(activation), start=1):
        dX, dW, db = student_backward(student, act, X, W, b, dout)
        name = describe(act, W)
        at = _("at hidden test {number}").format(number=number)
        value = float(np.sum(reference_layer(act, W, b).forward(X) * dout))

        def loss(which, act=act, X=X, W=W, b=b, dout=dout):  # this case's values, bound now
            def f(v):
                args = {"X": X, "W": W, "b": b}
                args[which] = v
                return float(np.sum(reference_layer(act, args["W"], args["b"]).forward(args["X"]) * dout))
            return f

        mistakes = backward_mistakes(act, X, W, b, dout)
        for (which, yours), known in zip((("X", dX), ("W", dW), ("b", db)), mistakes):
            target = {"X": X, "W": W, "b": b}[which]
            numerical = numerical_gradient(loss(which), target)
            if which == "W":
                known = transposed_too(known, numerical)
            compare_gradient(yours, numerical, name=_("{gradient} of {layer}").format(gradient=f"d{which}", layer=name), at=at, value_scale=value,
                             skipped=kink_mask(act, X, W, b, which), public=False, n=X.shape[0],
                             show_numerical=False, mistakes=known)


@check(points=2)
def test_gradients_linear(student):
    """dX, dW, db of a linear layer against numerical derivatives, on several shapes"""
    gradients_are_derivatives(student, "linear")


@check(points=2)
def test_gradients_sigmoid(student):
    """dX, dW, db of a sigmoid layer against numerical derivatives, on several shapes"""
    gradients_are_derivatives(student, "sigmoid")


@check(points=2)
def test_gradients_tanh(student):
    """dX, dW, db of a tanh layer against numerical derivatives, on several shapes"""
    gradients_are_derivatives(student, "tanh")


@check(points=2)
def test_gradients_relu(student):
    """dX, dW, db of a relu layer against numerical derivatives (skipping steps across the kink at 0)"""
    gradients_are_derivatives(student, "relu")


# ---------------------------------------------------------------------------------------------
# State, form, arguments


@check(points=1)
def test_state_per_layer_and_last_forward(student):
    """backward uses the last forward, the current W, and each layer's own state"""
    _tanh, X1, W, b, dout = seeded_case(300, "tanh", 4, 3, 2)
    _tanh, X2, W2, b2, _dout = seeded_case(301, "tanh", 4, 3, 2)
    first = student_layer(student, "tanh", W, b)
    second = student_layer(student, "tanh", W2, b2)
    first.forward(X1)
    first.forward(X2)  # the last forward counts
    second.forward(X1)  # another layer: must not disturb the first
    dX = as_array(first.backward(dout), what=_("the {gradient} that {call} returned").format(gradient="dX", call="backward"), shape=X2.shape)
    _out, want_dX, want_dW, want_db = reference_backward("tanh", X2, W, b, dout)
    dW = read_gradient(first, "dW", W.shape, _("the first layer"))
    db = read_gradient(first, "db", b.shape, _("the first layer"))
    if not (close_enough(dX, want_dX) and close_enough(dW, want_dW) and close_enough(db, want_db)):
        fail("after forward(X1), forward(X2) on one layer and a forward on a second layer, backward of the "
             "first layer did not give the gradients for X2: keep what backward needs on self (not in "
             "class attributes or globals), from the last forward")


@check(points=1)
def test_forward_accepts_lists(student):
    """forward and backward accept nested Python lists"""
    activation, X, W, b, dout = seeded_case(310, "sigmoid", 3, 2, 2)
    layer = student_layer(student, activation, W, b)
    out, dX, dW, db = reference_backward(activation, X, W, b, dout)
    expect_close(layer.forward(X.tolist()), out, what=_("{call} of a nested list").format(call="forward"), public=False)
    expect_close(layer.backward(dout.tolist()), dX, what=_("{call} of a nested list").format(call="backward"), public=False)
    expect_close(layer.get("dW"), dW, what=_("the {gradient} that {call} of a nested list set").format(gradient="dW", call="backward"), public=False,
                 mistakes=transposed_too({}, dW))


@check(points=1)
def test_arguments_not_modified(student):
    """forward and backward leave their arguments unchanged (each one's share paid once its values are right)"""
    def unchanged(activation, method):
        _activation, X, W, b, dout = seeded_case(320, activation, 4, 3, 3)
        out, dX, _dW, _db = reference_backward(activation, X, W, b, dout)
        layer = student_layer(student, activation, W, b)
        call = layer.call("forward", X.copy())
        shown = _("{call} of a {activation} layer").format(call="forward(X)", activation=activation)
        if method == "forward":
            only_if_right(shown, lambda: expect_close(call.value, out, what=shown, public=False))
            expect_unchanged(call, [X], what=shown, names=["X"])
            return
        call = layer.call("backward", dout.copy())
        shown = _("{call} of a {activation} layer").format(call="backward(dout)", activation=activation)
        returned = _("the {gradient} that {call} returned").format(gradient="dX", call=shown)
        only_if_right(shown, lambda: expect_close(call.value, dX, what=returned, public=False))
        expect_unchanged(call, [dout], what=shown, names=["dout"],
                         advice="compute dz = dout * g'(z) as a new array (not dout *= ...)")

    credit_by_part({f"{method} ({activation})": lambda a=activation, m=method: unchanged(a, m)
                    for activation in ACTIVATIONS for method in ("forward", "backward")})
