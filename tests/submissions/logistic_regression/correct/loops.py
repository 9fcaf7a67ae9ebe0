"""A correct logistic_regression.py written with explicit Python loops and math."""

import math

import numpy as np


def _sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _dot(a, b):
    total = 0.0
    for ai, bi in zip(a, b):
        total += ai * bi
    return total


def predict_proba(X, w, b):
    X = np.asarray(X, dtype=float).tolist()
    w = np.asarray(w, dtype=float).tolist()
    return np.array([_sigmoid(_dot(row, w) + b) for row in X])


def bce_loss(y_hat, y):
    total, n = 0.0, 0
    for p, t in zip(np.asarray(y_hat, dtype=float).tolist(), np.asarray(y, dtype=float).tolist()):
        p = min(max(p, 1e-12), 1 - 1e-12)
        total += t * math.log(p) + (1 - t) * math.log(1 - p)
        n += 1
    return -total / n


def bce_grad(X, y, w, b):
    X = np.asarray(X, dtype=float).tolist()
    y = np.asarray(y, dtype=float).tolist()
    w = np.asarray(w, dtype=float).tolist()
    n, d = len(X), len(w)
    dw, db = [0.0] * d, 0.0
    for row, t in zip(X, y):
        error = _sigmoid(_dot(row, w) + b) - t
        for j in range(d):
            dw[j] += error * row[j] / n
        db += error / n
    return np.array(dw), db


def mse_loss(y_hat, y):
    pairs = list(zip(np.asarray(y_hat, dtype=float).tolist(), np.asarray(y, dtype=float).tolist()))
    return sum((p - t) ** 2 for p, t in pairs) / len(pairs)


def mse_grad(X, y, w, b):
    X = np.asarray(X, dtype=float).tolist()
    y = np.asarray(y, dtype=float).tolist()
    w = np.asarray(w, dtype=float).tolist()
    n, d = len(X), len(w)
    dw, db = [0.0] * d, 0.0
    for row, t in zip(X, y):
        r = _dot(row, w) + b - t
        for j in range(d):
            dw[j] += 2 * r * row[j] / n
        db += 2 * r / n
    return np.array(dw), db


def fit_logistic(X, y, lr=0.1, epochs=1000):
    d = np.asarray(X, dtype=float).shape[1]
    w, b = np.zeros(d), 0.0
    for _ in range(epochs):
        dw, db = bce_grad(X, y, w, b)
        w = w - lr * dw
        b = b - lr * db
    return w, b
