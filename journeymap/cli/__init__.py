"""The ``journeymap`` command.

``journeymap [MAP]`` opens the desktop window; the subcommands run headless
and import neither Qt nor matplotlib, so they start fast and work on servers.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from journeymap.cli.parser import COMMANDS, build_parser
from journeymap.gcpause import collector_paused


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and (args[0] in COMMANDS or args[0].startswith("-")):
            options = build_parser().parse_args(args)
            with collector_paused():
                return options.run(options)
        from journeymap.cli.window import open_window

        return open_window(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away; that is not an error of ours.
        sys.stderr.close()
        return 0


__all__ = ["main"]
