"""Grading a class: worker processes, resumable runs, nothing finished lost.

:func:`grade_class` grades a list of :class:`Task` (a submission and the path of its report)
with ``jobs`` worker processes and yields an :class:`Outcome` as each submission finishes
(not in input order). Each worker has its own sandbox, grades one submission at a time and
writes its report itself, atomically, before it says it is done: a report on disk is a
finished submission, whatever happens to the run afterwards.

* **Resumable.** A submission whose report exists with the same files (``sha256``) and the
  same rubric (:mod:`grader.rubric`) is not graded again: its outcome is ``skipped``, and no
  worker starts when nothing is left to grade. ``force=True`` grades everything.
* **Warm workers, honest durations.** The parent imports the suites and draws the property
  checks' inputs once, before the workers are forked from it; a report's ``duration_s`` is
  that submission's own time (loading it and running its checks).
* **A worker that dies** (killed, out of memory) is replaced; the submission it was grading
  gets a report with ``status: error`` and the reason, and the batch goes on.
* **Ctrl-C.** Workers ignore SIGINT (the terminal sends it to the whole process group); the
  parent gets :class:`KeyboardInterrupt`, yields what already finished and stops the workers.
  The parent also notes the signal itself (:class:`grader.interrupt.CtrlC`): an interrupt raised inside a
  garbage-collector callback or a ``__del__`` is printed and dropped by Python, and the run
  would otherwise go on and exit 0.
  A worker blocks SIGTERM while it writes a report, so no report is ever half written.
* **One at a time without isolation.** Where the children run with the grader's uid (``none``,
  the portable sandbox), one worker grades them all: the syscall filter keeps a child's hands
  off the grader's processes, its ancestors, but a second worker and its submission would not
  be among them.
* **Reports are the grader's.** A worker writes a submission's report once its sandboxed
  session has ended, every process it started killed. A submission graded without isolation
  (``none``, the portable sandbox) has the grader's uid and could still rewrite a report written
  earlier, or squat a later one's path (a file, a folder); so the parent keeps the sha256 of
  every report written (:class:`~grader.report.ledger.Ledger`) and, once every worker has
  ended, writes again each report that is not the grader's and removes what appeared in the
  reports folders without the grader writing it, saying so on stderr. A squatted path does
  not stop the batch: its report is written then.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import signal
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from multiprocessing.connection import Connection, wait
from pathlib import Path

from grader import __version__
from grader.course import COURSE_ROOT, Assignment, find_assignment
from grader.errors import GraderError, ReportNotWritable
from grader.i18n import DEFAULT as DEFAULT_LANGUAGE
from grader.i18n import language
from grader.interrupt import CtrlC
from grader.report.ledger import Ledger, file_digest
from grader.results import CheckResult, CheckSpec, Report

__all__ = ["BatchConfig", "Outcome", "Rubric", "Task", "course_sandbox", "grade_class", "hidden_paths", "prepare"]

_STOP = b"stop"
_READY = b"ready"
_STOP_WAIT_S = 15  # for a worker to close its sandbox after "stop"
_MAX_FAILED_STARTS = 3  # workers dying before they are ready, in a row, before giving up


@dataclass(frozen=True)
class Task:
    """One submission of a batch: its position in the input, its path, its report's path."""

    number: int
    path: Path
    target: Path


@dataclass(frozen=True)
class Outcome:
    """A finished task: its report (already on disk), and whether it was up to date (skipped)."""

    task: Task
    report: Report
    skipped: bool = False
    digest: str | None = None  # sha256 of the report file as written (None: left for the parent)


@dataclass(frozen=True)
class BatchConfig:
    """What every worker needs to know: the assignment (by name), the sandbox, ``force``."""

    assignment: str
    isolation: str
    hide: tuple[str, ...]
    jobs: int = 1
    force: bool = False


@dataclass(frozen=True)
class Rubric:
    """An assignment's checks as the suites declare them, and their digest."""

    specs: tuple[CheckSpec, ...]
    digest: str

    @property
    def max_score(self) -> float:
        return sum(spec.max_points for spec in self.specs)


def course_sandbox(isolation: str, hide: tuple[str, ...], *, worker: int = 0, dedicated: bool = False):
    """A sandbox from which the whole course is out of sight (but for a virtual environment
    inside it), and ``hide`` as well. ``dedicated``: the calling process does nothing else (a
    grading worker), so the portable sandbox may take and kill every orphan of its children."""
    from grader.sandbox.portable import PortableSandbox, wanted

    if wanted(isolation):  # macOS, Windows, or asked for: a spawned child, isolation none
        return PortableSandbox(hide=hide, private=(str(COURSE_ROOT),), worker=worker, reap=dedicated)
    from grader.sandbox.supervisor import Sandbox

    return Sandbox(isolation_mode=isolation, hide=hide, private=(str(COURSE_ROOT),), worker=worker)


def hidden_paths(extra: tuple[Path, ...]) -> tuple[str, ...]:
    """What a child must not see: references, hidden suites, history, reports, other submissions."""
    paths = [COURSE_ROOT / "solutions", COURSE_ROOT / "grader" / "hidden", COURSE_ROOT / ".git", *extra]
    return tuple(sorted({str(p.resolve()) for p in paths}))


def prepare(assignment: Assignment) -> Rubric:
    """The rubric of ``assignment``: its checks as its suites declare them, and their digest."""
    from grader.judge.catalog import suite_checks
    from grader.rubric import rubric_digest

    specs = tuple(suite_checks(assignment, hidden=True))
    return Rubric(specs, rubric_digest(assignment, specs))


def warm_up(assignment: Assignment) -> None:
    """Import the judge and draw every property check's inputs, in the process the workers are
    forked from: the work each worker would otherwise repeat on its first submission."""
    from grader.judge import runner  # noqa: F401  (pytest and the plugin, imported once)
    from grader.judge.catalog import load_suite, suite_paths

    for path, visibility in suite_paths(assignment, hidden=True):
        for function in vars(load_suite(path, visibility)).values():
            draw = getattr(function, "inputs", None)  # a property check's cached draws
            if callable(draw) and callable(function):
                draw()


def up_to_date(existing: Report | None, assignment: Assignment, submission, rubric: Rubric) -> bool:
    """Whether ``existing`` is the report of these very files graded with this rubric, in the
    language of this run."""
    return (
        existing is not None
        and existing.get("assignment") == assignment.name
        and existing.get("rubric") == rubric.digest
        and existing.get("sha256") == dict(submission.sha256)
        and existing.get("status") in ("graded", "error")
        and existing.get("lang", DEFAULT_LANGUAGE) == language()  # feedback in the language asked for
    )


def _up_to_date_report(task: Task, assignment: Assignment, rubric: Rubric) -> Report | None:
    from grader.report.yaml_report import read_report
    from grader.submission import load_submission

    if not task.target.is_file():
        return None
    existing = read_report(task.target)
    if existing is None or existing.get("rubric") != rubric.digest:
        return None
    return existing if up_to_date(existing, assignment, load_submission(task.path, assignment), rubric) else None


class _Grader:
    """Grades tasks in one process with one sandbox; see :func:`grade_class`. ``reader``: a
    limited process kept for reading the submissions (else one is forked for each)."""

    def __init__(self, assignment: Assignment, rubric: Rubric, sandbox, reader=None) -> None:
        self.assignment, self.rubric, self.sandbox, self.reader = assignment, rubric, sandbox, reader

    def run(self, task: Task) -> Outcome:
        from grader.judge.runner import grade
        from grader.release import public_digest, stale_notes
        from grader.report.yaml_report import build_report
        from grader.submission import load_submission

        started = time.monotonic()
        graded_at = datetime.now(timezone.utc)
        submission = load_submission(task.path, self.assignment, reader=self.reader)
        graded = grade(self.assignment, submission, self.sandbox, hidden=True)
        release = stale_notes(self.assignment, submission.release, shown=submission.release_in)
        report = build_report(
            assignment=self.assignment,
            submission=submission,
            results=graded.results,
            status=graded.status,
            reason=graded.reason,
            grader_version=__version__,
            rubric=self.rubric.digest,
            graded_at=graded_at,
            duration_s=time.monotonic() - started,
            sandbox=self.sandbox.in_force,
            output=graded.output,
            hidden_output=graded.hidden_output,
            notes=(*release, *graded.events),  # after the submission's own notes
            public_checks=public_digest(self.assignment),
        )
        try:
            digest = _write_uninterrupted(report, task.target)
        except ReportNotWritable:
            if self.sandbox.in_force.get("isolation") != "none":
                raise
            digest = None  # a child with the grader's rights may have blocked it: the parent writes it at the end
        return Outcome(task, report, digest=digest)


def _write_uninterrupted(report: Report, target: Path) -> str:
    """Write the report with SIGTERM held back: a worker stopped now ends after the write.
    Returns the sha256 of what was written."""
    from grader.report.yaml_report import write_report

    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        return write_report(report, target)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _worker(conn: Connection, config: BatchConfig, rubric: Rubric, index: int) -> None:
    """A grading worker: its own sandbox; tasks in, outcomes out, until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        from grader.sandbox import isolation

        isolation.set_parent_death_signal()  # the grader killed: no worker left behind
    except (ImportError, AttributeError, OSError):
        pass
    from grader.submission.limited import LimitedProcess

    _share_core_with_children(index)
    assignment = find_assignment(config.assignment)
    try:
        with course_sandbox(config.isolation, config.hide, worker=index, dedicated=True) as sandbox, \
                LimitedProcess() as reader:
            grader = _Grader(assignment, rubric, sandbox, reader if _out_of_reach(sandbox.in_force) else None)
            # What the worker holds for good (the judge, the suites, their draws, the sandbox) is
            # left out of the garbage collector's full collections: each would walk all of it
            # again for the little that grading one submission leaves behind.
            gc.freeze()
            conn.send_bytes(_READY)
            while True:
                message = conn.recv_bytes()
                if message == _STOP:
                    break
                number, path, target = json.loads(message)
                task = Task(number, Path(path), Path(target))
                try:
                    outcome = grader.run(task)
                    reply = [number, outcome.report, outcome.skipped, None, outcome.digest]
                except GraderError as exc:
                    reply = [number, None, False, str(exc), None]
                conn.send_bytes(json.dumps(reply).encode())
    except GraderError as exc:
        try:
            conn.send_bytes(json.dumps([-1, None, False, str(exc), None]).encode())
        except OSError:
            pass
    except (EOFError, BrokenPipeError):
        pass  # the parent left
    finally:
        conn.close()


def _share_core_with_children(index: int) -> None:
    """Run worker ``index`` on the core its sandbox pins its children to (the same choice:
    ``index`` modulo the cores it may use, :func:`~grader.sandbox.limits.pin_to_one_core`).

    The judge and its child take turns, each waiting for the other's answer, so they never
    need two cores; a wake-up on the core one is already on is cheaper than one sent to
    another core, and a submission's many small calls are mostly wake-ups (about a quarter
    less CPU time per call on both sides). The workers keep distinct cores where there are
    enough. Nothing to do where a process cannot be pinned (the sandbox's child then is not either)."""
    from grader.sandbox.limits import pin_to_one_core

    pin_to_one_core(index)


def _out_of_reach(in_force: dict) -> bool:
    """Whether the submissions' processes cannot signal a process the worker keeps (its
    reader): they have a uid of their own, or a PID namespace of their own."""
    return str(in_force.get("uid", "")).startswith("separate") or "own PID" in str(in_force.get("process", ""))


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    index: int
    ready: bool = False
    task: Task | None = None


def grade_class(config: BatchConfig, tasks: list[Task], rubric: Rubric | None = None) -> Iterator[Outcome]:
    """Grade ``tasks`` with ``config.jobs`` workers; yield each :class:`Outcome` as it finishes.

    Raises :class:`~grader.errors.GraderError` when the grader cannot run (the sandbox cannot
    start, a report cannot be written) and :class:`KeyboardInterrupt` on Ctrl-C, after
    yielding what had finished. Reports are on disk before their outcome is yielded, and
    checked once every worker has ended (see :class:`~grader.report.ledger.Ledger`).
    """
    if not tasks:
        return
    assignment = find_assignment(config.assignment)
    rubric = rubric or prepare(assignment)
    ledger = Ledger.of([task.target for task in tasks])
    pending = []
    for task in tasks:
        existing = None if config.force else _up_to_date_report(task, assignment, rubric)
        if existing is None:
            pending.append(task)
        else:
            ledger.expect(task.target, existing, file_digest(task.target))
            yield Outcome(task, existing, skipped=True)
    if not pending:
        return
    pending.reverse()  # taken from the end: in input order
    unconfined = _unconfined(config)
    size = min(max(config.jobs, 1), len(pending))
    if unconfined and size > 1:
        size = 1
        print(
            "grader: without isolation, submissions are graded one at a time (--jobs 1): one running with your "
            "rights could otherwise stop or slow down the one graded next to it",
            file=sys.stderr,
        )
    ctrl_c = CtrlC()
    pool = _Pool(config, rubric, size)
    try:
        ctrl_c.install()
        warm_up(assignment)
        pool.start()
        while pending or pool.busy():
            ctrl_c.check()
            for worker in pool.wait():
                outcome = pool.receive(worker, assignment)
                if outcome is not None:
                    ledger.expect(outcome.task.target, outcome.report, outcome.digest)
                    unconfined = unconfined or outcome.report.get("sandbox", {}).get("isolation") == "none"
                    yield outcome
            ctrl_c.check()
            pool.assign(pending)
        ctrl_c.check()
    except KeyboardInterrupt:
        for outcome in pool.drain(assignment):
            ledger.expect(outcome.task.target, outcome.report, outcome.digest)
            yield outcome
        raise
    finally:
        pool.close()  # every sandbox, and every process of every submission, ended
        ctrl_c.uninstall()
        _settle(ledger, sweep=unconfined, raising=sys.exc_info()[0] is None)


def _settle(ledger: Ledger, *, sweep: bool, raising: bool) -> None:
    """The reports put right (:meth:`Ledger.settle`), what was done said on stderr. A report
    that cannot be written raises only when no other exception is on its way already."""
    try:
        done = ledger.settle(sweep=sweep)
    except GraderError as exc:
        if raising:
            raise
        print(f"grader: {exc}", file=sys.stderr)
        return
    for line in done:
        print(f"grader: {line}", file=sys.stderr)


def _unconfined(config: BatchConfig) -> bool:
    """Whether the children run with the grader's uid and files (none, portable, or auto where
    nothing else works)."""
    from grader.sandbox.portable import wanted

    if config.isolation == "none" or wanted(config.isolation):
        return True
    if config.isolation != "auto":
        return False
    from grader.sandbox import isolation

    try:
        return isolation.detect_mode("auto") == "none"
    except (OSError, ValueError):
        return True



class _Pool:
    """The worker processes of one batch, and what each is doing."""

    def __init__(self, config: BatchConfig, rubric: Rubric, size: int) -> None:
        self.config, self.rubric, self.size = config, rubric, size
        self.context = multiprocessing.get_context("fork")
        self.workers: dict[Connection, _Worker] = {}
        self.failed_starts = 0
        self.closing = False

    def _spawn(self, index: int) -> _Worker:
        ours, theirs = self.context.Pipe()
        process = self.context.Process(
            target=_worker, args=(theirs, self.config, self.rubric, index), daemon=True, name=f"grader-worker-{index}"
        )
        process.start()
        theirs.close()
        worker = _Worker(process, ours, index)
        self.workers[ours] = worker
        return worker

    def start(self) -> None:
        for index in range(self.size):
            self._spawn(index)

    def assign(self, pending: list[Task]) -> None:
        """The next tasks (from the end of ``pending``) to the idle workers."""
        for worker in list(self.workers.values()):
            if pending and worker.ready and worker.task is None:
                self.give(worker, pending.pop())

    def busy(self) -> bool:
        return any(w.task is not None for w in self.workers.values())

    def wait(self) -> list[_Worker]:
        ready = wait(list(self.workers))
        return [self.workers[conn] for conn in ready if conn in self.workers]

    def give(self, worker: _Worker, task: Task) -> None:
        worker.task = task
        worker.conn.send_bytes(json.dumps([task.number, str(task.path), str(task.target)]).encode())

    def receive(self, worker: _Worker, assignment: Assignment) -> Outcome | None:
        """Read one message of ``worker``; a finished task's outcome, or None."""
        try:
            message = worker.conn.recv_bytes()
        except (EOFError, OSError):
            return self._died(worker, assignment)
        if message == _READY:
            worker.ready = True
            self.failed_starts = 0
            return None
        number, report, skipped, error, digest = json.loads(message)
        if error is not None:
            raise GraderError(error)
        task, worker.task = worker.task, None
        assert task is not None and task.number == number
        return Outcome(task, report, skipped, digest)

    def _died(self, worker: _Worker, assignment: Assignment) -> Outcome | None:
        """A worker ended without a word: its task gets an error report; a new worker starts."""
        worker.process.join(timeout=5)
        how = _how_it_ended(worker.process.exitcode)
        del self.workers[worker.conn]
        worker.conn.close()
        task, worker.task = worker.task, None
        if not worker.ready:
            self.failed_starts += 1
            if self.failed_starts >= _MAX_FAILED_STARTS:
                raise GraderError(f"the grading workers die before they can start ({how})")
        if not self.closing:
            self._spawn(worker.index)
        if task is None:
            return None
        report = _worker_died_report(assignment, self.rubric, task, how)
        try:
            digest: str | None = _write_uninterrupted(report, task.target)
        except ReportNotWritable:
            digest = None  # written when the batch ends (Ledger.settle), or the error raised then
        return Outcome(task, report, digest=digest)

    def drain(self, assignment: Assignment) -> Iterator[Outcome]:
        """The outcomes already sent when the run is interrupted (their reports are written)."""
        self.closing = True
        for worker in list(self.workers.values()):
            try:
                while worker.task is not None and worker.conn.poll(0):
                    outcome = self.receive(worker, assignment)
                    if outcome is not None:
                        yield outcome
            except (GraderError, OSError, EOFError):
                continue

    def close(self) -> None:
        """Stop every worker: idle ones are told to stop; busy ones (an interrupted run) get
        SIGTERM, which waits for a report being written."""
        self.closing = True
        for worker in self.workers.values():
            if worker.task is None:
                try:
                    worker.conn.send_bytes(_STOP)
                except OSError:
                    pass
            elif worker.process.is_alive():
                worker.process.terminate()
        deadline = time.monotonic() + _STOP_WAIT_S
        for worker in self.workers.values():
            worker.process.join(timeout=max(0.1, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        self.workers.clear()


def _how_it_ended(exitcode: int | None) -> str:
    if exitcode is None:
        return "it stopped answering"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"killed by {name}"
    return f"exit code {exitcode}"


def _worker_died_report(assignment: Assignment, rubric: Rubric, task: Task, how: str) -> Report:
    """The report of a submission whose worker died while grading it."""
    from grader.report.yaml_report import build_report
    from grader.submission import Submission, load_submission, submission_name

    reason = (
        f"the grader's worker process ended while grading this submission ({how}); "
        "grade it again with --force, and tell the course staff if it happens again"
    )
    try:
        submission = load_submission(task.path, assignment)
    except GraderError:
        submission = Submission(name=submission_name(task.path), path=task.path, files={}, sha256={})
    results = [
        CheckResult(spec.id, spec.visibility, 0.0, spec.max_points, "error", f"not run: {reason}", spec.description)
        for spec in rubric.specs
    ]
    return build_report(
        assignment=assignment,
        submission=submission,
        results=results,
        status="error",
        reason=reason,
        grader_version=__version__,
        rubric=rubric.digest,
        graded_at=datetime.now(timezone.utc),
        duration_s=0.0,
        sandbox={},
    )
