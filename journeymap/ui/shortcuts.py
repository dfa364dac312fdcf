"""Every keyboard shortcut of the window, in one place.

Values are standard keys (which follow the platform's conventions) or
portable strings; :func:`sequence` turns them into key sequences once a
QApplication exists (building a standard key sequence before then crashes).
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

Std = QKeySequence.StandardKey
Shortcut = QKeySequence.StandardKey | str

NEW: Shortcut = Std.New
OPEN: Shortcut = Std.Open
SAVE: Shortcut = Std.Save
SAVE_AS: Shortcut = Std.SaveAs
QUIT: Shortcut = Std.Quit
UNDO: Shortcut = Std.Undo
REDO: Shortcut = Std.Redo
DELETE: Shortcut = Std.Delete
SELECT_ALL: Shortcut = Std.SelectAll
FIND: Shortcut = Std.Find
ZOOM_IN: Shortcut = Std.ZoomIn
ZOOM_OUT: Shortcut = Std.ZoomOut
HELP: Shortcut = Std.HelpContents
ZOOM_FIT: Shortcut = "Ctrl+0"
ZOOM_ACTUAL: Shortcut = "Ctrl+1"
ADD_TOUCHPOINT: Shortcut = "Ctrl+T"
ADD_STAGE: Shortcut = "Ctrl+Shift+T"
CONNECT: Shortcut = "Ctrl+L"
QUICK_CAPTURE: Shortcut = "Ctrl+K"


def sequences(shortcut: Shortcut) -> list[QKeySequence]:
    """All key sequences of a shortcut (a standard key may have several)."""
    if isinstance(shortcut, str):
        return [QKeySequence(shortcut)]
    return QKeySequence.keyBindings(shortcut)
