"""Graphics items: stage columns, touch point cards, transition arrows, the legend.

Items show what the scene tells them and report what the user does with
them; they never change the model.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QStyleOptionGraphicsItem, QWidget

from journeymap.canvas import colors
from journeymap.model.analysis import GapStats, wide_gap_threshold
from journeymap.model.entities import Scale, Stage, TouchPoint, Transition
from journeymap.textsafety import plain_tooltip, xml_safe

CARD_W, CARD_H = 210.0, 96.0
COLUMN_W = 250.0
HEADER_H = 46.0
ROW_GAP = 26.0
CARD_TOP = HEADER_H + 22.0

CHANNEL_LABELS = {
    "in-person": "in person",
    "phone": "\u260e phone",
    "web": "web",
    "app": "app",
    "email": "\u2709 email",
    "chat": "chat",
    "signage": "\u2691 sign",
    "print": "print",
    "self-service": "self-serve",
    "social": "social",
}


def font(pixels: int, bold: bool = False) -> QFont:
    f = QFont("DejaVu Sans")
    f.setPixelSize(pixels)
    f.setBold(bold)
    return f


# Enum members and their combinations are Python objects in PySide6, costly
# to build thousands of times: build them once.
# Cards are selectable; the window's interactions make them movable too.
_CARD_FLAGS = (
    QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
    | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
)
_CARD_CACHE = QGraphicsItem.CacheMode.DeviceCoordinateCache
_POSITION_CHANGED = QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged
_SELECTABLE = QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
_TOP_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
_CENTER = Qt.AlignmentFlag.AlignCenter
_VCENTER = Qt.AlignmentFlag.AlignVCenter
_NO_PEN = Qt.PenStyle.NoPen
_NO_BRUSH = Qt.BrushStyle.NoBrush
_ELIDE = Qt.TextElideMode.ElideRight

NAME_FONT = font(14, bold=True)
META_FONT = font(12)
HEADER_FONT = font(16, bold=True)


class StageColumnItem(QGraphicsItem):
    """A stage's swimlane: a header and a tinted column behind its cards."""

    def __init__(self, stage: Stage) -> None:
        super().__init__()
        self.stage = stage
        self.height = 400.0
        self.setZValue(-10)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, COLUMN_W - 10, self.height)

    def set_height(self, height: float) -> None:
        if height != self.height:
            self.prepareGeometryChange()
            self.height = height

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        rect = self.boundingRect()
        painter.setPen(_NO_PEN)
        painter.setBrush(QColor("#f3f4f6"))
        painter.drawRoundedRect(rect, 8, 8)
        painter.setBrush(QColor("#374151"))
        painter.drawRoundedRect(QRectF(0, 0, rect.width(), HEADER_H), 8, 8)
        painter.setPen(QColor("#ffffff"))
        painter.setFont(HEADER_FONT)
        metrics = QFontMetricsF(HEADER_FONT)
        text = metrics.elidedText(xml_safe(self.stage.name), _ELIDE, rect.width() - 20)
        painter.drawText(
            QRectF(10, 0, rect.width() - 20, HEADER_H), Qt.AlignmentFlag.AlignVCenter, text
        )


class CardItem(QGraphicsItem):
    """A touch point card: name, channel, observation count and gap badge."""

    def __init__(self, tp: TouchPoint, scale: Scale) -> None:
        super().__init__()
        self.tp = tp
        self.scale = scale
        self.stats: GapStats | None = None
        self.edges: list[TransitionItem] = []
        self.setFlags(_CARD_FLAGS)
        # A card is drawn once into a pixmap and re-drawn only when it
        # changes: panning, dragging and neighbours' updates just blit it.
        self.setCacheMode(_CARD_CACHE)

    @property
    def tp_id(self) -> str:
        return self.tp.id

    def boundingRect(self) -> QRectF:
        return QRectF(-4, -4, CARD_W + 8, CARD_H + 8)

    def set_stats(self, stats: GapStats) -> None:
        self.stats = stats
        self.refresh_tooltip()
        self.update()

    def refresh_tooltip(self) -> None:
        s = self.stats
        lines = [self.tp.name, f"channel: {self.tp.channel}"]
        if self.tp.critical:
            lines.append("\u2605 moment of truth")
        if s is not None:
            lines.append(f"{s.observations} observations, {s.n} with both scores")
            if s.gap is not None:
                lines.append(
                    f"expectation {s.expectation:.2f}, reality {s.reality:.2f}, gap {s.gap:+.2f}"
                    + (" (wide)" if s.wide else "")
                )
        # Shown literally: a name like "<b>x</b>" must not turn into markup.
        self.setToolTip(plain_tooltip("\n".join(lines)))

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value):
        if change == _POSITION_CHANGED:
            for edge in self.edges:
                edge.adjust()
        return super().itemChange(change, value)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        s = self.stats
        fill = colors.gap_color(None if s is None else s.gap, self.scale)
        ink = colors.text_color(fill)
        rect = QRectF(0, 0, CARD_W, CARD_H)
        wide = s is not None and s.wide
        outline = QPen(QColor(colors.WIDE_OUTLINE if wide else "#9ca3af"), 3.5 if wide else 1.2)
        painter.setPen(outline)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 10, 10)
        if self.isSelected():
            painter.setPen(QPen(QColor("#2563eb"), 2.5, Qt.PenStyle.DashLine))
            painter.setBrush(_NO_BRUSH)
            painter.drawRoundedRect(rect.adjusted(-3, -3, 3, 3), 12, 12)
        # Zoomed far out, text would be a few unreadable pixels: colour,
        # outline and star carry the message, and a large map paints fast.
        if option.levelOfDetailFromTransform(painter.worldTransform()) < 0.35:
            if self.tp.critical:
                painter.setPen(_NO_PEN)
                painter.setBrush(QColor(colors.CRITICAL))
                painter.drawEllipse(QRectF(CARD_W - 30, 6, 24, 24))
            return

        # Name, up to two lines.
        painter.setPen(ink)
        painter.setFont(NAME_FONT)
        name_rect = QRectF(10, 8, CARD_W - 20 - (18 if self.tp.critical else 0), 40)
        metrics = QFontMetricsF(NAME_FONT)
        # Drawn text ends up in SVG and PDF exports: no characters XML forbids.
        text = _two_lines(xml_safe(self.tp.name), metrics, name_rect.width())
        painter.drawText(name_rect, _TOP_LEFT, text)

        if self.tp.critical:
            painter.setPen(_NO_PEN)
            painter.setBrush(QColor("#ffffff"))
            painter.drawEllipse(QRectF(CARD_W - 26, 6, 20, 20))
            painter.setPen(QColor(colors.CRITICAL))
            painter.setFont(font(15, bold=True))
            painter.drawText(QRectF(CARD_W - 26, 5, 20, 20), _CENTER, "\u2605")

        # Bottom row: channel pill, observation count, gap badge.
        painter.setFont(META_FONT)
        meta = QFontMetricsF(META_FONT)
        channel = CHANNEL_LABELS.get(self.tp.channel, self.tp.channel)
        pill = QRectF(10, CARD_H - 30, meta.horizontalAdvance(channel) + 14, 20)
        painter.setPen(_NO_PEN)
        painter.setBrush(QColor(255, 255, 255, 200))
        painter.drawRoundedRect(pill, 10, 10)
        painter.setPen(QColor("#1f2937"))
        painter.drawText(pill, _CENTER, channel)

        count = 0 if s is None else s.observations
        painter.setPen(ink)
        painter.drawText(
            QRectF(pill.right() + 8, CARD_H - 30, 70, 20),
            Qt.AlignmentFlag.AlignVCenter,
            f"{count} obs",
        )
        badge_text = "no scores" if s is None or s.gap is None else f"{s.gap:+.1f}"
        badge = QRectF(0, 0, meta.horizontalAdvance(badge_text) + 14, 20)
        badge.moveTopRight(QPointF(CARD_W - 10, CARD_H - 30))
        painter.setPen(QPen(QColor("#1f2937"), 1))
        painter.setBrush(QColor("#ffffff"))
        painter.drawRoundedRect(badge, 6, 6)
        painter.setFont(font(12, bold=True))
        painter.drawText(badge, _CENTER, badge_text)


def _two_lines(text: str, metrics: QFontMetricsF, width: float) -> str:
    words, lines, current = text.split(), [], ""
    for word in words:
        trial = f"{current} {word}".strip()
        if metrics.horizontalAdvance(trial) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    lines.append(current)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    lines = [metrics.elidedText(line, _ELIDE, width) for line in lines]
    return "\n".join(lines)


EDGE_STYLES = {
    "main": (QColor("#374151"), Qt.PenStyle.SolidLine, 2.0),
    "alternative": (QColor("#374151"), Qt.PenStyle.DashLine, 2.0),
    "failure": (QColor("#b35806"), Qt.PenStyle.DashDotLine, 2.6),
    "loop": (QColor("#542788"), Qt.PenStyle.DotLine, 2.4),
}


class TransitionItem(QGraphicsPathItem):
    """An arrow between two cards, styled by kind, with its label."""

    def __init__(self, tr: Transition, source: CardItem, target: CardItem) -> None:
        super().__init__()
        self.tr = tr
        self.source, self.target = source, target
        source.edges.append(self)
        if target is not source:
            target.edges.append(self)
        self.setZValue(-1)
        self.setFlag(_SELECTABLE)
        self.arrow = QPolygonF()
        self._bounds = QRectF()
        self.apply_style()
        self.adjust()

    @property
    def key(self) -> tuple[str, str]:
        return self.tr.key

    def detach(self) -> None:
        for card in {self.source, self.target}:
            if self in card.edges:
                card.edges.remove(self)

    def apply_style(self) -> None:
        color, style, width = EDGE_STYLES.get(self.tr.kind, EDGE_STYLES["main"])
        pen = QPen(color, width, style)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self.setPen(pen)
        self.setToolTip(
            plain_tooltip(f"{self.tr.kind}" + (f": {self.tr.label}" if self.tr.label else ""))
        )
        self.update()

    def adjust(self) -> None:
        s = self.source.sceneBoundingRect().adjusted(4, 4, -4, -4)
        t = self.target.sceneBoundingRect().adjusted(4, 4, -4, -4)
        path = QPainterPath()
        if self.source is self.target:
            start = QPointF(s.right() - 30, s.top())
            end = QPointF(s.right(), s.top() + 30)
            path.moveTo(start)
            path.cubicTo(start + QPointF(0, -50), end + QPointF(50, 0), end)
        elif t.left() >= s.right() - 1:
            start, end = QPointF(s.right(), s.center().y()), QPointF(t.left(), t.center().y())
            dx = max(40.0, (end.x() - start.x()) / 2)
            path.moveTo(start)
            path.cubicTo(start + QPointF(dx, 0), end - QPointF(dx, 0), end)
        elif abs(t.center().x() - s.center().x()) < 5:
            # Same column: straight down or up between the cards.
            down = t.top() > s.bottom()
            start = QPointF(s.center().x(), s.bottom() if down else s.top())
            end = QPointF(t.center().x(), t.top() if down else t.bottom())
            if self.tr.kind == "loop" or not down:
                bend = QPointF(60, 0)
                start = QPointF(s.right(), s.center().y())
                end = QPointF(t.right(), t.center().y())
                path.moveTo(start)
                path.cubicTo(start + bend, end + bend, end)
            else:
                path.moveTo(start)
                path.lineTo(end)
        else:
            # Backwards: leave from the top and come back over the cards.
            start, end = QPointF(s.center().x(), s.top()), QPointF(t.center().x(), t.top())
            lift = QPointF(0, -60 - abs(start.x() - end.x()) * 0.08)
            path.moveTo(start)
            path.cubicTo(start + lift, end + lift, end)
        self.prepareGeometryChange()
        self.setPath(path)
        tip = path.pointAtPercent(1.0)
        before = path.pointAtPercent(0.95)
        angle = math.atan2(tip.y() - before.y(), tip.x() - before.x())
        size = 11.0
        self.arrow = QPolygonF(
            [
                tip,
                tip - QPointF(math.cos(angle - 0.45) * size, math.sin(angle - 0.45) * size),
                tip - QPointF(math.cos(angle + 0.45) * size, math.sin(angle + 0.45) * size),
            ]
        )
        # Room for the pen, the arrowhead and the label at the middle.
        self._bounds = (
            path.boundingRect().united(self.arrow.boundingRect()).adjusted(-100, -20, 100, 20)
        )

    def boundingRect(self) -> QRectF:
        # Worked out once per route in adjust(): Qt asks for it very often.
        return self._bounds

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(10)
        return stroker.createStroke(self.path())

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(self.pen())
        if self.isSelected():
            pen.setColor(QColor("#2563eb"))
            pen.setWidthF(pen.widthF() + 1.5)
        painter.setPen(pen)
        painter.setBrush(_NO_BRUSH)
        painter.drawPath(self.path())
        painter.setPen(_NO_PEN)
        painter.setBrush(pen.color())
        painter.drawPolygon(self.arrow)
        if self.tr.label:
            painter.setFont(META_FONT)
            metrics = QFontMetricsF(META_FONT)
            text = metrics.elidedText(xml_safe(self.tr.label), _ELIDE, 180)
            middle = self.path().pointAtPercent(0.5)
            box = QRectF(0, 0, metrics.horizontalAdvance(text) + 10, metrics.height() + 4)
            box.moveCenter(middle)
            painter.setBrush(QColor(255, 255, 255, 235))
            painter.setPen(QPen(pen.color(), 1))
            painter.drawRoundedRect(box, 4, 4)
            painter.setPen(QColor("#111111"))
            painter.drawText(box, _CENTER, text)


class LegendItem(QGraphicsItem):
    """The map's title, the gap colour scale and the marks, above the columns."""

    WIDTH, HEIGHT = 960.0, 92.0

    def __init__(self, title: str, scale: Scale, note: str = "") -> None:
        super().__init__()
        self.title, self.scale, self.note = title, scale, note

    def set_content(self, title: str, scale: Scale, note: str = "") -> None:
        self.title, self.scale, self.note = title, scale, note
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.WIDTH, self.HEIGHT)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor("#111111"))
        painter.setFont(font(20, bold=True))
        metrics = QFontMetricsF(font(20, bold=True))
        painter.drawText(
            QRectF(0, 0, self.WIDTH, 28),
            Qt.AlignmentFlag.AlignLeft,
            metrics.elidedText(xml_safe(self.title), _ELIDE, self.WIDTH),
        )
        # Gradient bar: delight (left) to shortfall (right).
        bar = QRectF(0, 44, 300, 16)
        gradient = QLinearGradient(bar.topLeft(), bar.topRight())
        limit = colors.saturation_gap(self.scale)
        steps = 20
        for i in range(steps + 1):
            gap = -limit + 2 * limit * i / steps
            gradient.setColorAt(i / steps, colors.gap_color(gap, self.scale))
        painter.setPen(QPen(QColor("#6b7280"), 1))
        painter.setBrush(QBrush(gradient))
        painter.drawRect(bar)
        painter.setFont(META_FONT)
        painter.setPen(QColor("#111111"))
        painter.drawText(
            QRectF(0, 28, 300, 16), Qt.AlignmentFlag.AlignLeft, "Gap = expectation \u2212 reality"
        )
        for share, text, align in (
            (0.0, f"delight {-limit:+.1f}", Qt.AlignmentFlag.AlignLeft),
            (0.5, "0", Qt.AlignmentFlag.AlignHCenter),
            (1.0, f"{limit:+.1f} shortfall", Qt.AlignmentFlag.AlignRight),
        ):
            x = bar.left() + bar.width() * share
            box = (
                QRectF(x - 150 * share, 62, 150, 16) if share != 0.5 else QRectF(x - 20, 62, 40, 16)
            )
            painter.drawText(box, align, text)
        # Marks.
        x = 330.0
        painter.setPen(QPen(QColor(colors.WIDE_OUTLINE), 3.5))
        painter.setBrush(QColor("#fddbc7"))
        painter.drawRoundedRect(QRectF(x, 42, 34, 20), 5, 5)
        painter.setPen(QColor("#111111"))
        threshold = wide_gap_threshold(self.scale)
        painter.drawText(
            QRectF(x + 42, 40, 170, 24),
            Qt.AlignmentFlag.AlignVCenter,
            f"wide gap (\u2265 {threshold:.2f})",
        )
        painter.setPen(QColor(colors.CRITICAL))
        painter.setFont(font(15, bold=True))
        painter.drawText(QRectF(x + 200, 40, 20, 24), _CENTER, "\u2605")
        painter.setFont(META_FONT)
        painter.setPen(QColor("#111111"))
        painter.drawText(
            QRectF(x + 224, 40, 140, 24), Qt.AlignmentFlag.AlignVCenter, "moment of truth"
        )
        painter.setPen(QPen(QColor("#9ca3af"), 1))
        painter.setBrush(QColor(colors.NO_DATA))
        painter.drawRoundedRect(QRectF(x, 66, 34, 20), 5, 5)
        painter.setPen(QColor("#111111"))
        painter.drawText(
            QRectF(x + 42, 64, 200, 24), Qt.AlignmentFlag.AlignVCenter, "no paired scores"
        )
        if self.note:
            painter.drawText(
                QRectF(x + 200, 64, 420, 24), Qt.AlignmentFlag.AlignVCenter, xml_safe(self.note)
            )
