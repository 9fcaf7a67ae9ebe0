"""The grader's own errors: each message is the text its user reads.

These are for problems of the people running the grader (an unknown assignment, a
missing path). What a submission does wrong is never an exception of the grader:
it becomes a check's status and feedback, or a report with ``status: error``.
"""

from __future__ import annotations

__all__ = [
    "GraderError",
    "ReportNotWritable",
    "SandboxUnavailable",
    "SubmissionNotFound",
    "SubmissionUnreadable",
    "UnknownAssignment",
]


class GraderError(Exception):
    """Base class: the grader cannot do what was asked. ``str(exc)`` is the user's message."""

    exit_code = 2


class UnknownAssignment(GraderError):
    def __init__(self, given: str, known: list[str]) -> None:
        import difflib

        names = {entry.split()[-1]: entry for entry in known}  # "01 activations" -> its name
        close = difflib.get_close_matches(given.strip().lower(), list(names), n=1, cutoff=0.75)
        from grader.i18n import _  # grader.i18n imports this module

        guess = _("did you mean {name}?").format(name=close[0]) + " " if close else ""
        super().__init__(
            _("no assignment {given}; {guess}the assignments are: {known} (a name, or its number such as 01 or 1)").format(
                given=repr(given), guess=guess, known=", ".join(known)
            )
        )


class SubmissionNotFound(GraderError):
    def __init__(self, path: str, hint: str = "") -> None:
        from grader.i18n import _  # grader.i18n imports this module

        super().__init__(_("no submission at {path}").format(path=path) + (f": {hint}" if hint else ""))


class SubmissionUnreadable(GraderError):
    def __init__(self, path: str, reason: str) -> None:
        from grader.i18n import _  # grader.i18n imports this module

        super().__init__(_("cannot read the submission {path}: {reason}").format(path=path, reason=reason))


class HiddenChecksMissing(GraderError):
    """An assignment whose hidden suite is not here: a students' copy of the grader holds none,
    Gradescope's autograder (``grader package gradescope``) only its own assignment's."""

    def __init__(self, assignment: str) -> None:
        from grader.course import ASSIGNMENTS, available, has_hidden_checks  # grader.course imports this module

        present = [a.name for a in ASSIGNMENTS if available(a) and has_hidden_checks(a)]
        copy = f"an autograder's copy, with the hidden checks of {', '.join(present)} only" if present else "a students' copy"
        super().__init__(
            f"the hidden checks of {assignment} are not in this copy of the grader ({copy}): "
            f"`grader check {assignment}` runs the public ones; grading needs the course's own repository"
        )


class SandboxUnavailable(GraderError):
    def __init__(self, reason: str) -> None:
        super().__init__(f"cannot start the sandbox for student code: {reason}")


class ReportNotWritable(GraderError):
    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"cannot write the report {path}: {reason}")
