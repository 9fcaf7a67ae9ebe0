"""Time budgets count the CPU time of the submission's processes, and the time none of them ran.

A submission that never returns costs one time limit per call and the rest is graded; one
that sleeps is caught by the time it spends not running; one that stays just under the
per-call limit is stopped by the budget of the whole submission. No test here asserts a
duration: the verdicts depend on the CPU time used, which a loaded machine does not change.
"""

from __future__ import annotations

import os
import signal

import pytest
from conftest import SUBMISSIONS

from grader.course import COURSE_ROOT, find_assignment
from grader.judge.runner import grade
from grader.sandbox.budget import FACTOR, REFERENCE_CPU_S, Budget, budget_for
from grader.sandbox.isolation import Limits
from grader.sandbox.supervisor import Sandbox, Session, SubmissionTimedOut
from grader.submission import load_submission

ACTIVATIONS = find_assignment("activations")
HIDE = (str(COURSE_ROOT / "solutions"), str(COURSE_ROOT / "grader" / "hidden"))

BURN = "def burn(seconds):\n    import time\n    end = time.process_time() + seconds\n    while time.process_time() < end:\n        pass\n"


@pytest.fixture(scope="module")
def quick_sandbox():
    with Sandbox(limits=Limits(call_timeout_s=0.5), hide=HIDE) as box:
        yield box


def test_endless_loop_in_a_call_times_out_and_the_rest_is_graded(quick_sandbox):
    path = SUBMISSIONS / "activations" / "hostile" / "loops_forever.py"
    graded = grade(ACTIVATIONS, load_submission(path, ACTIVATIONS), quick_sandbox, hidden=True)
    by_id = {r.id: r for r in graded.results}
    assert by_id["sigmoid_values"].status == "timeout"
    assert "sigmoid used more than 0.5 s of CPU time, the limit for one call" in by_id["sigmoid_values"].feedback
    assert by_id["tanh_values"].status == "passed"
    assert by_id["softmax_matches_reference"].status == "passed"
    # sigmoid_grad is judged against the true derivative: its check does not call the student's sigmoid
    calling_sigmoid = ("sigmoid_values", "sigmoid_stable", "sigmoid_matches_reference")
    assert all(by_id[name].points == 0 and by_id[name].status == "timeout" for name in calling_sigmoid)
    for name in ("sigmoid_grad_matches_reference", "sigmoid_grad_is_derivative"):  # they do not call sigmoid
        assert by_id[name].status == "passed"


def _session(box: Sandbox, source: str, **kwargs) -> Session:
    session = Session(box, files={"work.py": source}, module="work", **kwargs)
    assert session.load() is None
    return session


def test_a_call_that_sleeps_is_stopped_by_the_time_it_spends_not_running(quick_sandbox):
    source = "import time\ndef nap():\n    time.sleep(3600)\ndef fine():\n    return 1.0\n"
    with _session(quick_sandbox, source) as session:
        with pytest.raises(SubmissionTimedOut) as caught:
            session.call("nap", [], {})
        assert "nap did not finish: it spent 0.5 s not running (sleeping" in str(caught.value)
        assert caught.value.budget == "call" and caught.value.limit == 0.5
        assert session.cpu_s < 0.5  # it slept: hardly any CPU time
        assert session.call("fine", [], {}).value == 1.0  # a fresh child answers


def test_cpu_time_of_every_process_of_the_submission_counts(quick_sandbox):
    """The caller waits (not running) for a forked process that burns CPU: the CPU limit stops it."""
    source = BURN + (
        "import os\n"
        "def fork_and_wait():\n"
        "    pid = os.fork()\n"
        "    if pid == 0:\n"
        "        burn(3600)\n"
        "        os._exit(0)\n"
        "    os.waitpid(pid, 0)\n"
    )
    with _session(quick_sandbox, source) as session:
        with pytest.raises(SubmissionTimedOut) as caught:
            session.call("fork_and_wait", [], {})
        assert "used more than 0.5 s of CPU time" in str(caught.value)
        assert session.cpu_s >= 0.5


def test_calls_each_under_the_limit_are_stopped_by_the_submissions_budget():
    """Issue: calls of 0.3 s of CPU each, under a 0.5 s limit, would go on for ever."""
    budget = Budget(cpu_s=1.5, basis="about 10 times the 0.15 s the reference solution needs")
    with Sandbox(limits=Limits(call_timeout_s=0.5), hide=HIDE) as box:
        with _session(box, BURN + "def slow():\n    burn(0.3)\n    return 1.0\n", budget=budget) as session:
            answered = 0
            with pytest.raises(SubmissionTimedOut) as caught:
                for _ in range(50):
                    session.call("slow", [], {})
                    answered += 1
            assert 3 <= answered <= 5  # 1.5 s of CPU in all: about five calls of 0.3 s
            message = str(caught.value)
            assert caught.value.budget == "submission" and caught.value.limit == 1.5
            assert "used up the 1.5 s of CPU time it may use for all its checks" in message
            assert "(about 10 times the 0.15 s the reference solution needs)" in message
            with pytest.raises(SubmissionTimedOut) as again:  # every later call: at once, the same words
                session.call("slow", [], {})
            assert str(again.value) == message


def test_naps_under_the_call_limit_are_stopped_by_the_submissions_idle_budget():
    budget = Budget(cpu_s=100, idle_s=1.0)
    with Sandbox(limits=Limits(call_timeout_s=2), hide=HIDE) as box:
        with _session(box, "import time\ndef nap():\n    time.sleep(0.4)\n", budget=budget) as session:
            with pytest.raises(SubmissionTimedOut) as caught:
                for _ in range(20):
                    session.call("nap", [], {})
            assert "spent 1 s in all not running" in str(caught.value)


def test_every_assignment_has_a_budget_of_about_ten_times_its_reference():
    for name, reference in REFERENCE_CPU_S.items():
        find_assignment(name)
        budget = budget_for(name)
        assert budget.cpu_s >= FACTOR * reference and budget.cpu_s >= 30 and budget.wall_s >= 10 * budget.cpu_s
        assert budget.basis == f"the reference solution needs {reference:g} s"
    assert budget_for("mlp").cpu_s == 60  # five folds of a correct fit of about 5 s each must fit
    assert budget_for("not_an_assignment") == Budget()
    with pytest.raises(ValueError, match="Budget.cpu_s must be a positive number"):
        Budget(cpu_s=0)


# -- the same numbers from unseeded global generators --------------------------------------
DRAWS = (
    "import random\nimport numpy as np\n"
    "AT_IMPORT = [random.random(), float(np.random.rand())]\n"
    "def at_import():\n    return AT_IMPORT\n"
    "def draw():\n    return [random.random(), float(np.random.rand()), np.random.permutation(5)]\n"
)


def test_unseeded_global_generators_draw_the_same_at_the_import_and_at_each_check(sandbox):
    runs = []
    for _ in range(2):
        with _session(sandbox, DRAWS) as session:
            session.begin_check()
            first = session.call("draw", [], {}).value
            second = session.call("draw", [], {}).value  # the same check goes on drawing
            session.begin_check()
            again = session.call("draw", [], {}).value  # a new check starts from the seed
            runs.append((session.call("at_import", [], {}).value, first, second, again))
    (imported, first, second, again), other = runs
    assert first[:2] == again[:2] and list(first[2]) == list(again[2])
    assert first[:2] != second[:2]
    assert imported == other[0] and first[:2] == other[1][:2]


def test_string_hashes_and_so_set_orders_are_the_same_in_every_zygote():
    """PYTHONHASHSEED=0 holds in the zygote (once ignored: it ran with -I)."""
    seen = []
    for _ in range(2):
        code = "def order():\n    return [hash('tanh'), list({'tanh', 'relu', 'step', 'elu'})]\n"
        with Sandbox(isolation_mode="none") as box, _session(box, code) as session:
            seen.append(session.call("order", [], {}).value)
    assert seen[0] == seen[1]


# -- how a process ended: read before anything kills it ----------------------------------------
def _modes() -> list[str]:
    modes = ["auto", "none"]
    from grader.sandbox.isolation import probe_user_namespaces

    if os.geteuid() == 0 or probe_user_namespaces():
        modes.append("userns")
    return modes


@pytest.mark.parametrize("mode", _modes())
def test_a_module_that_exits_is_reported_as_exiting_every_time(mode):
    """The child's exit status is read before its session is killed (it raced with SIGKILL)."""
    with Sandbox(isolation_mode=mode, hide=HIDE) as box:
        for _ in range(20):
            with Session(box, files={"work.py": "import os\nos._exit(0)\n"}, module="work") as session:
                problem = session.load()
            assert problem == {
                "kind": "crash",
                "message": "the submission's process ended during importing work.py: the process exited with code 0",
            }


# -- a zygote that dies ----------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["auto", "none"])
def test_a_lost_zygote_is_started_again_and_grading_goes_on(mode):
    alice = COURSE_ROOT / "examples" / "activations" / "alice"
    with Sandbox(isolation_mode=mode, hide=HIDE) as box:
        first = box.zygote_pid
        os.kill(first, signal.SIGKILL)  # between two submissions
        box._process.wait()
        graded = grade(ACTIVATIONS, load_submission(alice, ACTIVATIONS), box, hidden=False)
        assert graded.status == "graded" and all(r.status == "passed" for r in graded.results)
        assert box.zygote_pid != first
        with _session(box, "def one():\n    return 1.0\n") as session:  # during a submission
            assert session.call("one", [], {}).value == 1.0
            os.kill(box.zygote_pid, signal.SIGKILL)
            box._process.wait()
            values = []
            for _ in range(3):  # the child died with its zygote (or not, without namespaces)
                try:
                    values.append(session.call("one", [], {}).value)
                except Exception as exc:  # noqa: BLE001 - the one call that meets the dead zygote
                    values.append(type(exc).__name__)
            assert values[-1] == 1.0 and values.count(1.0) >= 2, (values, session.events)
