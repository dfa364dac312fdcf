"""``journeymap report --kind actions|rules`` and the decisions in the debrief report."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from journeymap.fileio import load_map, save_map
from journeymap.render.report import write_report
from tests.test_cli import assert_clean_failure, run

# small_map's stages: Arrive (t-sign, t-web), Find (t-desk, t-kiosk), Leave (t-exit).
ACTIONS = [
    {"id": "a1", "touchpoint": "t-desk", "kind": "start", "text": "Greet at the door"},
    {"id": "a2", "touchpoint": "t-desk", "kind": "stop", "text": "Announce fines at the desk",
     "owner": "Desk lead", "due": "2026-12-01", "status": "agreed"},
    {"id": "a3", "touchpoint": "t-sign", "kind": "improve", "text": "Bigger entrance sign"},
    {"id": "a4", "touchpoint": "t-exit", "kind": "stop", "text": "Check bags at the exit"},
    {"id": "a5", "touchpoint": "t-kiosk", "kind": "continue", "text": "Keep the help card"},
]  # fmt: skip
RULES = [
    {"id": "r1", "touchpoint": "t-desk", "color": "yellow", "text": "Fines over 5 need a manager",
     "intent": "Keep waivers fair"},
    {"id": "r2", "touchpoint": None, "color": "green", "text": "Quiet voices <b>please</b>",
     "intent": "Let readers focus"},
    {"id": "r3", "touchpoint": "t-sign", "color": "red", "text": "Photo ID to register",
     "intent": "Protect the borrower's account"},
    {"id": "r4", "touchpoint": "t-kiosk", "color": "red",
     "text": "No food at the kiosk. No drinks either."},
]  # fmt: skip
IDEAS = [
    {"id": "i1", "touchpoint": "t-desk", "text": "Waive a first fine", "level": "extended",
     "scope": "individual"},
    {"id": "i2", "touchpoint": None, "text": "Open till 11 in a power cut",
     "level": "innovative", "scope": "community"},
]  # fmt: skip


def _write(path: Path, journey, **arrays) -> Path:
    save_map(journey, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(arrays)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def decided_path(tmp_path, small_map) -> Path:
    return _write(tmp_path / "decided.journey.json", small_map,
                  actions=ACTIONS, rules=RULES, ideas=IDEAS)  # fmt: skip


def _pdf_pages(path: Path) -> list[str]:
    # NFKC: the PDF's text has ligatures ("ﬁ" for "fi").
    pages = PdfReader(path).pages
    return [" ".join(unicodedata.normalize("NFKC", p.extract_text()).split()) for p in pages]


def _in_order(text: str, *needles: str) -> None:
    places = [text.index(n) for n in needles]
    assert places == sorted(places), list(zip(needles, places, strict=True))


# ----------------------------------------------------------------- action plan


def test_action_plan_html_puts_stop_doing_first_then_stages(tmp_path, decided_path):
    out = tmp_path / "plan.html"
    result = run("report", str(decided_path), "-o", str(out), "--kind", "actions")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{out}: action plan of {decided_path}"
    text = out.read_text(encoding="utf-8")
    # The stop-doing list, t-desk (a gap) before t-exit (no gap), then the stages in order.
    _in_order(text, ">Stop doing<", "Announce fines at the desk", "Check bags at the exit",
              "<h2>Arrive<", "Bigger entrance sign", "<h2>Find<")  # fmt: skip
    assert "<h2>Leave<" not in text  # t-exit has only a stop action: no stage table of its own
    stop_table = text[text.index(">Stop doing<") : text.index("<h2>Arrive<")]
    assert "Greet at the door" not in stop_table and "Desk lead" in stop_table
    assert "2026-12-01" in stop_table and "agreed" in stop_table
    find = text[text.index("<h2>Find<") :]
    assert "Greet at the door" in find and "Keep the help card" in find
    assert "Announce fines" not in find  # stop actions only in the stop-doing list
    assert "<h2>Action plan" not in text and "Widest gaps" not in text  # not the debrief
    assert "<img" not in text


def test_action_plan_pdf(tmp_path, decided_path):
    out = tmp_path / "plan.pdf"
    result = run("report", str(decided_path), "-o", str(out), "--kind", "actions")
    assert result.returncode == 0, result.stderr
    text = " ".join(_pdf_pages(out))
    assert "Small library" in text and "Action plan" in text
    _in_order(text, "Stop doing", "Announce fines at the desk", "Check bags at the exit",
              "Arrive Touch point", "Bigger entrance sign", "Find Touch point",
              "Greet at the door")  # fmt: skip


def test_long_action_plan_repeats_its_header_on_every_page(tmp_path, small_map):
    many = [{"id": f"s{i}", "touchpoint": "t-desk", "kind": "stop", "text": f"Habit number {i}"}
            for i in range(80)]  # fmt: skip
    path = _write(tmp_path / "many.journey.json", small_map, actions=many)
    out = tmp_path / "many.pdf"
    write_report(load_map(path), out, kind="actions")
    pages = _pdf_pages(out)
    assert len(pages) >= 2
    for page in pages:
        assert "What to stop" in page and "Owner" in page  # the table's header
    assert all(f"Habit number {i} " in " ".join(pages) + " " for i in range(80))


# ----------------------------------------------------------------------- rules


def test_rules_sheet_groups_red_yellow_green_with_intents(tmp_path, decided_path):
    out = tmp_path / "rules.html"
    result = run("report", str(decided_path), "-o", str(out), "--kind", "rules")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{out}: rules sheet of {decided_path}"
    text = out.read_text(encoding="utf-8")
    _in_order(text, "Red rules: nobody", "Photo ID to register",
              "Protect the borrower&#x27;s account", "Find the entrance",
              "No food at the kiosk", "Yellow rules: ask",
              "Fines over 5 need a manager", "Keep waivers fair", "Green rules: you may",
              "Quiet voices &lt;b&gt;please&lt;/b&gt;", "Let readers focus",
              "Whole map")  # fmt: skip
    assert "<b>please</b>" not in text
    red = text[text.index("Red rules: nobody") : text.index("Yellow rules: ask")]
    assert "not given" in red  # r4 has no intent, and the sheet says so


def test_rules_sheet_pdf(tmp_path, decided_path):
    out = tmp_path / "rules.pdf"
    result = run("report", str(decided_path), "-o", str(out), "--kind", "rules")
    assert result.returncode == 0, result.stderr
    text = " ".join(_pdf_pages(out))
    _in_order(text, "Rules for staff", "Red rules: nobody", "Photo ID to register",
              "Protect the borrower's account", "No food at the kiosk", "Yellow rules: ask",
              "Fines over 5 need a manager", "Keep waivers fair", "Green rules: you may",
              "Quiet voices <b>please</b>", "Let readers focus")  # fmt: skip


def test_a_colour_without_rules_has_no_heading(tmp_path, small_map):
    path = _write(tmp_path / "one.journey.json", small_map, rules=[RULES[0]])
    out = tmp_path / "one.html"
    write_report(load_map(path), out, kind="rules")
    text = out.read_text(encoding="utf-8")
    assert "<h2>Yellow rules" in text
    assert "<h2>Red rules" not in text and "<h2>Green rules" not in text


def test_reports_without_actions_or_rules_say_so(tmp_path, small_map):
    for kind, needle in (("actions", "No actions yet"), ("rules", "No rules yet")):
        out = tmp_path / f"{kind}.pdf"
        write_report(small_map, out, kind=kind)
        assert needle in " ".join(_pdf_pages(out))


# --------------------------------------------------------------------- debrief


def _cells(row_html: str) -> list[str]:
    return re.findall(r"<td[^>]*>(.*?)</td>", row_html)


def test_debrief_shows_the_decisions(tmp_path, decided_path):
    out = tmp_path / "debrief.html"
    result = run("report", str(decided_path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    _in_order(text, ">Charts<", ">Action plan<", ">Rules at the widest gaps<",
              ">Ideas on the Service Matrix<", ">Words that say")  # fmt: skip
    plan = text[text.index(">Action plan<") : text.index(">Rules at the widest gaps<")]
    # Stop doing first: both stop actions before any other kind.
    _in_order(plan, "Announce fines at the desk", "Check bags at the exit", "Bigger entrance sign")
    _in_order(plan, "Check bags at the exit", "Greet at the door")
    _in_order(plan, "Check bags at the exit", "Keep the help card")
    # Rules at the widest gaps: t-sign (2.50) first, then t-desk and t-kiosk (2.00);
    # the map-wide rule belongs to no gap.
    rules = text[text.index(">Rules at the widest gaps<") : text.index(">Ideas on the")]
    _in_order(rules, "+2.50", "Photo ID to register", "+2.00")
    assert "Quiet voices" not in rules and rules.count("+2.00") == 2
    # The matrix: levels down, scopes across.
    matrix = text[text.index(">Ideas on the Service Matrix<") : text.index(">Words that say")]
    rows = {_cells(r)[0]: _cells(r)[1:] for r in re.findall(r"<tr>(.*?)</tr>", matrix)[1:]}
    assert list(rows) == ["<b>Standard</b>", "<b>Extended</b>", "<b>Innovative</b>"]
    assert "Waive a first fine" in rows["<b>Extended</b>"][0]  # individual
    assert "Open till 11" in rows["<b>Innovative</b>"][2]  # community
    assert "Ask at the desk" in rows["<b>Extended</b>"][0]  # its touch point
    assert not any(rows["<b>Standard</b>"])
    tone = text[text.index(">Words that say") :]
    assert "No food at the kiosk" in tone and "rule text" in tone
    assert tone.count("No food at the kiosk") == 1 and "(2 times)" in tone  # one row a text


def test_debrief_pdf_shows_the_decisions(tmp_path, decided_path):
    out = tmp_path / "debrief.pdf"
    write_report(load_map(decided_path), out, map_path=decided_path)
    text = " ".join(_pdf_pages(out))
    _in_order(text, "Charts", "Action plan", "Announce fines at the desk",
              "Bigger entrance sign", "Rules at the widest gaps", "Photo ID to register",
              "Ideas on the Service Matrix", "Waive a first fine", "Words that say")  # fmt: skip


def test_debrief_without_decisions_leaves_them_out(tmp_path, small_map):
    out = tmp_path / "plain.html"
    write_report(small_map, out)
    text = out.read_text(encoding="utf-8")
    for heading in ("Action plan", "Rules at the widest gaps", "Service Matrix", "Words that"):
        assert heading not in text


def test_library_debrief_has_every_decision_section(tmp_path, library_path):
    out = tmp_path / "library.html"
    result = run("report", str(library_path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    for heading in ("Action plan", "Rules at the widest gaps", "Ideas on the Service Matrix",
                    "Words that say"):  # fmt: skip
        assert f">{heading}" in text, heading
    assert "Circulation" in text[text.index(">Words that say") :]


# ---------------------------------------------------------------------- errors


def test_report_kind_is_checked(tmp_path, library_path):
    out = tmp_path / "r.html"
    assert_clean_failure(run("report", str(library_path), "-o", str(out), "--kind", "minutes"),
                         "invalid choice: 'minutes'")  # fmt: skip
    assert not out.exists()
    with pytest.raises(ValueError, match="unknown report kind 'minutes'"):
        write_report(load_map(library_path), out, kind="minutes")
    assert not out.exists()
