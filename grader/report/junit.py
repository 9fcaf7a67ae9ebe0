"""The gradebook as JUnit XML, which CI systems (GitHub, GitLab, Jenkins) display.

The layout most of them read (the Ant JUnit schema, as Jenkins and GitLab document it)::

    <testsuites name="grader" tests= failures= errors=>
      <testsuite name="01 activations: alice" tests= failures= errors= skipped="0" time= timestamp=>
        <properties><property name="score" value="28"/> max_score, status, rubric, grader_version</properties>
        <testcase classname="activations.alice" name="sigmoid_values: sigmoid at a few points" time="0">
          <failure message="first line of the feedback" type="failed">points and the whole feedback</failure>
        </testcase>

A testsuite per student and assignment, a testcase per check: ``failure`` for a failed check,
``error`` for ``error`` and ``timeout``; a submission that could not be loaded and has no
checks gets one testcase ``load`` with an ``error``. Text the student's code influenced is made
safe for XML (control characters written as visible escapes).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from grader.report.gradebook import Gradebook, label
from grader.report.yaml_report import escape_output
from grader.results import Report

__all__ = ["junit_xml"]

_TEXT_LIMIT = 4000


def _text(value: object) -> str:
    return escape_output(str(value), limit=_TEXT_LIMIT)


def _number(value: object) -> str:
    rounded = round(float(value), 2)  # type: ignore[arg-type]
    return str(int(rounded)) if rounded.is_integer() else str(rounded)


def junit_xml(book: Gradebook) -> str:
    """The JUnit XML document (UTF-8 text with its declaration)."""
    root = ET.Element("testsuites", name="grader")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for student in book.students:
        for assignment in book.assignments:
            report = book.report(student, assignment)
            if report is not None:
                suite = _suite(student, assignment, report)
                root.append(suite)
                for key in totals:
                    totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _suite(student: str, assignment: str, report: Report) -> ET.Element:
    suite = ET.Element(
        "testsuite",
        name=_text(f"{label(assignment)}: {student}"),
        timestamp=str(report.get("graded_at", "")).rstrip("Z"),
        time=f"{float(report.get('duration_s', 0)):.3f}",
        skipped="0",
    )
    properties = ET.SubElement(suite, "properties")
    for key in ("score", "max_score", "status", "rubric", "grader_version"):
        if key in report:
            value = _number(report[key]) if key in ("score", "max_score") else _text(report[key])
            ET.SubElement(properties, "property", name=key, value=value)
    classname = f"{assignment}.{student}"
    tests = list(report.get("tests", []))
    failures = errors = 0
    if not tests and report["status"] == "error":
        case = ET.SubElement(suite, "testcase", classname=_text(classname), name="load", time="0")
        reason = _text(report.get("reason", "the submission could not be loaded"))
        ET.SubElement(case, "error", message=reason, type="error").text = reason
        errors += 1
    for test in tests:
        description = str(test.get("description") or "")
        name = f"{test['id']}: {description}" if description and description != test["id"] else str(test["id"])
        case = ET.SubElement(suite, "testcase", classname=_text(classname), name=_text(name), time="0")
        if test["status"] == "passed" and float(test["points"]) >= float(test["max_points"]):
            continue
        feedback = _text(test.get("feedback", ""))
        body = f"{_number(test['points'])} / {_number(test['max_points'])} points\n{feedback}"
        first = feedback.splitlines()[0] if feedback else str(test["status"])
        if test["status"] in ("error", "timeout"):
            ET.SubElement(case, "error", message=first, type=str(test["status"])).text = body
            errors += 1
        else:
            ET.SubElement(case, "failure", message=first, type=str(test["status"])).text = body
            failures += 1
    suite.set("tests", str(max(len(tests), 1 if not tests and report["status"] == "error" else len(tests))))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    return suite
