"""Report writers: the YAML score report and the console summary."""
