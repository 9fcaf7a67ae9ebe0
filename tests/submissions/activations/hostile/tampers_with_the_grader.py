# HOSTILE: step looks for what it could change of the grader itself, without changing anything: the grader's own modules (found through sys.modules), the folders of the Python installation and its site-packages (a .pth file runs in every interpreter started later), numpy's files; a module the grader imports after this submission ran, rewritten, would forge its report (Gradescope's results.json); its values are correct.
import os
import sys

import numpy as np

DONE = []


def _grader_folder():
    for name in ("grader.sandbox.child", "grader.sandbox", "grader"):
        module = sys.modules.get(name)
        path = getattr(module, "__file__", None)
        if path:
            folder = os.path.dirname(os.path.abspath(path))
            while os.path.basename(folder) != "grader" and folder != "/":
                folder = os.path.dirname(folder)
            return folder if os.path.basename(folder) == "grader" else None
    return None


def _writable_file(path):
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW)  # no O_TRUNC: nothing changes
    except OSError:
        return False
    os.close(fd)
    return True


def _attack():
    places = []
    grader = _grader_folder()
    if grader and os.path.isdir(grader):
        for folder, _, names in os.walk(grader):
            places.append(folder)
            places += [os.path.join(folder, n) for n in names if n.endswith(".py")]
    places += [p for p in sys.path if p.endswith("site-packages") and os.path.isdir(p)]
    places.append(os.path.dirname(os.__file__))
    places.append(os.path.dirname(np.__file__))
    places.append(os.path.join(os.path.dirname(np.__file__), "__init__.py"))
    print("GRADER package visible:", bool(grader and os.path.isdir(grader)))
    writable = []
    for path in places:
        if os.path.isdir(path) and os.access(path, os.W_OK):
            writable.append(path)
        elif os.path.isfile(path) and _writable_file(path):
            writable.append(path)
    print("CHECKED", len(places), "places")
    for path in writable[:20]:
        print("WRITABLE", path)
    if len(writable) > 20:
        print("WRITABLE and", len(writable) - 20, "more")


def _once():
    if not DONE:
        DONE.append(True)
        try:
            _attack()
        except Exception as exc:  # the attack is the point; failing is fine
            print("attack failed:", type(exc).__name__, exc)


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
    _once()
    return np.heaviside(np.asarray(z, dtype=float), 1.0)
