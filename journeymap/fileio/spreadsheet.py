"""Cells and CSV text that are safe to open in a spreadsheet.

Every exported cell is quoted, so a ``;`` or a line break stays inside its
cell whatever list separator the spreadsheet uses.  Text a spreadsheet could
run as a formula gets a leading ``'`` (:func:`safe_cell`);
:func:`unguard_cell` removes exactly that ``'`` again, so an export imports
back to the same text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping

# OWASP's CSV injection guidance: a cell starting with one of these may be
# run as a formula by Excel, LibreOffice or Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Guard mark: spreadsheets show a cell starting with it as plain text.
GUARD = "'"
# A line break (any that str.splitlines knows) followed by a formula start: a
# tool that splits lines naively would see a new row starting with a formula.
_BREAK_THEN_FORMULA = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029][=+\\-@\t\r]")


def needs_guard(text: str) -> bool:
    """Whether :func:`safe_cell` prefixes ``text`` with ``'``.

    Text that starts like a formula, or holds a line break followed by a
    formula start, is guarded; so is text that already starts with ``'``, so
    that removing one ``'`` on import is never ambiguous.
    """
    return (
        text.startswith(FORMULA_STARTS)
        or text.startswith(GUARD)
        or _BREAK_THEN_FORMULA.search(text) is not None
    )


def safe_cell(value: object) -> object:
    """Neutralise text that a spreadsheet would run as a formula.

    Numbers pass through untouched, so a negative gap stays a number; text
    for which :func:`needs_guard` holds gets a leading apostrophe, which
    spreadsheets show as plain text.  :func:`unguard_cell` removes it again.
    """
    if isinstance(value, str) and needs_guard(value):
        return GUARD + value
    return value


def unguard_cell(text: str) -> str:
    """The text :func:`safe_cell` was given, for any text it returned.

    Only a ``'`` that :func:`safe_cell` would have added is removed: ``'=1``
    gives ``=1`` and ``''x`` gives ``'x``, while ``'x`` (never written by an
    export) stays as it is.
    """
    if text.startswith(GUARD) and needs_guard(text[1:]):
        return text[1:]
    return text


def csv_text(rows: Iterable[Mapping[str, object]], columns: Iterable[str]) -> str:
    """CSV with a header row, every cell quoted; None is an empty cell and text is made safe.

    Line breaks (``\\r`` included) stay inside their quoted cell.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    columns = list(columns)
    writer.writerow([safe_cell(c) for c in columns])
    for row in rows:
        writer.writerow(["" if row[c] is None else safe_cell(row[c]) for c in columns])
    return buffer.getvalue()
