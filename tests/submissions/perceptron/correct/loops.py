"""A correct perceptron.py written with explicit Python loops (no matrix products)."""

import math

import numpy as np


def _g(z, activation):
    if activation == "sigmoid":
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)
    if activation == "step":
        return 1.0 if z >= 0 else 0.0
    if activation == "linear":
        return z
    raise ValueError(activation)


def _z(row, w, b):
    total = 0.0
    for xi, wi in zip(row, w):
        total += xi * wi
    return total + b


def neuron(x, w, b, activation="sigmoid"):
    x = np.asarray(x, dtype=float)
    w = [float(v) for v in np.asarray(w, dtype=float)]
    b = float(b)
    if x.ndim == 1:
        return _g(_z(x, w, b), activation)
    return np.array([_g(_z(row, w, b), activation) for row in x])


def perceptron_predict(X, w, b):
    X = np.asarray(X, dtype=float)
    w = [float(v) for v in np.asarray(w, dtype=float)]
    return np.array([1.0 if _z(row, w, float(b)) >= 0 else 0.0 for row in X])


def perceptron_fit(X, y, lr=1.0, epochs=100):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    w = [0.0] * X.shape[1]
    b = 0.0
    for _ in range(epochs):
        changed = False
        for row, target in zip(X, y):
            y_hat = 1.0 if _z(row, w, b) >= 0 else 0.0
            if y_hat != target:
                step = lr * (target - y_hat)
                w = [wi + step * xi for wi, xi in zip(w, row)]
                b = b + step
                changed = True
        if not changed:
            break
    return np.array(w), b
