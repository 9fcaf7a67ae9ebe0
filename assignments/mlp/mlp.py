"""Assignment 06: a multilayer perceptron that learns iris.

Implement ``softmax_cross_entropy`` and the class ``MLP`` below with numpy, replacing each
``raise NotImplementedError(...)`` with your code. Keep the names, arguments and defaults
exactly as they are: the grader creates ``MLP(...)`` objects and calls these methods.

Reusing your layer of assignment 05
-----------------------------------
An MLP is a stack of dense layers. To build it from your own ``Dense``, copy your finished
``dense.py`` of assignment 05 into this folder (next to this file) and add

    from dense import Dense

at the top of this file. Then hand in the whole folder: ``mlp.py`` together with ``dense.py``
(``grader check mlp`` run in this folder takes both). If you hand in ``mlp.py`` alone, it must
not import ``dense``: then write everything in this file. Either way is fine.

Conventions
-----------
* Samples are rows: ``X`` has shape ``(n, sizes[0])``; labels ``y`` are integers
  ``0..K-1`` of shape ``(n,)`` with ``K = sizes[-1]``.
* Layer i (from 1) has ``W`` of shape ``(sizes[i-1], sizes[i])`` and ``b`` of shape
  ``(sizes[i],)`` and computes ``g(X @ W + b)``; the last layer has no activation: its
  outputs are the logits.
* Arguments may be numpy arrays or nested Python lists (``np.asarray``); results are float64
  arrays, except where integers or a float are named.
* Never modify an argument in place. Use numpy and the Python standard library only.

The data
--------
``iris.csv`` and its loader ``iris.py`` are in this folder::

    from iris import load_iris
    X, y = load_iris()   # (150, 4) floats, (150,) ints 0, 1, 2

Load the data in your own scripts, not when this file is imported: the grader's sandbox
gets your .py files only. The grader standardizes the features with the training folds'
mean and standard deviation, trains ``MLP()`` with ``fit``'s defaults on each training fold
of a fixed, stratified 5-fold cross-validation, and expects a mean test accuracy of at least
0.9. Each ``fit`` has a time limit of 20 s: vectorize (whole minibatches as
matrices, no Python loop over the samples).

Check your work
---------------
From this folder run ``grader check mlp``. The instructor's grading adds hidden checks
(gradients against numerical ones, the reference's values, the iris cross-validation).
"""

import numpy as np

# from dense import Dense   # uncomment after copying your dense.py of assignment 05 here


def softmax_cross_entropy(logits, y):
    """Mean cross-entropy of ``softmax(logits)`` against the labels ``y``, and its gradient.

    Parameters
    ----------
    logits : array_like, shape (n, K)
        One row of K scores per sample.
    y : array_like of int, shape (n,)
        The class of each sample, in ``0..K-1``.

    Returns
    -------
    (loss, dlogits)
        ``loss``: a float, ``-mean(log(softmax(logits)[i, y[i]]))``.
        ``dlogits``: float64 array of shape (n, K), ``(softmax(logits) - onehot(y)) / n``,
        the derivative of ``loss`` with respect to ``logits``.

    Must be stable for logits up to 1e3 in magnitude: no nan, no inf, no RuntimeWarning
    (``exp(1000)`` overflows). Hint: with ``m`` the maximum of each row,
    ``log(softmax(z)) = z - m - log(sum(exp(z - m)))``, and it never takes the log of 0.

    Lecture example: for the predictions [.7 .1 .2], [.8 .15 .05], [.04 .9 .06], [.6 .1 .3],
    [.75 .2 .05] (use their logs as logits) and classes 1, 2, 1, 0, 1, the loss is
    ``(-log .1 - log .05 - log .9 - log .6 - log .2) / 5``, about 1.5048.
    """
    raise NotImplementedError("softmax_cross_entropy is not implemented yet")


class MLP:
    """A multilayer perceptron: dense layers ``sizes[i-1] -> sizes[i]``.

    Parameters
    ----------
    sizes : sequence of int
        The number of units per layer, the inputs first: the default
        ``(4, 200, 100, 50, 3)`` is the lectures' iris network (4 features, hidden layers of
        200, 100 and 50 units, 3 classes).
    activation : str
        The activation between layers: ``"relu"`` (default), ``"tanh"``, ``"sigmoid"`` or
        ``"linear"``. None after the last layer: its outputs are the logits.
    seed : int
        Seeds the random initial weights: the same seed gives the same network, another
        seed another one (give each layer a seed of its own, e.g. drawn from
        ``np.random.default_rng(seed)``). Biases start at zeros.
    """

    def __init__(self, sizes=(4, 200, 100, 50, 3), activation="relu", seed=0):
        raise NotImplementedError("MLP is not implemented yet")

    def forward(self, X):
        """The logits: float64 array of shape ``(n, sizes[-1])``."""
        raise NotImplementedError("forward is not implemented yet")

    def predict_proba(self, X):
        """``softmax`` of the logits, each row summing to 1: shape ``(n, sizes[-1])``."""
        raise NotImplementedError("predict_proba is not implemented yet")

    def predict(self, X):
        """The class of each sample, the argmax of its logits, as integers: shape ``(n,)``."""
        raise NotImplementedError("predict is not implemented yet")

    def loss(self, X, y):
        """The mean cross-entropy of the network on ``(X, y)``, a float."""
        raise NotImplementedError("loss is not implemented yet")

    def get_params(self):
        """The list ``[W1, b1, W2, b2, ..., WL, bL]`` (shapes as in assignment 05)."""
        raise NotImplementedError("get_params is not implemented yet")

    def set_params(self, params):
        """Replace the parameters with copies of the arrays in ``params`` (a list in the order
        of ``get_params``; arrays or nested lists). Does not modify ``params``."""
        raise NotImplementedError("set_params is not implemented yet")

    def gradients(self, X, y):
        """The list ``[dW1, db1, ..., dWL, dbL]``: the derivatives of ``loss(X, y)`` with
        respect to each parameter, aligned with ``get_params()``. Changes no parameter."""
        raise NotImplementedError("gradients is not implemented yet")

    def fit(self, X, y, lr=0.1, epochs=200, batch_size=32, seed=0):
        """Train with minibatch gradient descent (or any better optimizer).

        Each epoch shuffles the samples with ``np.random.default_rng(seed)`` (created once per
        call, so that the same call on the same network gives the same result) and takes one
        step ``param -= lr * gradient`` per batch of ``batch_size`` samples (the last batch
        may be smaller). Returns a list of ``epochs`` floats: for each epoch, the mean
        training loss (the mean of its batches' losses, weighted by their sizes, is fine).
        Does not modify ``X`` or ``y``.
        """
        raise NotImplementedError("fit is not implemented yet")
