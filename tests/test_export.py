"""The students' copy of the course: public checks that work, nothing that gives answers away."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import BOB_FAILS, EXAMPLES, count_checks, rubric

from grader.cli import main
from grader.course import ASSIGNMENTS


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
    readme = (copy / "README.md").read_text()
    for a in ASSIGNMENTS:
        assert f"assignments/{a.name}/public_checks.py" in held and f"assignments/{a.name}/{a.filename}" in held
        assert f"grader check {a.name}" in readme and a.title in readme
    assert "assignments/mlp/iris.csv" in held and ".github/workflows/classroom.yml" in held


def run_copy(copy, *args):
    code = f"import sys; sys.path.insert(0, {str(copy)!r}); from grader.cli import main; sys.exit(main({list(args)!r}))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=copy)


def test_students_check_their_work_with_the_copy(copy):
    done = run_copy(copy, "check", "1", str(EXAMPLES / "bob"))
    assert done.returncode == 1
    public = count_checks("activations", "public")
    failed = sum(1 for s in rubric("activations") if s.visibility == "public" and s.id in BOB_FAILS)
    assert f"{public - failed} of {public} public checks pass" in done.stdout
    listed = run_copy(copy, "list")
    assert listed.returncode == 0 and "public checks only" in listed.stdout
    names = run_copy(copy, "list", "--names")
    assert names.returncode == 0 and names.stdout.split() == [a.name for a in ASSIGNMENTS]


def test_the_copy_cannot_grade(copy):
    done = run_copy(copy, "grade", "1", str(EXAMPLES / "bob"), "--out", str(copy / "r"))
    assert done.returncode == 2 and "hidden checks of activations are not in this copy" in done.stderr


def test_export_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    (tmp_path / "something").write_text("x")
    assert main(["export-student", str(tmp_path)]) == 2
    assert "not empty" in capsys.readouterr().err
