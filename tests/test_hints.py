"""The hint each typical bug gets: a table with a row for every mutant of every assignment.

A row names the text the feedback must hold (the hint, or for bugs of form the sentence that
says what is wrong) and the checks that must show it: the same bug gets the same words in a
public and a hidden check. Hints follow from the numbers (see the README, "What feedback
shows"): "a missing factor 2" for mse_grad without its 2, the default eps for leaky_relu
ignoring eps, step(0) for a step with z > 0, "log(0)" for bce_loss without clipping.
"""

from __future__ import annotations

import pytest
from conftest import ALL_MUTANTS, by_id

FACTOR_2_EXTRA = "yours is about 2 times the right value: an extra factor 2?"
FACTOR_2_MISSING = "yours is about 1/2 of the right value: a missing factor 2?"
MISSING_1_N = "yours is about n times the right value (n, the batch size): a missing 1/n?"
EXTRA_1_N = "yours is about 1/n of the right value (n, the batch size): an extra 1/n?"
STEP_STRICT = "step(0) must be 1.0: the threshold is z >= 0, not z > 0"

# mutant -> (the text its feedback must hold, the checks that must show it)
HINTS = {
    "activations/elu_ignores_alpha": ("yours is what the default alpha=1.0 gives: use the alpha argument",
                                      {"elu_values", "elu_matches_reference"}),
    "activations/elu_overflow": ("an overflow? (e.g. exp of a large number)", {"elu_matches_reference"}),
    "activations/leaky_grad_zero": ("yours is 0 where the right value is not",
                                    {"leaky_relu_values", "leaky_relu_grad_matches_reference", "accepts_lists_and_scalars"}),
    "activations/leaky_ignores_eps": ("yours is what the default eps=0.01 gives: use the eps argument",
                                      {"leaky_relu_values", "leaky_relu_matches_reference"}),
    "activations/naive_sigmoid": ("exp(-z) overflows for large negative z", {"sigmoid_stable"}),
    "activations/relu_grad_sign": ("yours is 1 for z < 0 and 0 for z > 0: the other way round",
                                   {"relu_values", "relu_grad_matches_reference", "accepts_lists_and_scalars"}),
    "activations/relu_wrong_grad_right": ("wrong only where the input is negative", {"relu_values", "relu_matches_reference"}),
    "activations/elu_float32": ("the dtype is the cause", {"elu_finite"}),
    "activations/elu_where_warns": ("np.where evaluates both branches", {"elu_finite"}),
    "activations/step_returns_bool": ("return the floats 0.0 and 1.0", {"step_values"}),
    "activations/relu_inplace": ("changed its argument z in place", {"arguments_not_modified"}),
    "activations/relu_max_along_axis": ("collapsed by a reduction (np.max, np.sum, ...)",
                                        {"relu_values", "relu_matches_reference"}),
    "activations/sigmoid_grad_missing_factor": (FACTOR_2_EXTRA, {"sigmoid_grad_values", "sigmoid_grad_is_derivative",
                                                                 "sigmoid_grad_matches_reference"}),
    "activations/sigmoid_grad_takes_output": ("yours is z * (1 - z): sigmoid_grad gets z, not sigmoid(z)",
                                              {"sigmoid_grad_values", "sigmoid_grad_matches_reference"}),
    "activations/sigmoid_returns_list_of_wrong_shape": ("a missing dimension?", {"sigmoid_matches_reference"}),
    "activations/sigmoid_sign_flipped": ("yours is 1 / (1 + exp(z)) = sigmoid(-z): the sign of the exponent is flipped",
                                         {"sigmoid_values", "sigmoid_stable", "sigmoid_matches_reference"}),
    "activations/softmax_global_sum": ("yours sums to 1 over the whole array: sum along the axis only (keepdims=True)",
                                       {"softmax_values", "softmax_stable", "softmax_matches_reference"}),
    "activations/softmax_no_keepdims": ("softmax raised ValueError", {"softmax_values", "softmax_matches_reference"}),
    "activations/softmax_no_shift": ("exp(1000) overflows to inf: subtract the maximum along the axis first",
                                     {"softmax_stable", "softmax_stable_everywhere"}),
    "activations/softmax_wrong_axis": ("yours sums to 1 along another axis: normalize along the axis argument",
                                       {"softmax_values", "softmax_stable", "softmax_matches_reference",
                                        "softmax_stable_everywhere"}),
    "activations/step_strict": (STEP_STRICT, {"step_values", "step_matches_reference", "accepts_lists_and_scalars"}),
    "activations/tanh_from_exponentials": ("yours has nan where the right value is finite",
                                           {"tanh_matches_reference", "tanh_grad_matches_reference"}),
    "activations/tanh_grad_sigmoid_formula": ("the derivative of tanh is 1 - tanh(z)**2",
                                              {"tanh_values", "tanh_grad_matches_reference"}),
    "activations/tanh_grad_wrong": ("yours is 1 - tanh(z): the square is missing", {"tanh_values", "tanh_grad_matches_reference"}),
    "perceptron/fit_ignores_epochs": ("yours is what the default epochs=100 gives: use the epochs argument",
                                      {"fit_one_epoch", "fit_lr_and_epochs"}),
    "perceptron/fit_ignores_lr": ("yours is what lr=1.0 gives: use the lr argument", {"fit_or_gate_lr", "fit_lr_and_epochs"}),
    "perceptron/fit_no_bias_update": ("your b is never updated", {"fit_and_gate", "fit_matches_reference"}),
    "perceptron/fit_scales_X_in_place": ("changed its argument X in place", {"arguments_not_modified"}),
    "perceptron/fit_shuffles": (FACTOR_2_MISSING, {"fit_and_gate", "fit_matches_reference"}),
    "perceptron/fit_sigmoid_yhat": ("Rosenblatt's rule uses y_hat = step(x @ w + b)", {"fit_and_gate", "fit_matches_reference"}),
    "perceptron/neuron_ignores_activation": ("yours is the sigmoid whatever activation says: use the activation argument",
                                             {"neuron_lecture_example", "neuron_matches_reference"}),
    "perceptron/neuron_one_sample_shape": ("expected a single number: an extra dimension? (.item() gives the number)",
                                           {"neuron_lecture_example", "neuron_matches_reference"}),
    "perceptron/no_bias": ("yours is g(x @ w), without b: z = x @ w + b",
                           {"neuron_lecture_example", "predict_values", "neuron_matches_reference", "predict_matches_reference"}),
    "perceptron/strict_step": (STEP_STRICT, {"predict_values", "step_at_zero", "predict_matches_reference"}),
    "gradient_descent/gd_ascent": ("your iterates go uphill", {"lecture_alpha_0_25", "descent_quadratic_matches_reference"}),
    "gradient_descent/gd_keeps_int_dtype": ("did they keep the integer dtype of x0?", {"descent_accepts_lists_and_numbers"}),
    "gradient_descent/gd_modifies_x0": ("changed its argument x0 in place", {"descent_leaves_x0_unchanged"}),
    "gradient_descent/gd_off_by_one": ("one row too many", {"lecture_alpha_0_25", "descent_quadratic_matches_reference"}),
    "gradient_descent/gd_rounds_iterates": ("your iterates look rounded to 4 decimals",
                                            {"lecture_alpha_0_25", "iterates_not_rounded"}),
    "gradient_descent/gd_same_array_every_row": ("all your rows are equal", {"lecture_alpha_0_25", "descent_quadratic_matches_reference"}),
    "gradient_descent/gd_without_x0": ("one row short", {"lecture_alpha_0_25", "descent_quadratic_matches_reference"}),
    "gradient_descent/ng_divides_by_h": (FACTOR_2_EXTRA, {"numerical_gradient_quadratic", "numerical_gradient_matches_analytic"}),
    "gradient_descent/ng_forward_differences": ("your values are forward differences",
                                                {"numerical_gradient_quadratic", "numerical_gradient_matches_analytic"}),
    "gradient_descent/ng_ignores_h": ("use the h you are given", {"numerical_gradient_uses_h"}),
    "gradient_descent/ng_int_input": ("for integer x, the shifted points must still be floats",
                                      {"numerical_gradient_accepts_lists_and_numbers"}),
    "gradient_descent/ng_mutates_x": ("changed its argument x in place", {"numerical_gradient_leaves_x_unchanged"}),
    "gradient_descent/ng_restores_plus_minus_h": ("changed its argument x in place", {"numerical_gradient_leaves_x_unchanged"}),
    "gradient_descent/ng_restores_with_rounding": ("changed its argument x in place", {"numerical_gradient_leaves_x_unchanged"}),
    "gradient_descent/ng_vectors_only": ("one partial derivative per entry",
                                         {"numerical_gradient_sum_sin", "numerical_gradient_uses_h"}),
    "logistic_regression/bce_clip_in_place": ("changed its argument y_hat in place", {"arguments_not_modified"}),
    "logistic_regression/bce_db_sum": (MISSING_1_N, {"bce_grad_values", "bce_grad_matches_reference"}),
    "logistic_regression/bce_grad_no_mean": (MISSING_1_N, {"bce_grad_values", "bce_grad_is_gradient",
                                                            "bce_grad_matches_reference", "bce_grad_matches_numerical"}),
    "logistic_regression/bce_grad_wrong_sign": ("the sign is flipped", {"bce_grad_values", "bce_grad_matches_reference"}),
    "logistic_regression/bce_loss_sum": (MISSING_1_N, {"bce_loss_values", "bce_loss_matches_reference"}),
    "logistic_regression/bce_no_clip": ("log(0) is -inf: clip y_hat to [1e-12, 1 - 1e-12] before the log",
                                        {"bce_loss_finite_at_0_and_1", "bce_loss_matches_reference", "accepts_lists"}),
    "logistic_regression/db_shape_1": ("expected a single number: an extra dimension? (.item() gives the number)",
                                       {"bce_grad_values", "bce_grad_matches_reference"}),
    "logistic_regression/fit_ignores_epochs": ("yours is what the default epochs=1000 gives: use the epochs argument",
                                               {"fit_logistic_small", "fit_logistic_matches_reference"}),
    "logistic_regression/fit_no_b_update": ("your b is never updated", {"fit_logistic_small", "fit_logistic_matches_reference"}),
    "logistic_regression/fit_stochastic": ("yours takes a step per sample", {"fit_logistic_small", "fit_logistic_matches_reference"}),
    "logistic_regression/mse_grad_no_2": (FACTOR_2_MISSING, {"mse_grad_values", "mse_grad_is_gradient",
                                                             "mse_grad_matches_reference", "mse_grad_matches_numerical"}),
    "logistic_regression/mse_grad_no_mean": (MISSING_1_N, {"mse_grad_values", "mse_grad_matches_reference"}),
    "logistic_regression/mse_loss_no_square": ("the mean absolute error: square the differences",
                                               {"mse_loss_values", "mse_loss_matches_reference"}),
    "logistic_regression/naive_sigmoid": ("exp(-z) overflows for large negative z", {"predict_proba_stable"}),
    "logistic_regression/predict_proba_no_bias": ("yours is sigmoid(X @ w), without b",
                                                  {"predict_proba_values", "predict_proba_matches_reference"}),
    "dense/b_db_keepdims": ("an extra dimension?", {"init_shapes"}),
    "dense/backward_modifies_dout": ("changed its argument dout in place", {"arguments_not_modified"}),
    "dense/class_level_cache": ("keep what backward needs on self", {"state_per_layer_and_last_forward"}),
    "dense/dW_transposed": ("dW = X.T @ dz, not dz.T @ X", {"init_shapes", "backward_linear", "gradients_linear"}),
    "dense/db_mean": (EXTRA_1_N, {"backward_linear", "backward_matches_reference", "gradients_linear"}),
    "dense/forward_no_bias": ("yours is g(X @ W), without b", {"forward_linear", "forward_matches_reference"}),
    "dense/global_seed": ("use the seed argument", {"init_seeded"}),
    "dense/no_activation_derivative": ("yours leaves out g'(z)", {"backward_sigmoid", "backward_matches_reference",
                                                                  "gradients_sigmoid"}),
    "dense/relu_grad_wrong_side": ("yours takes relu's derivative as 1 where z < 0 and 0 where z > 0",
                                   {"backward_relu", "backward_matches_reference", "gradients_relu"}),
    "dense/zero_init": ("at random", {"init_shapes", "init_seeded"}),
    "mlp/activation_after_last": ("Is there an activation after the last layer?", {"forward_matches_reference"}),
    "mlp/clipped_log": ("the log of the softmax (clipped or not) is wrong", {"softmax_cross_entropy_extreme"}),
    "mlp/db_wrong_axis": ("a sum over the wrong axis?", {"gradients_match_reference", "gradients_are_derivatives_of_loss"}),
    "mlp/dlogits_no_mean": (MISSING_1_N, {"softmax_cross_entropy_lecture", "softmax_cross_entropy_matches_reference"}),
    "mlp/gradients_no_mean": (MISSING_1_N, {"gradients_are_derivatives_of_the_loss", "gradients_match_reference"}),
    "mlp/loss_sum": (MISSING_1_N, {"loss_matches_reference"}),
    "mlp/predict_proba_wrong_axis": ("predict_proba(X) of MLP(", {"predict_ints", "predict_matches_reference"}),
    "mlp/fit_global_shuffle": ("rng = np.random.default_rng(seed), created in fit", {"fit_arguments"}),
    "mlp/fit_losses_not_averaged": ("divide the sum by the number of samples", {"fit_returns_epoch_mean_losses"}),
    "mlp/fit_no_update": ("update the parameters", {"fit_lowers_the_loss", "fit_trains"}),
    "mlp/forward_skips_last_layer": ("forward(X) of MLP(", {"forward_shape", "forward_matches_reference"}),
    "mlp/get_params_weights_only": ("[W1, b1, ", {"get_params_shapes", "mlp_structure"}),
    "mlp/gradients_takes_step": ("it must only compute the gradients", {"gradients_change_no_parameter"}),
    "mlp/ignores_seed": ("use the seed argument", {"mlp_seeded"}),
    "mlp/naive_cross_entropy": ("subtract each row's maximum", {"softmax_cross_entropy_large_logits",
                                                                "softmax_cross_entropy_stable"}),
    "mlp/predict_returns_floats": ("return integers", {"predict_ints"}),
    "mlp/set_params_forgets_biases": ("set_params", {"set_params_copies"}),
    "mlp/set_params_keeps_references": ("so set_params kep", {"set_params_copies"}),
}


def test_a_right_grad_of_a_wrong_function_passes(graded):
    """relu_grad is judged against the true derivative: the bug in relu costs relu's checks only."""
    mutant = next(m for m in ALL_MUTANTS if m.id == "activations/relu_wrong_grad_right")
    check = by_id(graded(mutant.assignment, mutant.path))["relu_grad_is_derivative"]
    assert check.status == "passed" and check.points == check.max_points


def test_every_mutant_has_a_row():
    assert sorted(HINTS) == sorted(m.id for m in ALL_MUTANTS)


@pytest.mark.parametrize("mutant", [pytest.param(m, id=m.id) for m in ALL_MUTANTS if m.id in HINTS])
def test_the_bug_gets_its_hint(graded, mutant):
    text, checks = HINTS[mutant.id]
    results = by_id(graded(mutant.assignment, mutant.path))
    missing = {check: results[check].feedback for check in checks if text not in results[check].feedback}
    assert missing == {}, f"{mutant.id}: {text!r} is missing from:\n" + "\n".join(f"{c}: {f}" for c, f in missing.items())
    kinds = {results[check].visibility for check in checks}
    failed = {r.visibility for r in results.values() if r.status != "passed"}
    # the same bug, the same words: in a public and a hidden check, wherever it fails both kinds
    assert kinds == failed or mutant.id in ONE_KIND_ONLY, (mutant.id, kinds, failed)


# Bugs whose checks of one kind fail only through another function that uses the buggy one, or
# whose bug only one kind of check can see (a hint in the other would guess).
ONE_KIND_ONLY = {
    "activations/sigmoid_returns_list_of_wrong_shape",  # public: only sigmoid_grad, built on sigmoid, fails
    "perceptron/fit_scales_X_in_place",  # its values differ too (public fit_or_gate_lr: "lr=1.0")
    "mlp/db_wrong_axis",  # public: fit, which uses the gradients, raises; the public shape message has no guess
    "mlp/activation_after_last",  # public: forward's shape and the gradients, through the judge's own network
    "mlp/set_params_forgets_biases",  # public: the gradients at parameters set with set_params
}
