"""A degenerate submission: every function body is `pass` (returns None). It must score 0."""

def gradient_descent(grad, x0, alpha, epochs):
    pass


def numerical_gradient(f, x, h=1e-5):
    pass
