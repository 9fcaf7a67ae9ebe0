"""The console text of ``grader mutate``: a score per check, the overall score, the survivors."""

from __future__ import annotations

from grader.mutate.run import MutationRun

__all__ = ["render"]


def render(run: MutationRun) -> str:
    """The whole report of one assignment's mutation run, as lines of text."""
    a = run.assignment
    graded = len(run.outcomes)
    per = run.seconds / graded if graded else 0.0
    busy = sum(o.seconds for o in run.outcomes.values()) / graded if graded else 0.0
    lines = [
        (
            f"{a.label} {a.name}: {len(run.mutants)} mutants of solutions/{a.name}/{a.filename}, "
            f"graded in {run.seconds:.1f} s with {run.jobs} worker{'s' * (run.jobs != 1)} "
            f"({per:.2f} s per mutant; {busy:.2f} s of a worker's time each)"
        )
    ]
    if run.skipped:
        shown = ", ".join(str(n) for n in sorted(run.skipped))
        lines.append(f"lines marked `# pragma: no mutate` left alone: {shown}")
    lines += [
        "",
    ]
    width = max([len(f"{s.id} ({s.visibility})") for s in run.specs] + [5]) + 2
    lines.append(f"{'check':{width}}{'kills':>6}{'score':>7}")
    counted = run.counted
    for spec in run.specs:
        kills = run.kills(spec.id)
        score = f"{kills / counted:.2f}" if counted else "-"
        lines.append(f"{spec.id + ' (' + spec.visibility + ')':{width}}{kills:>6}{score:>7}")
    equivalent, survivors = run.equivalent, run.survivors
    killed = counted - len(survivors)
    lines += [
        "",
        f"mutation score of {a.name}: {killed} of {counted} non-equivalent mutants killed = {run.score:.3f}"
        + (f" ({len(equivalent)} probably equivalent, listed apart)" if equivalent else ""),
    ]
    if not run.deterministic:
        lines.append(
            "note: the checks did not get the same answers from the reference twice; "
            "no mutant is taken for equivalent by its answers"
        )
    if survivors:
        lines += ["", f"survivors ({len(survivors)}): no check fails these"]
        lines += [f"  #{n} {run.mutants[n - 1].diff}" for n in survivors]
    if equivalent:
        lines += ["", f"probably equivalent ({len(equivalent)}): the checks got the same answers as from the reference"]
        lines += [
            f"  #{n} {run.mutants[n - 1].diff}" + (" [same code]" if n in run.same_code else "") for n in equivalent
        ]
    return "\n".join(lines)
