"""Renaming a card or a stage where it is drawn (F2, double-click).

A line edit is laid over the item, on the view's viewport: the graphics items
stay drawings that never change the model.  Enter (or clicking elsewhere)
commits the new name as one undo step through the editor; Esc cancels.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QFocusEvent, QFont, QKeyEvent
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView, QLineEdit, QWidget

from journeymap.canvas.items import CARD_W, COLUMN_W, HEADER_FONT, HEADER_H, NAME_FONT
from journeymap.model.validation import ModelError
from journeymap.ui import shortcuts
from journeymap.ui.document.editor import MapEditor

CARD = "touchpoint"
STAGE = "stage"
#: Where the name sits on each kind of item, in the item's coordinates.
_NAME_RECTS = {
    CARD: QRectF(4, 4, CARD_W - 8, 30),
    STAGE: QRectF(4, 7, COLUMN_W - 18, HEADER_H - 14),
}
_FONTS = {CARD: NAME_FONT, STAGE: HEADER_FONT}
#: Never smaller than this on screen, however far the map is zoomed out.
MIN_PIXELS = 13
# Focus that leaves for a menu or another window comes back: no commit then.
_KEEP_OPEN = (Qt.FocusReason.PopupFocusReason, Qt.FocusReason.ActiveWindowFocusReason)


class NameEdit(QLineEdit):
    """The line edit: Enter commits, Esc cancels, losing the focus commits."""

    committed = Signal()
    cancelled = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("inplace-name")
        self.setStyleSheet(
            "QLineEdit#inplace-name { background: #ffffff; color: #111111;"
            " border: 2px solid #2563eb; border-radius: 4px; padding: 0 4px; }"
        )

    def event(self, event: QEvent) -> bool:
        # Enter and Esc belong to the editor, never to a window shortcut.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and any(
                shortcuts.matches(event, k) for k in (shortcuts.COMMIT_EDIT, shortcuts.CANCEL_EDIT)
            )
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if shortcuts.matches(event, shortcuts.COMMIT_EDIT):
            event.accept()
            self.committed.emit()
        elif shortcuts.matches(event, shortcuts.CANCEL_EDIT):
            event.accept()
            self.cancelled.emit()
        else:
            super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() not in _KEEP_OPEN:
            self.committed.emit()


class InPlaceEditor(QObject):
    """Renames cards and stage headers of one view, through its editor."""

    #: An edit the model refused, with the model's message.
    failed = Signal(str)

    def __init__(self, view: QGraphicsView, editor: MapEditor) -> None:
        super().__init__(view)
        self.view = view
        self.editor = editor
        #: (CARD or STAGE, id) while a name is being edited.
        self.target: tuple[str, str] | None = None
        self.line = NameEdit(view.viewport())
        self.line.hide()
        self.line.committed.connect(self.commit)
        self.line.cancelled.connect(self.cancel)
        self.line.textEdited.connect(self.place)  # grows with a longer name
        # The map moves under the editor: follow it, or give up when its item goes.
        view.horizontalScrollBar().valueChanged.connect(self.place)
        view.verticalScrollBar().valueChanged.connect(self.place)
        zoom_changed = getattr(view, "zoom_changed", None)
        if zoom_changed is not None:
            zoom_changed.connect(self.place)
        editor.journey_replaced.connect(self.cancel)
        editor.undo_stack.indexChanged.connect(self._history_moved)

    def is_open(self) -> bool:
        return self.target is not None

    def rename_card(self, tp_id: str) -> None:
        self._open(CARD, tp_id, self.editor.journey.touchpoint(tp_id).name)

    def rename_stage(self, stage_id: str) -> None:
        self._open(STAGE, stage_id, self.editor.journey.stage(stage_id).name)

    def rename(self, kind: str, key: str) -> None:
        """Open the editor on a card (``"touchpoint"``) or a stage (``"stage"``)."""
        if kind == CARD:
            self.rename_card(key)
        elif kind == STAGE:
            self.rename_stage(key)

    def _open(self, kind: str, key: str, name: str) -> None:
        if self.target is not None:
            self.commit()
        item = self._item(kind, key)
        if item is None:
            return
        self.target = (kind, key)
        self.view.ensureVisible(item, 20, 20)
        self.line.setText(name)
        self.line.selectAll()
        self.place()
        self.line.show()
        self.line.raise_()
        self.line.setFocus(Qt.FocusReason.OtherFocusReason)

    def _item(self, kind: str, key: str) -> QGraphicsItem | None:
        scene = self.editor.scene
        return (scene.cards if kind == CARD else scene.columns).get(key)

    def place(self) -> None:
        """Lay the line edit over the item's name, at the view's zoom."""
        if self.target is None:
            return
        kind, key = self.target
        item = self._item(kind, key)
        if item is None:
            self.cancel()
            return
        zoom = self.view.transform().m11()
        font = QFont(_FONTS[kind])
        font.setPixelSize(max(MIN_PIXELS, round(_FONTS[kind].pixelSize() * zoom)))
        self.line.setFont(font)
        rect = self.view.mapFromScene(item.mapRectToScene(_NAME_RECTS[kind])).boundingRect()
        height = max(rect.height(), self.line.sizeHint().height())
        # The whole name in sight (zoomed out, wider than its card), within the map.
        text_width = self.line.fontMetrics().horizontalAdvance(self.line.text()) + 24
        room = self.view.viewport().width() - rect.x()
        width = max(rect.width(), min(text_width, room))
        self.line.setGeometry(rect.x(), rect.center().y() - height // 2, width, height)

    def commit(self) -> None:
        """The new name as one undo step; empty or unchanged, nothing happens."""
        if self.target is None:
            return
        kind, key = self.target
        name = self.line.text().strip()
        self._close()
        if not name:
            return
        try:
            if kind == CARD:
                self.editor.update_touchpoint(key, name=name)
            else:
                self.editor.update_stage(key, name=name)
        except ModelError as exc:
            self.failed.emit(str(exc))

    def cancel(self) -> None:
        if self.target is not None:
            self._close()

    def _close(self) -> None:
        self.target = None  # first: hiding takes the focus, which would commit again
        had_focus = self.line.hasFocus()
        self.line.hide()
        if had_focus:
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _history_moved(self) -> None:
        # Undo while editing may take the item away; then there is nothing to rename.
        if self.target is not None:
            kind, key = self.target
            if key not in self.editor.journey.collection(kind):
                self.cancel()
