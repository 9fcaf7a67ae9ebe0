"""``python -m grader.platforms.summary REPORTS_DIR``: the Markdown summary of a graded class.

The last job of ``grade-class.yml`` writes it to ``$GITHUB_STEP_SUMMARY`` after merging the
reports of every shard: one row per report (submission, score, status), sorted by assignment and
submission, then the count and the mean score. Only what the reports hold is shown.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

__all__ = ["main", "markdown_summary"]


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")[:200]


def markdown_summary(folder: Path) -> str:
    """The summary of the YAML reports under ``folder`` (searched recursively), in Markdown."""
    rows = []
    for path in sorted(Path(folder).rglob("*.yaml")):
        try:
            report = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            rows.append(("?", path.stem, "-", "-", f"unreadable report {path.name}"))
            continue
        if not isinstance(report, dict) or "score" not in report:
            continue
        rows.append((
            report.get("assignment", "?"), report.get("submission", path.stem),
            report["score"], report.get("max_score", "-"),
            report.get("status", "?") + (f": {report['reason']}" if report.get("reason") else ""),
        ))
    rows.sort(key=lambda r: (str(r[0]), str(r[1])))
    lines = ["## Grades", "", "| assignment | submission | score | max | status |", "|---|---|---:|---:|---|"]
    lines += [f"| {' | '.join(_cell(c) for c in row)} |" for row in rows]
    scores = [r[2] for r in rows if isinstance(r[2], (int, float))]
    mean = f"; mean score {sum(scores) / len(scores):.2f}" if scores else ""
    lines += ["", f"{len(rows)} report{'s' * (len(rows) != 1)}{mean}."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m grader.platforms.summary REPORTS_DIR", file=sys.stderr)
        return 2
    print(markdown_summary(Path(args[0])), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
