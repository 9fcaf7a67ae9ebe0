"""Correct alternative: sigmoid through tanh, softmax through log-sum-exp.

sigmoid(z) = 0.5 * (1 + tanh(z / 2)) is exact algebra and never overflows, but for
z << 0 it is accurate only in absolute terms (error about 1e-16), not relative:
for z = -50 it returns 0.0 where the true value is 1.9e-22.
relu_grad(0) = 0, leaky_relu_grad(0) = 1.
"""

import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def sigmoid_grad(z):
    # sigma'(z) = 1/4 * tanh'(z/2) = 0.25 * (1 - tanh(z/2)**2)
    z = np.asarray(z, dtype=float)
    t = np.tanh(0.5 * z)
    return 0.25 * (1.0 - t) * (1.0 + t)


def tanh(z):
    return np.tanh(np.asarray(z, dtype=float))


def tanh_grad(z):
    t = np.tanh(np.asarray(z, dtype=float))
    return (1.0 - t) * (1.0 + t)


def relu(z):
    return np.maximum(np.asarray(z, dtype=float), 0)


def relu_grad(z):
    z = np.asarray(z, dtype=float)
    return (z > 0).astype(float)


def leaky_relu(z, eps=0.01):
    z = np.asarray(z, dtype=float)
    return np.maximum(eps * z, z)


def leaky_relu_grad(z, eps=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, 1.0, float(eps))


def elu(z, alpha=1.0):
    z = np.asarray(z, dtype=float)
    return np.maximum(z, 0.0) + alpha * np.expm1(np.minimum(z, 0.0))


def softmax(z, axis=-1):
    # softmax = exp(z - logsumexp(z)), logsumexp(z) = m + log(sum(exp(z - m)))
    z = np.asarray(z, dtype=float)
    m = z.max(axis=axis, keepdims=True)
    # z - m can overflow to -inf only for entries ~1e308 apart; exp(-inf) = 0 is right
    with np.errstate(over="ignore"):
        lse = m + np.log(np.exp(z - m).sum(axis=axis, keepdims=True))
        return np.exp(z - lse)


def step(z):
    z = np.asarray(z, dtype=float)
    return (z >= 0).astype(np.float64)
