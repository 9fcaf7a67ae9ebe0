# HOSTILE: looks for the reference and the hidden checks in its own memory (sys.modules, gc.get_objects, frames of every thread, inspect.stack, the zygote's /proc/<ppid>/mem) to return the reference's sigmoid; without them its sigmoid is wrong.
import gc
import inspect
import os
import sys

import numpy as np

FOUND = {}
SUSPECTS = ("grader_reference", "grader.hidden", "grader_suites", "solutions", "reference")


def _mine(function):
    return getattr(function, "__module__", None) == __name__


def _from_modules():
    for name, module in list(sys.modules.items()):
        if any(s in name for s in SUSPECTS):
            candidate = getattr(module, "sigmoid", None) or getattr(getattr(module, "ref", None), "sigmoid", None)
            if callable(candidate):
                print("FOUND in sys.modules:", name)
                return candidate
    return None


def _from_gc():
    for obj in gc.get_objects():
        if inspect.isfunction(obj) and obj.__name__ == "sigmoid" and not _mine(obj):
            print("FOUND in gc:", obj.__module__)
            return obj
    return None


def _from_frames():
    frames = list(sys._current_frames().values())
    try:
        frames += [info.frame for info in inspect.stack()]
    except Exception:
        pass
    for frame in frames:
        while frame is not None:
            for scope in (frame.f_locals, frame.f_globals):
                for key in ("ref", "reference", "expected"):
                    value = scope.get(key)
                    if value is not None and callable(getattr(value, "sigmoid", None)) and not _mine(value.sigmoid):
                        print("FOUND in a frame:", key)
                        return value.sigmoid
            frame = frame.f_back
    return None


def _from_parent():
    try:
        with open(f"/proc/{os.getppid()}/mem", "rb") as handle:
            handle.read(16)
        print("READ the zygote's memory")
    except OSError:
        pass
    return None


def _steal():
    for finder in (_from_modules, _from_gc, _from_frames, _from_parent):
        found = finder()
        if found is not None:
            return found
    return None


def sigmoid(z):
    if "sigmoid" not in FOUND:
        FOUND["sigmoid"] = _steal()
    if FOUND["sigmoid"] is not None:
        return FOUND["sigmoid"](z)
    return np.full(np.shape(z), -1.0)  # wrong everywhere: what it returns when there was nothing to steal


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
