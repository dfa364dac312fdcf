"""Observations from CSV and XLSX, observations to CSV, and GraphML."""

from __future__ import annotations

import csv
import datetime as dt
import io

import networkx as nx
import pytest

from journeymap.fileio import load_map
from journeymap.interop import graphml
from journeymap.interop.errors import ImportProblemError
from journeymap.interop.observationtable import (
    add_observations,
    observations_from_table,
    observations_to_csv,
    unknown_column_warnings,
)
from journeymap.interop.tables import OBSERVATION_COLUMNS, read_table

GOOD = """touchpoint,method,observer,date,expectation,reality,minimum,emotion,note,quote,persona,tags
t-desk,shadowing,Jo,2026-10-12,5,2,3,2,"Sent from one desk to the other, twice","Circulation? Reference?",p-student,jargon; desk
Find the entrance,service-safari,Ana,2026-10-13,4,3,,,,,Retired reader,
t-kiosk,Survey,,,,4,,,Reality only,,,
"""  # noqa: E501


def write(tmp_path, text: str, name: str = "obs.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_a_good_file_imports_every_row(tmp_path, small_map):
    table = read_table(write(tmp_path, GOOD))
    new = observations_from_table(table, small_map)
    assert [o.touchpoint for o in new] == ["t-desk", "t-sign", "t-kiosk"]
    first, second, third = new
    assert (first.method, first.observer, first.date) == ("shadowing", "Jo", dt.date(2026, 10, 12))
    assert (first.expectation, first.reality, first.minimum, first.emotion) == (5, 2, 3, 2)
    assert first.note == "Sent from one desk to the other, twice"
    assert first.persona == "p-student" and first.tags == ["jargon", "desk"]
    assert second.persona == "p-senior"  # by name
    assert (third.method, third.expectation, third.reality) == ("survey", None, 4)
    assert len({o.id for o in new} | {o.id for o in small_map.observations}) == 12
    assert add_observations(small_map, new) == 3
    assert [o.id for o in small_map.observations_for("t-kiosk")][-1] == third.id


def test_bad_rows_are_all_reported_and_nothing_changes(tmp_path, small_map):
    text = (
        "touchpoint,method,date,expectation,reality,persona\n"
        "t-desk,shadowing,2026-10-01,4,2,\n"  # line 2: fine
        "t-moon,shadowing,2026-10-01,4,2,\n"  # line 3: unknown touch point
        '"t-desk",shadowing,"01/10/2026",4,2,\n'  # line 4: bad date
        't-desk,shadowing,2026-10-01,4,"9",\n'  # line 5: outside the scale
        'Ask at the desk,"shadowing\nand more",2026-10-01,4,2,\n'  # lines 6-7: bad method
        "t-desk,shadowing,2026-10-01,four,2,Astronaut\n"  # line 8: two problems
    )
    table = read_table(write(tmp_path, text))
    with pytest.raises(ImportProblemError) as info:
        observations_from_table(table, small_map)
    lines = str(info.value).splitlines()
    assert all(line.startswith(f"{tmp_path / 'obs.csv'}:") for line in lines)
    assert [line.split(":")[1] for line in lines] == ["3", "4", "5", "6", "8", "8"]
    assert "unknown touch point 't-moon'" in lines[0]
    assert "bad date '01/10/2026'" in lines[1]
    assert "reality 9 is outside the scale 1-5" in lines[2]
    assert "unknown method" in lines[3]
    assert {"unknown persona 'Astronaut'", "expectation 'four' is not a number"} == {
        line.split(": ", 1)[1] for line in lines[4:]
    }
    assert len(small_map.observations) == 9


def test_bom_semicolons_and_quoted_newlines(tmp_path, small_map):
    text = (
        "touchpoint;method;expectation;reality;note\n"
        't-desk;shadowing;4,5;2;"Line one;\nline two"\n'
        "t-sign;shadowing;4;3;plain\n"
    )
    path = write(tmp_path, "\ufeff" + text)
    new = observations_from_table(read_table(path), small_map)
    assert new[0].note == "Line one;\nline two"
    assert new[0].expectation == 4.5  # a decimal comma
    assert new[1].touchpoint == "t-sign"


def test_line_numbers_count_quoted_newlines(tmp_path, small_map):
    text = 'touchpoint,method,note\nt-desk,shadowing,"a\nb\nc"\nt-nowhere,shadowing,x\n'
    with pytest.raises(ImportProblemError, match=r"obs.csv:5: unknown touch point"):
        observations_from_table(read_table(write(tmp_path, text)), small_map)


def test_headers_are_matched_loosely_and_unknown_columns_reported(tmp_path, small_map):
    text = "Touch Point,METHOD,Reality,Room\nt-desk,shadowing,3,B2\n"
    table = read_table(write(tmp_path, text))
    assert table.unknown == ["Room"]
    (warning,) = unknown_column_warnings(table)
    assert "'Room'" in warning and "not imported" in warning
    (obs,) = observations_from_table(table, small_map)
    assert obs.reality == 3


def test_missing_touchpoint_column_and_method(tmp_path, small_map):
    with pytest.raises(ImportProblemError, match="no 'touchpoint' column"):
        read_table(write(tmp_path, "where,method\nt-desk,shadowing\n"))
    table = read_table(write(tmp_path, "touchpoint,reality\nt-desk,3\n"))
    with pytest.raises(ImportProblemError, match="no 'method' column"):
        observations_from_table(table, small_map)
    (obs,) = observations_from_table(table, small_map, default_method="feedback")
    assert obs.method == "feedback"


def test_not_utf8_is_refused_with_advice(tmp_path):
    path = write(
        tmp_path, "touchpoint,method,note\nt-desk,shadowing,caf\u00e9\n", encoding="cp1252"
    )
    with pytest.raises(ImportProblemError, match=r"obs.csv:2: not UTF-8.*CSV UTF-8"):
        read_table(path)


def test_ambiguous_names_need_ids(tmp_path, small_map):
    small_map.update_touchpoint("t-kiosk", name="Ask at the desk")
    table = read_table(write(tmp_path, "touchpoint,method\nAsk at the desk,shadowing\n"))
    with pytest.raises(ImportProblemError, match="matches 2 touch points; use the id"):
        observations_from_table(table, small_map)


def test_xlsx_import(tmp_path, small_map):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["touchpoint", "method", "date", "expectation", "reality", "note", "tags"])
    sheet.append(["t-desk", "shadowing", dt.datetime(2026, 10, 2), 5, 1.5, "At the desk", "a;b"])
    sheet.append([None, None, None, None, None, None, None])
    sheet.append(["Catalogue kiosk", "interview", "2026-10-03", 4, 4, 12, None])
    sheet.append(["t-desk", "shadowing", "yesterday", 5, 7, None, None])
    path = tmp_path / "obs.xlsx"
    workbook.save(path)
    with pytest.raises(ImportProblemError) as info:
        observations_from_table(read_table(path), small_map)
    assert str(info.value).splitlines() == [
        f"{path}: sheet 'Sheet', cell C5: bad date 'yesterday'; write dates as YYYY-MM-DD",
        f"{path}: sheet 'Sheet', cell E5: reality 7 is outside the scale 1-5",
    ]
    sheet.delete_rows(5)
    workbook.save(path)
    first, second = observations_from_table(read_table(path), small_map)
    assert (first.date, first.reality, first.tags) == (dt.date(2026, 10, 2), 1.5, ["a", "b"])
    assert (second.touchpoint, second.note) == ("t-kiosk", "12")


def test_broken_xlsx(tmp_path):
    path = write(tmp_path, "not a zip", name="obs.xlsx")
    with pytest.raises(ImportProblemError, match=r"not a readable \.xlsx workbook"):
        read_table(path)


def test_csv_export_neutralises_formulas_and_reimports(tmp_path, small_map):
    small_map.update_observation("o1", note='=HYPERLINK("http://evil","x")', quote="+1 555")
    small_map.update_observation("o2", note="@SUM(A1)", quote="-so bad", tags=["+weird", "=w"])
    text = observations_to_csv(small_map)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(OBSERVATION_COLUMNS)
    assert rows[0]["note"].startswith("'=") and rows[0]["quote"] == "'+1 555"
    assert rows[1]["note"] == "'@SUM(A1)" and rows[1]["quote"] == "'-so bad"
    assert all(not v.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for v in r.values())
    # Our own export imports again with the text as it was.
    again = observations_from_table(read_table(write(tmp_path, text)), small_map)
    assert again[0].note == small_map.observation("o1").note
    assert again[1].quote == "-so bad"
    assert [(o.touchpoint, o.expectation, o.reality, o.date) for o in again] == [
        (o.touchpoint, o.expectation, o.reality, o.date) for o in small_map.observations
    ]


def test_graphml_round_trip_through_networkx(tmp_path, library_path):
    jm = load_map(library_path)
    path = tmp_path / "map.graphml"
    path.write_bytes(graphml.graphml_bytes(jm))
    graph = nx.read_graphml(path)
    assert isinstance(graph, nx.DiGraph)
    assert set(graph.nodes) == {t.id for t in jm.touchpoints}
    assert set(graph.edges) == {t.key for t in jm.transitions}
    desk = graph.nodes["t-desk"]
    assert desk["name"] == "Ask at the desk" and desk["stage"] == "s-find"
    assert desk["channel"] == "in-person" and desk["critical"] is True
    assert desk["n"] == 6 and desk["gap"] == pytest.approx(2.5)
    assert desk["expectation"] == pytest.approx(5.0) and desk["wide"] is True
    edge = graph.edges["t-selfcheck", "t-staffcheck"]
    assert edge == {"kind": "failure", "label": "machine refuses the card"}
    exported = graphml.export_graph(jm)
    for node, attributes in exported.nodes(data=True):
        assert graph.nodes[node] == attributes
