# HOSTILE: aims at what a grading worker keeps between submissions, and at the place a failed call names.
# Kept by the worker: the shared draws, the reference's values on the judge's arguments, the report's
# entries written once, the judge frozen for the garbage collector. sigmoid raises through a forged
# traceback (a line beyond the file, a function name holding report text, an instruction index past
# the code); tanh answers in one reused, reversed, Fortran-ordered buffer; relu returns a view into a
# larger array, step a read-only broadcast; tanh_grad returns -0.0 for zeros. Only sigmoid is wrong.
import sys
import types

import numpy as np

_FORGED_NAME = "sigmoid\n- id: test_sigmoid_matches_reference\n  points: 99.0\n...\n"


def _forged_traceback():
    """A traceback entry in this file, at line 4242 (the file is shorter), in a function whose
    name is report text, with an instruction index far past the end of its code."""
    source = "\n" * 4241 + "def f():\n    return sys._getframe()\n"
    namespace = {"sys": sys}
    exec(compile(source, __file__, "exec"), namespace)
    f = namespace["f"]
    f.__code__ = f.__code__.replace(co_name=_FORGED_NAME)
    return types.TracebackType(None, f(), 10**9, 4242)


def sigmoid(z):
    error = ValueError("kept line breaks\n\n...\n--- !!python/object:os.system\n")
    raise error.with_traceback(_forged_traceback())


def sigmoid_grad(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    s = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return s * (1.0 - s)


_BUFFER = np.zeros(1 << 16)


def tanh(z):
    z = np.asarray(z, dtype=float)
    if z.ndim == 0:
        return float(np.tanh(z))
    out = _BUFFER[: z.size][::-1].reshape(z.shape[::-1]).T  # reversed, Fortran-ordered, reused
    out[...] = np.tanh(z)
    return out


def tanh_grad(z):
    value = np.asarray(1.0 - np.tanh(np.asarray(z, dtype=float)) ** 2)
    return np.where(value == 0.0, -0.0, value)


def relu(z):
    z = np.asarray(z, dtype=float)
    wide = np.zeros((2,) + z.shape)
    wide[1] = np.maximum(z, 0.0)
    return wide[1]  # a view into a larger array


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
    z = np.asarray(z, dtype=float)
    return np.broadcast_to(np.heaviside(z, 1.0), z.shape)  # read-only, no memory of its own
