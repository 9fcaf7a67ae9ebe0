# HOSTILE: puts the hidden inputs into text that hidden feedback used to show: a returned object of a class named after the input, exceptions whose type name or message holds it, warnings whose message or category holds it, an exception raised from a made-up line of a made-up file; the process lives across checks, so inputs gathered in one check could be spread over later messages.
import warnings

import numpy as np

SEEN = []


def _text(z):
    SEEN.append(repr(np.round(np.asarray(z, dtype=float), 4).tolist()).replace(" ", ""))
    return "LEAK" + "".join(SEEN)[-400:]


def sigmoid(z):
    return type(_text(z), (), {})()


def sigmoid_grad(z):
    raise ValueError(_text(z))


def tanh(z):
    raise type(_text(z)[:90], (Exception,), {})()


def tanh_grad(z):
    code = compile("\n" * 5000 + "raise ValueError()", "activations.py", "exec")
    exec(code, {})


def relu(z):
    warnings.warn(_text(z), RuntimeWarning)
    return np.zeros_like(np.asarray(z, dtype=float))


def relu_grad(z):
    category = type(_text(z)[:90], (UserWarning,), {})
    warnings.warn("overflow encountered in exp", category)
    return np.zeros_like(np.asarray(z, dtype=float))


def leaky_relu(z, eps=0.01):
    return type(_text([eps]), (), {})()


def leaky_relu_grad(z, eps=0.01):
    warnings.warn("overflow encountered in " + _text([eps]), RuntimeWarning)
    return np.zeros_like(np.asarray(z, dtype=float))


def elu(z, alpha=1.0):
    warnings.warn("overflow " + _text(z) + f" alpha={alpha}", RuntimeWarning)
    return np.zeros_like(np.asarray(z, dtype=float))


def softmax(z, axis=-1):
    raise SystemExit(_text(z) + f"axis={axis}")


def step(z):
    raise KeyError(_text(z))
