"""The reference layer of assignment 05."""


import numpy as np

ACTIVATIONS = ("linear", "sigmoid", "tanh", "relu")


def _sigmoid(z):
    e = np.exp(-np.abs(z))  # never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _activate(name, z):
    if name == "linear":
        return z.copy()
    if name == "sigmoid":
        return _sigmoid(z)
    if name == "tanh":
        return np.tanh(z)
    return np.maximum(z, 0.0)


def _derivative(name, z):
    """g'(z), elementwise; for relu 0 at exactly z = 0."""
    if name == "linear":
        return np.ones_like(z)
    if name == "sigmoid":
        s = _sigmoid(z)
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 - np.tanh(z) ** 2
    return (z > 0).astype(float)


class Dense:
    """A dense layer ``g(X @ W + b)``.

    ``W`` is drawn from a normal distribution with a generator seeded by ``seed``, scaled
    by ``sqrt(2 / in_features)`` for relu (He) and ``sqrt(1 / in_features)`` otherwise
    (Xavier/LeCun); ``b`` starts at zeros.
    """

    def __init__(self, in_features, out_features, activation="linear", seed=0):
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
        in_features, out_features = int(in_features), int(out_features)
        rng = np.random.default_rng(seed)
        scale = np.sqrt((2.0 if activation == "relu" else 1.0) / in_features)
        self.W = rng.normal(0.0, scale, size=(in_features, out_features))
        self.b = np.zeros(out_features)
        self.activation = activation
        self.dW = np.zeros_like(self.W)
        self.db = np.zeros_like(self.b)
        self._X = None
        self._z = None

    def forward(self, X):
        """``g(X @ W + b)``, shape ``(n, out_features)``; remembers ``X`` and ``z`` for backward."""
        X = np.array(X, dtype=float)  # a copy: the caller may change its array later
        z = X @ self.W + self.b
        self._X, self._z = X, z
        return _activate(self.activation, z)

    def backward(self, dout):
        """Given ``dout = dL/d(output)`` of the last forward, set ``dW``, ``db``; return ``dX``."""
        if self._X is None:
            raise RuntimeError("call forward before backward")
        dz = np.asarray(dout, dtype=float) * _derivative(self.activation, self._z)
        self.dW = self._X.T @ dz
        self.db = dz.sum(axis=0)
        return dz @ self.W.T
