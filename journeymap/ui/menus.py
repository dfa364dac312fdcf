"""The window's actions, menus and toolbar, built in one place.

Functions take the window explicitly (no globals); every shortcut comes from
:mod:`journeymap.ui.shortcuts`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from journeymap.ui import shortcuts

if TYPE_CHECKING:
    from journeymap.ui.mainwindow import MainWindow

EXPORT_FORMATS = (
    (".png", "Map as PNG"),
    (".svg", "Map as SVG"),
    (".pdf", "Map as PDF"),
    (".mmd", "Mermaid Journey"),
    (".csv", "Observations as CSV"),
    (".graphml", "Graph as GraphML"),
)
REPORT_FORMATS = ((".html", "Web Page"), (".pdf", "PDF"))


def _action(
    w: MainWindow, text: str, slot, shortcut: shortcuts.Shortcut | None = None, tip: str = ""
) -> QAction:
    action = QAction(text, w)
    if shortcut is not None:
        action.setShortcuts(shortcuts.sequences(shortcut))
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(slot)
    return action


def build_actions(w: MainWindow) -> None:
    a = lambda *args: _action(w, *args)  # noqa: E731 - a short alias reads best here
    w.new_action = a("&New", w.new_map, shortcuts.NEW, "Start a new journey map")
    w.open_action = a("&Open…", w.open_dialog, shortcuts.OPEN)
    w.save_action = a("&Save", w.save, shortcuts.SAVE)
    w.save_as_action = a("Save &As…", w.save_as, shortcuts.SAVE_AS)
    w.quit_action = a("&Quit", w.close, shortcuts.QUIT)
    w.import_table_action = a(
        "&Observations from CSV or XLSX\u2026", lambda: w.import_observations()
    )
    w.import_mermaid_action = a("&Mermaid Journey\u2026", lambda: w.import_mermaid())
    w.export_actions = [
        a(f"&{label}\u2026", lambda _=False, x=suffix: w.export_dialog(x))
        for suffix, label in EXPORT_FORMATS
    ]
    w.report_actions = [
        a(f"Debrief Report as &{label}\u2026", lambda _=False, x=suffix: w.report_dialog(x))
        for suffix, label in REPORT_FORMATS
    ]
    w.undo_action = w.editor.undo_stack.createUndoAction(w, "&Undo")
    w.undo_action.setShortcuts(shortcuts.sequences(shortcuts.UNDO))
    w.redo_action = w.editor.undo_stack.createRedoAction(w, "&Redo")
    w.redo_action.setShortcuts(shortcuts.sequences(shortcuts.REDO))
    w.delete_action = a("&Delete", w.delete_selection, shortcuts.DELETE)
    w.select_all_action = a("Select &All", w.select_all, shortcuts.SELECT_ALL)
    w.find_action = a("&Find Touch Point…", w.find_touchpoint, shortcuts.FIND)
    w.show_all_action = a(
        "Show &All Observations", w.view_state.clear_filter, None,
        "Clear the filter: every view counts every observation",
    )  # fmt: skip
    w.zoom_in_action = a("Zoom &In", w.view.zoom_in, shortcuts.ZOOM_IN)
    w.zoom_out_action = a("Zoom &Out", w.view.zoom_out, shortcuts.ZOOM_OUT)
    w.fit_action = a("&Fit to Window", w.view.fit, shortcuts.ZOOM_FIT)
    w.actual_action = a("&Actual Size (100%)", w.view.actual_size, shortcuts.ZOOM_ACTUAL)
    w.add_stage_action = a("Add &Stage…", w.add_stage, shortcuts.ADD_STAGE)
    w.rename_stage_action = a("&Rename Stage…", w.rename_stage)
    w.delete_stage_action = a("D&elete Stage…", w.delete_stage)
    w.stage_left_action = a("Move Stage &Left", lambda: w.move_stage(-1))
    w.stage_right_action = a("Move Stage Ri&ght", lambda: w.move_stage(1))
    w.add_tp_action = a("Add &Touch Point…", w.add_touchpoint, shortcuts.ADD_TOUCHPOINT)
    w.connect_action = a(
        "&Connect Selected", w.connect_selected, shortcuts.CONNECT,
        "Connect the first selected card to the second",
    )  # fmt: skip
    w.capture_action = a("&Quick Capture", w.focus_capture, shortcuts.QUICK_CAPTURE)
    w.about_action = a("&About journeymap", w.about)
    w.help_action = a("Reading the &Map", w.help, shortcuts.HELP)


def build_menus(w: MainWindow) -> None:
    bar = w.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addActions([w.new_action, w.open_action])
    w.recent_menu = QMenu("Open &Recent", w)
    file_menu.addMenu(w.recent_menu)
    file_menu.addSeparator()
    file_menu.addActions([w.save_action, w.save_as_action])
    file_menu.addSeparator()
    import_menu = file_menu.addMenu("&Import")
    import_menu.addActions([w.import_table_action, w.import_mermaid_action])
    export_menu = file_menu.addMenu("&Export")
    export_menu.addActions(w.export_actions)
    export_menu.addSeparator()
    export_menu.addActions(w.report_actions)
    file_menu.addSeparator()
    file_menu.addAction(w.quit_action)
    edit = bar.addMenu("&Edit")
    edit.addActions([w.undo_action, w.redo_action])
    edit.addSeparator()
    edit.addActions([w.delete_action, w.select_all_action, w.find_action])
    view = bar.addMenu("&View")
    view.addActions([w.zoom_in_action, w.zoom_out_action, w.fit_action, w.actual_action])
    view.addSeparator()
    view.addAction(w.show_all_action)
    view.addAction(w.filter_toolbar.toggleViewAction())
    view.addSeparator()
    for dock in w.docks.values():
        view.addAction(dock.toggleViewAction())
    map_menu = bar.addMenu("&Map")
    map_menu.addActions([w.add_stage_action, w.rename_stage_action, w.stage_left_action,
                         w.stage_right_action, w.delete_stage_action])  # fmt: skip
    map_menu.addSeparator()
    map_menu.addActions([w.add_tp_action, w.connect_action, w.capture_action])
    help_menu = bar.addMenu("&Help")
    help_menu.addActions([w.help_action, w.about_action])


def build_toolbar(w: MainWindow) -> None:
    toolbar = w.addToolBar("Main")
    toolbar.setObjectName("toolbar-main")
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    toolbar.addActions([w.new_action, w.open_action, w.save_action])
    toolbar.addSeparator()
    toolbar.addActions([w.undo_action, w.redo_action])
    toolbar.addSeparator()
    toolbar.addActions([w.add_tp_action, w.connect_action, w.fit_action])
