"""What a Gradescope student reads in results.json: the notes of loading, and an empty upload."""

from __future__ import annotations

import json

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from grader import i18n
from grader.course import COURSE_ROOT
from grader.platforms import gradescope
from grader.report.formats import gradescope_results

STUB = (COURSE_ROOT / "assignments" / "activations" / "activations.py").read_text(encoding="utf-8")
REFERENCE = (COURSE_ROOT / "solutions" / "activations" / "activations.py").read_text(encoding="utf-8")


def _report(notes: list[str], hidden_feedback: str = "passed") -> dict:
    return {
        "assignment": "activations", "score": 2.0, "max_score": 2.0, "status": "graded", "notes": notes,
        "tests": [
            {"id": "a", "visibility": "public", "points": 1.0, "max_points": 1.0, "status": "passed", "feedback": "passed"},
            {"id": "b", "visibility": "hidden", "points": 1.0, "max_points": 1.0, "status": "passed", "feedback": hidden_feedback},
        ],
    }


def test_the_notes_are_in_the_visible_output():
    notes = ["used 'hw.py' as activations.py", "left out 'erin.ipynb', another version of activations: graded 'hw.py'"]
    output = gradescope_results(_report(notes))["output"]
    assert "Notes:" in output and all(f"- {note}" in output for note in notes)


def test_a_note_only_a_hidden_check_speaks_of_is_not_shown():
    event = "the submission used up the 20 s of CPU time it may use for all its checks"
    timed_out, passed = (gradescope_results(_report([event], hidden)) for hidden in (f"not run: {event}", "passed"))
    assert event not in timed_out["output"] and event in passed["output"]


def test_the_output_is_in_the_students_language():
    with i18n.use("uk"):
        output = gradescope_results(_report(["x"]))["output"]
    assert output.splitlines() == [
        "activations: відкриті перевірки, бали: 1 / 1.",
        "1 прихована перевірка теж оцінюється; її і свій підсумок ви побачите, коли оцінки опублікують.",
        "Примітки:",
        "- x",
    ]


def _submit(root, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / "submission" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(".ipynb"):
            nbformat.write(new_notebook(cells=[new_code_cell(text)]), path)
        else:
            path.write_text(text, encoding="utf-8")


def test_the_stub_beside_a_notebook_of_another_name_is_passed_over_and_said(tmp_path):
    _submit(tmp_path, {"activations.py": STUB, "hw1.ipynb": REFERENCE})
    results = gradescope.run(tmp_path, "activations")
    assert sum(t["score"] for t in results["tests"]) == sum(t["max_score"] for t in results["tests"]) > 0
    assert "left out 'activations.py': it is the assignment's stub, unchanged (graded 'hw1.ipynb')" in results["output"]
    assert "used 'hw1.ipynb' as activations.py" in results["output"]


def test_an_empty_submission_says_what_to_upload_in_the_students_language_without_a_traceback(tmp_path, capsys):
    (tmp_path / "submission").mkdir()
    with i18n.use("uk"):
        results = gradescope.run(tmp_path, "activations")
    assert results["score"] == 0 and results["tests"] == []
    assert results["output"] == "не надіслано жодного файлу: завантажте activations.py або блокнот"
    assert json.loads((tmp_path / "results" / "results.json").read_text(encoding="utf-8")) == results
    out = capsys.readouterr().out
    assert "Traceback" not in out and "gitlinks" not in results["output"]
