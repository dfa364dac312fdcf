"""Broken, huge and hostile tables: only the importer's error, bounded, nothing lost or injected."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pytest

from journeymap.fileio import JourneyFileError, dumps, load_map
from journeymap.fileio.spreadsheet import csv_text, needs_guard, safe_cell, unguard_cell
from journeymap.interop import observationtable, tables
from journeymap.interop.errors import MAX_LISTED, ImportProblemError, quoted
from journeymap.interop.observationtable import (
    observations_from_table,
    observations_to_csv,
    unknown_column_warnings,
)
from journeymap.interop.tables import read_table
from journeymap.model import ModelError

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def workbook_xml(sheets=("Obs",)) -> str:
    listed = "".join(
        f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(sheets, 1)
    )
    return f'<workbook xmlns="{MAIN}" xmlns:r="{DOC}"><sheets>{listed}</sheets></workbook>'


def write_xlsx(path, sheet_xml="", strings=None, sheets=("Obs",), parts=None):
    """A minimal workbook written by hand: one sheet (``sheet_xml`` is its sheetData)."""
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{DOC}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    rels += f'<Relationship Id="rS" Type="{DOC}/sharedStrings" Target="sharedStrings.xml"/>'
    contents = {
        "[Content_Types].xml": "<Types/>",
        "_rels/.rels": f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
        f'Type="{DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": workbook_xml(sheets),
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{RELS}">{rels}</Relationships>',
    }
    for i in range(1, len(sheets) + 1):
        contents[f"xl/worksheets/sheet{i}.xml"] = (
            f'<worksheet xmlns="{MAIN}"><sheetData>{sheet_xml}</sheetData></worksheet>'
        )
    if strings is not None:
        items = "".join(f"<si><t>{s}</t></si>" for s in strings)
        contents["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN}">{items}</sst>'
    contents.update(parts or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in contents.items():
            if text is not None:
                archive.writestr(name, text)
    return path


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER_ROW = '<row r="1">' + inline("A1", "touchpoint") + inline("B1", "method") + "</row>"


def data_row(number: int, touchpoint: str = "t-desk") -> str:
    return (
        f'<row r="{number}">'
        + inline(f"A{number}", touchpoint)
        + inline(f"B{number}", "shadowing")
        + "</row>"
    )


def problem_of(path, **options) -> str:
    with pytest.raises(ImportProblemError) as info:
        read_table(path, **options)
    return str(info.value)


# ---------------------------------------------------------------------------
# XLSX: every row, whatever the dimension; broken workbooks end in our error


def test_a_stale_dimension_drops_no_row(tmp_path, small_map):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["touchpoint", "method", "note"])
    for i in range(5):
        sheet.append(["t-desk", "shadowing", f"row {i}"])
    path = tmp_path / "stale.xlsx"
    book.save(path)
    # Tools that write XLSX by hand often leave <dimension> at the first row.
    with zipfile.ZipFile(path) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
    assert '<dimension ref="A1:C6" />' in sheet_xml
    parts["xl/worksheets/sheet1.xml"] = sheet_xml.replace('ref="A1:C6"', 'ref="A1:C2"').encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    new = observations_from_table(read_table(path), small_map)
    assert [o.note for o in new] == [f"row {i}" for i in range(5)]


def test_an_empty_workbook_is_a_clear_error(tmp_path):
    path = write_xlsx(tmp_path / "empty.xlsx", sheets=())
    assert "the workbook has no worksheets" in problem_of(path)


def test_a_truncated_or_scrambled_zip_is_our_error(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    for i in range(300):
        book.active.append(["t-desk", "shadowing", f"a long note number {i} " * 5])
    good = tmp_path / "good.xlsx"
    book.save(good)
    data = good.read_bytes()
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(data[: len(data) // 2])
    assert "not a readable .xlsx workbook" in problem_of(truncated)
    # Damage inside the sheet's compressed data: openpyxl's lazy rows raised
    # zlib.error or BadZipFile while the rows were iterated.
    with zipfile.ZipFile(good) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    middle = start + info.compress_size // 2
    scrambled = tmp_path / "scrambled.xlsx"
    scrambled.write_bytes(data[:middle] + bytes(b ^ 0x5A for b in data[middle : middle + 64])
                          + data[middle + 64 :])  # fmt: skip
    message = problem_of(scrambled)
    assert "sheet 'Sheet'" in message
    assert "damaged" in message or "not well-formed" in message


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (HEADER_ROW + '<row r="2"><c r="A2"><v>1', "not well-formed XML"),
        (HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>7</v></c></row>', "shared string '7'"),
        (HEADER_ROW + '<row r="2"><c r="B2"><v>abc</v></c></row>', "'abc' is not a number"),
        (HEADER_ROW + '<row r="2"><c r="B2" t="b"><v>x</v></c></row>', "not a true/false"),
        (HEADER_ROW + '<row r="x"><c r="B2"><v>1</v></c></row>', "bad row number 'x'"),
        (HEADER_ROW + '<row r="2"><c r="ZZZZ2"><v>1</v></c></row>', "bad cell reference"),
        (HEADER_ROW + '<row r="2"><c r="XFE2"><v>1</v></c></row>', "beyond column XFD"),
        (HEADER_ROW + '<row r="1"><c r="A1"><v>1</v></c></row>', "rows must be in order"),
        ('<row r="1"><c r="A1"><v>1</v></c><c r="A1"><v>2</v></c></row>', "appears twice"),
        ('<c r="A1"><v>1</v></c>', "a cell outside any row"),
    ],
)
def test_broken_sheets_name_the_sheet_and_cell(tmp_path, rows, expected):
    message = problem_of(write_xlsx(tmp_path / "broken.xlsx", rows, strings=["touchpoint"]))
    assert expected in message
    assert "sheet 'Obs'" in message


def test_a_dtd_is_refused_so_no_entity_expands(tmp_path):
    laughs = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    sheet = f'{laughs}<worksheet xmlns="{MAIN}"><sheetData>{HEADER_ROW}</sheetData></worksheet>'
    path = write_xlsx(tmp_path / "dtd.xlsx", parts={"xl/worksheets/sheet1.xml": sheet})
    assert "DTD" in problem_of(path)


def test_a_missing_sheet_part_is_named(tmp_path):
    path = write_xlsx(tmp_path / "gone.xlsx", HEADER_ROW, parts={"xl/worksheets/sheet1.xml": None})
    assert "the workbook has no part 'xl/worksheets/sheet1.xml'" in problem_of(path)


def test_the_observations_sheet_is_chosen_and_escapes_decoded(tmp_path, small_map):
    rows = HEADER_ROW.replace("method", "note") + (
        '<row r="2">' + inline("A2", "t-desk")
        + inline("B2", "one_x000D_two_x005F_x0041__xD83D__xDE00__xD800_")
    ) + "</row>"  # fmt: skip
    path = write_xlsx(tmp_path / "two.xlsx", rows, sheets=("Notes", "Observations"))
    table = read_table(path)
    assert table.sheet == "Observations"
    (obs,) = observations_from_table(table, small_map, default_method="interview")
    assert obs.note == "one\rtwo_x0041_\U0001f600\ufffd"


# ---------------------------------------------------------------------------
# Limits: far-away cells, huge cells, huge files, too many rows


def test_a_far_away_cell_is_read_by_its_cells_not_its_area(tmp_path):
    # openpyxl padded this to the whole sheet: 94 s of CPU for a 1.9 KB file.
    rows = HEADER_ROW + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    message = problem_of(write_xlsx(tmp_path / "far.xlsx", rows))
    assert "cell XFD1048576: a value beyond the header's last column (B)" in message
    # Alone, the far cell is a (useless) header; the table has no rows.
    alone = '<row r="1048576">' + inline("XFD1048576", "touchpoint") + "</row>"
    table = read_table(write_xlsx(tmp_path / "alone.xlsx", alone))
    assert table.rows == [] and len(table.header) == 16_384


def test_values_spread_thinly_over_a_huge_area_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "MAX_EMPTY_CELLS", 100_000)
    header = '<row r="1">' + inline("A1", "touchpoint") + inline("XFD1", "far") + "</row>"
    rows = "".join(
        f'<row r="{n}">' + inline(f"A{n}", "t-desk") + inline(f"XFD{n}", "x") + "</row>"
        for n in range(2, 40)
    )
    message = problem_of(write_xlsx(tmp_path / "thin.xlsx", header + rows))
    assert "spreads its values over more than 100,000 empty cells" in message


def test_a_cell_over_excels_limit_is_refused_without_echoing_it(tmp_path):
    huge = "A" * 40_000
    csv_path = tmp_path / "long.csv"
    csv_path.write_text(f"touchpoint,method,note\nt-desk,shadowing,{huge}\n", encoding="utf-8")
    message = problem_of(csv_path)
    assert f"{csv_path}:2: cell 3 has 40,000 characters; a cell holds at most 32,767" in message
    assert len(message) < 500
    for where, strings, rows in [
        ("shared", ["touchpoint", huge], '<row r="2"><c r="A2" t="s"><v>1</v></c></row>'),
        ("inline", None, '<row r="2">' + inline("A2", huge) + "</row>"),
    ]:
        path = write_xlsx(tmp_path / f"{where}.xlsx", HEADER_ROW + rows, strings=strings)
        message = problem_of(path)
        assert "sheet 'Obs', cell A2: the text has 40,000 characters" in message
        assert len(message) < 500


def test_files_and_unpacked_xml_over_the_size_limit_are_refused(tmp_path):
    csv_path = tmp_path / "big.csv"
    csv_path.write_text("touchpoint,method\n" + "t-desk,shadowing\n" * 100, encoding="utf-8")
    assert "over the limit of 1,000 bytes" in problem_of(csv_path, max_bytes=1000)
    assert len(read_table(csv_path, max_bytes=10_000).rows) == 100
    # A shared string that unpacks to 2 MB from a file of a few kilobytes.
    path = write_xlsx(tmp_path / "bomb.xlsx", HEADER_ROW, strings=["x" * 2_000_000])
    assert path.stat().st_size < 20_000
    message = problem_of(path, max_bytes=1_000_000)
    assert "xl/sharedStrings.xml: the workbook's XML is at least" in message
    assert "unpacked, over the limit of 1.0 MB" in message
    assert "over the limit of 1,000 bytes" in problem_of(path, max_bytes=1000)


def test_a_zip_of_countless_parts_is_refused_before_it_is_listed(tmp_path, monkeypatch):
    from journeymap.interop import xlsxreader

    # A 90 MB zip of a million empty parts took 7 s and 590 MB just to list.
    monkeypatch.setattr(xlsxreader, "MAX_DIRECTORY", 2_000)
    extra = {f"junk/{i:04}": "" for i in range(100)}
    path = write_xlsx(tmp_path / "parts.xlsx", HEADER_ROW, parts=extra)
    assert "the zip's directory is" in problem_of(path)
    monkeypatch.setattr(xlsxreader, "MAX_DIRECTORY", 1_000_000)
    assert read_table(path).header == ["touchpoint", "method"]


def test_too_many_rows_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "MAX_ROWS", 3)
    path = tmp_path / "rows.csv"
    path.write_text("touchpoint,method\n" + "t-desk,shadowing\n" * 4, encoding="utf-8")
    assert f"{path}:5: the table has more than 3 rows" in problem_of(path)
    xlsx = write_xlsx(tmp_path / "rows.xlsx", HEADER_ROW + "".join(map(data_row, range(2, 6))))
    assert "sheet 'Obs', row 5: the table has more than 3 rows" in problem_of(xlsx)


def test_a_row_wider_than_excel_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "MAX_COLUMNS", 4)
    path = tmp_path / "wide.csv"
    path.write_text("touchpoint,method\nt-desk,shadowing,,,,,\n", encoding="utf-8")
    assert f"{path}:2: 7 cells; a row holds at most 4" in problem_of(path)
    # The csv module lists a whole row before it can be counted: a very long
    # line is refused before it is parsed.
    monkeypatch.setattr(tables, "MAX_LINE_CHARS", 20)
    path.write_text("touchpoint,method\nt-desk,shadowing," + "," * 30 + "\n", encoding="utf-8")
    assert f"{path}:2: the line has 48 characters, more than 20" in problem_of(path)


# ---------------------------------------------------------------------------
# Bounded messages


def test_many_bad_rows_list_fifty_then_count_the_rest(tmp_path, small_map):
    path = tmp_path / "bad.csv"
    path.write_text(
        "touchpoint,method\n" + "".join(f"t-nowhere-{i},shadowing\n" for i in range(1000)),
        encoding="utf-8",
    )
    with pytest.raises(ImportProblemError) as info:
        observations_from_table(read_table(path), small_map)
    lines = str(info.value).splitlines()
    assert len(lines) == MAX_LISTED + 1
    assert lines[0] == f"{path}:2: unknown touch point 't-nowhere-0'"
    assert lines[-1] == f"{path}: … and 950 more problems"
    assert info.value.total == 1000
    # Reading problems are bounded the same way.
    xlsx_rows = HEADER_ROW + "".join(
        f'<row r="{n}"><c r="A{n}" t="s"><v>9</v></c></row>' for n in range(2, 202)
    )
    message = problem_of(write_xlsx(tmp_path / "bad.xlsx", xlsx_rows, strings=["touchpoint"]))
    assert message.splitlines()[-1].endswith("… and 150 more problems")


def test_a_long_value_is_cut_to_eighty_characters(tmp_path, small_map):
    name = "Z" * 500
    path = tmp_path / "long.csv"
    path.write_text(f"touchpoint,method,persona\n{name},interview,{name}\n", encoding="utf-8")
    with pytest.raises(ImportProblemError) as info:
        observations_from_table(read_table(path), small_map)
    cut = "'" + "Z" * 77 + "…'"  # 80 characters, quotes included
    assert str(info.value).splitlines() == [
        f"{path}:2: unknown touch point {cut}",
        f"{path}:2: unknown persona {cut}",
    ]
    assert quoted("x" * 78) == "'" + "x" * 78 + "'"
    assert len(quoted("\x01" * 500)) == 80


def test_unknown_columns_warn_fifty_at_most(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(
        "touchpoint," + ",".join(f"c{i}" for i in range(120)) + "\nt-desk\n", encoding="utf-8"
    )
    warnings = unknown_column_warnings(read_table(path))
    assert len(warnings) == MAX_LISTED + 1
    assert warnings[-1] == f"{path}: … and 70 more columns not imported"


# ---------------------------------------------------------------------------
# CSV exports carry no code; imports undo exactly the guard

INJECTION = "Queue was long\r=cmd|' /C calc'!A0"


def test_a_carriage_return_cannot_start_a_formula_row(tmp_path, small_map):
    small_map.update_observation("o1", note=INJECTION)
    text = observations_to_csv(small_map)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == len(small_map.observations) + 1
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert rows[1][8] == "'" + INJECTION
    # Every record starts with a quote: no line a spreadsheet reads starts a formula.
    assert all(line.startswith('"') for line in text.split("\n") if line)
    path = tmp_path / "o.csv"
    path.write_text(text, encoding="utf-8", newline="")
    again = observations_from_table(read_table(path), small_map)
    assert again[0].note == INJECTION


def test_gaps_csv_quotes_every_cell_and_guards_names():
    records = [{"rank": 1, "name": INJECTION, "gap": -1.5, "note": "x;=1+1"}]
    text = csv_text(records, ["rank", "name", "gap", "note"])
    assert text.splitlines()[0] == '"rank","name","gap","note"'
    assert '"x;=1+1"' in text
    (row,) = list(csv.DictReader(io.StringIO(text, newline="")))
    assert row == {"rank": "1", "name": "'" + INJECTION, "gap": "-1.5", "note": "x;=1+1"}


HOSTILE = [
    "'", "''", "'x", "''=1", "'=1", "=1+1", "+", "-so bad", "@SUM(A1)", "\t", "\tx", "\r",
    "\rx", "\r\n", "x\r=1", "x\n+1", "x\u2028@y", "x\x0b-1", " lead", "trail ", "  ", "a;b",
    "x;=1+1", '"', '""', 'say "hi"', ",", "a,b", "\x00", "\ufeff", "=", "é\r\n=é", "x\n",
]  # fmt: skip


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_round_trips(tmp_path, small_map, value):
    small_map.update_observation("o1", note=value, quote=value, observer=value)
    text = observations_to_csv(small_map)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert all(not needs_guard(cell) or cell.startswith("'") for row in rows for cell in row)
    path = tmp_path / "o.csv"
    path.write_text(text, encoding="utf-8", newline="")
    first = observations_from_table(read_table(path), small_map)[0]
    assert (first.note, first.quote, first.observer) == (value, value, value)


@pytest.mark.parametrize("value", HOSTILE)
def test_the_guard_is_undone_exactly(value):
    assert unguard_cell(safe_cell(value)) == value
    assert safe_cell(-1.5) == -1.5


def test_a_user_apostrophe_is_kept(tmp_path, small_map):
    path = tmp_path / "own.csv"
    path.write_text(
        "touchpoint,method,note\nt-desk,shadowing,'quoted\nt-desk,shadowing,'=1\n",
        encoding="utf-8",
    )
    first, second = observations_from_table(read_table(path), small_map)
    assert (first.note, second.note) == ("'quoted", "=1")


def test_what_the_model_refuses_is_a_problem_of_the_row(tmp_path, small_map, monkeypatch):
    # Any rule the model adds later reaches the user with a place, never as a ModelError.
    refuse = lambda obs, *rest: [("tags[0]", "not allowed here")]  # noqa: E731
    monkeypatch.setattr(observationtable, "observation_problems", refuse)
    path = tmp_path / "o.csv"
    path.write_text("touchpoint,method,tags\nt-desk,interview,x\n", encoding="utf-8")
    with pytest.raises(ImportProblemError, match=r"o\.csv:2: tags\[0\]: not allowed here"):
        observations_from_table(read_table(path), small_map)


@pytest.mark.parametrize(
    ("tag", "why"),
    [("a;b", "holds ';'"), (" lead", "starts or ends with a space"), ("trail ", "space"),
     ("", "must not be empty"), ("  ", "must not be empty")],
)  # fmt: skip
def test_tags_a_table_cannot_hold_are_refused_by_the_model(tmp_path, small_map, tag, why):
    with pytest.raises(ModelError, match=rf"tags\[1\]: .*{re.escape(why)}"):
        small_map.update_observation("o1", tags=["fine", tag])
    assert small_map.observation("o1").tags != ["fine", tag]
    # A file that holds one is refused at the tag's place.
    path = tmp_path / "m.journey.json"
    data = json.loads(dumps(small_map))
    data["observations"][0]["tags"] = ["fine", tag]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(JourneyFileError, match=r"observations\[0\]\.tags\[1\]"):
        load_map(path)
    # And an export never splits one that got in behind the model's back.
    small_map.observation("o1").tags = ["fine", tag]
    with pytest.raises(ValueError, match=r"observation 'o1': tag"):
        observations_to_csv(small_map)


def test_tags_round_trip(tmp_path, small_map):
    tags = ["=x", "'y", "a b", "\u00e9\u2028\u00e9", "+", "x\n=y"]
    small_map.update_observation("o1", tags=tags)
    path = tmp_path / "o.csv"
    path.write_text(observations_to_csv(small_map), encoding="utf-8", newline="")
    assert observations_from_table(read_table(path), small_map)[0].tags == tags
