"""Fuzz the observation tables: readers meet junk, exports meet hostile text.

Readers (CSV and XLSX): random bytes, and valid files mutated byte by byte,
or (XLSX) part by part with XML pieces that broke readers before (far-away
cells, bad indexes, huge numbers, DTDs, escapes).  Each must import or raise
:class:`ImportProblemError` with a bounded message, and nothing else.

Export: hostile text in every text field (ids, observer, note, quote, tags):
the CSV parses with the csv module, every cell that could start a formula is
guarded, and export then import gives every field back unchanged.

Budget: ``FUZZ_EXAMPLES`` cases per test (a few in ``make test``, 10,000 in
``make fuzz``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeymap.fileio.spreadsheet import csv_text, needs_guard, unguard_cell
from journeymap.interop.errors import MAX_LISTED, ImportProblemError
from journeymap.interop.observationtable import (
    observations_from_table,
    observations_to_csv,
)
from journeymap.interop.tables import OBSERVATION_COLUMNS, read_table
from journeymap.model import METHODS, JourneyMap, Observation, Persona, Scale, Stage, TouchPoint
from journeymap.model.validation import tag_problem
from tests.conftest import make_small_map
from tests.fuzzbudget import FUZZ_EXAMPLES

pytestmark = pytest.mark.fuzz

FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

GOOD_CSV = (
    b"touchpoint,method,observer,date,expectation,reality,minimum,emotion,note,quote,persona,tags\n"
    b't-desk,shadowing,Jo,2026-10-12,5,2,3,2,"Sent, twice","Circulation?",p-student,jargon; desk\n'
    b"Find the entrance,service-safari,Ana,2026-10-13,4,3,,,,,Retired reader,\n"
    b't-kiosk,Survey,,,,"4,5",,,"a\r\nb",\'=x,,\n'
)


def good_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Observations"
    sheet.append(["touchpoint", "method", "date", "expectation", "reality", "note", "tags"])
    sheet.append(["t-desk", "shadowing", dt.datetime(2026, 10, 2), 5, 1.5, "At the desk", "a;b"])
    sheet.append(["Catalogue kiosk", "interview", "2026-10-03", 4, 4, "'=1", None])
    sheet.append(["t-sign", "survey", None, 3, 2, "two\nlines", "x"])
    sheet["H1"] = "extra"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD_XLSX = good_xlsx()
with zipfile.ZipFile(io.BytesIO(GOOD_XLSX)) as _archive:
    GOOD_PARTS = {i.filename: _archive.read(i) for i in _archive.infolist()}

CSV_PIECES = [b'"', b"\r", b"\n", b"\r\n", b",", b";", b"\t", b"\x00", b"'", b"=", b"\xff",
              b"\xef\xbb\xbf", b'""', b"\xe2\x80\xa8", b"1e999", b"nan", b"-", b" "]  # fmt: skip
XML_PIECES = [
    b"<", b">", b"/>", b'"', b"&", b"&amp;", b"&#0;", b"&#x1F;", b"<row>", b"</row>",
    b'<row r="1048576">', b'<row r="0">', b'<row r="99999999">', b"<c>", b"</c>",
    b'<c r="XFD1048576">', b'<c r="XFE1">', b'<c r="A1">', b'<c t="s">', b'<c t="b">',
    b'<c t="d">', b'<c t="e">', b'<c t="inlineStr"><is><t>x</t></is></c>', b"<v>",
    b"</v>", b"<v>1e999</v>", b"<v>-1e308</v>", b"<v>99999999999</v>", b"<v>nan</v>",
    b'<c s="1"><v>1e300</v></c>', b's="99"', b't="s"', b't="n"', b"_x000D_", b"_x005F_",
    b'<!DOCTYPE x [<!ENTITY a "b">]>', b"<?xml version='1.0'?>", b"\x00", b"\xff",
    b'<sheet name="x" sheetId="9" r:id="rId9"/>', b'<numFmt numFmtId="200" formatCode="yyyy"/>',
    b'<xf numFmtId="14"/>', b"<si><t>", b"</t></si>", b'date1904="1"', b"<rPh>",
]  # fmt: skip


@st.composite
def mutated(draw, data: bytes, pieces: list[bytes]) -> bytes:
    """``data`` with a few random deletions, insertions, duplications and flips."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        where = draw(st.integers(0, len(out)))
        kind = draw(st.sampled_from(["delete", "insert", "duplicate", "flip", "truncate"]))
        if kind == "delete":
            del out[where : where + draw(st.integers(1, 40))]
        elif kind == "insert":
            out[where:where] = draw(st.sampled_from(pieces) | st.binary(min_size=1, max_size=8))
        elif kind == "duplicate":
            out[where:where] = out[where : where + draw(st.integers(1, 200))]
        elif kind == "flip" and where < len(out):
            out[where] ^= draw(st.integers(1, 255))
        elif kind == "truncate":
            del out[where:]
    return bytes(out)


# Values that keep the XML well-formed but are wrong for a reader, by slot.
SLOT = re.compile(rb'\b(r|t|s|numFmtId|formatCode|date1904|name|Target|Id|r:id)="([^"]*)"'
                  rb"|<(v|t)>([^<]*)</(?:v|t)>")  # fmt: skip
SLOT_VALUES = {
    b"r": [b"XFD1048576", b"A0", b"A1048577", b"ZZZZ1", b"", b"1", b"a1", b"XFE2", b"A1",
           b"1048576", b"0", b"x", b"99999999"],
    b"t": [b"s", b"inlineStr", b"str", b"b", b"e", b"d", b"n", b"x", b""],
    b"s": [b"0", b"1", b"2", b"99", b"-1", b"x", "\u00b2".encode(), b"99999999999"],
    b"v": [b"0", b"1", b"2", b"99999", b"-1", b"1e999", b"nan", b"inf", b"x", b"",
           b"2026-10-02", b"1.5", b"46297", b"-1e308", b"1e300", "\u00b2".encode(),
           b"9" * 30, b"true"],
    b"numFmtId": [b"14", b"164", b"0", b"46", b"999", b"x", b""],
    b"formatCode": [b"yyyy", b"[h]:mm", b"0.00", b"d", b"General", b"mm:ss", b""],
    b"date1904": [b"1", b"true", b"0", b"x"],
}  # fmt: skip
HOSTILE_TEXT = [b"", b" ", b"touchpoint", b"method", b"t-desk", b"_x000D_=cmd", b"_x005F_x0041_",
                b"=1+1", b"&#13;=x", b"&amp;", b"A" * 40_000, b"observations"]  # fmt: skip


@st.composite
def retargeted(draw, data: bytes) -> bytes:
    """``data`` with a few attribute values or cell texts replaced: still well-formed XML."""
    for _ in range(draw(st.integers(1, 4))):
        slots = list(SLOT.finditer(data))
        if not slots:
            return data
        slot = draw(st.sampled_from(slots))
        key = slot.group(1) or slot.group(3)
        pool = SLOT_VALUES.get(key, []) + HOSTILE_TEXT
        value = draw(st.sampled_from(pool) | st.text(max_size=6).map(str.encode))
        value = value.replace(b"&", b"&amp;") if b"&#" not in value else value
        value = value.replace(b"<", b"&lt;").replace(b'"', b"&quot;")
        group = 2 if slot.group(1) else 4
        data = data[: slot.start(group)] + value + data[slot.end(group) :]
    return data


@st.composite
def mutated_workbooks(draw) -> bytes:
    """The good workbook with some parts mutated, dropped or duplicated, re-zipped."""
    parts = dict(GOOD_PARTS)
    # The sheet most often: that is where the cells are.
    names = ["xl/worksheets/sheet1.xml"] * 6 + ["xl/styles.xml"] * 2 + sorted(parts)
    for name in draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True)):
        if name not in parts:
            continue
        action = draw(st.sampled_from(["retarget"] * 4 + ["mutate", "drop", "empty"]))
        if action == "retarget":
            parts[name] = draw(retargeted(parts[name]))
        elif action == "mutate":
            parts[name] = draw(mutated(parts[name], XML_PIECES))
        elif action == "drop":
            del parts[name]
        else:
            parts[name] = b""
    method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz-tables")


def imports_or_refuses(path: Path, max_bytes: int | None = None) -> None:
    """Import ``path`` both ways (CLI and dialog); only our bounded error may escape."""
    options = {} if max_bytes is None else {"max_bytes": max_bytes}
    for strict in (True, False):
        try:
            table = read_table(path, strict=strict, **options)
            if strict:
                observations_from_table(table, make_small_map(), default_method="interview")
        except ImportProblemError as exc:
            lines = str(exc).splitlines()
            assert len(lines) <= MAX_LISTED + 1
            assert all(len(line) < len(str(path)) + 700 for line in lines), lines
            assert exc.problems


@FUZZ
@given(data=st.binary(max_size=3000))
def test_csv_random_bytes(folder, data):
    path = folder / "random.csv"
    path.write_bytes(data)
    imports_or_refuses(path)


@FUZZ
@given(data=mutated(GOOD_CSV, CSV_PIECES))
def test_csv_mutated(folder, data):
    path = folder / "mutated.csv"
    path.write_bytes(data)
    imports_or_refuses(path)


@FUZZ
@given(
    data=st.one_of(st.binary(max_size=3000), st.binary(max_size=3000).map(b"PK\x03\x04".__add__))
)
def test_xlsx_random_bytes(folder, data):
    path = folder / "random.xlsx"
    path.write_bytes(data)
    imports_or_refuses(path)


@FUZZ
@given(data=mutated(GOOD_XLSX, [b"PK", b"\x00" * 4, b"\xff" * 4]))
def test_xlsx_mutated_zip(folder, data):
    path = folder / "mutated-zip.xlsx"
    path.write_bytes(data)
    imports_or_refuses(path)


@FUZZ
@given(data=mutated_workbooks(), small_limit=st.booleans())
def test_xlsx_mutated_parts(folder, data, small_limit):
    path = folder / "mutated-parts.xlsx"
    path.write_bytes(data)
    imports_or_refuses(path, 12_000 if small_limit else None)


# ---------------------------------------------------------------------------
# Export: hostile text in every field

PIECES = [
    "=", "+", "-", "@", "\t", "\r", "\n", "\r\n", "'", "''", '"', ",", ";", " ", "  ",
    "=cmd|' /C calc'!A0", "=1+1", "x;=1+1", "@SUM(A1)", "-1", "\x0b", "\x0c", "\x85",
    "\u2028", "\u2029", "\x1c", "\x00", "\x01", "\ufeff", "\u200b", "é", "\U0001f600",
    "_x000D_", "<b>", "&",
]  # fmt: skip
text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=6).map("".join)
# Ids and names must not be blank; tags also hold no ';' and no outer spaces.
name = text.map(lambda s: s if s.strip() else s + "n")
tag = name.map(lambda s: s.replace(";", ",").strip() or "t")


@st.composite
def hostile_maps(draw) -> JourneyMap:
    journey = JourneyMap("Hostile", Scale(1, 5))
    ids = draw(st.lists(name, min_size=6, max_size=6, unique=True))
    journey.add_stage(Stage(ids[0], draw(name)))
    touchpoints = ids[1:4]
    for tp in touchpoints:
        journey.add_touchpoint(TouchPoint(tp, draw(name), ids[0], "web"))
    personas = ids[4:]
    for persona in personas:
        journey.add_persona(Persona(persona, draw(name)))
    score = st.none() | st.integers(1, 5) | st.floats(1, 5)
    for number in range(draw(st.integers(1, 4))):
        tags = draw(st.lists(tag, max_size=3))
        assert all(tag_problem(t) is None for t in tags)
        journey.add_observation(
            Observation(
                f"o{number}",
                draw(st.sampled_from(touchpoints)),
                draw(st.sampled_from(METHODS)),
                observer=draw(text),
                date=draw(st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1))),
                persona=draw(st.sampled_from([None, *personas])),
                expectation=draw(score),
                reality=draw(score),
                minimum=draw(score),
                emotion=draw(score),
                note=draw(text),
                quote=draw(text),
                tags=tags,
            )
        )
    return journey


FIELDS = ("touchpoint", "method", "observer", "date", "persona", "note", "quote", "tags",
          "expectation", "reality", "minimum", "emotion")  # fmt: skip


def assert_guarded(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not needs_guard(cell) or cell.startswith("'"), cell
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


@FUZZ
@given(journey=hostile_maps())
def test_csv_export_is_guarded_and_round_trips(folder, journey):
    text_out = observations_to_csv(journey)
    rows = list(csv.reader(io.StringIO(text_out, newline=""), strict=True))
    assert rows[0] == list(OBSERVATION_COLUMNS)
    assert len(rows) == len(journey.observations) + 1
    assert {len(row) for row in rows} == {len(OBSERVATION_COLUMNS)}
    assert_guarded(rows)
    path = folder / "export.csv"
    path.write_text(text_out, encoding="utf-8", newline="")
    again = observations_from_table(read_table(path), journey)
    for before, after in zip(journey.observations, again, strict=True):
        for field in FIELDS:
            assert getattr(after, field) == getattr(before, field), field


@FUZZ
@given(
    records=st.lists(
        st.fixed_dictionaries(
            {"name": text, "stage": text, "gap": st.none() | st.floats(-5, 5), "n": st.integers()}
        ),
        max_size=4,
    )
)
def test_gaps_csv_is_guarded_and_reads_back(records):
    columns = ["name", "stage", "gap", "n"]
    out = csv_text(records, columns)
    rows = list(csv.reader(io.StringIO(out, newline=""), strict=True))
    assert len(rows) == len(records) + 1
    assert_guarded([row[:2] for row in rows])
    for record, row in zip(records, rows[1:], strict=True):
        assert [unguard_cell(c) for c in row[:2]] == [record["name"], record["stage"]]
        assert row[3] == str(record["n"])
