"""The same verdicts in the formats other tools read: Gradescope and GitHub Classroom.

Built from a YAML report (a dict), so that they can never disagree with it.

* Gradescope's autograder reads ``results.json``: ``score``, ``output``, and ``tests``, each
  with ``name``, ``score``, ``max_score``, ``status`` (passed/failed), ``output`` and
  ``visibility``. Hidden checks get ``after_published``: students see them once grades are
  published (their feedback never shows a hidden input or expected value anyway).
* GitHub Classroom's autograding reporter reads a step output ``result``: base64 of
  ``{"version": 1, "status": "pass"|"fail"|"error", "max_score", "tests": [...]}``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping

from grader import i18n

__all__ = ["classroom_result", "gradescope_results"]


def gradescope_results(report: dict, descriptions: Mapping[str, str] | None = None) -> dict:
    """Gradescope's ``results.json`` for one graded submission (its autograder specification:
    https://gradescope-autograders.readthedocs.io/en/latest/specs/).

    Each test is named by its check's description when ``descriptions`` (id -> description)
    has it, else by its id; the id is in its ``tags``. Hidden checks are ``after_published``;
    Gradescope then keeps the total score from students until grades are published, and the
    top-level ``output`` speaks of the public checks only, so that nothing shows the hidden
    part's total before then. The report's notes follow, under "Notes:" (which file was graded,
    what was left out and why), but for one only a hidden check's feedback speaks of.
    """
    descriptions = descriptions or {}
    public = [t for t in report["tests"] if t["visibility"] == "public"]
    hidden = len(report["tests"]) - len(public)
    lines = [
        i18n._("{assignment}: public checks {points} / {total} points.").format(
            assignment=report["assignment"],
            points=_points(sum(t["points"] for t in public)),
            total=_points(sum(t["max_points"] for t in public)),
        )
    ]
    if hidden:
        lines.append(
            i18n.ngettext(
                "{count} hidden check is graded too; you see it, and your total, when grades are published.",
                "{count} hidden checks are graded too; you see them, and your total, when grades are published.",
                hidden,
            ).format(count=hidden)
        )
    if report["status"] == "error":
        lines.append(i18n._("The submission could not be loaded: {reason}").format(reason=report.get("reason", "")))
    notes = _shown_notes(report)
    if notes:
        lines.append(i18n._("Notes:"))
        lines.extend(f"- {note}" for note in notes)
    return {
        "score": report["score"],
        "output": "\n".join(lines),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [
            {
                "name": descriptions.get(test["id"]) or test["id"],
                "number": str(number),
                "tags": [test["id"], test["visibility"]],
                "score": test["points"],
                "max_score": test["max_points"],
                "status": "passed" if test["status"] == "passed" else "failed",
                "output": test["feedback"],
                "visibility": "visible" if test["visibility"] == "public" else "after_published",
            }
            for number, test in enumerate(report["tests"], start=1)
        ],
    }


def _shown_notes(report: dict) -> list[str]:
    """The report's notes a student may read before grades are published: which file was graded,
    what was left out, an older copy of the course (written in the run's language). A note that
    only a hidden check's feedback speaks of (its time limit ran out) is left out, so that the
    top-level output reads the same whether the hidden checks passed or not."""
    public = [t["feedback"] for t in report["tests"] if t["visibility"] == "public"]
    hidden = [t["feedback"] for t in report["tests"] if t["visibility"] != "public"]
    return [
        note
        for note in report.get("notes", ())
        if any(note in text for text in public) or not any(note in text for text in hidden)
    ]


def _points(value: float) -> str:
    return f"{value:g}"


def classroom_result(report: dict) -> str:
    """GitHub Classroom's ``result`` step output (base64 of its JSON) for one submission."""
    passed = report["status"] == "graded" and all(t["status"] == "passed" for t in report["tests"])
    status = "error" if report["status"] == "error" else "pass" if passed else "fail"
    tests = [
        {
            "name": test["id"],
            "status": "pass" if test["status"] == "passed" else ("error" if test["status"] == "error" else "fail"),
            "score": test["points"],
            "message": test["feedback"],
            "test_code": "",
            "filename": "",
            "line_no": 0,
            "duration": 0,
        }
        for test in report["tests"]
    ]
    data = {"version": 1, "status": status, "max_score": report["max_score"], "tests": tests}
    return base64.b64encode(json.dumps(data).encode()).decode()
