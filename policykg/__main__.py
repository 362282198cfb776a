"""Run the command-line interface: ``python -m policykg``."""

import sys

from policykg.cli import main

sys.exit(main())
