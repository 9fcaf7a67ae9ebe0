"""What grading produces: one result per check, and a graded submission."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["CheckResult", "CheckSpec", "Status", "Visibility"]

Status = Literal["passed", "failed", "error", "timeout"]
Visibility = Literal["public", "hidden"]


@dataclass(frozen=True)
class CheckSpec:
    """A check as declared in a suite: its id, who sees it, its points and its description."""

    id: str
    visibility: Visibility
    max_points: float
    description: str
    timeout: float | None = None


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

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "visibility": self.visibility,
            "points": self.points,
            "max_points": self.max_points,
            "status": self.status,
            "feedback": self.feedback,
        }
