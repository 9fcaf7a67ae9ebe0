"""A degenerate submission: every function and method body is `pass`. It must score 0."""

def softmax_cross_entropy(logits, y):
    pass


class MLP:
    def __init__(self, sizes=(4, 200, 100, 50, 3), activation="relu", seed=0):
        pass

    def forward(self, X):
        pass

    def predict_proba(self, X):
        pass

    def predict(self, X):
        pass

    def loss(self, X, y):
        pass

    def get_params(self):
        pass

    def set_params(self, params):
        pass

    def gradients(self, X, y):
        pass

    def fit(self, X, y, lr=0.1, epochs=200, batch_size=32, seed=0):
        pass
