"""Loading submissions: folders, single files, notebooks, and what cannot be loaded."""

from __future__ import annotations

import ast
import hashlib
import os

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grader.course import Assignment, find_assignment
from grader.errors import SubmissionNotFound
from grader.submission import MAX_FILES, MAX_TOTAL_BYTES, load_submission, submission_name

ACTIVATIONS = find_assignment("activations")
MLP = Assignment(6, "mlp", "Iris MLP", "mlp", extra_modules=("dense",))
CODE = b"import numpy as np\n\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n"


def write(path, data: bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def write_notebook(path, *cells):
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(cells=list(cells)), path)
    return path


def module_source(submission, name="activations.py") -> str:
    return submission.files[name].decode("utf-8")


# ------------------------------------------------------------------ folders


def test_folder_with_the_file(tmp_path):
    folder = tmp_path / "alice"
    write(folder / "activations.py", CODE)
    submission = load_submission(folder, ACTIVATIONS)
    assert submission.problem is None
    assert submission.name == "alice"
    assert submission.path == folder.resolve()
    assert submission.files == {"activations.py": CODE}
    assert submission.sha256 == {"activations.py": hashlib.sha256(CODE).hexdigest()}
    assert submission.notes == ()


def test_folder_copies_helpers_and_ignores_clutter(tmp_path):
    folder = tmp_path / "bob"
    write(folder / "activations.py", b"from helper import k\n")
    write(folder / "helper.py", b"k = 1\n")
    write(folder / "notes.txt", b"hello")
    write(folder / "my notes.py", b"not importable anyway")
    write(folder / ".hidden.py", b"secret = 1\n")
    write(folder / "__pycache__" / "helper.cpython-311.pyc", b"\x00\x01")
    submission = load_submission(folder, ACTIVATIONS)
    assert submission.problem is None
    assert list(submission.files) == ["activations.py", "helper.py"]
    assert set(submission.sha256) == {"activations.py", "helper.py"}


def test_helper_that_is_not_text_is_left_out_with_a_note(tmp_path):
    folder = tmp_path / "bea"
    write(folder / "activations.py", CODE)
    write(folder / "helper.py", b"x = '\xe9'\n")
    submission = load_submission(folder, ACTIVATIONS)
    assert submission.problem is None
    assert submission.files == {"activations.py": CODE}  # every file handed on is UTF-8 text
    assert "helper.py" in submission.sha256
    expected = "left out 'helper.py': helper.py is not valid UTF-8"
    assert any(note.startswith(expected) for note in submission.notes)


def test_folder_with_one_wrongly_named_file_uses_it_with_a_note(tmp_path):
    folder = tmp_path / "carol"
    write(folder / "Activations (1).py", CODE)
    write(folder / "readme.txt", b"hi")
    submission = load_submission(folder, ACTIVATIONS)
    assert submission.problem is None
    assert submission.files == {"activations.py": CODE}
    assert submission.sha256 == {"Activations (1).py": hashlib.sha256(CODE).hexdigest()}
    assert "used 'Activations (1).py' as activations.py" in submission.notes


def test_folder_without_the_file_and_several_candidates_is_a_problem(tmp_path):
    folder = tmp_path / "dave"
    for name in ("act.py", "helper.py", "notes.txt"):
        write(folder / name, b"x = 1\n")
    (folder / "old").mkdir()
    submission = load_submission(folder, ACTIVATIONS)
    assert submission.problem == (
        "no activations.py in the submission (found: act.py, helper.py, notes.txt, old/)"
    )
    assert submission.files == {}


def test_empty_folder_is_a_problem(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    write(folder / ".DS_Store", b"\x00")
    submission = load_submission(folder, ACTIVATIONS)
    assert submission.problem == "the submission folder is empty"
    assert submission.files == {} and submission.sha256 == {}


def test_folder_with_a_single_notebook_uses_it(tmp_path):
    folder = tmp_path / "erin"
    write_notebook(folder / "HW1.ipynb", new_code_cell("def sigmoid(z):\n    return z"))
    submission = load_submission(folder, ACTIVATIONS)
    assert submission.problem is None
    assert "def sigmoid(z):" in module_source(submission)
    assert set(submission.sha256) == {"HW1.ipynb"}
    assert "used 'HW1.ipynb' as activations.py" in submission.notes


def test_extra_module_travels_and_is_not_taken_for_the_main_one(tmp_path):
    folder = tmp_path / "frank"
    write(folder / "mlp.py", b"from dense import Dense\n")
    write(folder / "dense.py", b"class Dense: pass\n")
    submission = load_submission(folder, MLP)
    assert submission.files == {
        "mlp.py": b"from dense import Dense\n",
        "dense.py": b"class Dense: pass\n",
    }

    only_dense = tmp_path / "gina"
    write(only_dense / "dense.py", b"class Dense: pass\n")
    assert load_submission(only_dense, MLP).problem.startswith("no mlp.py in the submission")


def test_symlinks_are_skipped_with_a_note(tmp_path):
    outside = write(tmp_path / "secret.py", b"password = 1\n")
    folder = tmp_path / "hank"
    write(folder / "activations.py", CODE)
    (folder / "helper.py").symlink_to(outside)
    submission = load_submission(folder, ACTIVATIONS)
    assert "helper.py" not in submission.files
    assert submission.files == {"activations.py": CODE}
    assert any("helper.py" in note and "symbolic link" in note for note in submission.notes)


def test_symlinked_main_file_is_not_followed(tmp_path):
    outside = write(tmp_path / "elsewhere.py", CODE)
    folder = tmp_path / "ivan"
    folder.mkdir()
    (folder / "activations.py").symlink_to(outside)
    submission = load_submission(folder, ACTIVATIONS)
    assert submission.problem is not None and "no activations.py" in submission.problem
    assert submission.files == {}


def test_too_large_and_too_many_files_are_refused(tmp_path):
    big = tmp_path / "big"
    write(big / "activations.py", b"#" * (MAX_TOTAL_BYTES + 1))
    assert "MB" in load_submission(big, ACTIVATIONS).problem

    many = tmp_path / "many"
    write(many / "activations.py", CODE)
    for i in range(MAX_FILES):
        write(many / f"h{i:03d}.py", b"x = 1\n")
    problem = load_submission(many, ACTIVATIONS).problem
    assert problem is not None and f"at most {MAX_FILES}" in problem


def test_listing_is_deterministic(tmp_path):
    folder = tmp_path / "jane"
    for name in ("zeta.py", "activations.py", "alpha.py", "mid.py"):
        write(folder / name, name.encode() + b"\n")
    first, second = load_submission(folder, ACTIVATIONS), load_submission(folder, ACTIVATIONS)
    assert first == second
    assert list(first.files) == ["activations.py", "alpha.py", "mid.py", "zeta.py"]
    assert list(first.sha256) == sorted(first.sha256)


# ------------------------------------------------------------- single files


def test_single_py_file_becomes_the_module(tmp_path):
    path = write(tmp_path / "alice_final.py", CODE)
    submission = load_submission(path, ACTIVATIONS)
    assert submission.problem is None
    assert submission.name == "alice_final"
    assert submission.files == {"activations.py": CODE}
    assert submission.sha256 == {"alice_final.py": hashlib.sha256(CODE).hexdigest()}


def test_submission_name_matches_what_loading_says(tmp_path):
    folder = write(tmp_path / "alice" / "activations.py", CODE).parent
    notebook = write_notebook(tmp_path / "erin.ipynb", new_code_cell("x = 1"))
    single = write(tmp_path / "bob.py", CODE)
    for path in (folder, notebook, single):
        assert submission_name(path) == load_submission(path, ACTIVATIONS).name
    assert [submission_name(p) for p in (folder, notebook, single)] == ["alice", "erin", "bob"]


def test_missing_path_raises(tmp_path):
    with pytest.raises(SubmissionNotFound, match="no submission at"):
        load_submission(tmp_path / "nobody", ACTIVATIONS)


def test_missing_path_hints_at_the_file_with_a_suffix(tmp_path):
    write(tmp_path / "alice.py", CODE)
    with pytest.raises(SubmissionNotFound, match="did you mean .*alice.py"):
        load_submission(tmp_path / "alice", ACTIVATIONS)


def test_non_utf8_file_is_a_problem_naming_line_and_byte(tmp_path):
    path = write(tmp_path / "activations.py", b"import numpy\n\nx = '\xe9'\n")
    submission = load_submission(path, ACTIVATIONS)
    assert submission.problem == (
        "activations.py is not valid UTF-8 text (line 3, byte 0xe9): save it as UTF-8"
    )
    assert submission.files == {}
    assert "activations.py" in submission.sha256  # what was handed in is still recorded


def test_utf8_bom_is_fine(tmp_path):
    data = b"\xef\xbb\xbf" + CODE
    submission = load_submission(write(tmp_path / "a.py", data), ACTIVATIONS)
    assert submission.problem is None
    assert submission.files["activations.py"] == data


def test_nul_byte_is_a_problem(tmp_path):
    submission = load_submission(write(tmp_path / "a.py", b"x = 1\x00\n"), ACTIVATIONS)
    assert submission.problem == "a.py contains a NUL byte: is it really a Python file?"


def test_other_file_types_are_a_problem(tmp_path):
    submission = load_submission(write(tmp_path / "alice.zip", b"PK\x03\x04"), ACTIVATIONS)
    assert submission.problem is not None and "unpack it" in submission.problem


def test_syntax_errors_are_not_the_loaders_business(tmp_path):
    submission = load_submission(write(tmp_path / "a.py", b"def f(:\n"), ACTIVATIONS)
    assert submission.problem is None
    assert submission.files["activations.py"] == b"def f(:\n"


# ---------------------------------------------------------------- notebooks


def test_notebook_keeps_definitions_and_drops_demo_code(tmp_path):
    path = write_notebook(
        tmp_path / "alice.ipynb",
        new_markdown_cell("# Activation functions"),
        new_code_cell("%matplotlib inline\nimport numpy as np\nimport matplotlib.pyplot as plt"),
        new_code_cell(
            "# the logistic function\n"
            "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n\n"
            "x = np.linspace(-5, 5, 11)\n"
            "plt.plot(x, sigmoid(x))"
        ),
        new_code_cell("fig, ax = plt.subplots()\nax.plot(x, sigmoid(x))\nplt.show()"),
        new_code_cell("EPS = 1e-12\nclass Layer:\n    def f(self):\n        return EPS"),
        new_code_cell("for z in (-1, 0, 1):\n    print(sigmoid(z))"),
    )
    submission = load_submission(path, ACTIVATIONS)
    assert submission.problem is None
    assert submission.name == "alice"
    source = module_source(submission)
    ast.parse(source)  # what the child gets is valid Python
    code = [line for line in source.splitlines() if not line.lstrip().startswith("#")]

    assert "import numpy as np" in code
    assert "def sigmoid(z):" in code and "# the logistic function" in source
    assert "EPS = 1e-12" in code and "class Layer:" in code  # EPS: Layer.f uses it
    assert "# --- the 2nd cell ---" in source and "# --- the 5th cell ---" in source
    for demo in ("plt.plot", "import matplotlib", "plt.subplots", "plt.show", "print(", "x = np.linspace"):
        assert not any(demo in line for line in code), demo
    assert "# %matplotlib inline" in source  # commented out, not deleted
    assert "the 4th cell" not in source and "the 6th cell" not in source

    assert submission.sha256 == {"alice.ipynb": hashlib.sha256(path.read_bytes()).hexdigest()}
    assert submission.notes[0] == "graded the definitions in alice.ipynb: the 2nd cell, the 3rd cell, the 5th cell"
    assert any(note.startswith("left out demo code of alice.ipynb") and "the 3rd cell, line 5: x = np.linspace(-5, 5, 11); line 6: plt.plot" in note
               for note in submission.notes)
    assert any("matplotlib" in note for note in submission.notes)


def test_notebook_demo_code_does_not_run(tmp_path):
    path = write_notebook(
        tmp_path / "nb.ipynb",
        new_code_cell("import numpy as np\ndef relu(z):\n    return np.maximum(0, z) * RATE"),
        new_code_cell("relu(3)\nraise SystemExit('demo ran')"),
        new_code_cell("value = relu(-2)\ndata = np.loadtxt('iris.csv')"),
        new_code_cell("!pip install numpy\nnp.exp?\nRATE = 1.0"),
    )
    source = module_source(load_submission(path, ACTIVATIONS))
    namespace: dict = {}
    exec(compile(source, "activations.py", "exec"), namespace)  # no demo code: nothing raises
    assert namespace["relu"](-1) == 0
    assert namespace["RATE"] == 1.0
    assert "value" not in namespace and "data" not in namespace


def test_notebook_cell_that_does_not_parse_is_kept_as_it_is(tmp_path):
    path = write_notebook(
        tmp_path / "nb.ipynb",
        new_code_cell("def ok():\n    return 1"),
        new_code_cell("def broken(:\n    return 2"),
    )
    submission = load_submission(path, ACTIVATIONS)
    source = module_source(submission)
    assert "# --- the 2nd cell ---\ndef broken(:\n    return 2" in source
    with pytest.raises(SyntaxError):
        ast.parse(source)
    assert any("the 2nd cell of nb.ipynb does not parse" in note for note in submission.notes)


def test_invalid_notebook_is_a_problem(tmp_path):
    path = write(tmp_path / "bad.ipynb", b'{"cells": [')
    submission = load_submission(path, ACTIVATIONS)
    assert submission.problem is not None
    assert submission.problem.startswith("bad.ipynb is not a valid Jupyter notebook: ")
    assert submission.files == {}
    assert "bad.ipynb" in submission.sha256


@pytest.mark.parametrize(
    "data",
    [b"[]", b'{"a": 1}', b'{"nbformat": 99}', b'{"nbformat": 4}', b"\xff\xfe", b"[" * 100_000],
)
def test_hostile_notebooks_never_raise(tmp_path, data):
    submission = load_submission(write(tmp_path / "x.ipynb", data), ACTIVATIONS)
    assert submission.problem is not None
    assert "not a valid Jupyter notebook" in submission.problem


def test_notebook_is_deterministic(tmp_path):
    path = write_notebook(
        tmp_path / "nb.ipynb",
        new_code_cell("import numpy as np"),
        new_code_cell("def f(x):\n    return x\nf(1)"),
    )
    assert load_submission(path, ACTIVATIONS) == load_submission(path, ACTIVATIONS)


def test_notebook_future_import_is_hoisted(tmp_path):
    path = write_notebook(
        tmp_path / "nb.ipynb",
        new_code_cell("import numpy as np"),
        new_code_cell("from __future__ import annotations\ndef f(x: 'np.ndarray'):\n    return x"),
    )
    source = module_source(load_submission(path, ACTIVATIONS))
    compile(source, "activations.py", "exec")  # a late __future__ import would be a SyntaxError
    first_code = next(row for row in source.splitlines() if row.strip() and not row.startswith("#"))
    assert first_code == "from __future__ import annotations"


def test_uppercase_suffix_and_notebook_paths_keep_their_stem(tmp_path):
    path = write(tmp_path / "Bob.PY", CODE)
    assert load_submission(path, ACTIVATIONS).name == "Bob"
    link = tmp_path / "renamed.py"
    os.symlink(path, link)
    submission = load_submission(link, ACTIVATIONS)
    assert submission.name == "renamed"  # the name the instructor gave
    assert submission.path == path.resolve()
