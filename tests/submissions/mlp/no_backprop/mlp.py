"""An MLP with no backpropagation at all, written to look trained: its forward pass, predict_proba
and parameters are right, but every gradient is zero, its loss stays flat while it is probed (the
first value for the same X and y is returned again), and fit memorizes the training set, predicts
by the nearest memorized sample and returns made-up decreasing losses. Only the checks of its
forward pass may pay it; every check of gradients, training and iris must give it nothing."""

import numpy as np


def softmax_cross_entropy(logits, y):
    logits = np.asarray(logits, dtype=float)
    y = np.asarray(y).astype(int)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(y)), y].mean()), np.zeros_like(logits)


class MLP:
    def __init__(self, sizes=(4, 200, 100, 50, 3), activation="relu", seed=0):
        self.sizes, self.activation = [int(s) for s in sizes], activation
        rng = np.random.default_rng(seed)
        self.params = []
        for fan_in, fan_out in zip(self.sizes[:-1], self.sizes[1:]):
            self.params += [rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out)), np.zeros(fan_out)]
        self.memory = None
        self.seen = {}

    def _g(self, z):
        if self.activation == "relu":
            return np.maximum(z, 0.0)
        if self.activation == "tanh":
            return np.tanh(z)
        return 0.5 * (1.0 + np.tanh(0.5 * z))

    def forward(self, X):
        out = np.asarray(X, dtype=float)
        last = len(self.params) - 2
        for i in range(0, len(self.params), 2):
            out = out @ self.params[i] + self.params[i + 1]
            if i < last:
                out = self._g(out)
        return out

    def predict_proba(self, X):
        logits = self.forward(X)
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, X):
        X = np.asarray(X, dtype=float)
        if self.memory is None:
            return np.argmax(self.forward(X), axis=1)
        train_X, train_y = self.memory
        distances = ((X[:, None, :] - train_X[None, :, :]) ** 2).sum(axis=2)
        return train_y[np.argmin(distances, axis=1)]

    def loss(self, X, y):
        key = (np.asarray(X, dtype=float).tobytes(), np.asarray(y).tobytes())
        if key not in self.seen:
            self.seen[key] = softmax_cross_entropy(self.forward(X), y)[0]
        return self.seen[key]

    def get_params(self):
        return [p.copy() for p in self.params]

    def set_params(self, params):
        self.params = [np.array(p, dtype=float) for p in params]

    def gradients(self, X, y):
        return [np.zeros_like(p) for p in self.params]

    def fit(self, X, y, lr=0.1, epochs=200, batch_size=32, seed=0):
        self.memory = (np.array(X, dtype=float), np.array(y).astype(int))
        first = self.loss(X, y)
        return [first * 0.97**epoch for epoch in range(int(epochs))]
