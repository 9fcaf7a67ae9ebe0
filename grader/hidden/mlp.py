"""Hidden checks of assignment 06 (iris MLP).

softmax_cross_entropy against the reference on random logits drawn by hypothesis (derandomized
and replayed), on large and extreme logits; the student's MLP, living in the sandboxed child,
given known parameters with its own ``set_params`` and compared with the reference network
holding the same ones (forward, predict, loss, gradients), gradients against numerical
derivatives of the student's own loss, fit on a small fixed data set, and the iris
cross-validation: the judge's own folds (seeded, stratified, 5-fold), standardized with the
training folds' statistics, ``MLP()`` trained in the child with ``fit``'s defaults, the
accuracy counted here. Nothing about the data or the folds depends on the submission.

One bug, one loss: each check is aimed at one function. gradients is right when it is the
reference's, or the judge's backpropagation of the student's own dlogits (their
softmax_cross_entropy, when they are not all zero), or, when the student's forward is wrong,
the derivative of the loss of that forward; predict_proba, predict and loss when they are the
reference's, or the judge's softmax, argmax and cross-entropy of the logits of the student's
forward; fit_trains and the losses fit returns likewise. "Right given your own forward" pays
only when the judge can compute that forward itself: the student's logits must be those of one
of the typical slips of :data:`FORWARD_SLIPS` (an activation after the last layer, no bias,
hidden layers without activation, the last layer skipped: the assignment's mutants), computed
by :func:`slipped_forward`, and the dependent function is judged against the judge's
computation with that slip (central differences of the slip's loss, its softmax, argmax and
cross-entropy), never against the student's own outputs. A deliberately odd forward matches no
slip and earns nothing "given your own forward". set_params, when forward is wrong, is judged
by what get_params gives back and a forward that is the slip's with what was set.

fit is judged by training from parameters the judge sets (:func:`fit_takes_gradient_steps`):
``set_params(θ0)``, one epoch with a tiny lr, and the change of the parameters must be parallel
(cosine above ``STEP_COSINE`` = 0.9; the reference and the correct alternatives give 0.996 to
1.0 for any batch size) to minus the gradient of the judge's loss at θ0, the reference's or the
forward slip's: to first order, any minibatch size, order or momentum gives that direction.
fit_trains, fit_arguments, fit_returns_epoch_mean_losses and iris_cross_validation pay only for
a fit that passes it: a fit that memorizes the data, or computes its parameters in closed form,
earns none of them. Two exceptions, stated so: iris_cross_validation measures the whole
network that fit trains (any bug that keeps it from learning costs it), and a function that
raises because of another's bug (gradients calling a forward that skipped a layer) has no
result to judge.

Feedback never shows a hidden input or expected value.
"""

import math

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grader.authoring import (  # _, ngettext: the sentences this suite composes (grader/i18n_extract.py)
    CheckFailure,
    PartialCredit,
    TimeLimitExceeded,
    _,
    as_array,
    as_scalar,
    as_tuple,
    assignment_file,
    check,
    check_info,
    credit_by_part,
    expect_close,
    expect_unchanged,
    fail,
    floats,
    for_examples,
    ngettext,
    noted,
    only_if_right,
    reference,
    right_or_own,
)

ref = reference("mlp")


# ---------------------------------------------------------------------------------------------
# Known networks


def shown_sizes(sizes):
    """The sizes in a hidden message: they are hidden inputs, so they are not shown."""
    return "sizes"


def shapes_of(sizes):
    shapes = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        shapes += [(fan_in, fan_out), (fan_out,)]
    return shapes


def param_names(sizes):
    return [f"{'W' if i % 2 == 0 else 'b'}{i // 2 + 1}" for i in range(2 * (len(sizes) - 1))]


def random_params(sizes, seed):
    rng = np.random.default_rng(seed)
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        params.append(rng.normal(scale=1.2 / np.sqrt(fan_in), size=(fan_in, fan_out)))
        params.append(rng.normal(scale=0.4, size=fan_out))
    return params


def pre_activations(sizes, activation, params, X):
    """The hidden layers' z = X @ W + b, judge-side (for relu's kinks)."""
    net = reference_net(sizes, activation, params)
    found, out = [], np.asarray(X, dtype=float)
    for layer in net.layers[:-1]:
        found.append(out @ layer.W + layer.b)
        out = layer.forward(out)
    return found


def reference_net(sizes, activation, params):
    net = ref.MLP(sizes, activation)
    net.set_params([p.copy() for p in params])
    return net


class Case:
    """A network of known parameters and a data set for it, away from relu's kinks."""

    def __init__(self, sizes, activation, n, seed, away_from_kinks=False):
        self.sizes, self.activation = tuple(sizes), activation
        rng = np.random.default_rng(seed)
        for attempt in range(1000):
            params = random_params(sizes, seed * 1000 + attempt)
            X = rng.normal(scale=1.5, size=(n, sizes[0]))
            margins = [np.min(np.abs(z)) for z in pre_activations(sizes, activation, params, X)]
            if not away_from_kinks or activation != "relu" or min(margins, default=1.0) > 0.02:
                break
        else:  # pragma: no cover - a judge problem, seen when the suite is written
            raise RuntimeError("no case away from relu's kinks")
        self.params, self.X = params, X
        self.y = np.arange(n) % sizes[-1]  # every class present
        rng.shuffle(self.y)
        self.net = reference_net(sizes, activation, params)

    @property
    def name(self):
        return f"MLP({shown_sizes(self.sizes)}, {self.activation!r})"

    def student_net(self, student):
        """The student's network with this case's parameters, set with set_params."""
        net = student.new("MLP", list(self.sizes), self.activation)
        net.set_params([p.copy() for p in self.params])
        return net


FORWARD_CASES = [
    Case((4, 5, 3), "relu", 7, 1),
    Case((3, 4, 4, 2), "relu", 6, 2),
    Case((3, 4, 4, 2), "tanh", 5, 3),
    Case((2, 6, 3), "sigmoid", 6, 4),
    Case((5, 3), "relu", 4, 5),
    Case((4, 200, 100, 50, 3), "relu", 9, 6),
]
GRADIENT_CASES = [
    Case((4, 5, 3), "relu", 8, 11, away_from_kinks=True),
    Case((3, 4, 4, 2), "relu", 6, 12, away_from_kinks=True),
    Case((3, 4, 4, 2), "tanh", 5, 13),
    Case((2, 3, 3), "sigmoid", 4, 14),
]


def read_params(value, sizes, call):
    """A list of 2L arrays of the right shapes, from the student's ``get_params``/``gradients``."""
    shapes = shapes_of(sizes)
    if not isinstance(value, list):
        shown = "None" if value is None else _("a {type}").format(type=type(value).__name__)
        fail(_("{call} returned {shown}: return a list of arrays, one per parameter").format(call=call, shown=shown))
    if len(value) != len(shapes):
        fail((_("{call} returned fewer arrays than the network has parameters: a W and a b per layer, "
                "[W1, b1, W2, b2, ...] in this order") if len(value) < len(shapes) else
              _("{call} returned more arrays than the network has parameters: a W and a b per layer, "
                "[W1, b1, W2, b2, ...] in this order")).format(call=call))
    found = []
    for i, (v, name, shape) in enumerate(zip(value, param_names(sizes), shapes)):
        what = _("{name} (entry {number} of {call})").format(name=name, number=i, call=call)
        array = as_array(v, what=what)
        if array.shape != shape:
            message = _("{what} has another shape than {name}").format(what=what, name=name)
            if len(shape) == 2 and array.shape == shape[::-1]:
                message += _(": transposed? (a gradient has the shape of its parameter: X.T @ dz)")
            elif len(shape) == 1 and array.size != shape[0]:
                message += _(": a sum over the wrong axis? (the bias gradient sums over the samples, axis=0: "
                             "one entry per unit)")
            fail(message)
        found.append(array)
    return found


def judged(net, sizes, activation, call):
    """The judge's reference network holding the parameters the student's network has now (its
    ``get_params()``): what the student's training produced, measured by the judge's own forward."""
    return reference_net(sizes, activation, read_params(net.get_params(), sizes, call))


# ---------------------------------------------------------------------------------------------
# softmax_cross_entropy


def arrays(shape, lo, hi):
    return hnp.arrays(np.float64, shape, elements=floats(lo=lo, hi=hi))


@st.composite
def logits_and_labels(draw, spread=10.0, offset=0.0):
    """(logits, y): n 1..8 samples, K 2..5 classes; entries in [-spread, spread] around a
    per-row offset drawn from [-offset, offset]."""
    n, K = draw(st.integers(1, 8)), draw(st.integers(2, 5))
    logits = draw(arrays((n, K), -spread, spread))
    if offset:
        logits = np.clip(logits + draw(arrays((n, 1), -offset, offset)), -1000.0, 1000.0)
    y = draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, K - 1)))
    return logits, y


def cross_entropy_matches(student, logits, y, *, warnings_fail=False, loss_hint=""):
    call = "softmax_cross_entropy(logits, y)"
    answer = student.call("softmax_cross_entropy", logits, y)
    loss, dlogits = as_tuple(answer.value, what=call, names=("loss", "dlogits"), where=_(" on a hidden test"))
    want_loss, want_dlogits = ref.softmax_cross_entropy(logits, y)
    loss_of, dlogits_of = _("the loss of {call}").format(call=call), _("the dlogits of {call}").format(call=call)
    got = as_scalar(loss, what=loss_of)
    if not math.isfinite(got):
        fail(_("the loss of {call} is {value} on a hidden test. Hint: subtract each row's maximum before exp, "
               "and compute log(softmax) as z - max - log(sum(exp(z - max)))").format(call=call, value=got))
    grad = as_array(dlogits, what=dlogits_of, shape=logits.shape)
    if not np.all(np.isfinite(grad)):
        fail(_("the dlogits of {call} has nan or inf on a hidden test. Hint: subtract each row's maximum from "
               "the logits before exp (the softmax does not change)").format(call=call))
    trouble = [w for w in answer.warnings if "overflow" in w or "divide by zero" in w or "invalid value" in w]
    if warnings_fail and trouble:
        fail(_("{call} raised {warning} on a hidden test with logits up to 1e3 in magnitude. "
               "Hint: subtract each row's maximum before exp").format(call=call, warning=trouble[0]))
    try:
        expect_close(got, want_loss, what=loss_of, public=False,
                     rtol=1e-6, atol=1e-9, n=len(y))
    except CheckFailure as failure:
        if not loss_hint:
            raise
        raise failure.with_hint("; ".join(h for h in (failure.hint, loss_hint) if h)) from None
    expect_close(grad, want_dlogits, what=dlogits_of,
                 public=False, rtol=1e-6, atol=1e-10, n=len(y))


@check(points=2)
@for_examples(case=logits_and_labels(), examples=[
    {"case": (np.array([[0.5, -1.0, 2.0]]), np.array([2]))},
    {"case": (np.array([[1.0, 2.0], [0.0, 0.0], [3.0, -3.0], [-1.0, 0.5]]), np.array([0, 1, 1, 0]))},
])
def test_softmax_cross_entropy_matches_reference(student, case):
    """softmax_cross_entropy's loss and dlogits on random logits and labels"""
    cross_entropy_matches(student, *case)


@check(points=2)
@for_examples(case=logits_and_labels(spread=10.0, offset=1000.0), examples=[
    {"case": (np.array([[1000.0, 990.0, 995.0], [-1000.0, -1010.0, -995.0]]), np.array([2, 0]))},
    {"case": (np.array([[1000.0, 1000.0], [-1000.0, -1000.0]]), np.array([1, 0]))},
])
def test_softmax_cross_entropy_stable(student, case):
    """softmax_cross_entropy on logits up to 1e3 in magnitude: finite, right, no overflow warning"""
    cross_entropy_matches(student, *case, warnings_fail=True)


@check(points=1)
def test_softmax_cross_entropy_extreme(student):
    """softmax_cross_entropy where the right class's probability underflows to 0: the loss is still right"""
    cases = [
        (np.array([[1000.0, -1000.0]]), np.array([1])),
        (np.array([[0.0, 800.0, -800.0], [5.0, -900.0, 3.0]]), np.array([2, 1])),
    ]
    for logits, y in cases:
        cross_entropy_matches(student, logits, y, loss_hint=_(
            "here the probability of the right class underflows to 0, so the log of the softmax (clipped or "
            "not) is wrong: compute log(softmax(z)) as z - max - log(sum(exp(z - max)))"))


# ---------------------------------------------------------------------------------------------
# Structure and seeding


@check(points=2)
def test_mlp_structure(student):
    """MLP(sizes) has the parameters [W1, b1, ..., WL, bL] of the right shapes, zero biases, random W"""
    for sizes, activation in [((4, 5, 3), "relu"), ((3, 4, 4, 2), "tanh"), ((2, 3), "sigmoid"),
                              ((6, 8, 7, 5, 4), "relu")]:
        shown = f"MLP({shown_sizes(sizes)}, {activation!r})"
        net = student.new("MLP", list(sizes), activation)
        params = read_params(net.get_params(), sizes, _("{call} of {network}").format(call="get_params()", network=shown))
        for name, value in zip(param_names(sizes), params):
            if not np.all(np.isfinite(value)):
                fail(_("{name} of a new {network} has nan or inf entries").format(name=name, network=shown))
            if name.startswith("b") and np.any(value != 0):
                fail(_("{name} of a new {network} is not all zeros: biases start at 0").format(name=name, network=shown))
            if name.startswith("W") and value.size > 1 and len(np.unique(value)) < max(2, value.size // 2):
                fail(_("{name} of a new {network} has few distinct values: draw it at random "
                       "(np.random.default_rng(seed).normal(...))").format(name=name, network=shown))


@check(points=1)
def test_mlp_seeded(student):
    """equal seeds give equal networks, different seeds different ones; the default seed is 0"""
    sizes = [3, 4, 4, 2]
    shown = f"MLP({shown_sizes(sizes)}, seed=...)"

    def params(**kwargs):
        return read_params(student.new("MLP", sizes, **kwargs).get_params(), sizes,
                           _("{call} of {network}").format(call="get_params()", network=shown))

    first, again, other = params(seed=5), params(seed=5), params(seed=6)
    if not all(np.array_equal(a, b) for a, b in zip(first, again)):
        fail(_("two networks {network} with the same seed got different parameters: draw them from "
               "np.random.default_rng(seed), not from the global random state").format(network=shown))
    if all(np.array_equal(a, b) for a, b in zip(first, other)):
        fail(_("networks {network} with different seeds got the same parameters: use the seed argument").format(
            network=shown))
    default, zero = params(), params(seed=0)
    if not all(np.array_equal(a, b) for a, b in zip(default, zero)):
        fail(_("{network} and the same network with seed=0 got different parameters: the default seed is 0").format(
            network=f"MLP({shown_sizes(sizes)})"))


# ---------------------------------------------------------------------------------------------
# forward, predict, loss against the reference


@check(points=2)
def test_forward_matches_reference(student):
    """forward's logits with parameters set by set_params, for several sizes and activations"""
    for case in FORWARD_CASES:
        net = case.student_net(student)
        expected = case.net.forward(case.X)
        what = _("{call} of {network} with parameters set by set_params").format(call="forward(X)", network=case.name)
        got = as_array(net.forward(case.X), what=what, shape=expected.shape)
        if np.all(got >= 0) and np.any(expected < -1e-9):
            fail(_("{what} on a hidden test: your logits are never negative. Is there an activation after "
                   "the last layer? The last layer has none: its outputs are the logits.").format(what=what))
        expect_close(got, expected, what=what, public=False, rtol=1e-6, atol=1e-9)


@check(points=1)
def test_predict_matches_reference(student):
    """predict_proba and predict with parameters set by set_params"""
    notes = []
    for case in FORWARD_CASES[:4]:
        net = case.student_net(student)
        proba, predicted = net.predict_proba(case.X), net.predict(case.X)

        def compare(want_proba, want_classes, case=case, proba=proba, predicted=predicted):
            expect_close(proba, want_proba, what=_("{call} of {network}").format(call="predict_proba(X)", network=case.name),
                         public=False, rtol=1e-6, atol=1e-10)
            expect_close(predicted, want_classes, what=_("{call} of {network}").format(call="predict(X)", network=case.name),
                         public=False, rtol=0.0, atol=0.0)

        def own(case=case, net=net, compare=compare):
            logits = own_logits(student, net, case.sizes, case.activation, case.params, case.X)
            compare(softmax_of(logits), np.argmax(logits, axis=1))

        notes.append(right_or_own(lambda case=case, compare=compare: compare(case.net.predict_proba(case.X), case.net.predict(case.X)),
                                  {"forward": own}))
    noted(*notes)


@check(points=1)
def test_loss_matches_reference(student):
    """loss(X, y) with parameters set by set_params"""
    notes = []
    for case in FORWARD_CASES:
        net = case.student_net(student)
        what = _("{call} of {network}").format(call="loss(X, y)", network=case.name)
        got = as_scalar(net.loss(case.X, case.y), what=what)

        def compare(want, got=got, what=what, case=case):
            expect_close(got, want, what=what, public=False, rtol=1e-6, atol=1e-9,
                         n=len(case.y))

        def own(case=case, net=net, compare=compare):
            logits = own_logits(student, net, case.sizes, case.activation, case.params, case.X)
            if logits.shape[1] <= np.max(case.y):
                fail("forward(X) gives fewer logits than classes")
            compare(cross_entropy_of(logits, case.y))

        notes.append(right_or_own(lambda case=case, compare=compare: compare(case.net.loss(case.X, case.y)),
                                  {"forward": own}))
    noted(*notes)


# ---------------------------------------------------------------------------------------------
# gradients


@check(points=3)
def test_gradients_match_reference(student):
    """every entry of gradients(X, y) against the reference's, for small networks"""
    notes = []
    for case in GRADIENT_CASES:
        net = case.student_net(student)
        call = _("{call} of {network}").format(call="gradients(X, y)", network=case.name)
        notes.append(gradients_match(student, net.gradients(case.X, case.y), case, call))
    noted(*notes)


@check(points=2)
def test_gradients_are_derivatives_of_loss(student):
    """every entry of gradients(X, y) at your network's own initial parameters against the judge's derivatives of the loss there"""
    notes = []
    for case in GRADIENT_CASES:
        net = student.new("MLP", list(case.sizes), case.activation, 7)
        params = read_params(net.get_params(), case.sizes, _("{call} of a new {network}").format(
            call="get_params()", network=case.name))
        call = _("{call} of a new {network}").format(call="gradients(X, y)", network=case.name)
        notes.append(gradients_match(student, net.gradients(case.X, case.y), case, call, params))
    noted(*notes)


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


def backpropagated(sizes, activation, params, X, dlogits):
    """The parameters' gradients that backpropagating ``dlogits`` through the reference network
    with ``params`` gives (its forward pass at ``X`` first)."""
    net = reference_net(sizes, activation, params)
    net.forward(X)
    grad = np.asarray(dlogits, dtype=float)
    for layer in reversed(net.layers):
        grad = layer.backward(grad)
    return [g.copy() for layer in net.layers for g in (layer.dW, layer.db)]


def own_dlogits(student, logits, y):
    """The dlogits of the student's softmax_cross_entropy at the judge's ``logits``: finite, of
    their shape, not all zero (or CheckFailure: nothing to compute with)."""
    call = "softmax_cross_entropy(logits, y)"
    dlogits = as_tuple(student.softmax_cross_entropy(logits, y), what=call, names=("loss", "dlogits"))[1]
    dlogits = as_array(dlogits, what=_("the dlogits of {call}").format(call=call), shape=np.shape(logits))
    if not (np.all(np.isfinite(dlogits)) and np.any(dlogits)):
        fail(_("the dlogits of {call} leave nothing to compute with").format(call=call))
    return dlogits


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


def softmax_of(logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def cross_entropy_of(logits, y):
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_p[np.arange(len(y)), y].mean())


@check(points=1)
def test_gradients_change_no_parameter(student):
    """gradients(X, y) leaves every parameter as it was"""
    for case in GRADIENT_CASES[:2]:
        net = case.student_net(student)
        get_params = _("{call} of {network}").format(call="get_params()", network=case.name)
        before = read_params(net.get_params(), case.sizes, get_params)
        call = _("{call} of {network}").format(call="gradients(X, y)", network=case.name)
        grads = net.gradients(case.X, case.y)
        only_if_right(call, lambda grads=grads, case=case, call=call: gradients_match(student, grads, case, call))
        after = read_params(net.get_params(), case.sizes, get_params)
        for name, b, a in zip(param_names(case.sizes), before, after):
            if not np.array_equal(a, b):
                fail(_("{call} changed {name}: it must only compute the gradients (fit takes the steps)").format(
                    call=call, name=name))


@check(points=1)
def test_set_params_takes_lists(student):
    """set_params accepts nested lists; get_params then gives those values"""
    case = FORWARD_CASES[1]
    net = student.new("MLP", list(case.sizes), case.activation)
    net.set_params([p.tolist() for p in case.params])
    got = read_params(net.get_params(), case.sizes, _("{call} of {network} after set_params(a list of lists)").format(
        call="get_params()", network=case.name))
    for name, g, p in zip(param_names(case.sizes), got, case.params):
        expect_close(g, p, what=_("{name} of {call} after set_params(a list of nested lists)").format(
            name=name, call="get_params()"), public=False)
    logits = net.forward(case.X)
    what = _("{call} after set_params(a list of nested lists)").format(call="forward(X)")
    noted(right_or_own(lambda: expect_close(logits, case.net.forward(case.X), what=what, public=False),
                       {"forward": lambda: own_set_params(student, net, case.sizes, case.activation, case.params,
                                                          case.X, logits)}))


@check(points=1)
def test_set_params_copies(student):
    """set_params keeps copies: the caller changing its arrays afterwards does not change the network"""
    case = FORWARD_CASES[1]
    net = student.new("MLP", list(case.sizes), case.activation)
    kept = [student.keep(p) for p in case.params]  # the caller's arrays, living in your process
    net.set_params(kept)
    changed = [0.3 - 2.0 * p for p in case.params]
    for array, value in zip(kept, changed):
        array.assign(value)
    what = _("{call} of {network} after set_params(params), once the caller has changed the arrays of params").format(
        call="forward(X)", network=case.name)
    logits = net.forward(case.X)

    def right():
        got = as_array(logits, what=what, shape=(case.X.shape[0], case.sizes[-1]))
        if np.allclose(got, reference_net(case.sizes, case.activation, changed).forward(case.X), rtol=1e-6, atol=1e-9):
            fail(_("{what}: your network changed with them, so set_params kept references to the caller's arrays "
                   "(np.asarray does not copy an array). Keep copies: np.array(p, dtype=float) for each p.").format(what=what))
        expect_close(got, case.net.forward(case.X), what=what, public=False, rtol=1e-6, atol=1e-9)

    def own():  # the parameters by get_params (the judge's values), the logits of a typical slip of forward
        own_set_params(student, net, case.sizes, case.activation, case.params, case.X, logits)

    noted(right_or_own(right, {"forward": own}))


@check(points=1)
def test_arguments_not_modified(student):
    """no method and no function changes its arguments (each one's share paid once its values are right)"""
    case = GRADIENT_CASES[0]
    X, y = case.X, case.y
    logits = case.net.forward(X)

    def cross_entropy():
        call = student.call("softmax_cross_entropy", logits.copy(), y.copy())
        shown = "softmax_cross_entropy(logits, y)"
        def right():
            loss, dlogits = as_tuple(call.value, what=shown, names=("loss", "dlogits"), where=_(" on a hidden test"))
            want_loss, want_dlogits = ref.softmax_cross_entropy(logits, y)
            loss_of = _("the loss of {call}").format(call=shown)
            expect_close(as_scalar(loss, what=loss_of), want_loss, what=loss_of, public=False)
            expect_close(dlogits, want_dlogits, what=_("the dlogits of {call}").format(call=shown), public=False)
        only_if_right(shown, right)
        unchanged(call, shown, [("logits", logits), ("y", y)])

    def set_params():
        net = student.new("MLP", list(case.sizes), case.activation)
        params = [p.copy() for p in case.params]
        call = net.call("set_params", [p.copy() for p in params])

        def own():
            own_set_params(student, net, case.sizes, case.activation, params, X, net.forward(X))

        only_if_right("set_params(params)", lambda: right_or_own(lambda: expect_close(
            net.forward(X), case.net.forward(X), what=_("{call} after set_params(params)").format(call="forward(X)"), public=False),
            {"forward": own}))
        unchanged(call, "set_params(params)", [("params", params)])

    def method(name, *arguments):
        net = case.student_net(student)
        call = net.call(name, *[a.copy() for a in arguments])
        shown = f"{name}({', '.join(n for n, _value in zip(('X', 'y'), arguments))})"
        if name == "gradients":
            only_if_right(shown, lambda: gradients_match(student, call.value, case, shown))
        else:
            expected = getattr(case.net, name)(*arguments)

            def own():
                logits = own_logits(student, case.student_net(student), case.sizes, case.activation, case.params, X)
                if name == "loss" and logits.shape[1] <= np.max(y):
                    fail("forward(X) gives fewer logits than classes")
                want = {"predict_proba": lambda: softmax_of(logits), "predict": lambda: np.argmax(logits, axis=1),
                        "loss": lambda: cross_entropy_of(logits, y)}[name]()
                expect_close(call.value, want, what=shown, public=False)

            own_parts = {"forward": own} if name != "forward" else {}
            only_if_right(shown, lambda: right_or_own(lambda: expect_close(call.value, expected, what=shown, public=False),
                                                      own_parts))
        unchanged(call, shown, list(zip(("X", "y"), arguments)))

    def fit():
        net = case.student_net(student)
        shown = "fit(X, y, epochs=..., batch_size=...)"
        before = judged(net, case.sizes, case.activation, _("get_params() before {call}").format(call=shown)).loss(X, y)
        call = net.call("fit", X.copy(), y.copy(), epochs=2, batch_size=4)
        after = judged(net, case.sizes, case.activation, _("get_params() after {call}").format(call=shown)).loss(X, y)
        if not after < before:
            only_if_right(shown, lambda: fail(_("{call} on a hidden test did not lower the loss of the parameters").format(
                call=shown)))
        unchanged(call, shown, [("X", X), ("y", y)])

    parts = {"softmax_cross_entropy": cross_entropy, "set_params": set_params}
    for name in ("forward", "predict_proba", "predict"):
        parts[name] = lambda name=name: method(name, X)
    for name in ("loss", "gradients"):
        parts[name] = lambda name=name: method(name, X, y)
    parts["fit"] = fit
    credit_by_part(parts)


def unchanged(call, shown, arguments):
    """Fail unless the child's copies of the arguments after the call equal what was sent."""
    expect_unchanged(call, [a for _name, a in arguments], what=shown, names=[n for n, _value in arguments],
                     advice="work on new arrays (for example X = X - mean, not X -= mean)")


# ---------------------------------------------------------------------------------------------
# fit


def blobs(seed=21, per_class=20):
    rng = np.random.default_rng(seed)
    centers = np.array([[-2.0, 0.0], [2.0, 0.0], [0.0, 2.5]])
    X = np.concatenate([c + 0.6 * rng.normal(size=(per_class, 2)) for c in centers])
    y = np.repeat(np.arange(3), per_class)
    order = rng.permutation(len(y))
    return X[order], y[order]


BLOBS_X, BLOBS_Y = blobs()


def read_losses(value, epochs, call):
    if not isinstance(value, list):
        shown = "None" if value is None else _("a {type}").format(type=type(value).__name__)
        fail(_("{call} returned {shown}: return the list of the per-epoch mean training losses").format(call=call, shown=shown))
    losses = as_array(value, what=call)
    if losses.shape != (epochs,):
        fail((_("{call} returned too few losses: return one per epoch") if losses.size < epochs else
              _("{call} returned too many losses: return one per epoch")).format(call=call))
    return losses


@check(points=2)
def test_fit_trains(student):
    """fit on a small data set: one finite loss per epoch, and the parameters it leaves fit the data (loss and accuracy measured by the judge)"""
    sizes, shown = (2, 16, 3), "MLP(sizes, 'relu', seed=...)"
    net = student.new("MLP", list(sizes), "relu", 1)
    start = read_params(net.get_params(), sizes, _("{call} of {network}").format(call="get_params()", network=shown))
    logits_before = net.forward(BLOBS_X)
    call = "fit(X, y, lr=..., epochs=..., batch_size=...)"
    losses = read_losses(net.fit(BLOBS_X, BLOBS_Y, lr=0.1, epochs=60, batch_size=16), 60, call)
    if not np.all(np.isfinite(losses)):
        fail(_("{call} on a hidden data set returned losses with nan or inf: the training diverged").format(call=call))
    trained = judged(net, sizes, "relu", _("get_params() after {call}").format(call=call))

    def judge(before, after, predicted):
        if not after < 0.5 * before:
            fail(_("{call} on a hidden data set did not train: the loss of the parameters your get_params() gives is "
                   "not below half of where it started. Does each batch update the parameters (param -= lr * gradient)?"
                   ).format(call=call))
        if not losses[-1] < losses[0]:
            fail(_("the losses that {call} returned do not go down from the first to the last: "
                   "return each epoch's mean training loss").format(call=call))
        if np.mean(predicted == BLOBS_Y) < 0.9:
            fail(_("after {call} on a hidden, easy data set, the parameters your get_params() gives classify fewer "
                   "than {share} of the training samples right").format(call=call, share="90%"))  # no % in a message id

    def own():  # the loss and the classes the judge computes with the slip of the student's forward
        before = slipped_forward(sizes, "relu", start, BLOBS_X, forward_slip(logits_before, sizes, "relu", start, BLOBS_X))
        params = read_params(net.get_params(), sizes, _("get_params() after {call}").format(call=call))
        after = own_logits(student, net, sizes, "relu", params, BLOBS_X)
        if before.shape != after.shape or after.shape[1] <= np.max(BLOBS_Y):
            fail("forward(X) gives fewer logits than classes")
        judge(cross_entropy_of(before, BLOBS_Y), cross_entropy_of(after, BLOBS_Y), np.argmax(after, axis=1))

    fit_takes_gradient_steps(student)
    noted(right_or_own(lambda: judge(reference_net(sizes, "relu", start).loss(BLOBS_X, BLOBS_Y),
                                     trained.loss(BLOBS_X, BLOBS_Y), trained.predict(BLOBS_X)),
                       {"forward": own}))


STEP_SIZES, STEP_LR, STEP_COSINE = (2, 16, 3), 1e-4, 0.9


def numerical_gradient_of(loss, params, h=1e-6):
    """Central differences of ``loss(params)``, entry by entry, computed by the judge."""
    grads = []
    for k, p in enumerate(params):
        g = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            moved = [q.copy() for q in params]
            moved[k][i] += h
            up = loss(moved)
            moved[k][i] -= 2 * h
            g[i] = (up - loss(moved)) / (2 * h)
        grads.append(g)
    return grads


def fit_takes_gradient_steps(student):
    """Fail unless fit's parameters come from gradient steps: from parameters the judge sets
    (``set_params(θ0)``), one epoch of ``fit`` with a tiny lr must move them along -∇L(θ0), the
    gradient of the cross-entropy the judge computes itself (the reference network's, or, for a
    forward with a typical slip, that slip's): the cosine of the change and -∇L(θ0) above
    ``STEP_COSINE``. To first order, any minibatch size and order (and momentum) gives a change
    parallel to the full-batch gradient; a fit that memorizes the data or computes its parameters
    in closed form does not. The cost: one epoch on 60 samples."""
    sizes, call = STEP_SIZES, "fit(X, y, lr=..., epochs=1, batch_size=...)"
    start = random_params(sizes, 77)
    net = student.new("MLP", list(sizes), "relu", 5)
    net.set_params([p.copy() for p in start])
    logits = net.forward(BLOBS_X)
    read_losses(net.fit(BLOBS_X, BLOBS_Y, lr=STEP_LR, epochs=1, batch_size=16), 1, call)
    moved = read_params(net.get_params(), sizes, _("get_params() after {call}").format(call=call))
    change = np.concatenate([np.ravel(m - p) for m, p in zip(moved, start)])
    directions = [reference_net(sizes, "relu", start).gradients(BLOBS_X, BLOBS_Y)]
    try:
        slip = forward_slip(logits, sizes, "relu", start, BLOBS_X)
        directions.append(numerical_gradient_of(
            lambda values: cross_entropy_of(slipped_forward(sizes, "relu", values, BLOBS_X, slip), BLOBS_Y), start))
    except CheckFailure:
        pass
    norm = np.linalg.norm(change)
    for grads in directions:
        g = -np.concatenate([np.ravel(x) for x in grads])
        if norm > 0 and np.all(np.isfinite(change)) and float(change @ g) / (norm * np.linalg.norm(g)) > STEP_COSINE:
            return
    if norm == 0:
        fail(_("{call} on a hidden data set left the parameters set by set_params as they were: this check is "
               "judged once fit trains by gradient descent. Does each batch update the parameters "
               "(param -= lr * gradient)?").format(call=call))
    fail(_("{call} on a hidden data set, from parameters set by set_params, did not move them along minus the "
           "gradient of the loss: this check is judged once fit trains by gradient descent (for each batch, "
           "param -= lr * gradient)").format(call=call))


@check(points=1)
def test_fit_arguments(student):
    """fit uses epochs, lr and its seed: epochs losses, lr=0 changes nothing, the same call gives the same result"""
    fit_takes_gradient_steps(student)
    sizes = [2, 16, 3]
    net = student.new("MLP", sizes, "relu", 2)
    start = read_params(net.get_params(), sizes, _("{call} of {network}").format(
        call="get_params()", network="MLP(sizes, 'relu', seed=...)"))
    read_losses(net.fit(BLOBS_X, BLOBS_Y, lr=0.0, epochs=3), 3, "fit(X, y, lr=0.0, epochs=...)")
    after = read_params(net.get_params(), sizes, _("get_params() after {call}").format(call="fit(X, y, lr=0.0, epochs=...)"))
    if not all(np.allclose(a, s, rtol=0.0, atol=1e-12) for a, s in zip(after, start)):
        fail("fit(X, y, lr=0.0, epochs=...) changed the parameters: every step must be scaled by lr")
    results = []
    for _twin in range(2):
        twin = student.new("MLP", sizes, "relu", 2)
        call = "fit(X, y, lr=..., epochs=..., batch_size=..., seed=...)"
        losses = read_losses(twin.fit(BLOBS_X, BLOBS_Y, lr=0.05, epochs=4, batch_size=8, seed=3), 4, call)
        results.append((losses, read_params(twin.get_params(), sizes, _("get_params() after {call}").format(call=call))))
    (losses_a, params_a), (losses_b, params_b) = results
    # Parameters that never move are unchanged by lr=0 and equal twice: paid only for a fit that trains.
    if not reference_net(sizes, "relu", params_a).loss(BLOBS_X, BLOBS_Y) < reference_net(sizes, "relu", start).loss(BLOBS_X, BLOBS_Y):
        fail(_("{call} on a hidden data set did not lower the loss of the parameters your get_params() gives: "
               "this check is judged once fit trains (param -= lr * gradient on each batch)").format(call=call))
    if not (np.allclose(losses_a, losses_b, rtol=1e-12, atol=0) and
            all(np.allclose(a, b, rtol=1e-12, atol=0) for a, b in zip(params_a, params_b))):
        fail("two equal networks trained by the same fit(X, y, ..., seed=...) ended differently: shuffle with "
             "rng = np.random.default_rng(seed), created in fit, not with the global random state")


# ---------------------------------------------------------------------------------------------
# Iris


IRIS_CSV = assignment_file("mlp", "iris.csv")  # the project's own copy
IRIS_SEED = 0
IRIS_FOLDS = 5
IRIS_SIZES = (4, 200, 100, 50, 3)  # MLP()'s defaults
IRIS_TIMEOUT = 20.0  # CPU seconds per fold: a vectorized fit takes well under one


def load_iris():
    data = np.loadtxt(IRIS_CSV, delimiter=",", skiprows=1, dtype=float)
    X, y = data[:, :4].copy(), data[:, 4].astype(np.int64)
    if X.shape != (150, 4) or np.bincount(y).tolist() != [50, 50, 50]:
        raise RuntimeError(f"{IRIS_CSV} is not the iris data set")
    return X, y


def stratified_folds(y, k, seed):
    """k test sets: each class's samples shuffled (seeded) and dealt into k equal parts."""
    rng = np.random.default_rng(seed)
    parts = [[] for _part in range(k)]
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        for part, chunk in zip(parts, np.array_split(members, k)):
            part.extend(chunk.tolist())
    return [np.sort(np.array(part)) for part in parts]


def iris_splits():
    """(X_train, y_train, X_test, y_test) per fold, standardized with the training fold's statistics."""
    X, y = load_iris()
    splits = []
    for test in stratified_folds(y, IRIS_FOLDS, IRIS_SEED):
        train = np.setdiff1d(np.arange(len(y)), test)
        mean, std = X[train].mean(axis=0), X[train].std(axis=0)
        splits.append(((X[train] - mean) / std, y[train], (X[test] - mean) / std, y[test]))
    return splits


IRIS_SPLITS = iris_splits()


@check(points=8, timeout=IRIS_TIMEOUT)
def test_iris_cross_validation(student):
    """iris: MLP() trained by fit's defaults on each of 5 stratified folds, its parameters (get_params) classifying the test fold; full marks from a mean test accuracy of 0.9"""  # noqa: E501 - the check's title
    limit = check_info(test_iris_cross_validation).timeout
    fit_takes_gradient_steps(student)
    lines, correct, total = [], 0, 0
    for number, (X_train, y_train, X_test, y_test) in enumerate(IRIS_SPLITS, start=1):
        net = student.new("MLP")
        untrained = judged(net, IRIS_SIZES, "relu", _("get_params() of MLP() on fold {number}").format(
            number=number)).loss(X_train, y_train)
        try:
            net.fit(X_train, y_train)
        except TimeLimitExceeded as exc:
            done = "".join(f"\n{line}" for line in lines)
            if exc.budget != "call" or exc.resource != "cpu":  # the submission's budget, or asleep
                raise TimeLimitExceeded(_("fold {number}: {said}").format(number=number, said=exc) + done,
                                        budget=exc.budget, resource=exc.resource, limit=exc.limit) from None
            raise TimeLimitExceeded(
                _("fold {number}: fit(X_train, y_train) on {samples} samples used more than {limit:g} s of CPU "
                  "time, the limit for training one fold. A vectorized fit (each minibatch as one matrix, "
                  "X_batch @ W, no Python loop over the samples) takes well under a second: vectorize your "
                  "forward, backward and fit.").format(number=number, samples=len(y_train), limit=limit) + done,
                limit=limit,
            ) from None
        trained = judged(net, IRIS_SIZES, "relu", _("get_params() after fit on fold {number}").format(number=number))
        right = int(np.sum(trained.predict(X_test) == y_test))
        # A random network already beats chance: a fold counts only if fit lowered its training loss.
        counted = right if trained.loss(X_train, y_train) < untrained else 0
        correct, total = correct + counted, total + len(y_test)
        lines.append(_("fold {number}: {accuracy:.3f} ({counted}/{size})").format(
            number=number, accuracy=counted / len(y_test), counted=counted, size=len(y_test)) + (
            "" if counted == right else _(": fit did not lower the training loss of the parameters, nothing counted")))
    accuracy = correct / total
    summary = ngettext("mean test accuracy {accuracy:.3f} over {folds} fold (full marks from 0.9)",
                       "mean test accuracy {accuracy:.3f} over {folds} folds (full marks from 0.9)",
                       IRIS_FOLDS).format(accuracy=accuracy, folds=IRIS_FOLDS)
    feedback = "\n".join([summary, *lines])
    if accuracy >= 0.9:
        raise PartialCredit(1.0, feedback)
    fraction = max(0.0, min(1.0, (accuracy - 0.5) / 0.4))
    raise PartialCredit(fraction, feedback + "\n" + _("Hint: {hint}").format(hint=_(
        "check gradients and fit on small data first; a correct network with fit's defaults gets about 0.93.")))


# ---------------------------------------------------------------------------------------------
# The losses fit returns


@check(points=1)
def test_fit_returns_epoch_mean_losses(student):
    """fit returns each epoch's mean training loss: with lr=0 every epoch's is the loss of its parameters"""
    net = student.new("MLP", [2, 16, 3], "relu", 4)
    expected = judged(net, (2, 16, 3), "relu", _("{call} of {network}").format(
        call="get_params()", network="MLP(sizes, 'relu', seed=...)")).loss(BLOBS_X, BLOBS_Y)
    call = "fit(X, y, lr=0.0, epochs=..., batch_size=...)"  # 60 samples: 5 batches of 12
    losses = read_losses(net.fit(BLOBS_X, BLOBS_Y, lr=0.0, epochs=2, batch_size=12), 2, call)

    def own():  # with a forward that makes a typical slip: the cross-entropy of the judge's slipped logits
        params = read_params(net.get_params(), (2, 16, 3), "get_params()")
        logits = own_logits(student, net, (2, 16, 3), "relu", params, BLOBS_X)
        if logits.shape[1] <= np.max(BLOBS_Y):
            fail("forward(X) gives fewer logits than classes")
        if not np.allclose(losses, cross_entropy_of(logits, BLOBS_Y), rtol=1e-6, atol=1e-9):
            fail("not the loss of your forward's slip either")

    def right():
        if not np.allclose(losses, expected, rtol=1e-6, atol=1e-9):
            fail(_("{call} on a hidden data set returned losses that are not the loss of the parameters your "
                   "get_params() gives: with lr=0 the parameters never change, so each epoch's mean training loss is "
                   "that loss. Add each batch's loss times its size, and divide the sum by the number of samples, once "
                   "per epoch").format(call=call))

    fit_takes_gradient_steps(student)
    noted(right_or_own(right, {"forward": own}))
