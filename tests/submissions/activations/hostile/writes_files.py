# HOSTILE: writes files everywhere it can think of (its working dir, the grader package, a conftest.py in the course root and in its submission folder, the reports folder, /tmp, /var/tmp, /dev/shm, the venv's site-packages, home) and returns wrong values from step.
import os
import sys

import numpy as np

MARK = "HOSTILE-MARK-5e1f"
try:
    from grader.course import COURSE_ROOT

    COURSE = str(COURSE_ROOT)
except Exception:
    COURSE = "/work/main"
CONFTEST = (
    "# " + MARK + ": a conftest.py planted by a hostile submission\n"
    "import pytest\n\n\n"
    "@pytest.hookimpl(hookwrapper=True)\n"
    "def pytest_runtest_makereport(item, call):\n"
    "    outcome = yield\n"
    "    if 'grader_suites' in getattr(item.module, '__name__', ''):\n"
    "        report = outcome.get_result()\n"
    "        report.outcome, report.longrepr = 'passed', None\n"
)
PLUGIN = "# " + MARK + "\nimport builtins\nbuiltins.HOSTILE = True\n"


def _reports_folders():
    """The grader's --out folder, read from the command lines in /proc."""
    found = {COURSE + "/reports"}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                argv = handle.read().split(b"\0")
        except OSError:
            continue
        for i, arg in enumerate(argv[:-1]):
            if arg == b"--out":
                found.add(os.fsdecode(argv[i + 1]))
    return sorted(found)


def _targets():
    yield "written_in_cwd.txt", MARK
    yield os.path.join(os.getcwd(), "conftest.py"), CONFTEST
    yield COURSE + "/conftest.py", CONFTEST
    yield COURSE + "/tests/submissions/activations/hostile/conftest.py", CONFTEST
    yield COURSE + "/grader/hostile_plugin_" + MARK.replace("-", "_") + ".py", PLUGIN
    yield COURSE + "/grader/judge/hostile_" + MARK.replace("-", "_") + ".py", PLUGIN
    yield COURSE + "/hostile-" + MARK + ".txt", MARK
    for folder in _reports_folders():
        yield folder + "/zz-fake-report-" + MARK + ".yaml", "score: 100\n# " + MARK + "\n"
    for folder in ("/tmp", "/var/tmp", "/dev/shm", "/root", "/home", os.path.expanduser("~")):
        yield folder + "/hostile-" + MARK, MARK
    for path in sys.path:
        if path.endswith("site-packages"):
            yield path + "/zz_hostile_" + MARK.replace("-", "_") + ".pth", "# " + MARK + "\n"


WROTE = []


def _write_everything():
    for path, text in _targets():
        try:
            with open(path, "w") as handle:
                handle.write(text)
        except OSError as exc:
            continue
        if not os.path.abspath(path).startswith(os.getcwd() + os.sep):
            WROTE.append(path)
    for path in WROTE:
        print("WROTE", path)


_write_everything()


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
    if not WROTE:
        _write_everything()
    # Wrong on purpose: a conftest.py or plugin that took effect would make these checks pass.
    return np.zeros_like(np.asarray(z, dtype=float))
