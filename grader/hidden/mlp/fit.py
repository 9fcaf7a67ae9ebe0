"""Hidden checks of fit on a small data set of three blobs: fit takes gradient steps (the probe
:func:`fit_takes_gradient_steps`, which the other checks of fit require), trains, uses its arguments, and
returns each epoch's mean training loss.
"""

import numpy as np

from grader.authoring import (  # _, ngettext: the sentences this suite composes (grader/i18n_extract.py)
    CheckFailure,
    _,
    as_array,
    check,
    fail,
    noted,
    right_or_own,
)

from .networks import cross_entropy_of, judged, random_params, read_params, reference_net
from .slips import forward_slip, own_logits, slipped_forward


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
