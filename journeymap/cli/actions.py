"""``journeymap actions``: the action plan, where it matters most first.  No Qt."""

from __future__ import annotations

import argparse
import sys

from journeymap.cli.commands import (
    EXIT_OK,
    build_filter,
    fit_cell,
    json_array,
    load_or_fail,
    reports_errors,
)
from journeymap.fileio.spreadsheet import csv_text
from journeymap.model.actionplan import ACTION_RECORD_KEYS, action_record, action_rows
from journeymap.model.journey import JourneyMap


@reports_errors
def actions_command(options: argparse.Namespace) -> int:
    """One row per action, by its touch point's priority, the "stop doing" list first."""
    journey = load_or_fail(options.map)
    flt = build_filter(journey, options, options.map)
    records = [action_record(row) for row in action_rows(journey, flt, options.status)]
    if options.format == "json":
        out = json_array(records)
    elif options.format == "csv":
        out = csv_text(records, ACTION_RECORD_KEYS)
    else:
        filters = flt.describe()
        if options.status:
            filters += f"; status {', '.join(options.status)}"
        out = actions_text(journey, records, filters)
    sys.stdout.write(out)
    sys.stdout.flush()
    return EXIT_OK


def _one_line(text: str) -> str:
    return " ".join(text.split())


def actions_text(journey: JourneyMap, records: list[dict], filters: str) -> str:
    """An aligned table for a terminal: priority, touch point, kind, status, owner, due, text."""
    stage_names = {s.id: s.name for s in journey.stages}
    lines = [f"{journey.title}: action plan (highest priority first, stop doing first); {filters}"]
    if not records:
        lines.append("(no actions)")
        return "\n".join(lines) + "\n"
    name_w = min(30, max(len("Touch point"), *(len(r["name"]) for r in records)))
    stage_w = min(16, max(len("Stage"), *(len(stage_names[r["stage"]]) for r in records)))
    owner_w = min(16, max(len("Owner"), *(len(r["owner"]) for r in records)))
    header = (
        f"{'Priority':>8}  {'Touch point':<{name_w}}  {'Stage':<{stage_w}}  {'Kind':<8}  "
        f"{'Status':<8}  {'Owner':<{owner_w}}  {'Due':<10}  Action"
    )
    lines += [header, "-" * len(header)]
    for r in records:
        priority = "-" if r["priority"] is None else f"{r['priority']:.2f}"
        lines.append(
            f"{priority:>8}  {fit_cell(_one_line(r['name']), name_w):<{name_w}}  "
            f"{fit_cell(stage_names[r['stage']], stage_w):<{stage_w}}  {r['kind']:<8}  "
            f"{r['status']:<8}  {fit_cell(_one_line(r['owner']), owner_w):<{owner_w}}  "
            f"{r['due'] or '-':<10}  {_one_line(r['text'])}".rstrip()
        )
    return "\n".join(lines) + "\n"
