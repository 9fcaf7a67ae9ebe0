"""The student's side: a limited child process per submission, and the wire between it and the judge.

Modules here that the child imports (``protocol``, ``child``, ``zygote``, ``isolation``) must
never import the judge, the hidden suites or the reference solutions.
"""
