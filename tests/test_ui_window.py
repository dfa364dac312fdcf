"""The main window, driven as a user would, offscreen."""

from __future__ import annotations

import json
import subprocess
import sys

from PySide6.QtCore import Qt

from journeymap.fileio import load_map
from journeymap.ui.docks.gaps import COLUMNS
from journeymap.ui.mainwindow import MainWindow


def test_title_shows_file_and_unsaved_mark(window):
    assert window.windowTitle().startswith("library_visit.journey.json[*]")
    assert not window.isWindowModified()
    window.editor.update_touchpoint("t-desk", name="Ask a question")
    assert window.isWindowModified()
    window.editor.undo_stack.undo()
    assert not window.isWindowModified()


def test_quick_capture_from_the_keyboard(qtbot, window):
    capture = window.observations.capture
    window.focus_capture()
    before = len(window.editor.journey.observations)
    capture.method.setCurrentText("shadowing")
    capture.observer.setText("Priya")
    qtbot.keyClicks(capture.touchpoint, "Ask at the desk")
    qtbot.keyClick(capture.touchpoint, Qt.Key.Key_Tab)
    assert capture.expectation.hasFocus()  # Tab skips method and observer
    qtbot.keyClicks(capture.expectation, "5")
    qtbot.keyClick(capture.expectation, Qt.Key.Key_Tab)
    qtbot.keyClicks(capture.reality, "1")
    qtbot.keyClick(capture.reality, Qt.Key.Key_Tab)
    qtbot.keyClicks(capture.note, "Told to go to Reference")
    qtbot.keyClick(capture.note, Qt.Key.Key_Tab)
    qtbot.keyClicks(capture.quote, "Which desk is which?")
    qtbot.keyClick(capture.quote, Qt.Key.Key_Return)

    journey = window.editor.journey
    assert len(journey.observations) == before + 1
    obs = journey.observations[-1]
    assert (obs.touchpoint, obs.method, obs.observer) == ("t-desk", "shadowing", "Priya")
    assert (obs.expectation, obs.reality) == (5, 1)
    assert (obs.note, obs.quote) == ("Told to go to Reference", "Which desk is which?")
    # One undo step; the form is cleared but keeps method and observer.
    assert window.editor.undo_stack.count() == 1
    assert capture.touchpoint.text() == "" and capture.note.text() == ""
    assert capture.method.currentText() == "shadowing" and capture.observer.text() == "Priya"
    assert capture.touchpoint.hasFocus()
    # A second one, straight away, from the keyboard.
    qtbot.keyClicks(capture.touchpoint, "Self-checkout machine")
    qtbot.keyClick(capture.touchpoint, Qt.Key.Key_Return)
    assert journey.observations[-1].touchpoint == "t-selfcheck"
    assert journey.observations[-1].observer == "Priya"
    window.editor.undo_stack.undo()
    assert len(journey.observations) == before + 1


def test_quick_capture_refuses_an_unknown_touchpoint(qtbot, window):
    capture = window.observations.capture
    qtbot.keyClicks(capture.touchpoint, "The moon")
    qtbot.keyClick(capture.touchpoint, Qt.Key.Key_Return)
    assert "No touch point called 'The moon'" in capture.message.text()
    assert window.editor.undo_stack.count() == 0


def test_gap_table_matches_the_command_line(window, library_path):
    result = subprocess.run(
        [sys.executable, "-m", "journeymap", "gaps", str(library_path), "--format", "json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    expected = json.loads(result.stdout)
    model = window.gaps.model
    assert model.rowCount() == len(expected)

    def cell(row, name):
        return model.index(row, COLUMNS.index(name)).data()

    for row, record in enumerate(expected):
        assert model.index(row, 0).data(Qt.ItemDataRole.UserRole) == record["touchpoint"]
        assert cell(row, "Touch point") == record["name"]
        assert cell(row, "n") == record["n"]
        gap = record["gap"]
        assert cell(row, "Gap") == ("-" if gap is None else f"{gap:+.2f}")
        assert cell(row, "Expect") == f"{record['expectation']:.2f}"


def test_gap_table_follows_edits_and_filters(window):
    model = window.gaps.model
    assert model.index(0, 0).data(Qt.ItemDataRole.UserRole) == "t-desk"
    window.editor.add_observation("t-storytime", "shadowing", expectation=5, reality=1)
    window.editor.add_observation("t-storytime", "shadowing", expectation=5, reality=1)
    rows = [model.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(model.rowCount())]
    assert rows.index("t-storytime") < 16
    bar = window.filter_bar
    bar.method.setCurrentIndex(bar.method.findData("shadowing"))
    assert window.view_state.filter.methods == frozenset({"shadowing"})
    shadowing = sum(o.method == "shadowing" for o in window.editor.journey.observations)
    assert sum(row.stats.observations for row in model.rows) == shadowing


def test_row_click_selects_and_centres_the_card(qtbot, window):
    table = window.gaps.table
    model = window.gaps.model
    row = next(r for r in range(model.rowCount())
               if model.index(r, 0).data(Qt.ItemDataRole.UserRole) == "t-storytime")  # fmt: skip
    window.view.set_zoom(2.0)
    index = model.index(row, 1)
    table.scrollTo(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(index).center())  # fmt: skip
    assert window.editor.scene.selected_touchpoints() == ["t-storytime"]
    card = window.editor.scene.cards["t-storytime"]
    visible = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    assert visible.contains(card.sceneBoundingRect().center())
    # The inspector and the observations table follow the selection.
    assert window.inspector.name.text() == "Storytime for under-fives"
    assert {o.touchpoint for o in window.observations.model.rows} == {"t-storytime"}


def test_close_asks_about_unsaved_changes(window, answers):
    window.editor.update_touchpoint("t-desk", name="Ask a question")
    answers.save_changes = "cancel"
    assert not window.close()
    assert answers.asked == [("save_changes", "library_visit.journey.json")]
    answers.save_changes = "discard"
    assert window.close()


def test_open_and_new_ask_too(window, answers, library_path, tmp_path):
    window.editor.update_touchpoint("t-desk", name="Ask a question")
    answers.save_changes = "cancel"
    assert not window.new_map()
    assert not window.open_path(library_path)
    assert window.editor.journey.touchpoint("t-desk").name == "Ask a question"
    answers.save_changes = "save"
    answers.save_path = tmp_path / "copy.journey.json"
    window.editor.set_path(None)
    assert window.new_map()
    assert load_map(tmp_path / "copy.journey.json").touchpoint("t-desk").name == "Ask a question"
    assert window.editor.journey.summary().touchpoints == 0


def test_save_writes_and_clears_the_flag(window, tmp_path, answers):
    answers.save_path = tmp_path / "saved.journey.json"
    window.editor.update_stage("s-find", name="Find things")
    assert window.save_as()
    assert not window.isWindowModified()
    assert load_map(tmp_path / "saved.journey.json").stage("s-find").name == "Find things"
    assert window.windowTitle().startswith("saved.journey.json")
    assert str((tmp_path / "saved.journey.json").resolve()) in window.recent_files()


def test_a_failed_save_says_why_and_stays_modified(window, tmp_path, answers):
    answers.save_path = tmp_path / "missing" / "folder" / "x.journey.json"
    window.editor.update_stage("s-find", name="Find things")
    assert not window.save_as()
    assert window.isWindowModified()
    (title, _text, details) = answers.errors[-1]
    assert title == "Cannot save map" and "cannot save" in details


def test_a_broken_file_shows_the_loader_messages(window, tmp_path, answers):
    broken = tmp_path / "broken.journey.json"
    broken.write_text('{"format": "journeymap", "version": 1, "stages": 7}', encoding="utf-8")
    assert not window.open_path(broken, ask=False)
    (title, _text, details) = answers.errors[-1]
    assert title == "Cannot open map"
    assert f"{broken}: stages: must be an array" in details
    # The window keeps the map it had.
    assert window.editor.path.name == "library_visit.journey.json"
    assert window.editor.journey.summary().touchpoints == 17


def test_autosave_interval_is_a_setting(qtbot, isolated_qt, answers):
    isolated_qt.setValue("autosave/seconds", 30)
    win = MainWindow(isolated_qt)
    qtbot.addWidget(win)
    assert win.autosave_timer.interval() == 30_000


def test_geometry_and_recent_files_are_remembered(qtbot, window, isolated_qt, library_path):
    window.resize(1010, 470)
    size = (window.width(), window.height())
    assert size != (1400, 900)
    assert window.close()
    again = MainWindow(isolated_qt)
    qtbot.addWidget(again)
    assert again.recent_files()[0] == str(library_path.resolve())
    assert again.recent_menu.actions()[0].text() == "library_visit.journey.json"
    # The offscreen screen is 800 pixels wide, so only the height can show
    # that the geometry came back.
    assert again.height() == size[1] == 470
    assert isolated_qt.value("window/state") is not None


def test_screenshot_of_the_window(window, tmp_path):
    """Not blank, and the cards are drawn: a picture a person can check."""
    window.view.fit()
    image = window.grab().toImage()
    assert image.width() > 800
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7)}  # fmt: skip
    assert len(colours) > 50
    window.grab().save(str(tmp_path / "window.png"))
