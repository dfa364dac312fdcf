"""Actions, stoplight rules, Service Matrix ideas and the map's tone list
(format version 2): the upgrade from version 1, reading errors with their
places, undo of every edit, and removal with a touch point."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from unittest import mock

import pytest

from journeymap.fileio import MapLoadError, dumps, fastpath, jsonformat, load_map, loads, save_map
from journeymap.fileio.errors import Problem
from journeymap.model import Action, Idea, ModelError, Rule, ToneTerm
from journeymap.resources import resource_path
from tests.conftest import SAMPLES, make_small_map

NEW_ARRAYS = ("actions", "rules", "ideas", "tone")
MAPS = [*sorted(SAMPLES.glob("*.journey.json")),
        *sorted(Path(resource_path("templates")).glob("*.journey.json"))]  # fmt: skip


def as_version_1(doc: dict) -> dict:
    """The document as a version-1 file: no decisions, version 1."""
    old = {k: v for k, v in doc.items() if k not in NEW_ARRAYS}
    old["version"] = 1
    return old


def without_decisions(doc: dict) -> dict:
    return {**doc, "actions": [], "rules": [], "ideas": [], "tone": []}


# ----------------------------------------------------------------- the upgrade


def test_maps_are_shipped_as_version_2():
    assert len(MAPS) >= 7
    for path in MAPS:
        assert json.loads(path.read_text(encoding="utf-8"))["version"] == 2, path.name


@pytest.mark.parametrize("path", MAPS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_sample_and_template_upgrades_from_version_1(path, tmp_path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    old = tmp_path / "old.journey.json"
    old.write_text(json.dumps(as_version_1(doc)), encoding="utf-8")
    upgraded = load_map(old)
    # The same map, with no decisions (version 1 had none).
    expected = loads(json.dumps(without_decisions(doc)))
    assert upgraded == expected
    assert not (upgraded.actions or upgraded.rules or upgraded.ideas or upgraded.tone)
    save_map(upgraded, old)
    saved = json.loads(old.read_text(encoding="utf-8"))
    assert saved["version"] == 2
    assert saved["actions"] == saved["rules"] == saved["ideas"] == []
    assert "tone" not in saved  # optional: written only when the map has a list
    assert load_map(old) == expected


def test_the_test_map_upgrades_from_version_1():
    jm = make_small_map()
    doc = json.loads(dumps(jm))
    assert doc["version"] == 2
    doc = as_version_1(doc)
    doc["x-kept"] = {"a": [1]}  # an unknown key goes through the upgrade untouched
    upgraded = loads(json.dumps(doc))
    assert upgraded.extra == {"x-kept": {"a": [1]}}
    upgraded.extra.clear()
    assert upgraded == jm


def test_the_upgrade_step_only_adds_what_is_missing():
    from journeymap.fileio.versions import UPGRADES

    doc = {"format": "journeymap", "version": 1, "rules": "odd", "x": 1}
    assert UPGRADES[1](doc) == {
        "format": "journeymap", "version": 1, "rules": "odd", "x": 1,
        "actions": [], "ideas": [],
    }  # fmt: skip
    # What the step leaves odd, the reader reports with its place.
    with pytest.raises(MapLoadError) as info:
        loads(json.dumps({"format": "journeymap", "version": 1, "rules": "odd"}))
    assert info.value.problems == [Problem("rules", "must be an array, not the string 'odd'")]


# ------------------------------------------------------ reading, with places

DOC = {
    "format": "journeymap", "version": 2, "title": "Small",
    "stages": [{"id": "s-a", "name": "A"}],
    "touchpoints": [{"id": "t-a", "name": "A", "stage": "s-a"},
                    {"id": "t-b", "name": "B", "stage": "s-a"}],
    "actions": [
        {"id": "a-1", "touchpoint": "t-a", "kind": "stop", "text": "Stop it", "owner": "Ana",
         "due": "2026-11-01", "status": "doing", "x-note": [1, {"k": None}]},
        {"id": "a-2", "touchpoint": "t-b", "kind": "start", "text": "Start it"},
    ],
    "rules": [
        {"id": "r-1", "touchpoint": "t-a", "color": "red", "text": "ID needed", "intent": "i"},
        {"id": "r-2", "touchpoint": None, "color": "green", "text": "Quiet"},
    ],
    "ideas": [
        {"id": "i-1", "touchpoint": "t-b", "text": "Waive", "level": "extended",
         "scope": "individual"},
        {"id": "i-2", "touchpoint": None, "text": "Open late", "level": "innovative",
         "scope": "community"},
    ],
    "tone": [{"term": "OPAC", "kind": "jargon", "suggest": "catalogue"}],
}  # fmt: skip


def read_both_ways(doc: dict) -> list[Problem]:
    """The problems of ``doc``, checking the fast path and the careful reader agree."""
    fast = jsonformat.map_from_document(copy.deepcopy(doc))
    with mock.patch.object(fastpath, "records", lambda *a: None):
        careful = jsonformat.map_from_document(copy.deepcopy(doc))
    assert fast == careful
    return careful[1]


def test_a_sound_version_2_document_reads_and_round_trips():
    assert read_both_ways(DOC) == []
    jm = loads(json.dumps(DOC))
    assert jm.actions[0] == Action(
        "a-1", "t-a", "stop", "Stop it", "Ana", dt.date(2026, 11, 1), "doing",
        {"x-note": [1, {"k": None}]},
    )  # fmt: skip
    assert jm.actions[1].status == "proposed" and jm.actions[1].due is None
    assert jm.rules[1] == Rule("r-2", None, "green", "Quiet")
    assert jm.ideas[1] == Idea("i-2", None, "Open late", "innovative", "community")
    assert jm.tone == (ToneTerm("OPAC", "jargon", "catalogue"),)
    written = json.loads(dumps(jm))
    assert written["rules"][1] == {"id": "r-2", "touchpoint": None, "color": "green",
                                   "text": "Quiet"}  # fmt: skip
    assert written["actions"][1] == {"id": "a-2", "touchpoint": "t-b", "kind": "start",
                                     "text": "Start it", "status": "proposed"}  # fmt: skip
    assert written["actions"][0]["x-note"] == [1, {"k": None}]  # unknown keys kept
    assert loads(dumps(jm)) == jm


def test_a_rule_or_idea_without_a_touchpoint_key_holds_for_the_whole_map():
    doc = copy.deepcopy(DOC)
    del doc["rules"][0]["touchpoint"]
    del doc["ideas"][0]["touchpoint"]
    assert read_both_ways(doc) == []
    jm = loads(json.dumps(doc))
    assert jm.rules[0].touchpoint is None and jm.ideas[0].touchpoint is None


ERRORS = [
    ("actions", 0, {"touchpoint": "t-x"}, "actions[0].touchpoint",
     "unknown touch point 't-x'"),
    ("actions", 0, {"touchpoint": None}, "actions[0].touchpoint", "is missing"),
    ("actions", 0, {"kind": "later"}, "actions[0].kind",
     "unknown kind 'later'; expected one of start, stop, continue, improve"),
    ("actions", 1, {"status": "maybe"}, "actions[1].status",
     "unknown status 'maybe'; expected one of proposed, agreed, doing, done"),
    ("actions", 0, {"due": "2026-13-01"}, "actions[0].due",
     "must be a date written YYYY-MM-DD, not '2026-13-01'"),
    ("actions", 0, {"text": "  "}, "actions[0].text", "must not be empty"),
    ("actions", 0, {"owner": 7}, "actions[0].owner", "must be a string, not the number 7"),
    ("actions", 1, {"id": "a-1"}, "actions[1]", "duplicate action id 'a-1'"),
    ("rules", 0, {"color": "blue"}, "rules[0].color",
     "unknown color 'blue'; expected one of red, yellow, green"),
    ("rules", 1, {"touchpoint": "t-x"}, "rules[1].touchpoint", "unknown touch point 't-x'"),
    ("rules", 1, {"touchpoint": 3}, "rules[1].touchpoint",
     "must be a string or null, not the number 3"),
    ("rules", 0, {"text": None}, "rules[0].text", "is missing"),
    ("rules", 1, {"id": "r-1"}, "rules[1]", "duplicate rule id 'r-1'"),
    ("ideas", 0, {"level": "great"}, "ideas[0].level",
     "unknown level 'great'; expected one of standard, extended, innovative"),
    ("ideas", 1, {"scope": "world"}, "ideas[1].scope",
     "unknown scope 'world'; expected one of individual, service, community, leadership"),
    ("ideas", 0, {"touchpoint": "t-x"}, "ideas[0].touchpoint", "unknown touch point 't-x'"),
    ("ideas", 1, {"id": "i-1"}, "ideas[1]", "duplicate idea id 'i-1'"),
    ("tone", 0, {"kind": "rude"}, "tone[0].kind",
     "unknown kind 'rude'; expected one of jargon, prohibitive"),
    ("tone", 0, {"term": ""}, "tone[0].term", "must not be empty"),
    ("tone", 0, {"suggest": None}, "tone[0].suggest", "is missing"),
]  # fmt: skip


@pytest.mark.parametrize("array, index, changes, where, message", ERRORS)
def test_reading_errors_name_their_place(array, index, changes, where, message):
    doc = copy.deepcopy(DOC)
    doc[array][index].update(changes)
    assert read_both_ways(doc) == [Problem(where, message)]


def test_a_repeated_tone_term_is_reported():
    doc = copy.deepcopy(DOC)
    doc["tone"].append({"term": "OPAC", "kind": "jargon", "suggest": "the catalogue"})
    assert read_both_ways(doc) == [Problem("tone[1]", "duplicate tone term 'OPAC'")]


def test_the_file_names_itself_and_every_place(tmp_path):
    doc = copy.deepcopy(DOC)
    doc["actions"][0]["kind"] = "later"
    doc["ideas"][1]["scope"] = "world"
    path = tmp_path / "bad.journey.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(MapLoadError) as info:
        load_map(path)
    lines = str(info.value).splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{path}: actions[0].kind: unknown kind 'later'")
    assert lines[1].startswith(f"{path}: ideas[1].scope: unknown scope 'world'")


# ------------------------------------------------------------- the model


def test_the_model_refuses_what_the_file_would():
    jm = make_small_map()
    with pytest.raises(ModelError, match="touchpoint: unknown touch point 't-x'"):
        jm.add("action", Action("a-1", "t-x", "stop", "x"))
    jm.add("action", Action("a-1", "t-desk", "stop", "x"))
    with pytest.raises(ModelError, match="status: unknown status 'late'"):
        jm.update("action", "a-1", status="late")
    jm.add("rule", Rule("r-1", None, "red", "ID needed"))
    jm.update("rule", "r-1", touchpoint="t-desk")
    jm.update("rule", "r-1", touchpoint=None)
    with pytest.raises(ModelError, match="color: unknown color 'blue'"):
        jm.update("rule", "r-1", color="blue")
    with pytest.raises(ModelError, match="scope: unknown scope"):
        jm.add("idea", Idea("i-1", None, "x", "standard", "everyone"))
    assert jm.actions[0].status == "proposed" and jm.rules[0].color == "red"
    assert not jm.ideas


# -------------------------------------------------------- undo in the window


@pytest.fixture
def editor(qapp):
    from journeymap.ui.document.editor import MapEditor

    return MapEditor(make_small_map())


RECORDS = [
    ("action", Action("a-new", "t-desk", "stop", "Stop shouting"), "a-new",
     {"status": "agreed", "owner": "Jo", "due": dt.date(2026, 12, 1)}),
    ("rule", Rule("r-new", "t-desk", "yellow", "Fines block borrowing"), "r-new",
     {"color": "green", "intent": "Get the books back", "touchpoint": None}),
    ("idea", Idea("i-new", None, "Open late", "standard", "service"), "i-new",
     {"level": "innovative", "scope": "community", "touchpoint": "t-web"}),
    ("tone", ToneTerm("OPAC", "jargon", "catalogue"), "OPAC", {"suggest": "the catalogue"}),
]  # fmt: skip


@pytest.mark.parametrize("kind, record, key, changes", RECORDS, ids=[r[0] for r in RECORDS])
def test_add_update_and_remove_are_one_undo_step_each(editor, kind, record, key, changes):
    journey = editor.journey
    plural = journey.collection(kind).spec.plural
    original = make_small_map()
    editor.add(kind, record)
    added = loads(dumps(journey))
    editor.update(kind, key, changes)
    updated = loads(dumps(journey))
    for name, value in changes.items():
        assert getattr(journey.collection(kind).get(key), name) == value
    editor.remove(kind, key)
    assert getattr(journey, plural) == ()
    assert editor.undo_stack.count() == 3
    for expected in (updated, added, original):
        editor.undo_stack.undo()
        assert journey == expected
    for expected in (added, updated):
        editor.undo_stack.redo()
        assert journey == expected


def test_a_refused_edit_pushes_nothing(editor):
    editor.add("action", Action("a-1", "t-desk", "stop", "x"))
    with pytest.raises(ModelError):
        editor.update("action", "a-1", {"kind": "pause"})
    with pytest.raises(ModelError):
        editor.add("idea", Idea("i-1", "t-gone", "x", "standard", "service"))
    assert editor.undo_stack.count() == 1


# ------------------------------------------------ removal with a touch point


def decided_map():
    jm = make_small_map()
    for a in [
        Action("a-1", "t-desk", "stop", "Stop announcing fines"),
        Action("a-2", "t-sign", "start", "Start a street sign"),
        Action("a-3", "t-desk", "improve", "Improve the desk sign", "Jo"),
    ]:
        jm.add("action", a)
    jm.add("rule", Rule("r-1", None, "red", "Privacy"))
    jm.add("rule", Rule("r-2", "t-desk", "yellow", "Fines block borrowing"))
    jm.add("idea", Idea("i-1", "t-desk", "Waive a first fine", "extended", "individual"))
    jm.add("idea", Idea("i-2", "t-web", "Chat with a librarian", "standard", "service"))
    return jm


def test_removing_a_touch_point_removes_its_decisions_and_undo_restores_them(qapp):
    from journeymap.ui.document.editor import MapEditor

    editor = MapEditor(decided_map())
    journey = editor.journey
    editor.remove_touchpoints(["t-desk"])
    assert [a.id for a in journey.actions] == ["a-2"]
    assert [r.id for r in journey.rules] == ["r-1"]  # the map-wide rule stays
    assert [i.id for i in journey.ideas] == ["i-2"]
    assert editor.undo_stack.count() == 1
    editor.undo_stack.undo()
    # Everything back, in its place (a-2 between a-1 and a-3 again).
    assert journey == decided_map()
    assert [a.id for a in journey.actions] == ["a-1", "a-2", "a-3"]
    editor.undo_stack.redo()
    assert [a.id for a in journey.actions] == ["a-2"]


def test_removing_a_stage_takes_its_touch_points_decisions_too(qapp):
    from journeymap.ui.document.editor import MapEditor

    editor = MapEditor(decided_map())
    editor.remove_stage("s-find")  # t-desk and t-kiosk
    assert [a.id for a in editor.journey.actions] == ["a-2"]
    editor.undo_stack.undo()
    assert editor.journey == decided_map()


def test_a_touch_point_with_decisions_cannot_be_removed_alone():
    jm = make_small_map()
    jm.add("idea", Idea("i-1", "t-web", "Chat", "standard", "service"))
    with pytest.raises(ModelError, match="1 action"):
        jm.remove("touchpoint", "t-web")
    removed = jm.remove_touchpoint("t-web")
    assert removed.decisions == [("idea", 0, Idea("i-1", "t-web", "Chat", "standard", "service"))]
    jm.restore_touchpoint(removed)
    assert jm.ideas[0].touchpoint == "t-web"


def test_decisions_leave_the_gap_statistics_cached():
    from journeymap.model.analysis import statistics

    jm = make_small_map()
    stats = statistics(jm)
    desk = stats.touchpoint("t-desk")
    jm.add("action", Action("a-1", "t-desk", "stop", "x"))
    jm.add("rule", Rule("r-1", "t-desk", "red", "x"))
    jm.update("rule", "r-1", color="green")
    assert stats.touchpoint("t-desk") is desk
    jm.update("observation", "o4", reality=4)  # a score does change them
    assert stats.touchpoint("t-desk") is not desk


def test_the_window_follows_decision_edits_and_their_undo(window):
    """Every view hears the new kinds' changes without failing."""
    from PySide6.QtWidgets import QApplication

    editor = window.editor
    journey = editor.journey
    before = loads(dumps(journey))
    editor.add("action", Action("a-x", "t-desk", "start", "Start smiling"))
    editor.update("rule", "r-fines-block", {"color": "red"})
    editor.remove("idea", "i-power-cut")
    editor.add("tone", ToneTerm("Dewey", "jargon", "shelf numbers"))
    editor.remove_touchpoints(["t-fines"])
    QApplication.processEvents()
    assert not [r for r in journey.rules if r.touchpoint == "t-fines"]
    while editor.undo_stack.canUndo():
        editor.undo_stack.undo()
    QApplication.processEvents()
    assert journey == before
