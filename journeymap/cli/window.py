"""``journeymap [MAP]``: the desktop window.

The window is not built yet (see the project's issues); until it is, the
command prints the map's gap ranking so that ``make run`` shows something
useful.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from journeymap.cli.parser import build_parser


def open_window(args: Sequence[str]) -> int:
    if len(args) != 1:
        build_parser().print_usage(sys.stderr)
        print("journeymap: give one map file, or a command (see --help)", file=sys.stderr)
        return 2
    print(
        "journeymap: the desktop window is not available yet; showing the gap ranking.",
        file=sys.stderr,
    )
    options = build_parser().parse_args(["gaps", args[0]])
    return options.run(options)
