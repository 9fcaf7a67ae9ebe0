"""Two submissions' code side by side, the common runs of a :class:`~grader.report.similarity.Pair`
marked in matching colours (run ``k`` has colour ``k % RUN_COLOURS`` on both sides), the
stub's lines in grey. HTML fragments with every piece of student text escaped.
"""

from __future__ import annotations

import re
from html import escape

from grader.report.similarity import Code, Pair
from grader.report.yaml_report import escape_output

__all__ = ["RUN_COLOURS", "pair_view"]

RUN_COLOURS = 8
MAX_LINES = 600  # of one file shown
_LINE_ENDS = re.compile(r"\r\n|\r|\n")  # as Python's tokenizer counts lines (not str.splitlines)


def pair_view(pair: Pair, *, open_: bool = False) -> str:
    """A ``<details>`` element: the pair's score in its summary, both sides' code below."""
    runs_a = _line_runs(pair.a, [(t.a_start, t.length) for t in pair.tiles])
    runs_b = _line_runs(pair.b, [(t.b_start, t.length) for t in pair.tiles])
    summary = (
        f"<b>{escape(pair.a.name)}</b> and <b>{escape(pair.b.name)}</b>: {pair.score:.2f} "
        f"<span class=\"muted\">({len(pair.tiles)} common run{'s' * (len(pair.tiles) != 1)}, "
        f"{pair.tiled} tokens; {pair.a.own} and {pair.b.own} tokens of their own)</span>"
    )
    return (
        f"<details class=\"pair\"{' open' if open_ else ''}><summary>{summary}</summary>"
        f"<div class=\"sbs\">{_side(pair.a, runs_a)}{_side(pair.b, runs_b)}</div></details>"
    )


def _line_runs(code: Code, spans: list[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """``(file, line) -> run number`` for the lines holding tokens of a run (the first run wins)."""
    marks: dict[tuple[int, int], int] = {}
    for number, (start, length) in enumerate(spans):
        for index in range(start, start + length):
            marks.setdefault(code.places[index], number)
    return marks


def _template_lines(code: Code) -> set[tuple[int, int]]:
    """Lines whose every token is the stub's."""
    stub: set[tuple[int, int]] = set()
    own: set[tuple[int, int]] = set()
    for place, is_template in zip(code.places, code.template):
        (stub if is_template else own).add(place)
    return stub - own


def _side(code: Code, runs: dict[tuple[int, int], int]) -> str:
    template = _template_lines(code)
    parts = [f"<div class=\"side\"><div class=\"who\">{escape(code.name)}</div>"]
    for number, (filename, text) in enumerate(code.files):
        lines = _LINE_ENDS.split(text)
        if lines and not lines[-1]:
            lines.pop()
        parts.append(f"<div class=\"file\">{escape(filename)}</div><pre class=\"code\">")
        for line_no, line in enumerate(lines[:MAX_LINES], start=1):
            run = runs.get((number, line_no))
            if run is not None:
                attributes = f' class="ln r{run % RUN_COLOURS}" title="common run {run + 1}"'
            elif (number, line_no) in template:
                attributes = ' class="ln stub" title="the stub\'s"'
            else:
                attributes = ' class="ln"'
            parts.append(f"<span{attributes}><i>{line_no}</i>{_shown(line)}</span>")
        if len(lines) > MAX_LINES:
            parts.append(f"<span class=\"ln\">... {len(lines) - MAX_LINES} more lines not shown</span>")
        parts.append("</pre>")
    parts.append("</div>")
    return "".join(parts)


def _shown(line: str) -> str:
    """A line of student code as HTML: control and bidi characters made visible, then escaped."""
    return escape(escape_output(line, limit=2000), quote=False)
