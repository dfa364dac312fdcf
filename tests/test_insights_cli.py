"""``journeymap insights`` and the report's "Where to act", on a map worked out by hand."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from journeymap.fileio import save_map
from journeymap.model import JourneyMap, Observation, Scale, Stage, TouchPoint, Transition
from tests.test_cli import assert_clean_failure, run

DAY = dt.date(2026, 3, 1)
ROW_KEYS = ["rank", "touchpoint", "name", "stage", "reach", "gap", "priority", "unavoidable",
            "leaves"]  # fmt: skip
TOP_KEYS = ["entries", "exits", "unavoidable", "worst_path", "expected_gap", "lost",
            "touchpoints", "warnings"]  # fmt: skip


def make_map() -> JourneyMap:
    """Three stages; journey order Door, Poster | Kiosk, Desk | Way out.

          0.8         0.5
    Door ----> Kiosk ----> Way out        Door -> Desk: alternative, no share: 1 - 0.8 = 0.2
      \\          | 0.25       ^           Kiosk: 0.25 + 0.5 given, 0.25 leaves the journey
       \\-------> Desk -------/            Desk -> Kiosk: loop (left out)
                                         Way out -> Desk: back in journey order, closes a
    Poster: no transition (isolated)       cycle with Desk -> Way out: left out, a warning

    Gaps: Door 1 (safari, Ana), Kiosk 1 and 3 -> 2 (shadowing, Ben), Desk 3 (shadowing,
    Cy), Poster 1 (safari, Ana), Way out none.

    Reach: Door 1, Kiosk 0.8, Desk 0.2 + 0.8 x 0.25 = 0.4, Way out 0.8 x 0.5 + 0.4 = 0.8,
    Poster 0.  Leaves: Kiosk 0.8 x 0.25 = 0.2 = lost.
    Priority: Kiosk 1.6, Desk 1.2, Door 1.0, Poster 0.0, Way out null.
    Expected gap 1.6 + 1.2 + 1.0 + 0 = 3.8.  Unavoidable: Door, Way out.
    Worst path: Door, Kiosk, Desk, Way out: 1 + 2 + 3 = 6 (Door-Kiosk-Way out 3,
    Door-Desk-Way out 4).
    """
    jm = JourneyMap("Shares", Scale(1, 5))
    for sid, name in [("s-1", "Arrive"), ("s-2", "Borrow"), ("s-3", "Leave")]:
        jm.add_stage(Stage(sid, name))
    for tp, name, stage, critical in [
        ("t-door", "Door", "s-1", True), ("t-kiosk", "Kiosk", "s-2", False),
        ("t-desk", "Desk", "s-2", False), ("t-out", "Way out", "s-3", False),
        ("t-poster", "Poster", "s-1", False),
    ]:  # fmt: skip
        jm.add_touchpoint(TouchPoint(tp, name, stage, "in-person", critical=critical))
    for source, target, kind, share in [
        ("t-door", "t-kiosk", "main", 0.8), ("t-door", "t-desk", "alternative", None),
        ("t-kiosk", "t-desk", "failure", 0.25), ("t-kiosk", "t-out", "main", 0.5),
        ("t-desk", "t-out", "main", None), ("t-desk", "t-kiosk", "loop", None),
        ("t-out", "t-desk", "alternative", None),
    ]:  # fmt: skip
        jm.add_transition(Transition(source, target, "", kind, share=share))
    safari, shadow = "service-safari", "shadowing"
    for i, (tp, method, who, e, r) in enumerate([
        ("t-door", safari, "Ana", 4, 3), ("t-kiosk", shadow, "Ben", 4, 3),
        ("t-kiosk", shadow, "Ben", 5, 2), ("t-desk", shadow, "Cy", 5, 2),
        ("t-poster", safari, "Ana", 3, 2),
    ]):  # fmt: skip
        jm.add_observation(Observation(f"o{i}", tp, method, who, DAY, None, e, r))
    return jm


#: The touch point table, worked out by hand (see make_map).
ROWS = [
    [1, "t-kiosk", "Kiosk", "s-2", 0.8, 2.0, 1.6, False, 0.2],
    [2, "t-desk", "Desk", "s-2", 0.4, 3.0, 1.2, False, 0.0],
    [3, "t-door", "Door", "s-1", 1.0, 1.0, 1.0, True, 0.0],
    [4, "t-poster", "Poster", "s-1", 0.0, 1.0, 0.0, False, 0.0],
    [5, "t-out", "Way out", "s-3", 0.8, None, None, True, 0.0],
]


@pytest.fixture
def map_path(tmp_path) -> Path:
    path = tmp_path / "shares.journey.json"
    save_map(make_map(), path)
    return path


def _json(path: Path, *options: str) -> dict:
    result = run("insights", str(path), "--format", "json", *options)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _approx(values: list) -> list:
    return [pytest.approx(v) if isinstance(v, float) else v for v in values]


def test_json_worked_out_by_hand(map_path):
    out = _json(map_path)
    assert list(out) == TOP_KEYS
    assert out["entries"] == ["t-door"]
    assert out["exits"] == ["t-out"]
    assert out["unavoidable"] == ["t-door", "t-out"]
    assert list(out["worst_path"]) == ["touchpoints", "total_gap"]
    assert out["worst_path"]["touchpoints"] == ["t-door", "t-kiosk", "t-desk", "t-out"]
    assert out["worst_path"]["total_gap"] == pytest.approx(6.0)
    assert out["expected_gap"] == pytest.approx(3.8)
    assert out["lost"] == pytest.approx(0.2)
    assert all(list(r) == ROW_KEYS for r in out["touchpoints"])
    assert [list(r.values()) for r in out["touchpoints"]] == [_approx(r) for r in ROWS]
    warnings = out["warnings"]
    assert [list(w) for w in warnings] == [["kind", "transition", "message"],
                                           ["kind", "touchpoint", "message"]]  # fmt: skip
    assert [w["kind"] for w in warnings] == ["cycle", "isolated"]
    assert warnings[0]["transition"] == ["t-out", "t-desk"]
    assert warnings[1]["touchpoint"] == "t-poster"
    assert "Poster" in warnings[1]["message"]


def test_csv_is_the_touch_point_table(map_path):
    result = run("insights", str(map_path), "--format", "csv")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == ",".join(f'"{k}"' for k in ROW_KEYS)
    # Every cell quoted, as in the other CSV outputs; null is an empty cell.
    assert lines[1] == '"1","t-kiosk","Kiosk","s-2","0.8","2.0","1.6","False","0.2"'
    assert lines[-1] == '"5","t-out","Way out","s-3","0.8","","","True","0.0"'
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert [r[1] for r in rows[1:]] == [r[1] for r in ROWS]


def test_text_summary(map_path):
    result = run("insights", str(map_path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Shares: where to act (priority = reach x gap); all observations"
    assert lines[1:8] == [
        "Entries: Door",
        "Exits: Way out",
        "Worst path (total gap +6.00): Door -> Kiosk -> Desk -> Way out",
        "Expected gap: +3.80 (the gap a customer meets along the way, on average)",
        "Lost: 20.0% of customers leave the journey before an exit",
        "Unavoidable: Door, Way out",
        # Door carries the star; Way out is on every path but nobody marked it.
        "Unavoidable but not marked as a moment of truth: Way out",
    ]
    table = lines[11:16]
    assert [row.split()[:2] for row in table] == [
        ["1", "Kiosk"], ["2", "Desk"], ["3", "Door"], ["4", "Poster"], ["5", "Way"],
    ]  # fmt: skip
    assert table[0].split() == ["1", "Kiosk", "Borrow", "80.0%", "+2.00", "1.60", "20.0%"]
    assert table[2].endswith("unavoidable, moment of truth")
    assert table[4].split() == ["5", "Way", "out", "Leave", "80.0%", "-", "-", "0.0%",
                                "unavoidable"]  # fmt: skip
    assert lines[17] == "Warnings:"
    assert lines[18].startswith("  cycle: ") and lines[19].startswith("  isolated: ")


def test_filters(map_path):
    shadowing = _json(map_path, "--method", "shadowing")
    # Door and Poster lose their gaps: null priorities last, in file order.
    assert [r["touchpoint"] for r in shadowing["touchpoints"]] == [
        "t-kiosk", "t-desk", "t-door", "t-out", "t-poster"]  # fmt: skip
    assert shadowing["expected_gap"] == pytest.approx(2.8)
    assert shadowing["worst_path"] == {"touchpoints": ["t-door", "t-kiosk", "t-desk", "t-out"],
                                       "total_gap": pytest.approx(5.0)}  # fmt: skip
    safari = _json(map_path, "--method", "service-safari")
    assert [(r["touchpoint"], r["priority"]) for r in safari["touchpoints"]] == [
        ("t-door", 1.0), ("t-poster", 0.0), ("t-kiosk", None), ("t-desk", None),
        ("t-out", None),
    ]  # fmt: skip
    # Every path totals 1: the fewest touch points, then Kiosk before Desk in journey order.
    assert safari["worst_path"]["touchpoints"] == ["t-door", "t-kiosk", "t-out"]
    assert safari["expected_gap"] == pytest.approx(1.0)
    cy = _json(map_path, "--observer", "Cy")
    assert cy["worst_path"] == {"touchpoints": ["t-door", "t-desk", "t-out"],
                                "total_gap": pytest.approx(3.0)}  # fmt: skip
    # Reach and the map's shape do not depend on the filter.
    assert cy["lost"] == pytest.approx(0.2) and cy["unavoidable"] == ["t-door", "t-out"]
    assert_clean_failure(run("insights", str(map_path), "--persona", "Pirate"),
                         f"{map_path}: unknown persona 'Pirate'")  # fmt: skip


def test_reads_a_bundle_and_refuses_a_missing_file(map_path, tmp_path):
    bundle = tmp_path / "shares.zip"
    assert run("export", str(map_path), "-o", str(bundle)).returncode == 0
    assert _json(bundle) == _json(map_path)
    missing = tmp_path / "nowhere.journey.json"
    assert_clean_failure(run("insights", str(missing)), str(missing))
    bad = run("insights", str(map_path), "--format", "xml")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_imports_no_qt_matplotlib_or_scipy(map_path):
    code = (
        "import sys, contextlib, io; from journeymap.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    for fmt in ('json', 'csv', 'text'): main(['insights', {str(map_path)!r}, "
        "'--format', fmt])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'matplotlib', 'scipy')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# ---------------------------------------------------------------- the report


def test_report_where_to_act(map_path, tmp_path):
    html_path, pdf_path = tmp_path / "r.html", tmp_path / "r.pdf"
    assert run("report", str(map_path), "-o", str(html_path)).returncode == 0
    html = html_path.read_text(encoding="utf-8")
    section = html[html.index("<h2>Where to act</h2>") : html.index("<h2>The map</h2>")]
    items = section[section.index("<ol>") : section.index("</ol>")].split("<li>")[1:]
    # Poster's priority is 0 (no customer passes it): three places to act, highest first.
    assert len(items) == 3
    assert items[0] == (
        "<b>Kiosk</b> (Borrow): priority 1.60; 80% of customers pass it, a gap of +2.00 "
        # Gaps 1 and 3: sd sqrt 2, se 1, t(1 df) 12.706: 2 -/+ 12.71.
        "(95% interval -10.71 to +14.71).</li>\n"
    )
    assert "<b>Desk</b> (Borrow): priority 1.20; 40% of customers pass it" in items[1]
    assert "(no interval from a single observation)" in items[1]
    door = "<b>Door</b> (Arrive): priority 1.00; 100% of customers pass it (unavoidable)"
    assert door in items[2]
    assert ("The path that hurts most runs Door \u2192 Kiosk \u2192 Desk \u2192 Way out: "
            "a total gap of +6.00.") in section  # fmt: skip
    assert "Expected gap: +3.80" in section
    assert "Customers lost: 20% leave the journey before its end (20% at Kiosk)." in section

    assert run("report", str(map_path), "-o", str(pdf_path)).returncode == 0
    text = " ".join(page.extract_text() for page in PdfReader(pdf_path).pages)
    text = " ".join(text.split())
    assert "Where to act" in text
    assert "Kiosk (Borrow): priority 1.60" in text
    assert "a total gap of +6.00" in text and "Expected gap: +3.80" in text
    assert "Customers lost: 20%" in text


def test_report_without_shares_says_nothing_of_customers_lost(tmp_path, small_map):
    path = tmp_path / "small.journey.json"
    save_map(small_map, path)
    out = tmp_path / "r.html"
    assert run("report", str(path), "-o", str(out)).returncode == 0
    html = out.read_text(encoding="utf-8")
    assert "<h2>Where to act</h2>" in html
    assert "Customers lost" not in html
