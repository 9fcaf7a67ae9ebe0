# MUTANT: bce_grad has the sign flipped: y - y_hat instead of y_hat - y
# FAILS: bce_grad_values, bce_grad_is_gradient, bce_grad_matches_numerical
"""Mutant of the reference solution for assignment 04: the reference with one bug (see line 1)."""


import numpy as np

CLIP = 1e-12  # bce_loss clips y_hat to [CLIP, 1 - CLIP] so that log never sees 0


def _sigmoid(z):
    """Stable logistic sigmoid: only exp(-|z|), which lies in (0, 1], is computed.

    1 / (1 + exp(-z)) for z >= 0 and the equal exp(z) / (1 + exp(z)) for z < 0, so that
    z = -1000 gives 0.0 without the overflow of exp(1000).
    """
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def predict_proba(X, w, b):
    """P(y = 1 | x) for every row x of X: ``sigmoid(X @ w + b)``, shape (n,)."""
    X = np.asarray(X, dtype=float)
    w = np.asarray(w, dtype=float)
    return _sigmoid(X @ w + float(b))


def bce_loss(y_hat, y):
    """Binary cross-entropy ``-mean(y*log(y_hat) + (1-y)*log(1-y_hat))``, a float.

    ``y_hat`` is clipped to [1e-12, 1 - 1e-12] first (into a new array), so that the
    loss is finite when a prediction is exactly 0 or 1.
    """
    y_hat = np.clip(np.asarray(y_hat, dtype=float), CLIP, 1.0 - CLIP)  # a new array
    y = np.asarray(y, dtype=float)
    return float(-np.mean(y * np.log(y_hat) + (1.0 - y) * np.log(1.0 - y_hat)))


def bce_grad(X, y, w, b):
    """Gradient of ``bce_loss(predict_proba(X, w, b), y)``: ``(dw, db)``.

    With y_hat = sigmoid(X @ w + b), the chain rule through the sigmoid simplifies to
    dL/dz_i = (y_hat_i - y_i) / n, hence

        dw = X.T @ (y_hat - y) / n      (shape (d,))
        db = mean(y_hat - y)            (a float)
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n = X.shape[0]
    error = y - predict_proba(X, w, b)
    dw = X.T @ error / n
    db = float(np.mean(error))
    return dw, db


def mse_loss(y_hat, y):
    """Mean squared error ``mean((y_hat - y)**2)``, a float."""
    y_hat = np.asarray(y_hat, dtype=float)
    y = np.asarray(y, dtype=float)
    return float(np.mean((y_hat - y) ** 2))


def mse_grad(X, y, w, b):
    """Gradient of ``mse_loss(X @ w + b, y)``: ``(dw, db)``.

    With r = X @ w + b - y, the loss is mean(r**2) and dL/dr_i = 2 r_i / n, hence

        dw = 2 * X.T @ r / n     (shape (d,))
        db = 2 * mean(r)         (a float)
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    w = np.asarray(w, dtype=float)
    n = X.shape[0]
    r = X @ w + float(b) - y
    dw = 2.0 * (X.T @ r) / n
    db = float(2.0 * np.mean(r))
    return dw, db


def fit_logistic(X, y, lr=0.1, epochs=1000):
    """Full-batch gradient descent on the BCE loss; returns ``(w, b)``.

    Starts from w = 0 (shape (d,)) and b = 0 and takes exactly ``epochs`` steps

        w <- w - lr * dw,   b <- b - lr * db,   (dw, db) = bce_grad(X, y, w, b).
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    w = np.zeros(X.shape[1])
    b = 0.0
    for _ in range(epochs):
        dw, db = bce_grad(X, y, w, b)
        w = w + lr * dw
        b = b + lr * db
    return w, float(b)
