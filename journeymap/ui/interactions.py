"""What the user does on the canvas: dragging cards, dropping them in a stage.

The canvas package draws the map and knows nothing of editing; this scene
adds the interaction on top, as orange-canvas-core's ``interactions.py``
does.  Items never change the model: a finished drag is reported as one
``cards_dropped`` event, which the editor turns into one undo step.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneDragDropEvent,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from journeymap.canvas.items import COLUMN_W, HEADER_H, ROW_GAP, CardItem, StageColumnItem
from journeymap.canvas.scene import MapScene
from journeymap.fileio.photos import is_image
from journeymap.model.entities import Stage, TouchPoint
from journeymap.ui import shortcuts

_MOVABLE = QGraphicsItem.GraphicsItemFlag.ItemIsMovable
_SELECTABLE = QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
_LEFT = Qt.MouseButton.LeftButton
#: Arrow keys and the stage they lead to: -1 left, +1 right, 0 the same one.
_STEPS = (
    (shortcuts.SELECT_LEFT, -1, 0),
    (shortcuts.SELECT_RIGHT, 1, 0),
    (shortcuts.SELECT_UP, 0, -1),
    (shortcuts.SELECT_DOWN, 0, 1),
)


class StageHeaderColumn(StageColumnItem):
    """A column whose header can be selected (to rename the stage); the rest of
    the column stays background, so a rubber band still starts there."""

    def __init__(self, stage: Stage) -> None:
        super().__init__(stage)
        self.setFlag(_SELECTABLE)

    @staticmethod
    def header_rect() -> QRectF:
        return QRectF(0, 0, COLUMN_W - 10, HEADER_H)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self.header_rect())
        return path

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        super().paint(painter, option, widget)
        if self.isSelected():
            painter.setPen(QPen(QColor("#60a5fa"), 3, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(self.header_rect().adjusted(2, 2, -2, -2), 7, 7)


class EditableMapScene(MapScene):
    """The window's scene: cards can be dragged, and dropped into another stage."""

    #: {touch point id: {"position": (x, y)[, "stage": id]}} after one drag.
    cards_dropped = Signal(dict)
    #: ("touchpoint" or "stage", id): a double-click asks to rename it in place.
    rename_requested = Signal(str, str)
    #: A touch point id: Enter on a selected card, to edit it in the Inspector.
    card_activated = Signal(str)
    #: (touch point id, [image file paths]): image files dropped on a card.
    photos_dropped = Signal(str, list)

    def __init__(self, *args, **kwargs) -> None:
        self._drag_start: dict[str, QPointF] = {}
        #: The card the arrow keys move from when several are selected.
        self._current: str | None = None
        super().__init__(*args, **kwargs)

    def make_card(self, tp: TouchPoint) -> CardItem:
        card = super().make_card(tp)
        card.setFlag(_MOVABLE)
        return card

    def _add_column(self, stage: Stage) -> None:
        self.columns[stage.id] = column = StageHeaderColumn(stage)
        self.addItem(column)

    def rebuild(self) -> None:
        self._drag_start = {}
        super().rebuild()

    # ----------------------------------------------------------- selection

    def selected_stages(self) -> list[str]:
        """Stages whose header is selected."""
        return [i.stage.id for i in self.selectedItems() if isinstance(i, StageHeaderColumn)]

    def select_stage(self, stage_id: str) -> StageColumnItem | None:
        column = self.columns.get(stage_id)
        if column is not None:
            self.clearSelection()
            column.setSelected(True)
        return column

    def _show(self, item: QGraphicsItem | None) -> None:
        if item is not None:
            for view in self.views():
                view.ensureVisible(item, 40, 40)

    # ------------------------------------------------------------ keyboard

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Only while the map has the focus: a form's line edit keeps its keys.
        if self.focusItem() is None:
            for shortcut, across, along in _STEPS:
                if shortcuts.matches(event, shortcut):
                    self._step(across, along)
                    event.accept()  # handled: the view must not scroll as well
                    return
            if shortcuts.matches(event, shortcuts.OPEN_IN_INSPECTOR):
                cards, stages = self.selected_touchpoints(), self.selected_stages()
                if len(cards) == 1:
                    self.card_activated.emit(cards[0])
                elif not cards and len(stages) == 1:
                    self.rename_requested.emit("stage", stages[0])
                event.accept()
                return
        super().keyPressEvent(event)

    def _stage_cards(self, stage_id: str) -> list[CardItem]:
        """The cards of a stage from top to bottom as drawn (placed cards too)."""
        assert self.journey is not None
        cards = [self.cards[tp.id] for tp in self.journey.touchpoints_in_stage(stage_id)]
        return sorted(cards, key=lambda c: c.y())  # stable: file order breaks ties

    def _step(self, across: int, along: int) -> None:
        """Arrow keys: up and down within a stage (up from the top card to the
        stage's header), left and right to the nearest card of the next stage
        that has one.  Nothing selected: the first card."""
        journey = self.journey
        assert journey is not None
        cards, stages = self.selected_touchpoints(), self.selected_stages()
        if not cards and not stages:
            first = next((tp.id for tp in journey.journey_order()), None)
            if first is not None:
                self._current = first
                self._show(self.select_touchpoint(first))
            elif journey.stages:
                self._show(self.select_stage(journey.stages[0].id))
            return
        if not cards:
            self._step_from_header(stages[0], across, along)
            return
        current = self._current if self._current in cards else cards[0]
        card = self.cards[current]
        if along:
            column = self._stage_cards(card.tp.stage)
            index = column.index(card) + along
            if index < 0:
                self._show(self.select_stage(card.tp.stage))
            elif index < len(column):
                self._select_card(column[index].tp_id)
            return
        order = [s.id for s in journey.stages]
        index = order.index(card.tp.stage) + across
        while 0 <= index < len(order):
            column = self._stage_cards(order[index])
            if column:
                nearest = min(column, key=lambda c: abs(c.y() - card.y()))
                self._select_card(nearest.tp_id)
                return
            index += across

    def _step_from_header(self, stage_id: str, across: int, along: int) -> None:
        assert self.journey is not None
        if along > 0:
            column = self._stage_cards(stage_id)
            if column:
                self._select_card(column[0].tp_id)
            return
        order = [s.id for s in self.journey.stages]
        index = order.index(stage_id) + across
        if across and 0 <= index < len(order):
            self._show(self.select_stage(order[index]))

    def _select_card(self, tp_id: str) -> None:
        self._current = tp_id
        self._show(self.select_touchpoint(tp_id))

    # ------------------------------------------------ photos dropped on a card

    def _photo_drop(self, event: QGraphicsSceneDragDropEvent) -> tuple[str, list[str]] | None:
        mime = event.mimeData()
        files = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()] if mime.hasUrls() else []
        files = [f for f in files if is_image(f)]
        card = next((i for i in self.items(event.scenePos()) if isinstance(i, CardItem)), None)
        return (card.tp_id, files) if card is not None and files else None

    def dragEnterEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        # Accepted over the whole map while it carries images: a card may come under it.
        mime = event.mimeData()
        event.setAccepted(mime.hasUrls() and any(is_image(u.toLocalFile()) for u in mime.urls()))

    def dragMoveEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        event.setAccepted(self._photo_drop(event) is not None)

    def dropEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        drop = self._photo_drop(event)
        if drop is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.photos_dropped.emit(*drop)

    # --------------------------------------------------------------- mouse

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mouseDoubleClickEvent(event)
        if event.button() != _LEFT:
            return
        for item in self.items(event.scenePos()):
            if isinstance(item, CardItem):
                self.rename_requested.emit("touchpoint", item.tp_id)
                return
            if isinstance(item, StageHeaderColumn):
                self.rename_requested.emit("stage", item.stage.id)
                return

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mousePressEvent(event)
        if event.button() == _LEFT:
            self._drag_start = {
                item.tp_id: item.pos()
                for item in self.selectedItems()
                if isinstance(item, CardItem)
            }

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != _LEFT or not self._drag_start:
            return
        starts, self._drag_start = self._drag_start, {}
        moves = {}
        for tp_id, start in starts.items():
            card = self.cards.get(tp_id)
            if card is None or card.pos() == start:
                continue
            changes = self.drop_changes(card)
            if changes is None:
                card.setPos(start)  # dropped outside every column: put it back
            else:
                moves[tp_id] = changes
        if moves:
            self.cards_dropped.emit(moves)

    def drop_changes(self, card: CardItem) -> dict | None:
        """What dropping ``card`` where it is now changes, or None if it may not land here.

        The stage is the column under the card's centre; above the columns
        (over the legend) or beside them there is none.
        """
        centre = card.sceneBoundingRect().center()
        stage = self.column_at(centre.x())
        if stage is None or centre.y() < 0:
            return None
        y = self._clear_of_other_cards(card, stage)
        changes: dict = {"position": (round(card.x(), 1), round(y, 1))}
        if stage != card.tp.stage:
            changes["stage"] = stage
        return changes

    def _clear_of_other_cards(self, card: CardItem, stage: str) -> float:
        """The y at which ``card`` covers no other card of ``stage`` once it is there.

        Automatic places count every card of the stage in file order, so the
        dropped card may push later ones down a row: check against where they
        will be.  The card slides down below any card it would cover.
        """
        assert self.journey is not None
        margin = card.boundingRect()
        others = []
        row = 0
        for tp in self.journey.touchpoints:
            if tp.id == card.tp.id:
                row += tp.stage != stage  # joins the stage: takes a row of its own
                continue
            if tp.stage != stage:
                continue
            place = QPointF(*tp.position) if tp.position else self.auto_position(tp, row)
            others.append(margin.translated(place))
            row += 1
        rect = card.sceneBoundingRect()
        moved = True
        while moved:
            moved = False
            for other in others:
                if rect.intersects(other):
                    rect.moveTop(other.bottom() + ROW_GAP / 2)
                    moved = True
        return rect.top() - margin.top()
