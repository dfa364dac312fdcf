"""``journeymap blindspots``: service safari against shadowing.  No Qt, no matplotlib."""

from __future__ import annotations

import argparse
import sys

from journeymap.cli.commands import (
    EXIT_OK,
    build_filter,
    fit_cell,
    json_array,
    load_or_fail,
    number_cell,
    reports_errors,
)
from journeymap.fileio.spreadsheet import csv_text
from journeymap.model.comparisons import (
    BLIND_SPOT_KEYS,
    blind_spot_margin,
    blind_spot_record,
    blind_spot_rows,
)
from journeymap.model.journey import JourneyMap


@reports_errors
def blindspots(options: argparse.Namespace) -> int:
    """Touch points where staff on safari saw a smaller gap than customers showed."""
    journey = load_or_fail(options.map)
    flt = build_filter(journey, options, options.map)
    records = [blind_spot_record(row) for row in blind_spot_rows(journey, flt)]
    if options.format == "json":
        out = json_array(records)
    elif options.format == "csv":
        out = csv_text(records, BLIND_SPOT_KEYS)
    else:
        out = blind_spot_table(journey, records, flt.describe())
    sys.stdout.write(out)
    sys.stdout.flush()
    return EXIT_OK


def blind_spot_table(journey: JourneyMap, records: list[dict], filters: str) -> str:
    """An aligned table for a terminal, largest difference first."""
    stage_names = {s.id: s.name for s in journey.stages}
    scale = journey.scale
    lines = [
        f"{journey.title}: service safari (staff) against shadowing (customers), "
        f"scale {scale.min:g}-{scale.max:g}; blind spot when the shadowing gap is "
        f">= {blind_spot_margin(journey):.2f} wider; {filters}",
    ]
    if not records:
        lines.append("(no touch point has a paired service-safari or shadowing observation)")
        return "\n".join(lines) + "\n"
    name_w = min(36, max(len("Touch point"), *(len(r["name"]) for r in records)))
    stage_w = min(18, max(len("Stage"), *(len(stage_names[r["stage"]]) for r in records)))
    header = (
        f"{'Touch point':<{name_w}}  {'Stage':<{stage_w}}  {'Safari n':>8}  {'gap':>6}  "
        f"{'Shadow n':>8}  {'gap':>6}  {'Diff':>6}  Flags"
    )
    lines += [header, "-" * len(header)]
    for r in records:
        lines.append(
            f"{fit_cell(r['name'], name_w):<{name_w}}  "
            f"{fit_cell(stage_names[r['stage']], stage_w):<{stage_w}}  "
            f"{r['safari_n']:>8}  {number_cell(r['safari_gap'], True):>6}  "
            f"{r['shadowing_n']:>8}  {number_cell(r['shadowing_gap'], True):>6}  "
            f"{number_cell(r['difference'], True):>6}  "
            f"{'BLIND SPOT' if r['blind_spot'] else ''}".rstrip()
        )
    return "\n".join(lines) + "\n"
