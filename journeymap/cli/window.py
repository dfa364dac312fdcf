"""``journeymap [MAP]``: the desktop window."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from journeymap.cli.parser import build_parser


def open_window(args: Sequence[str]) -> int:
    if len(args) > 1:
        build_parser().print_usage(sys.stderr)
        print("journeymap: give at most one map file, or a command (see --help)", file=sys.stderr)
        return 2
    # Qt is imported only here, so the headless commands stay light.
    from journeymap.ui.app import main

    return main(list(args))
