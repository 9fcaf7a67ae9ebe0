# MUTANT: the step is strict: 1.0 only where z > 0, so step(0) is 0.0 (in neuron, predict and fit); fit is right given that step, so only the step's checks fail (one bug, one loss)
# FAILS: predict_values, step_at_zero, predict_matches_reference
"""Mutant of the reference solution for assignment 02: the reference with one bug (see line 1)."""


import numpy as np


def _sigmoid(z):
    """Stable logistic sigmoid 1 / (1 + exp(-z)): only exp(-|z|) is ever computed.

    For z >= 0 we use 1 / (1 + exp(-z)); for z < 0 the equal form exp(z) / (1 + exp(z)).
    In both, the exponential is exp(-|z|), which lies in (0, 1]: it never overflows.
    """
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _step(z):
    """Rosenblatt's threshold: 1.0 where z >= 0, else 0.0 (note: step(0) is 1.0)."""
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, 1.0, 0.0)


def _linear(z):
    """The identity: the neuron returns its pre-activation z itself."""
    return np.asarray(z, dtype=float)


ACTIVATIONS = {"sigmoid": _sigmoid, "step": _step, "linear": _linear}


def neuron(x, w, b, activation="sigmoid"):
    """One neuron: ``g(x @ w + b)`` with g the named activation.

    ``x`` of shape (m,) is one sample and gives a single number; ``x`` of shape (n, m)
    holds n samples as rows and gives shape (n,). ``w`` has shape (m,), ``b`` is a number.

    Lecture: x = [-0.1, 0.7, 0.5], w = [1, -2, 2], b = 0.8 gives
    z = -0.1 - 1.4 + 1.0 + 0.8 = 0.3 and sigmoid(0.3) = 0.5744.
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; use one of {sorted(ACTIVATIONS)}")
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    z = x @ w + float(b)  # (m,) @ (m,) -> a number; (n, m) @ (m,) -> (n,)
    return ACTIVATIONS[activation](z)


def perceptron_predict(X, w, b):
    """The perceptron's predictions ``step(X @ w + b)``: 0.0/1.0 floats of shape (n,)."""
    X = np.asarray(X, dtype=float)
    w = np.asarray(w, dtype=float)
    return _step(X @ w + float(b))


def perceptron_fit(X, y, lr=1.0, epochs=100):
    """Rosenblatt's perceptron rule; returns ``(w, b)``.

    Start from w = 0 (shape (d,)) and b = 0. In each epoch, visit the samples in the
    given order; for each sample x with label y:

        y_hat = step(x @ w + b)
        w <- w + lr * (y - y_hat) * x
        b <- b + lr * (y - y_hat)

    (when y_hat == y, nothing changes). Stop after the first epoch in which no sample
    was misclassified, or after ``epochs`` epochs. On linearly separable data the rule
    is guaranteed to reach such an epoch (Novikoff's theorem), given enough epochs.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    w = np.zeros(d)
    b = 0.0
    for _ in range(epochs):
        mistakes = 0
        for i in range(n):
            y_hat = 1.0 if X[i] @ w + b > 0 else 0.0
            error = y[i] - y_hat  # -1, 0 or +1
            if error != 0:
                w = w + lr * error * X[i]  # a new array: never modifies X
                b = b + lr * error
                mistakes += 1
        if mistakes == 0:
            break
    return w, float(b)
