"""A sandboxed grader for a numpy neural-networks course."""

__version__ = "0.1.0"
