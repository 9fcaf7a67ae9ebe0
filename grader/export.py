"""The students' copy of the course: what a class's template repository holds.

Stubs, their READMEs and public checks, the data, and the grader itself, so that students run
`grader check` on their laptops and in their repository's workflow, exactly as graded. Never the
reference solutions, the hidden suites, the sample submissions or the grader's own tests.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from grader.course import ASSIGNMENTS, COURSE_ROOT, available
from grader.errors import GraderError
from grader.platforms.classroom import write_workflow
from grader.release import release_record
from grader.release_notebook import write_notebook

__all__ = ["export_student_copy"]

# Besides these, the folder assignments/<name>/ of every assignment declared in grader/course.py
# whose public checks are in place.
TAKEN = ("pyproject.toml", "grader", ".github/workflows/student-check.yml")
LEFT_OUT = ("grader/hidden/*.py",)  # but for its __init__.py, so that the package stays whole
README = """# {title}

{table}
Your assignments are in `assignments/<name>/`: edit the file named in each README, then check
your work with the same public checks the grader runs:

    python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/grader check activations

(`grader list` shows every assignment; `grader check 02` checks the perceptron, and so on.)
When you push, `.github/workflows/classroom.yml` runs the same checks on the assignments you
have started and reports them to GitHub Classroom: the score there is the public checks' part.
Your grade comes from these public checks and from hidden ones, run by the instructor, that try
many more inputs.
"""


def assignments_table() -> str:
    """The students' list of assignments (Markdown), from the course's declaration."""
    rows = ["| | assignment | your file | check it with |", "|---|---|---|---|"]
    for a in ASSIGNMENTS:
        if available(a):
            rows.append(f"| {a.label} | {a.title} | `assignments/{a.name}/{a.filename}` | `grader check {a.name}` |")
    return "\n".join(rows) + "\n"


def export_student_copy(folder: Path, *, title: str = "Neural networks with numpy: assignments") -> int:
    """Write the students' copy into ``folder`` (new or empty); return how many files it holds.

    It takes the folder ``assignments/<name>/`` of each declared assignment whose public checks
    are in place (see :mod:`grader.course`), the grader without its hidden suites, and the
    students' workflow for GitHub Classroom, each assignment as a notebook beside its stub
    (:mod:`grader.release_notebook`) and the stubs as released (``grader/stubs/``, which tell a
    student's work from the untouched stub once the student edits ``assignments/``) (:mod:`grader.platforms.classroom`), and the
    release's record ``grader/release.json`` (:mod:`grader.release`: the course's version, the
    digests of the public checks, each assignment's points and hidden checks). Raises
    :class:`~grader.errors.GraderError` if ``folder`` is not empty.
    """
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise GraderError(f"{folder} is not empty: give a new or empty folder")
    folder.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    stubs = [f"assignments/{a.name}" for a in ASSIGNMENTS if available(a)]
    for name in (*TAKEN, *stubs):
        source, target = COURSE_ROOT / name, folder / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=ignore)
        elif source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    for pattern in LEFT_OUT:
        for path in folder.glob(pattern):
            if path.name != "__init__.py":
                path.unlink()
    write_workflow(folder)  # from the course's declaration, one step per assignment
    for assignment in ASSIGNMENTS:
        if available(assignment):  # the assignment as a notebook too, beside its stub
            write_notebook(assignment, folder / "assignments" / assignment.name)
            # The stub as released, which the student's file is compared with (work or not?)
            pristine = folder / "grader" / "stubs" / assignment.name / assignment.filename
            pristine.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(assignment.stub_dir / assignment.filename, pristine)
    record = json.dumps(release_record(), indent=2, sort_keys=True) + "\n"
    (folder / "grader" / "release.json").write_text(record, encoding="utf-8")
    (folder / "README.md").write_text(README.format(title=title, table=assignments_table()), encoding="utf-8")
    (folder / ".gitignore").write_text(".venv/\n__pycache__/\n*.egg-info/\n", encoding="utf-8")
    return sum(1 for p in folder.rglob("*") if p.is_file())
