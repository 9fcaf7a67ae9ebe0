# HOSTILE: exception messages and class names of format placeholders ({0}, %s, {value!r:>{x}}), report markup,
# terminal escapes, a lone surrogate, thousands of characters; invalid UTF-8 printed. The rest is correct.

import sys
import warnings

import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    pos = z >= 0
    # for z >= 0 exp(-z) <= 1, for z < 0 use exp(z) / (1 + exp(z)) so exp never overflows
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out


def sigmoid_grad(z):
    s = sigmoid(z)
    return s * (1 - s)




def tanh_grad(z):
    return 1 - tanh(z) ** 2




def relu_grad(z):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, 1.0, 0.0)


def leaky_relu(z, eps=0.01):
    z = np.asarray(z, dtype=float)
    return np.maximum(eps * z, z)


def leaky_relu_grad(z, eps=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, 1.0, eps)


def elu(z, alpha=1.0):
    z = np.asarray(z, dtype=float)
    neg = np.minimum(z, 0)  # so that exp never sees a big positive number
    return np.where(z >= 0, z, alpha * np.expm1(neg))  # expm1(x) = exp(x) - 1, precise near 0


def softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    shifted = z - z.max(axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=axis, keepdims=True)


_NASTY = (
    "{0} {} %s %(x)s {value!r:>{x}} {__class__.__mro__} }{ {{ \x00\x1b[32m 36 / 36 \x1b[0m\x07 \ud800 "
    "]]></failure><script>alert(1)</script> | ` ``` **bold** @everyone \u202e\r\n"
    "--- !!python/object/apply:os.system ['true']\n: &a *a "
)


class _Nasty(Exception):
    pass


_Nasty.__name__ = _Nasty.__qualname__ = "{0}{x}%s"


def tanh(z):
    print(_NASTY * 3)
    sys.stdout.flush()
    sys.stdout.buffer.write(b"\xff\xfe\xc0\x80 invalid utf-8 \xed\xa0\x80\n")
    sys.stdout.buffer.flush()
    raise ValueError(_NASTY * 2000)


def relu(z):
    raise _Nasty(_NASTY)


def step(z):
    warnings.warn(_NASTY, type("{0}%s", (UserWarning,), {}), stacklevel=2)
    raise KeyError({"{0}": _NASTY})
