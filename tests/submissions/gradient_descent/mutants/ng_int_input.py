# MUTANT: does not convert to float: for integer x the shifted copy stays integer and loses h.
# FAILS: numerical_gradient_accepts_lists_and_numbers
import numpy as np


def gradient_descent(grad, x0, alpha, epochs):
    x = np.array(x0, dtype=float)
    out = [x]
    for _ in range(epochs):
        x = x - alpha * np.asarray(grad(x), dtype=float)
        out.append(x)
    return np.stack(out)


def numerical_gradient(f, x, h=1e-5):
    x = np.asarray(x)
    g = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[i] += h
        down[i] -= h
        g[i] = (f(up) - f(down)) / (2 * h)
    return g
