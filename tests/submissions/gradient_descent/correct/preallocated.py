# CORRECT: preallocates np.empty((epochs + 1,) + shape); numerical_gradient uses flat indices
# of a raveled copy and reshapes each shifted point.
import numpy as np


def gradient_descent(grad, x0, alpha, epochs):
    start = np.asarray(x0, dtype=float)
    out = np.empty((epochs + 1,) + start.shape)
    out[0] = start
    for k in range(epochs):
        out[k + 1] = out[k] - alpha * np.asarray(grad(out[k].copy()), dtype=float)
    return out


def numerical_gradient(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    flat = x.ravel().copy()
    g = np.empty(flat.size)
    for i in range(flat.size):
        up, down = flat.copy(), flat.copy()
        up[i] += h
        down[i] -= h
        g[i] = (f(up.reshape(x.shape)) - f(down.reshape(x.shape))) / (2 * h)
    return g.reshape(x.shape)
