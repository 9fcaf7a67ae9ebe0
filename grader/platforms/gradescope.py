"""Gradescope's autograder: the zip that ``grader package gradescope`` writes, and the run inside it.

The zip follows Gradescope's autograder specification
(https://gradescope-autograders.readthedocs.io/en/latest/specs/): ``setup.sh`` and
``run_autograder`` at its root; Gradescope unpacks the zip into ``/autograder/source``, runs
``setup.sh`` once when it builds the image, and ``run_autograder`` for each submission, with the
student's files in ``/autograder/submission``; the verdict goes to
``/autograder/results/results.json``. Both scripts take their root from ``AUTOGRADER_ROOT``
(default ``/autograder``), so that they can run anywhere.

The zip holds the course's grader with the hidden checks and the reference solution of its one
assignment, the public stubs and checks, and ``pyproject.toml``: ``setup.sh`` installs it in a
virtual environment ``$AUTOGRADER_ROOT/venv``. ``run_autograder`` calls :func:`run`, which
never leaves the run without a ``results.json``: whatever fails, one is written with score 0
and the reason.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
import zipfile
from pathlib import Path

from grader import i18n
from grader.course import COURSE_ROOT, Assignment, available, find_assignment, has_hidden_checks
from grader.errors import GraderError, HiddenChecksMissing
from grader.i18n import N_
from grader.submission.repository import visible_entries

__all__ = ["SCRIPTS", "build_autograder", "main", "run"]

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image: a virtual
# environment with the grader installed from this zip's copy of the course.
# GRADER_VENV_ARGS and GRADER_PIP_ARGS pass options to venv and pip (tests use them).
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$ROOT/source"
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1 && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends python3-venv python3-pip >/dev/null
fi
# shellcheck disable=SC2086
python3 -m venv ${GRADER_VENV_ARGS:-} "$ROOT/venv"
# shellcheck disable=SC2086
"$ROOT/venv/bin/pip" install -q --disable-pip-version-check ${GRADER_PIP_ARGS:-} -e "$SOURCE"
# No namespaces in Gradescope's containers: a submission runs as a uid of its own instead, which
# must not read the reference solution or the hidden checks (the grader, root, still does).
chmod -R go-rwx "$SOURCE/solutions" "$SOURCE/grader/hidden" 2>/dev/null || true
"$ROOT/venv/bin/grader" list
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for each submission: grade $AUTOGRADER_ROOT/submission and write
# $AUTOGRADER_ROOT/results/results.json. If the grader itself cannot run, a results.json with
# score 0 and the reason is written all the same.
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
mkdir -p "$ROOT/results"
rm -f "$ROOT/results/results.json"
cd "$ROOT" || exit 1
export GRADER_LANG={lang}  # the language of the feedback: grader package gradescope --lang
"$ROOT/venv/bin/python" -m grader.platforms.gradescope "$ROOT" {assignment}
code=$?
if [ ! -s "$ROOT/results/results.json" ]; then
    printf '{{"score": 0, "output": "{failed}", "visibility": "visible", "stdout_visibility": "hidden", "tests": []}}\\n' "$code" > "$ROOT/results/results.json"
fi
exit 0
"""  # noqa: E501 - the fallback results.json is written by one printf

# What a student reads on Gradescope when the grader could not even start, in the language asked.
FAILED_BEFORE_GRADING = N_("The autograder failed before grading (exit code {code}): please tell the course staff.")

SCRIPTS = ("setup.sh", "run_autograder")
_IGNORED = ("__pycache__", ".pyc", ".egg-info")


def _printf_json(message: str, lang: str) -> str:
    """``message`` in ``lang`` as the inside of a JSON string, within the single-quoted format of
    ``printf``: ``{code}`` becomes printf's ``%s``; backslashes and ``%`` are doubled for printf,
    and an apostrophe (Ukrainian's "комп'ютер") closes and reopens the shell's quotes."""
    with i18n.use(lang):
        text = i18n._(message)
    inside = json.dumps(text, ensure_ascii=False)[1:-1].replace("\\", "\\\\").replace("%", "%%")
    return inside.replace("{code}", "%s").replace("'", "'\\''")


def _course_files(assignment: Assignment) -> list[tuple[Path, str]]:
    """``(path on disk, name in the zip)`` of what the autograder needs, sorted."""
    files: list[tuple[Path, str]] = [(COURSE_ROOT / "pyproject.toml", "pyproject.toml")]
    if (COURSE_ROOT / "README.md").is_file():
        files.append((COURSE_ROOT / "README.md", "README.md"))  # pyproject's readme
    folders = [COURSE_ROOT / "grader", assignment.solution_dir]
    folders += [COURSE_ROOT / "assignments" / other.name for other in _stubs()]
    hidden = COURSE_ROOT / "grader" / "hidden"
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or any(part in str(path) for part in _IGNORED):
                continue
            if path.is_relative_to(hidden) and path != hidden / "__init__.py" and path not in assignment.hidden_files:
                continue  # only this assignment's hidden checks (a module, or a package's modules)
            files.append((path, path.relative_to(COURSE_ROOT).as_posix()))
    return files


def _stubs() -> list[Assignment]:
    from grader.course import ASSIGNMENTS

    return [a for a in ASSIGNMENTS if available(a)]


def build_autograder(given: str, out: Path, *, lang: str = "en") -> int:
    """Write Gradescope's autograder zip for the assignment ``given`` (name or number) to ``out``;
    it grades in ``lang`` (``en``, ``uk``, ``ru``: :data:`grader.i18n.LANGUAGES`).

    Returns the number of files in the zip. Raises :class:`~grader.errors.GraderError` for an
    unknown assignment, one without hidden checks here (a students' copy), or a zip that cannot
    be written. The zip is written to a temporary name and renamed, so that a half-written zip
    never takes the place of a good one.
    """
    assignment = find_assignment(given)
    if not has_hidden_checks(assignment):
        raise HiddenChecksMissing(assignment.name)
    i18n.translator(lang)  # an unknown language: refused before anything is written
    out = Path(out)
    partial = out.with_name(f".{out.name}.partial")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            run_script = RUN_AUTOGRADER.format(assignment=assignment.name, lang=lang, failed=_printf_json(FAILED_BEFORE_GRADING, lang))
            for name, text in (("setup.sh", SETUP_SH), ("run_autograder", run_script)):
                info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
                info.external_attr = 0o100755 << 16  # executable, as Gradescope runs them
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, text)
            files = _course_files(assignment)
            for path, name in files:
                archive.write(path, name)
        os.replace(partial, out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise GraderError(f"cannot write {out}: {exc.strerror or exc}") from None
    return len(files) + len(SCRIPTS)


# -- inside Gradescope's container ------------------------------------------------------------
# Strongest first. As root without CAP_SYS_ADMIN (Docker's default) ``root`` cannot start; a
# container's seccomp profile may refuse user namespaces too; ``none`` still has its limits.
ISOLATION_MODES = ("auto", "userns", "none")


def _grade(assignment: Assignment, submission: Path, work: Path) -> tuple[dict, list[str]]:
    """Grade ``submission`` with ``grader grade`` in the strongest sandbox that starts here.

    The submission is copied into ``work`` first: ``grade`` hides the folder that holds a
    submission from student code, and Gradescope's holds the grader's virtual environment.
    Returns the report and, for the instructor, the modes that could not start and why.
    """
    import yaml

    from grader.cli import main

    copy = work / "in" / "submission"
    if submission.is_dir():
        shutil.copytree(submission, copy, symlinks=True)
    else:
        copy.mkdir(parents=True)
        shutil.copy2(submission, copy / submission.name)
    tried: list[str] = []
    for mode in ISOLATION_MODES:
        out = work / f"reports-{mode}"
        command = ["grade", assignment.name, "--out", str(out), "--jobs", "1", "--quiet", "--isolation", mode]
        # Where the grader asks for it, --isolation none is allowed explicitly (it is the last resort).
        extras = (["--allow-isolation-none"], []) if mode == "none" else ([],)
        for extra in extras:
            errors = io.StringIO()
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(errors):
                try:
                    code = main([*command, *extra, "--", str(copy)])
                except SystemExit as exc:  # an option this version of the grader does not know
                    code = exc.code if isinstance(exc.code, int) else 1
            reports = sorted(out.rglob("*.yaml"))
            if code == 0 and reports:
                return yaml.safe_load(reports[0].read_text(encoding="utf-8")), tried
            message = errors.getvalue().strip() or f"grade stopped with exit code {code}"
            if code == 2 and not any(word in message for word in ("sandbox", "isolation", "unrecognized arguments")):
                raise GraderError(message.removeprefix("grader: "))  # about the submission, not the machine
            tried.append(f"isolation {mode} could not grade here: {message}")
    raise GraderError("no sandbox could grade here: " + "; ".join(tried))


def results_for(report: dict, assignment: Assignment) -> dict:
    """Gradescope's results for ``report``, each test named by its check's description."""
    from grader.judge.catalog import suite_checks
    from grader.report.formats import gradescope_results

    descriptions = {spec.id: i18n._(spec.description) for spec in suite_checks(assignment, hidden=True)}
    return gradescope_results(report, descriptions=descriptions)


def failure_results(reason: str) -> dict:
    """A ``results.json`` for a run that could not grade: score 0 and the reason."""
    return {
        "score": 0,
        "output": i18n._(
            "The autograder could not grade this submission: {reason}\n"
            "Your score is 0 for now; the course staff can see what went wrong."
        ).format(reason=reason),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [],
    }


def nothing_submitted(assignment: Assignment) -> dict:
    """A ``results.json`` for a submission without a file (no folder, or an empty one): score 0
    and what to upload, in the student's language."""
    return {
        "score": 0,
        "output": i18n._("no file was submitted: upload {file} or a notebook").format(file=assignment.filename),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [],
    }


def _write_json(data: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, path)


def run(root: Path, given: str) -> dict:
    """Grade ``root/submission`` for the assignment ``given`` and write ``root/results/results.json``.

    ``root`` is Gradescope's ``/autograder`` (``AUTOGRADER_ROOT``). The submission is whatever
    Gradescope put there: a folder of files, one ``.py`` or one notebook, under any name, found
    by the rule ``grader grade`` follows. Returns the results written; never raises: a failure
    of the grader writes score 0 with the reason, and the instructor's stdout shows the details
    (a traceback for a failure of the grader itself). Nothing submitted (no folder, an empty
    one) gets score 0 and what to upload (:func:`nothing_submitted`).
    """
    root = Path(root)
    target = root / "results" / "results.json"
    started = time.monotonic()
    try:
        assignment = find_assignment(given)
        submission = (root / "submission").resolve()
        if not submission.exists() or (submission.is_dir() and not visible_entries(submission)):
            print(f"{assignment.name}: nothing was submitted ({submission} is missing or empty)")
            results = nothing_submitted(assignment)
            _write_json(results, target)
            return results
        work = Path(tempfile.mkdtemp(prefix="grading-", dir=root))
        try:
            report, tried = _grade(assignment, submission, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        results = results_for(report, assignment)
        results["execution_time"] = round(time.monotonic() - started)
        for line in tried:
            print(f"sandbox: {line}")
        sandbox = report.get("sandbox", {})
        print(f"sandbox in force: isolation {sandbox.get('isolation', '?')}: " + json.dumps(sandbox))
        print(f"{assignment.name}: {report['score']:g} / {report['max_score']:g} ({report['status']})"
              + (f": {report['reason']}" if report.get("reason") else ""))
    except Exception as exc:  # noqa: BLE001 - whatever happens, Gradescope gets a results.json
        if isinstance(exc, GraderError):  # said in the results: the instructor's stdout says it too
            print(f"grader: {exc}")
        else:
            traceback.print_exc(file=sys.stdout)
        reason = str(exc) if isinstance(exc, GraderError) else f"the grader failed ({type(exc).__name__})"
        results = failure_results(reason)
    _write_json(results, target)
    return results


def main(argv: list[str] | None = None) -> int:
    """``python -m grader.platforms.gradescope ROOT ASSIGNMENT``: what ``run_autograder`` calls."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m grader.platforms.gradescope AUTOGRADER_ROOT ASSIGNMENT", file=sys.stderr)
        return 2
    try:
        lang = i18n.choose()  # GRADER_LANG, which run_autograder sets
    except GraderError as exc:
        print(f"grader: {exc}", file=sys.stderr)
        return 2
    with i18n.use(lang):
        run(Path(args[0]), args[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
