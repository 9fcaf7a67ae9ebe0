"""Assignment 04: logistic regression and its gradient.

Implement every function below with numpy, replacing each
``raise NotImplementedError(...)`` with your code. Do not rename the functions
or change their arguments or defaults: the grader calls them exactly as they
are declared here.

Rules that hold for every function in this file
-----------------------------------------------
* Samples are rows: ``X`` has shape (n, d), the weights ``w`` shape (d,), the
  bias ``b`` is a single number, and the labels ``y`` have shape (n,) with
  values 0 or 1 (``mse_loss`` and ``mse_grad`` accept any real targets).
* Arguments may be numpy arrays, (nested) Python lists or Python numbers.
  Convert them first, e.g. ``X = np.asarray(X, dtype=float)``.
* Results hold float64 values. A loss, and the ``db`` of a gradient, is a
  single number: a Python float or a 0-d array, not an array of shape (1,).
* "mean" is over the n samples: divide sums over samples by n.
* Do not modify your arguments in place (no ``X[...] = ...``, ``y_hat -= ...``,
  ``np.clip(..., out=y_hat)`` on an array you were given): build new arrays.
* Use numpy and the Python standard library only. This file must not import
  your other assignments: if you need a sigmoid, define it here.

Check your work
---------------
From the folder that holds this file (or from the course repository root) run

    grader check logistic_regression

It runs the public checks and tells you which ones fail and why; some of them
compare your gradients with numerical ones (central differences of the loss).
The instructor's grading adds hidden checks of the same contract, so test your
functions on inputs of your own too.
"""

import numpy as np


def predict_proba(X, w, b):
    """The model's probabilities ``sigmoid(X @ w + b)``, one per row of X.

    Parameters
    ----------
    X : array_like, shape (n, d)
    w : array_like, shape (d,)
    b : float

    Returns
    -------
    numpy.ndarray of float64, shape (n,), every value in [0, 1].

    The sigmoid must be stable: for every finite ``X @ w + b`` the result is
    correct and never nan, with no RuntimeWarning (``1 / (1 + np.exp(-z))`` as
    written overflows for z = -1000: ``exp(1000)`` is inf). Hint: for z < 0 use
    the equal form ``exp(z) / (1 + exp(z))``.

    Does not modify its arguments.
    """
    raise NotImplementedError("predict_proba is not implemented yet")


def bce_loss(y_hat, y):
    """Binary cross-entropy: ``-mean(y * log(y_hat) + (1 - y) * log(1 - y_hat))``.

    Parameters
    ----------
    y_hat : array_like, shape (n,)
        Predicted probabilities, each in [0, 1] (exactly 0 and 1 included).
    y : array_like, shape (n,)
        Labels, 0 or 1.

    Returns
    -------
    A single number (a float).

    First clip ``y_hat`` to [1e-12, 1 - 1e-12] (``np.clip`` returns a new array),
    so that the loss stays finite when a prediction is exactly 0 or 1: then
    ``log`` never sees 0 and ``0 * log(0)`` (nan) cannot occur.

    Does not modify its arguments.
    """
    raise NotImplementedError("bce_loss is not implemented yet")


def bce_grad(X, y, w, b):
    """The gradient of ``bce_loss(predict_proba(X, w, b), y)`` with respect to w and b.

    Parameters
    ----------
    X : array_like, shape (n, d)
    y : array_like, shape (n,)
        Labels, 0 or 1.
    w : array_like, shape (d,)
    b : float

    Returns
    -------
    (dw, db) : a tuple of ``dw``, a float64 array of shape (d,), and ``db``, a
        single number. With ``y_hat = predict_proba(X, w, b)``::

            dw = X.T @ (y_hat - y) / n
            db = mean(y_hat - y)

    (The derivative of the clipping is ignored: these are the formulas to use.)

    Does not modify its arguments.
    """
    raise NotImplementedError("bce_grad is not implemented yet")


def mse_loss(y_hat, y):
    """Mean squared error ``mean((y_hat - y)**2)``.

    Parameters
    ----------
    y_hat, y : array_like, shape (n,)
        Predictions and targets (any real numbers).

    Returns
    -------
    A single number (a float). Does not modify its arguments.
    """
    raise NotImplementedError("mse_loss is not implemented yet")


def mse_grad(X, y, w, b):
    """The gradient of ``mse_loss(X @ w + b, y)`` with respect to w and b.

    Parameters
    ----------
    X : array_like, shape (n, d)
    y : array_like, shape (n,)
        Targets (any real numbers).
    w : array_like, shape (d,)
    b : float

    Returns
    -------
    (dw, db) : a tuple of ``dw``, a float64 array of shape (d,), and ``db``, a
        single number: the partial derivatives of ``mean((X @ w + b - y)**2)``.
        Work them out with the chain rule (do not forget the 2 of the square,
        nor the 1/n of the mean).

    Does not modify its arguments.
    """
    raise NotImplementedError("mse_grad is not implemented yet")


def fit_logistic(X, y, lr=0.1, epochs=1000):
    """Fit logistic regression by full-batch gradient descent; return ``(w, b)``.

    Parameters
    ----------
    X : array_like, shape (n, d)
    y : array_like, shape (n,)
        Labels, 0 or 1.
    lr : float
        The learning rate.
    epochs : int
        The number of gradient steps.

    Start from ``w = 0`` (float64, shape (d,)) and ``b = 0.0`` and take exactly
    ``epochs`` steps, each on the whole data set::

        dw, db = bce_grad(X, y, w, b)
        w = w - lr * dw
        b = b - lr * db

    (no early stopping, no shuffling, no minibatches: the grader compares your
    w and b with the reference's).

    Returns
    -------
    (w, b) : a tuple of the weights (float64 array of shape (d,)) and the bias
        (a single number).

    Does not modify its arguments.
    """
    raise NotImplementedError("fit_logistic is not implemented yet")
