"""How much time a submission may use: per call, and in all, in CPU time and in time not running.

Budgets count what the submission's own processes did (see :mod:`grader.sandbox.cputime`), so
that the same submission gets the same verdicts on an idle and on a busy machine:

- per call (and per import): ``Limits.call_timeout_s`` (``import_timeout_s``) seconds of CPU
  time, and as many seconds during which none of its processes was running (sleeping,
  blocked, stopped); a check may set its own per-call limit (``@check(timeout=...)``);
- per submission (all its checks, restarts included): :class:`Budget`, about ten times the
  CPU time the reference solution needs for the whole assignment (measured, see
  :data:`REFERENCE_CPU_S`) and at least :data:`FLOOR_CPU_S`, so that a submission whose every
  call stays just under the per-call limit cannot hold a batch for long; 30 s of time not
  running; and a wall-clock backstop (ten times the CPU budget) for the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from grader import i18n

__all__ = ["Budget", "REFERENCE_CPU_S", "budget_for"]

# CPU seconds the reference solution's child uses when graded with the public and hidden
# checks (import and every call, harness included), rounded up, on the 2-core machine the
# grader was developed on, busy or not (benchmarks/budgets.py measures them again).
REFERENCE_CPU_S: dict[str, float] = {
    "activations": 0.1,
    "perceptron": 0.1,
    "gradient_descent": 0.1,
    "logistic_regression": 0.1,
    "dense": 0.4,
    "mlp": 1.5,
}
FACTOR = 10  # a submission may use about ten times what the reference needs ...
# ... but never less than this: ten times a tenth of a second would fail correct solutions
# with a Python loop over the entries, or a slower machine. Cheap enough: 30 s stops a
# submission whose calls each take just under the 10 s per-call limit after three calls.
FLOOR_CPU_S = 30.0
# Where the course's own time limits allow more: the iris cross-validation allows 20 s per
# fold, and a correct fit of about 5 s per fold (a loop over the samples) must keep its points.
MINIMUM_CPU_S: dict[str, float] = {"mlp": 60.0}
IDLE_S = 30.0  # seconds a submission may spend not running during its calls (a correct one: none)
WALL_FACTOR = 10  # elapsed time, judge included, a backstop: ten times the CPU budget


@dataclass(frozen=True)
class Budget:
    """What one submission may use in all, over all its checks (and restarts of its process).

    ``cpu_s``: CPU seconds of all its processes together; ``idle_s``: seconds during calls in
    which none of its processes was running (sleeping, blocked); ``wall_s``: elapsed seconds
    since its grading started, the judge's own work included (a backstop). ``basis`` says
    where ``cpu_s`` comes from, for the feedback; ``reference_s``, when set, the CPU seconds the
    reference solution needs, which :meth:`told` says in the run's language.
    """

    cpu_s: float = 120.0
    idle_s: float = IDLE_S
    wall_s: float = WALL_FACTOR * 120.0
    basis: str = ""
    reference_s: float | None = None

    def told(self) -> str:
        """``basis`` in the run's language (the reference's seconds kept as they are)."""
        if self.reference_s is None:
            return self.basis
        return i18n._("the reference solution needs {seconds} s").format(seconds=f"{self.reference_s:g}")

    def __post_init__(self) -> None:
        for name in ("cpu_s", "idle_s", "wall_s"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise ValueError(f"Budget.{name} must be a positive number of seconds, got {value!r}")


def budget_for(assignment: str) -> Budget:
    """The budget of a submission of ``assignment`` (a default one for a name not measured)."""
    reference = REFERENCE_CPU_S.get(assignment)
    if reference is None:
        return Budget()
    cpu = max(FLOOR_CPU_S, MINIMUM_CPU_S.get(assignment, 0.0), FACTOR * reference)
    return Budget(
        cpu_s=cpu, wall_s=WALL_FACTOR * cpu, basis=f"the reference solution needs {reference:g} s", reference_s=reference
    )
