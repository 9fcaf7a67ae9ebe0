# HOSTILE: step prints every mount point it can find (/proc/self/mountinfo, /proc/self/mounts, /proc/1/mountinfo): the mounts that hide folders carry the names of the reports folder and of other students' folders; its values are correct.
import os

import numpy as np

DONE = []


def _attack():
    seen = set()
    for path in ("/proc/self/mountinfo", "/proc/self/mounts", "/proc/1/mountinfo"):
        try:
            with open(path) as handle:
                for line in handle:
                    fields = line.split()
                    point = fields[4] if path.endswith("mountinfo") else fields[1]
                    seen.add(point)
        except (OSError, IndexError):
            pass
    for point in sorted(seen):
        print("MOUNT", point)


def _once():
    if not DONE:
        DONE.append(True)
        try:
            _attack()
        except Exception as exc:  # the attack is the point; failing is fine
            print("attack failed:", type(exc).__name__, exc)


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
    _once()
    return np.heaviside(np.asarray(z, dtype=float), 1.0)
