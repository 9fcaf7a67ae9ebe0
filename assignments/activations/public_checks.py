"""Public checks of assignment 01 (activations): the ones `grader check activations` runs.

You can read every input and expected value here. The grader runs the very same checks when
it grades, plus hidden ones that try many more inputs (random arrays of several shapes,
lists and scalars, large values, other `eps`/`alpha`/`axis`), compare your derivatives with
numerical ones, and check that your functions leave their arguments unchanged.

Your code never runs in the grader's process: `student.sigmoid(z)` sends `z` to a separate,
sandboxed process that imports your activations.py, and gets back the numbers it returned.
"""

import numpy as np

from grader.authoring import (
    as_array,
    check,
    compare_gradient,
    elementwise_derivative,
    expect_close,
    fail,
)


def close(got, expected, what, **inputs):
    expect_close(got, np.asarray(expected, dtype=float), what=what, public=True, inputs=inputs)


@check(points=1)
def test_sigmoid_values(student):
    """sigmoid at a few points"""
    z = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
    close(student.sigmoid(z), [0.11920292, 0.26894142, 0.5, 0.73105858, 0.88079708], "sigmoid(z)", z=z)


@check(points=1)
def test_sigmoid_stable(student):
    """sigmoid is stable: right for z = -1000 and 1000, without an overflow warning"""
    z = np.array([-1000.0, -745.0, 0.0, 745.0, 1000.0])
    call = student.call("sigmoid", z)
    overflow = [w for w in call.warnings if "overflow" in w]
    if overflow:
        fail(
            f"sigmoid(z) with z = {z.tolist()} raised {overflow[0]}. "
            "Hint: exp(-z) overflows for large negative z; use exp(-|z|) and the two forms "
            "1/(1+exp(-z)) for z >= 0 and exp(z)/(1+exp(z)) for z < 0."
        )
    close(call.value, [0.0, 0.0, 0.5, 1.0, 1.0], "sigmoid(z)", z=z)


@check(points=1)
def test_sigmoid_grad_values(student):
    """sigmoid_grad at a few points"""
    z = np.array([-2.0, 0.0, 2.0])
    close(student.sigmoid_grad(z), [0.10499359, 0.25, 0.10499359], "sigmoid_grad(z)", z=z)


@check(points=1)
def test_tanh_values(student):
    """tanh and tanh_grad at a few points"""
    z = np.array([-1.0, 0.0, 0.5])
    close(student.tanh(z), [-0.76159416, 0.0, 0.46211716], "tanh(z)", z=z)
    close(student.tanh_grad(z), [0.41997434, 1.0, 0.78644773], "tanh_grad(z)", z=z)


@check(points=1)
def test_relu_values(student):
    """relu and relu_grad at a few points"""
    z = np.array([-2.0, -0.5, 0.0, 3.0])
    close(student.relu(z), [0.0, 0.0, 0.0, 3.0], "relu(z)", z=z)
    z = np.array([-2.0, -0.5, 3.0])
    close(student.relu_grad(z), [0.0, 0.0, 1.0], "relu_grad(z)", z=z)


@check(points=1)
def test_leaky_relu_values(student):
    """leaky_relu and leaky_relu_grad with the default eps and with eps=0.1"""
    z = np.array([-2.0, 3.0])
    close(student.leaky_relu(z), [-0.02, 3.0], "leaky_relu(z)", z=z)
    close(student.leaky_relu(z, eps=0.1), [-0.2, 3.0], "leaky_relu(z, eps=0.1)", z=z)
    close(student.leaky_relu_grad(z), [0.01, 1.0], "leaky_relu_grad(z)", z=z)
    close(student.leaky_relu_grad(z, eps=0.1), [0.1, 1.0], "leaky_relu_grad(z, eps=0.1)", z=z)


@check(points=1)
def test_elu_values(student):
    """elu with the default alpha and with alpha=2"""
    z = np.array([-1.0, 0.0, 2.0])
    close(student.elu(z), [-0.63212056, 0.0, 2.0], "elu(z)", z=z)
    close(student.elu(z, alpha=2.0), [-1.26424112, 0.0, 2.0], "elu(z, alpha=2.0)", z=z)


@check(points=1)
def test_softmax_values(student):
    """softmax of a vector, and of each row of a matrix"""
    z = np.array([1.0, 2.0, 3.0])
    close(student.softmax(z), [0.09003057, 0.24472847, 0.66524096], "softmax(z)", z=z)
    z = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
    expected = [[0.09003057, 0.24472847, 0.66524096], [1 / 3, 1 / 3, 1 / 3]]
    close(student.softmax(z), expected, "softmax(z)", z=z)


@check(points=1)
def test_softmax_stable(student):
    """softmax stays finite for entries of magnitude 1000"""
    z = np.array([[1000.0, 999.0, -1000.0], [-1000.0, -999.0, -1000.0]])
    got = as_array(student.softmax(z), what="softmax(z)", shape=z.shape)
    if not np.all(np.isfinite(got)):
        fail(
            f"softmax(z) with z = {z.tolist()} gave {got.tolist()}. Hint: exp(1000) overflows to inf; "
            "subtract the maximum along the axis first (softmax does not change)."
        )
    close(got, [[0.73105858, 0.26894142, 0.0], [0.21194156, 0.57611688, 0.21194156]], "softmax(z)", z=z)


@check(points=1)
def test_step_values(student):
    """step is 1.0 for z >= 0 and 0.0 below, as floats"""
    z = np.array([-1.5, -1e-9, 0.0, 2.0])
    got = student.step(z)
    close(got, [0.0, 0.0, 1.0, 1.0], "step(z)", z=z)
    kind = np.asarray(got).dtype
    if kind.kind not in "f":
        fail(f"step(z) with z = {z.tolist()} returned {kind} values {np.asarray(got).tolist()}: return the "
             "floats 0.0 and 1.0, e.g. np.where(z >= 0, 1.0, 0.0) or (z >= 0).astype(float)")


# The functions themselves, written out here: a `*_grad` is judged against the derivative of the
# true function, so that a wrong `relu` costs the checks of relu, and zeros are not the
# "derivative" of a constant.
TRUE_FUNCTIONS = {
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
}


def derivative_check(student, name, z, kinks=()):
    """The student's `<name>_grad(z)` against the numerical derivative of the true `<name>`."""
    function = TRUE_FUNCTIONS[name]
    numerical, skipped = elementwise_derivative(function, z, kinks=kinks, what=f"{name}(z)")
    compare_gradient(
        getattr(student, f"{name}_grad")(z),
        numerical,
        name=f"{name}_grad",
        value_scale=function(z),
        skipped=skipped,
        public=True,
        inputs={"z": z},
    )


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
