"""Benchmark: the class page of N students, graded on 01 and 02, and the time `grader report` takes.

    .venv/bin/python benchmarks/class_report.py [N] [--keep DIR] [--jobs 2]

Makes a class of N students (default 60) in DIR (a temporary folder unless --keep): each
student hands in a copy of one of the course's own submissions for 01 activations and 02
perceptron, taken in turn from the references, the correct alternatives, the mutants, the
samples and the unloadable files of tests/submissions; every fifth student hands in a disguised
copy of another student's work (names changed, docstrings dropped, functions reordered,
comments added), so that the page has pairs to show. Then it grades both assignments
(`OUT/<assignment>/<student>.yaml`) and times

    grader report OUT --html OUT/class.html --submissions DIR/submissions

Prints the seconds `grader report` took and where the page is. A script, not a test.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests" / "submissions"


def pool(assignment: str) -> list[Path]:
    """Every submission of ``assignment`` the course has, in a fixed order."""
    found = [ROOT / "solutions" / assignment]
    for kind in ("correct", "mutants", "unloadable"):
        folder = TESTS / assignment / kind
        if folder.is_dir():
            found.extend(sorted(folder.iterdir()))
    if assignment == "activations":
        found.extend(sorted((ROOT / "examples" / "activations").iterdir()))
    return found


def disguise(source: str, keep: set[str]) -> str:
    """``source`` with its own names changed, docstrings dropped, functions reordered, comments added."""
    tree = ast.parse(source)
    renamed: dict[str, str] = {}
    fixed = keep | set(dir(builtins)) | {"np", "numpy", "math"}

    def new(name: str) -> str:
        return name if name in fixed else renamed.setdefault(name, f"my_{len(renamed)}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            node.id = new(node.id)
        elif isinstance(node, ast.arg):
            node.arg = new(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            node.name = new(node.name)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and len(node.body) > 1:
                node.body = node.body[1:]
    imports = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    definitions = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    rest = [n for n in tree.body if n not in imports and n not in definitions]
    tree.body = imports + definitions[::-1] + rest
    lines = ast.unparse(tree).splitlines()
    return "# my own work, written from scratch\n" + "\n".join(
        line + ("  # step" if index % 7 == 3 else "") for index, line in enumerate(lines)
    ) + "\n"


def public_names(assignment: str) -> set[str]:
    stub = ast.parse((ROOT / "assignments" / assignment / f"{assignment}.py").read_text())
    return {n.name for n in ast.walk(stub) if isinstance(n, (ast.FunctionDef, ast.ClassDef))} | {
        a.arg for n in ast.walk(stub) if isinstance(n, ast.FunctionDef) for a in n.args.args
    }


def make_class(folder: Path, n: int, assignment: str) -> list[Path]:
    sources = pool(assignment)
    made = []
    for i in range(n):
        target = folder / assignment / f"student{i:02d}"
        target.mkdir(parents=True)
        if i % 5 == 4:  # a disguised copy of the previous student's file
            previous = made[-1] / f"{assignment}.py"
            try:
                copy = disguise(previous.read_text(encoding="utf-8"), public_names(assignment))
            except (OSError, UnicodeDecodeError, SyntaxError):
                copy = None  # a notebook, or a file that is not Python: a copy of another one instead
            if copy is not None:
                (target / f"{assignment}.py").write_text(copy, encoding="utf-8")
                made.append(target)
                continue
        source = sources[i % len(sources)]
        if source.is_dir():
            for file in source.glob("*.py"):
                shutil.copy(file, target / f"{assignment}.py")
        elif source.suffix == ".ipynb":
            shutil.copy(source, target / f"{assignment}.ipynb")
        else:
            shutil.copy(source, target / f"{assignment}.py")
        made.append(target)
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=60)
    parser.add_argument("--keep", type=Path, help="make the class here (an empty or new folder) and keep it")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="class-report-"))
    folder.mkdir(parents=True, exist_ok=True)
    subs, out = folder / "submissions", folder / "reports"
    for assignment in ("activations", "perceptron"):
        made = make_class(subs, args.n, assignment)
        subprocess.run(
            [sys.executable, "-m", "grader", "grade", assignment, *map(str, made), "--out", str(out / assignment),
             "--jobs", str(args.jobs), "--quiet"],
            check=True,
        )
    page = folder / "class.html"
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "grader", "report", str(out), "--html", str(page), "--submissions", str(subs)],
        check=True,
    )
    print(f"grader report on {2 * args.n} reports took {time.perf_counter() - started:.2f} s (wall clock); page: {page}")
    if args.keep is None:
        print(f"(the class is in {folder}; remove it when done)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
