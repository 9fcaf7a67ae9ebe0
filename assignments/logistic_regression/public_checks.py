"""Public checks of assignment 04 (logistic regression): the ones `grader check logistic_regression` runs.

You can read every input and expected value here. The grader runs the very same checks when
it grades, plus hidden ones that try many more inputs (random data sets of 1 to 8 samples and
1 to 4 features, predictions of exactly 0 and 1, other learning rates and numbers of epochs),
compare your gradients with numerical gradients of the losses, and check that your functions
accept Python lists and leave their arguments unchanged.

The gradient checks here compute the loss with the formula of the assignment, written out
below (`bce_of_model`, `mse_of_model`), and differentiate it numerically by central differences:
(L(w + h e_i) - L(w - h e_i)) / 2h for every coordinate i, and the same for b.

Your code never runs in the grader's process: `student.bce_grad(X, y, w, b)` sends the
arguments to a separate, sandboxed process that imports your logistic_regression.py, and gets
back the numbers it returned (a tuple comes back as a list).
"""

import numpy as np

from grader.authoring import (  # _: the sentences this suite composes (grader/i18n_extract.py)
    _,
    as_array,
    as_pair,
    as_scalar,
    check,
    check_gradient,
    expect_close,
    fail,
    format_inputs,
    noted,
    right_or_own,
)

# A small worked example: z = X @ w + b = [0.1, 0.1, -0.65].
X3 = np.array([[1.0, 2.0], [0.0, 0.0], [-1.0, 1.0]])
W3 = np.array([0.5, -0.25])
B3 = 0.1

# For the gradient checks: 5 samples, 3 features.
XG = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5], [-1.0, 1.0, 0.0], [0.0, -2.0, 1.0], [2.0, 0.5, 0.5]])
YG = np.array([1.0, 0.0, 1.0, 0.0, 1.0])
WG = np.array([0.3, -0.7, 0.2])
BG = -0.4

# A tiny linearly separable data set for fit_logistic.
XS = np.array([[-2.0, -1.0], [-1.0, -1.5], [1.0, 1.0], [2.0, 0.5]])
YS = np.array([0.0, 0.0, 1.0, 1.0])


def close(got, expected, what, n=None, mistakes=None, **inputs):
    expect_close(got, np.asarray(expected, dtype=float), what=what, public=True, inputs=inputs, n=n,
                 mistakes=mistakes)


# The hint of an unclipped bce_loss (the hidden checks give the same).
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



def pair(value, d, what, **inputs):
    """The student's ``(dw, db)`` or ``(w, b)``: a float array of shape (d,) and a float."""
    call, names = what.split("->")[0].strip(), what.split("->")[1].strip(" ()").split(", ")
    return as_pair(value, what=call, size=d, names=tuple(names), where=_(" with {inputs}").format(inputs=format_inputs(inputs)))


def item_of(name, call):
    """``the dw of bce_grad(X, y, w, b)``, in the student's language."""
    return _("the {name} of {what}").format(name=name, what=call)


def sigmoid(z):
    """A stable sigmoid, for the losses below."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def bce_of_model(X, y, w, b):
    """The loss that bce_grad differentiates: the mean binary cross-entropy of sigmoid(X @ w + b)."""
    y_hat = np.clip(sigmoid(X @ w + b), 1e-12, 1 - 1e-12)
    return -np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))


def mse_of_model(X, y, w, b):
    """The loss that mse_grad differentiates: the mean squared error of X @ w + b."""
    return np.mean((X @ w + b - y) ** 2)


# One bug, one loss. bce_grad may use your predict_proba, and fit_logistic your bce_grad or
# predict_proba: a function is right when its values are the expected ones, or when your
# component makes one of the typical slips the grader knows (predict_proba without the bias;
# bce_grad without the mean, with db summed, with the sign flipped, or without the bias in y_hat)
# and the function's values are the grader's own computation with that slip (bce_grad: the
# gradient from sigmoid(X @ w); fit_logistic: the full-batch steps from w = 0, b = 0 with that
# slip's gradient). A bug in the component then costs the component's checks only. Your own
# values are never trusted: a component that makes any other mistake gives nothing, and a
# function that merely agrees with it earns nothing.


def right_gradient(X, y, w, b):
    """The gradient of bce_of_model: X.T @ (sigmoid(X @ w + b) - y) / n and its mean."""
    r = sigmoid(X @ w + b) - y
    return X.T @ r / len(y), float(np.mean(r))


def gradient_slips(X, y, w, b):
    """The gradient of bce_of_model with each typical slip: no mean (sums over the samples), db
    summed, the sign flipped, y_hat without the bias. Only these earn "right given your own
    bce_grad": the grader computes them itself, never trusting your values."""
    n = len(y)
    dw, db = right_gradient(X, y, w, b)
    r = sigmoid(X @ w) - y
    return {"without the mean": (dw * n, db * n), "with db summed": (dw, db * n), "with the sign flipped": (-dw, -db),
            "without the bias in y_hat": (X.T @ r / n, float(np.mean(r)))}


def own_gradient(student, X, y, w, b):
    """(dw, db) of the cross-entropy computed here with the typical slip your predict_proba(X, w, b)
    makes (sigmoid(X @ w), without the bias); a predict_proba that is right or makes another
    mistake gives nothing to compute with."""
    p = as_array(student.predict_proba(X, w, b), what="predict_proba(X, w, b)", shape=(len(y),))
    if not np.all(np.isfinite(p)):
        fail("predict_proba(X, w, b) has nan or inf: nothing to compute with")
    if np.allclose(p, sigmoid(X @ w + b), rtol=1e-9, atol=1e-12):
        fail("your predict_proba is right here")
    if not np.allclose(p, sigmoid(X @ w), rtol=1e-9, atol=1e-12):
        fail("your predict_proba is not one of the typical slips the grader knows: judged against the right values only")
    r = sigmoid(X @ w) - y
    return X.T @ r / len(y), float(np.mean(r))


def own_fit(student, X, y, lr, epochs, given):
    """fit_logistic's (w, b) replayed here: full-batch steps from 0 with the gradient of the
    typical slip your ``given`` ("bce_grad" or "predict_proba") makes, computed here (never with
    your values: a component that makes no known slip gives nothing to compute with)."""
    d = X.shape[1]
    probes = [(np.zeros(d), 0.0), (np.full(d, 0.3), -0.2), (np.linspace(-0.5, 0.7, d), 0.4)]
    if given == "bce_grad":
        found = None
        for w, b in probes:
            dw, db = as_pair(student.bce_grad(X, y, w, b), what="bce_grad(X, y, w, b)", size=d, names=("dw", "db"))
            got = np.append(dw, db)
            names = {name for name, want in gradient_slips(X, y, w, b).items()
                     if np.allclose(got, np.append(*want), rtol=1e-9, atol=1e-12)}
            if np.allclose(got, np.append(*right_gradient(X, y, w, b)), rtol=1e-9, atol=1e-12):
                names.add("right")
            found = names if found is None else found & names
        if "right" in found:
            fail("your bce_grad is right: the steps it gives are the right ones")
        if not found:
            fail("your bce_grad is not one of the typical slips the grader knows: judged against the right values only")
        slip = sorted(found)[0]

        def gradient(w, b):
            return gradient_slips(X, y, w, b)[slip]
    else:
        for at in probes:
            own_gradient(student, X, y, *at)

        def gradient(w, b):
            r = sigmoid(X @ w) - y
            return X.T @ r / len(y), float(np.mean(r))
    w, b = np.zeros(d), 0.0
    for _epoch in range(epochs):
        dw, db = gradient(w, b)
        w, b = w - lr * dw, b - lr * db
    if not (np.all(np.isfinite(w)) and np.isfinite(b)) or not (np.any(w) or b):
        fail(_("the steps with your {given} never move w and b: nothing to compute with").format(given=given))
    return w, b


def own_defaults(student, X, y, w, b, given, steps=20):
    """fit_logistic(X, y) with the defaults, judged without replaying 1000 steps: it is your own
    fit_logistic(X, y, lr=0.1, epochs=1000) (the defaults are used), and your
    fit_logistic(X, y, lr=0.1, epochs=20) is the replay with your ``given``."""
    w_all, b_all = as_pair(student.fit_logistic(X, y, lr=0.1, epochs=1000), what="fit_logistic(X, y, lr=0.1, epochs=1000)",
                           size=X.shape[1], names=("w", "b"))
    close(w, w_all, item_of("w", "fit_logistic(X, y)"), X=X, y=y)
    close(b, b_all, item_of("b", "fit_logistic(X, y)"), X=X, y=y)
    w_few, b_few = as_pair(student.fit_logistic(X, y, lr=0.1, epochs=steps), what=f"fit_logistic(X, y, lr=0.1, epochs={steps})",
                           size=X.shape[1], names=("w", "b"))
    w_own, b_own = own_fit(student, X, y, 0.1, steps, given)
    close(w_few, w_own, item_of("w", f"fit_logistic(X, y, lr=0.1, epochs={steps})"), X=X, y=y)
    close(b_few, b_own, item_of("b", f"fit_logistic(X, y, lr=0.1, epochs={steps})"), X=X, y=y)


@check(points=1)
def test_predict_proba_values(student):
    """predict_proba on a small example: sigmoid([0.1, 0.1, -0.65]), shape (3,)"""
    close(student.predict_proba(X3, W3, B3), [0.52497918747894, 0.52497918747894, 0.3429895373265012],
          "predict_proba(X, w, b)", mistakes={PREDICT_NO_BIAS: sigmoid(X3 @ W3)}, X=X3, w=W3, b=B3)


@check(points=1)
def test_predict_proba_stable(student):
    """predict_proba is stable: right for z = -1000 and 1000, without an overflow warning"""
    X, w, b = np.array([[-1000.0], [-745.0], [0.0], [745.0], [1000.0]]), np.array([1.0]), 0.0
    call = student.call("predict_proba", X, w, b)
    overflow = [text for text in call.warnings if "overflow" in text]
    if overflow:
        fail(_(
            "{call} with X={X} as one column, w=[1.0], b=0.0 raised {warning}. Hint: exp(-z) overflows for large "
            "negative z; use exp(-|z|) and the two forms 1/(1+exp(-z)) for z >= 0 and exp(z)/(1+exp(z)) for z < 0."
        ).format(call="predict_proba(X, w, b)", X=X.ravel().tolist(), warning=overflow[0]))
    close(call.value, [0.0, 0.0, 0.5, 1.0, 1.0], "predict_proba(X, w, b)", X=X, w=w, b=b)


@check(points=1)
def test_bce_loss_values(student):
    """bce_loss on a small example: -(log 0.9 + log 0.8 + log 0.6) / 3, a single number"""
    y_hat, y = np.array([0.9, 0.2, 0.6]), np.array([1.0, 0.0, 1.0])
    close(student.bce_loss(y_hat, y), 0.2797765635793423, "bce_loss(y_hat, y)", len(y), y_hat=y_hat, y=y)


@check(points=1)
def test_bce_loss_finite_at_0_and_1(student):
    """bce_loss is finite when predictions are exactly 0 or 1 (y_hat clipped to [1e-12, 1 - 1e-12])"""
    cases = [
        (np.array([0.0, 1.0]), np.array([0.0, 1.0]), 9.999778782803785e-13),  # right, and sure
        (np.array([1.0, 0.0]), np.array([0.0, 1.0]), 27.631032176910953),  # wrong, and sure
        (np.array([0.0, 1.0, 0.5]), np.array([0.0, 1.0, 1.0]), 0.23104906018731508),
    ]
    for y_hat, y, expected in cases:
        got = as_scalar(student.bce_loss(y_hat, y), what="bce_loss(y_hat, y)")
        if not np.isfinite(got):
            fail(_("{call} with {inputs} is {value}, not a finite number.").format(
                call="bce_loss(y_hat, y)", inputs=format_inputs({"y_hat": y_hat, "y": y}), value=got), hint=BCE_NO_CLIP)
        expect_close(got, expected, what="bce_loss(y_hat, y)", public=True,
                     inputs={"y_hat": y_hat, "y": y}, rtol=1e-6, atol=1e-15, n=len(y))


@check(points=1)
def test_bce_grad_values(student):
    """bce_grad on a small example: dw = X.T @ (y_hat - y) / n, db = mean(y_hat - y)"""
    y = np.array([1.0, 0.0, 1.0])
    what = "bce_grad(X, y, w, b) -> (dw, db)"
    dw, db = pair(student.bce_grad(X3, y, W3, B3), 2, what, X=X3, y=y, w=W3, b=B3)

    def compare(dw_want, db_want):
        close(dw, dw_want, item_of("dw", "bce_grad(X, y, w, b)"), 3, X=X3, y=y, w=W3, b=B3)
        close(db, db_want, item_of("db", "bce_grad(X, y, w, b)"), 3, X=X3, y=y, w=W3, b=B3)

    noted(right_or_own(lambda: compare([0.06066321671747957, -0.5356840292385395], -0.20235069590520624),
                       {"predict_proba": lambda: compare(*own_gradient(student, X3, y, W3, B3))}))


@check(points=1)
def test_bce_grad_is_gradient(student):
    """bce_grad agrees with the numerical gradient of the mean cross-entropy of sigmoid(X @ w + b)"""
    X, y, w, b = XG, YG, WG, BG
    inputs = {"X": X, "y": y, "w": w, "b": b}
    dw, db = pair(student.bce_grad(X, y, w, b), 3, "bce_grad(X, y, w, b) -> (dw, db)", **inputs)

    def numerically():
        check_gradient(lambda v: bce_of_model(X, y, v, b), dw, w, name=item_of("dw", "bce_grad"),
                       public=True, inputs=inputs, n=len(y))
        check_gradient(lambda v: bce_of_model(X, y, w, float(v)), db, np.array(b), name=item_of("db", "bce_grad"),
                       public=True, inputs=inputs, n=len(y))

    def own():
        dw_own, db_own = own_gradient(student, X, y, w, b)
        close(dw, dw_own, item_of("dw", "bce_grad(X, y, w, b)"), len(y), **inputs)
        close(db, db_own, item_of("db", "bce_grad(X, y, w, b)"), len(y), **inputs)

    noted(right_or_own(numerically, {"predict_proba": own}))


@check(points=1)
def test_mse_loss_values(student):
    """mse_loss on a small example: ((0.5)**2 + 0 + 2**2) / 3, a single number"""
    y_hat, y = np.array([1.5, 2.0, -1.0]), np.array([1.0, 2.0, 1.0])
    close(student.mse_loss(y_hat, y), 1.4166666666666667, "mse_loss(y_hat, y)", len(y),
          {MSE_ABS: np.mean(np.abs(y_hat - y))}, y_hat=y_hat, y=y)


@check(points=1)
def test_mse_grad_values(student):
    """mse_grad on a small example: the gradient of mean((X @ w + b - y)**2)"""
    y = np.array([1.0, 0.0, 2.0])
    what = "mse_grad(X, y, w, b) -> (dw, db)"
    dw, db = pair(student.mse_grad(X3, y, W3, B3), 2, what, X=X3, y=y, w=W3, b=B3)
    close(dw, [1.1666666666666667, -2.966666666666667], item_of("dw", "mse_grad(X, y, w, b)"), 3, X=X3, y=y, w=W3, b=B3)
    close(db, -2.3, item_of("db", "mse_grad(X, y, w, b)"), 3, X=X3, y=y, w=W3, b=B3)


@check(points=1)
def test_mse_grad_is_gradient(student):
    """mse_grad agrees with the numerical gradient of mean((X @ w + b - y)**2)"""
    X, w, b = XG, WG, BG
    y = np.array([0.5, -1.0, 2.0, 0.0, 1.5])
    inputs = {"X": X, "y": y, "w": w, "b": b}
    dw, db = pair(student.mse_grad(X, y, w, b), 3, "mse_grad(X, y, w, b) -> (dw, db)", **inputs)
    check_gradient(lambda v: mse_of_model(X, y, v, b), dw, w, name=item_of("dw", "mse_grad"),
                   public=True, inputs=inputs, n=len(y))
    check_gradient(lambda v: mse_of_model(X, y, w, float(v)), db, np.array(b), name=item_of("db", "mse_grad"),
                   public=True, inputs=inputs, n=len(y))


@check(points=1)
def test_fit_logistic_small(student):
    """fit_logistic on a tiny separable set: 3 steps with lr=0.5, and the defaults (1000 steps, lr=0.1)"""
    X, y = XS, YS
    notes = []
    for lr, epochs, w_want, b_want in [
        (0.5, 3, [0.7528851002797805, 0.5157330764426522], 0.014590122603300129),
        (0.1, 1000, [2.5607359340316225, 2.044185807742848], 0.2736224103408184),
    ]:
        call = "fit_logistic(X, y, lr=0.5, epochs=3)" if epochs == 3 else "fit_logistic(X, y)"
        w, b = pair(student.fit_logistic(X, y, **({"lr": lr, "epochs": epochs} if epochs == 3 else {})), 2,
                    f"{call} -> (w, b)", X=X, y=y)
        on_w, on_b = fit_mistakes(X, y, lr=lr, epochs=epochs)

        def compare(w_want, b_want, hints, w=w, b=b, call=call, on_w=on_w, on_b=on_b):
            close(w, w_want, item_of("w", call), mistakes=on_w if hints else None, X=X, y=y)
            close(b, b_want, item_of("b", call), mistakes=on_b if hints else None, X=X, y=y)

        def given(name, lr=lr, epochs=epochs, compare=compare, w=w, b=b):
            if epochs == 3:
                return lambda: compare(*own_fit(student, X, y, lr, epochs, name), False)
            return lambda: own_defaults(student, X, y, w, b, name)

        notes.append(right_or_own(lambda compare=compare, w_want=w_want, b_want=b_want: compare(w_want, b_want, True),
                                  {"bce_grad": given("bce_grad"), "predict_proba": given("predict_proba")}))
    noted(*notes)
