"""The map scene: mirrors a JourneyMap through its change events, item by item."""

from __future__ import annotations

from PySide6.QtCore import QObject, QPointF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsScene

from journeymap.canvas import colors
from journeymap.canvas.arrows import TransitionItem
from journeymap.canvas.items import (
    CARD_H,
    CARD_TOP,
    CARD_W,
    COLUMN_W,
    HEADER_H,
    ROW_GAP,
    CardItem,
    StageColumnItem,
)
from journeymap.canvas.legend import LegendItem
from journeymap.canvas.overlays import InsightsOverlay
from journeymap.canvas.routing import Router
from journeymap.model.analysis import ObservationFilter, select, statistics
from journeymap.model.collection import ADD, MOVE, REMOVE, Change
from journeymap.model.entities import (
    ACTION_STATUSES,
    RULE_COLORS,
    Stage,
    TouchPoint,
    Transition,
)
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
        #: Routes every arrow around the cards and headers, and places the labels.
        self.router = Router(COLUMN_W, 10.0, ROW_GAP)
        # While many cards move at once, arrows wait and are routed once at the end.
        self._bulk = False
        self.legend = LegendItem("", journey.scale)
        self.addItem(self.legend)
        #: The insights overlay: off unless the window shows it (exports never do).
        self.overlay = InsightsOverlay(self)
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
        self._bulk = True
        for stage in journey.stages:
            self._add_column(stage)
        self._layout_columns()
        for tp in journey.touchpoints:
            self._add_card(tp)
        self._layout_all_cards()
        # Arrows last, so each is routed once rather than at every card move.
        for tr in journey.transitions:
            self._add_edge(tr)
        self.route_all()
        self._refresh_legend()
        self.overlay.schedule()

    # -------------------------------------------------------------- filter

    def set_filter(self, flt: ObservationFilter | None, note: str = "") -> None:
        """Count only these observations on the cards, and say so under the legend."""
        self.filter = None if flt is None or flt.is_empty else flt
        self.note = note
        for tp_id, card in self.cards.items():
            self._refresh_stats(tp_id, card)
        self._refresh_legend()
        self.overlay.schedule()

    def _refresh_legend(self) -> None:
        assert self.journey is not None
        self.legend.set_content(self.journey.title, self.journey.scale, self.note)
        self.legend.setPos(0, -self.legend.HEIGHT - 24)

    def _refresh_stats(self, tp_id: str, card: CardItem | None = None) -> None:
        assert self.journey is not None
        card = card or self.cards.get(tp_id)
        if card is not None:
            stats = statistics(self.journey).touchpoint(tp_id, self.filter)
            # No gap: a card whose scores are reality only shows satisfaction instead.
            reality = None
            if stats.gap is None and stats.observations:
                kept = select(self.journey.observations_for(tp_id), self.filter)
                reality = colors.reality_only_mean(kept)
            card.photos = sum(len(o.photos) for o in self.journey.observations_for(tp_id))
            self._refresh_marks(tp_id, card)
            card.set_stats(stats, reality)

    def _refresh_marks(self, tp_id: str, card: CardItem) -> None:
        """The card's actions by status and its strictest rule (red > yellow > green)."""
        assert self.journey is not None
        counts = dict.fromkeys(ACTION_STATUSES, 0)
        for action in self.journey.actions:
            if action.touchpoint == tp_id:
                counts[action.status] = counts.get(action.status, 0) + 1
        card.action_counts = {s: n for s, n in counts.items() if n}
        colours = {r.color for r in self.journey.rules if r.touchpoint == tp_id}
        card.rule_color = next((c for c in RULE_COLORS if c in colours), None)

    # -------------------------------------------------------------- layout

    def _layout_columns(self) -> None:
        assert self.journey is not None
        for index, stage in enumerate(self.journey.stages):
            self.columns[stage.id].setPos(index * COLUMN_W, 0)
        self.router.set_headers(
            [(c.x(), c.y(), c.x() + COLUMN_W - 10, c.y() + HEADER_H) for c in self.columns.values()]
        )
        self._fit_column_heights()

    def _fit_column_heights(self) -> None:
        bottom = max((c.sceneBoundingRect().bottom() for c in self.cards.values()), default=0)
        # Arrows run in a lane below the lowest cards: the columns reach below them too.
        bottom = max([bottom, *(r.bounds[3] for r in self.router.routes.values())])
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

    def _grow_columns(self, card: CardItem | None, bottom: float = 0.0) -> None:
        """Columns reach below the lowest card; growing needs only the card that moved."""
        if card is not None:
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
        card.on_moved = self._card_moved
        self.cards[tp.id] = card
        self._refresh_stats(tp.id, card)
        self.addItem(card)
        return card

    def _add_edge(self, tr: Transition) -> None:
        edge = TransitionItem(tr, self.cards[tr.source], self.cards[tr.target], self.router)
        self.edges[tr.key] = edge
        self.addItem(edge)
        if not self._bulk:
            self._reroute([edge])

    # -------------------------------------------------------------- arrows

    def route_all(self) -> None:
        """Route every arrow afresh, main paths first (they are the map's spine),
        then the branches, whose labels find room around them."""
        self._bulk = False
        router = self.router
        router.clear_routes()
        router.clear_cards()
        for tp_id, card in self.cards.items():
            router.set_card(tp_id, _rect(card))
        edges = sorted(self.edges.values(), key=lambda e: e.tr.kind != "main")
        for edge in edges:
            edge.adjust()
        self._fit_column_heights()

    def _card_moved(self, card: CardItem) -> None:
        if self._bulk:
            return
        rect = _rect(card)
        self.router.set_card(card.tp_id, rect)
        # Its own arrows, and any other whose line or label it now covers.
        keys = {edge.key for edge in card.edges} | self.router.edges_meeting(rect)
        self._reroute([self.edges[k] for k in keys if k in self.edges])

    def _reroute(self, edges: list[TransitionItem]) -> None:
        for edge in edges:
            if edge.source.tp_id in self.router.cards and edge.target.tp_id in self.router.cards:
                edge.adjust()
                if edge.route is not None:
                    self._grow_columns(None, edge.route.bounds[3] + 20)

    # -------------------------------------------------------- model changes

    def _on_change(self, change: Change) -> None:
        handler = getattr(self, f"_on_{change.kind}", None)
        if handler is not None:
            handler(change)
        self.overlay.schedule()

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
        self._bulk = True
        self._layout_columns()
        self._layout_all_cards()
        self.route_all()

    def _on_touchpoint(self, change: Change) -> None:
        tp = change.record
        if change.op == ADD:
            card = self._add_card(tp)
            self._layout_stage(tp.stage)
            self._card_moved(card)
            self._fit_column_heights()
        elif change.op == REMOVE:
            self.removeItem(self.cards.pop(tp.id))
            self.router.remove_card(tp.id)
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

    def _on_action(self, change: Change) -> None:
        """An action or a rule changed: the marks of its card (and its old one)."""
        for tp_id in {change.record.touchpoint, (change.old or {}).get("touchpoint")}:
            card = self.cards.get(tp_id) if tp_id is not None else None
            if card is not None:
                self._refresh_marks(tp_id, card)
                card.refresh_tooltip()
                card.update()

    _on_rule = _on_action

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


def _rect(card: CardItem) -> tuple[float, float, float, float]:
    r = card.sceneBoundingRect()
    return (r.left(), r.top(), r.right(), r.bottom())
