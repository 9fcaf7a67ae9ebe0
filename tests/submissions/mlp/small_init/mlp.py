"""Minibatch SGD that is right, with a small but legal initialization: W ~ N(0, 0.01**2).

Its steps are right, so every check of the steps passes (fit is judged from parameters the
grader sets); on iris, with the default 200 epochs, such small weights do not learn in time:
the cross-validation check, which measures the whole, is the one it fails.
"""

# A correct MLP in one file, without dense.py: weights in lists, activations in a dict,
# backpropagation written out in gradients, and fit reporting the loss on the whole training
# set after each epoch.

import numpy as np

ACT = {
    "relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0) * 1.0),
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "sigmoid": (lambda z: 0.5 * (1 + np.tanh(z / 2)), lambda z: 0.25 * (1 - np.tanh(z / 2) ** 2)),
    "linear": (lambda z: z, lambda z: np.ones_like(z)),
}


def softmax_cross_entropy(logits, y):
    logits = np.array(logits, dtype=float)
    y = np.array(y, dtype=int)
    n = logits.shape[0]
    m = logits.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.exp(logits - m).sum(axis=1))
    loss = np.mean(lse - logits[np.arange(n), y])
    probs = np.exp(logits - lse[:, None])
    probs[np.arange(n), y] -= 1
    return loss, probs / n


class MLP:
    def __init__(self, sizes=(4, 200, 100, 50, 3), activation="relu", seed=0):
        rng = np.random.default_rng(seed)
        self.f, self.df = ACT[activation]
        self.Ws = [rng.normal(size=(a, b)) * 0.01 for a, b in zip(sizes[:-1], sizes[1:])]  # small, legal
        self.bs = [np.zeros(b) for b in sizes[1:]]

    def _forward(self, X):
        a = np.asarray(X, dtype=float)
        cache = []
        for i, (W, b) in enumerate(zip(self.Ws, self.bs)):
            z = a @ W + b
            cache.append((a, z))
            a = z if i == len(self.Ws) - 1 else self.f(z)
        return a, cache

    def forward(self, X):
        return self._forward(X)[0]

    def predict_proba(self, X):
        z = self.forward(X)
        p = np.exp(z - z.max(axis=1, keepdims=True))
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, X):
        return np.argmax(self.forward(X), axis=1)

    def loss(self, X, y):
        return softmax_cross_entropy(self.forward(X), y)[0]

    def get_params(self):
        return [p for pair in zip(self.Ws, self.bs) for p in pair]

    def set_params(self, params):
        self.Ws = [np.array(p, dtype=float) for p in params[0::2]]
        self.bs = [np.array(p, dtype=float) for p in params[1::2]]

    def gradients(self, X, y):
        logits, cache = self._forward(X)
        _, d = softmax_cross_entropy(logits, y)
        grads = []
        for i in reversed(range(len(self.Ws))):
            a, z = cache[i]
            if i < len(self.Ws) - 1:
                d = d * self.df(z)
            grads = [a.T @ d, d.sum(axis=0)] + grads
            d = d @ self.Ws[i].T
        return grads

    def fit(self, X, y, lr=0.1, epochs=200, batch_size=32, seed=0):
        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=int)
        rng = np.random.default_rng(seed)
        out = []
        for _ in range(epochs):
            perm = rng.permutation(len(X))
            for s in range(0, len(X), batch_size):
                rows = perm[s:s + batch_size]
                g = self.gradients(X[rows], y[rows])
                self.set_params([p - lr * dp for p, dp in zip(self.get_params(), g)])
            out.append(self.loss(X, y))
        return out
