"""``python -m grader.cli``: the ``grader`` command, as ``python -m grader`` runs it."""

import sys

from grader.cli import main

sys.exit(main())
