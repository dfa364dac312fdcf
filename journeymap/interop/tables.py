"""Observation tables: CSV and XLSX files read as rows of cells.

Debrief notes usually arrive as a spreadsheet, one row per observation.  This
module reads the file and matches its header to observation fields;
:mod:`journeymap.interop.observationtable` turns the rows into observations
and observations back into CSV.  An import is all or nothing: every bad row
is reported as ``FILE:LINE: problem`` (``FILE: sheet 'S', cell C5: problem``
for XLSX) and nothing changes, or every row goes in.

Whatever the input, the readers raise only :class:`ImportProblemError`, list at
most 50 problems (then ``… and N more problems``) and quote at most 80
characters of any value.  Limits: :data:`MAX_ROWS` rows per table,
:data:`MAX_CELL_CHARS` characters per cell, ``max_bytes`` per file (default
:data:`MAX_BYTES`, also the bound on the XML unpacked from an XLSX).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeymap.fileio.errors import Problem
from journeymap.gcpause import collector_paused
from journeymap.interop.errors import (
    MAX_BYTES,
    MAX_LISTED,
    ImportProblemError,
    ProblemList,
    quoted,
    read_utf8,
)
from journeymap.interop.xlsxreader import (
    MAX_COLUMN,
    SheetInfo,
    XlsxError,
    XlsxWorkbook,
    column_letters,
)

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
#: Data rows in one table.
MAX_ROWS = 1_000_000
#: Characters in one cell: Excel's own limit.
MAX_CELL_CHARS = 32_767
#: Cells in one row: Excel's own limit (XFD).
MAX_COLUMNS = MAX_COLUMN
#: Empty cells an XLSX table may hold between filled ones, all rows together:
#: a few values spread over a huge area are refused instead of padded.
MAX_EMPTY_CELLS = 16_000_000
#: Characters in one line of a CSV file (far more than a row of observations needs).
MAX_LINE_CHARS = 16_000_000
_CSV_ADVICE = "save the sheet as 'CSV UTF-8' and try again"


@dataclass(slots=True)
class TableRow:
    """One data row: its line (CSV) or row number (XLSX) and all its cells as
    they stand in the file; ``cells`` gives them by known column."""

    line: int
    raw: list[Any] = field(default_factory=list)
    #: Header position -> known column, shared by all rows of a table.
    positions: dict[int, str] = field(default_factory=dict)

    @property
    def cells(self) -> dict[str, Any]:
        """The cells by known column (None where the row is short)."""
        raw, size = self.raw, len(self.raw)
        return {name: raw[i] if i < size else None for i, name in self.positions.items()}


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
    #: The worksheet read (XLSX), or None (CSV).
    sheet: str | None = None

    def place(self, line: int, position: int | None = None) -> str:
        """A problem's place: the line (CSV), or the sheet and cell (XLSX)."""
        if self.sheet is None:
            return str(line)
        if position is None:
            return f"sheet {quoted(self.sheet)}, row {line}"
        return f"sheet {quoted(self.sheet)}, cell {column_letters(position + 1)}{line}"

    def remapped(self, positions: dict[int, str]) -> Table:
        """The same rows read with another column mapping (the import dialog's).

        Raises
        ------
        ImportProblemError
            When two positions map to one column, or none to ``touchpoint``.
        """
        chosen = list(positions.values())
        problems = [
            Problem("1", f"column {quoted(name)} is chosen twice")
            for name in sorted({n for n in chosen if chosen.count(n) > 1})
        ]
        if "touchpoint" not in chosen:
            problems.append(Problem("1", "no column is read as 'touchpoint'"))
        if problems:
            raise ImportProblemError(self.source, problems)
        columns = {name: self.header[i] for i, name in positions.items()}
        unknown = [h for i, h in enumerate(self.header) if h and i not in positions]
        positions = dict(positions)
        rows = [TableRow(r.line, r.raw, positions) for r in self.rows]
        return Table(self.source, self.header, columns, unknown, rows, positions, self.sheet)


def _normalise_header(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name.strip().lower())


_KNOWN = {_normalise_header(c): c for c in OBSERVATION_COLUMNS}


def _match_header(
    source: str, header: list[Any], where: str, strict: bool = True
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
                problems.append(Problem(where, f"column {quoted(known)} appears twice"))
            else:
                unknown.append(text)
        else:
            columns[known] = text
            positions[i] = known
    if "touchpoint" not in columns and strict:
        problems.append(
            Problem(
                where,
                "the header has no 'touchpoint' column; expected columns: "
                + ", ".join(OBSERVATION_COLUMNS),
            )
        )
    if problems:
        raise ImportProblemError(source, problems)
    return positions, Table(source, texts, columns, unknown, positions=positions)


# Lines as io.StringIO(newline="") gives them (ends kept), without its copy of the text.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


class _LineTooLong(Exception):
    def __init__(self, number: int, length: int) -> None:
        super().__init__(number, length)
        self.number = number
        self.length = length


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` for the csv module, refusing one over :data:`MAX_LINE_CHARS`.

    The csv module makes a list of a whole row's cells before we can count
    them: a 100 MB line of commas would be 100 million cells.
    """
    for number, match in enumerate(_LINE.finditer(text), start=1):
        if match.end() - match.start() > MAX_LINE_CHARS:
            raise _LineTooLong(number, match.end() - match.start())
        yield match.group()


def _guess_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _too_long(length: int) -> str:
    return f"has {length:,} characters; a cell holds at most {MAX_CELL_CHARS:,} (Excel's own limit)"


def _too_many_rows(what: str) -> str:
    return f"the table has more than {MAX_ROWS:,} {what}; split it into smaller tables"


def _fatal(source: str, problems: ProblemList, where: str, message: str) -> ImportProblemError:
    """The error for a problem that stops the read, listed after those found before it."""
    kept = problems.kept[: MAX_LISTED - 1]
    return ImportProblemError(source, [*kept, Problem(where, message)], problems.total - len(kept))


@collector_paused()
def read_csv(path: str | Path, strict: bool = True, max_bytes: int = MAX_BYTES) -> Table:
    """Read a CSV file: UTF-8 with or without a BOM, ``,`` ``;`` or tab delimited.

    Raises
    ------
    ImportProblemError
        For anything wrong, naming the file and the line; nothing else.
    """
    source = str(path)
    text = read_utf8(path, _CSV_ADVICE, max_bytes)
    if not text.strip():
        raise ImportProblemError(source, [Problem("", "the file is empty")])
    first = _LINE.match(text.lstrip("\r\n"))
    first_line = first.group() if first else ""
    reader = csv.reader(_lines(text), delimiter=_guess_delimiter(first_line))
    problems = ProblemList()
    header: list[str] | None = None
    positions: dict[int, str] = {}
    table: Table | None = None
    previous_end = 0
    count = 0
    shared: dict[str, str] = {}
    try:
        for cells in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if len(cells) > MAX_COLUMNS:
                message = f"{len(cells):,} cells; a row holds at most {MAX_COLUMNS:,}"
                if header is None:
                    raise _fatal(source, problems, str(start), message)
                problems.add(str(start), message)
                continue
            if cells and max(map(len, cells)) > MAX_CELL_CHARS:
                for i, cell in enumerate(cells):
                    if len(cell) > MAX_CELL_CHARS:
                        problems.add(str(start), f"cell {i + 1} {_too_long(len(cell))}")
                        cells[i] = ""
            if not any(map(str.strip, cells)):
                continue
            if header is None:
                header = cells
                positions, table = _match_header(source, cells, str(start), strict)
                continue
            count += 1
            if count > MAX_ROWS:
                raise _fatal(source, problems, str(start), _too_many_rows("rows"))
            if len(cells) > len(header) and any(map(str.strip, cells[len(header) :])):
                problems.add(str(start), f"{len(cells)} cells but the header has {len(header)}")
            if problems:
                continue  # the import fails: keep scanning for problems, not rows
            assert table is not None
            # Repeated short values (ids, methods, dates, scores) share one string.
            cells = [c if len(c) > 40 else shared.setdefault(c, c) for c in cells]
            table.rows.append(TableRow(start, cells, positions))
    except _LineTooLong as exc:
        message = f"the line has {exc.length:,} characters, more than {MAX_LINE_CHARS:,}"
        raise _fatal(source, problems, str(exc.number), message) from None
    except csv.Error as exc:
        where = str(reader.line_num)
        if "field larger than field limit" in str(exc):
            limit = csv.field_size_limit()
            raise _fatal(source, problems, where, f"a cell {_too_long(limit + 1)}") from exc
        raise _fatal(source, problems, where, f"bad CSV: {exc}") from exc
    problems.raise_if_any(source)
    if table is None:
        raise ImportProblemError(source, [Problem("", "the file has no header row")])
    return table


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@collector_paused()
def read_xlsx(path: str | Path, strict: bool = True, max_bytes: int = MAX_BYTES) -> Table:
    """Read the first worksheet (or one named "observations") of an XLSX workbook.

    Every row is read, whatever the sheet's ``<dimension>`` says; time and
    memory follow the cells the sheet holds, not the area they span.

    Raises
    ------
    ImportProblemError
        For anything wrong, naming the file, the sheet and the cell; nothing else.
    """
    source = str(path)
    problems = ProblemList()
    try:
        with XlsxWorkbook(path, max_bytes, MAX_CELL_CHARS) as book:
            if not book.sheets:
                raise ImportProblemError(
                    source, [Problem("", "the workbook has no worksheets: nothing to import")]
                )
            by_name = {s.name.lower(): s for s in reversed(book.sheets)}
            sheet = by_name.get("observations", book.sheets[0])
            rows = book.rows(sheet, problems.add)
            try:
                table = _xlsx_table(source, sheet, rows, strict, problems)
            finally:
                rows.close()  # closes the sheet's stream when the read stops early
    except XlsxError as exc:
        raise _fatal(source, problems, exc.where, exc.message) from exc
    problems.raise_if_any(source)
    if table is None:
        raise ImportProblemError(
            source, [Problem(f"sheet {quoted(sheet.name)}", "the worksheet has no header row")]
        )
    return table


def _xlsx_table(
    source: str,
    sheet: SheetInfo,
    rows: Iterator[tuple[int, dict[int, Any], int]],
    strict: bool,
    problems: ProblemList,
) -> Table | None:
    """The table of ``rows`` (number, {column number: value}, last column); problems go
    to ``problems``."""
    table: Table | None = None
    positions: dict[int, str] = {}
    width = count = 0
    empty_budget = MAX_EMPTY_CELLS
    name = quoted(sheet.name)
    for number, cells, last in rows:
        if table is None:
            header = [cells.get(c) for c in range(1, last + 1)]
            where = f"sheet {name}, row {number}"
            positions, table = _match_header(source, header, where, strict)
            table.sheet = sheet.name
            width = last
            continue
        count += 1
        if count > MAX_ROWS:
            where = f"sheet {name}, row {number}"
            raise _fatal(source, problems, where, _too_many_rows("rows"))
        if last <= width:
            size = last
            empty_budget -= size - len(cells)
        else:
            size = width
            empty_budget -= size - sum(1 for c in cells if c <= size)
            beyond = [c for c, v in cells.items() if c > width and not _blank(v)]
            if beyond:
                problems.add(
                    table.place(number, beyond[0] - 1),
                    f"a value beyond the header's last column ({column_letters(width)}); "
                    "give the column a header or delete the value",
                )
        if empty_budget < 0:
            raise _fatal(
                source,
                problems,
                f"sheet {name}, row {number}",
                f"the sheet spreads its values over more than {MAX_EMPTY_CELLS:,} empty "
                "cells; delete the empty columns and rows between them",
            )
        if problems:
            continue  # the import fails: keep scanning for problems, not rows
        raw: list[Any] = [None] * size
        for c, value in cells.items():
            if c <= size:
                raw[c - 1] = value
        table.rows.append(TableRow(number, raw, positions))
    return table


def read_table(path: str | Path, strict: bool = True, max_bytes: int = MAX_BYTES) -> Table:
    """Read a CSV or (by its suffix) XLSX table of at most ``max_bytes``.

    Raises
    ------
    ImportProblemError
        For anything wrong with the file; no other exception.
    """
    if Path(path).suffix.lower() == ".xlsx":
        return read_xlsx(path, strict, max_bytes)
    return read_csv(path, strict, max_bytes)
