"""The legend above the columns: title, gap colour scale, marks and arrow styles."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetricsF,
    QLinearGradient,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from journeymap.canvas import colors
from journeymap.canvas.arrows import EDGE_STYLES, arrow_head
from journeymap.canvas.items import META_FONT, font
from journeymap.model.analysis import wide_gap_threshold
from journeymap.model.entities import TRANSITION_KINDS, Scale
from journeymap.textsafety import xml_safe

_ELIDE = Qt.TextElideMode.ElideRight
_CENTER = Qt.AlignmentFlag.AlignCenter
_VCENTER = Qt.AlignmentFlag.AlignVCenter

#: What each arrow style means, in the legend's words.
ARROW_CAPTIONS = {
    "main": "main path",
    "alternative": "alternative",
    "failure": "failure",
    "loop": "loop back",
}
#: Where the arrow styles sit: two rows of two, right of the marks.
ARROWS_X, ARROW_COLUMN_W = 720.0, 120.0


class LegendItem(QGraphicsItem):
    """The map's title, the gap colour scale, the marks and the four arrow styles."""

    WIDTH, HEIGHT = 960.0, 116.0

    def __init__(self, title: str, scale: Scale, note: str = "") -> None:
        super().__init__()
        self.title, self.scale, self.note = title, scale, note

    def set_content(self, title: str, scale: Scale, note: str = "") -> None:
        self.title, self.scale, self.note = title, scale, note
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.WIDTH, self.HEIGHT)

    def arrow_entries(self) -> list[tuple[str, str, QRectF]]:
        """(kind, caption, place in the legend) of each arrow style shown."""
        entries = []
        for i, kind in enumerate(TRANSITION_KINDS):
            x = ARROWS_X + (i % 2) * ARROW_COLUMN_W
            y = 40.0 + (i // 2) * 24.0
            entries.append((kind, ARROW_CAPTIONS.get(kind, kind), QRectF(x, y, 116, 24)))
        return entries

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        ink = QColor(colors.theme_of(self).ink)
        painter.setPen(ink)
        painter.setFont(font(20, bold=True))
        metrics = QFontMetricsF(font(20, bold=True))
        painter.drawText(
            QRectF(0, 0, self.WIDTH, 28),
            Qt.AlignmentFlag.AlignLeft,
            metrics.elidedText(xml_safe(self.title), _ELIDE, self.WIDTH),
        )
        self._paint_scale(painter, ink)
        self._paint_marks(painter, ink)
        self._paint_arrows(painter, ink)
        if self.note:
            painter.setFont(META_FONT)
            painter.setPen(ink)
            painter.drawText(QRectF(0, 90, self.WIDTH, 24), _VCENTER, xml_safe(self.note))

    def _paint_scale(self, painter: QPainter, ink: QColor) -> None:
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
        painter.setPen(ink)
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

    def _paint_marks(self, painter: QPainter, ink: QColor) -> None:
        x = 330.0
        painter.setPen(QPen(QColor(colors.WIDE_OUTLINE), 3.5))
        painter.setBrush(QColor("#fddbc7"))
        painter.drawRoundedRect(QRectF(x, 42, 34, 20), 5, 5)
        painter.setPen(ink)
        threshold = wide_gap_threshold(self.scale)
        painter.drawText(
            QRectF(x + 42, 40, 170, 24), _VCENTER, f"wide gap (\u2265 {threshold:.2f})"
        )
        painter.setPen(QColor(colors.CRITICAL))
        painter.setFont(font(15, bold=True))
        painter.drawText(QRectF(x + 200, 40, 20, 24), _CENTER, "\u2605")
        painter.setFont(META_FONT)
        painter.setPen(ink)
        painter.drawText(QRectF(x + 224, 40, 140, 24), _VCENTER, "moment of truth")
        painter.setPen(QPen(QColor("#9ca3af"), 1))
        painter.setBrush(QColor(colors.NO_DATA))
        painter.drawRoundedRect(QRectF(x, 66, 34, 20), 5, 5)
        painter.setPen(ink)
        painter.drawText(QRectF(x + 42, 64, 200, 24), _VCENTER, "no paired scores")

    def _paint_arrows(self, painter: QPainter, ink: QColor) -> None:
        painter.setFont(META_FONT)
        for kind, caption, box in self.arrow_entries():
            color, style, width = EDGE_STYLES[kind]
            y = box.center().y()
            start, tip = QPointF(box.left(), y), QPointF(box.left() + 36, y)
            pen = QPen(color, width, style)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.drawLine(start, tip - QPointF(4, 0))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawPolygon(arrow_head(tip, start, 9))
            painter.setPen(ink)
            painter.drawText(QRectF(box.left() + 42, box.top(), 74, 24), _VCENTER, caption)
