"""The students' copy of the course: public checks that work, nothing that gives answers away."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import BOB_FAILS, EXAMPLES, count_checks, max_points, rubric

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
    assert listed.returncode == 0 and "the hidden checks run when the instructor grades" in listed.stdout
    names = run_copy(copy, "list", "--names")
    assert names.returncode == 0 and names.stdout.split() == [a.name for a in ASSIGNMENTS]


def test_the_copy_cannot_grade(copy):
    done = run_copy(copy, "grade", "1", str(EXAMPLES / "bob"), "--out", str(copy / "r"))
    assert done.returncode == 2 and "hidden checks of activations are not in this copy" in done.stderr


def test_export_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    (tmp_path / "something").write_text("x")
    assert main(["export-student", str(tmp_path)]) == 2
    assert "not empty" in capsys.readouterr().err


# ------------------------------------------------------------------ the release's record


def test_the_copy_records_its_release(copy):
    import json

    from grader import __version__
    from grader.release import course_digest, public_digest

    record = json.loads((copy / "grader" / "release.json").read_text())
    assert record["course_version"] == __version__ and record["course_digest"] == course_digest()
    for a in ASSIGNMENTS:
        entry = record["assignments"][a.name]
        assert entry["public_digest"] == public_digest(a)
        assert entry["hidden_checks"] == count_checks(a.name, "hidden") and entry["points"] == max_points(a.name)
        assert entry["hidden_points"] == max_points(a.name, "hidden")


def test_list_in_the_copy_shows_points_and_hidden_checks(copy):
    listed = run_copy(copy, "list")
    assert listed.returncode == 0, listed.stderr
    for a in ASSIGNMENTS:
        line = next(row for row in listed.stdout.splitlines() if f" {a.name} " in row)
        expected = [f"{max_points(a.name):g}", str(count_checks(a.name, "public")), str(count_checks(a.name, "hidden"))]
        assert line.split()[2:6] == [*expected, f"{max_points(a.name, 'hidden'):g}"], line


def test_check_in_the_copy_says_when_its_public_checks_were_edited(copy):
    checks = copy / "assignments" / "activations" / "public_checks.py"
    original = checks.read_bytes()
    try:
        checks.write_bytes(original + b"\n# my own note\n")
        done = run_copy(copy, "check", "1", str(EXAMPLES / "alice"), "-k", "sigmoid_values")
        released = run_copy(copy, "check", "1", "-k", "sigmoid_values")  # the released notebook and stub
    finally:
        checks.write_bytes(original)
    assert "assignments/activations/public_checks.py is not the one released with your copy" in done.stdout, done.stdout
    assert "is not the one released" in released.stdout and "another release" not in released.stdout, released.stdout
    again = run_copy(copy, "check", "1", str(EXAMPLES / "alice"), "-k", "sigmoid_values")
    assert "released" not in again.stdout and again.returncode == 0


def test_a_repository_from_an_older_copy_is_told_so_in_its_report_and_on_gradescope(copy, tmp_path):
    import json
    import shutil

    import yaml

    from grader.release import OLDER_COPY, public_digest
    from grader.report.formats import gradescope_results

    repo = tmp_path / "subs" / "nn-course-ann"
    shutil.copytree(copy / "assignments" / "activations", repo / "assignments" / "activations")
    shutil.copy(EXAMPLES / "alice" / "activations.py", repo / "assignments" / "activations" / "activations.py")
    record = json.loads((copy / "grader" / "release.json").read_text())
    (repo / "grader").mkdir()
    (repo / "grader" / "release.json").write_text(json.dumps(record))
    current = tmp_path / "subs" / "nn-course-ben"
    shutil.copytree(repo, current)
    record["assignments"]["activations"]["public_digest"] = "0" * 64  # the checks have changed since
    (repo / "grader" / "release.json").write_text(json.dumps(record))
    out = tmp_path / "reports"
    assert main(["grade", "1", str(repo), str(current), "--out", str(out), "--jobs", "1", "--quiet"]) == 0
    ann = yaml.safe_load((out / "activations" / "nn-course-ann.yaml").read_text())
    ben = yaml.safe_load((out / "activations" / "nn-course-ben.yaml").read_text())
    assert ann["public_checks"] == ben["public_checks"] == public_digest(ASSIGNMENTS[0])
    assert any(n.startswith(OLDER_COPY) for n in ann["notes"]) and not any(OLDER_COPY in n for n in ben.get("notes", []))
    assert OLDER_COPY in gradescope_results(ann)["output"] and OLDER_COPY not in gradescope_results(ben)["output"]


def test_in_the_copy_the_students_edited_file_beats_the_untouched_notebook(copy):
    """In a students' copy, assignments/ holds the student's work: the stub it is compared with
    is the released one (grader/stubs/)."""
    stub = copy / "assignments" / "activations" / "activations.py"
    original = stub.read_bytes()
    try:
        stub.write_bytes((EXAMPLES / "alice" / "activations.py").read_bytes())
        done = run_copy(copy, "check", "1")
    finally:
        stub.write_bytes(original)
    public = count_checks("activations", "public")
    assert done.returncode == 0 and f"{public} of {public} public checks pass" in done.stdout, done.stdout
    assert "left out 'activations.ipynb': it is the assignment's stub, unchanged (graded 'activations.py')" in done.stdout


# ------------------------------------------------------------------ the students' README and pytest


def test_the_students_readme_says_how_to_set_up_on_every_system(copy):
    readme = (copy / "README.md").read_text()
    for command in ("python3 -m venv .venv", "source .venv/bin/activate", "py -m venv .venv",
                    ".venv\\Scripts\\Activate.ps1", ".venv\\Scripts\\activate.bat", "pip install -e ."):
        assert command in readme, command
    assert "Linux, macOS or Windows" in readme and "activations.ipynb" in readme and "Hand in" in readme


def test_the_readmes_grader_commands_run_in_the_copy(copy):
    readme = (copy / "README.md").read_text()
    commands = [line.split("#")[0].split()[1:] for line in readme.splitlines() if line.startswith("    grader ")]
    assert len(commands) >= 3
    for args in commands:
        done = run_copy(copy, *args)
        assert done.returncode in (0, 1), (args, done.stderr)  # 1: the stub's checks fail
        assert done.stdout and "Traceback" not in done.stderr, (args, done.stderr)


def test_plain_pytest_in_the_copy_runs_the_public_checks(copy):
    stub = copy / "assignments" / "activations" / "activations.py"
    original = stub.read_bytes()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    try:
        stub.write_bytes((EXAMPLES / "bob" / "activations.py").read_bytes())
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs"], capture_output=True, text=True, cwd=copy, env=env)
    finally:
        stub.write_bytes(original)
    public = count_checks("activations", "public")
    failed = [s.id for s in rubric("activations") if s.visibility == "public" and s.id in BOB_FAILS]
    others = sum(count_checks(a.name, "public") for a in ASSIGNMENTS[1:])
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{len(failed)} failed, {public - len(failed)} passed, {others} skipped" in done.stdout, done.stdout
    assert all(f"public_checks.py::{check}" in done.stdout for check in failed), done.stdout
    assert "not started: perceptron.py still raises NotImplementedError" in done.stdout


def test_plain_pytest_in_the_copy_speaks_the_students_language(copy):
    """``GRADER_LANG=uk pytest``: the checks' descriptions, feedback and skips in Ukrainian, as
    ``grader check`` gives them; an unknown language stops pytest with a usage error."""
    stub = copy / "assignments" / "activations" / "activations.py"
    original = stub.read_bytes()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    try:
        stub.write_bytes((EXAMPLES / "bob" / "activations.py").read_bytes())
        args = [sys.executable, "-m", "pytest", "-rs", "-k", "softmax_values or relu_values or neuron"]
        done = subprocess.run(args, capture_output=True, text=True, cwd=copy, env={**env, "GRADER_LANG": "uk"})
        unknown = subprocess.run(args, capture_output=True, text=True, cwd=copy, env={**env, "GRADER_LANG": "xx"})
    finally:
        stub.write_bytes(original)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "відкриті перевірки курсу, запущені в пісочниці грейдера" in done.stdout  # the header
    assert "softmax вектора і кожного рядка матриці\nfailed, бали: 0 / 1: softmax(z) при z=" in done.stdout
    assert "очікувалося" in done.stdout and "py досі викидає NotImplementedError" in done.stdout  # a skip
    assert unknown.returncode == 4 and "GRADER_LANG 'xx'" in unknown.stderr, unknown.stderr
