# MUTANT: stores the iterates with the dtype of x0: integers when x0 is an int or a list of ints.
# FAILS: descent_accepts_lists_and_numbers
import numpy as np


def gradient_descent(grad, x0, alpha, epochs):
    x = np.asarray(x0)
    out = np.zeros((epochs + 1,) + x.shape, dtype=x.dtype)
    out[0] = x
    for k in range(epochs):
        out[k + 1] = out[k] - alpha * np.asarray(grad(out[k]), dtype=float)
    return out


def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[i] = h
        g[i] = (f(x + step) - f(x - step)) / (2 * h)
    return g
