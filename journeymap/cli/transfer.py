"""``journeymap import`` and ``journeymap export``: the formats other tools use.

Headless: no Qt, no matplotlib.  Every file is written atomically, and an
import with any bad row writes nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from journeymap.cli.commands import (
    EXIT_OK,
    CommandError,
    build_filter,
    load_or_fail,
    opened_map,
    reports_errors,
)
from journeymap.fileio.errors import JourneyFileError
from journeymap.fileio.jsonformat import save_map
from journeymap.interop import mermaid, observationtable, tables
from journeymap.interop.errors import MAX_BYTES
from journeymap.render.exporting import EXPORT_SUFFIXES, export_file

MERMAID_SUFFIXES = (".mmd", ".mermaid", ".md", ".markdown")


def _suffix(path: str) -> str:
    return Path(path).suffix.lower()


def _save(journey, path: str) -> None:
    try:
        save_map(journey, path)
    except JourneyFileError as exc:
        raise CommandError(exc.message) from exc


@reports_errors
def import_(options: argparse.Namespace) -> int:
    """Import a Mermaid journey as a new map, or observations into a map."""
    source, suffix = options.source, _suffix(options.source)
    max_bytes = options.max_size or MAX_BYTES
    try:
        if suffix in MERMAID_SUFFIXES:
            if options.into:
                raise CommandError(f"{source}: a Mermaid journey becomes a new map; drop --into")
            journey = mermaid.load_mermaid(source, max_bytes)
            _save(journey, options.output)
            s = journey.summary()
            print(
                f"{options.output}: imported {s.stages} stages, {s.touchpoints} touch points, "
                f"{s.personas} personas, {s.observations} observations from {source}"
            )
            return EXIT_OK
        if suffix in tables.TABLE_SUFFIXES:
            if not options.into:
                raise CommandError(f"{source}: observations go into a map: give --into MAP")
            journey = load_or_fail(options.into)
            table = tables.read_table(source, max_bytes=max_bytes)
            for warning in observationtable.unknown_column_warnings(table):
                print(f"warning: {warning}", file=sys.stderr)
            observations = observationtable.observations_from_table(table, journey, options.method)
            added = observationtable.add_observations(journey, observations)
            _save(journey, options.output)
            print(f"{options.output}: imported {added} observations from {source}")
            return EXIT_OK
    except JourneyFileError as exc:
        raise CommandError(f"{exc.message}\n{source}: nothing was imported") from exc
    known = ", ".join(MERMAID_SUFFIXES + tables.TABLE_SUFFIXES)
    raise CommandError(f"{source}: cannot import {suffix or 'files without a suffix'}; use {known}")


@reports_errors
def export(options: argparse.Namespace) -> int:
    """Write a map in another format, chosen by the output's suffix."""
    output, suffix = options.output, _suffix(options.output)
    if suffix not in EXPORT_SUFFIXES:
        raise CommandError(
            f"{output}: unknown export format {suffix or '(no suffix)'}; "
            f"use one of {', '.join(EXPORT_SUFFIXES)}"
        )
    if options.transparent and suffix != ".png":
        raise CommandError(f"{output}: --transparent is for .png only")
    paper, orientation = options.paper, options.orientation
    if (paper or orientation) and suffix != ".pdf":
        raise CommandError(f"{output}: --paper and --orientation are for .pdf only")
    if orientation and not paper:
        raise CommandError(f"{output}: --orientation needs --paper (a4, letter or a3)")
    warnings: list[str] = []
    # A bundle's photos come from beside the map: a zip given as MAP is unpacked.
    with opened_map(options.map) as (journey, map_path):
        flt = build_filter(journey, options, options.map)
        try:
            export_file(
                journey,
                output,
                flt,
                scale=options.scale,
                transparent=options.transparent,
                paper=paper,
                orientation=orientation,
                source=map_path,
                warnings=warnings,
            )
        except OSError as exc:
            raise CommandError(f"{output}: cannot write: {exc.strerror or exc}") from exc
        except ValueError as exc:
            raise CommandError(f"{output}: {exc}") from exc
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"{output}: exported {options.map}")
    return EXIT_OK
