# MUTANT: shifts the given x in place by +h then -h for f(x + h), and -h then +h for f(x - h): exact except for tiny entries.
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
        x[i] -= h
        x[i] -= h
        fm = f(x)
        x[i] += h
        g[i] = (fp - fm) / (2 * h)
    return g
