"""A correct logistic_regression.py: sigmoid via np.logaddexp, augmented X, lists returned."""

import numpy as np


def _augment(X):
    X = np.asarray(X, dtype=float)
    return np.hstack([X, np.ones((X.shape[0], 1))])


def predict_proba(X, w, b):
    z = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float) + b
    return np.exp(-np.logaddexp(0.0, -z))  # log sigmoid(z) = -log(1 + exp(-z))


def bce_loss(y_hat, y):
    y_hat = np.clip(np.asarray(y_hat, dtype=float), 1e-12, 1 - 1e-12)
    y = np.asarray(y, dtype=float)
    return float(np.mean(-y * np.log(y_hat) - (1 - y) * np.log(1 - y_hat)))


def bce_grad(X, y, w, b):
    A = _augment(X)
    theta = np.append(np.asarray(w, dtype=float), b)
    e = np.exp(-np.logaddexp(0.0, -(A @ theta))) - np.asarray(y, dtype=float)
    g = A.T @ e / len(e)
    return g[:-1].tolist(), float(g[-1])


def mse_loss(y_hat, y):
    return float(np.square(np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float)).mean())


def mse_grad(X, y, w, b):
    A = _augment(X)
    theta = np.append(np.asarray(w, dtype=float), b)
    g = 2 * A.T @ (A @ theta - np.asarray(y, dtype=float)) / len(A)
    return g[:-1], g[-1]


def fit_logistic(X, y, lr=0.1, epochs=1000):
    w, b = np.zeros(np.shape(X)[1]), 0.0
    for _ in range(epochs):
        dw, db = bce_grad(X, y, w, b)
        w, b = w - lr * np.asarray(dw), b - lr * db
    return w.tolist(), b
