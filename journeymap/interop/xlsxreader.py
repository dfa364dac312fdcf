"""One worksheet of an XLSX workbook, streamed: cell values only, in bounded time and memory.

openpyxl's read-only mode trusts the sheet's ``<dimension>`` (a stale one
drops rows), pads every row to the sheet's whole area (one cell at XFD1048576
makes seventeen billion empty cells), loads every shared string whole, and
raises whatever its parsers raise, late, while rows are iterated.  This reader
parses the few parts a table needs with expat, chunk by chunk:

* the rows are the ``<row>`` elements as they stand; ``<dimension>`` is ignored;
* time is proportional to the XML, not to the area the cells span;
* every part's uncompressed size counts against ``max_bytes`` before a byte
  of it is read (a zip member never yields more than its stated size), and
  a text longer than ``max_chars`` is counted, never kept whole;
* a DTD is refused, so no entity can expand;
* anything wrong ends as :class:`XlsxError` (fatal, with the place) or as a
  problem reported for one cell, never as another exception.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import stat
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from journeymap.interop.errors import quoted, size_text

#: Excel's own bounds.
MAX_COLUMN = 16_384
MAX_ROW = 1_048_576
_CHUNK = 1 << 16
#: Bytes of the zip's central directory (about 40,000 parts; a workbook has tens):
#: zipfile makes an object per entry, so a million empty entries would take
#: seconds and half a gigabyte before a single part is read.
MAX_DIRECTORY = 4_000_000
_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")
_INTEGER = re.compile(r"[+-]?[0-9]{1,15}")
# ECMA-376 ST_Xstring: _xHHHH_ stands for one UTF-16 code unit.
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_OFFICE_DOCUMENT = "/officeDocument"

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


def _directory_size(path: str | os.PathLike[str]) -> int | None:
    """The size the zip's end record gives its central directory (zip64 too), or None."""
    with open(path, "rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        tail_size = min(size, (1 << 16) + 22 + 20)
        handle.seek(size - tail_size)
        tail = handle.read(tail_size)
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or at + 22 > len(tail):
            return None
        directory = int.from_bytes(tail[at + 12 : at + 16], "little")
        locator = at - 20
        if locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07":
            offset = int.from_bytes(tail[locator + 8 : locator + 16], "little")
            if offset + 56 <= size:
                handle.seek(offset)
                record = handle.read(56)
                if record[:4] == b"PK\x06\x06":
                    directory = max(directory, int.from_bytes(record[40:48], "little"))
        return directory


def _refuse_dtd(*args: object) -> None:
    raise XlsxError("", "the workbook's XML has a DTD, which XLSX never needs")


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


class XlsxWorkbook:
    """An open workbook: its worksheets, and the rows of one of them.

    Use as a context manager; every method raises only :class:`XlsxError`.
    """

    def __init__(self, path: str | os.PathLike[str], max_bytes: int, max_chars: int) -> None:
        self.max_bytes = max_bytes
        self.max_chars = max_chars
        # _xHHHH_ escapes shrink 7 characters to 1: a longer raw text is too long.
        self.raw_cap = 7 * max_chars + 7
        self.budget = max_bytes
        #: Where the parse is, for messages: a text, or a function giving one.
        self.place: str | Callable[[], str] = ""
        try:
            info = os.stat(path)
        except OSError as exc:
            raise XlsxError("", f"cannot read the file: {exc.strerror or exc}") from exc
        if not stat.S_ISREG(info.st_mode):
            raise XlsxError("", "not a regular file")
        if info.st_size > max_bytes:
            raise XlsxError("", self._over(f"the file is {size_text(info.st_size)}"))
        try:
            directory = _directory_size(path)
            if directory is not None and directory > MAX_DIRECTORY:
                raise XlsxError(
                    "",
                    f"the zip's directory is {size_text(directory)}, over the "
                    f"{size_text(MAX_DIRECTORY)} an .xlsx workbook could need",
                )
            self.zip = zipfile.ZipFile(path)
        except XlsxError:
            raise
        except OSError as exc:
            raise XlsxError("", f"cannot read the file: {exc.strerror or exc}") from exc
        except Exception as exc:
            raise XlsxError("", f"not a readable .xlsx workbook ({_reason(exc)})") from exc
        try:
            self.members = {i.filename: i for i in self.zip.infolist()}
            self.sheets, self.epoch = self._workbook()
        except XlsxError:
            self.zip.close()
            raise
        except Exception as exc:
            self.zip.close()
            raise XlsxError(self.where(), f"a damaged .xlsx workbook ({_reason(exc)})") from exc

    def __enter__(self) -> XlsxWorkbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.zip.close()

    def _over(self, what: str) -> str:
        return (
            f"{what}, over the limit of {size_text(self.max_bytes)} for an imported file "
            "(the limit can be raised; see docs/interop.md)"
        )

    # ------------------------------------------------------------------ parts

    def _parse(
        self,
        part: str,
        start: Callable[[str, dict[str, str]], None],
        end: Callable[[str], None] | None = None,
        chars: Callable[[str], None] | None = None,
    ) -> None:
        """Parse one whole part (see :meth:`_steps`)."""
        for _ in self._steps(part, start, end, chars):
            pass

    def _steps(
        self,
        part: str,
        start: Callable[[str, dict[str, str]], None],
        end: Callable[[str], None] | None = None,
        chars: Callable[[str], None] | None = None,
    ) -> Iterator[None]:
        """Stream one part through expat, counting its size against the budget.

        Yields after each chunk, so the caller can hand out what the handlers
        gathered so far.
        """
        info = self.members.get(part)
        if info is None:
            raise XlsxError("", f"the workbook has no part {quoted(part)}")
        if info.file_size > self.budget:
            total = self.max_bytes - self.budget + info.file_size
            raise XlsxError(
                part, self._over(f"the workbook's XML is at least {size_text(total)} unpacked")
            )
        self.budget -= info.file_size
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = _refuse_dtd
        parser.EntityDeclHandler = _refuse_dtd
        parser.StartElementHandler = start
        if end is not None:
            parser.EndElementHandler = end
        if chars is not None:
            parser.CharacterDataHandler = chars
        try:
            with self.zip.open(info) as stream:
                while True:
                    chunk = stream.read(_CHUNK)
                    parser.Parse(chunk, not chunk)
                    yield None
                    if not chunk:
                        break
        except expat.ExpatError as exc:
            where = f"{part}, line {exc.lineno}, column {exc.offset + 1}"
            place = self.where()
            reason = expat.ErrorString(exc.code) if exc.code else str(exc)
            raise XlsxError(
                f"{place} ({where})" if place else where, f"not well-formed XML: {reason}"
            ) from exc
        except XlsxError as exc:
            if exc.where or not self.where():
                raise
            raise XlsxError(self.where(), exc.message) from exc
        except Exception as exc:
            place = self.where()
            where = f"{place} ({part})" if place else part
            raise XlsxError(where, f"a damaged .xlsx workbook ({_reason(exc)})") from exc

    def where(self) -> str:
        return self.place() if callable(self.place) else self.place

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, target part) for ``part``; empty if it has none."""
        folder, name = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", name + ".rels")
        found: dict[str, tuple[str, str]] = {}
        if rels_part not in self.members:
            return found

        def start(tag: str, attrs: dict[str, str]) -> None:
            if _local(tag) == "Relationship" and attrs.get("TargetMode") != "External":
                target = attrs.get("Target", "")
                if target.startswith("/"):
                    path = target.lstrip("/")
                else:
                    path = posixpath.normpath(posixpath.join(folder, target))
                found[attrs.get("Id", "")] = (attrs.get("Type", ""), path)

        self._parse(rels_part, start)
        return found

    def _workbook(self) -> tuple[list[SheetInfo], dt.datetime]:
        main = "xl/workbook.xml"
        for kind, target in self._relationships("").values():
            if kind.endswith(_OFFICE_DOCUMENT):
                main = target
        listed: list[tuple[str, str]] = []
        date1904 = [False]

        def start(tag: str, attrs: dict[str, str]) -> None:
            local = _local(tag)
            if local == "sheet":
                rid = next((v for k, v in attrs.items() if ":" in k and _local(k) == "id"), "")
                listed.append((attrs.get("name", ""), rid))
            elif local == "workbookPr":
                date1904[0] = attrs.get("date1904", "").lower() in ("1", "true")

        self._parse(main, start)
        rels = self._relationships(main)
        sheets = []
        for name, rid in listed:
            kind, target = rels.get(rid, ("", ""))
            if kind.endswith("/worksheet"):
                sheets.append(SheetInfo(name, target))
        self.strings_part = self.styles_part = ""
        for kind, target in rels.values():
            if kind.endswith("/sharedStrings"):
                self.strings_part = target
            elif kind.endswith("/styles"):
                self.styles_part = target
        epoch = dt.datetime(1904, 1, 1) if date1904[0] else dt.datetime(1899, 12, 30)
        return sheets, epoch

    def _styles(self) -> tuple[set[int], set[int]]:
        """Style indexes (``s``) whose number format is a date, and a duration."""
        if not self.styles_part or self.styles_part not in self.members:
            return set(), set()
        from openpyxl.styles.numbers import (  # only this importer needs openpyxl
            BUILTIN_FORMATS,
            is_date_format,
            is_timedelta_format,
        )

        formats: dict[int, str] = dict(BUILTIN_FORMATS)
        styles: list[int] = []
        depth = {"cellXfs": 0}

        def start(tag: str, attrs: dict[str, str]) -> None:
            local = _local(tag)
            if local == "numFmt":
                ident = _index(attrs.get("numFmtId", ""))
                if ident is not None:
                    formats[ident] = attrs.get("formatCode", "")
            elif local == "cellXfs":
                depth["cellXfs"] += 1
            elif local == "xf" and depth["cellXfs"]:
                styles.append(_index(attrs.get("numFmtId", "0")) or 0)

        def end(tag: str) -> None:
            if _local(tag) == "cellXfs":
                depth["cellXfs"] -= 1

        self._parse(self.styles_part, start, end)
        dates, durations = set(), set()
        for index, ident in enumerate(styles):
            code = formats.get(ident)
            if code and is_date_format(code):
                dates.add(index)
                if is_timedelta_format(code):
                    durations.add(index)
        return dates, durations

    def _strings(self) -> list[str | _TooLong]:
        if not self.strings_part or self.strings_part not in self.members:
            return []
        strings: list[str | _TooLong] = []
        state: dict[str, Any] = {"text": None, "in_t": False, "phonetic": 0}

        def start(tag: str, attrs: dict[str, str]) -> None:
            local = _local(tag)
            if local == "si":
                state["text"] = _Text(self.raw_cap)
            elif local == "t":
                state["in_t"] = True
            elif local == "rPh":
                state["phonetic"] += 1

        def end(tag: str) -> None:
            local = _local(tag)
            if local == "t":
                state["in_t"] = False
            elif local == "rPh":
                state["phonetic"] -= 1
            elif local == "si" and state["text"] is not None:
                strings.append(state["text"].value(self.max_chars))
                state["text"] = None

        def chars(data: str) -> None:
            if state["in_t"] and not state["phonetic"] and state["text"] is not None:
                state["text"].add(data)

        self.place = "the shared strings"
        self._parse(self.strings_part, start, end, chars)
        self.place = ""
        return strings

    # ------------------------------------------------------------------- rows

    def rows(self, sheet: SheetInfo, report: Report) -> Iterator[tuple[int, dict[int, Any], int]]:
        """``(row number, {column number: value}, last column)`` for each row with a
        value that is not blank, in order.

        Empty and missing cells are left out.  A cell that cannot be read is
        reported with ``report(where, message)`` and left out.
        """
        reader = _SheetReader(self, sheet, report)
        yield from reader.run()


class _SheetReader:
    """The state of one sheet's parse; rows are handed out after each chunk."""

    def __init__(self, book: XlsxWorkbook, sheet: SheetInfo, report: Report) -> None:
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
