# MUTANT: shifts the entries of the given x in place and never puts them back (np.asarray makes no copy).
# FAILS: numerical_gradient_leaves_x_unchanged
import numpy as np


def gradient_descent(grad, x0, alpha, epochs):
    x = np.array(x0, dtype=float)
    out = [x]
    for _ in range(epochs):
        x = x - alpha * np.asarray(grad(x), dtype=float)
        out.append(x)
    return np.stack(out)


def numerical_gradient(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += h
        fp = f(x)
        x[i] -= 2 * h
        fm = f(x)
        g[i] = (fp - fm) / (2 * h)
    return g
