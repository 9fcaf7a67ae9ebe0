"""Assignment 05: a dense (fully connected) layer with backpropagation.

Implement the class ``Dense`` below with numpy, replacing each
``raise NotImplementedError(...)`` with your code. Keep the class name, the method names,
their arguments and defaults, and the attribute names ``W``, ``b``, ``dW``, ``db``
exactly as they are: the grader creates your layer, reads and assigns these attributes and
calls these methods.

Conventions (the matrix form of the lectures, Keras's kernel layout)
---------------------------------------------------------------------
* Samples are rows: ``X`` has shape ``(n, in_features)``; one row per sample.
* ``W`` has shape ``(in_features, out_features)``, ``b`` has shape ``(out_features,)``.
* The layer computes ``z = X @ W + b`` (shape ``(n, out_features)``) and returns ``g(z)``,
  where ``g`` is the activation: ``"linear"`` (g(z) = z), ``"sigmoid"``, ``"tanh"`` or
  ``"relu"``.
* ``X`` and ``dout`` may be numpy arrays or nested Python lists: convert them with
  ``np.asarray(..., dtype=float)``. Return float64 arrays.
* Never modify an argument in place (no ``X[...] = ...``, no ``dout *= ...``).
* Use numpy and the Python standard library only.

Backpropagation
---------------
``backward(dout)`` gets ``dout = dL/d(output)``: the derivative of some scalar loss L with
respect to each entry of the output of the last ``forward`` (same shape as that output).
With ``dz = dout * g'(z)`` (elementwise, z from the last forward):

* ``dW = X.T @ dz``  (shape of ``W``)
* ``db = dz.sum(axis=0)``  (shape of ``b``: a sum over the samples, not a mean: if L is a
  mean over the samples, its 1/n is already inside ``dout``)
* ``dX = dz @ W.T``  (shape of ``X``, returned)

For relu, g'(z) is 1 for z > 0 and 0 for z < 0; at exactly z = 0 either 0 or 1 is accepted.

Check your work
---------------
From the folder that holds this file (or from the course repository root) run

    grader check dense

It runs the public checks. The instructor's grading adds hidden checks of the same contract
(random shapes and values, all four activations, numerical gradients), so test your layer on
inputs of your own too.
"""

import numpy as np


class Dense:
    """A dense layer: ``forward(X)`` returns ``g(X @ W + b)``.

    Parameters
    ----------
    in_features : int
        Number of inputs of each sample (columns of ``X``, rows of ``W``).
    out_features : int
        Number of units (columns of ``W``, entries of ``b``).
    activation : str
        ``"linear"`` (default), ``"sigmoid"``, ``"tanh"`` or ``"relu"``.
    seed : int
        Seed of the random initial weights: ``np.random.default_rng(seed)``. The same seed
        gives the same ``W``; different seeds give different ones.

    Attributes (set them in ``__init__``)
    ----------
    W : numpy.ndarray, shape (in_features, out_features)
        Random, finite and not all zero (all-zero weights make every unit learn the same
        thing). A good choice: ``rng.normal(0, np.sqrt(2 / in_features), size=...)`` for relu
        (He), ``np.sqrt(1 / in_features)`` for the others.
    b : numpy.ndarray, shape (out_features,)
        Zeros.

    The grader may assign new arrays to ``W`` and ``b`` (``layer.W = ...``) before it calls
    ``forward``: always use the current ``self.W`` and ``self.b``.
    """

    def __init__(self, in_features, out_features, activation="linear", seed=0):
        raise NotImplementedError("Dense is not implemented yet")

    def forward(self, X):
        """Return ``g(X @ W + b)``, a float64 array of shape ``(n, out_features)``.

        ``X`` has shape ``(n, in_features)`` (an array or a nested list). Remember what
        ``backward`` will need (``X`` and ``z = X @ W + b``, say) in attributes of ``self``.
        Does not modify ``X``.
        """
        raise NotImplementedError("forward is not implemented yet")

    def backward(self, dout):
        """Backpropagate ``dout = dL/d(output)`` (shape ``(n, out_features)``) of the last forward.

        Sets ``self.dW`` (shape of ``W``) and ``self.db`` (shape of ``b``) and returns
        ``dX = dL/dX``, of shape ``(n, in_features)``. Does not modify ``dout``.
        """
        raise NotImplementedError("backward is not implemented yet")
