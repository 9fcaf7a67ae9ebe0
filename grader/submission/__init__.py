"""Submission loading: what a student handed in, as the files the sandbox runs.

A submission is a folder holding the student's file(s), a student's repository made from the
course's template, a single ``.py`` file, or a Jupyter notebook (``.ipynb``).
:func:`load_submission` is the one entry point; it returns a :class:`Submission`: the files the
child process gets, the sha256 of what was handed in, notes the student should read, where a
notebook's cells lie in the module made of them, and, when it cannot be graded at all, why.

* :mod:`~grader.submission.repository`: which folder of a repository is graded, its commit;
* :mod:`~grader.submission.folder`: which files of a folder, the work rather than the stub;
* :mod:`~grader.submission.statements`: which statements, definitions rather than demo code;
* :mod:`~grader.submission.notebook`: a notebook's code cells as one module;
* :mod:`~grader.submission.limited`: all of it read in a process with limits of its own.
"""

from grader.submission.files import MAX_FILES, MAX_NOTEBOOK_BYTES, MAX_TOTAL_BYTES
from grader.submission.load import existing, load_submission, readable, submission_name
from grader.submission.model import Block, Submission
from grader.submission.repository import find_folder, refuse_empty_batch

__all__ = [
    "MAX_FILES",
    "MAX_NOTEBOOK_BYTES",
    "MAX_TOTAL_BYTES",
    "Block",
    "Submission",
    "existing",
    "find_folder",
    "load_submission",
    "readable",
    "refuse_empty_batch",
    "submission_name",
]
