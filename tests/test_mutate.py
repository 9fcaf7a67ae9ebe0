"""`grader mutate`: the mutation operators, equivalence by the checks' answers, the scores."""

from __future__ import annotations

import ast
import contextlib

import numpy as np
import pytest

from grader.cli import main
from grader.course import find_assignment
from grader.mutate.operators import OPERATORS, mutants, normalized
from grader.mutate.report import render
from grader.mutate.run import run_mutants
from grader.mutate.trace import same

SOURCE = '''"""A module."""
import numpy as np


def softmax(z, axis=-1):
    """Docstrings are not mutated."""
    z = np.asarray(z, dtype=float)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


class Layer:
    def step(self, W, dW, lr=0.1):
        W = W - lr * dW.T
        return W @ dW

    def seed(self):
        return 12345  # pragma: no mutate

    def clip(self, x):
        return -np.maximum(x, 0.0) if x is not None else x
'''


def afters(operator: str) -> list[str]:
    return [m.after.strip() for m in mutants(SOURCE, [operator])]


def test_keepdims_and_axis_are_left_out():
    assert "shifted = z - np.max(z, keepdims=True)" in afters("keyword")
    assert "return e / np.sum(e, axis=axis)" in afters("keyword")
    assert "z = np.asarray(z)" in afters("keyword")


def test_operators_flip_arithmetic_swap_operands_and_change_constants():
    assert "shifted = z + np.max(z, axis=axis, keepdims=True)" in afters("arith")
    assert "return W * dW" in afters("arith")
    assert "return dW @ W" in afters("operands")
    assert "W = W - (0.1 * dW).T" not in afters("operands")
    assert "def step(self, W, dW, lr=0.1):" not in [m.after for m in mutants(SOURCE)]  # defaults are not in a body
    assert "shifted = z - np.max(z, axis=axis, keepdims=False)" in afters("constant")


def test_numpy_mistakes_conversion_transpose_inplace_returned_argument():
    assert "z = z" in afters("conversion")
    assert "W = W - lr * dW" in afters("conversion")  # the transpose forgotten
    assert "W -= lr * dW.T" in afters("inplace")
    assert "return z" in afters("return")
    assert "return W" in afters("return")  # the first argument after self


def test_tiny_constants_become_zero_and_one_becomes_zero():
    source = "def f(x):\n    return x + 1e-12 + 1\n"
    assert {m.after for m in mutants(source, ["constant"])} == {
        "    return x + 0.0 + 1",
        "    return x + 1e-12 + 2",
        "    return x + 1e-12 + 0",
    }


def test_parentheses_are_added_where_the_replacement_needs_them():
    [mutant] = [m for m in mutants("def f(a, b):\n    return a / b**2\n", ["arith"]) if "*" in m.after and "**" not in m.after]
    assert mutant.after == "    return a / (b * 2)"
    tree = ast.parse(mutant.source)
    assert isinstance(tree.body[0].body[0].value.right, ast.BinOp)


def test_every_mutant_is_valid_python_changes_one_line_and_keeps_docstrings_pragmas_and_module_code():
    found = mutants(SOURCE)
    assert {m.operator for m in found} == set(OPERATORS)
    for mutant in found:
        ast.parse(mutant.source)
        changed = [i for i, (a, b) in enumerate(zip(SOURCE.splitlines(), mutant.source.splitlines())) if a != b]
        assert changed == [mutant.line - 1]
        assert "12346" not in mutant.source and '"""Docstrings are not mutated."""' in mutant.source
    assert len({normalized(m.source) for m in found}) == len(found)  # no duplicates
    assert all(normalized(m.source) != normalized(SOURCE) for m in found)


def test_same_answers_to_twelve_digits_and_same_types():
    a = np.array([0.5, 1.0])
    assert same([("f", "returned", a)], [("f", "returned", a * (1 + 1e-14))])
    assert not same([("f", "returned", a)], [("f", "returned", a * (1 + 1e-9))])
    assert not same(a, a.astype(np.float32))
    assert not same(a, a.reshape(2, 1))
    assert not same(1.0, 1)
    assert same(np.array(0.5), 0.5) and not same(np.array(0.5), np.array([0.5]))
    assert same(float("nan"), float("nan"))


def test_mutants_are_graded_by_the_checks_and_equivalents_listed_apart(sandbox):
    """A few operators on 01: the sign flip of sigmoid is killed by the checks of sigmoid; a
    forgotten np.asarray before np.tanh changes no answer and is listed as equivalent."""
    activations = find_assignment("activations")
    run = run_mutants(activations, lambda worker: contextlib.nullcontext(sandbox), operators=["sign", "conversion"], functions=["sigmoid", "tanh"])
    by_after = {m.after.strip(): n for n, m in enumerate(run.mutants, 1)}
    flipped = [n for n, m in enumerate(run.mutants, 1) if m.function == "sigmoid" and m.operator == "sign"]
    assert flipped and run.killed(flipped[0])
    assert "sigmoid_values" in run.outcomes[flipped[0]].failed
    tanh_unconverted = [n for n, m in enumerate(run.mutants, 1) if m.function == "tanh" and m.after.strip() == "z = z"]
    assert tanh_unconverted[0] in run.equivalent
    assert run.deterministic
    assert run.counted == len(run.mutants) - len(run.equivalent)
    assert run.score == (run.counted - len(run.survivors)) / run.counted
    text = render(run)
    assert f"mutation score of activations: {run.counted - len(run.survivors)} of {run.counted}" in text
    assert "probably equivalent" in text and "line 39 (tanh, conversion)" in text
    assert by_after  # the mutants have readable diff lines


def test_the_command_exits_1_below_min_score(capsys):
    assert main(["mutate", "activations", "--operator", "sign", "--function", "sigmoid", "--jobs", "1", "--min-score", "0.5"]) == 0
    out = capsys.readouterr().out
    assert "mutation score of activations: 1 of 1 non-equivalent mutants killed = 1.000" in out
    assert "sigmoid_values (public)" in out
    assert main(["mutate", "01", "--operator", "nonsense"]) == 2
    assert "no mutation operator nonsense" in capsys.readouterr().err
    assert main(["mutate", "01", "--function", "cosh"]) == 2
    assert "no mutants of cosh in solutions/activations/activations.py; its functions: elu, leaky_relu" in capsys.readouterr().err


@pytest.mark.slow
def test_workers_grade_the_mutants_in_parallel_with_the_same_verdicts(sandbox, capsys):
    gradient_descent = find_assignment("gradient_descent")
    alone = run_mutants(gradient_descent, lambda worker: contextlib.nullcontext(sandbox))
    assert main(["mutate", "gradient_descent", "--jobs", "2", "--min-score", "0.9"]) == 0
    out = capsys.readouterr().out
    assert f"{len(alone.mutants)} mutants of solutions/gradient_descent/gradient_descent.py" in out
    assert f"= {alone.score:.3f}" in out
    assert alone.score >= 0.9
