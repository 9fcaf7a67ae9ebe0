"""``grader report``: the reports of a class, and optionally its code, into one HTML page.

:func:`write_class_page` loads the reports (:mod:`grader.report.class_stats`), finds the
graded code when a submissions folder is given (:mod:`grader.report.sources`), compares it
(:mod:`grader.report.similarity`), and writes the page (:mod:`grader.report.html`) atomically.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from grader.course import ASSIGNMENTS
from grader.report.class_stats import ClassReports, Report, assignment_stats, load_reports, sandbox_settings
from grader.report.html import SimilaritySection, render_page
from grader.report.plots import require_matplotlib
from grader.report.similarity import prepare, similar_pairs
from grader.report.sources import find_sources, stub_sources
from grader.report.yaml_report import write_text

__all__ = ["LISTED_SCORE", "PageSummary", "write_class_page"]

LISTED_SCORE = 0.6  # pairs scoring this or more are listed


@dataclass(frozen=True)
class PageSummary:
    """What was written: counts for the command's last line, and the time it took (seconds)."""

    reports: int
    assignments: int
    pairs: int | None  # None: code not compared
    seconds: float


def write_class_page(report_dirs: list[Path], html_file: Path, submission_dirs: list[Path] | None) -> PageSummary:
    """Write the class page of the reports under ``report_dirs`` to ``html_file``.

    With ``submission_dirs``, the submissions' code is found there and compared. Raises
    :class:`~grader.report.plots.PlottingUnavailable` without matplotlib, and
    :class:`~grader.errors.GraderError` when no report is found or the file cannot be written.
    """
    started = time.monotonic()
    require_matplotlib()
    loaded = load_reports(report_dirs)
    names = _course_order(loaded)
    stats = [assignment_stats(name, loaded.by_assignment[name]) for name in names]
    every = [report for name in names for report in loaded.by_assignment[name]]
    similarity = None
    if submission_dirs:
        similarity = {name: _similarity(name, loaded.by_assignment[name], submission_dirs) for name in names}
    page = render_page(
        loaded=loaded,
        stats=stats,
        sandbox=sandbox_settings(every),
        similarity=similarity,
        source=", ".join(str(folder) for folder in report_dirs),
    )
    write_text(page, html_file)
    return PageSummary(
        reports=len(every),
        assignments=len(names),
        pairs=None if similarity is None else sum(len(s.pairs) for s in similarity.values()),
        seconds=time.monotonic() - started,
    )


def _course_order(loaded: ClassReports) -> list[str]:
    known = [a.name for a in ASSIGNMENTS if a.name in loaded.by_assignment]
    return known + sorted(set(loaded.by_assignment) - set(known))


def _similarity(name: str, reports: list[Report], submission_dirs: list[Path]) -> SimilaritySection:
    assignments = {a.name: a for a in ASSIGNMENTS}
    sources = find_sources(reports, submission_dirs, assignments)
    filenames = sorted({filename for files in sources.files.values() for filename in files})
    stubs = stub_sources(assignments[name], filenames) if name in assignments else {}
    codes = []
    for report in reports:
        files = sources.files.get((report.assignment, report.submission))
        if files is not None:
            codes.append(prepare(report.submission, files, stubs))
    return SimilaritySection(
        threshold=LISTED_SCORE,
        compared=sum(1 for c in codes if c.problem is None),
        pairs=tuple(similar_pairs(codes, threshold=LISTED_SCORE)),
        not_found=tuple(submission for _, submission in sources.missing),
        not_compared=tuple((c.name, c.problem) for c in codes if c.problem is not None),
    )
