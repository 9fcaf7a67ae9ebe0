"""A degenerate submission: every method returns its argument. It must score 0."""

import numpy as np


def softmax_cross_entropy(logits, y):
    logits = np.asarray(logits, dtype=float)
    return float(logits.ravel()[0]), logits


class MLP:
    def __init__(self, sizes=(4, 200, 100, 50, 3), activation="relu", seed=0):
        self.sizes = [int(s) for s in sizes]
        self.params = []
        for a, b in zip(self.sizes[:-1], self.sizes[1:]):
            self.params += [np.eye(a, b), np.zeros(b)]

    def forward(self, X):
        return np.asarray(X, dtype=float)

    def predict_proba(self, X):
        return np.asarray(X, dtype=float)

    def predict(self, X):
        return np.asarray(X)

    def loss(self, X, y):
        return float(np.asarray(X, dtype=float).ravel()[0])

    def get_params(self):
        return self.params

    def set_params(self, params):
        self.params = params

    def gradients(self, X, y):
        return self.params

    def fit(self, X, y, lr=0.1, epochs=200, batch_size=32, seed=0):
        return list(np.asarray(y, dtype=float))
