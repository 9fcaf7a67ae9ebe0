"""Everything a suite of checks uses, in one import.

A suite (``assignments/<name>/public_checks.py``, which students read, or
``grader/hidden/<name>.py``) imports from here and from nothing else of the grader
(``tests/test_authoring.py`` asserts it)::

    import numpy as np

    from grader.authoring import check, expect_close, float_arrays, for_examples, reference

    ref = reference("activations")  # hidden suites only: the reference never enters a child

    @check(points=2)
    @for_examples(z=float_arrays(), examples=[{"z": np.array([0.0, -1000.0])}])
    def test_sigmoid_matches_reference(student, z):
        "sigmoid on random arrays"
        expect_close(student.sigmoid(z), ref.sigmoid(z), what="sigmoid(z)", aligned=z)

What is here, by kind:

- declaring checks: :func:`check` (and :func:`check_info`, what it recorded), :func:`fail`, :class:`CheckFailure` (the student's
  mistake: its message is their feedback, with an optional ``hint``), :class:`PartialCredit`,
  :class:`CheckDefinitionError` (the author's mistake, raised by the functions here);
- no point without real work: :func:`only_if_right` (a check of form, such as arguments left
  unchanged, pays only when the values it depends on are right) and :func:`credit_by_part`
  (a check covering several functions gives each its share), :func:`right_or_own` (a
  function that uses another of the student's is judged against the reference, or against the
  judge's own computation driven by the student's other function, so that one bug costs the
  checks of its own function) and :func:`noted` (a passed check with a note);
- the student's code: the ``student`` fixture is a :class:`Student`; ``student.new(...)``
  gives a :class:`Remote`; ``student.keep(array)`` gives a :class:`Kept` array that lives
  in the child, passed by reference and changed later (for aliasing checks: does
  ``set_params`` copy what it is given?); a :class:`Family` is a function the student's code may call;
  :class:`TimeLimitExceeded` is what a call that ran out of time raises (a check may catch
  it to say more, and raise it again); :class:`StudentRaised`, what a call raises when the
  student's code raised (a check of several functions catches it to judge the others; its
  ``without_message()`` is the sentence without the exception's message, for hidden checks);
- reading results leniently: :func:`as_array`, :func:`as_scalar`, :func:`as_numbers`,
  :func:`as_tuple`, :func:`as_pair`;
- comparing, with feedback: :func:`expect_close`, :func:`expect_unchanged`, and the
  formatting they use (:func:`format_number`, :func:`format_array`, :func:`format_inputs`);
- gradients: :func:`check_gradient`, :func:`compare_gradient`,
  :func:`elementwise_derivative`, :func:`numerical_gradient`, :func:`directional_derivative`,
  :func:`finite_difference_hint`;
- inputs: :func:`for_examples` with the strategies :func:`floats`, :func:`float_arrays`,
  :func:`edge_arrays`, :data:`EDGE_VALUES` (and hypothesis's own strategies);
- translation: :func:`_`, :func:`ngettext` and :func:`N_` mark a sentence a suite composes,
  so that it reads in the student's language (:mod:`grader.i18n`).
- the judge's side: :func:`reference` (a reference solution), :func:`assignment_file`
  (a data file of an assignment).

``public=`` of the comparisons follows the suite that runs the check: messages of a public
check show inputs and expected values, those of a hidden check never do, and
``public=True`` in a hidden suite raises :class:`CheckDefinitionError`.
"""

from __future__ import annotations

from grader.i18n import N_, _, ngettext
from grader.judge.checks import CheckFailure, CheckInfo, PartialCredit, check, check_info, fail
from grader.judge.compare import (
    as_array,
    as_numbers,
    as_pair,
    as_scalar,
    as_tuple,
    expect_close,
    expect_unchanged,
    format_array,
    format_inputs,
    format_number,
)
from grader.judge.credit import credit_by_part, noted, only_if_right, right_or_own
from grader.judge.gradcheck import (
    check_gradient,
    compare_gradient,
    directional_derivative,
    elementwise_derivative,
    finite_difference_hint,
    numerical_gradient,
)
from grader.judge.property_checks import for_examples
from grader.judge.reference import assignment_file, reference
from grader.judge.strategies import EDGE_VALUES, edge_arrays, float_arrays, floats
from grader.judge.student_proxy import Family, Kept, Remote, Student
from grader.judge.validation import CheckDefinitionError
from grader.sandbox.supervisor import StudentRaised
from grader.sandbox.supervisor import SubmissionTimedOut as TimeLimitExceeded

__all__ = [
    "N_",
    "EDGE_VALUES",
    "CheckDefinitionError",
    "CheckFailure",
    "CheckInfo",
    "Family",
    "Kept",
    "PartialCredit",
    "Remote",
    "Student",
    "StudentRaised",
    "TimeLimitExceeded",
    "_",
    "as_array",
    "as_numbers",
    "as_pair",
    "as_scalar",
    "as_tuple",
    "assignment_file",
    "check",
    "check_gradient",
    "credit_by_part",
    "check_info",
    "compare_gradient",
    "directional_derivative",
    "edge_arrays",
    "elementwise_derivative",
    "expect_close",
    "expect_unchanged",
    "fail",
    "finite_difference_hint",
    "float_arrays",
    "floats",
    "for_examples",
    "format_array",
    "format_inputs",
    "format_number",
    "ngettext",
    "noted",
    "numerical_gradient",
    "only_if_right",
    "reference",
    "right_or_own",
]
