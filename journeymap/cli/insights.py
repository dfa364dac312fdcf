"""``journeymap insights``: who passes where, which path hurts most, where to act first.

The numbers come from :func:`journeymap.model.insights.insights` (docs/insights.md);
this module only prints them.  No Qt, no matplotlib, no scipy.
"""

from __future__ import annotations

import argparse
import json
import sys

from journeymap.cli.commands import (
    EXIT_OK,
    build_filter,
    fit_cell,
    load_or_fail,
    number_cell,
    reports_errors,
)
from journeymap.fileio.spreadsheet import csv_text
from journeymap.model.insights import (
    INSIGHT_RECORD_KEYS,
    Insights,
    insight_record,
    insights,
    insights_json,
)
from journeymap.model.journey import JourneyMap


@reports_errors
def insights_command(options: argparse.Namespace) -> int:
    """The journey as a graph: entries, exits, the worst path and the priorities."""
    journey = load_or_fail(options.map)
    flt = build_filter(journey, options, options.map)
    result = insights(journey, flt)
    if options.format == "json":
        out = json.dumps(insights_json(result), ensure_ascii=False, allow_nan=False) + "\n"
    elif options.format == "csv":
        out = csv_text((insight_record(row) for row in result.rows), INSIGHT_RECORD_KEYS)
    else:
        out = insights_text(journey, result, flt.describe())
    sys.stdout.write(out)
    sys.stdout.flush()
    return EXIT_OK


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _names(journey: JourneyMap, ids: list[str], sep: str = ", ") -> str:
    return sep.join(journey.touchpoint(tp).name for tp in ids) if ids else "none"


def insights_text(journey: JourneyMap, result: Insights, filters: str) -> str:
    """A summary for a terminal, then the touch points by priority."""
    lines = [
        f"{journey.title}: where to act (priority = reach x gap); {filters}",
        f"Entries: {_names(journey, result.entries)}",
        f"Exits: {_names(journey, result.exits)}",
    ]
    if result.worst_path:
        lines.append(
            f"Worst path (total gap {number_cell(result.worst_total, True)}): "
            f"{_names(journey, result.worst_path, ' -> ')}"
        )
    else:
        lines.append("Worst path: none (no path from an entry to an exit)")
    lines.append(
        f"Expected gap: {number_cell(result.expected_gap, True)} "
        "(the gap a customer meets along the way, on average)"
    )
    lines.append(f"Lost: {_pct(result.lost)} of customers leave the journey before an exit")
    lines.append(f"Unavoidable: {_names(journey, result.unavoidable)}")
    unmarked = [tp for tp in result.unavoidable if not journey.touchpoint(tp).critical]
    if unmarked:
        lines.append(
            f"Unavoidable but not marked as a moment of truth: {_names(journey, unmarked)}"
        )
    elif result.unavoidable:
        lines.append("Every unavoidable touch point is marked as a moment of truth.")
    lines.append("")
    rows = result.rows
    if not rows:
        lines.append("(no touch points)")
    else:
        stage_names = {s.id: s.name for s in journey.stages}
        name_w = min(36, max(len("Touch point"), *(len(r.name) for r in rows)))
        stage_w = min(18, max(len("Stage"), *(len(stage_names[r.stage]) for r in rows)))
        header = (
            f"{'#':>3}  {'Touch point':<{name_w}}  {'Stage':<{stage_w}}  {'Reach':>6}  "
            f"{'Gap':>6}  {'Priority':>8}  {'Leaves':>6}  Flags"
        )
        lines += [header, "-" * len(header)]
        for r in rows:
            flags = ["unavoidable"] if r.unavoidable else []
            if journey.touchpoint(r.touchpoint).critical:
                flags.append("moment of truth")
            lines.append(
                f"{r.rank:>3}  {fit_cell(r.name, name_w):<{name_w}}  "
                f"{fit_cell(stage_names[r.stage], stage_w):<{stage_w}}  {_pct(r.reach):>6}  "
                f"{number_cell(r.gap, True):>6}  {number_cell(r.priority):>8}  "
                f"{_pct(r.leaves):>6}  "
                f"{', '.join(flags)}".rstrip()
            )
    if result.warnings:
        lines += ["", "Warnings:"]
        lines += [f"  {w.kind}: {w.message}" for w in result.warnings]
    return "\n".join(lines) + "\n"
