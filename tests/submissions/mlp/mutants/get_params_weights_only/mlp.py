# MUTANT: get_params returns the weights without the biases; predict_ints computes the expected classes from the parameters get_params gives (never from predict_proba alone), so it fails too
# FAILS: get_params_shapes, mlp_structure, predict_ints
"""Reference solution for assignment 06: a multilayer perceptron that learns iris.

It builds on the layer of assignment 05 (``dense.py`` in this folder, the same file as the
reference of 05): dense layers ``sizes[i-1] -> sizes[i]`` with ``activation`` between them
and none after the last, whose outputs are the logits; softmax cross-entropy on top;
minibatch gradient descent.
"""

import numpy as np

from dense import Dense


def softmax_cross_entropy(logits, y):
    """``(loss, dlogits)``: mean cross-entropy of ``softmax(logits)`` against the labels ``y``.

    Stable: the log-softmax is ``z - max(z) - log(sum(exp(z - max(z))))`` along each row, so
    no exponential overflows and no probability is ever taken the log of. ``dlogits`` is
    ``(softmax(logits) - onehot(y)) / n``.
    """
    logits = np.asarray(logits, dtype=float)
    y = np.asarray(y).astype(int)
    n = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(n)
    loss = -log_probs[rows, y].mean()
    dlogits = np.exp(log_probs)
    dlogits[rows, y] -= 1.0
    return float(loss), dlogits / n


def _softmax(logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


class MLP:
    """Dense layers ``sizes[i-1] -> sizes[i]``, ``activation`` between them, none after the last.

    Each layer gets a seed of its own, drawn from a generator seeded with ``seed``.
    """

    def __init__(self, sizes=(4, 200, 100, 50, 3), activation="relu", seed=0):
        sizes = [int(s) for s in sizes]
        if len(sizes) < 2:
            raise ValueError("sizes needs at least an input and an output size")
        seeds = np.random.default_rng(seed).integers(0, 2**31 - 1, size=len(sizes) - 1)
        last = len(sizes) - 1
        self.sizes = tuple(sizes)
        self.layers = [
            Dense(sizes[i - 1], sizes[i], activation if i < last else "linear", seed=int(seeds[i - 1]))
            for i in range(1, len(sizes))
        ]

    def forward(self, X):
        """The logits, shape ``(n, sizes[-1])``."""
        out = np.asarray(X, dtype=float)
        for layer in self.layers:
            out = layer.forward(out)
        return out

    def predict_proba(self, X):
        return _softmax(self.forward(X))

    def predict(self, X):
        return np.argmax(self.forward(X), axis=1).astype(int)

    def loss(self, X, y):
        return softmax_cross_entropy(self.forward(X), y)[0]

    def get_params(self):
        """``[W1, b1, ..., WL, bL]`` (copies)."""
        return [layer.W.copy() for layer in self.layers]

    def set_params(self, params):
        params = list(params)
        if len(params) != 2 * len(self.layers):
            raise ValueError(f"expected {2 * len(self.layers)} arrays, got {len(params)}")
        new = [np.array(p, dtype=float) for p in params]  # copies
        for layer, W, b in zip(self.layers, new[0::2], new[1::2]):
            if W.shape != layer.W.shape or b.shape != layer.b.shape:
                raise ValueError(f"expected shapes {layer.W.shape} and {layer.b.shape}, got {W.shape} and {b.shape}")
        for layer, W, b in zip(self.layers, new[0::2], new[1::2]):
            layer.W, layer.b = W, b

    def _backprop(self, X, y):
        loss, grad = softmax_cross_entropy(self.forward(X), y)
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
        return loss

    def gradients(self, X, y):
        """``[dW1, db1, ..., dWL, dbL]`` of ``loss(X, y)``; the parameters stay as they are."""
        self._backprop(X, y)
        return [g.copy() for layer in self.layers for g in (layer.dW, layer.db)]

    def fit(self, X, y, lr=0.1, epochs=200, batch_size=32, seed=0):
        """Minibatch gradient descent on shuffled batches; returns the per-epoch mean losses."""
        X = np.asarray(X, dtype=float)
        y = np.asarray(y).astype(int)
        n = X.shape[0]
        rng = np.random.default_rng(seed)
        losses = []
        for _ in range(int(epochs)):
            order = rng.permutation(n)
            total = 0.0
            for start in range(0, n, int(batch_size)):
                batch = order[start:start + int(batch_size)]
                total += self._backprop(X[batch], y[batch]) * len(batch)
                for layer in self.layers:
                    layer.W = layer.W - lr * layer.dW
                    layer.b = layer.b - lr * layer.db
            losses.append(total / n)
        return losses
