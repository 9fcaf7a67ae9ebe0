# HOSTILE: tanh returns wrong numbers inside an ndarray subclass (and a float subclass) whose __eq__, comparisons, __array__, __float__, __array_ufunc__ and tolist all claim to be right.
import numpy as np


class Liar(np.ndarray):
    """Holds zeros, but says it equals anything, and is close to anything."""

    def __eq__(self, other):
        return np.ones(np.shape(self), dtype=bool)

    def __ne__(self, other):
        return np.zeros(np.shape(self), dtype=bool)

    __hash__ = None

    def __lt__(self, other):
        return np.zeros(np.shape(self), dtype=bool)

    __gt__ = __le__ = __ge__ = __lt__

    def __float__(self):
        return 0.7615941559557649

    def __array__(self, dtype=None, copy=None):
        return np.tanh(np.full(self.shape, 1.0))  # what a caller gets when it asks for an array

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return np.zeros(np.shape(self))  # |a - b| == 0 for any b

    def tolist(self):
        return np.tanh(np.ones(self.shape)).tolist()

    def __bool__(self):
        return True

    def __len__(self):
        return int(np.prod(self.shape)) if self.ndim else 1


class LiarFloat(float):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = float.__hash__

    def __float__(self):
        return 0.5

    def __array__(self, dtype=None, copy=None):
        return np.array(0.5)


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    s = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return s * (1.0 - s)


def tanh(z):
    z = np.asarray(z, dtype=float)
    if z.ndim == 0:
        return LiarFloat(123.0)
    return np.zeros(z.shape).view(Liar)


def tanh_grad(z):
    return 1.0 - np.tanh(np.asarray(z, dtype=float)) ** 2


def relu(z):
    return np.maximum(np.asarray(z, dtype=float), 0.0)


def relu_grad(z):
    return np.heaviside(np.asarray(z, dtype=float), 0.0)


def leaky_relu(z, eps=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, eps * z)


def leaky_relu_grad(z, eps=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, 1.0, eps)


def elu(z, alpha=1.0):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


def softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    with np.errstate(over="ignore"):
        shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def step(z):
    return np.heaviside(np.asarray(z, dtype=float), 1.0)
