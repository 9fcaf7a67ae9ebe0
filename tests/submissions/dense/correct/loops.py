"""A correct dense layer that loops over the samples (slow, but right), with Python-level
accumulation of dW and db, and a relu derivative of 1 at exactly z = 0."""

import math

import numpy as np


def g(name, v):
    if name == "sigmoid":
        return 1.0 / (1.0 + math.exp(-v)) if v >= 0 else math.exp(v) / (1.0 + math.exp(v))
    if name == "tanh":
        return math.tanh(v)
    if name == "relu":
        return v if v > 0 else 0.0
    return v


def g_prime(name, v):
    if name == "sigmoid":
        s = g("sigmoid", v)
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 - math.tanh(v) ** 2
    if name == "relu":
        return 1.0 if v >= 0 else 0.0
    return 1.0


class Dense:
    def __init__(self, in_features, out_features, activation="linear", seed=0):
        rng = np.random.default_rng(seed)
        self.W = rng.standard_normal((in_features, out_features)) * math.sqrt(2.0 / (in_features + out_features))
        self.b = np.zeros(out_features)
        self.activation = activation
        self.inputs = None
        self.pre = None

    def forward(self, X):
        X = np.asarray(X, dtype=float)
        n, h = X.shape[0], self.W.shape[1]
        self.inputs = X.copy()
        self.pre = np.zeros((n, h))
        out = np.zeros((n, h))
        for k in range(n):
            for j in range(h):
                z = float(X[k] @ self.W[:, j] + self.b[j])
                self.pre[k, j] = z
                out[k, j] = g(self.activation, z)
        return out

    def backward(self, dout):
        dout = np.asarray(dout, dtype=float)
        n, h = dout.shape
        dW = np.zeros(self.W.shape)
        db = np.zeros(h)
        dX = np.zeros(self.inputs.shape)
        for k in range(n):
            dz = np.array([dout[k, j] * g_prime(self.activation, self.pre[k, j]) for j in range(h)])
            dW += np.outer(self.inputs[k], dz)
            db += dz
            dX[k] = self.W @ dz
        self.dW, self.db = dW, db
        return dX
