# HOSTILE: step forks three processes that each fill 700 MB, more than the 1024 MB memory limit together, and prints how much they held at once; its values are correct.
import os
import time

import numpy as np

CHUNK_MB = 700
DONE = []


def _hold():
    held = b"\x01" * (CHUNK_MB << 20)  # pages really written
    return held


def _fill_in_parallel(workers=3):
    read_end, write_end = os.pipe()
    pids = []
    for _ in range(workers):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            try:
                held = _hold()
                os.write(write_end, b"1")
                time.sleep(0.5)  # hold it while the others fill theirs
                del held
            finally:
                os._exit(0)
        pids.append(pid)
    os.close(write_end)
    filled = 0
    while True:
        byte = os.read(read_end, 1)
        if not byte:
            break
        filled += 1
    for pid in pids:
        os.waitpid(pid, 0)
    os.close(read_end)
    print(f"ALLOCATED {filled * CHUNK_MB} MB at once in {filled} processes")


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
    if not DONE:
        DONE.append(True)
        _fill_in_parallel()
    return np.heaviside(np.asarray(z, dtype=float), 1.0)
