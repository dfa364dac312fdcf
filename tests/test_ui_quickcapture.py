"""Quick capture in a live room, typed key by key as a facilitator would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QApplication

from tests.conftest import SAMPLES

Key = Qt.Key
NO = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


class Keyboard:
    """Keys go where a person's would: to the suggestion list while it shows,
    otherwise to the field with the cursor.  Counts every key that is not text."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.keys: list[str] = []

    def type(self, text: str) -> None:
        self.qtbot.keyClicks(QApplication.focusWidget(), text)

    def press(self, key: Key, modifiers: Qt.KeyboardModifier = NO) -> None:
        self.keys.append(key.name)
        target = QApplication.activePopupWidget() or QApplication.focusWidget()
        self.qtbot.keyClick(target, key, modifiers)


@pytest.fixture
def capture(qtbot, window):
    with qtbot.waitActive(window):
        window.activateWindow()
    window.focus_capture()
    return window.observations.capture


@pytest.fixture
def keyboard(qtbot) -> Keyboard:
    return Keyboard(qtbot)


def count(window) -> int:
    return len(window.editor.journey.observations)


def test_down_enter_on_the_suggestions_only_fills_the_name(window, capture, keyboard):
    before = count(window)
    keyboard.type("desk")
    assert capture.completer.popup().isVisible()
    keyboard.press(Key.Key_Down)
    keyboard.press(Key.Key_Return)
    assert count(window) == before and window.editor.undo_stack.count() == 0
    assert capture.touchpoint.text() == "Ask at the desk"
    assert capture.message.text() == ""
    # On to the scores, the next thing called out.
    assert capture.expectation.hasFocus()


@pytest.mark.parametrize("field", ["touchpoint", "method", "observer", "reality", "quote"])
def test_enter_saves_once_and_says_so_in_the_status_bar(window, capture, keyboard, field):
    before = count(window)
    capture.touchpoint.setText("Ask at the desk")
    capture.expectation.setText("5")
    capture.reality.setText("2")
    getattr(capture, field).setFocus()
    keyboard.press(Key.Key_Return)
    journey = window.editor.journey
    assert count(window) == before + 1 and window.editor.undo_stack.count() == 1
    assert journey.observations[-1].touchpoint == "t-desk"
    assert capture.message.text() == ""  # no red "No touch point called ''"
    message = window.statusBar().currentMessage()
    assert "Ask at the desk" in message
    assert f"{len(journey.observations_for('t-desk'))} there" in message
    assert f"{before + 1} in the map" in message
    assert capture.touchpoint.text() == "" and capture.touchpoint.hasFocus()


def test_an_unknown_or_missing_touchpoint_is_refused(window, capture, keyboard):
    keyboard.press(Key.Key_Return)
    assert "Which touch point" in capture.message.text()
    keyboard.type("The moon")
    keyboard.press(Key.Key_Return)
    assert capture.message.text() == "No touch point called 'The moon'."
    assert window.editor.undo_stack.count() == 0


def test_tab_skips_method_and_observer_which_stay(window, capture, keyboard):
    keyboard.press(Key.Key_Backtab, SHIFT)
    assert capture.observer.hasFocus()
    keyboard.type("Priya")
    keyboard.press(Key.Key_Backtab, SHIFT)
    assert capture.method.hasFocus()
    keyboard.press(Key.Key_Down)  # the next method
    method = capture.method.currentText()
    assert method != "service-safari"
    keyboard.press(Key.Key_Tab)
    keyboard.press(Key.Key_Tab)
    assert capture.touchpoint.hasFocus()
    keyboard.type("Leave the library")
    keyboard.press(Key.Key_Tab)
    assert capture.expectation.hasFocus()
    for field in ("reality", "note", "quote"):
        keyboard.press(Key.Key_Tab)
        assert getattr(capture, field).hasFocus()
    capture.touchpoint.setText("Ask at the desk")
    keyboard.press(Key.Key_Return)
    obs = window.editor.journey.observations[-1]
    assert (obs.method, obs.observer) == (method, "Priya")
    assert (capture.method.currentText(), capture.observer.text()) == (method, "Priya")
    keyboard.press(Key.Key_Tab)
    assert capture.expectation.hasFocus()


def test_one_capture_at_a_new_touchpoint_takes_at_most_six_keys(window, capture, keyboard):
    # The first observation sets method and observer for the session.
    capture.observer.setText("Priya")
    keyboard.type("Find the entrance")
    keyboard.press(Key.Key_Return)
    assert window.editor.journey.observations[-1].touchpoint == "t-entrance"
    keyboard.keys.clear()

    # The next one, at another touch point; only text and these keys are typed.
    keyboard.type("desk")  # the touch point prefix
    keyboard.press(Key.Key_Down)
    keyboard.press(Key.Key_Return)
    keyboard.type("5")
    keyboard.press(Key.Key_Tab)
    keyboard.type("1")
    keyboard.press(Key.Key_Tab)
    keyboard.type("Told to go to Reference")
    keyboard.press(Key.Key_Tab)
    keyboard.type("Which desk is which?")
    keyboard.press(Key.Key_Return)

    obs = window.editor.journey.observations[-1]
    assert (obs.touchpoint, obs.method, obs.observer) == ("t-desk", "service-safari", "Priya")
    assert (obs.expectation, obs.reality) == (5, 1)
    assert (obs.note, obs.quote) == ("Told to go to Reference", "Which desk is which?")
    assert len(keyboard.keys) <= 6, keyboard.keys


def test_tab_takes_the_only_suggestion(window, capture, keyboard):
    keyboard.type("self-check")
    keyboard.press(Key.Key_Tab)
    assert capture.touchpoint.text() == "Self-checkout machine"
    assert capture.expectation.hasFocus()


def test_renaming_or_deleting_its_touchpoint_clears_the_form(window, capture, keyboard):
    editor = window.editor
    keyboard.type("Ask at the desk")
    capture.note.setText("half typed")
    editor.update_touchpoint("t-entrance", name="Front door")  # another card: nothing happens
    assert capture.touchpoint.text() == "Ask at the desk"
    assert "Front door" in capture.names.stringList()
    editor.update_touchpoint("t-desk", name="Help desk")
    assert capture.touchpoint.text() == "" and capture.note.text() == ""
    assert "Ask at the desk" not in capture.names.stringList()

    keyboard.type("Help desk!")
    keyboard.press(Key.Key_Return)  # an error showing, then the card goes
    assert capture.message.text()
    capture.touchpoint.setText("help desk")
    editor.remove_touchpoints(["t-desk"])
    assert capture.touchpoint.text() == "" and capture.message.text() == ""
    assert "Help desk" not in capture.names.stringList()


def test_opening_another_map_clears_the_form(window, capture, keyboard):
    capture.observer.setText("Priya")
    keyboard.type("The moon")
    keyboard.press(Key.Key_Return)
    capture.note.setText("left over")
    assert capture.message.text()
    assert window.open_path(SAMPLES / "cafe_order.journey.json", ask=False)
    for field in ("touchpoint", "expectation", "reality", "note", "quote"):
        assert getattr(capture, field).text() == "", field
    assert capture.message.text() == ""
    assert capture.observer.text() == "Priya"  # the same person, still observing
    names = capture.names.stringList()
    assert names == [tp.name for tp in window.editor.journey.touchpoints]


def test_ctrl_z_in_the_form_takes_back_the_save(window, capture, keyboard):
    before = count(window)
    capture.observer.setText("Priya")
    keyboard.type("Ask at the desk")
    keyboard.press(Key.Key_Return)
    assert count(window) == before + 1
    assert capture.touchpoint.hasFocus()
    keyboard.press(Key.Key_Z, CTRL)
    assert count(window) == before
    assert window.statusBar().currentMessage().startswith("Took back the observation at Ask")
    keyboard.press(Key.Key_Z, CTRL | SHIFT)
    assert count(window) == before + 1
    assert window.statusBar().currentMessage().startswith("Put back the observation at Ask")
    keyboard.press(Key.Key_Z, CTRL)
    keyboard.press(Key.Key_Y, CTRL)
    assert count(window) == before + 1
    # Typing since the save is undone first, then the save.
    keyboard.type("Lea")
    keyboard.press(Key.Key_Z, CTRL)
    assert capture.touchpoint.text() == "" and count(window) == before + 1
    keyboard.press(Key.Key_Z, CTRL)
    assert count(window) == before


def test_ctrl_z_in_the_inspector_undoes_the_rename(qtbot, window, keyboard):
    with qtbot.waitActive(window):
        window.activateWindow()
    window.docks["inspector"].raise_()
    window.inspector.show_selection(["t-desk"], [])
    name = window.inspector.name
    name.setFocus()
    name.selectAll()
    keyboard.type("Help desk")
    keyboard.press(Key.Key_Return)
    journey = window.editor.journey
    assert journey.touchpoint("t-desk").name == "Help desk"
    assert name.hasFocus()
    keyboard.press(Key.Key_Z, CTRL)
    assert journey.touchpoint("t-desk").name == "Ask at the desk"
    assert name.text() == "Ask at the desk"
    keyboard.press(Key.Key_Z, CTRL | SHIFT)
    assert journey.touchpoint("t-desk").name == "Help desk"


def test_a_late_window_activation_leaves_the_cursor_in_the_note(qtbot, capture, keyboard):
    # On X11 the suggestion list's window can be activated after it closed; it
    # hands its focus to the touch point field, in the middle of a note.
    capture.note.setFocus()
    keyboard.type("Walked")
    reason = Qt.FocusReason.ActiveWindowFocusReason
    QApplication.sendEvent(capture.note, QFocusEvent(QEvent.Type.FocusOut, reason))
    capture.touchpoint.setFocus(reason)
    assert capture.note.hasFocus()
    keyboard.type(" past")
    assert capture.note.text() == "Walked past" and capture.touchpoint.text() == ""
    # Moving there on purpose still works.
    keyboard.press(Key.Key_Backtab, SHIFT)
    keyboard.press(Key.Key_Backtab, SHIFT)
    keyboard.press(Key.Key_Backtab, SHIFT)
    assert capture.touchpoint.hasFocus()


def test_a_refusal_names_no_internal_id_and_goes_when_the_user_types(qtbot, window, capture):
    before = count(window)
    capture.touchpoint.setText("Ask at the desk")
    capture.expectation.setText("9")
    qtbot.keyClick(capture.expectation, Key.Key_Return)
    assert count(window) == before
    message = capture.message.text()
    assert message.startswith("Not saved: expectation") and "outside the scale" in message
    assert "observation '" not in message
    qtbot.keyClick(capture.expectation, Key.Key_Backspace)  # the user fixes the score
    assert capture.message.text() == ""
