"""Transition arrows: an orthogonal line styled by kind, and its label beside it.

The route and the label's place come from the scene's :class:`Router`; an
arrow only draws them.  The label is an item of its own, drawn above every
arrow and below the cards, so no later arrow paints over it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from journeymap.canvas import colors
from journeymap.canvas.items import META_FONT
from journeymap.canvas.routing import Route, Router
from journeymap.model.entities import Transition
from journeymap.textsafety import plain_tooltip, xml_safe

if TYPE_CHECKING:
    from journeymap.canvas.items import CardItem

#: Pen colour, pen style and width of each transition kind (the legend shows them).
EDGE_STYLES = {
    "main": (QColor("#374151"), Qt.PenStyle.SolidLine, 2.0),
    "alternative": (QColor("#374151"), Qt.PenStyle.DashLine, 2.0),
    "failure": (QColor("#b35806"), Qt.PenStyle.DashDotLine, 2.6),
    "loop": (QColor("#542788"), Qt.PenStyle.DotLine, 2.4),
}
#: Widths a label is tried at, widest first: a label that does not fit is
#: elided further (its tooltip holds it whole) rather than laid over a card.
LABEL_WIDTHS = (180.0, 120.0, 80.0)
ARROW_SIZE = 11.0
CORNER = 6.0

_SELECTABLE = QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
_SCENE_CHANGED = QGraphicsItem.GraphicsItemChange.ItemSceneHasChanged
_SELECTED_CHANGED = QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged
_NO_PEN = Qt.PenStyle.NoPen
_NO_BRUSH = Qt.BrushStyle.NoBrush
_ELIDE = Qt.TextElideMode.ElideRight
_CENTER = Qt.AlignmentFlag.AlignCenter


def _metrics() -> QFontMetricsF:
    # Built on first use: font metrics need the QApplication to exist.
    global _METRICS
    if _METRICS is None:
        _METRICS = QFontMetricsF(META_FONT)
    return _METRICS


_METRICS: QFontMetricsF | None = None


def arrow_head(tip: QPointF, before: QPointF, size: float = ARROW_SIZE) -> QPolygonF:
    angle = math.atan2(tip.y() - before.y(), tip.x() - before.x())
    return QPolygonF(
        [
            tip,
            tip - QPointF(math.cos(angle - 0.45) * size, math.sin(angle - 0.45) * size),
            tip - QPointF(math.cos(angle + 0.45) * size, math.sin(angle + 0.45) * size),
        ]
    )


def rounded_polyline(points: list[tuple[float, float]]) -> QPainterPath:
    """A path through ``points`` with its corners rounded, so bends read as turns."""
    path = QPainterPath(QPointF(*points[0]))
    for i in range(1, len(points) - 1):
        (ax, ay), (bx, by), (cx, cy) = points[i - 1], points[i], points[i + 1]
        r1 = min(CORNER, (abs(bx - ax) + abs(by - ay)) / 2)
        r2 = min(CORNER, (abs(cx - bx) + abs(cy - by)) / 2)
        before = QPointF(bx - math.copysign(r1, bx - ax) * (bx != ax), by)
        if bx == ax:
            before = QPointF(bx, by - math.copysign(r1, by - ay))
        after = QPointF(bx + math.copysign(r2, cx - bx) * (cx != bx), by)
        if cx == bx:
            after = QPointF(bx, by + math.copysign(r2, cy - by))
        path.lineTo(before)
        path.quadTo(QPointF(bx, by), after)
    path.lineTo(QPointF(*points[-1]))
    return path


class TransitionItem(QGraphicsPathItem):
    """An arrow between two cards, styled by kind, routed by the scene's router."""

    def __init__(self, tr: Transition, source: CardItem, target: CardItem, router: Router) -> None:
        super().__init__()
        self.tr = tr
        self.source, self.target = source, target
        self.router = router
        source.edges.append(self)
        if target is not source:
            target.edges.append(self)
        self.setZValue(-1)
        self.setFlag(_SELECTABLE)
        self.arrow = QPolygonF()
        self._bounds = QRectF()
        self.route: Route | None = None
        #: The label's text as shown (perhaps elided) and its place in the scene.
        self.label_text = ""
        self.label_rect: QRectF | None = None
        self.label_item = EdgeLabelItem(self)
        self.apply_style()

    @property
    def key(self) -> tuple[str, str]:
        return self.tr.key

    def detach(self) -> None:
        for card in {self.source, self.target}:
            if self in card.edges:
                card.edges.remove(self)
        self.router.release(self.key)

    def apply_style(self) -> None:
        color, style, width = EDGE_STYLES.get(self.tr.kind, EDGE_STYLES["main"])
        pen = QPen(color, width, style)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self.setPen(pen)
        tip = plain_tooltip(f"{self.tr.kind}" + (f": {self.tr.label}" if self.tr.label else ""))
        self.setToolTip(tip)
        self.label_item.setToolTip(tip)
        self.update()
        self.label_item.update()

    def _label_options(self) -> list[tuple[str, float, float]]:
        if not self.tr.label:
            return []
        full = xml_safe(self.tr.label)
        options: list[tuple[str, float, float]] = []
        metrics = _metrics()
        height = metrics.height() + 4
        for limit in LABEL_WIDTHS:
            text = metrics.elidedText(full, _ELIDE, limit)
            if not options or text != options[-1][0]:
                options.append((text, metrics.horizontalAdvance(text) + 10, height))
        return options

    def adjust(self) -> None:
        """Route again around the cards where they are now; place the label."""
        options = self._label_options()
        route = self.router.route(
            self.key,
            self.source.tp_id,
            self.target.tp_id,
            [(w, h) for _, w, h in options],
        )
        self.route = route
        points = route.points
        path = rounded_polyline(points)
        self.prepareGeometryChange()
        self.setPath(path)
        self.arrow = arrow_head(QPointF(*points[-1]), QPointF(*points[-2]))
        self._bounds = path.boundingRect().united(self.arrow.boundingRect()).adjusted(-4, -4, 4, 4)
        if route.label is not None:
            x1, y1, x2, y2 = route.label
            self.label_text = options[route.size_index][0]
            self.label_rect = QRectF(x1, y1, x2 - x1, y2 - y1)
        else:
            self.label_text, self.label_rect = "", None
        self.label_item.place(self.label_rect)

    def boundingRect(self) -> QRectF:
        # Worked out once per route in adjust(): Qt asks for it very often.
        return self._bounds

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(10)
        return stroker.createStroke(self.path())

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value):
        if change == _SCENE_CHANGED:
            # The label lives and dies with its arrow, in the same scene.
            new, old = self.scene(), self.label_item.scene()
            if old is not new:
                if old is not None:
                    old.removeItem(self.label_item)
                if new is not None:
                    new.addItem(self.label_item)
        elif change == _SELECTED_CHANGED:
            self.label_item.update()
        return super().itemChange(change, value)

    def current_pen(self) -> QPen:
        pen = QPen(self.pen())
        if self.tr.kind in _NEUTRAL_KINDS:
            # Main and alternative arrows are neutral grey: on a dark canvas the
            # theme gives a light grey instead, or they would vanish.
            pen.setColor(QColor(colors.theme_of(self).arrow))
        if self.isSelected():
            pen.setColor(QColor("#2563eb"))
            pen.setWidthF(pen.widthF() + 1.5)
        return pen

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = self.current_pen()
        painter.setPen(pen)
        painter.setBrush(_NO_BRUSH)
        painter.drawPath(self.path())
        painter.setPen(_NO_PEN)
        painter.setBrush(pen.color())
        painter.drawPolygon(self.arrow)


_NEUTRAL_KINDS = frozenset({"main", "alternative"})


class EdgeLabelItem(QGraphicsItem):
    """An arrow's label, in the free place the router found beside the arrow."""

    def __init__(self, edge: TransitionItem) -> None:
        super().__init__()
        self.edge = edge
        self._rect = QRectF()
        # Above every arrow, below every card.
        self.setZValue(-0.5)
        # Clicks go through to what lies below (the arrow, a column).
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setVisible(False)

    def place(self, rect: QRectF | None) -> None:
        self.prepareGeometryChange()
        if rect is None:
            self._rect = QRectF()
            self.setVisible(False)
            return
        self._rect = QRectF(0, 0, rect.width(), rect.height())
        self.setPos(rect.topLeft())
        self.setVisible(True)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = self._rect.adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setBrush(QColor(255, 255, 255, 240))
        painter.setPen(QPen(self.edge.current_pen().color(), 1))
        painter.drawRoundedRect(box, 4, 4)
        painter.setFont(META_FONT)
        painter.setPen(QColor("#111111"))
        painter.drawText(box, _CENTER, self.edge.label_text)
