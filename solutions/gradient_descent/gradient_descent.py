"""Reference solution for assignment 03: gradient descent and numerical gradients.

Conventions (as in every assignment):
  * arguments may be numpy arrays, Python lists or scalars; they are converted with
    ``np.array(..., dtype=float)``, which also makes a copy;
  * results are float64 arrays;
  * no function modifies its arguments: every result is a new array.

``grad`` and ``f`` are callables: ``grad(x)`` returns the gradient at ``x`` (an array of the
shape of ``x``), ``f(x)`` returns one number.
"""

import numpy as np


def gradient_descent(grad, x0, alpha, epochs):
    """Every iterate of ``x <- x - alpha * grad(x)``, ``x0`` first.

    Returns a float64 array of shape ``(epochs + 1,) + shape(x0)``: row 0 is ``x0`` and row
    k the point after k steps. ``epochs = 0`` gives ``x0`` alone, with shape ``(1,) + shape(x0)``.
    The iterates are not rounded.
    """
    x = np.array(x0, dtype=float)  # a float copy: x0 itself is never touched
    iterates = [x]
    for _ in range(epochs):
        # x - ... builds a new array, so the iterates already stored stay as they were.
        x = x - alpha * np.asarray(grad(x), dtype=float)
        iterates.append(x)
    return np.stack(iterates)


def numerical_gradient(f, x, h=1e-5):
    """Central differences ``(f(x + h e_i) - f(x - h e_i)) / (2h)`` for every coordinate i.

    ``x`` may have any shape (a number, a vector, a matrix); ``e_i`` is the array of the shape
    of ``x`` with a 1 at index i and 0 elsewhere. The result has the shape of ``x``. The error
    of central differences is O(h**2) (forward differences: O(h)). ``x`` is left unchanged:
    the shifted points are new arrays.
    """
    x = np.array(x, dtype=float)
    gradient = np.zeros_like(x)
    for index in np.ndindex(x.shape):  # every index of an array of any shape (one, () , for 0-d)
        step = np.zeros_like(x)
        step[index] = h
        gradient[index] = (f(x + step) - f(x - step)) / (2.0 * h)
    return gradient
