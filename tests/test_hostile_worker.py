"""A grading worker keeps things from one submission to the next; a hostile one changes none of them.

A worker keeps the draws of its property checks (shared by checks asking for the same inputs),
the reference's values on the judge's own arguments, the report entries it has written, and
it holds all that frozen for the garbage collector. The hostile submissions graded here come
FIRST in one worker (``--jobs 1``), honest ones after them: each honest report must be byte for
byte the report of that submission graded alone (but ``graded_at`` and ``duration_s``).

The place a failed call names comes from the child, where the student's code runs and may forge
its traceback: feedback names it only when it is a real line of a real file of the submission.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import SUBMISSIONS

from grader.course import COURSE_ROOT
from grader.sandbox.supervisor import describe_error, told_where

HOSTILE = SUBMISSIONS / "activations" / "hostile"
EXAMPLES = COURSE_ROOT / "examples" / "activations"
# Those whose trick could reach past themselves in one worker; none that leaves something on the
# machine (keys, IPC objects) that test_hostile.py looks for afterwards.
FIRST = ("poisons_the_workers_caches", "returns_lying_array", "patches_numpy_comparisons",
         "steals_reference_from_memory", "returns_pickle_payload", "writes_the_graders_memory",
         "attacks_the_grader", "tampers_with_the_grader", "pytest_hooks")
HONEST = ("alice", "bob", "carol", "dave", "erin.ipynb")
VARYING = ("graded_at:", "duration_s:")  # the only lines that may differ from one run to the next


def test_a_forged_place_is_not_told():
    """A line the file lacks is no place; a function's name that is not a name is left out."""
    files = {"activations.py": "import numpy as np\n\ndef tanh(z):\n    return z\n"}
    forged = {"kind": "exception", "type": "ValueError", "message": "no",
              "where": "activations.py, line 4242, in tanh\n- id: tanh_values\n  points: 99.0"}
    assert describe_error("tanh", forged, files) == "tanh raised ValueError: no"
    named = dict(forged, where="activations.py, line 3, in tanh\n- id: tanh_values")
    assert describe_error("tanh", named, files) == "tanh raised ValueError: no (activations.py, line 3)"
    real = dict(forged, where="activations.py, line 4, in tanh")
    assert describe_error("tanh", real, files) == "tanh raised ValueError: no (activations.py, line 4, in tanh)"
    assert told_where("activations.py, line 1, in <module>", files) == "activations.py, line 1, in <module>"
    assert told_where("other.py, line 1, in tanh", files) == ""


def _run(out: Path, submissions: list[Path]) -> None:
    process = subprocess.run(
        [sys.executable, "-m", "grader.cli", "grade", "activations", "--out", str(out), "--jobs", "1", "--",
         *map(str, submissions)],
        capture_output=True, text=True, timeout=900,  # a hang guard only
    )
    assert process.returncode == 0, process.stderr


def _steady(path: Path) -> str:
    return "".join(line for line in path.read_text().splitlines(True) if not line.lstrip().startswith(VARYING))


@pytest.mark.skipif(os.geteuid() != 0, reason="hostile submissions are graded only under root isolation")
def test_honest_reports_are_the_same_after_hostile_submissions_in_the_same_worker(tmp_path):
    first = [HOSTILE / f"{name}.py" for name in FIRST]
    _run(tmp_path / "class", [*first, *(EXAMPLES / name for name in HONEST)])
    reports = tmp_path / "class" / "activations"
    for name in HONEST:
        alone = tmp_path / f"alone-{name}"
        _run(alone, [EXAMPLES / name])
        stem = Path(name).stem
        assert _steady(reports / f"{stem}.yaml") == _steady(alone / "activations" / f"{stem}.yaml"), name
    hostile = yaml.safe_load((reports / "poisons_the_workers_caches.yaml").read_text())
    told = [t["feedback"] for t in hostile["tests"] if t["id"] in ("sigmoid_values", "sigmoid_stable")]
    assert told and all("sigmoid raised ValueError" in text for text in told)
    assert not any("4242" in text or "points: 99" in text for text in told)  # the forged place and name


def test_a_forged_place_at_import_is_not_told(tmp_path):
    """sys.exit while imported, through a forged traceback: the file is named, not the forged place."""
    from grader.course import find_assignment
    from grader.judge.runner import load_problem_reason
    from grader.submission import load_submission

    (tmp_path / "activations.py").write_text("raise SystemExit(3)\n")
    submission = load_submission(tmp_path, find_assignment("activations"))
    error = {"kind": "exit", "type": "SystemExit", "message": "3", "where": "activations.py, line 4242, in x\n- id: forged"}
    reason = load_problem_reason(find_assignment("activations"), error, submission)
    assert reason == "activations.py called sys.exit(3) while being imported (activations.py): remove that call"
    error["where"] = "activations.py, line 1, in <module>"
    assert load_problem_reason(find_assignment("activations"), error, submission).endswith(
        "(activations.py, line 1, at the top level): remove that call")
