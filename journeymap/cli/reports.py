"""``journeymap chart`` and ``journeymap report``: figures and the debrief report.

They draw with matplotlib (and Qt offscreen for the map), so they are
imported only when one of these commands runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from journeymap.cli.commands import (
    EXIT_OK,
    CommandError,
    build_filter,
    load_or_fail,
    opened_map,
    reports_errors,
)
from journeymap.fileio.atomic import atomic_output

CHART_SUFFIXES = (".png", ".svg", ".pdf")


@reports_errors
def chart(options: argparse.Namespace) -> int:
    """Write one chart of the map as PNG, SVG or PDF."""
    output = options.output
    suffix = Path(output).suffix.lower()
    if suffix not in CHART_SUFFIXES:
        raise CommandError(
            f"{output}: unknown chart format {suffix or '(no suffix)'}; "
            f"use one of {', '.join(CHART_SUFFIXES)}"
        )
    journey = load_or_fail(options.map)
    flt = build_filter(journey, options, options.map)
    from journeymap.charts.journeycharts import draw_chart

    figure = draw_chart(options.kind, journey, flt)
    try:
        with atomic_output(output) as tmp:
            figure.savefig(tmp, format=suffix[1:], dpi=150)
    except OSError as exc:
        raise CommandError(f"{output}: cannot write: {exc.strerror or exc}") from exc
    print(f"{output}: {options.kind} chart of {options.map}")
    return EXIT_OK


@reports_errors
def report(options: argparse.Namespace) -> int:
    """Write the debrief report (or, with --kind, the action plan or the rules sheet)
    as one HTML file or a PDF."""
    from journeymap.render.report import REPORT_SUFFIXES, write_report

    output = options.output
    if Path(output).suffix.lower() not in REPORT_SUFFIXES:
        raise CommandError(f"{output}: a report is .html or .pdf")
    # A bundle (.zip) is unpacked into a temporary folder, so its photos are found.
    with opened_map(options.map) as (journey, map_path):
        flt = build_filter(journey, options, options.map)
        try:
            write_report(journey, output, flt, map_path=map_path, kind=options.kind)
        except OSError as exc:
            raise CommandError(f"{output}: cannot write: {exc.strerror or exc}") from exc
    what = {"actions": "action plan", "rules": "rules sheet"}.get(options.kind, "debrief report")
    print(f"{output}: {what} of {options.map}")
    return EXIT_OK
