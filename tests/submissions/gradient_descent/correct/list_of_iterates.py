# CORRECT: returns a Python list of iterates; numerical_gradient walks np.nditer's multi_index
# over its own copy and restores each entry from the saved value.
import numpy as np


def gradient_descent(grad, x0, alpha, epochs):
    x = np.array(x0, dtype=float)
    history = [x.copy()]
    for _ in range(epochs):
        x -= alpha * np.asarray(grad(x))  # in place, on our own copy: store copies
        history.append(x.copy())
    return history


def numerical_gradient(f, x, h=1e-5):
    point = np.array(x, dtype=float)
    result = np.zeros(point.shape)
    it = np.nditer(point, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        saved = point[i]
        point[i] = saved + h
        above = f(point)
        point[i] = saved - h
        below = f(point)
        point[i] = saved
        result[i] = (above - below) / (2 * h)
    return result
