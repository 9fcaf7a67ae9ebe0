"""A degenerate submission: every method body is `pass`. It must score 0."""

class Dense:
    def __init__(self, in_features, out_features, activation="linear", seed=0):
        pass

    def forward(self, X):
        pass

    def backward(self, dout):
        pass
