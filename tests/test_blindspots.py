"""Blind spots: service safari (staff) against shadowing (customers), worked out by hand."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from journeymap.charts.journeycharts import chart_size, draw_chart
from journeymap.fileio import save_map
from journeymap.model import JourneyMap, Observation, Persona, Scale, Stage, TouchPoint
from journeymap.model.analysis import ObservationFilter
from journeymap.model.comparisons import BLIND_SPOT_KEYS, blind_spot_margin, blind_spot_rows
from journeymap.render.report import blind_spot_html, intro_html
from tests.test_cli import assert_clean_failure, run

KEYS = ("touchpoint", "name", "stage", "safari_n", "safari_gap", "shadowing_n",
        "shadowing_gap", "difference", "blind_spot")  # fmt: skip
DAY, NEXT_DAY = dt.date(2026, 3, 1), dt.date(2026, 3, 2)


def make_map() -> JourneyMap:
    """Scale 1-5: the wide-gap threshold is 1, so a blind spot needs a difference >= 0.5.

    Touch points in file order, with the paired gaps (expectation - reality) of each method:

    t-a  Safari only   s-1  safari 1, 2 -> 1.5 (n 2); shadowing unpaired     -> no difference
    t-b  Shadow only   s-1  shadowing 3 (n 1), on the next day               -> no difference
    t-c  Blind         s-1  safari 0 (Student), 1 -> 0.5; shadowing 2, 1, 3 (Student) -> 2
                            difference 1.5: blind spot
    t-d  Agree         s-2  safari 2; shadowing 1             difference -1: not one
    t-e  Tie first     s-2  safari 2; shadowing 4.1 - 1.1 = 2.9999999999999996
                            difference 0.9999999999999996, a tie with t-f: blind spot
    t-f  Tie second    s-2  safari 0; shadowing 1             difference 1: blind spot
    t-g  Interview     s-2  interview only                    no row
    t-h  Edge          s-1  safari 1; shadowing 1.5           difference 0.5: blind spot (>=)
    t-i  Slight        s-2  safari 1; shadowing 1.25          difference 0.25: not one
    """
    jm = JourneyMap("Blind spot test", Scale(1, 5))
    jm.add_persona(Persona("p-stu", "Student"))
    jm.add_stage(Stage("s-1", "Arrive"))
    jm.add_stage(Stage("s-2", "Leave"))
    for tp, name, stage in [
        ("t-a", "Safari only", "s-1"), ("t-b", "Shadow only", "s-1"), ("t-c", "Blind", "s-1"),
        ("t-d", "Agree", "s-2"), ("t-e", "Tie first", "s-2"), ("t-f", "Tie second", "s-2"),
        ("t-g", "Interview", "s-2"), ("t-h", "Edge", "s-1"), ("t-i", "Slight", "s-2"),
    ]:  # fmt: skip
        jm.add_touchpoint(TouchPoint(tp, name, stage, "in-person"))
    safari, shadow = "service-safari", "shadowing"
    obs = [
        ("t-a", safari, 4, 3, DAY, None), ("t-a", safari, 5, 3, DAY, None),
        ("t-a", shadow, 4, None, DAY, None), ("t-a", "interview", 5, 1, DAY, None),
        ("t-b", shadow, 5, 2, NEXT_DAY, None),
        ("t-c", safari, 4, 4, DAY, "p-stu"), ("t-c", safari, 4, 3, DAY, None),
        ("t-c", shadow, 5, 3, DAY, None), ("t-c", shadow, 4, 3, DAY, None),
        ("t-c", shadow, 5, 2, DAY, "p-stu"),
        ("t-d", safari, 4, 2, DAY, None), ("t-d", shadow, 4, 3, DAY, None),
        ("t-e", safari, 4, 2, DAY, None), ("t-e", shadow, 4.1, 1.1, DAY, None),
        ("t-f", safari, 3, 3, DAY, None), ("t-f", shadow, 4, 3, DAY, None),
        ("t-g", "interview", 5, 1, DAY, None),
        ("t-h", safari, 4, 3, DAY, None), ("t-h", shadow, 5, 3.5, DAY, None),
        ("t-i", safari, 4, 3, DAY, None), ("t-i", shadow, 4, 2.75, DAY, None),
    ]  # fmt: skip
    for i, (tp, method, e, r, date, persona) in enumerate(obs):
        who = {safari: "Ana", shadow: "Ben"}.get(method, "Cy")
        jm.add_observation(Observation(f"o{i}", tp, method, who, date, persona, e, r))
    return jm


#: What `journeymap blindspots --format json` gives, worked out by hand (see make_map).
EXPECTED = [
    ["t-c", "Blind", "s-1", 2, 0.5, 3, 2.0, 1.5, True],
    ["t-e", "Tie first", "s-2", 1, 2.0, 1, 3.0, 1.0, True],
    ["t-f", "Tie second", "s-2", 1, 0.0, 1, 1.0, 1.0, True],
    ["t-h", "Edge", "s-1", 1, 1.0, 1, 1.5, 0.5, True],
    ["t-i", "Slight", "s-2", 1, 1.0, 1, 1.25, 0.25, False],
    ["t-d", "Agree", "s-2", 1, 2.0, 1, 1.0, -1.0, False],
    ["t-a", "Safari only", "s-1", 2, 1.5, 0, None, None, False],
    ["t-b", "Shadow only", "s-1", 0, None, 1, 3.0, None, False],
]


@pytest.fixture
def map_path(tmp_path) -> Path:
    path = tmp_path / "blind.journey.json"
    save_map(make_map(), path)
    return path


def test_rows_worked_out_by_hand():
    journey = make_map()
    assert blind_spot_margin(journey) == 0.5
    rows = blind_spot_rows(journey)
    assert BLIND_SPOT_KEYS == KEYS
    assert [r.touchpoint for r in rows] == [e[0] for e in EXPECTED]
    for row, expected in zip(rows, EXPECTED, strict=True):
        assert list(row[:4]) == expected[:4]
        for got, want in zip(row[4:8], expected[4:8], strict=True):
            assert got == (None if want is None else pytest.approx(want))
        assert row.blind_spot is expected[8]
    # The tie is real: without the 1e-9 rounding "Tie second" (exactly 1) would come first.
    tie_first, tie_second = rows[1], rows[2]
    assert tie_first.difference < tie_second.difference


def test_cli_json(map_path):
    result = run("blindspots", str(map_path), "--format", "json")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert all(list(r) == list(KEYS) for r in records)
    assert [list(r.values()) for r in records] == EXPECTED


def test_cli_csv(map_path):
    result = run("blindspots", str(map_path), "--format", "csv")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == ",".join(f'"{k}"' for k in KEYS)
    # Every cell quoted, as in the other CSV outputs; null is an empty cell.
    assert lines[1] == '"t-c","Blind","s-1","2","0.5","3","2.0","1.5","True"'
    assert lines[-1] == '"t-b","Shadow only","s-1","0","","1","3.0","","False"'
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert [r[0] for r in rows[1:]] == [e[0] for e in EXPECTED]


def test_cli_text(map_path):
    result = run("blindspots", str(map_path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Blind spot test: service safari (staff) against shadowing")
    assert ">= 0.50 wider; all observations" in lines[0]
    body = lines[3:]
    assert [line.split("  ")[0] for line in body] == [e[1] for e in EXPECTED]
    assert body[0].split() == ["Blind", "Arrive", "2", "+0.50", "3", "+2.00", "+1.50",
                               "BLIND", "SPOT"]  # fmt: skip
    assert body[5].split() == ["Agree", "Leave", "1", "+2.00", "1", "+1.00", "-1.00"]
    assert body[7].split() == ["Shadow", "only", "Arrive", "0", "-", "1", "+3.00", "-"]
    assert sum("BLIND SPOT" in line for line in body) == 4


def _json(path: Path, *options: str) -> list[dict]:
    result = run("blindspots", str(path), "--format", "json", *options)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_cli_filters(map_path):
    # Ana made every safari observation: no shadowing, no difference, file order.
    ana = _json(map_path, "--observer", "Ana")
    assert [(r["touchpoint"], r["safari_gap"], r["shadowing_n"], r["difference"]) for r in ana] == [
        ("t-a", 1.5, 0, None), ("t-c", 0.5, 0, None), ("t-d", 2.0, 0, None),
        ("t-e", 2.0, 0, None), ("t-f", 0.0, 0, None), ("t-h", 1.0, 0, None),
        ("t-i", 1.0, 0, None),
    ]  # fmt: skip
    # The persona by name: t-c's safari gap 0 and shadowing gap 3.
    assert _json(map_path, "--persona", "Student") == [
        dict(zip(KEYS, ["t-c", "Blind", "s-1", 1, 0.0, 1, 3.0, 3.0, True], strict=True))
    ]
    assert [r["touchpoint"] for r in _json(map_path, "--from", "2026-03-02")] == ["t-b"]
    before = _json(map_path, "--to", "2026-03-01", "--observer", "Ben")
    assert [(r["touchpoint"], r["shadowing_gap"]) for r in before] == [
        ("t-c", 2.0),
        ("t-d", 1.0),
        ("t-e", 3.0),
        ("t-f", 1.0),
        ("t-h", 1.5),
        ("t-i", 1.25),
    ]
    assert _json(map_path, "--observer", "Nobody") == []
    empty = run("blindspots", str(map_path), "--observer", "Nobody")
    assert "(no touch point has a paired service-safari or shadowing observation)" in empty.stdout


def test_cli_refuses_method_and_bad_input(map_path, tmp_path):
    result = run("blindspots", str(map_path), "--method", "shadowing")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "unrecognized arguments: --method" in result.stderr
    assert "--method" not in run("blindspots", "--help").stdout
    assert_clean_failure(run("blindspots", str(map_path), "--persona", "Pirate"),
                         f"{map_path}: unknown persona 'Pirate'")  # fmt: skip
    missing = tmp_path / "nowhere.journey.json"
    assert_clean_failure(run("blindspots", str(missing)), str(missing))


def test_cli_does_not_import_qt_or_matplotlib(map_path):
    code = (
        "import sys; from journeymap.cli import main; "
        f"main(['blindspots', {str(map_path)!r}, '--format', 'json']); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'matplotlib')), file=sys.stderr)"
    )
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "[]"


@pytest.mark.parametrize(
    "flt", [None, ObservationFilter(personas=frozenset({"p-stu"})),
            ObservationFilter(observers=frozenset({"Ben"}))]
)  # fmt: skip
def test_methods_chart_agrees_with_the_function(flt):
    journey = make_map()
    rows = blind_spot_rows(journey, flt)
    figure = draw_chart("methods", journey, flt)
    (axes,) = figure.axes
    # The chart reads along the journey: stage by stage, file order within a stage.
    order = [tp.id for tp in journey.journey_order()]
    charted = sorted(rows, key=lambda r: order.index(r.touchpoint))
    labels = [t.get_text() for t in axes.get_yticklabels()]
    assert labels == [r.name for r in charted]
    bars = [p.get_width() for p in axes.patches]
    assert bars[: len(charted)] == pytest.approx([r.safari_gap or 0 for r in charted])
    assert bars[len(charted) :] == pytest.approx([r.shadowing_gap or 0 for r in charted])
    marked = [charted[round(t.get_position()[1])].touchpoint for t in axes.texts
              if t.get_text() == "blind spot"]  # fmt: skip
    assert marked == [r.touchpoint for r in charted if r.blind_spot]
    assert chart_size("methods", journey, flt, 7.0)[1] == pytest.approx(
        min(9.0, max(3.2, 1.6 + 0.3 * len(rows)))
    )


def test_unfiltered_chart_marks_by_hand():
    (axes,) = draw_chart("methods", make_map()).axes
    labels = [t.get_text() for t in axes.get_yticklabels()]
    assert labels == ["Safari only", "Shadow only", "Blind", "Edge", "Agree", "Tie first",
                      "Tie second", "Slight"]  # fmt: skip
    marked = {labels[round(t.get_position()[1])] for t in axes.texts
              if t.get_text() == "blind spot"}  # fmt: skip
    assert marked == {"Blind", "Edge", "Tie first", "Tie second"}


def test_report_names_the_blind_spots():
    journey = make_map()
    sentence = blind_spot_html(journey, None)
    assert sentence in intro_html(journey, None)
    assert sentence.startswith(
        "<p>Blind spots: at 4 touch points staff on service safari saw "
        "a gap at least 0.50 smaller than the customers they shadowed: "
    )
    for name in ("Blind", "Tie first", "Tie second", "Edge"):
        assert f"<b>{name}</b>" in sentence
    assert "<b>Agree</b>" not in sentence and "<b>Safari only</b>" not in sentence
    assert "<b>Blind</b> (safari +0.50, shadowing +2.00)" in sentence
    # Ana's safari alone: nothing to compare, so nothing said.
    assert blind_spot_html(journey, ObservationFilter(observers=frozenset({"Ana"}))) == ""


def test_report_says_when_there_is_no_blind_spot():
    journey = JourneyMap("Agreed", Scale(1, 5))
    journey.add_stage(Stage("s-1", "Arrive"))
    journey.add_touchpoint(TouchPoint("t-1", "Door", "s-1", "signage"))
    journey.add_observation(Observation("o1", "t-1", "service-safari", expectation=4, reality=3))
    # 0.49 wider: under the margin of 0.5.
    journey.add_observation(Observation("o2", "t-1", "shadowing", expectation=4.49, reality=3))
    (row,) = blind_spot_rows(journey)
    assert row.difference == pytest.approx(0.49) and not row.blind_spot
    assert blind_spot_html(journey, None) == (
        "<p>No blind spot: at no touch point staff on service safari saw a gap at least "
        "0.50 smaller than the customers they shadowed.</p>"
    )


def test_report_names_five_and_counts_the_rest(library_path):
    from journeymap.fileio import load_map

    sentence = blind_spot_html(load_map(library_path), None)
    # The library: 8 blind spots, the five largest differences named.
    assert sentence.startswith("<p>Blind spots: at 8 touch points ")
    assert sentence.count("<b>") == 5
    assert sentence.index("Self-checkout machine") < sentence.index("Check out at the staff desk")
    assert "Ask at the desk" not in sentence  # 0.17 wider: under the margin
    assert sentence.endswith(" and 3 more (see the methods chart).</p>")


def test_methods_chart_shows_negative_gaps_whole():
    journey = JourneyMap("Delight", Scale(1, 5))
    journey.add_stage(Stage("s-1", "Arrive"))
    journey.add_touchpoint(TouchPoint("t-1", "Storytime", "s-1", "in-person"))
    journey.add_observation(Observation("o1", "t-1", "service-safari", expectation=2, reality=5))
    journey.add_observation(Observation("o2", "t-1", "shadowing", expectation=3, reality=4))
    (axes,) = draw_chart("methods", journey).axes
    assert axes.get_xlim()[0] < -3
