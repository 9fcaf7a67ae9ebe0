"""A degenerate submission: every function returns its first argument(s) unchanged. It must score 0."""

import numpy as np


def neuron(x, w, b, activation="sigmoid"):
    return np.asarray(x, dtype=float)


def perceptron_predict(X, w, b):
    return np.asarray(X, dtype=float)


def perceptron_fit(X, y, lr=1.0, epochs=100):
    return np.asarray(X, dtype=float)[0], float(np.asarray(y, dtype=float)[0])
