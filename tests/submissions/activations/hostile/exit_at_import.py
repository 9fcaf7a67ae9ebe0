# HOSTILE: ends the process while being imported, hoping the grader dies with it.
import sys

sys.exit(0)
