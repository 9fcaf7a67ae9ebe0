"""gradcheck.py: central differences, the tolerance, sampling, kinks and the messages."""

from __future__ import annotations

import numpy as np
import pytest

from grader.judge.checks import CheckFailure
from grader.judge.gradcheck import (
    check_gradient,
    compare_gradient,
    directional_derivative,
    elementwise_derivative,
    numerical_gradient,
    random_direction,
    select_coordinates,
    steps,
    within_tolerance,
)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_grad(z):
    s = sigmoid(z)
    return s * (1.0 - s)


def relu(z):
    return np.maximum(z, 0.0)


class Counted:
    """Wraps a function and counts its calls, as each would go to the sandboxed child."""

    def __init__(self, function):
        self.function = function
        self.calls = 0
        self.__name__ = function.__name__

    def __call__(self, x):
        self.calls += 1
        return self.function(x)


def failure(function, *args, **kwargs) -> str:
    with pytest.raises(CheckFailure) as caught:
        function(*args, **kwargs)
    return str(caught.value)


Z = np.array([-1.0, 0.5, 2.0])


# --- numerical derivatives ------------------------------------------------------------------


def test_steps():
    np.testing.assert_allclose(steps([0.5, -3.0, 200.0]), [1e-5, 3e-5, 2e-3], rtol=1e-14)


def test_elementwise_derivative_uses_two_calls_and_is_accurate():
    z = np.linspace(-6, 6, 300).reshape(20, 15)
    f = Counted(sigmoid)
    numerical, skipped = elementwise_derivative(f, z)
    assert f.calls == 2
    assert numerical.shape == z.shape and not skipped.any()
    np.testing.assert_allclose(numerical, sigmoid_grad(z), rtol=1e-8, atol=1e-10)


def test_elementwise_derivative_reads_student_results_leniently():
    numerical, _ = elementwise_derivative(lambda z: z.tolist(), Z)  # lists are fine
    np.testing.assert_allclose(numerical, 1.0)
    msg = failure(elementwise_derivative, lambda z: None, Z, what="sigmoid(z)")
    assert msg == "sigmoid(z) returned None: did you forget a return statement?"


def test_relu_kink_is_skipped():
    z = np.array([-1.0, 0.0, 3e-6, 2.0])
    numerical, skipped = elementwise_derivative(relu, z, kinks=(0.0,))
    assert skipped.tolist() == [False, True, True, False]
    assert numerical[0] == 0.0 and numerical[3] == pytest.approx(1.0)
    for at_zero in (0.0, 1.0):  # either convention for relu'(0) passes
        student = np.array([0.0, at_zero, 1.0, 1.0])
        compare_gradient(student, numerical, name="relu_grad", value_scale=relu(z),
                         skipped=skipped, public=True, inputs={"z": z})


def test_relu_kink_not_skipped_fails():
    z = np.array([-1.0, 0.0, 2.0])
    numerical, skipped = elementwise_derivative(relu, z)  # no kinks given
    assert not skipped.any()
    msg = failure(compare_gradient, np.array([0.0, 0.0, 1.0]), numerical, name="relu_grad",
                  value_scale=relu(z), skipped=skipped, public=True, inputs={"z": z})
    assert msg.startswith("relu_grad at z=[-1.0, 0.0, 2.0][1]: yours 0.0, numerical 0.5")


def test_numerical_gradient_at_coords_only():
    f = Counted(lambda x: float(np.sum(x**3)))
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    gradient = numerical_gradient(f, x, coords=[(0, 1), (1, 0)])
    assert f.calls == 4
    assert gradient[0, 1] == pytest.approx(12.0) and gradient[1, 0] == pytest.approx(0.75)
    assert np.isnan(gradient[0, 0]) and np.isnan(gradient[1, 1])
    full = numerical_gradient(lambda x: np.sum(x**3), x)
    np.testing.assert_allclose(full, 3 * x**2, rtol=1e-8)


def test_numerical_gradient_requires_a_single_number():
    msg = failure(numerical_gradient, lambda x: np.array([np.sum(x)]), np.ones(2), what="loss(W)")
    assert msg.startswith("loss(W) returned shape (1,), expected a single number")


def test_select_coordinates():
    assert select_coordinates((10, 10), seed=0) == [(i, j) for i in range(10) for j in range(10)]
    assert select_coordinates((), seed=0) == [()]
    sampled = select_coordinates((11, 10), seed=3)
    assert len(sampled) == 20 == len(set(sampled))
    assert sampled == sorted(sampled)
    assert all(0 <= i < 11 and 0 <= j < 10 for i, j in sampled)
    assert sampled == select_coordinates((11, 10), seed=3)
    assert sampled != select_coordinates((11, 10), seed=4)
    with pytest.raises(ValueError, match="seed"):
        select_coordinates((3,), seed=-1)


def test_random_direction_is_seeded_and_unit():
    d = random_direction((7, 30), seed=5)
    assert d.shape == (7, 30) and np.linalg.norm(d) == pytest.approx(1.0)
    np.testing.assert_array_equal(d, random_direction((7, 30), seed=5))
    assert not np.array_equal(d, random_direction((7, 30), seed=6))


def test_directional_derivative():
    x = np.array([1.0, 2.0, -1.0])
    d = np.array([1.0, 1.0, 0.0]) / np.sqrt(2)
    along = directional_derivative(lambda x: np.sum(x**2), x, d)
    assert along == pytest.approx(np.sum(2 * x * d), rel=1e-8)


# --- the tolerance --------------------------------------------------------------------------


def test_tolerance_is_absolute_plus_relative():
    assert within_tolerance(1e-7, 0.0, value_scale=1.0)
    assert not within_tolerance(3e-7, 0.0, value_scale=1.0)
    assert within_tolerance(3e-7, 0.0, value_scale=10.0)  # scaled by |L|
    assert within_tolerance(1.0001, 1.0, value_scale=0.0)
    assert not within_tolerance(1.001, 1.0, value_scale=0.0)
    assert not within_tolerance(np.nan, 1.0, value_scale=1.0)
    assert within_tolerance(1e-7, 0.0, value_scale=np.nan)  # a nan L counts as 1


# --- compare_gradient -----------------------------------------------------------------------


def test_correct_sigmoid_grad_passes():
    numerical, skipped = elementwise_derivative(sigmoid, Z)
    compare_gradient(sigmoid_grad(Z), numerical, name="sigmoid_grad", value_scale=sigmoid(Z),
                     skipped=skipped, public=True, inputs={"z": Z})
    compare_gradient(sigmoid_grad(Z).tolist(), numerical, name="sigmoid_grad",
                     value_scale=sigmoid(Z), public=False, at="at a hidden input of shape (3,)")


def test_half_of_sigmoid_grad_fails_with_about_half():
    numerical, _ = elementwise_derivative(sigmoid, Z)
    msg = failure(compare_gradient, sigmoid_grad(Z) / 2, numerical, name="sigmoid_grad",
                  value_scale=sigmoid(Z), public=True, inputs={"z": Z})
    assert msg == (
        "sigmoid_grad at z=[-1.0, 0.5, 2.0][0]: yours 0.09831, numerical 0.1966 "
        "(yours is about 1/2 of the right value: a missing factor 2?); 3 of 3 checked entries differ"
    )


def test_double_and_negated_gradients():
    numerical, _ = elementwise_derivative(sigmoid, Z)
    twice = failure(compare_gradient, 2 * sigmoid_grad(Z), numerical, name="sigmoid_grad",
                    value_scale=sigmoid(Z), public=True, inputs={"z": Z})
    assert "(yours is about 2 times the right value: an extra factor 2?)" in twice
    flipped = failure(compare_gradient, -sigmoid_grad(Z), numerical, name="sigmoid_grad",
                      value_scale=sigmoid(Z), public=True, inputs={"z": Z})
    assert "a sign error?" in flipped


def test_one_wrong_entry_is_named():
    numerical, _ = elementwise_derivative(sigmoid, Z)
    student = sigmoid_grad(Z)
    student[2] = 0.5
    msg = failure(compare_gradient, student, numerical, name="sigmoid_grad",
                  value_scale=sigmoid(Z), public=True, inputs={"z": Z})
    assert msg.startswith("sigmoid_grad at z=[-1.0, 0.5, 2.0][2]: yours 0.5, numerical 0.105")
    assert "checked entries differ" not in msg


def test_hidden_gradient_message_hides_the_input():
    z = np.array([[-1.5, 0.75], [2.25, -3.5]])
    numerical, _ = elementwise_derivative(sigmoid, z)
    msg = failure(compare_gradient, 2 * sigmoid_grad(z), numerical, name="sigmoid_grad",
                  value_scale=sigmoid(z), public=False, inputs={"z": z},
                  at="at a hidden input of shape (2, 2)")
    assert msg.startswith("sigmoid_grad at a hidden input of shape (2, 2): yours is not the derivative")
    assert "numerical" not in msg and "about 2 times" in msg  # a hidden message shows no values at all
    for value in ("-1.5", "0.75", "2.25", "-3.5", "z="):
        assert value not in msg


def test_hidden_needs_a_description():
    with pytest.raises(ValueError, match="at="):
        compare_gradient([1.0], np.array([1.0]), name="g", value_scale=1.0, public=False)


def test_gradient_shape_is_checked_before_values():
    numerical = np.zeros((3, 4))
    msg = failure(compare_gradient, np.zeros((4, 3)), numerical, name="dW", value_scale=1.0,
                  public=True)
    assert msg.startswith("dW returned shape (4, 3), expected (3, 4): transposed?")
    assert "X.T @ dout" in msg
    assert "a missing dimension" in failure(compare_gradient, np.zeros(3), np.zeros((3, 1)),
                                            name="db", value_scale=1.0, public=True)


def test_nan_in_the_students_gradient():
    numerical, _ = elementwise_derivative(sigmoid, Z)
    student = sigmoid_grad(Z)
    student[1] = np.nan
    msg = failure(compare_gradient, student, numerical, name="sigmoid_grad",
                  value_scale=sigmoid(Z), public=True, inputs={"z": Z})
    assert "[1]: yours nan" in msg and "yours has nan" in msg


# --- check_gradient on scalar losses --------------------------------------------------------


def mse_problem(n=5, d=3, k=2, seed=0):
    rng = np.random.default_rng(seed)
    X, Y, W = rng.normal(size=(n, d)), rng.normal(size=(n, k)), rng.normal(size=(d, k))

    def loss(W):
        return float(np.sum((X @ W - Y) ** 2) / n)

    return X, Y, W, loss


def test_correct_loss_gradient_passes_with_2_calls_per_entry():
    X, Y, W, loss = mse_problem()
    f = Counted(loss)
    check_gradient(f, 2 * X.T @ (X @ W - Y) / 5, W, name="dW", public=True, inputs={"W": W})
    assert f.calls == 2 * W.size


def test_missing_one_over_n_hint():
    X, Y, W, loss = mse_problem(n=5)
    msg = failure(check_gradient, loss, 2 * X.T @ (X @ W - Y), W, name="dW",
                  public=False, at="at a hidden input of shape (3, 2)", n=5)
    assert "a missing 1/n?" in msg and "5" not in msg.replace("(3, 2)", "")
    assert msg.startswith("dW at a hidden input of shape (3, 2): yours is not the derivative")


def test_transposed_gradient_is_reported_without_calls():
    X, Y, W, loss = mse_problem()
    f = Counted(loss)
    msg = failure(check_gradient, f, (2 * X.T @ (X @ W - Y) / 5).T, W, name="dW", public=True)
    assert "transposed?" in msg and "X.T @ dout" in msg
    assert f.calls == 0


def test_large_arrays_use_20_coordinates_and_one_direction():
    X, Y, W, loss = mse_problem(n=8, d=11, k=10)
    assert W.size == 110
    f = Counted(loss)
    grad = 2 * X.T @ (X @ W - Y) / 8
    check_gradient(f, grad, W, name="dW", public=True, seed=1)
    assert f.calls == 2 * 20 + 2


def test_direction_catches_a_wrong_entry_that_was_not_sampled():
    X, Y, W, loss = mse_problem(n=8, d=11, k=10)
    sampled = set(select_coordinates(W.shape, seed=1))
    unsampled = next(index for index in np.ndindex(W.shape) if index not in sampled)
    grad = 2 * X.T @ (X @ W - Y) / 8
    grad[unsampled] += 1.0
    msg = failure(check_gradient, loss, grad, W, name="dW", public=False,
                  at="at a hidden input of shape (11, 10)", seed=1)
    assert msg.startswith(
        "dW at a hidden input of shape (11, 10): along a random direction, yours "
    )
    assert "not checked one by one" in msg


def test_scalar_parameter():
    check_gradient(lambda b: float(b) ** 2, 2 * 1.5, np.array(1.5), name="db", public=True)
    msg = failure(check_gradient, lambda b: float(b) ** 2, 1.5, np.array(1.5), name="db",
                  public=True, inputs={"b": np.array(1.5)})
    assert msg.startswith("db at b=1.5: yours 1.5, numerical 3.0 (yours is about 1/2 of the right value")
