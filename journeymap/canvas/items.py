"""Graphics items: stage columns and touch point cards (arrows: arrows.py, legend: legend.py).

Items show what the scene tells them and report what the user does with
them; they never change the model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from journeymap.canvas import colors
from journeymap.model.analysis import GapStats
from journeymap.model.entities import Scale, Stage, TouchPoint
from journeymap.model.evidencetext import evidence_words, interval_words
from journeymap.textsafety import plain_tooltip, xml_safe

if TYPE_CHECKING:
    from journeymap.canvas.arrows import TransitionItem

CARD_W, CARD_H = 210.0, 96.0
# Columns leave a gutter of 60 pixels between cards and rows one of 40: room
# for several arrows side by side, and for a label beside an arrow (routing.py).
COLUMN_W = 270.0
HEADER_H = 46.0
ROW_GAP = 40.0
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
        theme = colors.theme_of(self)
        painter.setPen(_NO_PEN)
        painter.setBrush(QColor(theme.column))
        painter.drawRoundedRect(rect, 8, 8)
        painter.setBrush(QColor(theme.header))
        painter.drawRoundedRect(QRectF(0, 0, rect.width(), HEADER_H), 8, 8)
        painter.setPen(QColor(theme.header_ink))
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
        #: Mean reality of observations without an expectation, when there is no gap.
        self.reality_only: float | None = None
        self.edges: list[TransitionItem] = []
        #: How many photos the card's observations carry (a camera mark when any).
        self.photos = 0
        #: Actions by status (statuses with none left out), and the colour of
        #: the card's strictest stoplight rule (None: no rule); set by the scene.
        self.action_counts: dict[str, int] = {}
        self.rule_color: str | None = None
        #: Told when the card moves (set by the scene).
        self.on_moved: Callable[[CardItem], None] | None = None
        self.setFlags(_CARD_FLAGS)
        # A card is drawn once into a pixmap and re-drawn only when it
        # changes: panning, dragging and neighbours' updates just blit it.
        self.setCacheMode(_CARD_CACHE)

    @property
    def tp_id(self) -> str:
        return self.tp.id

    def boundingRect(self) -> QRectF:
        return QRectF(-4, -4, CARD_W + 8, CARD_H + 8)

    @property
    def assumed(self) -> bool:
        """No paired observation yet: the card is an assumption, drawn dashed."""
        return self.stats is None or self.stats.n == 0

    @property
    def weak(self) -> bool:
        """Only one or two paired observations: the card carries a "few" mark."""
        return self.stats is not None and self.stats.evidence == "weak"

    def outline_pen(self) -> QPen:
        """The card's outline: thick for a wide gap, dashed for an assumed card
        (and for one coloured by satisfaction rather than a gap)."""
        wide = self.stats is not None and self.stats.wide
        pen = QPen(QColor(colors.WIDE_OUTLINE if wide else "#9ca3af"), 3.5 if wide else 1.2)
        if self.assumed or self.reality_only is not None:
            pen.setStyle(Qt.PenStyle.DashLine)
        return pen

    def set_stats(self, stats: GapStats, reality_only: float | None = None) -> None:
        self.stats = stats
        self.reality_only = reality_only if stats.gap is None else None
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
                lines.append(interval_words(s))
                lines.append(evidence_words(s))
            elif self.reality_only is not None:
                lines.append(
                    f"reality {self.reality_only:.2f}, no expectation yet: coloured by"
                    " satisfaction (reality against the middle of the scale), not by a gap"
                )
            else:
                lines.append("assumed, not observed yet: no observation with both scores")
        if self.rule_color is not None:
            lines.append(f"strictest rule: {self.rule_color}")
        if self.action_counts:
            lines.append(f"actions: {actions_words(self.action_counts)}")
        # Shown literally: a name like "<b>x</b>" must not turn into markup.
        self.setToolTip(plain_tooltip("\n".join(lines)))

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value):
        if change == _POSITION_CHANGED:
            if self.on_moved is not None:
                # The scene re-routes this card's arrows and any it now lands on.
                self.on_moved(self)
            else:
                for edge in self.edges:
                    edge.adjust()
        return super().itemChange(change, value)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        s = self.stats
        satisfied = self.reality_only
        if satisfied is not None:
            fill = colors.satisfaction_color(satisfied, self.scale)
        else:
            fill = colors.gap_color(None if s is None else s.gap, self.scale)
        ink = colors.text_color(fill)
        rect = QRectF(0, 0, CARD_W, CARD_H)
        painter.setPen(self.outline_pen())
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
        name_rect = QRectF(10, 8, CARD_W - 20 - (18 if self.tp.critical or self.photos else 0), 40)
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
        if self.photos:
            _draw_camera(painter, QPointF(CARD_W - 16, 38 if self.tp.critical else 16), ink)
        if self.rule_color is not None or self.action_counts:
            _draw_decision_marks(painter, self.rule_color, self.action_counts, ink)

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

        badge_text = "not observed yet" if s is None or s.gap is None else f"{s.gap:+.1f}"
        if satisfied is not None:
            badge_text = f"reality {satisfied:.1f}"
        badge = QRectF(0, 0, meta.horizontalAdvance(badge_text) + 14, 20)
        badge.moveTopRight(QPointF(CARD_W - 10, CARD_H - 30))
        count = 0 if s is None else s.observations
        count_text = f"{count} obs"
        # Between the pill and the badge, when there is room ("not observed yet" is long).
        if pill.right() + 8 + meta.horizontalAdvance(count_text) <= badge.left() - 4:
            painter.setPen(ink)
            painter.drawText(
                QRectF(pill.right() + 8, CARD_H - 30, 70, 20),
                Qt.AlignmentFlag.AlignVCenter,
                count_text,
            )
        if self.assumed and satisfied is None:
            # An assumption, not a finding: a soft dashed badge in grey italics.
            painter.setPen(QPen(QColor("#6b7280"), 1, Qt.PenStyle.DashLine))
            painter.setBrush(_NO_BRUSH)
            painter.drawRoundedRect(badge, 6, 6)
            assumed_font = font(12)
            assumed_font.setItalic(True)
            painter.setFont(assumed_font)
            painter.setPen(QColor("#4b5563"))
        else:
            painter.setPen(QPen(QColor("#1f2937"), 1))
            painter.setBrush(QColor("#ffffff"))
            painter.drawRoundedRect(badge, 6, 6)
            painter.setFont(font(12, bold=True))
        painter.drawText(badge, _CENTER, badge_text)
        if self.weak:
            # One or two observations: the gap is a lead, not yet a finding.
            few = QRectF(0, 0, 30, 15)
            few.moveBottomRight(QPointF(CARD_W - 10, badge.top() - 3))
            painter.setPen(QPen(QColor("#92400e"), 1))
            painter.setBrush(QColor("#fef3c7"))
            painter.drawRoundedRect(few, 5, 5)
            painter.setFont(font(10, bold=True))
            painter.drawText(few, _CENTER, "few")


#: The stoplight dot's colours: strong, so a small dot reads on any gap fill.
RULE_DOT_COLORS = {"red": "#dc2626", "yellow": "#facc15", "green": "#16a34a"}
#: The dot's centre and radius, left of the action counts above the pill.
RULE_DOT_CENTRE, RULE_DOT_RADIUS = QPointF(16.0, 57.0), 5.0
MARK_FONT = font(10)


def actions_words(counts: dict[str, int]) -> str:
    """The card's actions by status, e.g. "2 agreed \u00b7 1 doing"."""
    return " \u00b7 ".join(f"{n} {status}" for status, n in counts.items() if n)


def _draw_decision_marks(
    painter: QPainter, rule_color: str | None, counts: dict[str, int], ink: QColor
) -> None:
    """A stoplight dot (white ring, thin dark outline: it never reads as the gap
    colour) and the actions by status, in the row between name and pill."""
    left = 10.0
    if rule_color is not None:
        painter.setPen(QPen(QColor("#1f2937"), 1))
        painter.setBrush(QColor("#ffffff"))
        painter.drawEllipse(RULE_DOT_CENTRE, RULE_DOT_RADIUS + 2, RULE_DOT_RADIUS + 2)
        painter.setPen(_NO_PEN)
        painter.setBrush(QColor(RULE_DOT_COLORS.get(rule_color, "#9ca3af")))
        painter.drawEllipse(RULE_DOT_CENTRE, RULE_DOT_RADIUS, RULE_DOT_RADIUS)
        left = RULE_DOT_CENTRE.x() + RULE_DOT_RADIUS + 6
    words = actions_words(counts)
    if words:
        painter.setPen(ink)
        painter.setFont(MARK_FONT)
        width = CARD_W - 10 - left
        text = QFontMetricsF(MARK_FONT).elidedText(words, _ELIDE, width)
        painter.drawText(QRectF(left, 50, width, 14), _VCENTER, text)


def _draw_camera(painter: QPainter, centre: QPointF, ink: QColor) -> None:
    """A small camera: the card's observations carry photos."""
    painter.setPen(QPen(ink, 1.4))
    painter.setBrush(_NO_BRUSH)
    body = QRectF(centre.x() - 8, centre.y() - 5, 16, 11)
    painter.drawRoundedRect(body, 2, 2)
    painter.drawRect(QRectF(centre.x() - 3, centre.y() - 8, 6, 3))
    painter.drawEllipse(centre + QPointF(0, 0.5), 3.2, 3.2)


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
