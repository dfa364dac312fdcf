"""The streaming parse of one worksheet's XML, for :mod:`journeymap.interop.xlsxreader`.

It is a module of its own so that neither stays over the project's 500 lines:
``xlsxreader`` opens the workbook (zip, part limits, shared strings, styles)
and hands each sheet part to :class:`_SheetReader` here.  The errors, limits and
text helpers both need live here too, so this module never imports
``xlsxreader`` (which imports it).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from journeymap.interop.errors import quoted

#: Excel's own bounds.
MAX_COLUMN = 16_384
MAX_ROW = 1_048_576
_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")
_INTEGER = re.compile(r"[+-]?[0-9]{1,15}")
# ECMA-376 ST_Xstring: _xHHHH_ stands for one UTF-16 code unit.
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")

#: A cell's problem: where (sheet and cell) and what.
Report = Callable[[str, str], None]


class XlsxError(Exception):
    """The workbook cannot be read on: ``where`` is the place, ``message`` the reason."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where
        self.message = message


class _TooLong:
    """A text over the cell limit: only its length is kept."""

    __slots__ = ("length",)

    def __init__(self, length: int) -> None:
        self.length = length


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


_SURROGATE = re.compile("[\ud800-\udfff]")


def _unescape(text: str) -> str:
    """Decode ``_xHHHH_`` escapes as Excel does; pairs of them make one character
    beyond U+FFFF, and a lone half of a pair becomes U+FFFD."""
    if "_x" not in text:
        return text
    text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if _SURROGATE.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


def _index(text: str, digits: int = 9) -> int | None:
    """A non-negative number written in ASCII digits (``isdigit`` takes ``²`` too)."""
    if 0 < len(text) <= digits and text.isascii() and text.isdigit():
        return int(text)
    return None


_LOCAL_NAMES: dict[str, str] = {}


def _local(name: str) -> str:
    """A tag's name without its prefix (``x:c`` is ``c``); namespaces are not checked."""
    local = _LOCAL_NAMES.get(name)
    if local is None:
        local = name.rpartition(":")[2]
        if len(_LOCAL_NAMES) < 4096:
            _LOCAL_NAMES[name] = local
    return local


@dataclass
class SheetInfo:
    name: str
    part: str


class _Text:
    """Character data gathered up to a cap; beyond it only counted."""

    __slots__ = ("cap", "length", "parts")

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.parts: list[str] = []
        self.length = 0

    def add(self, data: str) -> None:
        if self.length <= self.cap:
            self.parts.append(data)
        self.length += len(data)

    def value(self, max_chars: int) -> str | _TooLong:
        if self.length > self.cap:
            return _TooLong(self.length)
        text = _unescape("".join(self.parts))
        return _TooLong(len(text)) if len(text) > max_chars else text


class _Book(Protocol):
    """What a sheet's parse needs of its workbook (an ``XlsxWorkbook``)."""

    max_chars: int
    raw_cap: int
    epoch: dt.datetime
    place: str | Callable[[], str]

    def _styles(self) -> tuple[set[int], set[int]]: ...

    def _strings(self) -> list[str | _TooLong]: ...

    def _steps(
        self,
        part: str,
        start: Callable[[str, dict[str, str]], None],
        end: Callable[[str], None] | None = None,
        chars: Callable[[str], None] | None = None,
    ) -> Iterator[None]: ...


class _SheetReader:
    """The state of one sheet's parse; rows are handed out after each chunk."""

    def __init__(self, book: _Book, sheet: SheetInfo, report: Report) -> None:
        self.book = book
        self.sheet = sheet
        self.sheet_name = quoted(sheet.name)
        self.report = report
        self.ready: list[tuple[int, dict[int, Any], int]] = []
        self.last = 0
        self.filled = False
        self.row = 0
        self.previous = 0
        self.cells: dict[int, Any] | None = None
        self.column = 0
        self.cell_type = "n"
        self.style = 0
        self.text: _Text | None = None
        self.in_value = self.in_inline = self.in_t = False
        self.phonetic = 0
        self.has_value = False
        self.column_numbers: dict[str, int] = {}
        self.style_numbers: dict[str, int] = {}

    def where(self) -> str:
        """The place the parse has reached: a cell, a row, or after a row."""
        if self.cells is None:
            if self.previous:
                return f"sheet {self.sheet_name}, after row {self.previous}"
            return f"sheet {self.sheet_name}"
        return self.place(self.column or None)

    def place(self, column: int | None = None) -> str:
        if column is None:
            return f"sheet {self.sheet_name}, row {self.row}"
        return f"sheet {self.sheet_name}, cell {column_letters(column)}{self.row}"

    def run(self) -> Iterator[tuple[int, dict[int, Any], int]]:
        book = self.book
        try:
            self.dates, self.durations = book._styles()
            self.strings = book._strings()
        except XlsxError:
            raise
        except Exception as exc:
            raise XlsxError("", f"a damaged .xlsx workbook ({_reason(exc)})") from exc
        book.place = self.where
        for _ in book._steps(self.sheet.part, self.start, self.end, self.chars):
            if self.ready:
                ready, self.ready = self.ready, []
                yield from ready

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = _LOCAL_NAMES.get(tag) or _local(tag)
        if local == "c":
            if self.cells is None:
                raise XlsxError(self.where(), "a cell outside any row")
            ref = attrs.get("r")
            if ref:
                match = _REF.fullmatch(ref)
                if match is None:
                    raise XlsxError(self.place(), f"bad cell reference {quoted(ref)}")
                letters = match.group(1)
                column = self.column_numbers.get(letters) or self.column_number(letters)
            else:
                column = self.column + 1
            if column > MAX_COLUMN:
                raise XlsxError(self.place(), f"cell {quoted(ref or column)} is beyond column XFD")
            self.column = column
            self.cell_type = attrs.get("t", "n")
            style = attrs.get("s")
            self.style = 0 if style is None else self.style_number(style)
            self.text = None
            self.has_value = False
        elif local == "v" and self.cells is not None:
            self.in_value = True
            self.has_value = True
            if self.text is None:
                self.text = _Text(self.book.raw_cap)
        elif local == "is" and self.cells is not None:
            self.in_inline = True
            self.has_value = True
            if self.text is None:
                self.text = _Text(self.book.raw_cap)
        elif local == "t" and self.in_inline:
            self.in_t = True
        elif local == "rPh" and self.in_inline:
            self.phonetic += 1
        elif local == "row":
            self.start_row(attrs)

    def column_number(self, letters: str) -> int:
        number = _column_number(letters)
        if len(self.column_numbers) < 4 * MAX_COLUMN:
            self.column_numbers[letters] = number
        return number

    def style_number(self, text: str) -> int:
        number = self.style_numbers.get(text)
        if number is None:
            number = _index(text) or 0
            if len(self.style_numbers) < 4096:
                self.style_numbers[text] = number
        return number

    def start_row(self, attrs: dict[str, str]) -> None:
        given = attrs.get("r")
        if given is None:
            number = self.previous + 1
        elif _index(given, 7) is not None:
            number = int(given)
        else:
            raise XlsxError(
                f"sheet {self.sheet_name}, after row {self.previous}",
                f"bad row number {quoted(given)}",
            )
        if not 1 <= number <= MAX_ROW:
            raise XlsxError(
                f"sheet {self.sheet_name}, after row {self.previous}",
                f"row number {number:,} is outside 1-{MAX_ROW:,}",
            )
        if number <= self.previous:
            raise XlsxError(
                f"sheet {self.sheet_name}, row {number}",
                f"the row comes after row {self.previous}; rows must be in order, once each",
            )
        self.row = number
        self.cells = {}
        self.last = 0
        self.filled = False
        self.column = 0

    def end(self, tag: str) -> None:
        local = _LOCAL_NAMES.get(tag) or _local(tag)
        if local == "c" and self.cells is not None:
            self.end_cell()
        elif local == "v":
            self.in_value = False
        elif local == "is":
            self.in_inline = False
        elif local == "t":
            self.in_t = False
        elif local == "rPh" and self.in_inline:
            self.phonetic -= 1
        elif local == "row" and self.cells is not None:
            if self.filled:
                self.ready.append((self.row, self.cells, self.last))
            self.previous = self.row
            self.cells = None

    def chars(self, data: str) -> None:
        if self.text is not None and (
            self.in_value or (self.in_inline and self.in_t and not self.phonetic)
        ):
            self.text.add(data)

    def end_cell(self) -> None:
        assert self.cells is not None
        column = self.column
        if not self.has_value or self.text is None:
            return
        value = self.value(column, self.text)
        if value is None or value == "":
            return
        if column in self.cells:
            raise XlsxError(self.place(column), "the cell appears twice")
        self.cells[column] = value
        if column > self.last:
            self.last = column
        if not self.filled and not (isinstance(value, str) and not value.strip()):
            self.filled = True

    def too_long(self, column: int, length: int) -> None:
        self.report(
            self.place(column),
            f"the text has {length:,} characters; a cell holds at most "
            f"{self.book.max_chars:,} (Excel's own limit)",
        )

    def value(self, column: int, text: _Text) -> Any:
        kind = self.cell_type
        if kind not in ("n", "b", "d"):  # s, inlineStr, str, e: text
            if kind == "s":
                return self.shared(column, text)
            got = text.value(self.book.max_chars)
            if isinstance(got, _TooLong):
                self.too_long(column, got.length)
                return None
            return got
        if text.length > 400:
            self.report(self.place(column), "the value is not a number")
            return None
        raw = "".join(text.parts).strip()
        if not raw:
            return None
        if kind == "b":
            if raw in ("1", "true"):
                return True
            if raw in ("0", "false"):
                return False
            self.report(self.place(column), f"{quoted(raw)} is not a true/false value")
            return None
        if kind == "d":
            try:
                return dt.datetime.fromisoformat(raw)
            except ValueError:
                self.report(self.place(column), f"{quoted(raw)} is not an ISO 8601 date")
                return None
        number: int | float
        try:
            number = int(raw) if _INTEGER.fullmatch(raw) else float(raw)
        except ValueError:
            self.report(self.place(column), f"{quoted(raw)} is not a number")
            return None
        if self.style in self.dates:
            return self.date(column, number)
        return number

    def shared(self, column: int, text: _Text) -> Any:
        raw = "".join(text.parts).strip() if text.length <= 20 else "?"
        index = _index(raw, 12)
        if index is None or index >= len(self.strings):
            self.report(
                self.place(column),
                f"shared string {quoted(raw)} does not exist "
                f"(the workbook has {len(self.strings):,})",
            )
            return None
        got = self.strings[index]
        if isinstance(got, _TooLong):
            self.too_long(column, got.length)
            return None
        return got

    def date(self, column: int, number: float) -> Any:
        from openpyxl.utils.datetime import from_excel

        try:
            return from_excel(number, self.book.epoch, timedelta=self.style in self.durations)
        except (OverflowError, ValueError, ArithmeticError):
            self.report(
                self.place(column), f"the date number {quoted(number)} is outside the calendar"
            )
            return None


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {quoted(text)[1:-1]}" if str(exc) else text
