"""``journeymap [MAP]``: the desktop window."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from journeymap.cli.parser import build_parser


def open_window(args: Sequence[str]) -> int:
    if len(args) > 1:
        build_parser().print_usage(sys.stderr)
        print("journeymap: give at most one map file, or a command (see --help)", file=sys.stderr)
        return 2
    if not _display_available():
        print(
            "journeymap: no display to open the window on (DISPLAY is not set).\n"
            "The commands work without one: see 'journeymap --help'.",
            file=sys.stderr,
        )
        return 1
    # Qt is imported only here, so the headless commands stay light.
    from journeymap.ui.app import main

    return main(list(args))


def _display_available() -> bool:
    """False on a Linux machine with no X or Wayland display and no Qt platform chosen
    (Qt would otherwise abort with a message about xcb)."""
    if not sys.platform.startswith("linux"):
        return True
    return any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))
