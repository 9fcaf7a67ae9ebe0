"""``grader mutate``: how much of the reference's behaviour an assignment's checks pin down.

:mod:`grader.mutate.operators` makes the mutants, :mod:`grader.mutate.trace` records what the
checks saw, :mod:`grader.mutate.run` grades the mutants and prints the scores.
"""
