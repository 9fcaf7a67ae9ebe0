"""Hidden suites, one module per assignment. Never visible from a submission's child."""
