"""The Actions dock and the cards' decision marks (issue 13, item 4).

On the small map (tests/conftest.py) with, by hand: at the desk two actions
(a-1 proposed, a-2 agreed) and two rules (green, then yellow: the strictest
is yellow); at the sign one action (doing) and a map-wide red rule (which
belongs to no card, so no card's dot is red because of it).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from journeymap.canvas.items import RULE_DOT_CENTRE, RULE_DOT_COLORS
from journeymap.model import Action, Rule


@pytest.fixture
def decided(window, small_map):
    jm = small_map
    jm.add("action", Action("a-1", "t-desk", "stop", "Stop announcing fines"))
    jm.add("action", Action("a-2", "t-desk", "start", "Greet", status="agreed"))
    jm.add("action", Action("a-3", "t-sign", "improve", "Bigger sign", status="doing"))
    jm.add("rule", Rule("r-1", "t-desk", "green", "Noise is fine"))
    jm.add("rule", Rule("r-2", "t-desk", "yellow", "Fines", "keep books coming back"))
    jm.add("rule", Rule("r-all", None, "red", "ID for a card"))
    window.editor.replace(jm, None)
    return window


def dock(window):
    return window.actions_dock


def select(window, tp_id: str | None) -> None:
    scene = window.editor.scene
    scene.clearSelection()
    if tp_id is not None:
        scene.cards[tp_id].setSelected(True)
    QApplication.processEvents()


def ids(window, kind: str) -> list[str]:
    return [r.id for r in dock(window).models[kind].rows]


def one_step(window, do, check_done, check_undone) -> None:
    stack = window.editor.undo_stack
    before = stack.count()
    do()
    assert stack.count() == before + 1
    assert check_done()
    stack.undo()
    assert check_undone()
    stack.redo()
    assert check_done()


def test_the_dock_follows_the_selection(decided):
    w = decided
    assert w.docks["actions"].objectName() == "dock-actions"
    assert ids(w, "action") == ["a-1", "a-2", "a-3"]
    assert ids(w, "rule") == ["r-1", "r-2", "r-all"]
    select(w, "t-desk")
    assert ids(w, "action") == ["a-1", "a-2"]
    assert ids(w, "rule") == ["r-1", "r-2"]
    assert dock(w).scope.text().startswith("At Ask at the desk")
    select(w, "t-sign")
    assert ids(w, "action") == ["a-3"]
    w.editor.scene.cards["t-desk"].setSelected(True)  # two cards: all of them
    QApplication.processEvents()
    assert ids(w, "action") == ["a-1", "a-2", "a-3"]
    model = dock(w).models["rule"]
    assert model.data(model.index(2, 0)) == "(whole map)"


def test_add_is_one_undo_step(decided):
    w, d = decided, dock(decided)
    jm = w.editor.journey
    d.tabs.setCurrentIndex(0)
    assert not d.add_button.isEnabled()  # an action needs one card
    select(w, "t-kiosk")
    assert d.add_button.isEnabled()
    added = []
    one_step(
        w,
        lambda: added.append(d.add_record()),
        lambda: (
            [a.touchpoint for a in jm.actions] == ["t-desk", "t-desk", "t-sign", "t-kiosk"]
            and ids(w, "action") == [added[0].id]
        ),
        lambda: ids(w, "action") == [] and len(jm.actions) == 3,
    )
    select(w, None)
    one_step(
        w,
        lambda: d.add_record("idea"),
        lambda: len(jm.ideas) == 1 and jm.ideas[0].touchpoint is None,
        lambda: len(jm.ideas) == 0,
    )


def test_inline_edit_is_one_undo_step(decided):
    w, d = decided, dock(decided)
    jm = w.editor.journey
    model = d.models["action"]
    text, due = (model.headings.index(h) for h in ("Action", "Due"))
    one_step(
        w,
        lambda: model.setData(model.index(1, text), "  Greet at the door "),
        lambda: jm.collection("action").get("a-2").text == "Greet at the door",
        lambda: jm.collection("action").get("a-2").text == "Greet",
    )
    assert model.data(model.index(1, text)) == "Greet at the door"
    assert model.setData(model.index(0, due), "2026-12-01")
    assert jm.collection("action").get("a-1").due == dt.date(2026, 12, 1)
    count = w.editor.undo_stack.count()
    assert not model.setData(model.index(0, due), "next week")  # refused, nothing pushed
    assert not model.setData(model.index(0, text), "   ")  # an action needs a text
    rules = d.models["rule"]
    assert not rules.setData(rules.index(0, 1), "blue")
    assert w.editor.undo_stack.count() == count


def test_status_change_and_delete_are_one_undo_step_each(decided):
    w, d = decided, dock(decided)
    jm = w.editor.journey
    table = d.tables["action"]
    table.selectRow(0)
    table.selectionModel().select(
        d.models["action"].index(2, 0),
        table.selectionModel().SelectionFlag.Select | table.selectionModel().SelectionFlag.Rows,
    )
    statuses = lambda: [a.status for a in jm.actions]  # noqa: E731
    one_step(
        w,
        lambda: d.set_status("done"),
        lambda: statuses() == ["done", "agreed", "done"],
        lambda: statuses() == ["proposed", "agreed", "doing"],
    )
    d.tabs.setCurrentIndex(1)
    d.tables["rule"].selectRow(1)
    one_step(
        w,
        d.delete_selected,
        lambda: [r.id for r in jm.rules] == ["r-1", "r-all"],
        lambda: [r.id for r in jm.rules] == ["r-1", "r-2", "r-all"],
    )


def card_pixel(window, tp_id: str) -> QColor:
    card = window.editor.scene.cards[tp_id]
    view = window.view
    view.centerOn(card)
    QApplication.processEvents()
    point = view.mapFromScene(card.mapToScene(RULE_DOT_CENTRE))
    return view.viewport().grab().toImage().pixelColor(point * view.devicePixelRatioF())


def test_stoplight_dot_follows_the_strictest_rule(decided):
    w = decided
    scene, editor = w.editor.scene, w.editor
    desk, sign, kiosk = (scene.cards[t] for t in ("t-desk", "t-sign", "t-kiosk"))
    assert (desk.rule_color, sign.rule_color, kiosk.rule_color) == ("yellow", None, None)
    assert card_pixel(w, "t-desk") == QColor(RULE_DOT_COLORS["yellow"])
    editor.update("rule", "r-1", {"color": "red"}, "Edit rule")
    assert desk.rule_color == "red"
    assert card_pixel(w, "t-desk") == QColor(RULE_DOT_COLORS["red"])
    editor.update("rule", "r-all", {"touchpoint": "t-kiosk"}, "Edit rule")
    assert kiosk.rule_color == "red"
    editor.remove("rule", "r-1")
    editor.remove("rule", "r-2")
    assert desk.rule_color is None
    assert card_pixel(w, "t-desk") != QColor(RULE_DOT_COLORS["red"])
    editor.undo_stack.undo()
    assert desk.rule_color == "yellow"


def test_counts_update(decided):
    w = decided
    scene, editor = w.editor.scene, w.editor
    desk, sign = scene.cards["t-desk"], scene.cards["t-sign"]
    assert desk.action_counts == {"proposed": 1, "agreed": 1}
    assert sign.action_counts == {"doing": 1}
    editor.update("action", "a-1", {"status": "agreed"})
    assert desk.action_counts == {"agreed": 2}
    assert "actions: 2 agreed" in desk.toolTip()
    editor.update("action", "a-3", {"touchpoint": "t-desk"})
    assert desk.action_counts == {"agreed": 2, "doing": 1}
    assert sign.action_counts == {}
    editor.undo_stack.undo()
    assert sign.action_counts == {"doing": 1}


def test_screenshots(decided, tmp_path):
    """Pictures to look at (JOURNEYMAP_SHOTS names a folder to keep them in)."""
    w = decided
    tmp_path = Path(os.environ.get("JOURNEYMAP_SHOTS", tmp_path))
    select(w, "t-desk")
    w.docks["actions"].raise_()
    QApplication.processEvents()
    w.docks["actions"].grab().save(str(tmp_path / "dock.png"))
    card = w.editor.scene.cards["t-desk"]
    view = w.view
    view.centerOn(card)
    QApplication.processEvents()
    rect = view.mapFromScene(card.sceneBoundingRect()).boundingRect().adjusted(-4, -4, 4, 4)
    view.viewport().grab(rect).save(str(tmp_path / "card.png"))
    assert (tmp_path / "dock.png").stat().st_size > 0
