"""Argument parsing for the subcommands."""

from __future__ import annotations

import argparse
import datetime as dt

from journeymap import __version__
from journeymap.model.entities import METHODS

COMMANDS = ("validate", "gaps")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, not {text!r}") from None


def _run_validate(options: argparse.Namespace) -> int:
    from journeymap.cli.commands import validate

    return validate(options)


def _run_gaps(options: argparse.Namespace) -> int:
    from journeymap.cli.commands import gaps

    return gaps(options)


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    """Options choosing which observations count; shared by the analysis commands."""
    group = parser.add_argument_group("filters (repeat an option to allow several values)")
    group.add_argument(
        "--method",
        action="append",
        choices=METHODS,
        metavar="M",
        help=f"only observations made this way: {', '.join(METHODS)}",
    )
    group.add_argument(
        "--persona", action="append", metavar="P", help="only this persona (id or name)"
    )
    group.add_argument("--observer", action="append", metavar="NAME", help="only this observer")
    group.add_argument(
        "--from",
        dest="date_from",
        type=_date,
        metavar="DATE",
        help="only observations on or after this date (YYYY-MM-DD)",
    )
    group.add_argument(
        "--to",
        dest="date_to",
        type=_date,
        metavar="DATE",
        help="only observations on or before this date (YYYY-MM-DD)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="journeymap",
        description=(
            "Customer-journey maps for service safaris and shadowing. "
            "'journeymap [MAP]' opens the desktop window; the commands below run headless."
        ),
    )
    parser.add_argument("--version", action="version", version=f"journeymap {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "validate",
        help="check a map file and print a summary",
        description="Check a map file. Prints a one-line summary, or every problem found.",
    )
    p.add_argument("map", metavar="MAP", help="a .journey.json file")
    p.set_defaults(run=_run_validate)

    p = sub.add_parser(
        "gaps",
        help="rank touch points by the gap between expectation and reality",
        description=(
            "Rank touch points by gap = mean expectation - mean reality "
            "(positive: reality fell short)."
        ),
    )
    p.add_argument("map", metavar="MAP", help="a .journey.json file")
    p.add_argument("--top", type=_positive_int, metavar="N", help="show only the N widest gaps")
    p.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="table (default, for a terminal), csv (with a header row) or json",
    )
    add_filter_options(p)
    p.set_defaults(run=_run_gaps)
    return parser
