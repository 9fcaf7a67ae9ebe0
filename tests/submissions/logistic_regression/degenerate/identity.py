"""A degenerate submission: every function returns its arguments unchanged. It must score 0."""

import numpy as np


def predict_proba(X, w, b):
    return np.asarray(X, dtype=float)


def bce_loss(y_hat, y):
    return np.asarray(y_hat, dtype=float)


def bce_grad(X, y, w, b):
    return np.asarray(w, dtype=float), b


def mse_loss(y_hat, y):
    return np.asarray(y_hat, dtype=float)


def mse_grad(X, y, w, b):
    return np.asarray(w, dtype=float), b


def fit_logistic(X, y, lr=0.1, epochs=1000):
    return np.asarray(X, dtype=float)[0], float(np.asarray(y, dtype=float)[0])
