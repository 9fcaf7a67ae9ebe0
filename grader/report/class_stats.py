"""A class at a glance, from the YAML reports of ``grader grade``.

:func:`load_reports` reads every report under the folders it is given, at any depth (``OUT/<student>.yaml``
and ``OUT/<assignment>/<student>.yaml`` alike), and groups them by their ``assignment`` field;
:func:`assignment_stats` computes what the class page shows about one assignment: the score
histogram, the checks the class failed most with samples of their feedback, the time per
submission, the submissions that could not be loaded, and the sandbox settings in force.
Only plain data goes in and out: nothing here reads student code.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from grader.errors import GraderError

__all__ = [
    "AssignmentStats",
    "CheckStats",
    "ClassReports",
    "Histogram",
    "Report",
    "SandboxSetting",
    "assignment_stats",
    "histogram",
    "load_reports",
    "sandbox_settings",
]

HISTOGRAM_BINS = 20  # at most; bins are whole points wide
HARDEST = 10  # checks shown as the hardest
FEEDBACK_SAMPLES = 3  # distinct feedback texts shown per check
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Report:
    """One submission's report: the fields the class page reads, and where it was found."""

    path: Path
    assignment: str
    submission: str
    score: float
    max_score: float
    status: str
    reason: str
    duration_s: float
    graded_at: str
    sha256: dict
    sandbox: dict
    tests: tuple[dict, ...]


@dataclass(frozen=True)
class ClassReports:
    """The reports found, by assignment (names sorted), and the files that were left out, with why."""

    by_assignment: dict[str, list[Report]]
    skipped: tuple[tuple[Path, str], ...]
    superseded: int  # older reports of a submission that also has a newer one


def load_reports(folders: list[Path]) -> ClassReports:
    """Every report (``*.yaml`` with an ``assignment`` and a ``submission``) under ``folders``.

    Of two reports of one submission of one assignment (a regrade in another folder), the one
    graded last counts. Files that are not reports are listed in ``skipped``. Raises
    :class:`~grader.errors.GraderError` when a folder is missing or no report is found.
    """
    latest: dict[tuple[str, str], Report] = {}
    skipped: list[tuple[Path, str]] = []
    superseded = 0
    for folder in folders:
        if not Path(folder).is_dir():
            raise GraderError(f"no reports folder {folder}")
        for path in sorted(Path(folder).rglob("*.yaml")):
            if any(part.startswith(".") for part in path.relative_to(folder).parts):
                continue  # a report being written, or a hidden folder
            try:
                report = _read(path)
            except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError, TypeError) as exc:
                skipped.append((path, str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
                continue
            key = (report.assignment, report.submission)
            if key in latest:
                superseded += 1
                if report.graded_at < latest[key].graded_at:
                    continue
            latest[key] = report
    if not latest:
        shown = ", ".join(str(f) for f in folders)
        raise GraderError(f"no reports of `grader grade` under {shown}")
    grouped: dict[str, list[Report]] = {}
    for (assignment, _), report in sorted(latest.items()):
        grouped.setdefault(assignment, []).append(report)
    return ClassReports(grouped, tuple(skipped), superseded)


def _read(path: Path) -> Report:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    if not isinstance(data, dict) or "assignment" not in data or "submission" not in data:
        raise ValueError("not a report of `grader grade` (no assignment or submission)")
    tests = data.get("tests") or []
    if not isinstance(tests, list) or not all(isinstance(t, dict) for t in tests):
        raise ValueError("its tests are not a list of checks")
    return Report(
        path=path,
        assignment=str(data["assignment"]),
        submission=str(data["submission"]),
        score=float(data.get("score") or 0),
        max_score=float(data.get("max_score") or 0),
        status=str(data.get("status", "graded")),
        reason=str(data.get("reason") or ""),
        duration_s=float(data.get("duration_s") or 0),
        graded_at=str(data.get("graded_at") or ""),
        sha256=dict(data.get("sha256") or {}),
        sandbox=dict(data.get("sandbox") or {}),
        tests=tuple(tests),
    )


@dataclass(frozen=True)
class Histogram:
    """Counts per bin: bin ``i`` is ``[edges[i], edges[i+1])``, the last one closed on the right."""

    edges: tuple[float, ...]
    graded: tuple[int, ...]  # reports with status graded
    errors: tuple[int, ...]  # reports with status error (scored 0)


def histogram(reports: list[Report], max_score: float) -> Histogram:
    """Scores binned in whole points: at most :data:`HISTOGRAM_BINS` bins from 0 to ``max_score``."""
    width = max(1, math.ceil(max_score / HISTOGRAM_BINS))
    count = max(1, math.ceil(max_score / width))
    edges = tuple(float(i * width) for i in range(count + 1))
    graded, errors = [0] * count, [0] * count
    for report in reports:
        index = min(count - 1, max(0, int(report.score // width)))
        (errors if report.status == "error" else graded)[index] += 1
    return Histogram(edges, tuple(graded), tuple(errors))


@dataclass(frozen=True)
class CheckStats:
    """How the class did on one check; ``feedback`` holds ``(text, how many)`` of failures."""

    id: str
    visibility: str
    description: str  # the check's docstring, where the reports record it
    max_points: float
    runs: int
    passed: int
    statuses: dict[str, int]
    mean_points: float
    feedback: tuple[tuple[str, int], ...]
    distinct_feedback: int

    @property
    def pass_rate(self) -> float:
        return self.passed / self.runs if self.runs else 0.0


@dataclass(frozen=True)
class SandboxSetting:
    """One set of sandbox settings and the submissions graded under it."""

    settings: dict
    count: int
    examples: tuple[str, ...]


@dataclass(frozen=True)
class AssignmentStats:
    """What the class page shows about one assignment; ``hardest`` are the checks passed least."""

    name: str
    reports: tuple[Report, ...]
    max_score: float
    histogram: Histogram
    hardest: tuple[CheckStats, ...]
    checks: int
    errors: tuple[Report, ...]
    slowest: tuple[Report, ...]

    @property
    def scores(self) -> list[float]:
        return [r.score for r in self.reports]

    @property
    def durations(self) -> list[float]:
        return [r.duration_s for r in self.reports]

    @property
    def mean(self) -> float:
        return statistics.fmean(self.scores)

    @property
    def median(self) -> float:
        return statistics.median(self.scores)


def assignment_stats(name: str, reports: list[Report]) -> AssignmentStats:
    """The statistics of one assignment's reports (at least one). The checks' figures count the
    graded reports only: a submission that could not be loaded fails every check."""
    max_score = max(r.max_score for r in reports)
    checks = _check_stats([r for r in reports if r.status != "error"])
    hardest = sorted(
        (c for c in checks if c.passed < c.runs),
        key=lambda c: (c.pass_rate, -(c.max_points - c.mean_points), c.id),
    )[:HARDEST]
    return AssignmentStats(
        name=name,
        reports=tuple(reports),
        max_score=max_score,
        histogram=histogram(reports, max_score),
        hardest=tuple(hardest),
        checks=len(checks),
        errors=tuple(r for r in reports if r.status == "error"),
        slowest=tuple(sorted(reports, key=lambda r: (-r.duration_s, r.submission))[:5]),
    )


def _check_stats(reports: list[Report]) -> list[CheckStats]:
    runs: dict[str, list[dict]] = {}
    for report in reports:
        for test in report.tests:
            runs.setdefault(str(test.get("id")), []).append(test)
    stats = []
    for check_id, results in runs.items():
        failures = Counter(
            str(t.get("feedback") or "(no feedback)") for t in results if t.get("status") != "passed"
        )
        stats.append(
            CheckStats(
                id=check_id,
                visibility=str(results[0].get("visibility", "")),
                description=next((str(t["description"]) for t in results if t.get("description")), ""),
                max_points=max(float(t.get("max_points") or 0) for t in results),
                runs=len(results),
                passed=sum(1 for t in results if t.get("status") == "passed"),
                statuses=dict(Counter(str(t.get("status")) for t in results)),
                mean_points=statistics.fmean(float(t.get("points") or 0) for t in results),
                feedback=tuple(sorted(failures.items(), key=lambda item: (-item[1], item[0]))[:FEEDBACK_SAMPLES]),
                distinct_feedback=len(failures),
            )
        )
    return stats


def sandbox_settings(reports: list[Report]) -> tuple[SandboxSetting, ...]:
    """The distinct sandbox settings of ``reports``, the most common first."""
    groups: dict[str, list[Report]] = {}
    for report in reports:
        groups.setdefault(repr(sorted(report.sandbox.items(), key=str)), []).append(report)
    settings = [
        SandboxSetting(dict(members[0].sandbox), len(members), tuple(r.submission for r in members[:5]))
        for members in groups.values()
    ]
    return tuple(sorted(settings, key=lambda s: -s.count))
