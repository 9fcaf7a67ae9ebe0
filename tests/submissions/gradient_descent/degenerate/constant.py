"""A degenerate submission: every function returns ones of the right shape. It must score 0."""

import numpy as np


def gradient_descent(grad, x0, alpha, epochs):
    return np.ones((int(epochs) + 1,) + np.shape(x0))


def numerical_gradient(f, x, h=1e-5):
    return np.ones(np.shape(x))
