"""The README's "Adding an assignment", followed step by step in a copy of the course: the files
are read from the README itself, the declaration is added to the copy's grader/course.py, and
then `grader list` shows the new assignment, `grader grade` grades it, the students' copy
carries it, and the copy's own tests grade its reference, mutant and stub."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from grader.course import COURSE_ROOT

SECTION = "## Adding an assignment"
# A file of the walkthrough: a line that ends with its path in backticks and ":", then a fenced
# block with its content.
FILE_BLOCK = re.compile(r"`([\w./-]+)`:\n\n```[a-z]*\n(.*?)^```$", re.MULTILINE | re.DOTALL)
COPIED = ("pyproject.toml", "README.md", "grader", "assignments", "solutions", "tests", ".github")


def walkthrough_files() -> dict[str, str]:
    readme = (COURSE_ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index(SECTION)
    end = readme.find("\n## ", start + len(SECTION))
    return {path: text for path, text in FILE_BLOCK.findall(readme[start : end if end > 0 else None])}


def test_the_walkthrough_touches_one_declaration_and_the_assignments_own_folders():
    files = walkthrough_files()
    assert set(files) == {
        "grader/course.py",
        "assignments/softplus/softplus.py",
        "assignments/softplus/README.md",
        "assignments/softplus/public_checks.py",
        "grader/hidden/softplus.py",
        "solutions/softplus/softplus.py",
        "tests/submissions/softplus/mutants/relu.py",
    }
    assert files["grader/course.py"].strip().startswith("Assignment(7,") and files["grader/course.py"].count("\n") == 1


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A copy of the course with the walkthrough's assignment added, exactly as the README says."""
    root = tmp_path_factory.mktemp("walkthrough") / "course"
    root.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".venv", "reports")
    for name in COPIED:
        source = COURSE_ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=ignore)
        else:
            shutil.copy2(source, root / name)
    for path, text in walkthrough_files().items():
        target = root / path
        if path == "grader/course.py":
            source = target.read_text()
            declared = source.index("ASSIGNMENTS: tuple[Assignment, ...] = (")
            closing = source.index("\n)\n", declared)
            target.write_text(source[: closing + 1] + text + source[closing + 1 :])
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
    return root


def run(course: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``grader ARGS`` with the copy's grader (its folder first on the path)."""
    env = dict(os.environ, PYTHONPATH=str(course))
    env.pop("PYTEST_ADDOPTS", None)
    return subprocess.run([sys.executable, "-m", "grader", *args], capture_output=True, text=True, cwd=cwd or course, env=env)


def test_grader_list_shows_it(course):
    listed = run(course, "list")
    assert listed.returncode == 0, listed.stderr
    # points, public checks, hidden checks, hidden points, file
    assert "07 softplus 3 1 1 2 softplus.py" in [" ".join(line.split()) for line in listed.stdout.splitlines()]
    names = run(course, "list", "--names")
    assert names.stdout.split()[-1] == "softplus"
    table = run(course, "list", "--markdown").stdout
    assert "| 07 | softplus, a smooth ReLU | `softplus.py` | 3 | 1 | 1 |" in table


def test_grade_grades_it(course, tmp_path):
    out = tmp_path / "reports"
    done = run(course, "grade", "softplus", "solutions/softplus", "tests/submissions/softplus/mutants/relu.py",
               "--out", str(out), "--jobs", "1")
    assert done.returncode == 0, done.stderr
    reference = yaml.safe_load((out / "softplus" / "softplus.yaml").read_text())
    assert reference["status"] == "graded" and reference["score"] == reference["max_score"] == 3
    assert [t["visibility"] for t in reference["tests"]] == ["public", "hidden"]
    mutant = yaml.safe_load((out / "softplus" / "relu.yaml").read_text())
    assert mutant["score"] == 0 and all(t["status"] == "failed" for t in mutant["tests"])
    hidden = mutant["tests"][1]["feedback"]
    assert "1000" not in hidden and "0.693" not in hidden  # no hidden input or expected value


def test_check_runs_its_public_checks_on_the_stub(course):
    done = run(course, "check", "softplus", "assignments/softplus")
    assert done.returncode == 1
    assert "0 of 1 public check passes" in done.stdout and "not implemented yet" in done.stdout


def test_the_students_copy_carries_it(course, tmp_path):
    folder = tmp_path / "template"
    assert run(course, "export-student", str(folder)).returncode == 0
    assert (folder / "assignments" / "softplus" / "softplus.py").is_file()
    assert (folder / "assignments" / "softplus" / "public_checks.py").is_file()
    assert not (folder / "grader" / "hidden" / "softplus.py").exists() and not (folder / "solutions").exists()
    assert "`grader check softplus`" in (folder / "README.md").read_text()
    names = run(folder, "list", "--names")  # what the students' workflow loops over
    assert names.returncode == 0 and "softplus" in names.stdout.split()


def test_the_copys_own_tests_grade_it(course):
    """The parametrized tests pick the new assignment up; once the README's table is the one
    `grader list --markdown` prints, the README test passes too."""
    readme = course / "README.md"
    text = readme.read_text()
    start = text.index("| | assignment | file |")
    end = text.index("\n\n", start)
    table = run(course, "list", "--markdown").stdout
    readme.write_text(text[:start] + table.rstrip("\n") + text[end:])
    env = dict(os.environ, PYTHONPATH=str(course))
    env.pop("PYTEST_ADDOPTS", None)
    tests = ["tests/test_assignments.py", "tests/test_every_check_can_fail.py", "tests/test_cli.py"]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests, "-k", "softplus or readme_course_table"],
        capture_output=True, text=True, cwd=course, env=env,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    passed = int(re.search(r"(\d+) passed", done.stdout).group(1))
    assert passed == 7  # reference, mutant, stub, public verdicts, every check named, small change; the README table
