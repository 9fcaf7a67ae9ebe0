"""A degenerate submission: gradient_descent never moves from x0, numerical_gradient returns x. It must score 0."""

import numpy as np


def gradient_descent(grad, x0, alpha, epochs):
    x0 = np.asarray(x0, dtype=float)
    return np.array([x0] * (int(epochs) + 1))


def numerical_gradient(f, x, h=1e-5):
    return np.array(x, dtype=float)
