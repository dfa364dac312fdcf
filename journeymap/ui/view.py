"""The map view: zoom, fit, pan and find; the empty-map hint; the palette's theme."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen, QWheelEvent
from PySide6.QtWidgets import QGraphicsView, QLabel, QWidget

from journeymap.canvas import colors
from journeymap.canvas.items import font
from journeymap.canvas.scene import MapScene
from journeymap.ui import hints
from journeymap.ui.palette import apply_theme, current_theme

HINT_FONT = font(15)
HINT_HEADING_FONT = font(17, bold=True)
HINT_KEY_FONT = font(15, bold=True)

ZOOM_STEP = 1.2
MIN_ZOOM, MAX_ZOOM = 0.1, 4.0


class MapView(QGraphicsView):
    zoom_changed = Signal(float)

    def __init__(self, scene: MapScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        # Image files dropped on a card are its photos (the scene takes them);
        # any other drop is left to the window, which opens dropped maps.
        self.setAcceptDrops(True)
        # A banner above the map whenever a filter is in force: the cards then
        # count only some observations, and nobody should miss that.  The
        # window lays it out above the view, so it never covers a card.
        self.banner = QLabel()
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setStyleSheet(
            "QLabel { background: #fff3bf; color: #111111; border: 1px solid #c9a227;"
            " padding: 4px 8px; font-weight: bold; }"
        )
        self.banner.hide()
        # The hint over an empty map: repainted whenever the scene changes
        # from empty to not (an added card repaints only its own region).
        self._hint_shown = False
        self._hint_lines = hints.empty_map_lines()
        scene.changed.connect(self._scene_changed)
        self.follow_palette()

    # ------------------------------------------------------------ hint

    def shows_hint(self) -> bool:
        """True while the map has no touch points: the view then says how to start."""
        scene = self.scene()
        journey = getattr(scene, "journey", None)
        return journey is not None and not journey.touchpoints

    def _scene_changed(self, *args: object) -> None:
        if self.shows_hint() != self._hint_shown:
            self.viewport().update()

    def hint_rect(self) -> QRectF:
        """Where the hint goes, in viewport coordinates: below the columns when
        there is room, else at the bottom of the view."""
        keys = QFontMetricsF(HINT_KEY_FONT)
        body = QFontMetricsF(HINT_FONT)
        text_w = max(body.horizontalAdvance(t) for t, _ in self._hint_lines)
        key_w = max(keys.horizontalAdvance(k) for _, k in self._hint_lines)
        width = min(self.viewport().width() - 24.0, text_w + key_w + 64)
        height = 28.0 * len(self._hint_lines) + 24
        rect = QRectF(0, 0, width, height)
        scene_bottom = self.mapFromScene(0, self.scene().itemsBoundingRect().bottom()).y()
        top = min(max(12.0, scene_bottom + 24), self.viewport().height() - height - 12)
        rect.moveTopLeft(QRectF(self.viewport().rect()).center() - rect.center())
        rect.moveTop(max(12.0, top))
        return rect

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        super().drawForeground(painter, rect)
        self._hint_shown = self.shows_hint()
        if not self._hint_shown:
            return
        theme = colors.theme_of(self.scene().legend)
        painter.save()
        painter.resetTransform()  # the hint keeps its size whatever the zoom
        box = self.hint_rect()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(theme.card_outline), 1.5))
        painter.setBrush(QColor(theme.column))
        painter.drawRoundedRect(box, 10, 10)
        ink = QColor(theme.ink)
        y = box.top() + 12
        for index, (text, key) in enumerate(self._hint_lines):
            line = QRectF(box.left() + 20, y, box.width() - 40, 28)
            painter.setPen(ink)
            painter.setFont(HINT_HEADING_FONT if index == 0 else HINT_FONT)
            painter.drawText(line, Qt.AlignmentFlag.AlignVCenter, text)
            if key:
                painter.setFont(HINT_KEY_FONT)
                painter.drawText(line, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                                 key)  # fmt: skip
            y += 28
        painter.restore()

    # ---------------------------------------------------------- palette

    def follow_palette(self) -> None:
        """Draw the map light or dark, as the application's palette is."""
        if apply_theme(self.scene(), current_theme()):
            self.viewport().update()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.follow_palette()

    def set_banner(self, text: str) -> None:
        """Show ``text`` at the top left of the map; hide the banner when empty."""
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, factor: float) -> None:
        factor = max(MIN_ZOOM, min(MAX_ZOOM, factor))
        self.resetTransform()
        self.scale(factor, factor)
        self.zoom_changed.emit(factor)

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom() / ZOOM_STEP)

    def actual_size(self) -> None:
        self.set_zoom(1.0)

    def fit(self) -> None:
        rect = self.scene().itemsBoundingRect().adjusted(-20, -20, 20, 20)
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom() > 1.0:
            self.set_zoom(1.0)
        # The scene's rect never shrinks (a larger map was shown before, or a card
        # was dragged far): centre on the map itself, not wherever zooming left us.
        self.centerOn(rect.center())
        self.zoom_changed.emit(self.zoom())

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if event.angleDelta().y() > 0:
                self.zoom_in()
            elif event.angleDelta().y() < 0:
                self.zoom_out()
            event.accept()
        else:
            super().wheelEvent(event)

    def keyPressEvent(self, event) -> None:
        # Space held: pan by dragging, as in drawing programs.
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        super().keyReleaseEvent(event)

    def center_on_touchpoint(self, tp_id: str) -> None:
        scene = self.scene()
        assert isinstance(scene, MapScene)
        card = scene.select_touchpoint(tp_id)
        if card is not None:
            self.centerOn(card)
