"""The class page's plots, drawn by matplotlib's SVG backend and returned as inline SVG text.

matplotlib is the optional extra ``report`` (``pip install -e '.[report]'``), so that a
student's install stays small: :func:`require_matplotlib` says how to install it when it is
missing. Figures are made with :class:`matplotlib.figure.Figure` (no pyplot, no global
figure state) inside :func:`matplotlib.rc_context`; the SVG is deterministic (no date, a
fixed hash salt) and its ids are prefixed per figure, so that several SVGs share one page.
"""

from __future__ import annotations

import io
import re
from typing import Any

from grader.errors import GraderError
from grader.report.class_stats import CheckStats, Histogram

__all__ = [
    "ERROR_COLOR",
    "GRADED_COLOR",
    "PlottingUnavailable",
    "check_pass_rates",
    "durations_histogram",
    "require_matplotlib",
    "score_histogram",
]

GRADED_COLOR = "#1f77b4"
ERROR_COLOR = "#d62728"
PASSED_COLOR = "#2ca02c"
_INSTALL = "pip install -e '.[report]'"
_WIDTH, _HEIGHT = 5.0, 2.8  # inches
_RC = {
    "svg.fonttype": "none",  # text stays text, in the page's fonts
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


class PlottingUnavailable(GraderError):
    def __init__(self) -> None:
        super().__init__(
            "the class report draws its plots with matplotlib, an optional extra of the grader: "
            f"install it with `{_INSTALL}` (in the course's folder, in the grader's environment)"
        )


def require_matplotlib() -> None:
    """Raise :class:`PlottingUnavailable` (a user-facing message) if matplotlib cannot be imported."""
    try:
        import matplotlib  # noqa: F401
        from matplotlib.figure import Figure  # noqa: F401
    except ImportError:
        raise PlottingUnavailable() from None


def score_histogram(hist: Histogram, max_score: float, *, label: str) -> str:
    """Stacked bars of ``hist``: graded submissions, then those that could not be loaded."""
    with _style(label):
        figure, axes = _figure()
        lefts = hist.edges[:-1]
        widths = [right - left for left, right in zip(hist.edges, hist.edges[1:])]
        axes.bar(lefts, hist.graded, widths, align="edge", color=GRADED_COLOR, edgecolor="white", label="graded")
        if any(hist.errors):
            axes.bar(lefts, hist.errors, widths, bottom=hist.graded, align="edge", color=ERROR_COLOR,
                     edgecolor="white", label="could not be loaded (0)")
            axes.legend(frameon=False, loc="upper left")
        axes.set_xlim(0, hist.edges[-1])
        axes.set_xlabel(f"score (of {max_score:g})")
        axes.set_ylabel("submissions")
        axes.yaxis.get_major_locator().set_params(integer=True)
        return _svg(figure, label)


def durations_histogram(durations: list[float], *, label: str) -> str:
    """How long grading each submission took, in seconds."""
    with _style(label):
        figure, axes = _figure()
        axes.hist(durations, bins=min(20, max(1, len(set(durations)))), color=GRADED_COLOR, edgecolor="white")
        axes.set_xlabel("seconds to grade one submission")
        axes.set_ylabel("submissions")
        axes.yaxis.get_major_locator().set_params(integer=True)
        return _svg(figure, label)


def check_pass_rates(checks: tuple[CheckStats, ...], *, label: str) -> str:
    """Horizontal bars: the share of submissions passing each check, the hardest on top."""
    with _style(label):
        figure, axes = _figure(height=max(1.4, 0.28 * len(checks) + 0.7))
        names = [c.id for c in checks][::-1]
        rates = [100 * c.pass_rate for c in checks][::-1]
        axes.barh(names, [100] * len(names), color="#eeeeee")
        axes.barh(names, rates, color=PASSED_COLOR)
        for y, rate in enumerate(rates):
            axes.text(rate + 1, y, f"{rate:.0f}%", va="center", fontsize=8)
        axes.set_xlim(0, 110)
        axes.set_xlabel("% of graded submissions passing")
        axes.tick_params(axis="y", length=0)
        return _svg(figure, label)


def _style(label: str):
    import matplotlib

    rc: dict[Any, Any] = {**_RC, "svg.hashsalt": _prefix(label)}  # matplotlib types its keys as literals
    return matplotlib.rc_context(rc)


def _prefix(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", label)


def _figure(*, height: float = _HEIGHT):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(_WIDTH, height), layout="constrained")
    return figure, figure.subplots()


def _svg(figure, label: str) -> str:
    """``figure`` as an ``<svg>`` element for an HTML page, ids prefixed with ``label``."""
    prefix = _prefix(label)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]  # no XML declaration or DOCTYPE inside HTML
    text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", text)
    text = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', text)
    return text.replace("<svg ", f'<svg role="img" aria-label="{prefix}" ', 1)
