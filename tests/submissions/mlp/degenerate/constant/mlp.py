"""A degenerate submission: weights, outputs, gradients and losses all ones, of the right shapes. It must score 0."""

import numpy as np


def softmax_cross_entropy(logits, y):
    return 1.0, np.ones(np.shape(logits))


class MLP:
    def __init__(self, sizes=(4, 200, 100, 50, 3), activation="relu", seed=0):
        self.sizes = [int(s) for s in sizes]
        self.params = []
        for a, b in zip(self.sizes[:-1], self.sizes[1:]):
            self.params += [np.ones((a, b)), np.ones(b)]

    def forward(self, X):
        return np.ones((np.asarray(X).shape[0], self.sizes[-1]))

    def predict_proba(self, X):
        return np.ones((np.asarray(X).shape[0], self.sizes[-1]))

    def predict(self, X):
        return np.ones(np.asarray(X).shape[0], dtype=int)

    def loss(self, X, y):
        return 1.0

    def get_params(self):
        return [p.copy() for p in self.params]

    def set_params(self, params):
        pass

    def gradients(self, X, y):
        return [np.ones(p.shape) for p in self.params]

    def fit(self, X, y, lr=0.1, epochs=200, batch_size=32, seed=0):
        return [1.0] * int(epochs)
