"""`grader check` as a student sees it: printed as it goes, one message for an unloadable
submission, Ctrl-C, -k, what the grade adds, "did you mean", colour."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys

import pytest
from conftest import EXAMPLES, count_checks, max_points

from grader.cli import main
from grader.interrupt import CtrlC
from grader.report.console import check_line, use_colour
from grader.results import CheckResult

ALICE = EXAMPLES / "alice" / "activations.py"


def alice_with_endless(tmp_path, function: str):
    """Alice's correct activations.py, but ``function`` never returns."""
    source = ALICE.read_text() + f"\n\ndef {function}(*args, **kwargs):\n    while True:\n        pass\n"
    path = tmp_path / "activations.py"
    path.write_text(source)
    return path


def as_foreground_job() -> None:
    """SIGINT as a terminal's foreground job has it. A job started in the background of a script
    (as these tests may be) has SIGINT ignored, and the grader rightly keeps ignoring it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def grader_process(*args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "0"}
    return subprocess.Popen(
        [sys.executable, "-m", "grader", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        **kwargs,
    )


@pytest.mark.slow
def test_check_prints_the_header_and_each_line_as_the_check_ends(tmp_path):
    """A check that loops comes after sigmoid_values: its line is on screen while tanh loops."""
    path = alice_with_endless(tmp_path, "tanh")
    process = grader_process("check", "activations", str(path))
    try:
        assert process.stdout.readline() == "01 activations: checking activations\n"
        first = process.stdout.readline()
        assert first.startswith("PASS") and "sigmoid_values" in first
        assert process.poll() is None  # still running: the line came before the end
        out, _ = process.communicate(timeout=300)
    finally:
        process.kill()
    assert process.returncode == 1
    assert "TIME   tanh_values" in out and "public checks pass" in out


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="Ctrl-C to a process group is a POSIX signal")
def test_ctrl_c_prints_interrupted_and_exits_130(tmp_path):
    path = alice_with_endless(tmp_path, "sigmoid")
    # Its own process group, as a terminal's foreground job: Ctrl-C reaches the grader and its children.
    process = grader_process("check", "activations", str(path), start_new_session=True, preexec_fn=as_foreground_job)
    try:
        assert process.stdout.readline().startswith("01 activations: checking")
        os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 130
    assert err == "grader: interrupted\n"
    assert "Traceback" not in out + err


def test_k_runs_only_the_matching_checks(capsys):
    assert main(["check", "activations", "-k", "softmax", str(EXAMPLES / "alice")]) == 0
    lines = capsys.readouterr().out.splitlines()
    checked = [line.split()[1] for line in lines if line.startswith(("PASS", "FAIL", "ERROR", "TIME"))]
    assert checked == ["softmax_values", "softmax_stable"]
    assert lines[-1] == "2 of 2 public checks pass (2.0 / 2.0 points)"


def test_k_with_no_match_names_the_checks(capsys):
    assert main(["check", "activations", str(EXAMPLES / "alice"), "-k", "convolution"]) == 2
    err = capsys.readouterr().err
    assert "no check's name contains 'convolution'" in err and "softmax_values" in err


def test_the_summary_says_what_the_grade_adds(capsys):
    assert main(["check", "activations", str(EXAMPLES / "alice")]) == 0
    public = count_checks("activations", "public")
    hidden = count_checks("activations", "hidden")
    worth = max_points("activations", "hidden")
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == f"public {public}/{public}; grading adds {hidden} hidden checks worth {worth:g} points"


def test_an_unloadable_submission_gets_one_message(capsys, tmp_path):
    (tmp_path / "activations.py").write_text("def sigmoid(z:\n    return z\n")
    assert main(["check", "activations", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert out.count("syntax error") == 1 and "Cannot check it: syntax error in activations.py, line 1" in out
    public = count_checks("activations", "public")
    assert out.splitlines()[-1] == f"none of the {public} public checks ran (0.0 / {max_points('activations', 'public')} points)"
    assert "FAIL" not in out and "ERROR" not in out


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda tmp: (tmp / "foo.txt").write_text("x") and tmp / "foo.txt", ["foo.txt is neither a folder", ".py", ".ipynb"]),
        (lambda tmp: (tmp / "hw.zip").write_bytes(b"PK") and tmp / "hw.zip", ["hw.zip is an archive: unpack it"]),
        (lambda tmp: (tmp / "empty").mkdir() or tmp / "empty", ["empty is an empty folder"]),
        (lambda tmp: (tmp / "s").mkdir() or (tmp / "s" / "notes.md").write_text("x") and tmp / "s",
         ["no activations.py or activations.ipynb in", "(found: notes.md)"]),
    ],
    ids=["text-file", "archive", "empty-folder", "folder-without-the-file"],
)
def test_a_path_that_holds_no_submission_is_a_usage_error_on_one_line(capsys, tmp_path, make, words):
    given = make(tmp_path)
    assert main(["check", "activations", str(given)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("grader: ") and err.count("\n") == 1
    assert all(word in err for word in words), err
    if "archive" not in err:
        assert err.rstrip().endswith("give a folder that holds activations.py or activations.ipynb, or the file itself")


def test_a_folder_with_python_files_under_other_names_is_still_checked(capsys, tmp_path):
    (tmp_path / "hw1.py").write_text(ALICE.read_text())  # a lone .py under another name: graded, with a note
    assert main(["check", "activations", str(tmp_path)]) == 0
    assert "used 'hw1.py' as activations.py" in capsys.readouterr().out


def test_an_unknown_assignment_gets_did_you_mean(capsys):
    assert main(["check", "activaton", str(EXAMPLES / "alice")]) == 2
    assert "did you mean activations?" in capsys.readouterr().err
    assert main(["check", "convolutions", str(EXAMPLES / "alice")]) == 2
    assert "did you mean" not in capsys.readouterr().err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_on_a_terminal_only_and_never_with_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert use_colour(_Terminal()) and not use_colour(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_colour(_Terminal())
    passed = CheckResult("sigmoid_values", "public", 1.0, 1.0, "passed", "passed")
    assert check_line(passed, 14, colour=True) == "\033[32mPASS\033[0m   sigmoid_values  1.0 / 1.0"
    assert check_line(passed, 14) == "PASS   sigmoid_values  1.0 / 1.0"


def test_ctrl_c_is_noted_even_when_its_first_raise_is_dropped():
    """A KeyboardInterrupt raised where Python drops it (a gc callback) is raised again by check()."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal
    try:
        with CtrlC() as ctrl_c:
            try:
                signal.raise_signal(signal.SIGINT)
            except KeyboardInterrupt:
                pass  # as if dropped
            with pytest.raises(KeyboardInterrupt):
                ctrl_c.check()
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, previous)


def test_a_dropped_ctrl_c_is_not_printed_but_other_dropped_errors_are():
    """Python prints an exception it drops ("Exception ignored in: ...", through
    sys.unraisablehook); a Ctrl-C that CtrlC noted is not printed (it is raised again), any
    other still reaches the hook that was there."""
    import gc

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    printed: list[type] = []
    hook, sys.unraisablehook = sys.unraisablehook, lambda unraisable: printed.append(unraisable.exc_type)
    raised: list[BaseException] = []

    def callback(phase, info):
        if phase == "start" and raised:
            raise raised.pop()

    gc.callbacks.append(callback)
    try:
        with CtrlC() as ctrl_c:
            try:
                signal.raise_signal(signal.SIGINT)
            except KeyboardInterrupt as exc:
                raised.append(exc)
            gc.collect()  # the callback raises it: Python drops it
            raised.append(ValueError("not a Ctrl-C"))
            gc.collect()
            with pytest.raises(KeyboardInterrupt):
                ctrl_c.check()
        assert sys.unraisablehook is not ctrl_c._unraisable
    finally:
        gc.callbacks.remove(callback)
        sys.unraisablehook = hook
        signal.signal(signal.SIGINT, previous)
    assert printed == [ValueError]


def test_an_ignored_ctrl_c_stays_ignored():
    """A process started with SIGINT ignored (a script's background job) keeps ignoring it."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with CtrlC() as ctrl_c:
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
            signal.raise_signal(signal.SIGINT)
            ctrl_c.check()  # nothing noted
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)
