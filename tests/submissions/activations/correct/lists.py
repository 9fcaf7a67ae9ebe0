"""Correct alternative: Python lists and the math module, element by element.

Each function flattens its input to a Python list, works on floats with `math`,
and returns nested Python lists of the input's shape (a Python float for a
scalar / 0-d input). The grader accepts this: np.asarray turns it into the
right shape and values. relu_grad(0) = 0, leaky_relu_grad(0) = eps.
"""

import math

import numpy as np


def _apply(f, z):
    """Apply the float function f to every entry of z; same shape, as lists."""
    a = np.asarray(z, dtype=float)
    values = [f(x) for x in a.ravel().tolist()]
    if a.ndim == 0:
        return values[0]
    return np.array(values, dtype=float).reshape(a.shape).tolist()


def _sigmoid(x):
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def sigmoid(z):
    return _apply(_sigmoid, z)


def sigmoid_grad(z):
    def g(x):
        s = _sigmoid(x)
        return s * (1.0 - s)

    return _apply(g, z)


def tanh(z):
    return _apply(math.tanh, z)


def tanh_grad(z):
    return _apply(lambda x: 1.0 - math.tanh(x) ** 2, z)


def relu(z):
    return _apply(lambda x: max(0.0, x), z)


def relu_grad(z):
    return _apply(lambda x: 1.0 if x > 0 else 0.0, z)


def leaky_relu(z, eps=0.01):
    return _apply(lambda x: max(eps * x, x), z)


def leaky_relu_grad(z, eps=0.01):
    return _apply(lambda x: 1.0 if x > 0 else float(eps), z)


def elu(z, alpha=1.0):
    return _apply(lambda x: x if x >= 0 else alpha * math.expm1(x), z)


def _softmax_list(row):
    m = max(row)
    exps = [math.exp(x - m) for x in row]
    total = math.fsum(exps)
    return [e / total for e in exps]


def softmax(z, axis=-1):
    a = np.asarray(z, dtype=float)
    moved = np.moveaxis(a, axis, -1)  # the softmax axis last
    rows = moved.reshape(-1, moved.shape[-1]).tolist()
    out = np.array([_softmax_list(row) for row in rows], dtype=float)
    out = np.moveaxis(out.reshape(moved.shape), -1, axis)
    return out.tolist()


def step(z):
    return _apply(lambda x: 1.0 if x >= 0 else 0.0, z)
