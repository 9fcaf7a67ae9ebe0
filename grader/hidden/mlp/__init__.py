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

The suite is this package: the checks by the functions they judge (:mod:`.cross_entropy`,
:mod:`.forward`, :mod:`.gradients`, :mod:`.parameters`, :mod:`.fit`, :mod:`.iris`), the judge's
reference networks and cases (:mod:`.networks`), and the typical slips it computes itself
(:mod:`.slips`). Here, the checks in the order the reports list them.
"""

from .iris import IRIS_CSV, IRIS_SEED, IRIS_SPLITS, load_iris, stratified_folds
from .networks import FORWARD_CASES, GRADIENT_CASES

# The checks, in the order of the reports: a suite's checks are read from its namespace in order.
# isort: off
from .cross_entropy import (
    test_softmax_cross_entropy_matches_reference,
    test_softmax_cross_entropy_stable,
    test_softmax_cross_entropy_extreme,
)
from .forward import (
    test_mlp_structure,
    test_mlp_seeded,
    test_forward_matches_reference,
    test_predict_matches_reference,
    test_loss_matches_reference,
)
from .gradients import test_gradients_match_reference, test_gradients_are_derivatives_of_loss, test_gradients_change_no_parameter
from .parameters import test_set_params_takes_lists, test_set_params_copies, test_arguments_not_modified
from .fit import test_fit_trains, test_fit_arguments
from .iris import test_iris_cross_validation
from .fit import test_fit_returns_epoch_mean_losses
# isort: on

__all__ = [
    "FORWARD_CASES",
    "GRADIENT_CASES",
    "IRIS_CSV",
    "IRIS_SEED",
    "IRIS_SPLITS",
    "load_iris",
    "stratified_folds",
    "test_softmax_cross_entropy_matches_reference",
    "test_softmax_cross_entropy_stable",
    "test_softmax_cross_entropy_extreme",
    "test_mlp_structure",
    "test_mlp_seeded",
    "test_forward_matches_reference",
    "test_predict_matches_reference",
    "test_loss_matches_reference",
    "test_gradients_match_reference",
    "test_gradients_are_derivatives_of_loss",
    "test_gradients_change_no_parameter",
    "test_set_params_takes_lists",
    "test_set_params_copies",
    "test_arguments_not_modified",
    "test_fit_trains",
    "test_fit_arguments",
    "test_iris_cross_validation",
    "test_fit_returns_epoch_mean_losses",
]
