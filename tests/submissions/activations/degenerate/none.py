"""A degenerate submission: every function body is `pass` (returns None). It must score 0."""


def sigmoid(z):
    pass


def sigmoid_grad(z):
    pass


def tanh(z):
    pass


def tanh_grad(z):
    pass


def relu(z):
    pass


def relu_grad(z):
    pass


def leaky_relu(z, eps=0.01):
    pass


def leaky_relu_grad(z, eps=0.01):
    pass


def elu(z, alpha=1.0):
    pass


def softmax(z, axis=-1):
    pass


def step(z):
    pass
