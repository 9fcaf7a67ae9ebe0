"""The students' copy of the course: public checks that work, nothing that gives answers away."""

from __future__ import annotations

import subprocess
import sys

import pytest

from grader.cli import main
from grader.course import COURSE_ROOT


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("student") / "template"
    assert main(["export-student", str(folder)]) == 0
    return folder


def files(folder):
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def test_the_copy_holds_no_answers(copy):
    held = files(copy)
    assert not [f for f in held if f.startswith(("solutions", "examples", "tests", "benchmarks"))]
    assert [f for f in held if f.startswith("grader/hidden/")] == ["grader/hidden/__init__.py"]
    for name in ("activations", "perceptron", "gradient_descent", "logistic_regression", "dense", "mlp"):
        assert f"assignments/{name}/public_checks.py" in held and f"assignments/{name}/{name}.py" in held
    assert "assignments/mlp/iris.csv" in held and ".github/workflows/student-check.yml" in held
    assert "grader check activations" in (copy / "README.md").read_text()


def run_copy(copy, *args):
    code = f"import sys; sys.path.insert(0, {str(copy)!r}); from grader.cli import main; sys.exit(main({list(args)!r}))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=copy)


def test_students_check_their_work_with_the_copy(copy):
    done = run_copy(copy, "check", "1", str(COURSE_ROOT / "examples" / "activations" / "bob"))
    assert done.returncode == 1
    assert "10 of 13 public checks pass" in done.stdout
    listed = run_copy(copy, "list")
    assert listed.returncode == 0 and "public checks only" in listed.stdout


def test_the_copy_cannot_grade(copy):
    done = run_copy(copy, "grade", "1", str(COURSE_ROOT / "examples" / "activations" / "bob"), "--out", str(copy / "r"))
    assert done.returncode == 2 and "hidden checks of activations are not in this copy" in done.stderr


def test_export_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    (tmp_path / "something").write_text("x")
    assert main(["export-student", str(tmp_path)]) == 2
    assert "not empty" in capsys.readouterr().err
