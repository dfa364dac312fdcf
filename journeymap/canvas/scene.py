"""The map scene: mirrors a JourneyMap through its change events, item by item."""

from __future__ import annotations

from PySide6.QtCore import QObject, QPointF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsScene

from journeymap.canvas.items import (
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
from journeymap.model.analysis import ObservationFilter, statistics
from journeymap.model.collection import ADD, MOVE, REMOVE, Change
from journeymap.model.entities import Stage, TouchPoint, Transition
from journeymap.model.journey import JourneyMap

CARD_LEFT = (COLUMN_W - 10 - CARD_W) / 2


class MapScene(QGraphicsScene):
    """Stages as columns, touch points as cards, transitions as arrows.

    Updates are incremental: a change to one touch point or one observation
    touches that card and its arrows only.  Card numbers come from the map's
    statistics source under :attr:`filter`, the same numbers every other
    view shows.
    """

    def __init__(self, journey: JourneyMap, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setBackgroundBrush(QColor("#ffffff"))
        self.journey: JourneyMap | None = None
        #: Which observations the cards' numbers count.
        self.filter: ObservationFilter | None = None
        #: A line under the legend: the filter in force, the date of an export.
        self.note = ""
        self.cards: dict[str, CardItem] = {}
        self.edges: dict[tuple[str, str], TransitionItem] = {}
        self.columns: dict[str, StageColumnItem] = {}
        self.legend = LegendItem("", journey.scale)
        self.addItem(self.legend)
        self.set_journey(journey)

    # ------------------------------------------------------------- binding

    def set_journey(self, journey: JourneyMap) -> None:
        """Mirror ``journey``; the previous map is let go (no connection is left)."""
        self.unbind()
        self.journey = journey
        journey.changed.connect(self._on_change)
        self.rebuild()

    def unbind(self) -> None:
        if self.journey is not None:
            self.journey.changed.disconnect(self._on_change)

    def make_card(self, tp: TouchPoint) -> CardItem:
        """A card for ``tp``; an editing scene makes it movable."""
        assert self.journey is not None
        return CardItem(tp, self.journey.scale)

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

    # -------------------------------------------------------------- filter

    def set_filter(self, flt: ObservationFilter | None, note: str = "") -> None:
        """Count only these observations on the cards, and say so under the legend."""
        self.filter = None if flt is None or flt.is_empty else flt
        self.note = note
        for tp_id, card in self.cards.items():
            self._refresh_stats(tp_id, card)
        self._refresh_legend()

    def _refresh_legend(self) -> None:
        assert self.journey is not None
        self.legend.set_content(self.journey.title, self.journey.scale, self.note)
        self.legend.setPos(0, -self.legend.HEIGHT - 24)

    def _refresh_stats(self, tp_id: str, card: CardItem | None = None) -> None:
        assert self.journey is not None
        card = card or self.cards.get(tp_id)
        if card is not None:
            card.set_stats(statistics(self.journey).touchpoint(tp_id, self.filter))

    # -------------------------------------------------------------- layout

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

    def column_at(self, x: float) -> str | None:
        """The stage whose column spans scene x-coordinate ``x``, or None."""
        for stage_id, column in self.columns.items():
            if column.x() <= x < column.x() + COLUMN_W:
                return stage_id
        return None

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
        card = self.make_card(tp)
        self.cards[tp.id] = card
        self._refresh_stats(tp.id, card)
        self.addItem(card)
        return card

    def _add_edge(self, tr: Transition) -> None:
        edge = TransitionItem(tr, self.cards[tr.source], self.cards[tr.target])
        self.edges[tr.key] = edge
        self.addItem(edge)

    # -------------------------------------------------------- model changes

    def _on_change(self, change: Change) -> None:
        handler = getattr(self, f"_on_{change.kind}", None)
        if handler is not None:
            handler(change)

    def _on_map(self, change: Change) -> None:
        if "scale" in change.fields:
            assert self.journey is not None
            for tp_id, card in self.cards.items():
                card.scale = self.journey.scale
                self._refresh_stats(tp_id, card)
        self._refresh_legend()

    def _on_stage(self, change: Change) -> None:
        stage = change.record
        if change.op == ADD:
            self._add_column(stage)
        elif change.op == REMOVE:
            self.removeItem(self.columns.pop(stage.id))
        else:
            self.columns[stage.id].update()
            if change.op != MOVE:
                return
        self._layout_columns()
        self._layout_all_cards()

    def _on_touchpoint(self, change: Change) -> None:
        tp = change.record
        if change.op == ADD:
            self._add_card(tp)
            self._layout_stage(tp.stage)
            self._fit_column_heights()
        elif change.op == REMOVE:
            self.removeItem(self.cards.pop(tp.id))
            self._layout_stage(tp.stage)
            self._fit_column_heights()
        elif change.op == MOVE:
            self._layout_stage(tp.stage)
        else:
            card = self.cards[tp.id]
            if "stage" in change.fields:
                self._layout_stage(change.old["stage"])
                self._layout_stage(tp.stage)
                self._grow_columns(card)
            elif "position" in change.fields:
                self._place_one(tp)
            card.refresh_tooltip()
            card.update()

    def _on_transition(self, change: Change) -> None:
        tr = change.record
        if change.op == ADD:
            self._add_edge(tr)
        elif change.op == REMOVE:
            edge = self.edges.pop(tr.key)
            edge.detach()
            self.removeItem(edge)
        else:
            edge = self.edges[tr.key]
            edge.apply_style()
            edge.adjust()

    def _on_observation(self, change: Change) -> None:
        self._refresh_stats(change.record.touchpoint)
        if "touchpoint" in change.fields:
            self._refresh_stats(change.old["touchpoint"])

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
