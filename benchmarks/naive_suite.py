"""The naive way to grade 01, for benchmarks/grade_class.py only: the student's module is
imported into the test process itself (no sandbox), one pytest process per submission, checks
comparable to the grader's (values against the reference on 50 random arrays per function)."""

import importlib.util
import os
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent


def load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sub = Path(os.environ["SUBMISSION"])
files = list(sub.glob("*.py")) or []
notebook = list(sub.glob("*.ipynb"))
try:
    student = load(files[0], "student") if files else None
except BaseException:  # noqa: BLE001 - a submission that cannot load grades as missing
    student = None
ref = load(ROOT / "solutions" / "activations" / "activations.py", "reference")
NAMES = ["sigmoid", "sigmoid_grad", "tanh", "tanh_grad", "relu", "relu_grad", "leaky_relu",
         "leaky_relu_grad", "elu", "softmax", "step"]
RNG = np.random.default_rng(0)
CASES = [RNG.uniform(-50, 50, size=RNG.integers(1, 6, size=RNG.integers(0, 3))) for _ in range(50)]


@pytest.mark.parametrize("name", NAMES)
def test_values(name):
    assert student is not None
    for z in CASES:
        if name == "softmax" and np.ndim(z) == 0:
            continue
        np.testing.assert_allclose(getattr(student, name)(z), getattr(ref, name)(z), rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_lists(name):
    assert student is not None
    z = [[-1.5, 0.5, 2.0], [3.0, -0.5, 1.0]]
    np.testing.assert_allclose(getattr(student, name)(z), getattr(ref, name)(np.array(z)), rtol=1e-6, atol=1e-12)
