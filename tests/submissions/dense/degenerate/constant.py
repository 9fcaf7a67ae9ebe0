"""A degenerate submission: weights, outputs and gradients all ones, of the right shapes. It must score 0."""

import numpy as np


class Dense:
    def __init__(self, in_features, out_features, activation="linear", seed=0):
        self.W = np.ones((int(in_features), int(out_features)))
        self.b = np.ones(int(out_features))
        self.dW = np.ones((int(in_features), int(out_features)))
        self.db = np.ones(int(out_features))

    def forward(self, X):
        return np.ones((np.asarray(X).shape[0], self.W.shape[1]))

    def backward(self, dout):
        self.dW = np.ones(self.W.shape)
        self.db = np.ones(self.b.shape)
        return np.ones((np.asarray(dout).shape[0], self.W.shape[0]))
