"""Hidden checks of assignment 04 (logistic regression).

Property tests against the reference solution on inputs drawn by hypothesis (derandomized and
replayed: every submission sees the same inputs), gradients against numerical gradients of the
reference losses, fit_logistic against the reference's (w, b) on fixed data sets, lists, and
in-place modification. Feedback never shows a hidden input or expected value: gradient
failures show the student's value and a hint only (``show_numerical=False``).

One bug, one loss: bce_grad is also right when it is the judge's gradient computed with the
slip the student's predict_proba makes, and fit_logistic when it is the judge's replay of
full-batch steps with the slip the student's bce_grad (or predict_proba) makes: a bug in a
component costs its own checks. "Right given your own X" pays only when the judge can compute X
itself: X is right, or its values are those of one of a small catalogue of typical slips that
the judge implements (:func:`bce_grad_slips`, :func:`predict_proba_slips`: the assignment's
mutants), and the dependent function is then judged against the judge's computation with that
slip, never against the student's own values. A deliberately odd component (a bce_grad of
constants) matches no slip, so a fit_logistic that merely agrees with it earns nothing.
"""

import math

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grader.authoring import (  # _: the sentences this suite composes (grader/i18n_extract.py)
    _,
    as_array,
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
    noted,
    numerical_gradient,
    only_if_right,
    reference,
    right_or_own,
)

ref = reference("logistic_regression")


# ---------------------------------------------------------------------------------------------
# Helpers


def pair(value, d, call, names):
    """The student's ``(dw, db)`` or ``(w, b)``: a float array of shape (d,) and a float."""
    return as_pair(value, what=call, size=d, names=names, where=_(" on a hidden test"))


def item_of(name, call):
    """``the dw of bce_grad(X, y, w, b)``, in the student's language."""
    return _("the {name} of {what}").format(name=name, what=call)


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
    for _epoch in range(epochs):
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


# One bug, one loss (word for word the rule of the public checks). bce_grad may use the student's
# predict_proba, and fit_logistic their bce_grad or predict_proba: a function is right when its
# values are the reference's, or the judge's own computation driven by the student's own
# component, whose values are asked of the child (bce_grad: X.T @ (p - y) / n and mean(p - y) with
# p = the student's predict_proba(X, w, b); fit_logistic: the full-batch steps from w = 0, b = 0
# with the gradient the student's bce_grad gives at each step, or the one the judge computes from
# the student's predict_proba). A bug in the component then costs the component's checks only.
# The component must leave something to compute (finite values of the right shape, a gradient
# that is not zero, steps that move the parameters): zeros earn nothing.


def predict_proba_slips(X, w, b):
    """The judge's predict_proba(X, w, b) with each typical slip (the assignment's mutants): the
    only ways a wrong predict_proba can still earn "right given your own predict_proba"."""
    return {"without the bias": ref.predict_proba(X, w, 0.0)}


def bce_grad_slips(X, y, w, b):
    """The judge's bce_grad(X, y, w, b) with each typical slip (the assignment's mutants): no
    mean (sums over the samples), db summed, the sign flipped, y_hat without the bias. A
    bce_grad that is none of these earns no "right given your own bce_grad"."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    n = len(y)
    dw, db = ref.bce_grad(X, y, w, b)
    r = ref.predict_proba(X, w, 0.0) - y
    return {"without the mean": (dw * n, db * n), "with db summed": (dw, db * n), "with the sign flipped": (-dw, -db),
            "without the bias in y_hat": (X.T @ r / n, float(np.mean(r)))}


def own_gradient(student, X, y, w, b):
    """(dw, db) of the cross-entropy computed by the judge with the typical slip that the
    student's predict_proba(X, w, b) makes: the judge computes the probabilities itself, and a
    predict_proba that is right or matches no slip of :func:`predict_proba_slips` gives nothing
    (CheckFailure)."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    n, _d = np.shape(X)
    p = as_array(student.predict_proba(X, w, b), what="predict_proba(X, w, b)", shape=(n,))
    if not np.all(np.isfinite(p)):
        fail("predict_proba(X, w, b) has nan or inf: nothing to compute with")
    if np.allclose(p, ref.predict_proba(X, w, b), rtol=1e-9, atol=1e-12):
        fail("your predict_proba is right here")
    for slip in predict_proba_slips(X, w, b).values():
        if np.allclose(p, slip, rtol=1e-9, atol=1e-12):
            r = slip - y
            return X.T @ r / n, float(np.mean(r))
    fail("your predict_proba is not one of the typical slips the grader knows: judged against the reference only")


def own_gradients(student):
    """For bce_grad: its (dw, db) compared with the judge's gradient from the student's predict_proba."""
    def given(X, y, w, b, compare):
        return {"predict_proba": lambda: compare(*own_gradient(student, X, y, w, b))}
    return given


def bce_grad_slip(student, X, y, probes):
    """The name of the typical slip (:func:`bce_grad_slips`) that the student's bce_grad makes at
    every one of ``probes`` ((w, b) pairs); CheckFailure when it is right or makes none."""
    found = None
    for w, b in probes:
        dw, db = pair(student.bce_grad(X, y, w, b), X.shape[1], "bce_grad(X, y, w, b)", ("dw", "db"))
        got = np.append(dw, db)
        if not np.all(np.isfinite(got)):
            fail("bce_grad gives nan or inf: nothing to compute with")
        right = np.append(*ref.bce_grad(X, y, w, b))
        names = {name for name, want in bce_grad_slips(X, y, w, b).items()
                 if np.allclose(got, np.append(*want), rtol=1e-9, atol=1e-12)}
        if np.allclose(got, right, rtol=1e-9, atol=1e-12):
            names.add("right")
        found = names if found is None else found & names
    if "right" in found:
        fail("your bce_grad is right: the steps it gives are the reference's")
    if not found:
        fail("your bce_grad is not one of the typical slips the grader knows: judged against the reference only")
    return sorted(found)[0]


def own_fit(student, X, y, lr, epochs, given):
    """fit_logistic's (w, b) replayed by the judge: full-batch steps from 0 with the gradient of
    the typical slip the student's ``given`` ("bce_grad" or "predict_proba") makes, computed by
    the judge (never the student's values: a component that matches no known slip gives
    nothing, so a fit that only agrees with the student's own odd bce_grad earns nothing)."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    d = X.shape[1]
    probes = [(np.zeros(d), 0.0), (np.full(d, 0.3), -0.2), (np.linspace(-0.5, 0.7, d), 0.4)]
    if given == "bce_grad":
        slip = bce_grad_slip(student, X, y, probes)

        def gradient(w, b):
            return bce_grad_slips(X, y, w, b)[slip]
    else:
        for at in probes:  # the same slip everywhere it is probed, then the judge's own steps
            own_gradient(student, X, y, *at)

        def gradient(w, b):
            r = ref.predict_proba(X, w, 0.0) - y
            return X.T @ r / len(y), float(np.mean(r))
    w, b = np.zeros(d), 0.0
    for _epoch in range(epochs):
        dw, db = gradient(w, b)
        w, b = w - lr * dw, b - lr * db
    if not (np.all(np.isfinite(w)) and math.isfinite(b)) or not (np.any(w) or b):
        fail(_("the steps with your {given} never move w and b: nothing to compute with").format(given=given))
    return w, b


def own_defaults(student, X, y, w, b, given, steps=20):
    """fit_logistic(X, y) with the defaults, judged without replaying 1000 steps: it is the
    student's own fit_logistic(X, y, lr=0.1, epochs=1000) (the defaults are used), and their
    fit_logistic(X, y, lr=0.1, epochs=steps) is the judge's replay with their ``given``."""
    d = np.shape(X)[1]
    w_all, b_all = pair(student.fit_logistic(X, y, lr=0.1, epochs=1000), d, "fit_logistic(X, y, lr=..., epochs=...)",
                        ("w", "b"))
    expect_close(w, w_all, what=item_of("w", "fit_logistic(X, y)"), public=False, rtol=1e-12, atol=1e-15)
    expect_close(b, b_all, what=item_of("b", "fit_logistic(X, y)"), public=False, rtol=1e-12, atol=1e-15)
    w_few, b_few = pair(student.fit_logistic(X, y, lr=0.1, epochs=steps), d, "fit_logistic(X, y, lr=..., epochs=...)",
                        ("w", "b"))
    w_own, b_own = own_fit(student, X, y, 0.1, steps, given)
    expect_close(w_few, w_own, what=item_of("w", "fit_logistic(X, y, lr=..., epochs=...)"), public=False, rtol=1e-6, atol=1e-9)
    expect_close(b_few, b_own, what=item_of("b", "fit_logistic(X, y, lr=..., epochs=...)"), public=False, rtol=1e-6, atol=1e-9)


def right_or_own_fit(student, X, y, lr, epochs, compare):
    """``compare(w, b, hints)`` against the reference's fit, then against the judge's replays driven
    by the student's bce_grad and predict_proba: None, a note, or the reference's failure."""
    def given(name):
        return lambda: compare(*own_fit(student, X, y, lr, epochs, name), False)

    return right_or_own(lambda: compare(*ref.fit_logistic(X, y, lr=lr, epochs=epochs), True),
                        {"bce_grad": given("bce_grad"), "predict_proba": given("predict_proba")})


def gradient_matches_reference(student, name, X, y, w, b):
    """The student's ``name(X, y, w, b)`` equals the reference's (dw, db), or, for bce_grad, the
    judge's gradient from the student's own predict_proba."""
    call = f"{name}(X, y, w, b)"
    dw, db = pair(getattr(student, name)(X, y, w, b), X.shape[1], call, ("dw", "db"))

    def compare(dw_want, db_want):
        expect_close(dw, dw_want, what=item_of("dw", call), public=False, rtol=1e-6, atol=1e-10, n=len(y))
        expect_close(db, db_want, what=item_of("db", call), public=False, rtol=1e-6, atol=1e-10, n=len(y))

    own = own_gradients(student)(X, y, w, b, compare) if name == "bce_grad" else {}
    right_or_own(lambda: compare(*getattr(ref, name)(X, y, w, b)), own)


def gradient_matches_numerical(student, name, loss, X, y, w, b):
    """The student's ``name(X, y, w, b)`` against central differences of the reference ``loss``
    (or, for bce_grad, the judge's gradient from the student's own predict_proba).

    The numerical gradient is the reference's (a hidden expected value): it is never shown.
    """
    n, d = X.shape
    dw, db = pair(getattr(student, name)(X, y, w, b), d, f"{name}(X, y, w, b)", ("dw", "db"))

    def numerically():
        value = loss(X, y, w, b)
        at = "at a hidden input"
        numerical = numerical_gradient(lambda v: loss(X, y, v, b), w)
        compare_gradient(dw, numerical, name=item_of("dw", name), at=at, value_scale=value,
                         public=False, n=n, show_numerical=False)
        numerical = numerical_gradient(lambda v: loss(X, y, w, float(v)), np.array(b))
        compare_gradient(db, numerical, name=item_of("db", name), at=at, value_scale=value,
                         public=False, n=n, show_numerical=False)

    def compare(dw_want, db_want):
        expect_close(dw, dw_want, what=item_of("dw", name), public=False, rtol=1e-6, atol=1e-10)
        expect_close(db, db_want, what=item_of("db", name), public=False, rtol=1e-6, atol=1e-10)

    own = own_gradients(student)(X, y, w, b, compare) if name == "bce_grad" else {}
    right_or_own(numerically, own)


def fit_matches(student, X, y, **kwargs):
    shown = ", ".join(f"{k}=..." for k in kwargs)  # the values are hidden inputs too
    call = f"fit_logistic(X, y{', ' + shown if shown else ''})"
    w, b = pair(student.fit_logistic(X, y, **kwargs), X.shape[1], call, ("w", "b"))
    on_w, on_b = fit_mistakes(X, y, **kwargs)

    def compare(w_want, b_want, hints):
        expect_close(w, w_want, what=item_of("w", call), public=False, rtol=1e-6, atol=1e-9, mistakes=on_w if hints else None)
        expect_close(b, b_want, what=item_of("b", call), public=False, rtol=1e-6, atol=1e-9, mistakes=on_b if hints else None)

    return right_or_own_fit(student, X, y, kwargs.get("lr", 0.1), kwargs.get("epochs", 1000), compare)


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
    X, _y, w, b = case
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
        fail(_("{call} is {value} on a hidden test with predictions of exactly 0 or 1.").format(
            call="bce_loss(y_hat, y)", value=got), hint=BCE_NO_CLIP)
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
    noted(
        fit_matches(student, SEPARABLE_X, SEPARABLE_Y, lr=0.1, epochs=1),
        fit_matches(student, SEPARABLE_X, SEPARABLE_Y, lr=0.5, epochs=5),
        fit_matches(student, SEPARABLE_X, SEPARABLE_Y, lr=1.0, epochs=20),
        fit_matches(student, NOISY_X, NOISY_Y, lr=0.3, epochs=10),
        fit_matches(student, NOISY_X, NOISY_Y, lr=0.1, epochs=50),
        fit_matches(student, np.array([[2.0, -1.0]]), np.array([1.0]), lr=0.5, epochs=10),
        fit_matches(student, np.array([[-1.0], [0.5], [2.0]]), np.array([0.0, 1.0, 1.0]), lr=0.2, epochs=30),
    )


@check(points=1)
def test_fit_logistic_reduces_loss(student):
    """fit_logistic with its defaults (lr=0.1, 1000 epochs) lowers the loss as far as the reference"""
    X, y = NOISY_X, NOISY_Y
    w, b = pair(student.fit_logistic(X, y), X.shape[1], "fit_logistic(X, y)", ("w", "b"))

    def right():
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
        expect_close(w, w_ref, what=item_of("w", "fit_logistic(X, y)"), public=False, rtol=1e-6, atol=1e-9)
        expect_close(b, b_ref, what=item_of("b", "fit_logistic(X, y)"), public=False, rtol=1e-6, atol=1e-9)

    def given(name):
        return lambda: own_defaults(student, X, y, w, b, name)

    noted(right_or_own(right, {"bce_grad": given("bce_grad"), "predict_proba": given("predict_proba")}))


# ---------------------------------------------------------------------------------------------
# Form


@check(points=1)
def test_accepts_lists(student):
    """every function accepts Python lists (and a Python int bias): each function's share paid once its values are right"""
    X, y, w = X3.tolist(), [1, 0, 0], W3.tolist()
    Xa, ya, wa = X3, np.array([1.0, 0.0, 0.0]), W3

    def predict_proba():
        expect_close(student.predict_proba(X, w, 1), ref.predict_proba(Xa, wa, 1.0),
                     what=_("{name}(a nested list, a list, an int)").format(name="predict_proba"), public=False,
                     mistakes={PREDICT_NO_BIAS: ref.predict_proba(Xa, wa, 0.0)})

    def bce_loss():
        expect_close(student.bce_loss([0.0, 0.25, 1.0], y), ref.bce_loss(np.array([0.0, 0.25, 1.0]), ya),
                     what=_("{name}(a list, a list of ints)").format(name="bce_loss"), public=False, mistakes={BCE_NO_CLIP: np.inf}, n=3)

    def mse_loss():
        expect_close(student.mse_loss([0.5, 0.25, 1.0], y), ref.mse_loss(np.array([0.5, 0.25, 1.0]), ya),
                     what=_("{name}(a list, a list of ints)").format(name="mse_loss"), public=False, n=3,
                     mistakes={MSE_ABS: np.mean(np.abs(np.array([0.5, 0.25, 1.0]) - ya))})

    def gradient(name):
        call = _("{name}(lists, an int)").format(name=name)
        dw, db = pair(getattr(student, name)(X, y, w, 1), 2, call, ("dw", "db"))

        def compare(dw_want, db_want):
            expect_close(dw, dw_want, what=item_of("dw", call), public=False, n=len(y))
            expect_close(db, db_want, what=item_of("db", call), public=False, n=len(y))

        own = own_gradients(student)(Xa, ya, wa, 1.0, compare) if name == "bce_grad" else {}
        right_or_own(lambda: compare(*getattr(ref, name)(Xa, ya, wa, 1.0)), own)

    def fit_logistic():
        call = _("{name}(lists, epochs=...)").format(name="fit_logistic")
        w_got, b_got = pair(student.fit_logistic(X, y, epochs=5), 2, call, ("w", "b"))
        on_w, on_b = fit_mistakes(Xa, ya, epochs=5)

        def compare(w_want, b_want, hints):
            expect_close(w_got, w_want, what=item_of("w", call), public=False,
                         mistakes=on_w if hints else None)
            expect_close(b_got, b_want, what=item_of("b", call), public=False,
                         mistakes=on_b if hints else None)

        right_or_own_fit(student, Xa, ya, 0.1, 5, compare)

    credit_by_part({"predict_proba": predict_proba, "bce_loss": bce_loss, "mse_loss": mse_loss,
                    "bce_grad": lambda: gradient("bce_grad"), "mse_grad": lambda: gradient("mse_grad"),
                    "fit_logistic": fit_logistic})


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
                got = pair(call.value, X.shape[1], shown, (_("first"), _("second")))

                def compare(*want):
                    values = (_("the first value of {call}"), _("the second value of {call}"))
                    for mine, theirs, label in zip(got, want, values):
                        expect_close(mine, theirs, what=label.format(call=shown), public=False)

                if name == "fit_logistic":
                    right_or_own_fit(student, X, y, 0.1, 5, lambda w_want, b_want, hints: compare(w_want, b_want))
                else:
                    own = own_gradients(student)(X, y, w, 0.3, compare) if name == "bce_grad" else {}
                    right_or_own(lambda: compare(*expected), own)
        else:
            def right():
                expect_close(call.value, expected, what=shown, public=False)
        only_if_right(shown, right)
        expect_unchanged(call, args, what=shown, names=names,
                         advice="work on new arrays (np.clip(y_hat, lo, hi) without out=, w = w - ...)")

    credit_by_part({name: lambda c=(name, args, names): unchanged(*c) for name, args, names in calls})
