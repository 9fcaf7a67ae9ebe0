"""What a submission prints, in the portable sandbox: every byte attributed to the call that
printed it, and so to a public check (a report's ``output``, shown to the student) or a hidden
one (``hidden_output``, the instructor's only), on every run, whatever the load.

The judge reads the child's output pipe itself (:mod:`grader.sandbox.portable`). Each test runs
twice: with the pipe waited on by ``select`` (POSIX) and with it looked at between waits, the
way it is read on Windows (``polled``; here a POSIX pipe stands in for Windows' anonymous pipe).
Nothing here sleeps or measures time: each assertion holds for every interleaving.
"""

from __future__ import annotations

import functools
import os
import re
import sys

import pytest
import yaml
from conftest import EXAMPLES, SUBMISSIONS

from grader.cli import main
from grader.course import find_assignment
from grader.judge.runner import grade
from grader.report.yaml_report import escape_output
from grader.sandbox import portable
from grader.sandbox.isolation import Limits
from grader.sandbox.portable import PortableSandbox
from grader.sandbox.supervisor import Session, SubmissionCrashed, SubmissionTimedOut
from grader.submission import load_submission

PRINTER = '''
import os, socket, stat, sys

def text(n):
    return "<%d:" % n + "x" * n + ">"

def say(n, where):
    if where == "print":
        print(text(n), end="")
    elif where == "stderr":
        sys.stderr.write(text(n))
    else:  # straight to the pipe, past Python's buffers
        data = text(n).encode()
        while data:
            data = data[os.write(1, data):]
    return n

def last_words(how):
    """Print, then end: with os._exit, or after closing the grader's socket first."""
    if how == "close_socket":
        for fd in range(3, 256):
            try:
                if stat.S_ISSOCK(os.fstat(fd).st_mode):
                    os.close(fd)
            except OSError:
                pass
    print("last words", flush=True)
    os.write(2, b"and no newline")
    os._exit(3)

def spam():
    line = "spam " * 20000 + "\\n"
    while True:
        sys.stdout.write(line)

def mute():
    os.close(1)
    os.close(2)
    return 1
'''

# Alice's activations, each function printing a numbered line as it starts (stdout) and as
# it ends (stderr), so that where the public output ends can be told to the call.
LOUD = '''

import functools as _functools
import sys as _sys

_CALLS = [0]


def _loud(function):
    @_functools.wraps(function)
    def wrapper(*args, **kwargs):
        _CALLS[0] += 1
        number = _CALLS[0]
        print(f"B{number}")
        try:
            return function(*args, **kwargs)
        finally:
            _sys.stderr.write(f"A{number}\\n")

    return wrapper


for _name, _value in list(globals().items()):
    if callable(_value) and not _name.startswith("_") and getattr(_value, "__module__", None) == __name__:
        globals()[_name] = _loud(_value)
'''


@pytest.fixture(params=["select", "polled"])
def polled(request, monkeypatch) -> bool:
    """Whether the child's output is polled (as on Windows) rather than waited on."""
    if request.param == "polled":
        monkeypatch.setattr(portable, "PortableChild", functools.partial(portable.PortableChild, polled=True))
    return request.param == "polled"


def session(box: PortableSandbox) -> Session:
    made = Session(box, files={"printer.py": PRINTER}, module="printer")
    assert made.load() is None
    return made


def expected(n: int) -> bytes:
    return b"<%d:" % n + b"x" * n + b">"


def test_each_calls_output_is_read_before_its_answer(polled):
    """After each answer, the output holds exactly what was printed up to it: by print, on
    stderr, by os.write; a few bytes, and more than a pipe holds (64 KiB), so that the child
    blocks on a full pipe mid-call."""
    with PortableSandbox(limits=Limits(output_bytes=1 << 24)) as box, session(box) as printing:
        so_far = b""
        for _ in range(3):
            for n in (0, 1, 4095, 4096, 65536, 300_000):
                for where in ("print", "stderr", "fd"):
                    assert printing.call("say", [n, where], {}).value == n
                    so_far += expected(n)
                    assert bytes(printing.output) == so_far, (n, where, len(printing.output), len(so_far))
        assert printing.output_dropped == 0


@pytest.mark.parametrize("how", ["exit", "close_socket"])
def test_what_a_child_prints_as_it_ends_is_kept(polled, how):
    """Printed just before the process ended (os._exit), or after it closed the grader's
    socket: read from the pipe once it has ended, nothing lost."""
    with PortableSandbox() as box, session(box) as printing:
        printing.call("say", [3, "print"], {})
        with pytest.raises(SubmissionCrashed, match="exited with code 3"):
            printing.call("last_words", [how], {})
        assert printing.output_text() == "<3:xxx>last words\nand no newline"
        assert printing.call("say", [1, "fd"], {}).value == 1  # a fresh child goes on
        assert printing.output_text().endswith("and no newline<1:x>")


def test_a_child_that_closes_its_output_goes_on_without_it(polled):
    with PortableSandbox() as box, session(box) as printing:
        printing.call("say", [2, "stderr"], {})
        assert printing.call("mute", [], {}).value == 1
        assert printing.call("say", [5, "print"], {}).value == 5
        assert printing.output_text() == "<2:xx>"


@pytest.mark.slow
def test_endless_output_is_cut_and_the_call_timed_out(polled):
    """A call printing without end neither holds nor floods the judge: the call's CPU limit
    stops it, the output keeps its limit and counts the rest, and the next call is answered."""
    limits = Limits(call_timeout_s=0.25)  # (polled, a flood runs slower: it takes longer to use its CPU time)
    with PortableSandbox(limits=limits) as box, session(box) as printing:
        with pytest.raises(SubmissionTimedOut, match="CPU time"):
            printing.call("spam", [], {})
        assert len(printing.output) == limits.output_bytes
        assert printing.output_dropped > 10 * limits.output_bytes
        assert printing.call("say", [0, "print"], {}).value == 0


def loud_alice(tmp_path) -> os.PathLike:
    folder = tmp_path / "loud"
    folder.mkdir()
    path = folder / "activations.py"
    path.write_text((EXAMPLES / "alice" / "activations.py").read_text() + LOUD)
    return path


def calls_in(text: str) -> tuple[list[int], list[int]]:
    """The numbers of the calls that started, and of those that ended, in ``text``."""
    return [int(n) for n in re.findall(r"^B(\d+)$", text, re.M)], [int(n) for n in re.findall(r"^A(\d+)$", text, re.M)]


def check_split(public_run: str, output: str, hidden_output: str) -> None:
    """``output`` is what the public checks alone print; ``hidden_output`` goes on from the
    next call to the last, each call's two lines on the same side."""
    assert output == public_run
    started, ended = calls_in(output)
    assert sorted(started) == sorted(ended) == list(range(1, len(started) + 1))
    hidden_started, hidden_ended = calls_in(hidden_output)
    assert hidden_output.startswith(f"B{len(started) + 1}\n")
    assert sorted(hidden_started) == sorted(hidden_ended) == list(range(len(started) + 1, len(started) + len(hidden_started) + 1))
    assert hidden_output.endswith(f"A{max(hidden_started)}\n")  # the last call's output, not lost
    assert hidden_output.count("\n") == 2 * len(hidden_started)


@pytest.mark.slow
def test_public_and_hidden_output_split_exactly_every_time(polled, tmp_path):
    """Graded 20 times (5 when polled): the public checks' output, exactly as they alone print
    it, is the report's output; what the hidden checks' calls printed is all in hidden_output."""
    assignment = find_assignment("activations")
    path = loud_alice(tmp_path)
    with PortableSandbox() as box:
        public_run = grade(assignment, load_submission(path, assignment), box, hidden=False).output
        assert public_run.startswith("B1\n")
        seen = set()
        for _ in range(5 if polled else 20):
            graded = grade(assignment, load_submission(path, assignment), box, hidden=True)
            assert graded.status == "graded" and all(r.status == "passed" for r in graded.results)
            check_split(public_run, graded.output, graded.hidden_output)
            seen.add((graded.output, graded.hidden_output))
        assert len(seen) == 1


@pytest.mark.slow
def test_grade_with_isolation_portable_reports_the_split(tmp_path):
    """The same through ``grader grade --isolation portable``: the YAML report's two fields."""
    path = loud_alice(tmp_path)
    assignment = find_assignment("activations")
    with PortableSandbox() as box:
        public_run = grade(assignment, load_submission(path, assignment), box, hidden=False).output
        graded = grade(assignment, load_submission(path, assignment), box, hidden=True)
    check_split(public_run, graded.output, graded.hidden_output)
    out = tmp_path / "out"
    command = ["grade", "activations", "--isolation", "portable", "--allow-isolation-none", "--out", str(out), "--", str(path.parent)]
    assert main(command) == 0
    report = yaml.safe_load((out / "activations" / "loud.yaml").read_text())
    assert report["output"] == escape_output(public_run)
    assert report["hidden_output"] == escape_output(graded.hidden_output)  # (cut to what a report shows)


@pytest.mark.skipif(sys.platform != "win32", reason="Windows' pipes: run on Windows only")
def test_windows_reads_its_pipe_without_blocking():  # pragma: no cover - Windows
    with PortableSandbox() as box, session(box) as printing:
        assert printing._child is not None and printing._child.output_polled
        printing.call("say", [70000, "print"], {})
        assert bytes(printing.output) == expected(70000)[: len(printing.output)]


def test_a_child_cannot_write_the_graders_memory():
    """A child of the grader's uid (as root, or as the student on a laptop) opens no process's
    memory for writing (``/proc/<pid>/mem``): not the grader's, where it could change a verdict,
    nor the next submission's child, started ahead. As root, the child has no capabilities; the
    grader and every child are not dumpable. (As a user, other dumpable processes of the user's
    stay within reach: the portable sandbox is isolation none.)"""
    hostile = SUBMISSIONS / "activations" / "hostile" / "writes_the_graders_memory.py"
    with PortableSandbox() as box:
        spare = box._spare[0].pid if box._spare is not None else None
        with Session(box, files={"activations.py": hostile.read_text()}, module="activations") as child:
            assert child.load() is None
            assert spare is not None and box._spare is None  # the spare now serves; start the next one
            box._spare = process, token = box._launch()
            sock, limits = box._connect(process, token)  # its hello sent: it is not dumpable by now
            box._waiting[token] = (sock, {"token": token, "limits": limits})
            reached = set(child.call("reached", [], {}).value)
            assert not reached & {os.getpid(), box._spare[0].pid}
            if os.geteuid() == 0:  # without capabilities, no process of root's (as a user: the user's own may be)
                assert reached == set()


def test_connections_left_open_do_not_hold_the_next_child():
    """A process a submission left behind (outside the child's process group, where nothing
    kills it: ``grader check``, macOS, Windows) holds connections to the sandbox's port open,
    saying nothing, half a hello, or garbage: the next child starts, as it would without them."""
    hostile = SUBMISSIONS / "activations" / "hostile" / "squats_the_sandbox_listener.py"
    with PortableSandbox(reap=False) as box:
        with Session(box, files={"activations.py": hostile.read_text()}, module="activations") as child:
            assert child.load() is None
            squatter = child.call("squat", [], {}).value
            try:
                child.close()
                assert child.load() is None  # a fresh child, behind 80 connections that say nothing useful
                assert child.call("sigmoid", [0.0], {}).value == 0.5
            finally:
                os.kill(squatter, 9)
