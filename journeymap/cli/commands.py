"""The headless subcommands.  No Qt, no matplotlib."""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import sys
from collections.abc import Iterator

from journeymap.fileio.errors import MAX_QUOTED, JourneyFileError, quoted
from journeymap.fileio.jsonformat import load_map
from journeymap.fileio.spreadsheet import csv_text
from journeymap.model.analysis import (
    GAP_RECORD_KEYS,
    ObservationFilter,
    gap_record,
    touchpoint_gaps,
    wide_gap_threshold,
)
from journeymap.model.journey import JourneyMap

EXIT_OK = 0
EXIT_FAILED = 1


class CommandError(Exception):
    """A problem to tell the user in one line, then exit non-zero."""


def fail(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_FAILED


def load_or_fail(path: str) -> JourneyMap:
    """The map in ``path``: a map file, or a bundle (.zip) read in memory."""
    try:
        if path.lower().endswith(".zip"):
            from journeymap.fileio.bundle import load_bundle

            return load_bundle(path)
        return load_map(path)
    except JourneyFileError as exc:
        # At most MAX_LISTED problems, values cut short: see fileio.errors.
        raise CommandError(exc.message) from exc


@contextlib.contextmanager
def opened_map(path: str) -> Iterator[tuple[JourneyMap, str]]:
    """The map and the file its photos are beside: ``path`` itself, or for a
    bundle (.zip) its map unpacked with the photos into a temporary folder,
    removed afterwards."""
    if not path.lower().endswith(".zip"):
        yield load_or_fail(path), path
        return
    from journeymap.fileio.bundle import unpacked

    with contextlib.ExitStack() as stack:
        try:
            journey, map_path = stack.enter_context(unpacked(path))
        except JourneyFileError as exc:
            raise CommandError(exc.message) from exc
        yield journey, str(map_path)


def reports_errors(func):
    """Turn the errors a user can cause into messages and an exit status."""

    @functools.wraps(func)
    def wrapper(options: argparse.Namespace) -> int:
        try:
            return func(options)
        except CommandError as exc:
            return fail(str(exc))

    return wrapper


def build_filter(
    journey: JourneyMap, options: argparse.Namespace, source: str
) -> ObservationFilter:
    """The observation filter from the command's options; personas by id or name."""
    personas = set()
    for wanted in options.persona or ():
        persona = journey.find_persona(wanted)
        if persona is None:
            # Ids quoted (no control characters reach the terminal), the list cut short.
            known = ", ".join(quoted(p.id) for p in journey.personas[:MAX_QUOTED]) or "none"
            if len(known) > MAX_QUOTED:
                known = known[: MAX_QUOTED - 1] + "…"
            raise CommandError(f"{source}: unknown persona {quoted(wanted)} (the map has: {known})")
        personas.add(persona.id)
    if options.date_from and options.date_to and options.date_from > options.date_to:
        raise CommandError(f"--from {options.date_from} is after --to {options.date_to}")
    return ObservationFilter(
        methods=frozenset(options.method or ()),
        personas=frozenset(personas),
        observers=frozenset(options.observer or ()),
        date_from=options.date_from,
        date_to=options.date_to,
    )


@reports_errors
def validate(options: argparse.Namespace) -> int:
    """Check a map and print a one-line summary."""
    journey = load_or_fail(options.map)
    s = journey.summary()
    print(
        f"{options.map}: valid: {s.stages} stages, {s.touchpoints} touch points, "
        f"{s.transitions} transitions, {s.observations} observations, {s.personas} personas"
    )
    return EXIT_OK


@reports_errors
def gaps(options: argparse.Namespace) -> int:
    """Rank touch points by their gap."""
    journey = load_or_fail(options.map)
    flt = build_filter(journey, options, options.map)
    rank_by = options.rank
    rows = touchpoint_gaps(journey, flt, rank_by)
    if options.top:
        rows = rows[: options.top]
    records = [gap_record(row, rank) for rank, row in enumerate(rows, start=1)]
    if options.format == "json":
        out = json_array(records)
    elif options.format == "csv":
        # One cell per column: the methods joined by ";".
        out = csv_text(({**r, "methods": ";".join(r["methods"])} for r in records), GAP_RECORD_KEYS)
    else:
        filters = flt.describe()
        if rank_by == "confident":
            filters += "; ranked by the low end of the 95% interval"
        out = gap_table(journey, records, filters)
    sys.stdout.write(out)
    sys.stdout.flush()
    return EXIT_OK


def json_array(records: list[dict]) -> str:
    """The records as a JSON array on one line.

    One call, so json uses its C encoder throughout; ``indent`` or one call
    a record would be several times slower on a map of thousands of rows.
    """
    return json.dumps(records, ensure_ascii=False, allow_nan=False) + "\n"


def number_cell(value: float | None, signed: bool = False) -> str:
    """A number in a terminal table: two decimals (with its sign), ``-`` for none."""
    if value is None:
        return "-"
    return f"{value:+.2f}" if signed else f"{value:.2f}"


def fit_cell(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters for a terminal table, ``~`` marking a cut."""
    return text if len(text) <= width else text[: width - 1] + "~"


def gap_table(journey: JourneyMap, records: list[dict], filters: str) -> str:
    """An aligned table for a terminal, widest gaps first."""
    stage_names = {s.id: s.name for s in journey.stages}
    scale = journey.scale
    lines = [
        f"{journey.title}: expectation vs reality, scale {scale.min:g}-{scale.max:g}; "
        f"wide gap >= {wide_gap_threshold(scale):.2f}; {filters}",
    ]
    if not records:
        lines.append("(no touch points)")
        return "\n".join(lines) + "\n"
    name_w = min(36, max(len("Touch point"), *(len(r["name"]) for r in records)))
    stage_w = min(18, max(len("Stage"), *(len(stage_names[r["stage"]]) for r in records)))
    header = (
        f"{'#':>3}  {'Touch point':<{name_w}}  {'Stage':<{stage_w}}  {'n':>3}  "
        f"{'Expect':>6}  {'Reality':>7}  {'Gap':>6}  {'Spread':>6}  {'95% interval':<16}  "
        f"{'Evidence':<8}  Flags"
    )
    lines += [header, "-" * len(header)]
    for r in records:
        flags = []
        if r["wide"]:
            flags.append("WIDE")
        if r["critical"]:
            flags.append("critical")
        gap = "-" if r["gap"] is None else f"{r['gap']:+.2f}"
        ci = "-" if r["ci_low"] is None else f"{r['ci_low']:+.2f} to {r['ci_high']:+.2f}"
        lines.append(
            f"{r['rank']:>3}  {fit_cell(r['name'], name_w):<{name_w}}  "
            f"{fit_cell(stage_names[r['stage']], stage_w):<{stage_w}}  {r['n']:>3}  "
            f"{number_cell(r['expectation']):>6}  {number_cell(r['reality']):>7}  {gap:>6}  "
            f"{number_cell(r['spread']):>6}  {ci:<16}  {r['evidence']:<8}  "
            f"{', '.join(flags)}".rstrip()
        )
    return "\n".join(lines) + "\n"
