"""Assignment 01: activation functions and their derivatives.

Implement every function below with numpy, replacing each
``raise NotImplementedError(...)`` with your code. Do not rename the functions
or change their arguments or defaults: the grader calls them exactly as they
are declared here.

Rules that hold for every function in this file
-----------------------------------------------
* ``z`` may be a numpy array of any shape, a (nested) Python list or a Python
  scalar. Convert it first with ``z = np.asarray(z, dtype=float)``.
* The result has the same shape as ``z`` and holds float64 values. For a scalar
  ``z`` a 0-d array or a float is fine.
* Elementwise functions work entry by entry; ``softmax`` works along one axis.
* Do not modify the argument in place (no ``z[...] = ...`` or ``z *= ...`` on the
  array you were given): return a new array.
* Use numpy and the Python standard library only.
* "Stable" means: for every finite float64 input the result is correct and
  finite (never nan or inf), and numpy emits no RuntimeWarning (for example
  "overflow encountered in exp").

Check your work
---------------
From the folder that holds this file (or from the course repository root) run

    grader check activations

It runs the public checks and tells you which ones fail and why. The instructor's
grading adds hidden checks of the same contract, so test your functions on inputs
of your own too (scalars, lists, 2-D arrays, large and small values).
"""

import numpy as np


def sigmoid(z):
    """Logistic sigmoid, elementwise: ``1 / (1 + exp(-z))``.

    Parameters
    ----------
    z : array_like
        Numpy array of any shape, Python list or scalar.

    Returns
    -------
    numpy.ndarray of float64, same shape as ``z``, every value in [0, 1].

    Must be stable: for every finite float64 ``z`` the result is correct, in
    [0, 1] and never nan, with no RuntimeWarning. The formula as written
    overflows: for z = -1000, ``np.exp(-z)`` is ``exp(1000)`` = inf and numpy
    warns "overflow encountered in exp". Hint: for z < 0,
    ``1 / (1 + exp(-z)) == exp(z) / (1 + exp(z))``, and there ``exp(z)`` is small.
    Keep in mind that ``np.where`` evaluates both of its branches for every entry.

    Does not modify ``z``.
    """
    raise NotImplementedError("sigmoid is not implemented yet")


def sigmoid_grad(z):
    """Derivative of the sigmoid, elementwise: ``sigmoid(z) * (1 - sigmoid(z))``.

    ``z`` is the input of the sigmoid (not its output). Accepts arrays of any
    shape, lists and scalars; returns float64 values of the shape of ``z``, with
    no RuntimeWarning for any finite ``z``. Does not modify ``z``.
    """
    raise NotImplementedError("sigmoid_grad is not implemented yet")


def tanh(z):
    """Hyperbolic tangent, elementwise: ``(exp(z) - exp(-z)) / (exp(z) + exp(-z))``.

    Accepts arrays of any shape, lists and scalars; returns float64 values in
    [-1, 1] of the shape of ``z``, with no nan and no RuntimeWarning for any finite
    ``z`` (the formula as written overflows for large ``|z|``). Does not modify ``z``.
    """
    raise NotImplementedError("tanh is not implemented yet")


def tanh_grad(z):
    """Derivative of tanh, elementwise: ``1 - tanh(z)**2``.

    ``z`` is the input of tanh (not its output). Accepts arrays of any shape,
    lists and scalars; returns float64 values of the shape of ``z``, with no
    RuntimeWarning for any finite ``z``. Does not modify ``z``.
    """
    raise NotImplementedError("tanh_grad is not implemented yet")


def relu(z):
    """Rectified linear unit, elementwise: ``max(0, z)``.

    Accepts arrays of any shape, lists and scalars; returns float64 values of the
    shape of ``z``. Does not modify ``z`` (return a new array: do not set the
    negative entries of the given array to 0).
    """
    raise NotImplementedError("relu is not implemented yet")


def relu_grad(z):
    """Derivative of ReLU, elementwise: 1.0 for z > 0, 0.0 for z < 0.

    The derivative does not exist at exactly z = 0: there either 0.0 or 1.0 is
    accepted. Accepts arrays of any shape, lists and scalars; returns float64
    values of the shape of ``z``. Does not modify ``z``.
    """
    raise NotImplementedError("relu_grad is not implemented yet")


def leaky_relu(z, eps=0.01):
    """Leaky ReLU, elementwise: ``max(eps * z, z)`` for a slope 0 < eps < 1.

    That is ``z`` for z > 0 and ``eps * z`` for z < 0. Use the ``eps`` you are
    given (the grader also calls it with other values than 0.01). Accepts arrays
    of any shape, lists and scalars; returns float64 values of the shape of ``z``.
    Does not modify ``z``.
    """
    raise NotImplementedError("leaky_relu is not implemented yet")


def leaky_relu_grad(z, eps=0.01):
    """Derivative of leaky ReLU, elementwise: 1.0 for z > 0, ``eps`` for z < 0.

    At exactly z = 0 either 1.0 or ``eps`` is accepted. Accepts arrays of any
    shape, lists and scalars; returns float64 values of the shape of ``z``.
    Does not modify ``z``.
    """
    raise NotImplementedError("leaky_relu_grad is not implemented yet")


def elu(z, alpha=1.0):
    """Exponential linear unit, elementwise: ``z`` for z >= 0, ``alpha * (exp(z) - 1)`` for z < 0.

    Must be finite for every finite ``z``, with no RuntimeWarning: z = 1000 must
    give 1000.0, not inf or nan (careful: ``np.where`` computes ``exp(z)`` for
    every entry, the positive ones included). Use the ``alpha`` you are given.
    Accepts arrays of any shape, lists and scalars; returns float64 values of the
    shape of ``z``. Does not modify ``z``.
    """
    raise NotImplementedError("elu is not implemented yet")


def softmax(z, axis=-1):
    """Softmax along ``axis``: ``exp(z) / sum(exp(z))``, the sum taken along ``axis``.

    ``z`` has at least one dimension; with the default ``axis=-1`` a 2-D ``z`` of
    shape (n, K) holds one row of K scores per sample, and every row of the
    result sums to 1. Any axis must work, negative ones included (``axis=0``
    normalises the columns instead).

    Returns float64 values of the shape of ``z``, each in [0, 1], summing to 1
    along ``axis``. Must be stable: no nan, no inf and no RuntimeWarning for
    entries up to 1e3 in magnitude (``exp(1000)`` is inf). Hint: subtracting the
    same constant from every entry along ``axis`` does not change the softmax.

    Accepts arrays, nested lists; does not modify ``z``.
    """
    raise NotImplementedError("softmax is not implemented yet")


def step(z):
    """Rosenblatt's threshold (step) function, elementwise: 1.0 where z >= 0, else 0.0.

    Note the ``>=``: step(0) is 1.0. Accepts arrays of any shape, lists and
    scalars; returns float64 values (1.0 and 0.0, not booleans) of the shape of
    ``z``. Does not modify ``z``.
    """
    raise NotImplementedError("step is not implemented yet")
