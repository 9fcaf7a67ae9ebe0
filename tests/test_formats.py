"""Gradescope's results.json and GitHub Classroom's result, from the same verdicts as the YAML."""

from __future__ import annotations

import base64
import json

import pytest
import yaml
from conftest import EXAMPLES, bob_score, max_points

from grader.cli import main

BOB = EXAMPLES / "bob"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("formats")
    github_output = out / "github_output"
    import os

    old = os.environ.get("GITHUB_OUTPUT")
    os.environ["GITHUB_OUTPUT"] = str(github_output)
    try:
        code = main(["grade", "activations", str(BOB), "--out", str(out), "--quiet", "--jobs", "1",
                     "--gradescope", str(out / "results.json"), "--github-classroom"])
    finally:
        if old is None:
            del os.environ["GITHUB_OUTPUT"]
        else:
            os.environ["GITHUB_OUTPUT"] = old
    assert code == 0
    report = yaml.safe_load((out / "activations" / "bob.yaml").read_text())
    return report, json.loads((out / "results.json").read_text()), github_output.read_text()


def test_gradescope_results_agree_with_the_report(graded):
    report, results, _ = graded
    assert results["score"] == report["score"] == pytest.approx(bob_score())
    assert [t["tags"][0] for t in results["tests"]] == [t["id"] for t in report["tests"]]
    by_name = {t["tags"][0]: t for t in results["tests"]}
    assert by_name["sigmoid_stable"]["status"] == "failed" and by_name["sigmoid_stable"]["score"] == 0
    assert "RuntimeWarning: overflow" in by_name["sigmoid_stable"]["output"]
    assert by_name["sigmoid_values"]["visibility"] == "visible"
    assert by_name["softmax_matches_reference"]["visibility"] == "after_published"
    assert sum(t["max_score"] for t in results["tests"]) == report["max_score"]


def test_github_classroom_result_agrees_with_the_report(graded):
    report, _, output = graded
    assert output.startswith("result=") and output.endswith("\n")
    data = json.loads(base64.b64decode(output[len("result="):]))
    assert data["version"] == 1 and data["status"] == "fail" and data["max_score"] == max_points("activations")
    assert sum(t["score"] for t in data["tests"]) == report["score"]
    assert {t["name"]: t["status"] for t in data["tests"]}["sigmoid_stable"] == "fail"


def test_other_formats_take_one_submission(tmp_path, capsys):
    alice = EXAMPLES / "alice"
    assert main(["grade", "1", str(alice), str(BOB), "--out", str(tmp_path), "--gradescope", str(tmp_path / "r.json")]) == 2
    assert "one submission at a time" in capsys.readouterr().err
