"""Public checks of assignment 05 (dense layer): the ones `grader check dense` runs.

You can read every input and expected value here. The grader runs the very same checks when
it grades, plus hidden ones: random shapes and values for every activation against a reference
layer, numerical gradients, seeding, and that your layer keeps its own state.

Your code never runs in the grader's process: `student.new("Dense", 2, 3, "tanh")` creates your
layer in a separate, sandboxed process; `layer.set("W", W)` assigns `layer.W = W` there,
`layer.forward(X)` calls your method there and gets back the numbers it returned, and
`layer.get("dW")` reads an attribute.
"""

import numpy as np

from grader.authoring import (
    _,
    as_array,
    check,
    check_gradient,
    expect_close,
    fail,
)

# A small fixed layer: 3 samples, 2 inputs, 3 units. Every z = X @ W + b is at least 0.2 away
# from 0, so relu's kink never gets in the way of the numerical derivatives.
X = np.array([[1.0, -2.0], [0.5, 0.0], [-1.5, 1.0]])
W = np.array([[0.2, -0.4, 0.6], [0.5, 0.1, -0.3]])
B = np.array([0.1, -0.2, 0.05])
# dout for backward: the derivative of L = sum(forward(X) * G) with respect to the output is G.
G = np.array([[1.0, -0.5, 2.0], [0.3, 1.5, -1.0], [-2.0, 0.25, 0.5]])

ACTIVATIONS = {
    "linear": lambda z: z,
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
}


# The hints of typical bugs, word for word the same in the public and the hidden checks: a hint
# is given when the values are exactly those the bug gives (the judge makes it itself).
DENSE_NO_BIAS = "yours is g(X @ W), without b: g(X @ W + b)"
NO_DERIVATIVE = "yours leaves out g'(z): dz = dout * g'(z), then dX = dz @ W.T, dW = X.T @ dz"
RELU_SIDE = "yours takes relu's derivative as 1 where z < 0 and 0 where z > 0: the other way round"


def backward_mistakes(activation, X, W, b, dout):
    """For dX, dW and db: what backward gives without g'(z), and with relu's derivative flipped."""
    dz_variants = {NO_DERIVATIVE: dout} if activation != "linear" else {}
    if activation == "relu":
        dz_variants[RELU_SIDE] = dout * (X @ W + b < 0)
    return [{hint: dz @ W.T for hint, dz in dz_variants.items()},
            {hint: X.T @ dz for hint, dz in dz_variants.items()},
            {hint: dz.sum(axis=0) for hint, dz in dz_variants.items()}]


def read_dW(layer, what):
    """The dW that backward set, as floats of W's shape; one of the transposed shape says what
    to compute instead (the shapes are the public W's)."""
    dW = as_array(layer.get("dW"), what=what)
    if dW.shape == W.shape[::-1]:
        fail(_("{what} has shape {got}; expected {expected}, the shape of W: transposed? dW = X.T @ dz, not dz.T @ X").format(
            what=what, got=dW.shape, expected=W.shape))
    return as_array(dW, what=what, shape=W.shape, loose=True)


def fixed_layer(student, activation):
    """Your Dense(2, 3, activation) with W and b replaced by the fixed ones above."""
    layer = student.new("Dense", 2, 3, activation)
    layer.set("W", W.copy())
    layer.set("b", B.copy())
    return layer


def forward_check(student, activation):
    layer = fixed_layer(student, activation)
    expected = ACTIVATIONS[activation](X @ W + B)
    expect_close(layer.forward(X), expected, what=_("{call} of {layer}").format(call="forward(X)", layer=f"Dense(2, 3, {activation!r})"),
                 public=True, inputs={"X": X, "W": W, "b": B},
                 mistakes={DENSE_NO_BIAS: ACTIVATIONS[activation](X @ W)})


def backward_check(student, activation):
    """dX, dW and db of your backward(G) against central differences of L = sum(forward(X) * G),
    with forward computed here: g(X @ W + b)."""
    layer = fixed_layer(student, activation)
    where = f"Dense(2, 3, {activation!r})"
    as_array(layer.forward(X), what=_("{call} of {layer}").format(call="forward(X)", layer=where), shape=(3, 3))
    dX = layer.backward(G)
    # init_shapes owns the contract's shapes: here a db of shape (1, 3) is read as (3,)
    dW = read_dW(layer, _("{gradient} (set by backward) of {layer}").format(gradient="dW", layer=where))
    db = as_array(layer.get("db"), what=_("{gradient} (set by backward) of {layer}").format(gradient="db", layer=where), shape=B.shape, loose=True)
    inputs = {"X": X, "W": W, "b": B, "dout": G}
    g = ACTIVATIONS[activation]

    def loss(what):
        def f(value):
            args = {"X": X, "W": W, "b": B, what: value}
            return float(np.sum(g(args["X"] @ args["W"] + args["b"]) * G))
        return f

    on_dX, on_dW, on_db = backward_mistakes(activation, X, W, B, G)
    check_gradient(loss("X"), dX, X, name=_("{gradient} (what backward returned) of {layer}").format(gradient="dX", layer=where), public=True,
                   inputs=inputs, n=3, what="sum(forward(X) * dout)", mistakes=on_dX)
    check_gradient(loss("W"), dW, W, name=_("{gradient} (set by backward) of {layer}").format(gradient="dW", layer=where), public=True,
                   inputs=inputs, n=3, what="sum(forward(X) * dout)", mistakes=on_dW)
    check_gradient(loss("b"), db, B, name=_("{gradient} (set by backward) of {layer}").format(gradient="db", layer=where), public=True,
                   inputs=inputs, n=3, what="sum(forward(X) * dout)", mistakes=on_db)


@check(points=1)
def test_init_shapes(student):
    """W has shape (in_features, out_features), b shape (out_features,) and zeros, W random, not all zero;
    backward sets dW and db of the shapes of W and b (the one check of these shapes)"""
    for args in [(4, 3), (2, 5, "relu"), (1, 1, "tanh")]:
        shown = "Dense(" + ", ".join(repr(a) for a in args) + ")"
        layer = student.new("Dense", *args)
        d, h = args[0], args[1]
        Wgot = as_array(layer.get("W"), what=_("the {parameter} of {layer}").format(parameter="W", layer=shown), shape=(d, h))
        bgot = as_array(layer.get("b"), what=_("the {parameter} of {layer}").format(parameter="b", layer=shown), shape=(h,))
        if not np.all(np.isfinite(Wgot)):
            fail(_("the {parameter} of {layer} has nan or inf entries").format(parameter="W", layer=shown))
        if not np.any(Wgot != 0):
            fail(_("the W of {layer} is all zeros: draw it at random (np.random.default_rng(seed).normal(...)), "
                   "or every unit computes the same thing and learns the same thing").format(layer=shown))
        if Wgot.size > 1 and len(np.unique(Wgot)) < max(2, Wgot.size // 2):
            fail(_("the W of {layer} has few distinct values ({distinct} of {size} entries): draw "
                   "it at random (np.random.default_rng(seed).normal(...)), so that the units differ").format(
                     layer=shown, distinct=len(np.unique(Wgot)), size=Wgot.size))
        expect_close(bgot, np.zeros(h), what=_("the {parameter} of {layer}").format(parameter="b", layer=shown), public=True)
    layer = fixed_layer(student, "linear")
    as_array(layer.forward(X), what=_("{call} of {layer}").format(call="forward(X)", layer="Dense(2, 3)"), shape=(3, 3))
    layer.backward(G)
    set_by = _("the {gradient} that {call} of {layer} set").format(gradient="dW", call="backward(dout)", layer="Dense(2, 3)")
    as_array(read_dW(layer, set_by), what=set_by, shape=W.shape)
    set_by = _("the {gradient} that {call} of {layer} set").format(gradient="db", call="backward(dout)", layer="Dense(2, 3)")
    as_array(layer.get("db"), what=set_by, shape=B.shape)


@check(points=1)
def test_forward_linear(student):
    """forward of a fixed linear layer: X @ W + b"""
    forward_check(student, "linear")


@check(points=1)
def test_forward_sigmoid(student):
    """forward of a fixed sigmoid layer"""
    forward_check(student, "sigmoid")


@check(points=1)
def test_forward_tanh(student):
    """forward of a fixed tanh layer"""
    forward_check(student, "tanh")


@check(points=1)
def test_forward_relu(student):
    """forward of a fixed relu layer"""
    forward_check(student, "relu")


@check(points=1)
def test_backward_linear(student):
    """backward of a fixed linear layer: dX, dW, db against numerical derivatives of g(X @ W + b)"""
    backward_check(student, "linear")


@check(points=1)
def test_backward_sigmoid(student):
    """backward of a fixed sigmoid layer: dX, dW, db against numerical derivatives of g(X @ W + b)"""
    backward_check(student, "sigmoid")


@check(points=1)
def test_backward_tanh(student):
    """backward of a fixed tanh layer: dX, dW, db against numerical derivatives of g(X @ W + b)"""
    backward_check(student, "tanh")


@check(points=1)
def test_backward_relu(student):
    """backward of a fixed relu layer: dX, dW, db against numerical derivatives of g(X @ W + b)"""
    backward_check(student, "relu")
