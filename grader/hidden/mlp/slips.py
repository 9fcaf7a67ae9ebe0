"""The typical slips of a forward the judge knows and computes itself (:data:`FORWARD_SLIPS`, the
assignment's mutants), and what "right given your own forward" or "given your own dlogits"
is judged against: always the judge's own computation, never the student's outputs.
"""

import math

import numpy as np

from grader.authoring import (  # _, ngettext: the sentences this suite composes (grader/i18n_extract.py)
    _,
    as_array,
    as_scalar,
    as_tuple,
    expect_close,
    fail,
    right_or_own,
)

from .networks import backpropagated, cross_entropy_of, param_names, read_params, reference_net

# One bug, one loss. A check is aimed at one function; where that function uses another of the
# student's, it is right when its values are the reference's, or the judge's own computation
# with the student's own component, which the judge computes itself:
# - gradients: the judge's backpropagation, through the reference network holding the same
#   parameters, of the dlogits the student's softmax_cross_entropy gives at the judge's logits
#   (plain data at the judge's inputs: not all zero); or, for a forward with a typical slip, the
#   derivatives of the cross-entropy of the judge's slipped forward (central differences);
# - predict_proba, predict and loss: the judge's softmax, argmax and cross-entropy of the
#   judge's slipped forward, when the student's forward makes that slip;
# - set_params: the parameters get_params gives afterwards (the judge's values), and the
#   student's forward with them equal to the judge's slipped forward with them.
# A forward that is none of FORWARD_SLIPS earns nothing "given your own forward": its other
# functions agreeing with it is what the code says about itself. A function that raises
# because of another one's bug (gradients calling a forward that skipped a layer) has nothing
# to judge and gets nothing. iris_cross_validation measures the whole network that fit trains,
# every function it uses included.

ACTIVATIONS = {"relu": lambda z: np.maximum(z, 0.0), "tanh": np.tanh, "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
               "identity": lambda z: z}


def slipped_forward(sizes, activation, params, X, slip):
    """The judge's forward(X) of the network with ``params``, with one typical slip (the
    assignment's mutants): ``"activation after the last layer"``, ``"no bias"``, ``"hidden layers
    without activation"`` or ``"stops before the last layer"``. Returns the (n, K') logits."""
    act = ACTIVATIONS["identity" if slip == "hidden layers without activation" else activation]
    layers = len(sizes) - 1 - (slip == "stops before the last layer")
    out = np.asarray(X, dtype=float)
    for i in range(layers):
        W, b = np.asarray(params[2 * i], dtype=float), np.asarray(params[2 * i + 1], dtype=float)
        out = out @ W + (0.0 if slip == "no bias" else b)
        last = i == len(sizes) - 2
        if not last or slip == "activation after the last layer":
            out = act(out)
    return out


FORWARD_SLIPS = ("activation after the last layer", "no bias", "hidden layers without activation",
                 "stops before the last layer")


def forward_slip(logits, sizes, activation, params, X):
    """The typical slip (:data:`FORWARD_SLIPS`) whose logits, computed by the judge, are the
    student's ``logits`` of ``forward(X)`` with ``params``; CheckFailure when they are right or
    match none ("right given your own forward" pays only for a forward the judge can compute)."""
    logits = as_array(logits, what="forward(X)")
    right = reference_net(sizes, activation, params).forward(X)
    if logits.shape == right.shape and np.allclose(logits, right, rtol=1e-6, atol=1e-9):
        fail("your forward is right here")
    for slip in FORWARD_SLIPS:
        want = slipped_forward(sizes, activation, params, X, slip)
        if logits.shape == want.shape and np.allclose(logits, want, rtol=1e-6, atol=1e-9):
            return slip
    fail("your forward is not one of the typical slips the grader knows: judged against the reference only")


def own_logits(student, net, sizes, activation, params, X):
    """The logits the judge computes with the typical slip the student's ``forward(X)`` makes
    (the network holding ``params``): finite, one row per sample, differing within a row (or
    CheckFailure: nothing to compute with). Never the student's own values."""
    slip = forward_slip(net.forward(X), sizes, activation, params, X)
    logits = slipped_forward(sizes, activation, params, X, slip)
    if logits.ndim != 2 or logits.shape[0] != len(X) or logits.shape[1] < 2:
        fail("forward(X) gives no row of logits per sample")
    if not (np.all(np.isfinite(logits)) and np.any(logits != logits[:, :1])):
        fail("forward(X) leaves nothing to compute with")
    return logits


def own_set_params(student, net, sizes, activation, params, X, logits):
    """set_params judged without the reference forward: get_params gives ``params`` back (the
    judge's values), and the student's forward with them (``logits``) is the judge's forward
    with a typical slip (:func:`forward_slip`) and those parameters, so it uses what was set."""
    got = read_params(net.get_params(), sizes, _("get_params() after {call}").format(call="set_params(params)"))
    for name, g, p in zip(param_names(sizes), got, params):
        expect_close(g, p, what=_("{name} of {call}").format(name=name, call="get_params()"), public=False, rtol=0.0, atol=0.0)
    forward_slip(logits, sizes, activation, params, X)


def own_dlogits(student, logits, y):
    """The dlogits of the student's softmax_cross_entropy at the judge's ``logits``: finite, of
    their shape, not all zero (or CheckFailure: nothing to compute with)."""
    call = "softmax_cross_entropy(logits, y)"
    dlogits = as_tuple(student.softmax_cross_entropy(logits, y), what=call, names=("loss", "dlogits"))[1]
    dlogits = as_array(dlogits, what=_("the dlogits of {call}").format(call=call), shape=np.shape(logits))
    if not (np.all(np.isfinite(dlogits)) and np.any(dlogits)):
        fail(_("the dlogits of {call} leave nothing to compute with").format(call=call))
    return dlogits


def own_loss_derivative(student, case, params, grads, directions=3):
    """gradients judged when the student's forward is wrong: the forward makes a typical slip
    the judge computes itself (:func:`forward_slip`), their loss is the judge's cross-entropy of
    those logits, and the gradients give the derivatives of that loss along ``directions`` fixed
    random directions (central differences the judge computes with its own slipped forward at
    the moved parameters: never the student's loss or forward at points of their choosing)."""
    X, y = case.X, case.y
    net = student.new("MLP", list(case.sizes), case.activation)
    net.set_params([np.array(p, dtype=float) for p in params])
    slip = forward_slip(net.forward(X), case.sizes, case.activation, params, X)
    logits = own_logits(student, net, case.sizes, case.activation, params, X)
    if logits.shape[1] <= np.max(y):
        fail("forward(X) gives fewer logits than classes")
    expect_close(as_scalar(net.loss(X, y), what="loss(X, y)"), cross_entropy_of(logits, y), what="loss(X, y)",
                 public=False, rtol=1e-9, atol=1e-12)
    flat = np.concatenate([np.ravel(p) for p in params])
    gradient = np.concatenate([np.ravel(g) for g in grads])
    sizes = np.cumsum([np.size(p) for p in params])[:-1]

    def loss_at(x):
        values = [part.reshape(np.shape(p)) for part, p in zip(np.split(x, sizes), params)]
        return cross_entropy_of(slipped_forward(case.sizes, case.activation, values, X, slip), y)

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


def gradients_match(student, value, case, call, params=None):
    """The student's ``gradients(X, y)`` (raw data) against the reference's at ``params`` (the
    case's by default), entry by entry, or against the judge's backpropagation of the student's
    own dlogits there: None or a note (see "One bug, one loss" above)."""
    grads = read_params(value, case.sizes, call)
    params = case.params if params is None else params
    net = reference_net(case.sizes, case.activation, params)

    def compare(expected):
        for i, (name, got, want) in enumerate(zip(param_names(case.sizes), grads, expected)):
            expect_close(got, want, what=_("{name} (entry {number} of {call})").format(name=f"d{name}", number=i, call=call),
                         public=False, rtol=1e-5, atol=1e-9,
                         n=len(case.y))

    def own():
        logits = net.forward(case.X)
        compare(backpropagated(case.sizes, case.activation, params, case.X, own_dlogits(student, logits, case.y)))

    return right_or_own(lambda: compare(net.gradients(case.X, case.y)),
                        {"softmax_cross_entropy": own,
                         "forward": lambda: own_loss_derivative(student, case, params, grads)})
