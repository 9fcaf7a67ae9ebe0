"""Hidden checks of assignment 02 (perceptron).

Property tests against the reference solution on inputs drawn by hypothesis (derandomized and
replayed: every submission sees the same inputs), samples exactly on the decision boundary,
Rosenblatt's rule on fixed data sets (it is deterministic, so the student's ``(w, b)`` must be
the reference's) and on random linearly separable data (no training mistake at the end),
lists, and in-place modification. Feedback never shows a hidden input or expected value.

One bug, one loss: perceptron_fit is also right when it is Rosenblatt's rule with the strict
step (1.0 only where z > 0) and the student's own step is strict (their perceptron_predict or neuron at
z = -1, 0, 1): the step costs the checks of the step (step_at_zero, the predictions), not
every check of fit again.
"""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grader.authoring import (  # _: the sentences this suite composes (grader/i18n_extract.py)
    StudentRaised,
    _,
    as_array,
    as_pair,
    check,
    credit_by_part,
    expect_close,
    expect_unchanged,
    fail,
    floats,
    for_examples,
    noted,
    only_if_right,
    reference,
    right_or_own,
)

ref = reference("perceptron")

ACTIVATIONS = ("sigmoid", "step", "linear")
TIE = 1e-9  # |z| below TIE * (|x| @ |w| + |b|) is a tie that rounding may decide either way


# ---------------------------------------------------------------------------------------------
# Helpers


def neuron_call(student, x, w, b, activation):
    """The student's neuron (with the default activation when ``activation`` is None)."""
    if activation is None:
        return student.neuron(x, w, b), "neuron(x, w, b)"
    return student.neuron(x, w, b, activation=activation), f'neuron(x, w, b, activation="{activation}")'


def near_ties(x, w, b):
    """Where ``x @ w + b`` is so close to 0 that a different order of summation may change
    its sign: there the step may be 0 or 1. An exact 0 of exactly representable terms is
    not a tie when every term is 0."""
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    z = x @ w + b
    scale = np.abs(x) @ np.abs(w) + abs(b)
    return (np.abs(z) <= TIE * scale) & (scale > 0)


def step_expected(expected, got, ties, what):
    """``expected`` with the student's 0/1 accepted at near ties."""
    expected = np.asarray(expected, dtype=float)
    yours = as_array(got, what=what, shape=expected.shape)
    return np.where(ties & np.isin(yours, (0.0, 1.0)), yours, expected)


def fitted(value, d, what):
    """The student's ``(w, b)``: a float array of shape (d,) and a float."""
    return as_pair(value, what=what, size=d, where=_(" on a hidden test"))


def item_of(name, call):
    """``the w of perceptron_fit(X, y)``, in the student's language."""
    return _("the {name} of {what}").format(name=name, what=call)


def fit_matches(student, X, y, *, what="perceptron_fit(X, y)", **kwargs):
    """The student's ``perceptron_fit(X, y, **kwargs)`` is the reference's ``(w, b)``, or the rule's
    with the strict step when the student's own step is strict: None or a note (one bug, one loss)."""
    w, b = fitted(student.perceptron_fit(X, y, **kwargs), X.shape[1], what)
    on_w, on_b = fit_mistakes(X, y, **kwargs)

    def compare(step):
        if step == "step":
            want_w, want_b = ref.perceptron_fit(X, y, **kwargs)
        else:
            want_w, want_b = rosenblatt(X, y, **kwargs, y_hat="strict")
        hints = step == "step"
        expect_close(w, want_w, what=item_of("w", what), public=False, rtol=1e-9, atol=1e-12, mistakes=on_w if hints else None)
        expect_close(b, want_b, what=item_of("b", what), public=False, rtol=1e-9, atol=1e-12, mistakes=on_b if hints else None)

    return right_or_own_step(student, compare)


# One bug, one loss: perceptron_fit is judged on Rosenblatt's rule. If the student's step is the
# strict one (1.0 only where z > 0, as their perceptron_predict or neuron shows at z = -1, 0, 1), their fit
# is also right when it is the rule with that step: the step's own checks (step_at_zero, the
# predictions) cost the points, not every check of fit again. Word for word the public checks'.
STEP_PROBE = (np.array([[-1.0], [0.0], [1.0]]), np.array([1.0]), 0.0)  # z = -1, 0, 1


def own_step_is_strict(student):
    """Whether the student's own step, read from their perceptron_predict (or their neuron with
    activation="step") at z = -1, 0, 1, is 0, 0, 1."""
    calls = (lambda: student.perceptron_predict(*STEP_PROBE), lambda: student.neuron(*STEP_PROBE, activation="step"))
    for call in calls:
        try:
            got = as_array(call(), what="the step at z = -1, 0, 1", shape=(3,))
        except (StudentRaised, AssertionError):  # the student's exception or an unusable answer: no step to read
            continue
        if np.array_equal(got, [0.0, 0.0, 1.0]):
            return True
    return False


def right_or_own_step(student, compare):
    """``compare(y_hat)`` with the contract's step ("step"), or with the strict step ("strict")
    when the student's own step is strict: None, a note, or the contract's failure."""
    def own():
        if not own_step_is_strict(student):
            fail("your step is not the strict one")
        compare("strict")

    return right_or_own(lambda: compare("step"), {_("step (as your perceptron_predict or neuron computes it)"): own})

# The hints of typical bugs, word for word the same in the public and the hidden checks: a hint
# is given when the values are exactly those the bug gives (the judge makes it itself).
STEP_STRICT = "step(0) must be 1.0: the threshold is z >= 0, not z > 0"
NO_BIAS = "yours is g(x @ w), without b: z = x @ w + b"
SIGMOID_ALWAYS = "yours is the sigmoid whatever activation says: use the activation argument"
FIT_EPOCHS = "yours is what the default epochs=100 gives: use the epochs argument"
FIT_LR = "yours is what lr=1.0 gives: use the lr argument"
FIT_NO_B = "your b is never updated: b = b + lr * (y - y_hat) after each sample, like w"
FIT_SIGMOID = "yours is what y_hat = sigmoid(x @ w + b) gives: Rosenblatt's rule uses y_hat = step(x @ w + b)"


def rosenblatt(X, y, lr=1.0, epochs=100, *, update_b=True, y_hat="step"):
    """Rosenblatt's rule as the contract states it, or with one typical bug (for the hints)."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w, b = np.zeros(X.shape[1]), 0.0
    for _epoch in range(epochs):
        mistakes = 0
        for x, target in zip(X, y):
            z = float(x @ w + b)
            if y_hat == "sigmoid":
                guess = 1.0 / (1.0 + np.exp(-z))
            else:
                guess = float(z > 0) if y_hat == "strict" else float(z >= 0)
            mistakes += guess != target
            w = w + lr * (target - guess) * x
            if update_b:
                b = b + lr * (target - guess)
        if mistakes == 0:
            break
    return w, b


def fit_mistakes(X, y, lr=1.0, epochs=100):
    """For the w and the b of perceptron_fit(X, y, lr, epochs): what each typical bug gives."""
    variants = {
        STEP_STRICT: rosenblatt(X, y, lr, epochs, y_hat="strict"),
        FIT_EPOCHS: rosenblatt(X, y, lr, 100),
        FIT_LR: rosenblatt(X, y, 1.0, epochs),
        FIT_NO_B: rosenblatt(X, y, lr, epochs, update_b=False),
        FIT_SIGMOID: rosenblatt(X, y, lr, epochs, y_hat="sigmoid"),
    }
    return ({hint: value[0] for hint, value in variants.items()},
            {hint: value[1] for hint, value in variants.items()})


def neuron_mistakes(x, w, b, activation):
    """What neuron(x, w, b, activation) gives without b, or with the sigmoid always."""
    z, z0 = np.asarray(x, dtype=float) @ np.asarray(w, dtype=float) + b, np.asarray(x, dtype=float) @ np.asarray(w, dtype=float)
    g = {"sigmoid": lambda v: 1.0 / (1.0 + np.exp(-v)), "linear": lambda v: v,
         "step": lambda v: np.where(v >= 0, 1.0, 0.0)}[activation or "sigmoid"]
    mistakes = {STEP_STRICT: np.where(z > 0, 1.0, 0.0)} if activation == "step" else {}
    mistakes.update({NO_BIAS: g(z0), SIGMOID_ALWAYS: 1.0 / (1.0 + np.exp(-z))})
    return mistakes



# ---------------------------------------------------------------------------------------------
# Strategies and fixed data


def vectors(shape, lo=-10.0, hi=10.0):
    return hnp.arrays(np.float64, shape, elements=floats(lo=lo, hi=hi))


@st.composite
def neuron_cases(draw):
    """(x, w, b, activation): x one sample (d,) or a batch (n, d), n 1..8, d 1..4."""
    d = draw(st.integers(1, 4))
    shape = (draw(st.integers(1, 8)), d) if draw(st.booleans()) else (d,)
    x = draw(vectors(shape))
    w = draw(vectors((d,)))
    b = draw(floats(lo=-10.0, hi=10.0))
    activation = draw(st.sampled_from((None,) + ACTIVATIONS))
    return x, w, b, activation


@st.composite
def batches(draw):
    """(X, w, b) with X of shape (n, d), n 1..8, d 1..4."""
    n, d = draw(st.integers(1, 8)), draw(st.integers(1, 4))
    return draw(vectors((n, d))), draw(vectors((d,))), draw(floats(lo=-10.0, hi=10.0))


@st.composite
def separable_sets(draw):
    """(X, y): n 1..8 samples in d 1..4 dimensions, labelled by a random hyperplane u.x + c = 0
    (|u| = 1, |c| <= 1) and then moved 0.5 away from it. Novikoff's bound: with R = max |(x, 1)|
    <= sqrt((2 sqrt(4) + 0.5)**2 + 1) and the margin 0.5 / sqrt(1 + c**2) >= 0.5 / sqrt(2) of the
    unit vector (u, c) / |(u, c)|, the rule makes at most (R / margin)**2 <= 170 mistakes, so it
    ends with an epoch without a mistake within 171 epochs."""
    n, d = draw(st.integers(1, 8)), draw(st.integers(1, 4))
    X = draw(vectors((n, d), -2.0, 2.0))
    u = draw(vectors((d,), -1.0, 1.0))
    norm = float(np.linalg.norm(u))
    u = u / norm if norm >= 0.1 else np.eye(d)[0]
    c = draw(floats(lo=-1.0, hi=1.0))
    side = np.where(X @ u + c >= 0, 1.0, -1.0)
    X = X + 0.5 * side[:, None] * u[None, :]
    return X, (side > 0).astype(float)


def labelled_by_plane(seed, n, lo, hi, u, c, margin):
    """n samples (rounded to 2 decimals) at least ``margin`` away from the plane u.x + c = 0."""
    rng = np.random.default_rng(seed)
    u = np.asarray(u, dtype=float)
    X = np.round(rng.uniform(lo, hi, (3 * n, len(u))), 2)
    X = X[np.abs(X @ u + c) > margin][:n]
    return X, (X @ u + c >= 0).astype(float)


GATES = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
PLANE_2D = labelled_by_plane(2, 16, 0.0, 4.0, [1.0, 0.6], -3.1, 0.15)  # needs 16 epochs
PLANE_3D = labelled_by_plane(11, 12, -2.0, 2.0, [0.5, -1.0, 0.8], 1.2, 0.15)  # needs 7 epochs
NOISY = (np.round(np.random.default_rng(7).normal(size=(10, 2)), 2),
         np.random.default_rng(8).integers(0, 2, 10).astype(float))  # not separable


# ---------------------------------------------------------------------------------------------
# The neuron and the predictions


@check(points=3)
@for_examples(case=neuron_cases(), examples=[
    {"case": (np.array([0.5, -1.5, 2.0]), np.array([1.0, 0.5, -0.25]), 0.3, None)},
    {"case": (np.array([[0.5, -1.5], [2.0, 0.0], [-3.0, 1.0]]), np.array([-1.0, 2.0]), -0.5, "linear")},
    {"case": (np.array([[0.5, -1.5], [2.0, 0.0], [-3.0, 1.0]]), np.array([-1.0, 2.0]), -0.5, "step")},
    {"case": (np.array([[4.0], [-4.0]]), np.array([2.5]), 1.0, "sigmoid")},
])
def test_neuron_matches_reference(student, case):
    """neuron on random samples and batches, for every activation and the default"""
    x, w, b, activation = case
    expected = ref.neuron(x, w, b, activation or "sigmoid")
    got, what = neuron_call(student, x, w, b, activation)
    if activation == "step":
        expected = step_expected(expected, got, near_ties(x, w, b), what)
    expect_close(got, expected, what=what, public=False, rtol=1e-6, atol=1e-9,
                 mistakes=neuron_mistakes(x, w, b, activation))


@check(points=1)
def test_neuron_single_sample(student):
    """neuron on one sample of shape (m,) returns a single number, for every activation"""
    x, w, b = np.array([0.5, -1.5, 2.0]), np.array([1.0, 0.5, -0.25]), 0.3
    for activation in (None,) + ACTIVATIONS:
        got, what = neuron_call(student, x, w, b, activation)
        expected = np.asarray(ref.neuron(x, w, b, activation or "sigmoid"), dtype=float)
        as_array(got, what=_("{call} with x a single sample").format(call=what), shape=())
        expect_close(got, expected, what=what, public=False, mistakes=neuron_mistakes(x, w, b, activation))


@check(points=2)
def test_step_at_zero(student):
    """a sample exactly on the boundary (x @ w + b = 0) gives 1.0 in neuron and perceptron_predict"""
    X = np.array([[1.0, 2.0], [0.0, 1.0], [3.0, 0.5], [2.0, 5.0]])
    w, b = np.array([1.0, -1.0]), 1.0  # z = [0, 0, 3.5, -2]
    expected = ref.perceptron_predict(X, w, b)
    for i in (0, 1):
        got = student.neuron(X[i], w, b, activation="step")
        expect_close(got, expected[i], what=_("{call} with x @ w + b = 0").format(call='neuron(x, w, b, activation="step")'),
                     public=False, mistakes=neuron_mistakes(X[i], w, b, "step"))
    got = student.neuron(X, w, b, activation="step")
    expect_close(got, expected, what=_("{call} with some x @ w + b = 0").format(call='neuron(X, w, b, activation="step")'),
                 public=False, aligned=X @ w + b, mistakes=neuron_mistakes(X, w, b, "step"))
    got = student.perceptron_predict(X, w, b)
    expect_close(got, expected, what=_("{call} with some x @ w + b = 0").format(call="perceptron_predict(X, w, b)"),
                 public=False, aligned=X @ w + b, mistakes=neuron_mistakes(X, w, b, "step"))
    X1, w1 = np.array([[2.0, -1.0]]), np.array([0.5, 1.0])
    got = student.perceptron_predict(X1, w1, 0.0)
    expect_close(got, [1.0], what=_("{call} with x @ w + b = 0").format(call="perceptron_predict(X, w, b)"), public=False,
                 mistakes=neuron_mistakes(X1, w1, 0.0, "step"))


@check(points=2)
@for_examples(case=batches(), examples=[
    {"case": (np.array([[0.5, -1.5], [2.0, 0.0], [-3.0, 1.0]]), np.array([-1.0, 2.0]), -0.5)},
    {"case": (np.array([[1.0, 2.0, 3.0]]), np.array([0.1, -0.2, 0.3]), -0.6)},
])
def test_predict_matches_reference(student, case):
    """perceptron_predict on random batches: 0.0/1.0 of shape (n,)"""
    X, w, b = case
    what = "perceptron_predict(X, w, b)"
    got = student.perceptron_predict(X, w, b)
    expected = step_expected(ref.perceptron_predict(X, w, b), got, near_ties(X, w, b), what)
    expect_close(got, expected, what=what, public=False, aligned=X @ w + b, mistakes=neuron_mistakes(X, w, b, "step"))


# ---------------------------------------------------------------------------------------------
# Rosenblatt's rule


FIXED_SETS = [
    (GATES, np.array([0.0, 0.0, 0.0, 1.0])),  # AND
    (GATES, np.array([0.0, 1.0, 1.0, 1.0])),  # OR
    (GATES, np.array([1.0, 1.0, 1.0, 0.0])),  # NAND
    (np.array([[2.0, -1.0]]), np.array([0.0])),  # one sample of class 0
    (np.array([[2.0, -1.0]]), np.array([1.0])),  # one sample of class 1
    (np.array([[0.5, 1.0, -2.0], [1.5, -0.5, 0.0], [-1.0, 2.0, 1.0]]), np.zeros(3)),  # one class
    (np.array([[-1.5], [-0.5], [0.25], [2.0]]), np.array([0.0, 0.0, 1.0, 1.0])),  # d = 1
    PLANE_2D,
    PLANE_3D,
]


@check(points=3)
def test_fit_matches_reference(student):
    """perceptron_fit gives exactly the reference's (w, b) on fixed data sets (gates, random planes)"""
    noted(*[fit_matches(student, X, y) for X, y in FIXED_SETS])


@check(points=2)
def test_fit_lr_and_epochs(student):
    """perceptron_fit uses lr and epochs: other learning rates, and fewer epochs than needed"""
    X, y = PLANE_2D
    notes = []
    for kwargs in ({"lr": 0.5}, {"lr": 0.1, "epochs": 3}, {"epochs": 1}, {"epochs": 2}, {"lr": 2.0, "epochs": 5}):
        shown = ", ".join(f"{k}=..." for k in kwargs)  # the values are hidden inputs too
        notes.append(fit_matches(student, X, y, what=f"perceptron_fit(X, y, {shown})", **kwargs))
    noted(*notes)


@check(points=1)
def test_fit_not_separable(student):
    """perceptron_fit on data that is not linearly separable (XOR, noisy labels) runs all its epochs"""
    def not_separable(call):
        return _("{call} on data that is not separable").format(call=call)

    noted(
        fit_matches(student, GATES, np.array([0.0, 1.0, 1.0, 0.0]), what=not_separable("perceptron_fit(X, y)")),
        fit_matches(student, GATES, np.array([0.0, 1.0, 1.0, 0.0]), epochs=7,
                    what=not_separable("perceptron_fit(X, y, epochs=...)")),
        fit_matches(student, *NOISY, epochs=20, what=not_separable("perceptron_fit(X, y, epochs=...)")),
    )


@check(points=3)
@for_examples(data=separable_sets(), examples=[{"data": PLANE_2D}, {"data": PLANE_3D}])
def test_fit_separable_no_mistakes(student, data):
    """perceptron_fit on random linearly separable data ends with no training mistake"""
    X, y = data
    what = "perceptron_fit(X, y, epochs=...)"
    w, b = fitted(student.perceptron_fit(X, y, epochs=300), X.shape[1], what)
    if not (np.all(np.isfinite(w)) and np.isfinite(b)):
        fail(_("{call} on hidden linearly separable data returned a w or b with nan or inf").format(call=what))

    def compare(step):
        z = X @ w + b
        predicted = np.where(z >= 0, 1.0, 0.0) if step == "step" else np.where(z > 0, 1.0, 0.0)
        wrong = (predicted != y) & ~near_ties(X, w, b)
        if wrong.any():
            no_mistakes_failure(what, wrong)

    right_or_own_step(student, compare)


def no_mistakes_failure(what, wrong):
    """fit_separable_no_mistakes's verdict: training samples left misclassified."""
    if wrong.any():
        if wrong.sum() == 1:
            verdict = _("{call} on hidden linearly separable data ended with a training sample misclassified by "
                        "step(X @ w + b).")
        else:
            verdict = _("{call} on hidden linearly separable data ended with training samples misclassified by "
                        "step(X @ w + b).")
        fail(verdict.format(call=what) + " " + _("Rosenblatt's rule always converges on such data: update w and b "
                                                 "after every mistake, and stop only after an epoch without a mistake."))


# ---------------------------------------------------------------------------------------------
# Form


@check(points=1)
def test_accepts_lists(student):
    """every function accepts Python lists (and a Python int bias)"""
    x, w = [0.5, -1.5, 2.0], [1.0, 0.5, -0.25]
    for activation in ACTIVATIONS:
        got = student.neuron(x, w, 1, activation=activation)
        expected = ref.neuron(np.array(x), np.array(w), 1.0, activation)
        expect_close(got, expected, what=_('{name}(a list, a list, an int, activation="{activation}")').format(
                     name="neuron", activation=activation), public=False,
                     mistakes=neuron_mistakes(x, w, 1.0, activation))
    X = [[0.5, -1.5], [2.0, 0.0], [-3.0, 1.0]]
    got = student.perceptron_predict(X, [-1.0, 2.0], 1)
    expect_close(got, ref.perceptron_predict(np.array(X), np.array([-1.0, 2.0]), 1.0),
                 what=_("{name}(a nested list, a list, an int)").format(name="perceptron_predict"), public=False)
    gates, y = [[0, 0], [0, 1], [1, 0], [1, 1]], [0, 0, 0, 1]
    call = _("{name}(lists of ints, lr=...)").format(name="perceptron_fit")
    w, b = fitted(student.perceptron_fit(gates, y, lr=0.5), 2, call)
    on_w, on_b = fit_mistakes(gates, y, lr=0.5)

    def compare(step):
        if step == "step":
            w_ref, b_ref = ref.perceptron_fit(np.array(gates, dtype=float), np.array(y, dtype=float), lr=0.5)
        else:
            w_ref, b_ref = rosenblatt(gates, y, 0.5, y_hat="strict")
        hints = step == "step"
        expect_close(w, w_ref, what=item_of("w", call), public=False, mistakes=on_w if hints else None)
        expect_close(b, b_ref, what=item_of("b", call), public=False, mistakes=on_b if hints else None)

    noted(right_or_own_step(student, compare))


@check(points=1)
def test_arguments_not_modified(student):
    """no function changes the arrays it is given"""
    X = np.array([[0.5, -1.5], [2.0, 0.0], [-3.0, 1.0]])
    w, y = np.array([-1.0, 2.0]), np.array([1.0, 0.0, 1.0])
    calls = [
        ("neuron", (X[0].copy(), w.copy(), 0.5), {}, ("x", "w")),
        ("neuron", (X.copy(), w.copy(), 0.5), {"activation": "step"}, ("X", "w")),
        ("perceptron_predict", (X.copy(), w.copy(), 0.5), {}, ("X", "w")),
        ("perceptron_fit", (X.copy(), y.copy()), {"lr": 0.5}, ("X", "y")),
    ]

    def unchanged(name, args, kwargs, names):
        shown = f"{name}({', '.join(names)}, ...)"
        call = student.call(name, *args, **kwargs)
        expected = getattr(ref, name)(*[np.copy(a) for a in args], **kwargs)
        if name == "perceptron_fit":
            def right():
                got = fitted(call.value, X.shape[1], shown)

                def compare(step):
                    want = expected if step == "step" else rosenblatt(*args, **kwargs, y_hat="strict")
                    expect_close(got[0], want[0], what=item_of("w", shown), public=False)
                    expect_close(got[1], want[1], what=item_of("b", shown), public=False)

                right_or_own_step(student, compare)
        else:
            def right():
                expect_close(call.value, expected, what=shown, public=False)
        only_if_right(shown, right)
        expect_unchanged(call, args, what=shown, names=names,
                         advice="work on new arrays (e.g. w = w + ..., not w += ...)")

    credit_by_part({f"{name}({', '.join(names)}, ...)": lambda c=(name, args, kwargs, names): unchanged(*c)
                    for name, args, kwargs, names in calls})
