"""The judge: checks, comparisons with actionable feedback, gradient checking, strategies.

Everything here runs in the grader's own process and only ever sees plain data from the child.
"""
