"""A correct perceptron.py that returns Python floats and lists, with an augmented weight vector."""

import numpy as np


def neuron(x, w, b, activation="sigmoid"):
    z = np.asarray(x, dtype=float) @ np.asarray(w, dtype=float) + b
    if activation == "linear":
        out = z
    elif activation == "step":
        out = (z >= 0).astype(float)
    else:
        out = np.exp(-np.logaddexp(0.0, -z))  # 1 / (1 + exp(-z)) without overflow
    return out.tolist()


def perceptron_predict(X, w, b):
    return [1.0 if v >= 0 else 0.0 for v in (np.asarray(X, dtype=float) @ np.asarray(w, dtype=float) + b)]


def perceptron_fit(X, y, lr=1.0, epochs=100):
    # the bias as the last weight of samples augmented with a constant 1
    X = np.asarray(X, dtype=float)
    A = np.hstack([X, np.ones((len(X), 1))])
    theta = np.zeros(A.shape[1])
    for _ in range(epochs):
        mistakes = 0
        for a, target in zip(A, np.asarray(y, dtype=float)):
            z = a[:-1] @ theta[:-1] + theta[-1]
            error = target - (1.0 if z >= 0 else 0.0)
            if error:
                theta = theta + lr * error * a
                mistakes += 1
        if not mistakes:
            break
    return theta[:-1].tolist(), float(theta[-1])
