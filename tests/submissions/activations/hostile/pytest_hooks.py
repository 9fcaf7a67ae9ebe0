# HOSTILE: registers pytest hooks and plugins (PYTEST_ADDOPTS/PYTEST_PLUGINS in os.environ, a plugin module on sys.path, monkeypatched pytest and grader.judge internals) and returns wrong values from step.
import os
import sys

import numpy as np

MARK = "HOSTILE-MARK-5e1f"
PLUGIN_SOURCE = (
    "# " + MARK + "\n"
    "import pytest\n\n\n"
    "@pytest.hookimpl(tryfirst=True)\n"
    "def pytest_runtest_call(item):\n"
    "    return True\n\n\n"
    "def pytest_report_teststatus(report, config):\n"
    "    return 'passed', '.', 'PASSED'\n"
)

os.environ["PYTEST_ADDOPTS"] = "-p hostile_pytest_plugin --deselect everything -x"
os.environ["PYTEST_PLUGINS"] = "hostile_pytest_plugin"
os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = ""
os.environ["PYTHONPATH"] = os.getcwd()
os.environ["PYTHONSTARTUP"] = os.path.join(os.getcwd(), "hostile_pytest_plugin.py")
try:
    with open("hostile_pytest_plugin.py", "w") as handle:
        handle.write(PLUGIN_SOURCE)
    with open("conftest.py", "w") as handle:
        handle.write(PLUGIN_SOURCE)
except OSError:
    pass

PATCHED = []


def _patch_pytest():
    try:
        import _pytest.reports
        import _pytest.runner
        import pytest
    except Exception:
        return
    pytest.main = lambda *a, **k: 0
    pytest.fail = lambda *a, **k: None
    _pytest.reports.TestReport.passed = property(lambda self: True)
    _pytest.reports.TestReport.failed = property(lambda self: False)
    _pytest.runner.call_and_report = lambda item, when, log=True, **kw: None
    PATCHED.append("pytest")


def _patch_grader():
    try:
        import grader.judge.checks as checks
        import grader.judge.compare as compare
        import grader.judge.plugin as plugin
    except Exception:
        return
    plugin.verdict = lambda exc, spec: ("passed", spec.max_points, "passed")
    compare.expect_close = lambda *a, **k: None
    checks.CheckFailure = type("CheckFailure", (Exception,), {})
    sys.modules["grader.judge.compare"] = compare
    PATCHED.append("grader.judge")


_patch_pytest()
_patch_grader()


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    s = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return s * (1.0 - s)


def tanh(z):
    return np.tanh(np.asarray(z, dtype=float))


def tanh_grad(z):
    return 1.0 - np.tanh(np.asarray(z, dtype=float)) ** 2


def relu(z):
    return np.maximum(np.asarray(z, dtype=float), 0.0)


def relu_grad(z):
    return np.heaviside(np.asarray(z, dtype=float), 0.0)


def leaky_relu(z, eps=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, eps * z)


def leaky_relu_grad(z, eps=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, 1.0, eps)


def elu(z, alpha=1.0):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


def softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    with np.errstate(over="ignore"):
        shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def step(z):
    # Wrong on purpose: if anything this submission did outside its sandbox took effect
    # (a conftest.py, a pytest plugin, a patched judge), these checks would pass anyway.
    return np.zeros_like(np.asarray(z, dtype=float))
