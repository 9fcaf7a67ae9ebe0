"""The honest baseline of own_forward and closed_form_fit: softmax_cross_entropy, the initialization and
get_params/set_params right, no forward, no gradients, no fit."""

import numpy as np

def softmax_cross_entropy(logits, y):
    z = np.asarray(logits, float); y = np.asarray(y).astype(int); n = len(y)
    s = z - z.max(1, keepdims=True); lp = s - np.log(np.exp(s).sum(1, keepdims=True))
    d = np.exp(lp); d[np.arange(n), y] -= 1
    return float(-lp[np.arange(n), y].mean()), d / n

class MLP:
    def __init__(self, sizes=(4, 200, 100, 50, 3), activation="relu", seed=0):
        rng = np.random.default_rng(seed); self.sizes = [int(s) for s in sizes]
        self.params = []
        for a, b in zip(self.sizes[:-1], self.sizes[1:]):
            self.params += [rng.normal(0, np.sqrt(2 / a), (a, b)), np.zeros(b)]
    def get_params(self):
        return [p.copy() for p in self.params]
    def set_params(self, params):
        self.params = [np.array(p, dtype=float) for p in params]
