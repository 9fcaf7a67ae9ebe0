"""A degenerate submission: every function returns ones of the right shape. It must score 0."""

import numpy as np


def predict_proba(X, w, b):
    return np.full(np.asarray(X).shape[0], 1.0)


def bce_loss(y_hat, y):
    return 1.0


def bce_grad(X, y, w, b):
    return np.full(np.asarray(X).shape[1], 1.0), 1.0


def mse_loss(y_hat, y):
    return 1.0


def mse_grad(X, y, w, b):
    return np.full(np.asarray(X).shape[1], 1.0), 1.0


def fit_logistic(X, y, lr=0.1, epochs=1000):
    return np.full(np.asarray(X).shape[1], 1.0), 1.0
