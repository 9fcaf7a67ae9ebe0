"""A degenerate submission: every function returns its argument. It must score 0."""

import numpy as np


def sigmoid(z):
    return np.asarray(z, dtype=float)


def sigmoid_grad(z):
    return np.asarray(z, dtype=float)


def tanh(z):
    return np.asarray(z, dtype=float)


def tanh_grad(z):
    return np.asarray(z, dtype=float)


def relu(z):
    return np.asarray(z, dtype=float)


def relu_grad(z):
    return np.asarray(z, dtype=float)


def leaky_relu(z, eps=0.01):
    return np.asarray(z, dtype=float)


def leaky_relu_grad(z, eps=0.01):
    return np.asarray(z, dtype=float)


def elu(z, alpha=1.0):
    return np.asarray(z, dtype=float)


def softmax(z, axis=-1):
    return np.asarray(z, dtype=float)


def step(z):
    return np.asarray(z, dtype=float)
