"""Hidden checks of a new network's parameters and seeding, and of forward, predict_proba, predict
and loss with parameters set by set_params, against the reference network holding the same ones.
"""

import numpy as np

from grader.authoring import (  # _, ngettext: the sentences this suite composes (grader/i18n_extract.py)
    _,
    as_array,
    as_scalar,
    check,
    expect_close,
    fail,
    noted,
    right_or_own,
)

from .networks import FORWARD_CASES, cross_entropy_of, param_names, read_params, shown_sizes, softmax_of
from .slips import own_logits


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
