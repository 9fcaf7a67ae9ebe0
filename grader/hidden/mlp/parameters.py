"""Hidden checks of set_params (nested lists, copies) and that no method or function changes its
arguments.
"""

import numpy as np

from grader.authoring import (  # _, ngettext: the sentences this suite composes (grader/i18n_extract.py)
    _,
    as_array,
    as_scalar,
    as_tuple,
    check,
    credit_by_part,
    expect_close,
    expect_unchanged,
    fail,
    noted,
    only_if_right,
    right_or_own,
)

from .networks import (
    FORWARD_CASES,
    GRADIENT_CASES,
    cross_entropy_of,
    judged,
    param_names,
    read_params,
    ref,
    reference_net,
    softmax_of,
)
from .slips import gradients_match, own_logits, own_set_params


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
