"""Hidden checks of assignment 04 (logistic regression).

Property tests against the reference solution on inputs drawn by hypothesis (derandomized and
replayed: every submission sees the same inputs), gradients against numerical gradients of the
reference losses, fit_logistic against the reference's (w, b) on fixed data sets, lists, and
in-place modification. Feedback never shows a hidden input or expected value: gradient
failures show the student's value and a hint only (``show_numerical=False``).
"""

import math

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grader.authoring import (
    as_pair,
    as_scalar,
    check,
    compare_gradient,
    credit_by_part,
    expect_close,
    expect_unchanged,
    fail,
    floats,
    for_examples,
    numerical_gradient,
    only_if_right,
    reference,
)

ref = reference("logistic_regression")


# ---------------------------------------------------------------------------------------------
# Helpers


def pair(value, d, call, names):
    """The student's ``(dw, db)`` or ``(w, b)``: a float array of shape (d,) and a float."""
    return as_pair(value, what=call, size=d, names=names, where=" on a hidden test")


# The hint of an unclipped bce_loss, word for word that of the public checks.
BCE_NO_CLIP = "log(0) is -inf: clip y_hat to [1e-12, 1 - 1e-12] before the log (np.clip)"

# The hints of typical bugs, word for word the same in the public and the hidden checks: a hint
# is given when the values are exactly those the bug gives (the judge makes it itself).
PREDICT_NO_BIAS = "yours is sigmoid(X @ w), without b: sigmoid(X @ w + b)"
MSE_ABS = "yours is mean(|y_hat - y|), the mean absolute error: square the differences"
FIT_EPOCHS = "yours is what the default epochs=1000 gives: use the epochs argument"
FIT_NO_B = "your b is never updated: b = b - lr * db at every step, like w"
FIT_STOCHASTIC = "yours takes a step per sample: full-batch gradient descent takes one step per epoch, with the mean gradient"


def logistic_fit(X, y, lr=0.1, epochs=1000, *, update_b=True, per_sample=False):
    """fit_logistic as the contract states it, or with one typical bug (for the hints)."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w, b = np.zeros(X.shape[1]), 0.0
    batches = [slice(i, i + 1) for i in range(len(y))] if per_sample else [slice(None)]
    for _ in range(epochs):
        for part in batches:
            z = X[part] @ w + b
            p = np.where(z >= 0, 1.0 / (1.0 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1.0 + np.exp(-np.abs(z))))
            r = p - y[part]
            w = w - lr * (X[part].T @ r / len(r))
            if update_b:
                b = b - lr * float(np.mean(r))
    return w, b


def fit_mistakes(X, y, lr=0.1, epochs=1000):
    """For the w and the b of fit_logistic(X, y, lr, epochs): what each typical bug gives."""
    variants = {
        FIT_EPOCHS: logistic_fit(X, y, lr, 1000),
        FIT_NO_B: logistic_fit(X, y, lr, epochs, update_b=False),
        FIT_STOCHASTIC: logistic_fit(X, y, lr, epochs, per_sample=True),
    }
    return ({hint: value[0] for hint, value in variants.items()},
            {hint: value[1] for hint, value in variants.items()})



def bce_of_model(X, y, w, b):
    return ref.bce_loss(ref.predict_proba(X, w, b), y)


def mse_of_model(X, y, w, b):
    return ref.mse_loss(np.asarray(X) @ np.asarray(w) + b, y)


def gradient_matches_reference(student, name, X, y, w, b):
    """The student's ``name(X, y, w, b)`` equals the reference's (dw, db)."""
    call = f"{name}(X, y, w, b)"
    dw_ref, db_ref = getattr(ref, name)(X, y, w, b)
    dw, db = pair(getattr(student, name)(X, y, w, b), X.shape[1], call, ("dw", "db"))
    expect_close(dw, dw_ref, what=f"the dw of {call}", public=False, rtol=1e-6, atol=1e-10, n=len(y))
    expect_close(db, db_ref, what=f"the db of {call}", public=False, rtol=1e-6, atol=1e-10, n=len(y))


def gradient_matches_numerical(student, name, loss, X, y, w, b):
    """The student's ``name(X, y, w, b)`` against central differences of the reference ``loss``.

    The numerical gradient is the reference's (a hidden expected value): it is never shown.
    """
    n, d = X.shape
    dw, db = pair(getattr(student, name)(X, y, w, b), d, f"{name}(X, y, w, b)", ("dw", "db"))
    value = loss(X, y, w, b)
    at = "at a hidden input"
    numerical = numerical_gradient(lambda v: loss(X, y, v, b), w)
    compare_gradient(dw, numerical, name=f"the dw of {name}", at=at, value_scale=value,
                     public=False, n=n, show_numerical=False)
    numerical = numerical_gradient(lambda v: loss(X, y, w, float(v)), np.array(b))
    compare_gradient(db, numerical, name=f"the db of {name}", at=at, value_scale=value,
                     public=False, n=n, show_numerical=False)


def fit_matches(student, X, y, **kwargs):
    shown = ", ".join(f"{k}=..." for k in kwargs)  # the values are hidden inputs too
    call = f"fit_logistic(X, y{', ' + shown if shown else ''})"
    w_ref, b_ref = ref.fit_logistic(X, y, **kwargs)
    w, b = pair(student.fit_logistic(X, y, **kwargs), X.shape[1], call, ("w", "b"))
    on_w, on_b = fit_mistakes(X, y, **kwargs)
    expect_close(w, w_ref, what=f"the w of {call}", public=False, rtol=1e-6, atol=1e-9, mistakes=on_w)
    expect_close(b, b_ref, what=f"the b of {call}", public=False, rtol=1e-6, atol=1e-9, mistakes=on_b)


# ---------------------------------------------------------------------------------------------
# Strategies and fixed data


def arrays(shape, lo, hi):
    return hnp.arrays(np.float64, shape, elements=floats(lo=lo, hi=hi))


def labels(n):
    return hnp.arrays(np.float64, (n,), elements=st.sampled_from([0.0, 1.0]))


@st.composite
def models(draw, targets="labels", spread=3.0):
    """(X, y, w, b): X of shape (n, d), n 1..8, d 1..4, with |X @ w + b| <= 19.5 for
    ``spread`` 3 (so that no prediction is within 1e-9 of 0 or 1 and the clipping in the
    loss never matters to its numerical gradient). ``targets``: 0/1 labels or real numbers."""
    n, d = draw(st.integers(1, 8)), draw(st.integers(1, 4))
    X = draw(arrays((n, d), -spread, spread))
    y = draw(labels(n)) if targets == "labels" else draw(arrays((n,), -5.0, 5.0))
    w = draw(arrays((d,), -1.5, 1.5))
    b = draw(floats(lo=-1.5, hi=1.5))
    return X, y, w, b


@st.composite
def predictions(draw):
    """(y_hat, y): probabilities in [0, 1] (exactly 0 and 1 included) and 0/1 labels."""
    n = draw(st.integers(1, 8))
    return draw(arrays((n,), 0.0, 1.0)), draw(labels(n))


@st.composite
def real_pairs(draw):
    n = draw(st.integers(1, 8))
    return draw(arrays((n,), -50.0, 50.0)), draw(arrays((n,), -50.0, 50.0))


X3 = np.array([[0.5, -1.0], [1.5, 2.0], [-1.0, 0.25]])
Y3 = np.array([1.0, 0.0, 0.0])
W3 = np.array([0.75, -0.5])
EXAMPLE = (X3, Y3, W3, 0.3)
REGRESSION = (X3, np.array([1.0, -2.0, 0.5]), W3, 0.3)

_rng = np.random.default_rng(44)
NOISY_X = np.round(_rng.normal(size=(12, 3)), 2)
NOISY_Y = (NOISY_X @ np.array([1.0, -0.5, 0.25]) + 0.6 * _rng.normal(size=12) > 0).astype(float)
SEPARABLE_X = np.array([[-2.0, -1.0], [-1.0, -1.5], [1.0, 1.0], [2.0, 0.5], [0.5, 1.5]])
SEPARABLE_Y = np.array([0.0, 0.0, 1.0, 1.0, 1.0])


# ---------------------------------------------------------------------------------------------
# Values


@check(points=2)
@for_examples(case=models(spread=10.0), examples=[
    {"case": EXAMPLE},
    {"case": (np.array([[1000.0], [-1000.0], [0.0]]), np.zeros(3), np.array([1.0]), 0.0)},
])
def test_predict_proba_matches_reference(student, case):
    """predict_proba on random data sets: shape (n,), values of the sigmoid"""
    X, _, w, b = case
    expect_close(student.predict_proba(X, w, b), ref.predict_proba(X, w, b),
                 what="predict_proba(X, w, b)", public=False, rtol=1e-6, atol=1e-12,
                 mistakes={PREDICT_NO_BIAS: ref.predict_proba(X, w, 0.0)})


@check(points=2)
@for_examples(case=predictions(), examples=[
    {"case": (np.array([0.0, 1.0, 0.5, 1.0]), np.array([0.0, 1.0, 1.0, 0.0]))},
    {"case": (np.array([0.25]), np.array([1.0]))},
])
def test_bce_loss_matches_reference(student, case):
    """bce_loss on random predictions in [0, 1] (0 and 1 included): a single finite number"""
    y_hat, y = case
    got = as_scalar(student.bce_loss(y_hat, y), what="bce_loss(y_hat, y)")
    if not math.isfinite(got):
        fail(f"bce_loss(y_hat, y) is {got} on a hidden test with predictions of exactly 0 or 1.", hint=BCE_NO_CLIP)
    expect_close(got, ref.bce_loss(y_hat, y), what="bce_loss(y_hat, y)", public=False, rtol=1e-6, atol=1e-9,
                 n=len(y))


@check(points=2)
@for_examples(case=models(), examples=[{"case": EXAMPLE}])
def test_bce_grad_matches_reference(student, case):
    """bce_grad on random data sets: dw of shape (d,), db a single number"""
    gradient_matches_reference(student, "bce_grad", *case)


@check(points=2)
@for_examples(case=models(), examples=[{"case": EXAMPLE}])
def test_bce_grad_matches_numerical(student, case):
    """bce_grad agrees with the numerical gradient of the cross-entropy on random data sets"""
    gradient_matches_numerical(student, "bce_grad", bce_of_model, *case)


@check(points=1)
@for_examples(case=real_pairs(), examples=[{"case": (np.array([1.0, -2.0, 0.5]), np.array([0.0, 0.0, 3.0]))}])
def test_mse_loss_matches_reference(student, case):
    """mse_loss on random predictions and targets: a single number"""
    y_hat, y = case
    expect_close(student.mse_loss(y_hat, y), ref.mse_loss(y_hat, y),
                 what="mse_loss(y_hat, y)", public=False, rtol=1e-6, atol=1e-9, n=len(y),
                 mistakes={MSE_ABS: np.mean(np.abs(y_hat - y))})


@check(points=2)
@for_examples(case=models(targets="real"), examples=[{"case": REGRESSION}])
def test_mse_grad_matches_reference(student, case):
    """mse_grad on random data sets: dw of shape (d,), db a single number"""
    gradient_matches_reference(student, "mse_grad", *case)


@check(points=2)
@for_examples(case=models(targets="real"), examples=[{"case": REGRESSION}])
def test_mse_grad_matches_numerical(student, case):
    """mse_grad agrees with the numerical gradient of the squared error on random data sets"""
    gradient_matches_numerical(student, "mse_grad", mse_of_model, *case)


# ---------------------------------------------------------------------------------------------
# Training


@check(points=3)
def test_fit_logistic_matches_reference(student):
    """fit_logistic gives the reference's (w, b) for several lr and epochs (full-batch steps from 0)"""
    fit_matches(student, SEPARABLE_X, SEPARABLE_Y, lr=0.1, epochs=1)
    fit_matches(student, SEPARABLE_X, SEPARABLE_Y, lr=0.5, epochs=5)
    fit_matches(student, SEPARABLE_X, SEPARABLE_Y, lr=1.0, epochs=20)
    fit_matches(student, NOISY_X, NOISY_Y, lr=0.3, epochs=10)
    fit_matches(student, NOISY_X, NOISY_Y, lr=0.1, epochs=50)
    fit_matches(student, np.array([[2.0, -1.0]]), np.array([1.0]), lr=0.5, epochs=10)
    fit_matches(student, np.array([[-1.0], [0.5], [2.0]]), np.array([0.0, 1.0, 1.0]), lr=0.2, epochs=30)


@check(points=1)
def test_fit_logistic_reduces_loss(student):
    """fit_logistic with its defaults (lr=0.1, 1000 epochs) lowers the loss as far as the reference"""
    X, y = NOISY_X, NOISY_Y
    w, b = pair(student.fit_logistic(X, y), X.shape[1], "fit_logistic(X, y)", ("w", "b"))
    loss = bce_of_model(X, y, w, b)
    start = bce_of_model(X, y, np.zeros(X.shape[1]), 0.0)  # log 2
    if not math.isfinite(loss) or loss >= start:
        fail("fit_logistic(X, y) on a hidden data set: the cross-entropy at your (w, b) is not below its "
             "value log 2 = 0.6931 at w = 0, b = 0. Step against the gradient: w = w - lr * dw.")
    w_ref, b_ref = ref.fit_logistic(X, y)
    if loss > bce_of_model(X, y, w_ref, b_ref) * (1 + 1e-6) + 1e-12:
        fail("fit_logistic(X, y) on a hidden data set: the cross-entropy at your (w, b) is higher than "
             "1000 full-batch steps with lr=0.1 reach. Use the defaults lr=0.1 and epochs=1000, and take "
             "exactly epochs steps.")
    expect_close(w, w_ref, what="the w of fit_logistic(X, y)", public=False, rtol=1e-6, atol=1e-9)
    expect_close(b, b_ref, what="the b of fit_logistic(X, y)", public=False, rtol=1e-6, atol=1e-9)


# ---------------------------------------------------------------------------------------------
# Form


@check(points=1)
def test_accepts_lists(student):
    """every function accepts Python lists (and a Python int bias)"""
    X, y, w = X3.tolist(), [1, 0, 0], W3.tolist()
    Xa, ya, wa = X3, np.array([1.0, 0.0, 0.0]), W3
    expect_close(student.predict_proba(X, w, 1), ref.predict_proba(Xa, wa, 1.0),
                 what="predict_proba(a nested list, a list, an int)", public=False,
                 mistakes={PREDICT_NO_BIAS: ref.predict_proba(Xa, wa, 0.0)})
    expect_close(student.bce_loss([0.0, 0.25, 1.0], y), ref.bce_loss(np.array([0.0, 0.25, 1.0]), ya),
                 what="bce_loss(a list, a list of ints)", public=False, mistakes={BCE_NO_CLIP: np.inf}, n=3)
    expect_close(student.mse_loss([0.5, 0.25, 1.0], y), ref.mse_loss(np.array([0.5, 0.25, 1.0]), ya),
                 what="mse_loss(a list, a list of ints)", public=False, n=3,
                 mistakes={MSE_ABS: np.mean(np.abs(np.array([0.5, 0.25, 1.0]) - ya))})
    for name in ("bce_grad", "mse_grad"):
        call = f"{name}(lists, an int)"
        dw_ref, db_ref = getattr(ref, name)(Xa, ya, wa, 1.0)
        dw, db = pair(getattr(student, name)(X, y, w, 1), 2, call, ("dw", "db"))
        expect_close(dw, dw_ref, what=f"the dw of {call}", public=False, n=len(y))
        expect_close(db, db_ref, what=f"the db of {call}", public=False, n=len(y))
    w_ref, b_ref = ref.fit_logistic(Xa, ya, epochs=5)
    w_got, b_got = pair(student.fit_logistic(X, y, epochs=5), 2, "fit_logistic(lists, epochs=...)", ("w", "b"))
    on_w, on_b = fit_mistakes(Xa, ya, epochs=5)
    expect_close(w_got, w_ref, what="the w of fit_logistic(lists, epochs=...)", public=False, mistakes=on_w)
    expect_close(b_got, b_ref, what="the b of fit_logistic(lists, epochs=...)", public=False, mistakes=on_b)


@check(points=1)
def test_arguments_not_modified(student):
    """no function changes the arrays it is given"""
    X, y, w = X3, np.array([1.0, 0.0, 0.0]), W3
    y_hat = np.array([0.0, 0.3, 1.0])  # 0 and 1: clipping into y_hat itself would change it
    calls = [
        ("predict_proba", (X, w, 0.3), ("X", "w")),
        ("bce_loss", (y_hat, y), ("y_hat", "y")),
        ("bce_grad", (X, y, w, 0.3), ("X", "y", "w")),
        ("mse_loss", (y_hat, y), ("y_hat", "y")),
        ("mse_grad", (X, y, w, 0.3), ("X", "y", "w")),
        ("fit_logistic", (X, y), ("X", "y")),
    ]

    def unchanged(name, args, names):
        kwargs = {"epochs": 5} if name == "fit_logistic" else {}
        shown = f"{name}({', '.join(names)}, ...)"
        call = student.call(name, *args, **kwargs)
        expected = getattr(ref, name)(*[np.copy(a) for a in args], **kwargs)
        if isinstance(expected, tuple):
            def right():
                got = pair(call.value, X.shape[1], shown, ("first", "second"))
                for mine, theirs, part in zip(got, expected, ("first", "second")):
                    expect_close(mine, theirs, what=f"the {part} value of {shown}", public=False)
        else:
            def right():
                expect_close(call.value, expected, what=shown, public=False)
        only_if_right(shown, right)
        expect_unchanged(call, args, what=shown, names=names,
                         advice="work on new arrays (np.clip(y_hat, lo, hi) without out=, w = w - ...)")

    credit_by_part({name: lambda c=(name, args, names): unchanged(*c) for name, args, names in calls})
