"""The Charts dock: the same figures as `journeymap chart`, following the map."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from journeymap.model.journey import JourneyMap
from journeymap.ui.palette import style_figure
from journeymap.ui.viewstate import FILTER, ViewState

KINDS = (("emotion", "Emotion curve"), ("methods", "Safari vs shadowing"), ("gaps", "Gaps"))


class ChartsDock(QWidget):
    """A chart chosen from a list; drawn when shown, redrawn a moment after edits."""

    def __init__(
        self, journey: JourneyMap, state: ViewState, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.journey: JourneyMap | None = None
        self.state = state
        state.changed.connect(self._state_changed)
        self.kind = QComboBox()
        for key, label in KINDS:
            self.kind.addItem(label, key)
        self.kind.currentIndexChanged.connect(self.redraw)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Chart"))
        bar.addWidget(self.kind)
        bar.addStretch(1)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(4, 4, 4, 4)
        self.layout_.addLayout(bar)
        self.figure = None
        self.canvas: QWidget = QLabel("The chart is drawn when this panel is shown.")
        self.layout_.addWidget(self.canvas, 1)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(400)
        self.timer.timeout.connect(self.redraw)
        self.set_journey(journey)

    def set_journey(self, journey: JourneyMap) -> None:
        if self.journey is not None:
            self.journey.changed.disconnect(self._schedule)
        self.journey = journey
        journey.changed.connect(self._schedule)
        self.timer.start()

    def _schedule(self) -> None:
        self.timer.start()

    def _state_changed(self, what: str) -> None:
        if what == FILTER:
            self.timer.start()

    def current_kind(self) -> str:
        return self.kind.currentData()

    def redraw(self, *args: object) -> None:
        if not self.isVisible() or self.height() < 120:
            return  # hidden or squeezed: nothing to see; showEvent draws
        if self.figure is None:
            from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
            from matplotlib.figure import Figure

            self.figure = Figure(figsize=(6, 4), layout="constrained")
            canvas = FigureCanvasQTAgg(self.figure)
            self.layout_.replaceWidget(self.canvas, canvas)
            self.canvas.deleteLater()
            self.canvas = canvas
        from journeymap.charts.journeycharts import draw_into

        draw_into(self.current_kind(), self.journey, self.figure, self.state.filter)
        style_figure(self.figure)
        self.canvas.draw_idle()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.timer.start()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.timer.start()  # light or dark now: draw again
