"""Cells and CSV text that are safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

# OWASP's CSV injection guidance: a cell starting with one of these may be
# run as a formula by Excel, LibreOffice or Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Neutralise text that a spreadsheet would run as a formula.

    Numbers pass through untouched, so a negative gap stays a number; text
    that starts like a formula gets a leading apostrophe, which spreadsheets
    show as plain text.  The observation importer removes it again.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: Iterable[Mapping[str, object]], columns: Iterable[str]) -> str:
    """CSV with a header row; None is an empty cell and text cells are made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = list(columns)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row[c] is None else safe_cell(row[c]) for c in columns])
    return buffer.getvalue()
