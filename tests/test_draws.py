"""The inputs the checks draw do not depend on how the grader was installed or where it runs,
and grading writes nothing outside its reports.

Each install is tried in a fresh process from a folder of its own: the editable install of
this checkout, a copy laid out as a wheel installs it (under a ``site-packages`` folder), and
a copy of the course as a students' copy holds it (a plain folder).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.course import COURSE_ROOT

DRAWS = """
import hashlib, sys
import numpy as np
import grader
from grader.course import ASSIGNMENTS, COURSE_ROOT
from grader.judge.catalog import load_suite

def feed(digest, value):
    if isinstance(value, np.ndarray):
        digest.update(f"{value.dtype.str}{value.shape}".encode() + value.tobytes())
    elif isinstance(value, (list, tuple)):
        for item in value:
            feed(digest, item)
    elif isinstance(value, dict):
        for key in sorted(value):
            digest.update(key.encode())
            feed(digest, value[key])
    else:
        digest.update(repr(value).encode() if isinstance(value, (int, float, str, bool, type(None))) else type(value).__name__.encode())

print("grader from", grader.__file__)
for assignment in ASSIGNMENTS:
    for path, visibility in ((assignment.public_suite, "public"), (assignment.hidden_suite, "hidden")):
        suite = load_suite(path, visibility)
        digest, count = hashlib.sha256(), 0
        for name in sorted(vars(suite)):
            inputs = getattr(getattr(suite, name), "inputs", None)
            if name.startswith("test_") and callable(inputs):
                for case in inputs():
                    feed(digest, case)
                    count += 1
        print(assignment.name, visibility, count, digest.hexdigest())
"""


def _draws(python_path: Path | None, cwd: Path) -> tuple[str, list[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "HYPOTHESIS"))}
    if python_path is not None:
        env["PYTHONPATH"] = str(python_path)
    done = subprocess.run(
        [sys.executable, "-c", DRAWS], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    where, *lines = done.stdout.strip().splitlines()
    return where, lines


def _copy_course(target: Path) -> None:
    for name in ("grader", "assignments", "solutions"):
        shutil.copytree(COURSE_ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))


@pytest.mark.slow
def test_draws_are_the_same_for_every_install_and_folder_and_leave_nothing_behind(tmp_path):
    wheel = tmp_path / "venv" / "lib" / "python3" / "site-packages"
    students = tmp_path / "students-copy"
    _copy_course(wheel)
    _copy_course(students)
    runs = {}
    for name, path in (("editable", None), ("wheel", wheel), ("copy", students)):
        here = tmp_path / f"cwd-{name}"
        here.mkdir()
        where, lines = _draws(path, here)
        expected_root = COURSE_ROOT if path is None else path
        assert where == f"grader from {expected_root / 'grader' / '__init__.py'}"
        assert list(here.iterdir()) == [], f"{name}: the draws left files in the current folder"
        runs[name] = lines
    assert len(runs["editable"]) == 12 and all(int(line.split()[2]) >= 0 for line in runs["editable"])
    assert runs["wheel"] == runs["editable"] and runs["copy"] == runs["editable"]


@pytest.mark.slow
def test_grading_writes_nothing_but_its_reports(tmp_path):
    """Neither in the folder it runs from, nor in the course (a copy here, to see every file)."""
    course, here = tmp_path / "course", tmp_path / "cwd"
    _copy_course(course)
    shutil.copytree(COURSE_ROOT / "examples" / "activations" / "alice", course / "alice")
    here.mkdir()
    before = sorted(course.rglob("*"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "HYPOTHESIS"))}
    done = subprocess.run(
        [sys.executable, "-m", "grader", "grade", "activations", str(course / "alice"), "--out", "reports"],
        cwd=here, env=dict(env, PYTHONPATH=str(course)), capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert sorted(str(p.relative_to(here)) for p in here.rglob("*")) == [
        "reports", "reports/activations", "reports/activations/alice.yaml"
    ]
    # Python's own bytecode of the modules that start the command, imported before it can say no
    imported = subprocess.run(
        [sys.executable, "-c", "import sys, grader.cli\nfor m in list(sys.modules.values()):\n"
         "    if m.__name__.startswith('grader') and getattr(m, '__file__', None): print(m.__file__)"],
        cwd=here, env=dict(env, PYTHONPATH=str(course), PYTHONDONTWRITEBYTECODE="1"), capture_output=True, text=True,
    ).stdout.split() + [str(course / "grader" / "__main__.py")]  # python -m grader
    started = {(Path(f).parent / "__pycache__", Path(f).stem) for f in imported}
    folders = {folder for folder, _ in started}
    new = [
        p for p in sorted(course.rglob("*"))
        if p not in before and p not in folders and (p.parent, p.name.split(".")[0]) not in started
    ]
    assert new == []
