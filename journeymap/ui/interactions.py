"""What the user does on the canvas: dragging cards, dropping them in a stage.

The canvas package draws the map and knows nothing of editing; this scene
adds the interaction on top, as orange-canvas-core's ``interactions.py``
does.  Items never change the model: a finished drag is reported as one
``cards_dropped`` event, which the editor turns into one undo step.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtWidgets import QGraphicsItem, QGraphicsSceneMouseEvent

from journeymap.canvas.items import ROW_GAP, CardItem
from journeymap.canvas.scene import MapScene
from journeymap.model.entities import TouchPoint

_MOVABLE = QGraphicsItem.GraphicsItemFlag.ItemIsMovable


class EditableMapScene(MapScene):
    """The window's scene: cards can be dragged, and dropped into another stage."""

    #: {touch point id: {"position": (x, y)[, "stage": id]}} after one drag.
    cards_dropped = Signal(dict)

    def __init__(self, *args, **kwargs) -> None:
        self._drag_start: dict[str, QPointF] = {}
        super().__init__(*args, **kwargs)

    def make_card(self, tp: TouchPoint) -> CardItem:
        card = super().make_card(tp)
        card.setFlag(_MOVABLE)
        return card

    def rebuild(self) -> None:
        self._drag_start = {}
        super().rebuild()

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mousePressEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag_start = {
                item.tp_id: item.pos()
                for item in self.selectedItems()
                if isinstance(item, CardItem)
            }

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or not self._drag_start:
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
