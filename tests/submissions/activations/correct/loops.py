"""Correct alternative: explicit Python loops over np.ndindex with math functions.

Results are float64 arrays of the input's shape (0-d for a scalar).
relu_grad(0) = 1 and leaky_relu_grad(0) = 1 (both allowed by the contract).
"""

import math

import numpy as np


def _map(f, z):
    z = np.asarray(z, dtype=float)
    out = np.empty(z.shape, dtype=np.float64)
    for idx in np.ndindex(z.shape):
        out[idx] = f(float(z[idx]))
    return out


def _sigmoid(x):
    if x < 0:
        e = math.exp(x)
        return e / (1.0 + e)
    return 1.0 / (1.0 + math.exp(-x))


def sigmoid(z):
    return _map(_sigmoid, z)


def sigmoid_grad(z):
    z = np.asarray(z, dtype=float)
    out = np.empty(z.shape, dtype=np.float64)
    for idx in np.ndindex(z.shape):
        s = _sigmoid(float(z[idx]))
        out[idx] = s * (1.0 - s)
    return out


def tanh(z):
    return _map(math.tanh, z)


def tanh_grad(z):
    z = np.asarray(z, dtype=float)
    out = np.empty(z.shape, dtype=np.float64)
    for idx in np.ndindex(z.shape):
        t = math.tanh(float(z[idx]))
        out[idx] = 1.0 - t * t
    return out


def relu(z):
    return _map(lambda x: x if x > 0 else 0.0, z)


def relu_grad(z):
    return _map(lambda x: 1.0 if x >= 0 else 0.0, z)


def leaky_relu(z, eps=0.01):
    return _map(lambda x: x if x > 0 else eps * x, z)


def leaky_relu_grad(z, eps=0.01):
    return _map(lambda x: 1.0 if x >= 0 else float(eps), z)


def elu(z, alpha=1.0):
    def f(x):
        if x >= 0:
            return x
        return alpha * math.expm1(x)  # exp(x) - 1 without cancellation

    return _map(f, z)


def softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    ax = axis % z.ndim  # a negative axis counts from the end
    out = np.empty(z.shape, dtype=np.float64)
    other_shape = z.shape[:ax] + z.shape[ax + 1:]
    for rest in np.ndindex(other_shape):
        # the 1-D slice of z along `ax` at the position `rest` of the other axes
        line = rest[:ax] + (slice(None),) + rest[ax:]
        row = [float(x) for x in z[line]]  # Python floats: x - m never warns
        m = row[0]
        for x in row:
            if x > m:
                m = x
        total = 0.0
        exps = []
        for x in row:
            e = math.exp(x - m)
            exps.append(e)
            total += e
        for k, e in enumerate(exps):
            out[line][k] = e / total
    return out


def step(z):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, 1.0, 0.0)
