# MUTANT: one step too many: range(epochs + 1), so epochs + 2 rows.
# FAILS: lecture_alpha_0_25, lecture_alpha_0_06, lecture_alpha_1_1_diverges, vector_and_matrix_x0, descent_quadratic_matches_reference, descent_other_functions_match_reference, zero_epochs_returns_x0, iterates_not_rounded
import numpy as np


def gradient_descent(grad, x0, alpha, epochs):
    x = np.array(x0, dtype=float)
    out = [x]
    for _ in range(epochs + 1):
        x = x - alpha * np.asarray(grad(x), dtype=float)
        out.append(x)
    return np.stack(out)


def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[i] = h
        g[i] = (f(x + step) - f(x - step)) / (2 * h)
    return g
