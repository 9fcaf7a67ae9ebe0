"""``grader list``: the assignments, their points and their checks, as a table, their names (for
scripts) or the course table of the README in Markdown."""

from __future__ import annotations

from grader.course import ASSIGNMENTS, available, has_hidden_checks
from grader.i18n import _

__all__ = ["command_list"]


def command_list(*, names: bool = False, markdown: bool = False) -> int:
    from grader.judge.catalog import suite_checks
    from grader.release import assignment_facts

    if names:
        print("\n".join(a.name for a in ASSIGNMENTS if available(a)))
        return 0
    if markdown:
        from grader.course import markdown_table

        print(markdown_table(), end="")
        return 0
    # The table's words are translated (the language of the run, grader.i18n); its values are not.
    head = (_("assignment"), _("points"), _("public"), _("hidden"), _("worth"), _("file"))
    width = max(8, *(len(word) + 2 for word in head[1:5]))
    print(f"{'':3}{head[0]:22}{head[1]:>{width}}{head[2]:>{width}}{head[3]:>{width}}{head[4]:>{width}}  {head[5]}")
    for assignment in ASSIGNMENTS:
        if not available(assignment):
            print(f"{assignment.label:3}{assignment.name:22}{_('(not available yet)'):>{3 * width}}  {assignment.filename}")
            continue
        facts = assignment_facts(assignment)  # a students' copy: from its release record
        public = sum(1 for s in suite_checks(assignment, hidden=False))
        points = f"{facts.points:g}" if facts else "-"
        hidden, worth = (str(facts.hidden_checks), f"{facts.hidden_points:g}") if facts else ("-", "-")
        print(f"{assignment.label:3}{assignment.name:22}{points:>{width}}{public:>{width}}{hidden:>{width}}{worth:>{width}}  {assignment.filename}")
    print(_what_this_copy_holds(), end="")
    return 0


def _what_this_copy_holds() -> str:
    """The line under ``grader list`` saying whose grader this is: the course's (every hidden
    suite here: nothing to say), a students' copy (none), or an autograder such as Gradescope's
    image (``grader package gradescope``: the hidden checks of its one assignment)."""
    listed = [a for a in ASSIGNMENTS if available(a)]
    hidden = [a for a in listed if has_hidden_checks(a)]
    if len(hidden) == len(listed):
        return ""
    if not hidden:
        return _("(a students' copy of the grader: the hidden checks run when the instructor grades)") + "\n"
    names = ", ".join(f"{a.label} {a.name}" for a in hidden)
    return (
        _(
            "(the instructor's grader for {names}, with its hidden checks and reference solution; "
            "the other assignments are here for their public checks only)"
        ).format(names=names)
        + "\n"
    )
