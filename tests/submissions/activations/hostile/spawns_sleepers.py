# HOSTILE: spawns processes that sleep for ever (Popen, start_new_session=True, os.setsid + double fork, a fork loop, one that ignores SIGTERM and SIGHUP); step itself is correct.
import os
import signal
import subprocess

import numpy as np

# Unique durations: the grader's tests look for processes running `sleep 1234.5` etc.
SPAWNED = []


def _exec_sleep(seconds):
    try:
        os.execv("/bin/sleep", ["sleep", seconds])
    finally:
        os._exit(1)


def _spawn_everything():
    try:
        SPAWNED.append(subprocess.Popen(["sleep", "1234.5"]).pid)
        SPAWNED.append(subprocess.Popen(["sleep", "1234.6"], start_new_session=True).pid)
    except OSError:
        pass
    try:
        pid = os.fork()
    except OSError:
        return
    if pid == 0:  # a daemon: own session, parent gone, SIGTERM and SIGHUP ignored
        try:
            os.setsid()
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            signal.signal(signal.SIGHUP, signal.SIG_IGN)
            if os.fork() == 0:
                _exec_sleep("1234.7")
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    for _ in range(5):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            _exec_sleep("1234.8")
        SPAWNED.append(pid)


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
    if not SPAWNED:
        _spawn_everything()
        print(f"SPAWNED {len(SPAWNED)} processes directly, and a daemon")
    return np.heaviside(np.asarray(z, dtype=float), 1.0)
