"""The Gaps dock: the ranked table of `journeymap gaps`, and the dumbbell chart."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from journeymap.canvas import colors
from journeymap.model.analysis import TouchPointGap, describe_view, statistics
from journeymap.model.collection import UPDATE, Change
from journeymap.model.journey import JourneyMap
from journeymap.textsafety import plain_tooltip
from journeymap.ui.docks.rowmodel import RowTableModel
from journeymap.ui.viewstate import FILTER, ViewState

COLUMNS = ("#", "Touch point", "Stage", "n", "Expect", "Reality", "Gap", "Spread", "Flags")


def _fmt(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.2f}" if signed else f"{value:.2f}"


class GapTableModel(RowTableModel):
    """The ranking of the map's statistics source under the window's filter."""

    headings = COLUMNS

    def __init__(self, journey: JourneyMap, state: ViewState, parent: QObject | None = None):
        super().__init__(parent)
        self.journey: JourneyMap | None = None
        self.state = state
        self.rows: list[TouchPointGap] = []
        state.changed.connect(self._state_changed)
        self.set_journey(journey)

    #: Touch point fields the table shows; moving a card changes none of them.
    _SHOWN = frozenset({"name", "stage", "critical"})

    def set_journey(self, journey: JourneyMap) -> None:
        if self.journey is not None:
            self.journey.changed.disconnect(self._on_change)
        self.journey = journey
        journey.changed.connect(self._on_change)
        self.recompute()

    def _state_changed(self, what: str) -> None:
        if what == FILTER:
            self.recompute()

    def _on_change(self, change: Change) -> None:
        kind = change.kind
        if kind == "observation" or (kind == "stage" and change.op == UPDATE):
            self.rerank()
        elif kind == "touchpoint" and change.op == UPDATE:
            if self._SHOWN.intersection(change.fields):
                self.rerank()
        elif kind in ("touchpoint", "stage", "map"):
            self.recompute()

    def recompute(self, *args: object) -> None:
        """Rebuild the table (and fit its columns): on a new map, filter or shape."""
        assert self.journey is not None
        self.beginResetModel()
        self.rows = statistics(self.journey).ranking(self.state.filter)
        self.endResetModel()

    def rerank(self) -> None:
        """The same rows in a new order: numbers changed, the table keeps its columns."""
        assert self.journey is not None
        self.layoutAboutToBeChanged.emit()
        self.rows = statistics(self.journey).ranking(self.state.filter)
        self.layoutChanged.emit()

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        s = row.stats
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return index.row() + 1
            if column == 1:
                return row.name
            if column == 2:
                try:
                    return self.journey.stage(row.stage).name
                except KeyError:
                    return row.stage
            if column == 3:
                return s.n
            if column == 4:
                return _fmt(s.expectation)
            if column == 5:
                return _fmt(s.reality)
            if column == 6:
                return _fmt(s.gap, signed=True)
            if column == 7:
                return _fmt(s.spread)
            flags = (["WIDE"] if s.wide else []) + (["\u2605"] if row.critical else [])
            return " ".join(flags)
        if role == Qt.ItemDataRole.BackgroundRole and column == 6:
            return colors.gap_color(s.gap, self.journey.scale)
        if role == Qt.ItemDataRole.ForegroundRole and column == 6:
            return colors.text_color(colors.gap_color(s.gap, self.journey.scale))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 3, 4, 5, 6, 7):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.touchpoint
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            return plain_tooltip(f"{row.name} ({row.touchpoint}): {s.observations} observations")
        if role == Qt.ItemDataRole.ToolTipRole and column == 8:
            return "WIDE: gap at least a quarter of the scale; \u2605: moment of truth"
        return None

    def touchpoint_at(self, row: int) -> str:
        return self.rows[row].touchpoint


class GapsDock(QWidget):
    """Ranked table with filters; below it the dumbbell chart, redrawn on change."""

    touchpoint_activated = Signal(str)

    def __init__(
        self, journey: JourneyMap, state: ViewState, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.journey = journey
        self.state = state
        self.model = GapTableModel(journey, state, self)
        # The filter is set in the bar above the map; this line says which.
        self.scope = QLabel()
        self.scope.setTextFormat(Qt.TextFormat.PlainText)
        self.scope.setWordWrap(True)
        self.model.modelReset.connect(self._show_scope)
        self.model.layoutChanged.connect(self._show_scope)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # Columns fit their contents when the table is rebuilt, measuring a
        # sample of rows; an edit re-ranks rows without measuring again.
        header.setResizeContentsPrecision(40)
        self.model.modelReset.connect(self._fit_columns)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.clicked.connect(self._row_clicked)

        # The chart arrives just after the window first paints: importing
        # matplotlib takes longer than drawing a thousand cards.
        self.figure = None
        self.canvas: QWidget = QLabel("Drawing the chart\u2026")
        self.canvas.setMinimumHeight(160)
        self._chart_timer = QTimer(self)
        self._chart_timer.setSingleShot(True)
        self._chart_timer.setInterval(250)  # typing stays fast; the chart catches up
        self._chart_timer.timeout.connect(self.redraw_chart)
        self.model.modelReset.connect(self._chart_timer.start)
        self.model.layoutChanged.connect(self._chart_timer.start)

        splitter = self.splitter = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.scope)
        top_layout.addWidget(self.table)
        splitter.addWidget(top)
        splitter.addWidget(self.canvas)
        splitter.setSizes([300, 380])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self._show_scope()
        self._chart_timer.start()

    def _make_chart(self) -> None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=(5, 3), layout="constrained")
        canvas = FigureCanvasQTAgg(self.figure)
        canvas.setMinimumHeight(160)
        sizes = self.splitter.sizes()
        self.splitter.replaceWidget(1, canvas)
        self.canvas.deleteLater()
        self.canvas = canvas
        self.splitter.setSizes(sizes)

    def set_journey(self, journey: JourneyMap) -> None:
        self.journey = journey
        self.model.set_journey(journey)

    def _show_scope(self) -> None:
        self.scope.setText("Showing " + describe_view(self.journey, self.state.filter))

    def _fit_columns(self) -> None:
        for column in (0, 2, 3, 4, 5, 6, 7, 8):
            self.table.resizeColumnToContents(column)

    def _row_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.touchpoint_activated.emit(self.model.touchpoint_at(index.row()))

    def redraw_chart(self) -> None:
        if self.figure is None:
            self._make_chart()
        from journeymap.charts.gapchart import draw_gap_chart

        draw_gap_chart(self.journey, self.figure, self.state.filter)
        self.canvas.draw_idle()
