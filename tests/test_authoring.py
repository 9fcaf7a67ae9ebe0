"""The authoring API: one import for every suite, the author's mistakes told apart from the
student's, and ``public=`` that follows the suite running a check."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

import grader.authoring as authoring
from grader.authoring import (
    CheckDefinitionError,
    CheckFailure,
    PartialCredit,
    as_numbers,
    as_pair,
    as_tuple,
    check,
    check_gradient,
    compare_gradient,
    expect_close,
    fail,
    finite_difference_hint,
    float_arrays,
    floats,
    for_examples,
)
from grader.course import COURSE_ROOT
from grader.judge.catalog import suite_checks
from grader.judge.runner import run_suites
from grader.judge.visibility import current_suite, running_suite
from grader.sandbox.protocol import Tagged

SUITES = sorted((COURSE_ROOT / "grader" / "hidden").glob("[!_]*.py")) + sorted((COURSE_ROOT / "grader" / "hidden").glob("*/*.py")) + sorted(
    (COURSE_ROOT / "assignments").glob("*/public_checks.py")
)


def grader_imports(path: Path) -> list[str]:
    """Every module of the grader that ``path`` imports, at any depth of its code."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "grader":
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.split(".")[0] == "grader"]
    return found


def test_there_are_suites():
    assert len(SUITES) >= 12, SUITES


@pytest.mark.parametrize("path", SUITES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_suites_import_only_the_authoring_api_from_the_grader(path):
    imported = grader_imports(path)
    assert imported or path.name == "__init__.py", f"{path} does not import grader.authoring"  # a package's: its modules
    assert set(imported) <= {"grader.authoring"}, f"{path} imports {sorted(set(imported) - {'grader.authoring'})}"


def test_every_exported_name_exists_and_functions_are_documented():
    for name in authoring.__all__:
        value = getattr(authoring, name)
        if callable(value):
            assert inspect.getdoc(value), f"{name} has no docstring"


# --- CheckFailure and its hint -----------------------------------------------------------------


def test_a_hint_is_a_field_and_shown_after_the_message():
    failure = CheckFailure("relu(z) returned None", hint="a missing return?")
    assert failure.message == "relu(z) returned None" and failure.hint == "a missing return?"
    assert str(failure) == "relu(z) returned None\nHint: a missing return?"
    assert str(CheckFailure("no hint")) == "no hint"
    replaced = failure.with_hint("something else")
    assert str(replaced) == "relu(z) returned None\nHint: something else"
    assert failure.with_hint(None).hint == "a missing return?"
    with pytest.raises(CheckFailure) as caught:
        fail("wrong", hint="why")
    assert caught.value.hint == "why" and str(caught.value) == "wrong\nHint: why"


def test_expect_close_puts_its_hint_in_the_field():
    with pytest.raises(CheckFailure) as caught:
        expect_close(np.array([2.0, 4.0]), np.array([1.0, 2.0]), what="f(x)", public=True)
    assert caught.value.hint == "yours is about 2 times the right value: an extra factor 2?"
    assert str(caught.value).endswith("\nHint: yours is about 2 times the right value: an extra factor 2?")
    assert "Hint" not in caught.value.message


# --- public= follows the suite -------------------------------------------------------------------


def failure_of(**kwargs) -> str:
    with pytest.raises(CheckFailure) as caught:
        expect_close(np.array([1.5, 2.0]), np.array([1.0, 2.0]), what="f(x)", inputs={"x": [7.0, 8.0]}, **kwargs)
    return str(caught.value)


def test_public_follows_the_suite_and_hides_by_default():
    assert current_suite() is None
    with running_suite("public"):
        assert current_suite() == "public"
        shown = failure_of()
    assert "expected 1.0" in shown and "x=[7.0, 8.0]" in shown
    with running_suite("hidden"):
        hidden = failure_of()
    assert "hidden test" in hidden and "expected" not in hidden and "7.0" not in hidden
    assert failure_of() == hidden  # outside any suite: never shows anything
    assert current_suite() is None


def test_public_true_is_refused_in_a_hidden_suite_everywhere():
    with running_suite("hidden"):
        with pytest.raises(CheckDefinitionError, match="hidden suite"):
            failure_of(public=True)
        with pytest.raises(CheckDefinitionError, match="hidden suite"):
            compare_gradient([1.0], [1.0], name="g", value_scale=1.0, public=True)
        with pytest.raises(CheckDefinitionError, match="hidden suite"):
            check_gradient(lambda x: float(x @ x), [2.0], [1.0], name="g", public=True)
        with pytest.raises(CheckDefinitionError, match="at="):
            compare_gradient([1.0], [1.0], name="g", value_scale=1.0)  # hidden: needs at=
        assert "hidden test" in failure_of(public=False)
    with running_suite("public"):
        assert "hidden test" in failure_of(public=False)  # a public check may hide too


def write_suite(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.py"
    path.write_text("import numpy as np\nfrom grader.authoring import check, expect_close\n\n" + body)
    return path


SUITE_BODY = '''
@check(points=1)
def test_{name}_default(student):
    "compares with the suite's visibility"
    expect_close(np.array([1.5]), np.array([1.0]), what="f(x)", inputs={{"x": [7.0]}})


@check(points=1)
def test_{name}_says_public(student):
    "asks to show everything"
    expect_close(np.array([1.5]), np.array([1.0]), what="f(x)", inputs={{"x": [7.0]}}, public=True)
'''


def test_the_plugin_runs_each_check_as_part_of_its_suite(tmp_path):
    public = write_suite(tmp_path / "toy_public", "public_checks", SUITE_BODY.format(name="pub"))
    hidden = write_suite(tmp_path / "toy_hidden", "toy_hidden", SUITE_BODY.format(name="hid"))
    assignment = SimpleNamespace(name="toy", public_suite=public, hidden_suite=hidden)
    specs = suite_checks(assignment, hidden=True)
    student = SimpleNamespace(begin_check=lambda **kwargs: None)
    results = run_suites(assignment, student, specs, hidden=True).results
    assert "expected 1.0" in results["pub_default"].feedback
    assert "expected 1.0" in results["pub_says_public"].feedback
    assert results["hid_default"].status == "failed"
    assert "hidden test" in results["hid_default"].feedback and "7.0" not in results["hid_default"].feedback
    said_public = results["hid_says_public"]
    assert said_public.status == "error" and "7.0" not in said_public.feedback and said_public.points == 0


# --- reading results ------------------------------------------------------------------------------


def test_as_tuple_gives_the_items_or_says_what_came_back():
    assert as_tuple([1.0, [2.0]], what="f(x)", names=("loss", "grad")) == (1.0, [2.0])
    assert as_tuple((1.0, 2.0, 3.0), what="f(x)", names=("a", "b", "c")) == (1.0, 2.0, 3.0)
    for value, shown in [(None, "None"), (1.0, "a float"), ([1.0], "1 value"), ({"a": 1}, "a dict")]:
        with pytest.raises(CheckFailure, match=f"f\\(x\\) on a hidden test returned {shown}: return the tuple \\(loss, grad\\)"):
            as_tuple(value, what="f(x)", names=("loss", "grad"), where=" on a hidden test")
    with pytest.raises(CheckDefinitionError):
        as_tuple([], what="f(x)", names=())


def test_as_pair_reads_a_vector_and_a_number():
    w, b = as_pair([[1, 2], np.float32(0.5)], what="fit(X, y)", size=2)
    assert w.dtype == np.float64 and w.tolist() == [1.0, 2.0] and b == 0.5
    with pytest.raises(CheckFailure, match="the w of fit\\(X, y\\) returned shape"):
        as_pair([[1, 2, 3], 0.5], what="fit(X, y)", size=2)


def test_as_numbers_refuses_what_the_child_built():
    assert as_numbers([[1, 2]], what="g(x)").tolist() == [[1.0, 2.0]]
    with pytest.raises(CheckFailure, match="returned a fn record, not numbers: return a numpy array"):
        as_numbers(Tagged("fn", {}), what="g(x)")
    with pytest.raises(CheckFailure, match="an object of your class Sneaky"):
        as_numbers(Tagged("handle", {"id": 1, "type": "Sneaky"}), what="g(x)")


def test_finite_difference_hint_names_one_sided_differences():
    def f(x):
        return float(np.sum(x**3))

    x, h = np.array([1.0, -2.0]), 1e-5
    forward = np.array([(f(x + h * e) - f(x)) / h for e in np.eye(2)])
    backward = np.array([(f(x) - f(x - h * e)) / h for e in np.eye(2)])
    assert "forward differences" in finite_difference_hint(forward, f, x, h=h)
    assert "backward differences" in finite_difference_hint(backward, f, x, h=h)
    assert finite_difference_hint(3 * x**2, f, x, h=h) is None
    with pytest.raises(CheckDefinitionError):
        finite_difference_hint(forward, "f", x, h=h)


# --- the author's mistakes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "mistake",
    [
        lambda: check(points=0),
        lambda: check(points=1, timeout=-1),
        lambda: check(points=1)(lambda student: None),
        lambda: PartialCredit(1.5, "too much"),
        lambda: for_examples(),
        lambda: for_examples(z=floats(), examples=[{"x": 1.0}]),
        lambda: float_arrays(min_dims=3, max_dims=2),
        lambda: expect_close(1.0, 1.0, what=""),
        lambda: expect_close(1.0, 1.0, what="f(x)", rtol=-1),
        lambda: expect_close(1.0, 1.0, what="f(x)", public="yes"),
        lambda: authoring.as_array([1.0], what="f(x)", shape=[1]),
        lambda: authoring.assignment_file("mlp", "no_such_file.csv"),
        lambda: authoring.Family("no_such_family"),
    ],
)
def test_the_authors_mistakes_raise_check_definition_error(mistake):
    with pytest.raises(CheckDefinitionError):
        mistake()


# --- documentation ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [n for n in authoring.__all__ if inspect.isfunction(getattr(authoring, n))])
def test_every_function_documents_what_it_returns_and_raises_with_an_example(name):
    doc = inspect.getdoc(getattr(authoring, name))
    for part in ("return", "raise", ">>>"):
        assert part in doc.lower(), f"the docstring of {name} does not say {part!r}"


def test_the_examples_in_the_docstrings_run():
    """The examples of the authoring API (but those that need a student) are doctests."""
    import doctest

    modules = {inspect.getmodule(getattr(authoring, name)) for name in authoring.__all__}
    modules.discard(None)
    attempted = 0
    for module in sorted(modules, key=lambda m: m.__name__):
        if not module.__name__.startswith("grader.judge"):
            continue
        globs = {**vars(module), **vars(authoring), "np": np}
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE, globs=globs, report=False)
        assert result.failed == 0, f"{result.failed} failing examples in {module.__name__}"
        attempted += result.attempted
    assert attempted >= 30


HIDDEN_SUITES = [p for p in SUITES if p.parent.name == "hidden"]


@pytest.mark.parametrize("path", HIDDEN_SUITES, ids=lambda p: p.name)
def test_no_hidden_suite_asks_to_show_its_values(path):
    """Refused at run time anyway; this says which line, before any grading."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.keyword) and node.arg == "public":
            assert not (isinstance(node.value, ast.Constant) and node.value.value is True), (
                f"{path.name}:{node.lineno}: public=True in a hidden suite"
            )
