"""Benchmark: grade a class of N submissions of 01, and the naive way, in the same run.

    .venv/bin/python benchmarks/grade_class.py [N] [--jobs 2]

It copies the sample submissions of examples/activations N times over into a temporary class
folder, then times

* ``grader grade activations <N submissions> --jobs J`` (one sandboxed child per submission,
  public and hidden checks), and
* the naive alternative: one ``pytest`` process per submission, importing the student's module
  into the test process (no sandbox) and running comparable checks (benchmarks/naive_suite.py),
  run over the same submissions with the same number of processes at once.

Figures are seconds per submission (wall clock). This is a script, not a test: the machine
is noisy, run it more than once.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "activations"
NAIVE_SUITE = Path(__file__).resolve().parent / "naive_suite.py"


def make_class(folder: Path, n: int) -> list[Path]:
    samples = sorted(EXAMPLES.iterdir())
    made = []
    for i in range(n):
        sample = samples[i % len(samples)]
        target = folder / f"student{i:04d}"
        if sample.is_dir():
            shutil.copytree(sample, target)
        else:
            target.mkdir()
            shutil.copy(sample, target / sample.name)
        made.append(target)
    return made


def run_grader(subs: list[Path], out: Path, jobs: int) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "grader", "grade", "activations", *map(str, subs), "--out", str(out),
         "--jobs", str(jobs), "--quiet"],
        check=True,
    )
    return time.perf_counter() - started


def run_naive(subs: list[Path], jobs: int) -> float:
    def one(sub: Path) -> int:
        env = dict(os.environ, SUBMISSION=str(sub), PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(NAIVE_SUITE)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=sub,
        ).returncode

    started = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(one, subs))
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        subs = make_class(Path(tmp) / "class", args.n)
        grader_s = run_grader(subs, Path(tmp) / "reports", args.jobs)
        naive_s = run_naive(subs, args.jobs)
    print(f"{args.n} submissions of 01 activations, {args.jobs} at once, {os.cpu_count()} cores")
    print(f"  grader grade (sandboxed, public + hidden): {grader_s:7.2f} s  {grader_s / args.n:.3f} s per submission")
    print(f"  one pytest process per submission (naive): {naive_s:7.2f} s  {naive_s / args.n:.3f} s per submission")
    print(f"  ratio naive / grader: {naive_s / grader_s:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
