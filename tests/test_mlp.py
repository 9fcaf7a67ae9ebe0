"""Assignment 06 (iris MLP): the iris cross-validation (its data, folds, partial credit and
time limit), alternatives with and without the student's own dense.py, and what the feedback
says. The reference, the alternatives, the mutants and the stub are graded for every assignment
in test_assignments.py."""

from __future__ import annotations

import ast
import re

import numpy as np
import pytest
from conftest import SUBMISSIONS, by_id, failed_checks

from grader.course import COURSE_ROOT, find_assignment
from grader.judge.catalog import load_suite
from grader.judge.checks import ATTRIBUTE, CheckInfo, check_info
from grader.judge.compare import format_number

ASSIGNMENT = "mlp"
REFERENCE = COURSE_ROOT / "solutions" / ASSIGNMENT
STUB = COURSE_ROOT / "assignments" / ASSIGNMENT
HERE = SUBMISSIONS / ASSIGNMENT
CORRECT = sorted(p for p in (HERE / "correct").iterdir() if p.is_dir())


def hidden_suite():
    return load_suite(find_assignment(ASSIGNMENT).hidden_suite, "hidden")


def test_reference_iris_feedback_lists_every_fold(graded):
    feedback = by_id(graded(ASSIGNMENT, REFERENCE))["iris_cross_validation"].feedback
    lines = feedback.splitlines()
    assert lines[0].startswith("mean test accuracy 0.9")
    assert [re.fullmatch(r"fold (\d): (0\.\d{3}|1\.000) \((\d+)/30\)", line) is not None for line in lines[1:]] == [True] * 5
    correct = sum(int(re.search(r"\((\d+)/30\)", line).group(1)) for line in lines[1:])
    assert correct >= 135  # a mean of at least 0.9


def test_alternatives_use_dense_or_not():
    with_dense = [p.name for p in CORRECT if (p / "dense.py").exists() and "from dense import" in (p / "mlp.py").read_text()]
    alone = [p.name for p in CORRECT if not (p / "dense.py").exists()]
    assert with_dense and alone


def test_single_self_contained_file_full_marks(grade_path):
    result = grade_path(ASSIGNMENT, HERE / "correct" / "single_file" / "mlp.py", hidden=False)
    assert result.status == "graded" and failed_checks(result) == set()


def test_mlp_alone_that_imports_dense_cannot_be_loaded(grade_path):
    """Handing in mlp.py without the dense.py it imports: the submission does not load."""
    result = grade_path(ASSIGNMENT, HERE / "correct" / "own_dense" / "mlp.py", hidden=False)
    assert result.status == "error"
    assert "no dense.py" in result.reason and "hand in the folder" in result.reason
    assert all(r.status == "error" and "dense" in r.feedback for r in result.results)


def test_iris_partial_credit_below_0_9(graded):
    iris = by_id(graded(ASSIGNMENT, HERE / "mutants" / "activation_after_last"))["iris_cross_validation"]
    accuracy = float(re.match(r"mean test accuracy (\d\.\d+)", iris.feedback).group(1))
    assert 0.5 < accuracy < 0.9
    assert 0 < iris.points < iris.max_points
    assert iris.points == pytest.approx(round(8 * (accuracy - 0.5) / 0.4, 2), abs=0.05)
    untrained = by_id(graded(ASSIGNMENT, HERE / "mutants" / "fit_no_update"))["iris_cross_validation"]
    # a fit that takes no gradient step is stopped before the folds: iris pays only for gradient descent
    assert untrained.points == 0 and "update the parameters" in untrained.feedback


def test_public_gradient_check_names_the_parameter_entry_values_and_hint(graded):
    feedback = {r.id: r.feedback for r in graded(ASSIGNMENT, HERE / "mutants" / "gradients_no_mean").results}
    said = feedback["gradients_are_derivatives_of_the_loss"]
    assert said.startswith("dW1 at X=[[0.5, -1.0, 2.0]") and "entry [0, 0]: yours" in said
    assert "numerical" in said and "a missing 1/n?" in said


def test_public_feedback_shows_the_lecture_example(graded):
    checks = by_id(graded(ASSIGNMENT, HERE / "mutants" / "dlogits_no_mean"))
    feedback = checks["softmax_cross_entropy_lecture"].feedback
    assert "y=[1, 2, 1, 0, 1]" in feedback and "expected 0.14" in feedback and "a missing 1/n?" in feedback
    naive = by_id(graded(ASSIGNMENT, HERE / "mutants" / "naive_cross_entropy"))["softmax_cross_entropy_large_logits"]
    assert "overflow" in naive.feedback


def test_hidden_feedback_hides_expected_values(graded):
    hidden = hidden_suite()
    secrets = []
    for case in hidden.GRADIENT_CASES + hidden.FORWARD_CASES[:2]:
        secrets += [*case.net.forward(case.X).ravel(), case.net.loss(case.X, case.y), *case.X.ravel()]
        for gradient in case.net.gradients(case.X, case.y):
            secrets += list(gradient.ravel())
    secrets = [v for v in secrets if abs(v) > 1e-6]
    for name in ("dlogits_no_mean", "activation_after_last", "db_wrong_axis", "clipped_log"):
        for r in graded(ASSIGNMENT, HERE / "mutants" / name).results:
            if r.visibility != "hidden" or r.status == "passed" or r.id == "iris_cross_validation":
                continue
            assert "numerical" not in r.feedback and not re.search(r"expected -?[0-9]", r.feedback), r.feedback
            assert "X=" not in r.feedback and "logits=" not in r.feedback
            for value in secrets:
                for digits in range(4, 8):
                    assert format_number(value, digits=digits) not in r.feedback, (r.id, r.feedback, value)


def test_iris_data_and_folds_are_the_judges_own():
    hidden = hidden_suite()
    assert hidden.IRIS_CSV.resolve().is_relative_to(COURSE_ROOT)
    assert hidden.IRIS_CSV.read_bytes() == (STUB / "iris.csv").read_bytes()
    X, y = hidden.load_iris()
    assert X.shape == (150, 4) and y.dtype.kind == "i"
    tests = hidden.stratified_folds(y, 5, hidden.IRIS_SEED)
    assert sorted(np.concatenate(tests).tolist()) == list(range(150))
    assert all(np.bincount(y[t]).tolist() == [10, 10, 10] for t in tests)
    again = hidden.stratified_folds(y, 5, hidden.IRIS_SEED)
    assert all(np.array_equal(a, b) for a, b in zip(tests, again))
    for X_train, _, X_test, _ in hidden.IRIS_SPLITS:  # standardized with the training fold only
        assert np.allclose(X_train.mean(axis=0), 0) and np.allclose(X_train.std(axis=0), 1)
        assert not np.allclose(X_test.mean(axis=0), 0)
    assert not any("/work/shared" in path.read_text() for path in find_assignment(ASSIGNMENT).hidden_files)


def test_iris_timeout_says_the_limit_and_suggests_vectorizing(grade_path, monkeypatch):
    """A per-sample loop trains a fold in seconds: with the limit lowered to 1 s it times out."""
    check = hidden_suite().test_iris_cross_validation
    assert check_info(check).timeout == 20.0
    monkeypatch.setattr(check, ATTRIBUTE, CheckInfo(points=8.0, timeout=1.0))
    result = grade_path(ASSIGNMENT, HERE / "slow" / "per_sample_loop")
    iris = by_id(result)["iris_cross_validation"]
    assert iris.status == "timeout" and iris.points == 0
    assert "fold 1" in iris.feedback and "more than 1 s of CPU time" in iris.feedback and "vectorize" in iris.feedback.lower()
    assert by_id(result)["gradients_match_reference"].status == "passed"  # slow, but right


def test_reference_dense_is_the_05_reference():
    assert (REFERENCE / "dense.py").read_bytes() == (COURSE_ROOT / "solutions" / "dense" / "dense.py").read_bytes()


def test_the_shipped_loader_reads_the_shipped_csv():
    import importlib.util

    spec = importlib.util.spec_from_file_location("shipped_iris", STUB / "iris.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    X, y = module.load_iris()
    assert X.shape == (150, 4) and X.dtype == np.float64
    assert y.shape == (150,) and y.dtype.kind == "i" and np.bincount(y).tolist() == [50, 50, 50]
    X2, y2 = hidden_suite().load_iris()
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    imports = [node for node in ast.walk(ast.parse((STUB / "mlp.py").read_text()))
               if isinstance(node, (ast.Import, ast.ImportFrom))]
    assert all("dense" not in ast.dump(node) for node in imports)  # the stub runs without dense.py


def test_fit_is_judged_from_parameters_the_grader_sets(graded):
    """A right minibatch SGD with a small, legal initialization (0.01) passes fit_lowers_the_loss: the
    check starts fit from parameters it sets, so it measures the steps; only iris, which measures the
    whole, fails."""
    result = graded(ASSIGNMENT, HERE / "small_init" / "mlp.py")
    failed = {r.id for r in result.results if r.status != "passed"}
    assert failed == {"iris_cross_validation"}, [(r.id, r.feedback) for r in result.results if r.id in failed]


# The checks an MLP earns with a right forward pass and nothing else: structure, seeding,
# forward, predict, loss, parameters, and the arguments its forward-pass methods leave alone.
FORWARD_PASS_CHECKS = {
    "mlp_structure", "mlp_seeded", "forward_shape", "forward_matches_reference", "get_params_shapes",
    "predict_ints", "predict_matches_reference", "loss_matches_reference", "set_params_takes_lists",
    "set_params_copies", "arguments_not_modified",
}


def test_no_backpropagation_earns_nothing_for_gradients_fit_or_iris(graded):
    """Zero gradients, a loss that stays flat while probed, a fit that memorizes the training set
    (1-nearest neighbour) and returns made-up decreasing losses: the checks of gradients, loss
    and fit judge by the judge's own computation (the parameters get_params gives, through the
    reference network), so only the forward pass is paid."""
    result = graded(ASSIGNMENT, HERE / "no_backprop")
    paid = {r.id: r.points for r in result.results if r.points > 0}
    assert set(paid) <= FORWARD_PASS_CHECKS, sorted(set(paid) - FORWARD_PASS_CHECKS)
    checks = by_id(result)
    for r in result.results:
        if any(word in r.id for word in ("gradient", "fit", "iris", "cross_entropy")):
            assert r.points == 0, (r.id, r.feedback)
    shares = checks["arguments_not_modified"].feedback
    assert "gradients:" in shares and "fit:" in shares and "softmax_cross_entropy:" in shares
    assert "judged once fit trains by gradient descent" in checks["iris_cross_validation"].feedback


def test_the_hidden_suite_is_one_package_kept_whole_and_hidden(tmp_path, monkeypatch):
    """grader/hidden/mlp/ is one suite: its checks in report order from its __init__, every module
    in the rubric and in mlp's Gradescope autograder, none in another assignment's."""
    import zipfile

    from grader.judge.catalog import suite_checks
    from grader.platforms import gradescope
    from grader.rubric import rubric_digest

    mlp = find_assignment(ASSIGNMENT)
    modules = [p.name for p in mlp.hidden_files]
    assert mlp.hidden_suite.name == "__init__.py" and {"networks.py", "slips.py", "fit.py", "iris.py"} <= set(modules)
    specs = suite_checks(mlp, hidden=True)
    hidden = [s.id for s in specs if s.visibility == "hidden"]
    assert hidden[:3] == ["softmax_cross_entropy_matches_reference", "softmax_cross_entropy_stable",
                          "softmax_cross_entropy_extreme"]
    assert hidden[-3:] == ["fit_arguments", "iris_cross_validation", "fit_returns_epoch_mean_losses"]
    assert len(hidden) == len(set(hidden)) == 18
    for name, wanted in (("mlp", {f"grader/hidden/mlp/{m}" for m in modules}), ("dense", set())):
        archive = tmp_path / f"{name}.zip"
        gradescope.build_autograder(name, archive)
        with zipfile.ZipFile(archive) as zipped:
            assert {n for n in zipped.namelist() if n.startswith("grader/hidden/mlp")} == wanted, name
    digest = rubric_digest(mlp, specs)
    without_iris = [p for p in mlp.hidden_files if p.name != "iris.py"]
    monkeypatch.setattr(type(mlp), "hidden_files", property(lambda self: without_iris))
    assert rubric_digest(mlp, specs) != digest  # a module of the package changes the rubric
