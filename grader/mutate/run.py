"""Grade the mutants of a reference solution and measure the checks by the mutants they kill.

Each mutant is graded like a student's submission: the same sandbox, the same public and hidden
checks (:func:`grader.judge.runner.grade`). A mutant is *killed* when some check does not pass
(failed, error or timeout). Every worker first grades the reference twice: it must pass every
check, and what the checks saw of it (:class:`~grader.mutate.trace.Recorder`) is what a
surviving mutant is compared with. A survivor is *probably equivalent* when its tree equals the
reference's (docstrings and layout aside) or the checks got the same answers from it as from the
reference; the others are the *survivors*: the suites' gaps.
"""

from __future__ import annotations

import json
import multiprocessing
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import cast

from grader.course import Assignment
from grader.errors import GraderError
from grader.judge.catalog import suite_checks
from grader.judge.runner import grade
from grader.mutate.operators import Mutant, mutants, normalized, skipped_lines
from grader.mutate.trace import Recorder, same
from grader.results import CheckSpec
from grader.sandbox.supervisor import Sandbox
from grader.submission import Submission, load_submission

__all__ = ["MutationRun", "Outcome", "run_mutants"]

# worker index -> a context manager giving a started sandbox (a Sandbox is one)
SandboxFactory = Callable[[int], AbstractContextManager[Sandbox]]


@dataclass(frozen=True)
class Outcome:
    """What grading one mutant gave: the ids of the checks it did not pass, whether the checks
    saw the same answers as from the reference, and the wall-clock seconds it took."""

    number: int
    failed: tuple[str, ...]
    same_answers: bool
    seconds: float


@dataclass(frozen=True)
class MutationRun:
    """All mutants of one assignment's reference (numbered from 1 in source order) and what
    grading each gave; ``same_code`` are the numbers of mutants whose tree is the reference's,
    ``skipped`` the lines of the reference marked ``# pragma: no mutate``."""

    assignment: Assignment
    specs: list[CheckSpec]
    mutants: list[Mutant]
    outcomes: dict[int, Outcome]
    same_code: frozenset[int]
    skipped: frozenset[int]
    seconds: float
    jobs: int
    deterministic: bool

    def killed(self, number: int) -> bool:
        outcome = self.outcomes.get(number)
        return outcome is not None and bool(outcome.failed)

    @property
    def equivalent(self) -> list[int]:
        """Survivors that are probably equivalent: same code, or the same answers to the checks."""
        return [
            n
            for n in range(1, len(self.mutants) + 1)
            if not self.killed(n) and (n in self.same_code or (self.deterministic and self.outcomes[n].same_answers))
        ]

    @property
    def survivors(self) -> list[int]:
        equivalent = set(self.equivalent)
        return [n for n in range(1, len(self.mutants) + 1) if not self.killed(n) and n not in equivalent]

    @property
    def counted(self) -> int:
        """The mutants a score is taken over: all but the probably equivalent ones."""
        return len(self.mutants) - len(self.equivalent)

    def kills(self, check: str) -> int:
        return sum(1 for o in self.outcomes.values() if check in o.failed)

    @property
    def score(self) -> float:
        """Killed mutants over non-equivalent mutants (1.0 when there are none)."""
        killed = sum(1 for n in range(1, len(self.mutants) + 1) if self.killed(n))
        return killed / self.counted if self.counted else 1.0


def run_mutants(
    assignment: Assignment,
    make_sandbox: SandboxFactory,
    *,
    jobs: int = 1,
    operators: list[str] | None = None,
    functions: list[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> MutationRun:
    """Make the mutants of ``assignment``'s reference (its main file: the extra modules of 06 are
    the reference of 05) and grade each with the public and hidden checks, ``jobs`` at a time,
    each worker with a sandbox of its own from ``with make_sandbox(worker) as sandbox``.
    ``operators`` and ``functions`` (``"tanh"``, ``"MLP.fit"``) keep only the mutants of those;
    ``progress(done, total)`` is called after each graded mutant.

    Raises :class:`~grader.errors.GraderError` when the reference itself does not pass every
    check or cannot be read, or ``functions`` names none of its functions."""
    reference = load_submission(assignment.solution_dir, assignment)
    if reference.problem is not None:
        raise GraderError(f"the reference solution of {assignment.name} cannot be loaded: {reference.problem}")
    source = reference.files[assignment.filename].decode("utf-8")
    every = mutants(source, operators)
    found = [m for m in every if not functions or m.function in functions]
    if functions and not found:
        known = ", ".join(sorted({m.function for m in every}))
        raise GraderError(f"no mutants of {', '.join(functions)} in solutions/{assignment.name}/{assignment.filename}; its functions: {known}")
    key = normalized(source)
    same_code = frozenset(n for n, m in enumerate(found, 1) if normalized(m.source) == key)
    work = [(n, m.source) for n, m in enumerate(found, 1) if n not in same_code]
    started = time.monotonic()
    jobs = max(1, min(jobs, len(work)))
    outcomes: dict[int, Outcome] = {}
    deterministic = True
    for item in (_serve_here if jobs == 1 else _serve_in_workers)(assignment, reference, work, make_sandbox, jobs):
        if isinstance(item, bool):
            deterministic = deterministic and item
        else:
            outcomes[item.number] = item
            if progress is not None:
                progress(len(outcomes), len(work))
    return MutationRun(
        assignment=assignment,
        specs=suite_checks(assignment, hidden=True),
        mutants=found,
        outcomes=outcomes,
        same_code=same_code,
        skipped=frozenset(skipped_lines(source)),
        seconds=time.monotonic() - started,
        jobs=jobs,
        deterministic=deterministic,
    )


# -- one worker -----------------------------------------------------------------------------
class _Grader:
    """Grades mutants in one sandbox, against the reference's record made in that sandbox."""

    def __init__(self, assignment: Assignment, reference: Submission, sandbox: Sandbox) -> None:
        self.assignment, self.reference, self.sandbox = assignment, reference, sandbox
        first, self.record = self._graded(reference)
        failing = sorted(first)
        if failing:
            raise GraderError(
                f"the reference solution of {assignment.name} does not pass {', '.join(failing)}: "
                "mutation scores need a reference with full marks"
            )
        _, again = self._graded(reference)
        self.deterministic = same(self.record, again)

    def _graded(self, submission: Submission) -> tuple[set[str], list[tuple]]:
        recorder = Recorder()
        graded = grade(self.assignment, submission, self.sandbox, hidden=True, student=recorder.student)
        return {r.id for r in graded.results if r.status != "passed"}, recorder.answers

    def outcome(self, number: int, source: str) -> Outcome:
        started = time.monotonic()
        files = {**self.reference.files, self.assignment.filename: source.encode()}
        submission = replace(self.reference, name=f"mutant-{number}", files=files, sha256={})
        failed, record = self._graded(submission)
        return Outcome(number, tuple(sorted(failed)), not failed and same(record, self.record), time.monotonic() - started)


def _serve_here(
    assignment: Assignment, reference: Submission, work: list[tuple[int, str]], make_sandbox: SandboxFactory, jobs: int
) -> Iterator[Outcome | bool]:
    with make_sandbox(0) as sandbox:
        grader = _Grader(assignment, reference, sandbox)
        yield grader.deterministic
        for number, source in work:
            yield grader.outcome(number, source)


def _worker(conn: Connection, assignment: Assignment, reference: Submission, make_sandbox: SandboxFactory, index: int) -> None:
    """A worker process: its own sandbox; ``[number, source]`` in, an outcome out, until ``stop``."""
    try:
        with make_sandbox(index) as sandbox:
            grader = _Grader(assignment, reference, sandbox)
            conn.send_bytes(json.dumps({"ready": grader.deterministic}).encode())
            while (message := conn.recv_bytes()) != b"stop":
                number, source = json.loads(message)
                outcome = grader.outcome(number, source)
                conn.send_bytes(json.dumps({"outcome": [outcome.number, outcome.failed, outcome.same_answers, outcome.seconds]}).encode())
    except GraderError as exc:
        conn.send_bytes(json.dumps({"error": str(exc)}).encode())
    finally:
        conn.close()


def _serve_in_workers(
    assignment: Assignment, reference: Submission, work: list[tuple[int, str]], make_sandbox: SandboxFactory, jobs: int
) -> Iterator[Outcome | bool]:
    context = multiprocessing.get_context("fork")
    workers: list[tuple[Connection, BaseProcess]] = []
    for index in range(jobs):
        ours, theirs = context.Pipe()
        started = context.Process(target=_worker, args=(theirs, assignment, reference, make_sandbox, index), daemon=True)
        started.start()
        theirs.close()
        workers.append((ours, started))
    pending = list(work)
    busy: set[Connection] = set()

    def receive(conn: Connection) -> dict:
        try:
            reply = json.loads(conn.recv_bytes())
        except EOFError:
            raise GraderError("a mutation worker died") from None
        if "error" in reply:
            raise GraderError(reply["error"])
        return reply

    def give(conn: Connection) -> None:
        if pending:
            conn.send_bytes(json.dumps(pending.pop(0)).encode())
            busy.add(conn)

    try:
        for conn, _ in workers:
            yield bool(receive(conn)["ready"])
            give(conn)
        while busy:
            for ready in wait(list(busy)):
                done = cast(Connection, ready)
                number, failed, same_answers, seconds = receive(done)["outcome"]
                busy.discard(done)
                yield Outcome(number, tuple(failed), same_answers, seconds)
                give(done)
    finally:
        for conn, _ in workers:
            try:
                conn.send_bytes(b"stop")
            except OSError:
                pass
        for conn, process in workers:
            process.join(timeout=15)
            if process.is_alive():
                process.kill()
            conn.close()
