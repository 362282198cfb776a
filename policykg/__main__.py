"""Run the command-line interface: ``python -m policykg``."""

import sys

from policykg.quick import main

sys.exit(main())
