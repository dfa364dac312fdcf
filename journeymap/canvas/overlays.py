"""The insights overlay of the map: what the journey's shape says, drawn on the canvas.

Switched on from the window (View > Insights Overlay), off by default and in
every export (an export draws a scene of its own).  When shown it draws

- the **worst path** (the entry-to-exit path with the greatest total gap) as
  a thick translucent band under the arrows, along their routes;
- each card's **reach** (the share of customers who pass it) on a tab on its
  top edge;
- a teal **every path** tab on the unavoidable touch points (apart from the
  user's star, which marks a moment of truth);
- on the bottom edge of a card where customers **leave** the journey, the
  share of all customers who leave there.

The numbers come from :func:`journeymap.model.insights.insights` under the
scene's filter, the numbers of the Insights dock and ``journeymap insights``.
The overlay follows the map: every change asks for one refresh, done once
the event loop is free again (a drag or an import is one refresh, not many).
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from journeymap.canvas.items import CARD_H, CARD_W, font
from journeymap.model.insights import Insights, insights

if TYPE_CHECKING:
    from journeymap.canvas.items import CardItem
    from journeymap.canvas.scene import MapScene

#: The worst path: a highlighter stroke, apart from the red and blue of the gaps.
BAND_COLOUR = QColor(245, 158, 11, 110)
BAND_WIDTH = 18.0
#: The unavoidable mark: teal, unlike the star's brown and the gap colours.
UNAVOIDABLE_FILL = QColor("#0f766e")
LEAVES_INK, LEAVES_FILL = QColor("#991b1b"), QColor("#fee2e2")
TAG_FONT = font(11, bold=True)
TAG_H = 18.0
#: Top tabs sit on the card's top edge, just clear of its name.
TOP_Y = -TAG_H / 2 - 2
#: Smaller than this, a share shows as "<1%" rather than "0%".
_SHOWN_MIN = 0.005


def percent(value: float) -> str:
    """A share as a whole percentage; a small non-zero share never reads as 0%."""
    if 0 < value < _SHOWN_MIN:
        return "<1%"
    return f"{value:.0%}"


class WorstPathBand(QGraphicsPathItem):
    """The worst path: a thick band along its arrows, around its cards."""

    def __init__(self, path: list[str], total: float) -> None:
        super().__init__()
        self.touchpoints = list(path)
        pen = QPen(BAND_COLOUR, BAND_WIDTH)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        self.setPen(pen)
        # Above the stage columns, below the arrows (-1), their labels and the cards.
        self.setZValue(-2)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setToolTip(f"Worst path: total gap {total:+.2f} over {len(path)} touch points")

    def trace(self, scene: MapScene) -> None:
        """Along the routed arrow between each two cards of the path (a straight
        line between their centres where no arrow is drawn), and around each card."""
        path = QPainterPath()
        for a, b in pairwise(self.touchpoints):
            edge = scene.edges.get((a, b))
            if edge is not None and edge.route is not None:
                path.addPath(edge.mapToScene(edge.path()))
            elif a in scene.cards and b in scene.cards:
                path.moveTo(scene.cards[a].sceneBoundingRect().center())
                path.lineTo(scene.cards[b].sceneBoundingRect().center())
        for tp_id in self.touchpoints:
            card = scene.cards.get(tp_id)
            if card is not None:
                rect = card.mapRectToScene(QRectF(0, 0, CARD_W, CARD_H))
                path.addRoundedRect(rect.adjusted(-4, -4, 4, 4), 12, 12)
        self.setPath(path)


class _Tag(QGraphicsItem):
    """A small labelled tab on a card's edge; clicks go through to the card."""

    def __init__(self, card: CardItem, text: str, x: float, y: float, tip: str) -> None:
        super().__init__(card)
        self.text = text
        width = QFontMetricsF(TAG_FONT).horizontalAdvance(text) + 12
        self._rect = QRectF(0, 0, width, TAG_H)
        self.setPos(x, y)
        self.setToolTip(tip)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-1, -1, 1, 1)

    def colours(self) -> tuple[QColor, QColor, QColor]:
        """Fill, outline and ink."""
        return QColor("#ffffff"), QColor("#475569"), QColor("#1f2937")

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill, outline, ink = self.colours()
        painter.setPen(QPen(outline, 1.2))
        painter.setBrush(fill)
        painter.drawRoundedRect(self._rect, 6, 6)
        painter.setPen(ink)
        painter.setFont(TAG_FONT)
        painter.drawText(self._rect, Qt.AlignmentFlag.AlignCenter, self.text)


class ReachTag(_Tag):
    """The share of customers who pass the card, on its top edge."""

    def __init__(self, card: CardItem, reach: float) -> None:
        self.reach = reach
        super().__init__(
            card, f"reach {percent(reach)}", 10, TOP_Y,
            f"Reach: {reach:.1%} of customers pass {card.tp.name}",
        )  # fmt: skip


class UnavoidableMark(_Tag):
    """On every path from an entry to an exit: a teal tab beside the reach."""

    def __init__(self, card: CardItem, x: float) -> None:
        super().__init__(
            card, "\u25c6 every path", x, TOP_Y,
            f"Unavoidable: every path from an entry to an exit passes {card.tp.name}"
            + ("" if card.tp.critical else " (not yet marked as a moment of truth)"),
        )  # fmt: skip

    def colours(self) -> tuple[QColor, QColor, QColor]:
        return UNAVOIDABLE_FILL, UNAVOIDABLE_FILL, QColor("#ffffff")


class LeavesTag(_Tag):
    """Customers who leave the journey at the card, on its bottom edge."""

    def __init__(self, card: CardItem, leaves: float) -> None:
        self.leaves = leaves
        super().__init__(
            card, f"\u2193 {percent(leaves)} leave here", 10, CARD_H - TAG_H / 2 + 2,
            f"{leaves:.1%} of all customers leave the journey at {card.tp.name}"
            " (the shares of its transitions add up to less than 1)",
        )  # fmt: skip

    def colours(self) -> tuple[QColor, QColor, QColor]:
        return LEAVES_FILL, LEAVES_INK, LEAVES_INK


class InsightsOverlay:
    """The overlay of one scene: shown or not, and its items while shown."""

    def __init__(self, scene: MapScene) -> None:
        self.scene = scene
        self.shown = False
        self.band: WorstPathBand | None = None
        self.tags: list[_Tag] = []
        #: The insights last drawn (None while hidden).
        self.insights: Insights | None = None
        # A child of the scene: it goes with the scene, never fires after it.
        self._timer = QTimer(scene)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.refresh)

    def set_shown(self, shown: bool) -> None:
        self.shown = bool(shown)
        self.refresh()

    def schedule(self) -> None:
        """The map or the filter changed: refresh once the event loop is free."""
        if self.shown:
            self._timer.start()

    def clear(self) -> None:
        scene = self.scene
        if self.band is not None and self.band.scene() is scene:
            scene.removeItem(self.band)
        for tag in self.tags:
            # A removed card took its tags with it.
            if tag.scene() is scene:
                scene.removeItem(tag)
        self.band, self.tags, self.insights = None, [], None

    def refresh(self) -> None:
        """Draw the overlay afresh from the map's insights (or remove it when hidden)."""
        self._timer.stop()
        self.clear()
        scene = self.scene
        if not self.shown or scene.journey is None:
            return
        ins = self.insights = insights(scene.journey, scene.filter)
        if ins.worst_path:
            self.band = WorstPathBand(ins.worst_path, ins.worst_total)
            self.band.trace(scene)
            scene.addItem(self.band)
        unavoidable = set(ins.unavoidable)
        for tp_id, card in scene.cards.items():
            reach = ReachTag(card, ins.reach.get(tp_id, 0.0))
            self.tags.append(reach)
            if tp_id in unavoidable:
                x = reach.pos().x() + reach.boundingRect().width() + 4
                self.tags.append(UnavoidableMark(card, x))
            leaves = ins.leaves.get(tp_id, 0.0)
            if leaves > 1e-12:
                self.tags.append(LeavesTag(card, leaves))

    # ------------------------------------------------------------- queries

    def tags_of(self, kind: type[_Tag]) -> dict[str, _Tag]:
        """The tags of one kind shown now, by touch point id."""
        return {t.parentItem().tp_id: t for t in self.tags if isinstance(t, kind)}  # type: ignore[union-attr]
