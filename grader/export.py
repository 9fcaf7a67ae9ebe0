"""The students' copy of the course: what a class's template repository holds.

Stubs, their READMEs and public checks, the data, and the grader itself, so that students run
`grader check` on their laptops and in their repository's workflow, exactly as graded. Never the
reference solutions, the hidden suites, the sample submissions or the grader's own tests.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

from grader import i18n
from grader.course import ASSIGNMENTS, COURSE_ROOT, available
from grader.errors import GraderError
from grader.i18n import N_, _
from grader.platforms.classroom import write_workflow
from grader.release import release_record
from grader.release_notebook import write_notebook

__all__ = ["export_student_copy"]

# Besides these, the folder assignments/<name>/ of every assignment declared in grader/course.py
# whose public checks are in place.
TAKEN = ("pyproject.toml", "grader", ".github/workflows/student-check.yml")
LEFT_OUT = ("grader/hidden/*",)  # every suite, module or package, but for its __init__.py, so that the package stays whole
# The students' README, in the language of the copy (``grader export-student --lang uk``): its
# sentences are messages of the catalogue (grader/locale), its commands and paths stay as they are.
# Each piece is a paragraph (a message), or a block of commands with their comments translated.
_COMMANDS = (
    ("grader list", N_("the assignments, their points, and what grading adds")),
    ("grader check activations", N_("the public checks of 01 on your copy of it")),
    ("grader check activations -k softmax", N_('only the checks whose name has "softmax"')),
    ("pytest", N_("the public checks of every assignment you have started")),
)
_README: tuple[str | tuple[str, ...], ...] = (
    N_(
        "Your assignments are in `assignments/<name>/`. Each is there twice: as a Python file "
        "(`activations.py`) and as a notebook (`activations.ipynb`). Work in the one you like; the "
        "one you leave untouched is ignored (a note says so). The public checks run on your laptop "
        "exactly as they run when you are graded."
    ),
    N_("## Set up, once"),
    N_("You need Python 3.10 or newer, on Linux, macOS or Windows. In this folder:"),
    N_("macOS and Linux (a terminal):"),
    ("python3 -m venv .venv", "source .venv/bin/activate", "pip install -e ."),
    N_("Windows (PowerShell; in cmd, run `.venv\\Scripts\\activate.bat` instead of the second line):"),
    ("py -m venv .venv", ".venv\\Scripts\\Activate.ps1", "pip install -e ."),
    N_(
        "If PowerShell refuses to run the script, run "
        "`Set-ExecutionPolicy -Scope CurrentUser RemoteSigned` once. Each new terminal needs the second "
        "line again (activating the environment puts `grader` on your PATH); `deactivate` leaves it."
    ),
    N_("## Check your work"),
    ("COMMANDS",),
    N_(
        "`grader check 02` checks the perceptron, and so on. Run it from this folder or from the "
        "assignment's folder; give a path to check another file: `grader check activations my_try.py`. "
        "`pytest` runs the same checks through the grader (one test per check; not-started "
        "assignments are skipped); `grader check` shows their feedback and notes in full."
    ),
    N_(
        "The feedback speaks English, Ukrainian or Russian: `grader check activations --lang uk`, or set "
        "`GRADER_LANG=uk` (or `ru`, `en`); without either, your system's language when it is one of these."
    ),
    N_("## Notebooks"),
    N_(
        "Install Jupyter into the same environment (`pip install jupyterlab`, then `jupyter lab`), or "
        "open the notebook in VS Code and choose the `.venv` environment as its kernel. Write your "
        "code in the cells under each function; the last cell runs the public checks on the saved "
        "notebook. Only definitions are graded (imports of numpy and the standard library, functions, "
        "classes, constants): plots, prints and training runs are left out and cost nothing. Graded code "
        "may import numpy, the standard library and your own files only."
    ),
    N_("## Hand in"),
    N_(
        'Commit and push: `git add -A && git commit -m "01 done" && git push`. On each push, '
        "`.github/workflows/classroom.yml` runs the public checks of the assignments you have started "
        "and reports them to GitHub Classroom: that score is the public checks' part. If your course "
        "collects files instead, hand in `activations.py` or `activations.ipynb` (for 06, `mlp.py` or "
        "`mlp.ipynb` together with your `dense.py` or `dense.ipynb`)."
    ),
    N_("Your grade comes from these public checks and from hidden ones, run by the instructor, that try many more inputs."),
    N_(
        "On macOS and Windows the checks run in a separate Python process without the confinement that "
        "Linux gives the grader (its report says isolation none); the verdicts are the same."
    ),
)
TITLE = N_("Neural networks with numpy: assignments")


def student_readme(title: str | None = None) -> str:
    """The students' README (Markdown) in the current language (:func:`grader.i18n.use`):
    ``title`` (default: :data:`TITLE`, translated), the table of assignments, then how to set
    up, check, use notebooks and hand in. Paragraphs are wrapped at 96 characters."""
    parts = [f"# {title if title is not None else _(TITLE)}", assignments_table().rstrip("\n")]
    for piece in _README:
        if isinstance(piece, str):
            text = _(piece)
            heading = text.startswith("#")
            parts.append(text if heading else textwrap.fill(text, 96, break_long_words=False, break_on_hyphens=False))
        else:
            lines = [(c, _(m)) for c, m in _COMMANDS] if piece == ("COMMANDS",) else [(c, "") for c in piece]
            width = max(len(c) for c, _m in lines) + 2
            parts.append("\n".join(f"    {c.ljust(width)}# {m}" if m else f"    {c}" for c, m in lines))
    return "\n\n".join(parts) + "\n"


# Plain `pytest` in the copy: the public checks through the sandbox (grader.student_pytest).
PYTEST_INI = """[pytest]
# `pytest` here runs the public checks of each assignment you have started, through the
# grader's sandbox: the verdicts of `grader check NAME`.
testpaths = assignments
addopts = -p no:cacheprovider
"""
CONFTEST = """# Loads the grader's pytest plugin: `pytest` runs the public checks (see pytest.ini).
pytest_plugins = ["grader.student_pytest"]
"""


def students_pyproject(text: str) -> str:
    """The course's ``pyproject.toml`` for the students' copy: the package and its install,
    without the developers' tool settings (``[tool.pytest.ini_options]``, which the copy's
    ``pytest.ini`` replaces and pytest would warn about, and the linters').

    >>> students_pyproject("[project]\\nname = 'x'\\n\\n[tool.pytest.ini_options]\\ntestpaths = ['tests']\\n")
    "[project]\\nname = 'x'\\n"
    """
    kept, keep = [], True
    for line in text.splitlines(keepends=True):
        header = line.strip()
        if header.startswith("[") and not header.startswith("[["):
            keep = not header.startswith("[tool.") or header.startswith("[tool.setuptools")
        if keep:
            kept.append(line)
    return "".join(kept).rstrip("\n") + "\n"


def assignments_table() -> str:
    """The students' list of assignments (Markdown), from the course's declaration."""
    header = (_("assignment"), _("your file"), _("check it with"))
    rows = [f"| | {' | '.join(header)} |", "|---|---|---|---|"]
    for a in ASSIGNMENTS:
        if available(a):
            rows.append(f"| {a.label} | {_(a.title)} | `assignments/{a.name}/{a.filename}` | `grader check {a.name}` |")
    return "\n".join(rows) + "\n"


def export_student_copy(folder: Path, *, title: str | None = None, lang: str = i18n.DEFAULT) -> int:
    """Write the students' copy into ``folder`` (new or empty); return how many files it holds.

    It takes the folder ``assignments/<name>/`` of each declared assignment whose public checks
    are in place (see :mod:`grader.course`), the grader without its hidden suites, and the
    students' workflow for GitHub Classroom, each assignment as a notebook beside its stub
    (:mod:`grader.release_notebook`) and the stubs as released (``grader/stubs/``, which tell a
    student's work from the untouched stub once the student edits ``assignments/``) (:mod:`grader.platforms.classroom`), and the
    release's record ``grader/release.json`` (:mod:`grader.release`: the course's version, the
    digests of the public checks, each assignment's points and hidden checks). The READMEs (the
    copy's and each assignment's, paragraph by paragraph: :func:`grader.i18n.translate_markdown`)
    and the notebooks' text are in ``lang`` (``en``, ``uk``, ``ru``: :data:`grader.i18n.LANGUAGES`),
    the stubs' docstrings as written. Raises :class:`~grader.errors.GraderError` if ``folder`` is
    not empty, :class:`~grader.i18n.UnknownLanguage` for a language without a catalogue.
    """
    with i18n.use(lang):
        return _export(Path(folder), title)


def _export(folder: Path, title: str | None) -> int:
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
    pyproject = folder / "pyproject.toml"
    pyproject.write_text(students_pyproject(pyproject.read_text(encoding="utf-8")), encoding="utf-8")
    for pattern in LEFT_OUT:
        for path in folder.glob(pattern):
            if path.is_dir():
                shutil.rmtree(path)
            elif path.name != "__init__.py":
                path.unlink()
    write_workflow(folder)  # from the course's declaration, one step per assignment
    for assignment in ASSIGNMENTS:
        if available(assignment):  # the assignment as a notebook too, beside its stub
            write_notebook(assignment, folder / "assignments" / assignment.name)
            readme = folder / "assignments" / assignment.name / "README.md"
            if readme.is_file():  # the assignment's statement in the copy's language
                readme.write_text(i18n.translate_markdown(readme.read_text(encoding="utf-8")), encoding="utf-8")
            # The stub as released, which the student's file is compared with (work or not?)
            pristine = folder / "grader" / "stubs" / assignment.name / assignment.filename
            pristine.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(assignment.stub_dir / assignment.filename, pristine)
    record = json.dumps(release_record(), indent=2, sort_keys=True) + "\n"
    (folder / "grader" / "release.json").write_text(record, encoding="utf-8")
    (folder / "README.md").write_text(student_readme(title), encoding="utf-8")
    (folder / ".gitignore").write_text(".venv/\n__pycache__/\n*.egg-info/\n.ipynb_checkpoints/\n", encoding="utf-8")
    (folder / "pytest.ini").write_text(PYTEST_INI, encoding="utf-8")
    (folder / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    return sum(1 for p in folder.rglob("*") if p.is_file())
