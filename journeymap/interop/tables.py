"""Observations as spreadsheet rows: CSV and XLSX in, CSV out.

Debrief notes usually arrive as a spreadsheet, one row per observation.  An
import is all or nothing: every bad row is reported as ``FILE:LINE: problem``
and nothing changes, or every row goes in.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeymap.fileio.errors import Problem
from journeymap.fileio.spreadsheet import FORMULA_STARTS, csv_text
from journeymap.interop.errors import ImportProblemError, read_utf8
from journeymap.model.analysis import ObservationFilter, select
from journeymap.model.entities import METHODS, Observation
from journeymap.model.journey import JourneyMap

#: The columns of an observations table, in the order exports write them.
OBSERVATION_COLUMNS = (
    "touchpoint",
    "method",
    "observer",
    "date",
    "expectation",
    "reality",
    "minimum",
    "emotion",
    "note",
    "quote",
    "persona",
    "tags",
)
SCORE_COLUMNS = ("expectation", "reality", "minimum", "emotion")
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class TableRow:
    """One data row: its line (CSV) or row number (XLSX), its cells by known
    column, and all its cells as they stand in the file."""

    line: int
    cells: dict[str, Any]
    raw: list[Any] = field(default_factory=list)


@dataclass
class Table:
    source: str
    header: list[str]
    #: Known column name -> header text, for the columns the file has.
    columns: dict[str, str]
    unknown: list[str]
    rows: list[TableRow] = field(default_factory=list)
    #: Header position -> known column.
    positions: dict[int, str] = field(default_factory=dict)

    def remapped(self, positions: dict[int, str]) -> Table:
        """The same rows read with another column mapping (the import dialog's).

        Raises
        ------
        ImportProblemError
            When two positions map to one column, or none to ``touchpoint``.
        """
        chosen = list(positions.values())
        problems = [
            Problem("1", f"column {name!r} is chosen twice")
            for name in sorted({n for n in chosen if chosen.count(n) > 1})
        ]
        if "touchpoint" not in chosen:
            problems.append(Problem("1", "no column is read as 'touchpoint'"))
        if problems:
            raise ImportProblemError(self.source, problems)
        columns = {name: self.header[i] for i, name in positions.items()}
        unknown = [h for i, h in enumerate(self.header) if h and i not in positions]
        rows = [
            TableRow(
                r.line,
                {n: r.raw[i] if i < len(r.raw) else None for i, n in positions.items()},
                r.raw,
            )
            for r in self.rows
        ]
        return Table(self.source, self.header, columns, unknown, rows, dict(positions))


def _normalise_header(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name.strip().lower())


_KNOWN = {_normalise_header(c): c for c in OBSERVATION_COLUMNS}


def _match_header(
    source: str, header: list[Any], line: int, strict: bool = True
) -> tuple[dict[int, str], Table]:
    """Map header cells to known columns; report duplicates, keep unknowns.

    ``strict=False`` (the import dialog, where the user maps columns) maps
    only the first of duplicates and accepts a header without 'touchpoint'.
    """
    problems: list[Problem] = []
    positions: dict[int, str] = {}
    columns: dict[str, str] = {}
    unknown: list[str] = []
    texts = ["" if h is None else str(h).strip() for h in header]
    for i, text in enumerate(texts):
        if not text:
            continue
        known = _KNOWN.get(_normalise_header(text))
        if known is None:
            unknown.append(text)
        elif known in columns:
            if strict:
                problems.append(Problem(str(line), f"column {known!r} appears twice"))
            else:
                unknown.append(text)
        else:
            columns[known] = text
            positions[i] = known
    if "touchpoint" not in columns and strict:
        problems.append(
            Problem(
                str(line),
                "the header has no 'touchpoint' column; expected columns: "
                + ", ".join(OBSERVATION_COLUMNS),
            )
        )
    if problems:
        raise ImportProblemError(source, problems)
    return positions, Table(source, texts, columns, unknown, positions=positions)


def _guess_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(path: str | Path, strict: bool = True) -> Table:
    """Read a CSV file: UTF-8 with or without a BOM, ``,`` ``;`` or tab delimited."""
    source = str(path)
    text = read_utf8(path, "save the sheet as 'CSV UTF-8' and try again")
    if not text.strip():
        raise ImportProblemError(source, [Problem("", "the file is empty")])
    first_line = text.lstrip("\r\n").splitlines()[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_guess_delimiter(first_line))
    try:
        header: list[str] | None = None
        positions: dict[int, str] = {}
        table: Table | None = None
        previous_end = 0
        for cells in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if header is None:
                if not any(c.strip() for c in cells):
                    continue
                header = cells
                positions, table = _match_header(source, cells, start, strict)
                continue
            assert table is not None
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                raise ImportProblemError(
                    source,
                    [Problem(str(start), f"{len(cells)} cells but the header has {len(header)}")],
                )
            row = {name: cells[i] if i < len(cells) else "" for i, name in positions.items()}
            table.rows.append(TableRow(start, row, list(cells)))
    except csv.Error as exc:
        raise ImportProblemError(
            source, [Problem(str(reader.line_num), f"bad CSV: {exc}")]
        ) from exc
    if table is None:
        raise ImportProblemError(source, [Problem("", "the file has no header row")])
    return table


def read_xlsx(path: str | Path, strict: bool = True) -> Table:
    """Read the first worksheet (or one named "observations") of an XLSX workbook."""
    from openpyxl import load_workbook  # only this importer needs it

    source = str(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        reason = getattr(exc, "strerror", None) or "not a readable .xlsx workbook"
        raise ImportProblemError(source, [Problem("", reason)]) from exc
    try:
        names = {n.lower(): n for n in workbook.sheetnames}
        sheet = workbook[names.get("observations", workbook.sheetnames[0])]
        table: Table | None = None
        positions: dict[int, str] = {}
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            filled = [v for v in values if v is not None and str(v).strip()]
            if not filled:
                continue
            if table is None:
                positions, table = _match_header(source, list(values), number, strict)
                continue
            row = {name: values[i] if i < len(values) else None for i, name in positions.items()}
            table.rows.append(TableRow(number, row, list(values)))
    finally:
        workbook.close()
    if table is None:
        raise ImportProblemError(source, [Problem("", "the worksheet has no header row")])
    return table


def read_table(path: str | Path, strict: bool = True) -> Table:
    if Path(path).suffix.lower() == ".xlsx":
        return read_xlsx(path, strict)
    return read_csv(path, strict)


# ---------------------------------------------------------------------------
# Rows to observations


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    # Undo our own export's formula guard: '=SUM... was written for =SUM...
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_STARTS:
        text = text[1:]
    return text


class _Row:
    """Turns one row's cells into an Observation, collecting its problems."""

    def __init__(self, journey: JourneyMap, row: TableRow, problems: list[Problem]) -> None:
        self.journey = journey
        self.line = str(row.line)
        self.cells = row.cells
        self.problems = problems

    def bad(self, message: str) -> None:
        self.problems.append(Problem(self.line, message))

    def touchpoint(self, by_name: dict[str, list[str]]) -> str | None:
        wanted = _text(self.cells.get("touchpoint"))
        if not wanted:
            self.bad("no touch point given")
            return None
        if self.journey.has_touchpoint(wanted):
            return wanted
        matches = by_name.get(wanted, [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            self.bad(f"touch point name {wanted!r} matches {len(matches)} touch points; use the id")
        else:
            self.bad(f"unknown touch point {wanted!r}")
        return None

    def method(self, default: str | None) -> str | None:
        given = _text(self.cells.get("method"))
        if not given:
            if default is None:
                self.bad("no method given")
            return default
        method = re.sub(r"[\s_]+", "-", given.lower())
        if method not in METHODS:
            self.bad(f"unknown method {given!r}; expected one of {', '.join(METHODS)}")
            return None
        return method

    def persona(self) -> str | None:
        wanted = _text(self.cells.get("persona"))
        if not wanted:
            return None
        persona = self.journey.find_persona(wanted)
        if persona is None:
            self.bad(f"unknown persona {wanted!r}")
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
        if _DATE.match(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                pass
        self.bad(f"bad date {text!r}; write dates as YYYY-MM-DD")
        return None

    def score(self, column: str) -> float | None:
        value = self.cells.get(column)
        if isinstance(value, bool):
            self.bad(f"{column} must be a number, not {value}")
            return None
        if isinstance(value, int | float):
            number: float | None = value
        else:
            text = _text(value)
            if not text:
                return None
            number = _parse_number(text)
            if number is None:
                self.bad(f"{column} {text!r} is not a number")
                return None
        scale = self.journey.scale
        if number is None or not math.isfinite(number):
            self.bad(f"{column} must be a finite number")
            return None
        if not scale.contains(number):
            self.bad(f"{column} {number:g} is outside the scale {scale.min:g}-{scale.max:g}")
            return None
        return int(number) if float(number).is_integer() else number

    def tags(self) -> list[str]:
        return [t.strip() for t in _text(self.cells.get("tags")).split(";") if t.strip()]


def _parse_number(text: str) -> float | None:
    # A ';'-delimited file from a European spreadsheet writes 3,5 for 3.5.
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def observations_from_table(
    table: Table, journey: JourneyMap, default_method: str | None = None
) -> list[Observation]:
    """Every row as an Observation for ``journey``, or every bad row reported.

    Raises
    ------
    ImportProblemError
        Listing each problem as ``FILE:LINE: problem``; nothing is changed.
    """
    if "method" not in table.columns and default_method is None:
        raise ImportProblemError(
            table.source,
            [
                Problem(
                    "1", "the header has no 'method' column; add one, or give a method for all rows"
                )
            ],
        )
    by_name: dict[str, list[str]] = {}
    for tp in journey.touchpoints:
        by_name.setdefault(tp.name, []).append(tp.id)
    taken = {o.id for o in journey.observations}
    counter = len(taken)
    problems: list[Problem] = []
    observations: list[Observation] = []
    for row in table.rows:
        before = len(problems)
        r = _Row(journey, row, problems)
        fields = {
            "touchpoint": r.touchpoint(by_name),
            "method": r.method(default_method),
            "observer": _text(row.cells.get("observer")),
            "date": r.date(),
            "persona": r.persona(),
            **{column: r.score(column) for column in SCORE_COLUMNS},
            "note": _text(row.cells.get("note")),
            "quote": _text(row.cells.get("quote")),
            "tags": r.tags(),
        }
        if len(problems) > before:
            continue
        counter += 1
        while f"o{counter}" in taken:
            counter += 1
        taken.add(f"o{counter}")
        observations.append(Observation(id=f"o{counter}", **fields))
    if not table.rows:
        problems.append(Problem("", "the table has a header but no rows"))
    if problems:
        raise ImportProblemError(table.source, problems)
    return observations


def add_observations(journey: JourneyMap, observations: Iterable[Observation]) -> int:
    """Add imported observations to the map, in order; returns how many."""
    count = 0
    for obs in observations:
        journey.add_observation(obs)
        count += 1
    return count


def unknown_column_warnings(table: Table) -> list[str]:
    return [
        f"{table.source}: column {name!r} is not an observation field and was not imported "
        f"(known columns: {', '.join(OBSERVATION_COLUMNS)})"
        for name in table.unknown
    ]


# ---------------------------------------------------------------------------
# Observations to CSV


def observation_rows(journey: JourneyMap, flt: ObservationFilter | None = None) -> list[dict]:
    """Observations as rows with :data:`OBSERVATION_COLUMNS`, touch points and personas by id."""
    rows = []
    for o in select(journey.observations, flt):
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
                "tags": "; ".join(o.tags),
            }
        )
    return rows


def observations_to_csv(journey: JourneyMap, flt: ObservationFilter | None = None) -> str:
    return csv_text(observation_rows(journey, flt), OBSERVATION_COLUMNS)
