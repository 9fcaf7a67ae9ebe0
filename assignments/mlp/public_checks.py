"""Public checks of assignment 06 (iris MLP): the ones `grader check mlp` runs.

You can read every input and expected value here. The grader runs the very same checks when
it grades, plus hidden ones: softmax_cross_entropy on random and extreme logits, forward,
loss and gradients against a reference network with the same parameters and against numerical
derivatives of the loss, fit judged by the loss and accuracy of the parameters it leaves, and
the iris cross-validation.

Your code never runs in the grader's process: `student.new("MLP", [4, 5, 3])` creates your
network in a separate, sandboxed process and `net.forward(X)` calls your method there.
"""

import math

import numpy as np

from grader.authoring import (  # _, ngettext: the sentences this suite composes, in the student's language
    _,
    as_array,
    as_scalar,
    as_tuple,
    check,
    check_gradient,
    expect_close,
    fail,
    ngettext,
    noted,
    right_or_own,
)

# The lecture's five predictions and their classes.
PROBABILITIES = np.array([
    [0.7, 0.1, 0.2],
    [0.8, 0.15, 0.05],
    [0.04, 0.9, 0.06],
    [0.6, 0.1, 0.3],
    [0.75, 0.2, 0.05],
])
LABELS = np.array([1, 2, 1, 0, 1])


@check(points=2)
def test_softmax_cross_entropy_lecture(student):
    """the lecture's example: mean loss (-log .1 - log .05 - log .9 - log .6 - log .2) / 5 and its dlogits"""
    logits = np.log(PROBABILITIES)
    call = "softmax_cross_entropy(logits, y)"
    loss, dlogits = as_tuple(student.softmax_cross_entropy(logits, LABELS), what=call, names=("loss", "dlogits"))
    total = -(math.log(0.1) + math.log(0.05) + math.log(0.9) + math.log(0.6) + math.log(0.2))  # 7.5239
    inputs = {"logits": logits, "y": LABELS}
    loss_of = _("the loss of {call}").format(call=call)
    got = as_scalar(loss, what=loss_of)
    if math.isclose(got, total, rel_tol=1e-6):
        fail(_("the loss of {call} is {value:.6g}, the sum over the 5 samples: return the mean, {mean:.6g} "
               "(logits = log of the lecture's probabilities, y = {labels})").format(
            call=call, value=got, mean=total / 5, labels=LABELS.tolist()))
    expect_close(got, total / 5, what=loss_of, public=True, inputs=inputs)
    onehot = np.eye(3)[LABELS]
    expect_close(dlogits, (PROBABILITIES - onehot) / 5, what=_("the dlogits of {call}").format(call=call), public=True,
                 inputs=inputs, n=len(LABELS))


@check(points=1)
def test_softmax_cross_entropy_large_logits(student):
    """softmax_cross_entropy is finite and right for logits of magnitude 1000"""
    logits = np.array([[1000.0, 999.0, 998.0], [-1000.0, -999.0, -1002.0]])
    y = np.array([1, 0])
    call = "softmax_cross_entropy(logits, y)"
    answer = student.call("softmax_cross_entropy", logits, y)
    loss, dlogits = as_tuple(answer.value, what=call, names=("loss", "dlogits"))
    overflow = [w for w in answer.warnings if "overflow" in w or "invalid value" in w]
    loss_of = _("the loss of {call}").format(call=call)
    got = as_scalar(loss, what=loss_of)
    if overflow:
        fail(_("{call} with logits = {logits} and y = {labels} raised {warning}. Hint: exp(1000) overflows; subtract "
               "each row's maximum from the logits first (the softmax does not change)").format(
            call=call, logits=logits.tolist(), labels=y.tolist(), warning=overflow[0]))
    if not math.isfinite(got):
        fail(_("{call} with logits = {logits} and y = {labels} gave a loss of {value}. Hint: exp(1000) overflows; "
               "subtract each row's maximum from the logits first (the softmax does not change)").format(
            call=call, logits=logits.tolist(), labels=y.tolist(), value=got))
    e = np.exp(logits - logits.max(axis=1, keepdims=True))  # exp of [[0, -1, -2], [-1, 0, -3]]
    p = e / e.sum(axis=1, keepdims=True)  # [[0.6652, 0.2447, 0.09003], [0.2595, 0.7054, 0.03512]]
    expected_loss = -(math.log(p[0, 1]) + math.log(p[1, 0])) / 2
    expect_close(got, expected_loss, what=loss_of, public=True,
                 inputs={"logits": logits, "y": y}, rtol=1e-6)
    expect_close(dlogits, (p - np.eye(3)[y]) / 2, what=_("the dlogits of {call}").format(call=call), public=True,
                 inputs={"logits": logits, "y": y}, rtol=1e-6, atol=1e-8, n=len(y))


ACTIVATIONS = {"relu": lambda z: np.maximum(z, 0.0), "tanh": np.tanh, "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z))}


def logits_of(params, X, activation="relu"):
    """The logits of the network [W1, b1, ..., WL, bL] with `activation` between its layers:
    what your forward must compute with the parameters your get_params gives."""
    out = X
    for i in range(0, len(params), 2):
        out = out @ params[i] + params[i + 1]
        if i + 2 < len(params):
            out = ACTIVATIONS[activation](out)
    return out


FORWARD_SLIPS = ("activation after the last layer", "no bias", "hidden layers without activation",
                 "stops before the last layer")


def slipped_logits(params, X, activation, slip):
    """What a forward with one typical slip (FORWARD_SLIPS) computes, computed here."""
    act = (lambda z: z) if slip == "hidden layers without activation" else ACTIVATIONS[activation]
    layers = len(params) // 2 - (slip == "stops before the last layer")
    out = X
    for k in range(layers):
        out = out @ params[2 * k] + (0.0 if slip == "no bias" else params[2 * k + 1])
        if k + 1 < len(params) // 2 or slip == "activation after the last layer":
            out = act(out)
    return out


def forward_slip(logits, params, X, activation):
    """The typical slip whose logits (computed here) are your forward's ``logits`` with ``params``.
    One bug, one loss pays "right given your own forward" only for a forward the grader can compute
    itself: right, or one of FORWARD_SLIPS; any other forward gives nothing to compute with."""
    logits = as_array(logits, what="forward(X)")
    right = logits_of(params, X, activation)
    if logits.shape == right.shape and np.allclose(logits, right, rtol=1e-6, atol=1e-9):
        fail("your forward is right here")
    for slip in FORWARD_SLIPS:
        want = slipped_logits(params, X, activation, slip)
        if logits.shape == want.shape and np.allclose(logits, want, rtol=1e-6, atol=1e-9):
            return slip
    fail("your forward is not one of the typical slips the grader knows (an activation after the last layer, "
         "no bias, hidden layers without activation, a layer skipped): judged against the right values only")


def cross_entropy(logits, y):
    """The mean cross-entropy of softmax(logits) against the labels y."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -log_probs[np.arange(len(y)), y].mean()


def initial_params(value, shapes, shown):
    """A new network's get_params(): arrays of these shapes, zero biases, random weights."""
    layers = len(shapes) // 2
    if not isinstance(value, list):
        returned = "None" if value is None else _("a {type}").format(type=type(value).__name__)
        fail(_("get_params() of {network} returned {shown}: return the list [W1, b1, ..., W{layers}, b{layers}]").format(
            network=shown, shown=returned, layers=layers))
    if len(value) != len(shapes):
        fail(ngettext("get_params() of {network} returned {count} array; expected {expected}: "
                      "[W1, b1, ..., W{layers}, b{layers}]",
                      "get_params() of {network} returned {count} arrays; expected {expected}: "
                      "[W1, b1, ..., W{layers}, b{layers}]", len(value)).format(
            network=shown, count=len(value), expected=len(shapes), layers=layers))
    params = []
    for number, (entry, shape) in enumerate(zip(value, shapes)):
        name = f"{'W' if number % 2 == 0 else 'b'}{number // 2 + 1}"
        got = as_array(entry, what=_("{name} (entry {number} of get_params()) of {network}").format(
            name=name, number=number, network=shown), shape=shape)
        if number % 2 == 1 and np.any(got != 0):
            fail(_("{name} (entry {number} of get_params()) of a new {network} is not all zeros: biases start at 0").format(
                name=name, number=number, network=shown))
        if number % 2 == 0 and got.size > 1 and len(np.unique(got)) < max(2, got.size // 2):
            fail(ngettext("{name} (entry {number} of get_params()) of a new {network} has few distinct values "
                          "({distinct} of {size} entry): draw it at random (np.random.default_rng(seed).normal(...))",
                          "{name} (entry {number} of get_params()) of a new {network} has few distinct values "
                          "({distinct} of {size} entries): draw it at random (np.random.default_rng(seed).normal(...))",
                          got.size).format(name=name, number=number, network=shown, distinct=len(np.unique(got)),
                                           size=got.size))
        params.append(got)
    return params


@check(points=1)
def test_forward_shape(student):
    """forward gives logits of shape (n, sizes[-1]), for MLP([4, 5, 3]) and for MLP() with the defaults"""
    X = np.array([[5.1, 3.5, 1.4, 0.2], [6.2, 2.9, 4.3, 1.3], [7.7, 3.0, 6.1, 2.3],
                  [0.0, 0.0, 0.0, 0.0], [-1.0, 0.5, -0.5, 1.0], [1.0, 1.0, 1.0, 1.0]])
    for shown, args in (("MLP([4, 5, 3])", ([4, 5, 3],)), ("MLP()", ())):
        net = student.new("MLP", *args)
        sizes = args[0] if args else [4, 200, 100, 50, 3]
        shapes = [shape for a, b in zip(sizes[:-1], sizes[1:]) for shape in ((a, b), (b,))]
        logits = as_array(net.forward(X), what=_("{call} of {network} with X of shape (6, 4)").format(
            call="forward(X)", network=shown), shape=(6, 3))
        if not np.all(np.isfinite(logits)):
            fail(_("{call} of {network} has nan or inf entries").format(call="forward(X)", network=shown))
        params = initial_params(net.get_params(), shapes, shown)
        expect_close(logits, logits_of(params, X), what=_("{call} of {network} (the logits of the parameters your "
                     "get_params gives, relu between the layers, none after the last)").format(
                         call="forward(X)", network=shown), public=True, inputs={"X": X})


EXPECTED_SHAPES = [(4, 200), (200,), (200, 100), (100,), (100, 50), (50,), (50, 3), (3,)]


@check(points=1)
def test_get_params_shapes(student):
    """get_params() of MLP() is [W1, b1, ..., W4, b4] with the shapes of sizes (4, 200, 100, 50, 3)"""
    initial_params(student.new("MLP").get_params(), EXPECTED_SHAPES, "MLP()")


@check(points=1)
def test_predict_ints(student):
    """predict gives integer classes 0..K-1 of shape (n,), the argmax of predict_proba, whose rows sum to 1"""
    X = np.array([[0.5, -1.0, 0.25], [1.5, 0.0, -2.0], [-0.75, 2.0, 1.0], [0.0, 0.0, 0.0], [3.0, -0.5, 0.5]])
    net = student.new("MLP", [3, 6, 4], "tanh", 3)
    shown = "MLP([3, 6, 4], 'tanh', 3)"
    proba_value, predicted = net.predict_proba(X), net.predict(X)
    kind = np.asarray(predicted).dtype.kind

    def params_of(net):
        value, shapes = net.get_params(), [(3, 6), (6,), (6, 4), (4,)]
        if not isinstance(value, list) or len(value) != len(shapes):
            fail(_("{call} of {network} is not the list [W1, b1, W2, b2]").format(call="get_params()", network=shown))
        return [as_array(v, what=_("entry {number} of get_params() of {network}").format(number=i, network=shown),
                         shape=shape) for i, (v, shape) in enumerate(zip(value, shapes))]

    if kind not in "iu":
        fail(_("{call} of {network} returned {dtype} values: return integers (np.argmax gives them)").format(
            call="predict(X)", network=shown, dtype=np.asarray(predicted).dtype))

    def right():
        # Computed here from the parameters your get_params gives, never from your other methods alone.
        logits = logits_of(params_of(net), X, "tanh")
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        proba = as_array(proba_value, what=_("{call} of {network}").format(call="predict_proba(X)", network=shown),
                         shape=(5, 4))
        expect_close(proba.sum(axis=1), np.ones(5), what=_("the row sums of {call} of {network}").format(
            call="predict_proba(X)", network=shown), public=True, inputs={"X": X})
        expect_close(proba, e / e.sum(axis=1, keepdims=True), what=_("{call} of {network} (the softmax of the logits "
                     "of the parameters your get_params gives)").format(call="predict_proba(X)", network=shown),
                     public=True, inputs={"X": X})
        classes = as_array(predicted, what=_("{call} of {network}").format(call="predict(X)", network=shown), shape=(5,))
        expect_close(classes, np.argmax(logits, axis=1), what=_("{call} of {network} (the argmax of the logits)").format(
            call="predict(X)", network=shown), public=True, inputs={"X": X})

    def own():
        # One bug, one loss: if your forward makes a typical slip (forward_slip), predict_proba and predict
        # are still right when they are the softmax and the argmax of that slip's logits, computed here.
        params = params_of(net)
        logits = slipped_logits(params, X, "tanh", forward_slip(net.forward(X), params, X, "tanh"))
        if logits.ndim != 2 or logits.shape[0] != len(X) or not np.any(logits != logits[:, :1]):
            fail(_("{call} of {network} leaves nothing to compute with").format(call="forward(X)", network=shown))
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        expect_close(proba_value, e / e.sum(axis=1, keepdims=True), public=True, inputs={"X": X},
                     what=_("{call} of {network}").format(call="predict_proba(X)", network=shown))
        expect_close(predicted, np.argmax(logits, axis=1), public=True, inputs={"X": X},
                     what=_("{call} of {network}").format(call="predict(X)", network=shown))

    noted(right_or_own(right, {"forward": own}))


# A tiny network with smooth activations, so that every derivative is defined.
TINY_SIZES = [3, 4, 2]
TINY_X = np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7], [-0.2, 0.8, 0.1], [1.0, 1.0, -1.0], [-1.3, 0.4, 0.9]])
TINY_Y = np.array([0, 1, 1, 0, 1])
TINY_PARAMS = [
    np.array([[0.2, -0.5, 0.1, 0.7], [-0.3, 0.4, 0.6, -0.2], [0.5, 0.1, -0.4, 0.3]]),
    np.array([0.1, -0.2, 0.05, 0.0]),
    np.array([[0.6, -0.4], [-0.1, 0.3], [0.8, -0.7], [-0.5, 0.2]]),
    np.array([0.05, -0.05]),
]
TINY_NAMES = ["W1", "b1", "W2", "b2"]


def as_param_list(value, what):
    """The student's list of 4 arrays, shaped like TINY_PARAMS."""
    if not isinstance(value, list) or len(value) != len(TINY_PARAMS):
        shown = (ngettext("{count} value", "{count} values", len(value)).format(count=len(value)) if isinstance(value, list)
                 else _("a {type}").format(type=type(value).__name__))
        fail(_("{call} returned {shown}: return the list [W1, b1, W2, b2]").format(call=what, shown=shown))
    return [as_array(v, what=_("{name} of {call}").format(name=name, call=what), shape=p.shape)
            for v, name, p in zip(value, TINY_NAMES, TINY_PARAMS)]


# One bug, one loss: gradients uses your softmax_cross_entropy's dlogits and your forward. If
# your dlogits are wrong, gradients is still right when it is the backpropagation of your own
# dlogits through the tiny network (computed here, below); if your forward makes a typical slip
# (forward_slip), when it is the derivative of that slip's loss, computed here
# (own_forward_derivative). The bug then costs the checks of
# softmax_cross_entropy or forward, not gradients'. Your dlogits or loss must leave something
# to compute (finite, of the right shape, not all zero, changing with the parameters).


def tiny_backprop(params, dlogits):
    """[dW1, db1, dW2, db2] of the tiny tanh network: ``dlogits`` backpropagated by hand."""
    W1, b1, W2, b2 = params
    h = np.tanh(TINY_X @ W1 + b1)
    dz1 = (dlogits @ W2.T) * (1.0 - h**2)
    return [TINY_X.T @ dz1, dz1.sum(axis=0), h.T @ dlogits, dlogits.sum(axis=0)]


def own_tiny_dlogits(student):
    """Your softmax_cross_entropy's dlogits at the tiny network's logits (or a failure: nothing to compute with)."""
    logits = logits_of(TINY_PARAMS, TINY_X, "tanh")
    call = "softmax_cross_entropy(logits, y)"
    dlogits = as_tuple(student.softmax_cross_entropy(logits, TINY_Y), what=call, names=("loss", "dlogits"))[1]
    dlogits = as_array(dlogits, what=_("the dlogits of {call}").format(call=call), shape=logits.shape)
    if not (np.all(np.isfinite(dlogits)) and np.any(dlogits)):
        fail(_("the dlogits of {call} leave nothing to compute with").format(call=call))
    return dlogits


@check(points=2)
def test_gradients_are_derivatives_of_the_loss(student):
    """every entry of gradients(X, y) of a tiny tanh network against numerical derivatives of its loss"""
    net = student.new("MLP", TINY_SIZES, activation="tanh", seed=0)
    net.set_params([p.copy() for p in TINY_PARAMS])
    grads = as_param_list(net.gradients(TINY_X, TINY_Y), "gradients(X, y)")

    def loss(params):
        return cross_entropy(logits_of(params, TINY_X, "tanh"), TINY_Y)

    def numerically():
        for i, name in enumerate(TINY_NAMES):
            def loss_at(v, i=i):
                params = [p.copy() for p in TINY_PARAMS]
                params[i] = v
                return loss(params)

            check_gradient(loss_at, grads[i], TINY_PARAMS[i], name=f"d{name}", public=True, n=len(TINY_Y),
                           inputs={"X": TINY_X, "y": TINY_Y}, value=loss(TINY_PARAMS), what=_("the loss at X, y"))

    def own():
        for got, want, name in zip(grads, tiny_backprop(TINY_PARAMS, own_tiny_dlogits(student)), TINY_NAMES):
            expect_close(got, want, what=_("{name} of {call}").format(name=f"d{name}", call="gradients(X, y)"), public=True,
                         rtol=1e-5, atol=1e-9)

    def own_forward():
        own_forward_derivative(student, net, grads)

    noted(right_or_own(numerically, {"softmax_cross_entropy": own, "forward": own_forward}))


def own_forward_derivative(student, net, grads, directions=3):
    """If your forward makes a typical slip (forward_slip), gradients is still right when your loss
    is the cross-entropy of that slip's logits and gradients gives the derivatives of that loss along
    3 fixed random directions (central differences computed here with the slip's forward, never
    with your forward or loss at other parameters)."""
    slip = forward_slip(net.forward(TINY_X), TINY_PARAMS, TINY_X, "tanh")

    def logits_at(params):
        logits = slipped_logits(params, TINY_X, "tanh", slip)
        if logits.ndim != 2 or logits.shape[0] != len(TINY_Y) or logits.shape[1] <= TINY_Y.max():
            fail("forward(X) gives no row of logits per sample")
        if not (np.all(np.isfinite(logits)) and np.any(logits != logits[:, :1])):
            fail("forward(X) leaves nothing to compute with")
        return logits

    logits = logits_at(TINY_PARAMS)
    expect_close(as_scalar(net.loss(TINY_X, TINY_Y), what="loss(X, y)"), cross_entropy(logits, TINY_Y),
                 what="loss(X, y)", public=True, rtol=1e-9, atol=1e-12)
    flat = np.concatenate([p.ravel() for p in TINY_PARAMS])
    gradient = np.concatenate([np.ravel(g) for g in grads])
    cuts = np.cumsum([p.size for p in TINY_PARAMS])[:-1]

    def loss_at(x):
        return cross_entropy(logits_at([part.reshape(p.shape) for part, p in zip(np.split(x, cuts), TINY_PARAMS)]), TINY_Y)

    rng = np.random.default_rng(2024)
    h = 1e-6 * max(1.0, float(np.max(np.abs(flat))))
    changes = False
    for _direction in range(directions):
        v = rng.normal(size=flat.size)
        v /= np.linalg.norm(v)
        numerical = (loss_at(flat + h * v) - loss_at(flat - h * v)) / (2 * h)
        if not math.isclose(float(gradient @ v), numerical, rel_tol=1e-4, abs_tol=1e-7):
            fail("gradients(X, y) is not the derivative of the loss of your forward's slip either")
        changes = changes or abs(numerical) > 1e-6
    if not changes:
        fail("your loss does not change with the parameters: nothing to compute with")


def tiny_loss(params):
    """The grader's own cross-entropy of the tiny tanh network with ``params`` on TINY_X, TINY_Y."""
    W1, b1, W2, b2 = params
    z = np.tanh(TINY_X @ W1 + b1) @ W2 + b2
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-log_p[np.arange(len(TINY_Y)), TINY_Y].mean())


@check(points=1)
def test_fit_lowers_the_loss(student):
    """fit's steps, from the parameters TINY_PARAMS set with set_params, lower the loss of the tiny data
    set (the grader computes it from what get_params gives), and fit returns one loss per epoch"""
    call = "fit(X, y, lr=0.5, epochs=30, batch_size=5)"
    net = student.new("MLP", TINY_SIZES, activation="tanh", seed=0)
    net.set_params([p.copy() for p in TINY_PARAMS])  # the steps are judged, not your initialization
    losses = as_array(net.fit(TINY_X, TINY_Y, lr=0.5, epochs=30, batch_size=5), what=call)
    if losses.shape != (30,):
        fail(ngettext("{call} returned {count} loss: return one per epoch (30)",
                      "{call} returned {count} losses: return one per epoch (30)", losses.size).format(
            call=call, count=losses.size))
    after = as_param_list(net.get_params(), _("get_params() after {call}").format(call=call))
    start, end = tiny_loss(TINY_PARAMS), tiny_loss(after)
    if not end < 0.8 * start:
        where = _("{call} from TINY_PARAMS (set with set_params), with X={X}, y={y}").format(
            call=call, X=TINY_X.tolist(), y=TINY_Y.tolist())
        if all(np.array_equal(a, p) for a, p in zip(after, TINY_PARAMS)):
            fail(_("{where}: get_params() gives the parameters it started from. Do the steps update the "
                   "parameters (W -= lr * dW)?").format(where=where))
        fail(_("{where}: the parameters changed, but the loss the grader computes from your get_params() went "
               "from {start:.4g} to {end:.4g}; after 30 epochs it should be well below where it started. Check "
               "the direction and the size of the steps (W -= lr * dW, with the gradients of each batch).").format(
            where=where, start=start, end=end))
    if not losses[-1] < losses[0]:
        fail(_("the losses that {call} returned do not go down (first {first:.4g}, last {last:.4g}): "
               "return each epoch's mean training loss").format(call=call, first=losses[0], last=losses[-1]))
