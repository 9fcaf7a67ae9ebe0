"""What grading produces: one result per check, and the report of a graded submission.

The report is plain data (it is written as YAML and read back by the gradebook), so its
shape is declared here once, as :class:`Report` and :class:`TestEntry`; the one place that
builds a report is :func:`grader.report.yaml_report.build_report`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypedDict

__all__ = ["CheckResult", "CheckSpec", "ChildError", "Report", "ReportStatus", "Status", "TestEntry", "Visibility"]

Status = Literal["passed", "failed", "error", "timeout"]
Visibility = Literal["public", "hidden"]
ReportStatus = Literal["graded", "error"]


@dataclass(frozen=True)
class CheckSpec:
    """A check as declared in a suite: its id, who sees it, its points and its description
    (the first line of its docstring)."""

    id: str
    visibility: Visibility
    max_points: float
    description: str
    timeout: float | None = None


class TestEntry(TypedDict):
    """One check in a report's ``tests`` list (keys in this order)."""

    id: str
    description: str
    visibility: Visibility
    points: float
    max_points: float
    status: Status
    feedback: str


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one check on one submission."""

    id: str
    visibility: Visibility
    points: float
    max_points: float
    status: Status
    feedback: str
    description: str = ""

    def as_dict(self) -> TestEntry:
        return {
            "id": self.id,
            "description": self.description,
            "visibility": self.visibility,
            "points": self.points,
            "max_points": self.max_points,
            "status": self.status,
            "feedback": self.feedback,
        }


class _ReportRequired(TypedDict):
    assignment: str
    submission: str
    sha256: dict[str, str]
    grader_version: str
    rubric: str
    graded_at: str
    duration_s: float
    score: float
    max_score: float
    status: ReportStatus
    sandbox: dict
    tests: list[TestEntry]


class Report(_ReportRequired, total=False):
    """A submission's YAML report, as written (keys in the order of the course contract).

    ``rubric`` is the digest of what graded it (see :mod:`grader.rubric`); ``graded_at`` is
    UTC, ``YYYY-MM-DDTHH:MM:SSZ``; ``duration_s`` the seconds spent on this submission alone.
    ``reason`` is present only when ``status`` is ``error``; ``notes`` and ``output`` only
    when there is something to say; ``public_checks`` is the digest of the public checks that
    graded it (see :mod:`grader.release`); ``lang`` (``en``, ``uk``, ``ru``) the language of
    the feedback.
    """

    public_checks: str
    reason: str
    notes: list[str]
    lang: str
    output: str


class ChildError(TypedDict, total=False):
    """Why the sandboxed child could not import a submission, as the sandbox reports it.

    ``kind``: ``syntax``, ``exit`` (``sys.exit`` at import), ``timeout``, ``crash``, or
    ``exception``; ``type`` the exception's class name, ``message`` its text, ``where`` the
    file and line, ``text`` the offending source line (syntax errors).
    """

    kind: str
    type: str
    message: str
    where: str
    text: str
