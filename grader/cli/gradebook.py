"""What a class's reports become: ``grader gradebook`` (CSV for a spreadsheet or an LMS, Markdown,
JUnit XML; :mod:`grader.report.gradebook`) and ``grader report`` (one HTML page about the class;
:mod:`grader.report.class_page`)."""

from __future__ import annotations

import argparse
import sys

from grader.cli.output import _count, _shown
from grader.errors import GraderError

__all__ = ["command_gradebook", "command_report"]


def command_report(args: argparse.Namespace) -> int:
    from grader.report.class_page import write_class_page

    summary = write_class_page(args.reports, args.html, args.submissions)
    compared = "code not compared (no --submissions)" if summary.pairs is None else _count(summary.pairs, "similar pair")
    print(
        f"wrote {_shown(args.html.resolve())}: {_count(summary.reports, 'report')} of "
        f"{_count(summary.assignments, 'assignment')}, {compared}, in {summary.seconds:.1f} s"
    )
    return 0


def command_gradebook(args: argparse.Namespace) -> int:
    """Read the reports, keep the newest per student and assignment, write what was asked."""
    from grader.report.gradebook import collect, read_roster, roster_gaps, roster_warnings, without_roster, write_csv
    from grader.report.junit import junit_xml
    from grader.report.markdown import markdown_summary
    from grader.report.yaml_report import write_text

    if not args.csv:  # `--format canvas --markdown FILE` wrote no CSV and said nothing
        for option, what in ((args.format and f"--format {args.format}", "is the format of the CSV file"),
                             (args.detail and "--detail", "adds a column per check to the CSV file")):
            if option:
                raise GraderError(f"{option} {what}, and no --csv FILE was given: add one (e.g. --csv grades.csv {option})")
    args.format = args.format or "plain"
    if not (args.csv or args.markdown or args.junit):
        raise GraderError("nothing to write: give --csv FILE, --markdown FILE or --junit FILE")
    roster = read_roster(args.roster) if args.roster else None
    book = collect(args.reports)
    if not book.reports:
        raise GraderError(f"no reports in {', '.join(map(str, args.reports))}")
    gaps = roster_gaps(book, roster) if roster else None
    written = []
    if args.csv:
        write_csv(book, args.csv, format=args.format, detail=args.detail, roster=roster)
        written.append(f"{args.csv} ({args.format})")
    if args.markdown:
        write_text(markdown_summary(book, gaps=gaps), args.markdown)
        written.append(str(args.markdown))
    if args.junit:
        write_text(junit_xml(book), args.junit)
        written.append(str(args.junit))
    print(
        f"gradebook of {_count(len(book.students), 'student')} and {_count(len(book.assignments), 'assignment')} "
        f"from {_count(len(book.reports), 'report')}"
        + (f" ({book.replaced} older reports replaced by newer ones)" if book.replaced else "")
        + f": wrote {', '.join(written)}"
    )
    lacking = without_roster(args.format) if args.csv and not roster else None
    if lacking:
        print(f"grader: {lacking}", file=sys.stderr)
    for line in roster_warnings(gaps, format=args.format if args.csv else None) if gaps else ():
        print(f"grader: {line}", file=sys.stderr)
    stale = book.stale()
    if stale:
        print(f"grader: {len(stale)} reports were graded with an older rubric; grade them again", file=sys.stderr)
    return 0
