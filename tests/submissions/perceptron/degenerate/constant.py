"""A degenerate submission: every function returns ones of the right shape. It must score 0."""

import numpy as np


def neuron(x, w, b, activation="sigmoid"):
    x = np.asarray(x, dtype=float)
    return 1.0 if x.ndim == 1 else np.ones(x.shape[0])


def perceptron_predict(X, w, b):
    return np.ones(np.asarray(X).shape[0])


def perceptron_fit(X, y, lr=1.0, epochs=100):
    return np.ones(np.asarray(X).shape[1]), 1.0
