# MUTANT: rounds every iterate to 4 decimals.
# FAILS: lecture_alpha_0_25, descent_quadratic_matches_reference, iterates_not_rounded
import numpy as np


def gradient_descent(grad, x0, alpha, epochs):
    x = np.array(x0, dtype=float)
    out = [np.round(x, 4)]
    for _ in range(epochs):
        x = x - alpha * np.asarray(grad(x), dtype=float)
        out.append(np.round(x, 4))
    return np.stack(out)


def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[i] = h
        g[i] = (f(x + step) - f(x - step)) / (2 * h)
    return g
