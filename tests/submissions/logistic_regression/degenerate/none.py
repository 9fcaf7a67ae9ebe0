"""A degenerate submission: every function body is `pass` (returns None). It must score 0."""

def predict_proba(X, w, b):
    pass


def bce_loss(y_hat, y):
    pass


def bce_grad(X, y, w, b):
    pass


def mse_loss(y_hat, y):
    pass


def mse_grad(X, y, w, b):
    pass


def fit_logistic(X, y, lr=0.1, epochs=1000):
    pass
