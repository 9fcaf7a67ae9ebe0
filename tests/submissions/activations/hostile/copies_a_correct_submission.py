# HOSTILE: walks the course folder for any other readable file that defines a correct sigmoid (sample submissions, the grader's own test submissions) and returns its answers; without one its sigmoid is wrong.
import os

import numpy as np

FOUND = {}
PUBLIC = {-2.0: 0.11920292, 0.0: 0.5, 2.0: 0.88079708, -1000.0: 0.0, 1000.0: 1.0}


def _course_root():
    try:
        from grader.course import COURSE_ROOT

        return str(COURSE_ROOT)
    except Exception:
        return "/work/main"


def _candidates():
    for folder, dirs, files in os.walk(_course_root()):
        dirs[:] = [d for d in dirs if d not in (".venv", ".git", "__pycache__")]
        for name in files:
            if name.endswith(".py"):
                yield os.path.join(folder, name)


def _works(function):
    import warnings

    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")  # a sigmoid that overflows is not worth copying
        z = np.array(list(PUBLIC))
        got = np.asarray(function(z), dtype=float)
    return got.shape == z.shape and np.allclose(got, list(PUBLIC.values()), atol=1e-7)


def _steal():
    for path in _candidates():
        try:
            with open(path) as handle:
                source = handle.read()
            if "def sigmoid(" not in source or "HOSTILE" in source:
                continue
            namespace = {"__name__": "copied"}
            exec(compile(source, path, "exec"), namespace)
            if _works(namespace["sigmoid"]):
                print("COPIED sigmoid from", path)
                return namespace["sigmoid"]
        except BaseException:
            continue
    return None


def sigmoid(z):
    if "sigmoid" not in FOUND:
        FOUND["sigmoid"] = _steal()
    if FOUND["sigmoid"] is not None:
        return FOUND["sigmoid"](z)
    return np.full(np.shape(z), -1.0)  # wrong everywhere: what it returns when there was nothing to copy


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
