"""A degenerate submission: a table of the public checks' inputs and expected values (students read
public_checks.py), zeros for any other input. It passes every public check, does no work, and must score 0."""

import numpy as np
T = {
 ("sigmoid", (-2.0, -1.0, 0.0, 1.0, 2.0), ()): [0.11920292, 0.26894142, 0.5, 0.73105858, 0.88079708],
 ("sigmoid", (-1000.0, -745.0, 0.0, 745.0, 1000.0), ()): [0.0, 0.0, 0.5, 1.0, 1.0],
 ("sigmoid_grad", (-2.0, 0.0, 2.0), ()): [0.10499359, 0.25, 0.10499359],
 ("tanh", (-1.0, 0.0, 0.5), ()): [-0.76159416, 0.0, 0.46211716],
 ("tanh_grad", (-1.0, 0.0, 0.5), ()): [0.41997434, 1.0, 0.78644773],
 ("relu", (-2.0, -0.5, 0.0, 3.0), ()): [0.0, 0.0, 0.0, 3.0],
 ("relu_grad", (-2.0, -0.5, 3.0), ()): [0.0, 0.0, 1.0],
 ("leaky_relu", (-2.0, 3.0), ()): [-0.02, 3.0],
 ("leaky_relu", (-2.0, 3.0), (("eps", 0.1),)): [-0.2, 3.0],
 ("leaky_relu_grad", (-2.0, 3.0), ()): [0.01, 1.0],
 ("leaky_relu_grad", (-2.0, 3.0), (("eps", 0.1),)): [0.1, 1.0],
 ("elu", (-1.0, 0.0, 2.0), ()): [-0.63212056, 0.0, 2.0],
 ("elu", (-1.0, 0.0, 2.0), (("alpha", 2.0),)): [-1.26424112, 0.0, 2.0],
 ("softmax", (1.0, 2.0, 3.0), ()): [0.09003057, 0.24472847, 0.66524096],
 ("softmax", (1.0, 2.0, 3.0, 1.0, 1.0, 1.0), ()): [[0.09003057, 0.24472847, 0.66524096], [1/3, 1/3, 1/3]],
 ("softmax", (1000.0, 999.0, -1000.0, -1000.0, -999.0, -1000.0), ()): [[0.73105858, 0.26894142, 0.0], [0.21194156, 0.57611688, 0.21194156]],
 ("step", (-1.5, -1e-9, 0.0, 2.0), ()): [0.0, 0.0, 1.0, 1.0],
}
def _look(name, z, **kw):
    z = np.asarray(z, dtype=float)
    key = (name, tuple(z.ravel().tolist()), tuple(sorted((k, v) for k, v in kw.items() if v not in (0.01, 1.0, -1))))
    if key in T:
        return np.array(T[key], dtype=float)
    return np.zeros_like(z)
def sigmoid(z): return _look("sigmoid", z)
def sigmoid_grad(z): return _look("sigmoid_grad", z)
def tanh(z): return _look("tanh", z)
def tanh_grad(z): return _look("tanh_grad", z)
def relu(z): return _look("relu", z)
def relu_grad(z): return _look("relu_grad", z)
def leaky_relu(z, eps=0.01): return _look("leaky_relu", z, eps=eps)
def leaky_relu_grad(z, eps=0.01): return _look("leaky_relu_grad", z, eps=eps)
def elu(z, alpha=1.0): return _look("elu", z, alpha=alpha)
def softmax(z, axis=-1): return _look("softmax", z, axis=axis)
def step(z): return _look("step", z)
