"""A hostile submission: bce_grad returns constants and fit_logistic returns, in closed form, what
replaying those constant gradients gives. It does no real work and must score 0: a bce_grad that is
none of the typical slips the grader knows earns fit_logistic no "right given your own bce_grad"."""

import numpy as np

def bce_grad(X, y, w, b):
    return np.ones(np.shape(X)[1]), 1.0

def fit_logistic(X, y, lr=0.1, epochs=1000):
    # "epochs steps with my own bce_grad", in closed form: no loop, no gradient
    return -lr * epochs * np.ones(np.shape(X)[1]), -lr * epochs
