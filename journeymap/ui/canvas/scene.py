"""The map scene: mirrors a JourneyMap through its signals, item by item."""

from __future__ import annotations

from PySide6.QtCore import QObject, QPointF, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsScene, QGraphicsSceneMouseEvent

from journeymap.model.analysis import ObservationFilter, gap_stats, select, wide_gap_threshold
from journeymap.model.entities import Observation, Stage, TouchPoint, Transition
from journeymap.model.journey import JourneyMap
from journeymap.ui.canvas.items import (
    CARD_H,
    CARD_TOP,
    CARD_W,
    COLUMN_W,
    ROW_GAP,
    CardItem,
    LegendItem,
    StageColumnItem,
    TransitionItem,
)

CARD_LEFT = (COLUMN_W - 10 - CARD_W) / 2


class MapScene(QGraphicsScene):
    """Stages as columns, touch points as cards, transitions as arrows.

    Updates are incremental: a change to one touch point or one observation
    touches that card and its arrows only.
    """

    #: {touch point id: (old model position or None, new position)} after one drag.
    cards_dragged = Signal(dict)

    def __init__(self, journey: JourneyMap, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setBackgroundBrush(QColor("#ffffff"))
        self.journey: JourneyMap | None = None
        #: Which observations colour the cards (exports may choose a method or persona).
        self.filter: ObservationFilter | None = None
        #: A line under the legend, e.g. the filters and date of an export.
        self.note = ""
        self.cards: dict[str, CardItem] = {}
        self.edges: dict[tuple[str, str], TransitionItem] = {}
        self.columns: dict[str, StageColumnItem] = {}
        self.legend = LegendItem("", journey.scale)
        self.addItem(self.legend)
        self._drag_start: dict[str, QPointF] = {}
        self.set_journey(journey)

    # ------------------------------------------------------------- binding

    _SIGNALS = (
        "title_changed", "scale_changed", "stage_added", "stage_removed", "stage_changed",
        "stage_moved", "touchpoint_added", "touchpoint_removed", "touchpoint_changed",
        "touchpoint_moved", "transition_added", "transition_removed", "transition_changed",
        "observation_added", "observation_removed", "observation_changed",
    )  # fmt: skip

    def set_journey(self, journey: JourneyMap) -> None:
        if self.journey is not None:
            for name in self._SIGNALS:
                getattr(self.journey, name).disconnect(getattr(self, f"_on_{name}"))
        self.journey = journey
        for name in self._SIGNALS:
            getattr(journey, name).connect(getattr(self, f"_on_{name}"))
        self.rebuild()

    def rebuild(self) -> None:
        """Build every item from the model: on load only, never per edit."""
        for item in [*self.edges.values(), *self.cards.values(), *self.columns.values()]:
            self.removeItem(item)
        self.cards.clear()
        self.edges.clear()
        self.columns.clear()
        journey = self.journey
        assert journey is not None
        for stage in journey.stages:
            self._add_column(stage)
        self._layout_columns()
        for tp in journey.touchpoints:
            self._add_card(tp)
        self._layout_all_cards()
        # Arrows last, so each is routed once rather than at every card move.
        for tr in journey.transitions:
            self._add_edge(tr)
        self._refresh_legend()

    # -------------------------------------------------------------- layout

    def set_filter(self, flt: ObservationFilter | None, note: str = "") -> None:
        """Colour the cards by these observations only, and say so under the legend."""
        self.filter = flt
        self.note = note
        for tp_id, card in self.cards.items():
            self._refresh_stats(tp_id, card)
        self._refresh_legend()

    def _refresh_legend(self) -> None:
        assert self.journey is not None
        self.legend.set_content(self.journey.title, self.journey.scale, self.note)
        self.legend.setPos(0, -self.legend.HEIGHT - 24)

    def _layout_columns(self) -> None:
        assert self.journey is not None
        for index, stage in enumerate(self.journey.stages):
            self.columns[stage.id].setPos(index * COLUMN_W, 0)
        self._fit_column_heights()

    def _fit_column_heights(self) -> None:
        bottom = max((c.sceneBoundingRect().bottom() for c in self.cards.values()), default=0)
        height = max(CARD_TOP + CARD_H + 40, bottom + 30)
        for column in self.columns.values():
            column.set_height(height)

    def auto_position(self, tp: TouchPoint, row: int) -> QPointF:
        column = self.columns[tp.stage]
        return QPointF(column.x() + CARD_LEFT, CARD_TOP + row * (CARD_H + ROW_GAP))

    def _layout_stage(self, stage_id: str) -> None:
        """Place the cards of one stage.

        A card's automatic place is its row in the stage, counting every card,
        so dragging one card never shifts the others.
        """
        assert self.journey is not None
        for row, tp in enumerate(self.journey.touchpoints_in_stage(stage_id)):
            self._place(tp, row)

    def _place(self, tp: TouchPoint, row: int) -> None:
        card = self.cards[tp.id]
        card.setPos(
            QPointF(*tp.position) if tp.position is not None else self.auto_position(tp, row)
        )

    def _place_one(self, tp: TouchPoint) -> None:
        assert self.journey is not None
        row = [t.id for t in self.journey.touchpoints_in_stage(tp.stage)].index(tp.id)
        self._place(tp, row)
        self._grow_columns(self.cards[tp.id])

    def _grow_columns(self, card: CardItem) -> None:
        """Columns reach below the lowest card; growing needs only the card that moved."""
        bottom = card.sceneBoundingRect().bottom() + 30
        for column in self.columns.values():
            if column.height < bottom:
                column.set_height(bottom)

    def _layout_all_cards(self) -> None:
        assert self.journey is not None
        rows: dict[str, int] = {}
        for tp in self.journey.touchpoints:
            row = rows.get(tp.stage, 0)
            self._place(tp, row)
            rows[tp.stage] = row + 1
        self._fit_column_heights()

    # --------------------------------------------------------------- items

    def _add_column(self, stage: Stage) -> None:
        column = StageColumnItem(stage)
        self.columns[stage.id] = column
        self.addItem(column)

    def _add_card(self, tp: TouchPoint) -> CardItem:
        assert self.journey is not None
        card = CardItem(tp, self.journey.scale)
        self.cards[tp.id] = card
        self._refresh_stats(tp.id, card)
        self.addItem(card)
        return card

    def _add_edge(self, tr: Transition) -> None:
        edge = TransitionItem(tr, self.cards[tr.source], self.cards[tr.target])
        self.edges[tr.key] = edge
        self.addItem(edge)

    def _refresh_stats(self, tp_id: str, card: CardItem | None = None) -> None:
        assert self.journey is not None
        card = card or self.cards.get(tp_id)
        if card is None:
            return
        threshold = wide_gap_threshold(self.journey.scale)
        card.set_stats(
            gap_stats(select(self.journey.observations_for(tp_id), self.filter), threshold)
        )

    # ------------------------------------------------------ model signals

    def _on_title_changed(self, title: str) -> None:
        self._refresh_legend()

    def _on_scale_changed(self, scale) -> None:
        for tp_id, card in self.cards.items():
            card.scale = scale
            self._refresh_stats(tp_id, card)
        self._refresh_legend()

    def _on_stage_added(self, stage: Stage, index: int) -> None:
        self._add_column(stage)
        self._layout_columns()
        self._layout_all_cards()

    def _on_stage_removed(self, stage: Stage, index: int) -> None:
        self.removeItem(self.columns.pop(stage.id))
        self._layout_columns()
        self._layout_all_cards()

    def _on_stage_changed(self, stage: Stage, fields: tuple) -> None:
        self.columns[stage.id].update()

    def _on_stage_moved(self, stage: Stage, old: int, new: int) -> None:
        self._layout_columns()
        self._layout_all_cards()

    def _on_touchpoint_added(self, tp: TouchPoint, index: int) -> None:
        self._add_card(tp)
        self._layout_stage(tp.stage)
        self._fit_column_heights()

    def _on_touchpoint_removed(self, tp: TouchPoint, index: int) -> None:
        card = self.cards.pop(tp.id)
        self._drag_start.pop(tp.id, None)
        self.removeItem(card)
        self._layout_stage(tp.stage)
        self._fit_column_heights()

    def _on_touchpoint_changed(self, tp: TouchPoint, fields: tuple) -> None:
        card = self.cards[tp.id]
        if "stage" in fields:
            self._layout_all_cards()
        elif "position" in fields:
            self._place_one(tp)
        card.refresh_tooltip()
        card.update()

    def _on_touchpoint_moved(self, tp: TouchPoint, old: int, new: int) -> None:
        self._layout_stage(tp.stage)

    def _on_transition_added(self, tr: Transition, index: int) -> None:
        self._add_edge(tr)

    def _on_transition_removed(self, tr: Transition, index: int) -> None:
        edge = self.edges.pop(tr.key)
        edge.detach()
        self.removeItem(edge)

    def _on_transition_changed(self, tr: Transition, fields: tuple) -> None:
        edge = self.edges[tr.key]
        edge.apply_style()
        edge.adjust()

    def _on_observation_added(self, obs: Observation, index: int) -> None:
        self._refresh_stats(obs.touchpoint)

    def _on_observation_removed(self, obs: Observation, index: int) -> None:
        self._refresh_stats(obs.touchpoint)

    def _on_observation_changed(self, obs: Observation, fields: tuple) -> None:
        if "touchpoint" in fields:
            # The old touch point is not known from the signal; counts are cheap.
            for tp_id, card in self.cards.items():
                self._refresh_stats(tp_id, card)
        else:
            self._refresh_stats(obs.touchpoint)

    # ------------------------------------------------------------ dragging

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
        assert self.journey is not None
        moves = {}
        for tp_id, start in self._drag_start.items():
            card = self.cards.get(tp_id)
            if card is not None and card.pos() != start:
                old = self.journey.touchpoint(tp_id).position
                moves[tp_id] = (old, (round(card.x(), 1), round(card.y(), 1)))
        self._drag_start = {}
        if moves:
            self.cards_dragged.emit(moves)

    # ------------------------------------------------------------- queries

    def selected_touchpoints(self) -> list[str]:
        return [i.tp_id for i in self.selectedItems() if isinstance(i, CardItem)]

    def selected_transitions(self) -> list[tuple[str, str]]:
        return [i.key for i in self.selectedItems() if isinstance(i, TransitionItem)]

    def select_touchpoint(self, tp_id: str) -> CardItem | None:
        card = self.cards.get(tp_id)
        if card is None:
            return None
        self.clearSelection()
        card.setSelected(True)
        return card
