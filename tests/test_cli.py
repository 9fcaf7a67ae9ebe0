"""The grader command as people use it: list, check, grade; exit codes; reports."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, SUBMISSIONS, bob_score, count_checks, max_points

from grader.cli import main
from grader.course import ASSIGNMENTS, COURSE_ROOT, find_assignment, markdown_table


def check_description(ident: str, assignment: str = "activations") -> str:
    from grader.judge.catalog import suite_checks

    return next(s.description for s in suite_checks(find_assignment(assignment), hidden=True) if s.id == ident)


REPORT_KEYS = ["assignment", "submission", "sha256", "grader_version", "rubric", "graded_at", "duration_s", "score",
               "max_score", "status"]
TEST_KEYS = ["id", "description", "visibility", "points", "max_points", "status", "feedback"]


def test_list_shows_points_and_check_counts(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for assignment in ASSIGNMENTS:
        line = next(row for row in out.splitlines() if f" {assignment.name} " in row)
        points, public, hidden = max_points(assignment), count_checks(assignment, "public"), count_checks(assignment, "hidden")
        worth = max_points(assignment, "hidden")
        assert line.split() == [assignment.label, assignment.name, f"{points:g}", str(public), str(hidden), f"{worth:g}", assignment.filename]


def test_list_names_gives_the_declared_assignments_one_a_line(capsys):
    assert main(["list", "--names"]) == 0
    assert capsys.readouterr().out.splitlines() == [a.name for a in ASSIGNMENTS]


def test_the_readme_course_table_is_the_one_grader_list_prints(capsys):
    """The README's table of assignments is `grader list --markdown`; paste it there when this fails."""
    assert main(["list", "--markdown"]) == 0
    table = capsys.readouterr().out
    assert table == markdown_table()
    readme = (COURSE_ROOT / "README.md").read_text()
    assert table in readme, f"the README's course table is out of date; replace it with:\n{table}"


def test_the_students_workflow_checks_every_assignment_grader_list_names(capsys):
    from grader.platforms.classroom import student_workflow

    assert main(["list", "--names"]) == 0
    workflow = student_workflow()  # written from the course's declaration by export-student
    for name in capsys.readouterr().out.split():
        assert f"grader check {name} --github-classroom" in workflow


@pytest.mark.parametrize("given", ["activations", "01", "1"])
def test_check_accepts_name_or_number(capsys, given):
    assert main(["check", given, str(EXAMPLES / "alice")]) == 0
    public = count_checks("activations", "public")
    assert f"{public} of {public} public checks pass" in capsys.readouterr().out


def test_check_finds_the_students_copy_from_the_current_folder(capsys, monkeypatch, tmp_path):
    shutil.copytree(EXAMPLES / "bob", tmp_path / "assignments" / "activations")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "activations"]) == 1
    out = capsys.readouterr().out
    assert "FAIL   sigmoid_stable" in out and "RuntimeWarning: overflow" in out
    line = next(row for row in out.splitlines() if row.startswith("FAIL   sigmoid_stable"))
    assert line.endswith("0.0 / 1.0  " + check_description("sigmoid_stable"))  # the docstring's first line


def test_check_on_the_stub_fails_every_check_with_not_implemented(capsys):
    assert main(["check", "activations", str(COURSE_ROOT / "assignments" / "activations")]) == 1
    out = capsys.readouterr().out
    public = count_checks("activations", "public")
    assert f"0 of {public} public checks pass" in out
    assert out.count("not implemented yet") == public
    assert "Traceback" not in out


def test_unknown_assignment_and_missing_submission_exit_2(capsys, tmp_path):
    assert main(["check", "convolutions", str(EXAMPLES / "alice")]) == 2
    assert "no assignment 'convolutions'" in capsys.readouterr().err
    assert main(["grade", "activations", str(tmp_path / "nobody"), "--out", str(tmp_path / "r")]) == 2
    assert "no submission" in capsys.readouterr().err


def _socket_file(path: Path) -> Path:
    """A path that exists and that nobody can open, root included (open() gives ENXIO)."""
    import socket

    if len(os.fsencode(path)) > 100:
        pytest.skip("the temporary folder's path is too long for a Unix socket")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
    return path


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_check_of_a_missing_or_unreadable_path_prints_its_error_alone(capsys, tmp_path, lang):
    (tmp_path / "alice.py").write_text("import numpy as np\n")
    missing, near = str(tmp_path / "nobody.py"), str(tmp_path / "alice")
    unreadable = str(_socket_file(tmp_path / "sock.py"))
    for given, words in ((missing, ["nobody.py"]), (near, ["alice.py?"]), (unreadable, ["sock.py", "no such device"])):
        assert main(["check", "activations", given, "--lang", lang]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.startswith("grader: ") and err.count("\n") == 1
        assert all(word in err for word in words), err
    if os.geteuid() != 0:  # root reads a file whatever its mode
        (tmp_path / "alice.py").chmod(0)
        assert main(["check", "activations", str(tmp_path / "alice.py")]) == 2
        assert capsys.readouterr().out == ""


def test_grade_refuses_a_missing_path_before_anything_but_reports_an_unreadable_one(capsys, tmp_path):
    out = tmp_path / "r"
    assert main(["grade", "activations", "--out", str(out), "--", str(EXAMPLES / "alice"), str(tmp_path / "nobody")]) == 2
    printed, err = capsys.readouterr()
    assert printed == "" and err == f"grader: no submission at {tmp_path / 'nobody'}\n" and not out.exists()
    sock = _socket_file(tmp_path / "sock.py")
    assert main(["grade", "activations", "--quiet", "--out", str(out), "--", str(sock)]) == 0
    report = read_reports(out)["sock"]
    assert report["status"] == "error" and "cannot read sock.py" in report["reason"]


def test_grading_a_class_folder_as_one_submission_says_how_to_grade_each(capsys, tmp_path):
    subs = tmp_path / "subs"
    for name in ("alice", "bob"):
        shutil.copytree(EXAMPLES / name, subs / name)
    assert main(["grade", "activations", "--quiet", "--out", str(tmp_path / "r"), "--", str(subs)]) == 0
    err = capsys.readouterr().err
    assert "graded as one submission, but 2 of its folders hold code of their own (alice, bob)" in err
    assert f"-- {subs}/*" in err


def read_reports(folder: Path, assignment: str = "activations") -> dict[str, dict]:
    """The reports of ``grader grade ... --out folder``: ``folder/<assignment>/<submission>.yaml``."""
    return {p.stem: yaml.safe_load(p.read_text()) for p in sorted((folder / assignment).glob("*.yaml"))}


def test_grade_writes_one_report_per_submission_with_the_contract_fields(tmp_path, capsys):
    subs = sorted(EXAMPLES.iterdir())
    assert main(["grade", "activations", *map(str, subs), "--out", str(tmp_path), "--jobs", "2"]) == 0
    reports = read_reports(tmp_path)
    assert set(reports) == {"alice", "bob", "carol", "dave", "erin"}
    for report in reports.values():
        assert list(report)[: len(REPORT_KEYS)] == REPORT_KEYS
        assert report["graded_at"].endswith("Z")
        assert report["sandbox"]["isolation"] in ("root", "userns", "none")
        for test in report["tests"]:
            assert list(test) == TEST_KEYS
            assert test["visibility"] in ("public", "hidden")
            assert test["status"] in ("passed", "failed", "error", "timeout")
    assert reports["alice"]["score"] == reports["alice"]["max_score"] == max_points("activations")
    assert reports["alice"]["rubric"].startswith("sha256:") and len({r["rubric"] for r in reports.values()}) == 1
    assert all(t["description"] and t["description"] != t["id"] for t in reports["alice"]["tests"])
    assert reports["dave"]["status"] == "error" and "line 30" in reports["dave"]["reason"]
    assert reports["bob"]["score"] == pytest.approx(bob_score())
    out = capsys.readouterr().out
    assert "graded 5 submissions" in out


def without_times(report: dict) -> dict:
    return {k: v for k, v in report.items() if k not in ("graded_at", "duration_s")}


def test_two_gradings_give_identical_reports_apart_from_times(tmp_path):
    subs = [str(EXAMPLES / "bob"), str(EXAMPLES / "carol"), str(SUBMISSIONS / "activations" / "mutants" / "elu_overflow.py")]
    assert main(["grade", "1", *subs, "--out", str(tmp_path / "a"), "--jobs", "1"]) == 0
    assert main(["grade", "1", *subs, "--out", str(tmp_path / "b"), "--jobs", "2"]) == 0
    first, second = read_reports(tmp_path / "a"), read_reports(tmp_path / "b")
    assert first.keys() == second.keys()
    for name in first:
        assert without_times(first[name]) == without_times(second[name])


def test_grading_in_a_fresh_process_with_ci_set_gives_the_same_report(tmp_path):
    """Another process (hypothesis draws afresh), CI=true and PYTEST_ADDOPTS set: same verdicts."""
    sub = str(EXAMPLES / "bob")
    assert main(["grade", "1", sub, "--out", str(tmp_path / "here"), "--jobs", "1"]) == 0
    env = dict(os.environ, CI="true", PYTEST_ADDOPTS="-x --maxfail=1", HYPOTHESIS_PROFILE="ci")
    subprocess.run([sys.executable, "-m", "grader", "grade", "1", sub, "--out", str(tmp_path / "there"), "--jobs", "1",
                    "--quiet"], check=True, env=env, capture_output=True)
    here, there = read_reports(tmp_path / "here"), read_reports(tmp_path / "there")
    assert without_times(here["bob"]) == without_times(there["bob"])


def test_hostile_submissions_do_not_stop_the_batch(tmp_path):
    hostile = SUBMISSIONS / "activations" / "hostile"
    subs = [hostile / "exit_at_import.py", hostile / "exits_in_call.py", hostile / "prints_fake_report.py",
            EXAMPLES / "alice"]
    assert main(["grade", "activations", *map(str, subs), "--out", str(tmp_path), "--jobs", "1", "--quiet"]) == 0
    reports = read_reports(tmp_path)
    assert reports["exit_at_import"]["status"] == "error"
    assert "sys.exit" in reports["exit_at_import"]["reason"]
    exits = {t["id"]: t for t in reports["exits_in_call"]["tests"]}
    assert exits["tanh_values"]["status"] == "error"
    assert "exited with code 0" in exits["tanh_values"]["feedback"]
    assert exits["sigmoid_values"]["status"] == "passed"  # the child was restarted for the next checks
    fake = reports["prints_fake_report"]
    assert fake["score"] < fake["max_score"]
    assert {t["id"]: t["status"] for t in fake["tests"]}["tanh_values"] == "failed"
    assert "score: 100" in fake["output"]  # shown as the student's output, nothing more
    assert reports["alice"]["score"] == reports["alice"]["max_score"]
    assert sorted(p.name for p in (tmp_path / "activations").iterdir()) == sorted(
        f"{s.stem if s.suffix else s.name}.yaml" for s in subs
    )



# -- folder names are never options --------------------------------------------------------------
@pytest.mark.parametrize("name", ["--isolation=none", "--help"])
def test_a_folder_named_like_an_option_is_refused_not_obeyed(capsys, monkeypatch, tmp_path, name):
    """`grader grade activations *` in a folder holding a submission named `--isolation=none` must
    not grade without isolation (nor `--help` grade nothing and exit 0)."""
    shutil.copytree(EXAMPLES / "alice", tmp_path / "alice")
    (tmp_path / name).mkdir()
    monkeypatch.chdir(tmp_path)
    assert main(["grade", "activations", "--out", "reports", *sorted(os.listdir(tmp_path))]) == 2
    assert "put the submissions after `--`" in capsys.readouterr().err
    assert not (tmp_path / "reports").exists()


def test_after_a_double_dash_a_folder_named_like_an_option_is_a_submission(capsys, monkeypatch, tmp_path):
    shutil.copytree(EXAMPLES / "alice", tmp_path / "alice")
    (tmp_path / "--isolation=none").mkdir()
    monkeypatch.chdir(tmp_path)
    assert main(["grade", "activations", "--out", "reports", "--jobs", "1", "--", "--isolation=none", "alice"]) == 0
    reports = {p.name: yaml.safe_load(p.read_text()) for p in (tmp_path / "reports" / "activations").glob("*.yaml")}
    assert set(reports) == {"--isolation=none.yaml", "alice.yaml"}
    assert reports["--isolation=none.yaml"]["status"] == "error"
    assert reports["alice.yaml"]["sandbox"]["isolation"] != "none"


def test_grade_refuses_isolation_none_unless_confirmed(capsys, tmp_path):
    args = ["grade", "activations", "--out", str(tmp_path / "r"), "--isolation", "none", "--", str(EXAMPLES / "alice")]
    assert main(args) == 2
    assert "--allow-isolation-none" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()
    assert main([*args[:-2], "--allow-isolation-none", "--quiet", "--jobs", "1", *args[-2:]]) == 0
    report = yaml.safe_load((tmp_path / "r" / "activations" / "alice.yaml").read_text())
    assert report["sandbox"]["purpose"].startswith("self-checks only")


def test_a_ci_log_has_one_aligned_line_per_submission_and_the_summary_in_input_order(tmp_path, capsys, monkeypatch):
    """GitHub Classroom's long folder names: each line as it finishes with done/total, the name, the
    score, the submission's own time and the status, in columns; then the summary in input order."""
    monkeypatch.setenv("CI", "true")
    names = {"nn-course-2026-activations-zoe-zimmermann-lindqvist": "alice", "nn-course-2026-activations-al": "dave",
             "nn-course-2026-activations-konstantin-konstantinopolsky": "bob"}
    for name, sample in names.items():
        shutil.copytree(EXAMPLES / sample, tmp_path / "class" / name)
    given = [str(tmp_path / "class" / name) for name in names]
    assert main(["grade", "activations", "--out", str(tmp_path / "out"), "--jobs", "2", "--", *given]) == 0
    lines = capsys.readouterr().out.splitlines()
    counted = [line for line in lines if line.startswith("[")]
    width, full = len(max(names, key=len)), f"{max_points('activations'):g}"
    pattern = re.compile(rf"\[[1-3]/3\] (?P<name>\S+) +(?P<score>[\d.]+) / {full} +(?P<took>\d+\.\d\d) s  (graded|error: .+)")
    assert len(counted) == 3 and all(pattern.fullmatch(line) for line in counted), counted
    assert sorted(pattern.fullmatch(line)["name"] for line in counted) == sorted(names)
    assert len({line.index(" / ") for line in counted}) == 1 and "->" not in "".join(counted)
    at = lines.index("01 activations, in the order given:")
    table = lines[at + 1 : at + 4]
    assert [row.split()[0] for row in table] == list(names)  # the input order, not the finishing order
    assert {row.index(" / ") for row in table} == {2 + width + 1 + len(f"{full}.00")}
    assert "error: syntax error" in table[1] and lines[-1].startswith("graded 3 submissions of 01 activations")
