# MUTANT: works for vectors only: len(x) and np.eye(len(x)) fail for a number and shift whole rows of a matrix.
# FAILS: numerical_gradient_sum_sin, numerical_gradient_matches_analytic, numerical_gradient_accepts_lists_and_numbers
import numpy as np


def gradient_descent(grad, x0, alpha, epochs):
    x = np.array(x0, dtype=float)
    out = [x]
    for _ in range(epochs):
        x = x - alpha * np.asarray(grad(x), dtype=float)
        out.append(x)
    return np.stack(out)


def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    E = np.eye(len(x))
    return np.array([(f(x + h * E[i]) - f(x - h * E[i])) / (2 * h) for i in range(len(x))])
