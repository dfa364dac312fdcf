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

The parse of one sheet's rows is in :mod:`journeymap.interop.xlsxsheet`.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import stat
import zipfile
from collections.abc import Callable, Iterator
from typing import Any
from xml.parsers import expat

from journeymap.interop.errors import quoted, size_text
from journeymap.interop.xlsxsheet import (
    MAX_COLUMN,
    MAX_ROW,
    Report,
    SheetInfo,
    XlsxError,
    _index,
    _local,
    _reason,
    _SheetReader,
    _Text,
    _TooLong,
    column_letters,
)

__all__ = [
    "MAX_COLUMN",
    "MAX_DIRECTORY",
    "MAX_ROW",
    "Report",
    "SheetInfo",
    "XlsxError",
    "XlsxWorkbook",
    "column_letters",
]

_CHUNK = 1 << 16
#: Bytes of the zip's central directory (about 40,000 parts; a workbook has tens):
#: zipfile makes an object per entry, so a million empty entries would take
#: seconds and half a gigabyte before a single part is read.
MAX_DIRECTORY = 4_000_000
_OFFICE_DOCUMENT = "/officeDocument"


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
