"""Hidden checks of gradients(X, y): against the reference's, against the judge's derivatives of the
loss at the network's own initial parameters, and that it changes no parameter.
"""

import numpy as np

from grader.authoring import (  # _, ngettext: the sentences this suite composes (grader/i18n_extract.py)
    _,
    check,
    fail,
    noted,
    only_if_right,
)

from .networks import GRADIENT_CASES, param_names, read_params
from .slips import gradients_match


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
