"""The judge's networks of known parameters: the reference network holding given parameters, the
cases (sizes, activation, data) the checks give the student's network, and reading the
parameters and gradients the student's code returns.
"""

import numpy as np

from grader.authoring import (  # _, ngettext: the sentences this suite composes (grader/i18n_extract.py)
    _,
    as_array,
    fail,
    reference,
)

ref = reference("mlp")


def shown_sizes(sizes):
    """The sizes in a hidden message: they are hidden inputs, so they are not shown."""
    return "sizes"


def shapes_of(sizes):
    shapes = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        shapes += [(fan_in, fan_out), (fan_out,)]
    return shapes


def param_names(sizes):
    return [f"{'W' if i % 2 == 0 else 'b'}{i // 2 + 1}" for i in range(2 * (len(sizes) - 1))]


def random_params(sizes, seed):
    rng = np.random.default_rng(seed)
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        params.append(rng.normal(scale=1.2 / np.sqrt(fan_in), size=(fan_in, fan_out)))
        params.append(rng.normal(scale=0.4, size=fan_out))
    return params


def pre_activations(sizes, activation, params, X):
    """The hidden layers' z = X @ W + b, judge-side (for relu's kinks)."""
    net = reference_net(sizes, activation, params)
    found, out = [], np.asarray(X, dtype=float)
    for layer in net.layers[:-1]:
        found.append(out @ layer.W + layer.b)
        out = layer.forward(out)
    return found


def reference_net(sizes, activation, params):
    net = ref.MLP(sizes, activation)
    net.set_params([p.copy() for p in params])
    return net


class Case:
    """A network of known parameters and a data set for it, away from relu's kinks."""

    def __init__(self, sizes, activation, n, seed, away_from_kinks=False):
        self.sizes, self.activation = tuple(sizes), activation
        rng = np.random.default_rng(seed)
        for attempt in range(1000):
            params = random_params(sizes, seed * 1000 + attempt)
            X = rng.normal(scale=1.5, size=(n, sizes[0]))
            margins = [np.min(np.abs(z)) for z in pre_activations(sizes, activation, params, X)]
            if not away_from_kinks or activation != "relu" or min(margins, default=1.0) > 0.02:
                break
        else:  # pragma: no cover - a judge problem, seen when the suite is written
            raise RuntimeError("no case away from relu's kinks")
        self.params, self.X = params, X
        self.y = np.arange(n) % sizes[-1]  # every class present
        rng.shuffle(self.y)
        self.net = reference_net(sizes, activation, params)

    @property
    def name(self):
        return f"MLP({shown_sizes(self.sizes)}, {self.activation!r})"

    def student_net(self, student):
        """The student's network with this case's parameters, set with set_params."""
        net = student.new("MLP", list(self.sizes), self.activation)
        net.set_params([p.copy() for p in self.params])
        return net


FORWARD_CASES = [
    Case((4, 5, 3), "relu", 7, 1),
    Case((3, 4, 4, 2), "relu", 6, 2),
    Case((3, 4, 4, 2), "tanh", 5, 3),
    Case((2, 6, 3), "sigmoid", 6, 4),
    Case((5, 3), "relu", 4, 5),
    Case((4, 200, 100, 50, 3), "relu", 9, 6),
]


GRADIENT_CASES = [
    Case((4, 5, 3), "relu", 8, 11, away_from_kinks=True),
    Case((3, 4, 4, 2), "relu", 6, 12, away_from_kinks=True),
    Case((3, 4, 4, 2), "tanh", 5, 13),
    Case((2, 3, 3), "sigmoid", 4, 14),
]


def read_params(value, sizes, call):
    """A list of 2L arrays of the right shapes, from the student's ``get_params``/``gradients``."""
    shapes = shapes_of(sizes)
    if not isinstance(value, list):
        shown = "None" if value is None else _("a {type}").format(type=type(value).__name__)
        fail(_("{call} returned {shown}: return a list of arrays, one per parameter").format(call=call, shown=shown))
    if len(value) != len(shapes):
        fail((_("{call} returned fewer arrays than the network has parameters: a W and a b per layer, "
                "[W1, b1, W2, b2, ...] in this order") if len(value) < len(shapes) else
              _("{call} returned more arrays than the network has parameters: a W and a b per layer, "
                "[W1, b1, W2, b2, ...] in this order")).format(call=call))
    found = []
    for i, (v, name, shape) in enumerate(zip(value, param_names(sizes), shapes)):
        what = _("{name} (entry {number} of {call})").format(name=name, number=i, call=call)
        array = as_array(v, what=what)
        if array.shape != shape:
            message = _("{what} has another shape than {name}").format(what=what, name=name)
            if len(shape) == 2 and array.shape == shape[::-1]:
                message += _(": transposed? (a gradient has the shape of its parameter: X.T @ dz)")
            elif len(shape) == 1 and array.size != shape[0]:
                message += _(": a sum over the wrong axis? (the bias gradient sums over the samples, axis=0: "
                             "one entry per unit)")
            fail(message)
        found.append(array)
    return found


def judged(net, sizes, activation, call):
    """The judge's reference network holding the parameters the student's network has now (its
    ``get_params()``): what the student's training produced, measured by the judge's own forward."""
    return reference_net(sizes, activation, read_params(net.get_params(), sizes, call))


def softmax_of(logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def cross_entropy_of(logits, y):
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_p[np.arange(len(y)), y].mean())


def backpropagated(sizes, activation, params, X, dlogits):
    """The parameters' gradients that backpropagating ``dlogits`` through the reference network
    with ``params`` gives (its forward pass at ``X`` first)."""
    net = reference_net(sizes, activation, params)
    net.forward(X)
    grad = np.asarray(dlogits, dtype=float)
    for layer in reversed(net.layers):
        grad = layer.backward(grad)
    return [g.copy() for layer in net.layers for g in (layer.dW, layer.db)]
