"""The hidden iris cross-validation: the judge's own folds (seeded, stratified, 5-fold), standardized
with the training folds' statistics, ``MLP()`` trained in the child with fit's defaults, the
accuracy of the parameters it leaves counted here.
"""

import numpy as np

from grader.authoring import (  # _, ngettext: the sentences this suite composes (grader/i18n_extract.py)
    PartialCredit,
    TimeLimitExceeded,
    _,
    assignment_file,
    check,
    check_info,
    ngettext,
)

from .fit import fit_takes_gradient_steps
from .networks import judged

IRIS_CSV = assignment_file("mlp", "iris.csv")  # the project's own copy


IRIS_SEED = 0


IRIS_FOLDS = 5


IRIS_SIZES = (4, 200, 100, 50, 3)  # MLP()'s defaults


IRIS_TIMEOUT = 20.0  # CPU seconds per fold: a vectorized fit takes well under one


def load_iris():
    data = np.loadtxt(IRIS_CSV, delimiter=",", skiprows=1, dtype=float)
    X, y = data[:, :4].copy(), data[:, 4].astype(np.int64)
    if X.shape != (150, 4) or np.bincount(y).tolist() != [50, 50, 50]:
        raise RuntimeError(f"{IRIS_CSV} is not the iris data set")
    return X, y


def stratified_folds(y, k, seed):
    """k test sets: each class's samples shuffled (seeded) and dealt into k equal parts."""
    rng = np.random.default_rng(seed)
    parts = [[] for _part in range(k)]
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        for part, chunk in zip(parts, np.array_split(members, k)):
            part.extend(chunk.tolist())
    return [np.sort(np.array(part)) for part in parts]


def iris_splits():
    """(X_train, y_train, X_test, y_test) per fold, standardized with the training fold's statistics."""
    X, y = load_iris()
    splits = []
    for test in stratified_folds(y, IRIS_FOLDS, IRIS_SEED):
        train = np.setdiff1d(np.arange(len(y)), test)
        mean, std = X[train].mean(axis=0), X[train].std(axis=0)
        splits.append(((X[train] - mean) / std, y[train], (X[test] - mean) / std, y[test]))
    return splits


IRIS_SPLITS = iris_splits()


@check(points=8, timeout=IRIS_TIMEOUT)
def test_iris_cross_validation(student):
    """iris: MLP() trained by fit's defaults on each of 5 stratified folds, its parameters (get_params) classifying the test fold; full marks from a mean test accuracy of 0.9"""  # noqa: E501 - the check's title
    limit = check_info(test_iris_cross_validation).timeout
    fit_takes_gradient_steps(student)
    lines, correct, total = [], 0, 0
    for number, (X_train, y_train, X_test, y_test) in enumerate(IRIS_SPLITS, start=1):
        net = student.new("MLP")
        untrained = judged(net, IRIS_SIZES, "relu", _("get_params() of MLP() on fold {number}").format(
            number=number)).loss(X_train, y_train)
        try:
            net.fit(X_train, y_train)
        except TimeLimitExceeded as exc:
            done = "".join(f"\n{line}" for line in lines)
            if exc.budget != "call" or exc.resource != "cpu":  # the submission's budget, or asleep
                raise TimeLimitExceeded(_("fold {number}: {said}").format(number=number, said=exc) + done,
                                        budget=exc.budget, resource=exc.resource, limit=exc.limit) from None
            raise TimeLimitExceeded(
                _("fold {number}: fit(X_train, y_train) on {samples} samples used more than {limit:g} s of CPU "
                  "time, the limit for training one fold. A vectorized fit (each minibatch as one matrix, "
                  "X_batch @ W, no Python loop over the samples) takes well under a second: vectorize your "
                  "forward, backward and fit.").format(number=number, samples=len(y_train), limit=limit) + done,
                limit=limit,
            ) from None
        trained = judged(net, IRIS_SIZES, "relu", _("get_params() after fit on fold {number}").format(number=number))
        right = int(np.sum(trained.predict(X_test) == y_test))
        # A random network already beats chance: a fold counts only if fit lowered its training loss.
        counted = right if trained.loss(X_train, y_train) < untrained else 0
        correct, total = correct + counted, total + len(y_test)
        lines.append(_("fold {number}: {accuracy:.3f} ({counted}/{size})").format(
            number=number, accuracy=counted / len(y_test), counted=counted, size=len(y_test)) + (
            "" if counted == right else _(": fit did not lower the training loss of the parameters, nothing counted")))
    accuracy = correct / total
    summary = ngettext("mean test accuracy {accuracy:.3f} over {folds} fold (full marks from 0.9)",
                       "mean test accuracy {accuracy:.3f} over {folds} folds (full marks from 0.9)",
                       IRIS_FOLDS).format(accuracy=accuracy, folds=IRIS_FOLDS)
    feedback = "\n".join([summary, *lines])
    if accuracy >= 0.9:
        raise PartialCredit(1.0, feedback)
    fraction = max(0.0, min(1.0, (accuracy - 0.5) / 0.4))
    raise PartialCredit(fraction, feedback + "\n" + _("Hint: {hint}").format(hint=_(
        "check gradients and fit on small data first; a correct network with fit's defaults gets about 0.93.")))
