"""Text a submission controls (exception messages, an exception class's name, what it prints)
cannot break a report or the feedback around it, in any language of the feedback.

``tests/submissions/activations/hostile/injects_text_into_reports.py`` raises exceptions whose
messages are format placeholders (``{0}``, ``%s``, ``{value!r:>{x}}``), markup of every report
format, terminal escapes and a lone surrogate, thousands of characters long, and prints invalid
UTF-8. Graded through ``grader grade`` with each language: the placeholders reach the feedback
as written (never formatted), and every report is read back by the tools that read it: the YAML
by libyaml (``grader report``), Gradescope's results.json as strict UTF-8 JSON, the gradebook's
JUnit XML and Markdown.
"""

from __future__ import annotations

import json
import xml.dom.minidom
from pathlib import Path

import pytest
import yaml
from conftest import SUBMISSIONS

from grader.cli import main
from grader.report.class_stats import load_reports

HOSTILE = SUBMISSIONS / "activations" / "hostile" / "injects_text_into_reports.py"
PLACEHOLDERS = "{0} {} %s %(x)s {value!r:>{x}} {__class__.__mro__} }{ {{"


@pytest.fixture(scope="module", params=["en", "uk", "ru"])
def graded(request, tmp_path_factory) -> Path:
    """The reports folder of the hostile submission graded in one language."""
    out = tmp_path_factory.mktemp(f"reports-{request.param}")
    folder = tmp_path_factory.mktemp("submission") / "nasty"
    folder.mkdir()
    (folder / "activations.py").write_bytes(HOSTILE.read_bytes())
    command = ["grade", "activations", "--lang", request.param, "--out", str(out),
               "--gradescope", str(out / "results.json"), "--", str(folder)]
    assert main(command) == 0
    return out


def test_the_yaml_report_is_read_by_libyaml_and_keeps_the_placeholders_as_written(graded):
    found = load_reports([graded / "activations"])
    assert found.skipped == ()
    (report,) = found.by_assignment["activations"]
    assert report.status == "graded"
    data = yaml.load((graded / "activations" / "nasty.yaml").read_text(encoding="utf-8"),
                     Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    feedback = {test["id"]: test["feedback"] for test in data["tests"]}
    assert PLACEHOLDERS in feedback["tanh_values"]
    assert "{0}{x}%s" in feedback["relu_values"]
    assert "\\ud800" in feedback["tanh_values"]  # the lone surrogate, shown as an escape
    assert "{0} {} %s" in data["output"]


def test_gradescope_results_are_utf8_json(graded):
    results = json.loads((graded / "results.json").read_bytes().decode("utf-8", "strict"))
    shown = " ".join(test.get("output", "") for test in results["tests"])
    assert PLACEHOLDERS in shown
    json.dumps(results).encode("utf-8", "strict")


def test_the_gradebook_and_the_class_page_are_written(graded, tmp_path):
    junit, markdown, html = tmp_path / "j.xml", tmp_path / "s.md", tmp_path / "r.html"
    assert main(["gradebook", str(graded), "--junit", str(junit), "--markdown", str(markdown),
                 "--csv", str(tmp_path / "g.csv")]) == 0
    xml.dom.minidom.parse(str(junit))
    assert "<script>" not in markdown.read_text(encoding="utf-8")
    assert main(["report", str(graded / "activations"), "--html", str(html)]) == 0
    assert "<script>alert" not in html.read_text(encoding="utf-8")
