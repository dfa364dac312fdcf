"""`journeymap import` and `journeymap export`, run as separate processes."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest

from journeymap.fileio import load_map, save_map
from tests.test_cli import assert_clean_failure, run
from tests.test_mermaid import DOCS_EXAMPLE


@pytest.fixture
def map_path(tmp_path, small_map):
    path = tmp_path / "small.journey.json"
    save_map(small_map, path)
    return path


def test_import_mermaid_then_export_it_again(tmp_path):
    source = tmp_path / "day.mmd"
    source.write_text(DOCS_EXAMPLE, encoding="utf-8")
    out = tmp_path / "day.journey.json"
    result = run("import", str(source), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "5 touch points" in result.stdout
    jm = load_map(out)
    assert [s.name for s in jm.stages] == ["Go to work", "Go home"]
    mmd = tmp_path / "again.mmd"
    assert run("export", str(out), "-o", str(mmd)).returncode == 0
    text = mmd.read_text(encoding="utf-8")
    assert "      Do work: 1: Me, Cat" in text.splitlines()


def test_bad_mermaid_names_file_and_line_and_writes_nothing(tmp_path):
    source = tmp_path / "bad.mmd"
    source.write_text("journey\nsection A\n  Make tea\n  Sit: x\n", encoding="utf-8")
    out = tmp_path / "out.journey.json"
    result = run("import", str(source), "-o", str(out))
    assert_clean_failure(
        result,
        f"{source}:3: task 'Make tea' has no score",
        f"{source}:4: score 'x' of task 'Sit' is not a number",
        "nothing was imported",
    )
    assert not out.exists()


def test_import_csv_into_a_map(tmp_path, map_path):
    table = tmp_path / "debrief.csv"
    table.write_text(
        "touchpoint,method,observer,expectation,reality,Room\n"
        "t-desk,shadowing,Jo,5,1,B2\n"
        "Catalogue kiosk,interview,Dev,4,3,B2\n",
        encoding="utf-8",
    )
    out = tmp_path / "merged.journey.json"
    result = run("import", str(table), "--into", str(map_path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "imported 2 observations" in result.stdout
    assert "column 'Room'" in result.stderr
    merged = load_map(out)
    assert len(merged.observations) == 11
    assert merged.observations[-1].observer == "Dev"


def test_a_bad_csv_changes_nothing(tmp_path, map_path):
    table = tmp_path / "debrief.csv"
    table.write_text(
        "touchpoint,method,reality\nt-desk,shadowing,1\nt-moon,shadowing,2\nt-desk,shadowing,8\n",
        encoding="utf-8",
    )
    before = map_path.read_bytes()
    result = run("import", str(table), "--into", str(map_path), "-o", str(map_path))
    assert_clean_failure(
        result,
        f"{table}:3: unknown touch point 't-moon'",
        f"{table}:4: reality 8 is outside the scale 1-5",
    )
    assert map_path.read_bytes() == before
    assert not (map_path.parent / (map_path.name + ".bak")).exists()


def test_max_size_sets_the_largest_file_an_import_reads(tmp_path, map_path):
    table = tmp_path / "debrief.csv"
    table.write_text("touchpoint,method,reality\n" + "t-desk,shadowing,3\n" * 20, encoding="utf-8")
    out = tmp_path / "merged.journey.json"
    args = ("import", str(table), "--into", str(map_path), "-o", str(out))
    size = table.stat().st_size
    assert_clean_failure(
        run(*args, "--max-size", "100"),
        f"the file is {size} bytes, over the limit of 100 bytes",
        "nothing was imported",
    )
    assert not out.exists()
    result = run(*args, "--max-size", "0.5kB")
    assert result.returncode == 0, result.stderr
    assert "imported 20 observations" in result.stdout
    # Mermaid journeys obey it too.
    source = tmp_path / "day.mmd"
    source.write_text(DOCS_EXAMPLE, encoding="utf-8")
    result = run("import", str(source), "-o", str(out), "--max-size", "10b")
    assert_clean_failure(result, "over the limit of 10 bytes")


def test_the_default_size_limit_is_100_mb_and_a_bad_size_is_a_usage_error(tmp_path, map_path):
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as handle:  # sparse: nothing is really written
        handle.truncate(100_000_001)
    out = tmp_path / "o.journey.json"
    args = ("import", str(huge), "--into", str(map_path), "-o", str(out))
    assert_clean_failure(run(*args), "is 100,000,001 bytes, over the limit of 100,000,000 bytes")
    for bad in ("lots", "-5MB", "0", "1TB"):
        result = run(*args, "--max-size", bad)
        assert result.returncode == 2, bad
        assert "--max-size" in result.stderr and "Traceback" not in result.stderr


def test_import_needs_into_for_tables_and_refuses_unknown_files(tmp_path, map_path):
    table = tmp_path / "t.csv"
    table.write_text("touchpoint,method\nt-desk,shadowing\n", encoding="utf-8")
    assert_clean_failure(
        run("import", str(table), "-o", str(tmp_path / "o.journey.json")), "--into"
    )
    odd = tmp_path / "notes.docx"
    odd.write_bytes(b"x")
    assert_clean_failure(
        run("import", str(odd), "-o", str(tmp_path / "o.journey.json")), "cannot import .docx"
    )


def test_export_csv_and_graphml(tmp_path, map_path):
    out = tmp_path / "obs.csv"
    assert run("export", str(map_path), "-o", str(out), "--method", "shadowing").returncode == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert {r["method"] for r in rows} == {"shadowing"} and len(rows) == 5
    graph_path = tmp_path / "map.graphml"
    assert run("export", str(map_path), "-o", str(graph_path)).returncode == 0
    graph = nx.read_graphml(graph_path)
    assert graph.nodes["t-sign"]["gap"] == 2.5
    assert "gap" not in graph.nodes["t-exit"]  # n = 0: GraphML has no null


def test_gaps_csv_matches_json(map_path):
    rows = list(csv.DictReader(io.StringIO(run("gaps", str(map_path), "--format", "csv").stdout)))
    records = json.loads(run("gaps", str(map_path), "--format", "json").stdout)
    assert [r["touchpoint"] for r in rows] == [r["touchpoint"] for r in records]


@pytest.mark.parametrize(
    "name, needle",
    [("map.docx", "unknown export format .docx"), ("map", "unknown export format (no suffix)"),
     ("map.txt", "unknown export format .txt")],
)  # fmt: skip
def test_export_unknown_format(tmp_path, map_path, name, needle):
    assert_clean_failure(run("export", str(map_path), "-o", str(tmp_path / name)), needle)
    assert not (tmp_path / name).exists()


def test_export_to_an_unwritable_place(tmp_path, map_path):
    out = tmp_path / "missing-folder" / "map.mmd"
    assert_clean_failure(run("export", str(map_path), "-o", str(out)), "cannot write")


def test_export_of_a_broken_map(tmp_path):
    broken = tmp_path / "broken.journey.json"
    broken.write_text("{", encoding="utf-8")
    out = tmp_path / "x.mmd"
    assert_clean_failure(run("export", str(broken), "-o", str(out)), f"{broken}: line 1")
    assert not out.exists()
