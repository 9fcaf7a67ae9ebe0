"""Hidden checks of assignment 01 (activations).

Property tests against the reference solution on inputs drawn by hypothesis (derandomized:
every submission sees the same inputs), the edge cases pinned with ``@example``, derivatives
against numerical derivatives of the reference, lists and scalars, and in-place modification.
Feedback never shows a hidden input or expected value: it describes where and how the
student's values differ.
"""

import numpy as np
from hypothesis import strategies as st

from grader.authoring import (  # _, N_, ngettext: the sentences this suite composes (grader/i18n_extract.py)
    N_,
    CheckFailure,
    PartialCredit,
    StudentRaised,
    TimeLimitExceeded,
    _,
    as_array,
    check,
    compare_gradient,
    credit_by_part,
    edge_arrays,
    elementwise_derivative,
    expect_close,
    expect_unchanged,
    fail,
    float_arrays,
    for_examples,
    ngettext,
    only_if_right,
    reference,
)

ref = reference("activations")

EDGES = edge_arrays()
ELEMENTWISE = ("sigmoid", "sigmoid_grad", "tanh", "tanh_grad", "relu", "relu_grad",
               "leaky_relu", "leaky_relu_grad", "elu", "step")
# Where the derivative is not defined, either one-sided value is accepted.
AT_ZERO = {"relu_grad": lambda kw: (0.0, 1.0), "leaky_relu_grad": lambda kw: (kw.get("eps", 0.01), 1.0)}


def matches_reference(student, name, z, *, send=None, what=None, **kwargs):
    """The student's `name(z, **kwargs)` equals the reference's, entry by entry.

    ``send`` is what the student's function gets instead of the array ``z`` (a list, a float).
    """
    z = np.asarray(z, dtype=float)
    # The student's call first: replaying examples, the judge first runs each body only up to
    # its first call into the sandbox (to batch the calls), so nothing is computed twice.
    got = getattr(student, name)(z if send is None else send, **kwargs)
    expected = np.asarray(getattr(ref, name)(z, **kwargs), dtype=float)
    if name in AT_ZERO:
        allowed = AT_ZERO[name](kwargs)
        yours = as_array(got, what=f"{name}(z)", shape=expected.shape)
        ok_at_zero = (z == 0) & np.isin(yours, allowed)
        expected = np.where(ok_at_zero, yours, expected)
    args = ", ".join(["z"] + [f"{k}=..." for k in kwargs])
    what = what or f"{name}({args})"
    expect_close(got, expected, what=what, public=False, aligned=z, rtol=1e-6, atol=1e-12,
                 mistakes=known_mistakes(name, z, **kwargs))


def known_mistakes(name, z, **kwargs):
    """Typical bugs of ``name``, as the values they give: the same hints as the public checks."""
    z = np.asarray(z, dtype=float)
    if name in ("leaky_relu", "leaky_relu_grad") and kwargs.get("eps", 0.01) != 0.01:
        return {IGNORES_EPS: getattr(ref, name)(z)}
    if name == "elu" and kwargs.get("alpha", 1.0) != 1.0:
        return {IGNORES_ALPHA: ref.elu(z)}
    if name == "step":
        return {STEP_STRICT: np.where(z > 0, 1.0, 0.0)}
    if name == "relu_grad":
        return {RELU_GRAD_SIDE: np.where(z < 0, 1.0, 0.0)}
    if name == "sigmoid":
        return {SIGMOID_SIGN: ref.sigmoid(-z)}
    if name == "sigmoid_grad":
        return {SIGMOID_GRAD_OF_Z: z * (1.0 - z)}
    if name == "tanh_grad":
        t = np.tanh(z)
        return {TANH_GRAD_SIGMOID: t * (1.0 - t), TANH_GRAD_NO_SQUARE: 1.0 - t}
    if name == "softmax":
        return softmax_mistakes(z, kwargs.get("axis"))
    return {}


# The hints of typical bugs, word for word those of the public checks (tests/test_hints.py).
IGNORES_EPS = "yours is what the default eps=0.01 gives: use the eps argument"
IGNORES_ALPHA = "yours is what the default alpha=1.0 gives: use the alpha argument"
STEP_STRICT = "step(0) must be 1.0: the threshold is z >= 0, not z > 0"
RELU_GRAD_SIDE = "yours is 1 for z < 0 and 0 for z > 0: the other way round"
SIGMOID_SIGN = "yours is 1 / (1 + exp(z)) = sigmoid(-z): the sign of the exponent is flipped"
SIGMOID_GRAD_OF_Z = "yours is z * (1 - z): sigmoid_grad gets z, not sigmoid(z); compute s = sigmoid(z) first"
TANH_GRAD_SIGMOID = "yours is tanh(z) * (1 - tanh(z)), the pattern of the sigmoid: the derivative of tanh is 1 - tanh(z)**2"
TANH_GRAD_NO_SQUARE = "yours is 1 - tanh(z): the square is missing (1 - tanh(z)**2)"
SOFTMAX_SHIFT = "exp(1000) overflows to inf: subtract the maximum along the axis first (softmax does not change)"
SOFTMAX_AXIS = "yours sums to 1 along another axis: normalize along the axis argument (by default the last, axis=-1)"
SOFTMAX_GLOBAL = "yours sums to 1 over the whole array: sum along the axis only (keepdims=True)"


def softmax_mistakes(z, axis):
    """softmax along each wrong axis, and over the whole array: the values those bugs give."""
    z = np.asarray(z, dtype=float)
    axis = -1 if axis is None else axis
    mistakes = {}
    for other in range(z.ndim):
        if other != axis % z.ndim:
            mistakes.setdefault(SOFTMAX_AXIS, ref.softmax(z, axis=other))
    if z.ndim > 1:
        e = np.exp(z - np.max(z, axis=axis, keepdims=True))
        mistakes[SOFTMAX_GLOBAL] = e / e.sum()
    return mistakes


EDGE_EXAMPLES = [{"z": array} for array in EDGES]


@check(points=2)
@for_examples(z=float_arrays(), examples=EDGE_EXAMPLES)
def test_sigmoid_matches_reference(student, z):
    """sigmoid on random arrays of several shapes, and at 0 and ±1000"""
    matches_reference(student, "sigmoid", z)


@check(points=2)
@for_examples(z=float_arrays(), examples=EDGE_EXAMPLES)
def test_sigmoid_grad_matches_reference(student, z):
    """sigmoid_grad on random arrays, against the derivative of the true sigmoid"""
    reference_derivative(student, "sigmoid", z)


@check(points=1)
@for_examples(z=float_arrays(), examples=EDGE_EXAMPLES)
def test_tanh_matches_reference(student, z):
    """tanh on random arrays"""
    matches_reference(student, "tanh", z)


@check(points=1)
@for_examples(z=float_arrays(), examples=EDGE_EXAMPLES)
def test_tanh_grad_matches_reference(student, z):
    """tanh_grad on random arrays, against the derivative of the true tanh"""
    reference_derivative(student, "tanh", z)


@check(points=1)
@for_examples(z=float_arrays(), examples=EDGE_EXAMPLES)
def test_relu_matches_reference(student, z):
    """relu on random arrays"""
    matches_reference(student, "relu", z)


@check(points=1)
@for_examples(z=float_arrays(), examples=EDGE_EXAMPLES)
def test_relu_grad_matches_reference(student, z):
    """relu_grad on random arrays (at exactly 0, either 0 or 1 is accepted)"""
    matches_reference(student, "relu_grad", z)
    reference_derivative(student, "relu", z, kinks=(0.0,))


@check(points=2)
@for_examples(z=float_arrays(), eps=st.sampled_from([0.01, 0.001, 0.1, 0.2, 0.5]),
              examples=[{"z": EDGES[0], "eps": 0.01}, {"z": EDGES[1], "eps": 0.3}])
def test_leaky_relu_matches_reference(student, z, eps):
    """leaky_relu on random arrays with several eps"""
    matches_reference(student, "leaky_relu", z, eps=eps)


@check(points=2)
@for_examples(z=float_arrays(), eps=st.sampled_from([0.01, 0.001, 0.1, 0.2, 0.5]),
              examples=[{"z": EDGES[0], "eps": 0.01}, {"z": EDGES[1], "eps": 0.3}])
def test_leaky_relu_grad_matches_reference(student, z, eps):
    """leaky_relu_grad on random arrays with several eps (at exactly 0, either eps or 1)"""
    matches_reference(student, "leaky_relu_grad", z, eps=eps)
    reference_derivative(student, "leaky_relu", z, kinks=(0.0,), eps=eps)


@check(points=2)
@for_examples(z=float_arrays(), alpha=st.sampled_from([1.0, 0.5, 2.0, 0.1]),
              examples=[{"z": EDGES[0], "alpha": 1.0}, {"z": EDGES[1], "alpha": 2.0}])
def test_elu_matches_reference(student, z, alpha):
    """elu on random arrays with several alpha"""
    matches_reference(student, "elu", z, alpha=alpha)


@check(points=1)
def test_elu_finite(student):
    """elu is finite for large positive and negative inputs, without an overflow warning"""
    z = np.array([1000.0, 710.0, -1000.0, -710.0, 1e300, -1e300])
    call = student.call("elu", z)
    got = as_array(call.value, what="elu(z)", shape=z.shape)
    dtype = np.asarray(call.value).dtype
    if dtype.kind == "f" and dtype.itemsize < 8 or any("in cast" in w for w in call.warnings):
        fail(_("elu(z) computes in {dtype}, where large inputs "
               "overflow to inf and values keep fewer digits: the dtype is the cause, not the formula. Compute in "
               "float64: z = np.asarray(z, dtype=float), with no cast to float32 or float16.").format(
                 dtype=dtype if dtype.itemsize < 8 else _("a smaller float type")))
    overflow = [w for w in call.warnings if "overflow" in w]
    if overflow:
        fail(_("elu(z) raised {warning} for some large inputs. Hint: np.where evaluates both branches "
               "everywhere, so exp(z) is computed for large positive z too; compute the exponential on "
               "np.minimum(z, 0) (or np.expm1(np.minimum(z, 0)))."
               ).format(warning=overflow[0]))
    if not np.all(np.isfinite(got)):
        fail(
            "elu(z) is not finite for some large inputs (yours has nan or inf). Hint: np.where "
            "evaluates both branches everywhere, so exp(z) overflows for large positive z; "
            "compute the exponential on min(z, 0)."
        )
    matches_reference(student, "elu", z)


@st.composite
def arrays_and_axes(draw):
    z = draw(float_arrays(min_dims=1, max_dims=3, max_side=4))
    axis = draw(st.one_of(st.none(), st.integers(-z.ndim, z.ndim - 1)))
    return z, axis


@check(points=2)
@for_examples(case=arrays_and_axes(), examples=[
    {"case": (np.array([[1.0, 2.0], [3.0, 5.0]]), 0)},
    {"case": (np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 7.0]]), None)},
    {"case": (np.arange(24.0).reshape(2, 3, 4), 1)},
])
def test_softmax_matches_reference(student, case):
    """softmax on random arrays of 1 to 3 dimensions, along every axis and the default one"""
    z, axis = case
    expected = ref.softmax(z) if axis is None else ref.softmax(z, axis=axis)
    got = student.softmax(z) if axis is None else student.softmax(z, axis=axis)
    what = "softmax(z)" if axis is None else "softmax(z, axis=...)"
    expect_close(got, expected, what=what, public=False, rtol=1e-6, atol=1e-12, mistakes=softmax_mistakes(z, axis))


@check(points=1)
@for_examples(z=float_arrays(min_dims=1, max_dims=2, lo=-1000.0, hi=1000.0),
              examples=[{"z": np.array([1000.0, -1000.0, 999.5])}])
def test_softmax_stable_everywhere(student, z):
    """softmax has no nan or inf for entries up to 1000 in magnitude"""
    got = as_array(student.softmax(z), what="softmax(z)", shape=z.shape)
    if not np.all(np.isfinite(got)):
        fail("softmax(z) has nan or inf for some inputs with entries up to 1000 in magnitude.", hint=SOFTMAX_SHIFT)
    expect_close(got, ref.softmax(z), what="softmax(z)", public=False, rtol=1e-6, atol=1e-12,
                 mistakes=softmax_mistakes(z, None))


@check(points=1)
@for_examples(z=float_arrays(), examples=[{"z": np.array([0.0, -0.0, 1e-300, -1e-300])}, *EDGE_EXAMPLES])
def test_step_matches_reference(student, z):
    """step on random arrays, and exactly at 0"""
    matches_reference(student, "step", z)


def reference_derivative(student, name, z, kinks=(), **kwargs):
    """The student's `name_grad` against the numerical derivative of the reference `name`."""
    def function(x):
        return getattr(ref, name)(x, **kwargs)

    z = np.asarray(z, dtype=float)
    yours = getattr(student, f"{name}_grad")(z, **kwargs)  # first, as in matches_reference
    numerical, skipped = elementwise_derivative(function, z, kinks=kinks, what=f"{name}(z)")
    compare_gradient(
        yours,
        numerical,
        name=f"{name}_grad",
        at="at a hidden input",
        value_scale=function(z),
        skipped=skipped,
        public=False,
        show_numerical=False,
        mistakes=known_mistakes(f"{name}_grad", z, **kwargs),
    )


LIST_INPUT = [[-1.5, 0.0, 2.0], [3.0, -0.5, 1.0]]


@check(points=2)
def test_accepts_lists_and_scalars(student):
    """every function accepts a nested Python list and a Python float (softmax: lists only); each
    function's share is judged once its values are right, against its own result for an array"""
    shares = {}
    for name in ELEMENTWISE + ("softmax",):
        try:
            same_as_for_an_array(student, name, LIST_INPUT, N_("a nested list"))
            if name != "softmax":
                same_as_for_an_array(student, name, 0.7, N_("a Python float"))
            shares[name] = None
        except CheckFailure as failure:
            shares[name] = failure
        except TimeLimitExceeded as timed_out:  # a call over its limit costs that function's share
            if timed_out.budget != "call":  # the submission's whole budget, or a crash, ends the check
                raise
            shares[name] = timed_out
    wrong = {name: failure for name, failure in shares.items() if failure is not None}
    if wrong:
        lines = [f"{name}: {failure}" for name, failure in wrong.items()]
        right = len(shares) - len(wrong)
        counted = ngettext("{right} of {count} function right.", "{right} of {count} functions right.", len(shares))
        raise PartialCredit(right / len(shares), counted.format(right=right, count=len(shares)) + "\n" + "\n".join(lines))


def same_as_for_an_array(student, name, value, kind):
    """``name(value)`` (a list or a float) gives what ``name`` gives for the same numbers as an
    array: the form is judged against the student's own result, once that result is right.

    The student's code raising fails this share (with the exception's type only: its message
    may hold the input)."""
    array = np.asarray(value, dtype=float)
    for_an_array = _("{name}(an array)").format(name=name)
    try:
        own = getattr(student, name)(array)
    except StudentRaised as raised:
        said = raised.without_message()
        raise CheckFailure(_("{what} is judged here once it works: {said}").format(what=for_an_array, said=said)) from None
    try:
        matches_reference(student, name, array, send=array, what=for_an_array)
    except CheckFailure as failure:
        raise CheckFailure(_("{what} is judged here once its values are right: {said}").format(what=for_an_array, said=failure.message),
                           hint=failure.hint) from None
    try:
        got = getattr(student, name)(value)
    except StudentRaised as raised:
        raise CheckFailure(_("with {kind}: {said}, where {what} works: convert with np.asarray(z, dtype=float)").format(
            kind=_(kind), said=raised.without_message(), what=for_an_array)) from None
    yours = as_array(own, what=for_an_array, shape=array.shape)
    against = _("{name}({kind}) against your {what}").format(name=name, kind=_(kind), what=for_an_array)
    expect_close(got, yours, what=against, public=False, rtol=1e-12, atol=0)


@check(points=2)
def test_arguments_not_modified(student):
    """no function changes the array it is given (each function's share paid once its values are right)"""
    def unchanged(name):
        z = np.array([[-2.0, -0.5, 0.0], [0.5, 1.0, 3.0]])
        call = student.call(name, z)
        only_if_right(f"{name}(z)", lambda: matches_value(name, z, call.value))
        expect_unchanged(call, [z], what=f"{name}(z)", names=["z"],
                         advice="build a new array (e.g. np.maximum(z, 0)) instead of assigning into z")

    credit_by_part({name: lambda name=name: unchanged(name) for name in ELEMENTWISE + ("softmax",)})


def matches_value(name, z, got):
    """``got``, what the student's ``name`` returned for ``z``, against the reference (kinks allowed)."""
    expected = np.asarray(getattr(ref, name)(z), dtype=float)
    if name in AT_ZERO:
        yours = as_array(got, what=f"{name}(z)", shape=expected.shape)
        expected = np.where((z == 0) & np.isin(yours, AT_ZERO[name]({})), yours, expected)
    expect_close(got, expected, what=f"{name}(z)", public=False, rtol=1e-6, atol=1e-12)
