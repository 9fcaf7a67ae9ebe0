"""The assignments as notebooks in the students' copy: valid, reproducible, graded like the stub
when untouched and like the reference once the reference's code is pasted into them."""

from __future__ import annotations

import ast
import shutil

import nbformat
import pytest
from conftest import score

from grader.cli import main
from grader.course import ASSIGNMENTS, COURSE_ROOT
from grader.release_notebook import assignment_notebook, check_cell, is_check_cell, notebook_text
from grader.submission import load_submission


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("notebooks") / "template"
    assert main(["export-student", str(folder)]) == 0
    return folder


def released(copy, assignment):
    return copy / "assignments" / assignment.name / f"{assignment.module}.ipynb"


def reference_pieces(assignment):
    """The reference solution's code: each top-level definition by name, and the rest (imports,
    helpers the stub does not have, constants) as one piece."""
    source = (assignment.solution_dir / assignment.filename).read_text(encoding="utf-8")
    lines, tree = source.splitlines(), ast.parse(source)
    stub = ast.parse((COURSE_ROOT / "assignments" / assignment.name / assignment.filename).read_text(encoding="utf-8"))
    contract = {n.name for n in stub.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    named, rest = {}, []
    for node in tree.body:
        if isinstance(node, ast.Expr) and node is tree.body[0]:
            continue  # the module docstring
        start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        text = "\n".join(lines[start - 1 : node.end_lineno])
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in contract:
            named[node.name] = text
        else:
            rest.append(text)
    return named, "\n\n".join(rest)


def paste_reference(path, assignment):
    """Paste the reference's code into the solution cells of the notebook at ``path``, with nbformat."""
    notebook = nbformat.read(path, as_version=4)
    named, rest = reference_pieces(assignment)
    for cell in notebook.cells:
        if "solution" not in cell.metadata.get("tags", []):
            continue
        defined = [n.name for n in ast.parse(cell.source).body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
        cell.source = named.pop(defined[0]) if defined else rest
    assert not named, f"no solution cell for {sorted(named)}"
    nbformat.write(notebook, path)


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.name)
def test_the_released_notebook_round_trip(copy, tmp_path, graded, assignment):
    untouched = tmp_path / "untouched"
    untouched.mkdir()
    shutil.copy(released(copy, assignment), untouched)
    outcome = graded(assignment, untouched)
    assert score(outcome)[0] == 0, [r.feedback for r in outcome.results if r.points]

    done = tmp_path / "done"
    done.mkdir()
    shutil.copy(released(copy, assignment), done)
    for extra in assignment.extra_modules:  # 06 imports the student's dense.py beside the notebook
        shutil.copy(assignment.solution_dir / f"{extra}.py", done)
    paste_reference(done / f"{assignment.module}.ipynb", assignment)
    outcome = graded(assignment, done)
    points, total = score(outcome)
    assert outcome.status == "graded" and points == total, [r.feedback for r in outcome.results if r.points < r.max_points]
    submission = load_submission(done, assignment)
    assert submission.student_file(assignment.filename) == f"{assignment.module}.ipynb"
    assert not any("check" in n and "cell" in n and "left out" in n for n in submission.notes), submission.notes


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.name)
def test_the_notebook_is_valid_and_the_same_bytes_every_time(copy, tmp_path, assignment):
    data = released(copy, assignment).read_bytes()
    again = tmp_path / "again"
    assert main(["export-student", str(again)]) == 0
    assert released(again, assignment).read_bytes() == data == notebook_text(assignment).encode("utf-8")
    notebook = nbformat.reads(data.decode("utf-8"), as_version=4)
    nbformat.validate(notebook)  # raises nbformat.ValidationError
    assert (notebook.nbformat, notebook.nbformat_minor) == (4, 5)
    assert [c.id for c in notebook.cells] == [c.id for c in assignment_notebook(assignment).cells]
    assert notebook.metadata["nn_course"]["assignment"] == assignment.name
    assert is_check_cell(notebook.cells[-1].source) and notebook.cells[-1].source == check_cell(assignment)
    assert f"grader check {assignment.name}" in notebook.cells[-1].source


def test_a_notebook_from_an_older_release_is_told_so(copy, tmp_path, graded):
    from grader.release import OLDER_COPY, stale_notes

    activations = ASSIGNMENTS[0]
    path = tmp_path / "activations.ipynb"
    shutil.copy(released(copy, activations), path)
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata["nn_course"]["public_checks"] = "0" * 64
    nbformat.write(notebook, path)
    submission = load_submission(path, activations)
    assert submission.release == "0" * 64 and submission.release_in == "activations.ipynb"
    assert stale_notes(activations, submission.release, shown=submission.release_in)[0].startswith(OLDER_COPY)
    assert load_submission(released(copy, activations), activations).release is not None
    assert not stale_notes(activations, load_submission(released(copy, activations), activations).release, shown="x")
