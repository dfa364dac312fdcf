"""Editing on the map and in Map ▸ Properties, driven by real keys and clicks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from journeymap.fileio import dumps
from journeymap.model import ModelError, Scale
from journeymap.ui.interactions import StageHeaderColumn

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def win(window, qtbot):
    """The window on the library sample, the map at 100% with the focus."""
    window.view.actual_size()
    window.activateWindow()
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    return window


def snapshot(window) -> str:
    return dumps(window.editor.journey)


def card_point(window, tp_id: str) -> QPoint:
    card = window.editor.scene.cards[tp_id]
    window.view.ensureVisible(card)
    return window.view.mapFromScene(card.sceneBoundingRect().center())


def header_point(window, stage_id: str) -> QPoint:
    column = window.editor.scene.columns[stage_id]
    window.view.ensureVisible(column.mapRectToScene(StageHeaderColumn.header_rect()))
    return window.view.mapFromScene(column.mapToScene(40, 20))


def select(window, *tp_ids: str) -> None:
    scene = window.editor.scene
    scene.clearSelection()
    for tp_id in tp_ids:
        scene.cards[tp_id].setSelected(True)


# ------------------------------------------------------------ properties


def open_properties(window):
    window.properties_action.trigger()
    dialog = window.properties_dialog
    assert dialog.isVisible()
    return dialog


def click_ok(qtbot, dialog) -> None:
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )


def test_properties_change_everything_as_one_undo_step(qtbot, win):
    journey = win.editor.journey
    before = snapshot(win)
    students = [o.id for o in journey.observations if o.persona == "p-student"]
    assert students
    dialog = open_properties(win)
    dialog.title.clear()
    qtbot.keyClicks(dialog.title, "Central library, autumn debrief")
    qtbot.keyClicks(dialog.description, "Service safari and shadowing, October")
    dialog.scale_max.setValue(7)
    # Rename one persona, give another a new goal, remove the students, add one.
    names = [dialog.personas.item(r, 0).text() for r in range(dialog.personas.rowCount())]
    dialog.personas.item(names.index("Retired reader"), 0).setText("Retired regular")
    dialog.personas.item(names.index("Newcomer to the city"), 1).setText("Join the library")
    dialog.personas.selectRow(names.index("Student"))
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    new_row = dialog.personas.rowCount() - 1
    dialog.personas.item(new_row, 0).setText("Teacher")
    dialog.personas.item(new_row, 1).setText("Bring a class")
    click_ok(qtbot, dialog)

    assert not dialog.isVisible()
    assert journey.title == "Central library, autumn debrief"
    assert journey.description == "Service safari and shadowing, October"
    assert journey.scale == Scale(1, 7)
    by_name = {p.name: p for p in journey.personas}
    assert set(by_name) == {"Parent with young children", "Newcomer to the city",
                            "Retired regular", "Teacher"}  # fmt: skip
    assert by_name["Newcomer to the city"].goal == "Join the library"
    assert by_name["Teacher"].goal == "Bring a class"
    # The removed persona's observations lost it, in the same step.
    assert all(journey.observation(o).persona is None for o in students)
    # The filter bar offers the new persona at once.
    offered = [win.filter_bar.persona.itemText(i) for i in range(win.filter_bar.persona.count())]
    assert "Teacher" in offered
    assert win.editor.undo_stack.count() == 1
    after = snapshot(win)
    assert '"description": "Service safari and shadowing, October"' in after

    qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)  # one Ctrl+Z undoes the whole dialog
    assert snapshot(win) == before
    assert journey.observation(students[0]).persona == "p-student"
    qtbot.keyClick(win.view, Qt.Key.Key_Y, CTRL)
    assert snapshot(win) == after


def test_properties_refuse_a_scale_that_leaves_scores_out(qtbot, win):
    before = snapshot(win)
    dialog = open_properties(win)
    dialog.title.setText("Changed too")
    dialog.scale_max.setValue(3)  # the sample has scores of 4 and 5
    click_ok(qtbot, dialog)
    assert dialog.isVisible()
    assert "out of range" in dialog.error.text()
    # Refused whole: not even the title changed, and nothing was pushed.
    assert snapshot(win) == before
    assert win.editor.undo_stack.count() == 0
    dialog.reject()


def test_properties_need_a_name_for_every_persona(qtbot, win):
    dialog = open_properties(win)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    dialog.personas.item(dialog.personas.rowCount() - 1, 0).setText("  ")
    click_ok(qtbot, dialog)
    assert dialog.isVisible() and "needs a name" in dialog.error.text()
    assert win.editor.undo_stack.count() == 0
    dialog.reject()


def test_ok_without_changes_pushes_nothing(qtbot, win):
    dialog = open_properties(win)
    click_ok(qtbot, dialog)
    assert not dialog.isVisible()
    assert win.editor.undo_stack.count() == 0


def test_the_map_kind_updates_through_the_generic_update(small_map):
    seen = []
    small_map.changed.connect(seen.append)
    old = small_map.update("map", None, title="T", description="D", scale=Scale(0, 10))
    assert old == {"title": "Small library", "description": "", "scale": Scale(1, 5)}
    assert [(c.kind, c.fields) for c in seen] == [("map", ("title", "description", "scale"))]
    with pytest.raises(ModelError, match="out of range"):
        small_map.update("map", None, title="X", scale=Scale(3, 4))
    assert small_map.title == "T"  # all or nothing
    with pytest.raises(ModelError, match="no field"):
        small_map.update("map", None, colour="red")
    small_map.update("map", None, description="")
    assert "description" not in small_map.extra


# -------------------------------------------------------- rename in place


def test_f2_renames_a_card_in_place_enter_commits_one_step(qtbot, win):
    journey = win.editor.journey
    select(win, "t-desk")
    qtbot.keyClick(win.view, Qt.Key.Key_F2)
    line = win.inplace.line
    assert line.isVisible() and line.hasFocus()
    assert line.text() == "Ask at the desk" and line.selectedText() == "Ask at the desk"
    # Over the card's name, not somewhere else on the screen.
    card = win.editor.scene.cards["t-desk"]
    assert line.geometry().contains(win.view.mapFromScene(card.mapToScene(30, 20)))
    qtbot.keyClicks(line, "Ask at the front desk")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert not line.isVisible()
    assert journey.touchpoint("t-desk").name == "Ask at the front desk"
    assert win.editor.undo_stack.count() == 1
    assert win.view.hasFocus()  # the arrows work again at once
    qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)
    assert journey.touchpoint("t-desk").name == "Ask at the desk"


def test_esc_cancels_the_rename(qtbot, win):
    select(win, "t-desk")
    qtbot.keyClick(win.view, Qt.Key.Key_F2)
    qtbot.keyClicks(win.inplace.line, "Something else")
    qtbot.keyClick(win.inplace.line, Qt.Key.Key_Escape)
    assert not win.inplace.line.isVisible()
    assert win.editor.journey.touchpoint("t-desk").name == "Ask at the desk"
    assert win.editor.undo_stack.count() == 0


def test_clicking_elsewhere_keeps_the_typed_name(qtbot, win):
    select(win, "t-desk")
    qtbot.keyClick(win.view, Qt.Key.Key_F2)
    qtbot.keyClicks(win.inplace.line, "The desk")
    QTest.mouseClick(win.view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert not win.inplace.line.isVisible()
    assert win.editor.journey.touchpoint("t-desk").name == "The desk"
    assert win.editor.undo_stack.count() == 1


def test_double_click_renames_a_card(qtbot, win):
    viewport = win.view.viewport()
    QTest.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=card_point(win, "t-entrance"))
    line = win.inplace.line
    assert line.isVisible() and line.text() == "Find the entrance"
    qtbot.keyClicks(line, "Find the door")
    qtbot.keyClick(line, Qt.Key.Key_Enter)
    assert win.editor.journey.touchpoint("t-entrance").name == "Find the door"
    assert win.editor.journey.touchpoint("t-entrance").position is None  # not dragged
    assert win.editor.undo_stack.count() == 1


def test_double_click_renames_a_stage_header_enter_commits_esc_cancels(qtbot, win):
    journey = win.editor.journey
    stage = journey.stages[1]
    viewport = win.view.viewport()
    QTest.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=header_point(win, stage.id))
    line = win.inplace.line
    assert line.isVisible() and line.text() == stage.name
    qtbot.keyClicks(line, "Nope")
    qtbot.keyClick(line, Qt.Key.Key_Escape)
    assert journey.stage(stage.id).name != "Nope"
    assert win.editor.undo_stack.count() == 0
    QTest.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=header_point(win, stage.id))
    qtbot.keyClicks(line, "Come in")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert journey.stage(stage.id).name == "Come in"
    assert win.editor.undo_stack.count() == 1
    assert win.editor.undo_stack.undoText() == "Rename stage"


def test_f2_on_a_selected_stage_header(qtbot, win):
    stage = win.editor.journey.stages[2]
    QTest.mouseClick(win.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=header_point(win, stage.id))  # fmt: skip
    assert win.editor.scene.selected_stages() == [stage.id]
    assert win.editor.scene.selected_touchpoints() == []
    qtbot.keyClick(win.view, Qt.Key.Key_F2)
    qtbot.keyClicks(win.inplace.line, "Look for it")
    qtbot.keyClick(win.inplace.line, Qt.Key.Key_Return)
    assert win.editor.journey.stage(stage.id).name == "Look for it"


def test_rename_stage_menu_needs_no_dialog_when_a_card_is_selected(qtbot, win, monkeypatch):
    from journeymap.ui import dialogs

    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: pytest.fail("asked for a name"))
    monkeypatch.setattr(dialogs, "ask_choice", lambda *a, **k: pytest.fail("asked for a stage"))
    select(win, "t-desk")
    win.rename_stage_action.trigger()
    stage = win.editor.journey.touchpoint("t-desk").stage
    assert win.inplace.target == ("stage", stage)
    qtbot.keyClick(win.inplace.line, Qt.Key.Key_Escape)


# ----------------------------------------------------------- the keyboard


def test_arrow_keys_move_between_cards(qtbot, win):
    scene = win.editor.scene
    journey = win.editor.journey

    def stage_of(tp_id):
        return journey.stage_index(journey.touchpoint(tp_id).stage)

    def press(key):
        qtbot.keyClick(win.view, key)
        return scene.selected_touchpoints()

    first = journey.journey_order()[0].id
    assert press(Qt.Key.Key_Right) == [first]  # nothing selected: the first card
    select(win, "t-entrance")
    column = scene._stage_cards(journey.touchpoint("t-entrance").stage)
    index = [c.tp_id for c in column].index("t-entrance")
    (below,) = press(Qt.Key.Key_Down)
    assert below == column[index + 1].tp_id
    assert press(Qt.Key.Key_Up) == ["t-entrance"]
    (right,) = press(Qt.Key.Key_Right)
    assert stage_of(right) == stage_of("t-entrance") + 1
    (back,) = press(Qt.Key.Key_Left)
    assert stage_of(back) == stage_of("t-entrance")
    # Up from the top card selects the stage's header; Down comes back.
    top = column[0].tp_id
    select(win, top)
    assert press(Qt.Key.Key_Up) == []
    assert scene.selected_stages() == [journey.touchpoint(top).stage]
    assert press(Qt.Key.Key_Down) == [top]
    # The selected card is in sight (the view follows the selection).
    card = scene.cards[top]
    assert (
        win.view.viewport()
        .rect()
        .contains(win.view.mapFromScene(card.sceneBoundingRect().center()))
    )


def test_enter_opens_the_card_name_in_the_inspector(qtbot, win):
    select(win, "t-desk")
    qtbot.keyClick(win.view, Qt.Key.Key_Return)
    name = win.inspector.name
    assert win.docks["inspector"].isVisible()
    assert name.hasFocus()
    assert name.text() == "Ask at the desk" and name.selectedText() == "Ask at the desk"


def test_ctrl_d_duplicates_the_selected_cards_below_them(qtbot, win):
    journey = win.editor.journey
    before = snapshot(win)
    count = len(journey.touchpoints)
    observations = len(journey.observations)
    select(win, "t-desk", "t-entrance")
    qtbot.keyClick(win.view, Qt.Key.Key_D, CTRL)
    assert len(journey.touchpoints) == count + 2
    assert len(journey.observations) == observations  # observations stay with the originals
    order = [tp.id for tp in journey.touchpoints]
    for original in ("t-desk", "t-entrance"):
        copy = journey.touchpoints[order.index(original) + 1]
        assert copy.name == f"{journey.touchpoint(original).name} (copy)"
        assert copy.stage == journey.touchpoint(original).stage
        assert journey.observations_for(copy.id) == ()
        # Drawn just below its original, in the same column.
        above = win.editor.scene.cards[original]
        below = win.editor.scene.cards[copy.id]
        assert below.x() == above.x() and below.y() > above.y()
    assert sorted(win.editor.scene.selected_touchpoints()) == sorted(order[i + 1] for i in (
        order.index("t-desk"), order.index("t-entrance")))  # fmt: skip
    assert win.editor.undo_stack.count() == 1
    qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)
    assert snapshot(win) == before


#: Standard keys as some platforms list them: each lacks one of the keys people use.
PLATFORM_KEYS = {
    "gnome": {"Redo": ["Ctrl+Shift+Z"], "ZoomIn": ["Ctrl++"]},
    "windows": {"Redo": ["Ctrl+Y"], "ZoomIn": ["Ctrl++"]},
}


@pytest.fixture(params=sorted(PLATFORM_KEYS))
def platform_keys(request, monkeypatch):
    """shortcuts.py sees a platform's standard-key lists (set up before the window)."""
    from PySide6.QtGui import QKeySequence

    from journeymap.ui import shortcuts

    listed = {
        getattr(QKeySequence.StandardKey, k): v for k, v in PLATFORM_KEYS[request.param].items()
    }
    real = QKeySequence.keyBindings

    class PlatformKeys(QKeySequence):
        @staticmethod
        def keyBindings(key):
            return [QKeySequence(s) for s in listed[key]] if key in listed else real(key)

    monkeypatch.setattr(shortcuts, "QKeySequence", PlatformKeys)
    return request.param


@pytest.mark.parametrize("key, modifiers", [(Qt.Key.Key_Y, CTRL), (Qt.Key.Key_Z, CTRL | SHIFT)])
def test_both_redo_keys_on_every_platform(qtbot, platform_keys, win, key, modifiers):
    journey = win.editor.journey
    win.editor.update_touchpoint("t-desk", name="Desk")
    qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)
    assert journey.touchpoint("t-desk").name == "Ask at the desk"
    qtbot.keyClick(win.view, key, modifiers)
    assert journey.touchpoint("t-desk").name == "Desk"


@pytest.mark.parametrize("key", [Qt.Key.Key_Equal, Qt.Key.Key_Plus])
def test_ctrl_equals_and_ctrl_plus_zoom_in(qtbot, platform_keys, win, key):
    zoom = win.view.zoom()
    qtbot.keyClick(win.view, key, CTRL)
    assert win.view.zoom() > zoom


def test_undo_button_keeps_its_width(qtbot, win):
    toolbar = win.findChild(type(win.filter_toolbar), "toolbar-main")
    undo = toolbar.widgetForAction(win.undo_tool_action)
    after_redo = toolbar.widgetForAction(win.add_tp_action)
    width, x = undo.width(), after_redo.x()
    assert not undo.isEnabled()
    win.editor.update_touchpoint("t-desk", name="A much longer name for the desk")
    win.editor.move_cards({"t-desk": {"position": (900.0, 400.0)}})
    assert "Move" in win.undo_action.text()  # the menu's label changed...
    qtbot.wait(1)  # let the toolbar lay itself out again
    assert undo.isEnabled()
    assert (undo.width(), after_redo.x()) == (width, x)  # ...the toolbar did not move
    assert undo.toolTip().startswith("Undo Move card")
    qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)
    assert win.editor.journey.touchpoint("t-desk").position is None
