"""How many cases each fuzz test tries: a few in `make test`, thousands in `make fuzz`.

`make fuzz` sets JOURNEYMAP_FUZZ=10000; tests marked ``fuzz`` read it here.
"""

from __future__ import annotations

import os

#: Cases per fuzz test.
FUZZ_EXAMPLES = int(os.environ.get("JOURNEYMAP_FUZZ", "60"))
