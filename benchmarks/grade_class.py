"""Benchmark: grade a class, and the naive way, in the same run.

    .venv/bin/python benchmarks/grade_class.py [N] [--jobs 2] [--naive N] [--all-assignments S] [--class-size C] [--profile]

* ``N`` submissions of 01 (copies of examples/activations: correct, buggy, half done, a syntax
  error, a notebook) graded by ``grader grade activations ... --jobs J``: seconds per
  submission, the whole run's seconds, and the memory of a grading worker (its peak resident
  set, and its proportional set size with the process it keeps for reading submissions, which
  counts pages shared with the other workers and the grader once);
* the naive alternative on ``--naive`` of them (default: min(N, 100)): one ``pytest`` process
  per submission importing the student's module into the test process (no sandbox) and running
  comparable checks (benchmarks/naive_suite.py), ``J`` processes at once;
* with ``--all-assignments S``: S students for each of the six assignments (the reference
  solution, the correct alternatives and the mutants of tests/submissions, in turn), each
  assignment graded by one ``grader grade`` run, the total, and the CPU time of a class of
  ``--class-size C`` students (default 200) of all six, scaled from it (an upper bound: the
  start-up of each run is scaled too);
* ``--profile``: where the CPU time of grading 50 submissions of 01 in one process goes (the
  judge; the submissions' processes; the zygote and its children in all, which adds starting
  and ending each child; reading the submissions, in a limited process kept as a worker keeps
  it), run as a grading worker runs (on the core its children are pinned to, what it holds
  frozen for the garbage collector), then a cProfile of the judge's side, the top
  functions by cumulative and by own CPU time.

Figures are wall-clock seconds on this machine, whatever else runs on it, and CPU seconds (user
+ system, of every process of the run), which other load does not change much: run it more
than once.
This is a script, not a test.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "activations"
NAIVE_SUITE = Path(__file__).resolve().parent / "naive_suite.py"
ASSIGNMENTS = ("activations", "perceptron", "gradient_descent", "logistic_regression", "dense", "mlp")


def make_class(folder: Path, samples: list[Path], n: int) -> list[Path]:
    """``n`` student folders, ``folder/student0000`` ..., each a copy of a sample in turn."""
    made = []
    for i in range(n):
        sample = samples[i % len(samples)]
        target = folder / f"student{i:04d}"
        if sample.is_dir():
            shutil.copytree(sample, target)
        else:
            target.mkdir(parents=True)
            shutil.copy(sample, target / sample.name)
        made.append(target)
    return made


def samples_of(assignment: str) -> list[Path]:
    """The reference, the correct alternatives and the mutants of an assignment, as submissions."""
    module = {"gradient_descent": "gradient_descent"}.get(assignment, assignment)
    found = [ROOT / "solutions" / assignment]
    for kind in ("correct", "mutants"):
        folder = ROOT / "tests" / "submissions" / assignment / kind
        for path in sorted(folder.iterdir()) if folder.is_dir() else ():
            if path.is_dir():
                found.append(path)
            elif path.suffix == ".py":
                found.append(_as_folder(path, module))
    return found


def _as_folder(path: Path, module: str) -> Path:
    """A one-file sample as a folder holding ``<module>.py`` (what a student hands in)."""
    folder = Path(tempfile.mkdtemp(prefix="sample-")) / path.stem
    folder.mkdir()
    shutil.copy(path, folder / f"{module}.py")
    return folder


class Memory:
    """Samples, every 0.2 s, the memory of the grader's direct children (its workers), each
    with the process it keeps for reading submissions (a fork of it: its peak resident set is
    the worker's alone, its proportional set size is the two together)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_rss_mb = 0.0
        self.peak_pss_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @staticmethod
    def _children(pid: int) -> list[int]:
        try:
            text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        except OSError:
            return []
        return [int(p) for p in text.split()]

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            for child in self._children(self.pid):
                try:
                    status = Path(f"/proc/{child}/status").read_text()
                    pss = _kib(Path(f"/proc/{child}/smaps_rollup").read_text(), "Pss:")
                    command = Path(f"/proc/{child}/cmdline").read_bytes()
                    for reader in self._children(child):  # the zygote runs another command
                        if Path(f"/proc/{reader}/cmdline").read_bytes() == command:
                            pss += _kib(Path(f"/proc/{reader}/smaps_rollup").read_text(), "Pss:")
                except OSError:
                    continue
                self.peak_rss_mb = max(self.peak_rss_mb, _kib(status, "VmHWM:") / 1024)
                self.peak_pss_mb = max(self.peak_pss_mb, pss / 1024)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _kib(text: str, key: str) -> float:
    for line in text.splitlines():
        if line.startswith(key):
            return float(line.split()[1])
    return 0.0


def run_grader(assignment: str, subs: list[Path], out: Path, jobs: int) -> tuple[float, float, Memory]:
    """Wall-clock seconds, CPU seconds (the grader, its workers, sandboxes and children, all
    reaped by then), and the workers' memory of one ``grader grade`` run."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "grader", "grade", assignment, *map(str, subs), "--out", str(out),
         "--jobs", str(jobs), "--quiet"],
        env=dict(os.environ, CI="true"),
    )
    memory = Memory(process.pid)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    memory.stop()
    if process.returncode != 0:
        raise SystemExit(f"grader grade {assignment} failed")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime, memory


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_naive(subs: list[Path], jobs: int) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one pytest process per submission, ``jobs`` at once."""
    def one(sub: Path) -> int:
        env = dict(os.environ, SUBMISSION=str(sub), PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(NAIVE_SUITE)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=sub,
        ).returncode

    started, cpu = time.perf_counter(), _children_cpu()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(one, subs))
    return time.perf_counter() - started, _children_cpu() - cpu


def _zygote_cpu(pid: int) -> float:
    """CPU seconds of a zygote and of its children it reaped (the sandboxed children), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return sum(int(n) for n in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _process_cpu(pid: int) -> float:
    """CPU seconds of a living process (user + system), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return sum(int(n) for n in fields[11:13]) / os.sysconf("SC_CLK_TCK")


def profile(subs: list[Path]) -> None:
    """Where the CPU time of grading ``subs`` one after another in this process goes, then a
    cProfile of the judge's side."""
    import cProfile
    import pstats

    from grader.batch import course_sandbox, hidden_paths, prepare, warm_up
    from grader.course import find_assignment
    from grader.judge.runner import grade
    from grader.judge.student_proxy import Student
    from grader.sandbox.limits import pin_to_one_core
    from grader.submission import load_submission
    from grader.submission.limited import LimitedProcess

    assignment = find_assignment("activations")
    prepare(assignment)
    warm_up(assignment)
    pin_to_one_core(0)  # as grading worker 0 runs: on the core its children are pinned to
    sessions = []

    def student(session):
        sessions.append(session)
        return Student(session)

    def own() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    with course_sandbox("auto", hidden_paths(())) as sandbox, LimitedProcess() as reader:
        grade(assignment, load_submission(subs[0], assignment, reader=reader), sandbox, hidden=True)
        gc.freeze()  # as a worker does once it is ready
        zygote = getattr(sandbox, "zygote_pid", None)
        reader_pid = reader._pid or 0
        started, judge, readers = time.perf_counter(), own(), _process_cpu(reader_pid)
        children = _zygote_cpu(zygote) if zygote else float("nan")
        for sub in subs:
            grade(assignment, load_submission(sub, assignment, reader=reader), sandbox, hidden=True, student=student)
        seconds = time.perf_counter() - started
        judge, readers = own() - judge, _process_cpu(reader_pid) - readers
        children = (_zygote_cpu(zygote) if zygote else float("nan")) - children
        calls = sum(session.cpu_s for session in sessions)
        n = len(subs)
        print(f"{n} submissions of 01 graded one after another in one process: {seconds / n:.3f} s each; CPU-s each:")
        print(f"  the judge (checks, protocol, sandbox supervision): {judge / n:.4f}")
        print(f"  the submissions' processes, as the sandbox meters them: {calls / n:.4f}")
        print(f"  the zygote and its children in all (the above, and starting and ending each child): {children / n:.4f}")
        print(f"  reading the submissions (the limited process a worker keeps): {readers / n:.4f}")
        profiler = cProfile.Profile(time.process_time)  # the judge's CPU time, whatever else runs
        started = time.perf_counter()
        profiler.enable()
        for sub in subs:
            grade(assignment, load_submission(sub, assignment, reader=reader), sandbox, hidden=True)
        profiler.disable()
        seconds = time.perf_counter() - started
    print(f"profile: {len(subs)} submissions of 01 in one process, profiled: {seconds / len(subs):.3f} s each")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--naive", type=int, default=None, help="submissions graded the naive way (default min(N, 100))")
    parser.add_argument("--all-assignments", type=int, default=0, metavar="S", help="S students for each assignment")
    parser.add_argument("--class-size", type=int, default=200, metavar="C",
                        help="with --all-assignments: the class whose CPU time is estimated (default 200)")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, {args.jobs} at once; load average {os.getloadavg()[0]:.1f} at the start")
    with tempfile.TemporaryDirectory() as tmp:
        samples = sorted(EXAMPLES.iterdir())
        if args.profile:
            profile(make_class(Path(tmp) / "profiled", samples, 50))
            return 0
        subs = make_class(Path(tmp) / "class", samples, args.n)
        grader_s, grader_cpu, memory = run_grader("activations", subs, Path(tmp) / "reports", args.jobs)
        print(f"01 activations, {args.n} submissions (sandboxed, public + hidden checks):")
        print(f"  grader grade: {grader_s:7.2f} s  {grader_s / args.n:.4f} s per submission "
              f"({grader_cpu / args.n:.4f} CPU-s per submission)")
        print(f"  a worker's memory: peak RSS {memory.peak_rss_mb:.0f} MB, peak PSS {memory.peak_pss_mb:.0f} MB")
        naive_n = min(args.n, 100) if args.naive is None else args.naive
        if naive_n:
            naive_s, naive_cpu = run_naive(subs[:naive_n], args.jobs)
            print(f"  one pytest process per submission (naive, {naive_n} of them): {naive_s:7.2f} s  "
                  f"{naive_s / naive_n:.4f} s per submission ({naive_cpu / naive_n:.4f} CPU-s per submission)")
            print(f"  grader / naive, per submission: {(grader_s / args.n) / (naive_s / naive_n):.3f} wall-clock, "
                  f"{(grader_cpu / args.n) / (naive_cpu / naive_n):.3f} CPU")
        if args.all_assignments:
            total = total_cpu = 0.0
            print(f"all six assignments, {args.all_assignments} students each:")
            for assignment in ASSIGNMENTS:
                class_ = make_class(Path(tmp) / assignment, samples_of(assignment), args.all_assignments)
                seconds, cpu, memory = run_grader(assignment, class_, Path(tmp) / "all", args.jobs)
                total += seconds
                total_cpu += cpu
                print(f"  {assignment:20} {seconds:7.1f} s  {seconds / args.all_assignments:.3f} s per submission, "
                      f"{cpu:7.1f} CPU-s; worker peak RSS {memory.peak_rss_mb:.0f} MB, PSS {memory.peak_pss_mb:.0f} MB")
            print(f"  total: {total:.1f} s ({total / 60:.1f} min), {total_cpu:.1f} CPU-s "
                  f"({total_cpu / 2 / 60:.1f} min on 2 idle cores)")
            scale = args.class_size / args.all_assignments
            print(f"  {args.class_size} students of each, estimated from these: at most {total_cpu * scale:.0f} CPU-s "
                  f"({total_cpu * scale / 2 / 60:.1f} min on 2 idle cores; each run's start-up counted "
                  f"{scale:g} times)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
