"""A correct MLP with its own Dense (activations in a dict) and SGD with momentum in fit
(an exponential moving average of the gradients, so that lr keeps its meaning)."""

import numpy as np

from dense import Dense


def softmax_cross_entropy(logits, y):
    z = np.asarray(logits, dtype=float)
    y = np.asarray(y).astype(int)
    z = z - z.max(axis=-1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    n = len(y)
    loss = float(-log_p[np.arange(n), y].sum() / n)
    grad = np.exp(log_p)
    grad[np.arange(n), y] -= 1
    return loss, grad / n


class MLP:
    def __init__(self, sizes=(4, 200, 100, 50, 3), activation="relu", seed=0):
        child_seeds = np.random.SeedSequence(seed).spawn(len(sizes) - 1)
        acts = [activation] * (len(sizes) - 2) + ["linear"]
        self.layers = [
            Dense(a, b, act, seed=int(s.generate_state(1)[0]))
            for a, b, act, s in zip(sizes[:-1], sizes[1:], acts, child_seeds)
        ]
        # He scaling for relu (the dict layer draws 0.1 * randn)
        for layer, fan_in in zip(self.layers, sizes[:-1]):
            layer.W = layer.W * 10.0 * np.sqrt(2.0 / fan_in)

    def forward(self, X):
        out = np.asarray(X, dtype=float)
        for layer in self.layers:
            out = layer.forward(out)
        return out

    def predict_proba(self, X):
        z = self.forward(X)
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, X):
        return np.argmax(self.predict_proba(X), axis=1)

    def loss(self, X, y):
        return softmax_cross_entropy(self.forward(X), y)[0]

    def get_params(self):
        return [p.copy() for layer in self.layers for p in (layer.W, layer.b)]

    def set_params(self, params):
        params = [np.array(p, dtype=float) for p in params]
        for layer, W, b in zip(self.layers, params[::2], params[1::2]):
            layer.W, layer.b = W, b

    def gradients(self, X, y):
        grad = softmax_cross_entropy(self.forward(X), y)[1]
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
        return [g.copy() for layer in self.layers for g in (layer.dW, layer.db)]

    def fit(self, X, y, lr=0.1, epochs=200, batch_size=32, seed=0, beta=0.9):
        X, y = np.asarray(X, dtype=float), np.asarray(y).astype(int)
        rng = np.random.default_rng(seed)
        velocity = [np.zeros_like(p) for p in self.get_params()]
        losses = []
        for _ in range(epochs):
            order = rng.permutation(len(y))
            total = 0.0
            for start in range(0, len(y), batch_size):
                rows = order[start:start + batch_size]
                total += self.loss(X[rows], y[rows]) * len(rows)
                grads = self.gradients(X[rows], y[rows])
                params = self.get_params()
                for v, g in zip(velocity, grads):
                    v *= beta
                    v += (1 - beta) * g
                self.set_params([p - lr * v for p, v in zip(params, velocity)])
            losses.append(total / len(y))
        return losses
