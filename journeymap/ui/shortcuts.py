"""Every keyboard shortcut of the window, in one place.

Values are standard keys (which follow the platform's conventions) or
portable strings; :func:`sequence` turns them into key sequences once a
QApplication exists (building a standard key sequence before then crashes).
"""

from __future__ import annotations

from PySide6.QtCore import QKeyCombination, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence

Std = QKeySequence.StandardKey
Key = QKeySequence.StandardKey | str
#: One key, or several: a standard key together with the portable strings a
#: platform's list may lack (Ctrl+Y for Redo on KDE and GNOME, say).
Shortcut = Key | tuple[Key, ...]

NEW: Shortcut = Std.New
OPEN: Shortcut = Std.Open
SAVE: Shortcut = Std.Save
SAVE_AS: Shortcut = Std.SaveAs
QUIT: Shortcut = Std.Quit
UNDO: Shortcut = Std.Undo
# Both conventions everywhere: people switch between Office and Linux desktops.
REDO: Shortcut = (Std.Redo, "Ctrl+Shift+Z", "Ctrl+Y")
# Not Std.Delete: on X11 it includes Ctrl+D, which is Duplicate here.
DELETE: Shortcut = "Del"
SELECT_ALL: Shortcut = Std.SelectAll
FIND: Shortcut = Std.Find
# Ctrl+= is Ctrl++ without Shift on most layouts.
ZOOM_IN: Shortcut = (Std.ZoomIn, "Ctrl+=", "Ctrl++")
ZOOM_OUT: Shortcut = Std.ZoomOut
HELP: Shortcut = Std.HelpContents
ZOOM_FIT: Shortcut = "Ctrl+0"
ZOOM_ACTUAL: Shortcut = "Ctrl+1"
ADD_TOUCHPOINT: Shortcut = "Ctrl+T"
ADD_STAGE: Shortcut = "Ctrl+Shift+T"
CONNECT: Shortcut = "Ctrl+L"
QUICK_CAPTURE: Shortcut = "Ctrl+K"
RENAME: Shortcut = "F2"
DUPLICATE: Shortcut = "Ctrl+D"
#: The Customer Service Matrix of the map's ideas.
SERVICE_MATRIX: Shortcut = "Ctrl+Shift+M"
# Keys of the map itself, read by the scene while the map has the focus (so
# a form's line edit keeps its arrows and Enter).
SELECT_LEFT: Shortcut = "Left"
SELECT_RIGHT: Shortcut = "Right"
SELECT_UP: Shortcut = "Up"
SELECT_DOWN: Shortcut = "Down"
#: The selected card's name in the Inspector.
OPEN_IN_INSPECTOR: Shortcut = ("Return", "Enter")
# In-place renaming.
COMMIT_EDIT: Shortcut = ("Return", "Enter")
CANCEL_EDIT: Shortcut = Std.Cancel
# Std.FullScreen is F11 on the offscreen platform but nothing on X11 without a
# desktop's theme, so presentation mode names its key.
PRESENT: Shortcut = "F11"
PRESENT_EXIT: Shortcut = "Esc"
# Presentation steps through the widest gaps; a presenter's clicker sends PgUp/PgDown.
PRESENT_NEXT: Shortcut = ("Right", "Down", "PgDown")
PRESENT_PREVIOUS: Shortcut = ("Left", "Up", "PgUp")


def sequences(shortcut: Shortcut) -> list[QKeySequence]:
    """All key sequences of a shortcut (a standard key may have several), once each."""
    if isinstance(shortcut, tuple):
        found: list[QKeySequence] = []
        for key in shortcut:
            # The same sequence twice would make Qt call the shortcut ambiguous.
            found += [s for s in sequences(key) if s not in found]
        return found
    if isinstance(shortcut, str):
        return [QKeySequence(shortcut)]
    return QKeySequence.keyBindings(shortcut)


def matches(event: QKeyEvent, shortcut: Shortcut) -> bool:
    """Whether a key press is one of the shortcut's sequences (keypad or not)."""
    combination = QKeyCombination(
        event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier, Qt.Key(event.key())
    )
    return QKeySequence(combination) in sequences(shortcut)
