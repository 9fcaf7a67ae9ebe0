"""Assignment 02: the perceptron: a single neuron and Rosenblatt's learning rule.

Implement every function below with numpy, replacing each
``raise NotImplementedError(...)`` with your code. Do not rename the functions
or change their arguments or defaults: the grader calls them exactly as they
are declared here.

Rules that hold for every function in this file
-----------------------------------------------
* Samples are rows: a batch ``X`` has shape (n, d), one sample ``x`` shape (d,),
  the weights ``w`` shape (d,), and the bias ``b`` is a single number.
* Arguments may be numpy arrays, (nested) Python lists or Python numbers.
  Convert them first, e.g. ``X = np.asarray(X, dtype=float)``.
* Results hold float64 values (1.0 and 0.0, not booleans, for the step);
  where a single number is returned, a Python float or a 0-d array is fine.
* Do not modify your arguments in place (no ``X[...] = ...``, ``w += ...`` or
  ``x *= ...`` on an array you were given): build new arrays.
* Use numpy and the Python standard library only. This file must not import
  your activations.py: if you need a sigmoid or a step, define it here.

Check your work
---------------
From the folder that holds this file (or from the course repository root) run

    grader check perceptron

It runs the public checks and tells you which ones fail and why. The instructor's
grading adds hidden checks of the same contract, so test your functions on inputs
of your own too (one sample and batches, lists, other ``lr`` and ``epochs``).
"""

import numpy as np


def neuron(x, w, b, activation="sigmoid"):
    """One artificial neuron: ``g(z)`` with ``z = x @ w + b``.

    Parameters
    ----------
    x : array_like
        One sample of shape (m,), or a batch of n samples as the rows of an array
        of shape (n, m).
    w : array_like
        The weights, shape (m,).
    b : float
        The bias.
    activation : str
        The activation g: ``"sigmoid"`` (the default) for ``1 / (1 + exp(-z))``,
        ``"step"`` for Rosenblatt's threshold (1.0 where z >= 0, else 0.0: note that
        step(0) is 1.0), or ``"linear"`` for z itself. Any other name may raise a
        ValueError (it is not graded).

    Returns
    -------
    For ``x`` of shape (m,): a single number (a float or a 0-d array).
    For ``x`` of shape (n, m): a float64 array of shape (n,), one value per row.

    Example from the lectures: x = [-0.1, 0.7, 0.5], w = [1, -2, 2], b = 0.8 gives
    z = 0.3 and sigmoid(0.3) = 0.5744 ("linear" gives 0.3, "step" gives 1.0).

    Does not modify its arguments.
    """
    raise NotImplementedError("neuron is not implemented yet")


def perceptron_predict(X, w, b):
    """The perceptron's class predictions: ``step(X @ w + b)``.

    Parameters
    ----------
    X : array_like, shape (n, d)
        n samples as rows.
    w : array_like, shape (d,)
    b : float

    Returns
    -------
    numpy.ndarray of float64, shape (n,): 1.0 where ``X @ w + b >= 0`` (so a sample
    exactly on the boundary is predicted 1.0), else 0.0.

    Does not modify its arguments.
    """
    raise NotImplementedError("perceptron_predict is not implemented yet")


def perceptron_fit(X, y, lr=1.0, epochs=100):
    """Train a perceptron with Rosenblatt's rule; return ``(w, b)``.

    Parameters
    ----------
    X : array_like, shape (n, d)
        n training samples as rows.
    y : array_like, shape (n,)
        Their labels, 0 or 1.
    lr : float
        The learning rate.
    epochs : int
        The largest number of passes over the data.

    The rule, exactly (the grader compares your w and b with the reference's):

    * Start from ``w = 0`` (float64, shape (d,)) and ``b = 0.0``.
    * One epoch visits the samples in the given order (no shuffling). For each
      sample ``x`` (a row of X) with label ``y_i``::

          y_hat = step(x @ w + b)            # 1.0 if x @ w + b >= 0 else 0.0
          w = w + lr * (y_i - y_hat) * x
          b = b + lr * (y_i - y_hat)

      A sample with ``y_hat != y_i`` is a mistake; when ``y_hat == y_i`` nothing
      changes. The update uses the w and b as they are after the previous sample.
    * Stop after the first epoch in which no sample was a mistake, or after
      ``epochs`` epochs, whichever comes first.

    On linearly separable data, given enough epochs, the result classifies every
    training sample correctly: ``perceptron_predict(X, w, b)`` equals ``y``.

    Returns
    -------
    (w, b) : a tuple of the weights (float64 array of shape (d,)) and the bias
        (a single number).

    Does not modify its arguments.
    """
    raise NotImplementedError("perceptron_fit is not implemented yet")
