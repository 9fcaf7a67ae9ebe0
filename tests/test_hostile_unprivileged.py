"""Hostile submissions in userns and none modes, graded by a grader without privileges.

A student's laptop (userns, or none) and a container without CAP_SYS_ADMIN (Gradescope's) are
where the grader has no root to give a child a uid of its own. Here the grader runs as root
with every capability dropped (``capsh --drop=all``): like a user on a laptop, it shares its
uid with the children it starts and has no privilege over them. (Not a real unprivileged uid:
this machine's interpreter lives under /root, which only root may enter.) Under ``none`` that
uid is the one of the course's files, so only submissions that write nothing are graded there.

Each batch puts Alice's correct submission last; each submission scores 0 exactly on the checks
its trick touches (none: every trick here is on top of correct functions, but for
finds_planted_keys, right only if it finds what it looks for); and afterwards no process,
planted key, report or file of theirs is left. None mode keeps two doors open that only
namespaces close, and its report says so: the machine's terminals (``devices``) and mount table.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_hostile import (
    ALICE,
    ALL,
    CLI,
    HOSTILE,
    MARK,
    NOTHING,
    OUT_NAME,
    SECRET,
    checks_of,
    could_be_the_sandbox,
    read_reports,
    remove_marked_keys,
    snapshot,
    values,
    wait_for_no_leftovers,
)
from test_hostile import broken_checks as _broken_checks

from grader.sandbox import isolation, seccomp

broken_checks = _broken_checks  # test_hostile's fixture, here by its name

pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="the grader is run as root with its capabilities dropped"),
    pytest.mark.skipif(shutil.which("capsh") is None, reason="capsh (apt: libcap2-bin) drops the grader's capabilities; .ci/run installs it"),
]

TRICKS = {
    "plants_a_key": NOTHING,
    "finds_planted_keys": values("sigmoid"),
    "lists_hidden_folders": NOTHING,
    "starves_neighbours": NOTHING,
    "writes_to_terminals": NOTHING,
    "kills_its_cgroup": NOTHING,
    "attacks_the_grader": NOTHING,
    "limits_and_signals_the_grader": NOTHING,
    "tampers_with_the_grader": NOTHING,
}
# none mode: not the submissions that only show what namespaces hide (the mount table, cgroups).
IN_MODE = {
    "userns": list(TRICKS),  # (tampers_with_the_grader only opens files: harmless where it could write)
    "none": ["plants_a_key", "finds_planted_keys", "starves_neighbours", "writes_to_terminals", "attacks_the_grader",
             "limits_and_signals_the_grader", "tampers_with_the_grader"],
    # the portable sandbox on Linux (--isolation portable): the filter and the keyring hold, one core does not
    "portable": ["plants_a_key", "finds_planted_keys", "attacks_the_grader", "limits_and_signals_the_grader",
                 "tampers_with_the_grader"],
}


def all_capabilities_but(keep: str) -> str:
    """Every capability of the bounding set but ``keep``, as capsh's --drop takes them."""
    shown = subprocess.run(["capsh", "--print"], capture_output=True, text=True).stdout
    bounding = re.search(r"^Bounding set =(.*)$", shown, re.M)
    return ",".join(c for c in (bounding.group(1).split(",") if bounding else []) if c.strip() and c.strip() != keep)


def run_without_capabilities(drop: str, out: Path, cwd: Path, *args: str, names: list[str]) -> subprocess.CompletedProcess:
    submissions = [str(HOSTILE / f"{name}.py") for name in names] + [str(ALICE)]
    command = [sys.executable, "-c", CLI, "grade", "activations", "--out", str(out), "--jobs", "2", *args, "--", *submissions]
    return subprocess.run(
        ["capsh", f"--drop={drop}", "--", "-c", 'exec "$0" "$@"', *command],
        env=dict(os.environ, GRADER_TEST_SECRET=SECRET),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


def userns_works() -> bool:
    return isolation.probe("userns")


def test_auto_falls_back_to_none_where_nothing_else_works(monkeypatch):
    monkeypatch.setattr(isolation, "probe", lambda mode: False)
    assert isolation.detect_mode("auto") == "none"
    with pytest.raises(PermissionError):
        isolation.detect_mode("userns")


@pytest.fixture(scope="module", params=["userns", "none", "portable"])
def batch_in_mode(request, tmp_path_factory):
    mode = request.param
    if mode == "userns" and not userns_works():
        pytest.skip("user namespaces are not available on this machine")
    work = tmp_path_factory.mktemp(f"hostile-{mode}")
    out = work / OUT_NAME
    extra = ["--isolation", mode] + (["--allow-isolation-none"] if mode in ("none", "portable") else [])
    before = snapshot()
    try:
        # userns: root may map itself into a user namespace only with CAP_SETFCAP (Linux 5.12), which
        # a user mapping their own uid does not need: keep that one.
        drop = all_capabilities_but("cap_setfcap") if mode == "userns" else "all"
        process = run_without_capabilities(drop, out, work, *extra, names=IN_MODE[mode])
        reports, texts = read_reports(out) if out.is_dir() else ({}, {})
        after = snapshot()
        changed = [k for k in before.keys() | after.keys() if before.get(k) != after.get(k) and could_be_the_sandbox(k)]
        yield mode, process, out, reports, texts, changed, wait_for_no_leftovers()
    finally:
        remove_marked_keys()


def output(reports: dict, name: str) -> str:
    """What the submission printed during the public checks (each trick prints in its first
    call, made by a public check): the report's ``output``, in every mode."""
    return reports[name].get("output", "")


@pytest.mark.slow
def test_the_batch_is_graded_and_alice_gets_full_marks(batch_in_mode):
    mode, process, out, reports, _, changed, leftovers = batch_in_mode
    assert process.returncode == 0, process.stderr[-3000:]
    assert sorted(p.name for p in (out / "activations").iterdir()) == sorted(f"{n}.yaml" for n in [*IN_MODE[mode], "alice"])
    alice = reports["alice"]
    assert alice["score"] == alice["max_score"] and all(t["status"] == "passed" for t in alice["tests"])
    assert alice["sandbox"]["isolation"] == ("none" if mode == "portable" else mode)
    # --jobs 2, but without isolation one submission at a time: a neighbour is no ancestor the filter protects
    assert ("graded one at a time" in process.stderr) == (mode != "userns")
    if not seccomp.unavailable():
        assert not alice["sandbox"]["syscall_filter"].startswith("none")
    assert changed == [] and leftovers == []


@pytest.mark.slow
def test_each_trick_costs_exactly_the_checks_it_touches(batch_in_mode, broken_checks):
    mode, _, _, reports, _, _, _ = batch_in_mode
    for name in IN_MODE[mode]:
        by_id = checks_of(reports[name])
        assert set(by_id) == ALL
        lost = {i: t["points"] for i, t in by_id.items() if t["points"] < t["max_points"]}
        assert lost == broken_checks(TRICKS[name]), (mode, name, lost, output(reports, name)[:2000])


@pytest.mark.slow
def test_keys_are_neither_planted_nor_found(batch_in_mode):
    mode, _, _, reports, texts, _, _ = batch_in_mode
    planted = output(reports, "plants_a_key")
    assert "ADDED" not in planted and "add_key refused" in planted, planted
    found = output(reports, "finds_planted_keys")
    assert not re.search(r"^(FOUND|LISTED)", found, re.M), found
    if mode == "userns":  # /proc/keys is masked; in none mode it lists what the uid may view, by name only
        assert "SAW" not in found, found
    assert all(SECRET not in text for text in texts.values())
    # Nothing planted in this uid's keyrings (the grader's uid: a key would outlive the run).
    assert _find_marked_key() is None


def _find_marked_key() -> int | None:
    import ctypes

    if os.uname().machine != "x86_64":
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    for ring in (-4, -3):
        key = libc.syscall(250, 10, ring, b"user", f"hostile-answers-{MARK}".encode(), 0)
        if key >= 0:
            return key
    return None


@pytest.mark.slow
def test_one_core_and_no_terminal_keystrokes(batch_in_mode):
    mode, _, _, reports, _, _, _ = batch_in_mode
    if mode == "portable":
        pytest.skip("the portable sandbox pins no core and leaves the machine's /dev (its report says neither)")
    busy = output(reports, "starves_neighbours")
    assert "CORES 1" in busy and "WIDENED" not in busy, busy
    terminals = output(reports, "writes_to_terminals")
    assert "INJECTED" not in terminals, terminals
    if mode == "userns":
        assert "OPENED" not in terminals, terminals
    else:  # the machine's /dev: what none mode cannot close, and says
        assert "terminals reachable" in reports["alice"]["sandbox"]["devices"]


@pytest.mark.slow
def test_mount_table_and_cgroups_in_userns_mode(batch_in_mode):
    mode, _, _, reports, _, _, _ = batch_in_mode
    if mode != "userns":
        pytest.skip("none and portable modes have the machine's mount table and cgroups (its report says so)")
    mounts = re.findall(r"^MOUNT (\S+)$", output(reports, "lists_hidden_folders"), re.M)
    assert mounts and not any(OUT_NAME in m or str(HOSTILE) in m or str(ALICE.parent) in m for m in mounts), mounts
    assert "WRITABLE" not in output(reports, "kills_its_cgroup")


@pytest.mark.slow
def test_the_graders_processes_and_reports_are_out_of_reach(batch_in_mode):
    mode, process, out, reports, texts, _, _ = batch_in_mode
    attack = output(reports, "attacks_the_grader")
    visible = re.search(r"GRADER processes visible: (\d+)", attack)
    assert visible, attack
    if mode == "userns":
        assert visible.group(1) == "0"  # a PID namespace of its own
    else:
        assert int(visible.group(1)) >= 2  # the zygote and the worker at least: there to attack
    # Not dumpable: no memory, no environment; the filter: no signal, no ptrace, no limits, no SIGIO.
    assert not re.search(r"^(SIGNALLABLE|OPENED|READ|ATTACHED)", attack, re.M), attack
    limits = output(reports, "limits_and_signals_the_grader")
    assert not re.search(r"^(LIMITED|RENICED|IDLED|ARMED)", limits, re.M), limits
    if mode != "userns":  # it did try, at every grader process it found
        found = re.search(r"GRADER processes visible: (\d+)", limits)
        assert found and int(found.group(1)) >= 2 and limits.count("refused:") == 7 * int(found.group(1)) + 1, limits
    if mode == "userns":  # the reports folder is not in its fresh root
        assert not re.search(r"^(PLANTED|REWROTE|LEFT|LOCKED|DAEMON)", attack, re.M), attack
    else:  # the grader's uid: while it ran, it did squat, rewrite, litter and lock the reports folder ...
        # (With two workers, Alice may be graded before the plant: then her report is rewritten instead.)
        assert "PLANTED a folder at activations/alice.yaml" in attack or "REWROTE alice.yaml" in attack, attack
        assert re.search(r"^REWROTE \S+\.yaml$", attack, re.M), attack  # one worker, at least, wrote a report before
        for done in ("LEFT a stray report", "DAEMON left", "LOCKED the reports folder"):
            assert done in attack, (done, attack)
        # ... and once every process of the batch had ended, the grader put it right and said so.
        assert "written again" in process.stderr and "without the grader writing it: removed" in process.stderr
    # What is there is the grader's: every report as graded (none at 36 by a forged line), no stray
    # file, Alice's report where a folder was planted, the attacker's own report not rewritten.
    assert sorted(p.name for p in (out / "activations").iterdir()) == sorted(f"{n}.yaml" for n in [*IN_MODE[mode], "alice"])
    assert all(MARK not in text for text in texts.values())
    assert (out / "activations" / "alice.yaml").is_file() and reports["alice"]["score"] == reports["alice"]["max_score"]
    assert reports["plants_a_key"]["score"] == reports["plants_a_key"]["max_score"]  # as graded: its values are right
    assert reports["finds_planted_keys"]["score"] < reports["finds_planted_keys"]["max_score"]  # not forged to full marks
    assert reports["alice"]["sandbox"]["purpose"].startswith("grading" if mode == "userns" else "self-checks only")


@pytest.mark.slow
def test_the_grader_itself_is_out_of_reach_but_without_isolation(batch_in_mode):
    """userns: the grader's package is not in the fresh root, the installation is read-only. none
    and portable, with the grader's uid: the child could rewrite the grader's own modules (so that
    what is graded after it is judged by its code) -- what the README says none cannot prevent."""
    mode, _, _, reports, _, _, _ = batch_in_mode
    tamper = output(reports, "tampers_with_the_grader")
    assert "CHECKED" in tamper, tamper
    if mode == "userns":
        assert "GRADER package visible: False" in tamper and "WRITABLE" not in tamper, tamper
    else:
        assert "GRADER package visible: True" in tamper and "WRITABLE" in tamper, tamper


OWN_UID_TRICKS = ["tampers_with_the_grader", "attacks_the_grader", "limits_and_signals_the_grader", "plants_a_key"]


@pytest.mark.slow
def test_none_mode_as_root_without_cap_sys_admin_runs_the_child_as_a_uid_of_its_own(tmp_path):
    """Root without CAP_SYS_ADMIN where user namespaces are refused too (Docker's default seccomp
    profile, so Gradescope's): none mode, but the child gets a uid of its own, as in root mode,
    so that it can change none of the grader's files, reports or processes."""
    from grader.sandbox.supervisor import UID_BASE

    if not isolation.own_uid_works(UID_BASE + 99):
        pytest.skip(f"another uid cannot read this Python installation ({sys.prefix}, {sys.base_prefix}): "
                    "none mode keeps the grader's uid here")
    out = tmp_path / OUT_NAME
    process = run_without_capabilities("cap_sys_admin", out, tmp_path, "--isolation", "none", "--allow-isolation-none",
                                       names=OWN_UID_TRICKS)
    assert process.returncode == 0, process.stderr[-3000:]
    reports, texts = read_reports(out)
    assert sorted(reports) == sorted([*OWN_UID_TRICKS, "alice"])
    for name, report in reports.items():
        assert report["score"] == report["max_score"], (name, output(reports, name)[:2000])
        assert report["sandbox"]["uid"] == "separate (no namespaces)"
        assert isinstance(report["sandbox"]["process_limit"], int)  # RLIMIT_NPROC counts the uid's processes
    tamper = output(reports, "tampers_with_the_grader")
    assert "GRADER package visible: True" in tamper and "WRITABLE" not in tamper, tamper
    attack = output(reports, "attacks_the_grader")
    assert "GRADER processes visible: 0" not in attack, attack  # the grader is there to attack ...
    assert not re.search(r"^(SIGNALLABLE|OPENED|READ|ATTACHED|PLANTED|REWROTE|LEFT|LOCKED)", attack, re.M), attack
    limits = output(reports, "limits_and_signals_the_grader")
    assert not re.search(r"^(LIMITED|RENICED|IDLED|ARMED)", limits, re.M), limits
    assert "add_key refused" in output(reports, "plants_a_key")
    assert "without the grader writing it" not in process.stderr  # ... and nothing had to be put right
    assert all(MARK not in text for text in texts.values())
    assert wait_for_no_leftovers() == []


@pytest.mark.slow
def test_auto_without_cap_sys_admin_falls_back_grades_and_says_what_held(tmp_path, broken_checks):
    """Root without CAP_SYS_ADMIN (Gradescope's Docker): no namespaces as root; auto takes
    userns where it works, else none with the syscall filter, and grades."""
    process = run_without_capabilities("cap_sys_admin", tmp_path / "out", tmp_path, names=["finds_planted_keys"])
    assert process.returncode == 0, process.stderr[-3000:]
    reports, _ = read_reports(tmp_path / "out")
    sandbox = reports["alice"]["sandbox"]
    assert sandbox["isolation"] == ("userns" if userns_works() else "none")
    assert reports["alice"]["score"] == reports["alice"]["max_score"]
    kept = broken_checks(values("sigmoid"))  # {check id: points it still gets}
    lost = {t["id"]: t["points"] for t in reports["finds_planted_keys"]["tests"] if t["points"] < t["max_points"]}
    assert lost == kept
    if not seccomp.unavailable():
        assert "keyrings" in sandbox["syscall_filter"]
    assert wait_for_no_leftovers() == []  # a concurrent run's sandbox may still be cleaning up
