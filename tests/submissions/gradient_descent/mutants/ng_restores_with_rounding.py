# MUTANT: shifts the given x in place and restores it with += h, -= 2h, += h: not always the same float.
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
        x[i] += h
        g[i] = (fp - fm) / (2 * h)
    return g
