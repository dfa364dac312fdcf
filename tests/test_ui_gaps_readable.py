"""The Gaps dock reads as a ranking at the window's first size: names and gaps whole."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle

from journeymap.ui import geometry
from journeymap.ui.docks.gaps import COLUMNS, NAME_CAP_CHARS

NAME = COLUMNS.index("Touch point")
GAP = COLUMNS.index("Gap")
NUMBERS = [COLUMNS.index(c) for c in ("Gap", "n", "Expect", "Reality", "Spread")]


def settle() -> None:
    """Run the queued layout work (the first dock sizes are set from the event loop)."""
    for _ in range(10):
        QApplication.processEvents()


def text_room(table, index) -> int:
    """The width a cell's text gets: its rectangle less the item view's text margins."""
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    return table.visualRect(index).width() - 2 * margin


def shows_whole(table, index) -> bool:
    """The cell's text is drawn without elision, and the cell lies in the viewport."""
    text = str(index.data())
    metrics = QFontMetrics(table.font())
    room = text_room(table, index)
    inside = table.viewport().rect().contains(table.visualRect(index))
    return inside and metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, room) == text


@pytest.fixture
def first_window(qtbot, isolated_qt, answers, library_path, monkeypatch):
    """A first start (no saved layout) on a 1366x768 screen, on the library sample."""
    from journeymap.ui.mainwindow import MainWindow

    monkeypatch.setattr(geometry, "available_area", lambda rect=None: QRect(0, 0, 1366, 768))
    win = MainWindow(isolated_qt)
    qtbot.addWidget(win)
    win.show()
    assert win.open_path(library_path, ask=False)
    settle()
    yield win
    win.autosave_timer.stop()


def test_the_name_comes_first_and_the_rank_is_the_row_heading(first_window):
    model = first_window.gaps.model
    assert NAME == 0 and GAP == 1
    assert model.headerData(0, Qt.Orientation.Vertical) == 1
    assert first_window.gaps.table.verticalHeader().isVisible()


def test_top_names_and_every_gap_are_whole_at_the_first_size(first_window):
    table = first_window.gaps.table
    model = first_window.gaps.model
    assert model.rowCount() >= 3
    header = table.horizontalHeader()
    assert header.sectionSize(NAME) >= header.sectionSizeHint(NAME), "heading cut"
    for row in range(3):
        index = model.index(row, NAME)
        assert shows_whole(table, index), (index.data(), text_room(table, index))
    for row in range(model.rowCount()):
        table.scrollTo(model.index(row, NAME))  # the rows below the fold
        for column in NUMBERS:
            index = model.index(row, column)
            assert shows_whole(table, index), (row, COLUMNS[column], index.data())


def test_numbers_never_elide_on_a_new_map(window):
    """A new map starts with "-" everywhere; its first gaps must still fit."""
    assert window.new_map()
    editor = window.editor
    stage = editor.journey.stages[0].id
    tps = [editor.add_touchpoint(stage, name).id for name in ("Desk", "Sign", "Web")]
    table, model = window.gaps.table, window.gaps.model
    settle()
    for tp in tps[:2]:
        for score in (1, 2):
            editor.add_observation(tp, "shadowing", expectation=5, reality=score)
    editor.add_observation(tps[2], "shadowing", expectation=1, reality=5)  # -4.00, last
    settle()
    assert model.index(model.rowCount() - 1, GAP).data().startswith("-")
    for row in range(model.rowCount()):
        for column in NUMBERS:
            index = model.index(row, column)
            assert shows_whole(table, index), (row, COLUMNS[column], index.data())


def test_a_long_name_loses_its_middle_and_keeps_a_tooltip(window):
    table, model = window.gaps.table, window.gaps.model
    tp = model.touchpoint_at(0)
    name = "Ask the librarian at the main desk " * 3 + "about the overdue fines"
    window.editor.update_touchpoint(tp, name=name)
    settle()
    row = next(r for r in range(model.rowCount()) if model.touchpoint_at(r) == tp)
    index = model.index(row, NAME)
    metrics = QFontMetrics(table.font())
    # The column stops at the cap, so this name does not fit...
    assert table.columnWidth(NAME) <= metrics.averageCharWidth() * NAME_CAP_CHARS + 20
    assert metrics.horizontalAdvance(name) > text_room(table, index)
    # ...and is drawn with its start and its end, the middle left out.
    assert table.textElideMode() == Qt.TextElideMode.ElideMiddle
    shown = metrics.elidedText(name, table.textElideMode(), text_room(table, index))
    assert shown.startswith("Ask the") and shown.endswith("fines") and "\u2026" in shown
    tip = QTextDocument()
    tip.setHtml(index.data(Qt.ItemDataRole.ToolTipRole))
    assert tip.toPlainText().startswith(name + " (")
    # The other names keep their room: the cap holds them all.
    for r in range(min(3, model.rowCount())):
        if r != row:
            assert shows_whole(table, model.index(r, NAME))
