"""A degenerate submission: every function returns zeros of the right shape. It must score 0."""

import numpy as np


def gradient_descent(grad, x0, alpha, epochs):
    return np.zeros((int(epochs) + 1,) + np.shape(x0))


def numerical_gradient(f, x, h=1e-5):
    return np.zeros(np.shape(x))
