"""Allow ``python -m journeymap``."""

import sys

from journeymap.cli import main

sys.exit(main())
