"""A table's rows as observations, and observations as CSV rows.

:func:`observations_from_table` checks every row against the map (touch point
by id or name, method, scores within the scale, persona, date, tags) and
either returns an observation per row or reports every bad row with its
place; nothing is half imported.  :func:`observations_to_csv` writes the
columns the importer reads, so an export imports back unchanged.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from journeymap.fileio.errors import Problem
from journeymap.fileio.spreadsheet import csv_text, unguard_cell
from journeymap.gcpause import collector_paused
from journeymap.interop.errors import (
    MAX_LISTED,
    ImportProblemError,
    ProblemList,
    more_problems,
    quoted,
)
from journeymap.interop.tables import (
    OBSERVATION_COLUMNS,
    SCORE_COLUMNS,
    Table,
)
from journeymap.model.analysis import ObservationFilter, select
from journeymap.model.entities import METHODS, Observation
from journeymap.model.journey import JourneyMap
from journeymap.model.validation import TAG_SEPARATOR, observation_problems, tag_problem

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
R = TypeVar("R")

# ---------------------------------------------------------------------------
# Rows to observations


def _cell_text(value: Any) -> str:
    """A cell as text, exactly: only our export's formula guard is undone."""
    if isinstance(value, str):
        return unguard_cell(value) if value.startswith("'") else value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unguard_cell(str(value))


def _text(value: Any) -> str:
    """A cell as text without surrounding spaces: for ids, names, methods, dates, numbers."""
    return _cell_text(value).strip()


class _Row:
    """Turns one row's cells into an Observation, collecting its problems."""

    def __init__(
        self,
        journey: JourneyMap,
        table: Table,
        line: int,
        cells: dict[str, Any],
        where: dict[str, int],
        problems: ProblemList,
    ) -> None:
        self.journey = journey
        self.table = table
        self.line = line
        self.cells = cells
        self.where = where
        self.problems = problems
        self.failed = False

    def bad(self, column: str, message: str) -> None:
        self.failed = True
        self.problems.add(self.table.place(self.line, self.where.get(column)), message)

    def touchpoint(self, by_name: dict[str, list[str]]) -> str | None:
        exact = _cell_text(self.cells.get("touchpoint"))
        wanted = exact.strip()
        if not wanted:
            self.bad("touchpoint", "no touch point given")
            return None
        for candidate in (exact, wanted):
            if self.journey.has_touchpoint(candidate):
                return candidate
        matches = by_name.get(exact) or by_name.get(wanted, [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            self.bad(
                "touchpoint",
                f"touch point name {quoted(wanted)} matches {len(matches)} touch points; "
                "use the id",
            )
        else:
            self.bad("touchpoint", f"unknown touch point {quoted(wanted)}")
        return None

    def method(self, default: str | None) -> str | None:
        given = _text(self.cells.get("method"))
        if not given:
            if default is None:
                self.bad("method", "no method given")
            return default
        method = _method_name(given)
        if method not in METHODS:
            self.bad(
                "method", f"unknown method {quoted(given)}; expected one of {', '.join(METHODS)}"
            )
            return None
        return method

    def persona(self) -> str | None:
        exact = _cell_text(self.cells.get("persona"))
        wanted = exact.strip()
        if not wanted:
            return None
        persona = self.journey.find_persona(exact) or self.journey.find_persona(wanted)
        if persona is None:
            self.bad("persona", f"unknown persona {quoted(wanted)}")
            return None
        return persona.id

    def date(self) -> dt.date | None:
        value = self.cells.get("date")
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = _text(value)
        if not text:
            return None
        date = _parse_date(text)
        if date is not None:
            return date
        self.bad("date", f"bad date {quoted(text)}; write dates as YYYY-MM-DD")
        return None

    def score(self, column: str) -> float | None:
        value = self.cells.get(column)
        if isinstance(value, bool):
            self.bad(column, f"{column} must be a number, not {value}")
            return None
        if isinstance(value, int | float):
            number: float | None = value
        else:
            text = _text(value)
            if not text:
                return None
            number = _parse_number(text)
            if number is None:
                self.bad(column, f"{column} {quoted(text)} is not a number")
                return None
        scale = self.journey.scale
        if number is None or not _finite(number):
            self.bad(column, f"{column} must be a finite number")
            return None
        if not scale.contains(number):
            self.bad(
                column,
                f"{column} {number:g} is outside the scale {scale.min:g}-{scale.max:g}",
            )
            return None
        return int(number) if float(number).is_integer() else number

    def tags(self) -> list[str]:
        text = _cell_text(self.cells.get("tags"))
        return [t.strip() for t in text.split(TAG_SEPARATOR) if t.strip()]


def _finite(number: float) -> bool:
    try:
        return math.isfinite(number)
    except OverflowError:  # an int too large for a float
        return False


def _short_cached(function: Callable[[str], R]) -> Callable[[str], R]:
    """``function`` remembering its results for short texts: tables repeat them a lot."""
    cached = functools.lru_cache(maxsize=4096)(function)

    @functools.wraps(function)
    def lookup(text: str) -> R:
        return cached(text) if len(text) <= 40 else function(text)

    return lookup


@_short_cached
def _parse_date(text: str) -> dt.date | None:
    if _DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    return None


@_short_cached
def _method_name(given: str) -> str:
    return re.sub(r"[\s_]+", "-", given.lower())


@_short_cached
def _parse_number(text: str) -> float | None:
    # A ';'-delimited file from a European spreadsheet writes 3,5 for 3.5.
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


@collector_paused()
def observations_from_table(
    table: Table, journey: JourneyMap, default_method: str | None = None
) -> list[Observation]:
    """Every row as an Observation for ``journey``, or every bad row reported.

    Raises
    ------
    ImportProblemError
        Listing the first 50 problems as ``FILE:LINE: problem`` (or ``FILE:
        sheet 'S', cell C5: problem``) and counting the rest; nothing is changed.
    """
    if "method" not in table.columns and default_method is None:
        raise ImportProblemError(
            table.source,
            [
                Problem(
                    table.place(1) if table.sheet is None else f"sheet {quoted(table.sheet)}",
                    "the header has no 'method' column; add one, or give a method for all rows",
                )
            ],
        )
    by_name: dict[str, list[str]] = {}
    for tp in journey.touchpoints:
        by_name.setdefault(tp.name, []).append(tp.id)
    where = {name: i for i, name in table.positions.items()}
    touchpoint_ids = {tp.id for tp in journey.touchpoints}
    persona_ids = {p.id for p in journey.personas}
    scale = journey.scale
    taken = {o.id for o in journey.observations}
    counter = len(taken)
    problems = ProblemList()
    observations: list[Observation] = []
    for row in table.rows:
        cells = row.cells
        r = _Row(journey, table, row.line, cells, where, problems)
        fields = {
            "touchpoint": r.touchpoint(by_name),
            "method": r.method(default_method),
            "observer": _cell_text(cells.get("observer")),
            "date": r.date(),
            "persona": r.persona(),
            **{column: r.score(column) for column in SCORE_COLUMNS},
            "note": _cell_text(cells.get("note")),
            "quote": _cell_text(cells.get("quote")),
            "tags": r.tags(),
        }
        if r.failed:
            continue
        obs = Observation(id="imported", **fields)
        # Whatever else the model refuses is this row's problem too, never a
        # ModelError when the observations are added.
        for name, message in observation_problems(obs, touchpoint_ids, persona_ids, scale):
            r.bad(name.partition("[")[0], f"{name}: {message}")
        if r.failed or problems:
            continue
        counter += 1
        while f"o{counter}" in taken:
            counter += 1
        taken.add(f"o{counter}")
        obs.id = f"o{counter}"
        observations.append(obs)
    if not table.rows:
        problems.add("", "the table has a header but no rows")
    problems.raise_if_any(table.source)
    return observations


def add_observations(journey: JourneyMap, observations: Iterable[Observation]) -> int:
    """Add imported observations to the map, in order; returns how many."""
    count = 0
    for obs in observations:
        journey.add_observation(obs)
        count += 1
    return count


def unknown_column_warnings(table: Table) -> list[str]:
    """One warning per column that is not imported: at most 50, then how many more."""
    known = ", ".join(OBSERVATION_COLUMNS)
    warnings = [
        f"{table.source}: column {quoted(name)} is not an observation field and was not "
        f"imported (known columns: {known})"
        for name in table.unknown[:MAX_LISTED]
    ]
    if len(table.unknown) > MAX_LISTED:
        more = more_problems(len(table.unknown) - MAX_LISTED).replace("problem", "column")
        warnings.append(f"{table.source}: {more} not imported")
    return warnings


# ---------------------------------------------------------------------------
# Observations to CSV


def observation_rows(journey: JourneyMap, flt: ObservationFilter | None = None) -> list[dict]:
    """Observations as rows with :data:`OBSERVATION_COLUMNS`, touch points and personas by id.

    Raises
    ------
    ValueError
        When a tag cannot be written so that it reads back the same (see
        :func:`tag_problem`), rather than splitting it silently.
    """
    rows = []
    for o in select(journey.observations, flt):
        for tag in o.tags:
            problem = tag_problem(tag)
            if problem:  # only a map changed behind the model's back holds one
                raise ValueError(f"observation {quoted(o.id)}: tag {problem}; cannot export it")
        rows.append(
            {
                "touchpoint": o.touchpoint,
                "method": o.method,
                "observer": o.observer,
                "date": o.date.isoformat() if o.date else "",
                **{c: "" if getattr(o, c) is None else getattr(o, c) for c in SCORE_COLUMNS},
                "note": o.note,
                "quote": o.quote,
                "persona": o.persona or "",
                "tags": f"{TAG_SEPARATOR} ".join(o.tags),
            }
        )
    return rows


def observations_to_csv(journey: JourneyMap, flt: ObservationFilter | None = None) -> str:
    """The observations as CSV: every cell quoted, formulas guarded (see :func:`csv_text`).

    Raises
    ------
    ValueError
        When a tag cannot be written unchanged (see :func:`tag_problem`).
    """
    return csv_text(observation_rows(journey, flt), OBSERVATION_COLUMNS)
