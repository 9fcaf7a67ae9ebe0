# MUTANT: elu is np.where(z >= 0, z, alpha*(np.exp(z)-1)): right and finite, but exp(z) overflows (RuntimeWarning) for large positive z
# FAILS: elu_finite
"""Mutant of the reference solution for assignment 01: the reference with one bug (see line 1)."""

import numpy as np


def sigmoid(z):
    """Logistic sigmoid 1 / (1 + exp(-z)), computed without overflow.

    The naive formula overflows for z = -1000 (exp(1000) is inf). We only ever
    evaluate exp(-|z|), which lies in (0, 1], and use the two equal forms

        1 / (1 + exp(-z))        for z >= 0
        exp(z) / (1 + exp(z))    for z <  0

    so that the exponential never grows.
    """
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))  # exp(-z) for z >= 0, exp(z) for z < 0; never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(z):
    """Derivative of the sigmoid: sigmoid(z) * (1 - sigmoid(z))."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """Hyperbolic tangent (numpy's np.tanh is already stable)."""
    z = np.asarray(z, dtype=float)
    return np.tanh(z)


def tanh_grad(z):
    """Derivative of tanh: 1 - tanh(z)**2."""
    t = tanh(z)
    return 1.0 - t**2


def relu(z):
    """Rectified linear unit max(0, z)."""
    z = np.asarray(z, dtype=float)
    return np.maximum(z, 0.0)


def relu_grad(z):
    """Derivative of ReLU: 1 for z > 0, 0 for z < 0; we choose 0 at z = 0.

    np.heaviside(z, h) is the Heaviside step with value h at exactly 0.
    """
    z = np.asarray(z, dtype=float)
    return np.heaviside(z, 0.0)


def leaky_relu(z, eps=0.01):
    """Leaky ReLU max(eps*z, z) for 0 < eps < 1: z for z > 0, eps*z otherwise."""
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, eps * z)


def leaky_relu_grad(z, eps=0.01):
    """Derivative of leaky ReLU: 1 for z > 0, eps for z < 0; we choose eps at z = 0."""
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, 1.0, eps)


def elu(z, alpha=1.0):
    """Exponential linear unit: z for z >= 0, alpha*(exp(z) - 1) for z < 0.

    np.where evaluates both branches everywhere, so the exponential branch is
    computed on min(z, 0) only: exp never overflows (exp(1000) would be inf).
    np.expm1(x) is exp(x) - 1, accurate even for tiny x.
    """
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, z, alpha * (np.exp(z) - 1))


def softmax(z, axis=-1):
    """Softmax exp(z) / sum(exp(z)) along ``axis``; the result sums to 1 along it.

    Softmax does not change when a constant is subtracted along ``axis``, so we
    subtract the maximum first: every exponent is then <= 0, exp never overflows,
    and the largest entry contributes exp(0) = 1, so the sum is never 0.
    keepdims=True keeps the reduced axis (with length 1) so that the maximum and
    the sum broadcast against ``z`` along the right axis.
    """
    z = np.asarray(z, dtype=float)
    # z - max(z) overflows to -inf only when two entries differ by more than the
    # largest float (about 1.8e308); exp(-inf) = 0 is then the right answer, so
    # that one warning is silenced. For entries up to 1e3 in magnitude it never occurs.
    with np.errstate(over="ignore"):
        shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def step(z):
    """Rosenblatt's threshold function: 1.0 where z >= 0, else 0.0."""
    z = np.asarray(z, dtype=float)
    return np.heaviside(z, 1.0)
