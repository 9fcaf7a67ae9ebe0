"""Assignment 01 -- Dave's submission."""

import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    pos = z >= 0
    # for z >= 0 exp(-z) <= 1, for z < 0 use exp(z) / (1 + exp(z)) so exp never overflows
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out


def sigmoid_grad(z):
    s = sigmoid(z)
    return s * (1 - s)


def tanh(z):
    return np.tanh(np.asarray(z, dtype=float))


def tanh_grad(z):
    return 1 - tanh(z) ** 2


def relu(z)
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, 0.0)


def relu_grad(z):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, 1.0, 0.0)


def leaky_relu(z, eps=0.01):
    z = np.asarray(z, dtype=float)
    return np.maximum(eps * z, z)


def leaky_relu_grad(z, eps=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, 1.0, eps)


def elu(z, alpha=1.0):
    z = np.asarray(z, dtype=float)
    neg = np.minimum(z, 0)  # so that exp never sees a big positive number
    return np.where(z >= 0, z, alpha * (np.exp(neg) - 1))


def softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    shifted = z - z.max(axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=axis, keepdims=True)


def step(z):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, 1.0, 0.0)
