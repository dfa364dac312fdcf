"""The Customer Service Matrix: the map's ideas on a grid of 3 levels x 4 scopes.

Rows are the levels (standard, extended, innovative), columns the scopes
(the individual customer, the library as service provider, the community,
leadership in the community).  Each idea is a card; dragging it to another
cell is one undo step through the editor.  The view never changes the model
itself and redraws from the model on every change (so Undo moves a card back).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QMimeData, QPoint, Qt
from PySide6.QtGui import QDrag, QDragEnterEvent, QDragMoveEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from journeymap.model.collection import Change
from journeymap.model.entities import IDEA_LEVELS, IDEA_SCOPES, Idea
from journeymap.model.journey import JourneyMap
from journeymap.model.validation import ModelError

if TYPE_CHECKING:
    from journeymap.ui.document.editor import MapEditor

#: The drag's data: the idea's id, UTF-8.
IDEA_MIME = "application/x-journeymap-idea"
LEVEL_WORDS = {"standard": "Standard", "extended": "Extended", "innovative": "Innovative"}
SCOPE_WORDS = {
    "individual": "Individual customer",
    "service": "Library as service provider",
    "community": "Community",
    "leadership": "Leadership in the community",
}
_CELL_STYLE = "ServiceCell {{ background: {bg}; border: 1px solid #c8c8c8; border-radius: 4px; }}"
_CARD_STYLE = (
    "IdeaCard { background: white; border: 1px solid #8c8c8c; border-radius: 3px; }"
    "QLabel#where { color: #595959; }"
)


def move_words(idea: Idea) -> str:
    """The undo step's text for moving an idea to its new cell."""
    return f"Move idea to {LEVEL_WORDS[idea.level]} / {SCOPE_WORDS[idea.scope]}"


class IdeaCard(QFrame):
    """One idea: its text and its touch point; drag it to another cell."""

    def __init__(self, idea: Idea, where: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.idea_id = idea.id
        self.setStyleSheet(_CARD_STYLE)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(1)
        self.text = QLabel(idea.text)
        self.where = QLabel(where)
        self.where.setObjectName("where")
        for label in (self.text, self.where):
            label.setTextFormat(Qt.TextFormat.PlainText)  # user text
            label.setWordWrap(True)
            layout.addWidget(label)
        font = self.where.font()
        font.setPointSizeF(font.pointSizeF() * 0.85)
        self.where.setFont(font)
        self.setToolTip("Drag to another cell to re-class the idea")
        self._press: QPoint | None = None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        if (event.position().toPoint() - self._press).manhattanLength() < (
            QApplication.startDragDistance()
        ):
            return
        self._press = None
        drag = QDrag(self)
        drag.setMimeData(idea_mime(self.idea_id))
        drag.setPixmap(self.grab())
        drag.exec(Qt.DropAction.MoveAction)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._press = None
        super().mouseReleaseEvent(event)


def idea_mime(idea_id: str) -> QMimeData:
    data = QMimeData()
    data.setData(IDEA_MIME, QByteArray(idea_id.encode("utf-8")))
    return data


class ServiceCell(QFrame):
    """One cell of the grid (a level and a scope); ideas dropped here take both."""

    def __init__(self, matrix: ServiceMatrix, level: str, scope: str) -> None:
        super().__init__()
        self.matrix, self.level, self.scope = matrix, level, scope
        self.setAcceptDrops(True)
        self.setMinimumSize(190, 90)
        self._set_hover(False)
        self.cards = QVBoxLayout(self)
        self.cards.setContentsMargins(6, 6, 6, 6)
        self.cards.setSpacing(4)
        self.cards.addStretch(1)
        self.setToolTip(f"{LEVEL_WORDS[level]} service to: {SCOPE_WORDS[scope]}")

    def _set_hover(self, on: bool) -> None:
        self.setStyleSheet(_CELL_STYLE.format(bg="#dbe9f6" if on else "#f4f4f4"))

    def add_card(self, card: IdeaCard) -> None:
        self.cards.insertWidget(self.cards.count() - 1, card)

    def card_widgets(self) -> list[IdeaCard]:
        return [self.cards.itemAt(i).widget() for i in range(self.cards.count() - 1)]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(IDEA_MIME):
            self._set_hover(True)
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(IDEA_MIME):
            event.acceptProposedAction()

    def dragLeaveEvent(self, event) -> None:
        self._set_hover(False)

    def dropEvent(self, event: QDropEvent) -> None:
        self._set_hover(False)
        if not event.mimeData().hasFormat(IDEA_MIME):
            return
        idea_id = bytes(event.mimeData().data(IDEA_MIME).data()).decode("utf-8")
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        self.matrix.move_idea(idea_id, self.level, self.scope)


class ServiceMatrix(QWidget):
    """The grid; it follows the editor's map and edits only through the editor."""

    def __init__(self, editor: MapEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.journey: JourneyMap | None = None
        grid = QGridLayout(self)
        grid.setSpacing(6)
        self.cells: dict[tuple[str, str], ServiceCell] = {}
        for col, scope in enumerate(IDEA_SCOPES, start=1):
            header = QLabel(SCOPE_WORDS[scope])
            header.setAlignment(Qt.AlignmentFlag.AlignCenter)
            header.setWordWrap(True)
            header.setStyleSheet("font-weight: bold")
            grid.addWidget(header, 0, col)
            grid.setColumnStretch(col, 1)
        for row, level in enumerate(IDEA_LEVELS, start=1):
            header = QLabel(LEVEL_WORDS[level])
            header.setStyleSheet("font-weight: bold")
            header.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
            grid.addWidget(header, row, 0)
            for col, scope in enumerate(IDEA_SCOPES, start=1):
                cell = ServiceCell(self, level, scope)
                self.cells[level, scope] = cell
                grid.addWidget(cell, row, col)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        grid.addWidget(self.message, len(IDEA_LEVELS) + 1, 0, 1, len(IDEA_SCOPES) + 1)
        editor.journey_replaced.connect(self.bind)
        self.bind()

    def bind(self) -> None:
        """Follow the editor's current map, and let go of the one before."""
        if self.journey is not None:
            self.journey.changed.disconnect(self._model_changed)
        self.journey = self.editor.journey
        self.journey.changed.connect(self._model_changed)
        self.refresh()

    def _model_changed(self, change: Change) -> None:
        if change.kind in ("idea", "touchpoint", "map"):
            self.refresh()

    def refresh(self) -> None:
        """Lay the cards out again from the model."""
        journey = self.editor.journey
        for cell in self.cells.values():
            for card in cell.card_widgets():
                cell.cards.removeWidget(card)
                card.deleteLater()
        for idea in journey.ideas:
            cell = self.cells.get((idea.level, idea.scope))
            if cell is None:
                continue
            if idea.touchpoint and journey.has_touchpoint(idea.touchpoint):
                where = f"at {journey.touchpoint(idea.touchpoint).name}"
            else:
                where = "the whole service"
            cell.add_card(IdeaCard(idea, where))

    def cell_of(self, idea_id: str) -> tuple[str, str] | None:
        """The (level, scope) whose cell shows the idea's card, if any."""
        for key, cell in self.cells.items():
            if any(card.idea_id == idea_id for card in cell.card_widgets()):
                return key
        return None

    def move_idea(self, idea_id: str, level: str, scope: str) -> None:
        """A drop: the idea takes the cell's level and scope, as one undo step."""
        self.message.clear()
        journey = self.editor.journey
        if idea_id not in journey.collection("idea"):
            return
        idea = journey.collection("idea").get(idea_id)
        target = Idea(idea.id, idea.touchpoint, idea.text, level, scope)
        try:
            self.editor.update("idea", idea_id, {"level": level, "scope": scope},
                               move_words(target))  # fmt: skip
        except ModelError as exc:
            self.message.setText(str(exc))


class MatrixDialog(QDialog):
    """The matrix in a window of its own that can stay open beside the map."""

    def __init__(self, editor: MapEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Customer Service Matrix")
        self.setModal(False)
        self.matrix = ServiceMatrix(editor)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.matrix)
        intro = QLabel(
            "Ideas by level of service (rows) and for whom (columns). "
            "Drag a card to another cell to re-class it; Undo moves it back."
        )
        intro.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(980, 640)


def show_matrix(window) -> MatrixDialog:
    """Open (or raise) the window's Service Matrix."""
    dialog = getattr(window, "matrix_dialog", None)
    if dialog is None:
        dialog = window.matrix_dialog = MatrixDialog(window.editor, window)
        # Undo and Redo keep working while the matrix has the focus.
        dialog.addActions([window.undo_action, window.redo_action])
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
