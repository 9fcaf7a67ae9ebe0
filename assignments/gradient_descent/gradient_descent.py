"""Assignment 03: gradient descent and numerical gradients.

Implement both functions below with numpy, replacing each ``raise NotImplementedError(...)``
with your code. Do not rename the functions or change their arguments or defaults: the
grader calls them exactly as they are declared here.

Rules that hold for both functions
----------------------------------
* ``x0`` and ``x`` may be a numpy array of any shape (a 0-d array, a vector, a matrix), a
  (nested) Python list or a Python number (int or float). Convert first, e.g.
  ``x = np.array(x0, dtype=float)``: ``dtype=float`` matters when you are given integers
  (6, not 6.0), and ``np.array`` (unlike ``np.asarray``) always makes a copy.
* ``grad`` and ``f`` are functions that the grader passes in. ``grad(x)`` returns the
  gradient at ``x``, an array of the shape of ``x``; ``f(x)`` returns one number. Call them
  on numpy arrays of the shape of ``x0`` / ``x``.
* Results are float64 numpy arrays. Do not round them.
* Do not modify the arguments in place (no ``x0 -= ...`` or ``x[i] += h`` on the array you
  were given): work on a copy.
* Use numpy and the Python standard library only.

Check your work
---------------
From the folder that holds this file (or from the course repository root) run

    grader check gradient_descent

It runs the public checks (the lecture's numbers) and tells you which ones fail and why.
The instructor's grading adds hidden checks of the same contract on other functions and
inputs, so test your code on inputs of your own too.
"""

import numpy as np


def gradient_descent(grad, x0, alpha, epochs):
    """Gradient descent: ``epochs`` steps of ``x <- x - alpha * grad(x)`` from ``x0``.

    Parameters
    ----------
    grad : callable
        ``grad(x)`` is the gradient of the function to minimise at ``x`` (same shape as ``x``).
    x0 : array_like
        The starting point: a number, a list or an array of any shape.
    alpha : float
        The learning rate (step size), > 0.
    epochs : int
        The number of steps, >= 0.

    Returns
    -------
    numpy.ndarray of float64, shape ``(epochs + 1,) + np.shape(x0)``
        Every iterate, ``x0`` first: row 0 is ``x0`` itself, row k is the point after k steps.
        ``epochs = 0`` returns ``x0`` alone, with shape ``(1,) + np.shape(x0)``. A scalar ``x0``
        gives a vector of ``epochs + 1`` numbers; a vector ``x0`` of length d gives an
        ``(epochs + 1, d)`` array. The iterates are not rounded.

    Lecture example: f(x) = x**2, so grad(x) = 2*x; from x0 = 6 with 8 epochs,
    alpha = 0.25 gives 6, 3, 1.5, 0.75, ..., 0.0234375 (9 values), alpha = 0.06 ends near
    2.157807, and alpha = 1.1 overshoots further at every step: 6, -7.2, 8.64, ..., 25.798902.

    Does not modify ``x0``. Careful: if you update an array in place (``x -= ...``) and
    append it to a list, every entry of the list is the same array; append a copy, or write
    ``x = x - alpha * grad(x)``, which makes a new array.
    """
    raise NotImplementedError("gradient_descent is not implemented yet")


def numerical_gradient(f, x, h=1e-5):
    """The gradient of ``f`` at ``x`` by central differences.

    For every coordinate i of ``x``:
    ``(f(x + h * e_i) - f(x - h * e_i)) / (2 * h)``, where ``e_i`` is the array of the shape of
    ``x`` with 1 at index i and 0 everywhere else.

    Parameters
    ----------
    f : callable
        ``f(x)`` returns one number for an array ``x`` of the shape of ``x``.
    x : array_like
        The point: a number, a list or an array of any shape (a matrix too).
    h : float
        The step, default 1e-5. Use the ``h`` you are given (the grader tries others).

    Returns
    -------
    numpy.ndarray of float64, the shape of ``x`` (for a number: a 0-d array or a float).

    Central differences, not forward ones: ``(f(x + h e_i) - f(x)) / h`` is off by about
    ``h * f''/2``, which the grader notices; the central form is off by ``h**2 * f'''/6`` only.
    Hint: ``np.ndindex(x.shape)`` gives every index i of an array of any shape.

    Leaves ``x`` unchanged: build the shifted points as new arrays (``x + step``), or work on
    your own float copy. Adding ``h`` to an entry and subtracting it again does not always
    give back the same float.
    """
    raise NotImplementedError("numerical_gradient is not implemented yet")
