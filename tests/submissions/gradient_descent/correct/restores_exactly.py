# CORRECT: works on the caller's own float array in place (np.asarray makes no copy of a float64
# array) but puts every entry back exactly from a saved value, so x ends unchanged; returns a
# list of float lists from gradient_descent (tolist).
import numpy as np


def gradient_descent(grad, x0, alpha, epochs):
    x = np.asarray(x0, dtype=float)
    rows = [x.tolist()]
    for _ in range(epochs):
        x = x - alpha * np.asarray(grad(x))
        rows.append(x.tolist())
    return rows


def numerical_gradient(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i].copy()
        x[i] = old + h
        fp = f(x)
        x[i] = old - h
        fm = f(x)
        x[i] = old
        g[i] = (fp - fm) / (2 * h)
    return g
