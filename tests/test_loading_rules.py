"""Loading, situation by situation: which file is graded, which code, and what the student reads.

Most tests stay at the loading level (fast); the few that need a verdict use ``grade_path``.
"""

from __future__ import annotations

import ast
import importlib.util

import nbformat
import pytest
from conftest import count_checks, score
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from grader.course import COURSE_ROOT, find_assignment
from grader.errors import GraderError
from grader.submission import load_submission, refuse_empty_batch
from grader.submission.limited import run_limited
from grader.submission.repository import read_commit

ACTIVATIONS = find_assignment("activations")
MLP = find_assignment("mlp")
REFERENCE = (COURSE_ROOT / "solutions" / "activations" / "activations.py").read_text(encoding="utf-8")
STUB = (COURSE_ROOT / "assignments" / "activations" / "activations.py").read_bytes()


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def notebook(path, *cells):
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(cells=list(cells)), path)
    return path


def code_lines(submission, name="activations.py"):
    return [row for row in submission.files[name].decode().splitlines() if row.strip() and not row.lstrip().startswith("#")]


# ------------------------------------------------------------------ the same rule for .py and notebooks


def test_try_except_import_fallback_is_kept_in_both_formats(tmp_path):
    code = (
        "import numpy as np\n"
        "try:\n    from scipy.special import expit as _expit\n"
        "except ImportError:\n    def _expit(z):\n        return 1 / (1 + np.exp(-z))\n"
        "def sigmoid(z):\n    return _expit(z)\n"
    )
    as_py = load_submission(write(tmp_path / "a.py", code), ACTIVATIONS)
    as_nb = load_submission(notebook(tmp_path / "b.ipynb", new_code_cell(code)), ACTIVATIONS)
    assert as_py.files["activations.py"] == code.encode() and as_py.fallback == {}
    assert "except ImportError:" in code_lines(as_nb) and "    def _expit(z):" in code_lines(as_nb)


def test_if_block_that_defines_names_is_kept(tmp_path):
    code = "import numpy as np\nif hasattr(np, 'exp'):\n    EXP = np.exp\nelse:\n    EXP = None\ndef sigmoid(z):\n    return 1 / (1 + EXP(-z))\n"
    submission = load_submission(notebook(tmp_path / "nb.ipynb", new_code_cell(code)), ACTIVATIONS)
    assert "if hasattr(np, 'exp'):" in code_lines(submission)


def test_demo_code_of_a_py_file_is_its_fallback_line_for_line(tmp_path):
    demo = "\nimport matplotlib.pyplot as plt\nX = np.random.randn(12000, 12000)\nname = input()\nplt.plot(X[0])\nplt.show()\nprint(sigmoid(0))\n"
    submission = load_submission(write(tmp_path / "alice.py", REFERENCE + demo), ACTIVATIONS)
    assert submission.files["activations.py"] == (REFERENCE + demo).encode()  # imported as it is first
    fallback = submission.fallback["activations.py"].decode()
    assert fallback.count("\n") == (REFERENCE + demo).count("\n")  # every line keeps its number
    kept = [row for row in fallback.splitlines() if row.strip() and not row.startswith("#")]
    assert not any(word in line for line in kept for word in ("plt", "randn", "input(", "print("))
    assert (REFERENCE.splitlines()[14]) in fallback  # def sigmoid(z): where it was
    graded_without = submission.without_demo_code()
    assert graded_without.files["activations.py"] == submission.fallback["activations.py"]
    assert any("X = np.random.randn(12000, 12000)" in n and "plt.show()" in n for n in graded_without.notes)


def test_a_function_parameter_does_not_keep_a_demo_array_of_its_name(tmp_path):
    code = "import numpy as np\nX = np.ones((12000, 12000))\ndef relu(X):\n    return np.maximum(X, 0)\n"
    submission = load_submission(notebook(tmp_path / "nb.ipynb", new_code_cell(code)), ACTIVATIONS)
    assert "X = np.ones((12000, 12000))" not in code_lines(submission)


def test_constants_and_contract_names_are_kept(tmp_path):
    code = ("import numpy as np\nEPS = 1e-12\nUNUSED = 3\ndef make(f):\n    return f\n"
            "def _relu(z):\n    return np.maximum(z, EPS * 0)\nrelu = make(_relu)\n")
    lines = code_lines(load_submission(notebook(tmp_path / "nb.ipynb", new_code_cell(code)), ACTIVATIONS))
    assert "EPS = 1e-12" in lines and "relu = make(_relu)" in lines and "UNUSED = 3" not in lines


def test_statements_sharing_a_line_keep_only_their_kept_part(tmp_path):
    cell = "import numpy as np\n" + "a=1;f();" * 32768 + "\nEPS = 1; print(EPS)\ndef relu(z):\n    return z * EPS\n"
    submission = load_submission(notebook(tmp_path / "nb.ipynb", new_code_cell(cell)), ACTIVATIONS)
    assert submission.problem is None  # linear: this cell took minutes when each statement re-split it
    lines = submission.files["activations.py"].decode().splitlines()
    assert "EPS = 1" in lines and not any("print(EPS)" in row and not row.startswith("#") for row in lines)
    ast.parse(submission.files["activations.py"].decode())


def test_the_demo_note_names_a_line_of_several_statements_once(tmp_path):
    demo = "\na = 1; print(a)\nimport matplotlib.pyplot as plt\nplt.plot([1]); plt.show()\n"
    start = REFERENCE.count("\n") + 2
    for submission, where in (
        (load_submission(write(tmp_path / "alice.py", REFERENCE + demo), ACTIVATIONS).without_demo_code(), ""),
        (load_submission(notebook(tmp_path / "nb.ipynb", new_code_cell(REFERENCE + demo)), ACTIVATIONS), "the 1st cell, "),
    ):
        note = next(n for n in submission.notes if "left out demo code" in n)
        shown = note.split("): ", 1)[1]
        assert shown == f"{where}line {start}: a = 1; print(a); line {start + 2}: plt.plot([1]); plt.show()"
        assert shown.count("print(a)") == 1 and shown.count("plt.show()") == 1


def test_the_demo_note_names_a_cell_once_for_its_lines_in_a_row(tmp_path):
    cells = [new_code_cell(REFERENCE), new_code_cell("print(1)\nprint(2)"), new_code_cell("print(3)")]
    submission = load_submission(notebook(tmp_path / "nb.ipynb", *cells), ACTIVATIONS)
    note = next(n for n in submission.notes if "left out demo code" in n)
    assert note.endswith("): the 2nd cell, line 1: print(1); line 2: print(2); the 3rd cell, line 1: print(3)")


def test_the_demo_note_counts_the_lines_it_does_not_show(tmp_path):
    demo = "".join(f"print({n}); print({n})\n" for n in range(10))
    submission = load_submission(write(tmp_path / "alice.py", REFERENCE + demo), ACTIVATIONS)
    note = next(n for n in submission.without_demo_code().notes if "left out demo code" in n)
    assert note.count("print(5); print(5)") == 1 and "print(6)" not in note and note.endswith("and 4 more")


def test_main_guard_is_left_out_and_its_functions_get_a_hint(tmp_path):
    code = ("import numpy as np\ndef relu(z):\n    return np.maximum(z, 0)\nif __name__ == '__main__':\n"
            "    def sigmoid(z):\n        return 1 / (1 + np.exp(-z))\n    print(sigmoid(0))\n")
    submission = load_submission(write(tmp_path / "a.py", code), ACTIVATIONS)
    assert submission.main_guarded == ("sigmoid",)
    said = submission.in_student_terms("your code has no function sigmoid: define sigmoid with the name ...")
    assert said.startswith('sigmoid is defined only under `if __name__ == "__main__":`')
    assert submission.in_student_terms("your code has no function tanh: define it") == "your code has no function tanh: define it"


# ------------------------------------------------------------------ notebooks: sizes and places


def test_outputs_do_not_count_against_the_limit(tmp_path):
    cell = new_code_cell("import numpy as np\ndef relu(z):\n    return np.maximum(z, 0)")
    cell.outputs = [new_output("display_data", data={"image/png": "A" * (23 * 1024 * 1024)})]
    submission = load_submission(notebook(tmp_path / "big.ipynb", cell), ACTIVATIONS)
    assert submission.problem is None and b"def relu" in submission.files["activations.py"]


def test_a_notebook_too_large_to_read_says_clear_the_outputs(tmp_path):
    path = write(tmp_path / "huge.ipynb", b'{"cells": [], "x": "' + b"A" * (65 * 1024 * 1024) + b'"}')
    assert "clear the outputs" in load_submission(path, ACTIVATIONS).problem


def test_a_notebook_that_explodes_in_memory_is_refused_with_a_reason(tmp_path):
    path = write(tmp_path / "bomb.ipynb", b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [' + b"{}," * 7_000_000 + b"{}]}")
    submission = load_submission(path, ACTIVATIONS)  # the grader's own process never holds it
    assert submission.files == {}
    assert "memory" in submission.problem and "clear the outputs" in submission.problem
    assert "bomb.ipynb" in submission.sha256


def test_the_limited_process_stops_on_cpu_time():
    outcome = run_limited(_spin, cpu_s=1)
    assert outcome.failure == "cpu"
    assert run_limited(_answer).value == {"answer": [42]}


def _spin():
    while True:
        pass


def _answer():
    return {"answer": [42]}


def test_lines_of_a_notebook_module_map_back_to_cells(tmp_path):
    first = new_code_cell("import numpy as np", execution_count=3)
    second = new_code_cell("def sigmoid(z):\n    return 1 / 0", execution_count=7)
    path = notebook(tmp_path / "erin.ipynb", new_markdown_cell("intro"), first, new_markdown_cell("x"), second)
    submission = load_submission(path, ACTIVATIONS)
    lines = submission.files["activations.py"].decode().splitlines()
    number = lines.index("    return 1 / 0") + 1
    assert submission.locate("activations.py", number) == "erin.ipynb, the 4th cell (In [7]), line 2"
    text = f"sigmoid raised ZeroDivisionError: division by zero (activations.py, line {number}, in sigmoid)"
    assert submission.in_student_terms(text).endswith("(erin.ipynb, the 4th cell (In [7]), line 2, in sigmoid)")


# ------------------------------------------------------------------ which file holds the work


def test_the_notebook_beside_the_untouched_stub_is_graded(tmp_path):
    folder = tmp_path / "bob"
    write(folder / "activations.py", STUB)
    notebook(folder / "activations.ipynb", new_code_cell(REFERENCE))
    submission = load_submission(folder, ACTIVATIONS)
    assert b"np.where" in submission.files["activations.py"] or b"def sigmoid" in submission.files["activations.py"]
    assert submission.student_file("activations.py") == "activations.ipynb"
    assert "left out 'activations.py': it is the assignment's stub, unchanged (graded 'activations.ipynb')" in submission.notes


def test_an_untouched_released_notebook_is_not_work(tmp_path):
    """The released notebook holds the stub's code, its docstrings moved into text cells."""
    tree = ast.parse(STUB.decode())
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and isinstance(node.body[0], ast.Expr):
            node.body = node.body[1:] or [ast.Pass()]
    folder = tmp_path / "eve"
    notebook(folder / "activations.ipynb", new_markdown_cell("intro"), new_code_cell(ast.unparse(tree)))
    write(folder / "activations (1).py", REFERENCE)
    submission = load_submission(folder, ACTIVATIONS)
    assert submission.files["activations.py"] == REFERENCE.encode()
    assert "left out 'activations.ipynb': it is the assignment's stub, unchanged (graded 'activations (1).py')" in submission.notes


def test_a_downloaded_copy_with_the_work_beats_the_stub(tmp_path):
    folder = tmp_path / "carl"
    write(folder / "activations.py", STUB.replace(b"\n", b"\r\n"))  # line ends do not make it work
    write(folder / "activations (1).py", REFERENCE)
    submission = load_submission(folder, ACTIVATIONS)
    assert submission.files["activations.py"] == REFERENCE.encode()
    assert "used 'activations (1).py' as activations.py" in submission.notes
    assert any(n.startswith("left out 'activations.py': it is the assignment's stub") for n in submission.notes)


def test_two_versions_with_work_prefer_the_exact_name(tmp_path):
    folder = tmp_path / "dana"
    write(folder / "activations.py", REFERENCE)
    write(folder / "activations (1).py", REFERENCE + "\n# older\n")
    submission = load_submission(folder, ACTIVATIONS)
    assert submission.files["activations.py"] == REFERENCE.encode()
    assert "left out 'activations (1).py', another version of activations: graded 'activations.py'" in submission.notes


def test_the_work_under_any_name_beats_the_untouched_stub(tmp_path):
    folder = tmp_path / "gus"
    write(folder / "activations.py", STUB)
    notebook(folder / "hw1.ipynb", new_code_cell(REFERENCE))
    write(folder / "utils.py", "def helper():\n    return 1\n")  # defines none of the stub's: a helper
    submission = load_submission(folder, ACTIVATIONS)
    assert submission.student_file("activations.py") == "hw1.ipynb"
    assert "left out 'activations.py': it is the assignment's stub, unchanged (graded 'hw1.ipynb')" in submission.notes
    assert "used 'hw1.ipynb' as activations.py" in submission.notes
    assert "utils.py" in submission.files


def test_the_stub_alone_beside_unrelated_files_is_still_what_is_graded(tmp_path):
    folder = tmp_path / "hal"
    write(folder / "activations.py", STUB)
    notebook(folder / "scratch.ipynb", new_code_cell("x = 1\nprint(x)"))
    submission = load_submission(folder, ACTIVATIONS)
    assert submission.student_file("activations.py") == "activations.py"
    assert any(n.startswith("activations.py is the assignment's stub, unchanged") for n in submission.notes)
    assert "left out 'scratch.ipynb': graded 'activations.py' as activations.py" in submission.notes


def test_every_file_left_out_is_named_with_a_py_under_another_name(tmp_path):
    folder = tmp_path / "ivy"
    write(folder / "hw.py", REFERENCE)
    notebook(folder / "erin.ipynb", new_code_cell(REFERENCE))
    submission = load_submission(folder, ACTIVATIONS)
    assert submission.files["activations.py"] == REFERENCE.encode()
    assert "used 'hw.py' as activations.py" in submission.notes
    assert "left out 'erin.ipynb', another version of activations: graded 'hw.py'" in submission.notes


def test_a_notebook_with_the_work_beats_a_py_of_another_name_without_it(tmp_path):
    folder = tmp_path / "jo"
    write(folder / "hw.py", STUB)
    notebook(folder / "erin.ipynb", new_code_cell(REFERENCE))
    submission = load_submission(folder, ACTIVATIONS)
    assert submission.student_file("activations.py") == "erin.ipynb"
    assert "used 'erin.ipynb' as activations.py" in submission.notes and "hw.py" in submission.files  # a helper


def test_mlp_notebook_with_dense_notebook_beside_it(tmp_path):
    folder = tmp_path / "fay"
    notebook(folder / "mlp.ipynb", new_code_cell("from dense import Dense\nclass MLP:\n    def __init__(self):\n        self.layer = Dense(1, 1)"))
    notebook(folder / "dense.ipynb", new_code_cell("class Dense:\n    def __init__(self, a, b):\n        pass"), new_code_cell("Dense(1, 2)"))
    submission = load_submission(folder, MLP)
    assert set(submission.files) == {"mlp.py", "dense.py"}
    assert submission.shown == {"mlp.py": "mlp.ipynb", "dense.py": "dense.ipynb"}
    assert "from dense import Dense" in code_lines(submission, "mlp.py")
    assert "Dense(1, 2)" not in code_lines(submission, "dense.py")


# ------------------------------------------------------------------ students' repositories


def template_repository(root, code):
    write(root / "README.md", "# my course")
    write(root / "pyproject.toml", "[project]\nname = 'x'\n")
    write(root / "assignments" / "activations" / "activations.py", code)
    write(root / "assignments" / "activations" / "public_checks.py", "x = 1\n")
    write(root / "grader" / "cli.py", "x = 1\n")
    return root


def test_a_repository_from_the_template_is_graded_under_its_own_name(tmp_path):
    repo = template_repository(tmp_path / "nn-course-alice", REFERENCE)
    submission = load_submission(repo, ACTIVATIONS)
    assert submission.name == "nn-course-alice"
    assert submission.files["activations.py"] == REFERENCE.encode()
    assert "graded assignments/activations/ of nn-course-alice" in submission.notes
    assert "assignments/activations/activations.py" in submission.sha256


@pytest.mark.parametrize("layout", ["activations", "lone"])
def test_the_assignment_folder_or_a_lone_subfolder(tmp_path, layout):
    inner = "activations" if layout == "activations" else "my-work"
    write(tmp_path / "sub" / inner / "activations.py", REFERENCE)
    submission = load_submission(tmp_path / "sub", ACTIVATIONS)
    assert submission.problem is None and submission.name == "sub"
    assert f"graded {inner}/ of sub" in submission.notes


def test_commit_is_read_from_loose_refs_packed_refs_and_detached_heads(tmp_path):
    git = tmp_path / "repo" / ".git"
    write(git / "HEAD", "ref: refs/heads/main\n")
    assert read_commit(tmp_path / "repo") is None
    write(git / "packed-refs", "# pack-refs with: peeled\n" + "a" * 40 + " refs/heads/main\n")
    assert read_commit(tmp_path / "repo") == "a" * 40
    write(git / "refs" / "heads" / "main", "b" * 40 + "\n")
    assert read_commit(tmp_path / "repo") == "b" * 40
    write(git / "HEAD", "c" * 40 + "\n")
    assert read_commit(tmp_path / "repo") == "c" * 40
    write(git / "HEAD", "ref: refs/../../etc/passwd\n")
    assert read_commit(tmp_path / "repo") is None


def test_a_batch_of_empty_folders_is_refused_loudly(tmp_path):
    empty = [tmp_path / name for name in ("nn-course-a", "nn-course-b")]
    for folder in empty:
        (folder / ".git").mkdir(parents=True)
    with pytest.raises(GraderError, match="every submission is an empty folder .*gitlinks"):
        refuse_empty_batch(empty)
    write(tmp_path / "nn-course-c" / "activations.py", REFERENCE)
    refuse_empty_batch([*empty, tmp_path / "nn-course-c"])  # one with work: graded as usual


def test_a_class_folder_given_as_one_submission_gets_a_warning(tmp_path):
    from grader.submission.repository import class_folder_warning

    subs = tmp_path / "subs"
    write(subs / "alice" / "activations.py", REFERENCE)
    write(subs / "nn-course-bob" / "assignments" / "activations" / "activations.py", REFERENCE)
    write(subs / "erin.ipynb", "{}")
    warning = class_folder_warning(subs, ACTIVATIONS, shown="subs/")
    assert warning is not None and "2 of its folders hold code of their own (alice, nn-course-bob)" in warning
    assert warning.endswith("grader grade activations --out OUT -- subs/*")
    assert class_folder_warning(subs / "alice", ACTIVATIONS, shown="alice") is None
    repository = tmp_path / "nn-course-cy"  # a student's repository: the grader's own code beside the assignments
    write(repository / "assignments" / "activations" / "activations.py", REFERENCE)
    write(repository / "assignments" / "perceptron" / "perceptron.py", "")
    write(repository / "grader" / "cli.py", "")
    assert class_folder_warning(repository, ACTIVATIONS, shown=".") is None


# ------------------------------------------------------------------ verdicts


def test_correct_py_with_a_plot_at_the_bottom_gets_full_marks(grade_path, tmp_path):
    demo = "\nimport matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()\n"
    graded = grade_path("activations", write(tmp_path / "alice.py", REFERENCE + demo))
    points, total = score(graded)
    assert graded.status == "graded" and points == total, [r.feedback for r in graded.results if r.points < r.max_points]
    # The same note whether matplotlib is installed here or not (the extra [report] installs it):
    # graded code imports numpy and the standard library only, on every machine.
    assert "No module named 'matplotlib'" in graded.events[0] and "without its demo code" in graded.events[0]
    line = (REFERENCE + demo).splitlines().index("plt.plot([1, 2])") + 1
    assert any(e.startswith("left out demo code of alice.py") and f"line {line}: plt.plot([1, 2])" in e for e in graded.events)


@pytest.mark.parametrize("isolation", ["auto", "portable"])
@pytest.mark.parametrize("module", ["matplotlib.pyplot", "yaml"])
def test_check_gives_a_py_importing_an_installed_module_the_grades_verdict(tmp_path, capsys, isolation, module):
    """Import parity: yaml is always installed with the grader (and already imported in a forked
    child), matplotlib with the extra [report]; graded code may import neither, on any path."""
    from grader.cli import main

    assert importlib.util.find_spec(module.partition(".")[0]) is not None
    path = write(tmp_path / "alice.py", REFERENCE + f"\nimport {module} as demo\nprint(demo.__name__)\n")
    assert main(["check", "activations", str(path), "--isolation", isolation]) == 0
    out = capsys.readouterr().out
    assert f"{count_checks('activations', 'public')} of {count_checks('activations', 'public')} public checks pass" in out, out
    top = module.partition(".")[0]
    assert f"No module named '{top}'" in out and "without its demo code" in out, out
    assert "left out demo code of alice.py" in out and "print(demo.__name__)" in out, out


@pytest.mark.parametrize(
    "demo", ["X = np.random.randn(12000, 12000)  # 1.1 GB", "name = input('your name? ')", "for _ in range(10**12):\n    pass"]
)
def test_demo_code_that_fails_the_import_costs_no_points(grade_path, tmp_path, demo):
    graded = grade_path("activations", write(tmp_path / "bea.py", REFERENCE + "\n" + demo + "\n"), hidden=False)
    assert graded.status == "graded" and score(graded)[0] == score(graded)[1], graded.reason
    assert "without its demo code" in graded.events[0]


def test_template_repository_graded_full_marks_with_its_commit(tmp_path):
    from grader.cli import main

    repo = template_repository(tmp_path / "subs" / "nn-course-alice", REFERENCE)
    write(repo / ".git" / "HEAD", "ref: refs/heads/main\n")
    write(repo / ".git" / "refs" / "heads" / "main", "d" * 40 + "\n")
    untouched = template_repository(tmp_path / "subs" / "nn-course-bob", STUB)
    out = tmp_path / "reports"
    assert main(["grade", "activations", str(repo), str(untouched), "--out", str(out), "--jobs", "1", "--quiet"]) == 0
    import yaml

    alice = yaml.safe_load((out / "activations" / "nn-course-alice.yaml").read_text())
    bob = yaml.safe_load((out / "activations" / "nn-course-bob.yaml").read_text())
    assert alice["score"] == alice["max_score"] and alice["commit"] == "d" * 40
    assert bob["score"] == 0 and "commit" not in bob


def test_runtime_error_names_the_notebook_cell(grade_path, tmp_path):
    cells = [new_code_cell(REFERENCE, execution_count=1), new_code_cell("def tanh(z):\n    z = 1\n    return 1 / 0", execution_count=4)]
    graded = grade_path("activations", notebook(tmp_path / "erin.ipynb", new_markdown_cell("intro"), *cells), hidden=False)
    tanh = next(r for r in graded.results if r.id.startswith("tanh") and r.status != "passed")
    assert "erin.ipynb, the 3rd cell (In [4]), line 3" in tanh.feedback, tanh.feedback


def test_a_function_under_the_main_guard_is_explained(grade_path, tmp_path):
    code = REFERENCE.replace("def tanh(z):", "if __name__ == '__main__':\n  def tanh(z):\n    return 0\ndef _tanh(z):")
    graded = grade_path("activations", write(tmp_path / "a.py", code), hidden=False)
    tanh = next(r for r in graded.results if r.id.startswith("tanh"))
    assert 'tanh is defined only under `if __name__ == "__main__":`' in tanh.feedback, tanh.feedback


def test_mlp_notebook_without_dense_names_the_students_files(grade_path, tmp_path):
    path = notebook(tmp_path / "gus" / "mlp.ipynb", new_code_cell("from dense import Dense\nclass MLP:\n    pass"))
    graded = grade_path("mlp", path.parent, hidden=False)
    assert graded.status == "error"
    assert graded.reason.startswith("mlp.ipynb imports dense, but the submission has no dense.py or dense.ipynb")


def test_check_without_a_path_finds_the_notebook_in_the_template(tmp_path, monkeypatch, capsys):
    from grader.cli import find_student_copy

    repo = template_repository(tmp_path / "nn-course-hal", STUB)
    (repo / "assignments" / "activations" / "activations.py").unlink()
    notebook(repo / "assignments" / "activations" / "activations.ipynb", new_code_cell(REFERENCE))
    assert find_student_copy(ACTIVATIONS, repo) == repo
    submission = load_submission(repo, ACTIVATIONS)
    assert submission.student_file("activations.py") == "activations.ipynb"
    with pytest.raises(GraderError, match="no activations.py or activations.ipynb here"):
        find_student_copy(ACTIVATIONS, tmp_path / "nn-course-hal" / "grader")


def test_demo_code_that_never_stops_gets_the_same_full_marks_on_every_run(grade_path, tmp_path):
    """An endless demo loop at the bottom of a correct file goes over the import's CPU limit;
    killed, the child keeps running a while to release the memory its list filled. The same
    sandbox then grades the file without its demo code, and the next run the whole file again:
    every run gives full marks with the note (the killed child's CPU time is never counted as
    the next one's)."""
    loops = (COURSE_ROOT / "tests" / "submissions" / "activations" / "correct" / "loops.py").read_text(encoding="utf-8")
    demo = "\nlosses = []\nwhile True:\n    losses.append(sigmoid(1.0))\n"
    path = write(tmp_path / "activations.py", loops + demo)
    runs = []
    for _ in range(3):
        graded = grade_path("activations", path)
        runs.append((graded.status, graded.reason, [(r.id, r.points) for r in graded.results]))
        assert graded.status == "graded", graded.reason
        assert "without its demo code" in graded.events[0], graded.events
        assert any(e.startswith("left out demo code of activations.py") and "while True:" in e for e in graded.events)
        points, total = score(graded)
        assert points == total
    assert runs == [runs[0]] * 3
