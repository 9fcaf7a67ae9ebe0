"""Hidden checks of softmax_cross_entropy: random logits and labels drawn by hypothesis
(derandomized and replayed), logits up to 1e3 in magnitude, and logits where the right class's
probability underflows to 0.
"""

import math

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grader.authoring import (  # _, ngettext: the sentences this suite composes (grader/i18n_extract.py)
    CheckFailure,
    _,
    as_array,
    as_scalar,
    as_tuple,
    check,
    expect_close,
    fail,
    floats,
    for_examples,
)

from .networks import ref


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
