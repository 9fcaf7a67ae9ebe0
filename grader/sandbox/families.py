"""Functions the judge can hand to a student's code without sending code.

``gradient_descent(grad, ...)`` and ``numerical_gradient(f, ...)`` take callables. The judge
never sends a callable: it sends a description, ``Tagged("fn", {"family": ..., "params": ...})``,
and the child's harness rebuilds the function from this fixed, trusted family. The judge
builds the very same function from the same description to compute what it expects. Nothing
the child sends back is ever called by the judge.

Each family maps ``params`` (plain data) to a Python function of one array argument.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["FAMILIES", "build"]


def _array(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=float)


def _quadratic(p: dict) -> Callable:
    """f(x) = sum(a * (x - c)**2) + d: a bowl (a > 0) with its minimum d at c."""
    a, c, d = _array(p.get("a", 1.0)), _array(p.get("c", 0.0)), float(p.get("d", 0.0))
    return lambda x: float(np.sum(a * (_array(x) - c) ** 2) + d)


def _quadratic_grad(p: dict) -> Callable:
    a, c = _array(p.get("a", 1.0)), _array(p.get("c", 0.0))
    return lambda x: 2.0 * a * (_array(x) - c)


def _sum_sin(p: dict) -> Callable:
    """f(x) = sum(sin(w * x))."""
    w = _array(p.get("w", 1.0))
    return lambda x: float(np.sum(np.sin(w * _array(x))))


def _sum_sin_grad(p: dict) -> Callable:
    w = _array(p.get("w", 1.0))
    return lambda x: w * np.cos(w * _array(x))


def _logistic_loss(p: dict) -> Callable:
    """f(w) = mean binary cross-entropy of sigmoid(X @ w + b) against y (stable form)."""
    X, y, b = _array(p["X"]), _array(p["y"]), float(p.get("b", 0.0))

    def f(w: Any) -> float:
        z = X @ _array(w) + b
        return float(np.mean(np.logaddexp(0.0, z) - y * z))

    return f


def _logistic_loss_grad(p: dict) -> Callable:
    X, y, b = _array(p["X"]), _array(p["y"]), float(p.get("b", 0.0))

    def grad(w: Any) -> np.ndarray:
        z = X @ _array(w) + b
        return X.T @ (0.5 * (1.0 + np.tanh(0.5 * z)) - y) / len(y)

    return grad


FAMILIES: dict[str, Callable[[dict], Callable]] = {
    "quadratic": _quadratic,
    "quadratic_grad": _quadratic_grad,
    "sum_sin": _sum_sin,
    "sum_sin_grad": _sum_sin_grad,
    "logistic_loss": _logistic_loss,
    "logistic_loss_grad": _logistic_loss_grad,
}


def build(description: dict) -> Callable:
    """The function a ``{"family": ..., "params": {...}}`` description stands for."""
    family = FAMILIES.get(description.get("family", ""))
    if family is None:
        raise ValueError(f"unknown function family {description.get('family')!r}")
    return family(description.get("params", {}))
