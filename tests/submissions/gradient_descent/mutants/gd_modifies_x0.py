# MUTANT: updates x0 itself in place (np.asarray makes no copy of a float array); stores copies, so the values are right.
# FAILS: descent_leaves_x0_unchanged
import numpy as np


def gradient_descent(grad, x0, alpha, epochs):
    x = np.asarray(x0, dtype=float)
    out = [x.copy()]
    for _ in range(epochs):
        x -= alpha * np.asarray(grad(x), dtype=float)
        out.append(x.copy())
    return np.stack(out)


def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[i] = h
        g[i] = (f(x + step) - f(x - step)) / (2 * h)
    return g
