"""A limited process kept for many readings (a grading worker's): the same limits for each call
as a process of its own, a fresh child after any failure, the same submissions read."""

from __future__ import annotations

import os
import time

from grader.course import COURSE_ROOT, find_assignment
from grader.submission import load_submission
from grader.submission.limited import LimitedProcess

ACTIVATIONS = find_assignment("activations")


def _pid():
    return os.getpid()


def _spin():
    while True:
        pass


def _burn(seconds):
    start = time.process_time()
    while time.process_time() - start < seconds:
        pass
    return seconds


def _allocate(n):
    return len(bytearray(n))


def _ended(pid):
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        return handle.read().rsplit(")", 1)[1].split()[0] == "Z"


def _raise():
    raise KeyError("secret")


def test_one_child_answers_call_after_call():
    with LimitedProcess() as reader:
        first, second = reader.run(_pid).value, reader.run(_pid).value
    assert first == second != os.getpid()


def test_the_cpu_limit_counts_from_each_call():
    with LimitedProcess() as reader:
        assert [reader.run(_burn, 0.6, cpu_s=1).value for _ in range(3)] == [0.6] * 3  # 1.8 s in all


def test_a_call_over_its_cpu_time_ends_the_child_and_the_next_call_gets_a_fresh_one():
    with LimitedProcess() as reader:
        before = reader.run(_pid).value
        assert reader.run(_spin, cpu_s=1).failure == "cpu"
        after = reader.run(_pid).value
    assert after not in (before, None)


def test_a_call_over_its_memory_fails_as_memory_and_the_next_call_works():
    with LimitedProcess() as reader:
        assert reader.run(_allocate, 1 << 30, memory=64 << 20).failure == "memory"
        assert reader.run(_allocate, 1 << 20, memory=64 << 20).value == 1 << 20


def test_an_exception_is_reported_by_its_name_only():
    with LimitedProcess() as reader:
        outcome = reader.run(_raise)
        assert (outcome.failure, outcome.detail) == ("crash", "KeyError")
        assert reader.run(_allocate, 10).value == 10


def test_a_child_killed_between_calls_is_replaced():
    with LimitedProcess() as reader:
        pid = reader.run(_pid).value
        os.kill(pid, 9)
        while not _ended(pid):  # a zombie, not yet reaped: its end is known before the next call
            time.sleep(0.01)
        assert reader.run(_pid).value not in (pid, None)


def test_submissions_read_by_a_kept_process_are_read_as_by_a_process_each():
    samples = sorted((COURSE_ROOT / "examples" / "activations").iterdir())
    with LimitedProcess() as reader:
        kept = [load_submission(path, ACTIVATIONS, reader=reader) for path in samples]
    assert kept == [load_submission(path, ACTIVATIONS) for path in samples]
