"""The YAML report, its file names, escaping of student output, and the console text."""

from __future__ import annotations

import io
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
import yaml

from grader.course import find_assignment
from grader.errors import ReportNotWritable
from grader.report import yaml_report
from grader.report.console import NAME_LIMIT, class_summary, fit_name, name_width, render_check, score_column, summary_line
from grader.report.progress import Lines, Progress, on_a_terminal
from grader.report.yaml_report import (
    assignment_folder,
    build_report,
    escape_output,
    read_report,
    report_path,
    unique_report_paths,
    write_report,
)
from grader.results import CheckResult, CheckSpec
from grader.rubric import rubric_digest
from grader.submission import Submission

ACTIVATIONS = find_assignment("activations")
WHEN = datetime(2024, 5, 1, 14, 30, 5, 987654, tzinfo=timezone(timedelta(hours=2)))


def submission(**changes) -> Submission:
    values = dict(
        name="alice",
        path=Path("/subs/alice"),
        files={"activations.py": b"x = 1\n"},
        sha256={"activations.py": "ab" * 32},
        notes=("used 'act.py' as activations.py",),
        problem=None,
    )
    values.update(changes)
    return Submission(**values)


RESULTS = [
    CheckResult("sigmoid_values", "public", 2.0, 2.0, "passed", ""),
    CheckResult(
        "sigmoid_stable", "public", 0.0, 1.0, "failed", "sigmoid(-1000) is nan: avoid exp overflow"
    ),
    CheckResult("relu_hidden", "hidden", 1.5, 3.0, "failed", "wrong at some negative inputs"),
    CheckResult("softmax_speed", "hidden", 0.0, 1.0, "timeout", "took longer than 2 s"),
]


def make_report(**changes) -> dict:
    arguments = dict(
        assignment=ACTIVATIONS,
        submission=submission(),
        results=RESULTS,
        status="graded",
        reason=None,
        grader_version="0.1.0",
        rubric="sha256:0123456789abcdef",
        graded_at=WHEN,
        duration_s=1.23456,
        sandbox={"cpu_seconds": 10, "memory_mb": 512},
        output="hello\n",
    )
    arguments.update(changes)
    return build_report(**arguments)


# ------------------------------------------------------------------- reports


def test_report_keys_are_in_the_contract_order():
    report = make_report()
    assert list(report) == [
        "assignment", "submission", "sha256", "grader_version", "rubric", "graded_at", "duration_s",
        "score", "max_score", "status", "notes", "sandbox", "lang", "output", "tests",
    ]  # fmt: skip
    assert report["assignment"] == "activations"
    assert report["submission"] == "alice"
    assert report["graded_at"] == "2024-05-01T12:30:05Z"  # UTC, seconds
    assert report["duration_s"] == 1.235
    assert report["score"] == 3.5 and report["max_score"] == 7
    assert isinstance(report["max_score"], int)
    assert report["tests"] == [r.as_dict() for r in RESULTS]
    assert report["notes"] == ["used 'act.py' as activations.py"]


def test_error_report_has_a_reason_and_drops_empty_parts():
    report = make_report(
        submission=submission(notes=()),
        results=[],
        status="error",
        reason="the submission folder is empty",
        output="",
        max_score=12,
    )
    assert report["reason"] == "the submission folder is empty"
    assert list(report)[9:12] == ["status", "reason", "sandbox"]
    assert "notes" not in report and "output" not in report
    assert report["score"] == 0 and report["max_score"] == 12 and report["tests"] == []


def test_error_report_without_a_reason_still_says_something():
    assert make_report(status="error", reason=None)["reason"] == "the grader gave no reason"


def test_graded_report_has_no_reason_and_notes_merge_without_repeats():
    report = make_report(notes=("used 'act.py' as activations.py", "the sandbox was slow"))
    assert "reason" not in report
    assert report["notes"] == ["used 'act.py' as activations.py", "the sandbox was slow"]


def test_report_rejects_bad_arguments():
    with pytest.raises(ValueError, match="timezone-aware"):
        make_report(graded_at=datetime(2024, 5, 1))
    with pytest.raises(ValueError, match="status"):
        make_report(status="done")


def test_scores_are_rounded_and_numpy_values_become_plain():
    results = [
        CheckResult("a", "public", np.float64(1 / 3), np.float64(1.0), "failed", "x"),
        CheckResult("b", "public", 1 / 3, 1.0, "failed", "y"),
    ]
    report = make_report(results=results, sandbox={"limit": np.int64(3), "ok": np.bool_(True)})
    assert report["score"] == 0.67 and report["max_score"] == 2
    assert type(report["tests"][0]["points"]) is float
    assert report["sandbox"] == {"limit": 3, "ok": True}
    yaml.safe_dump(report)  # numpy scalars would make safe_dump raise


def test_report_round_trips_through_safe_dump(tmp_path):
    report = make_report(output="caf\u00e9 \x1b[31mred\x1b[0m\n")
    path = tmp_path / "reports" / "alice.yaml"
    write_report(report, path)
    text = path.read_text(encoding="utf-8")
    assert yaml.safe_load(text) == report
    assert text.startswith("assignment: activations\nsubmission: alice\n")
    assert "caf\u00e9" in text  # allow_unicode: not written as \xe9
    assert report["output"] == "caf\u00e9 \\x1b[31mred\\x1b[0m\n"
    assert "output: |\n" in text  # multi-line student output is a readable block


@pytest.mark.parametrize(
    "output",
    [
        "trailing space \nx",
        "  leading\n\n",
        "x\u2028y\n",
        "# hash\n- dash\n",
        "a: b\n'q'\n",
        "\ttab\n",
    ],
)
def test_tricky_output_round_trips(tmp_path, output):
    report = make_report(output=output)
    write_report(report, tmp_path / "r.yaml")
    assert yaml.safe_load((tmp_path / "r.yaml").read_text(encoding="utf-8")) == report


def _tricky_reports() -> list:
    """Reports whose parts a writer reusing what it wrote before could get wrong."""
    base = make_report()
    tests = base["tests"]
    shared = {"a": 1}
    return [
        base,
        make_report(output="kept line breaks\n\n"),  # a block scalar that keeps them, then more keys
        make_report(results=[]),  # "tests: []"
        {**base, "tests": [dict(t, points=float(t["points"]), max_points=int(t["max_points"])) for t in tests]},
        {**base, "tests": [dict(t, points=-0.0) for t in tests] + [dict(tests[0], points=True)]},
        {**base, "tests": [*tests, dict(tests[0], feedback="ends open\n\n")]},  # the document's last scalar
        {**base, "sandbox": {"x": shared, "y": shared}},  # one dict twice: an alias
        {**base, "sandbox": {"nested": {"list": [1, 2.5, None, "é" * 150], "empty": {}}, "none": None}},
        {**base, "tests": [{**tests[0], "feedback": "x" * 300 + " " + "y" * 30}, {**tests[1], "feedback": "- a\n  b"}]},
        {"score": 1},
    ]


def test_write_report_writes_exactly_what_yaml_dump_writes(tmp_path):
    """Parts that repeat (the sandbox's section, alike checks) are written once per process and
    reused: the bytes are those of one ``yaml.dump`` of the whole report, twice in a row."""
    for round_ in range(2):
        for number, report in enumerate(_tricky_reports()):
            path = tmp_path / f"{round_}-{number}.yaml"
            write_report(report, path)
            whole = yaml.dump(report, Dumper=yaml_report._ReportDumper, sort_keys=False, allow_unicode=True, width=100)
            assert path.read_bytes() == whole.encode("utf-8"), number


def test_write_is_atomic_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "out" / "alice.yaml"
    write_report({"score": 1}, path)
    write_report({"score": 2}, path)
    assert yaml.safe_load(path.read_text()) == {"score": 2}
    assert sorted(p.name for p in path.parent.iterdir()) == ["alice.yaml"]


def test_write_failure_is_a_grader_error_and_leaves_nothing_behind(tmp_path):
    path = tmp_path / "alice.yaml"
    path.mkdir()  # a folder where the report should go: os.replace fails
    with pytest.raises(ReportNotWritable, match="cannot write the report"):
        write_report({"score": 1}, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alice.yaml"]
    assert list(path.iterdir()) == []

    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ReportNotWritable):
        write_report({"score": 1}, blocker / "reports" / "a.yaml")


# ---------------------------------------------------------------- file names


def test_report_path_is_a_safe_file_name(tmp_path):
    assert report_path(tmp_path, "alice") == tmp_path / "alice.yaml"
    assert report_path(tmp_path, "../../etc/passwd").parent == tmp_path
    assert report_path(tmp_path, "../../etc/passwd").name == "_.._etc_passwd.yaml"
    assert report_path(tmp_path, ".hidden").name == "hidden.yaml"
    assert report_path(tmp_path, "Jos\u00e9 \u5f20").name == "Jos\u00e9 \u5f20.yaml"
    assert report_path(tmp_path, "a\x00b\nc").name == "a_b_c.yaml"
    assert report_path(tmp_path, "...").name == "submission.yaml"
    assert len(report_path(tmp_path, "x" * 1000).name.encode()) < 255


def test_colliding_names_get_numbered_deterministically(tmp_path):
    names = ["alice", "bob", "alice", "Alice", "a/b", "a:b", "alice-2"]
    paths = unique_report_paths(tmp_path, names)
    assert [p.name for p in paths] == [
        "alice.yaml", "bob.yaml", "alice-2.yaml", "Alice-3.yaml", "a_b.yaml", "a_b-2.yaml",
        "alice-2-2.yaml",
    ]  # fmt: skip
    assert len({p.name.casefold() for p in paths}) == len(names)
    assert unique_report_paths(tmp_path, names) == paths


# -------------------------------------------------------------------- output


def test_escape_output_makes_ansi_and_control_characters_visible():
    text = "\x1b[1;31mFAIL\x1b[0m done\rover\x07 tab\there\r\nnext \u202eevil\n"
    escaped = escape_output(text)
    assert "\x1b" not in escaped and "\r" not in escaped and "\u202e" not in escaped
    assert escaped == (
        "\\x1b[1;31mFAIL\\x1b[0m done\\x0dover\\x07 tab\there\nnext \\u202eevil\n"
    )


def test_escape_output_cuts_long_output():
    escaped = escape_output("x" * 10_000)
    body, last = escaped.rsplit("\n", 1)
    assert body == "x" * 4000
    assert last == "... (6000 more characters not shown)"
    assert escape_output("y" * 4000) == "y" * 4000
    assert escape_output("ab\n" * 3, limit=4) == "ab\na\n... (5 more characters not shown)"


def test_escape_output_never_splits_an_escape():
    escaped = escape_output("ab\x1b[31m", limit=5)
    assert escaped == "ab\n... (5 more characters not shown)"


# -------------------------------------------------------------------- console


def test_render_check_lists_each_check_and_the_total():
    public = [r for r in RESULTS if r.visibility == "public"] + [
        CheckResult("relu_values", "public", 0.0, 2.0, "error", "relu raised ZeroDivisionError"),
        CheckResult("tanh_speed", "public", 0.0, 1.0, "timeout", "took longer than 2 s"),
    ]
    text = render_check(
        public,
        assignment=ACTIVATIONS,
        submission_name="activations.py",
        output="\x1b[31mdebug\x1b[0m\n",
        notes=("used 'act.py' as activations.py",),
    )
    lines = text.splitlines()
    assert lines[-1] == "1 of 4 public checks pass (2.0 / 6.0 points)"
    assert any(row.startswith("PASS ") and "sigmoid_values" in row and "2.0 / 2.0" in row for row in lines)
    failed = next(i for i, row in enumerate(lines) if row.startswith("FAIL "))
    assert "sigmoid_stable" in lines[failed]
    assert lines[failed + 1] == "       sigmoid(-1000) is nan: avoid exp overflow"
    assert any(row.startswith("ERROR") and "relu_values" in row for row in lines)
    assert any(row.startswith("TIME ") and "tanh_speed" in row for row in lines)
    assert "used 'act.py' as activations.py" in text
    assert "\\x1b[31mdebug" in text
    assert text.isascii() and "\x1b" not in text


def test_render_check_shows_a_problem():
    text = render_check(
        [], assignment=ACTIVATIONS, submission_name="x", problem="the submission folder is empty"
    )
    assert "Cannot check it: the submission folder is empty" in text
    assert text.splitlines()[-1] == "none of the 0 public checks ran (0.0 / 0.0 points)"


def test_summary_line():
    graded = {"submission": "alice", "score": 27.5, "max_score": 30, "status": "graded"}
    assert summary_line(graded, Path("reports/alice.yaml")) == "alice        27.5 / 30  graded"  # the path says nothing new
    assert summary_line(graded, Path("reports/alice-2.yaml")) == (
        "alice        27.5 / 30  graded  -> reports/alice-2.yaml"
    )
    failed = {
        "submission": "bob",
        "score": 0,
        "max_score": 30.0,
        "status": "error",
        "reason": "the submission folder is empty",
    }
    assert summary_line(failed, Path("reports/bob-2.yaml")) == (
        "bob          0 / 30  error: the submission folder is empty  -> reports/bob-2.yaml"
    )
    assert summary_line(graded, skipped=True) == "alice        27.5 / 30  graded (up to date, not graded again)"


CLASSROOM = [  # GitHub Classroom's folder names: the assignment's prefix, then the username
    "nn-course-2026-activations-al",
    "nn-course-2026-activations-konstantin-konstantinopolsky",
    "nn-course-2026-activations-sigmoid-returns-list-of-wrong-shape-student20",
]


def test_summary_lines_of_long_names_align_to_the_longest_and_cut_the_longest_in_the_middle():
    width, scores = name_width(CLASSROOM), score_column(36)
    assert (width, scores) == (NAME_LIMIT, len("35.82 / 36"))
    reports = [
        {"submission": name, "score": score, "max_score": 36, "status": status, "duration_s": took, "reason": "syntax error"}
        for name, score, status, took in zip(CLASSROOM, (36, 31.64, 0), ("graded", "graded", "error"), (0.2, 12.5, 0.05))
    ]
    lines = [summary_line(r, width=width, score_width=scores, seconds=True) for r in reports]
    assert lines == [
        f"{CLASSROOM[0]:<60}    36 / 36   0.20 s  graded",
        f"{CLASSROOM[1]:<60} 31.64 / 36  12.50 s  graded",
        "nn-course-2026-acti...-returns-list-of-wrong-shape-student20     0 / 36   0.05 s  error: syntax error",
    ]
    assert {line.index(" / ") for line in lines} == {width + scores - 4}  # every score's slash in one column
    skipped = summary_line(reports[0], width=width, score_width=scores, seconds=True, skipped=True)
    assert skipped == f"{CLASSROOM[0]:<60}    36 / 36           graded (up to date, not graded again)"
    cut = Path("reports/activations") / f"{CLASSROOM[2]}.yaml"  # a cut name keeps its full name in the path
    assert summary_line(reports[2], cut, width=width).endswith(f"  -> {cut}")
    assert name_width(["alice", "bob"]) == 12 and name_width(CLASSROOM[:2]) == len(CLASSROOM[1])


def test_fit_name_keeps_the_start_and_the_end():
    assert fit_name("alice", 12) == "alice"
    assert fit_name("abcdefghijklmnopqrstuvwxyz", 12) == "abc...uvwxyz" and len(fit_name("x" * 100, 60)) == 60


def test_render_check_shows_each_description_next_to_its_id():
    results = [
        CheckResult("sigmoid_values", "public", 2.0, 2.0, "passed", "", "sigmoid at a few points"),
        CheckResult("relu_values", "public", 0.0, 1.0, "failed", "wrong", "relu at a few points"),
    ]
    lines = render_check(results, assignment=ACTIVATIONS, submission_name="x").splitlines()
    assert lines[1] == "PASS   sigmoid_values  2.0 / 2.0  sigmoid at a few points"
    assert lines[2] == "FAIL   relu_values     0.0 / 1.0  relu at a few points"


def test_a_reports_checks_carry_their_descriptions():
    results = [CheckResult("a", "public", 1.0, 1.0, "passed", "passed", "a at zero")]
    assert make_report(results=results)["tests"][0]["description"] == "a at zero"


def test_read_report_gives_back_what_was_written_and_none_for_anything_else(tmp_path):
    report = make_report()
    write_report(report, tmp_path / "alice.yaml")
    assert read_report(tmp_path / "alice.yaml") == report
    assert read_report(tmp_path / "missing.yaml") is None
    (tmp_path / "other.yaml").write_text("just: a mapping\n")
    assert read_report(tmp_path / "other.yaml") is None
    (tmp_path / "broken.yaml").write_text("score: [1\n")
    assert read_report(tmp_path / "broken.yaml") is None


def test_class_summary_counts_graded_skipped_and_unloadable():
    graded = {"submission": "a", "score": 30, "max_score": 36, "status": "graded"}
    failed = {"submission": "b", "score": 0, "max_score": 36, "status": "error"}
    text = class_summary([(graded, False), (failed, True), (graded, True)], assignment=ACTIVATIONS, seconds=2.0,
                         folder="reports/activations/")
    assert text == (
        "graded 1 submission of 01 activations in 2.0 s (2.000 s each); 2 skipped (up to date; --force grades "
        "them again); mean score 20.00 / 36; 1 could not be loaded; reports in reports/activations/"
    )


def test_reports_are_laid_out_by_assignment(tmp_path):
    assert assignment_folder(tmp_path, ACTIVATIONS) == tmp_path / "activations"


# -------------------------------------------------------------------- rubric


def test_the_rubric_digest_follows_the_points_the_suites_and_the_version():
    specs = [CheckSpec("a", "public", 1.0, "a"), CheckSpec("b", "hidden", 2.0, "b")]
    digest = rubric_digest(ACTIVATIONS, specs)
    assert digest.startswith("sha256:") and len(digest) == len("sha256:") + 16
    assert rubric_digest(ACTIVATIONS, specs) == digest
    assert rubric_digest(ACTIVATIONS, [specs[0], CheckSpec("b", "hidden", 3.0, "b")]) != digest
    assert rubric_digest(ACTIVATIONS, specs[:1]) != digest
    assert rubric_digest(ACTIVATIONS, specs, version="9.9") != digest
    assert rubric_digest(find_assignment("perceptron"), specs) != digest  # other suites, other reference


# -------------------------------------------------------------------- progress


def test_progress_without_a_terminal_prints_counted_lines_and_a_status_every_tenth():
    printed: list[str] = []
    progress = Progress(20, lines=printed.append, bar=False)
    for number in range(20):
        progress.finished(f"s{number}", error=number == 3)
    progress.close()
    assert printed[0] == "[ 1/20] s0"
    assert [line for line in printed if line.startswith("[")] == [f"[{n + 1:>2}/20] s{n}" for n in range(20)]
    status = [line for line in printed if line.startswith("progress: ")]
    assert len(status) == 9  # at 10%, 20% ... 90%
    assert status[0].startswith("progress: 2/20 (10%), ") and "per second" in status[0]
    assert "1 could not be loaded" in status[-1] and "1 could not be loaded" not in status[0]


def test_progress_quiet_prints_nothing():
    printed: list[str] = []
    progress = Progress(3, lines=printed.append, bar=False, quiet=True)
    progress.finished("x")
    assert printed == []


def test_a_progress_bar_only_on_a_terminal_and_never_in_ci(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("CI", raising=False)
    assert on_a_terminal(Terminal()) and not on_a_terminal(io.StringIO())
    monkeypatch.setenv("CI", "true")
    assert not on_a_terminal(Terminal())


def test_the_progress_bar_is_drawn_by_tqdm_with_the_lines_above_it(monkeypatch):
    terminal = io.StringIO()
    monkeypatch.setattr(sys, "stderr", terminal)
    printed: list[str] = []
    progress = Progress(2, lines=printed.append, bar=True)
    progress.finished("alice  36 / 36  graded")
    progress.finished("dave  0 / 36  error", error=True)
    progress.close()
    assert printed == ["alice  36 / 36  graded", "dave  0 / 36  error"]
    drawn = terminal.getvalue()
    assert "/2 [" in drawn and "submission/s" in drawn and "1 could not be loaded" in drawn


def test_lines_survive_a_reader_that_left():
    class Gone(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def fileno(self) -> int:
            raise io.UnsupportedOperation("no descriptor")

    lines = Lines(Gone())
    lines("one")
    lines("two")  # dropped quietly
    assert lines.closed
