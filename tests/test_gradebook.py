"""The gradebook: which report counts, the CSV formats (plain, Canvas, Moodle), the Markdown
summary and the JUnit XML, each checked against the reports it was made from."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

import pytest
from conftest import count_checks, max_points

from grader.cli import main
from grader.course import COURSE_ROOT, find_assignment
from grader.report.gradebook import CANVAS_COLUMNS, RosterGaps, collect, csv_text, read_roster, roster_gaps, roster_warnings
from grader.report.junit import junit_xml
from grader.report.markdown import markdown_summary
from grader.report.yaml_report import build_report, read_report, write_report
from grader.results import CheckResult
from grader.submission import Submission

OLD, NEW = "sha256:0000000000000001", "sha256:0000000000000002"
CURRENT = {"activations": NEW, "perceptron": NEW}


def report(student: str, assignment: str, points: dict[str, float], *, status: str = "graded",
           rubric: str = NEW, when: int = 1, reason: str | None = None) -> dict:
    """A report whose checks ``a``, ``b``, ``c`` are worth 1, 2 and 3 points."""
    worth = {"a": 1.0, "b": 2.0, "c": 3.0}
    results = [
        CheckResult(ident, "public" if ident == "a" else "hidden", points.get(ident, 0.0), most,
                    "passed" if points.get(ident, 0.0) == most else ("error" if status == "error" else "failed"),
                    "passed" if points.get(ident, 0.0) == most else f"{ident} is wrong <b>|x|</b>\x1b[31m",
                    f"check {ident}")
        for ident, most in worth.items()
    ]
    return build_report(
        assignment=find_assignment(assignment),
        submission=Submission(name=student, path=Path("/x") / student, files={}, sha256={"f.py": "00"}),
        results=results, status=status, reason=reason, grader_version="0.1.0", rubric=rubric,
        graded_at=datetime(2026, 11, when, tzinfo=timezone.utc), duration_s=0.5, sandbox={},
    )


@pytest.fixture
def reports(tmp_path) -> Path:
    """amy: both assignments; ben: activations only, could not be loaded; cy: perceptron only."""
    out = tmp_path / "reports"
    written = {
        "activations/amy": report("amy", "activations", {"a": 1, "b": 2, "c": 3}),
        "perceptron/amy": report("amy", "perceptron", {"a": 1, "c": 1.5}),
        "activations/ben": report("ben", "activations", {}, status="error", reason="syntax error in line 3"),
        "perceptron/cy": report("cy", "perceptron", {"b": 2}),
    }
    for where, data in written.items():
        write_report(data, out / f"{where}.yaml")
    return out


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


# -- which report counts ---------------------------------------------------------------------------
def test_a_report_of_the_current_rubric_wins_then_the_latest(tmp_path):
    write_report(report("amy", "activations", {"a": 1}, rubric=NEW, when=1), tmp_path / "run1" / "amy.yaml")
    write_report(report("amy", "activations", {"a": 1, "b": 2}, rubric=OLD, when=5), tmp_path / "run2" / "amy.yaml")
    book = collect([tmp_path], current=CURRENT)
    assert book.report("amy", "activations")["score"] == 1 and book.replaced == 1
    book = collect([tmp_path], current={"activations": None})  # rubric unknown here: the latest
    assert book.report("amy", "activations")["score"] == 3
    write_report(report("amy", "activations", {"c": 3}, rubric=NEW, when=9), tmp_path / "run3" / "amy.yaml")
    assert collect([tmp_path], current=CURRENT).report("amy", "activations")["score"] == 3  # the later of the current
    assert collect([tmp_path / "run2"], current=CURRENT).stale() != []


def test_yaml_files_that_are_not_reports_are_ignored(reports):
    (reports / "notes.yaml").write_text("a: 1\n")
    book = collect([reports], current=CURRENT)
    assert len(book.reports) == 4 and [p.name for p in book.ignored] == ["notes.yaml"]


# -- CSV ---------------------------------------------------------------------------------------------
def test_plain_csv_has_a_row_per_student_a_column_per_assignment_and_totals(reports):
    book = collect([reports], current=CURRENT)
    table = rows(csv_text(book))
    assert table[0] == ["student", "01 activations", "02 perceptron", "total", "max", "percent"]
    assert table[1:] == [
        ["amy", "6", "2.5", "8.5", "12", "70.8"],
        ["ben", "0", "", "0", "12", "0.0"],
        ["cy", "", "2", "2", "12", "16.7"],
    ]
    for student, activations, perceptron, *_ in table[1:]:  # the same numbers as the reports
        for assignment, cell in (("activations", activations), ("perceptron", perceptron)):
            on_disk = read_report(reports / assignment / f"{student}.yaml")
            assert cell == ("" if on_disk is None else f"{on_disk['score']:g}")


def test_detail_adds_a_column_per_check(reports):
    table = rows(csv_text(collect([reports], current=CURRENT), detail=True))
    assert table[0][:5] == ["student", "01 activations", "01 activations: a", "01 activations: b", "01 activations: c"]
    assert table[1][:9] == ["amy", "6", "1", "2", "3", "2.5", "1", "0", "1.5"]


def test_canvas_csv_is_canvas_gradebook_import_format(reports, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("folder,SIS Login ID\namy,a.smith\ncy,c.young\n")
    text = csv_text(collect([reports], current=CURRENT), format="canvas", roster=read_roster(roster))
    table = rows(text)
    assert tuple(table[0][:5]) == CANVAS_COLUMNS == ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
    assert table[0][5:] == ["01 activations", "02 perceptron"]
    assert table[1] == ["Points Possible", "", "", "", "", "6", "6"]
    assert table[2:] == [
        ["amy", "", "", "a.smith", "", "6", "2.5"],
        ["cy", "", "", "c.young", "", "", "2"],
        ["ben", "", "", "", "", "0", ""],
    ]
    assert "total" not in text and "\r\n" in text


def test_moodle_csv_has_an_identifier_column_and_a_column_per_grade_item(reports, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("submission,Email address\namy,amy@uni.edu\nben,ben@uni.edu\ncy,cy@uni.edu\n")
    table = rows(csv_text(collect([reports], current=CURRENT), format="moodle", roster=read_roster(roster)))
    assert table[0] == ["Email address", "01 activations", "02 perceptron"]
    assert table[1:] == [["amy@uni.edu", "6", "2.5"], ["ben@uni.edu", "0", ""], ["cy@uni.edu", "", "2"]]


def test_a_roster_without_a_header_and_a_broken_roster(tmp_path):
    plain = tmp_path / "plain.csv"
    plain.write_text("amy,12345\n\nben,67890\n")
    assert read_roster(plain).identifiers == {"amy": "12345", "ben": "67890"}
    assert read_roster(plain).column == "Identifier"
    broken = tmp_path / "broken.csv"
    broken.write_text("amy\n")
    with pytest.raises(Exception, match="row 1: give the folder name and the identifier"):
        read_roster(broken)


# -- Markdown ----------------------------------------------------------------------------------------
def test_markdown_summary_has_the_class_statistics_pass_rates_and_the_unloadable(reports):
    text = markdown_summary(collect([reports], current=CURRENT))
    lines = text.splitlines()
    assert "| 01 activations | 6 | 2 | 3.00 | 3 | 0 | 6 | 1 |" in lines  # points, reports, mean, median, min, max
    assert "| 02 perceptron | 6 | 2 | 2.25 | 2.25 | 2 | 2.5 | 0 |" in lines
    perceptron = lines.index("## 02 perceptron")
    checks = [row for row in lines[perceptron:] if row.startswith("| `")][:3]
    assert [row.split("|")[1].strip() for row in checks] == ["`c`", "`a`", "`b`"]  # 0 of 2, then 1 of 2 in suite order
    assert checks[0].endswith("| 0 of 2 | 0% |")
    assert "| 01 activations | ben | syntax error in line 3 |" in lines
    assert "| 90% to 100% | 1 |" in text  # amy's 6 of 6


def test_markdown_escapes_what_a_submission_controls_and_fits_the_limit(tmp_path):
    for number in range(300):
        name = f"<img src=x onerror=alert(1)>|{number}"
        write_report(report(name, "activations", {}, status="error", reason="*bold* [link](http://x) `code` " * 20),
                     tmp_path / f"{number}.yaml")
    book = collect([tmp_path], current=CURRENT)
    text = markdown_summary(book)
    assert re.search(r"(?<!\\)[<|*]img", text) is None and "\\*bold\\*" in text
    assert "| \\<img src=x onerror=alert(1)\\>\\|0 |" in text
    small = markdown_summary(book, limit=4000)
    assert len(small.encode()) <= 4000 and small.rstrip().endswith("more lines not shown)*")
    assert small.startswith("# Gradebook")


# -- JUnit -------------------------------------------------------------------------------------------
def test_junit_has_a_suite_per_student_and_assignment_and_a_case_per_check(reports):
    root = ET.fromstring(junit_xml(collect([reports], current=CURRENT)).encode())
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert sorted(suites) == ["01 activations: amy", "01 activations: ben", "02 perceptron: amy", "02 perceptron: cy"]
    amy = suites["02 perceptron: amy"]
    cases = {c.get("name"): c for c in amy.iter("testcase")}
    assert sorted(cases) == ["a: check a", "b: check b", "c: check c"]
    assert cases["a: check a"].find("failure") is None
    failure = cases["c: check c"].find("failure")
    assert failure.text.startswith("1.5 / 3 points\n") and "\\x1b[31m" in failure.text
    assert (amy.get("tests"), amy.get("failures"), amy.get("errors")) == ("3", "2", "0")
    assert {p.get("name"): p.get("value") for p in amy.iter("property")}["score"] == "2.5"
    ben = suites["01 activations: ben"]
    assert (ben.get("failures"), ben.get("errors")) == ("0", "3")
    assert root.get("tests") == "12" and root.get("errors") == "3"


# -- the command -------------------------------------------------------------------------------------
def test_grader_gradebook_writes_what_is_asked_from_real_reports(tmp_path, capsys):
    examples = COURSE_ROOT / "examples" / "activations"
    out = tmp_path / "out"
    assert main(["grade", "1", str(examples / "alice"), str(examples / "dave"), "--out", str(out), "--jobs", "1",
                 "--quiet"]) == 0
    capsys.readouterr()
    files = {kind: tmp_path / name for kind, name in (("csv", "g.csv"), ("markdown", "g.md"), ("junit", "g.xml"))}
    assert main(["gradebook", str(out), *(a for k, f in files.items() for a in (f"--{k}", str(f)))]) == 0
    assert capsys.readouterr().out.startswith("gradebook of 2 students and 1 assignment from 2 reports: wrote")
    table = rows(files["csv"].read_text(encoding="utf-8-sig"))
    full = f"{max_points('activations'):g}"
    assert table[1:] == [["alice", full, full, full, "100.0"], ["dave", "0", "0", full, "0.0"]]
    assert "| 01 activations | alice |" not in files["markdown"].read_text()
    assert "| 01 activations | dave | syntax error in activations.py, line 30" in files["markdown"].read_text()
    assert ET.parse(files["junit"]).getroot().get("tests") == str(2 * count_checks("activations"))


def test_gradebook_refuses_detail_in_an_lms_format_and_an_empty_folder(reports, tmp_path, capsys):
    assert main(["gradebook", str(reports), "--csv", str(tmp_path / "x.csv"), "--format", "canvas", "--detail"]) == 2
    assert "--detail" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["gradebook", str(tmp_path / "empty"), "--csv", str(tmp_path / "x.csv")]) == 2
    assert "no reports" in capsys.readouterr().err


@pytest.mark.parametrize(
    "options, said",
    [
        (["--format", "canvas"], "--format canvas is the format of the CSV file, and no --csv FILE was given"),
        (["--format", "moodle", "--markdown", "MD"], "--format moodle is the format of the CSV file"),
        (["--detail", "--junit", "XML"], "--detail adds a column per check to the CSV file, and no --csv FILE"),
    ],
)
def test_a_csv_option_without_csv_is_a_usage_error_naming_what_is_missing(reports, tmp_path, capsys, options, said):
    options = [str(tmp_path / "out.md") if o == "MD" else str(tmp_path / "out.xml") if o == "XML" else o for o in options]
    assert main(["gradebook", str(reports), *options]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(f"grader: {said}") and "add one (e.g. --csv grades.csv" in err
    assert err.count("\n") == 1 and not list(tmp_path.glob("out.*"))  # nothing written


@pytest.mark.parametrize("form", ["canvas", "moodle"])
def test_an_lms_csv_without_a_roster_says_what_is_empty_and_how_to_fill_it(reports, tmp_path, capsys, form):
    out = tmp_path / "g.csv"
    assert main(["gradebook", str(reports), "--csv", str(out), "--format", form]) == 0
    err = capsys.readouterr().err
    assert err.startswith("grader: no --roster: ") and "give --roster FILE" in err
    if form == "canvas":
        assert "ID, SIS User ID and SIS Login ID columns are empty" in err
        assert all(row[1:4] == ["", "", ""] for row in rows(out.read_text())[1:])  # what the warning says
    else:
        assert "folder,Email address" in err
    roster = tmp_path / "roster.csv"
    roster.write_text("folder,SIS Login ID\namy,a.smith\nben,b.jones\ncy,c.young\n")
    assert main(["gradebook", str(reports), "--csv", str(out), "--format", form, "--roster", str(roster)]) == 0
    assert "--roster" not in capsys.readouterr().err
    assert main(["gradebook", str(reports), "--csv", str(out)]) == 0
    assert "--roster" not in capsys.readouterr().err  # the plain CSV names students by their folders


def test_the_roster_and_the_reports_are_compared_on_stderr_and_in_the_markdown(reports, tmp_path, capsys):
    """amy has both reports, ben activations only, dee none (roster); cy has a report, not on the roster."""
    roster = tmp_path / "roster.csv"
    roster.write_text("folder,SIS Login ID\namy,a.smith\nben,b.jones\ndee,d.lee\n")
    out, summary = tmp_path / "g.csv", tmp_path / "g.md"
    assert main(["gradebook", str(reports), "--csv", str(out), "--format", "canvas", "--roster", str(roster),
                 "--markdown", str(summary)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert [line for line in err if "roster" in line] == [
        "grader: 1 student on the roster has no report of 01 activations (an empty cell in the CSV): dee",
        "grader: 2 students on the roster have no report of 02 perceptron (an empty cell in the CSV): ben, dee",
        "grader: 1 student with a report is not on the roster, so Canvas cannot match their rows (Student holds the "
        "folder name, the ID columns are empty): cy",
    ]
    table = rows(out.read_text())
    assert ["dee", "", "", "d.lee", "", "", ""] in table and ["cy", "", "", "", "", "", "2"] in table
    text = summary.read_text()
    section = text[text.index("## The roster"):]
    assert "| 01 activations | 1 | dee |" in section and "| 02 perceptron | 2 | ben, dee |" in section
    assert section.rstrip().endswith("Students with a report who are not on the roster (an LMS cannot match them):\n\ncy.")
    assert main(["gradebook", str(reports), "--markdown", str(summary)]) == 0  # without a roster: no such section
    assert "## The roster" not in summary.read_text() and "roster" not in capsys.readouterr().err


def test_a_roster_that_matches_the_reports_says_so_and_warns_about_nothing(reports, tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text("amy,1\nben,2\ncy,3\n")
    book = collect([reports], current=CURRENT)
    gaps = roster_gaps(book, read_roster(roster))
    assert gaps.unsubmitted == {"activations": ["cy"], "perceptron": ["ben"]} and gaps.unlisted == []
    assert roster_warnings(gaps, format=None) == [
        "1 student on the roster has no report of 01 activations: cy",
        "1 student on the roster has no report of 02 perceptron: ben",
    ]
    roster.write_text("amy,1\n")
    only_amy = read_roster(roster)
    book.reports = {key: r for key, r in book.reports.items() if key[0] == "amy"}
    assert not roster_gaps(book, only_amy)
    assert "None: every student on the roster has a report of every assignment." in markdown_summary(
        book, gaps=roster_gaps(book, only_amy)
    )
    many = RosterGaps({}, [f"s{n}" for n in range(13)])
    assert roster_warnings(many, format="plain") == [
        "13 students with reports are not on the roster, so their identifier cell in the CSV is empty: "
        "s0, s1, s2, s3, s4, s5, s6, s7, s8, s9 and 3 more"
    ]
