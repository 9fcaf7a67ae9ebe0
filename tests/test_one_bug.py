"""One bug, one loss: a bug costs points only in the checks of the function it is in.

Each row names a typical bug (a mutant: the reference with that one bug), the function it is in,
and the checks of that function (for a property such as the perceptron's step, the checks of
the functions that compute it). Grading the mutant, every point lost must be lost in one of
those checks, or in a check paid per function (``arguments_not_modified``, ``accepts_lists``)
for that function's share only. Functions that use the buggy one are judged against the
reference or against the judge's own computation driven by the student's buggy function
(``right_or_own`` in grader/judge/credit.py), so they lose nothing.

Two kinds of check may lose points for a bug elsewhere, and each is named in its row:

- ``iris_cross_validation`` measures the whole network that the student's ``fit`` trains (the
  suite's docstring says so): a bug anywhere that keeps the network from learning costs it;
- a check whose function raised because of the bug (``gradients`` calling a ``forward`` that
  skipped the last layer, so that the last layer's ``backward`` has no forward to go back
  through) has no result to judge; the test asserts that those checks did fail by raising.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ALL_MUTANTS, by_id

WHOLE = {"iris_cross_validation"}
FIT_AND_GRADIENTS = {
    "gradients_are_derivatives_of_the_loss", "gradients_match_reference", "gradients_are_derivatives_of_loss",
    "gradients_change_no_parameter", "fit_lowers_the_loss", "fit_trains", "fit_arguments",
    "fit_returns_epoch_mean_losses",
}

# mutant -> (the buggy function, its checks, the checks that may fail only by raising, the whole)
ROWS = {
    "perceptron/strict_step": (
        {"neuron", "perceptron_predict"},  # the step, as neuron(..., "step") and perceptron_predict compute it
        {"predict_values", "step_at_zero", "predict_matches_reference", "neuron_matches_reference", "neuron_batch",
         "neuron_lecture_example"},
        set(), set(),
    ),
    "logistic_regression/predict_proba_no_bias": (
        {"predict_proba"},
        {"predict_proba_values", "predict_proba_stable", "predict_proba_matches_reference"},
        set(), set(),
    ),
    "logistic_regression/bce_grad_no_mean": (
        {"bce_grad"},
        {"bce_grad_values", "bce_grad_is_gradient", "bce_grad_matches_reference", "bce_grad_matches_numerical"},
        set(), set(),
    ),
    "mlp/dlogits_no_mean": (
        {"softmax_cross_entropy"},
        {"softmax_cross_entropy_lecture", "softmax_cross_entropy_large_logits", "softmax_cross_entropy_matches_reference",
         "softmax_cross_entropy_stable", "softmax_cross_entropy_extreme"},
        set(), WHOLE,
    ),
    "mlp/forward_skips_last_layer": (
        {"forward"},
        {"forward_shape", "forward_matches_reference"},
        FIT_AND_GRADIENTS, WHOLE,
    ),
    # bugs in the functions that use the ones above: they cost those functions' checks
    "mlp/gradients_no_mean": (
        {"gradients"},
        {"gradients_are_derivatives_of_the_loss", "gradients_match_reference", "gradients_are_derivatives_of_loss",
         "gradients_change_no_parameter"},
        set(), WHOLE,
    ),
    "mlp/loss_sum": ({"loss"}, {"loss_matches_reference"}, set(), set()),
    "mlp/predict_proba_wrong_axis": ({"predict_proba"}, {"predict_ints", "predict_matches_reference"}, set(), set()),
    "activations/relu_wrong_grad_right": ({"relu"}, {"relu_values", "relu_matches_reference"}, set(), set()),
}
PER_FUNCTION = {"arguments_not_modified", "accepts_lists", "accepts_lists_and_scalars"}
PART_LINE = re.compile(r"^([A-Za-z_]\w*)(\([^:]*\))?: ")


def failed_parts(feedback: str) -> set[str]:
    """The functions named by the lines of a check paid per function (credit_by_part's feedback)."""
    return {m.group(1) for line in feedback.splitlines()[1:] if (m := PART_LINE.match(line)) and m.group(1) != "Hint"}


def test_every_row_is_a_mutant():
    assert set(ROWS) <= {m.id for m in ALL_MUTANTS}


@pytest.mark.parametrize("mutant", [pytest.param(m, id=m.id) for m in ALL_MUTANTS if m.id in ROWS])
def test_a_bug_costs_points_only_in_the_checks_of_its_function(graded, mutant):
    functions, own_checks, by_raising, whole = ROWS[mutant.id]
    results = by_id(graded(mutant.assignment, mutant.path))
    stray = {}
    for check_id, r in results.items():
        if r.points >= r.max_points or check_id in own_checks | whole:
            continue
        if check_id in PER_FUNCTION:
            parts = failed_parts(r.feedback)
            if parts and parts <= functions | ({"gradients", "fit"} if by_raising else set()):
                continue
        if check_id in by_raising and "raised" in r.feedback:
            continue
        stray[check_id] = (r.max_points - r.points, r.feedback)
    assert stray == {}, f"{mutant.id} loses points outside the checks of {sorted(functions)}:\n" + "\n".join(
        f"{c}: -{lost:g}: {feedback}" for c, (lost, feedback) in stray.items())
    # and the bug is still seen where it is
    assert any(results[c].points < results[c].max_points for c in own_checks if c in results), mutant.id


@pytest.mark.parametrize("mutant", [pytest.param(m, id=m.id) for m in ALL_MUTANTS if m.id in ROWS])
def test_a_function_right_given_the_buggy_one_says_so_in_a_note(graded, mutant):
    """The checks of a function that uses the buggy one pass with a note naming it (no points taken)."""
    functions, *_ = ROWS[mutant.id]
    notes = [r for r in graded(mutant.assignment, mutant.path).results if "right given your own" in r.feedback]
    if mutant.id == "mlp/forward_skips_last_layer":
        assert notes, "predict_proba, predict and loss are right given the student's forward"
    for r in notes:
        assert r.points == r.max_points and r.feedback.startswith("passed. Note: "), (r.id, r.feedback)


# "Right given your own X" pays only for an X the judge computes itself (right, or one of the
# typical slips it implements), never for agreeing with the student's other functions: these
# submissions make every function consistent with a deliberately odd forward (or fit in closed
# form), and do real work only where honest_baseline does (softmax_cross_entropy, the
# initialization, get_params/set_params). They score exactly what that baseline scores.
OWN_CONSISTENCY = Path(__file__).parent / "submissions" / "mlp" / "own_consistency"


@pytest.mark.parametrize("name", ["own_forward", "closed_form_fit"])
def test_consistency_with_an_odd_forward_earns_nothing_beyond_real_work(graded, name):
    baseline = by_id(graded("mlp", OWN_CONSISTENCY / "honest_baseline"))
    results = by_id(graded("mlp", OWN_CONSISTENCY / name))
    extra = {c: (r.points, baseline[c].points, r.feedback) for c, r in results.items() if r.points > baseline[c].points}
    assert extra == {}, f"{name} is paid beyond the honest baseline: {extra}"
    assert sum(r.points for r in results.values()) <= sum(r.points for r in baseline.values())
    assert not any("right given your own" in r.feedback for r in results.values())
