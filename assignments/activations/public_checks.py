"""Public checks of assignment 01 (activations): the ones `grader check activations` runs.

You can read every input and expected value here. The grader runs the very same checks when
it grades, plus hidden ones that try many more inputs (random arrays of several shapes,
lists and scalars, large values, other `eps`/`alpha`/`axis`), compare your derivatives with
numerical ones, and check that your functions leave their arguments unchanged.

Your code never runs in the grader's process: `student.sigmoid(z)` sends `z` to a separate,
sandboxed process that imports your activations.py, and gets back the numbers it returned.
"""

import numpy as np

from grader.authoring import (  # _: the sentences this suite composes (grader/i18n_extract.py)
    CheckFailure,
    _,
    as_array,
    check,
    compare_gradient,
    elementwise_derivative,
    expect_close,
    fail,
)


def close(got, expected, what, mistakes=None, **inputs):
    expected = np.asarray(expected, dtype=float)
    z = inputs.get("z")
    aligned = z if z is not None and np.shape(z) == expected.shape else None  # "wrong only where z < 0"
    expect_close(got, expected, what=what, public=True, inputs=inputs, mistakes=mistakes, aligned=aligned)


# The hints of typical bugs: a hint is given when your values are exactly those of the bug.
IGNORES_EPS = "yours is what the default eps=0.01 gives: use the eps argument"
IGNORES_ALPHA = "yours is what the default alpha=1.0 gives: use the alpha argument"
STEP_STRICT = "step(0) must be 1.0: the threshold is z >= 0, not z > 0"
RELU_GRAD_SIDE = "yours is 1 for z < 0 and 0 for z > 0: the other way round"
SIGMOID_SIGN = "yours is 1 / (1 + exp(z)) = sigmoid(-z): the sign of the exponent is flipped"
SIGMOID_GRAD_OF_Z = "yours is z * (1 - z): sigmoid_grad gets z, not sigmoid(z); compute s = sigmoid(z) first"
TANH_GRAD_SIGMOID = "yours is tanh(z) * (1 - tanh(z)), the pattern of the sigmoid: the derivative of tanh is 1 - tanh(z)**2"
TANH_GRAD_NO_SQUARE = "yours is 1 - tanh(z): the square is missing (1 - tanh(z)**2)"
SOFTMAX_SHIFT = "exp(1000) overflows to inf: subtract the maximum along the axis first (softmax does not change)"


def sigmoid_of(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
SOFTMAX_AXIS = "yours sums to 1 along another axis: normalize along the axis argument (by default the last, axis=-1)"
SOFTMAX_GLOBAL = "yours sums to 1 over the whole array: sum along the axis only (keepdims=True)"


def softmax_along(z, axis):
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_mistakes(z):
    """The values of softmax along the first axis of a matrix, and over the whole array."""
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return {SOFTMAX_AXIS: softmax_along(z, 0), SOFTMAX_GLOBAL: e / e.sum()}


@check(points=1)
def test_sigmoid_values(student):
    """sigmoid at a few points"""
    z = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
    close(student.sigmoid(z), [0.11920292, 0.26894142, 0.5, 0.73105858, 0.88079708], "sigmoid(z)",
          {SIGMOID_SIGN: sigmoid_of(-z)}, z=z)


@check(points=1)
def test_sigmoid_stable(student):
    """sigmoid is stable: right for z = -1000 and 1000, without an overflow warning"""
    z = np.array([-1000.0, -745.0, 0.0, 745.0, 1000.0])
    call = student.call("sigmoid", z)
    overflow = [w for w in call.warnings if "overflow" in w]
    if overflow:
        fail(
            _(
                "sigmoid(z) with z = {z} raised {warning}. "
                "Hint: exp(-z) overflows for large negative z; use exp(-|z|) and the two forms "
                "1/(1+exp(-z)) for z >= 0 and exp(z)/(1+exp(z)) for z < 0."
            ).format(z=z.tolist(), warning=overflow[0])
        )
    close(call.value, [0.0, 0.0, 0.5, 1.0, 1.0], "sigmoid(z)", {SIGMOID_SIGN: sigmoid_of(-z)}, z=z)


@check(points=1)
def test_sigmoid_grad_values(student):
    """sigmoid_grad at a few points"""
    z = np.array([-2.0, 0.0, 2.0])
    close(student.sigmoid_grad(z), [0.10499359, 0.25, 0.10499359], "sigmoid_grad(z)", {SIGMOID_GRAD_OF_Z: z * (1 - z)}, z=z)


@check(points=1)
def test_tanh_values(student):
    """tanh and tanh_grad at a few points"""
    z = np.array([-1.0, 0.0, 0.5])
    close(student.tanh(z), [-0.76159416, 0.0, 0.46211716], "tanh(z)", z=z)
    t = np.tanh(z)
    close(student.tanh_grad(z), [0.41997434, 1.0, 0.78644773], "tanh_grad(z)",
          {TANH_GRAD_SIGMOID: t * (1 - t), TANH_GRAD_NO_SQUARE: 1 - t}, z=z)


@check(points=1)
def test_relu_values(student):
    """relu and relu_grad at a few points"""
    z = np.array([-2.0, -0.5, 0.0, 3.0])
    close(student.relu(z), [0.0, 0.0, 0.0, 3.0], "relu(z)", z=z)
    z = np.array([-2.0, -0.5, 3.0])
    close(student.relu_grad(z), [0.0, 0.0, 1.0], "relu_grad(z)", {RELU_GRAD_SIDE: [1.0, 1.0, 0.0]}, z=z)


@check(points=1)
def test_leaky_relu_values(student):
    """leaky_relu and leaky_relu_grad with the default eps and with eps=0.1"""
    z = np.array([-2.0, 3.0])
    close(student.leaky_relu(z), [-0.02, 3.0], "leaky_relu(z)", z=z)
    close(student.leaky_relu(z, eps=0.1), [-0.2, 3.0], "leaky_relu(z, eps=0.1)", {IGNORES_EPS: [-0.02, 3.0]}, z=z)
    close(student.leaky_relu_grad(z), [0.01, 1.0], "leaky_relu_grad(z)", z=z)
    close(student.leaky_relu_grad(z, eps=0.1), [0.1, 1.0], "leaky_relu_grad(z, eps=0.1)", {IGNORES_EPS: [0.01, 1.0]}, z=z)


@check(points=1)
def test_elu_values(student):
    """elu with the default alpha and with alpha=2"""
    z = np.array([-1.0, 0.0, 2.0])
    close(student.elu(z), [-0.63212056, 0.0, 2.0], "elu(z)", z=z)
    close(student.elu(z, alpha=2.0), [-1.26424112, 0.0, 2.0], "elu(z, alpha=2.0)", {IGNORES_ALPHA: [-0.63212056, 0.0, 2.0]},
          z=z)


@check(points=1)
def test_softmax_values(student):
    """softmax of a vector, and of each row of a matrix"""
    z = np.array([1.0, 2.0, 3.0])
    close(student.softmax(z), [0.09003057, 0.24472847, 0.66524096], "softmax(z)", z=z)
    z = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
    expected = [[0.09003057, 0.24472847, 0.66524096], [1 / 3, 1 / 3, 1 / 3]]
    close(student.softmax(z), expected, "softmax(z)", softmax_mistakes(z), z=z)


@check(points=1)
def test_softmax_stable(student):
    """softmax stays finite for entries of magnitude 1000"""
    z = np.array([[1000.0, 999.0, -1000.0], [-1000.0, -999.0, -1000.0]])
    got = as_array(student.softmax(z), what="softmax(z)", shape=z.shape)
    if not np.all(np.isfinite(got)):
        fail(_("softmax(z) with z = {z} gave {got}.").format(z=z.tolist(), got=got.tolist()), hint=SOFTMAX_SHIFT)
    close(got, [[0.73105858, 0.26894142, 0.0], [0.21194156, 0.57611688, 0.21194156]], "softmax(z)",
          softmax_mistakes(z), z=z)


@check(points=1)
def test_step_values(student):
    """step is 1.0 for z >= 0 and 0.0 below, as floats"""
    z = np.array([-1.5, -1e-9, 0.0, 2.0])
    got = student.step(z)
    close(got, [0.0, 0.0, 1.0, 1.0], "step(z)", {STEP_STRICT: [0.0, 0.0, 0.0, 1.0]}, z=z)
    kind = np.asarray(got).dtype
    if kind.kind not in "f":
        fail(_("step(z) with z = {z} returned {dtype} values {got}: return the "
               "floats 0.0 and 1.0, e.g. np.where(z >= 0, 1.0, 0.0) or (z >= 0).astype(float)").format(
                 z=z.tolist(), dtype=kind, got=np.asarray(got).tolist()))


# The functions themselves, written out here: a `*_grad` is judged against the derivative of the
# true function, so that a wrong `relu` costs the checks of relu, and zeros are not the
# "derivative" of a constant.
TRUE_FUNCTIONS = {
    "sigmoid": sigmoid_of,
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
}
GRAD_MISTAKES = {
    "sigmoid": lambda z: {SIGMOID_GRAD_OF_Z: z * (1 - z)},
    "tanh": lambda z: {TANH_GRAD_SIGMOID: np.tanh(z) * (1 - np.tanh(z)), TANH_GRAD_NO_SQUARE: 1 - np.tanh(z)},
    "relu": lambda z: {RELU_GRAD_SIDE: np.where(z < 0, 1.0, 0.0)},
    "leaky_relu": lambda z: {},
}


def derivative_check(student, name, z, kinks=()):
    """The student's `<name>_grad(z)` against the numerical derivative of the true `<name>`.

    Whether a wrong `<name>_grad` is the derivative of the student's own `<name>` is a
    diagnostic, worth no points: a hint (the student's `<name>` is called only then)."""
    function = TRUE_FUNCTIONS[name]
    numerical, skipped = elementwise_derivative(function, z, kinks=kinks, what=f"{name}(z)")
    grad = getattr(student, f"{name}_grad")(z)
    try:
        compare_gradient(grad, numerical, name=f"{name}_grad", value_scale=function(z), skipped=skipped,
                         public=True, inputs={"z": z}, mistakes=GRAD_MISTAKES[name](z))
    except CheckFailure as failure:
        own = own_derivative(student, name, z, kinks)
        yours = np.asarray(grad, dtype=float) if np.shape(grad) == z.shape else None
        if failure.hint is None and own is not None and yours is not None and np.allclose(
                own[~skipped], yours[~skipped], rtol=1e-4, atol=1e-7):
            raise failure.with_hint(_("yours is the derivative of your own {name}, which is wrong: "
                                      "{name}'s own checks say where").format(name=name)) from None
        raise


def own_derivative(student, name, z, kinks):
    """The numerical derivative of the student's own `<name>` at z, or None: a diagnostic never
    fails a check, whatever the student's function does."""
    try:
        own, _skipped = elementwise_derivative(getattr(student, name), z, kinks=kinks, what=f"{name}(z)")
    except Exception:  # noqa: BLE001 - raised, crashed, timed out: no diagnostic
        return None
    return own if np.all(np.isfinite(own)) else None


DERIVATIVE_POINTS = np.array([-4.0, -1.5, -0.3, 0.2, 1.0, 3.5])


@check(points=1)
def test_sigmoid_grad_is_derivative(student):
    """sigmoid_grad agrees with the numerical derivative of sigmoid"""
    derivative_check(student, "sigmoid", DERIVATIVE_POINTS)


@check(points=1)
def test_tanh_grad_is_derivative(student):
    """tanh_grad agrees with the numerical derivative of tanh"""
    derivative_check(student, "tanh", DERIVATIVE_POINTS)


@check(points=1)
def test_relu_grad_is_derivative(student):
    """relu_grad and leaky_relu_grad agree with the numerical derivatives of relu and leaky_relu"""
    derivative_check(student, "relu", DERIVATIVE_POINTS, kinks=(0.0,))
    derivative_check(student, "leaky_relu", DERIVATIVE_POINTS, kinks=(0.0,))
