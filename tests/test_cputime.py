"""The meter of a submission's CPU time (grader/sandbox/cputime.py): the processes it finds by
following the children files are those a scan of all of /proc finds, and the stat files it
keeps open read as the files do, also once a process is gone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from grader.sandbox import cputime

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads Linux's /proc")


def _descendants(children: dict[int, list[int]], root: int) -> set[int]:
    found, stack = set(), [root]
    while stack:
        for pid in children.get(stack.pop(), []):
            found.add(pid)
            stack.append(pid)
    return found


@pytest.fixture
def tree():
    """A shell with two sleeping children and a zombie (it does not reap until it waits)."""
    shell = subprocess.Popen(["sh", "-c", "sleep 60 & sleep 60 & exec sleep 60"], start_new_session=True)
    deadline = time.monotonic() + 60  # a hang guard: the shell starts its children at once
    while len(_descendants(cputime.all_processes()[1], shell.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    yield shell
    os.killpg(shell.pid, signal.SIGKILL)
    shell.wait()


@pytest.mark.skipif(not cputime.CHILDREN_FILES, reason="no /proc/<pid>/task/<tid>/children (CONFIG_PROC_CHILDREN)")
def test_the_children_files_find_the_processes_a_scan_of_all_proc_finds(tree):
    stats, children = cputime.tree_of(tree.pid)
    everything = cputime.all_processes()[1]
    assert set(stats) == _descendants(children, tree.pid) == _descendants(everything, tree.pid)
    assert len(stats) >= 2


def test_the_meter_keeps_stat_files_open_reads_them_and_closes_them(tree):
    meter = cputime.TreeMeter(tree.pid)
    meter.scan()
    files = dict(meter._files)
    assert set(files) == set(meter._known) and files
    assert meter.quick() >= 0.0
    meter.close()
    assert meter._files == {}
    for fd in files.values():
        with pytest.raises(OSError):
            os.fstat(fd)


def test_a_reaped_process_reads_as_gone_through_its_open_file(tree):
    meter = cputime.TreeMeter(os.getpid())
    meter.KEEP_OPEN = 10_000  # whatever else this test process started
    meter.scan()
    assert tree.pid in meter._files
    os.killpg(tree.pid, signal.SIGKILL)
    tree.wait()
    assert meter._read(tree.pid) is None
    assert meter.quick() >= 0.0
    meter.close()
