"""What hidden feedback may show (README, "What feedback shows"), checked on every mutant of every
assignment: no number but the allowed ones, and what the student's code prints during hidden
checks kept for the instructor only.

A hidden message may name functions and arguments, count the entries that differ, say where they
lie and give hints from a fixed vocabulary. So after the allowed phrases are taken out, a hidden
message holds no digit but the contract's own constants: no input, size, shape, argument value,
expected value, ratio from a hidden argument, nor the student's own values there (a submission
can return its input, or raise it as an exception's message).
"""

from __future__ import annotations

import base64
import json
import re
from datetime import datetime, timezone

import pytest
from conftest import ALL_MUTANTS, SUBMISSIONS

from grader.course import find_assignment
from grader.report.formats import classroom_result, gradescope_results
from grader.report.yaml_report import build_report
from grader.submission import load_submission

# Phrases with numbers that a hidden message may hold.
ALLOWED_PHRASES = [
    r"\b\d+ entr(?:y|ies) differs?\b",  # how many entries differ
    r"\b\d+ entr(?:y|ies) changed\b",  # how many entries an in-place change touched
    r"\bline \d+\b",  # where in the student's own file
    r"\bhidden test \d+\b",  # which of the fixed hidden tests
    r"\b\d+ dimensions?\b",  # the number of dimensions of a result, not its shape
    r"\b\d+ decimals\b",  # what the student's own values look rounded to
    r"\b\d+ of \d+ (?:functions )?right\b",  # per-function credit
    r"mean test accuracy \d\.\d+ over 5 folds", r"fold \d: \d\.\d+ \(\d+/\d+\)",  # iris ships with the course
]
# The contract's and the formulas' own constants (defaults, clipping bounds, "large" inputs, factor 2).
ALLOWED_NUMBERS = {"0", "1", "2", "0.0", "1.0", "0.01", "1e-12", "1e-5", "1e3", "1000", "20", "20.0",
                   "0.1", "0.5", "0.6931", "0.9", "90", "0.93", "5", "100"}
NUMBER = re.compile(r"(?<![A-Za-z_\d.])\d+(?:\.\d+)?(?:e-?\d+)?(?![A-Za-z_\d])")


def leaked(feedback: str) -> list[str]:
    """The numbers of a hidden message that no rule allows."""
    for pattern in ALLOWED_PHRASES:
        feedback = re.sub(pattern, " ", feedback)
    return [number for number in NUMBER.findall(feedback) if number not in ALLOWED_NUMBERS]


@pytest.mark.parametrize("mutant", [pytest.param(m, id=m.id) for m in ALL_MUTANTS])
def test_hidden_feedback_shows_no_number_from_the_hidden_tests(graded, mutant):
    result = graded(mutant.assignment, mutant.path)
    leaks = [
        (r.id, r.feedback)
        for r in result.results
        if r.visibility == "hidden" and r.status != "passed" and leaked(r.feedback)
    ]
    assert leaks == [], "hidden feedback with numbers from the hidden tests:\n" + "\n".join(f"{i}: {f}" for i, f in leaks)


def test_the_leak_rule_catches_what_it_is_about():
    assert leaked("leaky_relu(z, eps=...) on a hidden test: 3 entries differ.\nHint: yours is about 1/30 of it") == ["30"]
    assert leaked("forward(X) of Dense(3, 4, 'relu') (n=8) on a hidden test") == ["3", "4", "8"]
    assert leaked("softmax raised ValueError: operands could not be broadcast together with shapes (2,3) (4,)") == ["3", "4"]
    assert leaked("relu(z) on a hidden test: 1 entry differs; yours is 0.2983") == ["0.2983"]
    assert leaked("step(z) on a hidden test: 2 entries differ.\nHint: step(0) must be 1.0: z >= 0") == []
    assert leaked("dW1 of gradients(X, y): yours is about 2 times the right value (eps=0.01)") == []


PRINTS = SUBMISSIONS / "activations" / "correct" / "prints_its_inputs.py"


def test_output_printed_during_hidden_checks_is_kept_apart(graded):
    """softmax prints every z it gets: the public checks' inputs go to `output`, the hidden ones'
    to `hidden_output` only, which no writer but the YAML report shows."""

    result = graded("activations", PRINTS)
    assert result.status == "graded" and all(r.status == "passed" for r in result.results)
    assert "softmax got z = [1.0, 2.0, 3.0]" in result.output  # a public check's input
    assert result.output.count("softmax got z") == 3  # the three calls of the public checks, no more
    assert result.hidden_output.count("softmax got z") > 10

    assignment = find_assignment("activations")
    report = build_report(
        assignment=assignment, submission=load_submission(PRINTS, assignment), results=result.results,
        status="graded", reason=None, grader_version="test", rubric="test", graded_at=datetime.now(timezone.utc),
        duration_s=0.0, sandbox={}, output=result.output, hidden_output=result.hidden_output,
    )
    assert "softmax got z" in report["hidden_output"]
    hidden_line = result.hidden_output.splitlines()[0]
    for shown in (json.dumps(gradescope_results(report)), base64.b64decode(classroom_result(report)).decode()):
        assert hidden_line not in shown and "hidden_output" not in shown


# -- text the student's code chooses ---------------------------------------------------------------
LEAKS_IN_NAMES = SUBMISSIONS / "activations" / "hostile" / "leaks_hidden_inputs_in_names.py"


def test_hidden_feedback_shows_no_text_the_students_code_chose(graded):
    """A class named after the input, an exception's type name or message, a warning's message
    or category, a made-up line: the submission puts every input it gets into them (and keeps
    them across checks). Hidden feedback names only Python's and numpy's types, the real lines of
    the student's file, and warnings by category; public feedback keeps the whole text."""
    result = graded("activations", LEAKS_IN_NAMES)
    hidden = [(r.id, r.feedback) for r in result.results if r.visibility == "hidden"]
    assert hidden and all(r.points == 0 for r in result.results)
    shown = [(i, f) for i, f in hidden if "LEAK" in f or "[" in f or leaked(f)]
    assert shown == [], "hidden feedback with the student's own text:\n" + "\n".join(f"{i}: {f}" for i, f in shown)
    text = "\n".join(f for _, f in hidden)
    assert "an object of a class defined in your file" in text
    assert "an exception of a class defined in your file" in text
    assert "sigmoid_grad raised ValueError (leaks_hidden_inputs_in_names.py, line 19)" in text
    assert "line 5001" not in text  # a line the file does not have
    public = {r.id: r.feedback for r in result.results if r.visibility == "public"}
    assert "an object of your class LEAK[-2.0,-1.0,0.0,1.0,2.0]" in public["sigmoid_values"]


def test_hidden_warnings_and_errors_keep_only_what_the_grader_can_vouch_for():
    from grader.sandbox.supervisor import StudentRaised, hidden_warning, safe_where

    files = {"activations.py": "import numpy as np\n\ndef elu(z):\n    return z\n"}
    assert hidden_warning("RuntimeWarning: overflow encountered in exp (activations.py, line 3)", files) == (
        "RuntimeWarning: overflow encountered in exp (activations.py, line 3)")
    assert hidden_warning("RuntimeWarning: overflow encountered in leak1000 (activations.py, line 3)", files) == (
        "RuntimeWarning (activations.py, line 3)")
    assert hidden_warning("RuntimeWarning: overflow [1000.0, 710.0] (activations.py, line 99)", files) == "RuntimeWarning"
    assert hidden_warning("LEAK1000: overflow encountered in exp", files) == "a warning of a class defined in your file"
    assert safe_where("activations.py, line 3, in LEAK_1000", files) == "activations.py, line 3"
    assert safe_where("LEAK_1000.py, line 3, in elu", files) == ""
    raised = StudentRaised("elu", {"kind": "exception", "type": "LEAK1000", "message": "1000.0", "where": "x.py, line 1"},
                           files=files)
    assert raised.without_message() == "elu raised an exception of a class defined in your file"
    assert "1000" in str(raised)  # public checks keep the whole text
    raised = StudentRaised("elu", {"kind": "missing", "type": "AttributeError", "message": "has no function LEAK1000"})
    assert "1000" not in raised.without_message()
    raised = StudentRaised("elu", {"kind": "bad_return", "type": "TypeError", "message": "returned a LEAK1000"})
    assert "1000" not in raised.without_message()
