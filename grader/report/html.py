"""The class page: one self-contained HTML file (inline CSS and SVG, no script, nothing loaded).

:func:`render_page` turns the statistics of :mod:`grader.report.class_stats`, the plots of
:mod:`grader.report.plots` and the similar pairs of :mod:`grader.report.similarity` into the
page. Its Content-Security-Policy forbids every request and every script, so that a browser
shows it the same offline, and so that text from reports or student code can never run:
all of it is escaped anyway.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from html import escape

from grader.report import plots
from grader.report.class_stats import AssignmentStats, ClassReports, SandboxSetting
from grader.report.side_by_side import RUN_COLOURS, pair_view
from grader.report.similarity import MIN_MATCH, Pair, groups

__all__ = ["LEAD_NOT_VERDICT", "SimilaritySection", "render_page"]

SHOWN_SIDE_BY_SIDE = 6  # pairs per assignment
LISTED_PAIRS = 25  # rows of the pairs table per assignment
GROUP_SCORE = 0.9  # pairs this alike link submissions into a group
FEEDBACK_CHARS = 400  # of one feedback sample

LEAD_NOT_VERDICT = (
    "Similarity is a lead for a human, not a verdict. A high score means that two submissions "
    "share long runs of code structure once names, constants, comments and docstrings are set aside "
    "and the stub is subtracted; short assignments leave few ways to write a correct answer, and "
    "students may legitimately share ideas. Read both sides before drawing any conclusion, and ask "
    "the students before judging."
)


@dataclass(frozen=True)
class SimilaritySection:
    """What the page shows about one assignment's code: ``pairs`` at or above ``threshold``,
    best first; the submissions compared; those whose code was not found (or changed since
    grading) and those that could not be compared, with why."""

    threshold: float
    compared: int
    pairs: tuple[Pair, ...]
    not_found: tuple[str, ...]
    not_compared: tuple[tuple[str, str], ...]


_PALETTE = ("#ffe08a", "#a8e6a1", "#9fd3f5", "#f7b0c8", "#d2b8f2", "#ffc38a", "#b5ece8", "#e3e3a0")
_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d1d1f;background:#fff}
main{max-width:1180px;margin:0 auto;padding:16px 24px 48px}
h1{font-size:24px;margin:8px 0 4px}h2{font-size:20px;margin:32px 0 8px;padding-top:12px;border-top:2px solid #ddd}
h3{font-size:16px;margin:20px 0 6px}.muted{color:#666}
table{border-collapse:collapse;margin:6px 0 12px}td,th{border-bottom:1px solid #e4e4e4;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f6f6f6}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.plots{display:flex;flex-wrap:wrap;gap:12px}.plots figure{margin:0;flex:1 1 440px;max-width:560px}
figure svg{width:100%;height:auto}figcaption{font-size:12px;color:#555}
.feedback{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;white-space:pre-wrap;margin:2px 0}
.note{background:#fff6d6;border-left:4px solid #e0b000;padding:8px 12px;margin:8px 0}
.error{color:#b00020}code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
.sbs{display:grid;grid-template-columns:1fr 1fr;gap:8px}.side{min-width:0}
.who{font-weight:600;margin:4px 0}.file{font-size:12px;color:#555;margin-top:6px}
pre.code{margin:0;font-size:12px;line-height:1.35;overflow-x:auto;background:#fafafa;border:1px solid #e4e4e4}
.ln{display:block;padding-right:6px;white-space:pre}.ln i{display:inline-block;width:3.2em;color:#999;font-style:normal;user-select:none}
.ln.stub{color:#aaa}
dl.sandbox{display:grid;grid-template-columns:repeat(3,max-content 1fr);gap:2px 10px;font-size:13px;margin:4px 0}
dl.sandbox dt{font-weight:600;color:#444}dl.sandbox dd{margin:0}
details.pair{margin:6px 0;border:1px solid #e4e4e4;padding:4px 8px}summary{cursor:pointer}
"""


def render_page(
    *,
    loaded: ClassReports,
    stats: list[AssignmentStats],
    sandbox: tuple[SandboxSetting, ...],
    similarity: dict[str, SimilaritySection] | None,
    source: str,
) -> str:
    """The whole page. ``source`` says where the reports came from (shown in the header);
    ``similarity`` is None when no submissions folder was given."""
    runs = "".join(f".r{i}{{background:{_PALETTE[i % len(_PALETTE)]}}}" for i in range(RUN_COLOURS))
    body = [
        "<main>",
        "<h1>Class report</h1>",
        f"<p class=\"muted\">{_reports(sum(len(s.reports) for s in stats))} from {escape(source)}</p>",
        _overview(stats, loaded),
        _sandbox(sandbox),
    ]
    for assignment in stats:
        body.append(_assignment(assignment, None if similarity is None else similarity.get(assignment.name)))
    body.append("</main>")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>Class report</title><style>{_CSS}{runs}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def _overview(stats: list[AssignmentStats], loaded: ClassReports) -> str:
    rows = "".join(
        f"<tr><td><a href=\"#{_anchor(s.name)}\">{escape(s.name)}</a></td><td class=\"n\">{len(s.reports)}</td>"
        f"<td class=\"n\">{s.mean:.1f}</td><td class=\"n\">{s.median:g}</td><td class=\"n\">{s.max_score:g}</td>"
        f"<td class=\"n\">{len(s.errors)}</td></tr>"
        for s in stats
    )
    parts = [
        "<table class=\"overview\"><tr><th>assignment</th><th class=\"n\">submissions</th><th class=\"n\">mean</th>"
        f"<th class=\"n\">median</th><th class=\"n\">of</th><th class=\"n\">could not be loaded</th></tr>{rows}</table>"
    ]
    if loaded.superseded:
        parts.append(f"<p class=\"muted\">{loaded.superseded} older report(s) of a regraded submission left out.</p>")
    if loaded.skipped:
        items = "".join(f"<li><code>{escape(str(p))}</code>: {escape(why)}</li>" for p, why in loaded.skipped[:20])
        parts.append(f"<details><summary>{len(loaded.skipped)} file(s) that are not reports</summary><ul>{items}</ul></details>")
    return "\n".join(parts)


def _sandbox(settings: tuple[SandboxSetting, ...]) -> str:
    parts = ["<h2 id=\"sandbox\">The sandbox in force</h2>"]
    if len(settings) > 1:
        parts.append(
            f"<p class=\"note\">Not every submission was confined the same way: {len(settings)} different "
            "settings below, with how many submissions each.</p>"
        )
    for setting in settings:
        items = "".join(
            f"<dt>{escape(str(key))}</dt><dd>{escape(str(value))}</dd>" for key, value in setting.settings.items()
        ) or "<dt>(not recorded in the reports)</dt><dd></dd>"
        examples = ", ".join(escape(e) for e in setting.examples)
        whom = "every submission" if len(settings) == 1 else f"{setting.count} submission{'s' * (setting.count != 1)}"
        parts.append(f"<p>What confined the student code of {whom} (e.g. {examples}):</p><dl class=\"sandbox\">{items}</dl>")
    return "\n".join(parts)


def _assignment(stats: AssignmentStats, similarity: SimilaritySection | None) -> str:
    name = stats.name
    anchor = _anchor(name)
    durations = stats.durations
    graded = len(stats.reports) - len(stats.errors)
    parts = [
        f"<section id=\"{anchor}\"><h2>{escape(name)}</h2>",
        f"<p>{len(stats.reports)} submissions: mean {stats.mean:.1f}, median {stats.median:g} of {stats.max_score:g}; "
        f"{len(stats.errors)} could not be loaded. Grading took {sum(durations):.1f} s in all, "
        f"median {statistics.median(durations):.2f} s, at most {max(durations):.2f} s per submission.</p>",
        "<div class=\"plots\">",
        _figure(plots.score_histogram(stats.histogram, stats.max_score, label=f"{anchor}-scores"), "Scores"),
        _figure(plots.durations_histogram(durations, label=f"{anchor}-time"), "Time per submission"),
        "</div>",
        _histogram_table(stats),
        f"<h3>The checks the class failed most</h3><p class=\"muted\">Over the {graded} graded submissions "
        f"(those that could not be loaded fail every check); {stats.checks} checks in all.</p>",
    ]
    if stats.hardest:
        chart = plots.check_pass_rates(stats.hardest, label=f"{anchor}-checks")
        parts.append(f"<div class=\"plots\">{_figure(chart, 'Share of graded submissions passing each check')}</div>")
        parts.append(_hardest_table(stats))
    else:
        parts.append("<p>Every graded submission passed every check.</p>")
    parts.append(_errors(stats))
    parts.append(_slowest(stats))
    parts.append(_similarity(similarity))
    parts.append("</section>")
    return "\n".join(parts)


def _figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"


def _histogram_table(stats: AssignmentStats) -> str:
    hist = stats.histogram
    rows = "".join(
        f"<tr><td>{_bin(hist.edges, i)}</td><td class=\"n\">{hist.graded[i]}</td><td class=\"n\">{hist.errors[i]}</td></tr>"
        for i in range(len(hist.graded))
    )
    return (
        f"<details><summary>The histogram's values</summary><table class=\"histogram\" data-assignment=\"{escape(stats.name)}\">"
        f"<tr><th>score</th><th class=\"n\">graded</th><th class=\"n\">could not be loaded</th></tr>{rows}</table></details>"
    )


def _bin(edges: tuple[float, ...], index: int) -> str:
    closing = "]" if index == len(edges) - 2 else ")"
    return f"[{edges[index]:g}, {edges[index + 1]:g}{closing}"


def _hardest_table(stats: AssignmentStats) -> str:
    rows = []
    for check in stats.hardest:
        statuses = ", ".join(f"{n} {s}" for s, n in sorted(check.statuses.items()) if s != "passed")
        samples = "".join(
            f"<div class=\"feedback\">{escape(_cut(text))}{f' <span class=muted>(x{count})</span>' if count > 1 else ''}</div>"
            for text, count in check.feedback
        )
        more = check.distinct_feedback - len(check.feedback)
        if more > 0:
            samples += f"<div class=\"muted\">and {more} other message{'s' * (more != 1)}</div>"
        rows.append(
            f"<tr class=\"check\" data-check=\"{escape(check.id)}\"><td><code>{escape(check.id)}</code><br>"
            + (f"{escape(check.description)}<br>" if check.description else "")
            + f"<span class=\"muted\">{escape(check.visibility)}, {check.max_points:g} pt</span></td>"
            f"<td class=\"n\">{check.passed} of {check.runs}</td><td class=\"n\">{check.mean_points:.2f}</td>"
            f"<td>{escape(statuses)}</td><td>{samples}</td></tr>"
        )
    return (
        "<table class=\"hardest\"><tr><th>check</th><th class=\"n\">passed</th><th class=\"n\">mean points</th>"
        f"<th>not passed</th><th>what the feedback said (a sample)</th></tr>{''.join(rows)}</table>"
    )


def _cut(text: str) -> str:
    return text if len(text) <= FEEDBACK_CHARS else text[: FEEDBACK_CHARS - 3] + "..."


def _errors(stats: AssignmentStats) -> str:
    if not stats.errors:
        return "<h3>Submissions that could not be loaded</h3><p>None.</p>"
    rows = "".join(
        f"<tr class=\"error-report\"><td>{escape(r.submission)}</td><td class=\"error\">{escape(_cut(r.reason))}</td></tr>"
        for r in stats.errors
    )
    return (
        f"<h3>Submissions that could not be loaded ({len(stats.errors)})</h3>"
        f"<table class=\"errors\"><tr><th>submission</th><th>why</th></tr>{rows}</table>"
    )


def _slowest(stats: AssignmentStats) -> str:
    rows = "".join(
        f"<tr><td>{escape(r.submission)}</td><td class=\"n\">{r.duration_s:.2f} s</td><td class=\"n\">{r.score:g}</td></tr>"
        for r in stats.slowest
    )
    return (
        "<details><summary>The slowest submissions to grade</summary><table><tr><th>submission</th>"
        f"<th class=\"n\">time</th><th class=\"n\">score</th></tr>{rows}</table></details>"
    )


def _similarity(section: SimilaritySection | None) -> str:
    parts = ["<h3>Submissions whose code is alike</h3>", f"<p class=\"note\">{escape(LEAD_NOT_VERDICT)}</p>"]
    if section is None:
        parts.append(
            "<p>Not computed: the reports hold the sha256 of the code, not the code. Give the folder the "
            "submissions were graded from: <code>grader report REPORTS_DIR --html FILE --submissions DIR</code>.</p>"
        )
        return "\n".join(parts)
    parts.append(
        f"<p class=\"muted\">{section.compared} submissions compared by their normalized syntax trees (runs of at "
        f"least {MIN_MATCH} tokens); pairs scoring {section.threshold:g} or more are listed "
        "(1.0: the same code up to names, constants, comments and order).</p>"
    )
    if not section.pairs:
        parts.append("<p>No pair of submissions reaches that score.</p>")
    else:
        linked = [g for g in groups(list(section.pairs), threshold=GROUP_SCORE) if len(g) > 2]
        if linked:
            items = "".join(
                f"<li class=\"group\">{len(g)} submissions: {', '.join(escape(n) for n in g)}</li>" for g in linked
            )
            parts.append(
                f"<p>Groups of more than two submissions linked by pairs scoring {GROUP_SCORE:g} or more "
                f"(one pair alike after another: not every two in a group need be):</p><ul>{items}</ul>"
            )
        rows = "".join(
            f"<tr class=\"similar\"><td>{escape(p.a.name)}</td><td>{escape(p.b.name)}</td><td class=\"n\">{p.score:.2f}</td></tr>"
            for p in section.pairs[:LISTED_PAIRS]
        )
        parts.append(f"<table class=\"pairs\"><tr><th>submission</th><th>submission</th><th class=\"n\">score</th></tr>{rows}</table>")
        if len(section.pairs) > LISTED_PAIRS:
            parts.append(f"<p class=\"muted\">and {len(section.pairs) - LISTED_PAIRS} more pairs.</p>")
        parts.append(
            "<p class=\"muted\">Side by side: lines of the same colour hold one common run (names and constants may "
            "differ); grey lines are the stub's; uncoloured lines are each student's own.</p>"
        )
        parts.extend(pair_view(p, open_=i == 0) for i, p in enumerate(section.pairs[:SHOWN_SIDE_BY_SIDE]))
    if section.not_found:
        names = ", ".join(escape(n) for n in section.not_found[:30])
        parts.append(
            f"<p class=\"muted\">Code not found under the submissions folder, or changed since it was graded "
            f"({len(section.not_found)}): {names}{' ...' if len(section.not_found) > 30 else ''}</p>"
        )
    if section.not_compared:
        items = "".join(f"<li>{escape(n)}: {escape(why)}</li>" for n, why in section.not_compared[:30])
        parts.append(f"<details><summary>Not compared ({len(section.not_compared)})</summary><ul>{items}</ul></details>")
    return "\n".join(parts)


def _anchor(name: str) -> str:
    return "a-" + "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name)


def _reports(count: int) -> str:
    return f"{count} report{'s' * (count != 1)}"
