"""A degenerate submission: forward returns X and backward returns dout, the gradients are W and b. It must score 0."""

import numpy as np


class Dense:
    def __init__(self, in_features, out_features, activation="linear", seed=0):
        self.W = np.eye(int(in_features), int(out_features))
        self.b = np.zeros(int(out_features))

    def forward(self, X):
        return np.asarray(X, dtype=float)

    def backward(self, dout):
        self.dW = self.W
        self.db = self.b
        return np.asarray(dout, dtype=float)
