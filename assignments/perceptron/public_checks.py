"""Public checks of assignment 02 (perceptron): the ones `grader check perceptron` runs.

You can read every input and expected value here. The grader runs the very same checks when
it grades, plus hidden ones that try many more inputs (random samples and batches for every
activation, samples exactly on the boundary, other data sets, learning rates and numbers of
epochs, random linearly separable data), and check that your functions accept Python lists
and leave their arguments unchanged.

Your code never runs in the grader's process: `student.neuron(x, w, b)` sends the arguments
to a separate, sandboxed process that imports your perceptron.py, and gets back the numbers
it returned (a tuple comes back as a list).
"""

import numpy as np

from grader.authoring import (  # _: the sentences this suite composes (grader/i18n_extract.py)
    StudentRaised,
    _,
    as_array,
    as_pair,
    check,
    expect_close,
    fail,
    format_inputs,
    noted,
    right_or_own,
)

# The lectures' example: x = [-0.1, 0.7, 0.5], w = [1, -2, 2], b = 0.8 gives z = 0.3.
LECTURE_X = np.array([-0.1, 0.7, 0.5])
LECTURE_W = np.array([1.0, -2.0, 2.0])
LECTURE_B = 0.8
SIGMOID_0_3 = 0.574442516811659  # 1 / (1 + exp(-0.3))

GATE_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
AND_Y = np.array([0.0, 0.0, 0.0, 1.0])
OR_Y = np.array([0.0, 1.0, 1.0, 1.0])


def close(got, expected, what, mistakes=None, **inputs):
    expect_close(got, np.asarray(expected, dtype=float), what=what, public=True, inputs=inputs, mistakes=mistakes)

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


# One bug, one loss: perceptron_fit is judged on Rosenblatt's rule. If your step is the strict one
# (1.0 only where z > 0, as your perceptron_predict or neuron shows at z = -1, 0, 1), your fit is also right
# when it is the rule with that step: the step's own checks (predict_values, step_at_zero, ...)
# cost the points, not every check of fit again.
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


def fitted(value, d, what, **inputs):
    """The student's ``(w, b)`` as a float array of shape (d,) and a float."""
    return as_pair(value, what=what, size=d, where=_(" with {inputs}").format(inputs=format_inputs(inputs)))


def item_of(name, call):
    """``the w of perceptron_fit(X, y)``, in the student's language."""
    return _("the {name} of {what}").format(name=name, what=call)


@check(points=1)
def test_neuron_lecture_example(student):
    """neuron on the lecture's example: z = 0.3, sigmoid (the default) 0.5744, linear 0.3, step 1.0"""
    x, w, b = LECTURE_X, LECTURE_W, LECTURE_B
    close(student.neuron(x, w, b), SIGMOID_0_3, "neuron(x, w, b)", neuron_mistakes(x, w, b, None), x=x, w=w, b=b)
    for activation, expected in (("sigmoid", SIGMOID_0_3), ("linear", 0.3), ("step", 1.0)):
        got = student.neuron(x, w, b, activation=activation)
        close(got, expected, f'neuron(x, w, b, activation="{activation}")', neuron_mistakes(x, w, b, activation),
              x=x, w=w, b=b)


@check(points=1)
def test_neuron_lecture_second_example(student):
    """neuron with w = [3, -2], b = 1 at x = [2, -1] gives sigmoid(9), about 0.99988"""
    x, w, b = np.array([2.0, -1.0]), np.array([3.0, -2.0]), 1.0
    close(student.neuron(x, w, b), 0.9998766054240137, "neuron(x, w, b)", neuron_mistakes(x, w, b, None), x=x, w=w, b=b)
    close(student.neuron(x, w, b, activation="linear"), 9.0, 'neuron(x, w, b, activation="linear")',
          neuron_mistakes(x, w, b, "linear"), x=x, w=w, b=b)


@check(points=1)
def test_neuron_batch(student):
    """neuron on a batch X of shape (3, 3) gives one value per row, shape (3,), for every activation"""
    X = np.array([[-0.1, 0.7, 0.5], [0.0, 0.0, 0.0], [1.0, 1.0, 0.0]])
    w, b = LECTURE_W, LECTURE_B  # z = [0.3, 0.8, -0.2]
    expected = {
        "sigmoid": [SIGMOID_0_3, 0.6899744811276125, 0.45016600268752216],
        "linear": [0.3, 0.8, -0.2],
        "step": [1.0, 1.0, 0.0],
    }
    for activation, values in expected.items():
        got = student.neuron(X, w, b, activation=activation)
        close(got, values, f'neuron(X, w, b, activation="{activation}")', neuron_mistakes(X, w, b, activation),
              X=X, w=w, b=b)


@check(points=1)
def test_predict_values(student):
    """perceptron_predict gives 0.0/1.0 of shape (n,), and 1.0 on the boundary (step(0) = 1)"""
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [-0.5, 0.25]])
    w, b = np.array([1.0, 1.0]), -1.0  # z = [-1, 0, 0, 1, -1.25]
    close(student.perceptron_predict(X, w, b), [0.0, 1.0, 1.0, 1.0, 0.0], "perceptron_predict(X, w, b)",
          neuron_mistakes(X, w, b, "step"), X=X, w=w, b=b)


@check(points=1)
def test_fit_and_gate(student):
    """perceptron_fit learns the AND gate: w = [2, 1], b = -3 (Rosenblatt's rule, samples in order)"""
    X, y = GATE_X, AND_Y
    w, b = fitted(student.perceptron_fit(X, y), 2, "perceptron_fit(X, y)", X=X, y=y)
    on_w, on_b = fit_mistakes(X, y)

    def compare(step):
        want_w, want_b = ([2.0, 1.0], -3.0) if step == "step" else rosenblatt(X, y, y_hat="strict")
        close(w, want_w, item_of("w", "perceptron_fit(X, y)"), on_w if step == "step" else None, X=X, y=y)
        close(b, want_b, item_of("b", "perceptron_fit(X, y)"), on_b if step == "step" else None, X=X, y=y)

    noted(right_or_own_step(student, compare))


@check(points=1)
def test_fit_or_gate_lr(student):
    """perceptron_fit learns the OR gate with lr=0.5: w = [0.5, 0.5], b = -0.5, no training mistake"""
    X, y = GATE_X, OR_Y
    w, b = fitted(student.perceptron_fit(X, y, lr=0.5), 2, "perceptron_fit(X, y, lr=0.5)", X=X, y=y)
    on_w, on_b = fit_mistakes(X, y, lr=0.5)

    def compare(step):
        z = X @ w + b
        predictions = np.where(z >= 0, 1.0, 0.0) if step == "step" else np.where(z > 0, 1.0, 0.0)
        if not np.array_equal(predictions, y):
            fail(_(
                "{call} with {inputs} returned w={w}, b={b}, which misclassifies some samples: "
                "step(X @ w + b) = {predictions}. Did you update both w and b after every mistake (with step(0) = 1.0)?"
            ).format(call="perceptron_fit(X, y, lr=0.5)", inputs=format_inputs({"X": X, "y": y}), w=w.tolist(), b=b,
                     predictions=predictions.tolist()))
        want_w, want_b = ([0.5, 0.5], -0.5) if step == "step" else rosenblatt(X, y, 0.5, y_hat="strict")
        close(w, want_w, item_of("w", "perceptron_fit(X, y, lr=0.5)"), on_w if step == "step" else None, X=X, y=y)
        close(b, want_b, item_of("b", "perceptron_fit(X, y, lr=0.5)"), on_b if step == "step" else None, X=X, y=y)

    noted(right_or_own_step(student, compare))


@check(points=1)
def test_fit_one_epoch(student):
    """perceptron_fit with epochs=1 stops after one pass over the AND gate: w = [1, 1], b = 0"""
    X, y = GATE_X, AND_Y
    w, b = fitted(student.perceptron_fit(X, y, epochs=1), 2, "perceptron_fit(X, y, epochs=1)", X=X, y=y)
    on_w, on_b = fit_mistakes(X, y, epochs=1)

    def compare(step):
        want_w, want_b = ([1.0, 1.0], 0.0) if step == "step" else rosenblatt(X, y, epochs=1, y_hat="strict")
        close(w, want_w, item_of("w", "perceptron_fit(X, y, epochs=1)"), on_w if step == "step" else None, X=X, y=y)
        close(b, want_b, item_of("b", "perceptron_fit(X, y, epochs=1)"), on_b if step == "step" else None, X=X, y=y)

    noted(right_or_own_step(student, compare))
