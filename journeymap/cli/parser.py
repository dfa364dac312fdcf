"""Argument parsing for the subcommands."""

from __future__ import annotations

import argparse
import datetime as dt
import re

from journeymap import __version__
from journeymap.model.entities import METHODS

COMMANDS = ("validate", "gaps", "blindspots", "insights", "import", "export", "chart",
            "report", "actions", "tone")  # fmt: skip


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _scale(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, not {text!r}") from None
    if not 0.1 <= value <= 8:
        raise argparse.ArgumentTypeError(f"must be between 0.1 and 8, not {value:g}")
    return value


_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(|b|bytes?|kb|mb|gb)\s*", re.IGNORECASE)
_SIZE_UNITS = {"": 1, "b": 1, "byte": 1, "bytes": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9}


def size_arg(text: str) -> int:
    """A size in bytes from ``500MB``, ``2GB``, ``750kB`` or a plain number of bytes."""
    match = _SIZE.fullmatch(text)
    if not match:
        raise argparse.ArgumentTypeError(
            f"expected a size such as 500MB, 2GB or a number of bytes, not {text[:80]!r}"
        )
    value = round(float(match[1]) * _SIZE_UNITS[match[2].lower()])
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 byte, not {text!r}")
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


def _run_blindspots(options: argparse.Namespace) -> int:
    from journeymap.cli.blindspots import blindspots

    return blindspots(options)


def _run_insights(options: argparse.Namespace) -> int:
    from journeymap.cli.insights import insights_command

    return insights_command(options)


def _run_actions(options: argparse.Namespace) -> int:
    from journeymap.cli.actions import actions_command

    return actions_command(options)


def _run_tone(options: argparse.Namespace) -> int:
    from journeymap.cli.tone import tone_command

    return tone_command(options)


def _run_import(options: argparse.Namespace) -> int:
    from journeymap.cli.transfer import import_

    return import_(options)


def _run_export(options: argparse.Namespace) -> int:
    from journeymap.cli.transfer import export

    return export(options)


def _run_chart(options: argparse.Namespace) -> int:
    from journeymap.cli.reports import chart

    return chart(options)


def _run_report(options: argparse.Namespace) -> int:
    from journeymap.cli.reports import report

    return report(options)


def add_filter_options(parser: argparse.ArgumentParser, *, methods: bool = True) -> None:
    """Options choosing which observations count; shared by the analysis commands.

    Without ``methods`` there is no --method (for a command that compares methods).
    """
    group = parser.add_argument_group("filters (repeat an option to allow several values)")
    if methods:
        group.add_argument(
            "--method",
            action="append",
            choices=METHODS,
            metavar="M",
            help=f"only observations made this way: {', '.join(METHODS)}",
        )
    else:
        parser.set_defaults(method=None)
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


def _add_decision_commands(sub: argparse._SubParsersAction) -> None:
    """``actions`` and ``tone``: from the diagnosis to what to do about it."""
    from journeymap.model.entities import ACTION_STATUSES

    p = sub.add_parser(
        "actions",
        help="the action plan: what to start, stop, continue or improve, where it matters most",
        description=(
            "One row per action with its touch point's gap and priority (reach x gap, as in "
            "insights): highest priority first, then stop, start, improve, continue, then "
            "file order; actions at touch points without a priority last."
        ),
    )
    p.add_argument("map", metavar="MAP", help="a .journey.json file, or a bundle (.zip)")
    p.add_argument(
        "--format",
        choices=("text", "csv", "json"),
        default="text",
        help="text (default, for a terminal), csv (with a header row) or json",
    )
    p.add_argument(
        "--status",
        action="append",
        choices=ACTION_STATUSES,
        metavar="S",
        help=f"only actions with this status (repeatable): {', '.join(ACTION_STATUSES)}",
    )
    add_filter_options(p)
    p.set_defaults(run=_run_actions)

    p = sub.add_parser(
        "tone",
        help='find jargon and words that say "no", with a suggested wording',
        description=(
            "Searches touch point names and descriptions, rule texts, and observation "
            "quotes and notes for the built-in list (library jargon, prohibitive forms) "
            "and the map's own tone list; whole words, any case."
        ),
    )
    p.add_argument("map", metavar="MAP", help="a .journey.json file, or a bundle (.zip)")
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (default, for a terminal) or json",
    )
    p.set_defaults(run=_run_tone)


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
    p.add_argument("map", metavar="MAP", help="a .journey.json file, or a bundle (.zip)")
    p.set_defaults(run=_run_validate)

    p = sub.add_parser(
        "gaps",
        help="rank touch points by the gap between expectation and reality",
        description=(
            "Rank touch points by gap = mean expectation - mean reality "
            "(positive: reality fell short)."
        ),
    )
    p.add_argument("map", metavar="MAP", help="a .journey.json file, or a bundle (.zip)")
    p.add_argument("--top", type=_positive_int, metavar="N", help="show only the N widest gaps")
    p.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="table (default, for a terminal), csv (with a header row) or json",
    )
    p.add_argument(
        "--rank",
        choices=("gap", "confident"),
        default="gap",
        help="gap (default): widest gap first; confident: highest low end of the 95%% "
        "interval first (the gap we are 95%% sure is at least this wide)",
    )
    add_filter_options(p)
    p.set_defaults(run=_run_gaps)

    p = sub.add_parser(
        "blindspots",
        help="compare service safari (staff) with shadowing (customers): blind spots",
        description=(
            "Per touch point, the mean gap seen on service safari and by shadowing, and "
            "difference = shadowing gap - safari gap. A blind spot: the difference is at "
            "least half the wide-gap threshold. Largest difference first."
        ),
    )
    p.add_argument("map", metavar="MAP", help="a .journey.json file, or a bundle (.zip)")
    p.add_argument(
        "--format",
        choices=("text", "csv", "json"),
        default="text",
        help="text (default, for a terminal), csv (with a header row) or json",
    )
    add_filter_options(p, methods=False)
    p.set_defaults(run=_run_blindspots)

    p = sub.add_parser(
        "insights",
        help="the journey as a graph: reach, the worst path, where to act first",
        description=(
            "Customers start equally from the entries and follow the transitions' shares: "
            "reach is the part that passes a touch point, priority = reach x gap. Also the "
            "unavoidable touch points, the path with the greatest total gap, the expected "
            "gap and the customers lost (docs/insights.md)."
        ),
    )
    p.add_argument("map", metavar="MAP", help="a .journey.json file, or a bundle (.zip)")
    p.add_argument(
        "--format",
        choices=("text", "csv", "json"),
        default="text",
        help="text (default, a summary for a terminal), csv (the touch point table) or json",
    )
    add_filter_options(p)
    p.set_defaults(run=_run_insights)

    _add_decision_commands(sub)

    p = sub.add_parser(
        "import",
        help="import a Mermaid journey as a map, or CSV/XLSX observations into a map",
        description=(
            "A Mermaid journey (.mmd, or a Markdown file holding one) becomes a new map. "
            "A CSV or XLSX table of observations (one row each) goes into an existing map "
            "given with --into: every row goes in, or nothing does and every bad row is listed."
        ),
    )
    p.add_argument("source", metavar="FILE", help=".mmd, .md, .csv, .tsv or .xlsx")
    p.add_argument("--into", metavar="MAP", help="the map that receives imported observations")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="the map to write")
    p.add_argument(
        "--method",
        choices=METHODS,
        metavar="M",
        help="the method of rows that give none (needed when the table has no method column)",
    )
    p.add_argument(
        "--max-size",
        type=size_arg,
        default=None,
        metavar="SIZE",
        help="refuse a file larger than SIZE (e.g. 500MB, 2GB; default 100MB); for an XLSX "
        "this also bounds the unpacked XML",
    )
    p.set_defaults(run=_run_import)

    p = sub.add_parser(
        "export",
        help="write a map as a picture (.png .svg .pdf), Mermaid, CSV or GraphML",
        description="Export a map; the format is taken from the output's suffix.",
    )
    p.add_argument("map", metavar="MAP", help="a .journey.json file, or a bundle (.zip)")
    p.add_argument(
        "-o", "--output", required=True, metavar="OUT",
        help=".png, .svg, .pdf (the map as drawn), .mmd, .csv, .graphml, "
        "or .zip (a bundle: the map and its photos)",
    )  # fmt: skip
    p.add_argument(
        "--scale", type=_scale, default=1.0, metavar="S",
        help="PNG size factor: 2 doubles width and height (default 1)",
    )  # fmt: skip
    p.add_argument("--transparent", action="store_true", help="PNG without a white background")
    p.add_argument(
        "--paper", choices=("a4", "letter", "a3"), default=None,
        help="PDF on this paper, the map fitted and centred (default: a page the map's size)",
    )  # fmt: skip
    p.add_argument(
        "--orientation", choices=("portrait", "landscape"), default=None,
        help="with --paper (default: landscape for a map wider than tall)",
    )  # fmt: skip
    add_filter_options(p)
    p.set_defaults(run=_run_export)

    p = sub.add_parser(
        "chart", help="draw a chart of the map (gaps, emotion curve, methods)",
        description="Draw a chart as PNG, SVG or PDF (format from the suffix).",
    )  # fmt: skip
    p.add_argument("map", metavar="MAP", help="a .journey.json file, or a bundle (.zip)")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help=".png, .svg or .pdf")
    p.add_argument(
        "--kind", choices=("gaps", "emotion", "methods"), default="gaps",
        help="gaps: expectation against reality; emotion: the emotion curve; "
        "methods: service safari against shadowing (default gaps)",
    )  # fmt: skip
    add_filter_options(p)
    p.set_defaults(run=_run_chart)

    p = sub.add_parser(
        "report", help="write the debrief report (.html or .pdf)",
        description="Summary, the map, the widest gaps with the notes and quotes behind them, "
        "stages and charts.",
    )  # fmt: skip
    p.add_argument("map", metavar="MAP", help="a .journey.json file, or a bundle (.zip)")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="report.html or report.pdf")
    p.add_argument(
        "--kind", choices=("debrief", "actions", "rules"), default="debrief",
        help="debrief: the whole debrief; actions: the action plan by stage, the stop-doing "
        "list first; rules: a staff sheet of the rules by colour (default debrief)",
    )  # fmt: skip
    add_filter_options(p)
    p.set_defaults(run=_run_report)
    return parser
