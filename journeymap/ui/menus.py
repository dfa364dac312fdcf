"""The window's actions, menus and toolbar, built in one place.

Functions take the window explicitly (no globals); every shortcut comes from
:mod:`journeymap.ui.shortcuts`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolBar

from journeymap.ui import helpdialogs, matrix, shortcuts, templates

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
    w.rename_action = a(
        "Re&name", w.rename_selected, shortcuts.RENAME,
        "Rename the selected card or stage header where it is drawn",
    )  # fmt: skip
    w.duplicate_action = a(
        "D&uplicate", w.duplicate_selection, shortcuts.DUPLICATE,
        "Copy the selected cards (not their observations) just below them",
    )  # fmt: skip
    for action in (w.rename_action, w.duplicate_action):
        # Keys of the map: a table's F2 (edit a cell) stays the table's.
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        w.view.addAction(action)
    w.properties_action = a(
        "Map &Properties\u2026", w.edit_properties, None,
        "Title, description, score scale and personas of the map",
    )  # fmt: skip
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
    w.rename_stage_action = a("&Rename Stage", w.rename_stage)
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
    w.help_action = a(
        "Reading the &Map", lambda: helpdialogs.show_reading(w), None,
        "What the colours, outlines, stars and arrows mean",
    )  # fmt: skip
    w.shortcuts_action = a(
        "&Keyboard Shortcuts", lambda: helpdialogs.show_shortcuts(w), shortcuts.HELP,
        "Every key of the window, in a list that can stay open",
    )  # fmt: skip
    w.present_action = a(
        "&Presentation Mode", w.presentation.toggle, shortcuts.PRESENT,
        "Full screen for a workshop: step through the widest gaps with the arrow keys; Esc leaves",
    )  # fmt: skip
    w.present_action.setCheckable(True)
    w.insights_overlay_action = a(
        "&Insights Overlay", w.editor.scene.overlay.set_shown, None,
        "On the map: the worst path as a band, each card's reach, unavoidable cards"
        " and where customers leave",
    )  # fmt: skip
    w.insights_overlay_action.setCheckable(True)
    w.matrix_action = a(
        "Service &Matrix", lambda: matrix.show_matrix(w), shortcuts.SERVICE_MATRIX,
        "The map's ideas by level and scope; drag a card to re-class it",
    )  # fmt: skip


def build_menus(w: MainWindow) -> None:
    bar = w.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addActions([w.new_action, w.open_action])
    # Every shipped template, listed from resources/templates, just after New.
    w.template_menu = QMenu("New from &Template", w)
    for template in templates.templates():
        action = w.template_menu.addAction(template.label)
        action.setStatusTip(f"Start a new map from the {template.label.replace('&', '')} template")
        action.triggered.connect(lambda _=False, k=template.key: w.new_from_template(k))
    file_menu.insertMenu(w.open_action, w.template_menu)
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
    edit.insertActions(w.select_all_action, [w.rename_action, w.duplicate_action])
    view = bar.addMenu("&View")
    view.addActions([w.zoom_in_action, w.zoom_out_action, w.fit_action, w.actual_action])
    view.addSeparator()
    view.addAction(w.show_all_action)
    view.addAction(w.filter_toolbar.toggleViewAction())
    view.addAction(w.insights_overlay_action)
    view.addAction(w.matrix_action)
    view.addSeparator()
    view.addAction(w.present_action)
    w.addAction(w.present_action)  # F11 must still work with the menu bar hidden
    view.addSeparator()
    for dock in w.docks.values():
        view.addAction(dock.toggleViewAction())
    map_menu = bar.addMenu("&Map")
    map_menu.addAction(w.properties_action)
    map_menu.addSeparator()
    map_menu.addActions([w.add_stage_action, w.rename_stage_action, w.stage_left_action,
                         w.stage_right_action, w.delete_stage_action])  # fmt: skip
    map_menu.addSeparator()
    map_menu.addActions([w.add_tp_action, w.connect_action, w.capture_action])
    help_menu = bar.addMenu("&Help")
    help_menu.addActions([w.shortcuts_action, w.help_action, w.about_action])


def build_toolbar(w: MainWindow) -> None:
    toolbar = w.addToolBar("Main")
    toolbar.setObjectName("toolbar-main")
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    toolbar.addActions([w.new_action, w.open_action, w.save_action])
    toolbar.addSeparator()
    _add_history_buttons(w, toolbar)
    toolbar.addSeparator()
    toolbar.addActions([w.add_tp_action, w.connect_action, w.fit_action])


def _add_history_buttons(w: MainWindow, toolbar: QToolBar) -> None:
    """Undo and Redo buttons that keep their width.

    The menu's actions read "Undo Move card to Find"; on the toolbar such a
    label would push every button after it along at each edit.  The buttons
    say Undo and Redo, name the step in their tooltip, and have a fixed width.
    """
    w.undo_tool_action = _HistoryAction(w, redo=False)
    w.redo_tool_action = _HistoryAction(w, redo=True)
    toolbar.addActions([w.undo_tool_action, w.redo_tool_action])
    width = max(toolbar.widgetForAction(a).sizeHint().width() for a in
                (w.undo_tool_action, w.redo_tool_action))  # fmt: skip
    for action in (w.undo_tool_action, w.redo_tool_action):
        toolbar.widgetForAction(action).setFixedWidth(width)


class _HistoryAction(QAction):
    """A toolbar Undo or Redo with a constant label; the step is in its tooltip."""

    def __init__(self, w: MainWindow, redo: bool) -> None:
        stack = w.editor.undo_stack
        self.label = "Redo" if redo else "Undo"
        super().__init__(self.label, w)
        self.triggered.connect(stack.redo if redo else stack.undo)
        # Slots of this action, fed by the stack's own signals: Qt drops the
        # connections when either goes (the stack emits while it is destroyed).
        (stack.canRedoChanged if redo else stack.canUndoChanged).connect(self.setEnabled)
        (stack.redoTextChanged if redo else stack.undoTextChanged).connect(self.show_step)
        self.setEnabled(stack.canRedo() if redo else stack.canUndo())
        self.show_step(stack.redoText() if redo else stack.undoText())

    def show_step(self, text: str) -> None:
        self.setToolTip(f"{self.label} {text}" if text else self.label)
