"""A degenerate submission: every function body is `pass` (returns None). It must score 0."""

def neuron(x, w, b, activation="sigmoid"):
    pass


def perceptron_predict(X, w, b):
    pass


def perceptron_fit(X, y, lr=1.0, epochs=100):
    pass
