"""The Service Matrix view and the tone underlines in the Inspector."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QHelpEvent, QTextCharFormat
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QToolTip

from journeymap.ui import matrix

CTRL = Qt.KeyboardModifier.ControlModifier

# The sample's ideas, (level, scope) as the file has them.
SAMPLE_CELLS = {
    "i-waive-first": ("extended", "individual"),
    "i-walk-to-shelf": ("standard", "individual"),
    "i-greeter-map": ("standard", "service"),
    "i-card-online": ("extended", "service"),
    "i-power-cut": ("innovative", "community"),
    "i-park-storytime": ("extended", "community"),
    "i-town-hall": ("innovative", "leadership"),
}


def open_matrix(window) -> matrix.MatrixDialog:
    window.matrix_action.trigger()  # View > Service Matrix
    dialog = window.matrix_dialog
    assert dialog.isVisible()
    return dialog


def drop(cell: matrix.ServiceCell, idea_id: str) -> None:
    """What Qt sends a cell when a card is dragged onto it and let go."""
    data = matrix.idea_mime(idea_id)
    centre = QPointF(cell.width() / 2, cell.height() / 2)
    move = Qt.DropAction.MoveAction
    enter = QDragEnterEvent(
        centre.toPoint(), move, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(cell, enter)
    assert enter.isAccepted()
    event = QDropEvent(
        centre, move, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(cell, event)
    QApplication.processEvents()


def test_matrix_shows_each_idea_in_its_cell(window):
    view = open_matrix(window).matrix
    assert {i: view.cell_of(i) for i in SAMPLE_CELLS} == SAMPLE_CELLS
    # Twelve cells; the extended/individual one holds exactly the fine waiver.
    assert len(view.cells) == 12
    cell = view.cells["extended", "individual"]
    texts = [card.text.text() for card in cell.card_widgets()]
    assert texts == ["Waive a first overdue fine at the desk, no questions asked"]
    assert cell.card_widgets()[0].where.text() == "at Told about overdue fines"
    # An idea without a touch point is about the whole service.
    (power,) = view.cells["innovative", "community"].card_widgets()
    assert power.where.text() == "the whole service"


def test_drag_to_another_cell_is_one_undo_step(window, qtbot):
    dialog = open_matrix(window)
    view, stack = dialog.matrix, window.editor.undo_stack
    before = stack.index()
    drop(view.cells["innovative", "community"], "i-waive-first")
    idea = window.editor.journey.collection("idea").get("i-waive-first")
    assert (idea.level, idea.scope) == ("innovative", "community")
    assert stack.index() == before + 1
    assert stack.undoText() == "Move idea to Innovative / Community"
    assert view.cell_of("i-waive-first") == ("innovative", "community")
    assert len(view.cells["innovative", "community"].card_widgets()) == 2
    # Dropping it where it is changes nothing and pushes nothing.
    drop(view.cells["innovative", "community"], "i-waive-first")
    assert stack.index() == before + 1
    # Ctrl+Z with the matrix in front moves the card back.
    dialog.activateWindow()
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    QApplication.processEvents()
    idea = window.editor.journey.collection("idea").get("i-waive-first")
    assert (idea.level, idea.scope) == ("extended", "individual")
    assert view.cell_of("i-waive-first") == ("extended", "individual")
    assert stack.index() == before


def test_matrix_follows_a_new_map(window, small_map):
    view = open_matrix(window).matrix
    window.editor.replace(small_map, None)
    assert all(not cell.card_widgets() for cell in view.cells.values())


def tone_labels(inspector) -> list[str]:
    """The texts of the Inspector's tone list as it stands."""
    return [w.text() for w in inspector.tone.findChildren(QLabel) if not w.isHidden()]


def tone_button(inspector) -> QPushButton:
    buttons = inspector.tone.findChildren(QPushButton)
    return next(b for b in buttons if not b.isHidden() and "borrowing and returns" in b.text())


def test_inspector_replaces_jargon_in_one_undoable_click(window, qtbot):
    editor, inspector = window.editor, window.inspector
    window.docks["inspector"].raise_()
    editor.update_touchpoint("t-desk", name="Circulation desk")
    inspector.show_selection(["t-desk"], [])
    QApplication.processEvents()
    # The list names the finding; its tooltip carries the suggestion.
    assert "\u201cCirculation\u201d in the name: jargon" in tone_labels(inspector)
    # Hovering the word in the name field shows the suggestion.
    name = inspector.name
    x = next(
        x for x in range(name.width()) if name.cursorPositionAt(QPoint(x, name.height() // 2)) == 3
    )
    at = QPoint(x, name.height() // 2)
    QApplication.sendEvent(name, QHelpEvent(QEvent.Type.ToolTip, at, name.mapToGlobal(at)))
    assert "borrowing and returns" in QToolTip.text()
    # Hovering past the word ("desk") shows nothing of the tone.
    end = QPoint(name.width() - 10, name.height() // 2)
    past = QHelpEvent(QEvent.Type.ToolTip, end, name.mapToGlobal(end))
    assert inspector.tone.eventFilter(name, past) is False  # the field's own tooltip, if any

    before = editor.undo_stack.index()
    button = tone_button(inspector)
    assert button.text() == "Replace with \u2018borrowing and returns\u2019"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    assert editor.journey.touchpoint("t-desk").name == "Borrowing and returns desk"
    assert editor.undo_stack.index() == before + 1
    assert name.text() == "Borrowing and returns desk"
    assert "\u201cCirculation\u201d in the name: jargon" not in tone_labels(inspector)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    QApplication.processEvents()
    assert editor.journey.touchpoint("t-desk").name == "Circulation desk"
    assert name.text() == "Circulation desk"
    assert "\u201cCirculation\u201d in the name: jargon" in tone_labels(inspector)


def test_description_underlines_findings_only(window):
    inspector = window.inspector
    inspector.show_selection(["t-desk"], [])
    # The sample: "Two desks signed 'Circulation' and 'Reference'".
    text = inspector.description.toPlainText()
    block = inspector.description.document().firstBlock()
    wavy = QTextCharFormat.UnderlineStyle.WaveUnderline
    marked = sorted(
        (r.start, r.start + r.length)
        for r in block.layout().formats()
        if r.format.underlineStyle() == wavy
    )
    words = [text[s:e] for s, e in marked]
    assert words == ["Circulation", "Reference"]
    # Prohibitive wording gets advice, not a word-for-word replacement.
    window.editor.update_touchpoint("t-desk", description="No food or drink")
    QApplication.processEvents()  # rows added to a shown widget show queued
    buttons = [b for b in inspector.tone.findChildren(QPushButton) if not b.isHidden()]
    assert buttons == []
    assert any(t.startswith("Try: say what is welcome") for t in tone_labels(inspector))


def test_replaced_keeps_the_case_of_the_word():
    from journeymap.model.entities import ToneTerm
    from journeymap.model.tone import find_in_text
    from journeymap.ui.docks.tonemarks import replaced

    terms = [ToneTerm("ILL", "jargon", "borrowing from another library"),
             ToneTerm("reference", "jargon", "help finding information")]  # fmt: skip
    text = "Ask Reference about ILL; reference works too"
    found = find_in_text(text, terms)
    assert [replaced(text, f) for f in found] == [
        "Ask Help finding information about ILL; reference works too",
        "Ask Reference about borrowing from another library; reference works too",
        "Ask Reference about ILL; help finding information works too",
    ]


def test_typing_in_an_underlined_name_field_still_types(window, qtbot):
    """The name's underlines come in as input-method formats: typing is unharmed."""
    name = window.inspector.name
    window.docks["inspector"].raise_()
    window.inspector.show_selection(["t-desk"], [])
    name.setFocus()
    name.selectAll()
    qtbot.keyClicks(name, "Reference help")
    qtbot.keyClick(name, Qt.Key.Key_Home)
    qtbot.keyClicks(name, "The ")
    assert name.text() == "The Reference help"
    assert name.isUndoAvailable()  # the field's own typing history is kept
    qtbot.keyClick(name, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert window.editor.journey.touchpoint("t-desk").name == "The Reference help"
