"""Undo and Redo keys that reach the window from inside a form.

A text field claims Ctrl+Z for its own typing (Qt asks it first, with a
ShortcutOverride event) even when it has nothing to undo, so the window's
Undo never runs while a facilitator's cursor sits in the Inspector or Quick
capture.  The filter here lets the keys through to the window's Undo and Redo
actions whenever the field has no typing of its own to undo or redo.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from journeymap.ui import shortcuts

UNDO, REDO = "undo", "redo"


def undo_key(event: QKeyEvent) -> str | None:
    """UNDO or REDO when the key is one of the window's Undo or Redo shortcuts."""
    pressed = QKeySequence(event.keyCombination())
    for which, shortcut in ((UNDO, shortcuts.UNDO), (REDO, shortcuts.REDO)):
        if any(pressed.matches(s) == QKeySequence.SequenceMatch.ExactMatch
               for s in shortcuts.sequences(shortcut)):  # fmt: skip
            return which
    return None


def own_history(widget: QObject, which: str) -> bool:
    """Whether the field itself has typing to undo (or redo)."""
    if isinstance(widget, QAbstractSpinBox):
        widget = widget.findChild(QLineEdit) or widget
    elif isinstance(widget, QComboBox):
        widget = widget.lineEdit() or widget
    if isinstance(widget, QLineEdit):
        if widget.isReadOnly():
            return False
        return widget.isUndoAvailable() if which == UNDO else widget.isRedoAvailable()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        if widget.isReadOnly():
            return False
        document = widget.document()
        return document.isUndoAvailable() if which == UNDO else document.isRedoAvailable()
    return False


class UndoKeysFilter(QObject):
    """Leaves Undo and Redo to the window when a field has nothing to undo."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            which = undo_key(event)
            if which is not None and not own_history(watched, which):
                # Not accepted: Qt then runs the shortcut (the window's action).
                event.ignore()
                return True
        return False


def pass_undo_keys(owner: QObject, widgets: Iterable[QWidget]) -> UndoKeysFilter:
    """Install one filter, owned by ``owner``, on every field of a form."""
    keys = UndoKeysFilter(owner)
    for widget in widgets:
        widget.installEventFilter(keys)
        if isinstance(widget, QAbstractSpinBox | QComboBox):
            inner = widget.findChild(QLineEdit)
            if inner is not None:  # the inner field has the focus, and gets the event
                inner.installEventFilter(keys)
    return keys
