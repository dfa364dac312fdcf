"""Cells that are safe to open in a spreadsheet."""

from __future__ import annotations

# OWASP's CSV injection guidance: a cell starting with one of these may be
# run as a formula by Excel, LibreOffice or Google Sheets.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Neutralise text that a spreadsheet would run as a formula.

    Numbers pass through untouched, so a negative gap stays a number; text
    that starts like a formula gets a leading apostrophe, which spreadsheets
    show as plain text.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
