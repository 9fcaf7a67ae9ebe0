# CORRECT: numerical_gradient shifts x along the rows of np.eye (reshaped to x's shape, so any
# shape works); gradient_descent builds the iterates with np.stack of a generator-made list.
import numpy as np


def gradient_descent(grad, x0, alpha, epochs):
    xs = [np.asarray(x0, dtype=float)]
    while len(xs) <= epochs:
        xs.append(xs[-1] - alpha * grad(xs[-1]))
    return np.stack(xs).astype(np.float64)


def numerical_gradient(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    directions = np.eye(x.size).reshape((x.size,) + x.shape)
    parts = [(f(x + h * e) - f(x - h * e)) / (2 * h) for e in directions]
    return np.array(parts, dtype=float).reshape(x.shape)
